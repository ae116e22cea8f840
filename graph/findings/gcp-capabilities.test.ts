/**
 * GCP escalation methods that gain a capability rather than a principal (organization-policy
 * control, a project's API keys; ingest/gcp/capabilities.ts), through the real ingester and
 * the embedded store: what `accessgraph ingest` + `findings` report, and what they leave out.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestGcp } from '../../ingest/gcp/index.js';
import { packagePath } from '../../lib/package-root.js';
import { EmbeddedStore } from '../embedded/sqlite-store.js';
import { whoCan } from '../queries/access.js';
import { findFindings } from './compute.js';
import type { Finding } from './types.js';

const NOW = new Date('2026-11-29T00:00:00Z');
const ORG = 'gcp:organizations/100200300400';
const PAY = 'gcp:projects/prod-payments';
const SBX = 'gcp:projects/sandbox-dev';
const ORG_POLICY = 'gcp:org-policy-control:organizations/100200300400';
const keysOf = (project: string) => `gcp:api-keys:${project.slice(4)}`;
const user = (n: string) => `gcp:user:${n}@example.com`;
const DEPLOYER = 'gcp:serviceAccount:deployer@prod-payments.iam.gserviceaccount.com';
const CREATE = 'gcp-serviceusage-apiKeys-create';
const LIST = 'gcp-serviceusage-apiKeys-list';

type Json = Record<string, unknown>;
/** The ingest fixture (olga holds Organization Policy Administrator) plus blocked look-alikes. */
function snapshot(): Json {
  const s = JSON.parse(readFileSync(packagePath('ingest', 'gcp', 'fixtures', 'gcp-snapshot.json'), 'utf8'));
  const bind = (scope: string, binding: Json) => {
    const p = (s.iamPolicies as Json[]).find(
      (x) => x.resource === `//cloudresourcemanager.googleapis.com/${scope}`,
    ) as { policy: { bindings: Json[] } };
    p.policy.bindings.push(binding);
  };
  const expired = { title: 'expired', expression: 'request.time < timestamp("2026-01-01T00:00:00Z")' };
  (s.customRoles as Json[]).push({
    name: 'organizations/100200300400/roles/orgPolicyReader',
    title: 'reads organization policies',
    includedPermissions: ['orgpolicy.policy.get', 'orgpolicy.constraints.list'],
  });
  bind('organizations/100200300400', {
    role: 'organizations/100200300400/roles/orgPolicyReader',
    members: ['user:reed@example.com'],
  });
  bind('organizations/100200300400', {
    role: 'roles/orgpolicy.policyAdmin',
    members: ['user:dora@example.com'],
  });
  bind('organizations/100200300400', {
    role: 'roles/orgpolicy.policyAdmin',
    members: ['user:cora@example.com'],
    condition: expired,
  });
  bind('projects/sandbox-dev', {
    role: 'roles/serviceusage.apiKeysViewer',
    members: ['user:vera@example.com'],
  });
  bind('projects/sandbox-dev', {
    role: 'roles/serviceusage.apiKeysViewer',
    members: ['user:vic@example.com'],
  });
  bind('projects/sandbox-dev', {
    role: 'roles/serviceusage.apiKeysAdmin',
    members: ['user:cole@example.com'],
    condition: expired,
  });
  (s.denyPolicies as Json[]).push({
    name: 'policies/cloudresourcemanager.googleapis.com%2Forganizations%2F100200300400/denypolicies/guardrails',
    rules: [
      {
        denyRule: {
          deniedPrincipals: ['principal://goog/subject/dora@example.com'],
          deniedPermissions: ['orgpolicy.googleapis.com/policy.set'],
        },
      },
      {
        denyRule: {
          deniedPrincipals: ['principal://goog/subject/vic@example.com'],
          deniedPermissions: ['apikeys.googleapis.com/keys.getKeyString'],
        },
      },
    ],
  });
  return s;
}

let dir: string;
let store: EmbeddedStore;
let findings: Finding[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'accessgraph-gcp-capabilities-'));
  store = await EmbeddedStore.open({ dataDir: dir });
  for (const s of await ingestGcp([{ file: 'gcp-snapshot.json', doc: snapshot() }], { now: NOW }))
    await store.replaceSource(s.descriptor, async (w) => {
      await w.addNodes(s.nodes);
      await w.addEdges(s.edges);
    });
  const result = await findFindings(store, { now: NOW, kinds: ['privilege-escalation'] });
  expect(result.truncated).toBe(false);
  findings = result.findings;
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
const of = (principal: string) => findings.filter((f) => f.principal === principal);
const one = (principal: string, target: string) =>
  findings.find((f) => f.principal === principal && f.target === target);

describe('findings: GCP capability escalations', () => {
  it('SetOrgPolicyConstraints: high, says what is gained, with the binding', () => {
    const olga = one(user('olga'), ORG_POLICY);
    expect(olga).toMatchObject({
      kind: 'privilege-escalation',
      severity: 'high',
      technique: 'gcp-orgpolicy-policy-set',
      title:
        'olga@example.com can lift organization-policy guardrails on organizations/100200300400 with gcp-orgpolicy-policy-set',
      conditional: false,
      details: { gainsAdmin: false, hops: 1 },
    });
    expect(olga?.path.map((h) => [h.from, h.edge, h.to])).toEqual([
      [user('olga'), 'CAN_ESCALATE', ORG_POLICY],
    ]);
    expect(olga?.path[0]?.via?.ref).toBe(`${ORG}#iam-policy`);
    expect(olga?.remediation).toContain('roles/orgpolicy.policyAdmin on organizations/100200300400');
  });

  it('CreateAPIKey and ViewExistingAPIKeys: medium, one finding per project with both techniques', () => {
    const deployer = one(DEPLOYER, keysOf(PAY));
    expect(deployer).toMatchObject({ severity: 'medium', details: { techniques: [CREATE, LIST] } });
    expect(deployer?.title).toBe(
      'deployer@prod-payments.iam.gserviceaccount.com can create or read the API keys of projects/prod-payments with ' +
        `${CREATE} (+1 more techniques)`,
    );
    // API Keys Viewer reads key strings: the listing method alone
    expect(one(user('vera'), keysOf(SBX))).toMatchObject({
      severity: 'medium',
      technique: LIST,
      details: { techniques: [LIST] },
    });
  });

  it('an undecided condition on the path softens the severity', () => {
    // uma's token-creator grant is conditional; it leads to the Deployment Manager agent
    expect(one(user('uma'), keysOf(PAY))).toMatchObject({ severity: 'low', conditional: true });
  });

  it.each([
    ['reads organization policies only (permission missing)', 'reed'],
    ['denied orgpolicy.policy.set by a deny policy', 'dora'],
    ['Organization Policy Administrator binding expired', 'cora'],
    ['denied getKeyString by a deny policy', 'vic'],
    ['API Keys Admin binding expired', 'cole'],
  ])('no finding: %s', (_why, who) => {
    expect(of(user(who))).toEqual([]);
  });

  it('capability targets are never critical, and never a principal of a finding', () => {
    const capability = (id: string) =>
      id.startsWith('gcp:org-policy-control:') || id.startsWith('gcp:api-keys:');
    const gained = findings.filter((f) => capability(f.target));
    expect(gained.length).toBeGreaterThan(2);
    expect(gained.every((f) => f.severity !== 'critical' && f.details?.gainsAdmin === false)).toBe(true);
    expect(findings.some((f) => capability(f.principal))).toBe(false);
  });

  it('who-can never answers with a capability node', async () => {
    for (const scope of [ORG, PAY]) {
      const { answers } = await whoCan(store, scope);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.some((a) => a.node.props?.synthetic === true)).toBe(false);
    }
    const { answers } = await whoCan(store, ORG, { action: 'orgpolicy.policy.set' });
    expect(answers.map((a) => a.node.id)).toContain(user('olga'));
  });
});
