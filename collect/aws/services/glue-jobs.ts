import { GetJobsCommand, GlueClient } from '@aws-sdk/client-glue';
import type { AwsContext } from '../context.js';
import { type KnownIam, roleArnOf } from '../known-iam.js';
import type { SnapshotResource } from '../snapshot-types.js';
import type { ServiceCollector } from './service.js';

/**
 * Jobs with their role. A job runs its script as that role, so whoever can update and start
 * it acts as the role (glue-005, glue-006); a listed job also settles whether "a job exists"
 * for those techniques. GetJobs rather than ListJobs: it returns each job's role in the same
 * paginated call. It also returns `DefaultArguments`, where connection passwords sometimes
 * sit; only the name and role are copied.
 */
export const glueJobsCollector: ServiceCollector = {
  name: 'glue',
  part: 'jobs',
  scope: 'region',
  async collect(ctx: AwsContext, region: string, known: KnownIam) {
    const glue = ctx.clients.get(GlueClient, region);
    const jobs = (
      await ctx.pages(
        'GetJobs',
        (NextToken) => glue.send(new GetJobsCommand({ NextToken })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.Jobs ?? []);
    const out: SnapshotResource[] = [];
    for (const j of jobs) {
      if (!j.Name) continue;
      const r: SnapshotResource = {
        arn: ctx.arn('glue', region, `job/${j.Name}`),
        type: 'glue:job',
        name: j.Name,
        region,
      };
      // Glue accepts the role by name or by ARN.
      if (j.Role) r.roleArn = roleArnOf(j.Role, known, ctx);
      out.push(r);
    }
    return out;
  },
};
