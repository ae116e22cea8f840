import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { AwsContext } from '../context.js';
import type { SnapshotResource } from '../snapshot-types.js';
import { type ServiceCollector, tagRecord } from './service.js';

/** Stacks with the service role CloudFormation acts as when it changes them. */
export const cloudFormationCollector: ServiceCollector = {
  name: 'cloudformation',
  part: 'stacks',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const cfn = ctx.clients.get(CloudFormationClient, region);
    const stacks = (
      await ctx.pages(
        'DescribeStacks',
        (NextToken) => cfn.send(new DescribeStacksCommand({ NextToken })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.Stacks ?? []);
    const out: SnapshotResource[] = [];
    for (const s of stacks) {
      if (!s.StackId || !s.StackName || s.StackStatus === 'DELETE_COMPLETE') continue;
      const r: SnapshotResource = { arn: s.StackId, type: 'cloudformation:stack', name: s.StackName, region };
      if (s.RoleARN) r.roleArn = s.RoleARN;
      const tags = tagRecord(s.Tags);
      if (tags) r.tags = tags;
      out.push(r);
    }
    return out;
  },
};
