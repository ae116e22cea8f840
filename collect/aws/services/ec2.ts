import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { AwsContext } from '../context.js';
import type { SnapshotResource } from '../snapshot-types.js';
import { type KnownIam, type ServiceCollector, tagRecord } from './service.js';

/**
 * Instances with their instance profile. The profile's role comes from the IAM export
 * (each role lists its instance profiles), which saves a GetInstanceProfile call per instance.
 * Terminated instances linger in the listing for a while but run nothing, so they are left out.
 */
export const ec2Collector: ServiceCollector = {
  name: 'ec2',
  part: 'instances',
  scope: 'region',
  async collect(ctx: AwsContext, region: string, known: KnownIam) {
    const ec2 = ctx.clients.get(EC2Client, region);
    const pages = await ctx.pages(
      'DescribeInstances',
      (NextToken) => ec2.send(new DescribeInstancesCommand({ NextToken, MaxResults: 1000 })),
      (p) => p.NextToken,
    );
    const out: SnapshotResource[] = [];
    for (const inst of pages.flatMap((p) => (p.Reservations ?? []).flatMap((r) => r.Instances ?? []))) {
      if (!inst.InstanceId || inst.State?.Name === 'terminated') continue;
      const tags = tagRecord(inst.Tags);
      const r: SnapshotResource = {
        arn: ctx.arn('ec2', region, `instance/${inst.InstanceId}`),
        type: 'ec2:instance',
        name: tags?.Name ?? inst.InstanceId,
        region,
      };
      if (tags) r.tags = tags;
      const profile = inst.IamInstanceProfile?.Arn;
      if (profile) {
        r.instanceProfileArn = profile;
        const role = known.instanceProfileRoles.get(profile);
        if (role) r.roleArn = role;
      }
      out.push(r);
    }
    return out;
  },
};
