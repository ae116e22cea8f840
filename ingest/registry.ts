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
import type { IngestedSource, Ingester } from './types.js';

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

/** Route each document to its ingester and run them; any bad input throws before anything is loaded. */
export async function ingestDocuments(docs: readonly InputDoc[]): Promise<IngestedSource[]> {
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
  const sources: IngestedSource[] = [];
  for (const [ingester, group] of groups) sources.push(...(await ingester.ingest(group)));
  const owner = new Map<string, string>();
  for (const s of sources) {
    const prev = owner.get(s.descriptor.id);
    if (prev) throw new IngestError(s.descriptor.id, '$', `source produced twice in one ingest (${prev})`);
    owner.set(s.descriptor.id, s.descriptor.id);
  }
  return sources;
}
