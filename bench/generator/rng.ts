/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so the generator's output depends
 * only on the seed: Math.random would make benchmark inputs unrepeatable.
 */

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` derives independent sequences from one seed (one per account), so accounts can be made one at a time */
  constructor(seed: number, stream = 0) {
    const mix = splitmix32((seed ^ Math.imul(stream + 1, 0x27d4eb2d)) >>> 0);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.next(); // sfc32 needs a few rounds to spread a small seed
  }

  /** uniform 32-bit unsigned integer */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** uniform in [0, 1) */
  float(): number {
    return this.next() / 4294967296;
  }

  /** integer in [min, max] */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[Math.floor(this.float() * xs.length)] as T;
  }

  /** `k` distinct elements (all of them when k ≥ length), in a seeded order */
  sample<T>(xs: readonly T[], k: number): T[] {
    const n = Math.min(k, xs.length);
    const idx = xs.map((_, i) => i);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.float() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
    }
    return idx.slice(0, n).map((i) => xs[i] as T);
  }

  /** a skewed index in [0, n): small indexes are much more likely (popular policies, big groups) */
  zipf(n: number): number {
    return Math.min(n - 1, Math.floor(n * this.float() ** 2.5));
  }
}
