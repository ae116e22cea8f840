/**
 * The organization around the generated accounts: OUs by environment, the accounts' plans
 * (ids, names, sizes) and the SCPs real organizations attach (FullAWSAccess everywhere,
 * deny leaving, region restriction on workloads, tighter rules on sandboxes).
 */
import type { AccountPlan } from './account.js';
import { doc } from './aws-policies.js';
import { Rng } from './rng.js';
import { splitSkewed, type TierSpec } from './tiers.js';

export const ORG_ID = 'o-scalegen001';
const ROOT = 'r-sg01';
const OUS = [
  { id: 'ou-sg01-workload', name: 'Workloads', parentId: ROOT },
  { id: 'ou-sg01-prodacct', name: 'Production', parentId: 'ou-sg01-workload' },
  { id: 'ou-sg01-stageact', name: 'Staging', parentId: 'ou-sg01-workload' },
  { id: 'ou-sg01-sandboxe', name: 'Sandbox', parentId: ROOT },
  { id: 'ou-sg01-infrastr', name: 'Infrastructure', parentId: ROOT },
] as const;
const ENV_OU: Record<string, string> = {
  prod: 'ou-sg01-prodacct',
  staging: 'ou-sg01-stageact',
  sandbox: 'ou-sg01-sandboxe',
  shared: 'ou-sg01-infrastr',
};

/** Obviously fake 12-digit ids: 3 followed by the account index. */
export const accountId = (index: number) => String(300_000_000_000 + index);

export function planAccounts(tier: TierSpec, seed: number): AccountPlan[] {
  const rng = new Rng(seed, 1_000_000);
  // a few big accounts and a long tail, like real organizations; account 0 is the management account
  // Principals and resources are skewed independently: the account with most people is not
  // always the one with most resources (a data lake, a shared CI account).
  const skew = () => 1 + 8 * rng.float() ** 3;
  const people = Array.from({ length: tier.accounts }, (_, i) => (i === 0 ? 0.2 : skew()));
  const stuff = Array.from({ length: tier.accounts - 1 }, skew);
  const principals = splitSkewed(tier.principals, tier.accounts, people, 2);
  // the management account runs no workloads (AWS's advice, and what the demo company does)
  const resources = [0, ...splitSkewed(tier.resources, tier.accounts - 1, stuff, 1)];
  const ids = Array.from({ length: tier.accounts }, (_, i) => accountId(i));
  return ids.map((id, i) => {
    const env = i === 0 ? 'management' : (['prod', 'staging', 'sandbox', 'shared'][i % 4] as string);
    // trust and bucket policies name a handful of peers, not every account
    const peers = rng.sample(
      ids.filter((x) => x !== id),
      Math.min(4, tier.accounts - 1),
    );
    return {
      index: i,
      id,
      name: `scale-${String(i).padStart(3, '0')}-${env}`,
      principals: principals[i] as number,
      resources: resources[i] as number,
      peers,
    };
  });
}

const envOf = (p: AccountPlan) => p.name.split('-').pop() as string;

export function organization(plans: readonly AccountPlan[]): Record<string, unknown> {
  const mgmt = plans[0]?.id ?? accountId(0);
  const ouIds = OUS.map((o) => o.id);
  const accounts = plans.map((p) => ({
    id: p.id,
    name: p.name,
    status: 'ACTIVE',
    parentId: p.index === 0 ? ROOT : (ENV_OU[envOf(p)] as string),
  }));
  return {
    id: ORG_ID,
    managementAccountId: mgmt,
    roots: [{ id: ROOT, name: 'Root' }],
    organizationalUnits: OUS,
    accounts,
    policies: [
      {
        id: 'p-FullAWSAccess',
        name: 'FullAWSAccess',
        type: 'SERVICE_CONTROL_POLICY',
        awsManaged: true,
        document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
        targets: [ROOT, ...ouIds, ...plans.map((p) => p.id)],
      },
      {
        id: 'p-denyleave01',
        name: 'DenyLeaveOrganization',
        type: 'SERVICE_CONTROL_POLICY',
        document: doc({ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }),
        targets: [ROOT],
      },
      {
        id: 'p-regionlock1',
        name: 'RegionRestriction',
        type: 'SERVICE_CONTROL_POLICY',
        document: doc({
          Sid: 'ApprovedRegionsOnly',
          Effect: 'Deny',
          NotAction: ['iam:*', 'sts:*', 'organizations:*', 'support:*', 'cloudfront:*', 'route53:*'],
          Resource: '*',
          Condition: {
            StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1', 'us-east-1'] },
          },
        }),
        targets: ['ou-sg01-workload'],
      },
      {
        id: 'p-sandboxrule',
        name: 'SandboxGuardrails',
        type: 'SERVICE_CONTROL_POLICY',
        document: doc(
          {
            Sid: 'NoIamUsers',
            Effect: 'Deny',
            Action: ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile'],
            Resource: '*',
          },
          {
            Sid: 'NoBigInstances',
            Effect: 'Deny',
            Action: 'ec2:RunInstances',
            Resource: 'arn:aws:ec2:*:*:instance/*',
            Condition: { 'ForAnyValue:StringNotLike': { 'ec2:InstanceType': ['t3.*', 't4g.*'] } },
          },
        ),
        targets: ['ou-sg01-sandboxe'],
      },
    ],
  };
}
