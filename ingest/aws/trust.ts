/**
 * CAN_ASSUME: who can become a role. A role is assumable when its trust policy allows the
 * caller AND the caller's own policies allow sts:AssumeRole on it (AWS docs: "Policy
 * evaluation logic": trust policies must allow the principal explicitly; a trust naming the
 * account root delegates to the account's identity policies). For callers inside the account
 * we evaluate both sides with the full engine; outside callers (other accounts, services,
 * identity providers) become External nodes whose own side we cannot see.
 */
import type { JsonValue } from '../../graph/model.js';
import { evaluateConditions } from './eval/conditions.js';
import { type Decision, decide, type NamedPolicy, type OrgLevel } from './eval/decide.js';
import type { Policy, Statement } from './eval/policy.js';
import { accountOfPrincipalEntry } from './eval/principal.js';
import { actionMatches } from './eval/statement.js';
import { conditionBlock } from './grants.js';
import { type KnownPrincipal, requestPrincipalOf, staticContext } from './principal-context.js';

export const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

export interface Caller {
  known: KnownPrincipal;
  identity: NamedPolicy[];
  boundary: NamedPolicy | null;
}

export interface AssumeResult {
  conditional: boolean;
  conditions: JsonValue[];
  decision: Decision;
}

export function undecidedOf(d: Decision): JsonValue[] {
  const out: JsonValue[] = [];
  for (const s of [...d.decisive, ...d.undecidedDenies]) {
    if (s.undecided.length === 0) continue;
    out.push({
      effect: s.effect,
      policy: s.policyId,
      policyType: s.policyType,
      statement: s.statement,
      condition: conditionBlock(s.undecided),
    });
  }
  return out;
}

/** Can an in-account caller assume the role? Both the trust policy and the caller's side must allow. */
export interface OrgGuardrails {
  scpLevels: OrgLevel[];
  managementAccountId: string | null;
}

export function canAssume(
  caller: Caller,
  role: { arn: string; accountId: string },
  trust: NamedPolicy,
  now: Date,
  org?: OrgGuardrails,
): AssumeResult | null {
  const d = decide({
    request: {
      principal: requestPrincipalOf(caller.known),
      action: 'sts:AssumeRole',
      resource: role.arn,
      resourceAccountId: role.accountId,
      context: staticContext(caller.known, now),
    },
    identityPolicies: caller.identity,
    permissionBoundary: caller.boundary,
    resourcePolicy: trust,
    resourcePolicyRequired: true,
    scpLevels: org?.scpLevels ?? null,
    managementAccountId: org?.managementAccountId ?? null,
  });
  if (d.decision !== 'Allowed') return null;
  return { conditional: d.conditional, conditions: undecidedOf(d), decision: d };
}

export type OutsideKind = 'account' | 'principal' | 'service' | 'federated' | 'public';

/**
 * The External node for "principals of another account". It must not be the account's own
 * id (`arn:aws:iam::<id>:root`): that account may be ours, defined as an Account by its own
 * source or by the organization's, and in the store the last source to write an id owns the
 * node, so a shared id would make the account flip between Account and External with load
 * order. The suffix keeps the ARN prefix, so the account id still reads from the id.
 */
export function outsideAccountNodeId(accountId: string): string {
  return `arn:aws:iam::${accountId}:root#external`;
}

export interface OutsideTrust {
  /** External node id: `outsideAccountNodeId`, the principal ARN, the service or provider name, or `aws:*` */
  id: string;
  kind: OutsideKind;
  /** the trusted account, for kind `account` */
  accountId?: string;
  statement: Statement;
  conditional: boolean;
  conditions: JsonValue[];
}

/** Trusted principals outside the account, each with the trust statement's undecided conditions. */
export function outsideTrusts(trust: Policy, accountId: string, now: Date): OutsideTrust[] {
  const out: OutsideTrust[] = [];
  // The caller is unknown: only time keys are known.
  const ctx = staticContext({ kind: 'outsider', arn: '', accountId: '' }, now);
  for (const st of trust.statements) {
    if (st.effect !== 'Allow' || !st.principal) continue;
    if (
      !ASSUME_ACTIONS.some((a) =>
        st.action ? actionMatches(st.action, a) : !actionMatches(st.notAction ?? [], a),
      )
    )
      continue;
    const c = evaluateConditions(st.conditions, ctx);
    if (c.result === false) continue;
    const conditional = c.result !== true;
    const conditions: JsonValue[] = conditional
      ? [
          {
            effect: 'Allow',
            policyType: 'trust',
            statement: st.sid ?? st.index,
            condition: conditionBlock(c.undecided),
          },
        ]
      : [];
    const add = (id: string, kind: OutsideKind, acct?: string) =>
      out.push({ id, kind, ...(acct ? { accountId: acct } : {}), statement: st, conditional, conditions });
    if (st.principal.everyone) add('aws:*', 'public');
    for (const entry of st.principal.aws) {
      if (entry === '*') {
        add('aws:*', 'public');
        continue;
      }
      const acct = accountOfPrincipalEntry(entry);
      if (acct !== null) {
        if (acct !== accountId) add(outsideAccountNodeId(acct), 'account', acct);
      } else if (!entry.includes(`::${accountId}:`)) {
        add(entry, 'principal');
      }
    }
    for (const s of st.principal.service) add(s, 'service');
    for (const f of st.principal.federated) add(f, 'federated');
  }
  return out;
}

/** Cheap pre-check: could this trust policy let anyone in the account assume the role? */
export function trustNamesAccountOrPrincipal(
  trust: Policy,
  accountId: string,
  arn: string,
): 'direct' | 'account' | null {
  let best: 'direct' | 'account' | null = null;
  for (const st of trust.statements) {
    if (st.effect !== 'Allow') continue;
    const spec = st.principal ?? st.notPrincipal;
    if (!spec) continue;
    if (st.notPrincipal || spec.everyone || spec.aws.includes('*')) return 'direct';
    for (const e of spec.aws) {
      if (e === arn) return 'direct';
      if (accountOfPrincipalEntry(e) === accountId) best = 'account';
    }
  }
  return best;
}
