/**
 * The gcloud / Cloud Asset Inventory outputs, read unmodified into the inventory:
 * - `gcloud asset search-all-iam-policies --format=json`
 * - `gcloud asset search-all-resources --format=json`
 * - `gcloud asset export --content-type=iam-policy|resource` (newline-delimited JSON; the
 *   reader turns `.ndjson`/`.jsonl` files into an array of lines)
 * - `gcloud iam roles describe|list --format=json` (one role or an array of roles)
 */
import type { JsonObject, JsonValue } from '../../graph/model.js';
import { IngestError, jsonPathJoin } from '../errors.js';
import type { BindingRec, Inventory } from './inventory.js';
import { normalizePermission } from './permissions.js';
import { isCustomRoleName, isPredefinedRoleName, type RoleCatalog } from './roles-catalog.js';

export type RawKind = 'iam-policy-search' | 'resource-search' | 'asset-export' | 'roles';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isRole = (v: unknown): boolean =>
  isObj(v) &&
  typeof v.name === 'string' &&
  (isPredefinedRoleName(v.name) || isCustomRoleName(v.name)) &&
  ('includedPermissions' in v || 'title' in v || 'etag' in v);

/** Which raw export a parsed document is, judged by its first element (all are then validated). */
export function rawKindOf(doc: unknown): RawKind | null {
  if (isRole(doc)) return 'roles';
  if (!Array.isArray(doc) || doc.length === 0) return null;
  const first = doc[0];
  if (!isObj(first)) return null;
  if (isRole(first)) return 'roles';
  if (typeof first.resource === 'string' && isObj(first.policy)) return 'iam-policy-search';
  if (typeof first.name === 'string' && first.name.startsWith('//') && typeof first.assetType === 'string') {
    if (isObj(first.iamPolicy) || isObj(first.resource)) return 'asset-export';
    return 'resource-search';
  }
  return null;
}

class Reader {
  constructor(readonly file: string) {}
  fail(path: string, problem: string): never {
    throw new IngestError(this.file, path, problem);
  }
  obj(v: unknown, path: string): Record<string, unknown> {
    if (!isObj(v)) this.fail(path, 'must be an object');
    return v;
  }
  str(v: unknown, path: string): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(path, 'must be a non-empty string');
    return v;
  }
  optStr(v: unknown, path: string): string | null {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') this.fail(path, 'must be a string');
    return v;
  }
  strArray(v: unknown, path: string): string[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(path, 'must be an array of strings');
    return v.map((x, i) => this.str(x, jsonPathJoin(path, i)));
  }
}

/** Bindings of an allow policy (`{bindings: [{role, members, condition}]}`). */
export function readBindings(r: Reader, policy: unknown, path: string): BindingRec[] {
  const p = r.obj(policy, path);
  const bp = jsonPathJoin(path, 'bindings');
  if (p.bindings === undefined) return [];
  if (!Array.isArray(p.bindings)) r.fail(bp, 'must be an array');
  return p.bindings.map((b, i) => {
    const at = jsonPathJoin(bp, i);
    const o = r.obj(b, at);
    const role = r.str(o.role, jsonPathJoin(at, 'role'));
    if (!isPredefinedRoleName(role) && !isCustomRoleName(role))
      r.fail(
        jsonPathJoin(at, 'role'),
        `"${role}" is not a role name (roles/…, projects/…/roles/…, organizations/…/roles/…)`,
      );
    if (!Array.isArray(o.members)) r.fail(jsonPathJoin(at, 'members'), 'must be an array of member strings');
    const members = r.strArray(o.members, jsonPathJoin(at, 'members'));
    let condition: BindingRec['condition'] = null;
    if (o.condition !== undefined && o.condition !== null) {
      const cp = jsonPathJoin(at, 'condition');
      const c = r.obj(o.condition, cp);
      condition = { expression: r.str(c.expression, jsonPathJoin(cp, 'expression')) };
      const title = r.optStr(c.title, jsonPathJoin(cp, 'title'));
      if (title) condition.title = title;
      const description = r.optStr(c.description, jsonPathJoin(cp, 'description'));
      if (description) condition.description = description;
    }
    return { role, members, condition, raw: b as JsonValue, where: { file: r.file, path: at } };
  });
}

const PROJECT_TYPE = 'cloudresourcemanager.googleapis.com/Project';
const CRM = /^\/\/cloudresourcemanager\.googleapis\.com\/((?:organizations|folders|projects)\/[^/]+)$/;

/** Learn project number ↔ id from a project's full name and its `projects/N` field. */
function learnProject(
  inv: Inventory,
  fullName: string,
  projectField: string | null,
  projectId?: unknown,
): void {
  const m = CRM.exec(fullName);
  const fromName = m?.[1]?.startsWith('projects/') ? m[1].slice('projects/'.length) : null;
  const number = projectField?.startsWith('projects/') ? projectField.slice('projects/'.length) : null;
  const id =
    typeof projectId === 'string' ? projectId : fromName && !/^\d+$/.test(fromName) ? fromName : null;
  if (id && number && /^\d+$/.test(number)) inv.projectNumberToId.set(number, id);
}

function searchAncestors(r: Reader, o: Record<string, unknown>, at: string, self: string | null): string[] {
  const project = r.optStr(o.project, jsonPathJoin(at, 'project'));
  const folders = r.strArray(o.folders, jsonPathJoin(at, 'folders'));
  const org = r.optStr(o.organization, jsonPathJoin(at, 'organization'));
  // `folders` is read nearest-first, the order Cloud Asset Inventory uses for `ancestors`;
  // the snapshot's explicit folder tree overrides it when both are given.
  const chain = [...(project && project !== self ? [project] : []), ...folders, ...(org ? [org] : [])];
  return chain;
}

/** `base`: where the array sits in its file (`$` for the raw export, `$.iamPolicies` in a snapshot). */
export function readIamPolicySearch(doc: unknown[], file: string, inv: Inventory, base = '$'): void {
  const r = new Reader(file);
  doc.forEach((entry, i) => {
    const at = `${base}[${i}]`;
    const o = r.obj(entry, at);
    const resource = r.str(o.resource, `${at}.resource`);
    if (!resource.startsWith('//'))
      r.fail(`${at}.resource`, `"${resource}" is not a full resource name (//service/…)`);
    const assetType = r.optStr(o.assetType, `${at}.assetType`);
    const project = r.optStr(o.project, `${at}.project`);
    if (assetType === PROJECT_TYPE || /^\/\/cloudresourcemanager\.googleapis\.com\/projects\//.test(resource))
      learnProject(inv, resource, project);
    const self = CRM.exec(resource)?.[1] ?? null;
    const ancestors = searchAncestors(r, o, at, self);
    if (self) {
      inv.addContainer({ ref: self, displayName: null, props: {} });
      inv.addAncestors([self, ...ancestors]);
    } else inv.addAncestors(ancestors);
    inv.iamPolicies.push({
      resource,
      assetType,
      ancestors,
      bindings: readBindings(r, o.policy, `${at}.policy`),
      where: { file, path: at },
    });
  });
}

export function readResourceSearch(doc: unknown[], file: string, inv: Inventory): void {
  const r = new Reader(file);
  doc.forEach((entry, i) => {
    const at = `$[${i}]`;
    const o = r.obj(entry, at);
    const name = r.str(o.name, `${at}.name`);
    if (!name.startsWith('//')) r.fail(`${at}.name`, `"${name}" is not a full resource name (//service/…)`);
    const assetType = r.str(o.assetType, `${at}.assetType`);
    const attrs = isObj(o.additionalAttributes) ? o.additionalAttributes : {};
    const displayName = r.optStr(o.displayName, `${at}.displayName`);
    if (assetType === PROJECT_TYPE)
      learnProject(inv, name, r.optStr(o.project, `${at}.project`), attrs.projectId);
    const self = CRM.exec(name)?.[1] ?? null;
    const ancestors = searchAncestors(r, o, at, self);
    if (self) {
      inv.addContainer({ ref: self, displayName, props: {} });
      inv.addAncestors([self, ...ancestors]);
      return;
    }
    inv.addAncestors(ancestors);
    if (assetType === 'iam.googleapis.com/ServiceAccount' && typeof attrs.email === 'string') {
      addServiceAccount(
        inv,
        attrs.email,
        ancestors[0] ?? null,
        typeof attrs.uniqueId === 'string' ? attrs.uniqueId : null,
      );
    }
    inv.addResource({
      fullName: name,
      assetType,
      displayName,
      ancestors,
      runsAs: [],
      props: pick(o, ['location', 'labels', 'state', 'createTime', 'updateTime']),
    });
  });
}

function addServiceAccount(
  inv: Inventory,
  email: string,
  project: string | null,
  uniqueId: string | null,
): void {
  const key = email.toLowerCase();
  const prev = inv.serviceAccounts.get(key);
  inv.serviceAccounts.set(key, {
    email: key,
    project: prev?.project ?? project,
    uniqueId: prev?.uniqueId ?? uniqueId,
    props: prev?.props ?? {},
  });
}

function pick(o: Record<string, unknown>, keys: string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k] as JsonValue;
  return out;
}

/** Service accounts a Cloud Asset Inventory resource's data says it runs as. */
export function runsAsOf(data: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.includes('@')) out.push(v.toLowerCase());
  };
  if (Array.isArray(data.serviceAccounts)) for (const s of data.serviceAccounts) if (isObj(s)) add(s.email); // Compute instances
  add(data.serviceAccountEmail); // Cloud Functions (1st gen)
  if (isObj(data.serviceConfig)) add(data.serviceConfig.serviceAccountEmail); // Cloud Functions (2nd gen)
  if (isObj(data.template)) add(data.template.serviceAccount); // Cloud Run Admin API v2
  const spec =
    isObj(data.spec) && isObj(data.spec.template) && isObj(data.spec.template.spec)
      ? data.spec.template.spec
      : null;
  if (spec) add(spec.serviceAccountName); // Cloud Run (Knative v1 shape)
  return [...new Set(out)];
}

export function readAssetExport(doc: unknown[], file: string, inv: Inventory): void {
  const r = new Reader(file);
  doc.forEach((entry, i) => {
    const at = `$[${i}]`;
    const o = r.obj(entry, at);
    const name = r.str(o.name, `${at}.name`);
    const assetType = r.str(o.assetType, `${at}.assetType`);
    const ancestorsAll = r.strArray(o.ancestors, `${at}.ancestors`);
    const self = CRM.exec(name)?.[1] ?? null;
    // `ancestors` starts with the asset itself when the asset is a container
    const ancestors = self && ancestorsAll[0] === self ? ancestorsAll.slice(1) : ancestorsAll;
    if (self) {
      inv.addContainer({ ref: self, displayName: null, props: {} });
      inv.addAncestors([self, ...ancestors]);
    } else inv.addAncestors(ancestors);
    if (o.iamPolicy !== undefined) {
      inv.iamPolicies.push({
        resource: name,
        assetType,
        ancestors,
        bindings: readBindings(r, o.iamPolicy, `${at}.iamPolicy`),
        where: { file, path: at },
      });
    }
    if (o.resource !== undefined) {
      const res = r.obj(o.resource, `${at}.resource`);
      const data = isObj(res.data) ? res.data : {};
      if (
        assetType === PROJECT_TYPE &&
        typeof data.projectNumber === 'string' &&
        typeof data.projectId === 'string'
      ) {
        inv.projectNumberToId.set(data.projectNumber, data.projectId);
      }
      if (self) {
        const dn =
          typeof data.displayName === 'string'
            ? data.displayName
            : typeof data.name === 'string'
              ? data.name
              : null;
        inv.addContainer({ ref: self, displayName: dn, props: {} });
        return;
      }
      if (assetType === 'iam.googleapis.com/ServiceAccount' && typeof data.email === 'string') {
        addServiceAccount(
          inv,
          data.email,
          ancestors[0] ?? null,
          typeof data.uniqueId === 'string' ? data.uniqueId : null,
        );
        return;
      }
      inv.addResource({
        fullName: name,
        assetType,
        displayName: typeof data.name === 'string' ? data.name : null,
        ancestors,
        runsAs: runsAsOf(data),
        props: pick(res, ['location']),
      });
    }
  });
}

export function readRoles(
  doc: unknown,
  file: string,
  roles: RoleCatalog,
  warnings: string[],
  base = '$',
): void {
  const r = new Reader(file);
  const list = Array.isArray(doc) ? doc : [doc];
  list.forEach((entry, i) => {
    const at = Array.isArray(doc) ? `${base}[${i}]` : base;
    const o = r.obj(entry, at);
    const name = r.str(o.name, jsonPathJoin(at, 'name'));
    if (!isPredefinedRoleName(name) && !isCustomRoleName(name))
      r.fail(jsonPathJoin(at, 'name'), `"${name}" is not a role name`);
    if (o.includedPermissions === undefined) {
      warnings.push(
        `${file}: ${at}: role ${name} lists no includedPermissions (\`gcloud iam roles list\` prints the basic view; use \`gcloud iam roles describe\`); its shipped or earlier definition is used`,
      );
      return;
    }
    const perms = r.strArray(o.includedPermissions, jsonPathJoin(at, 'includedPermissions'));
    roles.define({
      name,
      title: r.optStr(o.title, jsonPathJoin(at, 'title')) ?? name,
      permissions: [...new Set(perms.map(normalizePermission))].sort(),
      subset: false,
      stage: r.optStr(o.stage, jsonPathJoin(at, 'stage')),
      deleted: o.deleted === true,
    });
  });
}

export { Reader };
