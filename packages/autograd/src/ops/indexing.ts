/**
 * NumPy/PyTorch indexing: at/index (integers, strided slices, newaxis, ellipsis, integer arrays, boolean
 * masks), indexPut, maskedFill, scatter, scatterAdd and indexAdd.
 *
 * Basic indexing (integers, slices, new axes) is one strided copy (the `slice` op with a step, then a
 * free reshape), whose adjoint scatters the gradient into zeros. Advanced indexing computes the flat
 * source offset of every output element once (indexing-spec.ts) and gathers them from the flattened
 * input; its adjoint is scatterAdd. Writes (indexPut, scatter) are out of place and built from the
 * same two primitives plus `where`, so every rule is differentiable again.
 */
import { allocate } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, ShapeError } from '../errors.ts';
import { broadcastShapes, describe, formatShape, normalizeAxis, sizeOf, type Shape } from '../shape.ts';
import { rawTensor, Tensor, toTensor, type TensorLike } from '../tensor.ts';
import { composite, type OpEntry } from './helpers.ts';
import { cast, where } from './elementwise.ts';
import { expand, forEachGather, gatherOp, indexAddOp, reshape, scatterAddOp, sliceOp, toIndex, type IndexLike } from './shape-ops.ts';
import { planIndex, toMaskTensor, type IndexMask, type IndexSpec, type NestedBool } from './indexing-spec.ts';
export type { IndexSpec, IndexMask, NestedBool, Slice, SliceString } from './indexing-spec.ts';
import { INDEX_TEST, INDEX_PUT_TEST, MASKED_FILL_TEST, SCATTER_TEST } from './indexing-tests.ts';

// ------------------------------------------------------------------ reading: index / at

/**
 * `x[specs]` with PyTorch's semantics (see `IndexSpec`): `index(x, [1, s(null, null, 2)])` is
 * `x[1, ::2]`, `index(x, ['...', null, 0])` is `x[..., None, 0]`. A plain array is the list of
 * indices (one per axis, as Python's tuple `x[a, b]`); to index with one integer array, put it in the
 * list: `index(x, [[0, 2]])` is `x[[0, 2]]`. Negative steps reverse (as NumPy; PyTorch refuses them).
 */
export function index(x: TensorLike, specs: IndexSpec | readonly IndexSpec[]): Tensor {
  const t = toTensor(x, 'x', 'index');
  return indexWith('index', t, Array.isArray(specs) ? (specs as readonly IndexSpec[]) : [specs as IndexSpec]);
}

/** @internal `index` on a converted tensor (also behind `Tensor.at`). */
export function indexWith(op: string, t: Tensor, specs: readonly unknown[]): Tensor {
  const plan = planIndex(op, t.shape, specs);
  if (plan.block !== null) {
    const { begin, size, step } = plan.block;
    const whole = begin.every((b) => b === 0) && step.every((k) => k === 1) && size.every((d, i) => d === t.shape[i]);
    const block = whole ? t : apply(sliceOp, [t], step.some((k) => k !== 1) ? { begin, size, step } : { begin, size });
    return sameShape(block.shape, plan.shape) ? block : reshape(block, plan.shape);
  }
  const offsets = plan.offsets();
  const picked = apply(gatherOp, [reshape(t, [t.size])], { axis: 0, index: offsets, indexShape: [offsets.length] });
  return reshape(picked, plan.shape);
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// ------------------------------------------------------------------ writing: one flat helper

/**
 * x (flattened) with v[k] written at targets[k]: added (accumulate), or assigned with the last write
 * winning where a target repeats (PyTorch leaves that case undefined). d x is g where nothing was
 * written (everywhere when accumulating); d v[k] is g[targets[k]] for the writes that count, 0 for
 * the overwritten ones.
 */
function putFlat(x: Tensor, targets: Int32Array, v: Tensor, accumulate: boolean): Tensor {
  const n = x.size;
  const m = targets.length;
  const xf = reshape(x, [n]);
  if (accumulate) return reshape(apply(scatterAddOp, [xf, v], { axis: 0, index: targets, indexShape: [m] }), x.shape);
  const last = new Int32Array(n).fill(-1);
  for (let k = 0; k < m; k++) last[targets[k]!] = k;
  const kept: number[] = [];
  for (let k = 0; k < m; k++) if (last[targets[k]!] === k) kept.push(k);
  const w = Int32Array.from(kept);
  const where_ = Int32Array.from(kept, (k) => targets[k]!);
  const vw = w.length === m ? v : apply(gatherOp, [v], { axis: 0, index: w, indexShape: [w.length] });
  const zeros = rawTensor(allocate(x.dtype, n), [n], x.dtype);
  const placed = apply(scatterAddOp, [zeros, vw], { axis: 0, index: where_, indexShape: [w.length] });
  const written = allocate(x.dtype, n);
  for (let k = 0; k < where_.length; k++) written[where_[k]!] = 1;
  return reshape(where(rawTensor(written, [n], x.dtype), placed, xf), x.shape);
}

/** An options argument: absent, or a plain object. */
function optionsOf<O extends object>(op: string, o: unknown): Partial<O> {
  if (o === undefined) return {};
  if (typeof o !== 'object' || o === null || Array.isArray(o) || o instanceof Tensor) throw new ArgumentError(op, `options must be an object, got ${describe(o)}`);
  return o as Partial<O>;
}

/** A value operand in x's dtype. */
function valueOf(op: string, v: TensorLike, name: string, x: Tensor): Tensor {
  const t = toTensor(v, name, op, x.dtype);
  return t.dtype === x.dtype ? t : cast(t, x.dtype);
}

// ------------------------------------------------------------------ indexPut

/** Options of `indexPut`. */
export interface IndexPutOptions {
  /** Add the values (repeated positions add up) instead of assigning them. Default false. */
  accumulate?: boolean;
}

/**
 * PyTorch's `index_put` (out of place): a copy of x with `x[indices] = values` (or `+=` with
 * `accumulate`). `indices` is a list of index specs as for `index` (PyTorch takes integer or boolean
 * tensors; slices, integers, null and '...' work too); values broadcast to the indexed shape. Where
 * a position repeats without `accumulate`, the last write wins (PyTorch: undefined), and only it
 * receives a gradient.
 */
export function indexPut(x: TensorLike, indices: readonly IndexSpec[], values: TensorLike, options: IndexPutOptions = {}): Tensor {
  const t = toTensor(x, 'x', 'indexPut');
  if (!Array.isArray(indices)) throw new ArgumentError('indexPut', `indices must be an array of index specs (one per axis), got ${describe(indices)}`);
  const accumulate = optionsOf<IndexPutOptions>('indexPut', options).accumulate ?? false;
  if (typeof accumulate !== 'boolean') throw new ArgumentError('indexPut', `accumulate must be a boolean, got ${describe(accumulate)}`);
  const plan = planIndex('indexPut', t.shape, indices);
  const v = valueOf('indexPut', values, 'values', t);
  let b: number[] | null = null;
  try {
    b = broadcastShapes('indexPut', v.shape, plan.shape);
  } catch {
    b = null;
  }
  if (b === null || !sameShape(b, plan.shape)) {
    throw new ShapeError('indexPut', `values of shape ${formatShape(v.shape)} do not broadcast to the indexed shape ${formatShape(plan.shape)}`, [v.shape, plan.shape]);
  }
  const offsets = plan.offsets();
  const vb = expand(v, plan.shape);
  return putFlat(t, offsets, reshape(vb, [offsets.length]), accumulate);
}

// ------------------------------------------------------------------ maskedFill

/**
 * PyTorch's `masked_fill` (out of place): `value` where the mask is 1, x elsewhere; mask and x
 * broadcast. The mask is a tensor or array of 0/1, nested booleans, or `mask(...)`; `value` a number
 * or a 0-d tensor, which receives the sum of the gradient over the masked positions.
 */
export function maskedFill(x: TensorLike, mask: TensorLike | IndexMask | readonly NestedBool[], value: number | Tensor): Tensor {
  const t = toTensor(x, 'x', 'maskedFill');
  const m = toMaskTensor('maskedFill', mask);
  if (value instanceof Tensor && value.rank !== 0) {
    throw new ArgumentError('maskedFill', `value must be a number or a 0-d tensor (as in PyTorch), got a tensor of shape ${formatShape(value.shape)}`);
  }
  if (!(value instanceof Tensor) && typeof value !== 'number') throw new ArgumentError('maskedFill', `value must be a number or a 0-d tensor, got ${describe(value)}`);
  broadcastShapes('maskedFill', t.shape, m.shape);
  return where(m, valueOf('maskedFill', value, 'value', t), t);
}

// ------------------------------------------------------------------ scatter / scatterAdd / indexAdd

/** A 0-d shape as [1] (gather's convention), else the shape itself. */
function asRank1(s: Shape): Shape {
  return s.length === 0 ? [1] : s;
}

/** Converts and checks scatter's index against x (and src): PyTorch's rules. */
function scatterIndex(op: string, t: Tensor, axis: number, index: IndexLike): { axis: number; index: Int32Array; indexShape: number[] } {
  const a = normalizeAxis(op, axis, t.rank);
  const { index: ix, shape } = toIndex(op, index, asRank1(t.shape)[a]!, a, t.shape);
  const xs = asRank1(t.shape);
  const is = asRank1(shape);
  if (is.length !== xs.length) throw new ShapeError(op, `index has rank ${shape.length} but x has rank ${t.rank} (${formatShape(shape)} vs ${formatShape(t.shape)})`, [t.shape, shape]);
  is.forEach((d, i) => {
    if (i !== a && d > xs[i]!) throw new ShapeError(op, `index size ${d} exceeds x's size ${xs[i]} at axis ${i} (${formatShape(shape)} vs ${formatShape(t.shape)})`, [t.shape, shape]);
  });
  return { axis: a, index: ix, indexShape: shape };
}

/** src cut down to the index's shape (PyTorch reads only that corner of a larger src). */
function srcFor(op: string, t: Tensor, src: TensorLike, indexShape: readonly number[]): Tensor {
  const v = valueOf(op, src, 'src', t);
  const vs = asRank1(v.shape);
  const is = asRank1(indexShape);
  if (vs.length !== is.length || is.some((d, i) => d > vs[i]!)) {
    throw new ShapeError(op, `src of shape ${formatShape(v.shape)} must have the index's rank and be at least as large on every axis (index ${formatShape(indexShape)})`, [v.shape, indexShape.slice()]);
  }
  const r = v.rank === indexShape.length ? v : reshape(v, vs);
  const cut = r.shape.every((d, i) => d === is[i]) ? r : apply(sliceOp, [r], { begin: is.map(() => 0), size: is.slice() });
  return cut.rank === indexShape.length ? cut : reshape(cut, indexShape);
}

/** Options of `scatter`. */
export interface ScatterOptions {
  /** Combine with x instead of overwriting: 'add' or 'multiply' (no gradient, as in PyTorch). */
  reduce?: 'add' | 'multiply';
}

/**
 * PyTorch's `scatter` (out of place): a copy of x with `out[index[i][j]][j] = src[i][j]` along
 * `axis` (axis 0 shown), src a tensor (only its index-shaped corner is read) or a number. Where an
 * index repeats along the axis the last write (in row-major order) wins (PyTorch: undefined), and only
 * it receives a gradient; x's gradient is 0 at the written positions. `reduce: 'add'` is `scatterAdd`;
 * `reduce: 'multiply'` has no gradient (PyTorch has none either) and refuses inputs that need one.
 */
export function scatter(x: TensorLike, axis: number, index: IndexLike, src: TensorLike, options: ScatterOptions = {}): Tensor {
  const t = toTensor(x, 'x', 'scatter');
  const reduce = optionsOf<ScatterOptions>('scatter', options).reduce;
  if (reduce !== undefined && reduce !== 'add' && reduce !== 'multiply') {
    throw new ArgumentError('scatter', `reduce must be 'add' or 'multiply' (or left out), got ${describe(reduce)}`);
  }
  const p = scatterIndex('scatter', t, axis, index);
  const v = typeof src === 'number' ? rawTensor(allocate(t.dtype, sizeOf(p.indexShape)).fill(src), p.indexShape, t.dtype) : srcFor('scatter', t, src, p.indexShape);
  if (reduce === 'add') return apply(scatterAddOp, [t, v], p);
  const targets = new Int32Array(p.index.length);
  forEachGather(asRank1(t.shape), p.axis, asRank1(p.indexShape), p.index, (o, dst) => (targets[o] = dst));
  if (reduce === 'multiply') {
    if (t.requiresGrad || v.requiresGrad) throw new ArgumentError('scatter', "reduce 'multiply' has no gradient (as in PyTorch); detach the inputs");
    const out = allocate(t.dtype, t.size);
    out.set(t.data);
    for (let k = 0; k < targets.length; k++) out[targets[k]!] = out[targets[k]!]! * v.data[k]!;
    return rawTensor(out, t.shape, t.dtype);
  }
  return putFlat(t, targets, reshape(v, [targets.length]), false);
}

/**
 * PyTorch's `scatter_add` (out of place): a copy of x with `out[index[i][j]][j] += src[i][j]` along
 * `axis` (axis 0 shown); repeated indices add up. Only src's index-shaped corner is read.
 */
export function scatterAdd(x: TensorLike, axis: number, index: IndexLike, src: TensorLike): Tensor {
  const t = toTensor(x, 'x', 'scatterAdd');
  const p = scatterIndex('scatterAdd', t, axis, index);
  return apply(scatterAddOp, [t, srcFor('scatterAdd', t, src, p.indexShape)], p);
}

/** Options of `indexAdd`. */
export interface IndexAddOptions {
  /** The factor of the source. Default 1. */
  alpha?: number;
}

/**
 * PyTorch's `index_add` (out of place): a copy of x with `alpha * source` added along `axis` at the
 * positions of the 1-D index (`out[..., index[k], ...] += alpha * source[..., k, ...]`); repeated
 * indices add up.
 */
export function indexAdd(x: TensorLike, axis: number, index: IndexLike, source: TensorLike, options: IndexAddOptions = {}): Tensor {
  const t = toTensor(x, 'x', 'indexAdd');
  const alpha = optionsOf<IndexAddOptions>('indexAdd', options).alpha ?? 1;
  if (typeof alpha !== 'number') throw new ArgumentError('indexAdd', `alpha must be a number, got ${describe(alpha)}`);
  const a = normalizeAxis('indexAdd', axis, t.rank);
  const { index: ix, shape } = toIndex('indexAdd', index, t.rank === 0 ? 1 : t.shape[a]!, a, t.shape);
  if (shape.length > 1) throw new ShapeError('indexAdd', `index must be 1-D, got shape ${formatShape(shape)}`, [shape]);
  const s = valueOf('indexAdd', source, 'source', t);
  if (t.rank === 0) {
    // PyTorch treats a 0-d x (and source) as one element along axis 0
    if (ix.length !== 1 || s.size !== 1 || s.rank > 1) throw new ShapeError('indexAdd', `a 0-d x takes one index and a 0-d source, got ${ix.length} indices and source ${formatShape(s.shape)}`, [t.shape, s.shape]);
    return reshape(apply(indexAddOp, [reshape(t, [1]), reshape(s, [1])], { axis: 0, index: ix, alpha }), []);
  }
  // a 0-d source with one index into a 1-D x reads as [1]
  const s1 = s.rank === 0 && t.rank === 1 ? reshape(s, [1]) : s;
  return apply(indexAddOp, [t, s1], { axis: a, index: ix, alpha });
}

// ------------------------------------------------------------------ registry

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const INDEXING_OPS = {
  index: composite('index', ([x], p: { specs: readonly unknown[] }) => indexWith('index', x!, p.specs), INDEX_TEST, { method: 'at' }),
  indexPut: composite('indexPut', ([x, v], p: { indices: readonly number[][]; accumulate: boolean }) => indexPut(x!, p.indices, v!, { accumulate: p.accumulate }), INDEX_PUT_TEST),
  maskedFill: composite('maskedFill', ([x, v], p: { mask: Tensor }) => maskedFill(x!, p.mask, v!), MASKED_FILL_TEST),
  scatter: composite('scatter', ([x, src], p: { axis: number; index: Tensor }) => scatter(x!, p.axis, p.index, src!), SCATTER_TEST),
} as const satisfies Record<string, OpEntry>;
