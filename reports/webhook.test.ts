import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverWebhook, redactUrl, SIGNATURE_HEADER, sign } from './webhook.js';

interface Received {
  body: string;
  signature: string | undefined;
  contentType: string | undefined;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A receiver on 127.0.0.1 answering with the given statuses in turn (the last repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined,
        contentType: req.headers['content-type'],
      });
      res.statusCode = statuses[Math.min(got.length - 1, statuses.length - 1)]!;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const { port } = server!.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook?token=abc`, got };
}

/** What a receiver does: recompute the HMAC over the raw body and compare in constant time. */
function verify(body: string, header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const want = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'));
  const have = Buffer.from(header.slice('sha256='.length));
  return want.length === have.length && timingSafeEqual(want, have);
}

const env = { HOOK_SECRET: 's3cr3t' };
const BODY = JSON.stringify({ report: 'weekly', runId: 7, note: 'ünïcode' });
const delays: number[] = [];
const sleep = async (ms: number) => {
  delays.push(ms);
};

describe('deliverWebhook', () => {
  it('posts the body with a signature the receiver can verify', async () => {
    const r = await receiver([204]);
    const out = await deliverWebhook({ url: r.url, secretEnv: 'HOOK_SECRET', retries: 3 }, BODY, {
      env,
      sleep,
    });
    expect(out).toEqual({ url: r.url.replace('?token=abc', ''), ok: true, attempts: 1, status: 204 });
    expect(r.got).toHaveLength(1);
    expect(r.got[0]!.body).toBe(BODY);
    expect(r.got[0]!.contentType).toBe('application/json');
    expect(verify(r.got[0]!.body, r.got[0]!.signature, 's3cr3t')).toBe(true);
    expect(verify(r.got[0]!.body, r.got[0]!.signature, 'other')).toBe(false);
    expect(r.got[0]!.signature).toBe(sign(BODY, 's3cr3t'));
  });

  it('retries 5xx with exponential backoff until it succeeds', async () => {
    delays.length = 0;
    const r = await receiver([503, 500, 200]);
    const out = await deliverWebhook({ url: r.url, secretEnv: 'HOOK_SECRET', retries: 3 }, BODY, {
      env,
      sleep,
      baseDelayMs: 100,
    });
    expect(out).toMatchObject({ ok: true, attempts: 3, status: 200 });
    expect(delays).toEqual([100, 200]);
    expect(new Set(r.got.map((g) => g.signature)).size).toBe(1);
  });

  it('gives up after the configured retries and reports the last status', async () => {
    delays.length = 0;
    const r = await receiver([502]);
    const out = await deliverWebhook({ url: r.url, secretEnv: 'HOOK_SECRET', retries: 2 }, BODY, {
      env,
      sleep,
      baseDelayMs: 10,
    });
    expect(out).toMatchObject({ ok: false, attempts: 3, status: 502, error: 'HTTP 502' });
    expect(r.got).toHaveLength(3);
    expect(delays).toEqual([10, 20]);
  });

  it('does not retry a 4xx: the receiver refused this body', async () => {
    const r = await receiver([401]);
    const out = await deliverWebhook({ url: r.url, secretEnv: 'HOOK_SECRET', retries: 3 }, BODY, {
      env,
      sleep,
    });
    expect(out).toMatchObject({ ok: false, attempts: 1, status: 401 });
    expect(r.got).toHaveLength(1);
  });

  it('retries network errors', async () => {
    const r = await receiver([200]);
    const { port } = server!.address() as AddressInfo;
    await new Promise<void>((res) => server!.close(() => res()));
    server = undefined;
    const out = await deliverWebhook(
      { url: `http://127.0.0.1:${port}/hook`, secretEnv: 'HOOK_SECRET', retries: 1 },
      BODY,
      { env, sleep },
    );
    expect(out).toMatchObject({ ok: false, attempts: 2, error: 'ECONNREFUSED' });
    expect(r.got).toHaveLength(0);
  });

  it('refuses to send unsigned when the secret variable is unset', async () => {
    const r = await receiver([200]);
    const out = await deliverWebhook({ url: r.url, secretEnv: 'MISSING_SECRET', retries: 3 }, BODY, {
      env,
      sleep,
    });
    expect(out).toMatchObject({ ok: false, attempts: 0 });
    expect(out.error).toMatch(/MISSING_SECRET is not set/);
    expect(r.got).toHaveLength(0);
  });
});

describe('redactUrl', () => {
  it('drops credentials and query strings', () => {
    expect(redactUrl('https://user:pw@hooks.example.com:8443/a/b?token=x#f')).toBe(
      'https://hooks.example.com:8443/a/b',
    );
  });
});
