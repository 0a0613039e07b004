import { allocate } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, renameError, ShapeError } from '../errors.ts';
import { broadcastTo } from '../kernels/elementwise.ts';
import { permuteInto, sliceInto } from '../kernels/movement.ts';
import { checkElementCount, checkInteger, checkShape, describe, formatShape, MAX_RANK, normalizeAxes, normalizeAxis, sizeOf, stridesOf, type Shape } from '../shape.ts';
import { rawTensor, Tensor, toTensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OpDef, type Pick } from './define.ts';
import { catOracle, expandOracle, gatherOracle, indexSelectOracle, permuteOracle, reshapeOracle } from './core-oracles.ts';

// ------------------------------------------------------------------ reshape

export const reshapeOp = defineOp<{ shape: readonly number[] }>({
  name: 'reshape',
  inputs: ['x'],
  saves: [],
  shape: ([s], { shape }) => {
    const out = checkShape('reshape', 'shape', shape);
    if (sizeOf(out) !== sizeOf(s!)) {
      throw new ShapeError('reshape', `cannot reshape ${formatShape(s!)} (${sizeOf(s!)} elements) into ${formatShape(out)}`, [s!, out]);
    }
    return out;
  },
  // contiguous storage: the output shares the input's elements
  forward: ([x]) => x!.data,
  backward: ({ grad, inputs: [x] }) => [reshape(grad, x!.shape)],
  test: {
    shapes: 'unary',
    params: (shapes, pick) => {
      const n = sizeOf(shapes[0]!);
      const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
      const d = divisors[pick(divisors.length)]!;
      return { shape: pick(2) ? [d, n / d] : [n / d, d, 1] };
    },
    oracle: ([x], { shape }) => reshapeOracle(x!, shape),
  },
});

/** Resolves a target shape with at most one -1 against a size (sizes validated first). */
function resolveShape(op: string, from: Shape, value: unknown): number[] {
  const shape = checkShape(op, 'shape', typeof value === 'number' ? [value] : value, true);
  const n = sizeOf(from);
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === -1) {
      if (infer >= 0) throw new ArgumentError(op, `only one size may be -1, got ${formatShape(shape)}`);
      infer = i;
    } else known *= d;
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) {
      throw new ShapeError(op, `cannot reshape ${formatShape(from)} (${n} elements) into ${formatShape(shape)}`, [from, shape]);
    }
    out[infer] = n / known;
  } else if (known !== n) {
    throw new ShapeError(op, `cannot reshape ${formatShape(from)} (${n} elements) into ${formatShape(shape)} (${known} elements)`, [from, shape]);
  }
  return out;
}

/**
 * A tensor with the same elements in a new shape; one size may be -1 (inferred). As in PyTorch, a
 * bare integer is accepted for a 1-D shape: `reshape(x, 6)` is `reshape(x, [6])`.
 */
export function reshape(x: TensorLike, shape: readonly number[] | number): Tensor {
  const t = toTensor(x, 'x', 'reshape');
  const target = resolveShape('reshape', t.shape, shape);
  if (target.length === t.rank && target.every((d, i) => d === t.shape[i])) return t;
  return apply(reshapeOp, [t], { shape: target });
}

/** Flattens axes startAxis..endAxis into one. */
export function flatten(x: TensorLike, startAxis = 0, endAxis = -1): Tensor {
  const t = toTensor(x, 'x', 'flatten');
  const s = normalizeAxis('flatten', startAxis, t.rank, 'startAxis');
  const e = normalizeAxis('flatten', endAxis, t.rank, 'endAxis');
  if (t.rank === 0) return reshape(t, [1]);
  if (s > e) throw new ArgumentError('flatten', `startAxis ${startAxis} comes after endAxis ${endAxis}`);
  const shape = [...t.shape.slice(0, s), sizeOf(t.shape.slice(s, e + 1)), ...t.shape.slice(e + 1)];
  return reshape(t, shape);
}

/** Adds a size-1 axis at `axis` (which may be rank, to append). */
export function unsqueeze(x: TensorLike, axis: number): Tensor {
  const t = toTensor(x, 'x', 'unsqueeze');
  if (t.rank >= MAX_RANK) throw new ArgumentError('unsqueeze', `x already has ${t.rank} axes, the most a tensor may have`);
  const a = normalizeAxis('unsqueeze', axis, t.rank + 1);
  return reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]);
}

/** Removes size-1 axes: all of them, or the given ones (which must have size 1). */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor(x, 'x', 'squeeze');
  if (axis === undefined) return reshape(t, t.shape.filter((d) => d !== 1));
  // a 0-d tensor accepts axis 0 or -1 and is returned as it is (PyTorch)
  const axes = normalizeAxes('squeeze', axis, t.rank);
  if (t.rank === 0) return t;
  for (const a of axes) {
    if (t.shape[a] !== 1) throw new ShapeError('squeeze', `axis ${a} of ${formatShape(t.shape)} has size ${t.shape[a]}, not 1`, [t.shape]);
  }
  return reshape(t, t.shape.filter((_, i) => !axes.includes(i)));
}

// ------------------------------------------------------------------ permute / transpose

export const permuteOp = defineOp<{ axes: readonly number[] }>({
  name: 'permute',
  inputs: ['x'],
  saves: [],
  shape: ([s], { axes }) => {
    checkPermutation('permute', axes, s!);
    return axes.map((a) => s![a]!);
  },
  forward: ([x], { axes }) => {
    const out = allocate(x!.dtype, x!.size);
    permuteInto(x!.data, x!.shape, axes, out);
    return out;
  },
  // the adjoint of a permutation is the inverse permutation
  backward: ({ grad, params: { axes } }) => {
    const inverse = new Array<number>(axes.length);
    axes.forEach((a, i) => (inverse[a] = i));
    return [permute(grad, inverse)];
  },
  test: {
    shapes: 'unary',
    params: (shapes, pick) => {
      const axes = Array.from({ length: shapes[0]!.length }, (_, i) => i);
      for (let i = axes.length - 1; i > 0; i--) {
        const j = pick(i + 1);
        [axes[i], axes[j]] = [axes[j]!, axes[i]!];
      }
      return { axes };
    },
    oracle: ([x], { axes }) => permuteOracle(x!, axes),
  },
});

/** Throws unless `axes` lists every axis of `shape` exactly once (already normalised). */
function checkPermutation(op: string, axes: unknown, shape: Shape): void {
  const ok = Array.isArray(axes) && axes.length === shape.length &&
    axes.every((a, i) => Number.isInteger(a) && a >= 0 && a < shape.length && axes.indexOf(a) === i);
  if (!ok) throw new ArgumentError(op, `axes ${describe(axes)} are not a permutation of the ${shape.length} axes of ${formatShape(shape)}`);
}

/** Reorders the axes: output axis i is input axis axes[i]. */
export function permute(x: TensorLike, axes: readonly number[]): Tensor {
  const t = toTensor(x, 'x', 'permute');
  if (!Array.isArray(axes)) throw new ArgumentError('permute', `axes must be an array of axes, got ${describe(axes)}`);
  if (axes.length !== t.rank) {
    throw new ArgumentError('permute', `needs ${t.rank} axes for shape ${formatShape(t.shape)}, got ${formatShape(axes)}`);
  }
  const norm = axes.map((a) => normalizeAxis('permute', a, t.rank));
  if (new Set(norm).size !== norm.length) throw new ArgumentError('permute', `axes ${formatShape(axes)} repeat an axis`);
  if (norm.every((a, i) => a === i)) return t;
  return apply(permuteOp, [t], { axes: norm });
}

/** Swaps two axes (by default the last two: the matrix transpose). */
export function transpose(x: TensorLike, axis0?: number, axis1?: number): Tensor {
  const t = toTensor(x, 'x', 'transpose');
  // with the default axes a 0-d or 1-d tensor is its own transpose; explicit axes are checked (PyTorch)
  if (t.rank < 2 && axis0 === undefined && axis1 === undefined) return t;
  const a = normalizeAxis('transpose', axis0 === undefined ? -2 : axis0, t.rank, 'axis0');
  const b = normalizeAxis('transpose', axis1 === undefined ? -1 : axis1, t.rank, 'axis1');
  if (t.rank < 2) return t;
  const axes = Array.from({ length: t.rank }, (_, i) => i);
  axes[a] = b;
  axes[b] = a;
  return permute(t, axes);
}

// ------------------------------------------------------------------ expand

export const expandOp = defineOp<{ shape: readonly number[] }>({
  name: 'expand',
  inputs: ['x'],
  saves: [],
  shape: ([s], { shape: value }) => {
    const shape = checkShape('expand', 'shape', value);
    const off = shape.length - s!.length;
    if (off < 0 || s!.some((d, i) => d !== 1 && d !== shape[i + off])) {
      throw new ShapeError('expand', `cannot expand ${formatShape(s!)} to ${formatShape(shape)}`, [s!, shape]);
    }
    return shape;
  },
  forward: ([x], { shape }) => {
    const out = allocate(x!.dtype, sizeOf(shape));
    broadcastTo(x!.data, x!.shape, out, shape);
    return out;
  },
  // the engine sums the gradient back to the input's shape
  backward: ({ grad }) => [grad],
  test: {
    shapes: (pick) => {
      const small = Array.from({ length: pick(3) }, () => (pick(2) ? 1 : 2));
      return [small];
    },
    params: (shapes, pick) => ({
      shape: [...(pick(2) ? [3] : []), ...shapes[0]!.map((d) => (d === 1 ? 1 + pick(3) : d))],
    }),
    oracle: ([x], { shape }) => expandOracle(x!, shape),
  },
});

/**
 * Broadcasts to `shape`. As in PyTorch, a size of -1 keeps the input's size on that axis; it is not
 * allowed on the new leading axes, and no other negative size is.
 */
export function expand(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor(x, 'x', 'expand');
  const sizes = checkShape('expand', 'shape', shape, true);
  const off = sizes.length - t.rank;
  if (off < 0) {
    throw new ShapeError('expand', `shape ${formatShape(sizes)} has ${sizes.length} sizes, fewer than the ${t.rank} axes of x ${formatShape(t.shape)}`, [t.shape, sizes]);
  }
  const target = sizes.map((d, i) => {
    if (d !== -1) return d;
    if (i < off) throw new ArgumentError('expand', `size -1 at position ${i} of ${formatShape(sizes)} is a new leading axis, which has no size to keep`);
    return t.shape[i - off]!;
  });
  if (target.length === t.rank && target.every((d, i) => d === t.shape[i])) return t;
  return apply(expandOp, [t], { shape: target });
}

// ------------------------------------------------------------------ slice

interface SliceParams {
  begin: readonly number[];
  size: readonly number[];
  /** The stride per axis (default 1 each); a negative step walks down from `begin`. */
  step?: readonly number[];
}

const sampleSlice = (shapes: readonly number[][], pick: Pick): SliceParams => {
  const s = shapes[0]!;
  const step = s.map(() => [1, 1, 2, -1, -2][pick(5)]!);
  const begin = s.map((d) => pick(d));
  // as many elements as fit from begin in the step's direction, at least 1
  const size = s.map((d, i) => {
    const st = step[i]!;
    const room = st > 0 ? Math.floor((d - 1 - begin[i]!) / st) + 1 : Math.floor(begin[i]! / -st) + 1;
    return 1 + pick(room);
  });
  return { begin, size, step };
};

/** Plain-loop reference of a strided block (slice's oracle). */
function sliceOracle(inputs: readonly { shape: readonly number[]; data: ArrayLike<number> }[], { begin, size, step }: SliceParams) {
  const x = inputs[0]!;
  const xs = stridesOf(x.shape);
  const n = sizeOf(size);
  const data = new Array<number>(n);
  for (let o = 0; o < n; o++) {
    let rem = o;
    let src = 0;
    for (let d = size.length - 1; d >= 0; d--) {
      const i = rem % size[d]!;
      rem = Math.floor(rem / size[d]!);
      src += (begin[d]! + i * (step?.[d] ?? 1)) * xs[d]!;
    }
    data[o] = x.data[src]!;
  }
  return { shape: size.slice(), data };
}

export const sliceOp: OpDef<SliceParams> = defineOp<SliceParams>({
  name: 'slice',
  inputs: ['x'],
  saves: [],
  shape: ([s], { begin, size, step }) => {
    checkBlock('slice', s!, begin, size, step);
    return size.slice();
  },
  forward: ([x], { begin, size, step }) => {
    const out = allocate(x!.dtype, sizeOf(size));
    sliceInto(x!.data, x!.shape, begin, size, step ?? size.map(() => 1), out, false);
    return out;
  },
  backward: ({ grad, inputs: [x], params: { begin, step } }) => [apply(sliceGradOp, [grad], { begin, shape: x!.shape, ...(step ? { step } : {}) })],
  test: { shapes: 'unary', params: sampleSlice, oracle: sliceOracle },
});

interface SliceGradParams {
  begin: readonly number[];
  shape: readonly number[];
  step?: readonly number[];
}

// the adjoint of slice: place the gradient into zeros of the input's shape; its adjoint is slice
export const sliceGradOp: OpDef<SliceGradParams> = defineOp<SliceGradParams>({
  name: 'sliceGrad',
  inputs: ['grad'],
  saves: [],
  shape: ([s], { begin, shape: value, step }) => {
    const shape = checkShape('sliceGrad', 'shape', value);
    checkBlock('sliceGrad', shape, begin, s!, step);
    return shape;
  },
  forward: ([g], { begin, shape, step }) => {
    const out = allocate(g!.dtype, sizeOf(shape));
    sliceInto(out, shape, begin, g!.shape, step ?? g!.shape.map(() => 1), g!.data, true);
    return out;
  },
  backward: ({ grad, inputs: [g], params: { begin, step } }) => [apply(sliceOp, [grad], { begin, size: g!.shape, ...(step ? { step } : {}) })],
  test: {
    shapes: 'unary',
    params: (shapes, pick) => {
      const s = shapes[0]!;
      const step = s.map(() => [1, 2, -1][pick(3)]!);
      const extra = s.map(() => pick(3));
      // the block of size d with step st spans (d - 1)|st| + 1 positions; negative steps start at its end
      const shape = s.map((d, i) => (d - 1) * Math.abs(step[i]!) + 1 + extra[i]! + pick(2));
      const begin = s.map((d, i) => (step[i]! > 0 ? extra[i]! : extra[i]! + (d - 1) * -step[i]!));
      return { begin, shape, step };
    },
    oracle: ([g], { begin, shape, step }) => {
      const out = new Array<number>(sizeOf(shape)).fill(0);
      const xs = stridesOf(shape);
      const sz = g!.shape;
      for (let o = 0; o < g!.data.length; o++) {
        let rem = o;
        let dst = 0;
        for (let d = sz.length - 1; d >= 0; d--) {
          const i = rem % sz[d]!;
          rem = Math.floor(rem / sz[d]!);
          dst += (begin[d]! + i * (step?.[d] ?? 1)) * xs[d]!;
        }
        out[dst] = out[dst]! + g!.data[o]!;
      }
      return { shape: shape.slice(), data: out };
    },
  },
});

/**
 * Throws unless `begin`, `size` and `step` describe a strided block inside `shape` (one integer per
 * axis): begin[d] + k step[d] for k < size[d] stays in [0, shape[d]); an empty axis takes any begin
 * in [0, shape[d]].
 */
function checkBlock(op: string, shape: Shape, begin: unknown, size: unknown, step: unknown = undefined): void {
  const okStep = step === undefined || (Array.isArray(step) && step.length === shape.length && step.every((v: unknown) => typeof v === 'number' && Number.isInteger(v) && v !== 0));
  const ok = okStep && Array.isArray(begin) && Array.isArray(size) && begin.length === shape.length && size.length === shape.length &&
    shape.every((d, i) => {
      const b: unknown = begin[i];
      const n: unknown = size[i];
      const st = step === undefined ? 1 : (step as number[])[i]!;
      if (typeof b !== 'number' || typeof n !== 'number' || !Number.isInteger(b) || !Number.isInteger(n) || n < 0) return false;
      if (n === 0) return b >= 0 && b <= d;
      const last = b + (n - 1) * st;
      return b >= 0 && b < d && last >= 0 && last < d;
    });
  if (!ok) {
    const by = step === undefined ? '' : ` with step ${describe(step)}`;
    throw new ArgumentError(op, `begin ${describe(begin)} and size ${describe(size)}${by} are not a block of ${formatShape(shape)}`);
  }
}

/**
 * A block: `begin` per axis and `size` per axis (-1 or omitted: as many as fit), as in TensorFlow.js,
 * optionally strided: `step` per axis (default 1; a negative step walks down from `begin`, as NumPy's
 * `x[b::-1]`). Negative begins count from the end. `slice(x, [1], [2], [2])` is `x[1:5:2]`.
 */
export function slice(x: TensorLike, begin: readonly number[], size?: readonly number[], step?: readonly number[]): Tensor {
  const t = toTensor(x, 'x', 'slice');
  if (!Array.isArray(begin)) throw new ArgumentError('slice', `begin must be an array of integers, got ${describe(begin)}`);
  if (size !== undefined && !Array.isArray(size)) throw new ArgumentError('slice', `size must be an array of integers, got ${describe(size)}`);
  if (step !== undefined && !Array.isArray(step)) throw new ArgumentError('slice', `step must be an array of non-zero integers, got ${describe(step)}`);
  if (begin.length > t.rank || (size && size.length > t.rank) || (step && step.length > t.rank)) {
    throw new ArgumentError('slice', `begin ${formatShape(begin)} / size ${formatShape(size ?? [])} / step ${formatShape(step ?? [])} have more axes than ${formatShape(t.shape)}`);
  }
  const st = t.shape.map((_d, i) => {
    const v: unknown = step !== undefined && i < step.length ? step[i] : 1;
    if (typeof v !== 'number' || !Number.isInteger(v) || v === 0) throw new ArgumentError('slice', `step ${describe(v)} at axis ${i} must be a non-zero integer`);
    return v;
  });
  const b = t.shape.map((d, i) => {
    const v: unknown = i < begin.length ? begin[i] : 0;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ArgumentError('slice', `begin ${describe(v)} at axis ${i} must be an integer`);
    const r = v < 0 ? v + d : v;
    // a negative step needs an element to start from; a positive one may begin at the end (empty)
    if (r < 0 || r > d || (st[i]! < 0 && r === d && d > 0)) throw new ArgumentError('slice', `begin ${v} is out of range for axis ${i} of ${formatShape(t.shape)}`);
    return r;
  });
  const s = t.shape.map((d, i) => {
    const v: unknown = size !== undefined && i < size.length ? size[i] : -1;
    const k = st[i]!;
    const fit = k > 0 ? Math.max(0, Math.ceil((d - b[i]!) / k)) : d === 0 ? 0 : Math.floor(b[i]! / -k) + 1;
    const r = v === -1 ? fit : v;
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r > fit) {
      const by = k === 1 ? '' : ` by step ${k}`;
      throw new ArgumentError('slice', `size ${describe(v)} from begin ${b[i]}${by} does not fit axis ${i} of ${formatShape(t.shape)}`);
    }
    return r;
  });
  const strided = st.some((k) => k !== 1);
  // an empty axis may begin anywhere: normalise it so that the block check holds
  const b0 = b.map((v, i) => (s[i] === 0 ? Math.min(v, t.shape[i]!) : v));
  return apply(sliceOp, [t], strided ? { begin: b0, size: s, step: st } : { begin: b0, size: s });
}

// ------------------------------------------------------------------ cat / stack

export const catOp = defineOp<{ axis: number }>({
  name: 'cat',
  inputs: 'variadic',
  saves: [],
  shape: (shapes, { axis }) => {
    if (shapes.length === 0) throw new ArgumentError('cat', 'needs a non-empty list of tensors');
    const first = shapes[0]!;
    checkInteger('cat', 'axis', axis, 0, Math.max(first.length - 1, 0));
    if (first.length === 0) throw new ShapeError('cat', 'cannot concatenate 0-d tensors; use stack', shapes);
    let total = 0;
    shapes.forEach((s, k) => {
      if (s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i])) {
        throw new ShapeError('cat', `tensor ${k} has shape ${formatShape(s)}, which does not match ${formatShape(first)} outside axis ${axis}`, shapes);
      }
      total += s[axis]!;
    });
    const out = first.slice();
    out[axis] = total;
    checkElementCount('cat', out);
    return out;
  },
  forward: (inputs, { axis }, shape) => {
    const out = allocate(inputs[0]!.dtype, sizeOf(shape));
    let outer = 1;
    for (let d = 0; d < axis; d++) outer *= shape[d]!;
    const rowOut = sizeOf(shape.slice(axis));
    let offset = 0;
    for (const t of inputs) {
      const row = sizeOf(t.shape.slice(axis));
      for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * row, (o + 1) * row), o * rowOut + offset);
      offset += row;
    }
    return out;
  },
  backward: ({ grad, inputs, params: { axis } }) => {
    let start = 0;
    return inputs.map((t) => {
      const begin = t.shape.map((_, i) => (i === axis ? start : 0));
      start += t.shape[axis]!;
      return apply(sliceOp, [grad], { begin, size: t.shape });
    });
  },
  test: {
    shapes: (pick) => {
      const base = Array.from({ length: 1 + pick(3) }, () => 1 + pick(3));
      const axis = pick(base.length);
      return Array.from({ length: 2 + pick(2) }, () => base.map((d, i) => (i === axis ? 1 + pick(3) : d)));
    },
    params: (shapes) => {
      const a = shapes[0]!;
      const axis = a.findIndex((d, i) => shapes.some((s) => s[i] !== d));
      return { axis: axis < 0 ? 0 : axis };
    },
    oracle: (xs, { axis }) => catOracle(xs, axis),
  },
});

/** Joins tensors along an existing axis. */
export function cat(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ArgumentError('cat', `needs a non-empty list of tensors, got ${describe(tensors)}`);
  const first = toTensor(tensors[0]!, 'tensors[0]', 'cat');
  const ts = tensors.map((t, i) => toTensor(t, `tensors[${i}]`, 'cat', first.dtype));
  if (first.rank === 0) throw new ShapeError('cat', 'cannot concatenate 0-d tensors; use stack', [first.shape]);
  const a = normalizeAxis('cat', axis, first.rank);
  if (ts.length === 1) return ts[0]!;
  return apply(catOp, ts, { axis: a });
}

/** Joins tensors of equal shape along a new axis. */
export function stack(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ArgumentError('stack', `needs a non-empty list of tensors, got ${describe(tensors)}`);
  const first = toTensor(tensors[0]!, 'tensors[0]', 'stack');
  const ts = tensors.map((t, i) => toTensor(t, `tensors[${i}]`, 'stack', first.dtype));
  ts.forEach((t, k) => {
    if (t.rank !== first.rank || t.shape.some((d, i) => d !== first.shape[i])) {
      throw new ShapeError('stack', `tensor ${k} has shape ${formatShape(t.shape)}, expected ${formatShape(first.shape)}`, ts.map((x) => x.shape));
    }
  });
  if (first.rank >= MAX_RANK) throw new ArgumentError('stack', `the tensors already have ${first.rank} axes, the most a tensor may have`);
  const a = normalizeAxis('stack', axis, first.rank + 1);
  try {
    const parts = ts.map((t) => unsqueeze(t, a));
    return parts.length === 1 ? parts[0]! : apply(catOp, parts, { axis: a });
  } catch (e) {
    throw renameError('stack', e);
  }
}

// ------------------------------------------------------------------ gather / indexSelect

/** Integer indices: a number array, an Int32Array, or a tensor holding integers. */
export type NestedIndex = number | readonly NestedIndex[];
/** Indices for `gather` and `indexSelect`: nested arrays of integers, an Int32Array or a tensor. */
export type IndexLike = readonly NestedIndex[] | Int32Array | Tensor;

interface IndexParams {
  axis: number;
  index: Int32Array;
  indexShape: readonly number[];
}

/**
 * Converts indices to an Int32Array, checking every value as given before it is stored (so that
 * 2^32 + 1 cannot wrap around to 1): each must be an integer in [0, size). Negative indices are
 * refused, as PyTorch's gather and index_select refuse them.
 */
export function toIndex(op: string, index: unknown, size: number, axis: number, xShape: Shape): { index: Int32Array; shape: number[] } {
  let data: ArrayLike<number>;
  let shape: number[];
  if (index instanceof Tensor) {
    data = index.data;
    shape = index.shape.slice();
  } else if (index instanceof Int32Array) {
    data = index;
    shape = [index.length];
  } else if (Array.isArray(index) || typeof index === 'number') {
    const t = toTensor(index as readonly number[], 'index', op, 'float64');
    data = t.data;
    shape = t.shape.slice();
  } else {
    throw new ArgumentError(op, `index must be a Tensor, an Int32Array or a nested array of integers, got ${describe(index)}`);
  }
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // v < size <= MAX_ELEMENTS < 2^31, so (v | 0) === v is an exact integer test here
    if (!(v >= 0 && v < size) || (v | 0) !== v) throw badIndex(op, v, i, size, axis, xShape);
    out[i] = v;
  }
  return { index: out, shape };
}

export function badIndex(op: string, v: number, i: number, size: number, axis: number, xShape: Shape): ArgumentError {
  const why = !Number.isInteger(v) ? 'is not an integer' : v < 0 ? 'is negative (negative indices are not allowed, as in PyTorch)' : 'is out of range';
  return new ArgumentError(op, `index ${v} at position ${i} ${why}: expected an integer from 0 to ${size - 1} for axis ${axis} of size ${size} (x has shape ${formatShape(xShape)})`);
}

/** The check behind the index ops' shape rules: an Int32Array of `count` values in [0, size). */
function checkIndexArray(op: string, index: unknown, count: number, size: number, axis: number, xShape: Shape): void {
  if (!(index instanceof Int32Array) || index.length !== count) {
    throw new ArgumentError(op, `index must be an Int32Array of ${count} values, got ${describe(index)}`);
  }
  for (let i = 0; i < index.length; i++) {
    const v = index[i]!;
    if (v < 0 || v >= size) throw badIndex(op, v, i, size, axis, xShape);
  }
}

/**
 * Gather-style parameters: the index has x's rank and fits x on every axis but `axis`, a 0-d
 * tensor counting as rank 1 on either side (as in PyTorch); messages show the shapes as given.
 * The one place gather and its adjoint are validated (the public `gather` only converts).
 */
function checkGatherParams(op: string, xShape: Shape, { axis, index, indexShape }: IndexParams): void {
  const xs = asRank1(xShape);
  checkInteger(op, 'axis', axis, 0, xs.length - 1);
  const given = checkShape(op, 'indexShape', indexShape);
  const is = asRank1(given);
  if (is.length !== xs.length) {
    throw new ShapeError(op, `index has rank ${given.length} but x has rank ${xShape.length} (${formatShape(given)} vs ${formatShape(xShape)})`, [xShape, given]);
  }
  is.forEach((d, i) => {
    if (i !== axis && d > xs[i]!) {
      throw new ShapeError(op, `index size ${d} exceeds x's size ${xs[i]} at axis ${i} (${formatShape(given)} vs ${formatShape(xShape)})`, [xShape, given]);
    }
  });
  checkIndexArray(op, index, sizeOf(is), xs[axis]!, axis, xShape);
}

/** A 0-d shape as [1] (gather's convention), else the shape itself. */
function asRank1(s: Shape): Shape {
  return s.length === 0 ? [1] : s;
}

// gather (PyTorch semantics): out[i][j][k] = x[index[i][j][k]][j][k] for axis 0, and so on
export const gatherOp: OpDef<IndexParams> = defineOp<IndexParams>({
  name: 'gather',
  inputs: ['x'],
  saves: [],
  shape: ([s], params) => {
    checkGatherParams('gather', s!, params);
    return params.indexShape.slice();
  },
  forward: ([x], { axis, index, indexShape }) => {
    const out = allocate(x!.dtype, index.length);
    forEachGather(asRank1(x!.shape), axis, asRank1(indexShape), index, (o, src) => (out[o] = x!.data[src]!));
    return out;
  },
  backward: ({ grad, inputs: [x], params }) => [apply(scatterAddOp, [zerosOf(x!.shape, grad.dtype), grad], params)],
  test: { shapes: nonScalarShape, params: sampleGather, oracle: ([x], p) => gatherOracle(x!, p.axis, p.index, p.indexShape) },
});

/** Rank 1..3 shapes: indexing ops need at least one axis. */
function nonScalarShape(pick: Pick): number[][] {
  return [Array.from({ length: 1 + pick(3) }, () => 1 + pick(4))];
}

/** Zeros of a shape (the base that an adjoint scatters into). */
function zerosOf(shape: readonly number[], dtype: Tensor['dtype']): Tensor {
  return rawTensor(allocate(dtype, sizeOf(shape)), shape, dtype);
}

/**
 * PyTorch's scatter_add with src of the index's shape: out = x, then out[index[i][j]][j] += src[i][j]
 * (axis 0, and so on). Public as `scatterAdd` (ops/indexing.ts, which cuts a larger src down to the
 * index's shape first); gather's backward is scatterAdd into zeros. d x = g, d src = gather(g).
 */
export const scatterAddOp: OpDef<IndexParams> = defineOp<IndexParams>({
  name: 'scatterAdd',
  inputs: ['x', 'src'],
  saves: [],
  shape: ([x, s], params) => {
    checkGatherParams('scatterAdd', x!, params);
    if (s!.length !== params.indexShape.length || s!.some((d, i) => d !== params.indexShape[i])) {
      throw new ShapeError('scatterAdd', `src has shape ${formatShape(s!)} but the index has shape ${formatShape(params.indexShape)}`, [s!, params.indexShape]);
    }
    return x!.slice();
  },
  forward: ([x, g], { axis, index, indexShape }) => {
    const out = allocate(x!.dtype, x!.size);
    out.set(x!.data);
    forEachGather(asRank1(x!.shape), axis, asRank1(indexShape), index, (o, dst) => (out[dst] = out[dst]! + g!.data[o]!));
    return out;
  },
  backward: ({ grad, params: { axis, index, indexShape } }) => [grad, apply(gatherOp, [grad], { axis, index, indexShape })],
  test: {
    shapes: 'unary',
    // the source has the index's shape; the target is at least as large on every axis but the axis
    sample: (pick) => {
      const target = nonScalarShape(pick)[0]!;
      const p = sampleGather([target], pick);
      return { shapes: [target, p.indexShape.slice()], params: p };
    },
    oracle: ([x, src], { axis, index, indexShape }) => {
      const data = Array.from(x!.data);
      const xs = stridesOf(asRank1(x!.shape));
      const is = asRank1(indexShape);
      for (let o = 0; o < index.length; o++) {
        let rem = o;
        let dst = 0;
        for (let d = is.length - 1; d >= 0; d--) {
          const i = rem % is[d]!;
          rem = Math.floor(rem / is[d]!);
          dst += (d === axis ? index[o]! : i) * xs[d]!;
        }
        data[dst] = data[dst]! + src!.data[o]!;
      }
      return { shape: x!.shape.slice(), data };
    },
  },
});

function sampleGather(shapes: readonly number[][], pick: Pick): IndexParams {
  const s = shapes[0]!.length === 0 ? [1] : shapes[0]!;
  const axis = pick(s.length);
  const indexShape = s.map((d, i) => (i === axis ? 1 + pick(4) : 1 + pick(d)));
  const index = new Int32Array(sizeOf(indexShape)).map(() => pick(s[axis]!));
  return { axis, index, indexShape };
}

export function forEachGather(shape: Shape, axis: number, indexShape: Shape, index: Int32Array, f: (o: number, src: number) => void): void {
  const xs = stridesOf(shape);
  const rank = indexShape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < index.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += (d === axis ? index[o]! : idx[d]!) * xs[d]!;
    f(o, src);
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < indexShape[d]!) break;
      idx[d] = 0;
    }
  }
}

/**
 * Picks values along `axis` at `index` (PyTorch's gather): the index has x's rank (a 0-d tensor
 * counts as rank 1 on either side, as in PyTorch), its size on every other axis is at most x's, and
 * every value is an integer in [0, x.shape[axis]).
 */
export function gather(x: TensorLike, axis: number, index: IndexLike): Tensor {
  const t = toTensor(x, 'x', 'gather');
  const a = normalizeAxis('gather', axis, t.rank);
  // converting the index checks its values (an Int32Array cannot hold 2.5 or 2^32 + 1); the shape
  // rule checks the rest
  const { index: ix, shape } = toIndex('gather', index, asRank1(t.shape)[a]!, a, t.shape);
  return apply(gatherOp, [t], { axis: a, index: ix, indexShape: shape });
}

// indexSelect: whole slices along `axis` at the given indices (a 1-D list)
export const indexSelectOp: OpDef<{ axis: number; index: Int32Array }> = defineOp<{ axis: number; index: Int32Array }>({
  name: 'indexSelect',
  inputs: ['x'],
  saves: [],
  shape: ([s], { axis, index }) => {
    if (s!.length === 0) throw new ShapeError('indexSelect', 'cannot index a 0-d tensor', [s!]);
    checkInteger('indexSelect', 'axis', axis, 0, s!.length - 1);
    checkIndexArray('indexSelect', index, (index as { length?: number } | null)?.length ?? 0, s![axis]!, axis, s!);
    const out = s!.map((d, i) => (i === axis ? index.length : d));
    checkElementCount('indexSelect', out);
    return out;
  },
  forward: ([x], { axis, index }, shape) => {
    const out = allocate(x!.dtype, sizeOf(shape));
    const inner = sizeOf(x!.shape.slice(axis + 1));
    const n = x!.shape[axis]!;
    const outer = sizeOf(x!.shape.slice(0, axis));
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < index.length; k++) {
        const src = (o * n + index[k]!) * inner;
        out.set(x!.data.subarray(src, src + inner), (o * index.length + k) * inner);
      }
    }
    return out;
  },
  backward: ({ grad, inputs: [x], params: { axis, index } }) => [apply(indexAddOp, [zerosOf(x!.shape, grad.dtype), grad], { axis, index, alpha: 1 })],
  test: { shapes: nonScalarShape, params: sampleIndexSelect, oracle: ([x], p) => indexSelectOracle(x!, p.axis, p.index) },
});

/**
 * PyTorch's index_add: out = x, then out[..., index[k], ...] += alpha * source[..., k, ...] along
 * `axis`. Public as `indexAdd` (ops/indexing.ts); indexSelect's backward is indexAdd into zeros.
 * d x = g, d source = alpha * indexSelect(g).
 */
export const indexAddOp: OpDef<{ axis: number; index: Int32Array; alpha: number }> = defineOp<{ axis: number; index: Int32Array; alpha: number }>({
  name: 'indexAdd',
  inputs: ['x', 'source'],
  saves: [],
  shape: ([x, s], { axis, index, alpha }) => {
    if (x!.length === 0) throw new ShapeError('indexAdd', 'cannot index a 0-d tensor', [x!]);
    checkInteger('indexAdd', 'axis', axis, 0, x!.length - 1);
    if (typeof alpha !== 'number') throw new ArgumentError('indexAdd', `alpha must be a number, got ${describe(alpha)}`);
    const count = (index as { length?: number } | null)?.length ?? 0;
    const want = x!.map((d, i) => (i === axis ? count : d));
    if (s!.length !== want.length || s!.some((d, i) => d !== want[i])) {
      throw new ShapeError('indexAdd', `source has shape ${formatShape(s!)} but x ${formatShape(x!)} with ${count} indices at axis ${axis} needs ${formatShape(want)}`, [x!, s!]);
    }
    checkIndexArray('indexAdd', index, count, x![axis]!, axis, x!);
    return x!.slice();
  },
  forward: ([x, g], { axis, index, alpha }) => {
    const out = allocate(x!.dtype, x!.size);
    out.set(x!.data);
    const size = x!.shape[axis]!;
    const inner = sizeOf(x!.shape.slice(axis + 1));
    const outer = sizeOf(x!.shape.slice(0, axis));
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < index.length; k++) {
        const dst = (o * size + index[k]!) * inner;
        const src = (o * index.length + k) * inner;
        if (alpha === 1) for (let j = 0; j < inner; j++) out[dst + j] = out[dst + j]! + g!.data[src + j]!;
        else for (let j = 0; j < inner; j++) out[dst + j] = out[dst + j]! + alpha * g!.data[src + j]!;
      }
    }
    return out;
  },
  backward: ({ grad, params: { axis, index, alpha } }) => {
    const picked = apply(indexSelectOp, [grad], { axis, index });
    return [grad, alpha === 1 ? picked : picked.mul(alpha)];
  },
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const x = Array.from({ length: 1 + pick(3) }, () => 1 + pick(3));
      const axis = pick(x.length);
      const count = pick(4);
      const index = new Int32Array(count).map(() => pick(x[axis]!));
      return { shapes: [x, x.map((d, i) => (i === axis ? count : d))], params: { axis, index, alpha: [1, -0.5, 2][pick(3)]! } };
    },
    oracle: ([x, src], { axis, index, alpha }) => {
      const data = Array.from(x!.data);
      const xs = stridesOf(x!.shape);
      const ss = src!.shape;
      for (let o = 0; o < src!.data.length; o++) {
        let rem = o;
        let dst = 0;
        for (let d = ss.length - 1; d >= 0; d--) {
          const i = rem % ss[d]!;
          rem = Math.floor(rem / ss[d]!);
          dst += (d === axis ? index[i]! : i) * xs[d]!;
        }
        data[dst] = data[dst]! + alpha * src!.data[o]!;
      }
      return { shape: x!.shape.slice(), data };
    },
  },
});

function sampleIndexSelect(shapes: readonly number[][], pick: Pick): { axis: number; index: Int32Array } {
  const s = shapes[0]!;
  const axis = s.length === 0 ? 0 : pick(s.length);
  const n = s[axis] ?? 1;
  return { axis, index: new Int32Array(1 + pick(4)).map(() => pick(n)) };
}

/**
 * Selects whole slices along `axis` at `index` (rows of a matrix for axis 0), PyTorch's
 * index_select: the index is 1-D (or 0-d, one index), every value an integer in [0, x.shape[axis]).
 * A 0-d x takes axis 0 or -1 and a single index 0, and gives x back (as PyTorch).
 */
export function indexSelect(x: TensorLike, axis: number, index: IndexLike): Tensor {
  const t = toTensor(x, 'x', 'indexSelect');
  const a = normalizeAxis('indexSelect', axis, t.rank);
  const { index: ix, shape } = toIndex('indexSelect', index, t.rank === 0 ? 1 : t.shape[a]!, a, t.shape);
  if (shape.length > 1) throw new ShapeError('indexSelect', `index must be 1-D, got shape ${formatShape(shape)}`, [shape]);
  if (t.rank === 0) {
    if (ix.length !== 1) throw new ShapeError('indexSelect', `a 0-d x takes exactly one index, got ${ix.length}`, [t.shape, shape]);
    return t;
  }
  return apply(indexSelectOp, [t], { axis: a, index: ix });
}
