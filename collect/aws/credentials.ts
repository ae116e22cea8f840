/**
 * Credentials: the default chain (environment, shared config/credentials with --profile,
 * SSO, container and instance metadata), and a role assumed from them per account.
 * Credentials live in memory only; nothing here writes or logs them.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsContext, AwsCredentials, Credentials } from './context.js';

export function defaultCredentials(profile: string | undefined): Credentials {
  return fromNodeProviderChain(profile ? { profile } : {}) as Credentials;
}

export interface CallerIdentity {
  accountId: string;
  arn: string;
  partition: string;
}

export async function callerIdentity(ctx: AwsContext, region: string): Promise<CallerIdentity> {
  const sts = ctx.clients.get(STSClient, region);
  const out = await ctx.call('GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
  if (!out.Account || !out.Arn) throw new Error('GetCallerIdentity returned no account');
  return { accountId: out.Account, arn: out.Arn, partition: out.Arn.split(':')[1] ?? 'aws' };
}

/** Re-assume this long before the session expires, so no call is signed with stale credentials. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A provider that assumes `roleArn` with the base credentials and assumes it again shortly
 * before the session ends (a large account outlasts a one-hour session).
 */
export function assumedRoleProvider(
  ctx: AwsContext,
  region: string,
  roleArn: string,
  externalId: string | undefined,
  sessionName: string,
  now: () => number = Date.now,
): () => Promise<AwsCredentials> {
  let cached: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;
  const assume = async (): Promise<AwsCredentials> => {
    const sts = ctx.clients.get(STSClient, region);
    const out = await ctx.call('AssumeRole', () =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          ...(externalId !== undefined ? { ExternalId: externalId } : {}),
        }),
      ),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  };
  return async () => {
    const fresh = cached && (!cached.expiration || cached.expiration.getTime() - now() > REFRESH_MARGIN_MS);
    if (fresh && cached) return cached;
    pending ??= assume().finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached;
  };
}
