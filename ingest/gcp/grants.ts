/**
 * Allow bindings → grants (holder, scope, permissions), and deny rules applied to them for
 * the principal who would use the grant. A grant stays at the scope where the binding was
 * made; what inheritance gives below it, paths get by travelling CONTAINS.
 */
import { type AccessException, byLevel } from '../../graph/access-exceptions.js';
import type { JsonObject, JsonValue } from '../../graph/model.js';
import {
  type DenyRule,
  type DenySubject,
  denialConditionHolds,
  describeRule,
  ruleAppliesTo,
  ruleDeniesPermission,
} from './deny.js';
import type { Hierarchy } from './hierarchy.js';
import { levelOfPermission } from './permissions.js';

/** One member of one binding, before denies. */
export interface Grant {
  holder: string;
  /** the IAM member string as the binding wrote it */
  member: string;
  scope: string;
  role: string;
  permissions: string[];
  conditional: boolean;
  conditions: JsonValue[];
  policyId: string;
  bindingIndex: number;
  label: string;
  excerpt: JsonValue;
}

/** What a grant gives one principal once deny rules are applied. */
export interface GrantPart {
  permissions: string[];
  conditional: boolean;
  conditions: JsonValue[];
  /** denies attached below the grant's scope: they remove these permissions there */
  exceptions: AccessException[];
  /** 0: the permissions no deny touches; 1: those an undecided deny may remove */
  part: number;
}

export interface DenyContext {
  rules: readonly DenyRule[];
  hierarchy: Hierarchy;
  now: Date;
}

/** How a rule relates to a grant's scope: covers all of it, part of it (below), or none. */
function relation(ctx: DenyContext, r: DenyRule, scope: string): 'covers' | 'below' | 'none' {
  if (ctx.hierarchy.isAncestorOrSelf(r.attachment, scope)) return 'covers';
  if (ctx.hierarchy.isAncestorOrSelf(scope, r.attachment)) return 'below';
  return 'none';
}

/** Rules that could change this grant for someone (used to decide materialization). */
export function rulesTouching(ctx: DenyContext, g: Grant): DenyRule[] {
  return ctx.rules.filter(
    (r) => relation(ctx, r, g.scope) !== 'none' && g.permissions.some((p) => ruleDeniesPermission(r, p)),
  );
}

export function applyDenies(ctx: DenyContext, g: Grant, subject: DenySubject): GrantPart[] {
  let clean = [...g.permissions];
  const maybe = new Map<string, JsonObject[]>();
  const exceptions: AccessException[] = [];
  for (const r of ctx.rules) {
    const rel = relation(ctx, r, g.scope);
    if (rel === 'none') continue;
    const applies = ruleAppliesTo(r, subject);
    if (applies === false) continue;
    const hit = clean.filter((p) => ruleDeniesPermission(r, p));
    if (hit.length === 0) continue;
    const cond = denialConditionHolds(r, ctx.now);
    if (cond === false) continue;
    if (rel === 'below') {
      const certain = applies === true && cond === true;
      exceptions.push({
        ...describeRule(r, { permissions: hit, certain }),
        // the deny's attachment point and everything below it (graph/access-exceptions.ts)
        scopes: [r.attachment],
        actionsByLevel: byLevel(hit.map((id) => ({ id, level: levelOfPermission(id) }))),
        conditional: !certain,
      });
      continue;
    }
    if (applies === true && cond === true) {
      clean = clean.filter((p) => !hit.includes(p));
      continue;
    }
    const why = describeRule(r, {
      effect: 'deny',
      principalMatch: applies === true ? 'certain' : 'undecided',
    });
    for (const p of hit) maybe.set(p, [...(maybe.get(p) ?? []), why]);
    clean = clean.filter((p) => !hit.includes(p));
  }
  const parts: GrantPart[] = [];
  if (clean.length > 0)
    parts.push({
      permissions: clean,
      conditional: g.conditional,
      conditions: g.conditions,
      exceptions,
      part: 0,
    });
  if (maybe.size > 0) {
    const denies = [...new Map([...maybe.values()].flat().map((d) => [JSON.stringify(d), d])).values()];
    parts.push({
      permissions: [...maybe.keys()].sort(),
      conditional: true,
      conditions: [...g.conditions, ...denies],
      exceptions,
      part: 1,
    });
  }
  return parts;
}
