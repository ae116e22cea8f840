/**
 * Collection progress, cloud-neutral: a count of finished steps out of the planned ones and
 * what is running now ("account 123456789012 · s3 · us-east-1"). It renders to a text sink so
 * the CLI can hand it its stderr progress line and tests can read it.
 */

export interface ProgressSink {
  update(text: string): void;
}

export class CollectProgress {
  private done = 0;
  private total = 0;

  constructor(private readonly sink: ProgressSink) {}

  /** Announce more steps (an account's services become known once the account is reached). */
  plan(steps: number): void {
    this.total += steps;
  }

  /** A step starts: show where we are. */
  start(...where: string[]): void {
    this.sink.update(`${this.prefix()} ${where.join(' · ')}`);
  }

  /** A step finished (successfully or recorded as an error). */
  finish(): void {
    this.done = Math.min(this.done + 1, this.total);
  }

  note(text: string): void {
    this.sink.update(`${this.prefix()} ${text}`);
  }

  counts(): { done: number; total: number } {
    return { done: this.done, total: this.total };
  }

  private prefix(): string {
    const width = 20;
    const filled = this.total === 0 ? 0 : Math.round((this.done / this.total) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total}`;
  }
}

export const silentProgress: ProgressSink = { update: () => {} };
