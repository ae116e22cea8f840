/**
 * The bundled demo data that `accessgraph demo` and `npm start` load into an empty store:
 * the Larkspur Retail demo company (docs/demo-company.md), one folder per cloud under
 * ingest/demo/ (`aws/` today; `gcp/` and `azure/` join automatically when they land), read
 * through the normal ingest path so the demo exercises exactly what users' exports do.
 *
 * The small hand-made graph and the AWS snapshot fixture are still loaded beside it because
 * the API and explorer test suites assert on their nodes (acme-data, alice, carol …).
 */
import { existsSync, statSync } from 'node:fs';
import type { GraphStore, SourceInfo } from '../../graph/store.js';
import { packagePath } from '../../lib/package-root.js';
import { loadSources } from '../load.js';
import { readInputs } from '../read-inputs.js';
import { ingestDocuments } from '../registry.js';

/** Cloud folders the demo company may have, in load order. */
export const DEMO_CLOUDS = ['aws', 'gcp', 'azure'] as const;

/** The demo company's folders that exist in this installation. */
export function demoCompanyInputs(): string[] {
  return DEMO_CLOUDS.map((cloud) => packagePath('ingest', 'demo', cloud)).filter(
    (dir) => existsSync(dir) && statSync(dir).isDirectory(),
  );
}

export const DEMO_INPUTS = [
  ...demoCompanyInputs(),
  packagePath('examples', 'acme-graph.json'),
  packagePath('ingest', 'aws', 'fixtures', 'aws-snapshot.json'),
];

export async function loadDemo(store: GraphStore): Promise<SourceInfo[]> {
  return loadSources(store, await ingestDocuments(readInputs(DEMO_INPUTS)));
}
