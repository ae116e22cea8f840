/**
 * Map with bounded concurrency, results in input order. Per-resource calls (one bucket
 * policy per bucket) are independent and mostly waiting on the network; a few in flight
 * shortens a collection without provoking the API rate limits a free-for-all would.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
