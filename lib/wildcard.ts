/**
 * IAM-style wildcard matching (AWS policies; partial denies on grants of any cloud, graph/access-exceptions.ts): `*` matches any run of characters (including none), `?` exactly one.
 * Actions compare case-insensitively, resources and ARNs case-sensitively (AWS docs:
 * "IAM JSON policy elements: Action / Resource").
 */

// One cache per case mode, so a lookup needs no key concatenation (this is the innermost loop
// of every policy evaluation).
const caseSensitive = new Map<string, RegExp>();
const caseInsensitive = new Map<string, RegExp>();

function escapeRegex(text: string): string {
  return text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}

/** Regex source for a glob; `literal` parts (substituted variables, `${*}` escapes) never act as wildcards. */
export function globSource(parts: ReadonlyArray<{ text: string; literal: boolean }>): string {
  let out = '';
  for (const p of parts) {
    if (p.literal) {
      out += escapeRegex(p.text);
      continue;
    }
    for (const ch of p.text) {
      if (ch === '*') out += '[\\s\\S]*';
      else if (ch === '?') out += '[\\s\\S]';
      else out += escapeRegex(ch);
    }
  }
  return out;
}

function compiled(pattern: string, ignoreCase: boolean): RegExp {
  const cache = ignoreCase ? caseInsensitive : caseSensitive;
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${globSource([{ text: pattern, literal: false }])}$`, ignoreCase ? 'i' : '');
    if (cache.size > 25_000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return compiled(pattern, ignoreCase).test(value);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
