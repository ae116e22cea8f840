/**
 * Webhook delivery: POST the JSON summary of a run, signed with HMAC-SHA256 over the exact
 * body bytes (`X-Accessgraph-Signature: sha256=<hex>`), keyed by the secret in the
 * environment variable the config names. Network errors, timeouts and 5xx answers are
 * retried with exponential backoff; a 4xx is the receiver refusing this body, so it is not.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Accessgraph-Signature';

export interface WebhookTarget {
  url: string;
  secretEnv: string;
  retries: number;
}

export interface DeliveryOutcome {
  /** the URL without query string or credentials: those may carry tokens */
  url: string;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export interface WebhookOptions {
  env: NodeJS.ProcessEnv;
  /** delay before retry n (1-based) is baseDelayMs × 2^(n−1) */
  baseDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function deliverWebhook(
  target: WebhookTarget,
  body: string,
  opts: WebhookOptions,
): Promise<DeliveryOutcome> {
  const url = redactUrl(target.url);
  const secret = opts.env[target.secretEnv];
  if (!secret) {
    return {
      url,
      ok: false,
      attempts: 0,
      error: `environment variable ${target.secretEnv} is not set; set it to the webhook's shared secret`,
    };
  }
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? defaultSleep;
  const base = opts.baseDelayMs ?? 1000;
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'accessgraph-reports',
    [SIGNATURE_HEADER]: sign(body, secret),
  };
  let last: DeliveryOutcome = { url, ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= target.retries + 1; attempt++) {
    if (attempt > 1) await sleep(base * 2 ** (attempt - 2));
    try {
      const res = await doFetch(target.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      // drain so the connection can be reused or closed cleanly
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { url, ok: true, attempts: attempt, status: res.status };
      last = { url, ok: false, attempts: attempt, status: res.status, error: `HTTP ${res.status}` };
      if (res.status < 500) return last;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      last = { url, ok: false, attempts: attempt, error: e.cause?.code ?? e.cause?.message ?? e.message };
    }
  }
  return last;
}
