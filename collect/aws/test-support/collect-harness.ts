/**
 * One collection against the fake organization, for the tests of the role-carrying
 * collectors: collect, pick the management account, and collect → write → ingest.
 * Registers its own beforeEach/afterEach (a fresh output directory, the mocks restored).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import type { GraphEdgeOf } from '../../../graph/model.js';
import { readInputs } from '../../../ingest/read-inputs.js';
import { ingestDocuments } from '../../../ingest/registry.js';
import { compileSchema } from '../../../ingest/schema-validate.js';
import type { IngestedSource } from '../../../ingest/types.js';
import { packagePath } from '../../../lib/package-root.js';
import { type CollectAwsOptions, collectAws } from '../collect-aws.js';
import type { SnapshotAccount } from '../snapshot-types.js';
import { writeAwsSnapshotDir } from '../write-snapshot.js';
import { BASE_CREDENTIALS, type FakeAws, type FakeAwsOptions, fakeAws, MEMBER, MGMT } from './fake-aws.js';

const validate = compileSchema(
  JSON.parse(readFileSync(packagePath('docs', 'schema', 'aws-snapshot.schema.json'), 'utf8')),
);

export const ofType = (a: SnapshotAccount, type: string) => a.resources?.filter((r) => r.type === type) ?? [];

export const escalations = (srcs: IngestedSource[], technique: string) =>
  srcs.flatMap((s) =>
    s.edges.filter(
      (e): e is GraphEdgeOf<'CAN_ESCALATE'> => e.kind === 'CAN_ESCALATE' && e.props.technique === technique,
    ),
  );

/** Does the account's source link `from` to the role `to` it runs as? */
export const runsAs = (srcs: IngestedSource[], account: string, from: string, to: string) =>
  srcs
    .find((s) => s.descriptor.id === `aws:${account}`)
    ?.edges.some((e) => e.kind === 'RUNS_AS' && e.from === from && e.to === to) ?? false;

export function collectHarness(opts: CollectAwsOptions) {
  /** the waits of the collector's own throttling retries */
  const sleeps: number[] = [];
  const deps = {
    credentials: BASE_CREDENTIALS,
    now: () => new Date('2026-11-29T12:00:00Z'),
    retry: { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5, retries: 3 },
  };
  let fake: FakeAws | undefined;
  let dir = '';
  beforeEach(() => {
    sleeps.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'accessgraph-role-carriers-'));
  });
  afterEach(() => {
    fake?.restore();
    fake = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    sleeps,
    /** the mocks of the last collection */
    fake(): FakeAws {
      if (!fake) throw new Error('nothing collected yet');
      return fake;
    },
    async collectMgmt(
      fakeOpts: FakeAwsOptions = {},
    ): Promise<{ mgmt: SnapshotAccount; member: SnapshotAccount | undefined }> {
      fake = fakeAws(fakeOpts);
      const { snapshot } = await collectAws(opts, deps);
      const mgmt = snapshot.accounts.find((a) => a.accountId === MGMT);
      if (!mgmt) throw new Error('management account not collected');
      return { mgmt, member: snapshot.accounts.find((a) => a.accountId === MEMBER) };
    },
    /** collect, check the snapshot against the schema, write it, and ingest the directory */
    async ingestCollected(fakeOpts: FakeAwsOptions = {}): Promise<IngestedSource[]> {
      fake = fakeAws(fakeOpts);
      const result = await collectAws(opts, deps);
      expect(() => validate(result.snapshot, 'collected')).not.toThrow();
      writeAwsSnapshotDir(dir, result);
      const srcs = await ingestDocuments(readInputs([dir]));
      fake.restore();
      fake = undefined;
      return srcs;
    },
  };
}
