import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { pruneRunDirs, runDirName, writeRunFiles } from './output-dir.js';

const dir = mkdtempSync(join(tmpdir(), 'ag-report-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report files on disk', () => {
  it('replaces a file atomically and leaves no temp file behind', async () => {
    const f = join(dir, 'a.txt');
    writeFileSync(f, 'old');
    await writeFileAtomic(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.txt']);
    await expect(writeFileAtomic(join(dir, 'missing', 'b.txt'), 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });

  it('names run directories by UTC time and run id', () => {
    expect(runDirName(new Date('2026-11-29T06:05:09.123Z'), 42)).toBe('20261129T060509Z-run42');
  });

  it('writes one directory per run and prunes by count and age, leaving foreign entries', async () => {
    const out = join(dir, 'out');
    for (let d = 1; d <= 5; d++) {
      await writeRunFiles(out, 'r', runDirName(new Date(`2026-11-0${d}T00:00:00Z`), d), [
        { format: 'md', content: `# ${d}` },
      ]);
    }
    mkdirSync(join(out, 'r', 'notes'));
    expect(await pruneRunDirs(out, 'r', { keepRuns: 3 }, new Date('2026-11-06T00:00:00Z'))).toEqual([
      '20261102T000000Z-run2',
      '20261101T000000Z-run1',
    ]);
    expect(await pruneRunDirs(out, 'r', { keepDays: 2 }, new Date('2026-11-06T00:00:00Z'))).toEqual([
      '20261103T000000Z-run3',
    ]);
    // the newest run stays even when all are older than keepDays
    expect(await pruneRunDirs(out, 'r', { keepDays: 1 }, new Date('2027-01-01T00:00:00Z'))).toEqual([
      '20261104T000000Z-run4',
    ]);
    expect(readdirSync(join(out, 'r')).sort()).toEqual(['20261105T000000Z-run5', 'notes']);
    expect(readFileSync(join(out, 'r', '20261105T000000Z-run5', 'report.md'), 'utf8')).toBe('# 5');
    expect(await pruneRunDirs(out, 'never-ran', { keepRuns: 1 }, new Date())).toEqual([]);
  });
});
