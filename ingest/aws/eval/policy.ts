/**
 * IAM policy documents: the parsed shape and the parser. Parsing validates the grammar AWS
 * enforces when a policy is saved (AWS docs: "Grammar of the IAM JSON policy language") and
 * reports each problem with the JSON path of the offending element, so bad input can be
 * located in the user's file.
 */
import type { JsonObject, JsonValue } from '../../../graph/model.js';
import { jsonPathJoin } from '../../errors.js';
import { CONDITION_OPERATORS, type ConditionOperatorName } from './condition-operators.js';

/** Where a policy is used decides which elements it must or must not have. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'boundary' | 'session' | 'scp' | 'rcp';

export class PolicyError extends Error {
  constructor(
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`${jsonPath}: ${problem}`);
    this.name = 'PolicyError';
  }
}

/** The Principal / NotPrincipal element, by principal type. */
export interface PrincipalSpec {
  /** `"Principal": "*"`: everyone, anonymous included */
  everyone: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
}

export interface ConditionTest {
  /** as written, e.g. `ForAnyValue:StringLikeIfExists` */
  operator: string;
  base: ConditionOperatorName;
  setQualifier: 'ForAllValues' | 'ForAnyValue' | null;
  ifExists: boolean;
  /** condition key as written (keys compare case-insensitively) */
  key: string;
  values: string[];
}

export interface Statement {
  index: number;
  sid: string | null;
  effect: 'Allow' | 'Deny';
  action: string[] | null;
  notAction: string[] | null;
  resource: string[] | null;
  notResource: string[] | null;
  principal: PrincipalSpec | null;
  notPrincipal: PrincipalSpec | null;
  conditions: ConditionTest[];
  /** the statement exactly as written, for edge explanations */
  raw: JsonObject;
}

export interface Policy {
  version: string | null;
  id: string | null;
  statements: Statement[];
  /** the whole document as parsed JSON */
  raw: JsonObject;
}

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);

/**
 * Decode a policy as the IAM API returns it (URL-encoded JSON text), as the AWS CLI prints it
 * (a JSON object) or as plain JSON text.
 */
export function decodePolicyDocument(doc: unknown, path = '$'): JsonObject {
  let value: unknown = doc;
  if (typeof value === 'string') {
    let text = value.trim();
    if (!text.startsWith('{') && text.includes('%')) {
      try {
        text = decodeURIComponent(text.replace(/\+/g, '%20'));
      } catch {
        throw new PolicyError(path, 'policy document is a string that is neither JSON nor URL-encoded JSON');
      }
    }
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new PolicyError(path, `policy document is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(value)) throw new PolicyError(path, 'policy document must be a JSON object');
  return value;
}

export function parsePolicy(doc: unknown, kind: PolicyKind, path = '$'): Policy {
  const raw = decodePolicyDocument(doc, path);
  for (const key of Object.keys(raw)) {
    if (key !== 'Version' && key !== 'Id' && key !== 'Statement') {
      throw new PolicyError(jsonPathJoin(path, key), `unknown top-level element "${key}"`);
    }
  }
  const version = raw.Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') {
    throw new PolicyError(jsonPathJoin(path, 'Version'), 'Version must be "2012-10-17" or "2008-10-17"');
  }
  const id = raw.Id;
  if (id !== undefined && typeof id !== 'string')
    throw new PolicyError(jsonPathJoin(path, 'Id'), 'Id must be a string');
  const st = raw.Statement;
  const stPath = jsonPathJoin(path, 'Statement');
  if (st === undefined) throw new PolicyError(stPath, 'Statement is required');
  const list = Array.isArray(st) ? st : [st];
  const statements = list.map((s, i) =>
    parseStatement(s, kind, Array.isArray(st) ? jsonPathJoin(stPath, i) : stPath, i),
  );
  return {
    version: typeof version === 'string' ? version : null,
    id: typeof id === 'string' ? id : null,
    statements,
    raw,
  };
}

function parseStatement(s: unknown, kind: PolicyKind, path: string, index: number): Statement {
  if (!isObject(s)) throw new PolicyError(path, 'statement must be a JSON object');
  for (const key of Object.keys(s)) {
    if (!STATEMENT_KEYS.has(key)) throw new PolicyError(jsonPathJoin(path, key), `unknown element "${key}"`);
  }
  const sid = s.Sid;
  if (sid !== undefined && typeof sid !== 'string')
    throw new PolicyError(jsonPathJoin(path, 'Sid'), 'Sid must be a string');
  const effect = s.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new PolicyError(jsonPathJoin(path, 'Effect'), 'Effect must be "Allow" or "Deny"');
  }
  const action = optionalStrings(s, 'Action', path);
  const notAction = optionalStrings(s, 'NotAction', path);
  exactlyOne(action, notAction, 'Action', 'NotAction', path);
  for (const [name, list] of [
    ['Action', action],
    ['NotAction', notAction],
  ] as const) {
    list?.forEach((a, i) => {
      if (a !== '*' && !/^[A-Za-z0-9_.-]+:[A-Za-z0-9_*?.-]*$/.test(a)) {
        throw new PolicyError(
          jsonPathJoin(jsonPathJoin(path, name), i),
          `"${a}" is not an action ("service:Action" or "*")`,
        );
      }
    });
  }
  const resource = optionalStrings(s, 'Resource', path);
  const notResource = optionalStrings(s, 'NotResource', path);
  // Role trust policies have no resource (the role is the resource); everywhere else AWS requires one.
  if (kind === 'trust') {
    if (resource && notResource) exactlyOne(resource, notResource, 'Resource', 'NotResource', path);
  } else {
    exactlyOne(resource, notResource, 'Resource', 'NotResource', path);
  }
  const principal = optionalPrincipal(s, 'Principal', path);
  const notPrincipal = optionalPrincipal(s, 'NotPrincipal', path);
  const needsPrincipal = kind === 'resource' || kind === 'trust' || kind === 'rcp';
  if (needsPrincipal) {
    exactlyOne(principal, notPrincipal, 'Principal', 'NotPrincipal', path);
  } else if (principal || notPrincipal) {
    throw new PolicyError(
      jsonPathJoin(path, principal ? 'Principal' : 'NotPrincipal'),
      `a ${kind} policy cannot name a principal`,
    );
  }
  if (kind === 'rcp' && !(principal?.everyone || principal?.aws.includes('*'))) {
    throw new PolicyError(
      jsonPathJoin(path, 'Principal'),
      'a resource control policy must use "Principal": "*"',
    );
  }
  const conditions =
    s.Condition === undefined ? [] : parseCondition(s.Condition, jsonPathJoin(path, 'Condition'));
  return {
    index,
    sid: typeof sid === 'string' ? sid : null,
    effect,
    action,
    notAction,
    resource,
    notResource,
    principal,
    notPrincipal,
    conditions,
    raw: s,
  };
}

function parseCondition(c: JsonValue, path: string): ConditionTest[] {
  if (!isObject(c)) throw new PolicyError(path, 'Condition must be an object of operators');
  const out: ConditionTest[] = [];
  for (const [operator, block] of Object.entries(c)) {
    const opPath = jsonPathJoin(path, operator);
    const parsed = parseOperator(operator);
    if (!parsed) throw new PolicyError(opPath, `unknown condition operator "${operator}"`);
    if (!isObject(block)) throw new PolicyError(opPath, 'a condition operator takes an object of keys');
    for (const [key, raw] of Object.entries(block)) {
      const keyPath = jsonPathJoin(opPath, key);
      const list = Array.isArray(raw) ? raw : [raw];
      const values = list.map((v, i) => {
        if (typeof v === 'string') return v;
        if (typeof v === 'number' || typeof v === 'boolean') return String(v);
        throw new PolicyError(
          Array.isArray(raw) ? jsonPathJoin(keyPath, i) : keyPath,
          'condition values must be strings, numbers or booleans',
        );
      });
      out.push({ operator, ...parsed, key, values });
    }
  }
  return out;
}

/** Split `ForAnyValue:StringLikeIfExists` into its qualifier, base operator and IfExists flag. */
export function parseOperator(
  operator: string,
): Pick<ConditionTest, 'base' | 'setQualifier' | 'ifExists'> | null {
  let rest = operator;
  let setQualifier: ConditionTest['setQualifier'] = null;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon).toLowerCase();
    if (q === 'forallvalues') setQualifier = 'ForAllValues';
    else if (q === 'foranyvalue') setQualifier = 'ForAnyValue';
    else return null;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists') && rest.length > 'ifexists'.length) {
    ifExists = true;
    rest = rest.slice(0, -'ifexists'.length);
  }
  const base = CONDITION_OPERATORS.find((op) => op.toLowerCase() === rest.toLowerCase());
  if (!base) return null;
  // Null has no IfExists form (AWS docs: condition operators, "...IfExists").
  if (base === 'Null' && ifExists) return null;
  return { base, setQualifier, ifExists };
}

function optionalStrings(s: JsonObject, key: string, path: string): string[] | null {
  const v = s[key];
  if (v === undefined) return null;
  const p = jsonPathJoin(path, key);
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) {
    return v.map((x, i) => {
      if (typeof x !== 'string') throw new PolicyError(jsonPathJoin(p, i), `${key} entries must be strings`);
      return x;
    });
  }
  throw new PolicyError(p, `${key} must be a string or an array of strings`);
}

function optionalPrincipal(s: JsonObject, key: string, path: string): PrincipalSpec | null {
  const v = s[key];
  if (v === undefined) return null;
  const p = jsonPathJoin(path, key);
  const spec: PrincipalSpec = { everyone: false, aws: [], service: [], federated: [], canonicalUser: [] };
  if (v === '*') {
    spec.everyone = true;
    return spec;
  }
  if (!isObject(v)) throw new PolicyError(p, `${key} must be "*" or an object such as {"AWS": [...]}`);
  for (const [type, raw] of Object.entries(v)) {
    const tp = jsonPathJoin(p, type);
    const list = Array.isArray(raw) ? raw : [raw];
    const values = list.map((x, i) => {
      if (typeof x !== 'string')
        throw new PolicyError(Array.isArray(raw) ? jsonPathJoin(tp, i) : tp, 'principals must be strings');
      return x;
    });
    if (type === 'AWS') spec.aws.push(...values);
    else if (type === 'Service') spec.service.push(...values);
    else if (type === 'Federated') spec.federated.push(...values);
    else if (type === 'CanonicalUser') spec.canonicalUser.push(...values);
    else
      throw new PolicyError(tp, `unknown principal type "${type}" (AWS, Service, Federated, CanonicalUser)`);
  }
  return spec;
}

function exactlyOne(a: unknown, b: unknown, nameA: string, nameB: string, path: string): void {
  if (a && b)
    throw new PolicyError(jsonPathJoin(path, nameB), `a statement cannot have both ${nameA} and ${nameB}`);
  if (!a && !b) throw new PolicyError(path, `a statement needs ${nameA} or ${nameB}`);
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
