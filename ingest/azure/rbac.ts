/**
 * Azure RBAC evaluation: what each role assignment grants at its scope, and what deny
 * assignments take away for each principal.
 *
 * - A role's operations are the union over its permission blocks of (actions − notActions)
 *   and (dataActions − notDataActions); notActions are not denies, so another block or
 *   role can still grant what one block leaves out.
 * - A grant stays at the scope of its assignment; children inherit it through CONTAINS.
 * - A deny assignment wins over every grant. It binds its principals (a group binds its
 *   members; the all-zero SystemDefined principal binds everyone) except excludePrincipals
 *   (groups again by membership), at its scope and, unless doNotApplyToChildScopes, below it.
 */
import type { JsonValue } from '../../graph/model.js';
import { matchesAny } from './action-pattern.js';
import type { OperationCatalog } from './operations.js';
import type { PrincipalIndex } from './principals.js';
import type { PermissionBlock, RoleDefinition } from './role-definitions.js';
import { normalizeScope, type ScopeTree } from './scope.js';
import type { DenyAssignment, RoleAssignment } from './tenant.js';

export const EVERYONE = '00000000-0000-0000-0000-000000000000';

/** What one role assignment grants before denies. */
export interface AssignmentGrant {
  assignment: RoleAssignment;
  role: RoleDefinition;
  /** concrete operations (control plane and data plane), lowercase */
  operations: Set<string>;
  /** the role's own patterns, lowercase, for operations outside the known set */
  patterns: JsonValue;
  /** a block holds `*` and cannot exclude role assignment writes: full control of the scope */
  fullControl: boolean;
  /** some block grants a whole provider namespace (or `*`) untouched by its notActions */
  wholeNamespace: boolean;
}

/** A deny assignment's effect on one principal's grant. */
export interface DenyEffect {
  deny: DenyAssignment;
  operations: string[];
  /** `removed`: the grant's own scope is denied; `exception`: only part of what lies below it */
  effect: 'removed' | 'exception';
  /** for exceptions: whether the denied part includes the deny scope's children */
  childScopes: boolean;
}

const lowerBlock = (b: PermissionBlock): JsonValue => ({
  actions: b.actions.map((a) => a.toLowerCase()),
  notActions: b.notActions.map((a) => a.toLowerCase()),
  dataActions: b.dataActions.map((a) => a.toLowerCase()),
  notDataActions: b.notDataActions.map((a) => a.toLowerCase()),
  ...(b.condition ? { condition: b.condition } : {}),
});

export function assignmentGrant(
  assignment: RoleAssignment,
  role: RoleDefinition,
  catalog: OperationCatalog,
): AssignmentGrant {
  const operations = new Set<string>();
  let fullControl = false;
  let wholeNamespace = false;
  for (const b of role.permissions) {
    const { control, data } = catalog.expand(b);
    for (const op of [...control, ...data]) operations.add(op);
    const acts = b.actions.map((a) => a.toLowerCase());
    const nots = b.notActions.map((a) => a.toLowerCase());
    if (acts.includes('*') && !matchesAny(nots, 'microsoft.authorization/roleassignments/write'))
      fullControl = true;
    if (acts.includes('*') && !nots.some((n) => n.startsWith('*'))) wholeNamespace = true;
    for (const a of acts) {
      const ns = /^([^/*]+)\/\*$/.exec(a)?.[1];
      if (ns && !nots.some((n) => n.startsWith(`${ns}/`) || n.startsWith('*'))) wholeNamespace = true;
    }
  }
  return {
    assignment,
    role,
    operations,
    patterns: role.permissions.map(lowerBlock),
    fullControl,
    wholeNamespace,
  };
}

export class DenyEvaluator {
  constructor(
    private readonly denies: readonly DenyAssignment[],
    private readonly tree: ScopeTree,
    private readonly principals: PrincipalIndex,
    private readonly catalog: OperationCatalog,
  ) {}

  /** Whether a deny assignment binds this principal (directly, as everyone, or through a group). */
  binds(d: DenyAssignment, objectId: string): boolean {
    const ids = new Set([objectId, ...this.principals.allGroupsOf(objectId)]);
    const included = d.principals.some((p) => p === EVERYONE || ids.has(p));
    return included && !d.excludePrincipals.some((p) => ids.has(p));
  }

  /** Operations of `ops` that the deny covers. */
  private covered(d: DenyAssignment, ops: Iterable<string>): string[] {
    const out: string[] = [];
    for (const op of ops) {
      const data = this.catalog.data.has(op) && !this.catalog.control.has(op);
      const hit = data
        ? matchesAny(d.dataActions, op) && !matchesAny(d.notDataActions, op)
        : matchesAny(d.actions, op) && !matchesAny(d.notActions, op);
      if (hit) out.push(op);
    }
    return out.sort();
  }

  /** How the denies change one principal's grant at `scope`. */
  effects(objectId: string, scope: string, ops: ReadonlySet<string>): DenyEffect[] {
    const s = normalizeScope(scope);
    const out: DenyEffect[] = [];
    for (const d of this.denies) {
      const related =
        d.scope === s || this.tree.within(s, d.scope)
          ? 'above'
          : this.tree.within(d.scope, s)
            ? 'below'
            : null;
      if (!related || !this.binds(d, objectId)) continue;
      const operations = this.covered(d, ops);
      if (operations.length === 0) continue;
      if (related === 'above') {
        if (d.scope === s && d.doNotApplyToChildScopes)
          out.push({ deny: d, operations, effect: 'exception', childScopes: false });
        else if (d.scope === s || !d.doNotApplyToChildScopes)
          out.push({ deny: d, operations, effect: 'removed', childScopes: true });
      } else {
        out.push({ deny: d, operations, effect: 'exception', childScopes: !d.doNotApplyToChildScopes });
      }
    }
    return out;
  }

  /** Whether any deny could touch a grant at this scope (so members need checking at all). */
  relevantAt(scope: string): boolean {
    const s = normalizeScope(scope);
    return this.denies.some(
      (d) => d.scope === s || this.tree.within(s, d.scope) || this.tree.within(d.scope, s),
    );
  }
}

/** A stable fingerprint of deny effects, to tell whether two principals get the same result. */
export const effectKey = (effects: readonly DenyEffect[]): string =>
  effects
    .map((e) => `${e.deny.id}|${e.effect}|${e.childScopes}|${e.operations.join(',')}`)
    .sort()
    .join(';');
