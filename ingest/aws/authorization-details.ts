/**
 * Ingester for the raw output of `aws iam get-account-authorization-details --output json`.
 *
 * One export is one source, `aws:<accountId>`. Nodes: the Account, its users, groups, roles,
 * policies (managed, inline, trust), the resources and resource patterns grants name, and
 * External nodes for whoever outside the account a trust policy lets in.
 *
 * Edges (DESIGN.md, "Do not let edges explode"):
 * - MEMBER_OF user → group; ATTACHED_TO policy → user/group/role (`props.as`: permissions,
 *   boundary, inline, trust); CONTAINS account → its IAM entities and resources, pattern →
 *   the known nodes it matches.
 * - HAS_ACCESS holder → scope, one per (holder, policy statement, Resource entry). A group's
 *   grants sit on the group. A member whose own restrictions (boundary, denies of the user or
 *   its other groups, principal-specific policy variables or conditions) change any of the
 *   group's grants gets its own copies of all that group's grants (`props.inheritedFrom`), and
 *   its MEMBER_OF edge carries `props.grantsMaterialized: true`: queries must not take the
 *   group's HAS_ACCESS edges through that MEMBER_OF edge.
 * - CAN_ASSUME caller → role after trust + identity + boundary evaluation (`technique: 'sts-001'`);
 *   External → role for trusted outsiders (`externalIdRequired`, `trustedAccount`).
 * - CAN_ESCALATE principal → what a privilege-escalation technique gains it, and
 *   `adminEquivalent` on grants of everything (escalation/, docs/aws-escalation.md).
 */
import type { JsonObject, JsonValue } from '../../graph/model.js';
import { WildcardIndex } from '../../lib/wildcard-index.js';
import { IngestError } from '../errors.js';
import { buildAll, handOver, type IngestedSource, type Ingester, type PlannedSource } from '../types.js';
import type { AccountEnvironment } from './account-environment.js';
import { ActionCatalog } from './action-catalog.js';
import {
  type AuthorizationDetails,
  isAuthorizationDetails,
  type ManagedPolicyDetail,
  readAuthorizationDetails,
} from './auth-details-input.js';
import { emitAccessEdge } from './emit-access.js';
import { externalTrustProps } from './escalation/external-trust.js';
import { ASSUME_TECHNIQUE } from './escalation/techniques.js';
import { addEscalations } from './escalation/wire.js';
import type { NamedPolicy } from './eval/decide.js';
import type { Policy } from './eval/policy.js';
import { rcpScoped } from './eval/rcp-scope.js';
import { actionMatches } from './eval/statement.js';
import { GrantMemo } from './grant-memo.js';
import {
  type EffectiveGrant,
  type PolicyAttachment,
  type Restrictions,
  sameGrants,
  statementsOf,
} from './grants.js';
import { GraphBuilder } from './graph-builder.js';
import { type KnownPrincipal, requestPrincipalOf } from './principal-context.js';
import { addResources, resourcePolicyDenies } from './resource-grants.js';
import { s3ResourceTypeOf } from './scope.js';
import { type Caller, canAssume, outsideTrusts, trustNamesAccountOrPrincipal } from './trust.js';

export interface AuthorizationDetailsOptions {
  /** "now" for date conditions (aws:CurrentTime); defaults to the time of the ingest */
  now?: Date;
}

export const awsAuthorizationDetailsIngester: Ingester = {
  name: 'aws-authorization-details',
  detect: (doc) => isAuthorizationDetails(doc),
  ingest: async (docs) => buildAll(await planAuthorizationDetails(docs)),
  plan: (docs) => planAuthorizationDetails(docs),
};

/** Read and check every export (one account each, never twice); evaluate each when built. */
async function planAuthorizationDetails(
  docs: ReadonlyArray<{ file: string; doc: unknown }>,
  options: AuthorizationDetailsOptions = {},
): Promise<PlannedSource[]> {
  const catalog = await fullCatalog();
  const now = options.now ?? new Date();
  const seen = new Map<string, string>();
  return docs.map(({ file, doc }) => {
    const details = readAuthorizationDetails(doc, file);
    const id = `aws:${details.accountId}`;
    const first = seen.get(id);
    if (first) throw new IngestError(file, '$', `account already loaded from ${first} in this run (${id})`);
    seen.set(id, file);
    const take = handOver<AuthorizationDetailsJob>(id, { details, file, now });
    return {
      id,
      build: async () => {
        const job = take();
        return buildAccountGraph(job.details, job.file, catalog, job.now);
      },
      job: () => ({ kind: 'aws-authorization-details', payload: take() }),
    };
  });
}

/** One raw export, validated: what building it needs, as plain data. */
export interface AuthorizationDetailsJob {
  details: AuthorizationDetails;
  file: string;
  now: Date;
}

/** Build a planned raw export in a worker (ingest/build-jobs.ts). */
export async function buildAuthorizationDetailsJob(job: AuthorizationDetailsJob): Promise<IngestedSource> {
  return buildAccountGraph(job.details, job.file, await sharedCatalog(), job.now);
}

export async function ingestAuthorizationDetails(
  doc: unknown,
  file: string,
  options: AuthorizationDetailsOptions = {},
): Promise<IngestedSource> {
  const [planned] = await planAuthorizationDetails([{ file, doc }], options);
  return (planned as PlannedSource).build();
}

/**
 * Every service: admin-equivalence means "every action AWS defines", and the escalation
 * administrator node lists them all (escalation/admin-node.ts).
 */
export async function fullCatalog(): Promise<ActionCatalog> {
  const catalog = new ActionCatalog();
  await catalog.load(['*']);
  return catalog;
}

/**
 * One catalog for every job a worker thread builds (ingest/build-jobs.ts), as planning shares
 * one across the accounts it plans: loading it is seconds, and its expansions are memoized.
 */
let jobCatalog: Promise<ActionCatalog> | undefined;
export function sharedCatalog(): Promise<ActionCatalog> {
  jobCatalog ??= fullCatalog();
  return jobCatalog;
}

const tagsProp = (tags: ReadonlyArray<{ key: string; value: string }>): JsonObject =>
  Object.fromEntries(tags.map((t) => [t.key, t.value]));

/** Build one account's source; `env` adds what the snapshot format knows (organization, resources). */
export function buildAccountGraph(
  d: AuthorizationDetails,
  file: string,
  catalog: ActionCatalog,
  now: Date,
  env?: AccountEnvironment,
): IngestedSource {
  const sourceId = `aws:${d.accountId}`;
  const g = new GraphBuilder(sourceId);
  const warnings = [...d.warnings];
  const accountNode = `arn:${d.partition}:iam::${d.accountId}:root`;
  g.node({
    id: accountNode,
    kind: 'Account',
    name: d.accountId,
    type: 'aws:account',
    props: { accountId: d.accountId },
  });

  // Organization guardrails (snapshot format only): SCPs bind every principal of a member
  // account except service-linked roles; RCP denies bind every request on its resources.
  const orgId = env ? env.organizationId : undefined;
  const isManagement = !!env && env.managementAccountId === d.accountId;
  const scpLevelsFor = (serviceLinked: boolean) =>
    env?.organizationId && !isManagement && !serviceLinked && env.scpLevels.length > 0
      ? env.scpLevels
      : undefined;
  const rcpDenies =
    env && !isManagement
      ? env.rcpLevels.flatMap((l) =>
          statementsOf(l.policies, 'Deny').flatMap(({ att, st }) => {
            const scoped = rcpScoped(st, catalog);
            return scoped ? [{ att, st: scoped }] : [];
          }),
        )
      : [];
  const guardrails =
    env?.organizationId && env.scpLevels.length > 0
      ? {
          scpLevels: env.scpLevels.map((l) => ({
            id: l.level,
            policies: l.policies.map((a) => ({ id: a.policyId, name: a.label, policy: a.policy })),
          })),
          managementAccountId: env.managementAccountId,
        }
      : undefined;

  // Policies
  const managed = new Map<string, ManagedPolicyDetail>(d.policies.map((p) => [p.arn, p]));
  const managedAtt = (arn: string, name: string, where: string): PolicyAttachment | null => {
    const p = managed.get(arn);
    const awsManaged = arn.includes(':iam::aws:policy/');
    if (!p?.policy) {
      warnings.push(
        `${file}: ${where} is attached to ${arn}, which the export does not include; it is skipped`,
      );
      return null;
    }
    return {
      policyId: arn,
      label: `${name} (${awsManaged ? 'AWS managed' : 'customer managed'} policy)`,
      policy: p.policy,
    };
  };
  for (const p of d.policies) {
    const awsManaged = p.arn.includes(':iam::aws:policy/');
    g.node({
      id: p.arn,
      kind: 'Policy',
      name: p.name,
      type: awsManaged ? 'aws:aws-managed-policy' : 'aws:managed-policy',
      props: {
        path: p.path,
        defaultVersionId: p.defaultVersionId,
        attachmentCount: p.attachmentCount,
        document: p.policy ? p.policy.raw : null,
      },
    });
    if (!awsManaged) g.edge({ kind: 'CONTAINS', from: accountNode, to: p.arn, via: null, props: {} });
  }
  const inlineAtt = (owner: string, name: string, policy: Policy): PolicyAttachment => {
    const id = `${owner}#inline/${name}`;
    g.node({ id, kind: 'Policy', name, type: 'aws:inline-policy', props: { owner, document: policy.raw } });
    g.edge({ kind: 'ATTACHED_TO', from: id, to: owner, via: null, props: { as: 'inline' } });
    return { policyId: id, label: `${name} (inline policy)`, policy };
  };
  const attach = (att: PolicyAttachment | null, to: string, as: string) => {
    if (att)
      g.edge({ kind: 'ATTACHED_TO', from: att.policyId, to, via: null, props: { as }, discriminator: as });
    return att;
  };

  // Principals and their policies
  const groupByName = new Map(d.groups.map((x) => [x.name, x]));
  const groupAtts = new Map<string, PolicyAttachment[]>();
  for (const grp of d.groups) {
    g.node({
      id: grp.arn,
      kind: 'Group',
      name: grp.name,
      type: 'aws:iam-group',
      props: { path: grp.path, groupId: grp.id, createdAt: grp.createDate },
    });
    g.edge({ kind: 'CONTAINS', from: accountNode, to: grp.arn, via: null, props: {} });
    const atts = [
      ...grp.inline.map((i) => inlineAtt(grp.arn, i.name, i.policy)),
      ...grp.attached.map((a) => attach(managedAtt(a.arn, a.name, grp.arn), grp.arn, 'permissions')),
    ].filter((a): a is PolicyAttachment => a !== null);
    groupAtts.set(grp.arn, atts);
  }

  interface PrincipalInfo {
    known: KnownPrincipal;
    own: PolicyAttachment[];
    groups: string[];
    boundary: PolicyAttachment | null;
  }
  const principals: PrincipalInfo[] = [];
  /** user → groups whose grants it reaches by travelling MEMBER_OF (not materialized) */
  const travelsThrough = new Map<string, string[]>();
  for (const u of d.users) {
    const boundary = u.boundaryArn
      ? attach(managedAtt(u.boundaryArn, 'boundary', u.arn), u.arn, 'boundary')
      : null;
    g.node({
      id: u.arn,
      kind: 'User',
      name: u.name,
      type: 'aws:iam-user',
      props: {
        path: u.path,
        userId: u.id,
        createdAt: u.createDate,
        tags: tagsProp(u.tags),
        permissionsBoundary: u.boundaryArn,
      },
    });
    g.edge({ kind: 'CONTAINS', from: accountNode, to: u.arn, via: null, props: {} });
    const groups: string[] = [];
    for (const name of u.groups) {
      const grp = groupByName.get(name);
      if (!grp) {
        warnings.push(`${file}: user ${u.name} is in group ${name}, which the export does not list`);
        continue;
      }
      groups.push(grp.arn);
    }
    principals.push({
      known: {
        kind: 'user',
        arn: u.arn,
        accountId: d.accountId,
        name: u.name,
        uniqueId: u.id,
        tags: u.tags,
        orgId,
      },
      own: [
        ...u.inline.map((i) => inlineAtt(u.arn, i.name, i.policy)),
        ...u.attached.map((a) => attach(managedAtt(a.arn, a.name, u.arn), u.arn, 'permissions')),
      ].filter((a): a is PolicyAttachment => a !== null),
      groups,
      boundary,
    });
  }
  const trusts = new Map<string, NamedPolicy>();
  for (const r of d.roles) {
    const boundary = r.boundaryArn
      ? attach(managedAtt(r.boundaryArn, 'boundary', r.arn), r.arn, 'boundary')
      : null;
    const serviceLinked = r.path.startsWith('/aws-service-role/');
    g.node({
      id: r.arn,
      kind: 'Role',
      name: r.name,
      type: serviceLinked ? 'aws:service-linked-role' : 'aws:iam-role',
      props: {
        path: r.path,
        roleId: r.id,
        createdAt: r.createDate,
        lastUsed: r.lastUsed,
        lastUsedRegion: r.lastUsedRegion,
        tags: tagsProp(r.tags),
        instanceProfiles: r.instanceProfiles,
        permissionsBoundary: r.boundaryArn,
        maxSessionDuration: r.maxSessionDuration,
      },
    });
    g.edge({ kind: 'CONTAINS', from: accountNode, to: r.arn, via: null, props: {} });
    if (r.trust) {
      const id = `${r.arn}#trust`;
      g.node({
        id,
        kind: 'Policy',
        name: `${r.name} trust policy`,
        type: 'aws:trust-policy',
        props: { owner: r.arn, document: r.trust.raw },
      });
      g.edge({ kind: 'ATTACHED_TO', from: id, to: r.arn, via: null, props: { as: 'trust' } });
      trusts.set(r.arn, { id, name: `${r.name} trust policy`, policy: r.trust });
    }
    principals.push({
      known: {
        kind: 'role',
        arn: r.arn,
        accountId: d.accountId,
        name: r.name,
        uniqueId: r.id,
        tags: r.tags,
        serviceLinked,
        orgId,
      },
      own: [
        ...r.inline.map((i) => inlineAtt(r.arn, i.name, i.policy)),
        ...r.attached.map((a) => attach(managedAtt(a.arn, a.name, r.arn), r.arn, 'permissions')),
      ].filter((a): a is PolicyAttachment => a !== null),
      groups: [],
      boundary,
    });
  }

  // Grants
  const buckets = new Set(env?.resources.filter((r) => r.type === 's3:bucket').map((r) => r.arn) ?? []);
  const emitGrant = (holder: string, gr: EffectiveGrant, inheritedFrom: string | null) =>
    emitAccessEdge(
      g,
      catalog,
      { accountNode, accountId: d.accountId, buckets },
      holder,
      gr,
      inheritedFrom ? { inheritedFrom } : {},
    );

  // Denies of the account's resource policies bind the identity grants of whom they name.
  const resourceDenies = resourcePolicyDenies(env?.resources ?? []);
  const everyoneDenies = resourceDenies.filter((d) => d.everyone).map((d) => d.ref);
  const resourceDeniesOf = (known: KnownPrincipal, hasBoundary: boolean) => {
    const request = requestPrincipalOf(known);
    return resourceDenies.filter((d) => d.applies(request, hasBoundary)).map((d) => d.ref);
  };
  const groupDenies = (arn: string) => statementsOf(groupAtts.get(arn) ?? [], 'Deny');
  const groupGrants = new Map<string, EffectiveGrant[]>();
  const memo = new GrantMemo(catalog, now);
  for (const grp of d.groups) {
    const known: KnownPrincipal = { kind: 'group-member', arn: grp.arn, accountId: d.accountId, orgId };
    const grants = memo.grants(known, groupAtts.get(grp.arn) ?? [], {
      denies: [...groupDenies(grp.arn), ...rcpDenies, ...everyoneDenies],
      boundary: null,
      scpLevels: scpLevelsFor(false),
    });
    groupGrants.set(grp.arn, grants);
    for (const gr of grants) emitGrant(grp.arn, gr, null);
  }

  // Trust callers are grant holders too: a group whose policies allow sts:AssumeRole is the
  // CAN_ASSUME source for its members (paths go MEMBER_OF → CAN_ASSUME), unless a member's own
  // restrictions set it apart (then that member is evaluated with everything that reaches it).
  const named = (a: PolicyAttachment): NamedPolicy => ({ id: a.policyId, name: a.label, policy: a.policy });
  const denyOnly = (a: PolicyAttachment): NamedPolicy => ({
    ...named(a),
    policy: { ...a.policy, statements: a.policy.statements.filter((st) => st.effect === 'Deny') },
  });
  const callers: Caller[] = d.groups.map((grp) => ({
    known: { kind: 'group-member', arn: grp.arn, accountId: d.accountId, orgId },
    identity: (groupAtts.get(grp.arn) ?? []).map(named),
    boundary: null,
  }));
  for (const p of principals) {
    const materialized = new Set<string>();
    const allAtts = [...p.own, ...p.groups.flatMap((x) => groupAtts.get(x) ?? [])];
    const restrictions: Restrictions = {
      denies: [
        ...statementsOf(allAtts, 'Deny'),
        ...rcpDenies,
        ...resourceDeniesOf(p.known, p.boundary !== null),
      ],
      boundary: p.boundary,
      scpLevels: scpLevelsFor(p.known.serviceLinked === true),
    };
    for (const gr of memo.grants(p.known, p.own, restrictions)) emitGrant(p.known.arn, gr, null);
    for (const grpArn of p.groups) {
      const mine = memo.grants(p.known, groupAtts.get(grpArn) ?? [], restrictions);
      const same = sameGrants(mine, groupGrants.get(grpArn) ?? []);
      g.edge({
        kind: 'MEMBER_OF',
        from: p.known.arn,
        to: grpArn,
        via: null,
        props: same ? {} : { grantsMaterialized: true },
      });
      if (!same) {
        materialized.add(grpArn);
        for (const gr of mine) emitGrant(p.known.arn, gr, grpArn);
      }
    }
    travelsThrough.set(
      p.known.arn,
      p.groups.filter((x) => !materialized.has(x)),
    );
    callers.push({
      known: p.known,
      identity: [
        ...p.own.map(named),
        ...p.groups.flatMap((x) => (groupAtts.get(x) ?? []).map(materialized.has(x) ? named : denyOnly)),
      ],
      boundary: p.boundary ? named(p.boundary) : null,
    });
  }

  // Trust: who can become each role
  const mayAssume = new Map(
    callers.map((c) => [
      c.known.arn,
      c.identity.some((p) =>
        p.policy.statements.some(
          (st) =>
            st.effect === 'Allow' &&
            (st.action
              ? actionMatches(st.action, 'sts:AssumeRole')
              : !actionMatches(st.notAction ?? [], 'sts:AssumeRole')),
        ),
      ),
    ]),
  );
  for (const r of d.roles) {
    const trust = trusts.get(r.arn);
    if (!trust) continue;
    for (const c of callers) {
      if (c.known.arn === r.arn) continue;
      const named = trustNamesAccountOrPrincipal(trust.policy, d.accountId, c.known.arn);
      if (!named) continue;
      // A trust naming only the account needs the caller's own sts:AssumeRole allow: skip the
      // many callers without one before running the full evaluation.
      if (named === 'account' && !mayAssume.get(c.known.arn)) continue;
      const res = canAssume(c, { arn: r.arn, accountId: d.accountId }, trust, now, guardrails);
      if (!res) continue;
      const decisiveTrust = res.decision.decisive.find((s) => s.policyType === 'resource');
      g.edge({
        kind: 'CAN_ASSUME',
        from: c.known.arn,
        to: r.arn,
        via: {
          ref: trust.id,
          label: trust.name,
          statement: decisiveTrust?.statement ?? null,
          excerpt: (decisiveTrust?.excerpt ?? null) as JsonValue,
        },
        props: {
          conditional: res.conditional,
          conditions: res.conditional ? res.conditions : null,
          technique: ASSUME_TECHNIQUE,
        },
      });
    }
    for (const o of outsideTrusts(trust.policy, d.accountId, now)) {
      g.node({
        id: o.id,
        kind: 'External',
        name: o.kind === 'account' ? `AWS account ${o.accountId}` : externalName(o.id, o.kind),
        type: `aws:${o.kind}`,
        props: o.accountId ? { external: o.kind, accountId: o.accountId } : { external: o.kind },
      });
      g.edge({
        kind: 'CAN_ASSUME',
        from: o.id,
        to: r.arn,
        via: {
          ref: trust.id,
          label: trust.name,
          statement: o.statement.sid ?? o.statement.index,
          excerpt: o.statement.raw as JsonValue,
        },
        props: {
          conditional: o.conditional,
          conditions: o.conditional ? o.conditions : null,
          // the outsider's own account must also allow sts:AssumeRole; we cannot see its policies
          crossAccount: o.kind === 'account' || o.kind === 'principal' || o.kind === 'public',
          ...externalTrustProps(o.id, o.kind, o.statement),
        },
        discriminator: String(o.statement.sid ?? o.statement.index),
      });
    }
  }

  if (env) {
    addResources(g, env.resources, {
      accountId: d.accountId,
      accountNode,
      buckets,
      catalog,
      now,
      orgId,
      principals: principals.map((p) => {
        const identity = [...p.own, ...p.groups.flatMap((x) => groupAtts.get(x) ?? [])];
        return { known: p.known, identity, denies: statementsOf(identity, 'Deny'), boundary: p.boundary };
      }),
      scpLevelsFor,
      rcpDenies,
      warnings,
    });
  }

  addEscalations(g, {
    accountId: d.accountId,
    partition: d.partition,
    accountNode,
    catalog,
    now,
    env,
    groups: d.groups.map((grp) => ({
      arn: grp.arn,
      known: { kind: 'group-member', arn: grp.arn, accountId: d.accountId, orgId },
      atts: groupAtts.get(grp.arn) ?? [],
    })),
    principals: principals.map((p) => ({
      known: p.known,
      own: p.own,
      groups: p.groups,
      boundary: p.boundary,
    })),
    groupAtts,
    travelsThrough,
    roles: d.roles.map((r) => ({
      arn: r.arn,
      trust: trusts.get(r.arn) ?? null,
      serviceLinked: r.path.startsWith('/aws-service-role/'),
      instanceProfiles: r.instanceProfiles,
      attached: r.attached.map((a) => a.arn),
    })),
    managedPolicies: d.policies,
    orgId,
    accountRestrictions: { denies: rcpDenies, scpLevels: scpLevelsFor(false) },
  });

  // Resource patterns contain the known nodes of this account they match. The account node
  // is left out (`arn:aws:iam::<id>:*` names IAM resources, not everything the account
  // contains), and so are outsiders, which are not resources here.
  const concrete = [...g.nodes.values()].filter(
    (n) =>
      n.kind !== 'Policy' &&
      n.kind !== 'Account' &&
      n.kind !== 'External' &&
      !n.props?.pattern &&
      !n.props?.identityPoliciesIgnored &&
      n.id.startsWith('arn:'),
  );
  const index = new WildcardIndex(concrete.map((c) => c.id));
  for (const n of g.nodes.values()) {
    const pattern = n.props?.pattern;
    if (typeof pattern !== 'string') continue;
    // a pattern of objects contains the buckets it names: objects are reached through their
    // bucket, and the grant's key pattern is judged per object (emit-access.ts outsideOwnPattern)
    const buckets = s3ResourceTypeOf(pattern) === 'object' ? pattern.slice(0, pattern.indexOf('/')) : null;
    const matches = [
      ...index.matching(pattern),
      ...(buckets ? index.matching(buckets).filter((i) => concrete[i]?.type === 's3:bucket') : []),
    ];
    for (const i of matches) {
      const c = concrete[i] as (typeof concrete)[number];
      g.edge({ kind: 'CONTAINS', from: n.id, to: c.id, via: null, props: {} });
    }
  }

  return {
    descriptor: {
      id: sourceId,
      cloud: 'aws',
      meta: { input: file, format: 'aws-authorization-details', accountId: d.accountId },
    },
    nodes: [...g.nodes.values()],
    edges: [...g.edges.values()],
    warnings,
  };
}

function externalName(id: string, kind: string): string {
  return kind === 'public' ? 'Any AWS principal (*)' : id;
}
