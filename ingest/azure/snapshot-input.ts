/**
 * The project's Azure snapshot (docs/schema/azure-snapshot.schema.json): one tenant, its
 * CLI-shaped lists read by the same readers as the raw exports, plus what the CLI lacks.
 */
import { readFileSync } from 'node:fs';
import type { JsonValue } from '../../graph/model.js';
import { packagePath } from '../../lib/package-root.js';
import { IngestError, jsonPathJoin } from '../errors.js';
import { compileSchema } from '../schema-validate.js';
import { type Obj, optStr, str } from './json-check.js';
import {
  type Contribution,
  readDirectoryObjects,
  readResource,
  readRoleAssignments,
  readRoleDefinitions,
} from './raw-exports.js';
import { normalizeScope, scopeKind } from './scope.js';
import { putObject, putResource, type TenantData } from './tenant.js';

export const AZURE_SNAPSHOT_FORMAT = 'accessgraph-azure-snapshot';

let validate: ReturnType<typeof compileSchema> | undefined;
function validator() {
  validate ??= compileSchema(
    JSON.parse(readFileSync(packagePath('docs', 'schema', 'azure-snapshot.schema.json'), 'utf8')),
  );
  return validate;
}

export const isAzureSnapshot = (doc: unknown): boolean =>
  typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === AZURE_SNAPSHOT_FORMAT;

function scopeAt(v: string, file: string, path: string): string {
  if (scopeKind(v) === null) throw new IngestError(file, path, `not an Azure scope: ${JSON.stringify(v)}`);
  return normalizeScope(v);
}

/** Validate a snapshot and return what it contributes to its tenant. */
export function readAzureSnapshot(doc: unknown, file: string): Contribution & { tenantId: string } {
  validator()(doc, file);
  const s = doc as Obj & Record<string, unknown[] | undefined>;
  const tenantId = (s.tenantId as unknown as string).toLowerCase();
  const parts: Contribution[] = [];
  if (s.roleDefinitions) parts.push(readRoleDefinitions(s.roleDefinitions, file, '$.roleDefinitions'));
  if (s.roleAssignments) parts.push(readRoleAssignments(s.roleAssignments, file, '$.roleAssignments'));
  if (s.eligibleRoleAssignments) {
    const c = readRoleAssignments(s.eligibleRoleAssignments, file, '$.eligibleRoleAssignments');
    parts.push({
      ...c,
      apply: (t) => {
        const before = t.roleAssignments.length;
        c.apply(t);
        for (const a of t.roleAssignments.slice(before)) a.eligible = true;
      },
    });
  }
  const lists = [
    ['users', 'users'],
    ['groups', 'groups'],
    ['servicePrincipals', 'service-principals'],
    ['applications', 'applications'],
  ] as const;
  for (const [key, kind] of lists) {
    const list = s[key];
    if (list) parts.push(readDirectoryObjects(list, file, kind, `$.${key}`));
  }
  const resources = (s.resources ?? []).map((r, i) => readResource(r as Obj, file, `$.resources[${i}]`).res);
  const deny = (s.denyAssignments ?? []).map((raw, i) => {
    const d = raw as Obj;
    const p = `$.denyAssignments[${i}]`;
    const perms = d.permissions as Obj[];
    const flat = (k: string) => perms.flatMap((b) => (b[k] as string[] | undefined) ?? []);
    return {
      id: normalizeScope(str(d, 'id', file, p)),
      name: optStr(d, 'denyAssignmentName', file, p) ?? str(d, 'id', file, p),
      scope: scopeAt(str(d, 'scope', file, p), file, jsonPathJoin(p, 'scope')),
      actions: flat('actions'),
      notActions: flat('notActions'),
      dataActions: flat('dataActions'),
      notDataActions: flat('notDataActions'),
      principals: (d.principals as Obj[]).map((x) => (x.id as string).toLowerCase()),
      excludePrincipals: ((d.excludePrincipals as Obj[] | undefined) ?? []).map((x) =>
        (x.id as string).toLowerCase(),
      ),
      doNotApplyToChildScopes: d.doNotApplyToChildScopes === true,
      origin: { file, path: p },
      raw: d as JsonValue,
    };
  });
  const dirRoles = (key: 'directoryRoleAssignments' | 'directoryRoleEligibilities') =>
    (s[key] ?? []).map((raw, i) => {
      const r = raw as Obj;
      return {
        id: (r.id as string | undefined) ?? `${key}[${i}]`,
        principalId: (r.principalId as string).toLowerCase(),
        roleTemplateId: (r.roleDefinitionId as string).toLowerCase(),
        roleName: (r.roleName as string | undefined) ?? null,
        directoryScopeId: ((r.directoryScopeId as string | undefined) ?? '/').toLowerCase(),
        eligible: key === 'directoryRoleEligibilities',
        origin: { file, path: `$.${key}[${i}]` },
      };
    });
  const directoryRoleAssignments = [
    ...dirRoles('directoryRoleAssignments'),
    ...dirRoles('directoryRoleEligibilities'),
  ];
  const managedIdentities = (s.managedIdentities ?? []).map((raw, i) => {
    const m = raw as Obj;
    const p = `$.managedIdentities[${i}]`;
    const resourceId = scopeAt(m.resourceId as string, file, jsonPathJoin(p, 'resourceId'));
    return {
      resourceId,
      principalId: (m.principalId as string).toLowerCase(),
      kind: m.type === 'SystemAssigned' ? ('system' as const) : ('user' as const),
      userAssignedId:
        typeof m.userAssignedIdentityId === 'string'
          ? scopeAt(m.userAssignedIdentityId, file, jsonPathJoin(p, 'userAssignedIdentityId'))
          : null,
      path: p,
    };
  });
  parts.push({
    kind: 'resources',
    file,
    tenantIds: [],
    apply: (t: TenantData) => {
      t.collectedAt = s.collectedAt as unknown as string;
      for (const mg of (s.managementGroups ?? []) as Obj[]) {
        const id = (mg.id as string).toLowerCase();
        t.managementGroups.set(id, {
          id,
          name: (mg.displayName as string | undefined) ?? id,
          parent: typeof mg.parentId === 'string' ? mg.parentId.toLowerCase() : null,
        });
      }
      for (const sub of (s.subscriptions ?? []) as Obj[]) {
        const id = (sub.subscriptionId as string).toLowerCase();
        t.subscriptions.set(id, {
          id,
          name: (sub.displayName as string | undefined) ?? id,
          managementGroup:
            typeof sub.managementGroupId === 'string' ? sub.managementGroupId.toLowerCase() : null,
        });
      }
      for (const r of resources) putResource(t, r);
      for (const m of managedIdentities) {
        const res = t.resources.get(m.resourceId);
        if (!res) {
          t.warnings.push(
            `${file}: ${m.path}: resource ${m.resourceId} is not in the snapshot's resources; its identity is kept without it`,
          );
          putObject(t, {
            id: m.principalId,
            kind: 'managedIdentity',
            name: m.principalId,
            props: { resourceId: m.resourceId },
          });
          continue;
        }
        if (!res.identities.some((x) => x.principalId === m.principalId))
          res.identities.push({ principalId: m.principalId, kind: m.kind, userAssignedId: m.userAssignedId });
      }
      t.denyAssignments.push(...deny);
      t.directoryRoleAssignments.push(...directoryRoleAssignments);
      for (const [i, m] of ((s.groupMembers ?? []) as Obj[]).entries())
        t.memberships.push({
          groupId: (m.groupId as string).toLowerCase(),
          memberId: (m.memberId as string).toLowerCase(),
          origin: { file, path: `$.groupMembers[${i}]` },
        });
      for (const [i, o] of ((s.owners ?? []) as Obj[]).entries())
        t.owners.push({
          objectId: (o.objectId as string).toLowerCase(),
          ownerId: (o.ownerId as string).toLowerCase(),
          origin: { file, path: `$.owners[${i}]` },
        });
      for (const au of (s.administrativeUnits ?? []) as Obj[]) {
        const id = (au.id as string).toLowerCase();
        t.administrativeUnits.set(id, {
          id,
          name: (au.displayName as string | undefined) ?? id,
          members: (au.members as string[]).map((m) => m.toLowerCase()),
        });
      }
      for (const [i, a] of ((s.appRoleAssignments ?? []) as Obj[]).entries())
        t.appRoleAssignments.push({
          principalId: (a.principalId as string).toLowerCase(),
          resourceId: (a.resourceId as string).toLowerCase(),
          appRoleId: (a.appRoleId as string).toLowerCase(),
          appRoleValue: (a.appRoleValue as string | undefined) ?? null,
          origin: { file, path: `$.appRoleAssignments[${i}]` },
        });
      for (const si of (s.signInActivity ?? []) as Obj[])
        t.signIns.set((si.objectId as string).toLowerCase(), {
          lastSignIn: (si.lastSignInDateTime as string | null | undefined) ?? null,
          lastNonInteractiveSignIn:
            (si.lastNonInteractiveSignInDateTime as string | null | undefined) ?? null,
        });
      for (const e of (s.errors ?? []) as Obj[])
        t.warnings.push(
          `${file}: collection error in ${String(e.operation)}${e.scope ? ` (${String(e.scope)})` : ''}: ${String(e.message)}`,
        );
    },
  });
  return {
    kind: 'resources',
    file,
    tenantId,
    tenantIds: [tenantId],
    apply: (t) => {
      for (const p of parts) p.apply(t);
    },
  };
}
