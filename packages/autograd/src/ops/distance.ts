/**
 * Distances between vectors: cosineSimilarity, pairwiseDistance, cdist, normalize (torch 1.13's
 * torch.nn.functional semantics). cosineSimilarity, pairwiseDistance and normalize are composites of
 * reductions and elementwise ops (their gradients are exactly PyTorch's, with second order for free);
 * cdist is a primitive with a plain-loop forward and torch's `_cdist_backward` written with Tensor ops.
 */
import { allocate } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, renameErrors, ShapeError } from '../errors.ts';
import { broadcastShapes, checkBoolean, checkOptions, describe, formatShape, normalizeAxis, shapesEqual, sizeOf, type Shape } from '../shape.ts';
import { toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OracleInput, type OracleOutput, type Pick } from './define.ts';
import { abs, add, clamp, div, eq, lt, maximum, mul, neg, pow, sign, sqrt, sub, where } from './elementwise.ts';
import { composite, pair, primitive, type OpEntry } from './helpers.ts';
import { norm, sum } from './reduce.ts';
import { expand, reshape, unsqueeze } from './shape-ops.ts';
import { zeros } from './creation.ts';

// ------------------------------------------------------------------ helpers

/** Checks that `p` is a norm order these functions accept: a number > 0, or Infinity. */
function checkP(op: string, p: unknown, allowZero = false): number {
  if (typeof p !== 'number' || Number.isNaN(p) || p < 0 || (!allowZero && p === 0)) {
    throw new ArgumentError(op, `p must be a positive number or Infinity${allowZero ? ' (or 0)' : ''}, got ${describe(p)}`);
  }
  return p;
}

/** A non-negative, non-NaN eps. */
function checkEps(op: string, eps: unknown): number {
  if (typeof eps !== 'number' || !(eps >= 0)) throw new ArgumentError(op, `eps must be a number >= 0, got ${describe(eps)}`);
  return eps;
}

/** Both operands broadcast to their common shape (as torch's expand_outplace). */
function broadcastPair(op: string, x1: TensorLike, x2: TensorLike): [Tensor, Tensor, number[]] {
  const [a, b] = pair(x1, x2, op);
  const shape = broadcastShapes(op, a.shape, b.shape);
  return [shapesEqual(a.shape, shape) ? a : expand(a, shape), shapesEqual(b.shape, shape) ? b : expand(b, shape), shape];
}

/**
 * The p-norm of `x` along `axis` with PyTorch's gradient: memograd's `norm`, except for 0 < p < 1,
 * where torch's norm_backward gives 0 at zero elements (|x|^(p-1) would be infinite there).
 */
function vectorNorm(x: Tensor, p: number, axis: number, keepDims: boolean): Tensor {
  if (p >= 1) return norm(x, { p, axis, keepDims });
  const zero = eq(x, 0);
  const s = sum(where(zero, 0, pow(where(zero, 1, abs(x)), p)), { axis, keepDims });
  const none = eq(s, 0);
  return where(none, 0, pow(where(none, 1, s), 1 / p));
}

/**
 * max(s, c) in value with the gradient of s: PyTorch clamps cosine_similarity's squared norms under
 * no_grad, in place, so the gradient flows as if unclamped. (A where, not s + (max(s, c) - s), so that
 * an infinite s stays infinite.)
 */
function clampMinValueOnly(s: Tensor, c: number): Tensor {
  return where(lt(s, c), add(s, sub(c, s.detach())), s);
}

// ------------------------------------------------------------------ public functions

/** Options of `cosineSimilarity`. */
export interface CosineSimilarityOptions {
  /** The axis holding the vectors (default 1, as PyTorch). */
  axis?: number;
  /** Lower bound of each squared norm is eps² (default 1e-8). */
  eps?: number;
}

/**
 * Cosine similarity along `axis` (default 1): x1·x2 / sqrt(max(‖x1‖², eps²)·max(‖x2‖², eps²)), as
 * torch 1.13 computes it (x1 and x2 broadcast; the clamp does not stop the gradient, as there).
 */
export function cosineSimilarity(x1: TensorLike, x2: TensorLike, options?: CosineSimilarityOptions): Tensor {
  const o = checkOptions<CosineSimilarityOptions>('cosineSimilarity', options, ['axis', 'eps']);
  const axis = o.axis ?? 1;
  const eps = checkEps('cosineSimilarity', o.eps ?? 1e-8);
  return renameErrors('cosineSimilarity', () => {
    const [a, b, shape] = broadcastPair('cosineSimilarity', x1, x2);
    normalizeAxis('cosineSimilarity', axis, shape.length);
    const w12 = sum(mul(a, b), { axis });
    const s1 = clampMinValueOnly(sum(mul(a, a), { axis }), eps * eps);
    const s2 = clampMinValueOnly(sum(mul(b, b), { axis }), eps * eps);
    return div(w12, sqrt(mul(s1, s2)));
  });
}

/** Options of `pairwiseDistance`. */
export interface PairwiseDistanceOptions {
  /** The norm order: a number > 0 or Infinity (default 2). */
  p?: number;
  /** Added to x1 - x2 before the norm, to avoid a zero norm (default 1e-6). */
  eps?: number;
  /** Keep the reduced last axis as size 1 (default false). */
  keepDims?: boolean;
}

/** The p-norm of x1 - x2 + eps along the last axis (x1 and x2 broadcast), as torch's pairwise_distance. */
export function pairwiseDistance(x1: TensorLike, x2: TensorLike, options?: PairwiseDistanceOptions): Tensor {
  const o = checkOptions<PairwiseDistanceOptions>('pairwiseDistance', options, ['p', 'eps', 'keepDims']);
  const p = checkP('pairwiseDistance', o.p ?? 2);
  const eps = checkEps('pairwiseDistance', o.eps ?? 1e-6);
  const keepDims = checkBoolean('pairwiseDistance', 'keepDims', o.keepDims, false);
  return renameErrors('pairwiseDistance', () => {
    const [a, b] = pair(x1, x2, 'pairwiseDistance');
    broadcastShapes('pairwiseDistance', a.shape, b.shape);
    const d = add(sub(a, b), eps);
    if (d.rank === 0) return reshape(vectorNorm(reshape(d, [1]), p, 0, false), []); // a 0-d distance |d|
    return vectorNorm(d, p, -1, keepDims);
  });
}

/** Options of `normalize`. */
export interface NormalizeOptions {
  /** The norm order: a number > 0 or Infinity (default 2). */
  p?: number;
  /** The axis to normalize along (default 1, as PyTorch). */
  axis?: number;
  /** Lower bound of the norm (default 1e-12). */
  eps?: number;
}

/** x / max(‖x‖_p, eps) along `axis` (default 1), as torch's normalize. */
export function normalize(x: TensorLike, options?: NormalizeOptions): Tensor {
  const o = checkOptions<NormalizeOptions>('normalize', options, ['p', 'axis', 'eps']);
  const p = checkP('normalize', o.p ?? 2);
  const axis = o.axis ?? 1;
  const eps = checkEps('normalize', o.eps ?? 1e-12);
  const t = toTensor(x, 'x', 'normalize');
  normalizeAxis('normalize', axis, t.rank);
  return renameErrors('normalize', () => div(t, clamp(vectorNorm(t, p, axis, true), eps)));
}

// ------------------------------------------------------------------ cdist

/** cdist's parameter: the norm order (0, > 0 or Infinity). */
interface CdistParams { p: number }

/** The distance of two rows of length m at offsets i and j. */
function rowDistance(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, m: number, p: number): number {
  let acc = 0;
  if (p === 2) {
    for (let k = 0; k < m; k++) { const d = a[i + k]! - b[j + k]!; acc += d * d; }
    return Math.sqrt(acc);
  }
  if (p === 1) {
    for (let k = 0; k < m; k++) acc += Math.abs(a[i + k]! - b[j + k]!);
    return acc;
  }
  if (p === Infinity) {
    for (let k = 0; k < m; k++) { const d = Math.abs(a[i + k]! - b[j + k]!); if (d > acc || d !== d) acc = d; if (acc !== acc) break; }
    return acc;
  }
  if (p === 0) {
    for (let k = 0; k < m; k++) { const d = a[i + k]! - b[j + k]!; acc += d !== 0 ? (d !== d ? NaN : 1) : 0; }
    return acc;
  }
  for (let k = 0; k < m; k++) acc += Math.pow(Math.abs(a[i + k]! - b[j + k]!), p);
  return Math.pow(acc, 1 / p);
}

/** The output shape of cdist, after checking both operands (the whole validation). */
function cdistShape(a: Shape, b: Shape): number[] {
  if (a.length < 2 || b.length < 2) {
    throw new ShapeError('cdist', `x1 ${formatShape(a)} and x2 ${formatShape(b)} must be at least 2-D ([..., P, M] and [..., R, M])`, [a, b]);
  }
  const m1 = a[a.length - 1]!;
  const m2 = b[b.length - 1]!;
  if (m1 !== m2) throw new ShapeError('cdist', `x1 ${formatShape(a)} and x2 ${formatShape(b)} must have the same number of columns (${m1} vs ${m2})`, [a, b]);
  const batch = broadcastShapes('cdist', a.slice(0, -2), b.slice(0, -2));
  return [...batch, a[a.length - 2]!, b[b.length - 2]!];
}

export const cdistOp = defineOp<CdistParams>({
  name: 'cdist',
  inputs: ['x1', 'x2'],
  saves: [0, 1, 'out'],
  shape: ([a, b], { p }) => {
    checkP('cdist', p, true);
    return cdistShape(a!, b!);
  },
  forward: ([a, b], { p }, shape) => {
    const out = allocate(a!.dtype, sizeOf(shape));
    const rank = shape.length;
    const [P, R] = [shape[rank - 2]!, shape[rank - 1]!];
    const M = a!.shape[a!.rank - 1]!;
    const batch = shape.slice(0, -2);
    const nb = sizeOf(batch);
    // the batch offset of each operand: its batch axes broadcast against the output's
    const offsets = (t: Tensor): Int32Array => {
      const own = t.shape.slice(0, -2);
      const idx = new Int32Array(nb);
      const stride = sizeOf(t.shape.slice(-2));
      const off = batch.length - own.length;
      for (let q = 0; q < nb; q++) {
        let rem = q;
        let flat = 0;
        let mult = 1;
        for (let d = batch.length - 1; d >= 0; d--) {
          const i = rem % batch[d]!;
          rem = (rem - i) / batch[d]!;
          if (d >= off) {
            const size = own[d - off]!;
            flat += (size === 1 ? 0 : i) * mult;
            mult *= size;
          }
        }
        idx[q] = flat * stride;
      }
      return idx;
    };
    const oa = offsets(a!);
    const ob = offsets(b!);
    const da = a!.data;
    const db = b!.data;
    for (let q = 0; q < nb; q++) {
      for (let i = 0; i < P; i++) {
        for (let j = 0; j < R; j++) out[(q * P + i) * R + j] = rowDistance(da, oa[q]! + i * M, db, ob[q]! + j * M, M, p);
      }
    }
    return out;
  },
  // torch's _cdist_backward with diff = x1_i - x2_j, dist = out_ij, G = grad_ij:
  // p = 0: 0; p = 1: G sign(diff); p = 2: G diff / dist (0 where dist = 0); p = Infinity:
  // G sign(diff) [|diff| = dist] (every tied coordinate, no sharing); p < 1: G sign(diff)
  // |diff|^(p-1) / dist^(p-1) (0 where dist = 0 or diff = 0); else G diff |diff|^(p-2) / dist^(p-1)
  // (0 where dist = 0). Then x1 gets the sum over j, x2 minus the sum over i.
  backward: ({ grad, inputs: [a, b], out, params: { p } }) => {
    if (p === 0) return [zeros(a!.shape, { dtype: a!.dtype }), zeros(b!.shape, { dtype: b!.dtype })];
    const diff = sub(unsqueeze(a!, -2), unsqueeze(b!, -3)); // [..., P, R, M]
    const g = unsqueeze(grad, -1);
    const dist = unsqueeze(out, -1);
    let G: Tensor;
    if (p === 1) G = mul(g, sign(diff));
    else if (p === Infinity) G = mul(mul(g, sign(diff)), eq(abs(diff), dist));
    else {
      // masked divisions take a safe operand where they are masked, so that second order stays finite
      const zero = eq(dist, 0);
      const safeDist = where(zero, 1, dist);
      if (p === 2) G = where(zero, 0, div(mul(g, diff), safeDist));
      else if (p < 1) {
        const dz = eq(diff, 0);
        const scaled = mul(sign(diff), pow(where(dz, 1, abs(diff)), p - 1));
        G = where(maximum(zero, dz), 0, div(mul(scaled, g), pow(safeDist, p - 1)));
      } else {
        G = where(zero, 0, div(mul(mul(diff, pow(abs(diff), p - 2)), g), pow(safeDist, p - 1)));
      }
    }
    return [sum(G, { axis: -2 }), neg(sum(G, { axis: -3 }))];
  },
  test: {
    shapes: (pick) => {
      const M = 1 + pick(3);
      const batch = [[], [], [2], [1 + pick(2)]][pick(4)]!;
      const b2 = batch.length > 0 && pick(2) ? [1] : batch;
      return [[...batch, 1 + pick(3), M], [...b2, 1 + pick(3), M]];
    },
    params: (_s: readonly number[][], pick: Pick) => ({ p: [1, 2, 3, Infinity, 1.5][pick(5)]! }),
    // |x1 - x2| has a kink at 0 (p = 1, Infinity) and the max at ties: distinct, separated values
    values: (shapes, _p, random) => {
      const used: number[] = [];
      const draw = (): number => {
        for (;;) {
          const v = Math.round((-2 + 4 * random()) * 50) / 50 + 0.005 * random();
          if (used.every((u) => Math.abs(Math.abs(u) - Math.abs(v)) > 0.01)) { used.push(v); return v; }
          if (used.length > 60) return v;
        }
      };
      return shapes.map((s) => Array.from({ length: sizeOf(s) }, draw));
    },
    oracle: ([a, b], { p }) => cdistOracle(a!, b!, p),
  },
});

/** Distances between the rows of x1 [..., P, M] and x2 [..., R, M] -> [..., P, R], as torch.cdist. */
export function cdist(x1: TensorLike, x2: TensorLike, options?: CdistOptions): Tensor {
  const o = checkOptions<CdistOptions>('cdist', options, ['p']);
  const p = checkP('cdist', o.p ?? 2, true);
  const [a, b] = pair(x1, x2, 'cdist');
  return apply(cdistOp, [a, b], { p });
}

/** Options of `cdist`. */
export interface CdistOptions {
  /** The norm order: 0 (count of differing coordinates), a number > 0 or Infinity (default 2). */
  p?: number;
}

// ------------------------------------------------------------------ oracles (plain loops)

/** The distance of two plain rows. */
function plainDistance(u: number[], v: number[], p: number): number {
  const d = u.map((x, k) => Math.abs(x - v[k]!));
  if (p === Infinity) return d.length === 0 ? 0 : Math.max(...d);
  if (p === 0) return d.filter((x) => x !== 0).length;
  return Math.pow(d.reduce((s, x) => s + Math.pow(x, p), 0), 1 / p);
}

function cdistOracle(a: OracleInput, b: OracleInput, p: number): OracleOutput {
  const shape = cdistShape(a.shape, b.shape);
  const rank = shape.length;
  const [P, R] = [shape[rank - 2]!, shape[rank - 1]!];
  const M = a.shape[a.shape.length - 1]!;
  const batch = shape.slice(0, -2);
  const nb = sizeOf(batch);
  const row = (t: OracleInput, q: number, i: number): number[] => {
    // the batch index q of the output, mapped into t's (broadcast) batch axes
    const own = t.shape.slice(0, -2);
    let rem = q;
    const idx = batch.map(() => 0);
    for (let d = batch.length - 1; d >= 0; d--) { idx[d] = rem % batch[d]!; rem = Math.floor(rem / batch[d]!); }
    let flat = 0;
    own.forEach((size, d) => { flat = flat * size + (size === 1 ? 0 : idx[d + batch.length - own.length]!); });
    const start = (flat * t.shape[t.shape.length - 2]! + i) * M;
    return Array.from({ length: M }, (_, k) => t.data[start + k]!);
  };
  const data: number[] = [];
  for (let q = 0; q < nb; q++) for (let i = 0; i < P; i++) for (let j = 0; j < R; j++) data.push(plainDistance(row(a, q, i), row(b, q, j), p));
  return { shape, data };
}

/** Lanes of equal-shaped a and b along `axis`: out[lane] = f(laneA, laneB) (the axis removed or kept). */
function laneReduce(a: OracleInput, b: OracleInput | null, axis: number, keep: boolean, f: (u: number[], v: number[]) => number): OracleOutput {
  const shape = a.shape;
  const ax = axis < 0 ? axis + shape.length : axis;
  const n = shape[ax]!;
  let inner = 1;
  for (let d = ax + 1; d < shape.length; d++) inner *= shape[d]!;
  const outer = sizeOf(shape.slice(0, ax));
  const data: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const u: number[] = [];
      const v: number[] = [];
      for (let k = 0; k < n; k++) {
        u.push(a.data[(o * n + k) * inner + i]!);
        v.push(b === null ? 0 : b.data[(o * n + k) * inner + i]!);
      }
      data.push(f(u, v));
    }
  }
  const out = shape.slice();
  if (keep) out[ax] = 1;
  else out.splice(ax, 1);
  return { shape: out, data };
}

const cosineOracle = (eps: number) => (u: number[], v: number[]): number => {
  const dot = u.reduce((s, x, k) => s + x * v[k]!, 0);
  const s1 = Math.max(u.reduce((s, x) => s + x * x, 0), eps * eps);
  const s2 = Math.max(v.reduce((s, x) => s + x * x, 0), eps * eps);
  return dot / Math.sqrt(s1 * s2);
};

/** Shapes of rank 1..3 (sizes 1..3) and an axis of them, for the composites' property tests. */
const sampleAxis = (shapes: readonly number[][], pick: Pick) => {
  const rank = shapes[0]!.length;
  const axis = pick(rank);
  return { axis: pick(2) ? axis - rank : axis };
};
const ranked = (minRank: number) => (pick: Pick) => {
  const s = Array.from({ length: minRank + pick(4 - minRank) }, () => 1 + pick(3));
  return [s, s];
};

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const DISTANCE_OPS = {
  cdist: primitive(cdistOp, { method: null }),
  cosineSimilarity: composite('cosineSimilarity', ([a, b], p: { axis: number; eps: number }) => cosineSimilarity(a!, b!, p), {
    shapes: ranked(1),
    params: (shapes, pick) => ({ ...sampleAxis(shapes, pick), eps: 1e-8 }),
    oracle: ([a, b], p) => laneReduce(a!, b!, p.axis, false, cosineOracle(p.eps)),
  }, { method: null }),
  pairwiseDistance: composite('pairwiseDistance', ([a, b], p: { p: number; eps: number; keepDims: boolean }) => pairwiseDistance(a!, b!, p), {
    shapes: ranked(1),
    params: (_s, pick) => ({ p: [1, 2, 3, Infinity, 1.5][pick(5)]!, eps: 1e-6, keepDims: pick(2) === 1 }),
    // |x1 - x2 + eps| has kinks where x1 - x2 = -eps, and the max at ties: separated values
    values: (shapes, _p, random) => {
      const draw = () => Math.round((-2 + 4 * random()) * 20) / 20 + 0.01 * random();
      return [Array.from({ length: sizeOf(shapes[0]!) }, draw), Array.from({ length: sizeOf(shapes[1]!) }, () => 0.025 + Math.round((-2 + 4 * random()) * 20) / 20)];
    },
    oracle: ([a, b], p) => laneReduce(a!, b!, -1, p.keepDims, (u, v) => plainDistance(u.map((x, k) => x - v[k]! + p.eps), u.map(() => 0), p.p)),
  }, { method: null }),
  normalize: composite('normalize', ([x], p: { p: number; axis: number }) => normalize(x!, p), {
    shapes: (pick) => ranked(1)(pick).slice(0, 1),
    params: (shapes, pick) => ({ ...sampleAxis(shapes, pick), p: [1, 2, 3, Infinity][pick(4)]! }),
    avoid: (v) => Math.abs(v) < 1e-2,
    oracle: ([x], p) => {
      const norms = laneReduce(x!, null, p.axis, true, (u, v) => Math.max(plainDistance(u, v, p.p), 1e-12));
      const shape = x!.shape;
      const ax = p.axis < 0 ? p.axis + shape.length : p.axis;
      let inner = 1;
      for (let d = ax + 1; d < shape.length; d++) inner *= shape[d]!;
      const n = shape[ax]!;
      const data = Array.from(x!.data, (v, i) => v / norms.data[Math.floor(i / (n * inner)) * inner + (i % inner)]!);
      return { shape: shape.slice(), data };
    },
  }, { method: null }),
} as const satisfies Record<string, OpEntry>;
