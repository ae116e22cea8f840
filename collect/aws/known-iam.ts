/**
 * What the account's IAM export already tells the service collectors. Several services name
 * a role or instance profile by its bare name (a Glue job's `Role`, a StackSet's
 * `ExecutionRoleName`, a launch template's `IamInstanceProfile.Name`); the export has every
 * role and profile with its full ARN, path included, so the names are resolved here instead
 * of guessing the path or calling IAM once per resource.
 */

export interface KnownIam {
  /** instance profile ARN → the role it carries (from RoleDetailList[].InstanceProfileList) */
  instanceProfileRoles: ReadonlyMap<string, string>;
  /** instance profile name → its ARN (only profiles that carry a role are in the export) */
  instanceProfilesByName: ReadonlyMap<string, string>;
  /** role name → role ARN (role names are unique within an account, whatever their path) */
  rolesByName: ReadonlyMap<string, string>;
}

interface RoleRow {
  Arn?: string;
  RoleName?: string;
  InstanceProfileList?: Array<{ Arn?: string; InstanceProfileName?: string }>;
}

export function knownIam(details: Record<string, unknown>): KnownIam {
  const instanceProfileRoles = new Map<string, string>();
  const instanceProfilesByName = new Map<string, string>();
  const rolesByName = new Map<string, string>();
  for (const r of (details.RoleDetailList ?? []) as RoleRow[]) {
    if (!r.Arn) continue;
    if (r.RoleName) rolesByName.set(r.RoleName, r.Arn);
    for (const p of r.InstanceProfileList ?? []) {
      if (!p.Arn) continue;
      instanceProfileRoles.set(p.Arn, r.Arn);
      if (p.InstanceProfileName) instanceProfilesByName.set(p.InstanceProfileName, p.Arn);
    }
  }
  return { instanceProfileRoles, instanceProfilesByName, rolesByName };
}

/**
 * A role given as an ARN or a name, as an ARN. A name the export does not know (a role
 * deleted since, or a name with its path) is still written as the ARN it would have in this
 * account, so the resource keeps a pointer to what it was configured with.
 */
export function roleArnOf(
  nameOrArn: string,
  known: KnownIam,
  account: { partition: string; accountId: string },
): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const name = nameOrArn.split('/').pop() ?? nameOrArn;
  return (
    known.rolesByName.get(name) ??
    `arn:${account.partition}:iam::${account.accountId}:role/${nameOrArn.replace(/^\/+/, '')}`
  );
}
