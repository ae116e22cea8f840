import {
  GetResourcePolicyCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mapLimit } from '../../common/map-limit.js';
import type { AwsContext } from '../context.js';
import type { SnapshotResource } from '../snapshot-types.js';
import { readPolicy, type ServiceCollector, tagRecord, withPolicy } from './service.js';

/**
 * Secrets: metadata and resource policy only. GetSecretValue is never called — accessgraph
 * needs to know who can read a secret, never what it says.
 */
export const secretsManagerCollector: ServiceCollector = {
  name: 'secretsmanager',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const sm = ctx.clients.get(SecretsManagerClient, region);
    const secrets = (
      await ctx.pages(
        'ListSecrets',
        (NextToken) => sm.send(new ListSecretsCommand({ NextToken, MaxResults: 100 })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.SecretList ?? []);
    return mapLimit(
      secrets.filter((s) => s.ARN),
      4,
      async (s) => {
        const arn = s.ARN as string;
        const policy = await readPolicy(
          ctx,
          { service: 'secretsmanager', operation: 'GetResourcePolicy', region },
          arn,
          async () => (await sm.send(new GetResourcePolicyCommand({ SecretId: arn }))).ResourcePolicy,
          [],
        );
        const r: SnapshotResource = { arn, type: 'secretsmanager:secret', name: s.Name ?? arn, region };
        const tags = tagRecord(s.Tags);
        if (tags) r.tags = tags;
        return withPolicy(r, policy);
      },
    );
  },
};
