/**
 * The graph nodes that contain an AWS resource no source inventoried, so who-can accepts any
 * ARN (an S3 object, a secret or queue by ARN): grants reach such a resource through its
 * bucket, through `Resource: "*"` on its account, and through the resource patterns of that
 * account that match it. Partial denies are then judged for the ARN itself (graph/reach-walk.ts).
 */
import type { GraphStore } from '../../graph/store.js';
import { wildcardMatch } from '../../lib/wildcard.js';
import { accountOfArn } from './scope.js';

/** Bounds the children of one account read per query (resources and patterns together). */
const MAX_CHILDREN = 100_000;

export async function awsContainersOf(store: GraphStore, arn: string): Promise<string[]> {
  const parts = arn.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return [];
  const out: string[] = [];
  if (parts[2] === 's3') {
    // S3 ARNs name no account: only an inventoried bucket says where the object lives, and
    // walking from the bucket covers its account and the patterns matching the bucket
    const bucket = arn.split('/')[0]!;
    if (bucket !== arn && (await store.getNode(bucket))) out.push(bucket);
    return out;
  }
  const account = accountOfArn(arn);
  if (!account) return out;
  const accountNode = `arn:${parts[1]}:iam::${account}:root`;
  if (!(await store.getNode(accountNode))) return out;
  out.push(accountNode);
  // the account's resource patterns are CONTAINS children of its node; their ids hold the
  // pattern (sometimes behind an account prefix, ingest/aws/scope.ts patternNodeId), so only
  // ids with a wildcard need their node read
  const children = await store.getEdges(accountNode, {
    kinds: ['CONTAINS'],
    direction: 'out',
    limit: MAX_CHILDREN,
  });
  const candidates = children.map((e) => e.to).filter((id) => id.includes('*') || id.includes('?'));
  for (const n of await store.getNodes(candidates)) {
    const pattern = (n.props as { pattern?: unknown }).pattern;
    if (n.type === 'aws:resource-pattern' && typeof pattern === 'string' && wildcardMatch(pattern, arn))
      out.push(n.id);
  }
  return out;
}
