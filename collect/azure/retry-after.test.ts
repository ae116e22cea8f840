import { describe, expect, it } from 'vitest';
import { graphPages } from './graph-pages.js';
import { retryAfterMs, statusOf, withRetryAfter } from './retry-after.js';
import { armList } from './sdk-api.js';

const throttled = (retryAfter?: string) =>
  Object.assign(new Error('Too Many Requests'), {
    statusCode: 429,
    headers: new Headers(retryAfter === undefined ? {} : { 'Retry-After': retryAfter }),
  });

describe('Retry-After', () => {
  it('reads seconds or an HTTP date, from the error or its response', () => {
    expect(retryAfterMs(throttled('7'))).toBe(7000);
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(retryAfterMs(throttled('Sun, 29 Nov 2026 10:00:30 GMT'), now)).toBe(30_000);
    expect(retryAfterMs({ response: { status: 429, headers: { 'retry-after': '2' } } })).toBe(2000);
    expect(retryAfterMs(throttled())).toBeUndefined();
    expect(statusOf({ response: { status: 503 } })).toBe(503);
  });

  it('waits as long as the server asks, then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const r = await withRetryAfter(
      async () => {
        calls++;
        if (calls < 3) throw throttled('7');
        return 'ok';
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(r).toBe('ok');
    expect(waits).toEqual([7000, 7000]);
  });

  it('backs off without a header, caps the wait, and gives up after its retries', async () => {
    const waits: number[] = [];
    const fail = () => Promise.reject(throttled());
    await expect(
      withRetryAfter(fail, {
        retries: 3,
        fallbackMs: 1000,
        maxWaitMs: 3000,
        sleep: async (ms) => void waits.push(ms),
      }),
    ).rejects.toThrow('Too Many Requests');
    expect(waits).toEqual([1000, 2000, 3000]);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const denied = Object.assign(new Error('Forbidden'), { statusCode: 403 });
    await expect(
      withRetryAfter(async () => {
        calls++;
        throw denied;
      }),
    ).rejects.toBe(denied);
    expect(calls).toBe(1);
  });
});

describe('paging', () => {
  it('follows @odata.nextLink and retries a throttled page', async () => {
    const pages: Record<string, unknown> = {
      '/users': { value: [{ id: 'a' }], '@odata.nextLink': 'https://graph/next1' },
      'https://graph/next1': { value: [{ id: 'b' }, { id: 'c' }] },
    };
    let throttle = true;
    const get = async (url: string) => {
      if (url === 'https://graph/next1' && throttle) {
        throttle = false;
        throw throttled('1');
      }
      return pages[url] as Record<string, unknown>;
    };
    const ids: unknown[] = [];
    for await (const u of graphPages(get, '/users', { sleep: async () => {} })) ids.push(u.id);
    expect(ids).toEqual(['a', 'b', 'c']);
    await expect(async () => {
      for await (const _ of graphPages(async () => ({ error: 'x' }), '/x')) void _;
    }).rejects.toThrow('no "value" array');
  });

  it('ARM lists resume from the continuation token of the last page read', async () => {
    const data: Record<string, { items: string[]; next?: string }> = {
      start: { items: ['1', '2'], next: 't2' },
      t2: { items: ['3'], next: 't3' },
      t3: { items: ['4'] },
    };
    const asked: string[] = [];
    let failOnce = true;
    const make = () => ({
      byPage(settings?: { continuationToken?: string }) {
        const key = settings?.continuationToken ?? 'start';
        asked.push(key);
        return (async function* () {
          if (key === 't2' && failOnce) {
            failOnce = false;
            throw throttled('1');
          }
          const page = data[key] as { items: string[]; next?: string };
          yield Object.assign(
            page.items.map((id) => ({ id })),
            { continuationToken: page.next },
          );
        })();
      },
    });
    const ids: unknown[] = [];
    for await (const r of armList(make, { sleep: async () => {} })) ids.push(r.id);
    expect(ids).toEqual(['1', '2', '3', '4']);
    expect(asked).toEqual(['start', 't2', 't2', 't3']);
  });
});
