import { GetPolicyCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { mapLimit } from '../../common/map-limit.js';
import type { AwsContext } from '../context.js';
import type { SnapshotResource } from '../snapshot-types.js';
import { readPolicy, type ServiceCollector, withPolicy } from './service.js';

/**
 * Functions with their execution role and function policy. ListFunctions also returns the
 * environment variables; only the fields below are kept, so their values are never written.
 */
export const lambdaCollector: ServiceCollector = {
  name: 'lambda',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const lambda = ctx.clients.get(LambdaClient, region);
    const fns = (
      await ctx.pages(
        'ListFunctions',
        (Marker) => lambda.send(new ListFunctionsCommand({ Marker, MaxItems: 50 })),
        (p) => p.NextMarker,
      )
    ).flatMap((p) => p.Functions ?? []);
    return mapLimit(
      fns.filter((f) => f.FunctionArn && f.FunctionName),
      4,
      async (f) => {
        const arn = f.FunctionArn as string;
        const policy = await readPolicy(
          ctx,
          { service: 'lambda', operation: 'GetPolicy', region },
          arn,
          async () => (await lambda.send(new GetPolicyCommand({ FunctionName: arn }))).Policy,
          ['ResourceNotFoundException'],
        );
        const r: SnapshotResource = { arn, type: 'lambda:function', name: f.FunctionName as string, region };
        if (f.Role) r.roleArn = f.Role;
        return withPolicy(r, policy);
      },
    );
  },
};
