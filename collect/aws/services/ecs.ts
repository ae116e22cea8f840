import {
  type Cluster,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionFamiliesCommand,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { mapLimit } from '../../common/map-limit.js';
import type { AwsContext } from '../context.js';
import { type KnownIam, roleArnOf } from '../known-iam.js';
import type { SnapshotResource } from '../snapshot-types.js';
import { type ServiceCollector, tagRecord } from './service.js';

/** DescribeClusters takes at most 100 clusters per call, DescribeServices 10 services. */
const CLUSTER_BATCH = 100;
const SERVICE_BATCH = 10;

/**
 * Clusters, and the services in each with the roles of the task definition they run. A
 * listed cluster settles "an ECS cluster exists" for ecs-003 and ecs-004, and one with a
 * registered EC2 container instance the like for ecs-005; a service's task role is what its
 * containers run as.
 *
 * A service's roles come from DescribeTaskDefinition of the revision it runs, called once per
 * distinct revision. Task definitions also hold container environment variables and secret
 * references; only the family, revision and role ARNs are copied.
 */
export const ecsClustersCollector: ServiceCollector = {
  name: 'ecs',
  part: 'clusters and services',
  scope: 'region',
  async collect(ctx: AwsContext, region: string, known: KnownIam) {
    const ecs = ctx.clients.get(ECSClient, region);
    const arns = (
      await ctx.pages(
        'ListClusters',
        (nextToken) => ecs.send(new ListClustersCommand({ nextToken, maxResults: 100 })),
        (p) => p.nextToken,
      )
    ).flatMap((p) => p.clusterArns ?? []);
    const clusters = await describeClusters(ctx, ecs, region, arns);
    const services = (await mapLimit(clusters, 2, (c) => clusterServices(ctx, ecs, region, c.arn))).flat();
    const revisions = [
      ...new Set(services.flatMap((s) => (s.taskDefinitionArn ? [s.taskDefinitionArn] : []))),
    ];
    const described = new Map(
      (await mapLimit(revisions, 4, (ref) => describeTaskDefinition(ctx, ecs, region, ref))).flatMap(
        (td, i) => (td ? [[revisions[i] as string, td] as const] : []),
      ),
    );
    const withRoles = services.map((s) => {
      const td = s.taskDefinitionArn ? described.get(s.taskDefinitionArn) : undefined;
      return td ? { ...s, ...roleFields(td, known, ctx) } : s;
    });
    return [...clusters, ...withRoles];
  },
};

/**
 * The latest active revision of every task definition family, with its task role (what its
 * containers run as) and execution role (what the ECS agent uses to pull images and read
 * secrets for it). Only the latest revision: it is what RunTask with the family name runs, and
 * describing every revision of a long-lived family would be one call each. A family that
 * cannot be described is recorded and left out, since its revision (and so its ARN) is unknown.
 */
export const ecsTaskDefinitionsCollector: ServiceCollector = {
  name: 'ecs',
  part: 'task definitions',
  scope: 'region',
  async collect(ctx: AwsContext, region: string, known: KnownIam) {
    const ecs = ctx.clients.get(ECSClient, region);
    const families = (
      await ctx.pages(
        'ListTaskDefinitionFamilies',
        (nextToken) =>
          ecs.send(new ListTaskDefinitionFamiliesCommand({ nextToken, status: 'ACTIVE', maxResults: 100 })),
        (p) => p.nextToken,
      )
    ).flatMap((p) => p.families ?? []);
    const described = await mapLimit(families, 4, (family) =>
      describeTaskDefinition(ctx, ecs, region, family),
    );
    return described.flatMap((td) => {
      if (!td?.taskDefinitionArn) return [];
      const r: SnapshotResource = {
        arn: td.taskDefinitionArn,
        type: 'ecs:task-definition',
        name: td.family && td.revision !== undefined ? `${td.family}:${td.revision}` : td.taskDefinitionArn,
        region,
      };
      const tags = tagRecord(td.tags);
      return [{ ...r, ...(tags ? { tags } : {}), ...roleFields(td, known, ctx) }];
    });
  },
};

/** Clusters in batches; a batch that cannot be described is still written, named from its ARNs. */
async function describeClusters(
  ctx: AwsContext,
  ecs: ECSClient,
  region: string,
  arns: readonly string[],
): Promise<SnapshotResource[]> {
  const out: SnapshotResource[] = [];
  for (let i = 0; i < arns.length; i += CLUSTER_BATCH) {
    const batch = arns.slice(i, i + CLUSTER_BATCH);
    const got = await ctx.errors.attempt(
      { service: 'ecs', operation: 'DescribeClusters', region },
      () =>
        ctx.call('DescribeClusters', () =>
          ecs.send(new DescribeClustersCommand({ clusters: batch, include: ['TAGS'] })),
        ),
      'clusters listed without their details',
    );
    if (!got) {
      for (const arn of batch) out.push({ arn, type: 'ecs:cluster', name: lastPart(arn), region });
      continue;
    }
    for (const c of got.clusters ?? []) {
      const r = clusterResource(c, region);
      if (r) out.push(r);
    }
  }
  return out;
}

function clusterResource(c: Cluster, region: string): SnapshotResource | undefined {
  // INACTIVE: deleted, still listed for a while
  if (!c.clusterArn || c.status === 'INACTIVE') return undefined;
  const r: SnapshotResource = {
    arn: c.clusterArn,
    type: 'ecs:cluster',
    name: c.clusterName ?? lastPart(c.clusterArn),
    region,
  };
  const tags = tagRecord(c.tags);
  if (tags) r.tags = tags;
  if (c.registeredContainerInstancesCount !== undefined)
    r.registeredContainerInstances = c.registeredContainerInstancesCount;
  return r;
}

/** One cluster's services; a cluster whose services cannot be read is recorded and skipped. */
async function clusterServices(
  ctx: AwsContext,
  ecs: ECSClient,
  region: string,
  cluster: string,
): Promise<SnapshotResource[]> {
  const site = { service: 'ecs', operation: 'ListServices', region };
  const arns = await ctx.errors.attempt(
    site,
    async () =>
      (
        await ctx.pages(
          'ListServices',
          (nextToken) => ecs.send(new ListServicesCommand({ cluster, nextToken, maxResults: 100 })),
          (p) => p.nextToken,
        )
      ).flatMap((p) => p.serviceArns ?? []),
    cluster,
  );
  const out: SnapshotResource[] = [];
  for (let i = 0; i < (arns ?? []).length; i += SERVICE_BATCH) {
    const batch = (arns ?? []).slice(i, i + SERVICE_BATCH);
    const got = await ctx.errors.attempt(
      { ...site, operation: 'DescribeServices' },
      () =>
        ctx.call('DescribeServices', () =>
          ecs.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] })),
        ),
      `${cluster}: services listed without their task definitions`,
    );
    if (!got) for (const arn of batch) out.push({ arn, type: 'ecs:service', name: lastPart(arn), region });
    for (const s of got?.services ?? []) {
      if (!s.serviceArn || s.status === 'INACTIVE') continue;
      const r: SnapshotResource = {
        arn: s.serviceArn,
        type: 'ecs:service',
        name: s.serviceName ?? lastPart(s.serviceArn),
        region,
      };
      const tags = tagRecord(s.tags);
      if (tags) r.tags = tags;
      if (s.taskDefinition) r.taskDefinitionArn = s.taskDefinition;
      out.push(r);
    }
  }
  return out;
}

/** A task definition by family (its latest active revision) or by ARN; undefined when unreadable. */
async function describeTaskDefinition(
  ctx: AwsContext,
  ecs: ECSClient,
  region: string,
  ref: string,
): Promise<(TaskDefinition & { tags?: Array<{ key?: string; value?: string }> }) | undefined> {
  const d = await ctx.errors.attempt(
    { service: 'ecs', operation: 'DescribeTaskDefinition', region },
    () =>
      ctx.call('DescribeTaskDefinition', () =>
        ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] })),
      ),
    ref,
  );
  return d?.taskDefinition ? { ...d.taskDefinition, tags: d.tags } : undefined;
}

/** ECS accepts a role by name or ARN; both are written as ARNs. */
function roleFields(
  td: TaskDefinition,
  known: KnownIam,
  ctx: AwsContext,
): Pick<SnapshotResource, 'roleArn' | 'executionRoleArn'> {
  const out: Pick<SnapshotResource, 'roleArn' | 'executionRoleArn'> = {};
  if (td.taskRoleArn) out.roleArn = roleArnOf(td.taskRoleArn, known, ctx);
  if (td.executionRoleArn) out.executionRoleArn = roleArnOf(td.executionRoleArn, known, ctx);
  return out;
}

const lastPart = (arn: string) => arn.split('/').pop() ?? arn;
