/**
 * Condition evaluation (AWS docs: "IAM JSON policy elements: Condition operators" and
 * "Single-valued vs. multivalued context keys"), three-valued: a key that is not statically
 * known yields `unknown` instead of a guess.
 */

import { globSource, wildcardMatch } from '../../../lib/wildcard.js';
import {
  type ConditionOperatorName,
  NEGATED_OPERATORS,
  POSITIVE_OF,
  VARIABLE_OPERATORS,
} from './condition-operators.js';
import type { ContextValue, RequestContext } from './context.js';
import { ipInCidr } from './ip.js';
import type { ConditionTest } from './policy.js';
import { all3, any3, not3, type Tri, UNKNOWN } from './tri.js';
import { type Segment, segmentsToString, substitute } from './variables.js';

export interface ConditionResult {
  result: Tri;
  /** the tests whose outcome is unknown (only when `result` is unknown) */
  undecided: ConditionTest[];
}

export function evaluateConditions(tests: readonly ConditionTest[], ctx: RequestContext): ConditionResult {
  let result: Tri = true;
  const undecided: ConditionTest[] = [];
  for (const t of tests) {
    const r = evaluateTest(t, ctx);
    if (r === false) return { result: false, undecided: [] };
    if (r === UNKNOWN) {
      result = UNKNOWN;
      undecided.push(t);
    }
  }
  return { result, undecided: result === UNKNOWN ? undecided : [] };
}

export function evaluateTest(t: ConditionTest, ctx: RequestContext): Tri {
  const found = ctx.get(t.key);
  if (found === UNKNOWN) return UNKNOWN;
  if (t.base === 'Null') {
    const present = found !== undefined;
    return any3(t.values.map((v) => (v.toLowerCase() === 'true' ? !present : present)));
  }
  const negated = NEGATED_OPERATORS.has(t.base);
  if (found === undefined) {
    // The set qualifier decides before IfExists: ForAnyValue over no values is false even
    // with IfExists (observed on AWS, re:Post "ForAnyValue:StringEqualsIfExists behaving
    // unexpectedly"); ForAllValues over no values is vacuously true.
    if (t.setQualifier === 'ForAllValues') return true;
    if (t.setQualifier === 'ForAnyValue') return false;
    if (t.ifExists) return true;
    return negated;
  }
  const positive = negated ? (POSITIVE_OF[t.base] ?? t.base) : t.base;
  const patterns = t.values.map((v) =>
    VARIABLE_OPERATORS.has(t.base) ? substitute(v, ctx) : [{ text: v, literal: false }],
  );
  const matchOne = (c: string): Tri =>
    any3(
      patterns.map((p) => {
        if (p === UNKNOWN) return UNKNOWN;
        // A value whose policy variable has no value never helps the statement apply (AWS:
        // "the entire statement might be invalid"): no match for a positive operator, and a
        // match (so the negation fails) for a negated one.
        if (p === null) return negated;
        return matchValue(positive, c, p);
      }),
    );
  return combine(found, t.setQualifier, negated, matchOne);
}

function combine(
  found: ContextValue,
  qualifier: ConditionTest['setQualifier'],
  negated: boolean,
  matchOne: (c: string) => Tri,
): Tri {
  const values = found.values;
  if (qualifier === 'ForAllValues')
    return all3(values.map((c) => (negated ? not3(matchOne(c)) : matchOne(c))));
  if (qualifier === 'ForAnyValue')
    return any3(values.map((c) => (negated ? not3(matchOne(c)) : matchOne(c))));
  const any = any3(values.map(matchOne));
  return negated ? not3(any) : any;
}

function matchValue(op: ConditionOperatorName, c: string, p: Segment[]): boolean {
  const text = segmentsToString(p);
  switch (op) {
    case 'StringEquals':
      return c === text;
    case 'StringEqualsIgnoreCase':
      return c.toLowerCase() === text.toLowerCase();
    case 'StringLike':
      return new RegExp(`^${globSource(p)}$`).test(c);
    case 'NumericEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals':
      return compare(op, parseNumber(c), parseNumber(text));
    case 'DateEquals':
    case 'DateLessThan':
    case 'DateLessThanEquals':
    case 'DateGreaterThan':
    case 'DateGreaterThanEquals':
      return compare(op, parseDate(c), parseDate(text));
    case 'Bool':
      return c.toLowerCase() === text.toLowerCase();
    case 'BinaryEquals':
      return c === text;
    case 'IpAddress':
      return ipInCidr(c, text);
    case 'ArnEquals':
    case 'ArnLike':
      return arnLike(text, c);
    default:
      return false;
  }
}

function compare(op: ConditionOperatorName, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (op.endsWith('LessThanEquals')) return a <= b;
  if (op.endsWith('LessThan')) return a < b;
  if (op.endsWith('GreaterThanEquals')) return a >= b;
  if (op.endsWith('GreaterThan')) return a > b;
  return a === b;
}

function parseNumber(s: string): number {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s) ? Number(s) : Number.NaN;
}

/** ISO 8601 dates or epoch seconds (AWS docs: date condition operators). */
export function parseDate(s: string): number {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return Number.NaN;
  return Date.parse(s);
}

/**
 * ArnEquals / ArnLike: "each of the six colon-delimited components of the ARN is checked
 * separately", the resource part keeping any further colons.
 */
export function arnLike(pattern: string, value: string): boolean {
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  return p.every((part, i) => wildcardMatch(part, v[i] ?? ''));
}

function splitArn(arn: string): string[] | null {
  const parts = arn.split(':');
  if (parts.length < 6) return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
