import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mapLimit } from '../../common/map-limit.js';
import type { AwsContext } from '../context.js';
import type { SnapshotResource } from '../snapshot-types.js';
import type { ServiceCollector } from './service.js';

export const sqsCollector: ServiceCollector = {
  name: 'sqs',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const sqs = ctx.clients.get(SQSClient, region);
    // ListQueues only pages when MaxResults is given; without it, it stops at 1,000 queues.
    const urls = (
      await ctx.pages(
        'ListQueues',
        (NextToken) => sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.QueueUrls ?? []);
    const out = await mapLimit(urls, 4, async (url): Promise<SnapshotResource | undefined> => {
      const name = url.slice(url.lastIndexOf('/') + 1);
      const fallbackArn = ctx.arn('sqs', region, name);
      const attrs = await ctx.errors.attempt(
        { service: 'sqs', operation: 'GetQueueAttributes', region },
        () =>
          ctx.call('GetQueueAttributes', () =>
            sqs.send(
              new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'Policy'] }),
            ),
          ),
        fallbackArn,
      );
      const r: SnapshotResource = {
        arn: attrs?.Attributes?.QueueArn ?? fallbackArn,
        type: 'sqs:queue',
        name,
        region,
      };
      // No Policy attribute in a successful answer means the queue has no policy.
      if (attrs) r.policy = attrs.Attributes?.Policy || null;
      return r;
    });
    return out.filter((r): r is SnapshotResource => r !== undefined);
  },
};
