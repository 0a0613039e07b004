/**
 * The sorting ops of the scan family: sort, argsort, topk, kthValue (registered in scan.ts).
 *
 * Each computes positions along the axis with a non-differentiable index op (kernels/scan-select.ts),
 * then picks the values with `gather`. The gradient of the values is therefore gather's: each
 * output's gradient goes back to the position it came from (scatterAdd, whose own adjoint is gather),
 * so gradients of gradients work. Indices are float tensors holding integers, as memograd's argmax.
 */
import { allocate, allocateForOverwrite } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError } from '../errors.ts';
import { lanesOf } from '../kernels/scan-lanes.ts';
import { argsortKernel, kthKernel, topkKernel } from '../kernels/scan-select.ts';
import { checkBoolean, checkInteger, checkOptions, describe, formatShape, normalizeAxis, type Shape } from '../shape.ts';
import { toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OpDef, type OpTest, type OracleInput, type Pick } from './define.ts';
import { distinctValues, laneIndices, pickAxis, randomShape, sortedLane } from './scan-oracles.ts';
import { gatherOp, reshape } from './shape-ops.ts';

/** Options of `sort` and `argsort`. */
export interface SortOptions {
  /** The axis to sort along (default -1, the last). */
  axis?: number;
  /** Largest first (default false). NaN counts as the largest value either way. */
  descending?: boolean;
  /**
   * Whether equal values keep their order. memograd's sort is always stable, so this only
   * documents intent (PyTorch's default is not guaranteed stable; on the CPU it is for lanes of up
   * to 16 elements).
   */
  stable?: boolean;
}

/** The result of `sort`, `topk` and `kthValue`: the values and their positions along the axis. */
export interface SortResult {
  /** The selected values (differentiable). */
  values: Tensor;
  /** Their positions along the axis in the input (float, holding integers; not differentiable). */
  indices: Tensor;
}

/** Options of `topk`. */
export interface TopkOptions {
  /** The axis to select along (default -1). */
  axis?: number;
  /** The k largest (default true) or the k smallest values. */
  largest?: boolean;
  /** Return them in order (default true); when false their order is unspecified (PyTorch's). */
  sorted?: boolean;
}

/** Options of `kthValue`. */
export interface KthValueOptions {
  /** The axis to select along (default -1). */
  axis?: number;
  /** Keep the reduced axis with size 1 (default false). */
  keepDims?: boolean;
}

/** The axis' size (a 0-d tensor is one lane of one element). */
const laneSize = (s: Shape, axis: number): number => (s.length === 0 ? 1 : s[axis]!);

function checkAxis(op: string, s: Shape, axis: unknown): number {
  return checkInteger(op, 'axis', axis, 0, Math.max(s.length, 1) - 1);
}

/** Values of x at positions `idx` along `axis` (idx has x's rank, or is 0-d with x). */
function pick(x: Tensor, idx: Tensor, axis: number): Tensor {
  return apply(gatherOp, [x], { axis, index: Int32Array.from(idx.data), indexShape: idx.shape });
}

// ------------------------------------------------------------------ argsort / sort

interface ArgsortParams {
  axis: number;
  descending: boolean;
}

// argsort: the positions that sort each lane (stable; NaN largest); no gradient
export const argsortOp: OpDef<ArgsortParams> = defineOp<ArgsortParams>({
  name: 'argsort',
  inputs: ['x'],
  differentiable: false,
  saves: [],
  shape: ([s], p) => {
    checkAxis('argsort', s!, p?.axis);
    checkBoolean('argsort', 'descending', p.descending, false);
    return s!.slice();
  },
  forward: ([x], { axis, descending }) => {
    const out = allocateForOverwrite(x!.dtype, x!.size);
    argsortKernel(x!.data, out, lanesOf(x!.shape, axis), descending === true);
    return out;
  },
  backward: () => [null],
  test: {
    shapes: 'unary',
    params: (shapes, p) => ({ axis: pickAxis(shapes[0]!, p), descending: p(2) === 1 }),
    values: (shapes, _p, random) => distinctValues(shapes, random),
    nanExempt: 'NaN sorts as the largest value: it moves to the end of its lane (the start when descending); pinned in scan.test.ts',
    oracle: ([x], { axis, descending }) => laneOracle(x!, axis, x!.shape, (lane) => sortedLane(x!, lane, descending).map(([, k]) => k)),
  },
});

/**
 * A lane-by-lane reference for the oracles: `f` maps a lane's flat positions to the output lane's
 * values, written along `axis` of an output of shape `outShape` (same lanes, maybe shorter).
 */
function laneOracle(x: OracleInput, axis: number, outShape: readonly number[], f: (lane: number[]) => number[]) {
  const outLanes = laneIndices(outShape, axis);
  const data = new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(0);
  laneIndices(x.shape, axis).forEach((lane, i) => {
    const vals = f(lane);
    const target = outLanes[i];
    if (target) target.forEach((p, k) => (data[p] = vals[k]!));
  });
  return { shape: outShape, data };
}

function sortParams(op: string, x: Tensor, options: SortOptions | undefined): ArgsortParams {
  const o = checkOptions<SortOptions>(op, options, ['axis', 'descending', 'stable']);
  checkBoolean(op, 'stable', o.stable, false);
  return { axis: normalizeAxis(op, o.axis === undefined ? -1 : o.axis, x.rank), descending: checkBoolean(op, 'descending', o.descending, false) };
}

/**
 * Sorts along an axis (like `torch.sort`): `{ values, indices }`. NaN sorts as the largest value;
 * equal values keep their order (stable). The values' gradient goes back to the positions they came from.
 */
export function sort(x: TensorLike, options?: SortOptions): SortResult {
  const t = toTensor(x, 'x', 'sort');
  const p = sortParams('sort', t, options);
  const indices = apply(argsortOp, [t], p);
  return { values: pick(t, indices, p.axis), indices };
}

/** The positions that sort `x` along an axis (like `torch.argsort`; stable, NaN largest); no gradient. */
export function argsort(x: TensorLike, options?: SortOptions): Tensor {
  const t = toTensor(x, 'x', 'argsort');
  return apply(argsortOp, [t], sortParams('argsort', t, options));
}

// ------------------------------------------------------------------ topk

interface TopkParams {
  k: number;
  axis: number;
  largest: boolean;
  sorted: boolean;
}

// the positions of the k largest (smallest) values of each lane, PyTorch's CPU order for ties
const topkIndicesOp: OpDef<TopkParams> = defineOp<TopkParams>({
  name: 'topk',
  inputs: ['x'],
  differentiable: false,
  saves: [],
  shape: ([s], p) => {
    const axis = checkAxis('topk', s!, p?.axis);
    const n = laneSize(s!, axis);
    checkBoolean('topk', 'largest', p.largest, true);
    checkBoolean('topk', 'sorted', p.sorted, true);
    const k: unknown = p.k;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < (s!.length === 0 ? 1 : 0) || k > n) {
      throw new ArgumentError('topk', `k must be an integer from ${s!.length === 0 ? 1 : 0} to ${n} (the size of axis ${axis} of ${formatShape(s!)}), got ${describe(k)}`);
    }
    return s!.length === 0 ? [] : s!.map((d, i) => (i === axis ? k : d));
  },
  forward: ([x], { k, axis, largest, sorted }, shape) => {
    const out = allocate(x!.dtype, shape.reduce((a, b) => a * b, 1));
    topkKernel(x!.data, out, lanesOf(x!.shape, axis), k, largest, sorted);
    return out;
  },
  backward: () => [null],
  test: null,
});

/**
 * The k largest (or smallest) values along an axis and their positions (like `torch.topk`). NaN
 * counts as the largest; among equal values the positions are PyTorch's (CPU).
 */
export function topk(x: TensorLike, k: number, options?: TopkOptions): SortResult {
  const t = toTensor(x, 'x', 'topk');
  const o = checkOptions<TopkOptions>('topk', options, ['axis', 'largest', 'sorted']);
  const axis = normalizeAxis('topk', o.axis === undefined ? -1 : o.axis, t.rank);
  const indices = apply(topkIndicesOp, [t], {
    k, axis, largest: checkBoolean('topk', 'largest', o.largest, true), sorted: checkBoolean('topk', 'sorted', o.sorted, true),
  });
  return { values: pick(t, indices, axis), indices };
}

// ------------------------------------------------------------------ kthValue

interface KthParams {
  k: number;
  axis: number;
  keepDims: boolean;
}

// the position of the k-th smallest value (1-based) of each lane, kept as a size-1 axis
const kthIndexOp: OpDef<KthParams> = defineOp<KthParams>({
  name: 'kthValue',
  inputs: ['x'],
  differentiable: false,
  saves: [],
  shape: ([s], p) => {
    const axis = checkAxis('kthValue', s!, p?.axis);
    checkBoolean('kthValue', 'keepDims', p.keepDims, false);
    const n = laneSize(s!, axis);
    const k: unknown = p.k;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > n) {
      const why = n === 0 ? ` (axis ${axis} of ${formatShape(s!)} is empty)` : ` (the size of axis ${axis} of ${formatShape(s!)})`;
      throw new ArgumentError('kthValue', `k must be an integer from 1 to ${n}${why}, got ${describe(k)}`);
    }
    return s!.length === 0 ? [] : s!.map((d, i) => (i === axis ? 1 : d));
  },
  forward: ([x], { k, axis }, shape) => {
    const out = allocate(x!.dtype, shape.reduce((a, b) => a * b, 1));
    kthKernel(x!.data, out, lanesOf(x!.shape, axis), k - 1);
    return out;
  },
  backward: () => [null],
  test: null,
});

/**
 * The k-th smallest value (k from 1) along an axis and its position (like `torch.kthvalue`). NaN
 * counts as the largest; among equal values the position is PyTorch's (CPU).
 */
export function kthValue(x: TensorLike, k: number, options?: KthValueOptions): SortResult {
  const t = toTensor(x, 'x', 'kthValue');
  const o = checkOptions<KthValueOptions>('kthValue', options, ['axis', 'keepDims']);
  const axis = normalizeAxis('kthValue', o.axis === undefined ? -1 : o.axis, t.rank);
  const keepDims = checkBoolean('kthValue', 'keepDims', o.keepDims, false);
  const kept = apply(kthIndexOp, [t], { k, axis, keepDims });
  const values = pick(t, kept, axis);
  if (keepDims || t.rank === 0) return { values, indices: kept };
  const shape = t.shape.filter((_, i) => i !== axis);
  return { values: reshape(values, shape), indices: reshape(kept, shape) };
}

// ------------------------------------------------------------------ test descriptions (registry)

const nanExempt = 'NaN counts as the largest value, so it moves within its lane rather than staying in place; pinned in scan.test.ts';

/** How the property tests sample the sorting ops (their registry entries return the values). */
export const SORT_TESTS = {
  sort: {
    shapes: 'unary',
    params: (shapes: readonly number[][], p: Pick) => ({ axis: pickAxis(shapes[0]!, p), descending: p(2) === 1 }),
    values: (shapes: readonly number[][], _p: unknown, random: () => number) => distinctValues(shapes, random),
    nanExempt,
    oracle: ([x], { axis, descending }) => laneOracle(x!, axis, x!.shape, (lane) => sortedLane(x!, lane, descending).map(([v]) => v)),
  } satisfies OpTest<{ axis: number; descending: boolean }>,
  topk: {
    shapes: 'unary',
    sample: (p: Pick) => {
      const shape = randomShape(p);
      const axis = pickAxis(shape, p);
      const k = shape.length === 0 ? 1 : p(shape[axis]! + 1);
      return { shapes: [shape], params: { k, axis, largest: p(2) === 1 } };
    },
    values: (shapes: readonly number[][], _p: unknown, random: () => number) => distinctValues(shapes, random),
    nanExempt,
    oracle: ([x], { k, axis, largest }) => {
      const outShape = x!.shape.length === 0 ? [] : x!.shape.map((d, i) => (i === axis ? k : d));
      return laneOracle(x!, axis, outShape, (lane) => sortedLane(x!, lane, largest).slice(0, k).map(([v]) => v));
    },
  } satisfies OpTest<{ k: number; axis: number; largest: boolean }>,
  kthValue: {
    shapes: 'unary',
    sample: (p: Pick) => {
      const shape = randomShape(p);
      const axis = pickAxis(shape, p);
      return { shapes: [shape], params: { k: 1 + p(laneSize(shape, axis)), axis, keepDims: p(2) === 1 } };
    },
    values: (shapes: readonly number[][], _p: unknown, random: () => number) => distinctValues(shapes, random),
    nanExempt,
    oracle: ([x], { k, axis, keepDims }) => {
      const kept = x!.shape.map((d, i) => (i === axis ? 1 : d));
      const ref = laneOracle(x!, axis, kept, (lane) => [sortedLane(x!, lane, false)[k - 1]![0]]);
      return { shape: keepDims ? kept : kept.filter((_, i) => i !== axis), data: ref.data };
    },
  } satisfies OpTest<{ k: number; axis: number; keepDims: boolean }>,
};
