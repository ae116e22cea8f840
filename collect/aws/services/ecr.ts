import { DescribeRepositoriesCommand, ECRClient, GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { mapLimit } from '../../common/map-limit.js';
import type { AwsContext } from '../context.js';
import { readPolicy, type ServiceCollector, withPolicy } from './service.js';

export const ecrCollector: ServiceCollector = {
  name: 'ecr',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const ecr = ctx.clients.get(ECRClient, region);
    const repos = (
      await ctx.pages(
        'DescribeRepositories',
        (nextToken) => ecr.send(new DescribeRepositoriesCommand({ nextToken, maxResults: 1000 })),
        (p) => p.nextToken,
      )
    ).flatMap((p) => p.repositories ?? []);
    return mapLimit(
      repos.filter((r) => r.repositoryArn && r.repositoryName),
      4,
      async (repo) => {
        const arn = repo.repositoryArn as string;
        const name = repo.repositoryName as string;
        const policy = await readPolicy(
          ctx,
          { service: 'ecr', operation: 'GetRepositoryPolicy', region },
          arn,
          async () => (await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name }))).policyText,
          ['RepositoryPolicyNotFoundException'],
        );
        return withPolicy({ arn, type: 'ecr:repository', name, region }, policy);
      },
    );
  },
};
