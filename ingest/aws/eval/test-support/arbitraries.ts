// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (${aws:username}) are plain strings
/**
 * fast-check generators of random valid (policies, request) cases for the differential test.
 * The pools are small on purpose: random strings almost never match each other, so cases are
 * built from a shared vocabulary where matches, near misses and wildcards collide often.
 */
import fc from 'fast-check';

export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Doc = { Version: string; Statement: Json[] };

export interface TargetShape {
  action: string;
  resource: string;
  /** account of the resource, when the ARN has none (S3) */
  account: string;
}

export interface DiffCase {
  principalArn: string;
  target: TargetShape;
  context: Record<string, string | string[]>;
  identity: Doc[];
  boundary: Doc | null;
  session: Doc | null;
  resource: Doc | null;
  scps: Doc[][];
  rcps: Doc[][];
}

const PRINCIPALS = [
  `arn:aws:iam::${ACCOUNT_A}:user/alice`,
  `arn:aws:iam::${ACCOUNT_A}:user/bob`,
  `arn:aws:sts::${ACCOUNT_A}:assumed-role/dev/sess1`,
  `arn:aws:iam::${ACCOUNT_B}:user/carol`,
];

const TARGETS: TargetShape[] = [
  { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket-a/key1', account: ACCOUNT_A },
  { action: 's3:PutObject', resource: 'arn:aws:s3:::bucket-a/alice', account: ACCOUNT_A },
  { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket-b/key1', account: ACCOUNT_B },
  { action: 's3:ListBucket', resource: 'arn:aws:s3:::bucket-a', account: ACCOUNT_A },
  { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT_A}:queue1`, account: ACCOUNT_A },
  { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT_B}:queue1`, account: ACCOUNT_B },
  {
    action: 'dynamodb:GetItem',
    resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT_A}:table/t1`,
    account: ACCOUNT_A,
  },
];

const ACTION_PATTERNS = [
  '*',
  's3:*',
  's3:GetObject',
  's3:getobject',
  'S3:GETOBJECT',
  's3:Get*',
  's3:?etObject',
  's3:PutObject',
  's3:List*',
  's3:*Object',
  'sqs:*',
  'sqs:SendMessage',
  'sqs:Send*',
  'dynamodb:GetItem',
  'dynamodb:*',
  'ec2:*',
];

const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::bucket-a/key1',
  'arn:aws:s3:::bucket-a/*',
  'arn:aws:s3:::bucket-?/*',
  'arn:aws:s3:::bucket-a',
  'arn:aws:s3:::bucket-*',
  'arn:aws:s3:::*',
  'arn:aws:s3:::Bucket-a/*',
  'arn:aws:s3:::bucket-b/*',
  'arn:aws:s3:::bucket-a/${aws:username}',
  'arn:aws:s3:::bucket-a/${aws:PrincipalTag/team}',
  'arn:aws:s3:::bucket-a/key${?}',
  "arn:aws:s3:::bucket-a/${aws:username, 'key1'}",
  `arn:aws:sqs:us-east-1:${ACCOUNT_A}:queue1`,
  'arn:aws:sqs:*:*:queue?',
  `arn:aws:sqs:us-east-1:${ACCOUNT_B}:*`,
  `arn:aws:dynamodb:us-east-1:${ACCOUNT_A}:table/*`,
  'arn:aws:dynamodb:*:*:table/t1',
  'arn:aws:*',
  'arn:*:s3:::bucket-a/*',
];

/** condition keys with the values the context and the policies draw from */
const KEYS: Record<
  string,
  { values: string[]; kind: 'string' | 'bool' | 'date' | 'ip' | 'arn' | 'multi' | 'number' }
> = {
  'aws:username': { values: ['alice', 'bob', 'Alice', 'al*'], kind: 'string' },
  'aws:PrincipalTag/team': { values: ['red', 'blue', 'RED', 'r?d'], kind: 'string' },
  'aws:RequestedRegion': { values: ['us-east-1', 'eu-west-1', 'us-*'], kind: 'string' },
  'aws:MultiFactorAuthPresent': { values: ['true', 'false'], kind: 'bool' },
  'aws:SecureTransport': { values: ['true', 'false'], kind: 'bool' },
  'aws:CurrentTime': {
    values: ['2020-01-01T00:00:00Z', '2030-06-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    kind: 'date',
  },
  'aws:SourceIp': {
    values: ['10.0.0.5/32', '192.168.1.10/32', '10.0.0.0/8', '203.0.113.0/24', '2001:db8::/32'],
    kind: 'ip',
  },
  'aws:PrincipalArn': {
    values: [
      `arn:aws:iam::${ACCOUNT_A}:user/alice`,
      `arn:aws:iam::${ACCOUNT_A}:role/dev`,
      `arn:aws:iam::*:user/*`,
    ],
    kind: 'arn',
  },
  'aws:PrincipalAccount': { values: [ACCOUNT_A, ACCOUNT_B], kind: 'string' },
  'aws:TagKeys': { values: ['env', 'team', 'owner', 'Env'], kind: 'multi' },
  'aws:MultiFactorAuthAge': { values: ['100', '3600', '7200'], kind: 'number' },
};

const OPERATORS: Record<string, string[]> = {
  string: [
    'StringEquals',
    'StringNotEquals',
    'StringEqualsIgnoreCase',
    'StringNotEqualsIgnoreCase',
    'StringLike',
    'StringNotLike',
  ],
  bool: ['Bool'],
  date: [
    'DateEquals',
    'DateNotEquals',
    'DateLessThan',
    'DateGreaterThan',
    'DateLessThanEquals',
    'DateGreaterThanEquals',
  ],
  ip: ['IpAddress', 'NotIpAddress'],
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'StringEquals', 'StringLike'],
  multi: [
    'ForAllValues:StringEquals',
    'ForAnyValue:StringEquals',
    'ForAllValues:StringLike',
    'ForAnyValue:StringNotEquals',
    'ForAllValues:StringNotEquals',
    'ForAnyValue:StringEqualsIgnoreCase',
  ],
  number: [
    'NumericEquals',
    'NumericLessThan',
    'NumericGreaterThan',
    'NumericNotEquals',
    'NumericLessThanEquals',
  ],
};

const keyArb = fc.constantFrom(...Object.keys(KEYS));

const conditionArb: fc.Arbitrary<Json> = fc
  .array(
    keyArb.chain((key) => {
      const spec = KEYS[key]!;
      const ops = OPERATORS[spec.kind]!;
      return fc.record({
        key: fc.constant(key),
        op: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...ops) },
          { weight: 1, arbitrary: fc.constantFrom(...ops.map((o) => `${o}IfExists`)) },
          { weight: 1, arbitrary: fc.constant('Null') },
        ),
        values: fc.array(
          fc.constantFrom(...spec.values, ...(spec.kind === 'string' ? ['${aws:username}'] : [])),
          {
            minLength: 1,
            maxLength: 2,
          },
        ),
        nullValue: fc.constantFrom('true', 'false'),
      });
    }),
    { minLength: 1, maxLength: 2 },
  )
  .map((tests) => {
    const block: Record<string, Record<string, Json>> = {};
    for (const t of tests) {
      const values = t.op === 'Null' ? [t.nullValue] : t.values;
      block[t.op] ??= {};
      block[t.op]![t.key] = values.length === 1 ? values[0]! : values;
    }
    return block as Json;
  });

const listOf = (pool: string[]) =>
  fc.oneof(
    fc.constantFrom(...pool),
    fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }),
  );

interface StatementOpts {
  principal: boolean;
  rcp?: boolean;
  effect?: fc.Arbitrary<'Allow' | 'Deny'>;
  /** the request's target: half the patterns are drawn from ones that match it */
  target: TargetShape;
}

function matchingActions(t: TargetShape): string[] {
  const [service = '', name = ''] = t.action.split(':');
  return ['*', `${service}:*`, t.action, t.action.toLowerCase(), `${service}:${name.slice(0, 3)}*`];
}

function matchingResources(t: TargetShape): string[] {
  return ['*', t.resource, `${t.resource.slice(0, -1)}?`, `${t.resource.slice(0, -2)}*`];
}

const PRINCIPAL_ENTRIES = [
  '*',
  ACCOUNT_A,
  ACCOUNT_B,
  `arn:aws:iam::${ACCOUNT_A}:root`,
  `arn:aws:iam::${ACCOUNT_A}:user/alice`,
  `arn:aws:iam::${ACCOUNT_A}:user/bob`,
  `arn:aws:iam::${ACCOUNT_A}:role/dev`,
  `arn:aws:sts::${ACCOUNT_A}:assumed-role/dev/sess1`,
  `arn:aws:iam::${ACCOUNT_B}:user/carol`,
];

const principalArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('*') },
  { weight: 6, arbitrary: listOf(PRINCIPAL_ENTRIES).map((aws) => ({ AWS: aws }) as Json) },
);

function statementArb(opts: StatementOpts): fc.Arbitrary<Json> {
  return fc
    .record({
      effect: opts.effect ?? fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Allow', 'Allow', 'Deny'),
      notAction: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
      actions: fc.oneof(listOf(ACTION_PATTERNS), listOf(matchingActions(opts.target))),
      notResource: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      resources: fc.oneof(listOf(RESOURCE_PATTERNS), listOf(matchingResources(opts.target))),
      principal: principalArb,
      notPrincipal: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
      condition: fc.option(conditionArb, { freq: 4 }),
      sid: fc.option(fc.constantFrom('A', 'B', 'C'), { freq: 2 }),
    })
    .map((r) => {
      const st: Record<string, Json> = { Effect: r.effect };
      if (r.sid) st.Sid = r.sid;
      // RCPs accept neither NotAction nor a bare "*" action (AWS Organizations: RCP syntax)
      if (opts.rcp) st.Action = [r.actions].flat().map((a) => (a === '*' ? 's3:*' : a));
      else if (r.notAction) st.NotAction = r.actions;
      else st.Action = r.actions;
      if (r.notResource) st.NotResource = r.resources;
      else st.Resource = r.resources;
      if (opts.rcp) st.Principal = '*';
      else if (opts.principal) {
        if (r.notPrincipal && typeof r.principal === 'object') st.NotPrincipal = r.principal;
        else st.Principal = r.principal;
      }
      if (r.condition) st.Condition = r.condition;
      return st as Json;
    });
}

function docArb(opts: StatementOpts, max = 3): fc.Arbitrary<Doc> {
  return fc
    .array(statementArb(opts), { minLength: 1, maxLength: max })
    .map((Statement) => ({ Version: '2012-10-17', Statement }));
}

const FULL_ACCESS: Json = { Effect: 'Allow', Action: '*', Resource: '*' };

/** SCP levels and boundaries usually carry an allow-everything statement, as real ones do. */
function guardrailDocArb(opts: StatementOpts, max: number): fc.Arbitrary<Doc> {
  return fc
    .tuple(fc.integer({ min: 0, max: 9 }), docArb(opts, max))
    .map(([n, d]) =>
      n < 6 ? { ...d, Statement: [FULL_ACCESS, ...d.Statement.filter((_, i) => i > 0 || n < 3)] } : d,
    );
}

const contextArb = (principalArn: string): fc.Arbitrary<Record<string, string | string[]>> =>
  fc
    .subarray(Object.keys(KEYS), { minLength: 0 })
    .chain((keys) =>
      fc.tuple(
        ...keys.map((k) => {
          const spec = KEYS[k]!;
          const concrete = spec.values.filter(
            (v) => !v.includes('*') && !v.includes('?') && !v.includes('/'),
          );
          if (k === 'aws:PrincipalArn') return fc.constant(principalArn).map((v) => [k, v] as const);
          if (k === 'aws:SourceIp')
            return fc
              .constantFrom('10.0.0.5', '192.168.1.10', '203.0.113.9', '2001:db8::1')
              .map((v) => [k, v] as const);
          if (spec.kind === 'multi')
            return fc
              .uniqueArray(fc.constantFrom(...spec.values), { maxLength: 3 })
              .map((v) => [k, v] as const);
          return fc
            .constantFrom(...(concrete.length > 0 ? concrete : spec.values))
            .map((v) => [k, v] as const);
        }),
      ),
    )
    .map((pairs) => Object.fromEntries(pairs) as Record<string, string | string[]>);

export const diffCaseArb: fc.Arbitrary<DiffCase> = fc
  .record({
    principalArn: fc.constantFrom(...PRINCIPALS),
    target: fc.constantFrom(...TARGETS),
  })
  .chain(({ principalArn, target }) =>
    fc.record({
      principalArn: fc.constant(principalArn),
      target: fc.constant(target),
      context: contextArb(principalArn),
      identity: fc.array(docArb({ principal: false, target }), { minLength: 0, maxLength: 3 }),
      boundary: fc.option(guardrailDocArb({ principal: false, target }, 2), { freq: 3, nil: null }),
      session: principalArn.includes(':assumed-role/')
        ? fc.option(guardrailDocArb({ principal: false, target }, 2), { freq: 4, nil: null })
        : fc.constant(null),
      resource: fc.option(docArb({ principal: true, target }), { freq: 2, nil: null }),
      scps: fc.oneof(
        fc.constant([] as Doc[][]),
        fc.array(fc.array(guardrailDocArb({ principal: false, target }, 2), { minLength: 1, maxLength: 2 }), {
          minLength: 1,
          maxLength: 3,
        }),
      ),
      rcps: fc.oneof(
        { weight: 3, arbitrary: fc.constant([] as Doc[][]) },
        {
          weight: 1,
          arbitrary: fc.array(
            fc.array(docArb({ principal: true, rcp: true, effect: fc.constant('Deny'), target }, 2), {
              minLength: 1,
              maxLength: 1,
            }),
            { minLength: 1, maxLength: 2 },
          ),
        },
      ),
    }),
  );
