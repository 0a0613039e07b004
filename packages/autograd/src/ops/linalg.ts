import { allocateForOverwrite } from '../dtype.ts';
import { apply } from '../engine.ts';
import { renameError, ShapeError } from '../errors.ts';
import { matmul as gemm } from '../kernels/matmul.ts';
import { broadcastShapes, formatShape, sizeOf, stridesOf } from '../shape.ts';
import type { Tensor, TensorLike } from '../tensor.ts';
import { defineOp, type Pick } from './define.ts';
import { pair } from './helpers.ts';
import { mul } from './elementwise.ts';
import { reshape, unsqueeze } from './shape-ops.ts';

interface MatmulParams {
  transA: boolean;
  transB: boolean;
}

function matDims(s: readonly number[], trans: boolean): [number, number] {
  const r = s[s.length - 2]!;
  const c = s[s.length - 1]!;
  return trans ? [c, r] : [r, c];
}

/**
 * The batched matrix product of operands of rank >= 2, with either operand optionally read
 * transposed. Backward rules use the transpose flags instead of materialising transposes, so the
 * kernel's packing absorbs them. Batch dimensions broadcast; the engine sums gradients back down.
 */
export const matmulOp = defineOp<MatmulParams>({
  name: 'matmul',
  inputs: ['a', 'b'],
  saves: [0, 1],
  shape: ([a, b], { transA, transB }) => {
    const [m, k] = matDims(a!, transA);
    const [k2, n] = matDims(b!, transB);
    if (k !== k2) {
      throw new ShapeError(
        'matmul',
        `cannot multiply ${formatShape(a!)} by ${formatShape(b!)} (inner sizes ${k} and ${k2} differ)`,
        [a!, b!],
      );
    }
    const batch = broadcastShapes('matmul', a!.slice(0, -2), b!.slice(0, -2));
    return [...batch, m, n];
  },
  forward: ([a, b], { transA, transB }, shape) => {
    const [m, k] = matDims(a!.shape, transA);
    const n = shape[shape.length - 1]!;
    const out = allocateForOverwrite(a!.dtype, sizeOf(shape)); // every product writes its whole block
    const batch = shape.slice(0, -2);
    const nb = sizeOf(batch);
    if (nb === 1) {
      gemm(a!.data, 0, b!.data, 0, out, 0, m, k, n, transA, transB);
      return out;
    }
    const as = batchStrides(a!.shape, batch, m * k);
    const bs = batchStrides(b!.shape, batch, k * n);
    const bst = stridesOf(batch);
    for (let i = 0; i < nb; i++) {
      let ao = 0;
      let bo = 0;
      let r = i;
      for (let d = 0; d < batch.length; d++) {
        const q = Math.floor(r / bst[d]!);
        r -= q * bst[d]!;
        ao += q * as[d]!;
        bo += q * bs[d]!;
      }
      gemm(a!.data, ao, b!.data, bo, out, i * m * n, m, k, n, transA, transB);
    }
    return out;
  },
  // C = op(A) op(B): dA and dB as products with the flags chosen so that no transpose is copied
  backward: ({ grad: g, inputs: [a, b], params: { transA, transB } }) => [
    transA ? matmulT(b!, g, transB, true) : matmulT(g, b!, false, !transB),
    transB ? matmulT(g, a!, true, transA) : matmulT(a!, g, !transA, false),
  ],
  test: {
    shapes: 'matmul',
    sample: (pick) => {
      const [m, k, n] = [1 + pick(4), 1 + pick(4), 1 + pick(4)];
      const transA = pick(2) === 1;
      const transB = pick(2) === 1;
      const batches: [number[], number[]][] = [[[], []], [[2], [2]], [[3, 1], [2]], [[], [2]]];
      const [ba, bb] = batches[pick(batches.length)]!;
      return {
        shapes: [[...ba, ...(transA ? [k, m] : [m, k])], [...bb, ...(transB ? [n, k] : [k, n])]],
        params: { transA, transB },
      };
    },
  },
});

function batchStrides(shape: readonly number[], batch: readonly number[], matSize: number): number[] {
  const own = shape.slice(0, -2);
  const out = new Array<number>(batch.length).fill(0);
  let s = matSize;
  for (let i = own.length - 1; i >= 0; i--) {
    const d = batch.length - own.length + i;
    out[d] = own[i] === 1 ? 0 : s;
    s *= own[i]!;
  }
  return out;
}

/** The matrix product with either operand read transposed (both of rank >= 2). */
export function matmulT(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  return apply(matmulOp, [a, b], { transA, transB });
}

/**
 * The matrix product with NumPy/PyTorch semantics: 1-D x 1-D is the dot product, a 1-D operand
 * is promoted to a row (left) or column (right) and the added axis removed afterwards, and
 * batch dimensions broadcast.
 */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  let [x, y] = pair(a, b, 'matmul');
  if (x.rank === 0 || y.rank === 0) {
    throw new ShapeError('matmul', `both operands need at least one dimension, got ${formatShape(x.shape)} and ${formatShape(y.shape)}`, [x.shape, y.shape]);
  }
  const vecA = x.rank === 1;
  const vecB = y.rank === 1;
  if (vecA) x = unsqueeze(x, 0);
  if (vecB) y = unsqueeze(y, 1);
  if (x.shape[x.rank - 1] !== y.shape[y.rank - 2]) {
    const sa = vecA ? [x.shape[1]!] : x.shape;
    const sb = vecB ? [y.shape[0]!] : y.shape;
    throw new ShapeError(
      'matmul',
      `cannot multiply ${formatShape(sa)} by ${formatShape(sb)} (inner sizes ${x.shape[x.rank - 1]} and ${y.shape[y.rank - 2]} differ)` +
        (x.name !== undefined || y.name !== undefined ? ` (inputs: ${x.name ?? 'a'} and ${y.name ?? 'b'})` : ''),
      [sa, sb],
    );
  }
  let out = matmulT(x, y, false, false);
  if (vecA && vecB) return reshape(out, []);
  if (vecA) out = reshape(out, [...out.shape.slice(0, -2), out.shape[out.rank - 1]!]);
  else if (vecB) out = reshape(out, out.shape.slice(0, -1));
  return out;
}

/** The outer product of two vectors: out[i, j] = a[i] b[j]. */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair(a, b, 'outer');
  if (x.rank !== 1 || y.rank !== 1) {
    throw new ShapeError('outer', `needs two vectors, got ${formatShape(x.shape)} and ${formatShape(y.shape)}`, [x.shape, y.shape]);
  }
  try {
    return mul(unsqueeze(x, 1), unsqueeze(y, 0));
  } catch (e) {
    throw renameError('outer', e);
  }
}

/** Samples for the composite matmul test: vector and batched cases. */
export const sampleMatmulShapes = (pick: Pick): number[][] => {
  const m = 1 + pick(4);
  const k = 1 + pick(4);
  const n = 1 + pick(4);
  switch (pick(5)) {
    case 0: return [[k], [k]];
    case 1: return [[k], [k, n]];
    case 2: return [[m, k], [k]];
    case 3: return [[2, 1, m, k], [3, k, n]];
    default: return [[m, k], [k, n]];
  }
};

/**
 * x Wᵀ + b with the weight stored [out, in], as PyTorch's `F.linear`. The weight is read
 * transposed by the matmul kernel itself, so no transposed copy is made in either direction.
 */
export function linear(x: TensorLike, weight: TensorLike, bias?: TensorLike | null): Tensor {
  let [input, w] = pair(x, weight, 'linear');
  if (w.rank !== 2) throw new ShapeError('linear', `weight must be 2-D [out, in], got ${formatShape(w.shape)}`, [w.shape]);
  if (input.rank === 0 || input.shape[input.rank - 1] !== w.shape[1]) {
    throw new ShapeError(
      'linear',
      `expected input with last dimension ${w.shape[1]} for weight ${formatShape(w.shape)}, got ${formatShape(input.shape)}`,
      [input.shape, w.shape],
    );
  }
  try {
    const vector = input.rank === 1;
    if (vector) input = unsqueeze(input, 0);
    let out = matmulT(input, w, false, true);
    if (vector) out = reshape(out, [w.shape[0]!]);
    return bias === undefined || bias === null ? out : out.add(bias);
  } catch (e) {
    throw renameError('linear', e);
  }
}
