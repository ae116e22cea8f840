/**
 * "May this actor do action A on resource R?" for escalation checks, answered by the shared
 * evaluation engine (eval/decide.ts) with everything that binds the actor: its identity
 * policies, permissions boundary, SCPs and RCPs, and explicit denies in any of them. A cheap
 * pre-check (does any Allow statement name the action and the resource at all?) runs first,
 * so most actor × target pairs never reach the full evaluation.
 */

import type { JsonValue, Via } from '../../../graph/model.js';
import { objectNumber } from '../../../lib/object-number.js';
import { hasWildcard, wildcardMatch } from '../../../lib/wildcard.js';
import { ContextMemo, type RequestContext } from '../eval/context.js';
import { type Decision, decide, type NamedPolicy, type OrgLevel } from '../eval/decide.js';
import type { Statement } from '../eval/policy.js';
import { RCP_SERVICES } from '../eval/rcp-scope.js';
import { resourceMatches, statementNamesAction } from '../eval/statement.js';
import { not3, UNKNOWN } from '../eval/tri.js';
import { segmentsToString, substitute } from '../eval/variables.js';
import { type KnownPrincipal, requestPrincipalOf, staticContext } from '../principal-context.js';
import { undecidedOf } from '../trust.js';

export interface Guardrails {
  scpLevels: OrgLevel[] | null;
  rcpLevels: OrgLevel[] | null;
  managementAccountId: string | null;
}

/** A grant holder whose permissions we check: a user, a role, or a group (for all its members). */
export interface Actor {
  /** the node the CAN_ESCALATE edge starts at */
  id: string;
  kind: 'user' | 'role' | 'group';
  known: KnownPrincipal;
  /** every identity policy that reaches the actor (a user's groups included) */
  identity: NamedPolicy[];
  boundary: NamedPolicy | null;
  /** for users: the groups they are in */
  groups: string[];
  /** customer managed policies attached to the actor, directly or (users) through a group */
  managedPolicies: string[];
  /** where the identity policies come from: the actor's own (`from` = its id) and each group's */
  parts: Array<{ from: string; policies: NamedPolicy[] }>;
}

/** One permission an escalation uses, as decided. */
export interface Permit {
  action: string;
  resource: string;
  conditional: boolean;
  conditions: JsonValue[];
  /** the identity statement that allows it (null when a resource policy alone allows) */
  via: Via | null;
}

/**
 * Decisions shared between actors of one detection run (same guardrails, same clock). Most
 * users hold the same group and managed policies, so "may a member of these policies do A
 * on R" is the same question for each of them, unless the policies read something about the
 * caller (a tag, the user name): `decisions` reuses an answer only for an actor whose own
 * context returns the same for every key the evaluation read (eval/context.ts, ContextMemo),
 * so the result is exactly what its own evaluation would give.
 */
export class SharedDecisions {
  readonly decisions = new ContextMemo<Permit | null>();
  private readonly ids = new Map<string, number>();

  /** A short stand-in for a long actor signature, so per-request keys stay short. */
  idOf(signature: string): number {
    let id = this.ids.get(signature);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(signature, id);
    }
    return id;
  }
}

function policySignature(p: NamedPolicy): string {
  return `${p.id}\u0001${p.name}\u0001${p.policy.statements.map(objectNumber).join(',')}`;
}

export class Authority {
  private readonly allows: Statement[];
  private readonly baseContext: RequestContext;
  private readonly mayCache = new Map<string, boolean>();
  /** what identifies this actor's evaluation inputs in `shared`, besides the context */
  private readonly signature: string;

  constructor(
    readonly actor: Actor,
    private readonly guard: Guardrails,
    now: Date,
    private readonly shared: SharedDecisions | null = null,
  ) {
    this.allows = actor.identity.flatMap((p) => p.policy.statements.filter((st) => st.effect === 'Allow'));
    this.baseContext = staticContext(actor.known, now);
    const p = requestPrincipalOf(actor.known);
    // The principal itself only matters to decide() through Principal elements, which
    // identity-side evaluation checks only in RCPs.
    const rcpNames = (guard.rcpLevels ?? []).some((l) =>
      l.policies.some((np) => np.policy.statements.some((st) => st.principal || st.notPrincipal)),
    );
    const signature = [
      p.type,
      p.accountId ?? '',
      p.serviceLinked ? 1 : 0,
      rcpNames ? `${p.arn}\u0001${p.roleArn ?? ''}\u0001${p.federatingUserArn ?? ''}` : '',
      actor.boundary ? policySignature(actor.boundary) : '',
      ...actor.identity.map(policySignature),
    ].join('\u0002');
    this.signature = shared ? String(shared.idOf(signature)) : signature;
  }

  /** Could any Allow statement grant the action at all? (No resources, no conditions: a filter.) */
  mayDo(action: string): boolean {
    let hit = this.mayCache.get(action);
    if (hit === undefined) {
      hit = this.allows.some((st) => coversAction(st, action));
      this.mayCache.set(action, hit);
    }
    return hit;
  }

  /** Allow statements' Resource entries for an action: the witnesses for "some resource the actor names". */
  resourcePatterns(action: string): string[] {
    const out = new Set<string>();
    for (const st of this.allows) {
      if (!coversAction(st, action)) continue;
      if (st.resource) for (const r of st.resource) out.add(r);
      else out.add('*');
    }
    return [...out];
  }

  /** The full decision for one request; null unless it is (possibly conditionally) allowed. */
  can(
    action: string,
    resource: string,
    options: {
      context?: Record<string, string>;
      resourcePolicy?: NamedPolicy;
      requireResourcePolicy?: boolean;
    } = {},
  ): Permit | null {
    // Techniques share steps (iam:PassRole, sts:AssumeRole on each role, …), so the same
    // request comes up many times per actor: decide it once. A resource policy built for one
    // check (a rewritten trust) is a fresh object each time and simply never hits.
    const rp = options.resourcePolicy;
    const memo = rp ? this.byPolicyMemo(rp) : this.canMemo;
    const key = `${action}\u0000${resource}\u0000${options.requireResourcePolicy ? 1 : 0}\u0000${
      options.context ? JSON.stringify(options.context) : ''
    }`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const out = this.decideCan(action, resource, options);
    memo.set(key, out);
    return out;
  }

  private readonly canMemo = new Map<string, Permit | null>();
  private readonly policyMemo = new WeakMap<NamedPolicy, Map<string, Permit | null>>();

  private byPolicyMemo(p: NamedPolicy): Map<string, Permit | null> {
    let m = this.policyMemo.get(p);
    if (!m) {
      m = new Map();
      this.policyMemo.set(p, m);
    }
    return m;
  }

  private decideCan(
    action: string,
    resource: string,
    options: {
      context?: Record<string, string>;
      resourcePolicy?: NamedPolicy;
      requireResourcePolicy?: boolean;
    },
  ): Permit | null {
    if (
      !options.resourcePolicy &&
      !this.allows.some((st) => coversAction(st, action) && this.names(st, resource))
    )
      return null;
    const context = options.context ? withValues(this.baseContext, options.context) : this.baseContext;
    // A resource policy names principals: its answer is this actor's own.
    if (options.resourcePolicy || !this.shared) return this.evaluate(action, resource, options, context);
    const key = `${this.signature}\u0003${action}\u0003${resource}\u0003${options.requireResourcePolicy ? 1 : 0}`;
    return this.shared.decisions.get(key, context, (recorded) =>
      this.evaluate(action, resource, options, recorded),
    );
  }

  private evaluate(
    action: string,
    resource: string,
    options: { resourcePolicy?: NamedPolicy; requireResourcePolicy?: boolean },
    context: RequestContext,
  ): Permit | null {
    const accountId = resourceAccount(resource, this.actor.known.accountId);
    const d = decide({
      request: {
        principal: requestPrincipalOf(this.actor.known),
        action,
        resource,
        resourceAccountId: accountId,
        context,
      },
      identityPolicies: this.actor.identity,
      permissionBoundary: this.actor.boundary,
      resourcePolicy: options.resourcePolicy ?? null,
      resourcePolicyRequired: options.requireResourcePolicy ?? false,
      scpLevels: this.guard.scpLevels,
      rcpLevels: this.guard.rcpLevels,
      rcpServices: RCP_SERVICES,
      managementAccountId: this.guard.managementAccountId,
    });
    if (d.decision !== 'Allowed') return null;
    return { action, resource, conditional: d.conditional, conditions: undecidedOf(d), via: viaOf(d) };
  }

  /**
   * Can the actor do the action on some resource it names itself (a new function, job, …)?
   * Candidates: the ARN pattern with its wildcards filled in, and every Resource entry of the
   * actor's allows that fits the pattern, filled in the same way. The first allowed wins.
   */
  canOnSome(action: string, pattern: string, account: { id: string; partition: string }): Permit | null {
    if (!this.mayDo(action)) return null;
    const template = pattern.replace(PARTITION, account.partition).replace(ACCOUNT, account.id);
    const candidates = new Set<string>();
    for (const r of this.resourcePatterns(action)) {
      if (r === '*' || wildcardMatch(r, fill(template))) candidates.add(fill(template));
      else if (!r.includes('${') && wildcardMatch(template, fill(r))) candidates.add(fill(r));
    }
    for (const c of candidates) {
      const p = this.can(action, c);
      if (p) return p;
    }
    return null;
  }

  /** Could this statement name the resource? For a group, it must name it for every member. */
  private names(st: Statement, resource: string): boolean {
    const m = st.resource
      ? resourceMatches(st.resource, resource, this.baseContext)
      : not3(resourceMatches(st.notResource ?? [], resource, this.baseContext, true));
    // A group stands for all its members: a grant that depends on who the member is (a policy
    // variable like ${aws:username}) is left to the members' own evaluation.
    return this.actor.kind === 'group' ? m === true : m !== false;
  }

  /**
   * The members of `pool` (principal ARNs) the actor's allows for the action could name. Exact
   * ARNs (policy variables filled in) are looked up, so "each user manages their own keys"
   * costs one lookup per user, not one per pair of users.
   */
  candidates(action: string, pool: readonly string[], poolSet: ReadonlySet<string>): readonly string[] {
    const exact = new Set<string>();
    const patterns: string[] = [];
    for (const st of this.allows) {
      if (!coversAction(st, action)) continue;
      if (!st.resource) return pool;
      for (const r of st.resource) {
        const segs = substitute(r, this.baseContext);
        if (segs === null) continue;
        if (segs === UNKNOWN) {
          if (this.actor.kind === 'group') continue;
          return pool;
        }
        const text = segmentsToString(segs);
        if (text === '*') return pool;
        if (hasWildcard(text)) patterns.push(text);
        else exact.add(text);
      }
    }
    if (patterns.length === 0) return [...exact].filter((x) => poolSet.has(x));
    return pool.filter((x) => exact.has(x) || patterns.some((p) => wildcardMatch(p, x)));
  }
}

const PARTITION = /\$\{Partition\}/g;
const ACCOUNT = /\$\{Account\}/g;

function coversAction(st: Statement, action: string): boolean {
  return statementNamesAction(st, action);
}

function resourceAccount(resource: string, fallback: string): string {
  const a = resource.split(':')[4];
  return a && /^\d{12}$/.test(a) ? a : fallback;
}

/**
 * A concrete resource for a pattern: the region `*` becomes a real region, other wildcards a
 * name the attacker could choose (`?` one character, `*` a word).
 */
export function fill(pattern: string): string {
  if (!hasWildcard(pattern)) return pattern;
  const parts = pattern.split(':');
  if (parts.length > 3 && parts[3] === '*') parts[3] = 'us-east-1';
  return parts.join(':').replaceAll('?', 'x').replaceAll('*', 'escalation');
}

function viaOf(d: Decision): Via | null {
  const s =
    d.decisive.find((x) => x.policyType === 'identity') ??
    d.decisive.find((x) => x.policyType === 'resource');
  if (!s) return null;
  return { ref: s.policyId, label: s.policyName, statement: s.statement, excerpt: s.excerpt };
}

/** The static context plus request-specific keys (iam:PassedToService, iam:PolicyARN, …). */
export function withValues(base: RequestContext, values: Record<string, string>): RequestContext {
  const own = new Map(
    Object.entries(values).map(([k, v]) => [k.toLowerCase(), { values: [v], multi: false }]),
  );
  return { get: (key) => own.get(key.toLowerCase()) ?? base.get(key) };
}
