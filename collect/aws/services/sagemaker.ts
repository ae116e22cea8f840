import {
  DescribeNotebookInstanceCommand,
  ListNotebookInstancesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { AwsContext } from '../context.js';
import { describeEach, type ServiceCollector } from './service.js';

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
    return describeEach(
      ctx,
      { service: 'sagemaker', operation: 'DescribeNotebookInstance', region },
      notebooks,
      (n) =>
        n.NotebookInstanceArn && n.NotebookInstanceName
          ? {
              arn: n.NotebookInstanceArn,
              type: 'sagemaker:notebook-instance',
              name: n.NotebookInstanceName,
              region,
            }
          : undefined,
      (_n, r) => sm.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: r.name })),
      (r, d) => (d.RoleArn ? { ...r, roleArn: d.RoleArn } : r),
    );
  },
};
