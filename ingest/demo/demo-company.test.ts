/**
 * The Larkspur Retail demo company (docs/demo-company.md) loads cleanly through the normal
 * ingest path, and every planted risk shows up as an access path (or, for the blocked
 * look-alikes, does not). Findings assertions join when the findings module lands.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../graph/embedded/sqlite-store.js';
import { type AccessAnswer, canReach, whoCan } from '../../graph/queries/access.js';
import type { GraphStore } from '../../graph/store.js';
import { ingestAwsSnapshot } from '../aws/snapshot.js';
import { loadSources } from '../load.js';
import { readInputs } from '../read-inputs.js';
import { ingestDocuments } from '../registry.js';
import type { IngestedSource } from '../types.js';
import { demoCompanyInputs } from './load-demo.js';

const PROD = '111100000004';
const DEV = '111100000005';
const SEC = '111100000003';
const user = (acct: string, name: string, path = '/') => `arn:aws:iam::${acct}:user${path}${name}`;
const role = (acct: string, name: string, path = '/') => `arn:aws:iam::${acct}:role${path}${name}`;
const CUSTOMERS = `arn:aws:dynamodb:eu-west-1:${PROD}:table/customers`;
const CARD_SECRET = `arn:aws:secretsmanager:eu-west-1:${PROD}:secret:prod/payments/card-processor-api-key-Xk29Qa`;
const REFUNDS = `arn:aws:lambda:eu-west-1:${PROD}:function:payments-refunds`;

const principals = (answers: AccessAnswer[]) => answers.map((a) => a.node.id);
const answerFor = (answers: AccessAnswer[], id: string) => {
  const a = answers.find((x) => x.node.id === id);
  if (!a) throw new Error(`${id} is not among the answers: ${principals(answers).join(', ')}`);
  return a;
};
const shape = (a: AccessAnswer) => a.path.map((h) => `${h.edge}:${h.to}`);

let dir: string;
let store: GraphStore;
let sources: IngestedSource[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'accessgraph-demo-'));
  sources = await ingestDocuments(readInputs(demoCompanyInputs()));
  store = await EmbeddedStore.open({ dataDir: dir });
  await loadSources(store, sources);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Larkspur Retail demo company', () => {
  it('loads every account and the organization without warnings', () => {
    expect(sources.map((s) => s.descriptor.id).sort()).toEqual([
      'aws:111100000001',
      'aws:111100000002',
      'aws:111100000003',
      'aws:111100000004',
      'aws:111100000005',
      'aws:org/o-larkspur0001',
    ]);
    expect(sources.flatMap((s) => s.warnings)).toEqual([]);
  });

  it('accounts of the organization stay Account nodes; trusts naming them get a separate External', async () => {
    // no source writes another kind under an id some source defines as an Account, so the
    // store's last-writer-wins ownership cannot turn an account into an outsider
    const all = sources.flatMap((s) => s.nodes);
    const accounts = new Set(all.filter((n) => n.kind === 'Account').map((n) => n.id));
    expect(all.filter((n) => accounts.has(n.id) && n.kind !== 'Account')).toEqual([]);
    const management = await store.getNode('arn:aws:iam::111100000001:root');
    expect(management).toMatchObject({ kind: 'Account', props: { accountId: '111100000001' } });
    // dev's OrganizationAccountAccessRole trusts the management account
    const outsider = await store.getNode('arn:aws:iam::111100000001:root#external');
    expect(outsider).toMatchObject({
      kind: 'External',
      name: 'AWS account 111100000001',
      props: { external: 'account', accountId: '111100000001' },
    });
    const trusts = await store.getEdges(outsider?.id ?? '', { kinds: ['CAN_ASSUME'], direction: 'out' });
    expect(trusts.map((e) => e.to)).toContain(role(DEV, 'OrganizationAccountAccessRole'));
  });

  it('former contractors still read the customer database, months after their last sign-in', async () => {
    const who = (await whoCan(store, CUSTOMERS, { action: 'dynamodb:Scan' })).answers;
    for (const name of ['tom.berger', 'priya.nair']) {
      const a = answerFor(who, user(PROD, name, '/contractors/'));
      expect(shape(a)).toEqual([
        `MEMBER_OF:arn:aws:iam::${PROD}:group/contractors`,
        `HAS_ACCESS:${CUSTOMERS}`,
      ]);
      expect(a.path[1]?.via?.label).toBe('CustomerDataSupport (customer managed policy)');
      expect(a.node.props?.tags).toMatchObject({ leaver: 'true', employment: 'contractor' });
      expect(String(a.node.props?.lastUsed) < '2026-07-01').toBe(true);
    }
    // a current employee without a data grant is not there
    expect(principals(who)).not.toContain(user(PROD, 'james.okafor'));
  });

  it('seasonal staff from last winter still reach the payment systems', async () => {
    const secret = (await whoCan(store, CARD_SECRET, { action: 'secretsmanager:GetSecretValue' })).answers;
    const refunds = (await whoCan(store, REFUNDS, { action: 'lambda:InvokeFunction' })).answers;
    for (const name of ['lee.chen', 'sam.ortiz']) {
      const s = answerFor(secret, user(PROD, name, '/seasonal/'));
      expect(shape(s)).toEqual([
        `MEMBER_OF:arn:aws:iam::${PROD}:group/seasonal-support`,
        `HAS_ACCESS:arn:aws:secretsmanager:eu-west-1:${PROD}:secret:prod/payments/*`,
        `CONTAINS:${CARD_SECRET}`,
      ]);
      expect(s.node.props?.tags).toMatchObject({ employment: 'seasonal', season: 'holiday-2025' });
      expect(answerFor(refunds, user(PROD, name, '/seasonal/')).path[1]?.via?.statement).toBe('RunRefunds');
    }
  });

  it('the development sandbox role holds thousands of actions', async () => {
    const reach = (await canReach(store, role(DEV, 'dev-sandbox-developer'))).answers;
    const account = answerFor(reach, `arn:aws:iam::${DEV}:root`);
    expect(account.path[0]?.via?.label).toBe('PowerUserAccess (AWS managed policy)');
    expect(account.actions.length).toBeGreaterThan(1000);
    // PowerUserAccess leaves IAM out except a few service-linked-role actions
    expect(account.actions).not.toContain('iam:createuser');
  });

  it('anyone on the internet reads the marketing bucket; the static-site look-alike is blocked', async () => {
    const bucket = 'arn:aws:s3:::larkspur-marketing-share-2025';
    // the policy grants on the objects (`bucket/*`); asking about the bucket must find it
    const open = answerFor((await whoCan(store, bucket, { action: 's3:GetObject' })).answers, 'aws:*');
    expect(shape(open)).toEqual([`HAS_ACCESS:${bucket}`]);
    expect(open.path[0]?.via?.statement).toBe('AgencyDownloads');
    expect(open.edges[0]?.props).toMatchObject({ objectPattern: '*', resource: `${bucket}/*` });
    expect(open.conditional).toBe(false);
    expect((await store.getNode(bucket))?.props?.public).toBe(true);

    const site = await whoCan(store, 'arn:aws:s3:::larkspur-storefront-static', { action: 's3:GetObject' });
    expect(principals(site.answers)).not.toContain('aws:*');
    expect((await store.getNode('arn:aws:s3:::larkspur-storefront-static'))?.props?.publicBlockedBy).toBe(
      'RestrictPublicBuckets',
    );
  });

  it('a vendor account without an external id reaches customer data; the one with it is conditional', async () => {
    const bad = answerFor(
      (await whoCan(store, CUSTOMERS, { action: 'dynamodb:Scan' })).answers,
      'arn:aws:iam::999900000002:root#external',
    );
    expect(shape(bad)[0]).toBe(`CAN_ASSUME:${role(PROD, 'vendor-insightful-analytics')}`);
    expect(bad.path[0]?.conditional).toBe(false);

    const good = (await canReach(store, 'arn:aws:iam::999900000001:root#external', { action: 'iam:GetUser' }))
      .answers;
    const hop = good[0]?.path[0];
    expect(hop?.to).toBe(role(SEC, 'vendor-cloudscan-audit'));
    expect(hop?.conditional).toBe(true);
    expect(JSON.stringify(good[0]?.edges[0]?.props)).toContain('sts:ExternalId');
  });

  it('iam:CreatePolicyVersion on its own policy (pathfinding.cloud iam-001)', async () => {
    const policy = `arn:aws:iam::${PROD}:policy/ReportingExportPolicy`;
    const who = (await whoCan(store, policy, { action: 'iam:CreatePolicyVersion' })).answers;
    const a = answerFor(who, user(PROD, 'svc-reporting', '/service/'));
    expect(shape(a)).toEqual([`HAS_ACCESS:${policy}`]);
    expect(a.path[0]?.via?.statement).toBe('SelfMaintainPolicy');
  });

  it('the same technique in dev is stopped by the DevGuardrails SCP', async () => {
    const policy = `arn:aws:iam::${DEV}:policy/DevToolingSelfManaged`;
    const who = (await whoCan(store, policy, { action: 'iam:CreatePolicyVersion' })).answers;
    expect(principals(who)).not.toContain(user(DEV, 'alex.kim'));
    // the rest of alex's policy still works: the SCP removed only the IAM actions
    const tooling = (await canReach(store, user(DEV, 'alex.kim'), { action: 'codebuild:StartBuild' }))
      .answers;
    expect(tooling.length).toBeGreaterThan(0);
  });

  it('iam:CreateAccessKey on another user (iam-002): helpdesk can mint keys for an admin', async () => {
    const maria = user(PROD, 'maria.gonzalez');
    const who = (await whoCan(store, maria, { action: 'iam:CreateAccessKey' })).answers;
    const a = answerFor(who, user(PROD, 'oliver.grant'));
    expect(shape(a)).toEqual([
      `MEMBER_OF:arn:aws:iam::${PROD}:group/helpdesk`,
      `HAS_ACCESS:arn:aws:iam::${PROD}:user/*`,
      `CONTAINS:${maria}`,
    ]);
    // look-alike: self-service keys (${aws:username}) reach only the caller's own user
    expect(principals(who)).not.toContain(user(PROD, 'james.okafor'));
  });

  it('two hops: nina assumes data-pipeline-deployer, which can pass an admin role to a new Lambda (lambda-001)', async () => {
    const nina = user(PROD, 'nina.patel');
    const admin = role(PROD, 'ops-automation-admin');
    const pass = answerFor((await canReach(store, nina, { action: 'iam:PassRole' })).answers, admin);
    expect(shape(pass)).toEqual([
      `CAN_ASSUME:${role(PROD, 'data-pipeline-deployer')}`,
      `HAS_ACCESS:${admin}`,
    ]);
    for (const action of ['lambda:CreateFunction', 'lambda:InvokeFunction']) {
      const reach = (await canReach(store, nina, { action })).answers;
      expect(reach.some((r) => r.node.id.startsWith(`arn:aws:lambda:eu-west-1:${PROD}:function:`))).toBe(
        true,
      );
    }
    // the passed role trusts Lambda and is an administrator
    const trusted = (await canReach(store, 'lambda.amazonaws.com', { action: 'iam:CreateUser' })).answers;
    expect(trusted.some((r) => r.path[0]?.to === admin)).toBe(true);
  });

  it('the CI deployer has the same Lambda permissions but its boundary removes iam:PassRole', async () => {
    const ci = user(PROD, 'ci-deployer', '/service/');
    expect((await canReach(store, ci, { action: 'iam:PassRole' })).answers).toEqual([]);
    expect((await canReach(store, ci, { action: 'lambda:CreateFunction' })).answers.length).toBeGreaterThan(
      0,
    );
  });

  it('the CloudTrail SCP stops security engineers; only the MFA-guarded break-glass role may stop the trail', async () => {
    const fatima = user(SEC, 'fatima.haddad');
    const glass = role(SEC, 'SecurityBreakGlass');
    expect(
      (await canReach(store, fatima, { action: 'cloudtrail:LookupEvents' })).answers.length,
    ).toBeGreaterThan(0);
    const stop = (await canReach(store, fatima, { action: 'cloudtrail:StopLogging' })).answers;
    expect(stop.length).toBeGreaterThan(0);
    // every way to StopLogging goes through the break-glass role, whose trust needs MFA
    for (const a of stop) {
      expect(a.path.find((h) => h.edge === 'CAN_ASSUME')).toMatchObject({ to: glass, conditional: true });
    }
  });
});

/**
 * A pattern such as `arn:aws:iam::*:user/${aws:username}` is written by every account that
 * uses it; its node is scoped to the account's source, so James's self-service grant in prod
 * reaches his prod user and not his dev user of the same name.
 */
it("self-service access keys reach the caller's own user in the same account", async () => {
  const james = user(PROD, 'james.okafor');
  const devJames = user(DEV, 'james.okafor');
  // a walk never reports its own start, so follow James's grant to the scope it lands on
  const reach = (await canReach(store, james, { action: 'iam:CreateAccessKey' })).answers;
  const own = reach.find((a) => a.node.props?.pattern === 'arn:aws:iam::*:user/james.okafor');
  expect(own?.node.id).toBe(`aws:${PROD}/arn:aws:iam::*:user/james.okafor`);
  const contained = await store.getEdges(own?.node.id ?? '', { kinds: ['CONTAINS'], direction: 'out' });
  expect(contained.map((e) => e.to)).toEqual([james]);
  const onDev = (await whoCan(store, devJames, { action: 'iam:CreateAccessKey' })).answers;
  expect(principals(onDev)).not.toContain(james);
  expect(principals(onDev)).not.toContain(user(PROD, 'maria.gonzalez'));
});

describe('deployment-window elevation', () => {
  const file = join(demoCompanyInputs()[0] ?? '', 'organization.snapshot.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const deployer = role(PROD, 'release-window-deployer');
  const assumers = async (now: string) => {
    const srcs = await ingestAwsSnapshot(doc, file, { now: new Date(now) });
    return srcs
      .flatMap((s) => s.edges)
      .filter((e) => e.kind === 'CAN_ASSUME' && e.to === deployer)
      .map((e) => e.from);
  };

  it('developers can assume the release role inside the change window', async () => {
    expect(await assumers('2026-12-06T23:30:00Z')).toContain(`arn:aws:iam::${PROD}:group/developers`);
  });

  it('and nobody can before or after it', async () => {
    expect(await assumers('2026-12-06T21:59:00Z')).toEqual([]);
    expect(await assumers('2026-12-07T02:01:00Z')).toEqual([]);
  });
});
