/**
 * A bucket policy governs requests on the bucket and on its objects: its `Resource: "*"`
 * (or a pattern matching every object) reaches the objects, and its Deny statements written
 * with NotResource cut identity grants everywhere but where NotResource points (AWS IAM
 * "Policy evaluation logic": an explicit deny in any applicable policy overrides allows).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeDeniesOf } from '../../graph/access-exceptions.js';
import { EmbeddedStore } from '../../graph/embedded/sqlite-store.js';
import { whoCan } from '../../graph/queries/access.js';
import { packagePath } from '../../lib/package-root.js';
import { narrowToTarget } from '../applicability.js';
import { loadSources } from '../load.js';
import { ingestAwsSnapshot } from './snapshot.js';

const BUCKET = 'arn:aws:s3:::prod-ledger';
const NOW = new Date('2026-11-29T00:00:00Z');

const fixtureSnapshot = () =>
  JSON.parse(readFileSync(packagePath('ingest', 'aws', 'fixtures', 'aws-snapshot.json'), 'utf8'));

/** A bucket-policy statement that touches nothing the tests ask about (the baseline). */
const NOOP_DENY = {
  Sid: 'Noop',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:DeleteBucket',
  Resource: BUCKET,
};

/** The common "deny unless TLS" statement of a bucket (names everyone, reads nothing about the caller). */
const tlsOnly = (arn: string) => ({
  Sid: 'TlsOnly',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [arn, `${arn}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

/** Runs `use` on a store loaded from the fixture snapshot, its prod-ledger bucket policy replaced. */
async function withBucketPolicy<T>(
  statement: Record<string, unknown>,
  use: (store: EmbeddedStore) => Promise<T>,
): Promise<T> {
  const snap = fixtureSnapshot();
  const bucket = snap.accounts[0].resources.find((r: { arn: string }) => r.arn === BUCKET);
  bucket.policy = { Version: '2012-10-17', Statement: [statement] };
  const dir = mkdtempSync(join(tmpdir(), 'accessgraph-bucket-policy-'));
  const store = await EmbeddedStore.open({ dataDir: dir });
  try {
    await loadSources(store, await ingestAwsSnapshot(snap, 'snap.json', { now: NOW }));
    return await use(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Who can s3:GetObject on each object key, with the fixture's prod-ledger bucket policy replaced. */
function readersOf(statement: Record<string, unknown>, keys: string[], kinds = ['User', 'Role']) {
  return withBucketPolicy(statement, async (store) => {
    const out: Record<string, string[]> = {};
    for (const key of keys) {
      const target = `${BUCKET}/${key}`;
      const q = await narrowToTarget(store, target, { action: 's3:GetObject', kinds: kinds as never });
      out[key] = (await whoCan(store, target, q)).answers.map((a) => a.node.id).sort();
    }
    return out;
  });
}

describe('bucket policy scope', () => {
  it('without a bucket policy, identity grants reach the objects (the baseline below)', async () => {
    const r = await readersOf(NOOP_DENY, ['private/a']);
    expect(r['private/a']!.length).toBeGreaterThan(0);
  });

  it('a Deny of Resource "*" covers the objects too', async () => {
    const r = await readersOf({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' }, [
      'private/a',
      'public/a',
    ]);
    expect(r).toEqual({ 'private/a': [], 'public/a': [] });
  });

  it('a Deny with NotResource denies all but what NotResource names', async () => {
    const base = await readersOf(NOOP_DENY, ['public/a']);
    const r = await readersOf(
      { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', NotResource: `${BUCKET}/public/*` },
      ['private/a', 'public/a'],
    );
    expect(r['private/a']).toEqual([]);
    expect(r['public/a']).toEqual(base['public/a']);
  });

  it('an Allow of Resource "*" grants on the objects', async () => {
    const outsider = 'arn:aws:iam::999988887777:root#external';
    const r = await readersOf(
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::999988887777:root' },
        Action: 's3:GetObject',
        Resource: '*',
      },
      ['private/a'],
      ['External'],
    );
    expect(r['private/a']).toContain(outsider);
  });

  it('an Allow with NotResource grants all but what NotResource names', async () => {
    const outsider = 'arn:aws:iam::999988887777:root#external';
    const r = await readersOf(
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::999988887777:root' },
        Action: 's3:GetObject',
        NotResource: `${BUCKET}/private/*`,
      },
      ['private/a', 'public/a'],
      ['External'],
    );
    expect(r['private/a']).not.toContain(outsider);
    expect(r['public/a']).toContain(outsider);
  });

  it("a deny that binds every caller alike is the bucket node's own, not an exception on every grant", async () => {
    const tls = tlsOnly(BUCKET);
    const base = await readersOf(NOOP_DENY, ['private/a']);
    await withBucketPolicy(tls, async (store) => {
      const node = await store.getNode(BUCKET);
      expect(nodeDeniesOf(node!)).toEqual([
        expect.objectContaining({ statement: 'TlsOnly', conditional: true, policy: `${BUCKET}#policy` }),
      ]);
      // no identity grant carries it
      const grants = await store.scanEdges({ kind: 'HAS_ACCESS', limit: 10_000 });
      expect(grants.length).toBeGreaterThan(0);
      for (const e of grants)
        for (const ex of (e.props as { exceptions?: Array<{ statement?: unknown }> }).exceptions ?? [])
          expect(ex.statement).not.toBe('TlsOnly');
      // the same readers, each a maybe that names the deny
      const target = `${BUCKET}/private/a`;
      const q = await narrowToTarget(store, target, { action: 's3:GetObject', kinds: ['User', 'Role'] });
      const r = await whoCan(store, target, q);
      expect(r.answers.map((a) => a.node.id).sort()).toEqual(base['private/a']);
      for (const a of r.answers) {
        expect(a.conditional).toBe(true);
        expect(a.undecidedDenies).toEqual([expect.objectContaining({ statement: 'TlsOnly' })]);
      }
    });
  });

  it('a deny that reads the caller (aws:PrincipalAccount) is still judged per principal', async () => {
    const r = await readersOf(
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: `${BUCKET}/*`,
        Condition: { StringNotEquals: { 'aws:PrincipalAccount': '999988887777' } },
      },
      ['private/a'],
    );
    // every reader is in the fixture's account, so the deny certainly applies to each
    expect(r['private/a']).toEqual([]);
  });

  it('a baseline deny on many buckets adds nothing to the grants (their size does not grow with the buckets)', async () => {
    const snap = fixtureSnapshot();
    for (let i = 0; i < 60; i++) {
      const arn = `arn:aws:s3:::baseline-${i}`;
      snap.accounts[0].resources.push({
        arn,
        type: 's3:bucket',
        name: `baseline-${i}`,
        region: 'eu-west-1',
        policy: { Version: '2012-10-17', Statement: [tlsOnly(arn)] },
      });
    }
    const sources = await ingestAwsSnapshot(snap, 'snap.json', { now: NOW });
    const source = sources.find((x) => x.descriptor.id === `aws:${snap.accounts[0].accountId}`);
    const grants = source!.edges.filter((e) => e.kind === 'HAS_ACCESS');
    const most = Math.max(
      ...grants.map((e) => ((e.props as { exceptions?: unknown[] }).exceptions ?? []).length),
    );
    expect(most).toBeLessThan(10);
    const baselines = source!.nodes.filter((n) => n.id.startsWith('arn:aws:s3:::baseline-'));
    expect(baselines.filter((n) => nodeDeniesOf(n).length === 1)).toHaveLength(60);
  });
});
