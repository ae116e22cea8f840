/**
 * The scope a grant is made at: the account for `Resource: "*"`, a concrete resource for an
 * exact ARN, or a resource-pattern node for an ARN with wildcards (DESIGN.md: keep a grant
 * at the scope where it was made; paths reach resources through CONTAINS).
 */
import { hasWildcard, wildcardMatch } from '../../lib/wildcard.js';

export type ScopeKind = 'account' | 'resource' | 'pattern';

export function scopeKind(resource: string): ScopeKind {
  if (resource === '*') return 'account';
  return hasWildcard(resource) || resource.includes('${') ? 'pattern' : 'resource';
}

/** The service segment of an ARN pattern, when it names exactly one service. */
export function serviceOfArn(resource: string): string | null {
  const s = resource.split(':')[2];
  if (!resource.startsWith('arn:') || !s || hasWildcard(s)) return null;
  return s.toLowerCase();
}

export function accountOfArn(resource: string): string | null {
  const a = resource.split(':')[4];
  return a && /^\d{12}$/.test(a) ? a : null;
}

/**
 * Which S3 resource type a scope names, when it can only be one: S3 bucket and object ARNs
 * share `arn:aws:s3:::`, and a bucket name has no `/`. So `bucket/key-or-pattern` names
 * objects only, a name with neither `/` nor `*` names buckets only, and anything else
 * (`*`, `data-*`) may name either. Actions taking the other type never apply there (AWS
 * matches the request's resource ARN against the statement's Resource).
 */
export function s3ResourceTypeOf(scope: string): 'bucket' | 'object' | undefined {
  const m = /^arn:[^:]+:s3:::(.*)$/.exec(scope);
  if (!m) return undefined;
  const rest = m[1]!;
  if (rest.includes('/')) return 'object';
  return rest.includes('*') ? undefined : 'bucket';
}

/** `s3:bucket`-like type for a concrete ARN: service and the first word of the resource part. */
export function resourceTypeOfArn(arn: string): string {
  const parts = arn.split(':');
  const service = parts[2] ?? 'unknown';
  const rest = parts.slice(5).join(':');
  if (service === 's3') return rest.includes('/') ? 's3:object' : 's3:bucket';
  const word = /^([A-Za-z0-9-]+)[/:]/.exec(rest)?.[1] ?? (parts.length > 6 ? rest.split(':')[0] : null);
  return word ? `${service}:${word}` : service;
}

/**
 * The node id of a resource pattern written in `accountId`'s policies. Each account's source
 * computes what its patterns CONTAIN from its own nodes, and in the store the last source to
 * write an id owns it; so a pattern two accounts could both write (`arn:aws:iam::*:user/x`,
 * `arn:aws:s3:::bucket/*`, another account's ARN) gets the account as a prefix, one node per
 * account. A pattern pinned to this account's own id can only come from this account's
 * source, so it keeps its text as id.
 */
export function patternNodeId(pattern: string, accountId: string): string {
  return accountOfArn(pattern) === accountId ? pattern : `aws:${accountId}/${pattern}`;
}

export type Coverage = 'full' | 'partial' | 'none';

/**
 * How much of `scope` (a resource pattern, or `*`) a statement's Resource / NotResource
 * patterns cover. Patterns are compared as text: a pattern that matches the scope text covers
 * every resource the scope names; a scope that matches the pattern text overlaps it.
 */
export function coverage(
  resource: readonly string[] | null,
  notResource: readonly string[] | null,
  scope: string,
): Coverage {
  // Policies never hold both, but a resource policy's NotResource statement confined to its
  // resource does (resource-grants.ts): what Resource covers, less what NotResource excludes.
  let byResource: Coverage = 'full';
  if (resource) {
    if (resource.some((p) => p === '*' || wildcardMatch(p, scope))) byResource = 'full';
    else if (resource.some((p) => wildcardMatch(scope, p) || mayOverlap(p, scope))) byResource = 'partial';
    else return 'none';
  }
  if (notResource) {
    if (notResource.some((p) => p === '*' || wildcardMatch(p, scope))) return 'none';
    if (scope === '*' || notResource.some((p) => wildcardMatch(scope, p) || mayOverlap(p, scope)))
      return 'partial';
  }
  return byResource;
}

/**
 * Two wildcard patterns may name a common resource unless their literal text before the
 * first wildcard already differs (a cheap, safe over-approximation).
 */
function mayOverlap(a: string, b: string): boolean {
  if (!hasWildcard(a) || !hasWildcard(b)) return false;
  const lit = (p: string) => p.slice(0, p.search(/[*?]/));
  const pa = lit(a);
  const pb = lit(b);
  return pa.startsWith(pb) || pb.startsWith(pa);
}
