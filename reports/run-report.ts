/**
 * One run of a report: gather findings and crown-jewel paths in scope, score them, diff
 * against the previous successful run, and build the report document every output format
 * renders. Findings come from a provider so this runs on hand-made findings in tests and
 * on `computeFindings` in the product.
 */
import type { Finding, FindingKind, Severity } from '../graph/findings/types.js';
import { SEVERITIES } from '../graph/findings/types.js';
import type { AccessLevel, Cloud, GraphNode, JsonValue } from '../graph/model.js';
import type { Hop } from '../graph/queries/access.js';
import type { GraphStore } from '../graph/store.js';
import type { ReportDefinition, Sensitivity } from './config.js';
import { reachJewels, resolveJewels } from './crown-jewels.js';
import { diffItems, emptyBands, type RunDiff, type TrendPoint, trendPoint } from './diff.js';
import type { RunHistory, RunItem } from './history.js';
import { type FactsContext, grantLevels, type PathInput, pathFacts } from './path-facts.js';
import { ScopeFilter } from './scope.js';
import { bandFor, type PathFacts, scorePath } from './scoring.js';

/** What a findings provider is asked for; it may ignore the scope, the run filters again. */
export interface FindingsScope {
  kinds: FindingKind[];
  clouds: Cloud[];
  accounts: string[];
  dormantDays: number;
  now: Date;
}
export type FindingsProvider = (scope: FindingsScope) => Promise<Finding[]>;

export interface ScoredPath {
  key: string;
  source: 'finding' | 'crown-jewel';
  kind: FindingKind | 'crown-jewel-access';
  title: string;
  score: number;
  band: Severity;
  facts: PathFacts;
  principal: string;
  target: string;
  path: Hop[];
  conditional: boolean;
  /** the finding's own severity (findings only) */
  severity?: Severity;
  remediation?: string;
  technique?: string;
  /** crown-jewel paths: the jewel's name and the actions the path grants */
  jewel?: string;
  actions?: string[];
}

export interface NodeSummary {
  name: string;
  kind: string;
  cloud: string;
  type?: string;
}

export interface JewelSummary {
  name: string;
  sensitivity: Sensitivity;
  resources: Array<{ id: string; name: string; type?: string; principals: number; truncated: boolean }>;
}

export interface ReportDocument {
  report: string;
  description?: string;
  runId: number;
  generatedAt: string;
  scope: ReportDefinition['scope'];
  summary: {
    items: number;
    findings: number;
    crownJewelPaths: number;
    maxScore: number;
    byBand: Record<Severity, number>;
  };
  items: ScoredPath[];
  crownJewels: JewelSummary[];
  nodes: Record<string, NodeSummary>;
  diff: RunDiff | null;
  trend: TrendPoint[];
  notes: string[];
}

export interface RunDeps {
  store: GraphStore;
  history: RunHistory;
  findings: FindingsProvider;
}

const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

function byScore(a: ScoredPath, b: ScoredPath): number {
  return b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function score(input: PathInput, ctx: FactsContext): { score: number; band: Severity; facts: PathFacts } {
  const facts = pathFacts(input, ctx);
  const s = scorePath(facts);
  return { score: s, band: bandFor(s), facts };
}

async function loadNodes(store: GraphStore, ids: Iterable<string>): Promise<Map<string, GraphNode>> {
  const nodes = await store.getNodes([...new Set(ids)]);
  return new Map(nodes.map((n) => [n.id, n]));
}

export function toRunItem(p: ScoredPath): RunItem {
  return { key: p.key, source: p.source, score: p.score, band: p.band, title: p.title };
}

/**
 * Build the document for a run already begun in the history (`runId`). Does not record the
 * outcome: the caller does, once outputs are written.
 */
export async function buildReport(
  deps: RunDeps,
  def: ReportDefinition,
  runId: number,
  now: Date,
): Promise<ReportDocument> {
  const { store } = deps;
  const notes: string[] = [];
  const scope = new ScopeFilter(store, def.scope);

  const raw = await deps.findings({
    kinds: def.findings.kinds,
    clouds: def.scope.clouds,
    accounts: def.scope.accounts,
    dormantDays: def.findings.dormantDays,
    now,
  });
  const wantedKinds = new Set(def.findings.kinds);
  const minRank = severityRank(def.findings.minSeverity);
  const candidates = raw.filter((f) => wantedKinds.has(f.kind) && severityRank(f.severity) <= minRank);

  const resolved = await resolveJewels(store, def.crownJewels);
  for (const r of resolved) {
    notes.push(...r.notes);
    const kept = [];
    for (const n of r.resources) if (await scope.includes(n)) kept.push(n);
    r.resources = kept;
  }
  const reaches = await reachJewels(store, resolved);

  const ids = new Set<string>();
  for (const f of candidates) {
    ids.add(f.principal).add(f.target);
    for (const h of f.path) ids.add(h.from).add(h.to);
  }
  for (const r of reaches) {
    for (const a of r.answers) for (const h of a.path) ids.add(h.from).add(h.to);
    for (const a of r.answers) ids.add(a.node.id);
  }
  const nodes = await loadNodes(store, ids);
  const findings: Finding[] = [];
  for (const f of candidates) if (await scope.includes(nodes.get(f.target) ?? null)) findings.push(f);

  const jewelSensitivity = new Map<string, Sensitivity>();
  const rank = (s: Sensitivity) => ['low', 'medium', 'high', 'critical'].indexOf(s);
  for (const r of resolved) {
    for (const n of r.resources) {
      const before = jewelSensitivity.get(n.id);
      // a resource picked by two jewels counts at the more sensitive one
      if (!before || rank(r.jewel.sensitivity) > rank(before))
        jewelSensitivity.set(n.id, r.jewel.sensitivity);
    }
  }
  const ctx: FactsContext = { nodes, jewels: jewelSensitivity, now, dormantDays: def.findings.dormantDays };
  const items: ScoredPath[] = [];

  for (const f of findings) {
    const levels = await grantLevels(store, f.path);
    const detailLevels = (f.details as { levels?: JsonValue } | undefined)?.levels;
    const input: PathInput = {
      principal: f.principal,
      target: f.target,
      path: f.path,
      conditional: f.conditional,
      kind: f.kind,
    };
    if (levels) input.levels = levels;
    else if (Array.isArray(detailLevels)) input.levels = detailLevels as AccessLevel[];
    const s = score(input, ctx);
    const item: ScoredPath = {
      key: f.id,
      source: 'finding',
      kind: f.kind,
      title: f.title,
      ...s,
      principal: f.principal,
      target: f.target,
      path: f.path,
      conditional: f.conditional,
      severity: f.severity,
      remediation: f.remediation,
    };
    if (f.technique) item.technique = f.technique;
    items.push(item);
  }

  const jewels = new Map<string, JewelSummary>();
  for (const r of resolved) {
    jewels.set(r.jewel.name, { name: r.jewel.name, sensitivity: r.jewel.sensitivity, resources: [] });
  }
  for (const r of reaches) {
    const summary = jewels.get(r.jewel.name)!;
    const res: JewelSummary['resources'][number] = {
      id: r.resource.id,
      name: r.resource.name,
      principals: r.answers.length,
      truncated: r.truncated,
    };
    if (r.resource.type) res.type = r.resource.type;
    summary.resources.push(res);
    if (r.truncated)
      notes.push(`who-can for ${r.resource.id} was truncated; the list of principals is partial`);
    for (const a of r.answers) {
      const grant = a.edges.find((e) => e.kind === 'HAS_ACCESS');
      const input: PathInput = {
        principal: a.node.id,
        target: r.resource.id,
        path: a.path,
        conditional: a.conditional,
      };
      if (grant?.kind === 'HAS_ACCESS') input.levels = grant.props.levels;
      const s = score(input, ctx);
      if (severityRank(s.band) > minRank) continue;
      items.push({
        key: `crown-jewel|${r.resource.id}|${a.node.id}`,
        source: 'crown-jewel',
        kind: 'crown-jewel-access',
        title: `${a.node.name} can reach ${r.jewel.name}: ${r.resource.name} (${s.facts.access})`,
        ...s,
        principal: a.node.id,
        target: r.resource.id,
        path: a.path,
        conditional: a.conditional,
        jewel: r.jewel.name,
        actions: a.actions,
      });
    }
  }
  items.sort(byScore);

  const runItems = items.map(toRunItem);
  const previous = deps.history.previousOk(def.name, runId);
  const diff = previous ? diffItems(previous, deps.history.items(previous.id), runItems) : null;
  const earlier = deps.history.recentOk(def.name, def.trendRuns - 1, runId - 1);
  const trend = [
    ...earlier.map((r) => trendPoint(r.id, r.startedAt, deps.history.items(r.id))),
    trendPoint(runId, now.toISOString(), runItems),
  ];

  const byBand = emptyBands();
  for (const i of items) byBand[i.band]++;
  const nodeSummaries: Record<string, NodeSummary> = {};
  for (const n of nodes.values()) {
    const s: NodeSummary = { name: n.name, kind: n.kind, cloud: n.cloud };
    if (n.type) s.type = n.type;
    nodeSummaries[n.id] = s;
  }
  const doc: ReportDocument = {
    report: def.name,
    runId,
    generatedAt: now.toISOString(),
    scope: def.scope,
    summary: {
      items: items.length,
      findings: items.filter((i) => i.source === 'finding').length,
      crownJewelPaths: items.filter((i) => i.source === 'crown-jewel').length,
      maxScore: items[0]?.score ?? 0,
      byBand,
    },
    items,
    crownJewels: [...jewels.values()],
    nodes: nodeSummaries,
    diff,
    trend,
    notes,
  };
  if (def.description !== undefined) doc.description = def.description;
  return doc;
}
