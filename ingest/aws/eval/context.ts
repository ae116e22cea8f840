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

function sameLookup(a: ContextLookup, b: ContextLookup): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === UNKNOWN || b === UNKNOWN) return false;
  if (a.multi !== b.multi || a.values.length !== b.values.length) return false;
  return a.values.every((v, i) => v === b.values[i]);
}

/**
 * Results of evaluations that depend on the request context only through the keys they read.
 * Principals that share policies ask the same question with different contexts (their own
 * name, tags, …); most policies read none of what differs. Each entry keeps the keys its
 * evaluation read and what they returned, and is reused only for a context that returns the
 * same for every one of them: the evaluation would then take the same path and give the same
 * result. Contexts that differ in what is read (a policy naming `${aws:username}`) get
 * entries of their own, up to `maxVariants` per key; beyond that they are evaluated each time.
 */
export class ContextMemo<T> {
  private readonly entries = new Map<string, Array<{ reads: Array<[string, ContextLookup]>; value: T }>>();

  constructor(private readonly maxVariants = 8) {}

  get(key: string, ctx: RequestContext, compute: (ctx: RequestContext) => T): T {
    let variants = this.entries.get(key);
    for (const v of variants ?? []) {
      if (v.reads.every(([k, was]) => sameLookup(ctx.get(k), was))) return v.value;
    }
    const reads: Array<[string, ContextLookup]> = [];
    const value = compute({
      get(k) {
        const v = ctx.get(k);
        reads.push([k, v]);
        return v;
      },
    });
    if (!variants) {
      variants = [];
      this.entries.set(key, variants);
    }
    if (variants.length < this.maxVariants) variants.push({ reads, value });
    return value;
  }
}
