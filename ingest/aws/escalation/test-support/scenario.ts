/**
 * One small account per (technique, variant): an `attacker` holding exactly the permissions a
 * technique needs, the principal or resource it would gain, and — for the blocked variants —
 * the one thing that stops it (an explicit deny, a boundary, an SCP, a missing second
 * permission, a trust policy for another service, an iam:PassedToService or iam:PolicyARN
 * condition). Positive and negative cases differ in that one thing only.
 */
import type { Technique } from '../techniques.js';
import { A, type AccountSpec, ADMIN_POLICY, arn, type EnvSpec, type Stmt } from './build.js';

export const VARIANTS = [
  'deny',
  'boundary',
  'scp',
  'missing-permission',
  'trust',
  'passed-to-service',
  'policy-arn-condition',
  'weaker-version',
] as const;
export type Variant = 'allowed' | (typeof VARIANTS)[number];

export interface Scenario {
  spec: AccountSpec;
  env?: EnvSpec;
  from: string;
  to: string;
}

const ADMIN_NODE = `aws:account-admin:${A}`;
const OTHER_SERVICE = 'some-other-service.amazonaws.com';

const RESOURCE_ARNS: Record<string, string> = {
  'lambda:function': `arn:aws:lambda:us-east-1:${A}:function:victim-fn`,
  'ec2:instance': `arn:aws:ec2:us-east-1:${A}:instance/i-0123456789abcdef0`,
  'ec2:launch-template': `arn:aws:ec2:us-east-1:${A}:launch-template/lt-0123456789abcdef0`,
  'cloudformation:stack': `arn:aws:cloudformation:us-east-1:${A}:stack/victim/1b2c3d4e`,
  'glue:devendpoint': `arn:aws:glue:us-east-1:${A}:devEndpoint/victim`,
  'sagemaker:notebook-instance': `arn:aws:sagemaker:us-east-1:${A}:notebook-instance/victim`,
  'codebuild:project': `arn:aws:codebuild:us-east-1:${A}:project/victim`,
  'apprunner:service': `arn:aws:apprunner:us-east-1:${A}:service/victim/0123456789abcdef`,
  'bedrock-agentcore:code-interpreter': `arn:aws:bedrock-agentcore:us-east-1:${A}:code-interpreter-custom/victim-abc`,
};

const actionOf = (t: Technique, i: number) => {
  const st = t.steps[i];
  return st ? (st.operand.on === 'pass' ? 'iam:PassRole' : st.action) : undefined;
};
export const keyAction = (t: Technique) => actionOf(t, 0) ?? '';

/** The permission a `missing-permission` variant drops, when the technique needs more than one. */
export function secondPermission(t: Technique): string | null {
  const key = keyAction(t);
  const second = actionOf(t, 1);
  if (second && second !== key) return second;
  if (t.become === 'assume') return 'sts:AssumeRole';
  if (t.become === 'trust-update' && key !== 'iam:UpdateAssumeRolePolicy')
    return 'iam:UpdateAssumeRolePolicy';
  return null;
}

const isAttach = (a: string) => /^iam:Attach(User|Role|Group)Policy$/.test(a);

/** Which variants make sense for a technique (the blocked ones it can meet). */
export function variantsFor(t: Technique): Variant[] {
  const out: Variant[] = ['deny', 'boundary', 'scp'];
  if (secondPermission(t)) out.push('missing-permission');
  if (t.target.kind === 'passed-role') out.push('trust', 'passed-to-service');
  if (t.steps.some((s) => isAttach(s.action))) out.push('policy-arn-condition');
  if (t.needsAdminVersion) out.push('weaker-version');
  return out;
}

/** Every action the attacker needs for a technique (steps, then sts:AssumeRole / UpdateAssumeRolePolicy). */
export function requiredActions(t: Technique): string[] {
  const actions = t.steps.map((_, i) => actionOf(t, i) ?? '');
  if (t.become === 'assume') actions.push('sts:AssumeRole');
  if (t.become === 'trust-update') actions.push('iam:UpdateAssumeRolePolicy');
  return [...new Set(actions)];
}

/**
 * `override` replaces the attacker's actions and adds denies, for property tests that pick
 * any subset of a technique's permissions.
 */
export function scenario(
  t: Technique,
  variant: Variant,
  override?: { actions: string[]; deny: string[] },
): Scenario {
  const actorIsRole = t.target.kind === 'admin' && t.target.actor === 'role';
  const from = arn(actorIsRole ? 'role/attacker' : 'user/attacker');
  const policies: Record<string, Stmt[]> = {};
  const otherVersions: Record<string, Stmt[][]> = {};
  const users: NonNullable<AccountSpec['users']> = [];
  const groups: NonNullable<AccountSpec['groups']> = [];
  const roles: NonNullable<AccountSpec['roles']> = [];
  const env: EnvSpec = {};
  let useEnv = false;

  let actions = override ? override.actions : requiredActions(t);
  if (variant === 'missing-permission') actions = actions.filter((a) => a !== secondPermission(t));

  const statements: Stmt[] = [];
  const plain = actions.filter(
    (a) =>
      !(variant === 'passed-to-service' && a === 'iam:PassRole') &&
      !(variant === 'policy-arn-condition' && isAttach(a)),
  );
  if (plain.length > 0) statements.push({ Effect: 'Allow', Action: plain, Resource: '*' });
  if (variant === 'passed-to-service')
    statements.push({
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: '*',
      Condition: { StringEquals: { 'iam:PassedToService': OTHER_SERVICE } },
    });
  if (variant === 'policy-arn-condition')
    statements.push({
      Effect: 'Allow',
      Action: actions.filter(isAttach),
      Resource: '*',
      Condition: { ArnEquals: { 'iam:PolicyARN': arn('policy/harmless') } },
    });
  if (variant === 'deny') statements.push({ Effect: 'Deny', Action: keyAction(t), Resource: '*' });
  if (override && override.deny.length > 0)
    statements.push({ Effect: 'Deny', Action: override.deny, Resource: '*' });
  if (variant === 'scp') {
    env.scp = [{ Effect: 'Deny', Action: keyAction(t), Resource: '*' }];
    useEnv = true;
  }
  let boundary: string | undefined;
  if (variant === 'boundary') {
    policies.boundary = [{ Effect: 'Allow', NotAction: keyAction(t), Resource: '*' }];
    boundary = arn('policy/boundary');
  }

  const attacker = { name: 'attacker', inline: statements, boundary, attached: [] as string[] };
  let to = ADMIN_NODE;
  const first = t.steps[0]?.operand.on;
  switch (t.target.kind) {
    case 'admin':
      if (first === 'own-policy') {
        policies['attacker-managed'] = [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }];
        attacker.attached.push(arn('policy/attacker-managed'));
        if (t.needsAdminVersion)
          otherVersions['attacker-managed'] = [
            variant === 'weaker-version'
              ? [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]
              : [{ Effect: 'Allow', Action: '*', Resource: '*' }],
          ];
      }
      break;
    case 'group':
      groups.push({ name: 'admins', attached: [ADMIN_POLICY] });
      to = arn('group/admins');
      break;
    case 'user':
      users.push({ name: 'victim' });
      to = arn('user/victim');
      break;
    case 'role':
      roles.push({ name: 'victim-role', trust: [serviceTrust('lambda.amazonaws.com')] });
      to = arn('role/victim-role');
      break;
    case 'admin-through':
      if (t.target.through === 'user') users.push({ name: 'victim' });
      else {
        policies['victim-policy'] = [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }];
        roles.push({
          name: 'victim-role',
          // trusting the account (not the attacker by name) so sts:AssumeRole must come from the attacker's policy
          trust:
            t.become === 'assume'
              ? [{ Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'sts:AssumeRole' }]
              : [serviceTrust('lambda.amazonaws.com')],
          attached: [arn('policy/victim-policy')],
        });
      }
      break;
    case 'passed-role':
      roles.push({
        name: 'service-role',
        trust: [serviceTrust(variant === 'trust' ? OTHER_SERVICE : (t.target.trusts[0] ?? ''))],
        attached: [ADMIN_POLICY],
        instanceProfile: true,
      });
      to = arn('role/service-role');
      break;
    case 'resource-role': {
      const type = t.target.types[0] ?? '';
      roles.push({
        name: 'service-role',
        trust: [serviceTrust('ec2.amazonaws.com')],
        attached: [ADMIN_POLICY],
      });
      env.resources = [{ arn: RESOURCE_ARNS[type] ?? '', type, roleArn: arn('role/service-role') }];
      useEnv = true;
      to = arn('role/service-role');
      break;
    }
  }
  if (actorIsRole) {
    roles.push({ ...attacker, trust: [serviceTrust('ec2.amazonaws.com')] });
  } else {
    users.push({ ...attacker, groups: first === 'own-group' ? ['team'] : [] });
    if (first === 'own-group') groups.push({ name: 'team' });
  }
  const out: Scenario = { spec: { users, groups, roles, policies, otherVersions }, from, to };
  if (useEnv) out.env = env;
  return out;
}

function serviceTrust(service: string): Stmt {
  return { Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' };
}
