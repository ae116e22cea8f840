/**
 * Writes a generated organization to a directory in the formats `accessgraph ingest` reads,
 * one account at a time so memory holds one account, never the whole tier:
 *
 * - `organization.snapshot.json`: the project's AWS snapshot (docs/schema/aws-snapshot.schema.json)
 *   with the organization and SCPs; in layout `mixed`, also every member account's IAM data,
 *   resources and last-use rows, streamed account by account into the `accounts` array;
 * - `accounts/<id>.auth-details.json`: raw `aws iam get-account-authorization-details` output,
 *   for the management account (SCPs never apply to it, so the raw export loses nothing) and,
 *   in layout `raw`, for every account.
 *
 * The same tier and seed always give byte-identical files.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type AccountStats, generateAccount } from './account.js';
import { organization, planAccounts } from './organization.js';
import type { TierSpec } from './tiers.js';

export type Layout = 'mixed' | 'raw';

export interface GenerateOptions {
  tier: TierSpec;
  seed: number;
  out: string;
  layout?: Layout;
  /** called after each account is written */
  onAccount?: (id: string, stats: AccountStats) => void;
}

export interface GenerateSummary extends AccountStats {
  accounts: number;
  files: string[];
  bytes: number;
}

/** the collection time written into the snapshot: fixed, so output depends on the seed only */
export const COLLECTED_AT = '2026-11-01T00:00:00Z';

export function generateDataset(opts: GenerateOptions): GenerateSummary {
  const layout = opts.layout ?? 'mixed';
  const plans = planAccounts(opts.tier, opts.seed);
  mkdirSync(join(opts.out, 'accounts'), { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  const total: AccountStats = {
    users: 0,
    groups: 0,
    roles: 0,
    managedPolicies: 0,
    resources: 0,
    groupGrantPairs: 0,
  };

  const snapshotFile = join(opts.out, 'organization.snapshot.json');
  const fd = openSync(snapshotFile, 'w');
  const put = (s: string) => {
    bytes += writeSync(fd, s);
  };
  const header = {
    format: 'accessgraph-aws-snapshot',
    version: 1,
    collectedAt: COLLECTED_AT,
    collector: `accessgraph bench generator (tier ${opts.tier.name}, seed ${opts.seed}, layout ${layout})`,
    organization: organization(plans),
  };
  const head = JSON.stringify(header);
  put(`${head.slice(0, -1)},"accounts":[`);
  let first = true;
  try {
    for (const plan of plans) {
      const raw = layout === 'raw' || plan.index === 0;
      // raw exports carry no resources (the management account has none to begin with)
      const acct = generateAccount(raw ? { ...plan, resources: 0 } : plan, opts.tier, opts.seed);
      if (raw) {
        const file = join(opts.out, 'accounts', `${plan.id}.auth-details.json`);
        const afd = openSync(file, 'w');
        try {
          bytes += writeSync(afd, `${JSON.stringify(acct.authorizationDetails)}\n`);
        } finally {
          closeSync(afd);
        }
        files.push(file);
      } else {
        const entry = {
          accountId: plan.id,
          alias: plan.name,
          authorizationDetails: acct.authorizationDetails,
          resources: acct.resources,
          lastUsed: acct.lastUsed,
        };
        put(`${first ? '' : ','}\n${JSON.stringify(entry)}`);
        first = false;
      }
      for (const k of Object.keys(total) as Array<keyof AccountStats>) total[k] += acct.stats[k];
      opts.onAccount?.(plan.id, acct.stats);
    }
    put('\n],"errors":[]}\n');
  } finally {
    closeSync(fd);
  }
  files.unshift(snapshotFile);
  return { ...total, accounts: plans.length, files, bytes };
}
