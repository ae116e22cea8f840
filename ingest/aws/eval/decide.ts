/**
 * The AWS authorization decision for one request (AWS docs: "Policy evaluation logic",
 * "Cross-account policy evaluation logic", "Permissions boundaries for IAM entities",
 * "Session policies", Organizations "SCP evaluation" / "RCP evaluation"):
 *
 * 1. An applicable explicit Deny in any policy (SCP, RCP, resource, identity, boundary,
 *    session) gives ExplicitDeny.
 * 2. SCPs: every level from the root to the principal's account must allow. Not for the
 *    management account or service-linked roles.
 * 3. RCPs: every level from the root to the resource's account must allow (each level
 *    carries RCPFullAWSAccess, which cannot be detached, so in practice only denies matter).
 * 4. Same account: a resource policy naming the caller directly allows on its own; one naming
 *    the role (for a role session) or the federating user needs the boundary and session policy
 *    too; otherwise identity ∧ boundary ∧ session must allow.
 * 5. Cross-account: identity ∧ boundary ∧ session on the caller's side, and the resource
 *    policy must name the caller (any form, the account included).
 *
 * Everything is three-valued, so a decision can be "Allowed, if these undecided conditions hold".
 */
import type { JsonValue } from '../../../graph/model.js';
import { ContextMemo, type RequestContext } from './context.js';
import type { ConditionTest, Policy, Statement } from './policy.js';
import type { PrincipalVia, RequestPrincipal } from './principal.js';
import { evaluateStatement, type RequestFacts } from './statement.js';
import { and3, any3, not3, or3, type Tri, UNKNOWN } from './tri.js';

export type PolicySetType = 'identity' | 'resource' | 'boundary' | 'session' | 'scp' | 'rcp';

export interface NamedPolicy {
  /** stable id (policy ARN, or `<owner ARN>#inline/<name>`) */
  id: string;
  name: string;
  policy: Policy;
}

/** The policies attached at one level of the organization (root, an OU, or the account). */
export interface OrgLevel {
  id: string;
  policies: NamedPolicy[];
}

export interface AccessRequest {
  principal: RequestPrincipal;
  action: string;
  /** resource ARN, or `*` for actions without resource-level permissions */
  resource: string;
  /** the account that owns the resource */
  resourceAccountId: string;
  context: RequestContext;
}

export interface EvaluationInput {
  request: AccessRequest;
  identityPolicies?: readonly NamedPolicy[];
  permissionBoundary?: NamedPolicy | null;
  sessionPolicy?: NamedPolicy | null;
  resourcePolicy?: NamedPolicy | null;
  /** SCPs from the root to the principal's account; omit when the account is in no organization */
  scpLevels?: readonly OrgLevel[] | null;
  /** RCPs from the root to the resource's account (RCPFullAWSAccess is implied at each level) */
  rcpLevels?: readonly OrgLevel[] | null;
  managementAccountId?: string | null;
  /** services RCPs apply to (lowercase prefixes); omit to apply RCPs to every service */
  rcpServices?: ReadonlySet<string> | null;
  /**
   * The resource policy itself must allow (role trust policies, KMS key policies): an
   * identity-policy allow counts only if the resource policy also names the caller, at
   * least through its account.
   */
  resourcePolicyRequired?: boolean;
}

export type DecisionKind = 'Allowed' | 'ImplicitDeny' | 'ExplicitDeny';

export interface StatementRef {
  policyType: PolicySetType;
  policyId: string;
  policyName: string;
  /** org level for SCPs/RCPs */
  level?: string;
  /** Sid, or the statement's index in the document */
  statement: string | number;
  effect: 'Allow' | 'Deny';
  /** true, or 'unknown' when an undecided condition guards it */
  applies: true | 'unknown';
  via?: PrincipalVia | null;
  excerpt: JsonValue;
  undecided: ConditionTest[];
}

export interface Decision {
  decision: DecisionKind;
  /** the outcome depends on conditions that are not statically known; `decision` is then 'Allowed' */
  conditional: boolean;
  /** the statements that decided: matching denies, or the allows each required layer used */
  decisive: StatementRef[];
  /** deny statements left undecided, which would deny when their conditions hold */
  undecidedDenies: StatementRef[];
  /** for ImplicitDeny: the layers that did not allow */
  missing: PolicySetType[];
}

interface LayerResult {
  allow: Tri;
  deny: Tri;
  allows: StatementRef[];
  denies: StatementRef[];
}

function emptyLayer(): LayerResult {
  return { allow: false, deny: false, allows: [], denies: [] };
}

function refOf(
  type: PolicySetType,
  np: NamedPolicy,
  st: Statement,
  applies: Tri,
  via: PrincipalVia | null,
  undecided: ConditionTest[],
  level?: string,
): StatementRef {
  const ref: StatementRef = {
    policyType: type,
    policyId: np.id,
    policyName: np.name,
    statement: st.sid ?? st.index,
    effect: st.effect,
    applies: applies === true ? true : 'unknown',
    excerpt: st.raw,
    undecided,
  };
  if (level !== undefined) ref.level = level;
  if (type === 'resource') ref.via = via;
  return ref;
}

/** Evaluate every statement of some policies; `allowFilter` keeps only allows of a given principal form. */
function evaluateLayer(
  type: PolicySetType,
  policies: readonly NamedPolicy[],
  facts: RequestFacts,
  hasBoundary: boolean,
  level?: string,
): LayerResult & { byVia: Record<PrincipalVia, Tri> } {
  const out = {
    ...emptyLayer(),
    byVia: { direct: false, entity: false, account: false } as Record<PrincipalVia, Tri>,
  };
  const checkPrincipal = type === 'resource' || type === 'rcp';
  for (const np of policies) {
    for (const st of np.policy.statements) {
      const o = evaluateStatement(st, facts, { checkPrincipal, hasBoundary });
      if (o.applies === false) continue;
      const ref = refOf(type, np, st, o.applies, o.via, o.undecided, level);
      if (st.effect === 'Deny') {
        out.deny = or3(out.deny, o.applies);
        out.denies.push(ref);
      } else {
        out.allow = or3(out.allow, o.applies);
        out.allows.push(ref);
        if (o.via) out.byVia[o.via] = or3(out.byVia[o.via], o.applies);
      }
    }
  }
  return out;
}

type LevelsResult = LayerResult & { failedLevels: string[] };

/**
 * SCP and RCP results by (levels, action, resource): the same organization guardrails are
 * asked about the same request for every principal of an account. Each entry keeps the
 * context keys its evaluation read and what they returned, and is reused only for a request
 * whose context returns the same for each of them, so a reused result is exactly what the
 * evaluation would give. The principal only matters where Principal elements are checked (RCPs).
 */
const levelsMemo = new WeakMap<readonly OrgLevel[], ContextMemo<LevelsResult>>();

function memoLevels(
  type: 'scp' | 'rcp',
  levels: readonly OrgLevel[],
  facts: RequestFacts,
  implicitFullAccess: boolean,
): LevelsResult {
  let memo = levelsMemo.get(levels);
  if (!memo) {
    memo = new ContextMemo();
    levelsMemo.set(levels, memo);
  }
  const p = facts.principal;
  const who =
    type === 'rcp'
      ? `${p.type}\u0001${p.arn}\u0001${p.accountId ?? ''}\u0001${p.roleArn ?? ''}\u0001${p.federatingUserArn ?? ''}`
      : '';
  const key = `${type}\u0000${implicitFullAccess ? 1 : 0}\u0000${facts.action}\u0000${facts.resource}\u0000${who}`;
  return memo.get(key, facts.context, (context) =>
    evaluateLevels(type, levels, { ...facts, context }, implicitFullAccess),
  );
}

/** Each level must allow; denies anywhere count. */
function evaluateLevels(
  type: 'scp' | 'rcp',
  levels: readonly OrgLevel[],
  facts: RequestFacts,
  implicitFullAccess: boolean,
): LayerResult & { failedLevels: string[] } {
  const out = { ...emptyLayer(), allow: true as Tri, failedLevels: [] as string[] };
  for (const lvl of levels) {
    const r = evaluateLayer(type, lvl.policies, facts, false, lvl.id);
    const allow = implicitFullAccess ? true : r.allow;
    out.allow = and3(out.allow, allow);
    if (allow !== true) out.failedLevels.push(lvl.id);
    out.deny = or3(out.deny, r.deny);
    out.denies.push(...r.denies);
    out.allows.push(...r.allows);
  }
  return out;
}

export function decide(input: EvaluationInput): Decision {
  const req = input.request;
  const p = req.principal;
  const facts: RequestFacts = {
    principal: p,
    action: req.action,
    resource: req.resource,
    context: req.context,
  };
  const service = req.action.split(':')[0]?.toLowerCase() ?? '';
  const hasBoundary = !!input.permissionBoundary;
  const iamPrincipal =
    p.type === 'user' || p.type === 'role' || p.type === 'role-session' || p.type === 'federated-user';
  const principalSide = iamPrincipal || p.type === 'root';

  const identity = iamPrincipal
    ? evaluateLayer('identity', input.identityPolicies ?? [], facts, hasBoundary)
    : null;
  const boundary =
    iamPrincipal && input.permissionBoundary
      ? evaluateLayer('boundary', [input.permissionBoundary], facts, hasBoundary)
      : null;
  const sessionApplies = p.type === 'role-session' || p.type === 'federated-user';
  const session =
    sessionApplies && input.sessionPolicy
      ? evaluateLayer('session', [input.sessionPolicy], facts, hasBoundary)
      : null;
  const resource = input.resourcePolicy
    ? evaluateLayer('resource', [input.resourcePolicy], facts, hasBoundary)
    : null;

  const scpApplies =
    principalSide &&
    !!input.scpLevels &&
    input.scpLevels.length > 0 &&
    !p.serviceLinked &&
    p.accountId !== (input.managementAccountId ?? null);
  const scp = scpApplies && input.scpLevels ? memoLevels('scp', input.scpLevels, facts, false) : null;
  const rcpApplies =
    !!input.rcpLevels &&
    input.rcpLevels.length > 0 &&
    !p.serviceLinked &&
    req.resourceAccountId !== (input.managementAccountId ?? null) &&
    (!input.rcpServices || input.rcpServices.has(service));
  const rcp = rcpApplies && input.rcpLevels ? memoLevels('rcp', input.rcpLevels, facts, true) : null;

  // 1. explicit deny anywhere
  const layers = [identity, boundary, session, resource, scp, rcp].filter(
    (l): l is NonNullable<typeof l> => !!l,
  );
  const deny = any3(layers.map((l) => l.deny));
  const denies = layers.flatMap((l) => l.denies);
  if (deny === true) {
    return {
      decision: 'ExplicitDeny',
      conditional: false,
      decisive: denies.filter((d) => d.applies === true),
      undecidedDenies: [],
      missing: [],
    };
  }

  // 2./3. organization guardrails
  const scpOk: Tri = scp ? scp.allow : true;
  const rcpOk: Tri = rcp ? rcp.allow : true;

  // 4./5. grants
  const idAllow: Tri = p.type === 'root' ? true : identity ? identity.allow : false;
  const pbOk: Tri = boundary ? boundary.allow : true;
  const spOk: Tri = session ? session.allow : p.type !== 'federated-user';
  const rpDirect: Tri = resource ? resource.byVia.direct : false;
  const rpEntity: Tri = resource ? resource.byVia.entity : false;
  const rpAny: Tri = resource ? resource.allow : false;
  const sameAccount = p.accountId !== null && p.accountId === req.resourceAccountId;

  let identityPath: Tri = and3(idAllow, and3(pbOk, spOk));
  if (input.resourcePolicyRequired) identityPath = and3(identityPath, rpAny);
  let core: Tri;
  if (!principalSide) {
    // services, web identities and anonymous callers have no identity policies: the resource policy decides
    core = rpDirect;
  } else if (sameAccount) {
    core = or3(rpDirect, or3(and3(rpEntity, and3(pbOk, spOk)), identityPath));
  } else {
    core = and3(and3(idAllow, and3(pbOk, spOk)), rpAny);
  }
  const allowed = and3(not3(deny), and3(scpOk, and3(rcpOk, core)));

  if (allowed === false) {
    const missing: PolicySetType[] = [];
    if (scpOk === false) missing.push('scp');
    if (rcpOk === false) missing.push('rcp');
    if (core === false) {
      if (idAllow === false && rpAny === false) missing.push('identity', 'resource');
      else if (idAllow === false) missing.push('identity');
      else if (rpAny === false && (!sameAccount || input.resourcePolicyRequired)) missing.push('resource');
      if (pbOk === false) missing.push('boundary');
      if (spOk === false) missing.push('session');
    }
    return { decision: 'ImplicitDeny', conditional: false, decisive: [], undecidedDenies: [], missing };
  }

  // Allowed (possibly conditionally): report the allows of every layer that took part.
  const decisive: StatementRef[] = [];
  if (scp) decisive.push(...scp.allows);
  if (identity && idAllow !== false) decisive.push(...identity.allows);
  if (boundary && pbOk !== false) decisive.push(...boundary.allows);
  if (session && spOk !== false) decisive.push(...session.allows);
  if (resource) decisive.push(...resource.allows);
  return {
    decision: 'Allowed',
    conditional: allowed === UNKNOWN,
    decisive,
    undecidedDenies: allowed === UNKNOWN ? denies.filter((d) => d.applies === UNKNOWN) : [],
    missing: [],
  };
}
