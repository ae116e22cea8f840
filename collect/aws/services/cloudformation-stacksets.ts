import {
  CloudFormationClient,
  DescribeStackSetCommand,
  ListStackSetsCommand,
  type StackSet,
} from '@aws-sdk/client-cloudformation';
import type { AwsContext } from '../context.js';
import type { KnownIam } from '../known-iam.js';
import type { SnapshotResource } from '../snapshot-types.js';
import { describeEach, type ServiceCollector, tagRecord } from './service.js';

/** What CloudFormation uses when a self-managed StackSet names no execution role. */
const DEFAULT_EXECUTION_ROLE = 'AWSCloudFormationStackSetExecutionRole';

/**
 * StackSets administered from this account and region, with their execution role. A listed
 * StackSet settles "a StackSet exists" for cloudformation-004 (UpdateStackSet with a passed
 * role). Only DescribeStackSet has the roles, so it is called per StackSet; it also returns
 * the template and parameters, of which nothing is copied.
 *
 * `roleArn` is the execution role in this account, and only when the IAM export has it: the
 * execution role is a name that CloudFormation assumes in every target account, and a
 * snapshot resource carries one role ARN, so roles in other accounts are not written.
 * Service-managed StackSets use service-linked roles and get no `roleArn`.
 */
export const cloudFormationStackSetsCollector: ServiceCollector = {
  name: 'cloudformation',
  part: 'stacksets',
  scope: 'region',
  async collect(ctx: AwsContext, region: string, known: KnownIam) {
    const cfn = ctx.clients.get(CloudFormationClient, region);
    const summaries = (
      await ctx.pages(
        'ListStackSets',
        // DELETED StackSets stay listed for a while but deploy nothing.
        (NextToken) => cfn.send(new ListStackSetsCommand({ NextToken, Status: 'ACTIVE' })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.Summaries ?? []);
    return describeEach(
      ctx,
      { service: 'cloudformation', operation: 'DescribeStackSet', region },
      summaries,
      (s) =>
        s.StackSetId && s.StackSetName
          ? {
              // the ARN's last part is the StackSet id (`name:uuid`)
              arn: ctx.arn('cloudformation', region, `stackset/${s.StackSetId}`),
              type: 'cloudformation:stackset',
              name: s.StackSetName,
              region,
            }
          : undefined,
      (s) => cfn.send(new DescribeStackSetCommand({ StackSetName: s.StackSetName })),
      (r, d) => (d.StackSet ? withDetails(r, d.StackSet, known) : r),
    );
  },
};

function withDetails(r: SnapshotResource, set: StackSet, known: KnownIam): SnapshotResource {
  const out: SnapshotResource = { ...r, ...(set.StackSetARN ? { arn: set.StackSetARN } : {}) };
  const tags = tagRecord(set.Tags);
  if (tags) out.tags = tags;
  if (set.PermissionModel !== 'SERVICE_MANAGED') {
    const role = known.rolesByName.get(set.ExecutionRoleName || DEFAULT_EXECUTION_ROLE);
    if (role) out.roleArn = role;
  }
  return out;
}
