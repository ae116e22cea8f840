/**
 * Which accounts to collect and how to get into each: the caller's own account with the
 * base credentials, or a role assumed in every listed (or, without a list, every active
 * organization) account.
 */

export class TargetOptionError extends Error {}

export interface TargetOptions {
  accounts?: readonly string[];
  roleName?: string;
  /** e.g. `arn:aws:iam::{account}:role/Auditor` */
  roleArnTemplate?: string;
  externalId?: string;
}

export type RoleArnFor = (accountId: string) => string;

const ACCOUNT_ID = /^\d{12}$/;
// Role names: letters, digits and +=,.@_- ; an optional path before the name.
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

export function parseAccountList(text: string): string[] {
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (ids.length === 0) throw new TargetOptionError('--accounts needs at least one account id');
  for (const id of ids)
    if (!ACCOUNT_ID.test(id))
      throw new TargetOptionError(`--accounts: "${id}" is not a 12-digit AWS account id`);
  return [...new Set(ids)];
}

/**
 * How to reach each account, or undefined for "the caller's account only, with the base
 * credentials". Throws TargetOptionError on contradictory or malformed options.
 */
export function roleArnResolver(opts: TargetOptions, partition: string): RoleArnFor | undefined {
  if (opts.roleName !== undefined && opts.roleArnTemplate !== undefined)
    throw new TargetOptionError('give either --role-name or --assume-role-arn-template, not both');
  if (opts.externalId !== undefined && opts.roleName === undefined && opts.roleArnTemplate === undefined)
    throw new TargetOptionError('--external-id needs --role-name or --assume-role-arn-template');
  if (opts.roleName !== undefined) {
    if (!ROLE_NAME.test(opts.roleName))
      throw new TargetOptionError(`--role-name: "${opts.roleName}" is not an IAM role name`);
    const name = opts.roleName;
    return (account) => `arn:${partition}:iam::${account}:role/${name}`;
  }
  if (opts.roleArnTemplate !== undefined) {
    const template = opts.roleArnTemplate;
    if (!template.includes('{account}'))
      throw new TargetOptionError('--assume-role-arn-template must contain {account}');
    const sample = template.replaceAll('{account}', '123456789012');
    if (!ROLE_ARN.test(sample))
      throw new TargetOptionError(
        `--assume-role-arn-template: "${template}" does not give an IAM role ARN (arn:aws:iam::{account}:role/NAME)`,
      );
    return (account) => template.replaceAll('{account}', account);
  }
  if (opts.accounts && opts.accounts.length > 0)
    throw new TargetOptionError(
      '--accounts needs --role-name or --assume-role-arn-template to get into them',
    );
  return undefined;
}
