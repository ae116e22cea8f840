/** Result types of the reports page's queries (report-queries.ts). */
import type { GNode, Severity, Via } from './api';

export type RunOutcome = 'RUNNING' | 'OK' | 'FAILED';

export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
}

export interface ReportRun {
  id: string;
  report: string;
  trigger: 'MANUAL' | 'SCHEDULE' | 'CATCH_UP';
  startedAt: string;
  finishedAt: string | null;
  outcome: RunOutcome;
  error: string | null;
  counts: SeverityCounts | null;
  score: { items: number; findings: number; crownJewelPaths: number; maxScore: number } | null;
}

export interface ReportDef {
  name: string;
  description: string | null;
  schedule: string | null;
  timezone: string | null;
  nextRunAt: string | null;
  running: boolean;
  runCount: number;
  lastRun: ReportRun | null;
}

/** `placeholder`: the node is gone from today's graph (the name is the run's). */
type NodeRef = Pick<GNode, 'id' | 'kind' | 'name' | 'placeholder'>;

/** A run's item as lists show it. */
export interface ReportItemSummary {
  key: string;
  source: 'FINDING' | 'CROWN_JEWEL';
  kind: string | null;
  title: string;
  score: number;
  band: Severity;
  severity: Severity | null;
  conditional: boolean;
  technique: string | null;
  principal: NodeRef | null;
  target: NodeRef | null;
}

export interface ReportHop {
  from: string;
  to: string;
  edge: string;
  conditional: boolean;
  actions: string[] | null;
  technique: string | null;
  via: Via | null;
}

/** An item with its recorded path, for the graph and the panel. */
export interface ReportItemFull extends ReportItemSummary {
  remediation: string | null;
  jewel: string | null;
  actions: string[] | null;
  facts: Record<string, unknown> | null;
  pathRecorded: boolean;
  path: ReportHop[];
  pathNodes: GNode[];
}

export interface ReportDiff {
  previousRun: { id: string; startedAt: string } | null;
  addedCount: number;
  resolvedCount: number;
  changedCount: number;
  unchanged: number;
  added: ReportItemSummary[];
  resolved: ReportItemSummary[];
  changed: { previousScore: number; previousBand: Severity; item: ReportItemSummary }[];
}

export interface Page<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}
