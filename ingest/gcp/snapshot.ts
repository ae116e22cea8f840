/** The project's GCP snapshot format (docs/schema/gcp-snapshot.schema.json) read into the inventory. */
import { readFileSync } from 'node:fs';
import type { JsonValue } from '../../graph/model.js';
import { packagePath } from '../../lib/package-root.js';
import { IngestError } from '../errors.js';
import { compileSchema } from '../schema-validate.js';
import type { Inventory } from './inventory.js';
import { readIamPolicySearch, readRoles } from './raw-exports.js';
import type { RoleCatalog } from './roles-catalog.js';

export const GCP_SNAPSHOT_FORMAT = 'accessgraph-gcp-snapshot';

let validate: ReturnType<typeof compileSchema> | undefined;
function validator() {
  validate ??= compileSchema(
    JSON.parse(readFileSync(packagePath('docs', 'schema', 'gcp-snapshot.schema.json'), 'utf8')),
  );
  return validate;
}

export const isGcpSnapshot = (doc: unknown): boolean =>
  typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === GCP_SNAPSHOT_FORMAT;

interface Snap {
  collectedAt: string;
  organizations?: Array<{
    name: string;
    displayName?: string;
    directoryCustomerId?: string;
    domains?: string[];
  }>;
  folders?: Array<{ name: string; displayName?: string; parent: string }>;
  projects?: Array<{
    projectId: string;
    projectNumber?: string;
    displayName?: string;
    parent: string | null;
  }>;
  iamPolicies?: unknown[];
  resources?: Array<{
    name: string;
    assetType: string;
    parent: string;
    displayName?: string;
    location?: string;
    labels?: Record<string, string>;
    serviceAccounts?: string[];
  }>;
  customRoles?: unknown[];
  groups?: Array<{ email: string; displayName?: string; members: string[] }>;
  denyPolicies?: Array<{
    name: string;
    displayName?: string;
    rules: Array<{
      description?: string;
      denyRule: {
        deniedPrincipals: string[];
        exceptionPrincipals?: string[];
        deniedPermissions: string[];
        exceptionPermissions?: string[];
        denialCondition?: { expression: string; title?: string };
      };
    }>;
  }>;
  serviceAccounts?: Array<{
    email: string;
    projectId: string;
    uniqueId?: string;
    displayName?: string;
    disabled?: boolean;
  }>;
  lastUsed?: Array<{ member: string; lastUsed: string }>;
  errors?: Array<{ service?: string; operation: string; scope?: string; message: string }>;
}

/** `policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fp/denypolicies/x` → `projects/p` */
export function attachmentPointOf(name: string, file: string, path: string): string {
  const encoded = name.split('/')[1] ?? '';
  const decoded = decodeURIComponent(encoded);
  const m = /^cloudresourcemanager\.googleapis\.com\/((?:organizations|folders|projects)\/[^/]+)$/.exec(
    decoded,
  );
  if (!m)
    throw new IngestError(
      file,
      path,
      `deny policy attachment point "${decoded}" is not an organization, folder or project`,
    );
  return m[1] as string;
}

export function readGcpSnapshot(doc: unknown, file: string, inv: Inventory, roles: RoleCatalog): void {
  validator()(doc, file);
  const s = doc as Snap;
  inv.collectedAt ??= s.collectedAt;
  for (const o of s.organizations ?? [])
    inv.addContainer({
      ref: o.name,
      displayName: o.displayName ?? null,
      props: {
        ...(o.directoryCustomerId ? { directoryCustomerId: o.directoryCustomerId } : {}),
        // the organization's own domains: graph/findings/outsiders.ts tells members of others apart
        ...(o.domains ? { domains: o.domains.map((d) => d.toLowerCase()) } : {}),
      },
    });
  for (const f of s.folders ?? []) {
    inv.addContainer({ ref: f.name, displayName: f.displayName ?? null, props: {} });
    inv.setParent(f.name, f.parent, true);
  }
  for (const p of s.projects ?? []) {
    const ref = `projects/${p.projectId}`;
    inv.addContainer({ ref, displayName: p.displayName ?? null, props: {} });
    if (p.projectNumber) inv.projectNumberToId.set(p.projectNumber, p.projectId);
    if (p.parent) inv.setParent(ref, p.parent, true);
  }
  if (s.iamPolicies) readIamPolicySearch(s.iamPolicies, file, inv, '$.iamPolicies');
  for (const r of s.resources ?? []) {
    inv.addResource({
      fullName: r.name,
      assetType: r.assetType,
      displayName: r.displayName ?? null,
      ancestors: [r.parent],
      runsAs: (r.serviceAccounts ?? []).map((e) => e.toLowerCase()),
      props: {
        ...(r.location ? { location: r.location } : {}),
        ...(r.labels ? { labels: r.labels } : {}),
      },
    });
  }
  if (s.customRoles) readRoles(s.customRoles, file, roles, inv.warnings, '$.customRoles');
  for (const g of s.groups ?? []) {
    if (g.members.length === 0)
      inv.groups.set(g.email.toLowerCase(), inv.groups.get(g.email.toLowerCase()) ?? new Set());
    for (const m of g.members) inv.addGroupMember(g.email, m);
  }
  (s.denyPolicies ?? []).forEach((d, i) => {
    inv.denyPolicies.push({
      name: d.name,
      attachment: attachmentPointOf(d.name, file, `$.denyPolicies[${i}].name`),
      displayName: d.displayName ?? null,
      rules: d.rules.map((r) => ({
        deniedPrincipals: r.denyRule.deniedPrincipals,
        exceptionPrincipals: r.denyRule.exceptionPrincipals ?? [],
        deniedPermissions: r.denyRule.deniedPermissions,
        exceptionPermissions: r.denyRule.exceptionPermissions ?? [],
        denialCondition: r.denyRule.denialCondition ?? null,
        raw: r as unknown as JsonValue,
      })),
      where: { file, path: `$.denyPolicies[${i}]` },
    });
  });
  for (const sa of s.serviceAccounts ?? []) {
    const key = sa.email.toLowerCase();
    inv.serviceAccounts.set(key, {
      email: key,
      project: `projects/${sa.projectId}`,
      uniqueId: sa.uniqueId ?? null,
      props: {
        ...(sa.displayName ? { displayName: sa.displayName } : {}),
        ...(sa.disabled !== undefined ? { disabled: sa.disabled } : {}),
      },
    });
  }
  for (const u of s.lastUsed ?? []) inv.lastUsed.set(u.member, u.lastUsed);
  for (const e of s.errors ?? [])
    inv.warnings.push(
      `${file}: collection error in ${e.service ?? 'gcp'} ${e.operation}${e.scope ? ` (${e.scope})` : ''}: ${e.message}`,
    );
}
