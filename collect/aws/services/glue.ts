import { GetDevEndpointsCommand, GlueClient } from '@aws-sdk/client-glue';
import type { AwsContext } from '../context.js';
import type { SnapshotResource } from '../snapshot-types.js';
import type { ServiceCollector } from './service.js';

/** Dev endpoints run code as their role: reaching one is reaching the role. */
export const glueCollector: ServiceCollector = {
  name: 'glue',
  part: 'dev endpoints',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const glue = ctx.clients.get(GlueClient, region);
    const endpoints = (
      await ctx.pages(
        'GetDevEndpoints',
        (NextToken) => glue.send(new GetDevEndpointsCommand({ NextToken })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.DevEndpoints ?? []);
    return endpoints
      .filter((e) => e.EndpointName)
      .map((e) => {
        const name = e.EndpointName as string;
        const r: SnapshotResource = {
          arn: ctx.arn('glue', region, `devEndpoint/${name}`),
          type: 'glue:devendpoint',
          name,
          region,
        };
        if (e.RoleArn) r.roleArn = e.RoleArn;
        return r;
      });
  },
};
