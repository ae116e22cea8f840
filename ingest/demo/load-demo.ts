/**
 * The bundled demo data that `accessgraph demo` and `npm start` load into an empty store.
 * Until the demo company (issue: demo company and scale generator) lands: the small
 * hand-made graph plus the AWS snapshot example (an organization with SCPs, evaluated).
 */
import type { GraphStore, SourceInfo } from '../../graph/store.js';
import { packagePath } from '../../lib/package-root.js';
import { loadSources } from '../load.js';
import { readInputs } from '../read-inputs.js';
import { ingestDocuments } from '../registry.js';

export const DEMO_INPUTS = [
  packagePath('examples', 'acme-graph.json'),
  packagePath('ingest', 'aws', 'fixtures', 'aws-snapshot.json'),
];

export async function loadDemo(store: GraphStore): Promise<SourceInfo[]> {
  return loadSources(store, await ingestDocuments(readInputs(DEMO_INPUTS)));
}
