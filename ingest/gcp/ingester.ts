/**
 * The GCP ingester. All GCP inputs of one `accessgraph ingest` run are read together,
 * because they complete one another (a project's folder from the snapshot, its bindings
 * from `search-all-iam-policies`, a custom role from `roles describe`); the result is one
 * source per organization.
 */
import type { IngestedSource, Ingester } from '../types.js';
import { buildGcpSources } from './build-graph.js';
import { Inventory } from './inventory.js';
import {
  rawKindOf,
  readAssetExport,
  readIamPolicySearch,
  readResourceSearch,
  readRoles,
} from './raw-exports.js';
import { RoleCatalog } from './roles-catalog.js';
import { isGcpSnapshot, readGcpSnapshot } from './snapshot.js';

export interface GcpIngestOptions {
  /** "now" for `request.time` conditions; defaults to the time of the ingest */
  now?: Date;
  roles?: RoleCatalog;
}

export async function ingestGcp(
  docs: ReadonlyArray<{ file: string; doc: unknown }>,
  options: GcpIngestOptions = {},
): Promise<IngestedSource[]> {
  const inv = new Inventory();
  const roles = options.roles ?? new RoleCatalog();
  // roles first: a binding in any file may use a custom role another file defines
  const ordered = [...docs].sort(
    (a, b) => Number(rawKindOf(b.doc) === 'roles') - Number(rawKindOf(a.doc) === 'roles'),
  );
  for (const { file, doc } of ordered) {
    inv.files.add(file);
    if (isGcpSnapshot(doc)) {
      readGcpSnapshot(doc, file, inv, roles);
      continue;
    }
    switch (rawKindOf(doc)) {
      case 'roles':
        readRoles(doc, file, roles, inv.warnings);
        break;
      case 'iam-policy-search':
        readIamPolicySearch(doc as unknown[], file, inv);
        break;
      case 'resource-search':
        readResourceSearch(doc as unknown[], file, inv);
        break;
      case 'asset-export':
        readAssetExport(doc as unknown[], file, inv);
        break;
      default:
        break;
    }
  }
  return buildGcpSources(inv, roles, options.now ?? new Date());
}

export const gcpIngester: Ingester = {
  name: 'gcp',
  detect: (doc) => isGcpSnapshot(doc) || rawKindOf(doc) !== null,
  ingest: (docs) => ingestGcp(docs),
};
