// Deterministic randomness for the demo world: the same seed and index always give the same values, so any
// enterprise can be generated on its own (chunked loads of a million rows) and two builds are identical.

export type Rng = () => number;

/** murmur3's 32-bit finaliser: spreads neighbouring integers over the whole range. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: a small, fast 32-bit generator; returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent generator for item `index` of a named stream (enterprises, managers …) under one world seed. */
export function rngFor(seed: number, stream: number, index: number): Rng {
  return mulberry32(mix32(mix32(seed ^ Math.imul(stream, 0x9e3779b9)) ^ mix32(index + 0x7f4a7c15)));
}

export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** Weighted choice: `items` carry a `weight`; the cumulative table is built once per list. */
export function weightedPicker<T extends { weight: number }>(items: readonly T[]): (rng: Rng) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += item.weight;
    cumulative.push(total);
  }
  return (rng) => {
    const target = rng() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] > target) high = mid;
      else low = mid + 1;
    }
    return items[low];
  };
}

/** Standard normal deviate (Box–Muller). */
export function normal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal with the given median and spread (σ of the log). */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * A bijection of [0, size): index → (a·index + b) mod size with a coprime to size. Distinct indices give
 * distinct values, which is how names and credit codes stay unique without remembering every one issued.
 */
export function affinePermutation(size: number, seed: number): (index: number) => number {
  let a = 1 + (mix32(seed) % (size - 1));
  while (gcd(a, size) !== 1) a += 1;
  const b = mix32(seed ^ 0x5bd1e995) % size;
  const bigA = BigInt(a);
  const bigB = BigInt(b);
  const bigSize = BigInt(size);
  // a·index can exceed 2^53 for large spaces: exact arithmetic only when it might.
  return size * size < Number.MAX_SAFE_INTEGER ? (index) => (a * index + b) % size : (index) => Number((bigA * BigInt(index) + bigB) % bigSize);
}
