/**
 * The Azure ingester: every Azure input of one `ingest` run (raw `az` exports and Azure
 * snapshots) is read and validated first, then grouped by tenant; each tenant becomes one
 * source `azure:<tenantId>`. Raw exports must all belong to one tenant, named by one of them
 * (management groups, `az account list`, resources' identities) or by a snapshot given with them.
 */
import { IngestError } from '../errors.js';
import type { IngestedSource, Ingester } from '../types.js';
import { buildTenantGraph } from './build-graph.js';
import { type Contribution, rawKind, readRawExport } from './raw-exports.js';
import { isAzureSnapshot, readAzureSnapshot } from './snapshot-input.js';
import { emptyTenant, type TenantData } from './tenant.js';

export const azureIngester: Ingester = {
  name: 'azure',
  detect: (doc) => isAzureSnapshot(doc) || rawKind(doc) !== null,
  ingest: (docs) => ingestAzure(docs),
};

function rawTenant(raw: readonly Contribution[], snapshotTenants: readonly string[]): string {
  const strong = new Map<string, string>();
  for (const c of raw)
    if (c.kind !== 'accounts') for (const id of c.tenantIds) if (!strong.has(id)) strong.set(id, c.file);
  if (strong.size > 1) {
    const [[a, fa], [b, fb]] = [...strong.entries()] as [[string, string], [string, string]];
    throw new IngestError(
      fb,
      '$',
      `Azure exports of more than one tenant in one ingest (${a} in ${fa}, ${b} here); ingest each tenant separately`,
    );
  }
  const only = [...strong.keys()][0];
  if (only) return only;
  const accountTenants = new Set(raw.filter((c) => c.kind === 'accounts').flatMap((c) => c.tenantIds));
  if (accountTenants.size === 1) return [...accountTenants][0] as string;
  if (snapshotTenants.length === 1) return snapshotTenants[0] as string;
  throw new IngestError(
    raw[0]?.file ?? '',
    '$',
    'cannot tell which Entra tenant these Azure exports belong to: add `az account management-group list -o json`, or `az account list -o json` limited to one tenant, or an Azure snapshot of the tenant',
  );
}

export async function ingestAzure(
  docs: ReadonlyArray<{ file: string; doc: unknown }>,
): Promise<IngestedSource[]> {
  const tenants = new Map<string, TenantData>();
  const tenant = (id: string) => {
    let t = tenants.get(id);
    if (!t) {
      t = emptyTenant(id);
      tenants.set(id, t);
    }
    return t;
  };
  const raw: Contribution[] = [];
  const snapshots: Array<{ tenantId: string; c: Contribution }> = [];
  for (const { file, doc } of docs) {
    if (isAzureSnapshot(doc)) {
      const c = readAzureSnapshot(doc, file);
      snapshots.push({ tenantId: c.tenantId, c });
    } else raw.push(readRawExport(doc, file));
  }
  for (const s of snapshots) {
    const t = tenant(s.tenantId);
    t.files.add(s.c.file);
    s.c.apply(t);
  }
  if (raw.length) {
    const t = tenant(rawTenant(raw, [...new Set(snapshots.map((s) => s.tenantId))]));
    // definitions first so later entries can be checked against them
    for (const c of [...raw].sort(
      (a, b) => Number(b.kind === 'role-definitions') - Number(a.kind === 'role-definitions'),
    )) {
      t.files.add(c.file);
      c.apply(t);
    }
  }
  return [...tenants.values()].map(buildTenantGraph);
}
