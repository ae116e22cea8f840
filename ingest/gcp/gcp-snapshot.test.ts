import { readFileSync, readFileSync as readText } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphEdge, GraphEdgeOf } from '../../graph/model.js';
import { packagePath } from '../../lib/package-root.js';
import { IngestError } from '../errors.js';
import type { IngestedSource } from '../types.js';
import { TECHNIQUES } from './escalation.js';
import { gcpIngester, ingestGcp } from './index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/gcp-snapshot.json', import.meta.url));
const raw = () => JSON.parse(readFileSync(FIXTURE, 'utf8'));
const NOW = new Date('2026-11-29T00:00:00Z');
const ORG = 'gcp:organizations/100200300400';
const PAY = 'gcp:projects/prod-payments';
const WEB = 'gcp:projects/prod-web';
const SBX = 'gcp:projects/sandbox-dev';
const INVOICES = 'gcp://storage.googleapis.com/example-payments-invoices';
const PUBLIC = 'gcp://storage.googleapis.com/example-public-assets';
const LEDGER = 'gcp://bigquery.googleapis.com/projects/prod-payments/datasets/ledger';
const SECRET = 'gcp://secretmanager.googleapis.com/projects/111111111111/secrets/stripe-key';
const user = (n: string) => `gcp:user:${n}@example.com`;
const group = (n: string) => `gcp:group:${n}@example.com`;
const sa = (email: string) => `gcp:serviceAccount:${email}`;
const PAYMENTS_API = sa('payments-api@prod-payments.iam.gserviceaccount.com');
const DEPLOYER = sa('deployer@prod-payments.iam.gserviceaccount.com');
const CI = sa('ci-runner@sandbox-dev.iam.gserviceaccount.com');
const REPORT_FN = sa('report-fn@prod-payments.iam.gserviceaccount.com');
const WEB_FE = sa('web-frontend@prod-web.iam.gserviceaccount.com');
const DM_AGENT = sa('111111111111@cloudservices.gserviceaccount.com');
const CB_AGENT = sa('222222222222@cloudbuild.gserviceaccount.com');

let src: IngestedSource;
beforeAll(async () => {
  const sources = await ingestGcp([{ file: FIXTURE, doc: raw() }], { now: NOW });
  expect(sources).toHaveLength(1);
  src = sources[0] as IngestedSource;
});
const edges = <K extends GraphEdge['kind']>(kind: K, from?: string, to?: string) =>
  src.edges.filter(
    (e) => e.kind === kind && (from === undefined || e.from === from) && (to === undefined || e.to === to),
  ) as GraphEdgeOf<K>[];
const access = (from: string, to: string) => edges('HAS_ACCESS', from, to);
const actionsOf = (from: string, to: string) => access(from, to).flatMap((e) => e.props.actions);
const escalations = (from: string, to?: string) =>
  edges('CAN_ESCALATE', from, to).map((e) => e.props.technique);
const node = (id: string) => src.nodes.find((n) => n.id === id);

describe('gcp snapshot: sources and hierarchy', () => {
  it('detects the format and yields one source per organization', () => {
    expect(gcpIngester.detect(raw(), FIXTURE)).toBe(true);
    expect(gcpIngester.detect({ format: 'accessgraph-aws-snapshot' }, FIXTURE)).toBe(false);
    expect(src.descriptor).toMatchObject({ id: ORG, cloud: 'gcp' });
    expect(src.nodes.every((n) => n.source === ORG && n.cloud === 'gcp')).toBe(true);
    expect(src.edges.every((e) => e.source === ORG)).toBe(true);
  });

  it('links organization → folders → projects → resources with CONTAINS', () => {
    const contains = (from: string, to: string) => edges('CONTAINS', from, to).length === 1;
    expect(contains(ORG, 'gcp:folders/1001')).toBe(true);
    expect(contains('gcp:folders/1001', 'gcp:folders/1002')).toBe(true);
    expect(contains('gcp:folders/1002', PAY)).toBe(true);
    expect(contains(PAY, INVOICES)).toBe(true);
    expect(contains(PAY, PAYMENTS_API)).toBe(true);
    expect(node(PAY)).toMatchObject({ kind: 'Project', name: 'Payments (prod)' });
    expect(node(PAY)?.props).toMatchObject({ projectId: 'prod-payments', projectNumber: '111111111111' });
  });

  it('keeps every grant at the scope of its binding: an org binding is one edge, not one per resource', () => {
    const viewer = access('gcp:domain:example.com', ORG);
    expect(viewer).toHaveLength(1);
    expect(edges('HAS_ACCESS', 'gcp:domain:example.com')).toHaveLength(1);
    expect(viewer[0]?.via).toMatchObject({
      ref: `${ORG}#iam-policy`,
      statement: 2,
      label: 'roles/viewer on organizations/100200300400',
    });
    expect(viewer[0]?.props.actions).toContain('storage.buckets.list');
  });

  it('stores permissions lowercase with levels derived from the verb', () => {
    const tc = access(group('sre'), 'gcp:folders/1001').find(
      (e) => e.props.role === 'roles/iam.serviceAccountTokenCreator',
    );
    expect(tc?.props.actions).toContain('iam.serviceaccounts.getaccesstoken');
    expect(tc?.props.levels).toEqual(expect.arrayContaining(['permissions', 'read', 'list']));
  });

  it('marks roles/owner at a container as admin-equivalent', () => {
    const owner = access(user('root-admin'), ORG)[0];
    expect(owner?.props).toMatchObject({ adminEquivalent: true, role: 'roles/owner' });
    expect(owner?.props.levels).toContain('admin');
    const viewer = access('gcp:domain:example.com', ORG)[0];
    expect(viewer?.props.adminEquivalent).toBeUndefined();
  });
});

describe('gcp members', () => {
  it('models allUsers as a public External node', () => {
    expect(node('gcp:allUsers')).toMatchObject({ kind: 'External', props: { public: true } });
    expect(actionsOf('gcp:allUsers', PUBLIC)).toEqual(['storage.objects.get', 'storage.objects.list']);
  });

  it('keeps deleted, domain and federated members as their own nodes', () => {
    expect(node('gcp:deleted:user:old-admin@example.com?uid=123456789012345678901')).toMatchObject({
      kind: 'External',
      props: { deleted: true },
    });
    expect(node('gcp:domain:example.com')?.type).toBe('gcp:domain');
    expect(
      node('gcp:principalSet://iam.googleapis.com/locations/global/workforcePools/partners/group/auditors'),
    ).toMatchObject({ kind: 'External' });
  });

  it('a deleted principal gets no impersonation or escalation edges', () => {
    const deleted = 'gcp:deleted:user:old-admin@example.com?uid=123456789012345678901';
    expect(access(deleted, WEB)).toHaveLength(1);
    expect(edges('CAN_ESCALATE', deleted)).toHaveLength(0);
  });

  it('nests groups with MEMBER_OF', () => {
    expect(edges('MEMBER_OF', group('sre'), group('platform-admins'))).toHaveLength(1);
    expect(edges('MEMBER_OF', user('bob'), group('sre'))).toHaveLength(1);
    expect(edges('MEMBER_OF', group('analysts'), group('data-readers'))).toHaveLength(1);
  });
});

describe('gcp IAM Conditions', () => {
  it('a request.time condition decided true at ingest grants unconditionally', () => {
    const tc = access(group('sre'), 'gcp:folders/1001').find(
      (e) => e.props.role === 'roles/iam.serviceAccountTokenCreator',
    );
    expect(tc?.props.conditional).toBe(false);
  });

  it('an expired condition grants nothing and says so', () => {
    expect(access(user('contractor'), INVOICES)).toHaveLength(0);
    expect(
      src.warnings.some(
        (w) => w.includes('expired contract') && w.includes('$.iamPolicies[6].policy.bindings[2]'),
      ),
    ).toBe(true);
  });

  it('a resource.name condition on a project binding is kept conditional with its expression', () => {
    const uma = access(user('uma'), PAY)[0];
    expect(uma?.props.conditional).toBe(true);
    expect(JSON.stringify(uma?.props.conditions)).toContain('projects/-/serviceAccounts/ci-');
    expect(edges('CAN_ASSUME', user('uma'), PAYMENTS_API)[0]?.props.conditional).toBe(true);
  });

  it('a resource.name prefix condition on the bucket itself is decided there', () => {
    expect(access(user('tess'), INVOICES)[0]?.props.conditional).toBe(false);
  });
});

describe('gcp deny policies', () => {
  it('remove denied permissions from principals they bind, at and below the attachment point', () => {
    const editor = actionsOf(DEPLOYER, PAY);
    expect(editor).toContain('iam.serviceaccountkeys.delete');
    expect(editor).not.toContain('iam.serviceaccountkeys.create');
    expect(actionsOf(user('ivan'), PAY)).not.toContain('iam.serviceaccountkeys.create');
  });

  it('spare exception principals, including through nested groups', () => {
    // alice is in platform-admins, the rule's exception
    expect(actionsOf(user('alice'), PAY)).toContain('iam.serviceaccountkeys.create');
    expect(escalations(user('victor'), DEPLOYER)).toContain('gcp-iam-serviceAccountKeys-create');
    expect(escalations(user('ivan'))).not.toContain('gcp-iam-serviceAccountKeys-create');
  });

  it('a deny attached below the grant scope is recorded as an exception on the grant', () => {
    const owner = access(user('root-admin'), ORG)[0];
    expect(owner?.props.actions).toContain('storage.objects.delete');
    expect(owner?.props.exceptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          attachmentPoint: 'gcp:folders/1002',
          permissions: ['storage.objects.delete'],
          certain: true,
        }),
      ]),
    );
  });

  it('an undecidable denial condition splits the grant into a conditional part', () => {
    const parts = access(group('data-readers'), LEDGER);
    const sure = parts.find((e) => !e.props.conditional);
    const maybe = parts.find((e) => e.props.conditional);
    expect(sure?.props.actions).not.toContain('bigquery.tables.getdata');
    expect(maybe?.props.actions).toEqual(['bigquery.tables.getdata']);
    expect(JSON.stringify(maybe?.props.conditions)).toContain('matchTag');
  });

  it('materializes grants only for members the deny treats differently from their group', () => {
    // gina is denied run.services.create; frank is not
    const gina = edges('MEMBER_OF', user('gina'), group('developers'))[0];
    const frank = edges('MEMBER_OF', user('frank'), group('developers'))[0];
    expect(gina?.props.grantsMaterialized).toBe(true);
    expect(frank?.props.grantsMaterialized).toBeUndefined();
    expect(actionsOf(user('gina'), PAY)).not.toContain('run.services.create');
    expect(actionsOf(user('gina'), PAY)).toContain('run.services.update');
    expect(access(user('gina'), PAY).every((e) => e.props.inheritedFrom === group('developers'))).toBe(true);
    expect(access(user('frank'), PAY).some((e) => e.props.inheritedFrom)).toBe(false);
    // erin is an exception principal of the ledger deny, so her copy has getData unconditionally
    expect(edges('MEMBER_OF', user('erin'), group('analysts'))[0]?.props.grantsMaterialized).toBe(true);
    const erin = access(user('erin'), LEDGER);
    expect(erin).toHaveLength(1);
    expect(erin[0]?.props).toMatchObject({ conditional: false, inheritedFrom: group('data-readers') });
    expect(erin[0]?.props.actions).toContain('bigquery.tables.getdata');
    // dan is a plain member: no copies
    expect(access(user('dan'), LEDGER)).toHaveLength(0);
    expect(src.edges.filter((e) => e.kind === 'HAS_ACCESS' && e.props.inheritedFrom).length).toBeLessThan(20);
  });
});

describe('gcp roles', () => {
  it('warns about an unknown role by name instead of dropping it silently', () => {
    expect(
      src.warnings.some(
        (w) => w.includes('roles/example.unknownRole') && w.includes('$.iamPolicies[4].policy.bindings[7]'),
      ),
    ).toBe(true);
  });

  it('uses custom roles from the snapshot', () => {
    expect(actionsOf(user('nina'), SBX)).toEqual(['storage.buckets.get', 'storage.buckets.list']);
    expect(node('gcp:organizations/100200300400/roles/bucketLister')).toMatchObject({
      kind: 'RoleDefinition',
      type: 'gcp:custom-role',
    });
  });
});

describe('gcp impersonation', () => {
  it('builds CAN_ASSUME chains from token-creator bindings on service accounts', () => {
    const hop = (from: string, to: string) => edges('CAN_ASSUME', from, to)[0];
    expect(hop(user('mallory'), CI)?.props).toMatchObject({
      permission: 'iam.serviceaccounts.getaccesstoken',
      conditional: false,
    });
    expect(hop(CI, DEPLOYER)).toBeDefined();
    // the binding names the account by unique id; it still lands on the account
    expect(hop(DEPLOYER, PAYMENTS_API)?.via).toMatchObject({ ref: `${PAYMENTS_API}#iam-policy` });
    // no reverse or unrelated hops
    expect(hop(DEPLOYER, CI)).toBeUndefined();
    expect(hop(user('mallory'), DEPLOYER)).toBeUndefined();
  });

  it('a group holding token creator on a folder reaches the accounts below it, once for all members', () => {
    // sre is inside platform-admins, which administers the org: it reaches them via the scope admin
    expect(edges('CAN_ASSUME', `gcp:scope-admin:organizations/100200300400`, WEB_FE)).toHaveLength(1);
    expect(edges('CAN_ASSUME', user('bob'))).toHaveLength(0);
  });

  it('records the workloads that run as service accounts', () => {
    expect(
      edges(
        'RUNS_AS',
        'gcp://compute.googleapis.com/projects/prod-web/zones/europe-west1-b/instances/web-1',
        WEB_FE,
      ),
    ).toHaveLength(1);
  });
});

describe('gcp privilege escalation', () => {
  const cases: Array<[string, string, string, string]> = [
    [
      'setIamPolicy on the organization',
      group('platform-admins'),
      'gcp:scope-admin:organizations/100200300400',
      'gcp-resourcemanager-organizations-setIamPolicy',
    ],
    [
      'setIamPolicy on a folder',
      user('henry'),
      'gcp:scope-admin:folders/1002',
      'gcp-resourcemanager-folders-setIamPolicy',
    ],
    [
      'setIamPolicy on a project (owner)',
      group('developers'),
      'gcp:scope-admin:projects/sandbox-dev',
      'gcp-resourcemanager-projects-setIamPolicy',
    ],
    [
      'service account keys (exception principal)',
      user('victor'),
      DEPLOYER,
      'gcp-iam-serviceAccountKeys-create',
    ],
    ['service account keys (no deny)', user('walt'), CI, 'gcp-iam-serviceAccountKeys-create'],
    ['HMAC keys', user('sam'), CI, 'gcp-storage-hmacKeys-create'],
    ['actAs + compute instance', user('quinn'), WEB_FE, 'gcp-compute-instances-create'],
    [
      'actAs + Cloud Run (permissions from the user and its group)',
      user('frank'),
      PAYMENTS_API,
      'gcp-run-services-create-invoke',
    ],
    ['actAs + new Cloud Function', user('judy'), REPORT_FN, 'gcp-cloudfunctions-functions-create-call'],
    ['update an existing function', user('judy'), REPORT_FN, 'gcp-cloudfunctions-functions-update'],
    [
      'set metadata on an instance running as an account',
      user('pat'),
      WEB_FE,
      'gcp-compute-instances-setMetadata',
    ],
    ['Deployment Manager', user('ken'), DM_AGENT, 'gcp-deploymentmanager-deployments-create'],
    ['Cloud Build', user('rita'), CB_AGENT, 'gcp-cloudbuild-builds-create'],
    [
      'update a custom role one holds',
      user('nina'),
      'gcp:scope-admin:projects/sandbox-dev',
      'gcp-iam-roles-update',
    ],
    [
      'organization policy administrator (a capability, not a principal)',
      user('olga'),
      'gcp:org-policy-control:organizations/100200300400',
      'gcp-orgpolicy-policy-set',
    ],
    [
      'Editor creates API keys',
      DEPLOYER,
      'gcp:api-keys:projects/prod-payments',
      'gcp-serviceusage-apiKeys-create',
    ],
    [
      'Editor reads API keys',
      DEPLOYER,
      'gcp:api-keys:projects/prod-payments',
      'gcp-serviceusage-apiKeys-list',
    ],
    [
      'setIamPolicy on one secret',
      user('leo'),
      `gcp:scope-admin:${SECRET.slice(4)}`,
      'gcp-resource-setIamPolicy',
    ],
  ];
  it.each(cases)('%s', (_name, from, to, technique) => {
    const e = edges('CAN_ESCALATE', from, to).find((x) => x.props.technique === technique);
    expect(e).toBeDefined();
    expect(e?.via?.ref).toMatch(/#iam-policy$/);
    expect(Array.isArray(e?.via?.excerpt)).toBe(true);
  });

  const negatives: Array<[string, string, string]> = [
    ['key admin denied by the deny policy', user('ivan'), 'gcp-iam-serviceAccountKeys-create'],
    ['run developer without actAs', user('gina'), 'gcp-run-services-create-invoke'],
    ['instance admin on one instance cannot create instances', user('pat'), 'gcp-compute-instances-create'],
    ['role admin on a project cannot update an organization role', user('oscar'), 'gcp-iam-roles-update'],
    [
      'folder IAM admin has no project setIamPolicy of its own',
      user('henry'),
      'gcp-resourcemanager-projects-setIamPolicy',
    ],
    ['a reader of a bucket escalates nowhere', user('tess'), 'gcp-resource-setIamPolicy'],
  ];
  it.each(negatives)('no edge: %s', (_name, from, technique) => {
    expect(escalations(from)).not.toContain(technique);
  });

  it('setIamPolicy on one service account', () => {
    expect(escalations(user('xavier'), REPORT_FN)).toEqual(['gcp-iam-serviceAccounts-setIamPolicy']);
    expect(escalations(user('xavier'), DEPLOYER)).toEqual([]);
  });

  it('workload-creation methods to the same account are one edge, the others listed as alternatives', () => {
    const yara = edges('CAN_ESCALATE', user('yara'), WEB_FE);
    expect(yara).toHaveLength(1);
    expect([yara[0]?.props.technique, ...((yara[0]?.props.alternatives as string[]) ?? [])].sort()).toEqual([
      'gcp-cloudfunctions-functions-create-call',
      'gcp-cloudfunctions-functions-create-setIamPolicy',
      'gcp-run-services-create-invoke',
      'gcp-run-services-create-setIamPolicy',
    ]);
    // actAs is on web-frontend only: no edge to the build agent in the same project
    expect(edges('CAN_ESCALATE', user('yara'), CB_AGENT)).toHaveLength(0);
    const editor = edges('CAN_ESCALATE', DEPLOYER, REPORT_FN).flatMap((e) => [
      e.props.technique,
      ...((e.props.alternatives as string[] | undefined) ?? []),
    ]);
    expect(editor).toEqual(
      expect.arrayContaining(['gcp-cloudscheduler-jobs-create', 'gcp-compute-instances-create']),
    );
  });

  it('every technique appears in the fixture graph and in docs/gcp-ingest.md', () => {
    const seen = new Set(
      edges('CAN_ESCALATE').flatMap((e) => [
        e.props.technique,
        ...((e.props.alternatives as string[] | undefined) ?? []),
      ]),
    );
    const doc = readText(packagePath('docs', 'gcp-ingest.md'), 'utf8');
    for (const t of TECHNIQUES) {
      expect(seen.has(t), t).toBe(true);
      expect(doc.includes(`\`${t}\``), t).toBe(true);
    }
  });

  it('the scope admin holds every known permission on its scope, flagged synthetic', () => {
    const admin = node('gcp:scope-admin:folders/1002');
    expect(admin).toMatchObject({ kind: 'Role', props: { synthetic: true } });
    const grant = access('gcp:scope-admin:folders/1002', 'gcp:folders/1002')[0];
    expect(grant?.props.levels).toContain('admin');
    expect(grant?.props.actions).toContain('secretmanager.versions.access');
    expect(grant?.props.actions).toContain('storage.buckets.list'); // from the custom role too
  });

  it('does not repeat targets below a scope the principal already administers', () => {
    expect(escalations(group('platform-admins'))).toEqual(['gcp-resourcemanager-organizations-setIamPolicy']);
  });
});

describe('gcp snapshot: bad input', () => {
  const fails = async (doc: unknown) => {
    try {
      await ingestGcp([{ file: 'bad.json', doc }], { now: NOW });
    } catch (e) {
      return e as IngestError;
    }
    throw new Error('expected an IngestError');
  };
  it('names the file, JSON path and problem', async () => {
    const d = raw();
    d.folders[1].parent = 'teams/1';
    const e = await fails(d);
    expect(e).toBeInstanceOf(IngestError);
    expect(e.file).toBe('bad.json');
    expect(e.jsonPath).toBe('$.folders[1].parent');
  });
  it('rejects a binding member with an unknown type, with its path inside iamPolicies', async () => {
    const d = raw();
    d.iamPolicies[0].policy.bindings[1].members = ['robot:r2d2'];
    const e = await fails(d);
    expect(e.jsonPath).toBe('$.iamPolicies[0].policy.bindings[1].members[0]');
    expect(e.problem).toMatch(/unknown member type "robot"/);
  });
  it('rejects a binding without members', async () => {
    const d = raw();
    delete d.iamPolicies[2].policy.bindings[0].members;
    const e = await fails(d);
    expect(e.jsonPath).toBe('$.iamPolicies[2].policy.bindings[0].members');
  });
  it('rejects a deny policy attached to something that is not a container', async () => {
    const d = raw();
    d.denyPolicies[0].name = 'policies/storage.googleapis.com%2Fbuckets%2Fb/denypolicies/x';
    const e = await fails(d);
    expect(e.jsonPath).toBe('$.denyPolicies[0].name');
  });
});
