/**
 * Small inputs for escalation tests: a raw get-account-authorization-details document built
 * from a few users, groups, roles and managed policies, and the snapshot-only environment
 * (SCPs, resources) beside it. Everything is read back through the real readers, so tests
 * exercise the same path as `accessgraph ingest`.
 */

import type { IngestedSource } from '../../../types.js';
import type { AccountEnvironment, ResourceInput } from '../../account-environment.js';
import { ActionCatalog } from '../../action-catalog.js';
import { readAuthorizationDetails } from '../../auth-details-input.js';
import { buildAccountGraph } from '../../authorization-details.js';
import { parsePolicy } from '../../eval/policy.js';

export const A = '123456789012';
export const arn = (rest: string) => `arn:aws:iam::${A}:${rest}`;
export const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const NOW = new Date('2026-11-29T00:00:00Z');

export type Stmt = Record<string, unknown>;
const doc = (Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });

export interface UserSpec {
  name: string;
  inline?: Stmt[];
  attached?: string[];
  groups?: string[];
  boundary?: string;
}
export interface GroupSpec {
  name: string;
  inline?: Stmt[];
  attached?: string[];
}
export interface RoleSpec {
  name: string;
  path?: string;
  trust: Stmt[];
  inline?: Stmt[];
  attached?: string[];
  boundary?: string;
  instanceProfile?: boolean;
}
export interface AccountSpec {
  users?: UserSpec[];
  groups?: GroupSpec[];
  roles?: RoleSpec[];
  /** customer managed policies, by name (the default version) */
  policies?: Record<string, Stmt[]>;
  /** more versions of those policies, not in force */
  otherVersions?: Record<string, Stmt[][]>;
}

const attachedList = (arns: string[] = []) =>
  arns.map((a) => ({ PolicyName: a.slice(a.lastIndexOf('/') + 1), PolicyArn: a }));
const inlineList = (owner: string, st?: Stmt[]) =>
  st ? [{ PolicyName: `${owner}-inline`, PolicyDocument: doc(st) }] : [];
const boundaryOf = (b?: string) =>
  b ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: b } } : {};

export function authorizationDetails(spec: AccountSpec): Record<string, unknown> {
  const id = (prefix: string, name: string) =>
    `${prefix}${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}0000000000`;
  const policyEntry = (arnValue: string, name: string, statements: Stmt[], others: Stmt[][] = []) => ({
    PolicyName: name,
    PolicyId: id('ANPA', name),
    Arn: arnValue,
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 1,
    PolicyVersionList: [
      { Document: doc(statements), VersionId: 'v1', IsDefaultVersion: true },
      ...others.map((st, i) => ({ Document: doc(st), VersionId: `v${i + 2}`, IsDefaultVersion: false })),
    ],
  });
  return {
    UserDetailList: (spec.users ?? []).map((u) => ({
      UserName: u.name,
      UserId: id('AIDA', u.name),
      Arn: arn(`user/${u.name}`),
      Path: '/',
      GroupList: u.groups ?? [],
      UserPolicyList: inlineList(u.name, u.inline),
      AttachedManagedPolicies: attachedList(u.attached),
      ...boundaryOf(u.boundary),
    })),
    GroupDetailList: (spec.groups ?? []).map((g) => ({
      GroupName: g.name,
      GroupId: id('AGPA', g.name),
      Arn: arn(`group/${g.name}`),
      Path: '/',
      GroupPolicyList: inlineList(g.name, g.inline),
      AttachedManagedPolicies: attachedList(g.attached),
    })),
    RoleDetailList: (spec.roles ?? []).map((r) => ({
      RoleName: r.name,
      RoleId: id('AROA', r.name),
      Arn: arn(`role${r.path ?? '/'}${r.name}`),
      Path: r.path ?? '/',
      AssumeRolePolicyDocument: doc(r.trust),
      RolePolicyList: inlineList(r.name, r.inline),
      AttachedManagedPolicies: attachedList(r.attached),
      InstanceProfileList: r.instanceProfile
        ? [{ InstanceProfileName: r.name, Arn: arn(`instance-profile/${r.name}`), Roles: [] }]
        : [],
      ...boundaryOf(r.boundary),
    })),
    Policies: [
      policyEntry(ADMIN_POLICY, 'AdministratorAccess', [{ Effect: 'Allow', Action: '*', Resource: '*' }]),
      ...Object.entries(spec.policies ?? {}).map(([name, st]) =>
        policyEntry(arn(`policy/${name}`), name, st, spec.otherVersions?.[name]),
      ),
    ],
  };
}

export interface EnvSpec {
  /** SCP statements attached at the root next to FullAWSAccess */
  scp?: Stmt[];
  resources?: Array<Omit<ResourceInput, 'policy'>>;
}

export function environment(spec: EnvSpec): AccountEnvironment {
  const scp = (name: string, st: Stmt[]) => ({
    policyId: `arn:aws:organizations::999999999999:policy/o-abcdefghij/service_control_policy/p-${name}`,
    label: `${name} (SCP)`,
    policy: parsePolicy(doc(st), 'scp'),
  });
  const inOrg = spec.scp !== undefined;
  return {
    organizationId: inOrg ? 'o-abcdefghij' : null,
    managementAccountId: inOrg ? '999999999999' : null,
    scpLevels: inOrg
      ? [
          {
            level: 'r-abcd',
            policies: [
              scp('fullaccess', [{ Effect: 'Allow', Action: '*', Resource: '*' }]),
              scp('guardrail', spec.scp ?? []),
            ],
          },
          { level: A, policies: [scp('fullaccess', [{ Effect: 'Allow', Action: '*', Resource: '*' }])] },
        ]
      : [],
    rcpLevels: [],
    resources: (spec.resources ?? []).map((r) => ({ ...r, policy: null })),
  };
}

let shared: Promise<ActionCatalog> | undefined;
/** One catalog for every test build: loading all of iam-data takes about a second. */
export function catalog(): Promise<ActionCatalog> {
  shared ??= (async () => {
    const c = new ActionCatalog();
    await c.load(['*']);
    return c;
  })();
  return shared;
}

export async function build(spec: AccountSpec, env?: EnvSpec): Promise<IngestedSource> {
  const details = readAuthorizationDetails(authorizationDetails(spec), 'test.json');
  return buildAccountGraph(details, 'test.json', await catalog(), NOW, env ? environment(env) : undefined);
}
