/**
 * Index specs (what `x.at(...)` and `index(x, ...)` accept) and the planner that turns a list of
 * them into either a strided block (basic indexing) or the flat source offset of every output element
 * (advanced indexing), with PyTorch's semantics. No tensor op runs here: the plan is plain data.
 */
import { ArgumentError, ShapeError } from '../errors.ts';
import { MAX_RANK, broadcastShapes, checkElementCount, describe, formatShape, sizeOf, stridesOf, type Shape } from '../shape.ts';
import { Tensor, toTensor, type TensorLike } from '../tensor.ts';
import type { NestedIndex } from './shape-ops.ts';

/**
 * A slice `start:stop:step` (Python's): every field optional (null or absent: the default), bounds
 * out of range are clamped as in Python, negative bounds count from the end, and a negative step walks
 * backwards (`{ step: -1 }` reverses the axis, as NumPy's `x[::-1]`; PyTorch refuses negative steps).
 */
export interface Slice {
  /** The first position (default 0, or the last for a negative step). */
  readonly start?: number | null;
  /** The position to stop before (default: past the end in the step's direction). */
  readonly stop?: number | null;
  /** The stride, a non-zero integer (default 1). */
  readonly step?: number | null;
}

/** A slice written as in Python: `':'`, `'1:3'`, `'::2'`, `'::-1'`, `'-2:'`, `'1:5:2'`. */
export type SliceString = `${string}:${string}`;

/**
 * A boolean mask (see `mask`): memograd has no boolean dtype, so a tensor of 0/1 becomes a mask only
 * when wrapped; a plain tensor or number array is read as integer indices.
 */
export class IndexMask {
  /** @internal */
  readonly _brand = 'IndexMask';
  /** The mask's values (each 0 or 1) and shape. */
  readonly tensor: Tensor;
  /** @internal use `mask(...)`. */
  constructor(tensor: Tensor) {
    this.tensor = tensor;
  }
}

/** Nested arrays of booleans (a mask written out: `[true, false, true]`). */
export type NestedBool = boolean | readonly NestedBool[];

/**
 * One index of `x.at(...)` / `index(x, [...])`, per axis from the left, as in PyTorch:
 * - a number: picks one position (negative counts from the end) and drops the axis;
 * - a `Slice` (`{ start, stop, step }`, see `s`) or a slice string (`'1:3'`, `'::-1'`): keeps the axis;
 * - `null`: inserts a new axis of size 1 (NumPy's newaxis);
 * - `'...'`: as many full slices as the other indices leave axes (at most one);
 * - integer indices (a nested number array, an Int32Array, or a tensor of integers): advanced
 *   indexing; several broadcast together. A 0-d tensor counts as a number, as in PyTorch;
 * - a mask (`mask(t)` or nested booleans): selects the positions where it is 1 over as many axes as
 *   it has; it is the same as the integer indices of its non-zero positions.
 */
export type IndexSpec = number | null | '...' | SliceString | Slice | IndexMask | Tensor | Int32Array | readonly NestedIndex[] | readonly NestedBool[];

/** A slice `start:stop:step` (Python's), e.g. `x.at(s(1, 3), s(null, null, -1))` is `x[1:3, ::-1]`. */
export function s(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start: start ?? null, stop: stop ?? null, step: step ?? null };
}

/**
 * Marks a tensor (or array) of 0/1 as a boolean mask for indexing (`x.at(mask(x.gt(0)))` is PyTorch's
 * `x[x > 0]`). Every value must be 0 or 1.
 */
export function mask(m: TensorLike | readonly NestedBool[]): IndexMask {
  const t = toMaskTensor('mask', m);
  return new IndexMask(t);
}

/** A mask's tensor: booleans become 0/1; every value must be 0 or 1. */
export function toMaskTensor(op: string, m: unknown): Tensor {
  let t: Tensor;
  if (m instanceof IndexMask) return m.tensor;
  if (typeof m === 'boolean') t = toTensor(m ? 1 : 0, 'mask', op, 'float64');
  else if (Array.isArray(m)) t = toTensor(mapBools(m) as never, 'mask', op, 'float64');
  else if (m instanceof Tensor || typeof m === 'number') t = toTensor(m, 'mask', op, 'float64');
  else throw new ArgumentError(op, `mask must be a tensor of 0/1, nested booleans or mask(...), got ${describe(m)}`);
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== 0 && d[i] !== 1) throw new ArgumentError(op, `a mask holds 0 or 1, got ${d[i]} at position ${i}`);
  }
  return t.detach();
}

/**
 * Booleans as 0/1 through nested arrays. Below MAX_RANK levels the arrays are left as they are, so
 * that toTensor refuses a too deep (or cyclic) nesting with its own message instead of this
 * recursion overflowing the stack.
 */
function mapBools(v: unknown, depth = 0): unknown {
  if (Array.isArray(v)) return depth > MAX_RANK ? v : v.map((x) => mapBools(x, depth + 1));
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** Whether v is nested arrays of booleans (its first leaf decides; at most MAX_RANK levels, no cycle). */
function isBoolArray(v: unknown): boolean {
  let p: unknown = v;
  for (let depth = 0; Array.isArray(p); depth++) {
    if (p.length === 0 || depth >= MAX_RANK) return false;
    p = p[0];
  }
  return typeof p === 'boolean';
}

/** One output axis of the plan: a strided walk over an input axis, a new axis, or the advanced block. */
interface Dim {
  readonly size: number;
  /** Offset step per position (0 for a new axis); unused for the advanced block. */
  readonly stride: number;
  readonly advanced: boolean;
}

/** What a list of specs does to a shape. */
export interface IndexPlan {
  /** The output shape. */
  readonly shape: number[];
  /** With only basic indices: the strided block of the input (one entry per input axis). */
  readonly block: { begin: number[]; size: number[]; step: number[] } | null;
  /** The flat input offset of every output element, row-major (computed on demand). */
  offsets(): Int32Array;
}

interface Adv {
  readonly axis: number;
  readonly values: Int32Array;
  readonly shape: number[];
}

/** Python's slice.indices: the first position, the count and the step of a slice on an axis of size n. */
export function sliceRange(op: string, sl: Slice, n: number, axis: number): { start: number; count: number; step: number } {
  const num = (v: unknown, what: string): number | null => {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ArgumentError(op, `slice ${what} at axis ${axis} must be an integer or null, got ${describe(v)}`);
    return v;
  };
  const step = num(sl.step, 'step') ?? 1;
  if (step === 0) throw new ArgumentError(op, `slice step at axis ${axis} must not be zero`);
  let start = num(sl.start, 'start');
  let stop = num(sl.stop, 'stop');
  if (step > 0) {
    start = start === null ? 0 : start < 0 ? Math.max(start + n, 0) : Math.min(start, n);
    stop = stop === null ? n : stop < 0 ? Math.max(stop + n, 0) : Math.min(stop, n);
  } else {
    start = start === null ? n - 1 : start < 0 ? Math.max(start + n, -1) : Math.min(start, n - 1);
    stop = stop === null ? -1 : stop < 0 ? Math.max(stop + n, -1) : Math.min(stop, n - 1);
  }
  const count = Math.max(0, Math.ceil((stop - start) / step));
  return { start, count, step };
}

/** Parses `'1:3'`, `'::-1'`, ... */
function parseSlice(op: string, text: string): Slice {
  const parts = text.split(':');
  const bad = () => new ArgumentError(op, `'${text}' is not a slice: write 'start:stop' or 'start:stop:step' with integers (each optional), or '...'`);
  if (parts.length > 3) throw bad();
  const vals = parts.map((p) => {
    const q = p.trim();
    if (q === '') return null;
    if (!/^[+-]?\d+$/.test(q)) throw bad();
    return Number(q);
  });
  return { start: vals[0] ?? null, stop: vals[1] ?? null, step: vals[2] ?? null };
}

function isSliceObject(v: unknown): v is Slice {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Tensor || v instanceof IndexMask || ArrayBuffer.isView(v)) return false;
  return Object.keys(v).every((k) => k === 'start' || k === 'stop' || k === 'step');
}

/** Integer indices as given (values unchecked): their values and shape. */
function intIndices(op: string, v: unknown): { data: ArrayLike<number>; shape: number[] } {
  if (v instanceof Tensor) return { data: v.data, shape: v.shape.slice() };
  if (v instanceof Int32Array) return { data: v, shape: [v.length] };
  const t = toTensor(v as readonly number[], 'index', op, 'float64');
  return { data: t.data, shape: t.shape.slice() };
}

/** Checks and normalises one integer index on an axis of size n (negative from the end). */
function position(op: string, v: number, n: number, axis: number, xShape: Shape): number {
  if (!Number.isInteger(v)) throw new ArgumentError(op, `index ${describe(v)} at axis ${axis} is not an integer (x has shape ${formatShape(xShape)})`);
  if (v < -n || v >= n) throw new ArgumentError(op, `index ${v} is out of range for axis ${axis} of size ${n} (x has shape ${formatShape(xShape)})`);
  return v < 0 ? v + n : v;
}

type Item =
  | { kind: 'int'; axis: number; pos: number }
  | { kind: 'slice'; axis: number; start: number; count: number; step: number }
  | { kind: 'new' }
  | { kind: 'adv'; advs: Adv[] };

/**
 * Plans `x[specs]` for an input of shape `xShape` (PyTorch's rules): integers drop their axis;
 * slices and new axes keep their place; the advanced indices (integer arrays and masks, a mask
 * standing for the integer arrays of its non-zero positions) broadcast together into one block
 * that takes the place of the first of them when they are adjacent (no slice, new axis or ellipsis
 * of at least one axis between them; integers do not separate them, as PyTorch drops integer axes
 * first), and goes first otherwise.
 */
export function planIndex(op: string, xShape: Shape, specsIn: readonly unknown[]): IndexPlan {
  const rank = xShape.length;
  // how many input axes each spec consumes; find the ellipsis
  let consumed = 0;
  let ellipsis = -1;
  const specs: unknown[] = specsIn.map((v, i) => {
    if (v === '...') {
      if (ellipsis >= 0) throw new ArgumentError(op, `at most one '...' is allowed, got a second at position ${i}`);
      ellipsis = i;
      return v;
    }
    if (typeof v === 'string') {
      if (!v.includes(':')) badSpec(op, v, i);
      consumed += 1;
      return parseSlice(op, v);
    }
    if (v === undefined) return badSpec(op, v, i);
    if (v instanceof IndexMask) {
      if (v.tensor.rank === 0) throw new ArgumentError(op, `a 0-d mask (index ${i}) is not supported; give the mask at least one axis`);
      consumed += v.tensor.rank;
    }
    else if (isBoolArray(v) || typeof v === 'boolean') {
      if (typeof v === 'boolean') throw new ArgumentError(op, `a lone boolean index (${v}) is not supported; use a mask array`);
      const m = new IndexMask(toMaskTensor(op, v));
      consumed += m.tensor.rank;
      return m;
    } else if (v !== null) consumed += 1;
    return v;
  });
  if (consumed > rank) throw new ArgumentError(op, `too many indices: ${consumed} axes indexed but x has shape ${formatShape(xShape)} (rank ${rank})`);
  const xs = stridesOf(xShape);
  const items: Item[] = [];
  let axis = 0;
  const pushFull = (count: number) => {
    for (let k = 0; k < count; k++, axis++) items.push({ kind: 'slice', axis, start: 0, count: xShape[axis]!, step: 1 });
  };
  for (let i = 0; i < specs.length; i++) {
    const v = specs[i];
    if (v === '...') {
      pushFull(rank - consumed);
      continue;
    }
    if (v === null) {
      items.push({ kind: 'new' });
      continue;
    }
    const n = xShape[axis]!;
    if (typeof v === 'number') {
      items.push({ kind: 'int', axis, pos: position(op, v, n, axis, xShape) });
      axis++;
    } else if (v instanceof Tensor && v.rank === 0) {
      items.push({ kind: 'int', axis, pos: position(op, v.data[0]!, n, axis, xShape) });
      axis++;
    } else if (isSliceObject(v)) {
      items.push({ kind: 'slice', axis, ...sliceRange(op, v, n, axis) });
      axis++;
    } else if (v instanceof IndexMask) {
      items.push({ kind: 'adv', advs: maskIndices(op, v.tensor, xShape, axis) });
      axis += v.tensor.rank;
    } else if (v instanceof Tensor || v instanceof Int32Array || Array.isArray(v)) {
      const { data, shape } = intIndices(op, v);
      const values = new Int32Array(data.length);
      for (let k = 0; k < data.length; k++) values[k] = position(op, data[k]!, n, axis, xShape);
      items.push({ kind: 'adv', advs: [{ axis, values, shape }] });
      axis++;
    } else {
      badSpec(op, v, i);
    }
  }
  pushFull(rank - axis);

  const advItems = items.filter((it) => it.kind === 'adv');
  if (advItems.length === 0) return basicPlan(op, xShape, items);

  const advs = advItems.flatMap((it) => it.advs);
  let B: number[] = [];
  try {
    B = advs.reduce<number[]>((acc, a) => broadcastShapes(op, acc, a.shape), []);
  } catch {
    throw new ShapeError(op, `shape mismatch: the integer indices (and masks) cannot be broadcast together: shapes ${advs.map((a) => formatShape(a.shape)).join(', ')}`, advs.map((a) => a.shape));
  }
  const kept = items.filter((it) => it.kind !== 'int');
  const firstAdv = kept.findIndex((it) => it.kind === 'adv');
  const adjacent = kept.slice(firstAdv, firstAdv + advItems.length).every((it) => it.kind === 'adv');
  const dims: Dim[] = [];
  let base = 0;
  const block = () => B.forEach((d) => dims.push({ size: d, stride: 0, advanced: true }));
  if (!adjacent) block();
  kept.forEach((it, k) => {
    if (it.kind === 'slice') dims.push({ size: it.count, stride: it.step * xs[it.axis]!, advanced: false });
    else if (it.kind === 'new') dims.push({ size: 1, stride: 0, advanced: false });
    else if (adjacent && k === firstAdv) block();
  });
  for (const it of items) {
    if (it.kind === 'int') base += it.pos * xs[it.axis]!;
    else if (it.kind === 'slice' && it.count > 0) base += it.start * xs[it.axis]!;
  }
  const shape = dims.map((d) => d.size);
  checkElementCount(op, shape);
  return {
    shape,
    block: null,
    offsets: () => flatOffsets(dims, base, advOffsets(advs, B, xs)),
  };
}

function badSpec(op: string, v: unknown, i: number): never {
  throw new ArgumentError(op, `index ${i} must be a number, a slice ({ start, stop, step } or 'a:b:c'), null, '...', integer indices or a mask, got ${describe(v)}`);
}

/** A mask over the axes from `axis`: the integer indices of its non-zero positions, one array per axis. */
function maskIndices(op: string, m: Tensor, xShape: Shape, axis: number): Adv[] {
  const ms = m.shape;
  for (let k = 0; k < ms.length; k++) {
    if (ms[k] !== xShape[axis + k]) {
      throw new ShapeError(op, `the mask's shape ${formatShape(ms)} does not match x's shape ${formatShape(xShape)} at axis ${axis + k} (mask size ${ms[k]}, x size ${xShape[axis + k]})`, [ms, xShape]);
    }
  }
  let count = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i] !== 0) count++;
  const arrays = ms.map(() => new Int32Array(count));
  const mst = stridesOf(ms);
  let c = 0;
  for (let i = 0; i < m.data.length; i++) {
    if (m.data[i] === 0) continue;
    for (let k = 0; k < ms.length; k++) arrays[k]![c] = Math.floor(i / mst[k]!) % ms[k]!;
    c++;
  }
  return arrays.map((values, k) => ({ axis: axis + k, values, shape: [count] }));
}

/** The offset contributed by the advanced indices at every position of their broadcast shape B. */
function advOffsets(advs: readonly Adv[], B: readonly number[], xs: readonly number[]): Int32Array {
  const n = sizeOf(B);
  const out = new Int32Array(n);
  const bs = stridesOf(B);
  for (const a of advs) {
    // each array's stride within B (0 on broadcast axes), aligned to the right
    const off = B.length - a.shape.length;
    const as = stridesOf(a.shape);
    const st = B.map((_d, k) => (k < off || a.shape[k - off] === 1 ? 0 : as[k - off]!));
    const xStride = xs[a.axis]!;
    for (let b = 0; b < n; b++) {
      let src = 0;
      for (let k = 0; k < B.length; k++) src += (Math.floor(b / bs[k]!) % B[k]!) * st[k]!;
      out[b] = out[b]! + a.values[src]! * xStride;
    }
  }
  return out;
}

/** Every output element's flat input offset: base + Σ position × stride, the advanced block read from `adv`. */
function flatOffsets(dims: readonly Dim[], base: number, adv: Int32Array): Int32Array {
  const shape = dims.map((d) => d.size);
  const n = sizeOf(shape);
  const out = new Int32Array(n);
  if (n === 0) return out;
  const rank = dims.length;
  const idx = new Array<number>(rank).fill(0);
  // the advanced block's dims are consecutive: its flat position is the row-major index over them
  const advDims = dims.map((d, k) => (d.advanced ? k : -1)).filter((k) => k >= 0);
  const advStrides = stridesOf(advDims.map((k) => dims[k]!.size));
  for (let o = 0; o < n; o++) {
    let off = base;
    let b = 0;
    let j = 0;
    for (let k = 0; k < rank; k++) {
      const d = dims[k]!;
      if (d.advanced) b += idx[k]! * advStrides[j++]!;
      else off += idx[k]! * d.stride;
    }
    out[o] = off + (advDims.length > 0 ? adv[b]! : 0);
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k]! < dims[k]!.size) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Only integers, slices and new axes: a strided block of the input, then a reshape. */
function basicPlan(op: string, xShape: Shape, items: readonly Item[]): IndexPlan {
  const rank = xShape.length;
  const begin = new Array<number>(rank).fill(0);
  const size = xShape.slice();
  const step = new Array<number>(rank).fill(1);
  const shape: number[] = [];
  const dims: Dim[] = [];
  const xs = stridesOf(xShape);
  let base = 0;
  for (const it of items) {
    if (it.kind === 'int') {
      begin[it.axis] = it.pos;
      size[it.axis] = 1;
      base += it.pos * xs[it.axis]!;
    } else if (it.kind === 'slice') {
      // an empty slice may start anywhere: begin 0 keeps the block valid
      begin[it.axis] = it.count > 0 ? it.start : 0;
      size[it.axis] = it.count;
      step[it.axis] = it.step;
      if (it.count > 0) base += it.start * xs[it.axis]!;
      shape.push(it.count);
      dims.push({ size: it.count, stride: it.step * xs[it.axis]!, advanced: false });
    } else if (it.kind === 'new') {
      shape.push(1);
      dims.push({ size: 1, stride: 0, advanced: false });
    }
  }
  checkElementCount(op, shape);
  return { shape, block: { begin, size, step }, offsets: () => flatOffsets(dims, base, new Int32Array(0)) };
}
