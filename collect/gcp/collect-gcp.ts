/**
 * `collect gcp`: from Application Default Credentials to a GCP snapshot
 * (docs/schema/gcp-snapshot.schema.json) in memory. Best effort throughout: a denied or
 * failing call is recorded in the snapshot's `errors` and the rest is collected; throttling
 * and unavailability are retried with exponential backoff.
 */

import { runsAsOf } from '../../ingest/gcp/raw-exports.js';
import { compareText, ErrorLog, sortedErrors } from '../common/collection-errors.js';
import { withRetry } from '../common/retry.js';
import type { GcpApi, Row } from './api.js';
import { iamPolicyRow, resourceRow } from './normalize.js';

export const GCP_SNAPSHOT_FILE = 'gcp-snapshot.json';

export interface CollectGcpOptions {
  /** `organizations/123` or `123` */
  organization?: string;
  /** project ids, when there is no organization to collect */
  projects?: readonly string[];
  collector?: string;
}

export interface CollectGcpDeps {
  api: GcpApi;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  retries?: number;
}

/** Asset types whose resource data names the service account they run as. */
export const WORKLOAD_TYPES = [
  'compute.googleapis.com/Instance',
  'cloudfunctions.googleapis.com/CloudFunction',
  'cloudfunctions.googleapis.com/Function',
  'run.googleapis.com/Service',
];

/** gRPC RESOURCE_EXHAUSTED (8), UNAVAILABLE (14), DEADLINE_EXCEEDED (4); HTTP 429 / 5xx. */
export function isRetryable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  const code = e.code;
  if (code === 8 || code === 14 || code === 4) return true;
  const status = [e.status, e.response?.status, code].find((x) => typeof x === 'number') as
    | number
    | undefined;
  return status === 429 || (status !== undefined && status >= 500 && status < 600);
}

export async function collectGcp(
  opts: CollectGcpOptions,
  deps: CollectGcpDeps,
): Promise<Record<string, unknown>> {
  const { api } = deps;
  const log = new ErrorLog();
  const retry = <T>(fn: () => Promise<T>) =>
    withRetry(fn, {
      retries: deps.retries ?? 5,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      isRetryable,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.random ? { random: deps.random } : {}),
    });
  /** a whole paginated listing, restarted from the beginning when throttled mid-way */
  const all = <T>(service: string, operation: string, scope: string, list: () => AsyncIterable<T>) =>
    log.attempt(
      { service, operation },
      () =>
        retry(async () => {
          const out: T[] = [];
          for await (const x of list()) out.push(x);
          return out;
        }),
      scope,
    );
  /** a REST listing, page by page (each page retried on its own) */
  const pages = async (service: string, operation: string, scope: string, url: string, field: string) =>
    (await log.attempt(
      { service, operation },
      async () => {
        const out: Row[] = [];
        const seen = new Set<string>();
        let token: string | undefined;
        do {
          const sep = url.includes('?') ? '&' : '?';
          const page = (await retry(() =>
            api.restGet(token ? `${url}${sep}pageToken=${encodeURIComponent(token as string)}` : url),
          )) as Record<string, unknown>;
          const items = page?.[field];
          if (Array.isArray(items)) out.push(...(items as Row[]));
          token =
            typeof page?.nextPageToken === 'string' && page.nextPageToken ? page.nextPageToken : undefined;
          if (token && seen.has(token)) throw new Error(`page token ${token} repeated`);
          if (token) seen.add(token);
        } while (token);
        return out;
      },
      scope,
    )) ?? [];

  const snapshot: Record<string, unknown> = {
    format: 'accessgraph-gcp-snapshot',
    version: 1,
    collectedAt: (deps.now ?? (() => new Date()))().toISOString(),
    collector: opts.collector ?? 'accessgraph collect gcp',
  };
  const orgName = opts.organization
    ? opts.organization.startsWith('organizations/')
      ? opts.organization
      : `organizations/${opts.organization}`
    : null;
  const scopes: string[] = [];
  const projects: Array<{
    projectId: string;
    projectNumber?: string;
    displayName?: string;
    parent: string | null;
  }> = [];
  if (orgName) {
    const org = await log.attempt(
      { service: 'cloudresourcemanager', operation: 'organizations.get' },
      () => retry(() => api.getOrganization(orgName)),
      orgName,
    );
    snapshot.organizations = [
      {
        name: orgName,
        ...(org?.displayName ? { displayName: org.displayName } : {}),
        ...(org?.directoryCustomerId ? { directoryCustomerId: org.directoryCustomerId } : {}),
      },
    ];
    // the folder tree, breadth first
    const folders: Array<{ name: string; displayName?: string; parent: string }> = [];
    const containers = [orgName];
    for (let i = 0; i < containers.length; i++) {
      const parent = containers[i] as string;
      for (const f of (await all('cloudresourcemanager', 'folders.list', parent, () =>
        api.listFolders(parent),
      )) ?? []) {
        if (containers.includes(f.name)) continue;
        containers.push(f.name);
        folders.push({
          name: f.name,
          parent: f.parent,
          ...(f.displayName ? { displayName: f.displayName } : {}),
        });
      }
      for (const p of (await all('cloudresourcemanager', 'projects.list', parent, () =>
        api.listProjects(parent),
      )) ?? [])
        projects.push({
          projectId: p.projectId,
          projectNumber: p.name.replace(/^projects\//, ''),
          ...(p.displayName ? { displayName: p.displayName } : {}),
          parent: p.parent ?? parent,
        });
    }
    snapshot.folders = folders;
    scopes.push(orgName);
  } else {
    for (const id of opts.projects ?? []) {
      projects.push({ projectId: id, parent: null });
      scopes.push(`projects/${id}`);
    }
  }
  if (scopes.length === 0)
    throw new Error('nothing to collect: give an organization or at least one project');
  snapshot.projects = projects.sort((a, b) => compareText(a.projectId, b.projectId));

  const iamPolicies: unknown[] = [];
  const resources: unknown[] = [];
  for (const scope of scopes) {
    for (const r of (await all('cloudasset', 'searchAllIamPolicies', scope, () =>
      api.searchAllIamPolicies(scope),
    )) ?? []) {
      const row = iamPolicyRow(r);
      if (row) iamPolicies.push(row);
    }
    const runsAs = new Map<string, string[]>();
    const types = WORKLOAD_TYPES.map((t) => `assetTypes=${encodeURIComponent(t)}`).join('&');
    for (const a of await pages(
      'cloudasset',
      'assets.list',
      scope,
      `https://cloudasset.googleapis.com/v1/${scope}/assets?contentType=RESOURCE&${types}`,
      'assets',
    )) {
      const data = (a.resource as { data?: unknown } | undefined)?.data;
      if (typeof a.name === 'string' && data && typeof data === 'object')
        runsAs.set(a.name, runsAsOf(data as Record<string, unknown>));
    }
    for (const r of (await all('cloudasset', 'searchAllResources', scope, () =>
      api.searchAllResources(scope),
    )) ?? []) {
      const row = resourceRow(r);
      if (!row) continue;
      const sas = runsAs.get(row.name as string);
      resources.push(sas?.length ? { ...row, serviceAccounts: sas } : row);
    }
  }
  snapshot.iamPolicies = iamPolicies;
  snapshot.resources = resources;

  // custom roles, deny policies and service accounts, per container
  const customRoles: unknown[] = [];
  const denyPolicies: unknown[] = [];
  const serviceAccounts: unknown[] = [];
  const denyAttachments = [
    ...(orgName ? [orgName] : []),
    ...((snapshot.folders as Array<{ name: string }> | undefined) ?? []).map((f) => f.name),
    ...projects.map((p) => `projects/${p.projectId}`),
  ];
  for (const parent of [...(orgName ? [orgName] : []), ...projects.map((p) => `projects/${p.projectId}`)])
    for (const r of await pages(
      'iam',
      'roles.list',
      parent,
      `https://iam.googleapis.com/v1/${parent}/roles?view=FULL`,
      'roles',
    ))
      if (typeof r.name === 'string' && Array.isArray(r.includedPermissions) && r.deleted !== true)
        customRoles.push({
          name: r.name,
          includedPermissions: r.includedPermissions,
          ...(typeof r.title === 'string' ? { title: r.title } : {}),
          ...(typeof r.stage === 'string' ? { stage: r.stage } : {}),
        });
  for (const at of denyAttachments) {
    const encoded = encodeURIComponent(`cloudresourcemanager.googleapis.com/${at}`);
    for (const p of await pages(
      'iam',
      'policies.listPolicies',
      at,
      `https://iam.googleapis.com/v2/policies/${encoded}/denypolicies`,
      'policies',
    )) {
      // the list view omits rules: read each policy in full
      const full =
        typeof p.name === 'string'
          ? ((await log.attempt(
              { service: 'iam', operation: 'policies.get' },
              () => retry(() => api.restGet(`https://iam.googleapis.com/v2/${p.name}`)),
              p.name,
            )) as Row | undefined)
          : undefined;
      if (full && typeof full.name === 'string' && Array.isArray(full.rules))
        denyPolicies.push({
          name: full.name,
          ...(typeof full.displayName === 'string' ? { displayName: full.displayName } : {}),
          rules: full.rules,
        });
    }
  }
  for (const p of projects)
    for (const sa of await pages(
      'iam',
      'serviceAccounts.list',
      `projects/${p.projectId}`,
      `https://iam.googleapis.com/v1/projects/${p.projectId}/serviceAccounts`,
      'accounts',
    ))
      if (typeof sa.email === 'string')
        serviceAccounts.push({
          email: sa.email,
          projectId: p.projectId,
          ...(typeof sa.uniqueId === 'string' ? { uniqueId: sa.uniqueId } : {}),
          ...(typeof sa.displayName === 'string' ? { displayName: sa.displayName } : {}),
          ...(typeof sa.disabled === 'boolean' ? { disabled: sa.disabled } : {}),
        });
  snapshot.customRoles = customRoles;
  snapshot.denyPolicies = denyPolicies;
  snapshot.serviceAccounts = serviceAccounts;

  // Cloud Identity memberships of every group a binding names, and of the groups inside them
  const groups: Array<{ email: string; members: string[] }> = [];
  const queue = [
    ...new Set(
      iamPolicies.flatMap((p) =>
        ((p as { policy: { bindings: Array<{ members: string[] }> } }).policy.bindings ?? []).flatMap((b) =>
          b.members.filter((m) => m.startsWith('group:')).map((m) => m.slice('group:'.length).toLowerCase()),
        ),
      ),
    ),
  ];
  for (let i = 0; i < queue.length; i++) {
    const email = queue[i] as string;
    const found = (await log.attempt(
      { service: 'cloudidentity', operation: 'groups.lookup' },
      () =>
        retry(() =>
          api.restGet(
            `https://cloudidentity.googleapis.com/v1/groups:lookup?groupKey.id=${encodeURIComponent(email)}`,
          ),
        ),
      `groups/${email}`,
    )) as { name?: unknown } | undefined;
    if (typeof found?.name !== 'string') continue;
    const members: string[] = [];
    for (const m of await pages(
      'cloudidentity',
      'groups.memberships.list',
      `groups/${email}`,
      `https://cloudidentity.googleapis.com/v1/${found.name}/memberships?view=FULL`,
      'memberships',
    )) {
      const key = (m.preferredMemberKey as { id?: unknown } | undefined)?.id;
      if (typeof key !== 'string') continue;
      const type =
        m.type === 'GROUP'
          ? 'group'
          : m.type === 'SERVICE_ACCOUNT'
            ? 'serviceAccount'
            : m.type === 'USER'
              ? 'user'
              : null;
      if (!type) continue;
      members.push(`${type}:${key.toLowerCase()}`);
      if (type === 'group' && !queue.includes(key.toLowerCase())) queue.push(key.toLowerCase());
    }
    groups.push({ email, members: members.sort(compareText) });
  }
  snapshot.groups = groups;
  snapshot.errors = sortedErrors(log.entries);
  return snapshot;
}
