/**
 * Azure RBAC action strings: `Microsoft.Compute/virtualMachines/*`, `*​/read`, `*`. Matching
 * is case-insensitive and `*` stands for any run of characters, slashes included, wherever
 * it appears (Azure documents wildcards anywhere in the string).
 */
const compiled = new Map<string, RegExp>();

function regexFor(pattern: string): RegExp {
  const key = pattern.toLowerCase();
  let re = compiled.get(key);
  if (!re) {
    const body = key
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`, 's');
    compiled.set(key, re);
  }
  return re;
}

/** Whether an action pattern covers a concrete operation name. */
export function actionMatches(pattern: string, operation: string): boolean {
  return regexFor(pattern).test(operation.toLowerCase());
}

export function matchesAny(patterns: readonly string[], operation: string): boolean {
  return patterns.some((p) => actionMatches(p, operation));
}

export const isWildcard = (s: string): boolean => s.includes('*');
