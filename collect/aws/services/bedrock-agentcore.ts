import {
  BedrockAgentCoreControlClient,
  GetCodeInterpreterCommand,
  ListCodeInterpretersCommand,
} from '@aws-sdk/client-bedrock-agentcore-control';
import type { AwsContext } from '../context.js';
import { describeEach, type ServiceCollector } from './service.js';

/** Code interpreters being torn down or gone run nothing. */
const GONE = new Set(['DELETING', 'DELETED']);

/**
 * Custom code interpreters with their execution role: whoever may start a session on one and
 * invoke it runs code as that role (bedrock-002). The AWS-managed (`SYSTEM`) interpreters
 * carry no role of the account and are not listed. Only GetCodeInterpreter has the role, so it
 * is called per interpreter. Agent runtimes and gateways also run as roles, but no technique of
 * the catalogue goes through them yet; they are not collected.
 */
export const bedrockAgentCoreCollector: ServiceCollector = {
  name: 'bedrock-agentcore',
  part: 'code interpreters',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const bac = ctx.clients.get(BedrockAgentCoreControlClient, region);
    const interpreters = (
      await ctx.pages(
        'ListCodeInterpreters',
        (nextToken) =>
          bac.send(new ListCodeInterpretersCommand({ nextToken, maxResults: 100, type: 'CUSTOM' })),
        (p) => p.nextToken,
      )
    ).flatMap((p) => p.codeInterpreterSummaries ?? []);
    return describeEach(
      ctx,
      { service: 'bedrock-agentcore', operation: 'GetCodeInterpreter', region },
      interpreters,
      (c) =>
        c.codeInterpreterArn && c.codeInterpreterId && !GONE.has(c.status ?? '')
          ? {
              arn: c.codeInterpreterArn,
              type: 'bedrock-agentcore:code-interpreter',
              name: c.name ?? c.codeInterpreterId,
              region,
            }
          : undefined,
      (c) => bac.send(new GetCodeInterpreterCommand({ codeInterpreterId: c.codeInterpreterId })),
      (r, d) => (d.executionRoleArn ? { ...r, roleArn: d.executionRoleArn } : r),
    );
  },
};
