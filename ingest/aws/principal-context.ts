/**
 * What we know statically about a caller, as request-context keys (AWS docs: "AWS global
 * condition context keys"). Keys we cannot know at load time (source IP, MFA, request tags,
 * session tags, external IDs, …) stay unknown, so conditions on them stay undecided and the
 * edges they guard are flagged conditional.
 */
import { makeContext, type RequestContext } from './eval/context.js';
import type { RequestPrincipal } from './eval/principal.js';

export interface KnownPrincipal {
  /** `group-member`: some user of a group; `outsider`: a caller outside the account, barely known */
  kind: 'user' | 'role' | 'group-member' | 'outsider';
  arn: string;
  accountId: string;
  name?: string;
  /** UserId / RoleId */
  uniqueId?: string;
  tags?: ReadonlyArray<{ key: string; value: string }>;
  serviceLinked?: boolean;
  /** the organization id; null when known to be in none; undefined when unknown */
  orgId?: string | null;
}

function timeKeys(now: Date): Record<string, string> {
  return { 'aws:CurrentTime': now.toISOString(), 'aws:EpochTime': String(Math.floor(now.getTime() / 1000)) };
}

/**
 * Condition keys whose value depends on who calls (staticContext sets or rules them out per
 * principal). A resource-policy deny whose conditions read none of these is judged the same
 * for every caller.
 */
export function readsCaller(key: string): boolean {
  const k = key.toLowerCase();
  return k.startsWith('aws:principal') || CALLER_KEYS.has(k);
}
const CALLER_KEYS = new Set([
  'aws:username',
  'aws:userid',
  'aws:sourceservice',
  'aws:sourcearn',
  'aws:sourceaccount',
]);

/** What is known of any request at load time, whoever makes it: the time. */
export function requestOnlyContext(now: Date): RequestContext {
  return makeContext(timeKeys(now), { missing: 'unknown' });
}

/**
 * The request context of a known caller at `now`. Ingest asks for the same principal's
 * context for every grant, trust and escalation question it evaluates: each principal's is
 * built once per evaluation time (principals are not changed once known).
 */
export function staticContext(p: KnownPrincipal, now: Date): RequestContext {
  const held = contexts.get(p);
  if (held?.at === now.getTime()) return held.ctx;
  const ctx = buildStaticContext(p, now);
  contexts.set(p, { at: now.getTime(), ctx });
  return ctx;
}
const contexts = new WeakMap<KnownPrincipal, { at: number; ctx: RequestContext }>();

function buildStaticContext(p: KnownPrincipal, now: Date): RequestContext {
  if (p.kind === 'outsider') {
    const values: Record<string, string> = timeKeys(now);
    if (p.accountId) values['aws:PrincipalAccount'] = p.accountId;
    return makeContext(values, { missing: 'unknown' });
  }
  const values: Record<string, string> = {
    ...timeKeys(now),
    'aws:PrincipalAccount': p.accountId,
    'aws:PrincipalIsAWSService': 'false',
  };
  const absent: string[] = ['aws:sourceservice', 'aws:sourcearn', 'aws:sourceaccount'];
  if (p.orgId) values['aws:PrincipalOrgID'] = p.orgId;
  else if (p.orgId === null) absent.push('aws:principalorgid', 'aws:principalorgpaths');
  if (p.kind === 'user') {
    values['aws:PrincipalArn'] = p.arn;
    values['aws:PrincipalType'] = 'User';
    if (p.name) values['aws:username'] = p.name;
    if (p.uniqueId) values['aws:userid'] = p.uniqueId;
    // A user's tags are all its principal tags: an untagged key is absent, not unknown.
    absent.push('aws:principaltag/');
  } else if (p.kind === 'role') {
    values['aws:PrincipalArn'] = p.arn;
    values['aws:PrincipalType'] = 'AssumedRole';
    // Role sessions have no user name; session tags may add principal tags, so untagged keys stay unknown.
    absent.push('aws:username');
  } else {
    values['aws:PrincipalType'] = 'User';
  }
  for (const t of p.tags ?? []) values[`aws:PrincipalTag/${t.key}`] = t.value;
  return makeContext(values, { missing: 'unknown', absentPrefixes: absent });
}

/** The request principal for a known caller: users as themselves, roles as one of their sessions. */
export function requestPrincipalOf(p: KnownPrincipal): RequestPrincipal {
  if (p.kind === 'role') {
    const name = p.arn.slice(p.arn.lastIndexOf('/') + 1);
    return {
      type: 'role-session',
      arn: `arn:aws:sts::${p.accountId}:assumed-role/${name}/\u0000session`,
      accountId: p.accountId,
      roleArn: p.arn,
      serviceLinked: p.serviceLinked ?? false,
    };
  }
  return { type: 'user', arn: p.arn, accountId: p.accountId };
}
