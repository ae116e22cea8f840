/**
 * Every ingester `accessgraph ingest` knows, and the detection that routes each input
 * document to one of them. Cloud ingesters register here as they land.
 */
import { AWS_ACCEPTED_INPUTS, AWS_INGESTERS } from './aws/index.js';
import { AZURE_ACCEPTED_INPUTS, AZURE_INGESTERS } from './azure/index.js';
import { IngestError } from './errors.js';
import { GCP_ACCEPTED_INPUTS, GCP_INGESTERS } from './gcp/index.js';
import { graphJsonIngester } from './graph-json/graph-json.js';
import type { InputDoc } from './read-inputs.js';
import { buildAll, builtSources, type IngestedSource, type Ingester, type PlannedSource } from './types.js';

export const INGESTERS: readonly Ingester[] = [
  graphJsonIngester,
  ...AWS_INGESTERS,
  ...GCP_INGESTERS,
  ...AZURE_INGESTERS,
];

/** What `ingest --help` and the "unrecognised input" error list. */
export const ACCEPTED_INPUTS = [
  ...AWS_ACCEPTED_INPUTS,
  ...GCP_ACCEPTED_INPUTS,
  ...AZURE_ACCEPTED_INPUTS,
  'accessgraph graph interchange JSON ({"format": "accessgraph-graph", ...}; docs/schema/graph-interchange.schema.json)',
];

/**
 * Route each document to its ingester and validate it all; any bad input throws here, before
 * anything is evaluated or loaded. The planned sources are then built one at a time
 * (`loadPlanned`), so a big organization never sits in memory evaluated all at once.
 */
export async function planDocuments(docs: readonly InputDoc[]): Promise<PlannedSource[]> {
  const groups = new Map<Ingester, InputDoc[]>();
  for (const d of docs) {
    const ingester = INGESTERS.find((i) => i.detect(d.doc, d.file));
    if (!ingester) {
      throw new IngestError(
        d.file,
        '$',
        `unrecognised input; accepted inputs are: ${ACCEPTED_INPUTS.join('; ')}`,
      );
    }
    groups.set(ingester, [...(groups.get(ingester) ?? []), d]);
  }
  const planned: PlannedSource[] = [];
  for (const [ingester, group] of groups)
    planned.push(
      ...(ingester.plan ? await ingester.plan(group) : builtSources(await ingester.ingest(group))),
    );
  const seen = new Set<string>();
  for (const p of planned) {
    if (seen.has(p.id)) throw new IngestError(p.id, '$', 'source produced twice in one ingest');
    seen.add(p.id);
  }
  return planned;
}

/** Validate and build every source at once (small inputs, tests, the API's ingest mutation). */
export async function ingestDocuments(docs: readonly InputDoc[]): Promise<IngestedSource[]> {
  return buildAll(await planDocuments(docs));
}
