import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { buildWorkersFor } from './build-pool.js';

describe('build workers per ingest', () => {
  const cores = availableParallelism();

  it('keeps a core for the writer unless the store loads staged files', () => {
    expect(buildWorkersFor(50, {})).toBe(Math.max(0, Math.min(cores - 1, 3)));
    expect(buildWorkersFor(50, {}, { stagedLoads: true })).toBe(Math.min(cores, 3));
    // never more workers than jobs, and none for a single source (nothing to overlap)
    expect(buildWorkersFor(2, {}, { stagedLoads: true })).toBe(Math.min(cores, 2));
    expect(buildWorkersFor(1, {}, { stagedLoads: true })).toBe(0);
  });

  it('takes ACCESSGRAPH_INGEST_WORKERS over the default, and refuses what is not a count', () => {
    expect(buildWorkersFor(50, { ACCESSGRAPH_INGEST_WORKERS: '0' }, { stagedLoads: true })).toBe(0);
    expect(buildWorkersFor(5, { ACCESSGRAPH_INGEST_WORKERS: '8' })).toBe(5);
    expect(() => buildWorkersFor(5, { ACCESSGRAPH_INGEST_WORKERS: 'two' })).toThrow(/whole number/);
  });
});
