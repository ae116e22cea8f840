/**
 * Disagreements with iam-simulate that docs/aws-evaluation-differences.md explains, each with
 * the AWS documentation showing why we decide as we do. The differential test skips a
 * mismatch only when one of these recognises it.
 */
import type { DiffCase } from './arbitraries.js';

type Outcome = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

function allDocs(c: DiffCase) {
  return [
    ...c.identity,
    ...(c.boundary ? [c.boundary] : []),
    ...(c.session ? [c.session] : []),
    ...(c.resource ? [c.resource] : []),
    ...c.scps.flat(),
    ...c.rcps.flat(),
  ];
}

function resourcePatterns(c: DiffCase): string[] {
  const out: string[] = [];
  for (const d of allDocs(c)) {
    for (const st of d.Statement as Array<Record<string, unknown>>) {
      for (const k of ['Resource', 'NotResource']) {
        const v = st[k];
        if (typeof v === 'string') out.push(v);
        else if (Array.isArray(v)) out.push(...(v as string[]));
      }
    }
  }
  return out;
}

/** D1: a trailing `*` in an ARN segment expands across colons (`arn:aws:*` matches every AWS ARN). */
function shortArnPattern(c: DiffCase): boolean {
  return resourcePatterns(c).some((p) => p !== '*' && p.split(':').length < 6);
}

/** D2: a resource policy naming the role session ARN is not limited by the session policy. */
function directSessionGrant(c: DiffCase, ours: Outcome, theirs: Outcome): boolean {
  if (!(ours === 'Allowed' && theirs === 'ImplicitlyDenied' && c.session && c.resource)) return false;
  return (c.resource.Statement as Array<Record<string, unknown>>).some((st) => {
    if (st.Effect === 'Allow' && st.NotPrincipal) return true;
    const p = st.Principal as '*' | { AWS?: string | string[] } | undefined;
    if (p === undefined || p === '*') return p === '*';
    const aws = [p.AWS ?? []].flat();
    return aws.includes('*') || aws.includes(c.principalArn);
  });
}

export function knownDifference(c: DiffCase, ours: Outcome, theirs: Outcome): string | null {
  if (shortArnPattern(c)) return 'D1 short ARN wildcard';
  if (directSessionGrant(c, ours, theirs)) return 'D2 direct session grant vs session policy';
  return null;
}
