/**
 * What all GCP inputs of one ingest add up to, before evaluation. Raw exports and the
 * snapshot each contribute pieces (a project's number from one file, its folder from
 * another), so references stay as resource-manager names (`projects/123`, `folders/4`)
 * until `ScopeResolver` turns them into node ids once everything is read.
 */
import type { JsonObject, JsonValue } from '../../graph/model.js';
import * as ids from './ids.js';
import { serviceAccountNodeId } from './members.js';

export interface Where {
  file: string;
  path: string;
}

export interface ContainerRec {
  /** `organizations/1`, `folders/2`, `projects/my-proj` (id) */
  ref: string;
  displayName: string | null;
  props: JsonObject;
}

export interface ResourceRec {
  /** CAI full resource name, `//storage.googleapis.com/my-bucket` */
  fullName: string;
  assetType: string;
  displayName: string | null;
  /** nearest-first container refs (`projects/123`, `folders/4`, `organizations/5`) */
  ancestors: string[];
  /** service accounts (emails) the resource runs as */
  runsAs: string[];
  props: JsonObject;
}

export interface BindingRec {
  role: string;
  members: string[];
  condition: { title?: string; description?: string; expression: string } | null;
  raw: JsonValue;
  where: Where;
}

export interface IamPolicyRec {
  /** full resource name (`//cloudresourcemanager.googleapis.com/projects/p`) or container ref */
  resource: string;
  assetType: string | null;
  ancestors: string[];
  bindings: BindingRec[];
  where: Where;
}

export interface DenyRuleRec {
  deniedPrincipals: string[];
  exceptionPrincipals: string[];
  deniedPermissions: string[];
  exceptionPermissions: string[];
  denialCondition: { title?: string; expression: string } | null;
  raw: JsonValue;
}

export interface DenyPolicyRec {
  name: string;
  /** container ref the policy is attached to */
  attachment: string;
  displayName: string | null;
  rules: DenyRuleRec[];
  where: Where;
}

export interface ServiceAccountRec {
  email: string;
  /** project ref */
  project: string | null;
  uniqueId: string | null;
  props: JsonObject;
}

export class Inventory {
  readonly containers = new Map<string, ContainerRec>();
  /** child ref → parent ref; `explicit` parents (snapshot tree) beat ones inferred from ancestor lists */
  readonly parents = new Map<string, { parent: string; explicit: boolean }>();
  /** project number ↔ project id */
  readonly projectNumberToId = new Map<string, string>();
  readonly resources = new Map<string, ResourceRec>();
  readonly iamPolicies: IamPolicyRec[] = [];
  readonly denyPolicies: DenyPolicyRec[] = [];
  readonly groups = new Map<string, Set<string>>();
  readonly serviceAccounts = new Map<string, ServiceAccountRec>();
  readonly lastUsed = new Map<string, string>();
  readonly warnings: string[] = [];
  collectedAt: string | null = null;
  readonly files = new Set<string>();

  setParent(child: string, parent: string, explicit: boolean): void {
    if (child === parent) return;
    const prev = this.parents.get(child);
    if (!prev || (explicit && !prev.explicit)) this.parents.set(child, { parent, explicit });
  }

  /** Record a nearest-first ancestor chain (`[projects/1, folders/2, organizations/3]`). */
  addAncestors(chain: readonly string[]): void {
    for (let i = 0; i + 1 < chain.length; i++)
      this.setParent(chain[i] as string, chain[i + 1] as string, false);
  }

  addContainer(rec: ContainerRec): void {
    const prev = this.containers.get(rec.ref);
    this.containers.set(rec.ref, {
      ref: rec.ref,
      displayName: rec.displayName ?? prev?.displayName ?? null,
      props: { ...prev?.props, ...rec.props },
    });
  }

  addResource(rec: ResourceRec): void {
    const prev = this.resources.get(rec.fullName);
    if (!prev) {
      this.resources.set(rec.fullName, rec);
      return;
    }
    prev.displayName ??= rec.displayName;
    if (prev.ancestors.length === 0) prev.ancestors = rec.ancestors;
    prev.runsAs = [...new Set([...prev.runsAs, ...rec.runsAs])];
    prev.props = { ...prev.props, ...rec.props };
  }

  addGroupMember(groupEmail: string, member: string): void {
    const key = groupEmail.toLowerCase();
    const set = this.groups.get(key) ?? new Set<string>();
    set.add(member);
    this.groups.set(key, set);
  }

  /** Canonical ref of a container: projects by id when the id is known. */
  canonical(ref: string): string {
    const m = /^projects\/(.+)$/.exec(ref);
    if (m && /^\d+$/.test(m[1] as string)) {
      const id = this.projectNumberToId.get(m[1] as string);
      if (id) return `projects/${id}`;
    }
    return ref;
  }

  /** Node id of a container ref. */
  containerNode(ref: string): string {
    const c = this.canonical(ref);
    const [kind, value] = [c.slice(0, c.indexOf('/')), c.slice(c.indexOf('/') + 1)];
    if (kind === 'organizations') return ids.orgId(value);
    if (kind === 'folders') return ids.folderId(value);
    return ids.projectId(value);
  }

  /**
   * Node id of a full resource name: containers and service accounts map to their own
   * nodes (a service account is both a principal and a resource), anything else keeps
   * its CAI name.
   */
  resourceNode(fullName: string): string {
    const crm =
      /^\/\/cloudresourcemanager\.googleapis\.com\/((?:organizations|folders|projects)\/[^/]+)$/.exec(
        fullName,
      );
    if (crm) return this.containerNode(crm[1] as string);
    const sa = /^\/\/iam\.googleapis\.com\/projects\/[^/]+\/serviceAccounts\/([^/]+)$/.exec(fullName);
    if (sa) {
      const key = (sa[1] as string).toLowerCase();
      if (key.includes('@')) return serviceAccountNodeId(key);
      for (const s of this.serviceAccounts.values())
        if (s.uniqueId === key) return serviceAccountNodeId(s.email);
    }
    return ids.resourceId(fullName);
  }
}

export const isContainerRef = (s: string): boolean => /^(organizations|folders|projects)\/[^/]+$/.test(s);
