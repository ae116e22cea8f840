/**
 * The organization as its management account (or a delegated administrator) sees it: roots,
 * the OU tree, accounts with their parents, and every SCP and RCP with its targets. Member
 * accounts can describe the organization but not list it; then there is no organization
 * section and the denial is recorded.
 */

import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { compareText } from '../common/collection-errors.js';
import type { AwsContext } from './context.js';
import { globalRegion } from './iam.js';
import type { SnapshotOrganization, SnapshotOrgPolicy } from './snapshot-types.js';

const POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const;

export interface OrgIdentity {
  id: string;
  arn?: string;
  managementAccountId: string;
}

/** DescribeOrganization: works from any member account; undefined when not in an organization. */
export async function describeOrganization(ctx: AwsContext): Promise<OrgIdentity | undefined> {
  const org = orgClient(ctx);
  try {
    const out = await ctx.call('DescribeOrganization', () => org.send(new DescribeOrganizationCommand({})));
    const o = out.Organization;
    if (!o?.Id || !o.MasterAccountId) return undefined;
    return { id: o.Id, ...(o.Arn ? { arn: o.Arn } : {}), managementAccountId: o.MasterAccountId };
  } catch (err) {
    if ((err as { name?: string }).name === 'AWSOrganizationsNotInUseException') return undefined;
    throw err;
  }
}

/**
 * The whole organization. The tree walk and the root listing must succeed (throws
 * otherwise: without them there is no usable organization); each policy type is best effort.
 */
export async function organizationTree(ctx: AwsContext, ident: OrgIdentity): Promise<SnapshotOrganization> {
  const org = orgClient(ctx);
  const roots = (
    await ctx.pages(
      'ListRoots',
      (NextToken) => org.send(new ListRootsCommand({ NextToken })),
      (p) => p.NextToken,
    )
  ).flatMap((p) => p.Roots ?? []);
  const ous: NonNullable<SnapshotOrganization['organizationalUnits']> = [];
  const accounts: SnapshotOrganization['accounts'] = [];
  const queue = roots.map((r) => r.Id).filter((id): id is string => !!id);
  while (queue.length > 0) {
    const parentId = queue.shift() as string;
    const children = (
      await ctx.pages(
        'ListOrganizationalUnitsForParent',
        (NextToken) =>
          org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.OrganizationalUnits ?? []);
    for (const ou of children) {
      if (!ou.Id) continue;
      ous.push({
        id: ou.Id,
        ...(ou.Name ? { name: ou.Name } : {}),
        ...(ou.Arn ? { arn: ou.Arn } : {}),
        parentId,
      });
      queue.push(ou.Id);
    }
    const accts = (
      await ctx.pages(
        'ListAccountsForParent',
        (NextToken) => org.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.Accounts ?? []);
    for (const a of accts) {
      if (!a.Id) continue;
      // `State` replaces the deprecated `Status`; either may be present depending on the API version.
      const status = (a as { State?: string }).State ?? a.Status;
      accounts.push({
        id: a.Id,
        ...(a.Name ? { name: a.Name } : {}),
        ...(a.Arn ? { arn: a.Arn } : {}),
        ...(status ? { status } : {}),
        parentId,
      });
    }
  }
  const policies: SnapshotOrgPolicy[] = [];
  for (const type of POLICY_TYPES) {
    const got = await ctx.errors.attempt({ service: 'organizations', operation: 'ListPolicies' }, () =>
      orgPolicies(ctx, type),
    );
    if (got) policies.push(...got);
  }
  return {
    id: ident.id,
    ...(ident.arn ? { arn: ident.arn } : {}),
    managementAccountId: ident.managementAccountId,
    roots: roots
      .filter((r) => r.Id)
      .map((r) => ({
        id: r.Id as string,
        ...(r.Name ? { name: r.Name } : {}),
        ...(r.Arn ? { arn: r.Arn } : {}),
      })),
    organizationalUnits: ous.sort((a, b) => compareText(a.id, b.id)),
    accounts: accounts.sort((a, b) => compareText(a.id, b.id)),
    policies: policies.sort((a, b) => compareText(a.type, b.type) || compareText(a.id, b.id)),
  };
}

async function orgPolicies(
  ctx: AwsContext,
  type: (typeof POLICY_TYPES)[number],
): Promise<SnapshotOrgPolicy[]> {
  const org = orgClient(ctx);
  const summaries = (
    await ctx.pages(
      'ListPolicies',
      (NextToken) => org.send(new ListPoliciesCommand({ Filter: type, NextToken })),
      (p) => p.NextToken,
    )
  ).flatMap((p) => p.Policies ?? []);
  const out: SnapshotOrgPolicy[] = [];
  for (const s of summaries) {
    if (!s.Id || !s.Name) continue;
    const id = s.Id;
    const site = { service: 'organizations', operation: 'DescribePolicy' };
    const described = await ctx.errors.attempt(
      site,
      () => ctx.call('DescribePolicy', () => org.send(new DescribePolicyCommand({ PolicyId: id }))),
      `policy ${id}`,
    );
    const content = described?.Policy?.Content;
    // A policy without its document cannot be evaluated; leaving it out is recorded above.
    if (!content) continue;
    const targets = await ctx.errors.attempt(
      { service: 'organizations', operation: 'ListTargetsForPolicy' },
      () =>
        ctx.pages(
          'ListTargetsForPolicy',
          (NextToken) => org.send(new ListTargetsForPolicyCommand({ PolicyId: id, NextToken })),
          (p) => p.NextToken,
        ),
      `policy ${id}`,
    );
    if (!targets) continue;
    out.push({
      id,
      name: s.Name,
      ...(s.Arn ? { arn: s.Arn } : {}),
      type,
      awsManaged: s.AwsManaged === true,
      // Organizations returns plain JSON text (not URL-encoded); kept as returned.
      document: content,
      targets: targets
        .flatMap((p) => p.Targets ?? [])
        .map((t) => t.TargetId)
        .filter((t): t is string => !!t)
        .sort(),
    });
  }
  return out;
}

function orgClient(ctx: AwsContext): OrganizationsClient {
  return ctx.clients.get(OrganizationsClient, globalRegion(ctx.partition));
}
