/**
 * A complete run: record its start, build the document, write every output format, record
 * the outcome, deliver webhooks, apply retention. The outcome is `ok` once the outputs are
 * on disk; webhook results are recorded beside it and never turn a run into a failure
 * (the files are there; a receiver being down is reported, not fatal).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonValue } from '../graph/model.js';
import type { ReportDefinition } from './config.js';
import type { RunTrigger } from './history.js';
import { pruneRunDirs, runDirName, writeRunFiles } from './output-dir.js';
import { render } from './render-text.js';
import { buildReport, type ReportDocument, type RunDeps, type ScoredPath, toRunItem } from './run-report.js';
import { type DeliveryOutcome, deliverWebhook, type WebhookOptions } from './webhook.js';

export const WEBHOOK_TOP_ITEMS = 10;

export interface ExecuteOptions {
  trigger: RunTrigger;
  /** where report files go; a report's own `outputs.dir` wins when set */
  outDir: string;
  now?: () => Date;
  webhook?: Omit<WebhookOptions, 'env'>;
  env?: NodeJS.ProcessEnv;
  /** told the run id as soon as the run is recorded (the API answers "run now" with it) */
  onBegin?: (runId: number) => void;
}

export interface RunOutcome {
  runId: number;
  status: 'ok' | 'failed';
  error?: string;
  document?: ReportDocument;
  files: string[];
  deliveries: DeliveryOutcome[];
}

/**
 * What the history keeps of an item beyond its score: kind, ends and the explained path,
 * plus the names of the nodes on it as the run saw them, so the explorer can draw a past
 * run's path even after those nodes are gone from the graph.
 */
export function itemDetail(p: ScoredPath, doc: ReportDocument): JsonValue {
  const ids = new Set([p.principal, p.target]);
  for (const h of p.path) ids.add(h.from).add(h.to);
  const nodes: Record<string, JsonValue> = {};
  for (const id of ids) {
    const n = doc.nodes[id];
    if (n) nodes[id] = { ...n };
  }
  const d: Record<string, JsonValue | undefined> = {
    kind: p.kind,
    principal: p.principal,
    target: p.target,
    conditional: p.conditional,
    path: p.path as unknown as JsonValue,
    facts: p.facts as unknown as JsonValue,
    nodes,
    severity: p.severity,
    remediation: p.remediation,
    technique: p.technique,
    jewel: p.jewel,
    actions: p.actions,
  };
  // drop the absent optional fields: JSON has no undefined
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as JsonValue;
}

/** The webhook body: enough to triage without opening the report. */
export function webhookSummary(doc: ReportDocument, files: readonly string[]): JsonValue {
  const d = doc.diff;
  return {
    report: doc.report,
    runId: doc.runId,
    generatedAt: doc.generatedAt,
    summary: doc.summary,
    changes: d
      ? {
          previousRunId: d.previousRunId,
          added: d.added.length,
          resolved: d.resolved.length,
          changed: d.changed.length,
          newItems: d.added
            .slice(0, WEBHOOK_TOP_ITEMS)
            .map((i) => ({ key: i.key, title: i.title, score: i.score })),
        }
      : null,
    top: doc.items.slice(0, WEBHOOK_TOP_ITEMS).map((i) => ({
      key: i.key,
      kind: i.kind,
      title: i.title,
      score: i.score,
      band: i.band,
      principal: i.principal,
      target: i.target,
    })),
    files: [...files],
  };
}

export async function executeReport(
  deps: RunDeps,
  def: ReportDefinition,
  opts: ExecuteOptions,
): Promise<RunOutcome> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const runId = deps.history.beginRun(def.name, opts.trigger, started);
  opts.onBegin?.(runId);
  const outDir = def.outputs.dir ?? opts.outDir;
  const dirName = runDirName(started, runId);
  let doc: ReportDocument;
  let files: string[];
  try {
    doc = await buildReport(deps, def, runId, started);
    const rendered = def.outputs.formats.map((format) => ({ format, content: render(doc, format) }));
    files = await writeRunFiles(outDir, def.name, dirName, rendered);
    deps.history.finishOk(
      runId,
      now(),
      doc.summary as unknown as JsonValue,
      doc.items.map((p) => ({ ...toRunItem(p), detail: itemDetail(p, doc) })),
    );
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    deps.history.finishFailed(runId, now(), message);
    // a failed run leaves no half-written folder for readers to mistake for a report
    await rm(join(outDir, def.name, dirName), { recursive: true, force: true }).catch(() => undefined);
    return { runId, status: 'failed', error: message, files: [], deliveries: [] };
  }

  const deliveries: DeliveryOutcome[] = [];
  if (def.webhooks.length > 0) {
    const body = JSON.stringify(webhookSummary(doc, files));
    for (const w of def.webhooks) {
      deliveries.push(await deliverWebhook(w, body, { ...opts.webhook, env: opts.env ?? process.env }));
    }
    deps.history.recordDeliveries(runId, deliveries as unknown as JsonValue);
  }
  deps.history.prune(def.name, def.retention, now());
  await pruneRunDirs(outDir, def.name, def.retention, now());
  return { runId, status: 'ok', document: doc, files, deliveries };
}

export function defaultOutDir(dataDir: string): string {
  return join(dataDir, 'reports');
}
