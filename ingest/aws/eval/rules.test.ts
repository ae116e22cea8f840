// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (${aws:username}) are plain strings
/**
 * One hand-written case per rule of AWS policy evaluation (the differential test covers the
 * combinations). Each `it` names the rule and, where useful, the AWS documentation page.
 */
import { describe, expect, it } from 'vitest';
import { makeContext } from './context.js';
import { decide, type EvaluationInput, type NamedPolicy } from './decide.js';
import { type PolicyKind, parsePolicy } from './policy.js';
import { principalFromArn, type RequestPrincipal } from './principal.js';

const A = '111111111111';
const B = '222222222222';
const ALICE = `arn:aws:iam::${A}:user/alice`;
const SESSION = `arn:aws:sts::${A}:assumed-role/dev/s1`;
const ROLE = `arn:aws:iam::${A}:role/dev`;
const OBJ = 'arn:aws:s3:::bucket/key';

type St = Record<string, unknown>;
const pol = (kind: PolicyKind, ...Statement: St[]): NamedPolicy => ({
  id: `${kind}-${Math.random().toString(36).slice(2, 7)}`,
  name: kind,
  policy: parsePolicy({ Version: '2012-10-17', Statement }, kind),
});
const allow = (extra: St = {}): St => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra });
const deny = (extra: St = {}): St => ({ Effect: 'Deny', Action: 's3:GetObject', Resource: '*', ...extra });

interface Req {
  principal?: RequestPrincipal | string;
  action?: string;
  resource?: string;
  account?: string;
  context?: Record<string, string | string[]>;
  unknownContext?: boolean;
}
function run(req: Req, rest: Omit<EvaluationInput, 'request'> = {}) {
  const p = req.principal ?? ALICE;
  return decide({
    request: {
      principal: typeof p === 'string' ? principalFromArn(p) : p,
      action: req.action ?? 's3:GetObject',
      resource: req.resource ?? OBJ,
      resourceAccountId: req.account ?? A,
      context: makeContext(req.context ?? {}, { missing: req.unknownContext ? 'unknown' : 'absent' }),
    },
    ...rest,
  });
}
const outcome = (req: Req, rest: Omit<EvaluationInput, 'request'> = {}) => run(req, rest).decision;

describe('policy documents', () => {
  it('accepts a JSON object, JSON text and URL-encoded JSON text', () => {
    const doc = { Version: '2012-10-17', Statement: [allow()] };
    const text = JSON.stringify(doc);
    for (const d of [doc, text, encodeURIComponent(text)]) {
      expect(parsePolicy(d, 'identity').statements).toHaveLength(1);
    }
  });
  it('accepts Statement as a single object', () => {
    expect(parsePolicy({ Version: '2012-10-17', Statement: allow() }, 'identity').statements).toHaveLength(1);
  });
  it('names the JSON path of an invalid element', () => {
    const bad = (doc: unknown, kind: PolicyKind = 'identity') => {
      try {
        parsePolicy(doc, kind, '$.Doc');
      } catch (e) {
        return (e as { jsonPath: string }).jsonPath;
      }
      return null;
    };
    expect(bad({ Statement: [allow(), { Action: 's3:*', Resource: '*' }] })).toBe(
      '$.Doc.Statement[1].Effect',
    );
    expect(bad({ Statement: [allow({ NotAction: 's3:*' })] })).toBe('$.Doc.Statement[0].NotAction');
    expect(bad({ Statement: [allow({ Condition: { StringEqualz: { k: 'v' } } })] })).toBe(
      '$.Doc.Statement[0].Condition.StringEqualz',
    );
    expect(bad({ Statement: [allow({ Principal: '*' })] })).toBe('$.Doc.Statement[0].Principal');
    expect(bad({ Statement: [allow()] }, 'resource')).toBe('$.Doc.Statement[0]');
    expect(bad({ Statement: [allow({ Action: ['s3:GetObject', 7] })] })).toBe('$.Doc.Statement[0].Action[1]');
    expect(bad('%7Bnot json')).toBe('$.Doc');
  });
  it('reads set qualifiers and IfExists from operator names', () => {
    const p = parsePolicy(
      { Statement: allow({ Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['a*'] } } }) },
      'identity',
    );
    expect(p.statements[0]?.conditions[0]).toMatchObject({
      base: 'StringLike',
      setQualifier: 'ForAnyValue',
      ifExists: true,
    });
  });
});

describe('matching', () => {
  const idp = (st: St) => ({ identityPolicies: [pol('identity', st)] });
  it('actions match case-insensitively, with * and ?', () => {
    expect(outcome({}, idp(allow({ Action: 'S3:getobject' })))).toBe('Allowed');
    expect(outcome({}, idp(allow({ Action: 's3:?etObj*' })))).toBe('Allowed');
    expect(outcome({}, idp(allow({ Action: 's3:Put*' })))).toBe('ImplicitDeny');
  });
  it('resources match case-sensitively, with * and ?', () => {
    expect(outcome({}, idp(allow({ Resource: 'arn:aws:s3:::buck?t/*' })))).toBe('Allowed');
    expect(outcome({}, idp(allow({ Resource: 'arn:aws:s3:::Bucket/*' })))).toBe('ImplicitDeny');
  });
  it('a trailing * in an ARN segment reaches across colons', () => {
    expect(outcome({}, idp(allow({ Resource: 'arn:aws:*' })))).toBe('Allowed');
  });
  it('NotAction and NotResource apply to everything not listed', () => {
    expect(outcome({}, idp(allow({ Action: undefined, NotAction: 'iam:*' })))).toBe('Allowed');
    expect(outcome({}, idp(allow({ Action: undefined, NotAction: 's3:Get*' })))).toBe('ImplicitDeny');
    expect(outcome({}, idp(allow({ Resource: undefined, NotResource: 'arn:aws:s3:::other/*' })))).toBe(
      'Allowed',
    );
    expect(outcome({}, idp(allow({ Resource: undefined, NotResource: 'arn:aws:s3:::bucket/*' })))).toBe(
      'ImplicitDeny',
    );
  });
});

describe('policy variables', () => {
  const idp = (st: St) => ({ identityPolicies: [pol('identity', st)] });
  it('substitutes ${aws:username} and ${aws:PrincipalTag/…}', () => {
    const res = { resource: 'arn:aws:s3:::bucket/alice/x' };
    expect(
      outcome(
        { ...res, context: { 'aws:username': 'alice' } },
        idp(allow({ Resource: 'arn:aws:s3:::bucket/${aws:username}/*' })),
      ),
    ).toBe('Allowed');
    expect(
      outcome(
        { ...res, context: { 'aws:username': 'bob' } },
        idp(allow({ Resource: 'arn:aws:s3:::bucket/${aws:username}/*' })),
      ),
    ).toBe('ImplicitDeny');
    expect(
      outcome(
        { ...res, context: { 'aws:PrincipalTag/home': 'alice' } },
        idp(allow({ Resource: 'arn:aws:s3:::bucket/${aws:PrincipalTag/home}/*' })),
      ),
    ).toBe('Allowed');
  });
  it('a variable without a value matches nothing unless it has a default', () => {
    expect(outcome({}, idp(allow({ Resource: 'arn:aws:s3:::bucket/${aws:username}' })))).toBe('ImplicitDeny');
    expect(outcome({}, idp(allow({ Resource: "arn:aws:s3:::bucket/${aws:username, 'key'}" })))).toBe(
      'Allowed',
    );
  });
  it('${*}, ${?} and ${$} are literal characters, never wildcards', () => {
    expect(
      outcome({ resource: 'arn:aws:s3:::bucket/k*' }, idp(allow({ Resource: 'arn:aws:s3:::bucket/k${*}' }))),
    ).toBe('Allowed');
    expect(
      outcome({ resource: 'arn:aws:s3:::bucket/kx' }, idp(allow({ Resource: 'arn:aws:s3:::bucket/k${*}' }))),
    ).toBe('ImplicitDeny');
    expect(
      outcome({ resource: 'arn:aws:s3:::bucket/k$' }, idp(allow({ Resource: 'arn:aws:s3:::bucket/k${$}' }))),
    ).toBe('Allowed');
    expect(
      outcome({ resource: 'arn:aws:s3:::bucket/k?' }, idp(allow({ Resource: 'arn:aws:s3:::bucket/k${?}' }))),
    ).toBe('Allowed');
  });
  it('variables in condition values', () => {
    const st = allow({ Condition: { StringEquals: { 's3:prefix': '${aws:username}/' } } });
    expect(outcome({ context: { 'aws:username': 'alice', 's3:prefix': 'alice/' } }, idp(st))).toBe('Allowed');
    expect(outcome({ context: { 'aws:username': 'bob', 's3:prefix': 'alice/' } }, idp(st))).toBe(
      'ImplicitDeny',
    );
  });
});

describe('condition operators', () => {
  const check = (cond: St, context: Record<string, string | string[]>) =>
    outcome({ context }, { identityPolicies: [pol('identity', allow({ Condition: cond }))] }) === 'Allowed';
  it('String*', () => {
    expect(
      check(
        { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } },
        { 'aws:RequestedRegion': 'us-east-1' },
      ),
    ).toBe(true);
    expect(
      check(
        { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } },
        { 'aws:RequestedRegion': 'us-east-1' },
      ),
    ).toBe(false);
    expect(
      check(
        { StringEqualsIgnoreCase: { 'aws:RequestedRegion': 'US-EAST-1' } },
        { 'aws:RequestedRegion': 'us-east-1' },
      ),
    ).toBe(true);
    expect(
      check({ StringLike: { 'aws:RequestedRegion': 'us-*' } }, { 'aws:RequestedRegion': 'us-east-1' }),
    ).toBe(true);
    expect(
      check({ StringNotLike: { 'aws:RequestedRegion': 'us-*' } }, { 'aws:RequestedRegion': 'us-east-1' }),
    ).toBe(false);
  });
  it('condition keys are case-insensitive', () => {
    expect(
      check({ StringEquals: { 'AWS:REQUESTEDREGION': 'us-east-1' } }, { 'aws:RequestedRegion': 'us-east-1' }),
    ).toBe(true);
  });
  it('Numeric*, Date*, Bool, Binary', () => {
    expect(
      check({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': '100' }),
    ).toBe(true);
    expect(
      check(
        { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '3600' } },
        { 'aws:MultiFactorAuthAge': '100' },
      ),
    ).toBe(false);
    expect(
      check(
        { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
        { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
      ),
    ).toBe(true);
    expect(
      check({ DateGreaterThan: { 'aws:EpochTime': '1700000000' } }, { 'aws:EpochTime': '1800000000' }),
    ).toBe(true);
    expect(check({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'true' })).toBe(true);
    expect(check({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'false' })).toBe(false);
    expect(check({ BinaryEquals: { 'k:bin': 'QmluYXJ5' } }, { 'k:bin': 'QmluYXJ5' })).toBe(true);
  });
  it('IpAddress / NotIpAddress, IPv4 and IPv6', () => {
    expect(check({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '10.1.2.3' })).toBe(true);
    expect(check({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '11.1.2.3' })).toBe(
      false,
    );
    expect(check({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '11.1.2.3' })).toBe(
      true,
    );
    expect(
      check({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db8:0:0::7' }),
    ).toBe(true);
    expect(check({ IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, { 'aws:SourceIp': '203.0.113.7' })).toBe(
      true,
    );
  });
  it('Arn* compare each ARN component', () => {
    const ctx = { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/dev` };
    expect(check({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }, ctx)).toBe(true);
    expect(check({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/dev` } }, ctx)).toBe(true);
    expect(check({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } }, ctx)).toBe(true);
    expect(check({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } }, ctx)).toBe(false);
  });
  it('a missing key: positive false, negated true, IfExists true, Null true', () => {
    expect(check({ StringEquals: { 'aws:PrincipalOrgID': 'o-1' } }, {})).toBe(false);
    expect(check({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-1' } }, {})).toBe(true);
    expect(check({ StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1' } }, {})).toBe(true);
    expect(check({ Null: { 'aws:PrincipalOrgID': 'true' } }, {})).toBe(true);
    expect(check({ Null: { 'aws:PrincipalOrgID': 'false' } }, {})).toBe(false);
  });
  it('ForAllValues / ForAnyValue over multivalued keys', () => {
    const tags = { 'aws:TagKeys': ['env', 'team'] };
    expect(check({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team', 'x'] } }, tags)).toBe(true);
    expect(check({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, tags)).toBe(false);
    expect(check({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, tags)).toBe(true);
    expect(check({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, {})).toBe(true);
    expect(check({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, {})).toBe(false);
    expect(check({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': ['env'] } }, {})).toBe(false);
  });
  it('all operators and keys of a block must hold; any value of a key may', () => {
    const cond = {
      StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'], 'aws:username': 'alice' },
      Bool: { 'aws:SecureTransport': 'true' },
    };
    expect(
      check(cond, {
        'aws:RequestedRegion': 'eu-west-1',
        'aws:username': 'alice',
        'aws:SecureTransport': 'true',
      }),
    ).toBe(true);
    expect(
      check(cond, {
        'aws:RequestedRegion': 'eu-west-1',
        'aws:username': 'bob',
        'aws:SecureTransport': 'true',
      }),
    ).toBe(false);
  });
});

describe('decision logic', () => {
  const id = (...s: St[]) => [pol('identity', ...s)];
  it('no policy: implicit deny', () => {
    expect(run({}).decision).toBe('ImplicitDeny');
  });
  it('an explicit deny anywhere wins over any allow', () => {
    const d = run({}, { identityPolicies: [pol('identity', allow(), deny({ Sid: 'NoGet' }))] });
    expect(d.decision).toBe('ExplicitDeny');
    expect(d.decisive.map((s) => s.statement)).toEqual(['NoGet']);
    expect(
      outcome(
        {},
        { identityPolicies: id(allow()), resourcePolicy: pol('resource', deny({ Principal: '*' })) },
      ),
    ).toBe('ExplicitDeny');
  });
  it('SCPs: every level from root to account must allow', () => {
    const full = pol('scp', { Effect: 'Allow', Action: '*', Resource: '*' });
    const ec2Only = pol('scp', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    const levels = (...p: NamedPolicy[][]) => p.map((policies, i) => ({ id: `L${i}`, policies }));
    expect(outcome({}, { identityPolicies: id(allow()), scpLevels: levels([full], [full]) })).toBe('Allowed');
    const d = run({}, { identityPolicies: id(allow()), scpLevels: levels([full], [ec2Only]) });
    expect(d.decision).toBe('ImplicitDeny');
    expect(d.missing).toContain('scp');
  });
  it('SCPs do not apply to the management account or to service-linked roles', () => {
    const scpLevels = [{ id: 'r', policies: [pol('scp', { Effect: 'Deny', Action: '*', Resource: '*' })] }];
    expect(outcome({}, { identityPolicies: id(allow()), scpLevels })).toBe('ExplicitDeny');
    expect(outcome({}, { identityPolicies: id(allow()), scpLevels, managementAccountId: A })).toBe('Allowed');
    const slr = principalFromArn(
      `arn:aws:iam::${A}:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX`,
    );
    expect(outcome({ principal: slr }, { identityPolicies: id(allow()), scpLevels })).toBe('Allowed');
  });
  it('RCPs restrict access to resources of member accounts, whoever asks', () => {
    const rcpLevels = [{ id: 'r', policies: [pol('rcp', deny({ Principal: '*', Action: 's3:*' }))] }];
    const rp = pol('resource', allow({ Principal: { AWS: `arn:aws:iam::${B}:user/carol` } }));
    const carol = `arn:aws:iam::${B}:user/carol`;
    expect(outcome({ principal: carol }, { identityPolicies: id(allow()), resourcePolicy: rp })).toBe(
      'Allowed',
    );
    expect(
      outcome({ principal: carol }, { identityPolicies: id(allow()), resourcePolicy: rp, rcpLevels }),
    ).toBe('ExplicitDeny');
    expect(
      outcome(
        { principal: carol },
        { identityPolicies: id(allow()), resourcePolicy: rp, rcpLevels, managementAccountId: A },
      ),
    ).toBe('Allowed');
    expect(
      outcome(
        { principal: carol },
        { identityPolicies: id(allow()), resourcePolicy: rp, rcpLevels, rcpServices: new Set(['sqs']) },
      ),
    ).toBe('Allowed');
  });
  it('same account: a resource policy naming the user allows without any identity policy', () => {
    expect(outcome({}, { resourcePolicy: pol('resource', allow({ Principal: { AWS: ALICE } })) })).toBe(
      'Allowed',
    );
  });
  it('same account: a resource policy naming the account needs an identity-policy allow too', () => {
    const rp = pol('resource', allow({ Principal: { AWS: A } }));
    expect(outcome({}, { resourcePolicy: rp })).toBe('ImplicitDeny');
    expect(outcome({}, { resourcePolicy: rp, identityPolicies: id(allow()) })).toBe('Allowed');
  });
  it('cross-account: both the identity policy and the resource policy must allow', () => {
    const carol = `arn:aws:iam::${B}:user/carol`;
    const rp = pol('resource', allow({ Principal: { AWS: B } }));
    expect(outcome({ principal: carol }, { resourcePolicy: rp })).toBe('ImplicitDeny');
    expect(outcome({ principal: carol }, { identityPolicies: id(allow()) })).toBe('ImplicitDeny');
    expect(outcome({ principal: carol }, { identityPolicies: id(allow()), resourcePolicy: rp })).toBe(
      'Allowed',
    );
  });
  it('permission boundary: identity allows only what the boundary also allows', () => {
    const pb = pol('boundary', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    expect(outcome({}, { identityPolicies: id(allow()), permissionBoundary: pb })).toBe('ImplicitDeny');
    const pb2 = pol('boundary', { Effect: 'Allow', Action: 's3:*', Resource: '*' });
    expect(outcome({}, { identityPolicies: id(allow()), permissionBoundary: pb2 })).toBe('Allowed');
  });
  it('boundary exceptions: a grant to the user ARN or session ARN is not limited; to the role ARN it is', () => {
    const pb = pol('boundary', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    expect(
      outcome(
        {},
        { permissionBoundary: pb, resourcePolicy: pol('resource', allow({ Principal: { AWS: ALICE } })) },
      ),
    ).toBe('Allowed');
    expect(
      outcome(
        { principal: SESSION },
        { permissionBoundary: pb, resourcePolicy: pol('resource', allow({ Principal: { AWS: SESSION } })) },
      ),
    ).toBe('Allowed');
    expect(
      outcome(
        { principal: SESSION },
        { permissionBoundary: pb, resourcePolicy: pol('resource', allow({ Principal: { AWS: ROLE } })) },
      ),
    ).toBe('ImplicitDeny');
    expect(
      outcome(
        { principal: SESSION },
        { resourcePolicy: pol('resource', allow({ Principal: { AWS: ROLE } })) },
      ),
    ).toBe('Allowed');
  });
  it('a Deny with NotPrincipal always denies a principal that has a boundary', () => {
    const rp = pol('resource', allow({ Principal: { AWS: ALICE } }), deny({ NotPrincipal: { AWS: ALICE } }));
    expect(outcome({}, { resourcePolicy: rp })).toBe('Allowed');
    const pb = pol('boundary', { Effect: 'Allow', Action: '*', Resource: '*' });
    expect(outcome({}, { resourcePolicy: rp, permissionBoundary: pb })).toBe('ExplicitDeny');
  });
  it('session policies limit a role session; a grant to the session ARN is not limited', () => {
    const sp = pol('session', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    expect(outcome({ principal: SESSION }, { identityPolicies: id(allow()), sessionPolicy: sp })).toBe(
      'ImplicitDeny',
    );
    expect(outcome({ principal: SESSION }, { identityPolicies: id(allow()) })).toBe('Allowed');
    expect(
      outcome(
        { principal: SESSION },
        { sessionPolicy: sp, resourcePolicy: pol('resource', allow({ Principal: { AWS: SESSION } })) },
      ),
    ).toBe('Allowed');
  });
  it('trust and KMS key policies must allow: an identity policy alone is not enough', () => {
    expect(outcome({}, { identityPolicies: id(allow()), resourcePolicyRequired: true })).toBe('ImplicitDeny');
    const rp = pol('resource', allow({ Principal: { AWS: `arn:aws:iam::${A}:root` } }));
    expect(
      outcome({}, { identityPolicies: id(allow()), resourcePolicy: rp, resourcePolicyRequired: true }),
    ).toBe('Allowed');
  });
  it('the account root user has full access in its account, but not past SCPs', () => {
    const root = `arn:aws:iam::${A}:root`;
    expect(outcome({ principal: root })).toBe('Allowed');
    const scpLevels = [
      { id: 'r', policies: [pol('scp', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' })] },
    ];
    expect(outcome({ principal: root }, { scpLevels })).toBe('ImplicitDeny');
  });
  it('anonymous callers reach only what Principal "*" grants', () => {
    const anon: RequestPrincipal = { type: 'anonymous', arn: '*', accountId: null };
    expect(outcome({ principal: anon }, { resourcePolicy: pol('resource', allow({ Principal: '*' })) })).toBe(
      'Allowed',
    );
    expect(
      outcome({ principal: anon }, { resourcePolicy: pol('resource', allow({ Principal: { AWS: A } })) }),
    ).toBe('ImplicitDeny');
  });
  it('service principals are matched by name', () => {
    const svc: RequestPrincipal = { type: 'service', arn: 'cloudtrail.amazonaws.com', accountId: null };
    const rp = pol('resource', allow({ Principal: { Service: 'cloudtrail.amazonaws.com' } }));
    expect(outcome({ principal: svc }, { resourcePolicy: rp })).toBe('Allowed');
  });
});

describe('undecided conditions (static evaluation)', () => {
  it('an allow guarded by an unknown key is a conditional allow that names the condition', () => {
    const d = run(
      { unknownContext: true },
      {
        identityPolicies: [
          pol('identity', allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })),
        ],
      },
    );
    expect(d).toMatchObject({ decision: 'Allowed', conditional: true });
    expect(d.decisive[0]?.undecided[0]).toMatchObject({ operator: 'IpAddress', key: 'aws:SourceIp' });
  });
  it('a deny guarded by an unknown key makes an allow conditional', () => {
    const d = run(
      { unknownContext: true },
      {
        identityPolicies: [
          pol(
            'identity',
            allow(),
            deny({ Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }),
          ),
        ],
      },
    );
    expect(d).toMatchObject({ decision: 'Allowed', conditional: true });
    expect(d.undecidedDenies).toHaveLength(1);
  });
  it('an undecided condition does not matter when another layer denies anyway', () => {
    const d = run(
      { unknownContext: true },
      {
        identityPolicies: [
          pol('identity', allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })),
        ],
        permissionBoundary: pol('boundary', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' }),
      },
    );
    expect(d).toMatchObject({ decision: 'ImplicitDeny', conditional: false });
  });
  it('known keys stay decided when others are unknown', () => {
    const d = run(
      { unknownContext: true, context: { 'aws:username': 'alice' } },
      {
        identityPolicies: [
          pol('identity', allow({ Condition: { StringEquals: { 'aws:username': 'bob' } } })),
        ],
      },
    );
    expect(d).toMatchObject({ decision: 'ImplicitDeny', conditional: false });
  });
  it('a resource variable on an unknown key is undecided', () => {
    const d = run(
      { unknownContext: true, resource: 'arn:aws:s3:::bucket/red/x' },
      {
        identityPolicies: [
          pol('identity', allow({ Resource: 'arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*' })),
        ],
      },
    );
    expect(d).toMatchObject({ decision: 'Allowed', conditional: true });
  });
});
