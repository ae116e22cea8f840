/**
 * who-can accepts any ARN: a resource no source inventoried (an S3 object, a secret by ARN)
 * is answered through the nodes that contain it, with partial denies and object key patterns
 * judged for the ARN itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../graph/embedded/sqlite-store.js';
import { whoCan } from '../../graph/queries/access.js';
import type { GraphStore } from '../../graph/store.js';
import { narrowToTarget } from '../applicability.js';
import { loadSources } from '../load.js';
import { ingestDocuments } from '../registry.js';

const A = '111111111111';
const user = (name: string, statements: unknown[]) => ({
  Path: '/',
  UserName: name,
  UserId: `AIDA${name.toUpperCase()}`,
  Arn: `arn:aws:iam::${A}:user/${name}`,
  CreateDate: '2025-01-01T00:00:00Z',
  GroupList: [],
  AttachedManagedPolicies: [],
  UserPolicyList: [
    { PolicyName: 'inline', PolicyDocument: { Version: '2012-10-17', Statement: statements } },
  ],
});
const allow = (Action: string, Resource: string) => ({ Effect: 'Allow', Action, Resource });
const deny = (Action: string, Resource: string) => ({ Effect: 'Deny', Action, Resource });
const SECRET = (name: string) => `arn:aws:secretsmanager:eu-west-1:${A}:secret:${name}`;

const snapshot = {
  format: 'accessgraph-aws-snapshot',
  version: 1,
  collectedAt: '2026-11-28T00:00:00Z',
  accounts: [
    {
      accountId: A,
      authorizationDetails: {
        UserDetailList: [
          user('alice', [allow('s3:GetObject', 'arn:aws:s3:::data/reports/*')]),
          user('bob', [allow('s3:GetObject', '*'), deny('s3:GetObject', 'arn:aws:s3:::data/secret/*')]),
          user('carol', [allow('secretsmanager:GetSecretValue', SECRET('prod-*'))]),
          user('dave', [
            allow('secretsmanager:GetSecretValue', '*'),
            deny('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:*:*:secret:prod-db-*'),
          ]),
        ],
        GroupDetailList: [],
        RoleDetailList: [],
        Policies: [],
      },
      resources: [{ arn: 'arn:aws:s3:::data', type: 's3:bucket', name: 'data', region: 'eu-west-1' }],
    },
  ],
};

let dir: string;
let store: GraphStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aws-containers-'));
  store = await EmbeddedStore.open({ dataDir: dir });
  await loadSources(store, await ingestDocuments([{ file: 'snapshot.json', doc: snapshot }]));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const who = async (resource: string, action: string) => {
  const r = await whoCan(store, resource, await narrowToTarget(store, resource, { action }));
  return { names: r.answers.map((a) => a.node.name).sort(), r };
};

describe('who-can on resources no source inventoried', () => {
  it('an object is answered through its bucket, key patterns and denies judged for its key', async () => {
    const report = await who('arn:aws:s3:::data/reports/q1.csv', 's3:GetObject');
    expect(report.names).toEqual(['alice', 'bob']);
    expect(report.r.known).toBe(false);
    expect(report.r.within).toEqual(['arn:aws:s3:::data']);
    // outside alice's key pattern, and under bob's deny
    expect((await who('arn:aws:s3:::data/secret/key.pem', 's3:GetObject')).names).toEqual([]);
    expect((await who('arn:aws:s3:::data/other.txt', 's3:GetObject')).names).toEqual(['bob']);
    // the bucket itself: both hold object access in it
    expect((await who('arn:aws:s3:::data', 's3:GetObject')).names).toEqual(['alice', 'bob']);
  });

  it('a secret by ARN is answered through its account and the patterns that match it', async () => {
    const db = await who(SECRET('prod-db-AbCdEf'), 'secretsmanager:GetSecretValue');
    expect(db.names).toEqual(['carol']);
    expect(db.r.within).toEqual([`arn:aws:iam::${A}:root`, SECRET('prod-*')]);
    expect((await who(SECRET('dev-api-key'), 'secretsmanager:GetSecretValue')).names).toEqual(['dave']);
    // without an action, the actions that matter on a secret are asked
    const any = await who(SECRET('prod-api-key'), '');
    expect(any.names).toEqual(['carol', 'dave']);
  });

  it('an ARN of an account nobody loaded stays unknown', async () => {
    const r = await who(
      'arn:aws:secretsmanager:eu-west-1:222222222222:secret:x',
      'secretsmanager:GetSecretValue',
    );
    expect(r.names).toEqual([]);
    expect(r.r.within).toBeUndefined();
  });
});
