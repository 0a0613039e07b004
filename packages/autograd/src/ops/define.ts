/**
 * The contract of an op definition: the one place an op lives.
 *
 * Each primitive op is one object holding
 * - `shape`: the shape rule. It validates the input shapes and parameters and throws a ShapeError or
 *   ArgumentError naming the op before anything is allocated;
 * - `forward`: computes the output's elements from the inputs with plain kernels (no graph);
 * - `backward`: the vector-Jacobian product. It receives `grad` (the adjoint of the output, the
 *   cotangent), the `inputs`, the forward result `out` and the `params`, and returns one gradient
 *   per input, or null for an input that is not differentiable. Rules are written with Tensor ops,
 *   not kernels, so that with `createGraph` they are recorded too and gradients of gradients work;
 *   otherwise the engine runs them with recording off. A rule may return a gradient in the output's
 *   broadcast shape: the engine sums it down to the input's shape, so no rule repeats that logic;
 * - `test`: how to sample inputs for the shared property tests (shapes, value domain, values to
 *   avoid such as kinks and poles, random parameters, an elementwise oracle). Every registered op is
 *   gradient-checked against central finite differences from this description alone.
 *
 * Composite ops (softmax-like compositions, losses) have no backward rule: they are built from
 * primitives, and get the same tests through a `CompositeDef`.
 */
import type { FloatArray } from '../dtype.ts';
import { ArgumentError } from '../errors.ts';
import { describe, type Shape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import type { Derivative } from './derivative.ts';

/** What an op's backward rule receives. */
export interface BackwardArgs<P> {
  /** The gradient of the loss with respect to the op's output. */
  readonly grad: Tensor;
  /** The op's inputs, as recorded. */
  readonly inputs: readonly Tensor[];
  /** The op's output. */
  readonly out: Tensor;
  /** The op's non-tensor parameters. */
  readonly params: P;
}

/** A uniform random integer in [0, n), supplied by the test harness. */
export type Pick = (n: number) => number;

export type ShapeFamily =
  | 'unary' // one tensor of rank 0..3, sizes 1..4
  | 'binary' // two shapes that broadcast together (including equal shapes and scalars)
  | 'matmul'; // two operands of a (batched) matrix product

/** How the property tests sample inputs for an op. */
export interface OpTest<P> {
  /** The family of input shapes to draw, or a function that draws them. */
  shapes: ShapeFamily | ((pick: Pick) => number[][]);
  /** Draws shapes and parameters together, overriding `shapes` and `params` (when they depend on each other). */
  sample?: (pick: Pick) => {
    /** The drawn input shapes. */
    shapes: number[][];
    /** The drawn parameters. */
    params: P;
  };
  /** Value range of every input, or one range per input. Default [-2, 2]. */
  domain?: readonly [number, number] | readonly (readonly [number, number])[];
  /**
   * Exact values where the function is smooth though its formula branches there (0 for gelu, silu,
   * softplus's max(z, 0) + log1p(e^-|z|), ...): the sampler sets about a quarter of the elements to
   * one of them, so that the gradient is checked AT the branch point. A function of the parameters
   * where that depends on them (elu is smooth at 0 only for alpha = 1).
   */
  smoothAt?: readonly number[] | ((params: P) => readonly number[]);
  /** Whether only the first derivative is smooth at `smoothAt` (the second order is then sampled without them). */
  smoothAtFirstOrderOnly?: boolean;
  /** Whether the function is smooth at ties (softmax, logSumExp): the sampler then repeats values. */
  ties?: boolean;
  /** Reject sampled values near kinks, poles or ties: return true to redraw. */
  avoid?: (value: number, input: number, all: readonly (readonly number[])[]) => boolean;
  /** Random parameters for the sampled shapes. */
  params?: (shapes: readonly number[][], pick: Pick) => P;
  /** Whether a second derivative exists to gradgradcheck (default true). */
  secondOrder?: boolean;
  /** An elementwise scalar oracle: out[i] = reference(inputs broadcast at i). */
  reference?: (...values: number[]) => number;
  /**
   * A whole-tensor reference for ops that are not elementwise (sort, cumsum, einsum, det, ...): the
   * output computed by the plainest loops over the inputs' values, with no memograd op. The
   * property tests hold the op's forward to it on every sample. (Elementwise ops use `reference`.)
   */
  oracle?: (inputs: readonly OracleInput[], params: P) => OracleOutput;
  /**
   * Draws the inputs' values itself, overriding `domain`, `avoid`, `smoothAt` and `ties`: for ops
   * that need structured inputs (well-conditioned or symmetric positive definite matrices, distinct
   * values for sort). `random()` is uniform in [0, 1) from the case's seed; return one flat array
   * per input shape.
   */
  values?: (shapes: readonly number[][], params: P, random: () => number) => number[][];
  /**
   * Why the generic NaN property (a NaN input element makes NaN exactly the outputs that depend on
   * it) does not hold for this op, as in PyTorch (sort moves NaN to the end of its lane, cholesky
   * refuses it, ...). The op's own tests must then pin its NaN behaviour.
   */
  nanExempt?: string;
  /** Looser tolerances for ops whose finite differences are noisier. */
  atol?: number;
  /** Relative tolerance for the gradient checks. */
  rtol?: number;
}

/** An input as `OpTest.oracle` receives it: plain values, row-major. */
export interface OracleInput {
  /** The input's shape. */
  readonly shape: readonly number[];
  /** The input's values, row-major. */
  readonly data: ArrayLike<number>;
}

/** What `OpTest.oracle` returns: the expected output. */
export interface OracleOutput {
  /** The expected output shape. */
  readonly shape: readonly number[];
  /** The expected values, row-major. */
  readonly data: ArrayLike<number>;
}

/** The definition of a primitive op: shape rule, forward kernel and backward rule (see `defineOp`). */
export interface OpDef<P = undefined> {
  /** The op's name, as in graphs and messages. */
  readonly name: string;
  /** Input names used in messages; 'variadic' for ops over a list (cat). */
  readonly inputs: readonly string[] | 'variadic';
  /** False for ops that record nothing (comparisons, argmax). Default true. */
  readonly differentiable?: boolean;
  /**
   * True for an op whose result's dtype is the caller's explicit choice (`cast`): its result is
   * strongly typed even when every input is weakly typed (see `Tensor.weakType`). Default false:
   * the result of weakly typed inputs is weakly typed.
   */
  readonly setsDType?: boolean;
  /** The output shape for the given input shapes (throws ShapeError when they do not fit). */
  shape(shapes: readonly Shape[], params: P): number[];
  /** Computes the output elements from the inputs' values. */
  forward(inputs: readonly Tensor[], params: P, outShape: readonly number[]): FloatArray;
  /** One gradient per input (or null) from the output's gradient, written with Tensor ops. */
  backward(args: BackwardArgs<P>): readonly (Tensor | null)[];
  /** How the property tests sample it, or null to leave it out. */
  readonly test: OpTest<P> | null;
  /**
   * For elementwise ops: the scalar function, f(x, params) for one input or f(a, b) for two. The
   * engine uses it directly when every input is 0-d (the fast lane for hand-sized scalar graphs).
   */
  readonly scalar?: (a: number, b: any) => number;
  /**
   * With `scalar`: the derivative written once against a small arithmetic interface (see
   * ops/derivative.ts), which both lanes run: over numbers for float64 0-d graphs (no tensor
   * allocated) and over tensors as `backward` (which the elementwise helpers derive from it). It
   * reads the output's adjoint `g`, the inputs `a` (and `b`), the output `out` and the `params`
   * from its frame and sets `da` (and `db`).
   */
  readonly derivative?: Derivative<P>;
  /**
   * With `scalar`, for a definition written by hand without `derivative`: the backward rule on
   * numbers, with the frame of `derivative` holding plain numbers. The engine prefers `derivative`.
   */
  readonly scalarBackward?: ScalarRule;
  /**
   * The tensors `backward` reads: inputs by index and/or 'out' (PyTorch's saved tensors). The engine
   * remembers their versions when it records the op, and backward throws a GraphError if one was
   * modified in place since (see `Tensor.version`). Default: every input and the output. Declare
   * `[]` for rules that read only `grad` and `params` (add, sum, reshape, ...), so that changing
   * such an input in place after the op is not an error, as in PyTorch.
   */
  readonly saves?: readonly (number | 'out')[];
  /** @internal `saves` as a bit mask, computed by the engine on first use. */
  _savesMask?: number;
}

/**
 * What a number rule reads and writes. The engine reuses one frame for every call, so no number
 * is boxed on the way in or out (V8 allocates a heap number for each double passed to or returned
 * from a call it does not inline, and a call site shared by every op is never inlined).
 */
export interface ScalarFrame {
  /** The output's adjoint. */
  readonly g: number;
  /** The first input. */
  readonly a: number;
  /** The second input (binary ops). */
  readonly b: number;
  /** The output value. */
  readonly out: number;
  /** The op's parameters. */
  readonly params: any;
  /** Written by the rule: the first input's adjoint. */
  da: number;
  /** Written by the rule: the second input's adjoint. */
  db: number;
}

/** The backward rule of a 0-d elementwise op on numbers: sets `s.da` (and `s.db`). */
export type ScalarRule = (s: ScalarFrame) => void;

/** Identity helper that gives the definition its type (and checks its `saves`). */
export function defineOp<P = undefined>(def: OpDef<P>): OpDef<P> {
  checkDefinition(def);
  savesMaskOf(def);
  return def;
}

function checkDefinition(def: unknown): void {
  const fail = (message: string): never => {
    throw new ArgumentError('defineOp', message);
  };
  if (typeof def !== 'object' || def === null || Array.isArray(def)) fail(`the definition must be an object { name, inputs, shape, forward, backward, test }, got ${describeArg(def)}`);
  const d = def as Record<string, unknown>;
  if (typeof d['name'] !== 'string' || d['name'] === '') fail(`the definition's 'name' must be a non-empty string, got ${describeArg(d['name'])}`);
  const name = d['name'] as string;
  const inputs = d['inputs'];
  if (inputs !== 'variadic' && !(Array.isArray(inputs) && inputs.every((x) => typeof x === 'string'))) {
    fail(`'${name}': 'inputs' must be an array of input names or 'variadic', got ${describeArg(inputs)}`);
  }
  for (const k of ['shape', 'forward', 'backward']) {
    if (typeof d[k] !== 'function') fail(`'${name}': '${k}' must be a function, got ${describeArg(d[k])}`);
  }
  if (!Object.isExtensible(def)) fail(`'${name}': the definition must not be frozen or sealed (memograd caches the saved-inputs mask on it)`);
}

/** A value for messages; a missing key is said as such (not 'undefined'). */
function describeArg(v: unknown): string {
  return v === undefined ? 'nothing (the key is missing)' : describe(v);
}

/** @internal `saves` bit for the output; the bit for input i is 1 << i. */
export const SAVES_OUT = 1 << 30;
/** @internal `saves` bit for every input (variadic ops, inputs past the 29th). */
export const SAVES_ALL = 1 << 29;

/** @internal An op's `saves` as a bit mask (cached on the definition); the default saves everything. */
export function savesMaskOf(op: OpDef<any>): number {
  const saves: unknown = op.saves;
  let mask = 0;
  if (saves === undefined) mask = SAVES_ALL | SAVES_OUT; // conservative: the rule may read anything
  else if (!Array.isArray(saves)) {
    const got = saves === null ? 'null' : typeof saves === 'object' ? 'an object' : `${typeof saves} ${String(saves)}`;
    throw new ArgumentError(String(op.name), `the op definition's 'saves' must be an array of input indices and/or 'out', got ${got}`);
  } else {
    for (const s of saves as unknown[]) {
      if (s === 'out') mask |= SAVES_OUT;
      else mask |= Number.isInteger(s) && (s as number) >= 0 && (s as number) < 29 ? 1 << (s as number) : SAVES_ALL;
    }
  }
  op._savesMask = mask;
  return mask;
}

/** One entry of the registry that drives the property tests. */
export interface RegistryEntry {
  /** The op's name. */
  readonly name: string;
  /** A primitive (own backward rule) or a composite of other ops. */
  readonly kind: 'primitive' | 'composite';
  /** Whether the op has a gradient. */
  readonly differentiable: boolean;
  /** Runs the op on the given inputs and parameters. */
  call(inputs: readonly Tensor[], params: any): Tensor;
  /** How the property tests sample it, or null. */
  readonly test: OpTest<any> | null;
}
