/**
 * The naive way to answer "who can do ACTION on RESOURCE": for every IAM user and role of
 * the organization, gather the policies AWS would evaluate for its request (identity
 * policies, its groups' policies, permission boundary, the SCPs from the root to its
 * account, the RCPs above the resource's account, the resource policy) and run one
 * simulation each with @cloud-copilot/iam-simulate.
 *
 * It exists only for the benchmark's speed comparison. iam-simulate is AGPL and a
 * devDependency: import this file only from bench/ and tests, never from runtime code.
 *
 * It reads the same parsed input documents `accessgraph ingest` reads (raw
 * `get-account-authorization-details` exports and the project's AWS snapshot). A
 * per-principal simulation sees one request only, so it cannot find access reached by
 * assuming a role or by privilege escalation: those are what the graph adds.
 */
import { runSimulation, type Simulation, type SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import type { InputDoc } from '../ingest/read-inputs.js';

type Json = Record<string, unknown>;
type NamedPolicy = { name: string; policy: unknown };

export interface NaivePrincipal {
  arn: string;
  kind: 'User' | 'Role';
  accountId: string;
  identityPolicies: NamedPolicy[];
  boundary: NamedPolicy | null;
}

export interface NaiveResource {
  arn: string;
  accountId: string;
  region: string | null;
  policy: unknown | null;
  /** S3 Block Public Access "RestrictPublicBuckets", which iam-simulate takes from its caller */
  restrictPublicBuckets: boolean;
}

export interface NaiveOrg {
  principals: NaivePrincipal[];
  resources: Map<string, NaiveResource>;
  /** SCP levels (root first, account last) per member account; absent: no SCPs apply */
  scpLevels: Map<string, SimulationOrgPolicies[]>;
  rcpLevels: Map<string, SimulationOrgPolicies[]>;
  /** managed policies an entity names but no export carries; such a policy is left out */
  missingPolicies: Set<string>;
}

export interface NaiveQuery {
  action: string;
  /** the resource the question is about (a graph Resource id, i.e. its ARN) */
  resourceArn: string;
  /** the ARN the request names, when it differs (s3:GetObject names an object in the bucket) */
  requestResource?: string;
  /** request context for every simulation, e.g. aws:RequestedRegion, aws:SecureTransport */
  context?: Record<string, string | string[]>;
}

export interface NaiveResult {
  simulated: number;
  allowed: string[];
  explicitlyDenied: number;
  implicitlyDenied: number;
  /** simulations iam-simulate refused (invalid policy or request); their principals count as not allowed */
  errors: number;
  firstError: string | null;
}

/** Policy documents in IAM exports are objects, or URL-encoded JSON text when fetched through the raw API. */
function policyDoc(d: unknown): unknown {
  if (typeof d !== 'string') return d;
  return JSON.parse(d.trimStart().startsWith('{') ? d : decodeURIComponent(d));
}

const accountOfArn = (arn: string) => arn.split(':')[4] ?? '';
const asArray = (x: unknown): Json[] => (Array.isArray(x) ? (x as Json[]) : []);

function isAuthDetails(d: unknown): d is Json {
  return typeof d === 'object' && d !== null && ('UserDetailList' in d || 'RoleDetailList' in d);
}

/** Levels from the organization root down to `target` (an account id), each with the policies attached there. */
function orgLevels(org: Json, type: string, target: string): SimulationOrgPolicies[] {
  const parent = new Map<string, string>();
  for (const ou of asArray(org.organizationalUnits)) parent.set(ou.id as string, ou.parentId as string);
  for (const a of asArray(org.accounts)) parent.set(a.id as string, a.parentId as string);
  const chain: string[] = [];
  for (let at: string | undefined = target; at !== undefined; at = parent.get(at)) chain.unshift(at);
  const policies = asArray(org.policies).filter((p) => p.type === type);
  return chain.map((id) => ({
    orgIdentifier: id,
    policies: policies
      .filter((p) => (p.targets as string[]).includes(id))
      .map((p) => ({ name: p.name as string, policy: policyDoc(p.document) })),
  }));
}

function addAccount(org: NaiveOrg, details: Json, fallbackAccount: string | null): void {
  const managed = new Map<string, unknown>();
  for (const p of asArray(details.Policies)) {
    const v = asArray(p.PolicyVersionList).find((x) => x.IsDefaultVersion === true);
    if (v) managed.set(p.Arn as string, policyDoc(v.Document));
  }
  const attachedOf = (e: Json): NamedPolicy[] =>
    asArray(e.AttachedManagedPolicies).flatMap((a) => {
      const arn = a.PolicyArn as string;
      const policy = managed.get(arn);
      if (policy === undefined) {
        org.missingPolicies.add(arn);
        return [];
      }
      return [{ name: arn, policy }];
    });
  const inlineOf = (e: Json, list: string, owner: string): NamedPolicy[] =>
    asArray(e[list]).map((p) => ({
      name: `${owner}#inline/${p.PolicyName as string}`,
      policy: policyDoc(p.PolicyDocument),
    }));
  const boundaryOf = (e: Json): NamedPolicy | null => {
    const arn = (e.PermissionsBoundary as Json | undefined)?.PermissionsBoundaryArn as string | undefined;
    if (!arn) return null;
    const policy = managed.get(arn);
    if (policy === undefined) {
      org.missingPolicies.add(arn);
      return null;
    }
    return { name: arn, policy };
  };
  const groups = new Map<string, NamedPolicy[]>();
  for (const g of asArray(details.GroupDetailList)) {
    groups.set(g.GroupName as string, [...inlineOf(g, 'GroupPolicyList', g.Arn as string), ...attachedOf(g)]);
  }
  for (const u of asArray(details.UserDetailList)) {
    const arn = u.Arn as string;
    org.principals.push({
      arn,
      kind: 'User',
      accountId: fallbackAccount ?? accountOfArn(arn),
      identityPolicies: [
        ...inlineOf(u, 'UserPolicyList', arn),
        ...attachedOf(u),
        ...((u.GroupList as string[] | undefined) ?? []).flatMap((g) => groups.get(g) ?? []),
      ],
      boundary: boundaryOf(u),
    });
  }
  for (const r of asArray(details.RoleDetailList)) {
    const arn = r.Arn as string;
    org.principals.push({
      arn,
      kind: 'Role',
      accountId: fallbackAccount ?? accountOfArn(arn),
      identityPolicies: [...inlineOf(r, 'RolePolicyList', arn), ...attachedOf(r)],
      boundary: boundaryOf(r),
    });
  }
}

/** Index the principals, resources and organization policies of parsed `ingest` inputs (AWS only). */
export function naiveOrgFromInputs(docs: readonly InputDoc[]): NaiveOrg {
  const org: NaiveOrg = {
    principals: [],
    resources: new Map(),
    scpLevels: new Map(),
    rcpLevels: new Map(),
    missingPolicies: new Set(),
  };
  for (const { doc } of docs) {
    if (isAuthDetails(doc)) {
      addAccount(org, doc, null);
      continue;
    }
    const snap = doc as Json;
    if (snap?.format !== 'accessgraph-aws-snapshot') continue;
    const o = snap.organization as Json | null | undefined;
    if (o) {
      // SCPs never restrict the management account (AWS Organizations docs)
      for (const a of asArray(o.accounts)) {
        const id = a.id as string;
        if (id === o.managementAccountId) continue;
        org.scpLevels.set(id, orgLevels(o, 'SERVICE_CONTROL_POLICY', id));
        org.rcpLevels.set(id, orgLevels(o, 'RESOURCE_CONTROL_POLICY', id));
      }
    }
    for (const a of asArray(snap.accounts)) {
      const accountId = a.accountId as string;
      addAccount(org, a.authorizationDetails as Json, accountId);
      for (const r of asArray(a.resources)) {
        const pab = r.publicAccessBlock as Json | undefined;
        org.resources.set(r.arn as string, {
          arn: r.arn as string,
          accountId,
          region: (r.region as string | undefined) ?? null,
          policy: r.policy == null ? null : policyDoc(r.policy),
          restrictPublicBuckets: pab?.RestrictPublicBuckets === true,
        });
      }
    }
  }
  return org;
}

/** Simulate every user and role of `org` making the request `q`; the principals iam-simulate allows. */
export async function naiveWhoCan(org: NaiveOrg, q: NaiveQuery): Promise<NaiveResult> {
  const res = org.resources.get(q.resourceArn);
  const resourceAccount = res?.accountId ?? accountOfArn(q.resourceArn);
  const result: NaiveResult = {
    simulated: 0,
    allowed: [],
    explicitlyDenied: 0,
    implicitlyDenied: 0,
    errors: 0,
    firstError: null,
  };
  for (const p of org.principals) {
    const sim: Simulation = {
      request: {
        principal: p.arn,
        action: q.action,
        resource: { resource: q.requestResource ?? q.resourceArn, accountId: resourceAccount },
        contextVariables: q.context ?? {},
      },
      identityPolicies: p.identityPolicies,
      serviceControlPolicies: org.scpLevels.get(p.accountId) ?? [],
      resourceControlPolicies: org.rcpLevels.get(resourceAccount) ?? [],
    };
    if (p.boundary) sim.permissionBoundaryPolicies = [p.boundary];
    if (res?.policy) sim.resourcePolicy = res.policy;
    if (res?.restrictPublicBuckets) sim.additionalSettings = { s3: { blockPublicAccess: true } };
    const r = await runSimulation(sim, { simulationMode: 'Strict' });
    result.simulated++;
    if (r.resultType === 'error') {
      result.errors++;
      result.firstError ??= `${p.arn}: ${r.errors.message}`;
    } else if (r.overallResult === 'Allowed') result.allowed.push(p.arn);
    else if (r.overallResult === 'ExplicitlyDenied') result.explicitlyDenied++;
    else result.implicitlyDenied++;
  }
  return result;
}
