/**
 * The naive simulator is only worth comparing against if it answers the same question: on a
 * small hand-made account it must agree with our who-can on a direct grant (through a group)
 * and on an explicit deny, and miss only what needs a second hop (assuming a role).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import { whoCan } from '../graph/queries/access.js';
import type { GraphStore } from '../graph/store.js';
import { loadSources } from '../ingest/load.js';
import type { InputDoc } from '../ingest/read-inputs.js';
import { ingestDocuments } from '../ingest/registry.js';
import { naiveOrgFromInputs, naiveWhoCan } from './naive-simulate.js';

const ACCT = '111122223333';
const BUCKET = 'arn:aws:s3:::ledger-exports';
const arn = (kind: string, name: string) => `arn:aws:iam::${ACCT}:${kind}/${name}`;
const DATE = '2026-01-05T10:00:00Z';
const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
// a prefix pattern, as teams write grants on the buckets they own
const readBucket = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::ledger-*' });
const user = (name: string, extra: Record<string, unknown>) => ({
  Path: '/',
  UserName: name,
  UserId: `AIDA${name.toUpperCase().padEnd(17, 'X')}`,
  Arn: arn('user', name),
  CreateDate: DATE,
  GroupList: [],
  UserPolicyList: [],
  AttachedManagedPolicies: [],
  ...extra,
});

const snapshot = {
  format: 'accessgraph-aws-snapshot',
  version: 1,
  collectedAt: DATE,
  accounts: [
    {
      accountId: ACCT,
      authorizationDetails: {
        UserDetailList: [
          // allowed through a group's inline policy
          user('alice', { GroupList: ['ledger-readers'] }),
          // in the same group, but his own policy denies what the group grants
          user('bob', {
            GroupList: ['ledger-readers'],
            UserPolicyList: [
              {
                PolicyName: 'no-ledger',
                PolicyDocument: policy({ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::ledger-*' }),
              },
            ],
          }),
          // no grant of her own; she reaches the bucket only by assuming the exporter role
          user('carol', {
            UserPolicyList: [
              {
                PolicyName: 'assume-exporter',
                PolicyDocument: policy({
                  Effect: 'Allow',
                  Action: 'sts:AssumeRole',
                  Resource: arn('role', 'exporter'),
                }),
              },
            ],
          }),
        ],
        GroupDetailList: [
          {
            Path: '/',
            GroupName: 'ledger-readers',
            GroupId: 'AGPALEDGERREADERSXXX',
            Arn: arn('group', 'ledger-readers'),
            CreateDate: DATE,
            GroupPolicyList: [{ PolicyName: 'read-ledger', PolicyDocument: readBucket }],
            AttachedManagedPolicies: [],
          },
        ],
        RoleDetailList: [
          {
            Path: '/',
            RoleName: 'exporter',
            RoleId: 'AROAEXPORTERXXXXXXXX',
            Arn: arn('role', 'exporter'),
            CreateDate: DATE,
            AssumeRolePolicyDocument: policy({
              Effect: 'Allow',
              Principal: { AWS: arn('user', 'carol') },
              Action: 'sts:AssumeRole',
            }),
            InstanceProfileList: [],
            RolePolicyList: [{ PolicyName: 'read-ledger', PolicyDocument: readBucket }],
            AttachedManagedPolicies: [],
            Tags: [],
          },
        ],
        Policies: [],
      },
      resources: [
        { arn: BUCKET, type: 's3:bucket', name: 'ledger-exports', region: 'eu-west-1', policy: null },
      ],
    },
  ],
};

describe('naive per-principal simulation', () => {
  const docs: InputDoc[] = [{ file: 'hand-made.snapshot.json', doc: snapshot }];
  let dir: string;
  let store: GraphStore;
  let ours: string[];
  let naive: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accessgraph-naive-'));
    store = await EmbeddedStore.open({ dataDir: dir });
    await loadSources(store, await ingestDocuments(docs));
    const r = await whoCan(store, BUCKET, { action: 's3:GetObject', kinds: ['User', 'Role'] });
    ours = r.answers.map((a) => a.node.id).sort();
    const n = await naiveWhoCan(naiveOrgFromInputs(docs), {
      action: 's3:GetObject',
      resourceArn: BUCKET,
      requestResource: `${BUCKET}/2026/01/ledger.csv`,
      context: { 'aws:RequestedRegion': 'eu-west-1', 'aws:SecureTransport': 'true' },
    });
    expect(n.errors, n.firstError ?? '').toBe(0);
    expect(n.simulated).toBe(4);
    naive = [...n.allowed].sort();
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('agrees with who-can on a grant through a group', () => {
    expect(naive).toContain(arn('user', 'alice'));
    expect(ours).toContain(arn('user', 'alice'));
    expect(naive).toContain(arn('role', 'exporter'));
    expect(ours).toContain(arn('role', 'exporter'));
  });

  it('agrees with who-can on an explicit deny', () => {
    expect(naive).not.toContain(arn('user', 'bob'));
    expect(ours).not.toContain(arn('user', 'bob'));
  });

  it('misses the principal that needs to assume a role, which who-can finds', () => {
    expect(naive).not.toContain(arn('user', 'carol'));
    expect(ours).toContain(arn('user', 'carol'));
    expect(ours.filter((p) => !naive.includes(p))).toEqual([arn('user', 'carol')]);
  });
});
