/**
 * `accessgraph collect azure`: one Entra tenant and every subscription the credential sees,
 * read best effort (a denied or failing call is recorded in the snapshot's `errors` and the
 * rest goes on) into the Azure snapshot format (docs/schema/azure-snapshot.schema.json).
 * Secret values are never read.
 */
import { join } from 'node:path';
import { type CallSite, ErrorLog, sortedErrors } from '../common/collection-errors.js';
import { mapLimit } from '../common/map-limit.js';
import { writeJsonAtomic } from '../common/snapshot-dir.js';
import type { AzureApi, Json } from './api.js';
import { withVaultProperties } from './key-vaults.js';

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface CollectAzureOptions {
  /** the tenant to collect (default: the tenant of the first subscription the credential sees) */
  tenantId?: string;
  /** only these subscriptions (default: all of the tenant's) */
  subscriptions?: string[];
  collector: string;
  concurrency?: number;
  progress?: (message: string) => void;
}

export interface CollectAzureResult {
  snapshot: Json & { tenantId: string; errors: Json[] };
  subscriptions: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const lower = (v: unknown) => (str(v) ?? '').toLowerCase();

/** Keep the fields the snapshot schema knows for a directory object (Graph adds @odata annotations). */
function pick(o: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const USER_FIELDS = [
  'id',
  'displayName',
  'userPrincipalName',
  'mail',
  'accountEnabled',
  'userType',
  'createdDateTime',
];
const GROUP_FIELDS = ['id', 'displayName', 'securityEnabled', 'mailEnabled', 'isAssignableToRole'];
const SP_FIELDS = [
  'id',
  'appId',
  'displayName',
  'servicePrincipalType',
  'accountEnabled',
  'appOwnerOrganizationId',
  'alternativeNames',
  'appRoles',
];
const APP_FIELDS = ['id', 'appId', 'displayName', 'signInAudience', 'publisherDomain'];

export async function collectAzure(api: AzureApi, opts: CollectAzureOptions): Promise<CollectAzureResult> {
  const log = new ErrorLog();
  const say = opts.progress ?? (() => {});
  const limit = opts.concurrency ?? 4;

  /** Drain a paged list; a failure keeps what was read and records the error. */
  const list = async (site: CallSite, items: () => AsyncIterable<Json>): Promise<Json[]> => {
    const out: Json[] = [];
    try {
      for await (const item of items()) out.push(item);
    } catch (err) {
      log.record(site, err);
    }
    return out;
  };

  say('subscriptions');
  const allSubs = await list({ service: 'arm', operation: 'subscriptions.list' }, () => api.subscriptions());
  const mgs = await list({ service: 'arm', operation: 'managementGroups.list' }, () =>
    api.managementGroups(),
  );
  const tenantId = (
    opts.tenantId ??
    str(allSubs.find((s) => str(s.tenantId))?.tenantId) ??
    str(mgs.find((m) => str(m.tenantId))?.tenantId) ??
    ''
  ).toLowerCase();
  if (!tenantId)
    throw new Error(
      'no subscription or management group is visible, so the tenant is unknown: pass --tenant',
    );

  const wanted = opts.subscriptions?.map((s) => s.toLowerCase());
  const subs = allSubs.filter((s) => {
    const id = lower(s.subscriptionId);
    if (wanted && !wanted.includes(id)) return false;
    if (s.tenantId !== undefined && lower(s.tenantId) !== tenantId) {
      log.record(
        { service: 'arm', operation: 'subscriptions.list' },
        new Error(
          `subscription ${id} belongs to tenant ${lower(s.tenantId)}; collect each tenant separately`,
        ),
      );
      return false;
    }
    return true;
  });

  say('management groups');
  const managementGroups: Json[] = [];
  const subscriptionParent = new Map<string, string>();
  await mapLimit(mgs, limit, async (m) => {
    const name = str(m.name);
    if (!name) return;
    const g = await log.attempt({ service: 'arm', operation: 'managementGroups.get' }, () =>
      api.managementGroup(name),
    );
    const parent =
      g && typeof g.details === 'object' && g.details !== null ? (g.details as Json).parent : undefined;
    const parentName = parent && typeof parent === 'object' ? str((parent as Json).name) : undefined;
    managementGroups.push({
      id: name,
      ...(str(m.displayName) ? { displayName: m.displayName } : {}),
      parentId: parentName ?? null,
    });
    for (const c of (Array.isArray(g?.children) ? g.children : []) as Json[]) {
      if (
        lower(c.type) === '/subscriptions' ||
        lower(c.type) === 'microsoft.management/managementgroups/subscriptions'
      )
        subscriptionParent.set(lower(c.name), name);
    }
  });

  say(`role assignments and resources in ${subs.length} subscriptions`);
  const roleDefinitions = new Map<string, Json>();
  const roleAssignments = new Map<string, Json>();
  const eligible = new Map<string, Json>();
  const denyAssignments = new Map<string, Json>();
  const resources: Json[] = [];
  await mapLimit(subs, limit, async (s) => {
    const id = lower(s.subscriptionId);
    const scope = `/subscriptions/${id}`;
    const at = (operation: string): CallSite => ({ service: 'arm', operation: `${operation} ${scope}` });
    for (const d of await list(at('roleDefinitions.list'), () => api.roleDefinitions(scope)))
      roleDefinitions.set(lower(d.name), d);
    for (const a of await list(at('roleAssignments.listForSubscription'), () => api.roleAssignments(id)))
      roleAssignments.set(lower(a.id), a);
    for (const e of await list(at('roleEligibilitySchedules.listForScope'), () => api.roleEligibilities(id)))
      eligible.set(lower(e.id), {
        id: e.id,
        principalId: e.principalId,
        principalType: e.principalType ?? null,
        roleDefinitionId: e.roleDefinitionId,
        scope: e.scope,
        condition: e.condition ?? null,
        conditionVersion: e.conditionVersion ?? null,
      });
    for (const d of await list(at('denyAssignments.list'), () => api.denyAssignments(id)))
      denyAssignments.set(lower(d.id), d);
    const listed = await list(at('resources.list'), () => api.resources(id));
    const vaults = await list(at('keyVaults.list'), () => api.keyVaults(id));
    resources.push(...withVaultProperties(listed, vaults));
  });

  say('Entra directory');
  const graph = (path: string) =>
    list({ service: 'graph', operation: `GET ${path.split('?')[0]}` }, () => api.graph(path));
  const users = (await graph(`/users?$select=${USER_FIELDS.join(',')}`)).map((u) => pick(u, USER_FIELDS));
  const groups = (await graph(`/groups?$select=${GROUP_FIELDS.join(',')}`)).map((g) => pick(g, GROUP_FIELDS));
  const servicePrincipals = (await graph(`/servicePrincipals?$select=${SP_FIELDS.join(',')}`)).map((p) =>
    pick(p, SP_FIELDS),
  );
  const applications = (await graph(`/applications?$select=${APP_FIELDS.join(',')}`)).map((a) =>
    pick(a, APP_FIELDS),
  );

  const groupMembers: Json[] = [];
  const owners: Json[] = [];
  await mapLimit(groups, limit, async (g) => {
    for (const m of await graph(`/groups/${g.id}/members?$select=id`))
      groupMembers.push({ groupId: g.id, memberId: m.id });
    for (const o of await graph(`/groups/${g.id}/owners?$select=id`))
      owners.push({ objectId: g.id, ownerId: o.id });
  });
  await mapLimit(applications, limit, async (a) => {
    for (const o of await graph(`/applications/${a.id}/owners?$select=id`))
      owners.push({ objectId: a.id, ownerId: o.id });
  });
  // only this tenant's own service principals have owners worth reading (not Microsoft's first-party apps)
  const ownSps = servicePrincipals.filter((p) => lower(p.appOwnerOrganizationId) === tenantId);
  await mapLimit(ownSps, limit, async (p) => {
    for (const o of await graph(`/servicePrincipals/${p.id}/owners?$select=id`))
      owners.push({ objectId: p.id, ownerId: o.id });
  });

  const roleNames = new Map<string, string>();
  for (const d of await graph('/roleManagement/directory/roleDefinitions?$select=id,templateId,displayName'))
    roleNames.set(lower(d.templateId ?? d.id), String(d.displayName ?? ''));
  const dirRole = (a: Json) => ({
    ...(str(a.id) ? { id: a.id } : {}),
    principalId: a.principalId,
    roleDefinitionId: a.roleDefinitionId,
    ...(roleNames.get(lower(a.roleDefinitionId))
      ? { roleName: roleNames.get(lower(a.roleDefinitionId)) }
      : {}),
    directoryScopeId: str(a.directoryScopeId) ?? '/',
  });
  const directoryRoleAssignments = (await graph('/roleManagement/directory/roleAssignments')).map(dirRole);
  const directoryRoleEligibilities = (await graph('/roleManagement/directory/roleEligibilitySchedules')).map(
    dirRole,
  );

  const administrativeUnits: Json[] = [];
  for (const au of await graph('/directory/administrativeUnits?$select=id,displayName')) {
    const members = await graph(`/directory/administrativeUnits/${au.id}/members?$select=id`);
    administrativeUnits.push({
      id: au.id,
      ...(str(au.displayName) ? { displayName: au.displayName } : {}),
      members: members.map((m) => m.id),
    });
  }

  const graphSp = servicePrincipals.find((p) => p.appId === MICROSOFT_GRAPH_APP_ID);
  const appRoleAssignments = graphSp
    ? (await graph(`/servicePrincipals/${graphSp.id}/appRoleAssignedTo`))
        .filter((a) => a.principalType === 'ServicePrincipal')
        .map((a) => ({ principalId: a.principalId, resourceId: a.resourceId, appRoleId: a.appRoleId }))
    : [];

  // needs AuditLog.Read.All and an Entra ID P1 licence; without them the error is recorded
  const signInActivity = (await graph('/users?$select=id,signInActivity'))
    .filter((u) => u.signInActivity && typeof u.signInActivity === 'object')
    .map((u) => {
      const a = u.signInActivity as Json;
      return {
        objectId: u.id,
        lastSignInDateTime: str(a.lastSignInDateTime) ?? null,
        lastNonInteractiveSignInDateTime: str(a.lastNonInteractiveSignInDateTime) ?? null,
      };
    });

  const snapshot = {
    format: 'accessgraph-azure-snapshot',
    version: 1,
    collectedAt: new Date().toISOString(),
    collector: opts.collector,
    tenantId,
    managementGroups: managementGroups.sort((a, b) => String(a.id).localeCompare(String(b.id))),
    subscriptions: subs.map((s) => ({
      subscriptionId: lower(s.subscriptionId),
      ...(str(s.displayName) ? { displayName: s.displayName } : {}),
      ...(str(s.state) ? { state: s.state } : {}),
      managementGroupId: subscriptionParent.get(lower(s.subscriptionId)) ?? null,
    })),
    roleDefinitions: [...roleDefinitions.values()],
    roleAssignments: [...roleAssignments.values()],
    eligibleRoleAssignments: [...eligible.values()],
    denyAssignments: [...denyAssignments.values()],
    resources,
    users,
    groups,
    servicePrincipals,
    applications,
    groupMembers,
    owners,
    directoryRoleAssignments,
    directoryRoleEligibilities,
    administrativeUnits,
    appRoleAssignments,
    signInActivity,
    errors: sortedErrors(log.entries).map((e) => ({
      service: e.service,
      operation: e.operation,
      ...(e.code ? { code: e.code } : {}),
      message: e.message,
    })),
  };
  return { snapshot, subscriptions: subs.length };
}

/** Write DIR/azure-snapshot.json atomically; `accessgraph ingest DIR` loads it. */
export function writeAzureSnapshotDir(dir: string, snapshot: Json): string {
  const path = join(dir, 'azure-snapshot.json');
  writeJsonAtomic(path, snapshot);
  return path;
}
