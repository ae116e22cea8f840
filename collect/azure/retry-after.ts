/**
 * Azure Resource Manager and Microsoft Graph throttle with HTTP 429 (Graph also 503/504)
 * and say in `Retry-After` how many seconds to wait. A call that is throttled waits that
 * long (or backs off when the header is missing) and tries again, a bounded number of
 * times; every other error goes straight back to the caller.
 */
import { defaultSleep } from '../common/retry.js';

export interface RetryAfterOptions {
  retries?: number;
  /** wait used when the response names none */
  fallbackMs?: number;
  /** never wait longer than this for one retry */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onThrottled?: (waitMs: number, attempt: number) => void;
}

interface HttpishError {
  statusCode?: unknown;
  status?: unknown;
  headers?: unknown;
  response?: { status?: unknown; headers?: unknown };
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const v = typeof h.get === 'function' ? h.get(name) : (h[name] ?? h[name.toLowerCase()]);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** The HTTP status of an SDK error (RestError `statusCode`, GraphError `statusCode`, fetch-like `status`). */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as HttpishError;
  for (const v of [e.statusCode, e.status, e.response?.status]) if (typeof v === 'number') return v;
  return undefined;
}

/** Milliseconds the server asked to wait: `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as HttpishError;
  const raw = header(e.headers, 'Retry-After') ?? header(e.response?.headers, 'Retry-After');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const THROTTLED = new Set([429, 503, 504]);

export async function withRetryAfter<T>(fn: () => Promise<T>, opts: RetryAfterOptions = {}): Promise<T> {
  const retries = opts.retries ?? 5;
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const status = statusOf(err);
      if (attempt >= retries || status === undefined || !THROTTLED.has(status)) throw err;
      const asked = retryAfterMs(err);
      const wait = Math.min(opts.maxWaitMs ?? 120_000, asked ?? (opts.fallbackMs ?? 2_000) * 2 ** attempt);
      opts.onThrottled?.(wait, attempt + 1);
      await sleep(wait);
    }
  }
}
