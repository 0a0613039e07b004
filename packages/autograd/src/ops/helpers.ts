import { allocate, allocateForOverwrite, type DType } from '../dtype.ts';
import { applyOne, applyTwo } from '../engine.ts';
import { arithmeticFast, binaryMap, unaryMap } from '../kernels/elementwise.ts';
import { compareFast, type CompareCode, type UnaryKernel } from '../kernels/unary.ts';
import { broadcastShapes, sizeOf } from '../shape.ts';
import { rawTensor, Tensor, toTensor, type TensorLike } from '../tensor.ts';
import { defineOp, type BackwardArgs, type OpDef, type OpTest, type ScalarRule } from './define.ts';

/** Converts two operands; a number or array takes the dtype of the tensor operand. */
export function pair(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  const dtype: DType = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  return [toTensor(a, 'a', op, dtype), toTensor(b, 'b', op, dtype)];
}

export function one(x: TensorLike, op: string): Tensor {
  return toTensor(x, 'x', op);
}

/**
 * What the backward rules (tensor and number rules) of the elementwise ops read: inputs by index,
 * 'out' for the output (see `OpDef.saves`). Kept here rather than as another argument of
 * unaryOp/binaryOp; an op missing from the table saves everything (the safe default).
 */
const ELEMENTWISE_SAVES: Readonly<Record<string, readonly (number | 'out')[]>> = {
  add: [], sub: [], neg: [], mul: [0, 1], div: [1, 'out'], maximum: [0, 1], minimum: [0, 1],
  exp: ['out'], expm1: ['out'], sqrt: ['out'], reciprocal: ['out'], sigmoid: ['out'], tanh: ['out'],
  log: [0], log1p: [0], abs: [0], square: [0], sin: [0], cos: [0], clamp: [0], powScalar: [0],
  relu: ['out'], leakyRelu: [0], elu: [0, 'out'], gelu: [0], geluGrad: [0], silu: [0], softplus: [0],
};

function savesOf(name: string): { saves?: readonly (number | 'out')[] } {
  const saves = ELEMENTWISE_SAVES[name];
  return saves === undefined ? {} : { saves };
}

/** An elementwise op of one tensor: out[i] = f(x[i]). */
export function unaryOp<P = undefined>(
  name: string,
  f: (v: number, params: P) => number,
  backward: (args: BackwardArgs<P>) => Tensor | null,
  test: Omit<OpTest<P>, 'shapes'> & { shapes?: OpTest<P>['shapes'] },
  /** An explicit loop computing the same values as `f` (see kernels/unary.ts). */
  kernel?: UnaryKernel<P>,
  /** The backward rule on numbers (sets `s.da`), for 0-d float64 graphs. */
  scalarBackward?: ScalarRule,
): OpDef<P> {
  return defineOp<P>({
    name,
    inputs: ['x'],
    shape: ([s]) => s!.slice(),
    forward: ([x], params) => {
      const out = allocateForOverwrite(x!.dtype, x!.size);
      const d = x!.data;
      if (kernel !== undefined) kernel(d, out, params);
      else for (let i = 0; i < out.length; i++) out[i] = f(d[i]!, params);
      return out;
    },
    backward: (args) => [backward(args)],
    test: { shapes: 'unary', ...test },
    scalar: f,
    ...(scalarBackward === undefined ? {} : { scalarBackward }),
    ...savesOf(name),
  });
}

const COMPARE_CODES: readonly CompareCode[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

/** A broadcasting elementwise op of two tensors: out = f(a, b). */
export function binaryOp(
  name: string,
  f: (a: number, b: number) => number,
  backward: ((args: BackwardArgs<undefined>) => readonly (Tensor | null)[]) | null,
  test: Omit<OpTest<undefined>, 'shapes'> | null,
  /** The backward rule on numbers (sets `s.da` and `s.db`), for 0-d float64 graphs. */
  scalarBackward?: ScalarRule,
): OpDef<undefined> {
  const fast = name === 'add' || name === 'sub' || name === 'mul' || name === 'div' ? name : null;
  const compare = COMPARE_CODES.includes(name as CompareCode) ? (name as CompareCode) : null;
  return defineOp({
    name,
    inputs: ['a', 'b'],
    differentiable: backward !== null,
    shape: ([a, b]) => broadcastShapes(name, a!, b!),
    forward: ([a, b], _p, shape) => {
      const out = allocateForOverwrite(a!.dtype, sizeOf(shape));
      if (compare !== null && compareFast(compare, a!.data, b!.data, out)) return out;
      if (fast === null || !arithmeticFast(fast, a!.data, a!.shape, b!.data, b!.shape, out)) {
        binaryMap(a!.data, a!.shape, b!.data, b!.shape, out, shape, f);
      }
      return out;
    },
    backward: backward ?? (() => [null, null]),
    test: test === null ? null : { shapes: 'binary', reference: f, ...test },
    scalar: f,
    ...(scalarBackward === undefined ? {} : { scalarBackward }),
    ...savesOf(name),
  });
}

export function applyUnary<P>(op: OpDef<P>, x: TensorLike, params: P): Tensor {
  return applyOne(op, toTensor(x, 'x', op.name), params);
}

export function applyBinary(op: OpDef<undefined>, a: TensorLike, b: TensorLike): Tensor {
  // as pair(), without the array (a 0-d pair takes the scalar lane, which records no array either)
  const dtype: DType = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  return applyTwo(op, toTensor(a, 'a', op.name, dtype), toTensor(b, 'b', op.name, dtype), undefined);
}

/** A unary map computed straight from a kernel, for ops that reuse a raw loop. */
export function mapData(x: Tensor, f: (v: number) => number): Tensor {
  const out = allocate(x.dtype, x.size);
  unaryMap(x.data, out, f);
  return rawTensor(out, x.shape, x.dtype);
}
