/**
 * Reports in the explorer: labels, and the conversion of a run's recorded item into the
 * Finding shape, so the findings view's path graph and hop panel draw it unchanged.
 */
import type { EdgeKind, Finding } from './api';
import type { ReportItemFull, ReportItemSummary, ReportRun } from './report-types';

/** `privilege-escalation` / `crown-jewel-access` → "privilege escalation" / "crown jewel access". */
export const itemKindLabel = (i: Pick<ReportItemSummary, 'kind' | 'source'>) =>
  (i.kind ?? (i.source === 'FINDING' ? 'finding' : 'crown jewel access')).replaceAll('-', ' ');

export const outcomeLabel = (r: Pick<ReportRun, 'outcome'>) =>
  r.outcome === 'OK' ? 'ok' : r.outcome === 'FAILED' ? 'failed' : 'running';

export const triggerLabel = (r: Pick<ReportRun, 'trigger'>) =>
  r.trigger === 'CATCH_UP' ? 'catch-up' : r.trigger.toLowerCase();

/** Short local time, e.g. "Mar 3, 14:05:09": runs a few seconds apart must stay apart. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** How long a run took, "3.2 s" or "4 min". */
export function duration(r: Pick<ReportRun, 'startedAt' | 'finishedAt'>): string {
  if (!r.finishedAt) return '';
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

/** The item as a Finding: id ← key, severity ← the score's band. */
export function itemAsFinding(i: ReportItemFull): Finding {
  return {
    id: i.key,
    kind: (i.kind ?? '').toUpperCase().replaceAll('-', '_'),
    severity: i.band,
    title: i.title,
    technique: i.technique,
    conditional: i.conditional,
    principal: i.principal,
    target: i.target,
    remediation: i.remediation ?? '',
    details: null,
    path: i.path.map((h) => ({ ...h, edge: h.edge as EdgeKind })),
    pathNodes: i.pathNodes,
  };
}
