/**
 * Node ids of Entra objects and the transitive group memberships that RBAC, deny
 * assignments and Entra roles are evaluated against.
 */
import type { NodeKind } from '../../graph/model.js';
import type { DirectoryObjectKind, TenantData } from './tenant.js';

const PREFIX: Record<DirectoryObjectKind, string> = {
  user: 'user',
  group: 'group',
  servicePrincipal: 'sp',
  managedIdentity: 'managedidentity',
  application: 'app',
};
export const NODE_KIND: Record<DirectoryObjectKind, NodeKind> = {
  user: 'User',
  group: 'Group',
  servicePrincipal: 'ServicePrincipal',
  managedIdentity: 'ManagedIdentity',
  application: 'Resource',
};

export const objectNodeId = (kind: DirectoryObjectKind, objectId: string): string =>
  `azure:${PREFIX[kind]}:${objectId.toLowerCase()}`;

/** A role assignment's principalType (`User`, `Group`, `ServicePrincipal`, …) as an object kind. */
export function kindFromPrincipalType(type: string | null): DirectoryObjectKind | null {
  switch ((type ?? '').toLowerCase()) {
    case 'user':
      return 'user';
    case 'group':
    case 'foreigngroup':
      return 'group';
    case 'serviceprincipal':
      return 'servicePrincipal';
    default:
      return null;
  }
}

export class PrincipalIndex {
  /** member object id → groups it is a direct member of */
  private readonly directGroups = new Map<string, Set<string>>();
  /** group → direct members */
  private readonly directMembers = new Map<string, Set<string>>();
  private readonly closure = new Map<string, Set<string>>();

  constructor(private readonly t: TenantData) {
    for (const m of t.memberships) {
      if (!this.directGroups.has(m.memberId)) this.directGroups.set(m.memberId, new Set());
      this.directGroups.get(m.memberId)?.add(m.groupId);
      if (!this.directMembers.has(m.groupId)) this.directMembers.set(m.groupId, new Set());
      this.directMembers.get(m.groupId)?.add(m.memberId);
    }
  }

  kindOf(objectId: string, principalType: string | null = null): DirectoryObjectKind | null {
    return this.t.objects.get(objectId)?.kind ?? kindFromPrincipalType(principalType);
  }

  /** Node id of a principal; ids no input describes become `azure:principal:<id>`. */
  nodeId(objectId: string, principalType: string | null = null): string {
    const kind = this.kindOf(objectId, principalType);
    return kind ? objectNodeId(kind, objectId) : `azure:principal:${objectId}`;
  }

  groupsOf(objectId: string): ReadonlySet<string> {
    return this.directGroups.get(objectId) ?? new Set();
  }

  /** Every group the object belongs to, through any depth of nesting. */
  allGroupsOf(objectId: string): ReadonlySet<string> {
    let out = this.closure.get(objectId);
    if (!out) {
      out = new Set();
      const todo = [...this.groupsOf(objectId)];
      while (todo.length) {
        const g = todo.pop() as string;
        if (out.has(g) || g === objectId) continue;
        out.add(g);
        todo.push(...this.groupsOf(g));
      }
      this.closure.set(objectId, out);
    }
    return out;
  }

  /** Every member of a group, through any depth of nesting (groups included). */
  allMembersOf(groupId: string): Set<string> {
    const out = new Set<string>();
    const todo = [...(this.directMembers.get(groupId) ?? [])];
    while (todo.length) {
      const m = todo.pop() as string;
      if (out.has(m) || m === groupId) continue;
      out.add(m);
      todo.push(...(this.directMembers.get(m) ?? []));
    }
    return out;
  }
}
