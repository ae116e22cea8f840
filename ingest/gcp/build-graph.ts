/**
 * Inventory → graph: containers and CONTAINS, principals and MEMBER_OF, allow bindings as
 * HAS_ACCESS at the scope of the binding (after IAM Conditions and deny policies), then
 * impersonation and escalation, split into one source per organization (or per project
 * or folder when no organization is known).
 */

import { guardProps } from '../../graph/access-exceptions.js';
import {
  type ContainerKind,
  type GraphEdge,
  type GraphNode,
  isPrincipalKind,
  type JsonObject,
  type JsonValue,
  type Via,
} from '../../graph/model.js';
import { IngestError } from '../errors.js';
import type { IngestedSource } from '../types.js';
import { type CapabilityKind, capabilityNode } from './capabilities.js';
import { decideAtResource, decideCondition, type Tri } from './conditions.js';
import { compileRule, type DenyRule, type DenySubject, denyIdentitiesOf, ruleAppliesTo } from './deny.js';
import { EffectiveAccess } from './effective.js';
import { escalationVia, findEscalations, type ServiceAccountInfo } from './escalation.js';
import { applyDenies, type DenyContext, type Grant, rulesTouching } from './grants.js';
import { GcpGraph } from './graph-builder.js';
import { Hierarchy } from './hierarchy.js';
import * as ids from './ids.js';
import type { Inventory } from './inventory.js';
import { MemberError, parseMember, serviceAccountNodeId } from './members.js';
import { levelOfPermission, levelsOf } from './permissions.js';
import type { RoleCatalog } from './roles-catalog.js';

const CONTAINER_KIND: Record<string, ContainerKind> = {
  organizations: 'Organization',
  folders: 'Folder',
  projects: 'Project',
};

/** `//storage.googleapis.com/b` → the name IAM Conditions see (`projects/_/buckets/b`), type and service. */
function conditionResource(fullName: string, assetType: string | null) {
  const m = /^\/\/([^/]+)\/(.*)$/.exec(fullName);
  const service = m?.[1] ?? '';
  let name = m?.[2] ?? fullName;
  if (service === 'storage.googleapis.com' && !name.includes('/')) name = `projects/_/buckets/${name}`;
  return { name, type: assetType ?? '', service };
}

export function buildGcpSources(inv: Inventory, roles: RoleCatalog, now: Date): IngestedSource[] {
  const g = new GcpGraph();
  const h = new Hierarchy();
  const warnings = [...inv.warnings];

  // Containers and the hierarchy
  const containerRefs = new Set<string>([...inv.containers.keys(), ...inv.parents.keys()]);
  for (const { parent } of inv.parents.values()) containerRefs.add(parent);
  for (const r of inv.resources.values()) for (const a of r.ancestors) containerRefs.add(a);
  for (const p of inv.iamPolicies) for (const a of p.ancestors) containerRefs.add(a);
  for (const d of inv.denyPolicies) containerRefs.add(d.attachment);
  for (const s of inv.serviceAccounts.values()) if (s.project) containerRefs.add(s.project);
  const numberOf = new Map<string, string>();
  for (const [num, id] of inv.projectNumberToId) numberOf.set(ids.projectId(id), num);
  for (const ref of containerRefs) {
    const canon = inv.canonical(ref);
    const node = inv.containerNode(canon);
    if (g.nodes.has(node)) continue;
    const kind = CONTAINER_KIND[canon.slice(0, canon.indexOf('/'))] ?? 'Project';
    const rec = inv.containers.get(canon) ?? inv.containers.get(ref);
    const value = canon.slice(canon.indexOf('/') + 1);
    const props: JsonObject = { ...rec?.props, name: canon };
    if (kind === 'Project') {
      if (/^\d+$/.test(value)) props.projectNumber = value;
      else {
        props.projectId = value;
        const num = numberOf.get(node);
        if (num) props.projectNumber = num;
      }
    }
    g.node({ id: node, kind, name: rec?.displayName ?? value, type: `gcp:${kind.toLowerCase()}`, props });
  }
  for (const [child, { parent }] of inv.parents) {
    const c = inv.containerNode(child);
    const p = inv.containerNode(parent);
    h.link(c, p);
  }
  for (const [child, parent] of h.parent)
    g.edge({ kind: 'CONTAINS', from: parent, to: child, via: null, props: {} });

  // Resources
  const resourceType = new Map<string, string>();
  for (const r of inv.resources.values()) {
    const node = inv.resourceNode(r.fullName);
    resourceType.set(node, r.assetType);
    g.node({
      id: node,
      kind: 'Resource',
      name: r.displayName ?? r.fullName.split('/').pop() ?? r.fullName,
      type: r.assetType,
      props: {
        ...r.props,
        fullResourceName: r.fullName,
        ...(r.runsAs.length ? { serviceAccounts: r.runsAs } : {}),
      },
    });
    const parent = r.ancestors[0];
    if (parent) {
      h.link(node, inv.containerNode(parent));
      g.edge({ kind: 'CONTAINS', from: inv.containerNode(parent), to: node, via: null, props: {} });
    }
  }

  // Principals
  const principal = (member: string, where: { file: string; path: string }): string => {
    let m: ReturnType<typeof parseMember>;
    try {
      m = parseMember(member);
    } catch (e) {
      if (e instanceof MemberError) throw new IngestError(where.file, where.path, e.message);
      throw e;
    }
    g.node({ id: m.id, kind: m.kind, name: m.name, type: m.type, props: m.props });
    return m.id;
  };
  const saInfo = new Map<string, ServiceAccountInfo>();
  const addSa = (email: string, projectRef: string | null, extra: JsonObject = {}) => {
    const node = principal(`serviceAccount:${email}`, { file: '(inventory)', path: '$' });
    const fromEmail = /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(email)?.[1];
    const project = projectRef ? inv.containerNode(projectRef) : fromEmail ? ids.projectId(fromEmail) : null;
    const known = project && g.nodes.has(project) ? project : null;
    if (!saInfo.has(node)) saInfo.set(node, { node, email, project: known });
    const n = g.nodes.get(node);
    if (n) n.props = { ...n.props, ...extra };
    if (known) {
      h.link(node, known);
      g.edge({ kind: 'CONTAINS', from: known, to: node, via: null, props: {} });
    }
  };
  for (const s of inv.serviceAccounts.values())
    addSa(s.email, s.project, { ...s.props, ...(s.uniqueId ? { uniqueId: s.uniqueId } : {}) });

  // Groups (nested): member → group
  const memberOf = new Map<string, Set<string>>();
  for (const [groupEmail, members] of inv.groups) {
    const gid = principal(`group:${groupEmail}`, { file: '(groups)', path: '$' });
    for (const m of members) {
      const mid = principal(m, { file: '(groups)', path: `$.groups[${JSON.stringify(groupEmail)}]` });
      memberOf.set(mid, (memberOf.get(mid) ?? new Set()).add(gid));
    }
  }
  const groupsOf = (node: string): string[] => {
    const out = new Set<string>();
    const stack = [...(memberOf.get(node) ?? [])];
    while (stack.length) {
      const x = stack.pop() as string;
      if (out.has(x)) continue;
      out.add(x);
      stack.push(...(memberOf.get(x) ?? []));
    }
    return [...out];
  };

  // Deny rules
  const rules: DenyRule[] = [];
  for (const d of inv.denyPolicies) {
    const id = ids.denyPolicyId(d.name);
    const attachment = inv.containerNode(d.attachment);
    g.node({
      id,
      kind: 'Policy',
      name: d.displayName ?? d.name.split('/').pop() ?? d.name,
      type: 'gcp:deny-policy',
      props: { name: d.name, attachmentPoint: attachment, rules: d.rules.map((r) => r.raw) },
    });
    g.edge({ kind: 'ATTACHED_TO', from: id, to: attachment, via: null, props: { as: 'deny' } });
    d.rules.forEach((r, i) => {
      rules.push(compileRule(id, `${d.displayName ?? d.name} (deny policy)`, i, attachment, r));
    });
  }
  const ctx: DenyContext = { rules, hierarchy: h, now };
  const subjectOf = (node: string): DenySubject => {
    const n = g.nodes.get(node);
    const members = [node, ...groupsOf(node)].map(
      (x) => (g.nodes.get(x)?.props?.member as string | undefined) ?? '',
    );
    return {
      identities: members.flatMap(denyIdentitiesOf),
      identified: n?.type !== 'gcp:public',
    };
  };
  const denyVector = (node: string): Tri[] => {
    const s = subjectOf(node);
    return rules.map((r) => ruleAppliesTo(r, s));
  };

  // Allow bindings → grants
  const grantsBy = new Map<string, Grant[]>();
  const customRoleGrants: Array<{
    holder: string;
    role: string;
    roleParent: string;
    scope: string;
    via: Via;
  }> = [];
  const usedRoles = new Set<string>();
  for (const pol of inv.iamPolicies) {
    const scope = inv.resourceNode(pol.resource);
    // a service account's own policy may be the first we hear of it: it is a principal
    if (scope.startsWith('gcp:serviceAccount:') && !saInfo.has(scope))
      addSa(scope.slice('gcp:serviceAccount:'.length), pol.ancestors[0] ?? null);
    if (!g.nodes.has(scope)) {
      const kind = resourceType.get(scope) ?? pol.assetType ?? 'gcp:resource';
      g.node({
        id: scope,
        kind: 'Resource',
        name: pol.resource.split('/').pop() ?? pol.resource,
        type: kind,
        props: { fullResourceName: pol.resource, inventoried: false },
      });
      resourceType.set(scope, kind);
    }
    const parent = pol.ancestors[0];
    if (parent && !h.parent.has(scope) && scope !== inv.containerNode(parent)) {
      h.link(scope, inv.containerNode(parent));
      g.edge({ kind: 'CONTAINS', from: inv.containerNode(parent), to: scope, via: null, props: {} });
    }
    const policyId = ids.iamPolicyId(scope);
    const isContainer =
      g.nodes.get(scope)?.kind !== 'Resource' && g.nodes.get(scope)?.kind !== 'ServiceAccount';
    g.node({
      id: policyId,
      kind: 'Policy',
      name: `IAM policy of ${ids.scopeName(scope)}`,
      type: 'gcp:iam-policy',
      props: { bindings: [] },
    });
    // one policy node per scope; several inputs may list bindings of the same policy
    const polNode = g.nodes.get(policyId) as GraphNode;
    const bindingList = [...((polNode.props?.bindings as JsonValue[] | undefined) ?? [])];
    g.edge({ kind: 'ATTACHED_TO', from: policyId, to: scope, via: null, props: { as: 'allow' } });
    polNode.props = { ...polNode.props, bindings: bindingList };
    for (const b of pol.bindings) {
      const index = bindingList.length;
      bindingList.push(b.raw);
      const role = roles.get(b.role);
      if (!role) {
        warnings.push(
          `${b.where.file}: ${b.where.path}: role ${b.role} is not in the predefined-role catalogue (${roles.catalogue.source}, ${roles.catalogue.generatedAt}) nor in the inputs; this binding grants nothing in the graph. Add the role's \`gcloud iam roles describe\` output.`,
        );
        continue;
      }
      usedRoles.add(b.role);
      let decided: Tri = true;
      if (b.condition) {
        decided = isContainer
          ? decideCondition(b.condition.expression, { now })
          : decideAtResource(
              b.condition.expression,
              now,
              conditionResource(pol.resource, resourceType.get(scope) ?? null),
            );
        if (decided === false) {
          warnings.push(
            `${b.where.file}: ${b.where.path}: the condition "${b.condition.title ?? b.condition.expression}" is false at ingest time (${now.toISOString()}); the binding grants nothing now`,
          );
          continue;
        }
      }
      const label = `${b.role} on ${ids.scopeName(scope)}`;
      for (const [mi, member] of b.members.entries()) {
        const holder = principal(member, { file: b.where.file, path: `${b.where.path}.members[${mi}]` });
        const grant: Grant = {
          holder,
          member,
          scope,
          role: b.role,
          permissions: role.permissions,
          conditional: decided === null,
          conditions: decided === null && b.condition ? [b.condition as JsonObject] : [],
          policyId,
          bindingIndex: index,
          label,
          excerpt: b.raw,
        };
        grantsBy.set(holder, [...(grantsBy.get(holder) ?? []), grant]);
        if (role.custom) {
          const roleParent = inv.containerNode(b.role.split('/roles/')[0] as string);
          customRoleGrants.push({
            holder,
            role: b.role,
            roleParent,
            scope,
            via: { ref: policyId, label, statement: index, excerpt: b.raw },
          });
        }
      }
    }
  }

  // Group memberships: travelled unless a deny treats the member differently from the group
  const touching = new Map<Grant, DenyRule[]>();
  const touches = (gr: Grant) => {
    if (!touching.has(gr)) touching.set(gr, rulesTouching(ctx, gr));
    return touching.get(gr) as DenyRule[];
  };
  const available = new Map<string, Grant[]>();
  const materialized = new Set<string>();
  // Groups may nest in cycles. A walk that meets a group already on its stack stops there
  // and notes the cut; a result is kept for reuse only when the only group cut is the one
  // being computed (its own grants are already in the list), else it would miss grants
  // that reach it around the cycle.
  const availableAt = (group: string, stack: Set<string>): { grants: Grant[]; cuts: Set<string> } => {
    const memo = available.get(group);
    if (memo) return { grants: memo, cuts: new Set() };
    if (stack.has(group)) return { grants: [], cuts: new Set([group]) };
    stack.add(group);
    const own = [...(grantsBy.get(group) ?? [])];
    const cuts = new Set<string>();
    for (const parent of memberOf.get(group) ?? []) {
      const m = membership(group, parent, stack);
      own.push(...m.grants);
      for (const c of m.cuts) cuts.add(c);
    }
    stack.delete(group);
    cuts.delete(group);
    if (cuts.size === 0) available.set(group, own);
    return { grants: own, cuts };
  };
  /** grants a member gets through one membership; copies them onto the member when materialized */
  const membership = (
    member: string,
    group: string,
    stack: Set<string>,
  ): { grants: Grant[]; cuts: Set<string> } => {
    const { grants: inherited, cuts } = availableAt(group, stack);
    const mv = denyVector(member);
    const gv = denyVector(group);
    const differs = rules.some((r, i) => mv[i] !== gv[i] && inherited.some((gr) => touches(gr).includes(r)));
    if (!differs) return { grants: inherited, cuts };
    // a cut result is partial: decide again once the cycle's result is complete
    if (cuts.size > 0) return { grants: inherited, cuts };
    materialized.add(`${member}|${group}`);
    const copies = inherited.map((gr) => ({ ...gr, holder: member, inheritedFrom: gr.holder }));
    grantsBy.set(member, [...(grantsBy.get(member) ?? []), ...copies]);
    return { grants: copies, cuts };
  };
  for (const [member, groups] of memberOf)
    for (const group of groups) {
      if (!(g.nodes.get(member)?.kind === 'Group')) membership(member, group, new Set());
      else availableAt(member, new Set());
    }
  for (const [member, groups] of memberOf)
    for (const group of groups)
      g.edge({
        kind: 'MEMBER_OF',
        from: member,
        to: group,
        via: null,
        props: materialized.has(`${member}|${group}`) ? { grantsMaterialized: true } : {},
      });

  // HAS_ACCESS
  const access = new EffectiveAccess(h);
  const catalogue = roles.allPermissions();
  for (const [holder, grants] of grantsBy) {
    const subject = subjectOf(holder);
    for (const gr of grants) {
      const inheritedFrom = (gr as Grant & { inheritedFrom?: string }).inheritedFrom;
      for (const part of applyDenies(ctx, gr, subject)) {
        const scopeKind = g.nodes.get(gr.scope)?.kind;
        const isAdminScope =
          scopeKind === 'Organization' || scopeKind === 'Folder' || scopeKind === 'Project';
        const owner = gr.role === 'roles/owner' && part.part === 0;
        const levels = levelsOf(part.permissions);
        if (owner) levels.push('admin');
        const props: JsonObject = {
          actions: [...part.permissions].sort(),
          levels: [...new Set(levels)].sort(),
          conditional: part.conditional,
          conditions: part.conditional ? part.conditions : null,
          role: gr.role,
          member: gr.member,
        };
        if (owner && isAdminScope) props.adminEquivalent = true;
        Object.assign(
          props,
          guardProps(
            part.permissions.map((id) => ({ id, level: levelOfPermission(id) })),
            part.exceptions,
          ),
        );
        if (inheritedFrom) props.inheritedFrom = inheritedFrom;
        const via: Via = {
          ref: gr.policyId,
          label: gr.label,
          statement: gr.bindingIndex,
          excerpt: gr.excerpt,
        };
        g.edge({
          kind: 'HAS_ACCESS',
          from: holder,
          to: gr.scope,
          via,
          props: props as never,
          discriminator: `${gr.policyId}#${gr.bindingIndex}#${gr.member}${inheritedFrom ? `#from:${inheritedFrom}` : ''}#${part.part}`,
        });
        for (const perm of part.permissions)
          access.add({
            holder,
            scope: gr.scope,
            permission: perm,
            conditional: part.conditional,
            conditions: part.conditions,
            via,
          });
      }
    }
  }

  // Role definitions
  for (const name of new Set([...usedRoles, ...roles.customRoles().map((r) => r.name)])) {
    const r = roles.get(name);
    if (!r) continue;
    g.node({
      id: ids.roleId(name),
      kind: 'RoleDefinition',
      name: r.title,
      type: r.custom ? 'gcp:custom-role' : 'gcp:predefined-role',
      props: {
        role: name,
        permissions: r.permissions,
        subset: r.subset,
        stage: r.stage,
        deleted: r.deleted,
        origin: r.origin,
      },
    });
    if (r.custom) {
      const parent = inv.containerNode(name.split('/roles/')[0] as string);
      if (g.nodes.has(parent))
        g.edge({ kind: 'CONTAINS', from: parent, to: ids.roleId(name), via: null, props: {} });
    }
  }

  // Workloads and the accounts they run as
  const runsAs: Array<{ resource: string; assetType: string; serviceAccounts: string[] }> = [];
  for (const r of inv.resources.values()) {
    if (r.runsAs.length === 0) continue;
    const node = inv.resourceNode(r.fullName);
    for (const email of r.runsAs) {
      if (!saInfo.has(serviceAccountNodeId(email))) addSa(email, null);
      g.edge({ kind: 'RUNS_AS', from: node, to: serviceAccountNodeId(email), via: null, props: {} });
    }
    runsAs.push({ resource: node, assetType: r.assetType, serviceAccounts: r.runsAs });
  }
  // Service accounts that only appear as members still are impersonation targets
  for (const n of [...g.nodes.values()])
    if (n.kind === 'ServiceAccount' && !saInfo.has(n.id)) addSa(n.name, null);

  // Impersonation and escalation
  const nodesOfKind = (k: string) => [...g.nodes.values()].filter((n) => n.kind === k).map((n) => n.id);
  const scopeAdmins = new Set<string>();
  const scopeAdmin = (scope: string) => {
    scopeAdmins.add(scope);
    return ids.scopeAdminId(scope);
  };
  const capabilities = new Map<string, ReturnType<typeof capabilityNode>>();
  const capability = (kind: CapabilityKind, scope: string) => {
    const n = capabilityNode(kind, scope);
    capabilities.set(n.id, n);
    return n.id;
  };
  /** the holders a principal's paths reach: itself, then its groups over travelled memberships */
  const holdersOf = (node: string): string[] => {
    const out = [node];
    for (let i = 0; i < out.length; i++)
      for (const grp of memberOf.get(out[i] as string) ?? [])
        if (!materialized.has(`${out[i]}|${grp}`) && !out.includes(grp)) out.push(grp);
    return out;
  };
  const principals = [...g.nodes.values()]
    // deleted principals cannot sign in: their bindings are shown but lead nowhere further
    .filter((n) => isPrincipalKind(n.kind) && n.type !== 'gcp:deleted-principal')
    // a principal with no grants of its own in at most one group adds nothing to what that
    // group's own evaluation finds (its edges would start at the group anyway)
    .filter((n) => access.hasGrants(n.id) || (memberOf.get(n.id)?.size ?? 0) > 1)
    .map((n) => ({ node: n.id, holders: holdersOf(n.id) }));
  const escalations = findEscalations({
    hierarchy: h,
    principals,
    access,
    serviceAccounts: [...saInfo.values()],
    organizations: nodesOfKind('Organization'),
    folders: nodesOfKind('Folder'),
    projects: nodesOfKind('Project'),
    projectNumber: new Map(
      nodesOfKind('Project').flatMap((pid) => {
        const num = g.nodes.get(pid)?.props?.projectNumber;
        return typeof num === 'string' ? [[pid, num] as [string, string]] : [];
      }),
    ),
    runsAs,
    customRoleGrants,
    resources: [...g.nodes.values()]
      .filter((n) => n.kind === 'Resource' && typeof n.props?.fullResourceName === 'string')
      .map((n) => ({
        node: n.id,
        service: /^\/\/([a-z0-9]+)\./.exec(n.props?.fullResourceName as string)?.[1] ?? '',
      })),
    serviceAccountNode: (email) =>
      g.nodes.has(serviceAccountNodeId(email)) ? serviceAccountNodeId(email) : null,
    scopeAdmin,
    capability,
  });
  for (const e of escalations) {
    const { via, conditional, conditions } = escalationVia(e);
    if (e.edge === 'CAN_ASSUME')
      g.edge({
        kind: 'CAN_ASSUME',
        from: e.from,
        to: e.to,
        via,
        props: { conditional, conditions, permission: e.technique },
        discriminator: e.technique,
      });
    else
      g.edge({
        kind: 'CAN_ESCALATE',
        from: e.from,
        to: e.to,
        via,
        props: {
          technique: e.technique,
          conditional,
          conditions,
          ...(e.alternatives?.length ? { alternatives: e.alternatives } : {}),
        },
        discriminator: e.technique,
      });
  }
  for (const scope of scopeAdmins) {
    const id = ids.scopeAdminId(scope);
    // whoever administers a scope can grant itself Token Creator on every account below it
    for (const sa of saInfo.values())
      if (h.isAncestorOrSelf(scope, sa.node))
        g.edge({
          kind: 'CAN_ASSUME',
          from: id,
          to: sa.node,
          via: {
            ref: id,
            label: `administrator of ${ids.scopeName(scope)} can grant itself roles/iam.serviceAccountTokenCreator`,
            statement: null,
            excerpt: null,
          },
          props: { conditional: false, conditions: null, permission: 'iam.serviceaccounts.getaccesstoken' },
        });
    g.node({
      id,
      kind: 'Role',
      name: `administrator of ${ids.scopeName(scope)}`,
      type: 'gcp:scope-admin',
      props: { synthetic: true, scope },
    });
    g.edge({
      kind: 'HAS_ACCESS',
      from: id,
      to: scope,
      via: {
        ref: id,
        label: `whoever can change the IAM policy of ${ids.scopeName(scope)} can grant itself any role there`,
        statement: null,
        excerpt: null,
      },
      props: {
        actions: catalogue,
        levels: [...new Set([...levelsOf(catalogue), 'admin' as const])].sort(),
        conditional: false,
        conditions: null,
        adminEquivalent: true,
      } as never,
    });
  }

  // what the capability methods gain; no HAS_ACCESS: they grant no access the graph models
  for (const n of capabilities.values()) g.node(n);

  // last-used data
  for (const [member, when] of inv.lastUsed) {
    try {
      const n = g.nodes.get(parseMember(member).id);
      if (n) n.props = { ...n.props, lastUsed: when };
    } catch {
      warnings.push(`last-used entry for "${member}" is not an IAM member; ignored`);
    }
  }

  return splitSources(g, h, warnings, inv);
}

/** One source per root of the hierarchy; principals go with every source that uses them. */
function splitSources(g: GcpGraph, h: Hierarchy, warnings: string[], inv: Inventory): IngestedSource[] {
  const roots = new Map<string, { nodes: Map<string, GraphNode>; edges: GraphEdge[] }>();
  const homeOf = (node: string): string | null => {
    const n = g.nodes.get(node);
    if (!n) return null;
    if (n.kind === 'Role' && n.props?.synthetic) return homeOf(n.props.scope as string);
    if (n.kind === 'Policy' || n.kind === 'RoleDefinition') return null;
    const root = h.root(node);
    const rk = g.nodes.get(root)?.kind;
    return rk === 'Organization' || rk === 'Folder' || rk === 'Project' ? root : null;
  };
  const bucket = (root: string) => {
    let b = roots.get(root);
    if (!b) {
      b = { nodes: new Map(), edges: [] };
      roots.set(root, b);
    }
    return b;
  };
  const fallback = [...g.nodes.values()].find((n) => n.kind === 'Organization')?.id ?? null;
  const edgeHome = (e: Omit<GraphEdge, 'source'>): string | null => {
    if (e.kind === 'ATTACHED_TO' || e.kind === 'CONTAINS') return homeOf(e.to) ?? homeOf(e.from);
    if (e.kind === 'MEMBER_OF') return null;
    return homeOf(e.to) ?? homeOf(e.from);
  };
  const placed: Array<[string | null, Omit<GraphEdge, 'source'>]> = [...g.edges.values()].map((e) => [
    edgeHome(e),
    e,
  ]);
  const defaultRoot = fallback ?? placed.find(([r]) => r)?.[0] ?? null;
  for (const [root, e] of placed) {
    const r = root ?? defaultRoot;
    if (!r) continue;
    if (e.kind === 'MEMBER_OF') continue;
    bucket(r).edges.push({ ...e, source: ids.sourceIdOf(r) } as GraphEdge);
  }
  // memberships and the principals/policies edges touch go with every source that uses them
  for (const [root, b] of roots) {
    const src = ids.sourceIdOf(root);
    const add = (id: string) => {
      const n = g.nodes.get(id);
      if (n && !b.nodes.has(id)) b.nodes.set(id, { ...n, source: src } as GraphNode);
    };
    for (const n of g.nodes.values()) if (homeOf(n.id) === root) add(n.id);
    for (const e of b.edges) {
      add(e.from);
      add(e.to);
    }
    // memberships travel both ways: a group pulls in its members, a member its groups
    const taken = new Set<string>();
    let grew = true;
    while (grew) {
      grew = false;
      for (const e of g.edges.values()) {
        if (e.kind !== 'MEMBER_OF' || taken.has(e.id)) continue;
        if (!b.nodes.has(e.from) && !b.nodes.has(e.to)) continue;
        taken.add(e.id);
        b.edges.push({ ...e, source: src } as GraphEdge);
        grew = true;
        add(e.from);
        add(e.to);
      }
    }
  }
  // nodes nothing above placed (a principal with neither grants nor groups) go to the first source
  const first = defaultRoot ? roots.get(defaultRoot) : undefined;
  if (first && defaultRoot) {
    const placedIds = new Set([...roots.values()].flatMap((b) => [...b.nodes.keys()]));
    for (const n of g.nodes.values())
      if (!placedIds.has(n.id))
        first.nodes.set(n.id, { ...n, source: ids.sourceIdOf(defaultRoot) } as GraphNode);
  }
  return [...roots.entries()].map(([root, b]) => ({
    descriptor: {
      id: ids.sourceIdOf(root),
      cloud: 'gcp' as const,
      meta: { inputs: [...inv.files], collectedAt: inv.collectedAt },
    },
    nodes: [...b.nodes.values()],
    edges: b.edges,
    warnings,
  }));
}
