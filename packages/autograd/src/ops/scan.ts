/**
 * Scans and sorting: cumsum, cumprod, logCumSumExp, sort, argsort, topk, kthValue, flip, roll.
 *
 * The cumulative ops and flip/roll are here; the sorting ops are in scan-sort.ts. Every backward
 * rule is written with Tensor ops (often the family's own ops), so gradients of gradients work:
 * - cumsum's adjoint is the reverse cumsum (the same op with `reverse` set);
 * - cumprod's is, with E the exclusive running product and S_k = g_k + x_{k+1} S_{k+1} (a reverse
 *   first-order linear recurrence, the internal op `linearScan`), grad = E * S: no division by x, so
 *   zeros (one or several in a lane) need no special case;
 * - logCumSumExp's is PyTorch's formula through the reverse logCumSumExp of log|g| - out, split by
 *   the sign of g, which never overflows;
 * - flip's is flip, roll's is the opposite roll.
 */
import { allocateForOverwrite } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, ShapeError } from '../errors.ts';
import { cumprodKernel, cumsumKernel, lanesOf, linearScanKernel, logAddExp, logCumSumExpKernel, walkAxesKernel } from '../kernels/scan-lanes.ts';
import { checkBoolean, checkInteger, describe, formatShape, MAX_RANK, normalizeAxis, type Shape } from '../shape.ts';
import { toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { full } from './creation.ts';
import { defineOp, type OpDef, type Pick } from './define.ts';
import { exp, log, where } from './elementwise.ts';
import { composite, primitive, type OpEntry } from './helpers.ts';
import { laneIndices, pickAxis, randomShape, scanOracle } from './scan-oracles.ts';
import { argsortOp, kthValue, sort, SORT_TESTS, topk } from './scan-sort.ts';
import { cat, permute, reshape, slice } from './shape-ops.ts';

export { argsort, kthValue, sort, topk, type KthValueOptions, type SortOptions, type SortResult, type TopkOptions } from './scan-sort.ts';

// ------------------------------------------------------------------ shared checks

/** The shape rule's check of an axis given directly: an integer axis of the shape (0 for 0-d). */
function checkAxis(op: string, s: Shape, axis: unknown): number {
  return checkInteger(op, 'axis', axis, 0, Math.max(s.length, 1) - 1);
}

/** The shape rule's check of a list of distinct axes given directly. */
function checkAxisList(op: string, s: Shape, axes: unknown, distinct: boolean): number[] {
  if (!Array.isArray(axes) || axes.length > MAX_RANK * 4) throw new ArgumentError(op, `axes must be an array of integers, got ${describe(axes)}`);
  const out = axes.map((a) => checkAxis(op, s, a));
  if (distinct && new Set(out).size !== out.length) throw new ArgumentError(op, `axis ${describe(axes)} repeats an axis`);
  return out;
}

/** Normalizes a public axis argument (negative counts from the end; a 0-d tensor takes 0 or -1). */
const toAxis = (op: string, x: Tensor, axis: unknown): number => normalizeAxis(op, axis, x.rank);

/** A public axis-or-axes argument as a list of normalized axes. */
function toAxes(op: string, x: Tensor, axes: unknown, distinct: boolean): number[] {
  if (typeof axes === 'number') return [normalizeAxis(op, axes, x.rank, 'axes')];
  if (!Array.isArray(axes) || axes.length > MAX_RANK * 4) throw new ArgumentError(op, `axes must be an integer or an array of integers, got ${describe(axes)}`);
  const out = axes.map((a) => normalizeAxis(op, a, x.rank, 'axes'));
  // named as given (the shape rule would name the normalized axes)
  if (distinct && new Set(out).size !== out.length) throw new ArgumentError(op, `axis ${describe(axes)} repeats an axis`);
  return out;
}

const sampleAxis = (shapes: readonly number[][], pick: Pick) => ({ axis: pickAxis(shapes[0]!, pick) });

/** The shape rule of a scan along an axis given directly: the input's shape. */
function scanShape(op: string, s: Shape, axis: unknown): number[] {
  checkAxis(op, s, axis);
  return s.slice();
}

/** A lane-wise scan's forward: a fresh output filled by `kernel` lane by lane along `axis`. */
function laneForward(x: Tensor, axis: number, kernel: (src: Tensor['data'], out: Tensor['data'], lanes: ReturnType<typeof lanesOf>) => void): Tensor['data'] {
  const out = allocateForOverwrite(x.dtype, x.size);
  kernel(x.data, out, lanesOf(x.shape, axis));
  return out;
}

// ------------------------------------------------------------------ cumsum

interface ScanParams {
  axis: number;
  reverse: boolean;
}

// cumsum: out_k = sum_{j <= k} x_j along the axis (or sum_{j >= k} when reverse, its own adjoint)
export const cumsumOp: OpDef<ScanParams> = defineOp<ScanParams>({
  name: 'cumsum',
  inputs: ['x'],
  saves: [],
  shape: ([s], p) => {
    const out = scanShape('cumsum', s!, p?.axis);
    checkBoolean('cumsum', 'reverse', p?.reverse, false);
    return out;
  },
  forward: ([x], { axis, reverse }) => laneForward(x!, axis, (src, out, lanes) => cumsumKernel(src, out, lanes, reverse === true)),
  // d out_j / d x_k = 1 for k <= j: the gradient is the reverse running sum of g
  backward: ({ grad, params: { axis, reverse } }) => [apply(cumsumOp, [grad], { axis, reverse: !reverse })],
  test: {
    shapes: 'unary',
    params: (shapes, pick) => ({ axis: pickAxis(shapes[0]!, pick), reverse: pick(2) === 1 }),
    oracle: ([x], { axis, reverse }) => scanOracle(x!, axis, reverse, (a, v) => a + v),
  },
});

/** Running sums along `axis` (like `torch.cumsum`). */
export function cumsum(x: TensorLike, axis: number): Tensor {
  const t = toTensor(x, 'x', 'cumsum');
  return apply(cumsumOp, [t], { axis: toAxis('cumsum', t, axis), reverse: false });
}

// ------------------------------------------------------------------ linearScan (internal)

// the first-order linear recurrence y_k = b_k + a_k y_{k-1} (or y_k = b_k + a_{k+1} y_{k+1} when
// reverse): cumprod's adjoint. Its own adjoint is the recurrence in the other direction.
export const linearScanOp: OpDef<ScanParams> = defineOp<ScanParams>({
  name: 'linearScan',
  inputs: ['b', 'a'],
  saves: [1, 'out'],
  shape: ([b, a], p) => {
    checkAxis('linearScan', b!, p?.axis);
    checkBoolean('linearScan', 'reverse', p.reverse, false);
    if (b!.length !== a!.length || b!.some((d, i) => d !== a![i])) {
      throw new ShapeError('linearScan', `b has shape ${formatShape(b!)} but a has shape ${formatShape(a!)} (they must be equal)`, [b!, a!]);
    }
    return b!.slice();
  },
  forward: ([b, a], { axis, reverse }) => {
    const out = allocateForOverwrite(b!.dtype, b!.size);
    linearScanKernel(b!.data, a!.data, out, lanesOf(b!.shape, axis), reverse === true);
    return out;
  },
  // with λ the recurrence of g in the other direction: db = λ; forward: da_k = λ_k y_{k-1};
  // reverse: da_k = λ_{k-1} y_k (a_0 is never read: 0)
  backward: ({ grad, inputs: [, a], out, params: { axis, reverse } }) => {
    const lambda = apply(linearScanOp, [grad, a!], { axis, reverse: !reverse });
    const da = reverse ? shiftIn(lambda, axis, 0).mul(out) : lambda.mul(shiftIn(out, axis, 0));
    return [lambda, da];
  },
  test: {
    shapes: (pick) => {
      const s = randomShape(pick);
      return [s, s.slice()];
    },
    params: (shapes, pick) => ({ axis: pickAxis(shapes[0]!, pick), reverse: pick(2) === 1 }),
    oracle: ([b, a], { axis, reverse }) => {
      const out = new Array<number>(b!.data.length).fill(0);
      for (let lane of laneIndices(b!.shape, axis)) {
        if (reverse) lane = lane.slice().reverse();
        lane.forEach((p, k) => {
          // the coefficient sits on the later element in forward order
          const coef = k === 0 ? 0 : a!.data[reverse ? lane[k - 1]! : p]!;
          out[p] = b!.data[p]! + (k === 0 ? 0 : coef * out[lane[k - 1]!]!);
        });
      }
      return { shape: b!.shape, data: out };
    },
  },
});

/**
 * t shifted by one along `axis` towards the end, `fill` entering at the start (the last element
 * drops out): built from slice and cat, so it is differentiable to any order.
 */
function shiftIn(t: Tensor, axis: number, fill: number): Tensor {
  if (t.rank === 0) return full([], fill, { dtype: t.dtype });
  const n = t.shape[axis]!;
  const head = full(t.shape.map((d, i) => (i === axis ? Math.min(n, 1) : d)), fill, { dtype: t.dtype });
  if (n <= 1) return head;
  return cat([head, slice(t, t.shape.map(() => 0), t.shape.map((d, i) => (i === axis ? n - 1 : d)))], axis);
}

// ------------------------------------------------------------------ cumprod

// cumprod: out_k = prod_{j <= k} x_j along the axis
export const cumprodOp: OpDef<{ axis: number }> = defineOp<{ axis: number }>({
  name: 'cumprod',
  inputs: ['x'],
  saves: [0, 'out'],
  shape: ([s], p) => scanShape('cumprod', s!, p?.axis),
  forward: ([x], { axis }) => laneForward(x!, axis, cumprodKernel),
  // d/dx_k sum_j g_j out_j = sum_{j >= k} g_j prod_{i <= j, i != k} x_i = E_k S_k with E_k = out_{k-1}
  // (E_0 = 1) and S_k = g_k + x_{k+1} S_{k+1}: products only, exact with any number of zeros
  backward: ({ grad, inputs: [x], out, params: { axis } }) => [
    shiftIn(out, axis, 1).mul(apply(linearScanOp, [grad, x!], { axis, reverse: true })),
  ],
  test: {
    shapes: 'unary',
    params: sampleAxis,
    smoothAt: [0], // a polynomial: the gradient is checked with zeros in the lanes, one or several
    oracle: ([x], { axis }) => scanOracle(x!, axis, false, (a, v) => a * v),
  },
});

/**
 * For each element of x, the product of the other elements of its group (the elements that `axes`
 * reduce together): ∂prod/∂x. Exclusive running products from both ends of each group, multiplied
 * (PyTorch's prod_safe_zeros_backward): products only, so exact with any number of zeros, and built
 * from differentiable ops, so its own derivative is right too (with two zeros in a group the first
 * derivatives are all 0, the second ones are not). Used by prod's backward.
 */
export function productOfOthers(x: Tensor, axes: readonly number[]): Tensor {
  const kept = x.shape.map((_, a) => a).filter((a) => !axes.includes(a));
  const perm = [...kept, ...axes];
  const keptShape = kept.map((a) => x.shape[a]!);
  const group = axes.reduce((n, a) => n * x.shape[a]!, 1);
  const last = keptShape.length;
  const lanes = reshape(permute(x, perm), [...keptShape, group]);
  const before = apply(cumprodOp, [shiftIn(lanes, last, 1)], { axis: last });
  const after = flip(apply(cumprodOp, [shiftIn(flip(lanes, [last]), last, 1)], { axis: last }), [last]);
  const inverse = x.shape.map((_, a) => perm.indexOf(a));
  return permute(reshape(before.mul(after), [...keptShape, ...axes.map((a) => x.shape[a]!)]), inverse);
}

/** Running products along `axis` (like `torch.cumprod`); its gradient is exact with zeros in the input. */
export function cumprod(x: TensorLike, axis: number): Tensor {
  const t = toTensor(x, 'x', 'cumprod');
  return apply(cumprodOp, [t], { axis: toAxis('cumprod', t, axis) });
}

// ------------------------------------------------------------------ logCumSumExp

// logCumSumExp: out_k = log sum_{j <= k} exp(x_j), accumulated with a stable log-add-exp
export const logCumSumExpOp: OpDef<{ axis: number }> = defineOp<{ axis: number }>({
  name: 'logCumSumExp',
  inputs: ['x'],
  saves: [0, 'out'],
  shape: ([s], p) => scanShape('logCumSumExp', s!, p?.axis),
  forward: ([x], { axis }) => laneForward(x!, axis, logCumSumExpKernel),
  backward: ({ grad, inputs: [x], out, params: { axis } }) => [logCumSumExpGrad(grad, x!, out, axis)],
  test: {
    shapes: 'unary',
    params: sampleAxis,
    oracle: ([x], { axis }) => scanOracle(x!, axis, false, logAddExp),
  },
});

/**
 * d/dx_k sum_j g_j out_j = sum_{j >= k} g_j exp(x_k - out_j), as PyTorch computes it: split g by
 * sign, and for each part exp(x_k + reverse-logCumSumExp(log|g| - out)_k), in log space so nothing
 * overflows. Where g has the other sign (or is 0) log|g| is replaced by the lowest double (PyTorch's
 * choice, so that infinite inputs give PyTorch's values); the log reads g only where it is used,
 * so that the second derivative with respect to g is 0 there rather than 0/0.
 */
function logCumSumExpGrad(g: Tensor, x: Tensor, out: Tensor, axis: number): Tensor {
  const lowest = -Number.MAX_VALUE;
  const pos = g.gt(0);
  const neg = g.lt(0);
  const part = (mask: Tensor, signed: Tensor): Tensor => {
    const logAbs = where(mask, log(where(mask, signed, 1)), lowest);
    const rev = flip(apply(logCumSumExpOp, [flip(logAbs.sub(out), [axis])], { axis }), [axis]);
    return exp(rev.add(x));
  };
  return part(pos, g).sub(part(neg, g.neg()));
}

/** log(cumsum(exp(x))) along `axis`, computed stably (like `torch.logcumsumexp`). */
export function logCumSumExp(x: TensorLike, axis: number): Tensor {
  const t = toTensor(x, 'x', 'logCumSumExp');
  return apply(logCumSumExpOp, [t], { axis: toAxis('logCumSumExp', t, axis) });
}

// ------------------------------------------------------------------ flip / roll

/** The start and step of each axis for walkAxesKernel: flipped axes read backwards. */
function walkOf(shape: Shape, flipped: readonly number[], shifts: readonly number[] | null, axes: readonly number[]): { start: number[]; step: number[] } {
  const start = shape.map(() => 0);
  const step = shape.map(() => 1);
  if (shifts === null) {
    for (const a of flipped) {
      start[a] = shape[a]! - 1;
      step[a] = -1;
    }
  } else {
    // out[j] = x[(j - s) mod n]: start at (-s) mod n; repeated axes add their shifts
    axes.forEach((a, i) => {
      const n = shape[a]!;
      if (n > 0) start[a] = (((start[a]! - shifts[i]!) % n) + n) % n;
    });
  }
  return { start, step };
}

// flip: reverses the order of the elements along each of `axes`
export const flipOp: OpDef<{ axes: readonly number[] }> = defineOp<{ axes: readonly number[] }>({
  name: 'flip',
  inputs: ['x'],
  saves: [],
  shape: ([s], p) => {
    checkAxisList('flip', s!, p?.axes, true);
    return s!.slice();
  },
  forward: ([x], { axes }) => {
    const out = allocateForOverwrite(x!.dtype, x!.size);
    const { start, step } = walkOf(x!.shape, x!.rank === 0 ? [] : axes, null, []);
    walkAxesKernel(x!.data, x!.shape, start, step, out);
    return out;
  },
  // a permutation that is its own inverse
  backward: ({ grad, params: { axes } }) => [apply(flipOp, [grad], { axes })],
  test: {
    shapes: 'unary',
    params: (shapes, pick) => {
      const rank = shapes[0]!.length;
      return { axes: Array.from({ length: Math.max(rank, 1) }, (_, i) => i).filter(() => pick(2) === 1) };
    },
    oracle: ([x], { axes }) => {
      const shape = x!.shape;
      const out = new Array<number>(x!.data.length);
      for (let i = 0; i < out.length; i++) {
        // unravel i, reverse the flipped coordinates, ravel
        let rem = i;
        let src = 0;
        let stride = 1;
        for (let d = shape.length - 1; d >= 0; d--) {
          const n = shape[d]!;
          const c = rem % n;
          rem = Math.floor(rem / n);
          src += (axes.includes(d) ? n - 1 - c : c) * stride;
          stride *= n;
        }
        out[i] = x!.data[src]!;
      }
      return { shape, data: out };
    },
  },
});

/** Reverses the order of elements along the given axes (like `torch.flip`). */
export function flip(x: TensorLike, axes: number | readonly number[]): Tensor {
  const t = toTensor(x, 'x', 'flip');
  return apply(flipOp, [t], { axes: toAxes('flip', t, axes, true) });
}

interface RollParams {
  shifts: readonly number[];
  axes: readonly number[];
}

// roll: out[j] = x[(j - shift) mod n] along each axis (repeated axes add up)
export const rollOp: OpDef<RollParams> = defineOp<RollParams>({
  name: 'roll',
  inputs: ['x'],
  saves: [],
  shape: ([s], p) => {
    const axes = checkAxisList('roll', s!, p?.axes, false);
    const shifts: unknown = p.shifts;
    if (!Array.isArray(shifts) || shifts.length !== axes.length || !shifts.every((v) => Number.isSafeInteger(v))) {
      throw new ArgumentError('roll', `shifts must be an array of ${axes.length} integers (one per axis), got ${describe(shifts)}`);
    }
    return s!.slice();
  },
  forward: ([x], { shifts, axes }) => {
    const out = allocateForOverwrite(x!.dtype, x!.size);
    if (x!.rank === 0) {
      out[0] = x!.data[0]!;
      return out;
    }
    const { start, step } = walkOf(x!.shape, [], shifts, axes);
    walkAxesKernel(x!.data, x!.shape, start, step, out);
    return out;
  },
  // the inverse permutation: roll back
  backward: ({ grad, params: { shifts, axes } }) => [apply(rollOp, [grad], { shifts: shifts.map((v) => -v), axes })],
  test: {
    shapes: 'unary',
    params: (shapes, pick) => {
      const rank = shapes[0]!.length;
      const axes = Array.from({ length: 1 + pick(2) }, () => pick(Math.max(rank, 1)));
      return { axes, shifts: axes.map(() => pick(11) - 5) };
    },
    oracle: ([x], { shifts, axes }) => {
      const shape = x!.shape;
      const out = new Array<number>(x!.data.length);
      for (let i = 0; i < out.length; i++) {
        let rem = i;
        let src = 0;
        let stride = 1;
        for (let d = shape.length - 1; d >= 0; d--) {
          const n = shape[d]!;
          let c = rem % n;
          rem = Math.floor(rem / n);
          axes.forEach((a, k) => {
            if (a === d) c = (((c - shifts[k]!) % n) + n) % n;
          });
          src += c * stride;
          stride *= n;
        }
        out[i] = x!.data[src]!;
      }
      return { shape, data: out };
    },
  },
});

/**
 * Rolls elements along axes (like `torch.roll`): an element shifted past the end comes back at the
 * start. Without `axes` the flattened tensor is rolled by one shift and the shape restored.
 */
export function roll(x: TensorLike, shifts: number | readonly number[], axes?: number | readonly number[]): Tensor {
  const t = toTensor(x, 'x', 'roll');
  const s = typeof shifts === 'number' ? [shifts] : shifts;
  if (!Array.isArray(s) || !s.every((v) => Number.isSafeInteger(v))) {
    throw new ArgumentError('roll', `shifts must be an integer or an array of integers, got ${describe(shifts)}`);
  }
  if (axes === undefined) {
    if (s.length !== 1) throw new ArgumentError('roll', `without axes, shifts must be one integer (the flattened tensor is rolled), got ${describe(shifts)}`);
    if (t.rank <= 1) return apply(rollOp, [t], { shifts: t.rank === 0 ? [] : s, axes: t.rank === 0 ? [] : [0] });
    return reshape(apply(rollOp, [reshape(t, [t.size])], { shifts: s, axes: [0] }), t.shape);
  }
  const a = toAxes('roll', t, axes, false);
  if (a.length !== s.length) {
    throw new ArgumentError('roll', `shifts and axes must have the same length, got ${s.length} shift(s) ${describe(shifts)} and ${a.length} axis/axes ${describe(axes)}`);
  }
  return apply(rollOp, [t], { shifts: s, axes: a });
}

// ------------------------------------------------------------------ registry

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const SCAN_OPS = {
  cumsum: primitive(cumsumOp),
  cumprod: primitive(cumprodOp),
  logCumSumExp: primitive(logCumSumExpOp),
  linearScan: primitive(linearScanOp, { fn: null }), // cumprod's adjoint
  flip: primitive(flipOp),
  roll: primitive(rollOp),
  argsort: primitive(argsortOp),
  sort: composite('sort', ([x], p: { axis: number; descending: boolean }) => sort(x!, p).values, SORT_TESTS.sort),
  topk: composite('topk', ([x], p: { k: number; axis: number; largest: boolean }) => topk(x!, p.k, { axis: p.axis, largest: p.largest }).values, SORT_TESTS.topk),
  kthValue: composite('kthValue', ([x], p: { k: number; axis: number; keepDims: boolean }) => kthValue(x!, p.k, { axis: p.axis, keepDims: p.keepDims }).values, SORT_TESTS.kthValue),
} as const satisfies Record<string, OpEntry>;
