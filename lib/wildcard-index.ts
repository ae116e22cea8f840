/**
 * Which of many fixed strings (resource ARNs) a wildcard pattern matches, without testing
 * every one: a match must start with the pattern's text before its first wildcard, and the
 * strings sharing a prefix sit together once sorted. Answers keep the strings' input order.
 * Case-sensitive, like resource matching (wildcard.ts).
 */
import { wildcardMatch } from './wildcard.js';

export class WildcardIndex {
  /** input positions, ordered by their string */
  private readonly order: number[];

  constructor(private readonly values: readonly string[]) {
    this.order = values.map((_, i) => i).sort((a, b) => compare(values[a] as string, values[b] as string));
  }

  /** Positions (ascending) of the values the pattern matches. */
  matching(pattern: string): number[] {
    const cut = firstWildcard(pattern);
    const prefix = pattern.slice(0, cut);
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.at(mid), prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let k = lo; k < this.order.length; k++) {
      const v = this.at(k);
      if (!v.startsWith(prefix)) break;
      if (wildcardMatch(pattern, v)) out.push(this.order[k] as number);
    }
    return out.sort((a, b) => a - b);
  }

  private at(k: number): string {
    return this.values[this.order[k] as number] as string;
  }
}

/** Code-unit order, in which every string starting with a prefix follows it without a gap. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function firstWildcard(pattern: string): number {
  const star = pattern.indexOf('*');
  const q = pattern.indexOf('?');
  if (star < 0) return q < 0 ? pattern.length : q;
  return q < 0 ? star : Math.min(star, q);
}
