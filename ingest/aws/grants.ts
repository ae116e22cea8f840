/**
 * Effective identity-policy grants of one holder (user, role, or group), at the scope each
 * statement names, after the restrictions that apply to it: explicit denies and the
 * permissions boundary (AWS docs: "Policy evaluation logic"). This is the static counterpart
 * of eval/decide.ts for grants on resource patterns rather than single requests.
 */
import { type AccessException, byLevel } from '../../graph/access-exceptions.js';
import type { JsonObject, JsonValue } from '../../graph/model.js';
import type { ActionCatalog, ActionInfo } from './action-catalog.js';
import { evaluateConditions } from './eval/conditions.js';
import type { RequestContext } from './eval/context.js';
import type { ConditionTest, Policy, Statement } from './eval/policy.js';
import { actionMatches } from './eval/statement.js';
import { UNKNOWN } from './eval/tri.js';
import { segmentsToString, substitute, variablesAsWildcards } from './eval/variables.js';
import { type KnownPrincipal, staticContext } from './principal-context.js';
import { type Coverage, coverage, s3ResourceTypeOf, serviceOfArn } from './scope.js';

export interface PolicyAttachment {
  /** the Policy node id */
  policyId: string;
  /** e.g. "ReadOnlyAccess (AWS managed policy)" */
  label: string;
  policy: Policy;
}

/**
 * A layer that must allow for a grant to take effect: the permissions boundary, or one level
 * of SCPs (root, each OU, the account). Its Deny statements are explicit denies.
 */
export interface Limit {
  kind: 'boundary' | 'scp';
  /** for SCPs: the root, OU or account id */
  level?: string;
  policies: PolicyAttachment[];
}

export interface Restrictions {
  /** Deny statements from every identity policy that reaches the principal */
  denies: ReadonlyArray<{ att: PolicyAttachment; st: Statement }>;
  boundary: PolicyAttachment | null;
  /** SCP levels from the root to the account (absent: no organization, management account, service-linked role) */
  scpLevels?: ReadonlyArray<{ level: string; policies: PolicyAttachment[] }>;
}

function limitsOf(r: Restrictions): Limit[] {
  const out: Limit[] = [];
  for (const l of r.scpLevels ?? []) out.push({ kind: 'scp', level: l.level, policies: l.policies });
  if (r.boundary) out.push({ kind: 'boundary', policies: [r.boundary] });
  return out;
}

export interface EffectiveGrant {
  att: PolicyAttachment;
  /** 0, or the index of a split-off part whose actions carry extra conditions */
  part: number;
  st: Statement;
  /** the Resource entry (variables substituted when known), or `*` for NotResource grants */
  scope: string;
  notResources: string[] | null;
  actions: ActionInfo[];
  conditional: boolean;
  /** undecided condition blocks, with the statement each comes from */
  conditions: JsonValue[];
  /** denies that remove part of the scope (a narrower Resource than the grant's) */
  exceptions: AccessException[];
}

export function conditionBlock(tests: readonly ConditionTest[]): JsonObject {
  const block: Record<string, JsonObject> = {};
  for (const t of tests) {
    block[t.operator] ??= {};
    (block[t.operator] as JsonObject)[t.key] = t.values.length === 1 ? (t.values[0] ?? '') : [...t.values];
  }
  return block;
}

function describe(att: PolicyAttachment, st: Statement, effect: string, condition: JsonValue): JsonObject {
  return { effect, policy: att.policyId, statement: st.sid ?? st.index, condition };
}

/**
 * A deny on part of a grant's scope, in the form the reach walker applies per target
 * (graph/access-exceptions.ts). Resource entries get the principal's variables substituted;
 * one whose variable has no static value matches as a wildcard and makes the deny conditional
 * (it may or may not name the target).
 */
export function partialDeny(
  d: { att: PolicyAttachment; st: Statement },
  hit: readonly ActionInfo[],
  dc: ReturnType<typeof evaluateConditions>,
  ctx: RequestContext,
): AccessException {
  const resources = substitutePatterns(d.st.resource, ctx, variablesAsWildcards);
  const notResources = substitutePatterns(d.st.notResource, ctx, variablesAsWildcards, true);
  const ex: AccessException = {
    ...describe(d.att, d.st, 'Deny', dc.result === true ? null : conditionBlock(dc.undecided)),
    actionsByLevel: byLevel(hit),
    conditional: dc.result !== true || resources.undecided || notResources.undecided,
  };
  if (resources.patterns) ex.resources = resources.patterns;
  if (notResources.patterns) ex.notResources = notResources.patterns;
  return ex;
}

/**
 * How much of a grant's scope a deny names, its policy variables substituted for this principal
 * (`${aws:PrincipalTag/team}-data` names `red-data` for a principal tagged team=red). A
 * variable with no static value makes a deny that would cover the scope a partial, conditional
 * one (partialDeny).
 */
function denyCoverage(st: Statement, scope: string, ctx: RequestContext): Coverage {
  const hasVariable = (list: readonly string[] | null) => !!list?.some((r) => r.includes('${'));
  if (!hasVariable(st.resource) && !hasVariable(st.notResource))
    return coverage(st.resource, st.notResource, scope);
  const res = substitutePatterns(st.resource, ctx, variablesAsWildcards);
  const notRes = substitutePatterns(st.notResource, ctx, variablesAsWildcards, true);
  const cov = coverage(res.patterns, notRes.patterns, scope);
  return cov === 'full' && (res.undecided || notRes.undecided) ? 'partial' : cov;
}

/**
 * Resource patterns with the principal's policy variables substituted. An entry whose value
 * is not known statically becomes `unknown(entry)` and sets `undecided`. An entry whose
 * variable has no value: in Resource it names nothing and is dropped; in NotResource
 * (`notResource`) it excludes every resource of its service, as eval/statement.ts
 * resourceMatches decides single requests (docs/aws-evaluation-differences.md).
 */
function substitutePatterns(
  list: readonly string[] | null | undefined,
  ctx: ReturnType<typeof staticContext>,
  unknown: (entry: string) => string,
  notResource = false,
): { patterns: string[] | null; undecided: boolean } {
  if (!list) return { patterns: null, undecided: false };
  let undecided = false;
  const patterns: string[] = [];
  for (const r of list) {
    const segs = substitute(r, ctx);
    if (segs === null) {
      if (notResource) patterns.push(`arn:*:${r.split(':')[2] ?? '*'}:*`);
      continue;
    }
    if (segs === UNKNOWN) {
      undecided = true;
      patterns.push(unknown(r));
    } else patterns.push(segmentsToString(segs));
  }
  return { patterns, undecided };
}

/** All identity-policy statements a holder's attachments hold, in order. */
export function statementsOf(atts: readonly PolicyAttachment[], effect: 'Allow' | 'Deny') {
  return atts.flatMap((att) =>
    att.policy.statements.filter((st) => st.effect === effect).map((st) => ({ att, st })),
  );
}

export function computeGrants(
  who: KnownPrincipal,
  sources: readonly PolicyAttachment[],
  restrictions: Restrictions,
  catalog: ActionCatalog,
  now: Date,
): EffectiveGrant[] {
  return grantsInContext(staticContext(who, now), sources, restrictions, catalog);
}

/** computeGrants for a caller known only through its request context (grant-memo.ts records what it reads). */
export function grantsInContext(
  ctx: RequestContext,
  sources: readonly PolicyAttachment[],
  restrictions: Restrictions,
  catalog: ActionCatalog,
): EffectiveGrant[] {
  const out: EffectiveGrant[] = [];
  const limits = limitsOf(restrictions);
  const denies = [...restrictions.denies, ...limits.flatMap((l) => statementsOf(l.policies, 'Deny'))];
  for (const { att, st } of statementsOf(sources, 'Allow')) {
    const cond = evaluateConditions(st.conditions, ctx);
    if (cond.result === false) continue;
    const scopes: Array<{ scope: string; unknownVariable: boolean }> = [];
    if (st.resource) {
      for (const r of st.resource) {
        const segs = substitute(r, ctx);
        if (segs === null) continue; // a variable with no value: this entry names nothing
        if (segs === UNKNOWN) scopes.push({ scope: r, unknownVariable: true });
        else scopes.push({ scope: segmentsToString(segs), unknownVariable: false });
      }
    } else {
      scopes.push({ scope: '*', unknownVariable: false });
    }
    // NotResource entries whose variable is unknown stay as written: they then exclude
    // nothing, and the grant is flagged conditional instead of silently narrowed
    const notResources = substitutePatterns(st.notResource, ctx, (r) => r, true);
    for (const { scope, unknownVariable } of scopes) {
      const service = serviceOfArn(scope);
      let actions = service
        ? catalog.expand(st.action, st.notAction, service, s3ResourceTypeOf(scope))
        : catalog.expand(st.action, st.notAction);
      if (actions.length === 0) continue;
      const base: JsonValue[] = [];
      if (cond.result === UNKNOWN) base.push(describe(att, st, 'Allow', conditionBlock(cond.undecided)));
      if (unknownVariable) base.push(describe(att, st, 'Allow', { PolicyVariable: scope }));
      if (notResources.undecided)
        base.push(
          describe(att, st, 'Allow', { PolicyVariable: st.notResource ? [...st.notResource] : null }),
        );
      // Conditions that concern only some actions (a conditional deny or boundary allow of a
      // few of them) split the grant, so the rest stays unconditional. Extra condition n
      // concerns the actions of a deny's hit list (`lists`, usually thousands of ids: a set
      // shared by every grant that list hits) or one action (`single`).
      const extraConditions: JsonValue[] = [];
      const lists: Array<{ n: number; ids: ReadonlySet<string> }> = [];
      const single = new Map<string, number[]>();
      // the same condition (one boundary statement kept for many actions) gets one index, so
      // the actions it guards stay one part instead of one edge each
      const byIdentity = new Map<JsonValue, number>();
      const byText = new Map<string, number>();
      const indexOf = (c: JsonValue): number => {
        let n = byIdentity.get(c);
        if (n !== undefined) return n;
        const text = JSON.stringify(c);
        n = byText.get(text) ?? extraConditions.push(c) - 1;
        byText.set(text, n);
        byIdentity.set(c, n);
        return n;
      };
      const addExtra = (c: JsonValue, concerns: readonly ActionInfo[] | string) => {
        const n = indexOf(c);
        if (typeof concerns !== 'string') lists.push({ n, ids: idSetOf(concerns) });
        else {
          const list = single.get(concerns);
          if (!list) single.set(concerns, [n]);
          else if (!list.includes(n)) list.push(n);
        }
      };
      /** An action's extra conditions, in the order they were added. */
      const extraOf = (id: string): readonly number[] => {
        let e: number[] | undefined;
        for (const l of lists) {
          if (!l.ids.has(id)) continue;
          if (e) {
            if (!e.includes(l.n)) e.push(l.n);
          } else e = [l.n];
        }
        const one = single.get(id);
        if (!one) return e ?? NONE;
        return e ? [...new Set([...e, ...one])].sort((x, y) => x - y) : one;
      };
      const exceptions: AccessException[] = [];

      for (const d of denies) {
        const cov = denyCoverage(d.st, scope, ctx);
        if (cov === 'none') continue;
        const hit = deniedActions(actions, d.st);
        if (hit.length === 0) continue;
        const dc = evaluateConditions(d.st.conditions, ctx);
        if (dc.result === false) continue;
        if (cov === 'full' && dc.result === true) {
          actions = withoutDenied(actions, d.st);
        } else if (cov === 'full') {
          addExtra(describe(d.att, d.st, 'Deny', conditionBlock(dc.undecided)), hit);
        } else {
          exceptions.push(partialDeny(d, hit, dc, ctx));
        }
        if (actions.length === 0) break;
      }
      for (const limit of limits) {
        if (actions.length === 0) break;
        const b = applyLimit(limit, scope, actions, ctx);
        actions = b.actions;
        for (const [id, cs] of b.conditional) for (const c of cs) addExtra(c, id);
        exceptions.push(...b.exceptions);
      }
      if (actions.length === 0) continue;
      const parts = new Map<string, { actions: ActionInfo[]; extra: JsonValue[] }>();
      // Usually nothing is split: keep the (shared, memoized) action list itself, so every
      // principal holding this grant points at one array and later steps can cache by it.
      if (lists.length === 0 && single.size === 0) {
        parts.set('', { actions, extra: [] });
      } else {
        for (const a of actions) {
          const e = extraOf(a.id);
          const key = e.join(',');
          let part = parts.get(key);
          if (!part) {
            part = { actions: [], extra: e.map((n) => extraConditions[n] ?? null) };
            parts.set(key, part);
          }
          part.actions.push(a);
        }
      }
      let index = 0;
      for (const part of parts.values()) {
        const conditions = [...base, ...part.extra];
        out.push({
          att,
          part: index++,
          st,
          scope,
          notResources: notResources.patterns,
          actions: part.actions,
          conditional: conditions.length > 0,
          conditions,
          exceptions,
        });
      }
    }
  }
  return out;
}

function statementCoversAction(st: Statement, action: string): boolean {
  if (st.action) return actionMatches(st.action, action);
  if (st.notAction) return !actionMatches(st.notAction, action);
  return false;
}

/*
 * Action lists come from ActionCatalog.expand (memoized, shared) and from the filters below,
 * which are memoized too, so principals sharing policies share list identities; these caches
 * turn the per-principal "which of these ~20k actions does statement S name" into a lookup.
 */
type ListCache = WeakMap<readonly ActionInfo[], WeakMap<Statement, ActionInfo[]>>;
const coveredMemo: ListCache = new WeakMap();
const deniedMemo: ListCache = new WeakMap();
const withoutMemo: ListCache = new WeakMap();

function memoList(
  memo: ListCache,
  actions: ActionInfo[],
  st: Statement,
  compute: () => ActionInfo[],
): ActionInfo[] {
  let byStatement = memo.get(actions);
  if (!byStatement) {
    byStatement = new WeakMap();
    memo.set(actions, byStatement);
  }
  let out = byStatement.get(st);
  if (!out) {
    out = compute();
    byStatement.set(st, out);
  }
  return out;
}

/** The actions the statement's Action/NotAction names. */
function coveredActions(actions: ActionInfo[], st: Statement): ActionInfo[] {
  return memoList(coveredMemo, actions, st, () => actions.filter((a) => statementCoversAction(st, a.id)));
}

/** The actions a deny statement can hit: named by it, and able to act on its resources' services. */
function deniedActions(actions: ActionInfo[], st: Statement): ActionInfo[] {
  return memoList(deniedMemo, actions, st, () => {
    const reach = resourceServicesOf(st.resource);
    return coveredActions(actions, st).filter((a) => !reach || a.resourceServices.some((x) => reach.has(x)));
  });
}

/** The actions left once an unconditional deny covering the whole scope removes its hits. */
function withoutDenied(actions: ActionInfo[], st: Statement): ActionInfo[] {
  return memoList(withoutMemo, actions, st, () => {
    const gone = new Set(deniedActions(actions, st).map((a) => a.id));
    return actions.filter((a) => !gone.has(a.id));
  });
}

/**
 * A boundary or SCP level keeps an action when one of its Allow statements covers the whole
 * scope unconditionally. Allows that cover only part of the scope unconditionally (the
 * identity policy allows s3:GetObject on `*`, the SCP only on `arn:aws:s3:::prod-*`) keep the
 * action there and nowhere else: the part they leave out becomes an exception of the grant
 * (`exceptions`), judged per target like a partial deny. An action some conditional allow
 * keeps, or whose uncovered part no one exception can say, stays but becomes conditional.
 */
function applyLimit(
  limit: Limit,
  scope: string,
  actions: ActionInfo[],
  ctx: RequestContext,
): { actions: ActionInfo[]; conditional: Map<string, JsonValue[]>; exceptions: AccessException[] } {
  const sure = new Set<string>();
  const maybe = new Map<string, JsonValue[]>();
  /** unconditional allows of part of the scope, and per action the ones that name it */
  const partial: Array<{ why: JsonValue; resources: string[] | null; notResources: string[] | null }> = [];
  const partialOf = new Map<string, number[]>();
  for (const { att, st } of statementsOf(limit.policies, 'Allow')) {
    // the principal's own values in the patterns first: an SCP allowing everything but
    // `${aws:PrincipalTag/team}-data` allows nothing on red-data to a red-team principal
    const resources = substitutePatterns(st.resource, ctx, (r) => r);
    const notResources = substitutePatterns(st.notResource, ctx, (r) => r, true);
    const undecided = resources.undecided || notResources.undecided;
    const cov = coverage(resources.patterns, notResources.patterns, scope);
    if (cov === 'none') continue;
    const c = evaluateConditions(st.conditions, ctx);
    if (c.result === false) continue;
    const hit = coveredActions(actions, st);
    if (hit.length === 0) continue;
    if (cov === 'full' && c.result === true && !undecided) {
      // One unconditional allow of everything (FullAWSAccess): every action stays, none is
      // conditional, and what other statements say cannot change that.
      if (hit.length === actions.length) return { actions, conditional: new Map(), exceptions: [] };
      for (const a of hit) sure.add(a.id);
      continue;
    }
    const why: JsonValue = {
      ...describe(att, st, 'Allow', c.result === true ? null : conditionBlock(c.undecided)),
      limit: limit.kind,
      ...(limit.level ? { level: limit.level } : {}),
      resources: st.resource ?? null,
      notResources: st.notResource ?? null,
    };
    if (c.result === true && !undecided) {
      const n = partial.push({ why, resources: resources.patterns, notResources: notResources.patterns }) - 1;
      for (const a of hit) {
        const list = partialOf.get(a.id);
        if (list) list.push(n);
        else partialOf.set(a.id, [n]);
      }
      continue;
    }
    for (const a of hit) maybe.set(a.id, [...(maybe.get(a.id) ?? []), why]);
  }
  let kept = actions.filter((a) => sure.has(a.id) || maybe.has(a.id) || partialOf.has(a.id));
  if (kept.length === actions.length) kept = actions;
  const conditional = new Map<string, JsonValue[]>();
  /** actions kept only on part of the scope, by the allows that keep them */
  const outside = new Map<string, ActionInfo[]>();
  for (const a of kept) {
    if (sure.has(a.id)) continue;
    const parts = partialOf.get(a.id) ?? [];
    const notResourceAllows = parts.filter((n) => partial[n]?.notResources).length;
    if (maybe.has(a.id) || notResourceAllows > 1) {
      conditional.set(a.id, [...(maybe.get(a.id) ?? []), ...parts.map((n) => partial[n]?.why ?? null)]);
      continue;
    }
    const key = parts.join(',');
    const list = outside.get(key);
    if (list) list.push(a);
    else outside.set(key, [a]);
  }
  const exceptions: AccessException[] = [];
  for (const [key, hit] of outside) {
    const allows = key.split(',').map((n) => partial[Number(n)]!);
    // Uncovered: what no Resource-list allow names, and (with a NotResource allow) what that
    // allow's NotResource names.
    const named = allows.flatMap((p) => p.resources ?? []);
    const excluded = allows.find((p) => p.notResources)?.notResources;
    const ex: AccessException = {
      effect: 'NotAllowedByLimit',
      limit: limit.kind,
      ...(limit.level ? { level: limit.level } : {}),
      allows: allows.map((p) => p.why),
      actionsByLevel: byLevel(hit),
      conditional: false,
    };
    if (excluded) ex.resources = excluded;
    if (named.length > 0) ex.notResources = named;
    exceptions.push(ex);
  }
  return { actions: kept, conditional, exceptions };
}

/** The services of these resource patterns; null when a pattern could be of any service. */
function resourceServicesOf(resource: readonly string[] | null): Set<string> | null {
  if (!resource) return null;
  const out = new Set<string>();
  for (const r of resource) {
    const s = serviceOfArn(r);
    if (!s) return null;
    out.add(s);
  }
  return out;
}

const signatures = new WeakMap<EffectiveGrant, string>();

/**
 * Do two grant lists say the same, grant by grant (by grantSignature)? Members that share
 * restrictions share their grant list (grant-memo.ts), and a group's list is compared with
 * each member's: a grant's signature is computed once.
 */
export function sameGrants(a: readonly EffectiveGrant[], b: readonly EffectiveGrant[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  const sig = (g: EffectiveGrant) => {
    let s = signatures.get(g);
    if (s === undefined) {
      s = grantSignature(g);
      signatures.set(g, s);
    }
    return s;
  };
  return a.every((g, i) => g === b[i] || sig(g) === sig(b[i] as EffectiveGrant));
}

const NONE: readonly number[] = [];
const idSets = new WeakMap<readonly ActionInfo[], ReadonlySet<string>>();

/** The ids of a (shared, memoized) action list, as a set built once per list. */
function idSetOf(actions: readonly ActionInfo[]): ReadonlySet<string> {
  let out = idSets.get(actions);
  if (!out) {
    out = new Set(actions.map((a) => a.id));
    idSets.set(actions, out);
  }
  return out;
}

/** A stable fingerprint, to tell whether a member's effective grant differs from its group's. */
export function grantSignature(g: EffectiveGrant): string {
  return JSON.stringify([
    g.att.policyId,
    g.st.index,
    g.part,
    g.scope,
    actionIdsJson(g.actions),
    g.conditional,
    g.conditions,
    g.exceptions,
  ]);
}

const idsJsonMemo = new WeakMap<readonly ActionInfo[], string>();

/** The action ids as one JSON string, computed once per (shared) list. */
function actionIdsJson(actions: readonly ActionInfo[]): string {
  let out = idsJsonMemo.get(actions);
  if (out === undefined) {
    out = JSON.stringify(actions.map((a) => a.id));
    idsJsonMemo.set(actions, out);
  }
  return out;
}
