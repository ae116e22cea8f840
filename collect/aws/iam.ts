/**
 * IAM for one account: the authorization details (the raw export), credential last-use data
 * and the account alias.
 */
import {
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { mapLimit } from '../common/map-limit.js';
import { cliTimestamp, toCliJson } from './cli-json.js';
import type { AwsContext } from './context.js';
import type { LastUsedRow } from './snapshot-types.js';

/**
 * IAM and Organizations are global services whose API is signed for one region per partition
 * (us-east-1 in the commercial partition).
 */
export function globalRegion(partition: string): string {
  if (partition === 'aws-cn') return 'cn-north-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return 'us-east-1';
}

const DETAIL_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/**
 * GetAccountAuthorizationDetails, all pages merged, as `aws iam get-account-authorization-details
 * --output json` prints it: the CLI's paginator concatenates the four lists and drops the
 * `Marker` / `IsTruncated` page keys. Policy documents stay URL-encoded, as the API returns
 * them (the ingester decodes both forms).
 */
export async function authorizationDetails(ctx: AwsContext): Promise<Record<string, unknown>> {
  const iam = ctx.clients.get(IAMClient, globalRegion(ctx.partition));
  const pages = await ctx.pages(
    'GetAccountAuthorizationDetails',
    (Marker) => iam.send(new GetAccountAuthorizationDetailsCommand({ Marker })),
    (p) => (p.IsTruncated ? p.Marker : undefined),
  );
  const merged: Record<string, unknown[]> = {};
  for (const key of DETAIL_LISTS) merged[key] = pages.flatMap((p) => (p[key] ?? []) as unknown[]);
  return toCliJson(merged) as Record<string, unknown>;
}

export async function accountAlias(ctx: AwsContext): Promise<string | undefined> {
  const iam = ctx.clients.get(IAMClient, globalRegion(ctx.partition));
  const out = await ctx.call('ListAccountAliases', () => iam.send(new ListAccountAliasesCommand({})));
  return out.AccountAliases?.[0];
}

/**
 * When each user last signed in with a password and last used each access key. Only
 * dates are kept: access key ids are not written.
 */
export async function credentialLastUse(ctx: AwsContext): Promise<LastUsedRow[]> {
  const iam = ctx.clients.get(IAMClient, globalRegion(ctx.partition));
  const pages = await ctx.pages(
    'ListUsers',
    (Marker) => iam.send(new ListUsersCommand({ Marker })),
    (p) => (p.IsTruncated ? p.Marker : undefined),
  );
  const users = pages.flatMap((p) => p.Users ?? []);
  const rows = await mapLimit(users, 4, async (u): Promise<LastUsedRow | undefined> => {
    if (!u.Arn || !u.UserName) return undefined;
    const userName = u.UserName;
    const site = { service: 'iam', operation: 'ListAccessKeys' };
    const keyPages = await ctx.errors.attempt(
      site,
      () =>
        ctx.pages(
          'ListAccessKeys',
          (Marker) => iam.send(new ListAccessKeysCommand({ UserName: userName, Marker })),
          (p) => (p.IsTruncated ? p.Marker : undefined),
        ),
      `user ${u.Arn}`,
    );
    const used: string[] = [];
    for (const key of (keyPages ?? []).flatMap((p) => p.AccessKeyMetadata ?? [])) {
      const id = key.AccessKeyId;
      if (!id) continue;
      const last = await ctx.errors.attempt(
        { service: 'iam', operation: 'GetAccessKeyLastUsed' },
        () =>
          ctx.call('GetAccessKeyLastUsed', () =>
            iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id })),
          ),
        `an access key of ${u.Arn}`,
      );
      const date = last?.AccessKeyLastUsed?.LastUsedDate;
      if (date) used.push(cliTimestamp(date));
    }
    return {
      arn: u.Arn,
      passwordLastUsed: u.PasswordLastUsed ? cliTimestamp(u.PasswordLastUsed) : null,
      accessKeysLastUsed: used.sort(),
    };
  });
  return rows.filter((r): r is LastUsedRow => r !== undefined);
}
