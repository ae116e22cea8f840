/**
 * IAM deny policies (IAM v2): a rule denies `deniedPermissions` (less `exceptionPermissions`)
 * to `deniedPrincipals` (less `exceptionPrincipals`) on every resource at and below the
 * policy's attachment point, when its `denialCondition` holds. Denies win over every allow.
 */
import type { JsonObject } from '../../graph/model.js';
import { decideCondition, type Tri } from './conditions.js';
import type { DenyRuleRec } from './inventory.js';

/** A principal as deny policies name it: its own identifier plus those of its groups. */
export interface DenySubject {
  /** `principal://goog/subject/a@x`, `principalSet://goog/group/g@x`, … */
  identities: string[];
  /** false for public members (allUsers…), which only `principalSet://goog/public:all` names */
  identified: boolean;
}

export interface DenyRule {
  policyId: string;
  policyLabel: string;
  ruleIndex: number;
  /** node id of the attachment point */
  attachment: string;
  rule: DenyRuleRec;
  denied: RegExp[];
  excepted: RegExp[];
}

export const ALL_PRINCIPALS = 'principalSet://goog/public:all';

/** v2 identifiers of a v1 member string (deny policies use the IAM v2 principal syntax). */
export function denyIdentitiesOf(member: string): string[] {
  return v2Identities(member).map((x) => x.toLowerCase());
}

function v2Identities(member: string): string[] {
  const [prefix, ...rest] = member.split(':');
  const value = rest.join(':').toLowerCase();
  switch (prefix) {
    case 'user':
      return [`principal://goog/subject/${value}`];
    case 'group':
      return [`principalSet://goog/group/${value}`];
    case 'serviceAccount':
      return [`principal://iam.googleapis.com/projects/-/serviceaccounts/${value}`];
    default:
      return member.startsWith('principal') ? [member.toLowerCase()] : [];
  }
}

/**
 * `storage.googleapis.com/buckets.delete` → a matcher for `storage.buckets.delete`.
 * The v2 form names the service by its FQDN; the v1 prefix is its first label, except
 * Resource Manager (`cloudresourcemanager.googleapis.com` → `resourcemanager.`).
 * Wildcards (permission groups): `*` for one part, `SERVICE/*` for the whole service.
 */
export function denyPermissionMatcher(v2: string): RegExp {
  const slash = v2.indexOf('/');
  if (v2 === '*') return /^.*$/;
  const fqdn = (slash > 0 ? v2.slice(0, slash) : v2).toLowerCase();
  const rest = slash > 0 ? v2.slice(slash + 1).toLowerCase() : '*';
  const first = fqdn.split('.')[0] ?? fqdn;
  const service = first === 'cloudresourcemanager' ? 'resourcemanager' : first;
  const esc = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  if (rest === '*') return new RegExp(`^${esc(service)}\\..+$`);
  return new RegExp(`^${esc(service)}\\.${rest.split('*').map(esc).join('[^.]*')}$`);
}

export function compileRule(
  policyId: string,
  policyLabel: string,
  ruleIndex: number,
  attachment: string,
  rule: DenyRuleRec,
): DenyRule {
  return {
    policyId,
    policyLabel,
    ruleIndex,
    attachment,
    rule,
    denied: rule.deniedPermissions.map(denyPermissionMatcher),
    excepted: rule.exceptionPermissions.map(denyPermissionMatcher),
  };
}

export function ruleDeniesPermission(r: DenyRule, permission: string): boolean {
  return r.denied.some((m) => m.test(permission)) && !r.excepted.some((m) => m.test(permission));
}

function principalMatches(list: readonly string[], s: DenySubject): Tri {
  let maybe = false;
  for (const raw of list) {
    const p = raw.toLowerCase();
    if (p === ALL_PRINCIPALS.toLowerCase()) return true;
    if (s.identities.includes(p)) return true;
    // Sets we cannot enumerate from the inputs (a Workspace customer, a workforce pool,
    // a project's service accounts): the subject may be in them.
    if (p.startsWith('principalset://') && !p.startsWith('principalset://goog/group/') && s.identified)
      maybe = true;
  }
  return maybe ? null : false;
}

/** Does the rule bind this subject? true / false / null (cannot tell from the inputs). */
export function ruleAppliesTo(r: DenyRule, s: DenySubject): Tri {
  const denied = principalMatches(r.rule.deniedPrincipals, s);
  if (denied === false) return false;
  const excepted = principalMatches(r.rule.exceptionPrincipals, s);
  if (excepted === true) return false;
  if (denied === true && excepted === false) return true;
  return null;
}

/** Denial conditions can only test resource tags, which the inputs do not carry. */
export function denialConditionHolds(r: DenyRule, now: Date): Tri {
  if (!r.rule.denialCondition) return true;
  return decideCondition(r.rule.denialCondition.expression, { now });
}

export function describeRule(r: DenyRule, extra: JsonObject = {}): JsonObject {
  return {
    denyPolicy: r.policyId,
    label: r.policyLabel,
    rule: r.ruleIndex,
    attachmentPoint: r.attachment,
    denialCondition: r.rule.denialCondition ? (r.rule.denialCondition as JsonObject) : null,
    ...extra,
  };
}
