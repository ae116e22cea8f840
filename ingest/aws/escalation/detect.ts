/**
 * Finds, for every actor (group, user, role), the escalation techniques its permissions allow
 * and the principal each one gains. Work is grouped by actor: an actor is skipped for a
 * technique unless some Allow statement names every action it needs (Authority.mayDo), and
 * only then are targets enumerated, each checked with the full evaluation (denies, boundary,
 * SCPs, RCPs, conditions). Actors that already hold admin-equivalent access gain nothing.
 */
import type { JsonValue, Via } from '../../../graph/model.js';
import type { NamedPolicy } from '../eval/decide.js';
import { parsePolicy } from '../eval/policy.js';
import { actionMatches } from '../eval/statement.js';
import { outsideTrusts } from '../trust.js';
import { type Actor, Authority, type Guardrails, type Permit, SharedDecisions } from './authority.js';
import { ResourceClasses } from './resource-classes.js';
import { type Operand, type Step, TECHNIQUES, type Technique } from './techniques.js';

export interface RoleInfo {
  arn: string;
  trust: NamedPolicy | null;
  serviceLinked: boolean;
  instanceProfiles: string[];
  /** customer managed policies attached to the role */
  managedPolicies: string[];
}

export interface RoleCarrier {
  arn: string;
  type: string;
  roleArn: string;
}

export interface EscalationInput {
  accountId: string;
  partition: string;
  now: Date;
  /** groups first: a user's edge is left out when a group it travels through already has it */
  actors: Actor[];
  /** user → groups whose grants it reaches through a traversable MEMBER_OF edge */
  travelsThrough: Map<string, string[]>;
  users: string[];
  groups: string[];
  roles: RoleInfo[];
  /** resources that run as a role (snapshot format); null for a raw IAM export */
  resources: RoleCarrier[] | null;
  /** technique assumptions the snapshot's listed resources settle (see settledAssumptions) */
  settled?: ReadonlySet<string>;
  guardrails: Guardrails;
  /** actor ids that already hold admin-equivalent access */
  admins: ReadonlySet<string>;
  /** customer managed policy → a version not in force that grants everything */
  adminVersions: ReadonlyMap<string, string>;
  /** user or role → its permissions boundary policy id */
  boundaries: ReadonlyMap<string, string>;
}

export interface EscalationEdge {
  from: string;
  /** a principal ARN, or null for the account's administrator node */
  to: string | null;
  technique: string;
  via: Via | null;
  conditional: boolean;
  conditions: JsonValue[];
  steps: Array<{
    action: string;
    resource: string;
    policy: string | null;
    statement: string | number | null;
  }>;
  through?: string;
  assumes?: string[];
  /** for the administrator target: the boundary of the principal whose policies get rewritten */
  boundary?: string;
}

interface Found {
  permits: Permit[];
  extraConditions: JsonValue[];
  through?: string;
  /** admin-through: the user or role whose policies are rewritten */
  rewritten?: string;
  assumes: string[];
}

export function detectEscalations(input: EscalationInput): EscalationEdge[] {
  const out: EscalationEdge[] = [];
  const seen = new Set<string>();
  const key = (from: string, technique: string, to: string | null) => `${from}|${technique}|${to ?? ''}`;
  const byService = servicesTrusted(input);
  const roleByArn = new Map(input.roles.map((r) => [r.arn, r]));
  const account = { id: input.accountId, partition: input.partition };
  const adminPolicy = `arn:${input.partition}:iam::aws:policy/AdministratorAccess`;
  const userSet = new Set(input.users);
  const groupSet = new Set(input.groups);
  const roleArns = input.roles.filter((r) => !r.serviceLinked).map((r) => r.arn);
  const roleSet = new Set(roleArns);

  const shared = new SharedDecisions();
  const byType = new Map<string, RoleCarrier[]>();
  for (const r of input.resources ?? []) {
    const list = byType.get(r.type);
    if (list) list.push(r);
    else byType.set(r.type, [r]);
  }
  const resourcesOfType = (type: string): RoleCarrier[] => byType.get(type) ?? [];
  const classes = new ResourceClasses(
    input.resources ?? [],
    resourceActions(),
    input.actors,
    input.guardrails,
  );
  for (const actor of input.actors) {
    if (input.admins.has(actor.id)) continue;
    const auth = new Authority(actor, input.guardrails, input.now, shared);
    // Existing resources alike for every question (resource-classes.ts) are asked about once.
    const byClass = classes.exactFor(actor);
    const viaGroups = input.travelsThrough.get(actor.id) ?? [];
    const emit = (t: Technique, to: string | null, f: Found) => {
      const k = key(actor.id, t.id, to);
      if (seen.has(k) || viaGroups.some((g) => seen.has(key(g, t.id, to)))) return;
      seen.add(k);
      const conditions = [...f.permits.flatMap((p) => p.conditions), ...f.extraConditions];
      const edge: EscalationEdge = {
        from: actor.id,
        to,
        technique: t.id,
        via: f.permits[0]?.via ?? null,
        conditional: f.permits.some((p) => p.conditional) || f.extraConditions.length > 0,
        conditions,
        steps: f.permits.map((p) => ({
          action: p.action,
          resource: p.resource,
          policy: p.via?.ref ?? null,
          statement: p.via?.statement ?? null,
        })),
      };
      if (f.through) edge.through = f.through;
      if (to === null) {
        const rewritten = t.target.kind === 'admin-through' ? f.rewritten : actor.id;
        const b = rewritten ? input.boundaries.get(rewritten) : undefined;
        if (b) edge.boundary = b;
      }
      const assumes = [...new Set([...(t.assumes ?? []), ...f.assumes])].filter(
        (a) => !input.settled?.has(a),
      );
      if (assumes.length > 0) edge.assumes = assumes;
      out.push(edge);
    };

    /** Every step of the technique on one candidate; null when one is not allowed. */
    const run = (t: Technique, c: { target?: string; policy?: string; resource?: string }): Found | null => {
      const permits: Permit[] = [];
      const assumes: string[] = [];
      for (const step of t.steps) {
        const r = perform(step, c);
        if (!r) return null;
        permits.push(r.permit);
        if (r.assumes) assumes.push(r.assumes);
      }
      const extraConditions: JsonValue[] = [];
      if (t.become && c.target) {
        const role = roleByArn.get(c.target);
        if (!role) return null;
        const become = t.become === 'assume' ? assumeNow(role) : assumeAfterTrustUpdate(t, role);
        if (!become) return null;
        permits.push(...become);
      }
      return { permits, extraConditions, assumes };
    };

    const perform = (
      step: Step,
      c: { target?: string; policy?: string; resource?: string },
    ): { permit: Permit; assumes?: string } | null => {
      const op: Operand = step.operand;
      const ctx =
        step.action.endsWith('Policy') && step.action.includes(':Attach')
          ? { 'iam:PolicyARN': adminPolicy }
          : undefined;
      switch (op.on) {
        case 'self':
          return wrap(auth.can(step.action, actor.id, { context: ctx }));
        case 'target':
          return c.target ? wrap(auth.can(step.action, c.target, { context: ctx })) : null;
        case 'own-group':
        case 'own-policy':
        case 'target-policy':
          return c.policy ? wrap(auth.can(step.action, c.policy, { context: ctx })) : null;
        case 'resource':
          return c.resource ? wrap(auth.can(step.action, c.resource)) : null;
        case 'any':
          return wrap(auth.can(step.action, '*'));
        case 'new':
          return wrap(auth.canOnSome(step.action, op.arn, account));
        case 'existing': {
          const listed = resourcesOfType(op.type);
          // The first allowed resource in input order is the first member of the first allowed class.
          for (const r of byClass ? classes.classes([op.type]).map((c) => c.rep) : listed) {
            const p = auth.can(step.action, r.arn);
            if (p) return { permit: p };
          }
          if (listed.length > 0) return null;
          const p = auth.canOnSome(step.action, op.arn, account);
          return p ? { permit: p, assumes: `a ${op.type} exists` } : null;
        }
        case 'pass':
          return c.target
            ? wrap(auth.can('iam:PassRole', c.target, { context: { 'iam:PassedToService': op.service } }))
            : null;
      }
    };

    const assumeNow = (role: RoleInfo): Permit[] | null => {
      if (!role.trust) return null;
      const p = auth.can('sts:AssumeRole', role.arn, {
        resourcePolicy: role.trust,
        requireResourcePolicy: true,
      });
      return p ? [p] : null;
    };
    const assumeAfterTrustUpdate = (t: Technique, role: RoleInfo): Permit[] | null => {
      const out: Permit[] = [];
      if (!t.steps.some((s) => s.action === 'iam:UpdateAssumeRolePolicy')) {
        const u = auth.can('iam:UpdateAssumeRolePolicy', role.arn);
        if (!u) return null;
        out.push(u);
      }
      // The attacker writes a trust policy naming itself; the request then still has to pass
      // its own denies, boundary and SCPs (same-account: no identity allow needed).
      const p = auth.can('sts:AssumeRole', role.arn, {
        resourcePolicy: trustNaming(actor, role.arn),
        requireResourcePolicy: true,
      });
      if (!p) return null;
      out.push({ ...p, via: out[0]?.via ?? p.via });
      return out;
    };

    for (const t of TECHNIQUES) {
      if (!applies(t, actor)) continue;
      const actions = t.steps.map((s) => (s.operand.on === 'pass' ? 'iam:PassRole' : s.action));
      if (!actions.every((a) => auth.mayDo(a))) continue;
      if (groupAnswers(t, actor, actions, viaGroups)) continue;
      const key = actions[0] ?? '';
      const target = t.target;
      switch (target.kind) {
        case 'admin': {
          const candidates =
            t.steps[0]?.operand.on === 'own-policy'
              ? actor.managedPolicies.filter((p) => !t.needsAdminVersion || input.adminVersions.has(p))
              : t.steps[0]?.operand.on === 'own-group'
                ? actor.kind === 'group'
                  ? [actor.id]
                  : actor.groups
                : [actor.id];
          for (const cand of candidates) {
            const f = run(t, { policy: cand, target: cand });
            if (f) {
              const version = t.needsAdminVersion ? input.adminVersions.get(cand) : undefined;
              const through = version ? `${cand} (version ${version})` : cand;
              emit(t, null, cand === actor.id ? f : { ...f, through });
              break;
            }
          }
          break;
        }
        case 'admin-through': {
          const pool =
            target.through === 'user'
              ? auth.candidates(key, input.users, userSet)
              : t.steps[0]?.operand.on === 'target-policy'
                ? roleArns
                : auth.candidates(key, roleArns, roleSet);
          for (const cand of pool) {
            if (cand === actor.id) continue;
            let f: Found | null = null;
            if (t.steps[0]?.operand.on === 'target-policy') {
              for (const pol of roleByArn.get(cand)?.managedPolicies ?? []) {
                f = run(t, { target: cand, policy: pol });
                if (f) break;
              }
            } else f = run(t, { target: cand });
            if (f) {
              emit(t, null, { ...f, through: cand, rewritten: cand });
              break;
            }
          }
          break;
        }
        case 'user':
          for (const u of auth.candidates(key, input.users, userSet)) {
            if (u === actor.id) continue;
            const f = run(t, { target: u });
            if (f) emit(t, u, f);
          }
          break;
        case 'role':
          for (const r of auth.candidates(key, roleArns, roleSet)) {
            if (r === actor.id) continue;
            const f = run(t, { target: r });
            if (f) emit(t, r, f);
          }
          break;
        case 'group':
          for (const g of auth.candidates(key, input.groups, groupSet)) {
            if (g === actor.id || actor.groups.includes(g)) continue;
            const f = run(t, { target: g });
            if (f) emit(t, g, f);
          }
          break;
        case 'passed-role': {
          const trusted = target.trusts.flatMap((svc) => byService.get(svc) ?? []);
          const done = new Set<string>();
          for (const tr of trusted) {
            if (tr.role.arn === actor.id || done.has(tr.role.arn)) continue;
            if (target.instanceProfile && tr.role.instanceProfiles.length === 0) continue;
            const f = run(t, { target: tr.role.arn });
            if (!f) continue;
            done.add(tr.role.arn);
            emit(t, tr.role.arn, { ...f, extraConditions: tr.conditions });
          }
          break;
        }
        case 'resource-role': {
          if (!byClass) {
            for (const r of input.resources ?? []) {
              if (!target.types.includes(r.type) || r.roleArn === actor.id) continue;
              const f = run(t, { resource: r.arn });
              if (f) emit(t, r.roleArn, { ...f, through: r.arn });
            }
            break;
          }
          // Resource by resource, each role is gained through the first resource (in input
          // order) that allows it: the same edges, in the same order, from one run per class.
          const first = new Map<string, { index: number; resource: RoleCarrier; f: Found }>();
          for (const cls of classes.classes(target.types)) {
            const f = run(t, { resource: cls.rep.arn });
            if (!f) continue;
            for (const m of cls.firstPerRole) {
              const role = m.resource.roleArn;
              if (role === actor.id) continue;
              const known = first.get(role);
              if (!known || m.index < known.index) first.set(role, { ...m, f });
            }
          }
          const hits = [...first.values()].sort((a, b) => a.index - b.index);
          for (const h of hits) {
            const permits = h.f.permits.map((p, i) =>
              t.steps[i]?.operand.on === 'resource' ? { ...p, resource: h.resource.arn } : p,
            );
            emit(t, h.resource.roleArn, { ...h.f, permits, through: h.resource.arn });
          }
          break;
        }
      }
    }
  }
  return out;
}

/** Actions asked about existing resources one by one (operands `resource` and `existing`). */
function resourceActions(): string[] {
  const out = new Set<string>();
  for (const t of TECHNIQUES)
    for (const st of t.steps)
      if (st.operand.on === 'resource' || st.operand.on === 'existing') out.add(st.action);
  return [...out];
}

/**
 * A user whose only source of a technique's permissions is one group it travels through (its
 * restrictions leave that group's grants unchanged, or the membership would be materialized)
 * gets exactly the group's edges: evaluating the user again would only repeat them.
 */
function groupAnswers(
  t: Technique,
  actor: Actor,
  actions: readonly string[],
  viaGroups: readonly string[],
): boolean {
  if (actor.kind !== 'user' || viaGroups.length === 0) return false;
  if (t.target.kind === 'admin') return false; // self-escalation targets depend on who the actor is
  const sources = actor.parts.filter((p) =>
    p.policies.some((np) =>
      np.policy.statements.some(
        (st) =>
          st.effect === 'Allow' &&
          actions.some((a) =>
            st.action ? actionMatches(st.action, a) : !actionMatches(st.notAction ?? [], a),
          ),
      ),
    ),
  );
  return sources.length === 1 && viaGroups.includes(sources[0]?.from ?? '');
}

function wrap(p: Permit | null): { permit: Permit } | null {
  return p ? { permit: p } : null;
}

/** Which actors a technique can start from (IAM users join groups; only roles have role policies). */
function applies(t: Technique, actor: Actor): boolean {
  if (t.target.kind === 'admin') {
    const onGroup = t.steps[0]?.operand.on === 'own-group';
    if (actor.kind === 'group') return onGroup || t.target.actor === 'any';
    return t.target.actor === 'any' || t.target.actor === actor.kind;
  }
  if (t.target.kind === 'group') return actor.kind !== 'role';
  return true;
}

/** Roles whose trust policy lets a service assume them, by service principal. */
function servicesTrusted(
  input: EscalationInput,
): Map<string, Array<{ role: RoleInfo; conditions: JsonValue[] }>> {
  const out = new Map<string, Array<{ role: RoleInfo; conditions: JsonValue[] }>>();
  for (const role of input.roles) {
    if (!role.trust || role.serviceLinked) continue;
    for (const o of outsideTrusts(role.trust.policy, input.accountId, input.now)) {
      if (o.kind !== 'service') continue;
      const list = out.get(o.id) ?? [];
      list.push({ role, conditions: o.conditional ? o.conditions : [] });
      out.set(o.id, list);
    }
  }
  return out;
}

/** The trust policy an attacker with iam:UpdateAssumeRolePolicy would write: itself, allowed. */
function trustNaming(actor: Actor, roleArn: string): NamedPolicy {
  // For a group, the evaluated request principal stands for any member and carries the group's ARN.
  const principal = actor.known.arn;
  return {
    id: `${roleArn}#trust (rewritten)`,
    name: 'trust policy after iam:UpdateAssumeRolePolicy',
    policy: parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
      },
      'trust',
    ),
  };
}
