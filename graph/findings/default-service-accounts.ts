/**
 * default-service-account-admin: a GCP default service account (Compute Engine's
 * `<number>-compute@developer.gserviceaccount.com`, App Engine's
 * `<project>@appspot.gserviceaccount.com`) holds Editor or Owner on a project, folder or
 * organization. Google used to grant Editor to these accounts automatically, and every VM,
 * GKE node or App Engine app created without naming another account runs as them, so
 * anyone who can deploy code there acts with that role. Severity high.
 *
 * Read from the grants' `role` property (the GCP ingester records the binding's role on
 * each HAS_ACCESS edge); the path is the binding itself.
 */
import type { GraphEdge } from '../model.js';
import type { GraphStore } from '../store.js';
import { describeVia, makeFinding, type NodeNames } from './finding.js';
import { defaultServiceAccount, gcpMember } from './outsiders.js';
import type { Finding } from './types.js';
import { scanNodes } from './walk.js';

/** Basic roles, strongest first: an Owner binding is reported over an Editor one on the same scope. */
const BASIC_ROLES = ['roles/owner', 'roles/editor'];
const SCOPE_KINDS = new Set(['Organization', 'Folder', 'Project']);

const roleOf = (e: GraphEdge): string => {
  const role = (e.props as { role?: unknown }).role;
  return typeof role === 'string' ? role : '';
};

export async function defaultServiceAccountFindings(store: GraphStore, names: NodeNames): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const sa of scanNodes(store, ['ServiceAccount'])) {
    const email = sa.cloud === 'gcp' ? gcpMember(sa)?.value : undefined;
    const which = email ? defaultServiceAccount(email) : null;
    if (!email || !which) continue;
    const grants = (await store.getEdges(sa.id, { kinds: ['HAS_ACCESS'], direction: 'out', limit: 10_000 }))
      .filter((e) => BASIC_ROLES.includes(roleOf(e)))
      .sort((a, b) => BASIC_ROLES.indexOf(roleOf(a)) - BASIC_ROLES.indexOf(roleOf(b)));
    await names.load([sa.id, ...grants.map((e) => e.to)]);
    const seen = new Set<string>();
    for (const e of grants) {
      if (seen.has(e.to) || !SCOPE_KINDS.has(names.node(e.to)?.kind ?? '')) continue;
      seen.add(e.to);
      const role = roleOf(e);
      const label = which.kind === 'compute' ? 'Compute Engine default' : 'App Engine default';
      out.push(
        makeFinding({
          kind: 'default-service-account-admin',
          severity: 'high',
          principal: sa.id,
          target: e.to,
          title: `${label} service account ${email} holds ${role} on ${names.name(e.to)}`,
          path: [e],
          remediation: `Remove ${role} from ${email} in ${describeVia(e)} and grant the narrow roles its workloads need (or run them as a dedicated service account); enforce the organization policy constraint iam.automaticIamGrantsForDefaultServiceAccounts so new projects do not get the grant.`,
          details: { role, defaultAccount: which.kind, email },
        }),
      );
    }
  }
  return out;
}
