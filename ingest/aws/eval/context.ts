/**
 * The request context: condition keys and their values. Keys compare case-insensitively.
 *
 * A key is in one of three states: present (with values), absent (the request does not carry
 * it), or unknown (we evaluate at load time and cannot know, e.g. the caller's source IP).
 * Unknown keys make conditions three-valued; see tri.ts.
 */
import { UNKNOWN } from './tri.js';

export interface ContextValue {
  values: string[];
  /** true when the key is multivalued (an array in the request), which matters for set operators */
  multi: boolean;
}

export type ContextLookup = ContextValue | undefined | typeof UNKNOWN;

export interface RequestContext {
  get(key: string): ContextLookup;
}

export interface ContextOptions {
  /**
   * What a key not listed means: `absent` (a concrete request: AWS's own behaviour) or
   * `unknown` (static evaluation at load time).
   */
  missing: 'absent' | 'unknown';
  /** Lowercase key prefixes (or whole keys) known to be absent even when `missing` is `unknown`, e.g. `aws:principaltag/`. */
  absentPrefixes?: readonly string[];
}

export function makeContext(
  values: Readonly<Record<string, string | readonly string[]>>,
  options: ContextOptions = { missing: 'absent' },
): RequestContext {
  const map = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(values)) {
    map.set(
      k.toLowerCase(),
      typeof v === 'string' ? { values: [v], multi: false } : { values: [...v], multi: true },
    );
  }
  const absent = options.absentPrefixes ?? [];
  return {
    get(key: string): ContextLookup {
      const k = key.toLowerCase();
      const hit = map.get(k);
      if (hit) return hit;
      if (options.missing === 'absent') return undefined;
      return absent.some((p) => k === p || (p.endsWith('/') && k.startsWith(p))) ? undefined : UNKNOWN;
    },
  };
}
