import { allocateForOverwrite } from '../dtype.ts';
import { apply } from '../engine.ts';
import { renameError, ShapeError } from '../errors.ts';
import { matmul as gemm } from '../kernels/matmul.ts';
import { broadcastShapes, formatShape, sizeOf, stridesOf } from '../shape.ts';
import type { Tensor, TensorLike } from '../tensor.ts';
import { defineOp, type Pick } from './define.ts';
import { matmulOracle } from './core-oracles.ts';
import { pair } from './helpers.ts';
import { mul } from './elementwise.ts';
import { reshape, unsqueeze } from './shape-ops.ts';
import { sumTo } from './reduce.ts';

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
 * An operand's shape as a matrix (or a batch of them): a 1-D left operand is a row [1, k], a 1-D right
 * operand a column [k, 1] (NumPy's and PyTorch's matmul; the added axis is dropped from the result).
 */
function asMatrix(s: readonly number[], left: boolean): readonly number[] {
  if (s.length !== 1) return s;
  return left ? [1, s[0]!] : [s[0]!, 1];
}

/**
 * The batched matrix product, with NumPy/PyTorch semantics for 1-D operands (see `asMatrix`) and
 * either operand of rank >= 2 optionally read transposed. Backward rules use the transpose flags
 * instead of materialising transposes, so the kernel's packing absorbs them. Batch dimensions
 * broadcast; the engine sums gradients back down. The shape rule is the one place matmul's
 * operands are validated (the public `matmul` and `linear` only convert them).
 */
export const matmulOp = defineOp<MatmulParams>({
  name: 'matmul',
  inputs: ['a', 'b'],
  saves: [0, 1],
  shape: ([a, b], { transA, transB }) => {
    if (a!.length === 0 || b!.length === 0) {
      throw new ShapeError('matmul', `both operands need at least one dimension, got ${formatShape(a!)} and ${formatShape(b!)}`, [a!, b!]);
    }
    const pa = asMatrix(a!, true);
    const pb = asMatrix(b!, false);
    const [m, k] = matDims(pa, transA && a!.length > 1);
    const [k2, n] = matDims(pb, transB && b!.length > 1);
    if (k !== k2) {
      throw new ShapeError('matmul', `cannot multiply ${formatShape(a!)} by ${formatShape(b!)} (inner sizes ${k} and ${k2} differ)`, [a!, b!]);
    }
    const batch = broadcastShapes('matmul', pa.slice(0, -2), pb.slice(0, -2));
    return [...batch, ...(a!.length > 1 ? [m] : []), ...(b!.length > 1 ? [n] : [])];
  },
  forward: ([a, b], params, shape) => {
    const transA = params.transA && a!.rank > 1;
    const transB = params.transB && b!.rank > 1;
    const pa = asMatrix(a!.shape, true);
    const pb = asMatrix(b!.shape, false);
    const [m, k] = matDims(pa, transA);
    const n = matDims(pb, transB)[1];
    const out = allocateForOverwrite(a!.dtype, sizeOf(shape)); // every product writes its whole block
    const batch = shape.slice(0, Math.max(pa.length, pb.length) - 2);
    const nb = sizeOf(batch);
    if (nb === 1) {
      gemm(a!.data, 0, b!.data, 0, out, 0, m, k, n, transA, transB);
      return out;
    }
    const as = batchStrides(pa, batch, m * k);
    const bs = batchStrides(pb, batch, k * n);
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
  // C = op(A) op(B): dA = G op(B)ᵀ and dB = op(A)ᵀ G, as products with the flags chosen so that no
  // transpose is copied. 1-D operands (and the result's dropped axes) are viewed as matrices first,
  // and the gradient of a 1-D operand is summed over the batch and viewed back as 1-D.
  backward: ({ grad, inputs, params }) => {
    const [a0, b0] = inputs;
    const a = a0!.rank === 1 ? reshape(a0!, asMatrix(a0!.shape, true)) : a0!;
    const b = b0!.rank === 1 ? reshape(b0!, asMatrix(b0!.shape, false)) : b0!;
    const transA = params.transA && a0!.rank > 1;
    const transB = params.transB && b0!.rank > 1;
    const g = a0!.rank === 1 || b0!.rank === 1
      ? reshape(grad, [...grad.shape.slice(0, grad.rank - (a0!.rank > 1 ? 1 : 0) - (b0!.rank > 1 ? 1 : 0)), matDims(a.shape, transA)[0], matDims(b.shape, transB)[1]])
      : grad;
    // an operand that does not require grad gets none (the engine would drop it): a network's
    // input x is the left operand of its first layer, and that product costs as much as the forward
    return [
      a0!.requiresGrad ? asGiven(transA ? matmulT(b, g, transB, true) : matmulT(g, b, false, !transB), a, a0!) : null,
      b0!.requiresGrad ? asGiven(transB ? matmulT(g, a, true, transA) : matmulT(a, g, !transA, false), b, b0!) : null,
    ];
  },
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
    oracle: ([a, b], { transA, transB }) => matmulOracle(a!, b!, transA, transB),
  },
});

/** A gradient of the matrix view `m` of operand `x`, back in x's shape when x is 1-D (summed over the batch first). */
function asGiven(g: Tensor, m: Tensor, x: Tensor): Tensor {
  if (x.rank !== 1) return g;
  return reshape(g.rank === 2 ? g : sumTo(g, m.shape), x.shape);
}

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
  const [x, y] = pair(a, b, 'matmul');
  return apply(matmulOp, [x, y], { transA: false, transB: false });
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
  const [input, w] = pair(x, weight, 'linear');
  if (w.rank !== 2) throw new ShapeError('linear', `weight must be 2-D [out, in], got ${formatShape(w.shape)}`, [w.shape]);
  if (input.rank === 0 || input.shape[input.rank - 1] !== w.shape[1]) {
    throw new ShapeError(
      'linear',
      `expected input with last dimension ${w.shape[1]} for weight ${formatShape(w.shape)}, got ${formatShape(input.shape)}`,
      [input.shape, w.shape],
    );
  }
  try {
    // a 1-D input is a row of matmul's (its shape rule drops the added axis again)
    const out = matmulT(input, w, false, true);
    return bias === undefined || bias === null ? out : out.add(bias);
  } catch (e) {
    throw renameError('linear', e);
  }
}
