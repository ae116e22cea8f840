/**
 * Whose password each limited reset role may reset, as data.
 *
 * Source: Microsoft Entra documentation, "Privileged roles and permissions in Microsoft Entra
 * ID", sections "Who can reset passwords" and "Who can perform sensitive actions" (the tables
 * of resetting role × role the target holds), plus "Assign Microsoft Entra roles with
 * administrative unit scope" for AU-scoped resetters. Facts only; the prose is Microsoft's.
 *
 * The rule those tables state: a limited resetter reaches a user who holds no role, or whose
 * every role is on the resetter's list. Any other role (built-in or custom) puts the user out
 * of reach, and so does being a member or owner of a role-assignable group. Eligible (PIM)
 * assignments are counted like active ones: an eligible user can activate the role at will, so
 * the directory protects it as an administrator. A resetter scoped to an administrative unit
 * (or one object) reaches only users holding no role at all.
 *
 * Privileged Authentication Administrator, Global Administrator and Partner Tier2 Support
 * reset anyone (`reset-any-password`); Partner Tier1 Support only users holding no role.
 */

export interface LesserRole {
  templateId: string;
  name: string;
}

const r = (templateId: string, name: string): LesserRole => ({ templateId, name });

const DIRECTORY_READERS = r('88d8e3e3-8f55-4a1e-953a-9b9898b8876b', 'Directory Readers');
const GUEST_INVITER = r('95e79109-95c0-4d8e-aee3-d01accf2d47b', 'Guest Inviter');
const PASSWORD_ADMIN = r('966707d0-3269-4727-9be2-8c3a10f19b9d', 'Password Administrator');
const HELPDESK_ADMIN = r('729827e3-9c14-49f7-bb1b-9608f156bbb8', 'Helpdesk Administrator');
const AUTH_ADMIN = r('c4e39bd9-1100-46d3-8c65-fb160da0071f', 'Authentication Administrator');
const USER_ADMIN = r('fe930be7-5e62-47db-91af-98c3a49a38b1', 'User Administrator');
const GROUPS_ADMIN = r('fdd7a751-b60b-444a-984c-02652fe8fa1c', 'Groups Administrator');
const MESSAGE_CENTER_READER = r('790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b', 'Message Center Reader');
const REPORTS_READER = r('4a5d8f65-41da-4de4-8968-e035b65339cf', 'Reports Reader');
const UX_SUCCESS_MANAGER = r('27460883-1df1-4691-b032-3b79643e5e63', 'User Experience Success Manager');
const USAGE_SUMMARY_READER = r('75934031-6c7e-415a-99d7-48dbd49e875e', 'Usage Summary Reports Reader');

/** The read-only roles Helpdesk, Authentication and User Administrators all cover. */
const READERS = [
  DIRECTORY_READERS,
  GUEST_INVITER,
  MESSAGE_CENTER_READER,
  REPORTS_READER,
  UX_SUCCESS_MANAGER,
  USAGE_SUMMARY_READER,
];

/**
 * Resetting role template id → the roles a target may hold and still be reset by it
 * (tenant-scoped assignments). A resetter absent here reaches only users holding no role.
 */
export const LESSER_ROLES_BY_RESETTER: ReadonlyMap<string, readonly LesserRole[]> = new Map([
  [PASSWORD_ADMIN.templateId, [DIRECTORY_READERS, GUEST_INVITER, PASSWORD_ADMIN]],
  [HELPDESK_ADMIN.templateId, [...READERS, HELPDESK_ADMIN, PASSWORD_ADMIN]],
  [AUTH_ADMIN.templateId, [...READERS, AUTH_ADMIN, PASSWORD_ADMIN]],
  [USER_ADMIN.templateId, [...READERS, GROUPS_ADMIN, HELPDESK_ADMIN, PASSWORD_ADMIN, USER_ADMIN]],
]);

const LISTED = [...LESSER_ROLES_BY_RESETTER.values()].flat();
const LISTED_TEMPLATES = new Set(LISTED.map((x) => x.templateId));
/** Role display name (lowercase) → template id, for inputs that name a role but carry another id. */
const TEMPLATE_BY_NAME = new Map(LISTED.map((x) => [x.name.toLowerCase(), x.templateId]));

/** The template id a role assignment stands for, resolving by name when the id is not a known template. */
export function lesserRoleTemplate(templateId: string, name: string | null): string {
  const id = templateId.toLowerCase();
  if (LISTED_TEMPLATES.has(id)) return id;
  return (name && TEMPLATE_BY_NAME.get(name.toLowerCase())) ?? id;
}

/**
 * Whether a tenant-scoped holder of `resetterTemplateId` may reset a user holding exactly
 * `targetRoles` (template ids; empty = no role). Users in or owning role-assignable groups
 * are excluded by the caller before this is asked.
 */
export function canResetHolderOf(resetterTemplateId: string, targetRoles: ReadonlySet<string>): boolean {
  if (targetRoles.size === 0) return true;
  const allowed = LESSER_ROLES_BY_RESETTER.get(resetterTemplateId.toLowerCase());
  if (!allowed) return false;
  return [...targetRoles].every((t) => allowed.some((x) => x.templateId === t));
}
