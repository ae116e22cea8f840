/**
 * Microsoft Graph collections come in pages: each response holds `value` and, while more
 * remain, `@odata.nextLink` (a full URL to request as is); ARM REST lists page the same way
 * with `nextLink`. Each page request is retried on
 * throttling with the server's Retry-After.
 */
import type { Json } from './api.js';
import { type RetryAfterOptions, withRetryAfter } from './retry-after.js';

export type GraphGet = (pathOrUrl: string) => Promise<Json>;

/** Guards against a service that keeps handing out next links. */
export const MAX_GRAPH_PAGES = 10_000;

export async function* graphPages(
  get: GraphGet,
  path: string,
  retry: RetryAfterOptions = {},
  /** ARM REST lists use the same paging with `nextLink` */
  nextLinkKey = '@odata.nextLink',
): AsyncIterable<Json> {
  let next: string | undefined = path;
  for (let page = 0; next !== undefined; page++) {
    if (page >= MAX_GRAPH_PAGES) throw new Error(`${path}: more than ${MAX_GRAPH_PAGES} pages`);
    const url: string = next;
    const body = await withRetryAfter(() => get(url), retry);
    const value = body.value;
    if (!Array.isArray(value)) throw new Error(`${path}: the response has no "value" array`);
    for (const item of value) if (item && typeof item === 'object') yield item as Json;
    const link = body[nextLinkKey];
    next = typeof link === 'string' && link.length > 0 ? link : undefined;
  }
}
