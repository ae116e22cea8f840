/**
 * Resources from the snapshot and the grants their resource-based policies make (bucket,
 * key, function, queue, topic, secret and repository policies). A grant to a principal of
 * the account lands on that principal; grants to outsiders (other accounts, services,
 * everyone) land on External nodes. The principal's restrictions apply as AWS documents:
 * a grant naming a user is not limited by its boundary, one naming a role is; SCPs of the
 * account and RCPs apply; denies in the resource policy that name the holder apply.
 */
import type { AccessException } from '../../graph/access-exceptions.js';
import type { JsonObject, JsonValue } from '../../graph/model.js';
import { wildcardMatch } from '../../lib/wildcard.js';
import type { AccountEnvironment, OrgPolicyLevel, ResourceInput } from './account-environment.js';
import type { ActionCatalog } from './action-catalog.js';
import { emitAccessEdge } from './emit-access.js';
import { evaluateConditions } from './eval/conditions.js';
import type { Policy, Statement } from './eval/policy.js';
import { accountOfPrincipalEntry, principalVia, type RequestPrincipal } from './eval/principal.js';
import {
  computeGrants,
  type PolicyAttachment,
  partialDeny,
  type Restrictions,
  statementsOf,
} from './grants.js';
import type { GraphBuilder } from './graph-builder.js';
import type { KnownPrincipal } from './principal-context.js';
import { readsCaller, requestOnlyContext, requestPrincipalOf } from './principal-context.js';
import { serviceOfArn } from './scope.js';
import { outsideAccountNodeId } from './trust.js';

type StatementRef = { att: PolicyAttachment; st: Statement };

export interface ResourceGrantContext {
  accountId: string;
  accountNode: string;
  /** the account's inventoried S3 buckets (grants on their objects land on the bucket) */
  buckets: ReadonlySet<string>;
  catalog: ActionCatalog;
  now: Date;
  orgId: string | null | undefined;
  principals: Array<{
    known: KnownPrincipal;
    /** its own and its groups' identity policies */
    identity: PolicyAttachment[];
    denies: StatementRef[];
    boundary: PolicyAttachment | null;
  }>;
  scpLevelsFor: (serviceLinked: boolean) => OrgPolicyLevel[] | undefined;
  rcpDenies: StatementRef[];
  warnings: string[];
}

interface Holder {
  id: string;
  known: KnownPrincipal;
  request: RequestPrincipal;
  restrictions: (resourceDenies: StatementRef[]) => Restrictions;
  /** a permissions boundary is attached (a NotPrincipal deny then names it whatever it lists) */
  hasBoundary: boolean;
  external: boolean;
  kind: 'principal' | 'account' | 'service' | 'federated' | 'public';
}

/** Fields of a snapshot resource copied onto its node as they are. */
const DESCRIPTIVE_FIELDS = [
  'instanceProfileArn',
  'accessRoleArn',
  'executionRoleArn',
  'taskDefinitionArn',
  'registeredContainerInstances',
] as const;

export function addResources(
  g: GraphBuilder,
  resources: AccountEnvironment['resources'],
  ctx: ResourceGrantContext,
): void {
  const byArn = new Map(ctx.principals.map((p) => [p.known.arn, p]));
  for (const r of resources) {
    const props: JsonObject = { inventoried: true, public: false };
    if (r.region) props.region = r.region;
    if (r.tags) props.tags = r.tags;
    if (r.publicAccessBlock) props.publicAccessBlock = r.publicAccessBlock;
    for (const k of DESCRIPTIVE_FIELDS) {
      const v = r[k];
      if (v !== undefined) props[k] = v;
    }
    // KMS: "IAM policies alone are not sufficient"; identity policies count only when the key
    // policy delegates to the account (AWS KMS docs, "Key policies"), and only for the actions
    // (and under the conditions) of the statement delegating. Identity grants reach a resource
    // only through CONTAINS, so a key that does not delegate everything unconditionally is left
    // out of the account; a partial delegation gets its identity grants written on the key.
    const delegation = r.type === 'kms:key' && r.policy ? delegationOf(r.policy, r.arn, ctx.accountId) : [];
    const iamEnabled = r.type !== 'kms:key' || delegation.some(delegatesEverything);
    if (!iamEnabled) {
      props.identityPoliciesIgnored = true;
      // identity grants already written on this exact key ARN grant nothing
      for (const [id, e] of g.edges) {
        if (e.to !== r.arn) continue;
        if (e.kind === 'CONTAINS' || (e.kind === 'HAS_ACCESS' && !e.props.resourcePolicy)) g.edges.delete(id);
      }
    }
    // Defined before its policy's grants so they land on it (props are filled in below).
    g.define({
      id: r.arn,
      kind: 'Resource',
      name: r.name ?? r.arn.split(':').slice(5).join(':'),
      type: r.type,
      props,
    });
    if (iamEnabled) g.edge({ kind: 'CONTAINS', from: ctx.accountNode, to: r.arn, via: null, props: {} });
    if (r.roleArn) g.edge({ kind: 'RUNS_AS', from: r.arn, to: r.roleArn, via: null, props: {} });
    if (r.policy) {
      const policyId = policyIdOf(r);
      g.define({
        id: policyId,
        kind: 'Policy',
        name: `${r.name ?? r.arn} resource policy`,
        type: 'aws:resource-policy',
        props: { owner: r.arn, document: r.policy.raw },
      });
      g.edge({ kind: 'ATTACHED_TO', from: policyId, to: r.arn, via: null, props: { as: 'resource' } });
      const pub = addPolicyGrants(g, r, r.policy, ctx, byArn);
      if (!iamEnabled && delegation.length > 0) addDelegatedGrants(g, r, r.policy, delegation, ctx);
      // Denies here also cut grants that reach the resource through identity policies: those
      // that bind every caller alike are the node's own (`denies`, judged by the reach walker
      // for whatever grant reaches the node), the others are among the restrictions of the
      // principals they name (resourcePolicyDenies below, authorization-details.ts). The node
      // lists them all for explanations.
      const own = ownDenies(r, ctx);
      if (own.length > 0) props.denies = own as unknown as JsonValue[];
      const denies = r.policy.statements.filter((st) => st.effect === 'Deny');
      if (denies.length > 0) {
        props.resourcePolicyDenies = denies.map((st) => ({
          policy: policyId,
          statement: st.sid ?? st.index,
          excerpt: st.raw,
          unconditional: st.conditions.length === 0,
        }));
      }
      props.public = pub.public;
      if (pub.public) props.publicConditional = pub.conditional;
      if (pub.blocked) props.publicBlockedBy = 'RestrictPublicBuckets';
    }
  }
}

function addPolicyGrants(
  g: GraphBuilder,
  r: ResourceInput,
  policy: Policy,
  ctx: ResourceGrantContext,
  byArn: Map<string, ResourceGrantContext['principals'][number]>,
): { public: boolean; conditional: boolean; blocked: boolean } {
  const att = (st: Statement) => statementAttachment(r, policy, st);
  const denies = denyRefsOf(r, policy);
  const result = { public: false, conditional: false, blocked: false };
  for (const st of policy.statements) {
    if (st.effect !== 'Allow') continue;
    const scopes = scopesIn(st, r.arn, r.type);
    if (scopes.length === 0) continue;
    // Evaluate the statement as a grant on just the part of this resource it names (less
    // what its NotResource excludes, judged per target at query time).
    const local: Statement = { ...st, resource: scopes, principal: null, notPrincipal: null };
    for (const h of holdersOf(st, ctx, byArn)) {
      if (h.kind === 'public' && r.type === 's3:bucket' && r.publicAccessBlock?.RestrictPublicBuckets) {
        result.blocked = true; // S3 Block Public Access: public policies grant nothing
        continue;
      }
      const applying = denies.filter(({ st: d }) => denyNames(d, h.request, h.hasBoundary));
      const grants = computeGrants(h.known, [att(local)], h.restrictions(applying), ctx.catalog, ctx.now);
      for (const gr of grants) {
        if (h.external) {
          g.node({
            id: h.id,
            kind: 'External',
            name: externalName(h),
            type: `aws:${h.kind}`,
            props:
              h.kind === 'account'
                ? { external: h.kind, accountId: h.known.accountId }
                : { external: h.kind },
          });
        }
        const scopeId = emitAccessEdge(
          g,
          ctx.catalog,
          { accountNode: ctx.accountNode, accountId: ctx.accountId, buckets: ctx.buckets },
          h.id,
          gr,
          {
            resourcePolicy: true,
            ...(h.external && h.kind !== 'service' ? { crossAccount: true } : {}),
          },
        );
        // A part of the resource that has its own node (S3 objects land on the bucket itself).
        if (scopeId !== r.arn && gr.scope.startsWith(`${r.arn}/`)) {
          g.edge({ kind: 'CONTAINS', from: r.arn, to: scopeId, via: null, props: {} });
        }
        if (h.kind === 'public') {
          result.public = true;
          result.conditional = result.conditional || gr.conditional;
        }
      }
    }
  }
  return result;
}

/** A resource policy's node id, and how explanations name it. */
const policyIdOf = (r: ResourceInput) => `${r.arn}#policy`;
const policyLabel = (r: ResourceInput) => `${r.name ?? r.arn} (${r.type} resource policy)`;

/** Statements of a resource's policy, as an attachment the grants and denies they make point back to. */
function statementAttachment(r: ResourceInput, policy: Policy, ...statements: Statement[]): PolicyAttachment {
  return { policyId: policyIdOf(r), label: policyLabel(r), policy: { ...policy, statements } };
}

/** The policy's Deny statements, each as it stands (for grants the policy itself makes). */
function denyRefsOf(r: ResourceInput, policy: Policy): StatementRef[] {
  return policy.statements
    .filter((st) => st.effect === 'Deny')
    .map((st) => ({ att: statementAttachment(r, policy, st), st }));
}

export interface ResourcePolicyDeny {
  /** the statement narrowed to the part of its resource it names, as an identity-style deny */
  ref: StatementRef;
  /** it names everyone (`"Principal": "*"`): it binds every grant, a group's included */
  everyone: boolean;
  applies: (p: RequestPrincipal, hasBoundary: boolean) => boolean;
}

/**
 * Does a resource-policy Deny name this caller? With NotPrincipal it names everyone it does not
 * list, and always a principal with a permissions boundary (AWS, "AWS JSON policy elements:
 * NotPrincipal": "The NotPrincipal element with a Deny effect will always deny any IAM principal
 * that has a permissions boundary policy attached"), as eval/statement.ts decides one request.
 */
function denyNames(st: Statement, p: RequestPrincipal, hasBoundary: boolean): boolean {
  if (st.principal) return principalVia(st.principal, p) !== null;
  if (st.notPrincipal) return hasBoundary || principalVia(st.notPrincipal, p) === null;
  return false;
}

/**
 * The Deny statements of the account's resource policies, each confined to its resource (AWS,
 * "Policy evaluation logic": an explicit deny in any applicable policy, the resource's included,
 * overrides every allow). A NotResource statement covers the resource (and a bucket's objects)
 * less what its NotResource names.
 */
export function resourcePolicyDenies(resources: AccountEnvironment['resources']): ResourcePolicyDeny[] {
  const out: ResourcePolicyDeny[] = [];
  for (const r of resources) {
    if (!r.policy) continue;
    for (const st of r.policy.statements) {
      if (st.effect !== 'Deny' || bindsEveryoneAlike(st)) continue; // the node's own (ownDenies)
      const scopes = scopesIn(st, r.arn, r.type);
      if (scopes.length === 0) continue;
      const local: Statement = { ...st, resource: scopes, principal: null, notPrincipal: null };
      const spec = st.principal;
      out.push({
        ref: { att: statementAttachment(r, r.policy, local), st: local },
        everyone: !!spec && (spec.everyone || spec.aws.includes('*')),
        applies: (p, hasBoundary) => denyNames(st, p, hasBoundary),
      });
    }
  }
  return out;
}

/**
 * A resource-policy Deny that names everyone and reads nothing about the caller: no principal
 * condition keys (principal-context.ts readsCaller), no policy variables. Its effect is the
 * same for every grant that reaches the resource ("deny unless TLS", "deny outside this VPC
 * endpoint"), so it is written once on the resource node instead of on every identity grant
 * of the account: a common bucket-policy baseline made every broad grant carry one exception
 * per bucket (kilobytes each, hundreds per edge).
 */
function bindsEveryoneAlike(st: Statement): boolean {
  const spec = st.principal;
  if (!spec || !(spec.everyone || spec.aws.includes('*'))) return false;
  const variable = (list: readonly string[] | null | undefined) => !!list?.some((v) => v.includes('${'));
  if (variable(st.resource) || variable(st.notResource)) return false;
  return st.conditions.every((c) => !readsCaller(c.key) && !variable(c.values));
}

/**
 * The resource's own denies (bindsEveryoneAlike), as the reach walker judges them
 * (graph/access-exceptions.ts nodeDeniesOf): confined to the part of the resource each
 * names, every action it names on the resource's service, conditions decided as far as any
 * request allows (the time), the rest left undecided.
 */
function ownDenies(r: ResourceInput, ctx: ResourceGrantContext): AccessException[] {
  if (!r.policy) return [];
  const anyone = requestOnlyContext(ctx.now);
  const service = serviceOfArn(r.arn) ?? undefined;
  const out: AccessException[] = [];
  for (const st of r.policy.statements) {
    if (st.effect !== 'Deny' || !bindsEveryoneAlike(st)) continue;
    const scopes = scopesIn(st, r.arn, r.type);
    if (scopes.length === 0) continue;
    const dc = evaluateConditions(st.conditions, anyone);
    if (dc.result === false) continue;
    const actions = ctx.catalog.expand(st.action, st.notAction, service);
    if (actions.length === 0) continue;
    const local: Statement = { ...st, resource: scopes, principal: null, notPrincipal: null };
    out.push(partialDeny({ att: statementAttachment(r, r.policy, local), st: local }, actions, dc, anyone));
  }
  return out;
}

/**
 * The key policy's Allow statements naming the account (its root ARN or id): what they allow on
 * the key, the account's identity policies may grant. Narrowed to the key, principals dropped.
 */
function delegationOf(policy: Policy, arn: string, accountId: string): Statement[] {
  return policy.statements
    .filter(
      (st) =>
        st.effect === 'Allow' &&
        !!st.principal &&
        st.principal.aws.some((e) => accountOfPrincipalEntry(e) === accountId) &&
        scopesIn(st, arn, 'kms:key').length > 0,
    )
    .map((st) => ({ ...st, resource: [arn], notResource: null, principal: null, notPrincipal: null }));
}

/** The default key policy's statement: every KMS action, unconditionally. */
function delegatesEverything(st: Statement): boolean {
  return st.conditions.length === 0 && !!st.action?.some((a) => a === '*' || a.toLowerCase() === 'kms:*');
}

/**
 * A key policy delegating only some actions, or under conditions: each principal's identity
 * grants that reach the key, limited by the delegating statements as by one more level every
 * request must pass (the key is outside the account's CONTAINS, so they are written on it).
 */
function addDelegatedGrants(
  g: GraphBuilder,
  r: ResourceInput,
  policy: Policy,
  delegation: Statement[],
  ctx: ResourceGrantContext,
): void {
  const limit = { level: 'key-policy', policies: [statementAttachment(r, policy, ...delegation)] };
  const keyDenies = denyRefsOf(r, policy);
  for (const p of ctx.principals) {
    // the identity statements reaching the key, narrowed to it
    const onKey = p.identity.map((att) => ({
      ...att,
      policy: {
        ...att.policy,
        statements: att.policy.statements.flatMap((st) => {
          if (st.effect !== 'Allow') return [];
          const reaches = st.resource
            ? st.resource.some((e) => e === '*' || (!e.includes('${') && wildcardMatch(e, r.arn)))
            : !(st.notResource ?? []).some((e) => e === '*' || wildcardMatch(e, r.arn));
          return reaches ? [{ ...st, resource: [r.arn], notResource: null }] : [];
        }),
      },
    }));
    const request = requestPrincipalOf(p.known);
    const applying = keyDenies.filter(({ st }) => denyNames(st, request, p.boundary !== null));
    const restrictions: Restrictions = {
      denies: [...p.denies, ...applying, ...ctx.rcpDenies],
      boundary: p.boundary,
      scpLevels: [...(ctx.scpLevelsFor(p.known.serviceLinked === true) ?? []), limit],
    };
    for (const gr of computeGrants(
      { ...p.known, orgId: ctx.orgId },
      onKey,
      restrictions,
      ctx.catalog,
      ctx.now,
    )) {
      emitAccessEdge(
        g,
        ctx.catalog,
        { accountNode: ctx.accountNode, accountId: ctx.accountId, buckets: ctx.buckets },
        p.known.arn,
        gr,
        {},
      );
    }
  }
}

/**
 * The Resource entries of a statement that name this resource or something inside it. A
 * bucket policy governs requests on the bucket and on its objects, so an entry that matches
 * every object of the bucket (`*`, `arn:aws:s3:::prod-*`) names `<bucket>/*` too; a
 * NotResource statement names the resource (and its objects) and keeps its exclusions.
 */
function scopesIn(st: Statement, arn: string, type: string): string[] {
  const objects = type === 's3:bucket' ? `${arn}/*` : null;
  if (!st.resource) return objects ? [arn, objects] : [arn];
  const out = new Set<string>();
  for (const e of st.resource) {
    if (e === '*' || wildcardMatch(e, arn)) out.add(arn);
    if (objects && (e === '*' || wildcardMatch(e, objects))) out.add(objects);
    else if (e.startsWith(`${arn}/`)) out.add(e);
  }
  return [...out];
}

function holdersOf(
  st: Statement,
  ctx: ResourceGrantContext,
  byArn: Map<string, ResourceGrantContext['principals'][number]>,
): Holder[] {
  const out: Holder[] = [];
  const outsider = (id: string, kind: Holder['kind'], request: RequestPrincipal, accountId = ''): Holder => ({
    id,
    kind,
    external: true,
    hasBoundary: false,
    request,
    known: { kind: 'outsider', arn: id, accountId },
    restrictions: (resourceDenies) => ({ denies: [...resourceDenies, ...ctx.rcpDenies], boundary: null }),
  });
  const publicHolder = () => outsider('aws:*', 'public', { type: 'anonymous', arn: '*', accountId: null });
  if (st.notPrincipal) return [publicHolder()]; // everyone but a few: as open as "*"
  const spec = st.principal;
  if (!spec) return out;
  if (spec.everyone) out.push(publicHolder());
  for (const entry of spec.aws) {
    if (entry === '*') {
      out.push(publicHolder());
      continue;
    }
    const acct = accountOfPrincipalEntry(entry);
    if (acct === ctx.accountId) continue; // the account delegates to identity policies: their grants already say it
    if (acct !== null) {
      out.push(
        outsider(outsideAccountNodeId(acct), 'account', { type: 'root', arn: entry, accountId: acct }, acct),
      );
      continue;
    }
    const p = byArn.get(entry);
    if (p) {
      const isRole = p.known.kind === 'role';
      out.push({
        id: p.known.arn,
        kind: 'principal',
        external: false,
        hasBoundary: p.boundary !== null,
        request: requestPrincipalOf(p.known),
        known: { ...p.known, orgId: ctx.orgId },
        // a grant naming a user is not limited by its boundary's implicit deny, one naming a
        // role is; an explicit deny in the boundary binds both (AWS: policy evaluation logic)
        restrictions: (resourceDenies) => ({
          denies: [
            ...p.denies,
            ...resourceDenies,
            ...ctx.rcpDenies,
            ...(isRole || !p.boundary ? [] : statementsOf([p.boundary], 'Deny')),
          ],
          boundary: isRole ? p.boundary : null,
          scpLevels: ctx.scpLevelsFor(p.known.serviceLinked === true),
        }),
      });
      continue;
    }
    const other = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(entry)?.[1] ?? '';
    if (other === ctx.accountId) {
      ctx.warnings.push(`a resource policy names ${entry}, which is not in the account's IAM export`);
      continue;
    }
    out.push(outsider(entry, 'principal', { type: 'user', arn: entry, accountId: other || null }, other));
  }
  for (const s of spec.service)
    out.push(outsider(s, 'service', { type: 'service', arn: s, accountId: null }));
  for (const f of spec.federated)
    out.push(outsider(f, 'federated', { type: 'federated', arn: f, accountId: null }));
  return out;
}

function externalName(h: Holder): string {
  if (h.kind === 'public') return 'Any AWS principal (*)';
  if (h.kind === 'account') return `AWS account ${h.known.accountId}`;
  return h.id;
}
