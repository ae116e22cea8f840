/**
 * `accessgraph collect <cloud>`: live cloud → snapshot directory. Each cloud is a
 * subcommand of `collect` (`collect aws` here; `collect gcp` and `collect azure` register
 * beside it the same way), so they share the command's help and conventions: `--out DIR`,
 * `--json` summary on stdout, progress on stderr, best-effort errors recorded in the snapshot.
 */
import { STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { type CollectAwsDeps, type CollectAwsResult, collectAws } from '../../collect/aws/collect-aws.js';
import { SERVICE_NAMES } from '../../collect/aws/services/index.js';
import { parseAccountList, roleArnResolver, TargetOptionError } from '../../collect/aws/targets.js';
import { writeAwsSnapshotDir } from '../../collect/aws/write-snapshot.js';
import { type CollectAzureDeps, registerCollectAzure } from '../../collect/azure/command.js';
import type { CollectionError } from '../../collect/common/collection-errors.js';
import { type CollectGcpCliDeps, registerCollectGcp } from '../../collect/gcp/cli.js';
import { type CliIo, globalFlags, UsageError, writeJson } from '../context.js';
import { progress } from '../progress.js';

export interface CollectDeps {
  aws?: CollectAwsDeps;
  gcp?: CollectGcpCliDeps;
  azure?: CollectAzureDeps;
}

export function registerCollect(program: Command, io: CliIo, deps: CollectDeps = {}): void {
  const collect = program
    .command('collect')
    .description('read a live cloud with its SDK and write a snapshot directory for `ingest`');
  registerCollectAws(collect, io, deps.aws ?? {});
  registerCollectGcp(collect, io, deps.gcp ?? {});
  registerCollectAzure(collect, io, deps.azure ?? {});
}

interface AwsFlags {
  profile?: string;
  region?: string;
  accounts?: string;
  roleName?: string;
  assumeRoleArnTemplate?: string;
  externalId?: string;
  out: string;
  services?: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function registerCollectAws(collect: Command, io: CliIo, deps: CollectAwsDeps): void {
  collect
    .command('aws')
    .description('AWS: IAM authorization details, organization SCPs/RCPs, resources and their policies')
    .option(
      '--profile <name>',
      'named profile from the shared AWS config (default: the default credential chain)',
    )
    .option(
      '--region <regions>',
      'comma-separated regions for regional services, or "all" for every region enabled in each account (default: AWS_REGION or the profile region)',
    )
    .option('--accounts <ids>', 'comma-separated account ids to collect by assuming a role in each')
    .option('--role-name <name>', 'role to assume in each account (arn:aws:iam::<account>:role/<name>)')
    .option(
      '--assume-role-arn-template <arn>',
      "role ARN with {account}, e.g. 'arn:aws:iam::{account}:role/Auditor'",
    )
    .option('--external-id <id>', 'external id for AssumeRole')
    .option('--out <dir>', 'snapshot directory to write', 'aws-snapshot')
    .option('--services <list>', `comma-separated services (default: all): ${SERVICE_NAMES.join(',')}`)
    .addHelpText(
      'after',
      `
Without --accounts, a role option collects every active account of the organization; with
neither, only the account of the caller's credentials. IAM is always collected.
Secret values are never read: no GetSecretValue, no Lambda or CodeBuild environment values.

Writes DIR/aws-snapshot.json (load it with \`accessgraph ingest DIR\`) and each account's raw
\`aws iam get-account-authorization-details\` export under DIR/.raw/.

Exit codes: 0 at least one account collected (errors on single services are recorded in the
snapshot and listed on stderr), 1 nothing could be collected, 2 bad options.`,
    )
    .action(async (flags: AwsFlags, command: Command) => {
      const json = globalFlags(command).json === true;
      const services = parseServices(flags.services);
      let accounts: string[] | undefined;
      try {
        accounts = flags.accounts !== undefined ? parseAccountList(flags.accounts) : undefined;
        // Checked now (with a placeholder partition) so bad options fail before any AWS call.
        roleArnResolver(
          {
            accounts,
            roleName: flags.roleName,
            roleArnTemplate: flags.assumeRoleArnTemplate,
            externalId: flags.externalId,
          },
          'aws',
        );
      } catch (err) {
        if (err instanceof TargetOptionError) throw new UsageError(err.message);
        throw err;
      }
      const { regions, allRegions } = await resolveRegions(flags, io);
      const p = progress(io);
      let result: CollectAwsResult;
      try {
        result = await collectAws(
          {
            profile: flags.profile,
            regions,
            allRegions,
            accounts,
            roleName: flags.roleName,
            roleArnTemplate: flags.assumeRoleArnTemplate,
            externalId: flags.externalId,
            services,
            collector: `accessgraph ${io.version}`,
          },
          { ...deps, progress: deps.progress ?? p },
        );
      } catch (err) {
        p.done('collection stopped');
        throw new Error(`cannot collect from AWS: ${(err as Error).message}`);
      }
      const snap = result.snapshot;
      const allErrors: CollectionError[] = [
        ...(snap.errors ?? []),
        ...snap.accounts.flatMap((a) =>
          (a.errors ?? []).map((e) => ({ ...e, message: `account ${a.accountId}: ${e.message}` })),
        ),
      ];
      for (const e of allErrors)
        io.stderr.write(
          `warning: ${e.service} ${e.operation}${e.region ? ` (${e.region})` : ''}${e.code ? ` [${e.code}]` : ''}: ${e.message}\n`,
        );
      if (snap.accounts.length === 0) {
        p.done('no account could be collected');
        // Nothing is written, so a previous good snapshot in --out stays as it was.
        throw new Error('no account could be collected (see the warnings above); nothing was written');
      }
      const files = writeAwsSnapshotDir(flags.out, result);
      const resources = snap.accounts.reduce((n, a) => n + (a.resources?.length ?? 0), 0);
      p.done(
        `collected ${snap.accounts.length} account${snap.accounts.length === 1 ? '' : 's'}, ${resources} resources, ${allErrors.length} collection error${allErrors.length === 1 ? '' : 's'}`,
      );
      if (json) {
        return writeJson(io, {
          snapshot: files.snapshot,
          rawExports: files.rawExports,
          organization: snap.organization?.id ?? null,
          accounts: snap.accounts.map((a) => ({
            accountId: a.accountId,
            resources: a.resources?.length ?? 0,
            errors: a.errors ?? [],
          })),
          errors: snap.errors ?? [],
        });
      }
      io.stdout.write(`${files.snapshot}\n`);
    });
}

function parseServices(text: string | undefined): string[] {
  if (text === undefined) return [...SERVICE_NAMES];
  const names = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0 && s !== 'iam');
  for (const n of names)
    if (!SERVICE_NAMES.includes(n))
      throw new UsageError(`--services: unknown service "${n}"; known: iam,${SERVICE_NAMES.join(',')}`);
  return [...new Set(names)];
}

async function resolveRegions(
  flags: AwsFlags,
  io: CliIo,
): Promise<{ regions: string[]; allRegions: boolean }> {
  if (flags.region?.trim() === 'all') return { regions: [await defaultRegion(flags, io)], allRegions: true };
  if (flags.region !== undefined) {
    const regions = [
      ...new Set(
        flags.region
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r.length > 0),
      ),
    ];
    if (regions.length === 0) throw new UsageError('--region needs at least one region');
    for (const r of regions)
      if (!REGION.test(r))
        throw new UsageError(`--region: "${r}" is not an AWS region name (or give "all" alone)`);
    return { regions, allRegions: false };
  }
  return { regions: [await defaultRegion(flags, io)], allRegions: false };
}

async function defaultRegion(flags: AwsFlags, io: CliIo): Promise<string> {
  const fromEnv = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  // The SDK's own lookup: environment, then the profile's `region` in the shared config.
  try {
    const sts = new STSClient(flags.profile ? { profile: flags.profile } : {});
    const region = await sts.config.region();
    sts.destroy();
    if (region) return region;
  } catch {
    // no region configured anywhere
  }
  io.stderr.write('note: no region given or configured; using us-east-1 (give --region to choose)\n');
  return 'us-east-1';
}
