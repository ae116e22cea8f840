/**
 * Ingester for the project's AWS snapshot format (docs/schema/aws-snapshot.schema.json):
 * one source per account (`aws:<accountId>`, the same as for a raw IAM export, enriched with
 * SCPs, RCPs and resources) plus one for the organization (`aws:org/<o-id>`: root, OUs,
 * accounts, SCP/RCP policy nodes and their attachments).
 */
import { readFileSync } from 'node:fs';
import type { JsonObject } from '../../graph/model.js';
import { packagePath } from '../../lib/package-root.js';
import { IngestError } from '../errors.js';
import { compileSchema } from '../schema-validate.js';
import { buildAll, handOver, type IngestedSource, type Ingester, type PlannedSource } from '../types.js';
import type { AccountEnvironment, OrgPolicyLevel, ResourceInput } from './account-environment.js';
import type { ActionCatalog } from './action-catalog.js';
import { readAuthorizationDetails } from './auth-details-input.js';
import { buildAccountGraph, fullCatalog, sharedCatalog } from './authorization-details.js';
import { type Policy, PolicyError, type PolicyKind, parsePolicy } from './eval/policy.js';
import { GraphBuilder } from './graph-builder.js';

export const AWS_SNAPSHOT_FORMAT = 'accessgraph-aws-snapshot';

interface RawOrgPolicy {
  id: string;
  name: string;
  arn?: string;
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  awsManaged?: boolean;
  document: unknown;
  targets: string[];
}
interface RawOrganization {
  id: string;
  arn?: string;
  managementAccountId: string;
  roots: Array<{ id: string; name?: string; arn?: string }>;
  organizationalUnits?: Array<{ id: string; name?: string; arn?: string; parentId: string }>;
  accounts: Array<{ id: string; name?: string; arn?: string; status?: string; parentId: string }>;
  policies?: RawOrgPolicy[];
}
interface RawResource extends Omit<ResourceInput, 'policy'> {
  policy?: unknown;
}
interface RawAccount {
  accountId: string;
  alias?: string;
  authorizationDetails: unknown;
  resources?: RawResource[];
  lastUsed?: Array<{ arn: string; passwordLastUsed?: string | null; accessKeysLastUsed?: string[] }>;
  serviceLastAccessed?: Array<{
    arn: string;
    services: Array<{
      namespace: string;
      lastAuthenticated?: string | null;
      lastAuthenticatedEntity?: string | null;
    }>;
  }>;
  errors?: Array<{ service: string; operation: string; region?: string; code?: string; message: string }>;
}
interface RawSnapshot {
  format: string;
  version: number;
  collectedAt: string;
  organization?: RawOrganization;
  accounts: RawAccount[];
  errors?: RawAccount['errors'];
}

let validate: ReturnType<typeof compileSchema> | undefined;
function validator() {
  validate ??= compileSchema(
    JSON.parse(readFileSync(packagePath('docs', 'schema', 'aws-snapshot.schema.json'), 'utf8')),
  );
  return validate;
}

export const awsSnapshotIngester: Ingester = {
  name: 'aws-snapshot',
  detect: (doc) =>
    typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === AWS_SNAPSHOT_FORMAT,
  ingest: async (docs) => buildAll(await awsSnapshotIngester.plan!(docs)),
  plan: async (docs) => {
    const out: PlannedSource[] = [];
    for (const { file, doc } of docs) out.push(...(await planAwsSnapshot(doc, file)));
    return out;
  },
};

function policyAt(doc: unknown, kind: PolicyKind, file: string, path: string): Policy {
  try {
    return parsePolicy(doc, kind, path);
  } catch (e) {
    if (e instanceof PolicyError) throw new IngestError(file, e.jsonPath, e.problem);
    throw e;
  }
}

/** Validate and build every source of one snapshot at once. */
export async function ingestAwsSnapshot(
  doc: unknown,
  file: string,
  options: { now?: Date } = {},
): Promise<IngestedSource[]> {
  return buildAll(await planAwsSnapshot(doc, file, options));
}

/**
 * Validate one snapshot completely (schema, every policy document, every account's IAM
 * data) and return its sources unbuilt: the organization first, then one per account, each
 * evaluated only when built. A planned account keeps its normalized input, not the raw
 * document, and lets go of it once built.
 */
export async function planAwsSnapshot(
  doc: unknown,
  file: string,
  options: { now?: Date } = {},
): Promise<PlannedSource[]> {
  validator()(doc, file);
  const snap = doc as RawSnapshot;
  const now = options.now ?? new Date();
  const org = snap.organization;
  const orgPolicies = (org?.policies ?? []).map((p, i) => ({
    raw: p,
    policy: policyAt(
      p.document,
      p.type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp',
      file,
      `$.organization.policies[${i}].document`,
    ),
  }));
  const parentOf = new Map<string, string>();
  for (const ou of org?.organizationalUnits ?? []) parentOf.set(ou.id, ou.parentId);
  for (const a of org?.accounts ?? []) parentOf.set(a.id, a.parentId);
  const known = new Set([...(org?.roots ?? []).map((r) => r.id), ...parentOf.keys()]);
  for (const [child, parent] of parentOf) {
    if (!known.has(parent)) {
      throw new IngestError(
        file,
        '$.organization',
        `${child} has parent ${parent}, which the organization does not list`,
      );
    }
  }

  /** root → … → account levels with the policies of one type attached at each */
  const levelsFor = (accountId: string, type: RawOrgPolicy['type']): OrgPolicyLevel[] => {
    const chain: string[] = [];
    for (let id: string | undefined = accountId; id; id = parentOf.get(id)) {
      chain.unshift(id);
      if (chain.length > 10) break; // Organizations nests at most five OU levels
    }
    return chain.map((level) => ({
      level,
      policies: orgPolicies
        .filter((p) => p.raw.type === type && p.raw.targets.includes(level))
        .map((p) => ({
          policyId: orgPolicyId(org as RawOrganization, p.raw),
          label: `${p.raw.name} (${type === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP'})`,
          policy: p.policy,
        })),
    }));
  };

  const catalog = await fullCatalog();
  const planned: PlannedSource[] = [];
  const seen = new Set<string>();
  const { collectedAt, errors } = snap;
  for (const [i, acct] of snap.accounts.entries()) {
    const base = `$.accounts[${i}]`;
    if (seen.has(acct.accountId))
      throw new IngestError(file, `${base}.accountId`, `account ${acct.accountId} appears twice`);
    seen.add(acct.accountId);
    let details: ReturnType<typeof readAuthorizationDetails>;
    try {
      details = readAuthorizationDetails(acct.authorizationDetails, file);
    } catch (e) {
      if (e instanceof IngestError) {
        throw new IngestError(file, `${base}.authorizationDetails${e.jsonPath.slice(1)}`, e.problem);
      }
      throw e;
    }
    if (details.accountId !== acct.accountId) {
      throw new IngestError(
        file,
        `${base}.accountId`,
        `says ${acct.accountId} but its IAM entities belong to ${details.accountId}`,
      );
    }
    const inOrg = org?.accounts.some((a) => a.id === acct.accountId) ?? false;
    const env: AccountEnvironment = {
      organizationId: inOrg && org ? org.id : null,
      managementAccountId: org?.managementAccountId ?? null,
      scpLevels: inOrg ? levelsFor(acct.accountId, 'SERVICE_CONTROL_POLICY') : [],
      rcpLevels: inOrg ? levelsFor(acct.accountId, 'RESOURCE_CONTROL_POLICY') : [],
      resources: (acct.resources ?? []).map((r, j) => ({
        ...r,
        policy:
          r.policy === undefined || r.policy === null
            ? null
            : policyAt(r.policy, 'resource', file, `${base}.resources[${j}].policy`),
      })),
    };
    // only what building needs: the raw account (its IAM document above all) is not kept
    const input: SnapshotAccountJob = {
      details,
      env,
      extras: {
        alias: acct.alias,
        errors: acct.errors,
        lastUsed: acct.lastUsed,
        serviceLastAccessed: acct.serviceLastAccessed,
      },
      base,
      file,
      now,
      collectedAt,
    };
    // closures below must not name `acct` or `snap`: they would keep the raw document alive
    const id = `aws:${acct.accountId}`;
    const take = handOver(id, input);
    planned.push({
      id,
      build: async () => buildSnapshotAccount(take(), catalog),
      job: () => ({ kind: 'aws-snapshot-account', payload: take() }),
    });
  }
  if (org) {
    const policies = orgPolicies.map((p) => p.raw);
    const withData = new Set(seen);
    planned.unshift({
      id: `aws:org/${org.id}`,
      build: async () => organizationSource(org, policies, withData, file, { collectedAt, errors }),
    });
  }
  return planned;
}

type AccountExtras = Pick<RawAccount, 'alias' | 'errors' | 'lastUsed' | 'serviceLastAccessed'>;

/** One snapshot account, validated and normalized: what building it needs, as plain data. */
export interface SnapshotAccountJob {
  details: ReturnType<typeof readAuthorizationDetails>;
  env: AccountEnvironment;
  extras: AccountExtras;
  /** the account's JSON path in its file, for messages */
  base: string;
  file: string;
  now: Date;
  collectedAt: string;
}

/** Build a planned snapshot account in a worker (ingest/build-jobs.ts). */
export async function buildSnapshotJob(job: SnapshotAccountJob): Promise<IngestedSource> {
  return buildSnapshotAccount(job, await sharedCatalog());
}

function buildSnapshotAccount(job: SnapshotAccountJob, catalog: ActionCatalog): IngestedSource {
  const { details, env, extras: acct, base, file, now, collectedAt } = job;
  const src = buildAccountGraph(details, file, catalog, now, env);
  src.warnings.push(
    ...(acct.errors ?? []).map(
      (e) =>
        `${file}: ${base}: collection error in ${e.service} ${e.operation}${e.region ? ` (${e.region})` : ''}: ${e.message}`,
    ),
  );
  applyLastUsed(src, acct);
  if (acct.alias) {
    const node = src.nodes.find((n) => n.kind === 'Account');
    if (node) node.props = { ...node.props, alias: acct.alias };
  }
  src.descriptor.meta = {
    ...src.descriptor.meta,
    format: AWS_SNAPSHOT_FORMAT,
    collectedAt,
  };
  return src;
}

function orgPolicyId(org: RawOrganization, p: RawOrgPolicy): string {
  return p.arn ?? `arn:aws:organizations::${org.managementAccountId}:policy/${org.id}/${p.id}`;
}

function applyLastUsed(
  src: IngestedSource,
  acct: Pick<RawAccount, 'lastUsed' | 'serviceLastAccessed'>,
): void {
  // node ids are unique within a source; a lookup per row instead of a scan per row
  const byId = new Map(src.nodes.map((n) => [n.id, n]));
  for (const row of acct.lastUsed ?? []) {
    const node = byId.get(row.arn);
    if (!node) continue;
    const props: JsonObject = { ...node.props };
    if (row.passwordLastUsed !== undefined) props.passwordLastUsed = row.passwordLastUsed;
    if (row.accessKeysLastUsed) props.accessKeysLastUsed = row.accessKeysLastUsed;
    const dates = [row.passwordLastUsed, ...(row.accessKeysLastUsed ?? [])]
      .filter((d): d is string => !!d)
      .sort();
    if (dates.length > 0) props.lastUsed = dates[dates.length - 1] ?? null;
    node.props = props;
  }
  // Findings read `servicesLastAccessed` (graph/findings/dormant.ts, unused-permissions).
  for (const row of acct.serviceLastAccessed ?? []) {
    const node = byId.get(row.arn);
    if (!node) continue;
    node.props = {
      ...node.props,
      servicesLastAccessed: row.services.map((sv) => ({
        namespace: sv.namespace.toLowerCase(),
        lastAccessed: sv.lastAuthenticated ?? null,
      })),
    };
  }
}

function organizationSource(
  org: RawOrganization,
  policies: RawOrgPolicy[],
  accountsWithData: Set<string>,
  file: string,
  snap: Pick<RawSnapshot, 'collectedAt' | 'errors'>,
): IngestedSource {
  const g = new GraphBuilder(`aws:org/${org.id}`);
  const mgmt = org.managementAccountId;
  const orgNode = org.arn ?? `arn:aws:organizations::${mgmt}:organization/${org.id}`;
  const idOf = new Map<string, string>();
  g.node({
    id: orgNode,
    kind: 'Organization',
    name: org.id,
    type: 'aws:organization',
    props: { managementAccountId: mgmt },
  });
  for (const r of org.roots) {
    const id = r.arn ?? `arn:aws:organizations::${mgmt}:root/${org.id}/${r.id}`;
    idOf.set(r.id, id);
    g.node({ id, kind: 'OrgUnit', name: r.name ?? 'Root', type: 'aws:root', props: { orgId: r.id } });
    g.edge({ kind: 'CONTAINS', from: orgNode, to: id, via: null, props: {} });
  }
  for (const ou of org.organizationalUnits ?? []) {
    const id = ou.arn ?? `arn:aws:organizations::${mgmt}:ou/${org.id}/${ou.id}`;
    idOf.set(ou.id, id);
    g.node({
      id,
      kind: 'OrgUnit',
      name: ou.name ?? ou.id,
      type: 'aws:organizational-unit',
      props: { orgId: ou.id },
    });
  }
  for (const a of org.accounts) {
    const id = `arn:aws:iam::${a.id}:root`;
    idOf.set(a.id, id);
    // Accounts with IAM data get their node from their own source; the others are defined here.
    if (!accountsWithData.has(a.id)) {
      g.node({
        id,
        kind: 'Account',
        name: a.name ?? a.id,
        type: 'aws:account',
        props: { accountId: a.id, status: a.status ?? null, management: a.id === mgmt, inventoried: false },
      });
    }
  }
  for (const ou of org.organizationalUnits ?? []) {
    g.edge({
      kind: 'CONTAINS',
      from: idOf.get(ou.parentId) ?? '',
      to: idOf.get(ou.id) ?? '',
      via: null,
      props: {},
    });
  }
  for (const a of org.accounts) {
    g.edge({
      kind: 'CONTAINS',
      from: idOf.get(a.parentId) ?? '',
      to: idOf.get(a.id) ?? '',
      via: null,
      props: {},
    });
  }
  for (const p of policies) {
    const id = orgPolicyId(org, p);
    g.node({
      id,
      kind: 'Policy',
      name: p.name,
      type: p.type === 'SERVICE_CONTROL_POLICY' ? 'aws:scp' : 'aws:rcp',
      props: {
        policyId: p.id,
        awsManaged: p.awsManaged ?? false,
        document: parsePolicy(p.document, p.type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp').raw,
      },
    });
    for (const t of p.targets) {
      const to = idOf.get(t);
      if (to)
        g.edge({
          kind: 'ATTACHED_TO',
          from: id,
          to,
          via: null,
          props: { as: p.type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp' },
        });
    }
  }
  return {
    descriptor: {
      id: `aws:org/${org.id}`,
      cloud: 'aws',
      meta: { input: file, format: AWS_SNAPSHOT_FORMAT, collectedAt: snap.collectedAt },
    },
    nodes: [...g.nodes.values()],
    edges: [...g.edges.values()],
    warnings: (snap.errors ?? []).map(
      (e) => `${file}: collection error in ${e.service} ${e.operation}: ${e.message}`,
    ),
  };
}
