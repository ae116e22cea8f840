/**
 * `npm run bench [-- --tier tiny|S|M|L] [--store embedded|neo4j] [--input generated|synthetic]
 * [--seed N] [--layout mixed|raw] [--queries N] [--paths N] [--naive on|off] [--record [--note TEXT]]`
 *
 * Measures the whole pipeline on an organization of the chosen tier: generating real AWS
 * input files (bench/generator), ingest + evaluate, load into the store, reopen, who-can and
 * paths latency (p50/p95), store size on disk and peak RSS. Then asks one question both
 * ways: who can s3:GetObject one bucket, answered by who-can on the loaded graph and by the
 * naive alternative, one iam-simulate run per user and role (bench/naive-simulate.ts).
 * Prints Markdown tables with the machine facts; `--record` appends them to docs/BENCHMARKS.md.
 *
 * `--input synthetic` (tiers XS/S/M) loads the older in-memory graph of bench/synthetic.ts
 * instead: no input files, so no ingest figure and no naive comparison.
 */
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { NodeKind } from '../graph/model.js';
import { openStore, resolveStoreConfig } from '../graph/open-store.js';
import { type AccessAnswer, whoCan } from '../graph/queries/access.js';
import { kShortestPaths } from '../graph/queries/paths.js';
import type { GraphStore } from '../graph/store.js';
import { loadPlanned } from '../ingest/load.js';
import { readInputs } from '../ingest/read-inputs.js';
import { planDocuments } from '../ingest/registry.js';
import { builtSources, type PlannedSource } from '../ingest/types.js';
import { TIERS as GENERATED_TIERS } from './generator/tiers.js';
import { generateDataset, type Layout } from './generator/write.js';
import { percentile, spreadPick } from './latency.js';
import { naiveOrgFromInputs, naiveWhoCan } from './naive-simulate.js';
import { SYNTHETIC_SOURCE, TIERS as SYNTHETIC_TIERS, synthetic } from './synthetic.js';

const usage =
  'usage: npm run bench -- [--tier tiny|S|M|L] [--store embedded|neo4j] [--input generated|synthetic] ' +
  '[--seed N] [--layout mixed|raw] [--queries N] [--paths N] [--naive on|off] [--naive-bucket ARN] ' +
  '[--record [--note TEXT]]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      tier: { type: 'string', default: 'S' },
      store: { type: 'string', default: 'embedded' },
      input: { type: 'string' },
      seed: { type: 'string', default: '42' },
      layout: { type: 'string', default: 'mixed' },
      queries: { type: 'string', default: '200' },
      paths: { type: 'string', default: '50' },
      naive: { type: 'string', default: 'on' },
      'naive-bucket': { type: 'string' },
      record: { type: 'boolean', default: false },
      note: { type: 'string' },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
const tierName = values.tier as string;
// generated files are the default: they exercise ingest and evaluation; XS exists only as a synthetic graph
const input = (values.input as string | undefined) ?? (GENERATED_TIERS[tierName] ? 'generated' : 'synthetic');
if (input !== 'generated' && input !== 'synthetic') fail('--input must be generated or synthetic');
const tiers = input === 'generated' ? GENERATED_TIERS : SYNTHETIC_TIERS;
if (!tiers[tierName]) {
  const list = (t: Record<string, unknown>) => Object.keys(t).join(', ');
  fail(
    values.input
      ? `--tier for --input ${input} must be one of ${list(tiers)}`
      : `--tier must be one of ${list(GENERATED_TIERS)} (generated input) or ${list(SYNTHETIC_TIERS)} (--input synthetic)`,
  );
}
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed) || seed < 0) fail('--seed must be a non-negative integer');
const layout = values.layout as string;
if (layout !== 'mixed' && layout !== 'raw') fail('--layout must be mixed or raw');
const nQueries = Number(values.queries);
const nPaths = Number(values.paths);
if (!(nQueries >= 1) || !(nPaths >= 0)) fail('--queries must be ≥ 1 and --paths ≥ 0');
if (values.naive !== 'on' && values.naive !== 'off') fail('--naive must be on or off');
const runNaive = values.naive === 'on' && input === 'generated';

const work = mkdtempSync(join(tmpdir(), 'accessgraph-bench-'));
const inputDir = join(work, 'input');
const dataDir = join(work, 'store');
const config = resolveStoreConfig({ store: values.store as string, dataDir });
// generated input and the embedded store can be gigabytes at tier L: never leave them behind, even on a crash
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const dirSize = (d: string): number =>
  readdirSync(d).reduce(
    (s, f) => s + (statSync(join(d, f)).isDirectory() ? dirSize(join(d, f)) : statSync(join(d, f)).size),
    0,
  );
const fmt = (x: number, digits = 0) =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const log = (m: string) => process.stderr.write(`${m}\n`);

interface Target {
  id: string;
  type: string | undefined;
  region: string | undefined;
}

// ---- input: generate, validate; then evaluate and load one source at a time ----
let planned: PlannedSource[];
let targets: Target[] = [];
let generateMs: number;
let inputMiB = Number.NaN;
let principals = Number.NaN;
let accounts = Number.NaN;
let t = process.hrtime.bigint();
if (input === 'generated') {
  const summary = generateDataset({
    tier: GENERATED_TIERS[tierName]!,
    seed,
    out: inputDir,
    layout: layout as Layout,
  });
  generateMs = ms(t);
  inputMiB = summary.bytes / 2 ** 20;
  principals = summary.users + summary.roles;
  accounts = summary.accounts;
  log(`generated ${summary.accounts} accounts, ${principals} users and roles in ${fmt(generateMs)} ms`);
} else {
  generateMs = 0;
}
let store: GraphStore = await openStore(config);
t = process.hrtime.bigint();
let patterns: Target[] = [];
if (input === 'generated') {
  planned = await planDocuments(readInputs([inputDir]));
} else {
  const g = synthetic(SYNTHETIC_TIERS[tierName]!);
  generateMs = ms(t);
  t = process.hrtime.bigint();
  planned = builtSources([{ descriptor: SYNTHETIC_SOURCE, nodes: g.nodes, edges: g.edges, warnings: [] }]);
  targets = g.resources.map((id) => ({ id, type: 's3:bucket', region: undefined }));
}
const validateMs = ms(t);
// Evaluating (build) and writing (load) alternate per source: time each side of the switch.
let buildMs = 0;
let nodes = 0;
let edges = 0;
let mark = process.hrtime.bigint();
t = mark;
await loadPlanned(store, planned, {
  onBuild: (id, i, total) => {
    mark = process.hrtime.bigint();
    log(`evaluating and loading ${id} (${i + 1}/${total})`);
  },
  onBuilt: (s) => {
    // the bench builds in process (no pool), so sources arrive whole, never staged
    if (!('nodes' in s)) throw new Error('bench/run.ts expects sources built in process');
    buildMs += ms(mark);
    nodes += s.nodes.length;
    edges += s.edges.length;
    if (input !== 'generated') return;
    for (const n of s.nodes) {
      if (n.kind !== 'Resource') continue;
      const target = { id: n.id, type: n.type, region: n.props?.region as string | undefined };
      if (n.props?.inventoried === true) targets.push(target);
      else if (targets.length === 0) patterns.push(target);
    }
  },
});
// the planned sources hold their input until built: let them go so peak RSS reflects serving
planned = [];
const ingestMs = input === 'generated' ? validateMs + buildMs : Number.NaN;
const loadMs = ms(t) - buildMs;
// raw exports list no resources: ask about the resource patterns their policies name instead
if (targets.length === 0) targets = patterns;
patterns = [];
log(
  `ingested and evaluated in ${fmt(ingestMs)} ms, loaded ${nodes} nodes and ${edges} edges in ${fmt(loadMs)} ms`,
);
if (targets.length === 0) throw new Error('the input holds no inventoried resource to ask about');
await store.close();

t = process.hrtime.bigint();
store = await openStore(config);
await store.getNode(targets[0]!.id);
const reopenMs = ms(t);

// ---- who-can latency, over resources spread through the inventory ----
const whoKinds: NodeKind[] | undefined = input === 'synthetic' ? ['User'] : undefined;
const whoLat: number[] = [];
let reached = 0;
let truncatedAnswers = 0;
const pairs: Array<{ from: string; to: string }> = [];
let busiestBucket: { target: Target; answers: number } | null = null;
for (let i = 0; i < nQueries; i++) {
  const target = spreadPick(targets, i);
  const q0 = process.hrtime.bigint();
  // synthetic runs count users only, as the rows recorded before generated input did
  const r = await whoCan(store, target.id, { limit: 100_000, kinds: whoKinds });
  whoLat.push(ms(q0));
  reached += r.answers.length;
  if (r.truncated) truncatedAnswers++;
  // paths are asked between pairs who-can connected, so each has at least one path
  if (r.answers.length > 0 && pairs.length < nPaths) {
    pairs.push({ from: r.answers[(i * 31) % r.answers.length]!.node.id, to: target.id });
  }
  if (target.type === 's3:bucket' && r.answers.length > (busiestBucket?.answers ?? -1)) {
    busiestBucket = { target, answers: r.answers.length };
  }
}

// The same questions again: a long-running `serve` answers from warm caches, while the pass
// above met every account for the first time since the store was opened.
const whoWarmLat: number[] = [];
for (let i = 0; i < nQueries; i++) {
  const q0 = process.hrtime.bigint();
  await whoCan(store, spreadPick(targets, i).id, { limit: 100_000, kinds: whoKinds });
  whoWarmLat.push(ms(q0));
}

// ---- paths latency: k = 3 shortest paths per pair ----
const pathLat: number[] = [];
let pathsFound = 0;
let pathsTruncated = 0;
for (const p of pairs) {
  const q0 = process.hrtime.bigint();
  const r = await kShortestPaths(store, { from: p.from, to: p.to, maxDepth: 8, k: 3, timeoutMs: 30_000 });
  pathLat.push(ms(q0));
  pathsFound += r.paths.length;
  if (r.truncated) pathsTruncated++;
}
// maxRSS is the kernel's high-water mark for this process, in KiB: taken before the naive
// comparison so it measures generate + ingest + load + queries only
const peakRssMiB = (process.resourceUsage().maxRSS * 1024) / 2 ** 20;
const storeMiB = config.kind === 'embedded' ? dirSize(dataDir) / 2 ** 20 : Number.NaN;

const row: Record<string, string> = {
  tier: tierName,
  input: input === 'generated' ? `generated (${layout}, seed ${seed})` : 'synthetic',
  store: config.kind,
  accounts: fmt(accounts),
  'users + roles': fmt(principals),
  resources: fmt(targets.length),
  nodes: fmt(nodes),
  edges: fmt(edges),
  'input MiB': fmt(inputMiB, 1),
  'generate ms': fmt(generateMs),
  'ingest + evaluate ms': fmt(ingestMs),
  'ingest elements/s': fmt((nodes + edges) / (ingestMs / 1000)),
  'load ms': fmt(loadMs),
  'load elements/s': fmt((nodes + edges) / (loadMs / 1000)),
  'reopen ms': fmt(reopenMs, 1),
  'whoCan p50 ms': fmt(percentile(whoLat, 0.5), 2),
  'whoCan p95 ms': fmt(percentile(whoLat, 0.95), 2),
  'whoCan warm p50 ms': fmt(percentile(whoWarmLat, 0.5), 2),
  'whoCan warm p95 ms': fmt(percentile(whoWarmLat, 0.95), 2),
  'avg principals/answer': fmt(reached / nQueries),
  'paths p50 ms': fmt(percentile(pathLat, 0.5), 2),
  'paths p95 ms': fmt(percentile(pathLat, 0.95), 2),
  'avg paths/pair': fmt(pathsFound / pairs.length, 1),
  'store MiB': fmt(storeMiB, 1),
  'peak RSS MiB': fmt(peakRssMiB),
};
const notes: string[] = [
  `${nQueries} who-can queries (${whoKinds ? 'users' : 'all principal kinds'}, all actions), ` +
    `${pairs.length} paths queries (k = 3, max depth 8). "whoCan" is the first pass after ` +
    'reopening the store (each account met cold), "whoCan warm" the same questions asked again.',
];
if (targets.every((x) => x.type === 'aws:resource-pattern'))
  notes.push(
    'The input inventories no resource: who-can and paths asked about the resource patterns policies name.',
  );
if (truncatedAnswers > 0) notes.push(`${truncatedAnswers} who-can answers were truncated.`);
if (pathsTruncated > 0) notes.push(`${pathsTruncated} paths queries ran out of time before 3 paths.`);

// ---- the same question, naive way: one iam-simulate run per user and role ----
let naiveRow: Record<string, string> | null = null;
if (runNaive) {
  // --naive-bucket: compare on a bucket of one's choosing (say, one another run compared on)
  const chosen = values['naive-bucket'] as string | undefined;
  const bucket = chosen
    ? targets.find((x) => x.id === chosen)
    : (busiestBucket?.target ?? targets.find((x) => x.type === 's3:bucket'));
  if (chosen && !bucket) {
    notes.push(`--naive-bucket ${chosen} is not in the inventory: naive comparison skipped.`);
  } else if (!bucket) {
    notes.push('No S3 bucket in the inventory: naive comparison skipped.');
  } else {
    const action = 's3:GetObject';
    const ourLat: number[] = [];
    let ours: AccessAnswer[] = [];
    // median of five: the first run also warms the store's caches
    for (let i = 0; i < 5; i++) {
      const q0 = process.hrtime.bigint();
      ours = (await whoCan(store, bucket.id, { action, kinds: ['User', 'Role'], limit: 100_000 })).answers;
      ourLat.push(ms(q0));
    }
    const oursMs = percentile(ourLat, 0.5);
    t = process.hrtime.bigint();
    const org = naiveOrgFromInputs(readInputs([inputDir]));
    const prepareMs = ms(t);
    log(`naive: simulating ${org.principals.length} users and roles against ${bucket.id}`);
    t = process.hrtime.bigint();
    const naive = await naiveWhoCan(org, {
      action,
      resourceArn: bucket.id,
      // GetObject names an object: any key in the bucket
      requestResource: `${bucket.id}/bench/object.json`,
      // a typical request: over TLS, in the bucket's region (the generated SCPs test both)
      context: { 'aws:SecureTransport': 'true', 'aws:RequestedRegion': bucket.region ?? 'us-east-1' },
    });
    const naiveMs = ms(t);
    const naiveSet = new Set(naive.allowed);
    const oursOnly = ours.filter((a) => !naiveSet.has(a.node.id));
    const transitive = oursOnly.filter((a) =>
      a.path.some((h) => h.edge === 'CAN_ASSUME' || h.edge === 'CAN_ESCALATE'),
    ).length;
    const oursSet = new Set(ours.map((a) => a.node.id));
    // Principals of other accounts that the bucket policy lets in: who-can answers them with
    // their account's External node, since one source's evaluation cannot read another
    // account's identity policies (docs/aws-evaluation-differences.md); the simulator, given
    // both sides, decides each of them.
    const bucketAccount = (await store.getNode(bucket.id))?.source?.replace(/^aws:/, '');
    const naiveOnly = naive.allowed.filter((p) => !oursSet.has(p));
    const otherAccount = naiveOnly.filter((p) => p.split(':')[4] !== bucketAccount).length;
    naiveRow = {
      tier: tierName,
      store: config.kind,
      // unless --naive-bucket chose one: the bucket most principals reached among the who-can
      // queries above, the costliest question for who-can
      question: `who can ${action} on ${chosen ? bucket.id : 'the most reached bucket'}`,
      'users + roles simulated': fmt(naive.simulated),
      'naive ms': fmt(naiveMs),
      'naive ms/principal': fmt(naiveMs / naive.simulated, 2),
      'whoCan ms': fmt(oursMs, 2),
      'speed ratio': `${fmt(naiveMs / oursMs)}×`,
      'naive allowed': fmt(naive.allowed.length),
      'whoCan allowed': fmt(ours.length),
      both: fmt(ours.length - oursOnly.length),
      'whoCan only, via role/escalation': fmt(transitive),
      'whoCan only, direct': fmt(oursOnly.length - transitive),
      'naive only, same account': fmt(naiveOnly.length - otherAccount),
      'naive only, other account': fmt(otherAccount),
      'whoCan conditional': fmt(ours.filter((a) => a.conditional).length),
    };
    notes.push(
      `Naive: reading and indexing the input for the simulator took ${fmt(prepareMs)} ms (not in "naive ms"); ` +
        `who-can's one-off cost is ingest + load above.`,
    );
    if (naive.errors > 0)
      notes.push(`iam-simulate refused ${naive.errors} simulations, e.g. ${naive.firstError}.`);
    if (org.missingPolicies.size > 0)
      notes.push(`${org.missingPolicies.size} attached managed policies were missing from the exports.`);
  }
}
await store.close();

const table = (r: Record<string, string>) =>
  [
    `| ${Object.keys(r).join(' | ')} |`,
    `|${Object.keys(r)
      .map(() => '---')
      .join('|')}|`,
    `| ${Object.values(r).join(' | ')} |`,
  ].join('\n');
const facts = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const out = [
  `Machine: ${facts}.${values.note ? ` ${values.note}.` : ''}`,
  '',
  table(row),
  '',
  ...(naiveRow ? [table(naiveRow), ''] : []),
  notes.join(' '),
].join('\n');
console.log(out);
if (values.record) {
  const args = process.argv
    .slice(2)
    .filter((a, i, all) => a !== '--record' && all[i - 1] !== '--note' && a !== '--note');
  const date = new Date().toISOString().slice(0, 10);
  appendFileSync(
    fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url)),
    `\n## ${date} — \`npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}\`\n\n${out}\n`,
  );
  log('appended to docs/BENCHMARKS.md');
}
