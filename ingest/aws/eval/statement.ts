/** Does one statement apply to one request? Three-valued, because conditions may be undecided. */

import { globSource, wildcardMatch } from '../../../lib/wildcard.js';
import { evaluateConditions } from './conditions.js';
import type { RequestContext } from './context.js';
import type { ConditionTest, Statement } from './policy.js';
import { type PrincipalVia, principalVia, type RequestPrincipal } from './principal.js';
import { and3, any3, not3, type Tri, UNKNOWN } from './tri.js';
import { substitute } from './variables.js';

export interface RequestFacts {
  principal: RequestPrincipal;
  /** `service:Action` */
  action: string;
  /** the resource ARN, or `*` for actions without resource-level permissions */
  resource: string;
  context: RequestContext;
}

export interface StatementOutcome {
  applies: Tri;
  /** how a Principal element named the caller (resource-based policies) */
  via: PrincipalVia | null;
  /** condition tests left undecided when `applies` is unknown */
  undecided: ConditionTest[];
}

const NO: StatementOutcome = { applies: false, via: null, undecided: [] };

export function actionMatches(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) => wildcardMatch(p, action, true));
}

/**
 * Per statement, the actions already checked against its Action/NotAction. Request-level
 * evaluation (decide, escalation checks, trust) asks about a few dozen distinct actions, but
 * for every principal and every statement that reaches it, so the answer is worth keeping.
 */
const namesMemo = new WeakMap<Statement, Map<string, boolean>>();

/** Does the statement's Action (or NotAction) element name the action? Neither element: yes. */
export function statementNamesAction(st: Statement, action: string): boolean {
  let seen = namesMemo.get(st);
  if (!seen) {
    seen = new Map();
    namesMemo.set(st, seen);
  }
  let hit = seen.get(action);
  if (hit === undefined) {
    if (st.action) hit = actionMatches(st.action, action);
    else if (st.notAction) hit = !actionMatches(st.notAction, action);
    else hit = true;
    if (seen.size > 4096) seen.clear(); // bounded: callers with many distinct actions gain nothing
    seen.set(action, hit);
  }
  return hit;
}

/**
 * `notResource`: how an entry whose policy variable has no value counts. AWS only says "If
 * AWS cannot resolve a variable, the entire statement might be invalid", so such an entry
 * never helps a statement apply: in Resource it matches nothing; in NotResource it excludes
 * every resource of its service, as iam-simulate does (docs/aws-evaluation-differences.md).
 */
export function resourceMatches(
  patterns: readonly string[],
  resource: string,
  ctx: RequestContext,
  notResource = false,
): Tri {
  return any3(
    patterns.map((p): Tri => {
      if (p === '*') return true;
      const segs = substitute(p, ctx);
      if (segs === UNKNOWN) return UNKNOWN;
      if (segs === null)
        return notResource && wildcardMatch(p.split(':')[2] ?? '', resource.split(':')[2] ?? '');
      if (segs.length === 1 && !segs[0]?.literal) return wildcardMatch(p, resource);
      return new RegExp(`^${globSource(segs)}$`).test(resource);
    }),
  );
}

export interface StatementOptions {
  /** resource-based policies name principals; identity-side policies do not */
  checkPrincipal: boolean;
  /**
   * The caller has a permissions boundary. AWS docs ("Permissions boundaries for IAM
   * entities"): a Deny with NotPrincipal always denies a principal that has a boundary.
   */
  hasBoundary?: boolean;
}

export function evaluateStatement(
  st: Statement,
  req: RequestFacts,
  opts: StatementOptions,
): StatementOutcome {
  if (!statementNamesAction(st, req.action)) return NO;
  let applies: Tri = true;
  if (st.resource) applies = resourceMatches(st.resource, req.resource, req.context);
  else if (st.notResource) applies = not3(resourceMatches(st.notResource, req.resource, req.context, true));
  if (applies === false) return NO;
  let via: PrincipalVia | null = null;
  if (opts.checkPrincipal) {
    if (st.principal) {
      via = principalVia(st.principal, req.principal);
      if (!via) return NO;
    } else if (st.notPrincipal) {
      const named = principalVia(st.notPrincipal, req.principal);
      const boundaryQuirk = st.effect === 'Deny' && opts.hasBoundary === true;
      if (named && !boundaryQuirk) return NO;
      via = 'direct';
    }
  }
  const cond = evaluateConditions(st.conditions, req.context);
  applies = and3(applies, cond.result);
  if (applies === false) return NO;
  return { applies, via, undecided: applies === UNKNOWN ? cond.undecided : [] };
}
