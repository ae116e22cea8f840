/**
 * Impersonation (CAN_ASSUME) and privilege escalation (CAN_ESCALATE), from the methods in
 * the public GCP privilege-escalation research (Rhino Security Labs), evaluated per
 * principal over its own grants and those of the groups it belongs to (each permission
 * granted at the target or above it). The edge starts at the one holder (principal or
 * group) whose grants suffice, so a group's members share one edge; only when the
 * permissions come from different holders does it start at the principal itself. The
 * methods that hand over no principal (organization policy, API keys) live in
 * capabilities.ts. docs/gcp-ingest.md lists each technique id.
 */
import type { JsonValue, Via } from '../../graph/model.js';
import { CAPABILITY_TECHNIQUE_IDS, type CapabilityKind, capabilityEscalations } from './capabilities.js';
import type { EffectiveAccess, HeldPermission } from './effective.js';
import type { Hierarchy } from './hierarchy.js';

const p = (s: string) => s.toLowerCase();

/** Permissions that let a caller obtain a service account's credentials directly. */
export const IMPERSONATION_PERMISSIONS = [
  'iam.serviceAccounts.getAccessToken',
  'iam.serviceAccounts.signBlob',
  'iam.serviceAccounts.signJwt',
  'iam.serviceAccounts.implicitDelegation',
].map(p);

export interface ServiceAccountInfo {
  node: string;
  email: string;
  /** project node id, when known */
  project: string | null;
}

export interface EscalationWorld {
  hierarchy: Hierarchy;
  /** every principal, with the holders whose grants it uses (itself first, then its groups) */
  principals: Array<{ node: string; holders: string[] }>;
  access: EffectiveAccess;
  serviceAccounts: ServiceAccountInfo[];
  /** node ids of containers by kind */
  organizations: string[];
  folders: string[];
  projects: string[];
  /** project node id → project number, when known */
  projectNumber: Map<string, string>;
  /** compute resources and the service accounts they run as */
  runsAs: Array<{ resource: string; assetType: string; serviceAccounts: string[] }>;
  /** custom role grants: holder, role name, scope where the role is granted */
  customRoleGrants: Array<{ holder: string; role: string; roleParent: string; scope: string; via: Via }>;
  /** resources (not containers, not service accounts) with their service prefix */
  resources: Array<{ node: string; service: string }>;
  /** node id for a service account email, when such a principal exists */
  serviceAccountNode(email: string): string | null;
  scopeAdmin(scope: string): string;
  /** node id of the synthetic node for a capability that hands over no principal (capabilities.ts) */
  capability(kind: CapabilityKind, scope: string): string;
}

export interface Escalation {
  from: string;
  to: string;
  technique: string;
  edge: 'CAN_ASSUME' | 'CAN_ESCALATE';
  held: HeldPermission[];
  /** other techniques that give the same principal the same target */
  alternatives?: string[];
}

const ACT_AS = p('iam.serviceAccounts.actAs');

/** Methods "create something that runs as a service account of my choosing in a project". */
const RUN_AS_NEW: Array<{ technique: string; permissions: string[] }> = [
  {
    technique: 'gcp-compute-instances-create',
    permissions: [
      'compute.disks.create',
      'compute.instances.create',
      'compute.instances.setMetadata',
      'compute.instances.setServiceAccount',
      'compute.subnetworks.use',
      'compute.subnetworks.useExternalIp',
    ].map(p),
  },
  {
    technique: 'gcp-cloudfunctions-functions-create-call',
    permissions: [
      'cloudfunctions.functions.create',
      'cloudfunctions.functions.sourceCodeSet',
      'cloudfunctions.functions.call',
    ].map(p),
  },
  {
    technique: 'gcp-cloudfunctions-functions-create-setIamPolicy',
    permissions: [
      'cloudfunctions.functions.create',
      'cloudfunctions.functions.sourceCodeSet',
      'cloudfunctions.functions.setIamPolicy',
    ].map(p),
  },
  {
    technique: 'gcp-run-services-create-invoke',
    permissions: ['run.services.create', 'run.routes.invoke'].map(p),
  },
  {
    technique: 'gcp-run-services-create-setIamPolicy',
    permissions: ['run.services.create', 'run.services.setIamPolicy'].map(p),
  },
  {
    technique: 'gcp-cloudscheduler-jobs-create',
    permissions: ['cloudscheduler.jobs.create', 'cloudscheduler.locations.list'].map(p),
  },
];

/** Methods that take over the service account a given service agent runs builds/deployments as. */
const SERVICE_AGENT: Array<{
  technique: string;
  permission: string;
  account: (projectNumber: string) => string;
}> = [
  {
    technique: 'gcp-deploymentmanager-deployments-create',
    permission: p('deploymentmanager.deployments.create'),
    account: (n) => `${n}@cloudservices.gserviceaccount.com`,
  },
  {
    technique: 'gcp-cloudbuild-builds-create',
    permission: p('cloudbuild.builds.create'),
    account: (n) => `${n}@cloudbuild.gserviceaccount.com`,
  },
];

/** Single permissions on a service account (or above it) that hand it over. */
const ON_SERVICE_ACCOUNT: Array<{ technique: string; permission: string }> = [
  { technique: 'gcp-iam-serviceAccountKeys-create', permission: p('iam.serviceAccountKeys.create') },
  { technique: 'gcp-iam-serviceAccounts-setIamPolicy', permission: p('iam.serviceAccounts.setIamPolicy') },
  { technique: 'gcp-storage-hmacKeys-create', permission: p('storage.hmacKeys.create') },
];

const SET_IAM: Array<{
  technique: string;
  permission: string;
  kind: 'organizations' | 'folders' | 'projects';
}> = [
  {
    technique: 'gcp-resourcemanager-organizations-setIamPolicy',
    permission: p('resourcemanager.organizations.setIamPolicy'),
    kind: 'organizations',
  },
  {
    technique: 'gcp-resourcemanager-folders-setIamPolicy',
    permission: p('resourcemanager.folders.setIamPolicy'),
    kind: 'folders',
  },
  {
    technique: 'gcp-resourcemanager-projects-setIamPolicy',
    permission: p('resourcemanager.projects.setIamPolicy'),
    kind: 'projects',
  },
];

export const TECHNIQUES = [
  ...ON_SERVICE_ACCOUNT.map((t) => t.technique),
  ...SET_IAM.map((t) => t.technique),
  ...RUN_AS_NEW.map((t) => t.technique),
  ...SERVICE_AGENT.map((t) => t.technique),
  'gcp-cloudfunctions-functions-update',
  'gcp-compute-instances-setMetadata',
  'gcp-iam-roles-update',
  'gcp-resource-setIamPolicy',
  ...CAPABILITY_TECHNIQUE_IDS,
] as const;

export function findEscalations(w: EscalationWorld): Escalation[] {
  const out = new Map<string, Escalation>();
  const add = (e: Escalation) => {
    const holders = new Set(e.held.map((h) => h.holder));
    const from = holders.size === 1 ? (e.held[0] as HeldPermission).holder : e.from;
    const key = `${e.edge}|${from}|${e.to}|${e.technique}`;
    if (from !== e.to && !out.has(key)) out.set(key, { ...e, from });
  };
  const administeredBy = new Map<string, string[]>();
  const covered = (principal: string, target: string) => {
    const above = w.hierarchy.ancestorsOrSelf(target);
    return (administeredBy.get(principal) ?? []).some((x) => above.includes(x));
  };
  for (const pr of w.principals) {
    const holder = pr.holders;
    // Administering a scope covers everything below it (CONTAINS), service accounts included
    // (the scope-admin node can assume them): targets below an administered scope are skipped.
    const administered: string[] = [];
    administeredBy.set(pr.node, administered);
    for (const t of SET_IAM) {
      const targets =
        t.kind === 'organizations' ? w.organizations : t.kind === 'folders' ? w.folders : w.projects;
      for (const scope of targets) {
        const above = w.hierarchy.ancestorsOrSelf(scope);
        if (administered.some((x) => above.includes(x))) continue;
        const h = w.access.on(holder, t.permission, scope);
        if (!h) continue;
        if (!h.conditional) administered.push(scope);
        add({
          from: pr.node,
          to: w.scopeAdmin(scope),
          technique: t.technique,
          edge: 'CAN_ESCALATE',
          held: [h],
        });
      }
    }
    for (const sa of w.serviceAccounts) {
      const saAbove = w.hierarchy.ancestorsOrSelf(sa.node);
      if (administered.some((x) => saAbove.includes(x))) continue;
      for (const perm of IMPERSONATION_PERMISSIONS) {
        const h = w.access.on(holder, perm, sa.node);
        if (h) {
          add({ from: pr.node, to: sa.node, technique: perm, edge: 'CAN_ASSUME', held: [h] });
          break;
        }
      }
      for (const t of ON_SERVICE_ACCOUNT) {
        const h = w.access.on(holder, t.permission, sa.node);
        if (h) add({ from: pr.node, to: sa.node, technique: t.technique, edge: 'CAN_ESCALATE', held: [h] });
      }
      // Creating a workload in the account's own project: the default organization policy
      // (iam.disableCrossProjectServiceAccountUsage) stops attaching accounts of other projects.
      const actAs = sa.project ? w.access.on(holder, ACT_AS, sa.node) : null;
      if (actAs && sa.project) {
        // the methods are alternatives for the same gain: one edge, the others listed
        const project = sa.project;
        const found = RUN_AS_NEW.flatMap((t) => {
          const held = w.access.allOn(holder, t.permissions, project);
          return held ? [{ technique: t.technique, held: [...held, actAs] }] : [];
        });
        const first = found.find((f) => f.held.every((x) => !x.conditional)) ?? found[0];
        if (first)
          add({
            from: pr.node,
            to: sa.node,
            technique: first.technique,
            edge: 'CAN_ESCALATE',
            held: first.held,
            alternatives: found.filter((f) => f !== first).map((f) => f.technique),
          });
      }
    }
    for (const project of w.projects) {
      const number = w.projectNumber.get(project);
      if (!number) continue;
      for (const t of SERVICE_AGENT) {
        const found = w.serviceAccountNode(t.account(number));
        const agent = found && !covered(pr.node, found) ? found : null;
        const h = agent ? w.access.on(holder, t.permission, project) : null;
        if (agent && h)
          add({ from: pr.node, to: agent, technique: t.technique, edge: 'CAN_ESCALATE', held: [h] });
      }
    }
    for (const r of w.runsAs) {
      for (const email of r.serviceAccounts) {
        const sa = w.serviceAccountNode(email);
        if (!sa || covered(pr.node, sa)) continue;
        if (
          r.assetType === 'cloudfunctions.googleapis.com/CloudFunction' ||
          r.assetType === 'cloudfunctions.googleapis.com/Function'
        ) {
          // actAs is checked on the service account, the code permissions on the function
          const actAs = w.access.on(holder, ACT_AS, sa);
          const code = w.access.allOn(
            holder,
            ['cloudfunctions.functions.sourceCodeSet', 'cloudfunctions.functions.update'].map(p),
            r.resource,
          );
          if (code && actAs)
            add({
              from: pr.node,
              to: sa,
              technique: 'gcp-cloudfunctions-functions-update',
              edge: 'CAN_ESCALATE',
              held: [...code, actAs],
            });
        }
        if (r.assetType === 'compute.googleapis.com/Instance') {
          const h = w.access.on(holder, p('compute.instances.setMetadata'), r.resource);
          if (h)
            add({
              from: pr.node,
              to: sa,
              technique: 'gcp-compute-instances-setMetadata',
              edge: 'CAN_ESCALATE',
              held: [h],
            });
        }
      }
    }
    // organization-policy control and API keys: capabilities, not principals (capabilities.ts)
    for (const e of capabilityEscalations(w, pr, (scope) => covered(pr.node, scope)))
      add({ ...e, edge: 'CAN_ESCALATE' });
  }
  // A custom role its holder can edit can be given any permission: the holder becomes
  // administrator of every scope where it holds that role.
  for (const pr of w.principals) {
    for (const g of w.customRoleGrants) {
      if (!pr.holders.includes(g.holder)) continue;
      const h = w.access.on(pr.holders, p('iam.roles.update'), g.roleParent);
      if (h)
        add({
          from: pr.node,
          to: w.scopeAdmin(g.scope),
          technique: 'gcp-iam-roles-update',
          edge: 'CAN_ESCALATE',
          held: [
            h,
            {
              holder: g.holder,
              scope: g.scope,
              permission: `role:${g.role}`,
              conditional: false,
              conditions: [],
              via: g.via,
            },
          ],
        });
    }
  }
  // setIamPolicy granted on a single resource (a bucket, a secret): its holder can grant
  // itself any role on that resource. Read from the grants, not per principal × resource.
  const resourceService = new Map(w.resources.map((r) => [r.node, r.service]));
  for (const perm of RESOURCE_SET_IAM)
    for (const h of w.access.grantsOf(perm)) {
      const service = resourceService.get(h.scope);
      if (service === undefined || !perm.startsWith(`${service}.`) || covered(h.holder, h.scope)) continue;
      add({
        from: h.holder,
        to: w.scopeAdmin(h.scope),
        technique: 'gcp-resource-setIamPolicy',
        edge: 'CAN_ESCALATE',
        held: [h],
      });
    }
  return [...out.values()];
}

/** setIamPolicy permissions of resources below projects that hold data. */
const RESOURCE_SET_IAM = [
  'storage.buckets.setIamPolicy',
  'secretmanager.secrets.setIamPolicy',
  'bigquery.datasets.setIamPolicy',
  'bigquery.tables.setIamPolicy',
  'pubsub.topics.setIamPolicy',
  'cloudfunctions.functions.setIamPolicy',
  'run.services.setIamPolicy',
  'compute.instances.setIamPolicy',
].map(p);

/** The via and conditions of an escalation edge: the first grant, with all of them listed. */
export function escalationVia(e: Escalation): { via: Via; conditional: boolean; conditions: JsonValue } {
  const first = e.held[0] as HeldPermission;
  const conditional = e.held.some((h) => h.conditional);
  return {
    via: {
      ...first.via,
      excerpt: e.held.map((h) => ({
        permission: h.permission,
        scope: h.scope,
        via: h.via.ref,
        statement: h.via.statement,
      })),
    },
    conditional,
    conditions: conditional ? e.held.flatMap((h) => h.conditions) : null,
  };
}
