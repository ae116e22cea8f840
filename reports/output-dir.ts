/**
 * Report files on disk: `<out>/<report>/<UTC stamp>-run<id>/report.{html,md,json,csv}`,
 * one directory per run so a reader of one run never sees another's files, and retention
 * removes whole runs.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { OutputFormat } from './config.js';

const RUN_DIR = /^(\d{8}T\d{6}Z)-run(\d+)$/;

export function runDirName(startedAt: Date, runId: number): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-run${runId}`;
}

export async function writeRunFiles(
  outDir: string,
  report: string,
  dirName: string,
  rendered: ReadonlyArray<{ format: OutputFormat; content: string }>,
): Promise<string[]> {
  const dir = join(outDir, report, dirName);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const r of rendered) {
    const file = join(dir, `report.${r.format}`);
    await writeFileAtomic(file, r.content);
    written.push(file);
  }
  return written;
}

function stampTime(stamp: string): number {
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`;
  return Date.parse(iso);
}

/**
 * Remove run directories of `report` beyond retention (more than `keepRuns` newer ones, or
 * older than `keepDays`); the newest directory always stays. Other entries are left alone:
 * the folder may hold files the user put there. Returns the removed directory names.
 */
export async function pruneRunDirs(
  outDir: string,
  report: string,
  retention: { keepRuns?: number; keepDays?: number },
  now: Date,
): Promise<string[]> {
  const base = join(outDir, report);
  let entries: string[];
  try {
    entries = await readdir(base);
  } catch {
    return [];
  }
  const runs = entries
    .map((name) => ({ name, m: RUN_DIR.exec(name) }))
    .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null)
    .map((e) => ({ name: e.name, at: stampTime(e.m[1]!), id: Number(e.m[2]) }))
    .sort((a, b) => b.at - a.at || b.id - a.id);
  const cutoff = retention.keepDays === undefined ? null : now.getTime() - retention.keepDays * 86_400_000;
  const doomed = runs.filter((r, i) => {
    if (i === 0) return false;
    if (retention.keepRuns !== undefined && i >= retention.keepRuns) return true;
    return cutoff !== null && r.at < cutoff;
  });
  for (const d of doomed) await rm(join(base, d.name), { recursive: true, force: true });
  return doomed.map((d) => d.name);
}
