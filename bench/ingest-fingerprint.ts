/**
 * `tsx bench/ingest-fingerprint.ts PATH… [--load DATA_DIR] [--dump FILE]`
 *
 * Ingests (readInputs + planDocuments, then each source built in turn) and prints one SHA-256 over everything ingest
 * produced: every source's descriptor, nodes and edges, sorted by id, each written as JSON
 * with its object keys sorted. Performance work on ingest must leave this hash unchanged:
 * the hash of the same generated input before and after a change is the check that the
 * graph is the same to the byte. Sorting keys keeps the check about content, not about the
 * order in which code happens to build an object. `--dump` writes the canonical text too
 * (one line per node or edge), to diff when the hash moves; `--load` also loads the sources
 * into an embedded store there, so one process measures ingest + evaluate + load.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import { loadSources } from '../ingest/load.js';
import { readInputs } from '../ingest/read-inputs.js';
import { planDocuments } from '../ingest/registry.js';
import type { IngestedSource } from '../ingest/types.js';

/** JSON with object keys sorted at every depth; arrays keep their order (it is meaningful). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The canonical lines of a set of sources, in a fixed order, fed to `line`. */
export function canonicalLines(sources: readonly IngestedSource[], line: (s: string) => void): void {
  const ordered = [...sources].sort((a, b) => byId(a.descriptor, b.descriptor));
  for (const s of ordered) {
    line(`source ${canonicalJson(s.descriptor)} warnings ${canonicalJson(s.warnings)}`);
    for (const n of [...s.nodes].sort(byId)) line(`node ${canonicalJson(n)}`);
    for (const e of [...s.edges].sort(byId)) line(`edge ${canonicalJson(e)}`);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { load: { type: 'string' }, dump: { type: 'string' } },
  });
  if (positionals.length === 0) {
    process.stderr.write('usage: tsx bench/ingest-fingerprint.ts PATH… [--load DATA_DIR] [--dump FILE]\n');
    process.exit(2);
  }
  const t0 = performance.now();
  // sources are built one at a time in id order (the order canonicalLines writes them), so
  // even the L tier fits: memory holds one evaluated account, never all of them
  const planned = (await planDocuments(readInputs(positionals))).sort((a, b) => byId(a, b));
  const t1 = performance.now();
  const store = values.load ? await EmbeddedStore.open({ dataDir: values.load }) : null;
  const hash = createHash('sha256');
  const dump = values.dump ? createWriteStream(values.dump) : null;
  let nodes = 0;
  let edges = 0;
  let buildMs = 0;
  let loadMs = 0;
  for (const p of planned) {
    const b0 = performance.now();
    const source = await p.build();
    buildMs += performance.now() - b0;
    nodes += source.nodes.length;
    edges += source.edges.length;
    if (store) {
      const l0 = performance.now();
      await loadSources(store, [source]);
      loadMs += performance.now() - l0;
    }
    canonicalLines([source], (l) => {
      hash.update(l);
      hash.update('\n');
      dump?.write(`${l}\n`);
    });
  }
  await store?.close();
  if (dump) await new Promise((r) => dump.end(r));
  const ms = (x: number) => Math.round(x);
  process.stdout.write(
    `${JSON.stringify({
      sources: planned.length,
      nodes,
      edges,
      readValidateMs: ms(t1 - t0),
      ingestMs: ms(buildMs),
      loadMs: ms(loadMs),
      sha256: hash.digest('hex'),
    })}\n`,
  );
}

await main();
