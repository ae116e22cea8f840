/**
 * Turns role assignments into HAS_ACCESS edges at their scopes, with deny assignments
 * applied per principal. A group's grant is one edge from the group; only members whose
 * deny situation differs from the group's get their own copies (DESIGN.md: materialize per
 * principal only where that principal's restrictions change the result).
 */
import { type AccessException, byLevel, guardProps } from '../../graph/access-exceptions.js';
import type { AccessLevel, JsonObject, JsonValue } from '../../graph/model.js';
import type { TenantContext } from './context.js';
import { levelOf } from './operations.js';
import { type AssignmentGrant, assignmentGrant, type DenyEffect, DenyEvaluator, effectKey } from './rbac.js';
import { builtinRoles } from './role-definitions.js';
import { normalizeScope, scopeKind, scopeNodeId } from './scope.js';

/** One principal's effective grant from one assignment, after denies. */
export interface HolderGrant {
  holder: string;
  objectId: string;
  grant: AssignmentGrant;
  operations: Set<string>;
  effects: DenyEffect[];
  /** group whose grant this is a materialized copy of */
  inheritedFrom: string | null;
  conditional: boolean;
  conditions: JsonValue;
}

export interface RbacResult {
  grants: HolderGrant[];
  /** member object id → its direct groups whose MEMBER_OF edge is not travelled (grants materialized) */
  materializedVia: Map<string, Set<string>>;
  /** member object id → groups whose grants it holds copies of */
  coveredGroups: Map<string, Set<string>>;
}

export const assignmentNodeId = (armId: string): string => `azure:${normalizeScope(armId)}`;
export const roleDefinitionNodeId = (guid: string): string =>
  `azure:/providers/microsoft.authorization/roledefinitions/${guid}`;

/** Whether a grant allows an operation on `scope` (its own scope or one below it). */
export function allowsAt(ctx: TenantContext, hg: HolderGrant, op: string, scope: string): boolean {
  if (!hg.operations.has(op)) return false;
  return !hg.effects.some(
    (e) =>
      e.effect === 'exception' &&
      e.operations.includes(op) &&
      (e.deny.scope === scope || (e.childScopes && ctx.tree.within(scope, e.deny.scope))),
  );
}

function conditionsOf(grant: AssignmentGrant): { conditional: boolean; conditions: JsonValue } {
  const a = grant.assignment;
  const list: JsonValue[] = [];
  if (a.condition) list.push({ condition: a.condition, conditionVersion: a.conditionVersion });
  if (a.eligible) list.push({ pimEligible: true });
  return list.length ? { conditional: true, conditions: list } : { conditional: false, conditions: null };
}

function holderGrant(
  ctx: TenantContext,
  deny: DenyEvaluator,
  objectId: string,
  grant: AssignmentGrant,
  inheritedFrom: string | null,
): HolderGrant {
  const effects = deny.effects(objectId, grant.assignment.scope, grant.operations);
  const operations = new Set(grant.operations);
  for (const e of effects) if (e.effect === 'removed') for (const op of e.operations) operations.delete(op);
  return {
    holder: ctx.principals.nodeId(objectId, inheritedFrom ? null : grant.assignment.principalType),
    objectId,
    grant,
    operations,
    effects,
    inheritedFrom,
    ...conditionsOf(grant),
  };
}

export function evaluateRbac(ctx: TenantContext): RbacResult {
  const { t, g, catalog, principals } = ctx;
  const grants: AssignmentGrant[] = [];
  for (const a of t.roleAssignments) {
    const role = t.roleDefinitions.get(a.roleGuid) ?? builtinRoles().get(a.roleGuid);
    const aid = assignmentNodeId(a.id);
    g.node({
      id: aid,
      kind: 'Assignment',
      name: `${role?.name ?? a.roleName ?? a.roleGuid} → ${a.principalId}`,
      type: a.eligible ? 'azure:pim-eligible-role-assignment' : 'Microsoft.Authorization/roleAssignments',
      props: {
        principalId: a.principalId,
        principalType: a.principalType,
        roleDefinitionId: a.roleGuid,
        roleDefinitionKnown: role !== undefined,
        scope: a.scope,
        condition: a.condition,
        eligible: a.eligible,
      },
    });
    g.edge({
      kind: 'ATTACHED_TO',
      from: aid,
      to: g.scope(a.scope),
      via: null,
      props: { as: 'role-assignment' },
    });
    if (!role) {
      ctx.warnings.push(
        `${a.origin.file}: ${a.origin.path}.roleDefinitionId: unknown role definition ${a.roleGuid} (${a.roleName ?? 'no name'}); the assignment is kept but grants nothing until its definition is ingested (add \`az role definition list -o json\`)`,
      );
      continue;
    }
    g.node({
      id: roleDefinitionNodeId(role.guid),
      kind: 'RoleDefinition',
      name: role.name,
      type: role.custom ? 'azure:custom-role' : 'azure:built-in-role',
      props: {
        roleDefinitionId: role.guid,
        permissions: role.permissions.map((p) => ({ ...p })) as unknown as JsonValue,
        origin: role.origin,
        abridged: role.abridged,
      },
    });
    g.edge({
      kind: 'ATTACHED_TO',
      from: roleDefinitionNodeId(role.guid),
      to: aid,
      via: null,
      props: { as: 'role' },
    });
    grants.push(assignmentGrant(a, role, catalog));
  }

  const deny = new DenyEvaluator(t.denyAssignments, ctx.tree, principals, catalog);
  const out: HolderGrant[] = [];
  /** member → groups (holders) whose result differs for it */
  const differs = new Map<string, Set<string>>();
  for (const gr of grants) {
    const holderId = gr.assignment.principalId;
    const hg = holderGrant(ctx, deny, holderId, gr, null);
    out.push(hg);
    if (principals.kindOf(holderId, gr.assignment.principalType) !== 'group') continue;
    if (!deny.relevantAt(gr.assignment.scope)) continue;
    const base = effectKey(hg.effects);
    for (const m of principals.allMembersOf(holderId)) {
      if (principals.kindOf(m) === 'group') continue;
      if (effectKey(deny.effects(m, gr.assignment.scope, gr.operations)) !== base) {
        if (!differs.has(m)) differs.set(m, new Set());
        differs.get(m)?.add(holderId);
      }
    }
  }

  const materializedVia = new Map<string, Set<string>>();
  const coveredGroups = new Map<string, Set<string>>();
  for (const [m, holders] of differs) {
    const via = new Set<string>();
    const covered = new Set<string>();
    for (const x of principals.groupsOf(m)) {
      const up = principals.allGroupsOf(x);
      if ([...holders].some((h) => h === x || up.has(h))) {
        via.add(x);
        covered.add(x);
        for (const u of up) covered.add(u);
      }
    }
    materializedVia.set(m, via);
    coveredGroups.set(m, covered);
    for (const gr of grants) {
      if (covered.has(gr.assignment.principalId))
        out.push(holderGrant(ctx, deny, m, gr, gr.assignment.principalId));
    }
  }

  for (const hg of out) emitGrant(ctx, hg);
  return { grants: out, materializedVia, coveredGroups };
}

function levelsOf(hg: HolderGrant): AccessLevel[] {
  const levels = new Set<AccessLevel>();
  for (const op of hg.operations) levels.add(levelOf(op));
  // denies on part of what lies below (exceptions) are listed on the edge; only a deny on the
  // grant's own scope takes full control away
  const untouched = !hg.effects.some((e) => e.effect === 'removed');
  if (untouched && (hg.grant.wholeNamespace || hg.grant.fullControl)) levels.add('admin');
  return [...levels].sort();
}

function emitGrant(ctx: TenantContext, hg: HolderGrant): void {
  if (hg.operations.size === 0 && hg.effects.some((e) => e.effect === 'removed')) return; // denied outright
  const a = hg.grant.assignment;
  const kind = scopeKind(a.scope);
  const adminEquivalent =
    hg.grant.fullControl &&
    !hg.effects.some((e) => e.effect === 'removed') &&
    (kind === 'root' || kind === 'managementGroup' || kind === 'subscription');
  const props: JsonObject = {
    actions: [...hg.operations].sort(),
    levels: levelsOf(hg),
    conditional: hg.conditional,
    conditions: hg.conditions,
    scope: a.scope,
    role: hg.grant.role.name,
    roleDefinitionId: hg.grant.role.guid,
    permissions: hg.grant.patterns,
    adminEquivalent,
  };
  if (hg.grant.role.abridged) props.roleDefinitionAbridged = true;
  const removed = hg.effects.filter((e) => e.effect === 'removed');
  const exceptions = hg.effects.filter((e) => e.effect === 'exception');
  if (removed.length)
    props.deniedBy = removed.map((e) => ({
      denyAssignment: e.deny.id,
      name: e.deny.name,
      actions: e.operations,
    }));
  Object.assign(
    props,
    guardProps(
      [...hg.operations].map((id) => ({ id, level: levelOf(id) })),
      exceptions.map(
        (e): AccessException => ({
          denyAssignment: e.deny.id,
          name: e.deny.name,
          scope: e.deny.scope,
          // the deny's scope node (and, unless it excludes them, what lies below it)
          scopes: [scopeNodeId(normalizeScope(e.deny.scope))],
          childScopes: e.childScopes,
          actionsByLevel: byLevel(e.operations.map((id) => ({ id, level: levelOf(id) }))),
          conditional: false,
        }),
      ),
    ),
  );
  if (hg.inheritedFrom) props.inheritedFrom = ctx.principals.nodeId(hg.inheritedFrom, 'Group');
  ctx.g.edge({
    kind: 'HAS_ACCESS',
    from: hg.holder,
    to: ctx.g.scope(a.scope),
    via: {
      ref: assignmentNodeId(a.id),
      label: `${hg.grant.role.name} at ${a.scope} (${a.eligible ? 'PIM-eligible ' : ''}role assignment)`,
      statement: null,
      excerpt: {
        roleDefinitionId: a.roleGuid,
        roleDefinitionName: hg.grant.role.name,
        principalId: a.principalId,
        scope: a.scope,
        condition: a.condition,
      },
    },
    props: props as never,
    discriminator: hg.inheritedFrom ? `${a.id}#materialized` : a.id,
  });
}
