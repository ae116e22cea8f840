/**
 * Paging through a big who-can answer must not recompute it for every page: answers are
 * kept for a short time, keyed by the question and by the loaded sources' versions (a new
 * ingest, from this process or the CLI, changes `loadedAt` and so misses the cache).
 */
import type { GraphStore } from '../graph/store.js';

export interface AnswerCacheOptions {
  maxEntries?: number;
  ttlMs?: number;
}

export class AnswerCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(options: AnswerCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 32;
    this.ttlMs = options.ttlMs ?? 60_000;
  }

  async get<T>(store: GraphStore, question: unknown, compute: () => Promise<T>): Promise<T> {
    const versions = (await store.listSources()).map((s) => `${s.id}@${s.loadedAt}`).join('|');
    const key = JSON.stringify([question, versions]);
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) {
      // refresh recency: Map keeps insertion order, so re-insert
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value as Promise<T>;
    }
    const value = compute();
    this.entries.set(key, { at: now, value });
    // a failed computation must not be served again
    value.catch(() => this.entries.delete(key));
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
