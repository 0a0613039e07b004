import { ArgumentError } from './errors.ts';
import { describe, MAX_ELEMENTS } from './shape.ts';

/**
 * A small, fast, seedable generator (xoshiro128**, seeded through splitmix32). Integer arithmetic
 * only, so the same seed gives the same numbers on every machine and every JavaScript engine.
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.reseed('Generator', seed);
  }

  /** Restarts the sequence from `seed` (any finite number; non-integers are truncated). */
  manualSeed(seed: number): this {
    return this.reseed('manualSeed', seed);
  }

  private reseed(op: string, seed: number): this {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ArgumentError(op, `seed must be a finite number, got ${describe(seed)}`);
    let x = Math.trunc(seed) >>> 0;
    const hi = Math.floor(Math.trunc(seed) / 4294967296) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x ^ hi;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
    return this;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    checkFiniteArg('uniform', 'low', low);
    checkFiniteArg('uniform', 'high', high);
    return low + (high - low) * this.random();
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(mean = 0, std = 1): number {
    if (mean !== 0 || std !== 1) {
      checkFiniteArg('normal', 'mean', mean);
      checkFiniteArg('normal', 'std', std);
      if (std < 0) throw new ArgumentError('normal', `std must be >= 0, got ${std}`);
    }
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Integer uniform in [low, high). */
  randint(low: number, high: number): number {
    checkRandintBounds('randint', low, high);
    return low + Math.floor(this.random() * (high - low));
  }

  /** A random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): number[] {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_ELEMENTS) {
      throw new ArgumentError('permutation', `n must be an integer from 0 to ${MAX_ELEMENTS}, got ${describe(n)}`);
    }
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}

function checkFiniteArg(op: string, arg: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(op, `${arg} must be a finite number, got ${describe(v)}`);
}

/** Integer bounds low < high that a double represents exactly (|low|, |high| <= 2^53). */
export function checkRandintBounds(op: string, low: unknown, high: unknown): void {
  const ok = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v);
  if (!ok(low) || !ok(high) || (high as number) <= (low as number)) {
    throw new ArgumentError(op, `needs safe integers low < high, got low=${describe(low)}, high=${describe(high)}`);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator used when none is passed. */
export const defaultGenerator = new Generator(0);

/** Seeds the default generator, like `torch.manual_seed`. */
export function manualSeed(seed: number): void {
  defaultGenerator.manualSeed(seed);
}
