/**
 * Three-valued (Kleene) logic. At load time many request-context keys (source IP, MFA,
 * request tags, …) are not statically known; a condition on such a key is neither true nor
 * false, and the decision built from it must say "depends" instead of guessing.
 */
export type Tri = true | false | 'unknown';

export const UNKNOWN = 'unknown' as const;

export function and3(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === true && b === true) return true;
  return UNKNOWN;
}

export function or3(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return UNKNOWN;
}

export function not3(a: Tri): Tri {
  return a === UNKNOWN ? UNKNOWN : !a;
}

export function all3(values: Iterable<Tri>): Tri {
  let acc: Tri = true;
  for (const v of values) {
    acc = and3(acc, v);
    if (acc === false) return false;
  }
  return acc;
}

export function any3(values: Iterable<Tri>): Tri {
  let acc: Tri = false;
  for (const v of values) {
    acc = or3(acc, v);
    if (acc === true) return true;
  }
  return acc;
}
