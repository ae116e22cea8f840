/** The base condition operators AWS defines (AWS docs: "IAM JSON policy elements: Condition operators"). */
export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
] as const;
export type ConditionOperatorName = (typeof CONDITION_OPERATORS)[number];

/**
 * Negated operators are true when no policy value matches, and true when the key is absent
 * (AWS docs: "a negated matching condition operator ... returns true if the key is missing").
 */
export const NEGATED_OPERATORS: ReadonlySet<ConditionOperatorName> = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

/** The positive operator a negated one inverts. */
export const POSITIVE_OF: Partial<Record<ConditionOperatorName, ConditionOperatorName>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/** Operators whose policy values may contain policy variables (AWS docs: "Where you can use policy variables"). */
export const VARIABLE_OPERATORS: ReadonlySet<ConditionOperatorName> = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Bool',
]);
