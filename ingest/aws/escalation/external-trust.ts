/**
 * Facts findings need about a trust statement that lets an outsider in (other account,
 * federated provider, service, anyone): whether it demands an external ID, and which account
 * it trusts. The "confused deputy" guidance (AWS IAM docs, "The confused deputy problem")
 * is that third parties assuming a role should present `sts:ExternalId`.
 */
import type { JsonObject } from '../../../graph/model.js';
import type { Statement } from '../eval/policy.js';
import type { OutsideKind } from '../trust.js';

/**
 * true when the statement cannot apply without an external ID: a condition on sts:ExternalId
 * that an absent key fails (any operator but `…IfExists`, or `Null: false`).
 */
export function requiresExternalId(st: Statement): boolean {
  return st.conditions.some((c) => {
    if (c.key.toLowerCase() !== 'sts:externalid') return false;
    if (c.base === 'Null') return c.values.every((v) => v.toLowerCase() === 'false');
    return !c.ifExists;
  });
}

/** Props for a CAN_ASSUME edge from an External node. */
export function externalTrustProps(id: string, kind: OutsideKind, st: Statement): JsonObject {
  const props: JsonObject = { externalIdRequired: requiresExternalId(st) };
  const account = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(id)?.[1];
  if ((kind === 'account' || kind === 'principal') && account) props.trustedAccount = account;
  return props;
}
