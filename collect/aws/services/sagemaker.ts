import {
  DescribeNotebookInstanceCommand,
  ListNotebookInstancesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mapLimit } from '../../common/map-limit.js';
import type { AwsContext } from '../context.js';
import type { SnapshotResource } from '../snapshot-types.js';
import type { ServiceCollector } from './service.js';

/** Notebook instances with their execution role (only DescribeNotebookInstance returns it). */
export const sageMakerCollector: ServiceCollector = {
  name: 'sagemaker',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const sm = ctx.clients.get(SageMakerClient, region);
    const notebooks = (
      await ctx.pages(
        'ListNotebookInstances',
        (NextToken) => sm.send(new ListNotebookInstancesCommand({ NextToken, MaxResults: 100 })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.NotebookInstances ?? []);
    return mapLimit(
      notebooks.filter((n) => n.NotebookInstanceArn && n.NotebookInstanceName),
      4,
      async (n) => {
        const arn = n.NotebookInstanceArn as string;
        const name = n.NotebookInstanceName as string;
        const r: SnapshotResource = { arn, type: 'sagemaker:notebook-instance', name, region };
        const d = await ctx.errors.attempt(
          { service: 'sagemaker', operation: 'DescribeNotebookInstance', region },
          () =>
            ctx.call('DescribeNotebookInstance', () =>
              sm.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name })),
            ),
          arn,
        );
        if (d?.RoleArn) r.roleArn = d.RoleArn;
        return r;
      },
    );
  },
};
