/**
 * Puts escalation into an account's graph: marks admin-equivalent grants, runs detection for
 * every group, user and role, and writes CAN_ESCALATE edges (and the account's administrator
 * node when some technique gains it).
 */
import type { JsonObject, JsonValue } from '../../../graph/model.js';
import type { AccountEnvironment, OrgPolicyLevel } from '../account-environment.js';
import type { ActionCatalog } from '../action-catalog.js';
import type { ManagedPolicyDetail } from '../auth-details-input.js';
import type { NamedPolicy, OrgLevel } from '../eval/decide.js';
import type { Policy } from '../eval/policy.js';
import type { PolicyAttachment, Restrictions } from '../grants.js';
import type { GraphBuilder } from '../graph-builder.js';
import type { KnownPrincipal } from '../principal-context.js';
import { addAdminNode, markAdminEquivalent } from './admin-node.js';
import type { Actor } from './authority.js';
import { detectEscalations, type RoleCarrier, type RoleInfo } from './detect.js';
import { settledAssumptions, TECHNIQUES } from './techniques.js';

export interface EscalationGraphInput {
  accountId: string;
  partition: string;
  accountNode: string;
  catalog: ActionCatalog;
  now: Date;
  env: AccountEnvironment | undefined;
  groups: Array<{ arn: string; known: KnownPrincipal; atts: PolicyAttachment[] }>;
  principals: Array<{
    known: KnownPrincipal;
    own: PolicyAttachment[];
    groups: string[];
    boundary: PolicyAttachment | null;
  }>;
  groupAtts: Map<string, PolicyAttachment[]>;
  travelsThrough: Map<string, string[]>;
  roles: Array<Omit<RoleInfo, 'managedPolicies'> & { attached: string[] }>;
  managedPolicies: readonly ManagedPolicyDetail[];
  orgId: string | null | undefined;
  /** what binds every principal of the account: SCP levels and RCP denies */
  accountRestrictions: Omit<Restrictions, 'boundary'>;
}

const named = (a: PolicyAttachment): NamedPolicy => ({ id: a.policyId, name: a.label, policy: a.policy });
const customerManaged = (atts: readonly PolicyAttachment[]) =>
  atts.map((a) => a.policyId).filter((id) => id.includes(':policy/') && !id.includes(':iam::aws:policy/'));
const levels = (ls: readonly OrgPolicyLevel[]): OrgLevel[] =>
  ls.map((l) => ({ id: l.level, policies: l.policies.map(named) }));

export function addEscalations(g: GraphBuilder, x: EscalationGraphInput): void {
  const direct = markAdminEquivalent(g, x.catalog, x.accountNode);
  const isAdmin = (id: string) =>
    direct.has(id) || (x.travelsThrough.get(id) ?? []).some((grp) => direct.has(grp));

  const actors: Actor[] = [
    ...x.groups.map(
      (grp): Actor => ({
        id: grp.arn,
        kind: 'group',
        known: grp.known,
        identity: grp.atts.map(named),
        boundary: null,
        groups: [],
        managedPolicies: customerManaged(grp.atts),
        parts: [{ from: grp.arn, policies: grp.atts.map(named) }],
      }),
    ),
    ...x.principals.map((p): Actor => {
      const all = [...p.own, ...p.groups.flatMap((grp) => x.groupAtts.get(grp) ?? [])];
      return {
        id: p.known.arn,
        kind: p.known.kind === 'role' ? 'role' : 'user',
        known: p.known,
        identity: all.map(named),
        boundary: p.boundary ? named(p.boundary) : null,
        groups: p.groups,
        managedPolicies: [...new Set(customerManaged(all))],
        parts: [
          { from: p.known.arn, policies: p.own.map(named) },
          ...p.groups.map((grp) => ({ from: grp, policies: (x.groupAtts.get(grp) ?? []).map(named) })),
        ],
      };
    }),
  ];
  // Also nothing to gain: an unconditional Allow * on * with no boundary and no deny of its
  // own, short of admin-equivalent only because of SCPs or RCPs, which bind every escalation too.
  const unrestrictedStar = (a: Actor) =>
    !a.boundary &&
    a.identity.every((p) => p.policy.statements.every((st) => st.effect === 'Allow')) &&
    a.identity.some((p) =>
      p.policy.statements.some(
        (st) => st.conditions.length === 0 && !!st.action?.includes('*') && !!st.resource?.includes('*'),
      ),
    );
  const admins = new Set(actors.filter((a) => isAdmin(a.id) || unrestrictedStar(a)).map((a) => a.id));
  const boundaryAtts = new Map(
    x.principals.flatMap((p) => (p.boundary ? [[p.boundary.policyId, p.boundary] as const] : [])),
  );
  const inOrg = !!x.env?.organizationId;
  const resources: RoleCarrier[] | null = x.env
    ? x.env.resources.flatMap((r) => (r.roleArn ? [{ arn: r.arn, type: r.type, roleArn: r.roleArn }] : []))
    : null;

  const found = detectEscalations({
    accountId: x.accountId,
    partition: x.partition,
    now: x.now,
    actors,
    travelsThrough: x.travelsThrough,
    users: x.principals.filter((p) => p.known.kind === 'user').map((p) => p.known.arn),
    groups: x.groups.map((grp) => grp.arn),
    roles: x.roles.map((r) => ({
      arn: r.arn,
      trust: r.trust,
      serviceLinked: r.serviceLinked,
      instanceProfiles: r.instanceProfiles,
      managedPolicies: r.attached.filter((a) => !a.includes(':iam::aws:policy/')),
    })),
    resources,
    settled: settledAssumptions(x.env?.resources ?? []),
    guardrails: {
      scpLevels: inOrg && x.env ? levels(x.env.scpLevels) : null,
      rcpLevels: inOrg && x.env ? levels(x.env.rcpLevels) : null,
      managementAccountId: x.env?.managementAccountId ?? null,
    },
    admins,
    adminVersions: adminVersions(x.managedPolicies, x.catalog),
    boundaries: new Map(
      x.principals.flatMap((p) => (p.boundary ? [[p.known.arn, p.boundary.policyId]] : [])),
    ),
  });
  const adminScope = {
    accountId: x.accountId,
    accountNode: x.accountNode,
    catalog: x.catalog,
    now: x.now,
    orgId: x.orgId,
    restrictions: x.accountRestrictions,
  };

  const category = new Map(TECHNIQUES.map((t) => [t.id, t.category]));
  for (const e of found) {
    const to =
      e.to ?? addAdminNode(g, adminScope, e.boundary ? (boundaryAtts.get(e.boundary) ?? null) : null);
    if (!g.nodes.has(to)) continue; // a resource's role that the export does not list
    const props: JsonObject = {
      technique: e.technique,
      category: category.get(e.technique) ?? null,
      conditional: e.conditional,
      conditions: e.conditional ? e.conditions : null,
      permissions: e.steps as unknown as JsonValue,
    };
    if (e.through) props.through = e.through;
    if (e.assumes) props.assumes = e.assumes;
    const via = e.via
      ? {
          ...e.via,
          // the explanation shows every permission the technique used, not just the key one
          excerpt: {
            statement: e.via.excerpt,
            permissions: e.steps.map((s) => `${s.action} on ${s.resource}`),
          },
        }
      : null;
    g.edge({
      kind: 'CAN_ESCALATE',
      from: e.from,
      to,
      via,
      props: props as never,
      discriminator: e.technique,
    });
  }
}

/** Customer managed policies whose default version is short of everything but another version grants it. */
function adminVersions(
  policies: readonly ManagedPolicyDetail[],
  catalog: ActionCatalog,
): Map<string, string> {
  const out = new Map<string, string>();
  if (!catalog.hasAllServices()) return out;
  const all = catalog.expand(['*'], null).length;
  const grantsEverything = (p: Policy) =>
    p.statements.every((st) => st.effect === 'Allow') &&
    p.statements.some(
      (st) =>
        st.conditions.length === 0 &&
        !!st.resource?.includes('*') &&
        catalog.expand(st.action, st.notAction).length === all,
    );
  for (const p of policies) {
    if (p.arn.includes(':iam::aws:policy/') || (p.policy && grantsEverything(p.policy))) continue;
    const v = p.otherVersions.find((x) => grantsEverything(x.policy));
    if (v) out.set(p.arn, v.versionId);
  }
  return out;
}
