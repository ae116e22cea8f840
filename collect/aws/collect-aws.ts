/**
 * `collect aws`: from the caller's credentials to a complete snapshot in memory. Best effort
 * throughout: an account whose role cannot be assumed, a service that is denied, a region
 * that is disabled — each is recorded in the snapshot's `errors` and the rest is collected.
 * Only a failure to identify the caller at all (no usable credentials) stops the run.
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { compareText, ErrorLog, sortedErrors } from '../common/collection-errors.js';
import { CollectProgress, type ProgressSink, silentProgress } from '../common/progress.js';
import { AwsContext, ClientPool, type Credentials, DEFAULT_RETRY, type RetryPolicy } from './context.js';
import { assumedRoleProvider, callerIdentity, defaultCredentials } from './credentials.js';
import { accountAlias, authorizationDetails, credentialLastUse } from './iam.js';
import { knownIam } from './known-iam.js';
import { describeOrganization, type OrgIdentity, organizationTree } from './organizations.js';
import { SERVICE_COLLECTORS } from './services/index.js';
import {
  AWS_SNAPSHOT_FORMAT,
  type AwsSnapshot,
  type SnapshotAccount,
  type SnapshotOrganization,
} from './snapshot-types.js';
import { type RoleArnFor, roleArnResolver, type TargetOptions } from './targets.js';

export interface CollectAwsOptions extends TargetOptions {
  profile?: string;
  /** regions for the regional services; the first is also where global calls are made from */
  regions: readonly string[];
  /** instead of `regions`, every region enabled in each account (EC2 DescribeRegions), `regions[0]` as home */
  allRegions?: boolean;
  /** service collector names (see SERVICE_NAMES); IAM is always collected */
  services: readonly string[];
  /** written to the snapshot's `collector` */
  collector?: string;
}

export interface CollectAwsDeps {
  /** base credentials; default: the SDK's default chain with --profile */
  credentials?: Credentials;
  retry?: Partial<RetryPolicy>;
  now?: () => Date;
  progress?: ProgressSink;
}

export interface CollectAwsResult {
  snapshot: AwsSnapshot;
  /** per account id: the raw `get-account-authorization-details` export */
  authorizationDetails: Map<string, Record<string, unknown>>;
}

const SESSION_NAME = 'accessgraph-collect';

export async function collectAws(
  opts: CollectAwsOptions,
  deps: CollectAwsDeps = {},
): Promise<CollectAwsResult> {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...deps.retry };
  const now = deps.now ?? (() => new Date());
  const progress = new CollectProgress(deps.progress ?? silentProgress);
  const home = opts.regions[0];
  if (!home) throw new Error('no region to collect from');
  const topErrors = new ErrorLog();
  const basePool = new ClientPool(deps.credentials ?? defaultCredentials(opts.profile), retry);
  const pools: ClientPool[] = [basePool];
  const throttled = (what: string, ms: number) =>
    progress.note(`throttled on ${what}, waiting ${(ms / 1000).toFixed(1)}s`);
  try {
    progress.note('identifying the caller');
    const bootstrap = new AwsContext('', 'aws', basePool, topErrors, retry, throttled);
    const caller = await callerIdentity(bootstrap, home);
    const baseCtx = new AwsContext(caller.accountId, caller.partition, basePool, topErrors, retry, throttled);
    const roleArnFor = roleArnResolver(opts, caller.partition);

    // One role session per account, shared by the organization read and the account's collection.
    const sessions = new Map<string, ClientPool | null>();
    const contextFor = async (accountId: string): Promise<AwsContext | undefined> => {
      // Each account gets its own error log; the base context's log is the run's.
      if (!roleArnFor)
        return accountId === caller.accountId
          ? new AwsContext(accountId, caller.partition, basePool, new ErrorLog(), retry, throttled)
          : undefined;
      let pool = sessions.get(accountId);
      if (pool === undefined) {
        const roleArn = roleArnFor(accountId);
        const provider = assumedRoleProvider(baseCtx, home, roleArn, opts.externalId, SESSION_NAME);
        try {
          await provider(); // fail here, once, rather than in every service call
          pool = new ClientPool(provider, retry);
          pools.push(pool);
        } catch (err) {
          topErrors.record(
            { service: 'sts', operation: 'AssumeRole' },
            err,
            `account ${accountId}: ${roleArn}`,
          );
          pool = null;
        }
        sessions.set(accountId, pool);
      }
      return pool
        ? new AwsContext(accountId, caller.partition, pool, new ErrorLog(), retry, throttled)
        : undefined;
    };

    progress.note('reading the organization');
    const orgIdent = await topErrors.attempt(
      { service: 'organizations', operation: 'DescribeOrganization' },
      () => describeOrganization(baseCtx),
    );
    const organization = orgIdent
      ? await readOrganization(baseCtx, orgIdent, roleArnFor, contextFor, topErrors)
      : undefined;

    const targets = targetAccounts(opts, roleArnFor, caller.accountId, organization, topErrors);
    const regional = SERVICE_COLLECTORS.filter((s) => opts.services.includes(s.name));
    // Two IAM steps per account now; the service steps once the account's regions are known.
    progress.plan(targets.length * 2);

    const accounts: SnapshotAccount[] = [];
    const rawExports = new Map<string, Record<string, unknown>>();
    for (const accountId of targets) {
      progress.start(`account ${accountId}`, 'sts');
      const ctx = await contextFor(accountId);
      if (!ctx) {
        if (!roleArnFor)
          topErrors.record(
            { service: 'sts', operation: 'AssumeRole' },
            new Error('no role to assume: give --role-name or --assume-role-arn-template'),
            `account ${accountId}`,
          );
        progress.finish();
        progress.finish();
        continue;
      }
      const account = await collectAccount(ctx, opts, regional, progress, topErrors);
      if (account) {
        accounts.push(account);
        rawExports.set(accountId, account.authorizationDetails);
      }
    }

    const snapshot: AwsSnapshot = {
      format: AWS_SNAPSHOT_FORMAT,
      version: 1,
      collectedAt: now().toISOString(),
      ...(opts.collector ? { collector: opts.collector } : {}),
      ...(organization ? { organization } : {}),
      accounts: accounts.sort((a, b) => compareText(a.accountId, b.accountId)),
      errors: sortedErrors(topErrors.entries),
    };
    return { snapshot, authorizationDetails: rawExports };
  } finally {
    for (const p of pools) p.destroy();
  }
}

/**
 * The organization's structure and policies need the management account (or a delegated
 * administrator). Try the caller first; if denied and a role into the management account is
 * configured, try through that role.
 */
async function readOrganization(
  baseCtx: AwsContext,
  ident: OrgIdentity,
  roleArnFor: RoleArnFor | undefined,
  contextFor: (accountId: string) => Promise<AwsContext | undefined>,
  topErrors: ErrorLog,
): Promise<SnapshotOrganization | undefined> {
  const site = { service: 'organizations', operation: 'ListRoots' };
  try {
    return await organizationTree(baseCtx, ident);
  } catch (err) {
    // The role may hold Organizations permissions the caller lacks, even in the same account.
    if (!roleArnFor) {
      topErrors.record(site, err, 'the organization structure and SCPs/RCPs are not in this snapshot');
      return undefined;
    }
    const mgmt = await contextFor(ident.managementAccountId);
    if (!mgmt) {
      topErrors.record(site, err, 'the organization structure and SCPs/RCPs are not in this snapshot');
      return undefined;
    }
    try {
      const tree = await organizationTree(mgmt, ident);
      // Policy-level problems seen through the management role belong to the whole run.
      for (const e of mgmt.errors.entries) topErrors.entries.push(e);
      return tree;
    } catch (err2) {
      topErrors.record(
        site,
        err2,
        `through ${roleArnFor(ident.managementAccountId)}; the organization structure and SCPs/RCPs are not in this snapshot`,
      );
      return undefined;
    }
  }
}

function targetAccounts(
  opts: CollectAwsOptions,
  roleArnFor: RoleArnFor | undefined,
  callerAccount: string,
  organization: SnapshotOrganization | undefined,
  topErrors: ErrorLog,
): string[] {
  if (opts.accounts && opts.accounts.length > 0) return [...opts.accounts];
  if (!roleArnFor) return [callerAccount];
  if (!organization) {
    topErrors.record(
      { service: 'organizations', operation: 'ListAccountsForParent' },
      new Error(
        'no --accounts given and the organization could not be listed; collecting the caller account only',
      ),
    );
    return [callerAccount];
  }
  // Suspended and closing accounts cannot be signed into.
  return organization.accounts.filter((a) => !a.status || a.status === 'ACTIVE').map((a) => a.id);
}

async function collectAccount(
  ctx: AwsContext,
  opts: CollectAwsOptions,
  services: typeof SERVICE_COLLECTORS,
  progress: CollectProgress,
  topErrors: ErrorLog,
): Promise<SnapshotAccount | undefined> {
  const where = `account ${ctx.accountId}`;
  progress.start(where, 'iam authorization details');
  let details: Record<string, unknown>;
  try {
    details = await authorizationDetails(ctx);
  } catch (err) {
    // Without the IAM export the account has no principals to hang anything on: it is left out.
    topErrors.record(
      { service: 'iam', operation: 'GetAccountAuthorizationDetails' },
      err,
      `account ${ctx.accountId} left out`,
    );
    return undefined;
  } finally {
    progress.finish();
  }
  progress.start(where, 'iam last used');
  const alias = await ctx.errors.attempt({ service: 'iam', operation: 'ListAccountAliases' }, () =>
    accountAlias(ctx),
  );
  const lastUsed = await ctx.errors.attempt({ service: 'iam', operation: 'ListUsers' }, () =>
    credentialLastUse(ctx),
  );
  progress.finish();

  const known = knownIam(details);
  const home = opts.regions[0] as string;
  const accountRegions = opts.allRegions ? await enabledRegions(ctx, home) : opts.regions;
  progress.plan(services.reduce((n, s) => n + (s.scope === 'account' ? 1 : accountRegions.length), 0));
  const resources = [];
  for (const svc of services) {
    const regions = svc.scope === 'account' ? [home] : accountRegions;
    for (const region of regions) {
      const step = svc.part ? `${svc.name} ${svc.part}` : svc.name;
      progress.start(where, step, ...(svc.scope === 'region' ? [region] : []));
      const got = await ctx.errors.attempt(
        { service: svc.name, operation: 'list', ...(svc.scope === 'region' ? { region } : {}) },
        () => svc.collect(ctx, region, known),
      );
      if (got) resources.push(...got);
      progress.finish();
    }
  }
  const account: SnapshotAccount = {
    accountId: ctx.accountId,
    ...(alias ? { alias } : {}),
    authorizationDetails: details,
    resources: resources.sort((a, b) => compareText(a.type, b.type) || compareText(a.arn, b.arn)),
    ...(lastUsed ? { lastUsed: lastUsed.sort((a, b) => compareText(a.arn, b.arn)) } : {}),
    errors: sortedErrors(ctx.errors.entries),
  };
  return account;
}

/**
 * The regions enabled in this account (opt-in regions only once opted in): the others
 * reject every call, which would only fill the snapshot with errors.
 */
async function enabledRegions(ctx: AwsContext, home: string): Promise<readonly string[]> {
  const ec2 = ctx.clients.get(EC2Client, home);
  const out = await ctx.errors.attempt(
    { service: 'ec2', operation: 'DescribeRegions', region: home },
    () => ctx.call('DescribeRegions', () => ec2.send(new DescribeRegionsCommand({ AllRegions: false }))),
    'collecting the home region only',
  );
  const names = (out?.Regions ?? [])
    .filter((r) => r.OptInStatus !== 'not-opted-in')
    .map((r) => r.RegionName)
    .filter((n): n is string => !!n)
    .sort(compareText);
  return names.length > 0 ? names : [home];
}
