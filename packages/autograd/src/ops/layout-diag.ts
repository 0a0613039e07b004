/**
 * Diagonals: diagonal (PyTorch's torch.diagonal, the diagonal axis appended last) and its adjoint
 * diagonalGrad (the diagonal placed into zeros), and the composites diag and trace built on them.
 */
import { allocate } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, renameError, ShapeError } from '../errors.ts';
import { checkElementCount, checkInteger, checkOptions, checkShape, formatShape, normalizeAxis, sizeOf, stridesOf, type Shape } from '../shape.ts';
import { toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { sum } from './reduce.ts';
import { defineOp, type OpDef, type OracleInput, type Pick } from './define.ts';

/** diagonal's parameters, normalised: `axis1` and `axis2` are distinct axes of the input. */
export interface DiagonalParams {
  offset: number;
  axis1: number;
  axis2: number;
}

/** The length of the diagonal at `offset` of an n1 x n2 plane (0 when the offset leaves it). */
function diagonalLength(n1: number, n2: number, offset: number): number {
  return Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
}

/** Validates diagonal's parameters against `shape` and returns the diagonal's shape. */
function diagonalShape(op: string, shape: Shape, { offset, axis1, axis2 }: DiagonalParams): number[] {
  if (shape.length < 2) throw new ShapeError(op, `needs at least 2 axes, got shape ${formatShape(shape)}`, [shape]);
  checkInteger(op, 'offset', offset);
  checkInteger(op, 'axis1', axis1, 0, shape.length - 1);
  checkInteger(op, 'axis2', axis2, 0, shape.length - 1);
  if (axis1 === axis2) throw new ArgumentError(op, `axis1 and axis2 must differ, both are axis ${axis1} of ${formatShape(shape)}`);
  const out = shape.filter((_, i) => i !== axis1 && i !== axis2);
  out.push(diagonalLength(shape[axis1]!, shape[axis2]!, offset));
  return out;
}

/**
 * Visits the diagonal's elements in output order: f(o, src) with src the flat index in the input of
 * shape `shape`. Output axes: the input's other axes in order, then the diagonal.
 */
function forEachDiagonal(shape: Shape, { offset, axis1, axis2 }: DiagonalParams, f: (o: number, src: number) => void): void {
  const strides = stridesOf(shape);
  const rest = shape.map((_, i) => i).filter((i) => i !== axis1 && i !== axis2);
  const len = diagonalLength(shape[axis1]!, shape[axis2]!, offset);
  const outer = sizeOf(rest.map((i) => shape[i]!));
  if (len === 0 || outer === 0) return;
  const step = strides[axis1]! + strides[axis2]!;
  const start = (offset >= 0 ? offset * strides[axis2]! : -offset * strides[axis1]!);
  const idx = new Array<number>(rest.length).fill(0);
  let o = 0;
  for (let k = 0; k < outer; k++) {
    let base = start;
    for (let r = 0; r < rest.length; r++) base += idx[r]! * strides[rest[r]!]!;
    for (let j = 0; j < len; j++) f(o++, base + j * step);
    for (let r = rest.length - 1; r >= 0; r--) {
      if (++idx[r]! < shape[rest[r]!]!) break;
      idx[r] = 0;
    }
  }
}

const sampleDiagonal = (pick: Pick): { shapes: number[][]; params: DiagonalParams } => {
  const shape = Array.from({ length: 2 + pick(2) }, () => 1 + pick(4));
  const axis1 = pick(shape.length);
  const axis2 = (axis1 + 1 + pick(shape.length - 1)) % shape.length;
  return { shapes: [shape], params: { offset: pick(5) - 2, axis1, axis2 } };
};

/** The plain-loop reference of diagonal: coordinates of each output element, mapped back. */
function diagonalOracle([x]: readonly OracleInput[], p: DiagonalParams) {
  const shape = x!.shape;
  const outShape = diagonalShape('diagonal', shape, p);
  const data: number[] = [];
  const rest = shape.map((_, i) => i).filter((i) => i !== p.axis1 && i !== p.axis2);
  const len = outShape[outShape.length - 1]!;
  const outer = sizeOf(outShape.slice(0, -1));
  for (let k = 0; k < outer; k++) {
    // unravel k over the other axes
    const coord = new Array<number>(shape.length).fill(0);
    let rem = k;
    for (let r = rest.length - 1; r >= 0; r--) {
      coord[rest[r]!] = rem % shape[rest[r]!]!;
      rem = Math.floor(rem / shape[rest[r]!]!);
    }
    for (let j = 0; j < len; j++) {
      coord[p.axis1] = p.offset >= 0 ? j : j - p.offset;
      coord[p.axis2] = p.offset >= 0 ? j + p.offset : j;
      let flat = 0;
      for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + coord[d]!;
      data.push(x!.data[flat]!);
    }
  }
  return { shape: outShape, data };
}

export const diagonalOp: OpDef<DiagonalParams> = defineOp<DiagonalParams>({
  name: 'diagonal',
  inputs: ['x'],
  saves: [],
  shape: ([s], params) => diagonalShape('diagonal', s!, params),
  forward: ([x], params, shape) => {
    const out = allocate(x!.dtype, sizeOf(shape));
    const d = x!.data;
    forEachDiagonal(x!.shape, params, (o, src) => (out[o] = d[src]!));
    return out;
  },
  backward: ({ grad, inputs: [x], params }) => [apply(diagonalGradOp, [grad], { ...params, shape: x!.shape })],
  test: { shapes: 'unary', sample: sampleDiagonal, oracle: diagonalOracle },
});

// the adjoint of diagonal: the gradient placed on the diagonal of zeros of the input's shape
export const diagonalGradOp: OpDef<DiagonalParams & { shape: readonly number[] }> = defineOp<DiagonalParams & { shape: readonly number[] }>({
  name: 'diagonalGrad',
  inputs: ['grad'],
  saves: [],
  shape: ([s], params) => {
    const shape = checkShape('diagonalGrad', 'shape', params.shape);
    const want = diagonalShape('diagonalGrad', shape, params);
    if (want.length !== s!.length || want.some((d, i) => d !== s![i])) {
      throw new ShapeError('diagonalGrad', `grad has shape ${formatShape(s!)} but the diagonal of ${formatShape(shape)} has shape ${formatShape(want)}`, [s!, shape]);
    }
    return shape;
  },
  forward: ([g], params, shape) => {
    const out = allocate(g!.dtype, sizeOf(shape));
    const d = g!.data;
    forEachDiagonal(shape, params, (o, dst) => (out[dst] = d[o]!));
    return out;
  },
  backward: ({ grad, params: { offset, axis1, axis2 } }) => [apply(diagonalOp, [grad], { offset, axis1, axis2 })],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const { shapes, params } = sampleDiagonal(pick);
      return { shapes: [diagonalShape('diagonalGrad', shapes[0]!, params)], params: { ...params, shape: shapes[0]! } };
    },
    oracle: ([g], p) => {
      // place each element where diagonal's reference reads it from
      const n = sizeOf(p.shape);
      const positions = diagonalOracle([{ shape: p.shape, data: Array.from({ length: n }, (_, i) => i) }], p).data;
      const data = new Array<number>(n).fill(0);
      positions.forEach((pos, o) => (data[pos] = g!.data[o]!));
      return { shape: p.shape, data };
    },
  },
});

/**
 * The diagonal at `offset` (above the main one for offset > 0) of the planes spanned by `axis1` and
 * `axis2` (the first two axes by default), as `torch.diagonal`: those two axes are removed and the
 * diagonal is appended as the last axis. An offset beyond the plane gives an empty diagonal.
 */
export function diagonal(x: TensorLike, options: { offset?: number; axis1?: number; axis2?: number } = {}): Tensor {
  const t = toTensor(x, 'x', 'diagonal');
  const { offset = 0, axis1 = 0, axis2 = 1 } = checkOptions('diagonal', options, ['offset', 'axis1', 'axis2']);
  if (t.rank < 2) throw new ShapeError('diagonal', `needs at least 2 axes, got shape ${formatShape(t.shape)}`, [t.shape]);
  const a1 = normalizeAxis('diagonal', axis1, t.rank, 'axis1');
  const a2 = normalizeAxis('diagonal', axis2, t.rank, 'axis2');
  return apply(diagonalOp, [t], { offset: checkInteger('diagonal', 'offset', offset), axis1: a1, axis2: a2 });
}

/**
 * `torch.diag`: a vector becomes the square matrix with it on the `diagonal`-th diagonal (above the
 * main one for diagonal > 0); a matrix gives its `diagonal`-th diagonal as a vector.
 */
export function diag(x: TensorLike, diagonal = 0): Tensor {
  const t = toTensor(x, 'x', 'diag');
  const k = checkInteger('diag', 'diagonal', diagonal);
  if (t.rank === 2) return apply(diagonalOp, [t], { offset: k, axis1: 0, axis2: 1 });
  if (t.rank !== 1) throw new ShapeError('diag', `needs a vector or a matrix, got shape ${formatShape(t.shape)}`, [t.shape]);
  const n = t.shape[0]! + Math.abs(k);
  checkElementCount('diag', [n, n]);
  try {
    return apply(diagonalGradOp, [t], { offset: k, axis1: 0, axis2: 1, shape: [n, n] });
  } catch (e) {
    throw renameError('diag', e);
  }
}

/** The sum of a matrix's main diagonal (`torch.trace`: 2-D only; a non-square matrix is fine). */
export function trace(x: TensorLike): Tensor {
  const t = toTensor(x, 'x', 'trace');
  if (t.rank !== 2) throw new ShapeError('trace', `needs a matrix, got shape ${formatShape(t.shape)}`, [t.shape]);
  return sum(apply(diagonalOp, [t], { offset: 0, axis1: 0, axis2: 1 }));
}
