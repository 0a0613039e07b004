import { allocate, isDType, type DType, type FloatArray } from './dtype.ts';
import {
  apply, bumpStorageVersion, shareVersion, type VersionCounter, checkBackwardOptions, describeArgument, installEngineHooks, Node, runBackward, storageVersion, type BackwardOptions,
  WEAK,
} from './engine.ts';
import { ArgumentError, DTypeError, GraphError } from './errors.ts';
import type { OpDef } from './ops/define.ts';
import { checkBoolean, checkElementCount, checkOptions, checkShape, describe, formatShape, isOpName, MAX_RANK, sizeOf } from './shape.ts';
import { formatTensor } from './format.ts';
import * as ops from './ops/index.ts';

/** Nested arrays of numbers, as accepted by `tensor()`. */
export type NestedArray = number | readonly NestedArray[];
/** Anything accepted where a tensor is: a Tensor, a number, or nested arrays of numbers. */
export type TensorLike = Tensor | number | readonly NestedArray[];

/** Options of `tensor()` and the Tensor constructor. */
export interface TensorOptions {
  /** Element type (default float32, or float64 for a Float64Array). */
  dtype?: DType;
  /** Whether the tensor is a leaf that records gradients (PyTorch's `requires_grad`). */
  requiresGrad?: boolean;
  /** A name shown in errors, graph exports and explanations (e.g. 'w13'). */
  name?: string;
}

type GradHook = (grad: Tensor) => Tensor | void;

/**
 * An n-dimensional array of float32 or float64 numbers, stored contiguously in row-major order,
 * that can record the operations applied to it for reverse-mode differentiation.
 */
/** The shape of every 0-d tensor (shared; shapes are never mutated). */
export const SCALAR_SHAPE: readonly number[] = Object.freeze([]) as readonly number[];

/** Set by rawTensor for the one construction that follows: memograd's own code skips validation. */
let trusted = false;

/**
 * @internal Builds a tensor from storage and a shape that the caller guarantees to be consistent
 * (op outputs, views of an existing tensor): the constructor's O(rank) validation is skipped.
 */
export function rawTensor(data: FloatArray | null, shape: readonly number[], dtype?: DType): Tensor {
  trusted = true;
  return new Tensor(data, shape, dtype);
}

/** Validates the arguments of the public constructor; returns the shape to keep (a fresh copy). */
function checkConstructor(data: unknown, shape: unknown, dtype: unknown): readonly number[] {
  const isF32 = data instanceof Float32Array;
  if (!isF32 && !(data instanceof Float64Array) && data !== null) {
    throw new ArgumentError('Tensor', `data must be a Float32Array or a Float64Array (or null for a 0-d tensor of 0), got ${describe(data)}; use tensor() to build one from numbers or nested arrays`);
  }
  const s = checkShape('Tensor', 'shape', shape);
  if (dtype !== undefined && !isDType(dtype)) throw new ArgumentError('Tensor', `unknown dtype ${describe(dtype)} (expected 'float32' or 'float64')`);
  if (data === null) {
    if (s.length !== 0) throw new ArgumentError('Tensor', `data may be null only for a 0-d tensor (shape []), got shape ${formatShape(s)}`);
    return s;
  }
  const n = sizeOf(s);
  if (n !== data.length) throw new ArgumentError('Tensor', `shape ${formatShape(s)} needs ${n} elements, but data has ${data.length}`);
  if (dtype !== undefined && (dtype === 'float32') !== isF32) {
    throw new DTypeError('Tensor', `dtype '${dtype}' does not match the data, a ${isF32 ? 'Float32Array' : 'Float64Array'}; leave dtype out or convert the data`);
  }
  return s;
}

/**
 * An n-dimensional array of float32 or float64 numbers that records the operations on it for
 * reverse-mode differentiation (like `torch.Tensor`): create one with `tensor()`, call `backward()`
 * on a scalar result, read `.grad` on the leaves.
 */
export class Tensor {
  // The fields are few on purpose. A scalar graph keeps one Tensor per op alive until backward, and
  // once 100,000 of them outgrow V8's young generation the collector starts promoting them, which
  // costs more than the ops themselves. Flags share one small integer, rarely used fields are added
  // only when set, and the inputs of an op sit in two fields rather than an array.
  /**
   * @internal The elements, or the number of a 0-d tensor whose storage was never asked for (the
   * scalar fast lane: hand-sized graphs of 0-d tensors allocate no typed arrays until `.data` is read).
   */
  _data: FloatArray | number;
  /** The size of each axis (PyTorch's `shape`); [] for a 0-d tensor. */
  readonly shape: readonly number[];
  /** @internal bit 0: float64 (else float32); bit 1: requires grad; bit 2: weakly typed. */
  _flags: number;
  /** @internal The op that produced this tensor when it was recorded (null for leaves). */
  _op: OpDef<any> | null = null;
  /**
   * @internal The recorded inputs: the first two in `_in0` and `_in1`; an op of three or more
   * keeps its array in `_in1` with `_in0` null (see the engine's inputsOf).
   */
  _in0: Tensor | null = null;
  /** @internal */
  _in1: Tensor | readonly Tensor[] | null = null;
  /** @internal The recorded op's parameters. */
  _params: unknown = undefined;
  /**
   * @internal engine bookkeeping: the op's place in the recording order (negated once a backward
   * pass released the record), and the pending adjoint.
   */
  _seq = 0;
  /**
   * @internal The pending adjoint during a backward pass: a tensor, or for a float64 0-d tensor in a
   * pass that records nothing, the index of a number in the pass's table (scalar graphs then
   * allocate no tensor per rule).
   */
  _adj: Tensor | number | null = null;
  // Left off the object until set.
  /** A name shown in errors, graph exports and explanations. */
  declare name: string | undefined;
  /** @internal */
  declare _grad: Tensor | null | undefined;
  /** @internal */
  declare _hooks: GradHook[] | undefined;
  /** @internal */
  declare _retainGrad: boolean | undefined;
  /**
   * @internal What the recorded op saw of the versions of the tensors its rule reads: their sum,
   * or (when several are saved) each one; absent while that sum is 0, which is almost always (the
   * scalar lane keeps its tensors small). See the engine's checkVersions.
   */
  declare _saved: number | readonly number[] | undefined;
  /** @internal The version counter, shared with the tensors on the same storage (absent while 0). */
  declare _vc: VersionCounter | undefined;

  /**
   * Wraps `data` (not copied) as a tensor of `shape`: a Float32Array or Float64Array whose length is
   * the shape's size (or null for a 0-d tensor holding 0); `dtype`, when given, must match the array.
   * Use `tensor()` to build one from numbers or nested arrays.
   */
  constructor(data: FloatArray | null, shape: readonly number[], dtype?: DType) {
    // memograd's own constructions (rawTensor, the scalar lane's shared 0-d shape) are not checked
    if (trusted) trusted = false;
    else if (shape !== SCALAR_SHAPE) shape = checkConstructor(data, shape, dtype);
    this._data = data ?? 0;
    this.shape = shape;
    this._flags = (dtype ?? (data instanceof Float64Array ? 'float64' : 'float32')) === 'float64' ? 1 : 0;
  }

  /** The element type: 'float32' or 'float64'. */
  get dtype(): DType {
    return (this._flags & 1) !== 0 ? 'float64' : 'float32';
  }

  /**
   * Whether the dtype is weak: true for a 0-d tensor made from a number without an explicit dtype
   * (`scalar(2)`, `tensor(2)`, a number passed as an operand), and for the results of ops whose
   * inputs are all weak. A weakly typed operand adopts the dtype of a strongly typed one, as
   * PyTorch's Python scalars and JAX's weak types do: `scalar(2).mul(tensor([1, 2, 3]))` is float32
   * (the scalar is converted, and its gradient converted back). Mixing two strongly typed tensors of
   * different dtypes is a DTypeError. `.to(dtype)` makes a strongly typed tensor.
   */
  get weakType(): boolean {
    return (this._flags & 4) !== 0;
  }

  /** Whether gradients flow to this tensor. Set on leaves you want `.grad` for. */
  get requiresGrad(): boolean {
    return (this._flags & 2) !== 0;
  }
  /** Turns gradient recording on or off for this leaf (like `requires_grad_`). */
  set requiresGrad(flag: boolean) {
    this._flags = flag ? this._flags | 2 : this._flags & ~2;
  }

  /** The accumulated gradient of a leaf after `backward()`; null until then. */
  get grad(): Tensor | null {
    return this._grad ?? null;
  }
  /** Replaces the gradient (same shape and dtype) or clears it with null. */
  set grad(g: Tensor | null) {
    if (g !== null && g !== undefined) {
      // PyTorch: "assigned grad has data of a different size" / "... of a different type"
      if (!(g instanceof Tensor)) throw new ArgumentError('grad', `the assigned grad must be a Tensor or null, got ${describe(g)}`);
      if (g.shape.length !== this.shape.length || g.shape.some((d, i) => d !== this.shape[i])) {
        throw new ArgumentError('grad', `the assigned grad has shape ${formatShape(g.shape)}, but the tensor has shape ${formatShape(this.shape)}`);
      }
      if (g.dtype !== this.dtype) throw new DTypeError('grad', `the assigned grad is ${g.dtype}, but the tensor is ${this.dtype}`);
    }
    this._grad = g ?? null;
  }

  /**
   * The elements, row-major: a raw view of the storage, not a copy. Writing to it is not recorded
   * and does not bump `version`, so a backward pass that reads the old values cannot tell (except in
   * anomaly mode, which checksums saved tensors); after changing a parameter's values in place with
   * `.data.set()` or `.data[i] = v`, call `bumpVersion()` so that a stale graph is refused.
   */
  get data(): FloatArray {
    const d = this._data;
    return typeof d !== 'number' ? d : this.materialize(d);
  }

  private materialize(value: number): FloatArray {
    const d = allocate(this.dtype, 1);
    d[0] = value;
    this._data = d;
    return d;
  }

  /**
   * How many times this tensor's storage was modified in place through memograd's API (optimizer
   * steps, `loadStateDict`, in-place helpers), like PyTorch's `_version`. A backward pass that needs
   * a value saved at an older version throws a GraphError instead of using the changed one. The
   * count belongs to the storage, so tensors sharing it (a `reshape` view, `detach()`) share it.
   */
  get version(): number {
    return storageVersion(this);
  }

  /**
   * Records an in-place modification of the storage (for every tensor sharing it). memograd's own
   * mutating helpers call it; call it yourself after writing `.data` directly, so that backward
   * can detect the change. Raw `.data` writes without it are detected only in anomaly mode.
   */
  bumpVersion(): this {
    bumpStorageVersion(this);
    return this;
  }

  /** The number of elements (PyTorch's `numel()`). */
  get size(): number {
    const d = this._data;
    return typeof d === 'number' ? 1 : d.length;
  }
  /** The number of axes (PyTorch's `dim()`). */
  get rank(): number {
    return this.shape.length;
  }
  /** Leaves are tensors not produced by a recorded op. */
  get isLeaf(): boolean {
    return this._op === null;
  }

  /** What recorded this tensor (op, inputs, params), or null for a leaf. */
  get node(): Node | null {
    return this._op === null ? null : new Node(this);
  }

  /** The value of a one-element tensor as a number. */
  item(): number {
    if (typeof this._data === 'number') return this._data;
    if (this.data.length !== 1) {
      throw new ArgumentError('item', `needs a tensor with one element, got shape ${formatShape(this.shape)}`);
    }
    return this.data[0]!;
  }

  /** The values as nested arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const d = this.data;
    const shape = this.shape;
    if (shape.length === 0) return d[0]!;
    let pos = 0;
    const build = (dim: number): NestedArray[] => {
      const n = shape[dim]!;
      const out = new Array<NestedArray>(n);
      for (let i = 0; i < n; i++) out[i] = dim === shape.length - 1 ? d[pos++]! : build(dim + 1);
      return out;
    };
    return build(0);
  }

  /** Prints like a tensor library: `tensor([[1.0000, 2.0000], ...], dtype=float32)`. */
  toString(): string {
    return formatTensor(this);
  }

  /** Sets `requiresGrad` (on a leaf) and returns this, for chaining. */
  requiresGrad_(flag = true): this {
    if (!flag && this._op !== null) {
      throw new GraphError('requiresGrad_', 'can only turn off requiresGrad on a leaf; use detach() instead');
    }
    this.requiresGrad = flag;
    return this;
  }

  /** A tensor sharing this one's data but cut from the tape: no gradient flows through it. */
  detach(): Tensor {
    // `.data` materialises a fast-lane scalar first, so that both tensors really share storage
    const t = rawTensor(this.data, this.shape, this.dtype);
    t._flags |= this._flags & WEAK;
    shareVersion(this, t);
    if (this.name !== undefined) t.name = this.name;
    return t;
  }

  /** A copy with its own data, recorded (its gradient is the identity). */
  clone(): Tensor {
    return ops.clone(this);
  }

  /** Keeps `.grad` on a non-leaf tensor after backward (like PyTorch's `retain_grad`). */
  retainGrad(): this {
    this._retainGrad = true;
    return this;
  }

  /**
   * Registers a hook called with this tensor's gradient when backward computes it. The hook may
   * return a replacement gradient of the same shape. Returns a function that removes the hook.
   */
  registerHook(hook: GradHook): () => void {
    if (typeof hook !== 'function') {
      throw new ArgumentError('registerHook', `argument 'hook' must be a function (grad) => Tensor | undefined, got ${describeArgument(hook)}`);
    }
    if (!this.requiresGrad) throw new GraphError('registerHook', 'cannot register a hook on a tensor that does not require grad');
    (this._hooks ??= []).push(hook);
    return () => {
      const i = this._hooks?.indexOf(hook) ?? -1;
      if (i >= 0) this._hooks!.splice(i, 1);
    };
  }

  /**
   * Back-propagates from this tensor, accumulating into the `.grad` of every leaf that requires
   * it. A non-scalar tensor needs an explicit `gradient` (the seed) of its own shape.
   */
  backward(gradient?: TensorLike, options: BackwardOptions = {}): void {
    if (!this.requiresGrad) {
      throw new GraphError('backward', 'this tensor does not require grad and has no recorded graph; set requiresGrad on the inputs');
    }
    checkBackwardOptions('backward', options);
    runBackward([this], [seedFor(this, gradient, 'backward')], options, null);
  }

  /** Converts to another dtype (a recorded op; its gradient converts back). */
  to(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }
  /** Converts to float32 (like `.float()`). */
  float32(): Tensor {
    return ops.cast(this, 'float32');
  }
  /** Converts to float64 (like `.double()`). */
  float64(): Tensor {
    return ops.cast(this, 'float64');
  }

  // ---- elementwise ----
  /** Element-wise this + other, with broadcasting. */
  add(other: TensorLike): Tensor { return ops.add(this, other); }
  /** Element-wise this - other, with broadcasting. */
  sub(other: TensorLike): Tensor { return ops.sub(this, other); }
  /** Element-wise this · other, with broadcasting. */
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  /** Element-wise this / other, with broadcasting. */
  div(other: TensorLike): Tensor { return ops.div(this, other); }
  /** Element-wise this ^ exponent, with broadcasting. */
  pow(exponent: TensorLike): Tensor { return ops.pow(this, exponent); }
  /** Element-wise maximum with other (like `torch.maximum`). */
  maximum(other: TensorLike): Tensor { return ops.maximum(this, other); }
  /** Element-wise minimum with other (like `torch.minimum`). */
  minimum(other: TensorLike): Tensor { return ops.minimum(this, other); }
  /** Element-wise atan2(this, other): the angle of the point (other, this), like `torch.atan2`. */
  atan2(other: TensorLike): Tensor { return ops.atan2(this, other); }
  /** Element-wise -x. */
  neg(): Tensor { return ops.neg(this); }
  /** Element-wise e^x. */
  exp(): Tensor { return ops.exp(this); }
  /** Element-wise natural logarithm. */
  log(): Tensor { return ops.log(this); }
  /** Element-wise log(1 + x), accurate for small x. */
  log1p(): Tensor { return ops.log1p(this); }
  /** Element-wise e^x - 1, accurate for small x. */
  expm1(): Tensor { return ops.expm1(this); }
  /** Element-wise square root. */
  sqrt(): Tensor { return ops.sqrt(this); }
  /** Element-wise absolute value. */
  abs(): Tensor { return ops.abs(this); }
  /** Element-wise x². */
  square(): Tensor { return ops.square(this); }
  /** Element-wise 1 / x. */
  reciprocal(): Tensor { return ops.reciprocal(this); }
  /** Element-wise sine. */
  sin(): Tensor { return ops.sin(this); }
  /** Element-wise cosine. */
  cos(): Tensor { return ops.cos(this); }
  /** Clamps every element into [min, max] (either bound optional, a number or a tensor); like `torch.clamp`. */
  clamp(min?: ops.ClampBound, max?: ops.ClampBound): Tensor { return ops.clamp(this, min, max); }
  /** Element-wise sign: -1, 0 or 1. */
  sign(): Tensor { return ops.sign(this); }
  /** Element-wise this = other as 1/0. */
  eq(other: TensorLike): Tensor { return ops.eq(this, other); }
  /** Element-wise this ≠ other as 1/0. */
  ne(other: TensorLike): Tensor { return ops.ne(this, other); }
  /** Element-wise this < other as 1/0. */
  lt(other: TensorLike): Tensor { return ops.lt(this, other); }
  /** Element-wise this ≤ other as 1/0. */
  le(other: TensorLike): Tensor { return ops.le(this, other); }
  /** Element-wise this > other as 1/0. */
  gt(other: TensorLike): Tensor { return ops.gt(this, other); }
  /** Element-wise this ≥ other as 1/0. */
  ge(other: TensorLike): Tensor { return ops.ge(this, other); }

  // ---- activations ----
  /** Logistic sigmoid 1 / (1 + e^-x), element-wise. */
  sigmoid(): Tensor { return ops.sigmoid(this); }
  /** Hyperbolic tangent, element-wise. */
  tanh(): Tensor { return ops.tanh(this); }
  /** ReLU max(x, 0), element-wise. */
  relu(): Tensor { return ops.relu(this); }
  /** Leaky ReLU with the given negative slope (default 0.01). */
  leakyRelu(negativeSlope?: number): Tensor { return ops.leakyRelu(this, negativeSlope); }
  /** ELU with the given alpha (default 1). */
  elu(alpha?: number): Tensor { return ops.elu(this, alpha); }
  /** GELU x·Φ(x), element-wise. */
  gelu(): Tensor { return ops.gelu(this); }
  /** SiLU (swish) x·sigmoid(x), element-wise. */
  silu(): Tensor { return ops.silu(this); }
  /** Softplus log(1 + e^(beta·x)) / beta, element-wise. */
  softplus(options?: ops.SoftplusOptions): Tensor { return ops.softplus(this, options); }
  /** Softmax along an axis (default the last). */
  softmax(axis = -1): Tensor { return ops.softmax(this, axis); }
  /** Log-softmax along an axis (default the last), computed stably. */
  logSoftmax(axis = -1): Tensor { return ops.logSoftmax(this, axis); }

  // ---- reductions ----
  /** Sum over the given axes (all by default). */
  sum(options?: ops.ReduceOptions): Tensor { return ops.sum(this, options); }
  /** Mean over the given axes (all by default). */
  mean(options?: ops.ReduceOptions): Tensor { return ops.mean(this, options); }
  /** Maximum over the given axes (all by default). */
  max(options?: ops.ReduceOptions): Tensor { return ops.max(this, options); }
  /** Minimum over the given axes (all by default). */
  min(options?: ops.ReduceOptions): Tensor { return ops.min(this, options); }
  /** Product over the given axes (all by default). */
  prod(options?: ops.ReduceOptions): Tensor { return ops.prod(this, options); }
  /** Variance over the given axes (unbiased by default, like `torch.var`). */
  var(options?: ops.VarOptions): Tensor { return ops.variance(this, options); }
  /** Standard deviation over the given axes (unbiased by default, like `torch.std`). */
  std(options?: ops.VarOptions): Tensor { return ops.std(this, options); }
  /** log Σ e^x over the given axes, computed stably (like `torch.logsumexp`). */
  logSumExp(options?: ops.ReduceOptions): Tensor { return ops.logSumExp(this, options); }
  /** The p-norm over the given axes (default p = 2, all axes). */
  norm(options?: ops.NormOptions): Tensor { return ops.norm(this, options); }
  /** Indices of the maxima along an axis (of the flattened tensor by default). */
  argmax(options?: { axis?: number; keepDims?: boolean }): Tensor { return ops.argmax(this, options); }
  /** Indices of the minima along an axis (of the flattened tensor by default). */
  argmin(options?: { axis?: number; keepDims?: boolean }): Tensor { return ops.argmin(this, options); }

  // ---- linear algebra ----
  /** Matrix product with broadcasting batch axes (like `torch.matmul`, the `@` operator). */
  matmul(other: TensorLike): Tensor { return ops.matmul(this, other); }
  /** Outer product of two vectors. */
  outer(other: TensorLike): Tensor { return ops.outer(this, other); }

  // ---- shape ----
  /** The same elements in a new shape (one axis may be -1). */
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  /** Flattens the axes startAxis..endAxis into one (like `torch.flatten`). */
  flatten(startAxis = 0, endAxis = -1): Tensor { return ops.flatten(this, startAxis, endAxis); }
  /** Swaps two axes (the last two by default). */
  transpose(axis0?: number, axis1?: number): Tensor { return ops.transpose(this, axis0, axis1); }
  /** The transpose of a matrix (last two axes swapped). */
  get T(): Tensor { return ops.transpose(this); }
  /** Reorders the axes (like `torch.permute`). */
  permute(axes: readonly number[]): Tensor { return ops.permute(this, axes); }
  /** Broadcasts size-1 axes to a larger shape without copying (like `torch.expand`). */
  expand(shape: readonly number[]): Tensor { return ops.expand(this, shape); }
  /** Removes size-1 axes (all, or the given ones). */
  squeeze(axis?: number | readonly number[]): Tensor { return ops.squeeze(this, axis); }
  /** Inserts a size-1 axis at the given position. */
  unsqueeze(axis: number): Tensor { return ops.unsqueeze(this, axis); }
  /** The block starting at `begin` with the given size (-1 or omitted: as many as fit), optionally strided by `step` per axis. */
  slice(begin: readonly number[], size?: readonly number[], step?: readonly number[]): Tensor { return ops.slice(this, begin, size, step); }
  /** Picks values along an axis by an index tensor of the same rank (like `torch.gather`). */
  gather(axis: number, index: ops.IndexLike): Tensor { return ops.gather(this, axis, index); }
  /** Selects whole slices along an axis by index (like `torch.index_select`). */
  indexSelect(axis: number, index: ops.IndexLike): Tensor { return ops.indexSelect(this, axis, index); }

  // ---- math (trigonometric, special functions, rounding) ----
  /** Element-wise tangent. */
  tan(): Tensor { return ops.tan(this); }
  /** Element-wise arcsine. */
  asin(): Tensor { return ops.asin(this); }
  /** Element-wise arccosine. */
  acos(): Tensor { return ops.acos(this); }
  /** Element-wise arctangent. */
  atan(): Tensor { return ops.atan(this); }
  /** Element-wise hyperbolic sine. */
  sinh(): Tensor { return ops.sinh(this); }
  /** Element-wise hyperbolic cosine. */
  cosh(): Tensor { return ops.cosh(this); }
  /** Element-wise inverse hyperbolic sine. */
  asinh(): Tensor { return ops.asinh(this); }
  /** Element-wise inverse hyperbolic cosine. */
  acosh(): Tensor { return ops.acosh(this); }
  /** Element-wise inverse hyperbolic tangent. */
  atanh(): Tensor { return ops.atanh(this); }
  /** Element-wise error function (like `torch.erf`). */
  erf(): Tensor { return ops.erf(this); }
  /** Element-wise complementary error function 1 - erf(x). */
  erfc(): Tensor { return ops.erfc(this); }
  /** Element-wise inverse error function. */
  erfinv(): Tensor { return ops.erfinv(this); }
  /** Element-wise log|Γ(x)|. */
  lgamma(): Tensor { return ops.lgamma(this); }
  /** Element-wise digamma ψ(x). */
  digamma(): Tensor { return ops.digamma(this); }
  /** Element-wise normalized sinc sin(πx)/(πx). */
  sinc(): Tensor { return ops.sinc(this); }
  /** Element-wise 1/√x. */
  rsqrt(): Tensor { return ops.rsqrt(this); }
  /** Element-wise base-2 logarithm. */
  log2(): Tensor { return ops.log2(this); }
  /** Element-wise base-10 logarithm. */
  log10(): Tensor { return ops.log10(this); }
  /** Element-wise 2^x. */
  exp2(): Tensor { return ops.exp2(this); }
  /** Element-wise floor (gradient 0). */
  floor(): Tensor { return ops.floor(this); }
  /** Element-wise ceiling (gradient 0). */
  ceil(): Tensor { return ops.ceil(this); }
  /** Element-wise round, ties to even (gradient 0). */
  round(): Tensor { return ops.round(this); }
  /** Element-wise truncation toward zero (gradient 0). */
  trunc(): Tensor { return ops.trunc(this); }
  /** Element-wise fractional part x - trunc(x). */
  frac(): Tensor { return ops.frac(this); }
  /** C fmod with `b` (sign of this), with broadcasting. */
  fmod(b: TensorLike): Tensor { return ops.fmod(this, b); }
  /** Python-style remainder with `b` (sign of b), with broadcasting. */
  remainder(b: TensorLike): Tensor { return ops.remainder(this, b); }
  /** √(this² + b²), with broadcasting. */
  hypot(b: TensorLike): Tensor { return ops.hypot(this, b); }
  /** this·log(y), 0 where this is 0, with broadcasting. */
  xlogy(y: TensorLike): Tensor { return ops.xlogy(this, y); }
  /** log(e^this + e^b), without overflow, with broadcasting. */
  logAddExp(b: TensorLike): Tensor { return ops.logAddExp(this, b); }
  /** Replaces NaN and ±Infinity by numbers (see `nanToNum`). */
  nanToNum(options?: ops.NanToNumOptions): Tensor { return ops.nanToNum(this, options); }
  /** this + weight·(end - this), with broadcasting (like `torch.lerp`). */
  lerp(end: TensorLike, weight: TensorLike): Tensor { return ops.lerp(this, end, weight); }
  /** this + value·tensor1·tensor2, with broadcasting (like `torch.addcmul`). */
  addcmul(tensor1: TensorLike, tensor2: TensorLike, options?: ops.AddcmulOptions): Tensor { return ops.addcmul(this, tensor1, tensor2, options); }

  // ---- activations (more) ----
  /** log(sigmoid(x)), element-wise, computed stably. */
  logSigmoid(): Tensor { return ops.logSigmoid(this); }
  /** Hard tanh: clamps into [minVal, maxVal] (default [-1, 1]). */
  hardtanh(options?: ops.HardtanhOptions): Tensor { return ops.hardtanh(this, options); }
  /** Hard sigmoid min(max(x + 3, 0), 6) / 6, element-wise. */
  hardsigmoid(): Tensor { return ops.hardsigmoid(this); }
  /** Hard swish x·hardsigmoid(x), element-wise. */
  hardswish(): Tensor { return ops.hardswish(this); }
  /** Mish x·tanh(softplus(x)), element-wise. */
  mish(): Tensor { return ops.mish(this); }
  /** SELU with PyTorch's constants, element-wise. */
  selu(): Tensor { return ops.selu(this); }
  /** CELU with the given alpha (default 1), element-wise. */
  celu(options?: ops.CeluOptions): Tensor { return ops.celu(this, options); }
  /** Softsign x / (1 + |x|), element-wise. */
  softsign(): Tensor { return ops.softsign(this); }
  /** The log-odds log(x / (1 - x)), optionally clamping x into [eps, 1 - eps] first. */
  logit(options?: ops.LogitOptions): Tensor { return ops.logit(this, options); }
  /** Softmin (softmax of -x) along an axis (default the last). */
  softmin(axis = -1): Tensor { return ops.softmin(this, axis); }
  /** Gated linear unit a·sigmoid(b) over the halves of an axis (default the last). */
  glu(axis = -1): Tensor { return ops.glu(this, axis); }

  // ---- distances ----

  // ---- indexing ----
  /**
   * PyTorch's `x[...]`: `x.at(1, s(null, null, 2))` is `x[1, ::2]`, `x.at('...', null, 0)` is
   * `x[..., None, 0]`, `x.at([0, 2], ':', [1, 1])` is `x[[0, 2], :, [1, 1]]`, `x.at(mask(x.gt(0)))`
   * is `x[x > 0]` (see `IndexSpec`).
   */
  at(...specs: ops.IndexSpec[]): Tensor { return ops.indexWith('index', this, specs); }
  /** A copy with `x[indices] = values` (or `+=` with `accumulate`), like `torch.index_put`. */
  indexPut(indices: readonly ops.IndexSpec[], values: TensorLike, options?: ops.IndexPutOptions): Tensor { return ops.indexPut(this, indices, values, options); }
  /** `value` where the mask is 1 (like `torch.masked_fill`). */
  maskedFill(mask: TensorLike | ops.IndexMask | readonly ops.NestedBool[], value: number | Tensor): Tensor { return ops.maskedFill(this, mask, value); }
  /** A copy with src written along an axis at the index (like `torch.scatter`). */
  scatter(axis: number, index: ops.IndexLike, src: TensorLike, options?: ops.ScatterOptions): Tensor { return ops.scatter(this, axis, index, src, options); }
  /** A copy with src added along an axis at the index (like `torch.scatter_add`). */
  scatterAdd(axis: number, index: ops.IndexLike, src: TensorLike): Tensor { return ops.scatterAdd(this, axis, index, src); }
  /** A copy with `alpha * source` added along an axis at the 1-D index (like `torch.index_add`). */
  indexAdd(axis: number, index: ops.IndexLike, source: TensorLike, options?: ops.IndexAddOptions): Tensor { return ops.indexAdd(this, axis, index, source, options); }

  // ---- scans and sorting ----
  /** Running sums along an axis (like `torch.cumsum`). */
  cumsum(axis: number): Tensor { return ops.cumsum(this, axis); }
  /** Running products along an axis (like `torch.cumprod`). */
  cumprod(axis: number): Tensor { return ops.cumprod(this, axis); }
  /** log(cumsum(exp(x))) along an axis, computed stably (like `torch.logcumsumexp`). */
  logCumSumExp(axis: number): Tensor { return ops.logCumSumExp(this, axis); }
  /** Sorts along an axis: `{ values, indices }` (like `torch.sort`; stable, NaN largest). */
  sort(options?: ops.SortOptions): ops.SortResult { return ops.sort(this, options); }
  /** The positions that sort this tensor along an axis (like `torch.argsort`). */
  argsort(options?: ops.SortOptions): Tensor { return ops.argsort(this, options); }
  /** The k largest (or smallest) values along an axis and their positions (like `torch.topk`). */
  topk(k: number, options?: ops.TopkOptions): ops.SortResult { return ops.topk(this, k, options); }
  /** The k-th smallest value (k from 1) along an axis and its position (like `torch.kthvalue`). */
  kthValue(k: number, options?: ops.KthValueOptions): ops.SortResult { return ops.kthValue(this, k, options); }
  /** Reverses the order of elements along the given axes (like `torch.flip`). */
  flip(axes: number | readonly number[]): Tensor { return ops.flip(this, axes); }
  /** Rolls elements along axes, or the flattened tensor without axes (like `torch.roll`). */
  roll(shifts: number | readonly number[], axes?: number | readonly number[]): Tensor { return ops.roll(this, shifts, axes); }

  // ---- layout ----
  /** Repeats the whole tensor along each axis, `reps` holding at least one count per axis (like `Tensor.repeat`). */
  repeat(reps: readonly number[]): Tensor { return ops.repeat(this, reps); }
  /** Repeats the whole tensor along each axis, short `reps` padded with leading 1s (like `torch.tile`). */
  tile(reps: readonly number[]): Tensor { return ops.tile(this, reps); }
  /** Repeats each element (of the flattened tensor, or each slice along `axis`) in place (like `torch.repeat_interleave`). */
  repeatInterleave(repeats: number | readonly number[], options?: { axis?: number }): Tensor { return ops.repeatInterleave(this, repeats, options); }
  /** Splits along an axis into pieces of one size or of the listed sizes (like `torch.split`). */
  split(sizeOrSections: number | readonly number[], axis = 0): Tensor[] { return ops.split(this, sizeOrSections, axis); }
  /** Splits along an axis into at most `chunks` pieces of size ceil(n / chunks) (like `torch.chunk`). */
  chunk(chunks: number, axis = 0): Tensor[] { return ops.chunk(this, chunks, axis); }
  /** The slices along an axis, each without that axis (like `torch.unbind`). */
  unbind(axis = 0): Tensor[] { return ops.unbind(this, axis); }
  /** The lower triangle of the last two axes, zeros above the `diagonal`-th diagonal (like `torch.tril`). */
  tril(diagonal = 0): Tensor { return ops.tril(this, diagonal); }
  /** The upper triangle of the last two axes, zeros below the `diagonal`-th diagonal (like `torch.triu`). */
  triu(diagonal = 0): Tensor { return ops.triu(this, diagonal); }
  /** A vector as a diagonal matrix, or a matrix's diagonal as a vector (like `torch.diag`). */
  diag(diagonal = 0): Tensor { return ops.diag(this, diagonal); }
  /** The diagonal of the planes of two axes, appended as the last axis (like `torch.diagonal`). */
  diagonal(options?: { offset?: number; axis1?: number; axis2?: number }): Tensor { return ops.diagonal(this, options); }
  /** The sum of a matrix's main diagonal (like `torch.trace`). */
  trace(): Tensor { return ops.trace(this); }

  // ---- linear algebra (decompositions) ----
  /** The determinant of a (batch of) square matrices (like `torch.linalg.det`). */
  det(): Tensor { return ops.det(this); }
  /** The sign and log |det| of a (batch of) square matrices (like `torch.linalg.slogdet`). */
  slogdet(): ops.SlogdetResult { return ops.slogdet(this); }
  /** The inverse of a (batch of) square matrices (like `torch.linalg.inv`). */
  inv(): Tensor { return ops.inv(this); }
  /** The matrix to an integer power (like `torch.linalg.matrix_power`). */
  matrixPower(n: number): Tensor { return ops.matrixPower(this, n); }
  /** The Moore-Penrose pseudo-inverse (like `torch.linalg.pinv`). */
  pinv(options?: ops.PinvOptions): Tensor { return ops.pinv(this, options); }
  /** The Kronecker product with another tensor (like `torch.kron`). */
  kron(other: TensorLike): Tensor { return ops.kron(this, other); }
  /** The cross product of 3-vectors along an axis (like `torch.linalg.cross`). */
  cross(other: TensorLike, options?: { axis?: number }): Tensor { return ops.cross(this, other, options); }

  // ---- convolution and pooling ----

  // ---- network ops ----

  // ---- end of the op families ----
}

/** The seed gradient of a backward pass: ones for a scalar, else the caller's of the same shape. */
export function seedFor(t: Tensor, gradient: TensorLike | undefined, op: string): Tensor {
  if (gradient === undefined || gradient === null) {
    if (t.data.length !== 1) {
      throw new GraphError(
        op,
        `output has shape ${formatShape(t.shape)}; pass an explicit gradient of that shape or reduce to a scalar first (e.g. .sum())`,
      );
    }
    return t.shape.length === 0 ? scalarTensor(1, t.dtype) : rawTensor(t.dtype === 'float64' ? new Float64Array([1]) : new Float32Array([1]), t.shape, t.dtype);
  }
  const g = toTensor(gradient, 'gradient', op, t.dtype);
  if (g.shape.length !== t.shape.length || g.shape.some((d, i) => d !== t.shape[i])) {
    throw new GraphError(op, `gradient has shape ${formatShape(g.shape)} but the output has shape ${formatShape(t.shape)}`);
  }
  return g.dtype === t.dtype ? g : ops.cast(g.detach(), t.dtype);
}

/** @internal A 0-d tensor holding `value` (rounded to float32 when the dtype says so), no typed array. */
export function scalarTensor(value: number, dtype: DType): Tensor {
  const t = new Tensor(null, SCALAR_SHAPE, dtype);
  t._data = dtype === 'float32' ? Math.fround(value) : value;
  return t;
}

// Numbers used as operands become 0-d constants. They are immutable and never require grad, so the
// same value is shared (a bounded cache): scalar graphs like `x.mul(0.5)` then keep no per-op copy alive.
const constants = { float32: new Map<number, Tensor>(), float64: new Map<number, Tensor>() };
const MAX_CONSTANTS = 4096;

/** @internal Marks a tensor weakly typed (see `Tensor.weakType`). */
export function markWeak(t: Tensor): Tensor {
  t._flags |= WEAK;
  return t;
}

function constantTensor(value: number, dtype: DType): Tensor {
  // a number operand is weakly typed: it has no dtype of its own, it takes the other operand's
  if (Object.is(value, -0)) return markWeak(scalarTensor(value, dtype)); // Map keys do not tell -0 from 0
  const cache = constants[dtype];
  let t = cache.get(value);
  if (t === undefined || typeof t._data !== 'number') {
    // a constant whose storage was handed out through .data is not reused: it could have been written
    if (cache.size >= MAX_CONSTANTS) cache.clear();
    t = markWeak(scalarTensor(value, dtype));
    cache.set(value, t);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Conversion of tensor-likes

/**
 * The public toTensor: `op` names the errors when it reads as a function name (else 'toTensor'),
 * `arg` when it is a non-empty string (else 'value'), and `dtype` must be a dtype or undefined.
 * The internal one trusts its (literal) arguments.
 */
export function publicToTensor(value: TensorLike, arg: string, op: string, dtype?: DType): Tensor {
  const name = isOpName(op) ? op : 'toTensor';
  if (dtype !== undefined && !isDType(dtype)) throw new ArgumentError(name, `unknown dtype ${describe(dtype)} (expected 'float32' or 'float64')`);
  return toTensor(value, typeof arg === 'string' && arg !== '' ? arg : 'value', name, dtype);
}

/** Converts a TensorLike to a Tensor; numbers and arrays take `dtype` (the other operand's). */
export function toTensor(value: TensorLike, arg: string, op: string, dtype: DType = 'float32'): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number') return constantTensor(value, dtype);
  if (Array.isArray(value)) return fromNested(value, dtype, `${op}: argument '${arg}'`);
  throw new ArgumentError(op, `argument '${arg}' must be a Tensor, a number or a nested array, got ${describe(value)}`);
}

/**
 * Builds a tensor from nested arrays, validating that they are rectangular, finite numbers, at most
 * MAX_RANK deep, free of cycles and at most MAX_ELEMENTS in all, before anything is allocated.
 * `where` is `op` or `op: argument 'name'` (used in messages).
 */
export function fromNested(value: NestedArray, dtype: DType, where: string): Tensor {
  const colon = where.indexOf(':');
  const op = colon < 0 ? where : where.slice(0, colon);
  const subject = colon < 0 ? '' : `${where.slice(colon + 2)}: `;
  const fail = (message: string): never => {
    throw new ArgumentError(op, subject + message);
  };
  const shape: number[] = [];
  const seen: unknown[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    if (seen.includes(probe)) fail(`nested array contains itself at ${'[0]'.repeat(shape.length)} (a cycle)`);
    if (shape.length >= MAX_RANK) fail(`nested array is deeper than ${MAX_RANK} levels (the most axes a tensor may have)`);
    seen.push(probe);
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  checkElementCount(op, shape, 'the nested array');
  const data = allocate(dtype, sizeOf(shape));
  let pos = 0;
  const walk = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') {
        if (Array.isArray(v)) fail(`nested array is ragged: element ${path || '[]'} is an array where a number was expected (shape so far ${formatShape(shape)})`);
        fail(`element ${path || '[]'} is ${describe(v)}; tensor elements must be numbers`);
      }
      if (!Number.isFinite(v)) {
        fail(`element ${path || '[]'} is ${v}; tensors built from arrays must be finite (use full() for non-finite fills)`);
      }
      data[pos++] = v as number;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      fail(`nested array is ragged: element ${path || '[]'} has ${Array.isArray(v) ? `length ${v.length}` : describe(v)}, expected length ${shape[dim]} (shape ${formatShape(shape)})`);
    }
    const arr = v as readonly unknown[];
    for (let i = 0; i < arr.length; i++) walk(arr[i], dim + 1, `${path}[${i}]`);
  };
  walk(value, 0, '');
  return rawTensor(data, shape, dtype);
}

const TENSOR_OPTIONS = ['dtype', 'requiresGrad', 'name', 'shape'] as const;

/** Creates a tensor from a number, nested arrays or a typed array (with `shape`). */
export function tensor(
  values: NestedArray | FloatArray | readonly number[],
  options: TensorOptions & { shape?: readonly number[] } = {},
): Tensor {
  const o = checkOptions('tensor', options, TENSOR_OPTIONS);
  const dtype = o.dtype ?? (values instanceof Float64Array ? 'float64' : 'float32');
  if (!isDType(dtype)) throw new ArgumentError('tensor', `unknown dtype ${describe(dtype)} (expected 'float32' or 'float64')`);
  const requiresGrad = checkBoolean('tensor', 'requiresGrad', o.requiresGrad, false);
  if (o.name !== undefined && typeof o.name !== 'string') throw new ArgumentError('tensor', `name must be a string, got ${describe(o.name)}`);
  const shape = o.shape === undefined ? undefined : checkShape('tensor', 'shape', o.shape);
  let t: Tensor;
  if (values instanceof Float32Array || values instanceof Float64Array) {
    const s = shape ?? [values.length];
    checkElementCount('tensor', s, 'the typed array');
    if (sizeOf(s) !== values.length) {
      throw new ArgumentError('tensor', `shape ${formatShape(s)} needs ${sizeOf(s)} elements, got ${values.length}`);
    }
    const data = allocate(dtype, values.length);
    data.set(values);
    t = new Tensor(data, s, dtype);
  } else {
    if (typeof values !== 'number' && !Array.isArray(values)) {
      throw new ArgumentError('tensor', `values must be a number, a nested array or a Float32Array/Float64Array, got ${describe(values)}`);
    }
    t = fromNested(values as NestedArray, dtype, 'tensor');
    if (shape !== undefined) {
      if (sizeOf(shape) !== t.size) throw new ArgumentError('tensor', `cannot shape ${t.size} values as ${formatShape(shape)}`);
      t = new Tensor(t.data, shape, dtype);
    }
  }
  if (typeof values === 'number' && o.dtype === undefined) markWeak(t);
  if (requiresGrad) t.requiresGrad = true;
  if (o.name !== undefined) t.name = o.name;
  return t;
}

/**
 * A named 0-d tensor that requires a gradient, for hand-sized equations:
 * `const w13 = scalar(0.1, { name: 'w13' })`. Defaults to float64.
 */
export function scalar(value: number, options: TensorOptions = {}): Tensor {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError('scalar', `value must be a finite number, got ${describe(value)}`);
  }
  const o = checkOptions('scalar', options, ['dtype', 'requiresGrad', 'name']);
  const dtype = o.dtype ?? 'float64';
  if (!isDType(dtype)) throw new ArgumentError('scalar', `unknown dtype ${describe(dtype)} (expected 'float32' or 'float64')`);
  const requiresGrad = checkBoolean('scalar', 'requiresGrad', o.requiresGrad, true);
  if (o.name !== undefined && typeof o.name !== 'string') throw new ArgumentError('scalar', `name must be a string, got ${describe(o.name)}`);
  const data = allocate(dtype, 1);
  data[0] = value;
  const t = new Tensor(data, [], dtype);
  if (o.dtype === undefined) markWeak(t);
  t.requiresGrad = requiresGrad;
  if (o.name !== undefined) t.name = o.name;
  return t;
}

// The engine builds op outputs through this hook, which keeps engine.ts free of a load-time cycle.
installEngineHooks({
  makeTensor(op: OpDef<any>, inputs, params) {
    const outShape = op.shape(inputs.map((t) => t.shape), params);
    const data = op.forward(inputs, params, outShape);
    const out = rawTensor(data, outShape, data instanceof Float64Array ? 'float64' : 'float32');
    // an op that returns an input's storage (reshape) makes a view: it shares the version counter
    for (let i = 0; i < inputs.length; i++) if (inputs[i]!._data === data) shareVersion(inputs[i]!, out);
    return out;
  },
  scalar: scalarTensor,
  cast: (t, dtype) => ops.cast(t, dtype),
  sumTo: (g, shape) => ops.sumTo(g, shape),
  add: (a, b) => ops.add(a, b),
  detach: (t) => t.detach(),
  isTensor: (v): v is Tensor => v instanceof Tensor,
});

export { apply };
