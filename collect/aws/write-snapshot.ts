/**
 * The snapshot directory `collect aws` writes:
 *
 *   DIR/aws-snapshot.json                      the snapshot (what `accessgraph ingest DIR` reads)
 *   DIR/.raw/aws-iam-<account>.json            each account's `get-account-authorization-details` export
 *
 * The raw exports duplicate what the snapshot embeds, for tools that read the AWS CLI
 * format. They sit in a hidden folder because `ingest DIR` skips hidden entries: loading an
 * account from both its raw export and the snapshot in one ingest would load it twice.
 * Raw exports are written first and the snapshot last, each atomically, so a snapshot file
 * on disk is always complete. Exports of accounts this run did not collect are removed.
 */

import { join } from 'node:path';
import { compareText } from '../common/collection-errors.js';
import { removeStale, writeJsonAtomic } from '../common/snapshot-dir.js';
import type { CollectAwsResult } from './collect-aws.js';

export const SNAPSHOT_FILE = 'aws-snapshot.json';
export const RAW_DIR = '.raw';
const RAW_NAME = /^aws-iam-\d{12}\.json$/;

export const rawExportName = (accountId: string) => `aws-iam-${accountId}.json`;

export interface WrittenFiles {
  snapshot: string;
  rawExports: string[];
}

export function writeAwsSnapshotDir(dir: string, result: CollectAwsResult): WrittenFiles {
  const rawDir = join(dir, RAW_DIR);
  const written = new Set<string>();
  const rawExports: string[] = [];
  for (const [accountId, details] of [...result.authorizationDetails].sort(([a], [b]) => compareText(a, b))) {
    const name = rawExportName(accountId);
    writeJsonAtomic(join(rawDir, name), details);
    written.add(name);
    rawExports.push(join(rawDir, name));
  }
  removeStale(rawDir, RAW_NAME, written);
  const snapshot = join(dir, SNAPSHOT_FILE);
  writeJsonAtomic(snapshot, result.snapshot);
  return { snapshot, rawExports };
}
