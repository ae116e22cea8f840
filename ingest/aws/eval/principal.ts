/**
 * Who makes a request, and how a Principal / NotPrincipal element names them.
 *
 * How a resource-based policy names the caller matters for the decision (AWS docs: "Policy
 * evaluation logic", resource-based policies within the same account):
 * - `direct`: the exact user, role session, federated user session, service, or everyone;
 *   not limited by implicit denies in identity policies, boundaries or session policies.
 * - `entity`: the role behind a role session, or the IAM user behind a federated user session;
 *   limited by an implicit deny in a boundary or session policy.
 * - `account`: the caller's account (`123456789012` or `arn:aws:iam::123456789012:root`);
 *   the account then delegates through identity policies, so it grants nothing alone.
 */
import type { PrincipalSpec } from './policy.js';

export type PrincipalType =
  | 'user'
  | 'role-session'
  | 'role'
  | 'federated-user'
  | 'root'
  | 'service'
  | 'federated'
  | 'anonymous';

export interface RequestPrincipal {
  type: PrincipalType;
  /** the ARN AWS puts in the request context (session ARN for role sessions); service name for services */
  arn: string;
  /** the principal's account; null for services, web identities and anonymous callers */
  accountId: string | null;
  /** role sessions: the role's ARN (with its path) */
  roleArn?: string;
  /** federated user sessions (GetFederationToken): the IAM user who federated */
  federatingUserArn?: string;
  /** service-linked roles are exempt from SCPs and RCPs */
  serviceLinked?: boolean;
}

export type PrincipalVia = 'direct' | 'entity' | 'account';

const RANK: Record<PrincipalVia, number> = { direct: 3, entity: 2, account: 1 };

export function betterVia(a: PrincipalVia | null, b: PrincipalVia | null): PrincipalVia | null {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** How (if at all) a Principal element names the caller. */
export function principalVia(spec: PrincipalSpec, p: RequestPrincipal): PrincipalVia | null {
  if (spec.everyone) return 'direct';
  let best: PrincipalVia | null = null;
  if (p.type === 'service') {
    for (const s of spec.service) if (s === p.arn) return 'direct';
    return null;
  }
  if (p.type === 'federated') {
    for (const f of spec.federated) if (f === p.arn) return 'direct';
    return null;
  }
  if (p.type === 'anonymous') return null;
  for (const entry of spec.aws) {
    if (entry === '*') return 'direct';
    const account = accountOfPrincipalEntry(entry);
    if (account !== null) {
      if (p.type === 'root' && p.accountId === account) return 'direct';
      if (p.accountId === account) best = betterVia(best, 'account');
      continue;
    }
    if (entry === p.arn) return 'direct';
    if (p.roleArn && entry === p.roleArn) best = betterVia(best, 'entity');
    if (p.federatingUserArn && entry === p.federatingUserArn) best = betterVia(best, 'entity');
  }
  return best;
}

/** `123456789012` or `arn:aws:iam::123456789012:root` name a whole account. */
export function accountOfPrincipalEntry(entry: string): string | null {
  if (/^\d{12}$/.test(entry)) return entry;
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(entry);
  return m ? (m[1] ?? null) : null;
}

/**
 * Build a request principal from an ARN as AWS reports it: users, roles, assumed-role
 * sessions, federated users, account root. Role paths are not in session ARNs; pass
 * `roleArn` yourself when the role has a path.
 */
export function principalFromArn(arn: string, extra: Partial<RequestPrincipal> = {}): RequestPrincipal {
  const m = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (!m) throw new Error(`not an IAM principal ARN: ${arn}`);
  const [, partition, service, account = '', rest = ''] = m;
  if (service === 'iam' && rest === 'root') return { type: 'root', arn, accountId: account, ...extra };
  if (service === 'iam' && rest.startsWith('user/'))
    return { type: 'user', arn, accountId: account, ...extra };
  if (service === 'iam' && rest.startsWith('role/')) {
    return {
      type: 'role',
      arn,
      accountId: account,
      roleArn: arn,
      serviceLinked: rest.startsWith('role/aws-service-role/'),
      ...extra,
    };
  }
  if (service === 'sts' && rest.startsWith('assumed-role/')) {
    const [, roleName = ''] = rest.split('/');
    return {
      type: 'role-session',
      arn,
      accountId: account,
      roleArn: `arn:${partition}:iam::${account}:role/${roleName}`,
      ...extra,
    };
  }
  if (service === 'sts' && rest.startsWith('federated-user/')) {
    const name = rest.slice('federated-user/'.length);
    return {
      type: 'federated-user',
      arn,
      accountId: account,
      federatingUserArn: `arn:${partition}:iam::${account}:user/${name}`,
      ...extra,
    };
  }
  throw new Error(`unsupported principal ARN: ${arn}`);
}
