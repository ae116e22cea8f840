import { AppRunnerClient, DescribeServiceCommand, ListServicesCommand } from '@aws-sdk/client-apprunner';
import type { AwsContext } from '../context.js';
import type { SnapshotResource } from '../snapshot-types.js';
import { describeEach, type ServiceCollector } from './service.js';

/**
 * Services with their instance role (what the service's code runs as: whoever may update
 * the service gains it, apprunner-002) and their access role (what App Runner itself uses to
 * pull the image from ECR; the service's code never holds it). Only DescribeService has the
 * roles, so it is called per service; it also returns the runtime environment variables and
 * the start command, of which nothing is copied.
 */
export const appRunnerCollector: ServiceCollector = {
  name: 'apprunner',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const ar = ctx.clients.get(AppRunnerClient, region);
    const services = (
      await ctx.pages(
        'ListServices',
        (NextToken) => ar.send(new ListServicesCommand({ NextToken, MaxResults: 20 })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.ServiceSummaryList ?? []);
    return describeEach(
      ctx,
      { service: 'apprunner', operation: 'DescribeService', region },
      services,
      (s) =>
        s.ServiceArn && s.ServiceName && s.Status !== 'DELETED'
          ? { arn: s.ServiceArn, type: 'apprunner:service', name: s.ServiceName, region }
          : undefined,
      (_s, r) => ar.send(new DescribeServiceCommand({ ServiceArn: r.arn })),
      (r, d) => {
        const out: SnapshotResource = { ...r };
        const instanceRole = d.Service?.InstanceConfiguration?.InstanceRoleArn;
        const accessRole = d.Service?.SourceConfiguration?.AuthenticationConfiguration?.AccessRoleArn;
        if (instanceRole) out.roleArn = instanceRole;
        if (accessRole) out.accessRoleArn = accessRole;
        return out;
      },
    );
  },
};
