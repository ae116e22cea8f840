import {
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
  type LaunchTemplateVersion,
} from '@aws-sdk/client-ec2';
import type { AwsContext } from '../context.js';
import type { KnownIam } from '../known-iam.js';
import type { SnapshotResource } from '../snapshot-types.js';
import { type ServiceCollector, tagRecord } from './service.js';

/**
 * Launch templates with the instance profile of their latest version: whoever can add a
 * version and make it the default (ec2-004) launches instances with code of their choosing
 * under that profile's role.
 *
 * Two paginated listings per region, not one call per template: DescribeLaunchTemplates for
 * names and tags, and DescribeLaunchTemplateVersions without a template id and with
 * `$Latest`, which the API documents as "the latest version of every launch template in the
 * account". Version data also holds user data (often scripts with credentials); only the
 * instance profile is copied from it.
 */
export const ec2LaunchTemplatesCollector: ServiceCollector = {
  name: 'ec2',
  part: 'launch templates',
  scope: 'region',
  async collect(ctx: AwsContext, region: string, known: KnownIam) {
    const ec2 = ctx.clients.get(EC2Client, region);
    const templates = (
      await ctx.pages(
        'DescribeLaunchTemplates',
        (NextToken) => ec2.send(new DescribeLaunchTemplatesCommand({ NextToken, MaxResults: 200 })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => p.LaunchTemplates ?? []);
    if (templates.length === 0) return [];
    // Without the versions the templates are still worth listing (ec2-004 needs only that one
    // exists to be placed); the missing roles are recorded.
    const latest = await ctx.errors.attempt(
      { service: 'ec2', operation: 'DescribeLaunchTemplateVersions', region },
      () => latestVersions(ctx, ec2),
      'launch templates listed without their instance profiles',
    );
    const out: SnapshotResource[] = [];
    for (const t of templates) {
      if (!t.LaunchTemplateId) continue;
      const r: SnapshotResource = {
        arn: ctx.arn('ec2', region, `launch-template/${t.LaunchTemplateId}`),
        type: 'ec2:launch-template',
        name: t.LaunchTemplateName ?? t.LaunchTemplateId,
        region,
      };
      const tags = tagRecord(t.Tags);
      if (tags) r.tags = tags;
      const profile = profileArn(ctx, latest?.get(t.LaunchTemplateId), known);
      if (profile) {
        r.instanceProfileArn = profile;
        const role = known.instanceProfileRoles.get(profile);
        if (role) r.roleArn = role;
      }
      out.push(r);
    }
    return out;
  },
};

/** template id → its latest version */
async function latestVersions(ctx: AwsContext, ec2: EC2Client): Promise<Map<string, LaunchTemplateVersion>> {
  const pages = await ctx.pages(
    'DescribeLaunchTemplateVersions',
    (NextToken) =>
      ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Latest'], NextToken, MaxResults: 200 }),
      ),
    (p) => p.NextToken,
  );
  const out = new Map<string, LaunchTemplateVersion>();
  for (const v of pages.flatMap((p) => p.LaunchTemplateVersions ?? []))
    if (v.LaunchTemplateId) out.set(v.LaunchTemplateId, v);
  return out;
}

/**
 * A template names its profile by ARN or by name. A name is resolved through the IAM export;
 * one the export does not have (a profile with no role) keeps the ARN it has without a path.
 */
function profileArn(
  ctx: AwsContext,
  v: LaunchTemplateVersion | undefined,
  known: KnownIam,
): string | undefined {
  const p = v?.LaunchTemplateData?.IamInstanceProfile;
  if (p?.Arn) return p.Arn;
  if (!p?.Name) return undefined;
  return (
    known.instanceProfilesByName.get(p.Name) ??
    `arn:${ctx.partition}:iam::${ctx.accountId}:instance-profile/${p.Name}`
  );
}
