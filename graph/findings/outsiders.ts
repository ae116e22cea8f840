/**
 * Who is outside the organization, for principals the clouds put in our own directory or
 * bindings (External nodes are exposure.ts's business). Decided here, over what the store
 * holds, rather than at ingest: like "our accounts" in exposure.ts, "our domains" and "our
 * projects" are everything loaded, so ingesting a sister organization later clears them.
 *
 * - GCP users, groups and `domain:` members: the email's domain is a consumer one
 *   (gmail.com) or, when some organization domain is known, none of the organizations'
 *   domains (the organization's display name, which Google sets to its primary domain, plus
 *   the snapshot's optional `domains`) nor a subdomain of one.
 * - GCP service accounts: the project (id or number) the email names is not a loaded
 *   project. Emails that name no project (Google's own robots) are not judged.
 * - Entra users: `userType` Guest, or `#EXT#` in the user principal name (B2B invitees,
 *   whatever their userType).
 * - Entra service principals: `appOwnerOrganizationId` is another tenant than the one the
 *   node was loaded from, except Microsoft's own first-party tenants (Microsoft acting as
 *   the platform, like AWS services in exposure.ts).
 */
import type { GraphNode } from '../model.js';
import type { GraphStore } from '../store.js';
import { scanNodes } from './walk.js';

export type OutsiderReason = 'consumer-account' | 'other-domain' | 'other-project' | 'guest' | 'other-tenant';

export interface Outsider {
  reason: OutsiderReason;
  /** where the principal belongs: its domain, project or tenant id */
  home: string;
}

const CONSUMER_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
/** Microsoft Services and Microsoft's corporate tenant: owners of the first-party apps in every tenant. */
const MICROSOFT_TENANTS = new Set([
  'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
  '72f988bf-86f1-41af-91ab-2d7cd011db47',
]);
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const PROJECT_ID = '[a-z][a-z0-9-]{4,28}[a-z0-9]';

/** The member string's type and value (`user`, `alice@example.com`) of a GCP principal node. */
export function gcpMember(n: GraphNode): { type: string; value: string } | null {
  const member = (n.props as { member?: unknown } | undefined)?.member;
  const m = /^([a-zA-Z]+):(.+)$/.exec(typeof member === 'string' ? member.trim() : '');
  return m ? { type: m[1] as string, value: (m[2] as string).toLowerCase() } : null;
}

export type ProjectRef = { projectId: string } | { projectNumber: string };

const COMPUTE_DEFAULT = /^(\d+)-compute@developer\.gserviceaccount\.com$/;
const APP_ENGINE_DEFAULT = new RegExp(`^(${PROJECT_ID})@appspot\\.gserviceaccount\\.com$`);
const USER_MANAGED = new RegExp(`^[^@]+@(${PROJECT_ID})\\.iam\\.gserviceaccount\\.com$`);
/** Google's per-project service agents: `service-<number>@gcp-sa-….iam…`, `<number>@cloudservices…`. */
const AGENTS = [
  /^service-(\d+)@[a-z0-9-]+(\.iam)?\.gserviceaccount\.com$/,
  /^(\d+)@(cloudservices|cloudbuild)\.gserviceaccount\.com$/,
];

/** The default service accounts Google creates (and historically grants Editor): compute and App Engine. */
export function defaultServiceAccount(
  email: string,
): { kind: 'compute' | 'app-engine'; project: ProjectRef } | null {
  const e = email.toLowerCase();
  const compute = COMPUTE_DEFAULT.exec(e)?.[1];
  if (compute) return { kind: 'compute', project: { projectNumber: compute } };
  const appEngine = APP_ENGINE_DEFAULT.exec(e)?.[1];
  return appEngine ? { kind: 'app-engine', project: { projectId: appEngine } } : null;
}

/**
 * The project a service account email names: user-managed accounts, the default accounts
 * and Google's per-project service agents. Null for emails that name none
 * (`…@system.gserviceaccount.com` and other Google-owned robots).
 */
export function serviceAccountProject(email: string): ProjectRef | null {
  const e = email.toLowerCase();
  const byDefault = defaultServiceAccount(e);
  if (byDefault) return byDefault.project;
  for (const agent of AGENTS) {
    const n = agent.exec(e)?.[1];
    if (n) return { projectNumber: n };
  }
  const id = USER_MANAGED.exec(e)?.[1];
  // `gcp-sa-*` domains belong to Google's service agents, not to a project of that name
  return id && !id.startsWith('gcp-sa-') ? { projectId: id } : null;
}

/** `alice_partner.com#EXT#@contoso.onmicrosoft.com` → `partner.com` (the invitee's own domain). */
function guestHome(n: GraphNode): string {
  const p = n.props as { mail?: unknown; userPrincipalName?: unknown };
  if (typeof p.mail === 'string' && p.mail.includes('@')) return p.mail.split('@').pop()?.toLowerCase() ?? '';
  const upn = typeof p.userPrincipalName === 'string' ? p.userPrincipalName : '';
  const local = upn.split('#EXT#')[0] ?? '';
  const at = local.lastIndexOf('_');
  return at >= 0 ? local.slice(at + 1).toLowerCase() : upn.toLowerCase();
}

/** What is ours: organization domains and projects of GCP, read once per findings run. */
export class OrganizationBoundary {
  private constructor(
    readonly domains: ReadonlySet<string>,
    private readonly projects: ReadonlySet<string>,
  ) {}

  static async load(store: GraphStore): Promise<OrganizationBoundary> {
    const domains = new Set<string>();
    for await (const o of scanNodes(store, ['Organization'])) {
      if (o.cloud !== 'gcp') continue;
      const listed = (o.props as { domains?: unknown }).domains;
      for (const d of Array.isArray(listed) ? listed : [])
        if (typeof d === 'string' && DOMAIN.test(d.toLowerCase())) domains.add(d.toLowerCase());
      if (DOMAIN.test(o.name.toLowerCase())) domains.add(o.name.toLowerCase());
    }
    const projects = new Set<string>();
    for await (const p of scanNodes(store, ['Project'])) {
      if (p.cloud !== 'gcp') continue;
      const props = p.props as { projectId?: unknown; projectNumber?: unknown };
      for (const v of [props.projectId, props.projectNumber, p.id.replace(/^gcp:projects\//, '')])
        if (typeof v === 'string') projects.add(v);
    }
    return new OrganizationBoundary(domains, projects);
  }

  private ownDomain(domain: string): boolean {
    for (const d of this.domains) if (domain === d || domain.endsWith(`.${d}`)) return true;
    return false;
  }

  private byDomain(domain: string): Outsider | null {
    if (CONSUMER_DOMAINS.has(domain)) return { reason: 'consumer-account', home: domain };
    // with no organization domain known every user would look foreign: judge none
    if (this.domains.size === 0 || this.ownDomain(domain)) return null;
    return { reason: 'other-domain', home: domain };
  }

  /** Why a principal node is an outsider, or null when it is ours (or cannot be told). */
  classify(n: GraphNode): Outsider | null {
    if (n.cloud === 'gcp') return this.gcp(n);
    if (n.cloud === 'azure') return azureOutsider(n);
    return null;
  }

  private gcp(n: GraphNode): Outsider | null {
    const m = gcpMember(n);
    if (!m) return null;
    if (m.type === 'user' || m.type === 'group') return this.byDomain(m.value.split('@').pop() ?? '');
    if (m.type === 'domain') return this.byDomain(m.value);
    if (m.type !== 'serviceAccount') return null;
    const project = serviceAccountProject(m.value);
    if (!project) return null;
    const ref = 'projectId' in project ? project.projectId : project.projectNumber;
    return this.projects.has(ref) ? null : { reason: 'other-project', home: ref };
  }
}

function azureOutsider(n: GraphNode): Outsider | null {
  const p = n.props as { userType?: unknown; userPrincipalName?: unknown; appOwnerOrganizationId?: unknown };
  if (n.kind === 'User') {
    const guest =
      (typeof p.userType === 'string' && p.userType.toLowerCase() === 'guest') ||
      (typeof p.userPrincipalName === 'string' && p.userPrincipalName.toUpperCase().includes('#EXT#'));
    return guest ? { reason: 'guest', home: guestHome(n) } : null;
  }
  if (n.kind !== 'ServicePrincipal' || typeof p.appOwnerOrganizationId !== 'string') return null;
  const owner = p.appOwnerOrganizationId.toLowerCase();
  // the source of an Azure node is `azure:<tenantId>` (ingest/azure/build-graph.ts)
  const tenant = n.source.replace(/^azure:/, '').toLowerCase();
  if (owner === tenant || MICROSOFT_TENANTS.has(owner)) return null;
  return { reason: 'other-tenant', home: owner };
}
