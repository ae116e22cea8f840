import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonText, removeStale, writeFileAtomic, writeJsonAtomic } from './snapshot-dir.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'accessgraph-snapdir-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('snapshot directory writing', () => {
  it('writes, replaces and creates parent folders, leaving no temporary files', () => {
    const file = join(dir, 'nested', 'a.json');
    writeJsonAtomic(file, { v: 1 });
    writeJsonAtomic(file, { v: 2 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ v: 2 });
    expect(readdirSync(join(dir, 'nested'))).toEqual(['a.json']);
  });

  it('keeps snapshot files private to the owner (they map how to reach everything)', () => {
    const file = join(dir, 'b.json');
    writeFileAtomic(file, 'x');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('a failed write leaves what was there and no temporary file', () => {
    // a directory in the way makes the final rename fail after the temporary file was written
    const blocked = join(dir, 'c.json');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'keep'), 'x');
    expect(() => writeJsonAtomic(blocked, { v: 1 })).toThrow();
    expect(readdirSync(dir)).toEqual(['c.json']);
    expect(readdirSync(blocked)).toEqual(['keep']);
  });

  it('jsonText is stable: two-space indent and a final newline', () => {
    expect(jsonText({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });

  it('removeStale removes only matching files that were not kept', () => {
    for (const n of ['x-1.json', 'x-2.json', 'other.json']) writeFileSync(join(dir, n), '{}');
    expect(removeStale(dir, /^x-\d\.json$/, new Set(['x-1.json']))).toEqual(['x-2.json']);
    expect(readdirSync(dir).sort()).toEqual(['other.json', 'x-1.json']);
    expect(removeStale(join(dir, 'missing'), /./, new Set())).toEqual([]);
  });
});
