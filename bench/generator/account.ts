/**
 * One account's data: the `aws iam get-account-authorization-details` document (users,
 * groups, roles, managed policies) and, for the snapshot, its resources with their
 * resource-based policies and credential last-use rows. Each account draws from its own
 * seeded stream, so accounts are generated (and written) one at a time.
 */
import {
  AWS_MANAGED,
  type AwsManagedPolicy,
  awsManagedArn,
  dataGuardrail,
  developerBoundary,
  doc,
  type PolicyDoc,
  specificAccess,
  type TeamScope,
  teamDeploy,
  teamRead,
  teamWrite,
} from './aws-policies.js';
import { Rng } from './rng.js';
import type { TierSpec } from './tiers.js';

export interface AccountPlan {
  index: number;
  id: string;
  name: string;
  principals: number;
  resources: number;
  /** other accounts' ids, for cross-account trust and bucket policies */
  peers: readonly string[];
}

export interface GeneratedAccount {
  authorizationDetails: Record<string, unknown[]>;
  resources: Record<string, unknown>[];
  lastUsed: Array<{ arn: string; passwordLastUsed: string | null; accessKeysLastUsed: string[] }>;
  stats: AccountStats;
}

export interface AccountStats {
  users: number;
  groups: number;
  roles: number;
  managedPolicies: number;
  resources: number;
  /**
   * Σ over users of the resources their groups' grants name (an account-wide `*` statement counts
   * once, AdministratorAccess and the read-only policies count every resource they cover): roughly
   * the HAS_ACCESS edges a model that materialized group grants per principal would write
   */
  groupGrantPairs: number;
}

const TEAMS = [
  'payments',
  'checkout',
  'search',
  'catalog',
  'identity',
  'data',
  'ml',
  'platform',
  'mobile',
  'web',
  'growth',
  'fulfillment',
  'inventory',
  'pricing',
  'support',
  'finance',
] as const;
const REGIONS = ['eu-west-1', 'eu-west-1', 'eu-central-1', 'us-east-1'] as const;
const RESOURCE_KINDS = [
  ['s3:bucket', 35],
  ['sqs:queue', 15],
  ['sns:topic', 10],
  ['lambda:function', 15],
  ['secretsmanager:secret', 10],
  ['kms:key', 5],
  ['ec2:instance', 10],
] as const;
/** fixed epoch so dates are part of the seeded output, not of the day it ran */
const EPOCH = Date.UTC(2026, 10, 1);
const CREATED = '2024-01-08T09:00:00+00:00';

const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');
const upperId = (rng: Rng, prefix: string) =>
  prefix + Array.from({ length: 17 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[rng.int(0, 31)]).join('');
const daysAgo = (d: number) => new Date(EPOCH - d * 86_400_000).toISOString().replace('.000Z', 'Z');

function resourceKind(rng: Rng): (typeof RESOURCE_KINDS)[number][0] {
  let r = rng.int(1, 100);
  for (const [kind, weight] of RESOURCE_KINDS) {
    r -= weight;
    if (r <= 0) return kind;
  }
  return 's3:bucket';
}

export function generateAccount(plan: AccountPlan, tier: TierSpec, seed: number): GeneratedAccount {
  const rng = new Rng(seed, plan.index);
  const id = plan.id;
  const region = REGIONS[plan.index % REGIONS.length] as string;
  const teams = rng.sample(TEAMS, Math.max(2, Math.min(TEAMS.length, Math.ceil(plan.principals / 40))));
  const scope = (team: string): TeamScope => ({ accountId: id, region, team });

  // ---- managed policies ----
  const policies: Record<string, unknown>[] = [];
  const policyCover = new Map<string, number>(); // resources a policy's grants cover
  const addManaged = (name: string, path: string, document: PolicyDoc, arn: string) => {
    policies.push({
      PolicyName: name,
      PolicyId: upperId(rng, 'ANPA'),
      Arn: arn,
      Path: path,
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: CREATED,
      UpdateDate: CREATED,
      PolicyVersionList: [
        { Document: document, VersionId: 'v1', IsDefaultVersion: true, CreateDate: CREATED },
      ],
    });
    return { PolicyName: name, PolicyArn: arn };
  };
  const awsPolicy = (p: AwsManagedPolicy) => addManaged(p.name, p.path, p.document, awsManagedArn(p));
  const custom = (name: string, document: PolicyDoc) =>
    addManaged(name, '/', document, `arn:aws:iam::${id}:policy/${name}`);

  // ---- resources first: policies name them ----
  const resources: Record<string, unknown>[] = [];
  const byTeam = new Map<string, string[]>(teams.map((t) => [t, []]));
  const serviceRoles: string[] = [];
  const roleName = (team: string, n: number, kind: string) => `${team}-${kind}-${n}`;
  const nServiceRoles = Math.max(1, Math.round(plan.principals * (1 - tier.userShare) * 0.4));
  for (let n = 0; n < nServiceRoles; n++) {
    serviceRoles.push(roleName(teams[n % teams.length] as string, n, n % 3 === 0 ? 'ec2' : 'lambda'));
  }
  for (let n = 0; n < plan.resources; n++) {
    const team = rng.pick(teams);
    const kind = resourceKind(rng);
    const r: Record<string, unknown> = { type: kind, region };
    const tags = {
      team,
      env: plan.name.split('-').pop() ?? 'prod',
      'cost-center': `cc-${rng.int(100, 999)}`,
    };
    if (kind === 's3:bucket') {
      const name = `${id}-${team}-data-${n}`;
      const arn = `arn:aws:s3:::${name}`;
      Object.assign(r, { arn, name, tags, region });
      const pub = rng.chance(0.005);
      r.policy = pub
        ? doc({
            Sid: 'PublicRead',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `${arn}/*`,
          })
        : rng.chance(0.2)
          ? doc(
              {
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
              ...(plan.peers.length > 0 && rng.chance(0.3)
                ? [
                    {
                      Sid: 'PeerRead',
                      Effect: 'Allow',
                      Principal: { AWS: `arn:aws:iam::${rng.pick(plan.peers)}:root` },
                      Action: ['s3:GetObject', 's3:ListBucket'],
                      Resource: [arn, `${arn}/*`],
                    },
                  ]
                : []),
            )
          : null;
      if (!pub && rng.chance(0.9)) {
        r.publicAccessBlock = {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        };
      }
      byTeam.get(team)?.push(arn);
    } else if (kind === 'sqs:queue' || kind === 'sns:topic') {
      const svc = kind === 'sqs:queue' ? 'sqs' : 'sns';
      const name = `${team}-${svc === 'sqs' ? 'queue' : 'events'}-${n}`;
      Object.assign(r, { arn: `arn:aws:${svc}:${region}:${id}:${name}`, name, tags, policy: null });
    } else if (kind === 'lambda:function') {
      const name = `${team}-fn-${n}`;
      const role = serviceRoles[n % serviceRoles.length] as string;
      Object.assign(r, {
        arn: `arn:aws:lambda:${region}:${id}:function:${name}`,
        name,
        tags,
        roleArn: `arn:aws:iam::${id}:role/${role}`,
        policy: null,
      });
    } else if (kind === 'secretsmanager:secret') {
      const name = `${team}/app-${n}`;
      Object.assign(r, {
        arn: `arn:aws:secretsmanager:${region}:${id}:secret:${name}-${hex(rng, 6)}`,
        name,
        tags,
        policy: null,
      });
    } else if (kind === 'kms:key') {
      const keyId = `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`;
      const statements: Record<string, unknown>[] = [
        {
          Sid: 'EnableIAMUserPermissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${id}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ];
      if (rng.chance(0.5)) {
        statements.push({
          Sid: 'ServiceUse',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${id}:role/${rng.pick(serviceRoles)}` },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        });
      }
      Object.assign(r, {
        arn: `arn:aws:kms:${region}:${id}:key/${keyId}`,
        name: `alias/${team}-${n}`,
        tags,
        policy: doc(...statements),
      });
    } else {
      const role = serviceRoles[(n * 7) % serviceRoles.length] as string;
      Object.assign(r, {
        arn: `arn:aws:ec2:${region}:${id}:instance/i-0${hex(rng, 16)}`,
        name: `${team}-host-${n}`,
        tags,
        roleArn: `arn:aws:iam::${id}:role/${role}`,
        instanceProfileArn: `arn:aws:iam::${id}:instance-profile/${role}`,
      });
    }
    if (kind !== 's3:bucket') byTeam.get(team)?.push(r.arn as string);
    resources.push(r);
  }
  // the schema lists resource properties in a fixed order; keep arn first for readability
  const ordered = resources.map(({ arn, type, name, region: reg, ...rest }) => ({
    arn,
    type,
    name,
    region: reg,
    ...rest,
  }));

  // ---- policies ----
  const admin = awsPolicy(AWS_MANAGED.AdministratorAccess as AwsManagedPolicy);
  const power = awsPolicy(AWS_MANAGED.PowerUserAccess as AwsManagedPolicy);
  const s3ro = awsPolicy(AWS_MANAGED.AmazonS3ReadOnlyAccess as AwsManagedPolicy);
  const lambdaBasic = awsPolicy(AWS_MANAGED.AWSLambdaBasicExecutionRole as AwsManagedPolicy);
  const all = plan.resources;
  const buckets = resources.filter((r) => r.type === 's3:bucket').length;
  policyCover.set(admin.PolicyArn, all).set(power.PolicyArn, all).set(s3ro.PolicyArn, buckets);
  policyCover.set(lambdaBasic.PolicyArn, 0);
  const boundary = custom('developer-boundary', developerBoundary());
  const guardrail = custom('data-guardrail', dataGuardrail(id));
  policyCover.set(boundary.PolicyArn, 0).set(guardrail.PolicyArn, 0);
  const teamPolicies: Array<{ PolicyName: string; PolicyArn: string }> = [];
  for (const team of teams) {
    const owned = byTeam.get(team)?.length ?? 0;
    for (const [suffix, d] of [
      ['read', teamRead(scope(team))],
      ['write', teamWrite(scope(team), rng)],
      ['deploy', teamDeploy(scope(team))],
    ] as const) {
      const p = custom(`${team}-${suffix}`, d);
      // team statements name the team's resources; read's `Resource: "*"` describe statement is one account-level grant
      policyCover.set(p.PolicyArn, owned + (suffix === 'read' ? 1 : 0));
      teamPolicies.push(p);
    }
    // ticket-style grants on specific resources of other teams
    for (let k = 0; k < 2; k++) {
      const other = byTeam.get(rng.pick(teams)) ?? [];
      if (other.length === 0) continue;
      const arns = rng.sample(other, rng.int(3, 25));
      const p = custom(`${team}-access-${k}`, specificAccess(arns, rng));
      policyCover.set(p.PolicyArn, arns.length);
      teamPolicies.push(p);
    }
  }

  // ---- groups ----
  const users = Math.max(1, Math.round(plan.principals * tier.userShare));
  const roles = plan.principals - users;
  const nGroups = Math.max(3, Math.ceil((users * tier.groupsPerUser) / tier.usersPerGroup));
  const groups: Record<string, unknown>[] = [];
  const groupCover: number[] = [];
  for (let n = 0; n < nGroups; n++) {
    let attached: Array<{ PolicyName: string; PolicyArn: string }>;
    let name: string;
    if (n === 0) {
      name = 'administrators';
      attached = [admin];
    } else if (n === 1) {
      name = 'read-only';
      attached = [s3ro];
    } else {
      const team = teams[n % teams.length] as string;
      name = `${team}-${['engineers', 'oncall', 'analysts', 'leads'][n % 4]}-${n}`;
      attached = rng.sample(teamPolicies, rng.int(1, 2));
      if (rng.chance(0.15)) attached.push(guardrail);
      if (rng.chance(0.03)) attached.push(power);
    }
    const inline = rng.chance(0.1)
      ? [
          {
            PolicyName: 'assume-team-roles',
            PolicyDocument: doc({
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Resource: `arn:aws:iam::${id}:role/${rng.pick(teams)}-*`,
            }),
          },
        ]
      : [];
    groups.push({
      Path: '/',
      GroupName: name,
      GroupId: upperId(rng, 'AGPA'),
      Arn: `arn:aws:iam::${id}:group/${name}`,
      CreateDate: CREATED,
      GroupPolicyList: inline,
      AttachedManagedPolicies: attached,
    });
    groupCover.push(attached.reduce((s, a) => s + (policyCover.get(a.PolicyArn) ?? 0), 0));
  }

  // ---- users ----
  const userList: Record<string, unknown>[] = [];
  const lastUsed: GeneratedAccount['lastUsed'] = [];
  let groupGrantPairs = 0;
  for (let n = 0; n < users; n++) {
    const contractor = rng.chance(0.08);
    const path = contractor ? '/contractors/' : '/';
    const name = `${contractor ? 'ext' : 'emp'}-${rng.pick(teams)}-${n}`;
    const arn = `arn:aws:iam::${id}:user${path}${name}`;
    const k = Math.max(1, Math.min(nGroups - 2, rng.int(1, 2 * tier.groupsPerUser - 1)));
    const memberOf = new Set<number>();
    // admins (group 0) and read-only (group 1) by explicit draws; team groups skewed toward popular ones,
    // uniform once the skewed draws keep landing on groups already taken
    if (rng.chance(0.01)) memberOf.add(0);
    if (rng.chance(0.1)) memberOf.add(1);
    for (let tries = 0; memberOf.size < k; tries++) {
      memberOf.add(2 + (tries < 4 * k ? rng.zipf(nGroups - 2) : rng.int(0, nGroups - 3)));
    }
    const picked = [...memberOf].sort((a, b) => a - b);
    groupGrantPairs += picked.reduce((s, g) => s + (groupCover[g] ?? 0), 0);
    const u: Record<string, unknown> = {
      Path: path,
      UserName: name,
      UserId: upperId(rng, 'AIDA'),
      Arn: arn,
      CreateDate: daysAgo(rng.int(30, 1500)),
      GroupList: picked.map((g) => groups[g]?.GroupName as string),
      AttachedManagedPolicies: rng.chance(0.1) ? [rng.pick(teamPolicies)] : [],
      Tags: [
        { Key: 'team', Value: name.split('-')[1] as string },
        ...(contractor ? [{ Key: 'employment', Value: 'contractor' }] : []),
      ],
    };
    if (rng.chance(0.05)) {
      u.PermissionsBoundary = {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: boundary.PolicyArn,
      };
    }
    userList.push(u);
    const dormant = rng.chance(contractor ? 0.4 : 0.1);
    lastUsed.push({
      arn,
      passwordLastUsed: rng.chance(0.2) ? null : daysAgo(dormant ? rng.int(120, 600) : rng.int(0, 20)),
      accessKeysLastUsed: rng.chance(0.3) ? [daysAgo(dormant ? rng.int(120, 600) : rng.int(0, 5))] : [],
    });
  }

  // ---- roles ----
  const roleList: Record<string, unknown>[] = [];
  const trustFor = (kind: number, team: string): PolicyDoc => {
    if (kind === 0)
      return doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${id}:root` },
        Action: 'sts:AssumeRole',
      });
    const peer = plan.peers.length > 0 ? rng.pick(plan.peers) : id;
    if (kind === 1) {
      const st: Record<string, unknown> = {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${peer}:root` },
        Action: 'sts:AssumeRole',
      };
      if (rng.chance(0.5)) st.Condition = { StringEquals: { 'sts:ExternalId': `${team}-${hex(rng, 12)}` } };
      return doc(st);
    }
    return doc({
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${id}:oidc-provider/token.actions.githubusercontent.com` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: {
          'token.actions.githubusercontent.com:sub': `repo:acme-scale/${team}-*:ref:refs/heads/main`,
        },
      },
    });
  };
  for (let n = 0; n < roles; n++) {
    let name: string;
    let trust: PolicyDoc;
    let attached: Array<{ PolicyName: string; PolicyArn: string }>;
    let instanceProfiles: Record<string, unknown>[] = [];
    if (n < serviceRoles.length) {
      name = serviceRoles[n] as string;
      const ec2 = name.includes('-ec2-');
      trust = doc({
        Effect: 'Allow',
        Principal: { Service: ec2 ? 'ec2.amazonaws.com' : 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      });
      attached = [lambdaBasic, ...rng.sample(teamPolicies, rng.int(1, 2))];
      if (rng.chance(0.02)) attached.push(admin); // the over-privileged automation role every org has
      if (ec2) {
        instanceProfiles = [
          {
            Path: '/',
            InstanceProfileName: name,
            InstanceProfileId: upperId(rng, 'AIPA'),
            Arn: `arn:aws:iam::${id}:instance-profile/${name}`,
            CreateDate: CREATED,
            Roles: [],
          },
        ];
      }
    } else {
      const team = rng.pick(teams);
      const kind = rng.chance(0.7) ? 0 : rng.chance(0.7) ? 1 : 2;
      name = `${team}-${['operator', 'vendor', 'ci'][kind]}-${n}`;
      trust = trustFor(kind, team);
      attached = rng.sample(teamPolicies, rng.int(1, 3));
      if (rng.chance(0.05)) attached.push(power);
    }
    const role: Record<string, unknown> = {
      Path: '/',
      RoleName: name,
      RoleId: upperId(rng, 'AROA'),
      Arn: `arn:aws:iam::${id}:role/${name}`,
      CreateDate: daysAgo(rng.int(30, 1500)),
      AssumeRolePolicyDocument: trust,
      InstanceProfileList: instanceProfiles,
      RolePolicyList: [],
      AttachedManagedPolicies: attached,
      Tags: [],
      MaxSessionDuration: 3600,
      RoleLastUsed: rng.chance(0.8) ? { LastUsedDate: daysAgo(rng.int(0, 400)), Region: region } : {},
    };
    if (rng.chance(0.05)) {
      role.PermissionsBoundary = {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: boundary.PolicyArn,
      };
    }
    roleList.push(role);
  }

  // attachment counts, as IAM reports them
  const counts = new Map<string, { a: number; b: number }>();
  const bump = (arn: string, key: 'a' | 'b') => {
    const c = counts.get(arn) ?? { a: 0, b: 0 };
    c[key]++;
    counts.set(arn, c);
  };
  for (const e of [...groups, ...userList, ...roleList]) {
    for (const a of e.AttachedManagedPolicies as Array<{ PolicyArn: string }>) bump(a.PolicyArn, 'a');
    const pb = e.PermissionsBoundary as { PermissionsBoundaryArn: string } | undefined;
    if (pb) bump(pb.PermissionsBoundaryArn, 'b');
  }
  for (const p of policies) {
    const c = counts.get(p.Arn as string);
    p.AttachmentCount = c?.a ?? 0;
    p.PermissionsBoundaryUsageCount = c?.b ?? 0;
  }

  return {
    authorizationDetails: {
      UserDetailList: userList,
      GroupDetailList: groups,
      RoleDetailList: roleList,
      Policies: policies,
    },
    resources: ordered,
    lastUsed,
    stats: {
      users,
      groups: nGroups,
      roles,
      managedPolicies: policies.length,
      resources: plan.resources,
      groupGrantPairs,
    },
  };
}
