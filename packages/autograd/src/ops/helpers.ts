import { allocate, allocateForOverwrite, type DType } from '../dtype.ts';
import { applyOne, applyTwo } from '../engine.ts';
import { binaryMap, unaryMap, type BinaryKernel } from '../kernels/elementwise.ts';
import type { UnaryKernel } from '../kernels/unary.ts';
import { broadcastShapes, sizeOf } from '../shape.ts';
import { rawTensor, Tensor, toTensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OpDef, type OpTest, type RegistryEntry } from './define.ts';
import type { Derivative } from './derivative.ts';
import { tensorRule } from './tensor-rule.ts';
import { apply } from '../engine.ts';

/** Converts two operands; a number or array takes the dtype of the tensor operand. */
export function pair(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  const dtype: DType = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  return [toTensor(a, 'a', op, dtype), toTensor(b, 'b', op, dtype)];
}

export function one(x: TensorLike, op: string): Tensor {
  return toTensor(x, 'x', op);
}

/**
 * The definition of an elementwise op, for `unaryOp` and `binaryOp`: the fields of `OpDef` that
 * such an op needs, everything else (inputs, shape rule, forward loop, `backward`) derived.
 */
export interface ElementwiseDef<P, K, F> {
  /** The op's name, as in graphs and messages. */
  readonly name: string;
  /** The function on numbers: f(x, params) for one input, f(a, b) for two (see `OpDef.scalar`). */
  readonly scalar: F;
  /**
   * The derivative, written once against `Arith` with a one-line math comment; it is both the
   * tensor rule (`backward`) and the scalar lane's number rule. Null for an op with no gradient.
   */
  readonly derivative: Derivative<P> | null;
  /** What the derivative reads (see `OpDef.saves`); default: every input and the output. */
  readonly saves?: readonly (number | 'out')[];
  /**
   * The forward kernel: an explicit loop (kernels/unary.ts, kernels/elementwise.ts) that computes
   * the same values as `scalar`, or absent for the generic loop over `scalar`. See
   * kernels/README.md for which kernel runs where.
   */
  readonly kernel?: K;
  /** How the property tests sample it (`shapes` defaults to the op's family), or null. */
  readonly test: (Omit<OpTest<P>, 'shapes'> & { shapes?: OpTest<P>['shapes'] }) | null;
}

/** An elementwise op of one tensor: out[i] = scalar(x[i], params). */
export function unaryOp<P = undefined>(def: ElementwiseDef<P, UnaryKernel<P>, (v: number, params: P) => number>): OpDef<P> {
  const { name, scalar, derivative, kernel, test } = def;
  return defineOp<P>({
    // every elementwise definition has the same keys in the same order, so that the engine's reads
    // of op.scalar, op.derivative, ... see one object layout (V8 keeps such loads monomorphic)
    name,
    inputs: ['x'],
    differentiable: derivative !== null,
    shape: ([s]) => s!.slice(),
    forward: ([x], params) => {
      const out = allocateForOverwrite(x!.dtype, x!.size);
      const d = x!.data;
      if (kernel !== undefined) kernel(d, out, params);
      else for (let i = 0; i < out.length; i++) out[i] = scalar(d[i]!, params);
      return out;
    },
    backward: derivative === null ? () => [null] : tensorRule(name, 1, derivative),
    test: test === null ? null : { shapes: 'unary', ...test },
    scalar,
    derivative: derivative ?? undefined,
    saves: def.saves,
  });
}

/** A broadcasting elementwise op of two tensors: out = scalar(a, b). */
export function binaryOp(def: ElementwiseDef<undefined, BinaryKernel, (a: number, b: number) => number>): OpDef<undefined> {
  const { name, scalar, derivative, kernel, test } = def;
  return defineOp({
    name,
    inputs: ['a', 'b'],
    differentiable: derivative !== null,
    shape: ([a, b]) => broadcastShapes(name, a!, b!),
    forward: ([a, b], _p, shape) => {
      const out = allocateForOverwrite(a!.dtype, sizeOf(shape));
      if (kernel === undefined || !kernel(a!.data, a!.shape, b!.data, b!.shape, out)) {
        binaryMap(a!.data, a!.shape, b!.data, b!.shape, out, shape, scalar);
      }
      return out;
    },
    backward: derivative === null ? () => [null, null] : tensorRule(name, 2, derivative),
    test: test === null ? null : { shapes: 'binary', reference: scalar, ...test },
    scalar,
    derivative: derivative ?? undefined,
    saves: def.saves,
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

// ------------------------------------------------------------------ registry entries (registry.ts)

/** How the public API reaches an op (see registry.ts); each name defaults as documented. */
export interface OpApi {
  /** Its functional export in index.ts; null for an internal op. Default: the op's name. */
  readonly fn?: string | null;
  /** Its Tensor method; null for a function only. Default: `fn`. */
  readonly method?: string | null;
}

/** A registry entry with how the public API reaches it (and, for a primitive, its definition). */
export interface OpEntry<A extends OpApi = OpApi> extends RegistryEntry {
  /** How the public API reaches the op. */
  readonly api: A;
  /** A primitive's definition. */
  readonly op?: OpDef<any>;
}

/** The registry entry of a primitive: it is called through the engine. */
export function primitive<const A extends OpApi = {}>(op: OpDef<any>, api: A = {} as A): OpEntry<A> {
  return {
    name: op.name,
    kind: 'primitive',
    differentiable: op.differentiable !== false,
    call: (inputs, params) => apply(op, inputs, params),
    test: op.test,
    api,
    op,
  };
}

/** The registry entry of a composite: built from primitives, tested like them. */
export function composite<P, const A extends OpApi = {}>(
  name: string,
  call: (inputs: readonly Tensor[], params: P) => Tensor,
  test: OpTest<P>,
  api: A = {} as A,
): OpEntry<A> {
  return { name, kind: 'composite', differentiable: true, call: call as RegistryEntry['call'], test, api };
}
