import { BatchGetProjectsCommand, CodeBuildClient, ListProjectsCommand } from '@aws-sdk/client-codebuild';
import type { AwsContext } from '../context.js';
import type { SnapshotResource } from '../snapshot-types.js';
import { type ServiceCollector, tagRecord } from './service.js';

/** BatchGetProjects takes at most 100 names per call. */
const BATCH = 100;

/**
 * Projects with their service role. BatchGetProjects also returns build environment
 * variables, some in plain text; only the fields below are kept, so they are never written.
 */
export const codeBuildCollector: ServiceCollector = {
  name: 'codebuild',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const cb = ctx.clients.get(CodeBuildClient, region);
    const names = (
      await ctx.pages(
        'ListProjects',
        (nextToken) => cb.send(new ListProjectsCommand({ nextToken })),
        (p) => p.nextToken,
      )
    ).flatMap((p) => p.projects ?? []);
    const out: SnapshotResource[] = [];
    for (let i = 0; i < names.length; i += BATCH) {
      const batch = names.slice(i, i + BATCH);
      const got = await ctx.errors.attempt(
        { service: 'codebuild', operation: 'BatchGetProjects', region },
        () => ctx.call('BatchGetProjects', () => cb.send(new BatchGetProjectsCommand({ names: batch }))),
      );
      for (const p of got?.projects ?? []) {
        if (!p.arn || !p.name) continue;
        const r: SnapshotResource = { arn: p.arn, type: 'codebuild:project', name: p.name, region };
        if (p.serviceRole) r.roleArn = p.serviceRole;
        const tags = tagRecord(p.tags);
        if (tags) r.tags = tags;
        out.push(r);
      }
    }
    return out;
  },
};
