/**
 * One AWS service's collector: lists its resources in a region (or once per account for
 * services whose listing is global) and reads each resource's policy and run-as role.
 */
import { mapLimit } from '../../common/map-limit.js';
import type { AwsContext } from '../context.js';
import type { KnownIam } from '../known-iam.js';
import type { SnapshotResource } from '../snapshot-types.js';

export type { KnownIam } from '../known-iam.js';

export interface ServiceCollector {
  /** the name `--services` uses, e.g. `s3` */
  name: string;
  /**
   * Which of the service's resource types this collector lists, when a service has several
   * collectors (`ec2`: instances, launch templates): shown in progress. Each collector is a
   * separate best-effort step, so a denial on one type keeps the others.
   */
  part?: string;
  /** `account`: listed once per account (S3 lists every region's buckets at once) */
  scope: 'account' | 'region';
  collect(ctx: AwsContext, region: string, known: KnownIam): Promise<SnapshotResource[]>;
}

export function tagRecord(
  tags: ReadonlyArray<{ Key?: string; Value?: string; key?: string; value?: string }> | undefined,
): Record<string, string> | undefined {
  if (!tags || tags.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const t of tags) {
    const k = t.Key ?? t.key;
    if (k !== undefined) out[k] = t.Value ?? t.value ?? '';
  }
  return out;
}

/**
 * Read one resource's policy: the text when it has one, null when the service says it has
 * none, undefined (recorded as a collection error) when it could not be read.
 */
export async function readPolicy(
  ctx: AwsContext,
  site: { service: string; operation: string; region: string },
  resourceArn: string,
  fetch: () => Promise<string | undefined>,
  noneCodes: readonly string[],
): Promise<string | null | undefined> {
  try {
    const text = await ctx.call(site.operation, fetch);
    return text === undefined || text === '' ? null : text;
  } catch (err) {
    const code = (err as { name?: string }).name;
    if (code && noneCodes.includes(code)) return null;
    ctx.errors.record(site, err, resourceArn);
    return undefined;
  }
}

export function withPolicy(r: SnapshotResource, policy: string | null | undefined): SnapshotResource {
  return policy === undefined ? r : { ...r, policy };
}

/**
 * The shape of services whose listing leaves out the role: list, then describe each listed
 * resource, a few at a time. A resource whose description fails stays listed without what
 * the description would have added; the failure is recorded against its ARN.
 */
export function describeEach<T, D>(
  ctx: AwsContext,
  site: { service: string; operation: string; region: string },
  listed: readonly T[],
  base: (item: T) => SnapshotResource | undefined,
  describe: (item: T, r: SnapshotResource) => Promise<D>,
  complete: (r: SnapshotResource, described: D) => SnapshotResource,
): Promise<SnapshotResource[]> {
  const resources = listed.flatMap((item) => {
    const r = base(item);
    return r ? [{ item, r }] : [];
  });
  return mapLimit(resources, 4, async ({ item, r }) => {
    const d = await ctx.errors.attempt(site, () => ctx.call(site.operation, () => describe(item, r)), r.arn);
    return d === undefined ? r : complete(r, d);
  });
}
