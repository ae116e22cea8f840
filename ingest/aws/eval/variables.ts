/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}` and
 * the escapes `${*}`, `${?}`, `${$}` (AWS docs: "IAM policy elements: Variables and tags").
 *
 * Substituted values are literal text: a `*` that comes from a variable or an escape never
 * acts as a wildcard.
 */
import type { RequestContext } from './context.js';
import { UNKNOWN } from './tri.js';

export interface Segment {
  text: string;
  literal: boolean;
}

/** `null`: a variable has no value (the element does not match); `unknown`: not statically known. */
export type Substituted = Segment[] | null | typeof UNKNOWN;

const VAR = /\$\{([^}]*)\}/g;

export function hasVariables(text: string): boolean {
  return text.includes('${');
}

export function substitute(text: string, ctx: RequestContext): Substituted {
  if (!hasVariables(text)) return [{ text, literal: false }];
  const out: Segment[] = [];
  let last = 0;
  let unknown = false;
  for (const m of text.matchAll(VAR)) {
    const start = m.index ?? 0;
    if (start > last) out.push({ text: text.slice(last, start), literal: false });
    last = start + m[0].length;
    const body = (m[1] ?? '').trim();
    if (body === '*' || body === '?' || body === '$') {
      out.push({ text: body, literal: true });
      continue;
    }
    // `${key, 'default'}`: the default applies when the key is absent.
    const dm = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(body);
    const key = dm ? (dm[1] ?? '') : body;
    const fallback = dm ? (dm[2] ?? '') : null;
    const v = ctx.get(key);
    if (v === UNKNOWN) {
      unknown = true;
      continue;
    }
    if (v === undefined || v.values.length === 0) {
      if (fallback === null) return null;
      out.push({ text: fallback, literal: true });
      continue;
    }
    // A multivalued key cannot stand in a single string (AWS: such a variable is invalid there).
    if (v.multi && v.values.length !== 1) return null;
    out.push({ text: v.values[0] ?? '', literal: true });
  }
  if (last < text.length) out.push({ text: text.slice(last), literal: false });
  return unknown ? UNKNOWN : out;
}

export function segmentsToString(segments: readonly Segment[]): string {
  return segments.map((s) => s.text).join('');
}

/** A pattern with every policy variable read as "any value": `${aws:username}` → `*`. */
export function variablesAsWildcards(pattern: string): string {
  return pattern.replace(/\$\{[^}]*\}/g, '*');
}
