/**
 * A retry loop around one cloud API call, on top of the SDK's own retries. The SDKs retry
 * throttling themselves, but give up after their attempt budget; a long collection over many
 * accounts hits sustained throttling (shared API rate limits) that outlasts that budget, and
 * losing a whole service to it would leave a silent gap. So throttling errors the SDK gave up
 * on are retried here with exponential backoff and full jitter ("Exponential Backoff And
 * Jitter", AWS Architecture Blog), a bounded number of times; any other error is returned
 * to the caller at once.
 */

export interface RetryOptions {
  /** retries after the first attempt */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** true when the error is worth waiting for (throttling) */
  isRetryable: (err: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
  /** uniform in [0, 1); injectable so tests are deterministic */
  random?: () => number;
  /** told before each wait, e.g. to show "throttled, waiting" in the progress line */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Full jitter: a uniform wait between 0 and min(cap, base * 2^attempt). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= opts.retries || !opts.isRetryable(err)) throw err;
      const delay = backoffDelay(attempt, opts.baseDelayMs, opts.maxDelayMs, random);
      opts.onRetry?.(err, attempt + 1, delay);
      await sleep(delay);
    }
  }
}
