/**
 * End to end over the embedded store: GCP edges answer who-can with DESIGN.md's path shape
 * (MEMBER_OF | CAN_ASSUME | CAN_ESCALATE)* → HAS_ACCESS → CONTAINS*.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../graph/embedded/sqlite-store.js';
import { whoCan } from '../../graph/queries/access.js';
import type { GraphStore } from '../../graph/store.js';
import { loadSources } from '../load.js';
import { ingestGcp } from './index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/gcp-snapshot.json', import.meta.url));
const INVOICES = 'gcp://storage.googleapis.com/example-payments-invoices';
const SECRET = 'gcp://secretmanager.googleapis.com/projects/111111111111/secrets/stripe-key';
const PUBLIC = 'gcp://storage.googleapis.com/example-public-assets';
const PAY = 'gcp:projects/prod-payments';
const user = (n: string) => `gcp:user:${n}@example.com`;

let dir: string;
let store: GraphStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gcp-paths-'));
  store = await EmbeddedStore.open({ dataDir: dir });
  const sources = await ingestGcp([{ file: FIXTURE, doc: JSON.parse(readFileSync(FIXTURE, 'utf8')) }], {
    now: new Date('2026-11-29T00:00:00Z'),
  });
  await loadSources(store, sources);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const answers = async (resource: string, action: string) => {
  const r = await whoCan(store, resource, { action });
  return new Map(r.answers.map((a) => [a.node.id, a]));
};

describe('gcp paths', () => {
  it('group members read a bucket through the group binding on it', async () => {
    const r = await answers(INVOICES, 'storage.objects.get');
    expect(r.get(user('dan'))?.path.map((h) => h.edge)).toEqual(['MEMBER_OF', 'HAS_ACCESS']);
    // erin's membership is materialized (a deny exception): her own copy answers
    expect(r.get(user('erin'))?.path.map((h) => h.edge)).toEqual(['HAS_ACCESS']);
    // bob is in sre inside platform-admins, which can make itself organization admin
    expect(
      r
        .get(user('bob'))
        ?.path.slice(0, 3)
        .map((h) => h.edge),
    ).toEqual(['MEMBER_OF', 'MEMBER_OF', 'CAN_ESCALATE']);
    expect(r.has(user('zed'))).toBe(false);
    expect(r.has('gcp:allUsers')).toBe(false);
  });

  it('inherited grants reach resources down the hierarchy via CONTAINS', async () => {
    const r = await answers(INVOICES, 'storage.buckets.list');
    const viewer = r.get('gcp:domain:example.com');
    expect(viewer?.path.map((h) => h.edge)).toEqual([
      'HAS_ACCESS',
      'CONTAINS',
      'CONTAINS',
      'CONTAINS',
      'CONTAINS',
    ]);
  });

  it('the public bucket is readable by allUsers', async () => {
    const r = await answers(PUBLIC, 'storage.objects.get');
    expect(r.get('gcp:allUsers')?.path.map((h) => h.edge)).toEqual(['HAS_ACCESS']);
  });

  it('an impersonation chain reaches a secret', async () => {
    const r = await answers(SECRET, 'secretmanager.versions.access');
    expect(r.get(user('mallory'))?.path.map((h) => [h.edge, h.to])).toEqual([
      ['CAN_ASSUME', 'gcp:serviceAccount:ci-runner@sandbox-dev.iam.gserviceaccount.com'],
      ['CAN_ASSUME', 'gcp:serviceAccount:deployer@prod-payments.iam.gserviceaccount.com'],
      ['CAN_ASSUME', 'gcp:serviceAccount:payments-api@prod-payments.iam.gserviceaccount.com'],
      ['HAS_ACCESS', SECRET],
    ]);
  });

  it('an escalation to the scope admin answers who-can on resources below the scope', async () => {
    const r = await answers(SECRET, 'secretmanager.versions.access');
    const henry = r.get(user('henry'));
    expect(henry?.path[0]).toMatchObject({
      edge: 'CAN_ESCALATE',
      technique: 'gcp-resourcemanager-folders-setIamPolicy',
    });
    expect(henry?.path[1]?.from).toBe('gcp:scope-admin:folders/1002');
    // the scope admin's own grant on the folder also reaches the project below it
    const project = await answers(PAY, 'resourcemanager.projects.get');
    expect(project.get(user('henry'))?.path.map((h) => h.edge)).toEqual([
      'CAN_ESCALATE',
      'HAS_ACCESS',
      'CONTAINS',
    ]);
  });

  it('a deny on one member keeps that member out while its group keeps the grant', async () => {
    const r = await answers(PAY, 'run.services.create');
    expect(r.get(user('frank'))?.path.map((h) => h.edge)).toEqual(['MEMBER_OF', 'HAS_ACCESS']);
    // gina's own grant lacks it; she still gets there by impersonating the deployer account
    // (denies bind the caller, and the request is then the service account's)
    const gina = r.get(user('gina'));
    expect(gina?.path.map((h) => h.edge)).not.toContain('MEMBER_OF');
    expect(gina?.path.at(-1)?.from).toBe('gcp:serviceAccount:deployer@prod-payments.iam.gserviceaccount.com');
    // the deny covers keys for everyone outside the exception
    const keys = await answers(PAY, 'iam.serviceAccountKeys.create');
    expect(keys.has(user('ivan'))).toBe(false);
    expect(keys.has(user('victor'))).toBe(true);
  });

  it('a deny policy on a folder narrows a grant made above it, inside the folder only', async () => {
    // olga is Storage Object Admin at the organization (nothing to escalate with); a deny on
    // folders/1002 takes storage.objects.delete from her in prod-payments, not in prod-web
    const doc = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    const org = doc.iamPolicies.find((p: { assetType: string }) => p.assetType.endsWith('/Organization'));
    org.policy.bindings.push({ role: 'roles/storage.objectAdmin', members: ['user:olga@example.com'] });
    doc.denyPolicies.push({
      name: 'policies/cloudresourcemanager.googleapis.com%2Ffolders%2F1002/denypolicies/olga',
      rules: [
        {
          denyRule: {
            deniedPrincipals: ['principal://goog/subject/olga@example.com'],
            deniedPermissions: ['storage.googleapis.com/objects.delete'],
          },
        },
      ],
    });
    const ownDir = mkdtempSync(join(tmpdir(), 'gcp-deny-below-'));
    const own = await EmbeddedStore.open({ dataDir: ownDir });
    try {
      await loadSources(
        own,
        await ingestGcp([{ file: FIXTURE, doc }], { now: new Date('2026-11-29T00:00:00Z') }),
      );
      const who = async (resource: string, action: string) =>
        (await whoCan(own, resource, { action })).answers.map((a) => a.node.id);
      expect(await who(INVOICES, 'storage.objects.delete')).not.toContain(user('olga'));
      expect(await who(INVOICES, 'storage.objects.get')).toContain(user('olga'));
      expect(await who(PUBLIC, 'storage.objects.delete')).toContain(user('olga'));
    } finally {
      await own.close();
      rmSync(ownDir, { recursive: true, force: true });
    }
  });

  it('undecided conditions are flagged on the answer', async () => {
    const r = await answers(
      'gcp://bigquery.googleapis.com/projects/prod-payments/datasets/ledger',
      'bigquery.tables.getData',
    );
    expect(r.get(user('dan'))?.conditional).toBe(true);
    expect(r.get(user('erin'))?.conditional).toBe(false);
  });
});
