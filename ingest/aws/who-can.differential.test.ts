// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (${aws:username}) are plain strings
/**
 * End-to-end differential test of who-can (issue #3): random small accounts go through the
 * whole pipeline (AWS snapshot → ingestAwsSnapshot → EmbeddedStore → whoCan) and every
 * answer is checked against @cloud-copilot/iam-simulate (AGPL: a devDependency used only in
 * tests, as an oracle) asked about each user and role on its own.
 *
 * ACCESSGRAPH_WHOCAN_CASES sets the number of accounts (default 50), ACCESSGRAPH_WHOCAN_SEED
 * the seed (default: random, printed so a failure can be replayed).
 *
 * Oracle: for each user/role P, resource R and action A, iam-simulate decides (P, A, R) with
 * exactly the identity policies that apply to P (its own and its groups'), its permissions
 * boundary, the SCP and RCP levels from the root to P's account (none for a standalone account
 * or the organization's management account: AWS, "SCP evaluation"), and R's resource policy
 * (S3 bucket, SQS queue, Secrets Manager secret policies and KMS key policies naming users,
 * roles, the account or everyone, Allow and Deny, NotPrincipal in denies). Request-context keys we know statically
 * (user name, principal ARN/account/tags) are given; the ones nobody knows at load time (MFA,
 * source IP) get one random value per account: any concrete world must agree with an
 * unflagged answer.
 *
 * S3 object actions (GetObject, PutObject, DeleteObject) are asked on object ARNs, which no
 * source inventories: who-can answers them through the nodes containing the object
 * (ingest/applicability.ts narrowToTarget, as the CLI does), and the oracle decides the same
 * ARN.
 * ACCESSGRAPH_WHOCAN_DUMP=file writes every disagreement there as JSON.
 *
 * Agreement: an answer flagged `conditional` (or with `undecidedDenies`) is a "maybe" and is
 * not compared; every unflagged answer must be Allowed by the oracle, and every principal the
 * oracle allows must be an answer (flagged or not).
 *
 * Kept out of the generator (known limits of this comparison, not of the product):
 * - cross-account access on S3 (generated accounts share bucket names). Partner accounts (2k,
 *   2k+1) are loaded together and asked about each other's queue, secret and key; an answer
 *   that is the caller's account as an External node (a grant to the account) counts as
 *   `external` and is not compared (docs/aws-evaluation-differences.md);
 * - trust from users or roles (role chains): every role trusts only a service principal, so
 *   no CAN_ASSUME edge starts at a user or role;
 * - privilege escalation: every user and role carries a managed policy denying iam:* and
 *   sts:* (changes no decision on the S3/SQS/Secrets Manager requests asked here, and takes
 *   away the permissions every escalation technique needs); answers reached over CAN_ESCALATE
 *   or CAN_ASSUME anyway are counted and skipped, not compared;
 * - a resource policy's `"Principal": "*"` grant answers "any AWS principal", not each user:
 *   a principal reached only that way counts as `public` and is not compared;
 * - ARN patterns with fewer than six segments (docs/aws-evaluation-differences.md D1).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulation, type Simulation, type SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../graph/embedded/sqlite-store.js';
import { type AccessAnswer, whoCan } from '../../graph/queries/access.js';
import { narrowToTarget } from '../applicability.js';
import { ingestAwsSnapshot } from './snapshot.js';

const CASES = Number(process.env.ACCESSGRAPH_WHOCAN_CASES ?? 50);
const SEED = Number(process.env.ACCESSGRAPH_WHOCAN_SEED ?? Math.floor(Math.random() * 2 ** 31));
const NOW = new Date('2026-06-01T00:00:00Z');
const ACCOUNT = '111111111111';
const iam = (rest: string) => `arn:aws:iam::${ACCOUNT}:${rest}`;

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
interface Doc {
  Version: string;
  Statement: Json[];
}

// ---------------------------------------------------------------------------------------------
// Vocabulary: small pools, so patterns, denies and resources collide often.

const BUCKETS = ['data-a', 'secret-a', 'red-data', 'logs-b'];
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
const KMS_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111aaaa-2222-3333-4444-555566667777`;
/** The partner account: accounts 2k and 2k+1 of a run name each other (renumber). */
const OTHER = '222222222222';
const USER_NAMES = ['alice', 'bob', 'carol', 'dave'];
const ROLE_NAMES = ['app', 'batch'];
const GROUP_NAMES = ['devs', 'ops'];

const BUCKET_ACTIONS = ['s3:ListBucket', 's3:DeleteBucket', 's3:GetBucketPolicy', 's3:PutBucketTagging'];
const OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
const OBJECT_KEYS = ['key1', 'public/x', 'alice/x', 'bob/x', 'zz-other'];
const QUEUE_ACTIONS = ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteQueue'];
const SECRET_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DeleteSecret'];
const KMS_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:ScheduleKeyDeletion'];

/**
 * S3 objects and buckets share the `arn:aws:s3:::` prefix; grants on objects land on the bucket
 * node (or a pattern node containing it), so these pools mix bucket and object patterns on
 * purpose: what a grant's Resource names (the bucket or its objects) must be judged against
 * what is asked (ingest/aws/emit-access.ts outsideOwnPattern, scope.ts s3ResourceTypeOf).
 */
const ACTION_PATTERNS = [
  '*',
  's3:*',
  's3:Get*',
  's3:GetObject',
  's3:getobject',
  's3:*Object',
  's3:List*',
  's3:ListBucket',
  's3:DeleteBucket',
  's3:Put*',
  's3:Delete*',
  'sqs:*',
  'sqs:SendMessage',
  'sqs:Receive*',
  'secretsmanager:GetSecretValue',
  'secretsmanager:*',
  'kms:*',
  'kms:Decrypt',
  'ec2:*',
];

const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::*',
  'arn:aws:s3:::*/*',
  'arn:aws:s3:::data-a',
  'arn:aws:s3:::data-a/*',
  'arn:aws:s3:::data-a/key1',
  'arn:aws:s3:::data-a/public/*',
  'arn:aws:s3:::data-a/${aws:username}/*',
  'arn:aws:s3:::secret-*',
  'arn:aws:s3:::secret-*/*',
  'arn:aws:s3:::*-data',
  'arn:aws:s3:::${aws:PrincipalTag/team}-data',
  'arn:aws:s3:::${aws:PrincipalTag/team}-data/*',
  'arn:aws:s3:::logs-?',
  'arn:aws:s3:::logs-?/*',
  QUEUE,
  `arn:aws:sqs:*:${ACCOUNT}:*`,
  `arn:aws:sqs:us-east-1:${ACCOUNT}:${'${aws:username}'}`,
  `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-*`,
  `arn:aws:secretsmanager:*:*:secret:*`,
  `arn:aws:kms:*:${ACCOUNT}:key/*`,
  // the partner account's resources (cross-account requests)
  `arn:aws:sqs:us-east-1:${OTHER}:jobs`,
  `arn:aws:secretsmanager:us-east-1:${OTHER}:secret:db-*`,
  `arn:aws:kms:*:${OTHER}:key/*`,
];

/** Narrow deny targets (a deny on part of what a broad allow reaches). */
const DENY_RESOURCE_PATTERNS = [
  'arn:aws:s3:::secret-*',
  'arn:aws:s3:::secret-*/*',
  'arn:aws:s3:::data-a/key1',
  'arn:aws:s3:::data-a',
  'arn:aws:s3:::*-data',
  'arn:aws:s3:::${aws:PrincipalTag/team}-data',
  'arn:aws:s3:::data-a/${aws:username}/*',
  QUEUE,
  `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-*`,
  KMS_KEY,
];

/**
 * iam-simulate splits an ARN's resource part at its first `:` or `/` to find the resource
 * type, so `arn:aws:sqs:…:${aws:username}` reads as type `${aws:` and counts as a clean
 * mismatch for every queue: a NotResource entry that excludes nothing when the variable has
 * no value. S3 entries (`data-a/${aws:username}/*`) it reads as unresolvable, as we do (such
 * an entry never helps its statement apply: docs/aws-evaluation-differences.md). That split
 * is a parsing artifact, not a rule, so NotResource lists here keep variables out of the
 * first segment of a non-S3 resource part.
 */
function notResourceTheOracleParses(patterns: string | readonly string[]): string | string[] {
  const misparsed = (p: string) => !p.startsWith('arn:aws:s3:') && (p.split(':')[5] ?? '').startsWith('${');
  if (typeof patterns === 'string') return misparsed(patterns) ? QUEUE : patterns;
  const kept = patterns.filter((p) => !misparsed(p));
  return kept.length ? kept : [QUEUE];
}

/** Simple conditions: two decidable from what the export says, two nobody knows at load time. */
const CONDITIONS: Json[] = [
  { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
  { StringLike: { 'aws:username': 'a*' } },
  { StringNotEquals: { 'aws:username': 'bob' } },
  { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
];

const listOf = (pool: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...pool),
    fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }),
  );

const statementArb: fc.Arbitrary<Json> = fc
  .record({
    effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
    notAction: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    // `*` and NotAction grant every action AWS defines: right, but each such edge carries
    // thousands of actions and slows the walk, so the narrower patterns come first
    actions: fc.oneof(
      { weight: 4, arbitrary: listOf(ACTION_PATTERNS.filter((a) => a !== '*')) },
      { weight: 1, arbitrary: listOf(ACTION_PATTERNS) },
    ),
    notResource: fc.integer({ min: 0, max: 8 }).map((n) => n === 0),
    resources: listOf(RESOURCE_PATTERNS),
    narrow: listOf(DENY_RESOURCE_PATTERNS),
    condition: fc.option(fc.constantFrom(...CONDITIONS), { freq: 6 }),
  })
  .map((r) => {
    const st: Record<string, Json> = { Effect: r.effect };
    if (r.notAction) st.NotAction = r.actions;
    else st.Action = r.actions;
    // denies mostly name something narrower than the allows around them
    const resources = r.effect === 'Deny' ? r.narrow : r.resources;
    if (r.notResource) st.NotResource = notResourceTheOracleParses(resources);
    else st.Resource = resources;
    if (r.condition) st.Condition = r.condition;
    return st as Json;
  });

const docArb = (max = 3): fc.Arbitrary<Doc> =>
  fc
    .array(statementArb, { minLength: 1, maxLength: max })
    .map((Statement) => ({ Version: '2012-10-17', Statement }));

/** The brief's shape, often: everything on S3, but not the secret buckets' objects. */
const broadWithNarrowDeny: fc.Arbitrary<Doc> = fc
  .record({
    allow: fc.constantFrom('s3:*', 's3:*', '*', 's3:Get*'),
    deny: fc.constantFrom('s3:GetObject', 's3:*', 's3:DeleteBucket', 's3:Get*', 's3:List*'),
    on: listOf(DENY_RESOURCE_PATTERNS),
  })
  .map(({ allow, deny, on }) => ({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: allow, Resource: '*' },
      { Effect: 'Deny', Action: deny, Resource: on },
    ],
  }));

const FULL_ACCESS: Json = { Effect: 'Allow', Action: '*', Resource: '*' };

/** Boundaries: usually an allow of everything or of S3, with a few narrower statements. */
const boundaryArb: fc.Arbitrary<Doc> = fc
  .tuple(
    fc.constantFrom<Json[]>(
      [FULL_ACCESS],
      [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'sqs:*'], Resource: '*' }],
      [],
    ),
    docArb(2),
  )
  .map(([base, d]) => ({ Version: '2012-10-17', Statement: [...base, ...d.Statement] }));

const NO_ESCALATION_DOC: Doc = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'NoEscalation', Effect: 'Deny', Action: ['iam:*', 'sts:*'], Resource: '*' }],
};

// ---------------------------------------------------------------------------------------------
// Organizations: SCPs and RCPs from the root down to the account (AWS, "SCP evaluation":
// every level must allow; a deny anywhere denies; the management account is not affected).

const FULL_DOC: Doc = { Version: '2012-10-17', Statement: [FULL_ACCESS] };

/** An SCP allow narrower than FullAWSAccess: fewer actions, fewer resources, or NotAction. */
const scpAllowArb: fc.Arbitrary<Json> = fc
  .record({
    notAction: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
    actions: listOf(ACTION_PATTERNS),
    on: fc.oneof(
      { weight: 2, arbitrary: fc.constant<Json>({ Resource: '*' }) },
      { weight: 3, arbitrary: listOf(RESOURCE_PATTERNS).map((r): Json => ({ Resource: r })) },
      { weight: 1, arbitrary: listOf(DENY_RESOURCE_PATTERNS).map((r): Json => ({ NotResource: r })) },
    ),
    condition: fc.option(fc.constantFrom(...CONDITIONS), { freq: 8 }),
  })
  .map((r) => {
    const st: Record<string, Json> = { Effect: 'Allow', ...(r.on as Record<string, Json>) };
    st[r.notAction ? 'NotAction' : 'Action'] = r.actions;
    if (r.condition) st.Condition = r.condition;
    return st as Json;
  });

/** An SCP deny, usually of part of what the allows around it reach. */
const scpDenyArb: fc.Arbitrary<Json> = fc
  .record({
    notAction: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
    actions: listOf(ACTION_PATTERNS.filter((a) => a !== '*')),
    on: fc.oneof(fc.constant<string | string[]>('*'), listOf(DENY_RESOURCE_PATTERNS)),
    condition: fc.option(fc.constantFrom(...CONDITIONS), { freq: 4 }),
  })
  .map((r) => {
    const st: Record<string, Json> = { Effect: 'Deny', Resource: r.on };
    st[r.notAction ? 'NotAction' : 'Action'] = r.actions;
    if (r.condition) st.Condition = r.condition;
    return st as Json;
  });

const docOf = (Statement: Json[]): Doc => ({ Version: '2012-10-17', Statement });

/** The SCPs attached at one OU or account level. */
const scpLevelArb: fc.Arbitrary<Doc[]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Doc[]>([FULL_DOC]) },
  { weight: 3, arbitrary: scpDenyArb.map((d) => [FULL_DOC, docOf([d])]) },
  {
    weight: 3,
    arbitrary: fc.array(scpAllowArb, { minLength: 1, maxLength: 2 }).map((a) => [docOf(a)]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(scpAllowArb, { minLength: 1, maxLength: 2 }), scpDenyArb)
      .map(([a, d]) => [docOf(a), docOf([d])]),
  },
);

const RCP_ACTIONS = [
  's3:*',
  's3:GetObject',
  's3:List*',
  's3:Delete*',
  'sqs:*',
  'sqs:SendMessage',
  'secretsmanager:*',
  'kms:*',
];

/** RCPs: denies with `Principal: "*"` (RCPFullAWSAccess is always there, so only denies matter). */
const rcpLevelArb: fc.Arbitrary<Doc[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Doc[]>([]) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        actions: listOf(RCP_ACTIONS),
        on: fc.oneof(fc.constant<string | string[]>('*'), listOf(DENY_RESOURCE_PATTERNS)),
        condition: fc.option(fc.constantFrom(...CONDITIONS), { freq: 2 }),
      })
      .map((r) => [
        docOf([
          {
            Effect: 'Deny',
            Principal: '*',
            Action: r.actions,
            Resource: r.on,
            ...(r.condition ? { Condition: r.condition } : {}),
          },
        ]),
      ]),
  },
);

interface OrgSpec {
  /** standalone: in no organization; management: the organization's management account */
  mode: 'standalone' | 'member' | 'management';
  /** SCPs per level below the root (which has FullAWSAccess): OUs from the top, then the account */
  scp: Doc[][];
  rcp: Doc[][];
}

const orgArb: fc.Arbitrary<OrgSpec> = fc.integer({ min: 1, max: 3 }).chain((ous) =>
  fc.record({
    mode: fc.constantFrom<OrgSpec['mode']>('standalone', 'member', 'member', 'member', 'management'),
    scp: fc.array(scpLevelArb, { minLength: ous + 1, maxLength: ous + 1 }),
    rcp: fc.array(rcpLevelArb, { minLength: ous + 1, maxLength: ous + 1 }),
  }),
);

// ---------------------------------------------------------------------------------------------
// Resource-based policies naming principals of the same account (AWS, "Policy evaluation
// logic": within an account, an allow in either the identity or the resource policy suffices,
// and a grant naming an IAM user ARN is not limited by that user's boundary).

const PRINCIPALS: Json[] = [
  { AWS: iam('user/alice') },
  { AWS: iam('user/bob') },
  { AWS: [iam('user/carol'), iam('role/app')] },
  { AWS: iam('role/app') },
  { AWS: iam('role/batch') },
  { AWS: iam('root') },
  { AWS: ACCOUNT },
  // the partner account, its users and roles, or the account itself
  { AWS: `arn:aws:iam::${OTHER}:user/alice` },
  { AWS: [`arn:aws:iam::${OTHER}:role/app`, `arn:aws:iam::${OTHER}:user/bob`] },
  { AWS: OTHER },
  '*',
];

interface ResourcePolicySpec {
  buckets: Array<Doc | null>;
  queue: Doc | null;
  secret: Doc | null;
  /** every KMS key has a key policy */
  key: Doc;
}

const resourceStatementArb = (actions: readonly string[], resources: readonly string[]) =>
  fc
    .record({
      effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      principal: fc.constantFrom(...PRINCIPALS),
      notPrincipal: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      actions: listOf(actions),
      resources: listOf(resources),
      condition: fc.option(fc.constantFrom(...CONDITIONS), { freq: 5 }),
    })
    .map((r) => {
      const st: Record<string, Json> = { Effect: r.effect, Action: r.actions, Resource: r.resources };
      // NotPrincipal only in denies ("everyone but …"), and never "*"
      if (r.effect === 'Deny' && r.notPrincipal && r.principal !== '*') st.NotPrincipal = r.principal;
      else st.Principal = r.principal;
      if (r.condition) st.Condition = r.condition;
      return st as Json;
    });

const resourcePolicyArb = (actions: readonly string[], resources: readonly string[]) =>
  fc.option(fc.array(resourceStatementArb(actions, resources), { minLength: 1, maxLength: 3 }).map(docOf), {
    freq: 2,
    nil: null,
  });

const bucketPolicyArb = (b: string) =>
  resourcePolicyArb(
    [...BUCKET_ACTIONS, ...OBJECT_ACTIONS, 's3:*', 's3:Get*'],
    [
      `arn:aws:s3:::${b}`,
      `arn:aws:s3:::${b}/*`,
      `arn:aws:s3:::${b}/public/*`,
      `arn:aws:s3:::${b}/${'${aws:username}'}/*`,
    ],
  );

/**
 * KMS key policies (AWS KMS docs, "Key policies": "Unless the key policy explicitly allows it,
 * you cannot use IAM policies to allow access to a KMS key"). The statement naming the account
 * (its root ARN or its id) is what lets identity policies count: for every KMS action, or for
 * some only; without it only the key policy's own grants count.
 */
const delegationArb = fc.constantFrom<Json[]>(
  [],
  [],
  [
    {
      Sid: 'EnableIAMUserPermissions',
      Effect: 'Allow',
      Principal: { AWS: iam('root') },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
  [
    {
      Sid: 'EnableIAMUserPermissions',
      Effect: 'Allow',
      Principal: { AWS: ACCOUNT },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
  [
    {
      Sid: 'DelegateUse',
      Effect: 'Allow',
      Principal: { AWS: iam('root') },
      Action: ['kms:Decrypt', 'kms:Encrypt'],
      Resource: '*',
    },
  ],
);

const keyPolicyArb: fc.Arbitrary<Doc> = fc
  .tuple(
    delegationArb,
    fc.array(resourceStatementArb([...KMS_ACTIONS, 'kms:*'], ['*']), { minLength: 1, maxLength: 2 }),
  )
  .map(([delegation, own]) => docOf([...delegation, ...own]));

const resourcePoliciesArb: fc.Arbitrary<ResourcePolicySpec> = fc.record({
  buckets: fc.tuple(...BUCKETS.map(bucketPolicyArb)),
  queue: resourcePolicyArb([...QUEUE_ACTIONS, 'sqs:*'], [QUEUE]),
  secret: resourcePolicyArb([...SECRET_ACTIONS, 'secretsmanager:*'], ['*']),
  key: keyPolicyArb,
});

interface ManagedSpec {
  name: string;
  doc: Doc;
}
interface PrincipalSpec {
  name: string;
  inline: Doc[];
  managed: string[];
  boundary: string | null;
}
interface UserSpec extends PrincipalSpec {
  groups: string[];
  team: string | null;
}
interface AccountSpec {
  managed: ManagedSpec[];
  boundaries: ManagedSpec[];
  groups: Array<{ name: string; inline: Doc[]; managed: string[] }>;
  users: UserSpec[];
  roles: PrincipalSpec[];
  /** the unknowable context keys in this account's one concrete world */
  world: { mfa: 'true' | 'false'; ip: string };
  org: OrgSpec;
  resourcePolicies: ResourcePolicySpec;
  /** actions asked, per resource kind */
  ask: {
    bucket: string[];
    object: string[];
    keys: string[];
    queue: string[];
    secret: string[];
    kms: string[];
  };
}

const managedNames = ['Shared0', 'Shared1', 'Shared2', 'Shared3'];
const boundaryNames = ['Boundary0', 'Boundary1'];

const accountArb: fc.Arbitrary<AccountSpec> = fc
  .record({
    managed: fc.tuple(
      fc.oneof(docArb(3), broadWithNarrowDeny),
      fc.oneof(docArb(3), broadWithNarrowDeny),
      docArb(3),
      docArb(2),
    ),
    boundaries: fc.tuple(boundaryArb, boundaryArb),
    groupCount: fc.integer({ min: 0, max: 2 }),
    userCount: fc.integer({ min: 1, max: 4 }),
    roleCount: fc.integer({ min: 0, max: 2 }),
    org: orgArb,
    resourcePolicies: resourcePoliciesArb,
    world: fc.record({
      mfa: fc.constantFrom<'true' | 'false'>('true', 'false'),
      ip: fc.constantFrom('10.1.2.3', '192.168.1.10'),
    }),
    ask: fc.record({
      bucket: fc.subarray(BUCKET_ACTIONS, { minLength: 1, maxLength: 2 }),
      object: fc.subarray(OBJECT_ACTIONS, { minLength: 1, maxLength: 2 }),
      // one key of each kind the resource patterns tell apart (`${aws:username}/*` included)
      keys: fc.subarray(OBJECT_KEYS, { minLength: 1, maxLength: 2 }),
      queue: fc.subarray(QUEUE_ACTIONS, { minLength: 1, maxLength: 1 }),
      secret: fc.subarray(SECRET_ACTIONS, { minLength: 1, maxLength: 1 }),
      kms: fc.subarray(KMS_ACTIONS, { minLength: 1, maxLength: 1 }),
    }),
  })
  .chain((a) => {
    const attachments = fc.record({
      inline: fc.array(fc.oneof({ weight: 3, arbitrary: docArb(3) }, broadWithNarrowDeny), {
        maxLength: 1,
      }),
      managed: fc.subarray(managedNames, { maxLength: 2 }),
    });
    const boundary = fc.option(fc.constantFrom(...boundaryNames), { freq: 3, nil: null });
    const groupNames = GROUP_NAMES.slice(0, a.groupCount);
    return fc.record({
      managed: fc.constant(a.managed.map((doc, i) => ({ name: managedNames[i]!, doc }))),
      boundaries: fc.constant(a.boundaries.map((doc, i) => ({ name: boundaryNames[i]!, doc }))),
      groups: fc.tuple(...groupNames.map((name) => attachments.map((x) => ({ name, ...x })))),
      users: fc.tuple(
        ...USER_NAMES.slice(0, a.userCount).map((name) =>
          fc
            .record({
              att: attachments,
              boundary,
              groups: fc.subarray(groupNames),
              team: fc.constantFrom<string | null>('red', 'blue', null),
            })
            .map((u) => ({ name, ...u.att, boundary: u.boundary, groups: u.groups, team: u.team })),
        ),
      ),
      roles: fc.tuple(
        ...ROLE_NAMES.slice(0, a.roleCount).map((name) =>
          fc.record({ att: attachments, boundary }).map((r) => ({ name, ...r.att, boundary: r.boundary })),
        ),
      ),
      org: fc.constant(a.org),
      resourcePolicies: fc.constant(a.resourcePolicies),
      world: fc.constant(a.world),
      ask: fc.constant(a.ask),
    }) as fc.Arbitrary<AccountSpec>;
  });

// ---------------------------------------------------------------------------------------------
// The account as an AWS snapshot (the raw IAM export has no resource inventory).

const managedArn = (name: string) => iam(`policy/${name}`);

function policyEntry(name: string, doc: Doc): Json {
  return {
    PolicyName: name,
    PolicyId: `ANPA${name.toUpperCase()}`,
    Arn: managedArn(name),
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 1,
    IsAttachable: true,
    PolicyVersionList: [{ Document: doc as unknown as Json, VersionId: 'v1', IsDefaultVersion: true }],
  };
}

const attached = (names: readonly string[]) =>
  names.map((n) => ({ PolicyName: n, PolicyArn: managedArn(n) }));
const inlineList = (owner: string, docs: readonly Doc[]) =>
  docs.map((d, i) => ({ PolicyName: `${owner}-inline${i}`, PolicyDocument: d as unknown as Json }));
const boundaryOf = (b: string | null) =>
  b
    ? {
        PermissionsBoundary: {
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
          PermissionsBoundaryArn: managedArn(b),
        },
      }
    : {};

/**
 * Every generated account is written with ACCOUNT as its id; each gets its own id in the one
 * snapshot (one ingest, as `collect aws` writes an organization's accounts), and the oracle
 * gets the same renumbered policies.
 */
const accountIdOf = (n: number) => String(100_000_000_000 + n);
const partnerOf = (accountId: string) => accountIdOf((Number(accountId) - 100_000_000_000) ^ 1);
function renumber<T>(x: T, accountId: string): T {
  return JSON.parse(
    JSON.stringify(x).replaceAll(ACCOUNT, accountId).replaceAll(OTHER, partnerOf(accountId)),
  ) as T;
}

function snapshotOf(accounts: readonly AccountSpec[]): Json {
  return {
    format: 'accessgraph-aws-snapshot',
    version: 1,
    collectedAt: NOW.toISOString(),
    organization: organizationOf(accounts),
    accounts: accounts.map((a, n) => renumber(accountEntry(a), accountIdOf(n))),
  };
}

const ORG_ROOT = 'r-gen0';
const ouId = (n: number, k: number) => `ou-gen0-${String(n).padStart(4, '0')}lvl0${k}`;
/** the management account when no generated account is it (then it is in the snapshot only by id) */
const OTHER_MANAGEMENT = '999999999999';

/** At most one management account: the first account drawn as one; later ones become members. */
function oneManagementAccount(accounts: AccountSpec[]): void {
  let seen = false;
  for (const a of accounts) {
    if (a.org.mode !== 'management') continue;
    if (seen) a.org.mode = 'member';
    seen = true;
  }
}

function organizationOf(accounts: readonly AccountSpec[]): Json {
  const management = accounts.findIndex((a) => a.org.mode === 'management');
  const ous: Json[] = [];
  const members: Json[] = [];
  const policies: Array<{ id: string; name: string; type: string; document: Json; targets: string[] }> = [
    {
      id: 'p-FullAWSAccess',
      name: 'FullAWSAccess',
      type: 'SERVICE_CONTROL_POLICY',
      document: FULL_DOC as unknown as Json,
      targets: [ORG_ROOT],
    },
  ];
  if (management < 0) members.push({ id: OTHER_MANAGEMENT, parentId: ORG_ROOT });
  for (const [n, a] of accounts.entries()) {
    if (a.org.mode === 'standalone') continue;
    const accountId = accountIdOf(n);
    const levels = a.org.scp.length - 1;
    let parent = ORG_ROOT;
    for (let k = 0; k < levels; k++) {
      ous.push({ id: ouId(n, k), parentId: parent });
      parent = ouId(n, k);
    }
    members.push({ id: accountId, parentId: parent });
    const target = (k: number) => (k < levels ? ouId(n, k) : accountId);
    for (const [type, docs] of [
      ['SERVICE_CONTROL_POLICY', a.org.scp],
      ['RESOURCE_CONTROL_POLICY', a.org.rcp],
    ] as const) {
      for (const [k, level] of docs.entries()) {
        for (const [i, doc] of level.entries()) {
          const id = `p-${type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp'}${n}x${k}x${i}`;
          policies.push({
            id,
            name: id,
            type,
            document: renumber(doc, accountId) as unknown as Json,
            targets: [target(k)],
          });
        }
      }
    }
  }
  return {
    id: 'o-generated01',
    managementAccountId: management < 0 ? OTHER_MANAGEMENT : accountIdOf(management),
    roots: [{ id: ORG_ROOT }],
    organizationalUnits: ous,
    accounts: members,
    policies,
  };
}

/** What the oracle is given for an account: the SCP and RCP levels that bind it (none for the management account). */
function orgPoliciesOf(
  a: AccountSpec,
  n: number,
): Pick<Simulation, 'serviceControlPolicies' | 'resourceControlPolicies'> {
  if (a.org.mode !== 'member') return { serviceControlPolicies: [], resourceControlPolicies: [] };
  const accountId = accountIdOf(n);
  const levels = a.org.scp.length - 1;
  const id = (k: number) => (k < levels ? ouId(n, k) : accountId);
  const of = (docs: Doc[][], type: string): SimulationOrgPolicies[] =>
    docs.map((level, k) => ({
      orgIdentifier: id(k),
      policies: level.map((doc, i) => ({
        name: `p-${type}${n}x${k}x${i}`,
        policy: renumber(doc, accountId),
      })),
    }));
  return {
    serviceControlPolicies: [
      { orgIdentifier: ORG_ROOT, policies: [{ name: 'FullAWSAccess', policy: FULL_DOC }] },
      ...of(a.org.scp, 'scp'),
    ],
    resourceControlPolicies: [{ orgIdentifier: ORG_ROOT, policies: [] }, ...of(a.org.rcp, 'rcp')],
  };
}

function accountEntry(a: AccountSpec): Json {
  const details = {
    UserDetailList: a.users.map((u, i) => ({
      Path: '/',
      UserName: u.name,
      UserId: `AIDA${String(i).padStart(16, '0')}`,
      Arn: iam(`user/${u.name}`),
      GroupList: u.groups,
      UserPolicyList: inlineList(u.name, u.inline),
      AttachedManagedPolicies: attached(['NoEscalation', ...u.managed]),
      Tags: u.team ? [{ Key: 'team', Value: u.team }] : [],
      ...boundaryOf(u.boundary),
    })),
    GroupDetailList: a.groups.map((g, i) => ({
      Path: '/',
      GroupName: g.name,
      GroupId: `AGPA${String(i).padStart(16, '0')}`,
      Arn: iam(`group/${g.name}`),
      GroupPolicyList: inlineList(g.name, g.inline),
      AttachedManagedPolicies: attached(g.managed),
    })),
    RoleDetailList: a.roles.map((r, i) => ({
      Path: '/',
      RoleName: r.name,
      RoleId: `AROA${String(i).padStart(16, '0')}`,
      Arn: iam(`role/${r.name}`),
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      InstanceProfileList: [],
      RolePolicyList: inlineList(r.name, r.inline),
      AttachedManagedPolicies: attached(['NoEscalation', ...r.managed]),
      Tags: [],
      ...boundaryOf(r.boundary),
    })),
    Policies: [
      policyEntry('NoEscalation', NO_ESCALATION_DOC),
      ...[...a.managed, ...a.boundaries].map((m) => policyEntry(m.name, m.doc)),
    ],
  };
  return {
    accountId: ACCOUNT,
    authorizationDetails: details as unknown as Json,
    resources: [
      ...BUCKETS.map((b, i) => ({
        arn: `arn:aws:s3:::${b}`,
        type: 's3:bucket',
        name: b,
        region: 'us-east-1',
        ...policyOf(a.resourcePolicies.buckets[i]),
      })),
      {
        arn: QUEUE,
        type: 'sqs:queue',
        name: 'jobs',
        region: 'us-east-1',
        ...policyOf(a.resourcePolicies.queue),
      },
      {
        arn: SECRET,
        type: 'secretsmanager:secret',
        name: 'db',
        region: 'us-east-1',
        ...policyOf(a.resourcePolicies.secret),
      },
      {
        arn: KMS_KEY,
        type: 'kms:key',
        name: '1111aaaa-2222-3333-4444-555566667777',
        region: 'us-east-1',
        policy: a.resourcePolicies.key as unknown as Json,
      },
    ],
  };
}

const policyOf = (d: Doc | null | undefined): Record<string, Json> =>
  d ? { policy: d as unknown as Json } : {};

/** The resource policy of an asked resource (S3 objects: their bucket's), written with ACCOUNT. */
function resourcePolicyFor(a: AccountSpec, resource: string): Doc | null {
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(resource)?.[1];
  if (bucket) return a.resourcePolicies.buckets[BUCKETS.indexOf(bucket)] ?? null;
  if (resource.includes(':sqs:')) return a.resourcePolicies.queue;
  if (resource.includes(':kms:')) return a.resourcePolicies.key;
  return a.resourcePolicies.secret;
}

// ---------------------------------------------------------------------------------------------
// The oracle

type Oracle = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

interface Subject {
  kind: 'User' | 'Role';
  arn: string;
  /** the request principal: the user, or a session of the role */
  requestArn: string;
  identity: Array<{ name: string; policy: Doc }>;
  boundary: { name: string; policy: Doc } | null;
  context: Record<string, string>;
  name: string;
  accountId: string;
}

/** Users and roles of the account, as the oracle sees them (written with ACCOUNT: renumber them). */
function subjectsOf(a: AccountSpec): Subject[] {
  const managed = new Map(
    [...a.managed, ...a.boundaries, { name: 'NoEscalation', doc: NO_ESCALATION_DOC }].map((m) => [
      m.name,
      m.doc,
    ]),
  );
  const world = { 'aws:MultiFactorAuthPresent': a.world.mfa, 'aws:SourceIp': a.world.ip };
  const policies = (owner: string, p: { inline: Doc[]; managed: string[] }) => [
    ...p.inline.map((policy, i) => ({ name: `${owner}-inline${i}`, policy })),
    ...p.managed.map((n) => ({ name: n, policy: managed.get(n)! })),
  ];
  const groups = new Map(a.groups.map((g) => [g.name, g]));
  const boundary = (b: string | null) => (b ? { name: b, policy: managed.get(b)! } : null);
  return [
    ...a.users.map((u): Subject => {
      const arn = iam(`user/${u.name}`);
      const context: Record<string, string> = {
        ...world,
        'aws:username': u.name,
        'aws:PrincipalArn': arn,
        'aws:PrincipalAccount': ACCOUNT,
      };
      if (u.team) context['aws:PrincipalTag/team'] = u.team;
      return {
        kind: 'User',
        arn,
        requestArn: arn,
        name: u.name,
        identity: [
          ...policies(u.name, { inline: u.inline, managed: ['NoEscalation', ...u.managed] }),
          ...u.groups.flatMap((g) => policies(g, groups.get(g)!)),
        ],
        boundary: boundary(u.boundary),
        context,
        accountId: ACCOUNT,
      };
    }),
    ...a.roles.map((r): Subject => {
      const arn = iam(`role/${r.name}`);
      return {
        kind: 'Role',
        arn,
        requestArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${r.name}/session`,
        name: r.name,
        identity: policies(r.name, { inline: r.inline, managed: ['NoEscalation', ...r.managed] }),
        boundary: boundary(r.boundary),
        context: { ...world, 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': ACCOUNT },
        accountId: ACCOUNT,
      };
    }),
  ];
}

let oracleErrors = 0;
async function decideOne(
  s: Subject,
  action: string,
  resource: string,
  org: Pick<Simulation, 'serviceControlPolicies' | 'resourceControlPolicies'>,
  resourcePolicy: Doc | null,
  resourceAccount: string,
): Promise<Oracle> {
  const sim: Simulation = {
    request: {
      principal: s.requestArn,
      action,
      resource: { resource, accountId: resourceAccount },
      contextVariables: s.context,
    },
    identityPolicies: s.identity,
    ...org,
  };
  if (s.boundary) sim.permissionBoundaryPolicies = [s.boundary];
  if (resourcePolicy) sim.resourcePolicy = resourcePolicy;
  const r = await runSimulation(sim, { simulationMode: 'Strict' });
  if (r.resultType === 'error') {
    oracleErrors++;
    if (oracleErrors < 3) console.warn('oracle rejected a request:', r.errors.message);
    return 'ImplicitlyDenied';
  }
  return r.overallResult;
}

// ---------------------------------------------------------------------------------------------

type Ours = 'yes' | 'maybe' | 'indirect' | 'public' | 'external' | 'no';

/** `everyone`: the answer for "any AWS principal" (a resource policy's `"Principal": "*"`), if any. */
function classify(
  answer: AccessAnswer | undefined,
  everyone?: AccessAnswer,
  itsAccount?: AccessAnswer,
): Ours {
  // the public grant reaches this principal too, under the same or fewer restrictions: a
  // "maybe" for it (not compared), since its own restrictions are not on that path
  if (!answer && everyone) return 'public';
  // a grant to the principal's account, from another account's resource policy: the answer
  // is that account's External node, not its principals (their policies are another source's)
  if (!answer) return itsAccount ? 'external' : 'no';
  if (answer.path.some((h) => h.edge === 'CAN_ASSUME' || h.edge === 'CAN_ESCALATE')) return 'indirect';
  if (answer.conditional || answer.undecidedDenies?.length) return 'maybe';
  return 'yes';
}

interface Verdict {
  account: number;
  resource: string;
  action: string;
  principal: string;
  ours: Ours;
  oracle: Oracle;
}

interface Disagreement extends Verdict {
  kind: 'extra' | 'missing';
  path: string[];
  /** what applies to the principal (its own and its groups' policies, its boundary) */
  policies: { identity: Subject['identity']; boundary: Subject['boundary']; context: Subject['context'] };
  /** the whole generated account, as ingested */
  accountSpec: AccountSpec;
}

function describePath(answer: AccessAnswer | undefined): string[] {
  if (!answer) return [];
  return answer.path.map((h) => {
    const via = h.via ? ` via ${h.via.ref} #${h.via.statement}` : '';
    const acts = h.actions ? ` [${h.actions.length} actions]` : '';
    const props = answer.edges.find((e) => e.from === h.from && e.to === h.to && e.kind === h.edge)?.props as
      | Record<string, unknown>
      | undefined;
    const extra =
      h.edge === 'HAS_ACCESS'
        ? ` ${JSON.stringify({
            resource: props?.resource,
            objectPattern: props?.objectPattern,
            notResources: props?.notResources,
            exceptions: props?.exceptions,
            conditional: props?.conditional,
          })}`
        : '';
    return `${h.from} -[${h.edge}${acts}${via}]-> ${h.to}${extra}`;
  });
}

let dir = '';
let store: EmbeddedStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'accessgraph-whocan-diff-'));
  store = await EmbeddedStore.open({ dataDir: dir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Is the answer's grant kept exact by an SCP or boundary allowing only part of its scope (grants.ts applyLimit)? */
function underPartialLimit(answer: AccessAnswer | undefined): boolean {
  return !!answer?.edges.some(
    (e) =>
      e.kind === 'HAS_ACCESS' &&
      ((e.props as { exceptions?: Array<{ effect?: unknown }> }).exceptions ?? []).some(
        (x) => x.effect === 'NotAllowedByLimit',
      ),
  );
}

/** Ingest the accounts as one snapshot, ask who-can about every resource and compare with the oracle. */
async function compareAll(accounts: AccountSpec[]) {
  oneManagementAccount(accounts);
  const disagreements: Disagreement[] = [];
  const tally = {
    yes: 0,
    maybe: 0,
    indirect: 0,
    public: 0,
    external: 0,
    no: 0,
    allowed: 0,
    questions: 0,
    exactUnderLimit: 0,
  };
  const verdicts: Verdict[] = [];
  const timing = { ingest: 0, load: 0, query: 0, oracle: 0 };
  let t0 = performance.now();
  const lap = (k: keyof typeof timing) => {
    const t = performance.now();
    timing[k] += t - t0;
    t0 = t;
  };
  const sources = await ingestAwsSnapshot(snapshotOf(accounts), 'generated.json', { now: NOW });
  lap('ingest');
  const sourceOf = (n: number) => {
    const src = sources.find((x) => x.descriptor.id === `aws:${accountIdOf(n)}`);
    if (!src) throw new Error(`the snapshot yielded no source for account ${accountIdOf(n)}`);
    return src;
  };
  const load = async (n: number) => {
    const src = sourceOf(n);
    t0 = performance.now();
    await store.replaceSource(src.descriptor, async (w) => {
      await w.addNodes(src.nodes);
      await w.addEdges(src.edges);
    });
    lap('load');
  };
  /** Ask who-can about account `owner`'s targets, for the users and roles of account `caller`. */
  const ask = async (owner: number, caller: number, targets: Array<[string, string[]]>) => {
    const a = accounts[owner] as AccountSpec;
    const ownerId = accountIdOf(owner);
    const callerId = accountIdOf(caller);
    const subjects = renumber(subjectsOf(accounts[caller] as AccountSpec), callerId);
    // the caller's SCPs, the resource owner's RCPs
    const orgPolicies = {
      serviceControlPolicies: orgPoliciesOf(accounts[caller] as AccountSpec, caller).serviceControlPolicies,
      resourceControlPolicies: orgPoliciesOf(a, owner).resourceControlPolicies,
    };
    for (const [resource, actions] of targets) {
      for (const action of actions) {
        t0 = performance.now();
        const result = await whoCan(store, resource, await narrowToTarget(store, resource, { action }));
        lap('query');
        expect(result.truncated).toBe(false);
        const byPrincipal = new Map(result.answers.map((x) => [x.node.id, x]));
        const itsAccount =
          owner === caller ? undefined : byPrincipal.get(`arn:aws:iam::${callerId}:root#external`);
        for (const s of subjects) {
          tally.questions++;
          const answer = byPrincipal.get(s.arn);
          const ours = classify(answer, byPrincipal.get('aws:*'), itsAccount);
          tally[ours]++;
          if (ours === 'yes' && underPartialLimit(answer)) tally.exactUnderLimit++;
          t0 = performance.now();
          const oracle = await decideOne(
            s,
            action,
            resource,
            orgPolicies,
            renumber(resourcePolicyFor(a, resource), ownerId),
            ownerId,
          );
          lap('oracle');
          if (oracle === 'Allowed') tally.allowed++;
          verdicts.push({ account: owner, resource, action, principal: s.arn, ours, oracle });
          const bad = (ours === 'yes' && oracle !== 'Allowed') || (ours === 'no' && oracle === 'Allowed');
          if (!bad) continue;
          disagreements.push({
            kind: ours === 'yes' ? 'extra' : 'missing',
            account: owner,
            resource,
            action,
            principal: s.arn,
            ours,
            oracle,
            path: describePath(answer),
            policies: { identity: s.identity, boundary: s.boundary, context: s.context },
            accountSpec: renumber(a, ownerId),
          });
        }
      }
    }
  };
  /** The resources whose ARN names the account (S3 bucket names are the same in every account). */
  const accountScoped = (n: number): Array<[string, string[]]> => {
    const a = accounts[n] as AccountSpec;
    return [
      [renumber(QUEUE, accountIdOf(n)), a.ask.queue],
      [renumber(SECRET, accountIdOf(n)), a.ask.secret],
      [renumber(KMS_KEY, accountIdOf(n)), a.ask.kms],
    ];
  };
  for (const [n, a] of accounts.entries()) {
    // one account in the store at a time: every account has the same bucket names
    await load(n);
    await ask(n, n, [
      ...BUCKETS.map((b): [string, string[]] => [`arn:aws:s3:::${b}`, a.ask.bucket]),
      ...BUCKETS.flatMap((b) =>
        a.ask.keys.map((k): [string, string[]] => [`arn:aws:s3:::${b}/${k}`, a.ask.object]),
      ),
      ...accountScoped(n),
    ]);
    await store.deleteSource(sourceOf(n).descriptor.id);
  }
  // Cross-account: partners in the store together, each asked about the other's queue, secret
  // and key (AWS, "Cross-account policy evaluation logic": both sides must allow).
  for (let n = 0; n + 1 < accounts.length; n += 2) {
    await load(n);
    await load(n + 1);
    await ask(n, n + 1, accountScoped(n));
    await ask(n + 1, n, accountScoped(n + 1));
    await store.deleteSource(sourceOf(n).descriptor.id);
    await store.deleteSource(sourceOf(n + 1).descriptor.id);
  }
  return { disagreements, tally, timing, verdicts };
}

describe('who-can differential: policies → ingest → store → whoCan vs iam-simulate', () => {
  it(`agrees on ${CASES} random accounts (seed ${SEED})`, async () => {
    const accounts = fc.sample(accountArb, { numRuns: CASES, seed: SEED });
    const { disagreements, tally, timing, verdicts } = await compareAll(accounts);
    const ownerOf = (v: Verdict) => v.resource.split(':')[4];
    const cross = verdicts.filter(
      (v) => ownerOf(v) && !v.principal.startsWith(`arn:aws:iam::${ownerOf(v)}:`),
    );
    const count = (f: (v: Verdict) => boolean) => cross.filter(f).length;
    console.info(
      `who-can differential seed=${SEED}: ${accounts.length} accounts, ${tally.questions} (principal, resource, action) questions; ` +
        `ours yes=${tally.yes} maybe=${tally.maybe} indirect=${tally.indirect} public=${tally.public} external=${tally.external} no=${tally.no} (yes kept exact by a partial SCP/boundary allow: ${tally.exactUnderLimit}); oracle allowed=${tally.allowed}; ` +
        `cross-account: ${cross.length} questions, oracle allowed=${count((v) => v.oracle === 'Allowed')}, ours maybe=${count((v) => v.ours === 'maybe')} external=${count((v) => v.ours === 'external')} public=${count((v) => v.ours === 'public')}; ` +
        `${oracleErrors} oracle errors; ${disagreements.length} disagreements; ms ${JSON.stringify(
          Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Math.round(v)])),
        )}`,
    );
    if (process.env.ACCESSGRAPH_WHOCAN_DUMP)
      writeFileSync(process.env.ACCESSGRAPH_WHOCAN_DUMP, JSON.stringify(disagreements, null, 1));
    if (disagreements.length > 0) {
      const first = disagreements.slice(0, 3);
      console.error(
        `seed ${SEED}: first disagreements (replay with ACCESSGRAPH_WHOCAN_SEED=${SEED} ACCESSGRAPH_WHOCAN_CASES=${CASES}):\n` +
          first.map((d) => JSON.stringify(d, null, 1)).join('\n'),
      );
    }
    expect(oracleErrors).toBe(0);
    expect(
      disagreements.map(
        (d) =>
          `seed ${SEED} account #${d.account}: ${d.kind} ${d.principal} ${d.action} on ${d.resource} (ours ${d.ours}, oracle ${d.oracle})`,
      ),
    ).toEqual([]);
  }, 240_000);

  it('an SCP or boundary allowing only part of a grant scope gives exact answers, as AWS decides', async () => {
    const none = { inline: [], managed: [], groups: [], team: null };
    const getAndList = docOf([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }]);
    const account: AccountSpec = {
      managed: [],
      boundaries: [
        {
          name: 'Boundary0',
          doc: docOf([
            { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data-a/*' },
            { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' },
          ]),
        },
      ],
      groups: [],
      users: [
        { ...none, name: 'alice', inline: [getAndList], boundary: null },
        { ...none, name: 'bob', inline: [getAndList], boundary: 'Boundary0' },
      ],
      roles: [],
      org: {
        mode: 'member',
        scp: [
          [FULL_DOC],
          [
            docOf([
              { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::*-a', 'arn:aws:s3:::*-a/*'] },
            ]),
          ],
        ],
        rcp: [[], []],
      },
      resourcePolicies: {
        buckets: [null, null, null, null],
        queue: null,
        secret: null,
        key: docOf([{ Effect: 'Allow', Principal: { AWS: iam('root') }, Action: 'kms:*', Resource: '*' }]),
      },
      world: { mfa: 'true', ip: '10.1.2.3' },
      ask: {
        bucket: ['s3:ListBucket'],
        object: ['s3:GetObject'],
        keys: ['key1'],
        queue: [],
        secret: [],
        kms: [],
      },
    };
    const { disagreements, verdicts } = await compareAll([account]);
    expect(disagreements).toEqual([]);
    const asked = verdicts.filter((v) => v.resource.startsWith('arn:aws:s3:::'));
    // every answer is exact: no "maybe" left, and it is AWS's
    expect(asked.every((v) => v.ours === (v.oracle === 'Allowed' ? 'yes' : 'no'))).toBe(true);
    const yes = (who: string, resource: string, action: string) =>
      asked.find((v) => v.principal.endsWith(who) && v.resource === resource && v.action === action)?.ours;
    expect(yes('user/alice', 'arn:aws:s3:::secret-a/key1', 's3:GetObject')).toBe('yes');
    expect(yes('user/alice', 'arn:aws:s3:::logs-b/key1', 's3:GetObject')).toBe('no');
    expect(yes('user/bob', 'arn:aws:s3:::data-a/key1', 's3:GetObject')).toBe('yes');
    expect(yes('user/bob', 'arn:aws:s3:::secret-a/key1', 's3:GetObject')).toBe('no');
    expect(yes('user/bob', 'arn:aws:s3:::secret-a', 's3:ListBucket')).toBe('yes');
    expect(yes('user/bob', 'arn:aws:s3:::red-data', 's3:ListBucket')).toBe('no');
  }, 60_000);

  it('KMS: identity policies count only for what the key policy delegates to the account', async () => {
    const none = { inline: [], managed: [], groups: [], team: null, boundary: null };
    const kmsAll = docOf([{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]);
    const keyUser = {
      Effect: 'Allow',
      Principal: { AWS: iam('user/bob') },
      Action: 'kms:Decrypt',
      Resource: '*',
    };
    const delegate = (Action: Json): Json => ({
      Effect: 'Allow',
      Principal: { AWS: iam('root') },
      Action,
      Resource: '*',
    });
    const accountWithKey = (key: Doc): AccountSpec => ({
      managed: [],
      boundaries: [],
      groups: [],
      users: [
        { ...none, name: 'alice', inline: [kmsAll] },
        { ...none, name: 'bob', inline: [] },
      ],
      roles: [],
      org: { mode: 'standalone', scp: [[FULL_DOC]], rcp: [[]] },
      resourcePolicies: { buckets: [null, null, null, null], queue: null, secret: null, key },
      world: { mfa: 'true', ip: '10.1.2.3' },
      ask: { bucket: [], object: [], keys: [], queue: [], secret: [], kms: KMS_ACTIONS },
    });
    const { disagreements, verdicts } = await compareAll([
      accountWithKey(docOf([delegate('kms:*'), keyUser])),
      accountWithKey(docOf([keyUser])),
      accountWithKey(docOf([delegate(['kms:Decrypt', 'kms:Encrypt']), keyUser])),
    ]);
    expect(disagreements).toEqual([]);
    const ours = (account: number, who: string, action: string) =>
      verdicts.find((v) => v.account === account && v.principal.endsWith(who) && v.action === action)?.ours;
    // delegating: alice's identity policy counts; bob has the key policy's own grant
    expect(ours(0, 'user/alice', 'kms:ScheduleKeyDeletion')).toBe('yes');
    expect(ours(0, 'user/bob', 'kms:Decrypt')).toBe('yes');
    // not delegating: only the key policy's grant
    expect(ours(1, 'user/alice', 'kms:Decrypt')).toBe('no');
    expect(ours(1, 'user/bob', 'kms:Decrypt')).toBe('yes');
    // delegating some actions: identity policies count for those only
    expect(ours(2, 'user/alice', 'kms:Decrypt')).toBe('yes');
    expect(ours(2, 'user/alice', 'kms:ScheduleKeyDeletion')).toBe('no');
  }, 60_000);

  it('cross-account: one-sided grants are a "maybe", a grant to the account answers the account', async () => {
    const none = { inline: [], managed: [], groups: [], team: null, boundary: null };
    const allow = (Action: string, Resource: string) => docOf([{ Effect: 'Allow', Action, Resource }]);
    const account = (users: UserSpec[], queue: Doc | null, secret: Doc | null): AccountSpec => ({
      managed: [],
      boundaries: [],
      groups: [],
      users,
      roles: [],
      org: { mode: 'member', scp: [[FULL_DOC]], rcp: [[]] },
      resourcePolicies: {
        buckets: [null, null, null, null],
        queue,
        secret,
        key: docOf([{ Effect: 'Allow', Principal: { AWS: iam('root') }, Action: 'kms:*', Resource: '*' }]),
      },
      world: { mfa: 'true', ip: '10.1.2.3' },
      ask: {
        bucket: [],
        object: [],
        keys: [],
        queue: ['sqs:SendMessage'],
        secret: ['secretsmanager:GetSecretValue'],
        kms: [],
      },
    });
    const other = (arn: string) => arn.replace(ACCOUNT, OTHER);
    const owner = account(
      [],
      docOf([
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${OTHER}:user/alice` },
          Action: 'sqs:SendMessage',
          Resource: QUEUE,
        },
      ]),
      docOf([
        {
          Effect: 'Allow',
          Principal: { AWS: OTHER },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        },
      ]),
    );
    const caller = account(
      [
        { ...none, name: 'alice', inline: [allow('*', '*')] },
        { ...none, name: 'bob', inline: [allow('sqs:*', other(QUEUE))] },
        { ...none, name: 'dave', inline: [allow('secretsmanager:*', other(SECRET))] },
      ],
      null,
      null,
    );
    const { disagreements, verdicts } = await compareAll([owner, caller]);
    expect(disagreements).toEqual([]);
    const verdict = (who: string, service: string) =>
      verdicts.find((v) => v.account === 0 && v.principal.endsWith(who) && v.resource.includes(service));
    // named by the queue policy, allowed by its own: both sides allow, but who-can sees one
    expect(verdict('user/alice', ':sqs:')).toMatchObject({ ours: 'maybe', oracle: 'Allowed' });
    // its identity policy names the queue, the queue policy does not name it
    expect(verdict('user/bob', ':sqs:')).toMatchObject({ ours: 'maybe', oracle: 'ImplicitlyDenied' });
    // the secret policy names the account: who-can answers with the account's External node
    expect(verdict('user/alice', ':secretsmanager:')).toMatchObject({ ours: 'external', oracle: 'Allowed' });
    expect(verdict('user/dave', ':secretsmanager:')).toMatchObject({ ours: 'maybe', oracle: 'Allowed' });
  }, 60_000);
});
