import { GetTopicAttributesCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { mapLimit } from '../../common/map-limit.js';
import type { AwsContext } from '../context.js';
import type { SnapshotResource } from '../snapshot-types.js';
import type { ServiceCollector } from './service.js';

export const snsCollector: ServiceCollector = {
  name: 'sns',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const sns = ctx.clients.get(SNSClient, region);
    const topics = (
      await ctx.pages(
        'ListTopics',
        (NextToken) => sns.send(new ListTopicsCommand({ NextToken })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.Topics ?? []);
    return mapLimit(
      topics.filter((t) => t.TopicArn),
      4,
      async (t) => {
        const arn = t.TopicArn as string;
        const attrs = await ctx.errors.attempt(
          { service: 'sns', operation: 'GetTopicAttributes', region },
          () =>
            ctx.call('GetTopicAttributes', () => sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))),
          arn,
        );
        const r: SnapshotResource = { arn, type: 'sns:topic', name: arn.split(':').pop() ?? arn, region };
        if (attrs) r.policy = attrs.Attributes?.Policy || null;
        return r;
      },
    );
  },
};
