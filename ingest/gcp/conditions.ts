/**
 * IAM Conditions (a subset of CEL) decided statically, three-valued: `true` and `false`
 * when the facts known at ingest decide the expression, `null` when they do not (the grant
 * is then kept and flagged conditional). Known facts: `request.time` (the ingest time) and,
 * for a binding on a single resource, `resource.name` / `resource.type` / `resource.service`.
 * Everything else (`request.path`, `api.getAttribute`, `resource.matchTag`, destination
 * IPs, …) is unknown. An expression this parser does not understand is unknown, never an
 * error: Google validated it when the binding was written.
 */

export type Tri = boolean | null;

export interface ConditionFacts {
  now: Date;
  resource?: { name: string; type: string; service: string };
}

type Value =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'time'; v: number }
  | { t: 'dur'; v: number }
  | { t: 'unknown' };

const UNKNOWN: Value = { t: 'unknown' };

class Unsupported extends Error {}

interface Token {
  k: 'id' | 'str' | 'num' | 'op' | 'end';
  v: string;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[j + 1] as string;
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
          continue;
        }
        s += src[j];
        j++;
      }
      if (j >= src.length) throw new Unsupported('unterminated string');
      out.push({ k: 'str', v: s });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ k: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ k: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(&&|\|\||==|!=|<=|>=|<|>|!|\(|\)|\.|,|\[|\])/.exec(src.slice(i));
    if (!op) throw new Unsupported(`unexpected ${c}`);
    out.push({ k: 'op', v: op[0] });
    i += op[0].length;
  }
  out.push({ k: 'end', v: '' });
  return out;
}

const and = (a: Tri, b: Tri): Tri =>
  a === false || b === false ? false : a === true && b === true ? true : null;
const or = (a: Tri, b: Tri): Tri =>
  a === true || b === true ? true : a === false && b === false ? false : null;
const not = (a: Tri): Tri => (a === null ? null : !a);

function truth(v: Value): Tri {
  if (v.t === 'bool') return v.v;
  if (v.t === 'unknown') return null;
  throw new Unsupported('not a boolean');
}

function compare(op: string, a: Value, b: Value): Tri {
  if (a.t === 'unknown' || b.t === 'unknown') return null;
  if (a.t !== b.t) throw new Unsupported('comparing different types');
  const x = a.v as string | number | boolean;
  const y = b.v as string | number | boolean;
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

/** `3600s`, `1.5h`, `30m` (CEL duration strings) in milliseconds. */
function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(h|m|s|ms)$/.exec(s);
  if (!m) throw new Unsupported(`duration ${s}`);
  const n = Number(m[1]);
  return n * { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[m[2] as 'h' | 'm' | 's' | 'ms'];
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Token[],
    private readonly facts: ConditionFacts,
  ) {}

  private peek(): Token {
    return this.toks[this.i] as Token;
  }
  private eat(v?: string): Token {
    const t = this.peek();
    if (v !== undefined && t.v !== v) throw new Unsupported(`expected ${v}`);
    this.i++;
    return t;
  }

  parse(): Tri {
    const v = this.or();
    if (this.peek().k !== 'end') throw new Unsupported('trailing input');
    return truth(v);
  }

  private or(): Value {
    let acc = this.and();
    while (this.peek().v === '||') {
      this.eat();
      const r = this.and();
      acc = triValue(or(truth(acc), truth(r)));
    }
    return acc;
  }
  private and(): Value {
    let acc = this.comparison();
    while (this.peek().v === '&&') {
      this.eat();
      const r = this.comparison();
      acc = triValue(and(truth(acc), truth(r)));
    }
    return acc;
  }
  private comparison(): Value {
    const left = this.unary();
    const op = this.peek().v;
    if (['==', '!=', '<', '<=', '>', '>='].includes(op) && this.peek().k === 'op') {
      this.eat();
      return triValue(compare(op, left, this.unary()));
    }
    return left;
  }
  private unary(): Value {
    if (this.peek().v === '!') {
      this.eat();
      return triValue(not(truth(this.unary())));
    }
    return this.postfix();
  }

  private postfix(): Value {
    const t = this.eat();
    let path: string | null = null;
    let v: Value;
    if (t.k === 'str') v = { t: 'str', v: t.v };
    else if (t.k === 'num') v = { t: 'num', v: Number(t.v) };
    else if (t.v === '(') {
      v = this.or();
      this.eat(')');
    } else if (t.k === 'id') {
      if (t.v === 'true' || t.v === 'false') v = { t: 'bool', v: t.v === 'true' };
      else if (this.peek().v === '(') v = this.globalCall(t.v);
      else {
        path = t.v;
        v = UNKNOWN;
      }
    } else throw new Unsupported(`unexpected ${t.v}`);
    for (;;) {
      const p = this.peek();
      if (p.v === '.') {
        this.eat();
        const name = this.eat().v;
        if (this.peek().v === '(') {
          const target = path !== null ? this.variable(path) : v;
          path = null;
          v = this.method(target, name, this.args());
        } else if (path !== null) path = `${path}.${name}`;
        else v = UNKNOWN;
      } else if (p.v === '[') {
        this.eat();
        this.or();
        this.eat(']');
        path = null;
        v = UNKNOWN; // map/list indexing (request.auth.claims[...]): never known statically
      } else break;
    }
    return path !== null ? this.variable(path) : v;
  }

  private args(): Value[] {
    this.eat('(');
    const out: Value[] = [];
    while (this.peek().v !== ')') {
      out.push(this.or());
      if (this.peek().v === ',') this.eat();
      else break;
    }
    this.eat(')');
    return out;
  }

  private variable(path: string): Value {
    if (path === 'request.time') return { t: 'time', v: this.facts.now.getTime() };
    const r = this.facts.resource;
    if (r && path === 'resource.name') return { t: 'str', v: r.name };
    if (r && path === 'resource.type') return { t: 'str', v: r.type };
    if (r && path === 'resource.service') return { t: 'str', v: r.service };
    return UNKNOWN;
  }

  private globalCall(name: string): Value {
    const args = this.args();
    const a = args[0];
    if (name === 'timestamp' && a?.t === 'str') {
      const ms = Date.parse(a.v);
      if (Number.isNaN(ms)) throw new Unsupported(`timestamp ${a.v}`);
      return { t: 'time', v: ms };
    }
    if (name === 'duration' && a?.t === 'str') return { t: 'dur', v: parseDuration(a.v) };
    return UNKNOWN;
  }

  private method(target: Value, name: string, args: Value[]): Value {
    const a = args[0];
    if (target.t === 'unknown' || a?.t === 'unknown') return UNKNOWN;
    if (target.t === 'str' && a?.t === 'str') {
      if (name === 'startsWith') return { t: 'bool', v: target.v.startsWith(a.v) };
      if (name === 'endsWith') return { t: 'bool', v: target.v.endsWith(a.v) };
      if (name === 'contains') return { t: 'bool', v: target.v.includes(a.v) };
    }
    // getHours("Europe/Berlin"), extract(), matchTag(), …: not decided here
    return UNKNOWN;
  }
}

function triValue(t: Tri): Value {
  return t === null ? UNKNOWN : { t: 'bool', v: t };
}

/** Decide a condition expression with the facts known at ingest (null = undecided). */
export function decideCondition(expression: string, facts: ConditionFacts): Tri {
  try {
    return new Parser(tokenize(expression), facts).parse();
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

/**
 * Decide a condition for a binding on one resource. Requests under it can name a
 * sub-resource (an object in a bucket, a table in a dataset) whose name extends the
 * resource's and whose type differs, so a result counts only when it holds for the
 * resource itself and for any sub-resource alike.
 */
export function decideAtResource(
  expression: string,
  now: Date,
  resource: { name: string; type: string; service: string },
): Tri {
  const own = decideCondition(expression, { now, resource });
  if (own === null) return null;
  const child = decideCondition(expression, { now });
  const childNamed = decideCondition(expression, {
    now,
    resource: { name: `${resource.name}/\u0000sub`, type: '\u0000sub-type', service: resource.service },
  });
  if (child === own) return own;
  return childNamed === own && !/resource\.type/.test(expression) ? own : null;
}
