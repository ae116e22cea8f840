/**
 * What changed since the previous successful run of the same report, keyed by item key
 * (Finding.id for findings), and the trend over the last runs.
 */
import type { Severity } from '../graph/findings/types.js';
import { SEVERITIES } from '../graph/findings/types.js';
import type { RunItem, RunRecord } from './history.js';

export interface ScoreChange {
  key: string;
  title: string;
  from: number;
  to: number;
  fromBand: Severity;
  toBand: Severity;
}

export interface RunDiff {
  previousRunId: number;
  previousStartedAt: string;
  added: RunItem[];
  resolved: RunItem[];
  changed: ScoreChange[];
  unchanged: number;
}

const byScore = (a: RunItem, b: RunItem) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function diffItems(
  previous: Pick<RunRecord, 'id' | 'startedAt'>,
  before: readonly RunItem[],
  after: readonly RunItem[],
): RunDiff {
  const old = new Map(before.map((i) => [i.key, i]));
  const now = new Map(after.map((i) => [i.key, i]));
  const added = after.filter((i) => !old.has(i.key)).sort(byScore);
  const resolved = before.filter((i) => !now.has(i.key)).sort(byScore);
  const changed: ScoreChange[] = [];
  let unchanged = 0;
  for (const i of after) {
    const o = old.get(i.key);
    if (!o) continue;
    if (o.score === i.score) unchanged++;
    else
      changed.push({
        key: i.key,
        title: i.title,
        from: o.score,
        to: i.score,
        fromBand: o.band,
        toBand: i.band,
      });
  }
  changed.sort((a, b) => Math.abs(b.to - b.from) - Math.abs(a.to - a.from) || (a.key < b.key ? -1 : 1));
  return {
    previousRunId: previous.id,
    previousStartedAt: previous.startedAt,
    added,
    resolved,
    changed,
    unchanged,
  };
}

export interface TrendPoint {
  runId: number;
  at: string;
  total: number;
  maxScore: number;
  byBand: Record<Severity, number>;
}

export function emptyBands(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

export function trendPoint(runId: number, at: string, items: readonly RunItem[]): TrendPoint {
  const byBand = emptyBands();
  let maxScore = 0;
  for (const i of items) {
    byBand[i.band]++;
    maxScore = Math.max(maxScore, i.score);
  }
  return { runId, at, total: items.length, maxScore, byBand };
}
