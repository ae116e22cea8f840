import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mapLimit } from '../../common/map-limit.js';
import type { AwsContext } from '../context.js';
import type { PublicAccessBlock, SnapshotResource } from '../snapshot-types.js';
import { readPolicy, type ServiceCollector, withPolicy } from './service.js';

/** GetBucketLocation's historical values: empty means us-east-1, `EU` means eu-west-1. */
export function bucketRegion(location: string | undefined | null): string {
  if (!location) return 'us-east-1';
  if (location === 'EU') return 'eu-west-1';
  return location;
}

export const s3Collector: ServiceCollector = {
  name: 's3',
  scope: 'account',
  async collect(ctx: AwsContext, homeRegion: string): Promise<SnapshotResource[]> {
    const list = ctx.clients.get(S3Client, homeRegion);
    const pages = await ctx.pages(
      'ListBuckets',
      (ContinuationToken) => list.send(new ListBucketsCommand({ MaxBuckets: 1000, ContinuationToken })),
      (p) => p.ContinuationToken,
    );
    const buckets = pages.flatMap((p) => p.Buckets ?? []).filter((b) => b.Name);
    return mapLimit(buckets, 4, async (b) => {
      const name = b.Name as string;
      const arn = `arn:${ctx.partition}:s3:::${name}`;
      let region = b.BucketRegion;
      if (!region) {
        const loc = await ctx.errors.attempt(
          { service: 's3', operation: 'GetBucketLocation', region: homeRegion },
          () =>
            ctx.call('GetBucketLocation', () => list.send(new GetBucketLocationCommand({ Bucket: name }))),
          arn,
        );
        region = loc ? bucketRegion(loc.LocationConstraint) : homeRegion;
      }
      // Bucket subresources must be asked in the bucket's own region.
      const s3 = ctx.clients.get(S3Client, region);
      const policy = await readPolicy(
        ctx,
        { service: 's3', operation: 'GetBucketPolicy', region },
        arn,
        async () => (await s3.send(new GetBucketPolicyCommand({ Bucket: name }))).Policy,
        ['NoSuchBucketPolicy'],
      );
      const resource: SnapshotResource = { arn, type: 's3:bucket', name, region };
      const pab = await publicAccessBlock(ctx, s3, name, region, arn);
      return withPolicy(pab ? { ...resource, publicAccessBlock: pab } : resource, policy);
    });
  },
};

/**
 * The bucket's own Block Public Access settings. "None configured" is an empty object (all
 * settings off), distinct from "unreadable" (left out, error recorded).
 */
async function publicAccessBlock(
  ctx: AwsContext,
  s3: S3Client,
  bucket: string,
  region: string,
  arn: string,
): Promise<PublicAccessBlock | undefined> {
  try {
    const out = await ctx.call('GetPublicAccessBlock', () =>
      s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
    );
    const c = out.PublicAccessBlockConfiguration ?? {};
    const pab: PublicAccessBlock = {};
    for (const k of [
      'BlockPublicAcls',
      'IgnorePublicAcls',
      'BlockPublicPolicy',
      'RestrictPublicBuckets',
    ] as const)
      if (typeof c[k] === 'boolean') pab[k] = c[k];
    return pab;
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchPublicAccessBlockConfiguration') return {};
    ctx.errors.record({ service: 's3', operation: 'GetPublicAccessBlock', region }, err, arn);
    return undefined;
  }
}
