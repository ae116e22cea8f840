/** The AWS policy evaluation engine: parse policies, evaluate requests exactly as AWS documents. */

export { wildcardMatch } from '../../../lib/wildcard.js';
export { type ContextLookup, type ContextValue, makeContext, type RequestContext } from './context.js';
export {
  type AccessRequest,
  type Decision,
  type DecisionKind,
  decide,
  type EvaluationInput,
  type NamedPolicy,
  type OrgLevel,
  type PolicySetType,
  type StatementRef,
} from './decide.js';
export {
  type ConditionTest,
  decodePolicyDocument,
  type Policy,
  PolicyError,
  type PolicyKind,
  type PrincipalSpec,
  parsePolicy,
  type Statement,
} from './policy.js';
export {
  accountOfPrincipalEntry,
  type PrincipalType,
  principalFromArn,
  type RequestPrincipal,
} from './principal.js';
export { actionMatches, evaluateStatement, resourceMatches } from './statement.js';
export { type Tri, UNKNOWN } from './tri.js';
