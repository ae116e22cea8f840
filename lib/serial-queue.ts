/**
 * Runs async jobs one at a time, in call order; a failed job does not stop the ones after
 * it. Both stores serialize their writers in-process with it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
