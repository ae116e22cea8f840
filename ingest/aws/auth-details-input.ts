/**
 * Reads the raw output of `aws iam get-account-authorization-details --output json` (or the
 * API's JSON, whose policy documents are URL-encoded strings), validates its shape and parses
 * every policy document. Any problem is an IngestError naming the file and JSON path.
 */
import type { JsonObject, JsonValue } from '../../graph/model.js';
import { IngestError, jsonPathJoin } from '../errors.js';
import { type Policy, PolicyError, type PolicyKind, parsePolicy } from './eval/policy.js';

export interface InlinePolicy {
  name: string;
  policy: Policy;
}
export interface AttachedRef {
  name: string;
  arn: string;
}
export interface Tag {
  key: string;
  value: string;
}

interface EntityBase {
  arn: string;
  name: string;
  id: string;
  path: string;
  createDate: string | null;
  inline: InlinePolicy[];
  attached: AttachedRef[];
}
export interface UserDetail extends EntityBase {
  groups: string[];
  boundaryArn: string | null;
  tags: Tag[];
}
export type GroupDetail = EntityBase;
export interface RoleDetail extends EntityBase {
  trust: Policy | null;
  boundaryArn: string | null;
  tags: Tag[];
  instanceProfiles: string[];
  lastUsed: string | null;
  lastUsedRegion: string | null;
  maxSessionDuration: number | null;
}
export interface ManagedPolicyDetail {
  arn: string;
  name: string;
  id: string;
  path: string;
  defaultVersionId: string | null;
  attachmentCount: number | null;
  boundaryUsageCount: number | null;
  /** the default version's document; null when the export lists no default version */
  policy: Policy | null;
  /**
   * The versions not in force. They grant nothing, but whoever may call
   * iam:SetDefaultPolicyVersion can put one in force (privilege escalation).
   */
  otherVersions: Array<{ versionId: string; policy: Policy }>;
}

export interface AuthorizationDetails {
  accountId: string;
  partition: string;
  users: UserDetail[];
  groups: GroupDetail[];
  roles: RoleDetail[];
  policies: ManagedPolicyDetail[];
  warnings: string[];
}

const LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** true when a parsed JSON document looks like get-account-authorization-details output */
export function isAuthorizationDetails(doc: unknown): boolean {
  if (!isObject(doc)) return false;
  const present = LISTS.filter((k) => k in doc);
  return present.length >= 2 && present.every((k) => Array.isArray(doc[k]));
}

class Reader {
  constructor(readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new IngestError(this.file, path, problem);
  }
  object(v: unknown, path: string): JsonObject {
    if (!isObject(v)) this.fail(path, 'expected a JSON object');
    return v;
  }
  array(v: unknown, path: string): JsonValue[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(path, 'expected an array');
    return v;
  }
  string(o: JsonObject, key: string, path: string): string {
    const v = o[key];
    if (typeof v !== 'string' || v.length === 0)
      this.fail(
        jsonPathJoin(path, key),
        v === undefined ? `missing "${key}"` : 'expected a non-empty string',
      );
    return v;
  }
  optString(o: JsonObject, key: string, path: string): string | null {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') this.fail(jsonPathJoin(path, key), 'expected a string');
    return v;
  }
  optNumber(o: JsonObject, key: string, path: string): number | null {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number') this.fail(jsonPathJoin(path, key), 'expected a number');
    return v;
  }
  policy(doc: unknown, kind: PolicyKind, path: string): Policy {
    try {
      return parsePolicy(doc, kind, path);
    } catch (e) {
      if (e instanceof PolicyError) this.fail(e.jsonPath, e.problem);
      throw e;
    }
  }
  inline(o: JsonObject, key: string, path: string): InlinePolicy[] {
    const p = jsonPathJoin(path, key);
    return this.array(o[key], p).map((raw, i) => {
      const ip = jsonPathJoin(p, i);
      const e = this.object(raw, ip);
      return {
        name: this.string(e, 'PolicyName', ip),
        policy: this.policy(e.PolicyDocument, 'identity', jsonPathJoin(ip, 'PolicyDocument')),
      };
    });
  }
  attached(o: JsonObject, path: string): AttachedRef[] {
    const p = jsonPathJoin(path, 'AttachedManagedPolicies');
    return this.array(o.AttachedManagedPolicies, p).map((raw, i) => {
      const ap = jsonPathJoin(p, i);
      const e = this.object(raw, ap);
      return { name: this.string(e, 'PolicyName', ap), arn: this.string(e, 'PolicyArn', ap) };
    });
  }
  tags(o: JsonObject, path: string): Tag[] {
    const p = jsonPathJoin(path, 'Tags');
    return this.array(o.Tags, p).map((raw, i) => {
      const tp = jsonPathJoin(p, i);
      const e = this.object(raw, tp);
      const value = e.Value;
      if (typeof value !== 'string') this.fail(jsonPathJoin(tp, 'Value'), 'expected a string');
      return { key: this.string(e, 'Key', tp), value };
    });
  }
  boundary(o: JsonObject, path: string): string | null {
    if (o.PermissionsBoundary === undefined) return null;
    const bp = jsonPathJoin(path, 'PermissionsBoundary');
    return this.string(this.object(o.PermissionsBoundary, bp), 'PermissionsBoundaryArn', bp);
  }
  base(o: JsonObject, path: string, nameKey: string, idKey: string, inlineKey: string): EntityBase {
    return {
      arn: this.string(o, 'Arn', path),
      name: this.string(o, nameKey, path),
      id: this.string(o, idKey, path),
      path: this.optString(o, 'Path', path) ?? '/',
      createDate: this.optString(o, 'CreateDate', path),
      inline: this.inline(o, inlineKey, path),
      attached: this.attached(o, path),
    };
  }
}

const ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):/;

export function readAuthorizationDetails(doc: unknown, file: string): AuthorizationDetails {
  const r: Reader = new Reader(file);
  const root = r.object(doc, '$');
  if (!isAuthorizationDetails(root)) {
    r.fail(
      '$',
      `not the output of "aws iam get-account-authorization-details" (expected ${LISTS.join(', ')})`,
    );
  }
  const warnings: string[] = [];
  if (root.IsTruncated === true) {
    warnings.push(
      `${file}: the export is truncated (IsTruncated: true); run the AWS CLI without --max-items`,
    );
  }
  const users = r.array(root.UserDetailList, '$.UserDetailList').map((raw, i) => {
    const p = `$.UserDetailList[${i}]`;
    const o = r.object(raw, p);
    const groups = r.array(o.GroupList, jsonPathJoin(p, 'GroupList')).map((g, j) => {
      if (typeof g !== 'string') r.fail(`${p}.GroupList[${j}]`, 'expected a group name');
      return g;
    });
    return {
      ...r.base(o, p, 'UserName', 'UserId', 'UserPolicyList'),
      groups,
      boundaryArn: r.boundary(o, p),
      tags: r.tags(o, p),
    };
  });
  const groups = r.array(root.GroupDetailList, '$.GroupDetailList').map((raw, i) => {
    const p = `$.GroupDetailList[${i}]`;
    return r.base(r.object(raw, p), p, 'GroupName', 'GroupId', 'GroupPolicyList');
  });
  const roles = r.array(root.RoleDetailList, '$.RoleDetailList').map((raw, i) => {
    const p = `$.RoleDetailList[${i}]`;
    const o = r.object(raw, p);
    const trustDoc = o.AssumeRolePolicyDocument;
    const profiles = r
      .array(o.InstanceProfileList, jsonPathJoin(p, 'InstanceProfileList'))
      .map((ip, j) =>
        r.string(r.object(ip, `${p}.InstanceProfileList[${j}]`), 'Arn', `${p}.InstanceProfileList[${j}]`),
      );
    const lastUsed =
      o.RoleLastUsed === undefined ? null : r.object(o.RoleLastUsed, jsonPathJoin(p, 'RoleLastUsed'));
    return {
      ...r.base(o, p, 'RoleName', 'RoleId', 'RolePolicyList'),
      trust:
        trustDoc === undefined || trustDoc === null
          ? null
          : r.policy(trustDoc, 'trust', jsonPathJoin(p, 'AssumeRolePolicyDocument')),
      boundaryArn: r.boundary(o, p),
      tags: r.tags(o, p),
      instanceProfiles: profiles,
      lastUsed: lastUsed ? r.optString(lastUsed, 'LastUsedDate', `${p}.RoleLastUsed`) : null,
      lastUsedRegion: lastUsed ? r.optString(lastUsed, 'Region', `${p}.RoleLastUsed`) : null,
      maxSessionDuration: r.optNumber(o, 'MaxSessionDuration', p),
    };
  });
  const policies = r.array(root.Policies, '$.Policies').map((raw, i) => {
    const p = `$.Policies[${i}]`;
    const o = r.object(raw, p);
    const defaultVersionId = r.optString(o, 'DefaultVersionId', p);
    const versions = r.array(o.PolicyVersionList, jsonPathJoin(p, 'PolicyVersionList'));
    let policy: Policy | null = null;
    const otherVersions: ManagedPolicyDetail['otherVersions'] = [];
    versions.forEach((v, j) => {
      const vp = `${p}.PolicyVersionList[${j}]`;
      const vo = r.object(v, vp);
      const isDefault =
        vo.IsDefaultVersion === true || (defaultVersionId !== null && vo.VersionId === defaultVersionId);
      // Only the default version is in force; the others matter for escalation only.
      const parsed = r.policy(vo.Document, 'identity', jsonPathJoin(vp, 'Document'));
      if (isDefault) policy = parsed;
      else otherVersions.push({ versionId: r.optString(vo, 'VersionId', vp) ?? `#${j}`, policy: parsed });
    });
    const arn = r.string(o, 'Arn', p);
    if (!policy)
      warnings.push(
        `${file}: ${p}: policy ${arn} has no default version in the export; it grants nothing here`,
      );
    return {
      arn,
      name: r.string(o, 'PolicyName', p),
      id: r.optString(o, 'PolicyId', p) ?? arn,
      path: r.optString(o, 'Path', p) ?? '/',
      defaultVersionId,
      attachmentCount: r.optNumber(o, 'AttachmentCount', p),
      boundaryUsageCount: r.optNumber(o, 'PermissionsBoundaryUsageCount', p),
      policy,
      otherVersions,
    };
  });

  // The account: every user, group, role and customer managed policy ARN names it.
  const accounts = new Map<string, string>();
  const partitions = new Set<string>();
  const note = (arn: string, path: string) => {
    const m = ARN.exec(arn);
    if (!m) r.fail(path, `"${arn}" is not an IAM ARN`);
    partitions.add(m[1] ?? 'aws');
    if (!accounts.has(m[2] ?? '')) accounts.set(m[2] ?? '', path);
  };
  for (const [i, u] of users.entries()) note(u.arn, `$.UserDetailList[${i}].Arn`);
  for (const [i, g] of groups.entries()) note(g.arn, `$.GroupDetailList[${i}].Arn`);
  for (const [i, ro] of roles.entries()) note(ro.arn, `$.RoleDetailList[${i}].Arn`);
  for (const [i, po] of policies.entries()) {
    if (!po.arn.includes(':iam::aws:')) note(po.arn, `$.Policies[${i}].Arn`);
  }
  if (accounts.size === 0)
    r.fail('$', 'the export names no user, group, role or customer managed policy, so no account');
  if (accounts.size > 1) {
    const [first, second] = [...accounts.entries()];
    r.fail(second?.[1] ?? '$', `entities of two accounts in one export (${first?.[0]} and ${second?.[0]})`);
  }
  return {
    accountId: [...accounts.keys()][0] ?? '',
    partition: [...partitions][0] ?? 'aws',
    users,
    groups,
    roles,
    policies,
    warnings,
  };
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
