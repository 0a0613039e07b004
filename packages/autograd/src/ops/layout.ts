/**
 * Shape and layout: repeat, tile, repeatInterleave, split, chunk, unbind, tril, triu, diag, diagonal, trace, pad, einsum.
 * Diagonals live in layout-diag.ts, padding in layout-pad.ts and einsum in einsum.ts; this module
 * holds the rest and the family's registry record.
 */
import { allocate } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, renameError, ShapeError } from '../errors.ts';
import { gatherSeparable, scatterSeparable, strideMaps } from '../kernels/layout-gather.ts';
import { MAX_ELEMENTS, checkElementCount, checkInteger, checkOptions, checkShape, describe, formatShape, normalizeAxis, sizeOf, type Shape } from '../shape.ts';
import { toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { zeros } from './creation.ts';
import { defineOp, type OpDef, type OracleInput, type Pick } from './define.ts';
import { mul } from './elementwise.ts';
import { composite, primitive, type OpEntry } from './helpers.ts';
import { sum } from './reduce.ts';
import { cat, reshape, slice, squeeze, stack } from './shape-ops.ts';
import { diag, diagonalGradOp, diagonalOp, trace, type DiagonalParams } from './layout-diag.ts';
import { padGradOp, padOp } from './layout-pad.ts';
import { einsum, einsumTest } from './einsum.ts';

export { diag, diagonal, trace } from './layout-diag.ts';
export { pad, type PadMode } from './layout-pad.ts';

/** Unravels flat index `o` of `shape` into coordinates (oracle helper). */
function unravel(o: number, shape: Shape): number[] {
  const c = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    c[d] = o % shape[d]!;
    o = Math.floor(o / shape[d]!);
  }
  return c;
}

/** Ravels coordinates of `shape` into a flat index (oracle helper). */
function ravel(c: readonly number[], shape: Shape): number {
  let f = 0;
  for (let d = 0; d < shape.length; d++) f = f * shape[d]! + c[d]!;
  return f;
}

/** A plain-loop oracle: out[o] = x[source(coordinates of o)]. */
function gatherOracle(x: OracleInput, outShape: number[], source: (c: number[]) => number[]) {
  const data = Array.from({ length: sizeOf(outShape) }, (_, o) => x.data[ravel(source(unravel(o, outShape)), x.shape)]!);
  return { shape: outShape, data };
}

// ------------------------------------------------------------------ repeat / tile

function repeatShape(op: string, shape: Shape, reps: unknown): number[] {
  const r = checkShape(op, 'reps', reps);
  if (r.length < shape.length) {
    throw new ArgumentError(op, `reps ${formatShape(r)} has ${r.length} values, fewer than the ${shape.length} axes of x ${formatShape(shape)}`);
  }
  const off = r.length - shape.length;
  const out = r.map((k, i) => k * (i < off ? 1 : shape[i - off]!));
  checkElementCount(op, out);
  return out;
}

export const repeatOp: OpDef<{ reps: readonly number[] }> = defineOp<{ reps: readonly number[] }>({
  name: 'repeat',
  inputs: ['x'],
  saves: [],
  shape: ([s], { reps }) => repeatShape('repeat', s!, reps),
  forward: ([x], { reps }, shape) => {
    // x seen with leading size-1 axes; output index o reads input index o mod size
    const xs = [...new Array<number>(reps.length - x!.rank).fill(1), ...x!.shape];
    const maps = shape.map((m, d) => Int32Array.from({ length: m }, (_, o) => o % xs[d]!));
    const out = allocate(x!.dtype, sizeOf(shape));
    gatherSeparable(x!.data, strideMaps(maps, xs), 0, out);
    return out;
  },
  // the sum of the tiles: view the gradient as [r0, s0, r1, s1, ...] (leaving out size-1 axes, so the
  // rank stays within MAX_RANK) and sum the tile axes
  backward: ({ grad, inputs: [x], params: { reps } }) => {
    if (grad.size === 0 || x!.size === 0) return [zeros(x!.shape, { dtype: grad.dtype })];
    const xs = [...new Array<number>(reps.length - x!.rank).fill(1), ...x!.shape];
    const dims: number[] = [];
    const axes: number[] = [];
    reps.forEach((r, d) => {
      if (r > 1) {
        axes.push(dims.length);
        dims.push(r);
      }
      if (xs[d]! > 1) dims.push(xs[d]!);
    });
    if (axes.length === 0) return [reshape(grad, x!.shape)];
    return [reshape(sum(reshape(grad, dims), { axis: axes }), x!.shape)];
  },
  test: {
    shapes: 'unary',
    params: (shapes, pick) => ({ reps: Array.from({ length: shapes[0]!.length + pick(2) }, () => 1 + pick(3)) }),
    oracle: ([x], { reps }) => {
      const outShape = repeatShape('repeat', x!.shape, reps);
      const off = reps.length - x!.shape.length;
      return gatherOracle(x!, outShape, (c) => x!.shape.map((n, d) => c[d + off]! % n));
    },
  },
});

/**
 * Repeats the whole tensor `reps[i]` times along axis i, as `Tensor.repeat` in PyTorch: `reps` has
 * at least as many values as x has axes, the extra ones adding leading axes.
 */
export function repeat(x: TensorLike, reps: readonly number[]): Tensor {
  const t = toTensor(x, 'x', 'repeat');
  return apply(repeatOp, [t], { reps: Array.isArray(reps) ? reps.slice() : reps });
}

/** `torch.tile`: as `repeat`, but `reps` with fewer values than x has axes is padded with leading 1s. */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = toTensor(x, 'x', 'tile');
  if (!Array.isArray(reps)) throw new ArgumentError('tile', `reps must be an array of integers, got ${describe(reps)}`);
  const r = reps.length < t.rank ? [...new Array<number>(t.rank - reps.length).fill(1), ...reps] : reps.slice();
  repeatShape('tile', t.shape, r);
  return apply(repeatOp, [t], { reps: r });
}

// ------------------------------------------------------------------ repeatInterleave

interface InterleaveParams {
  axis: number;
  repeats: Int32Array;
}

/** Validates repeatInterleave's parameters against `shape`; returns the repeated size of the axis. */
function interleaveSize(op: string, shape: Shape, { axis, repeats }: InterleaveParams): number {
  if (shape.length === 0) throw new ShapeError(op, 'needs at least 1 axis (pass no axis to flatten a 0-d x)', [shape]);
  checkInteger(op, 'axis', axis, 0, shape.length - 1);
  if (!(repeats instanceof Int32Array) || repeats.length !== shape[axis]) {
    throw new ArgumentError(op, `repeats must be an Int32Array of ${shape[axis]} counts (axis ${axis} of ${formatShape(shape)}), got ${describe(repeats)}`);
  }
  let total = 0;
  for (let i = 0; i < repeats.length; i++) {
    const r = repeats[i]!;
    if (r < 0) throw new ArgumentError(op, `repeats must not be negative, got ${r} at position ${i}`);
    total += r;
  }
  return total;
}

/** Per-axis tables for repeatInterleave: the identity except on `axis`, where each index repeats. */
function interleaveMaps(shape: Shape, outShape: Shape, { axis, repeats }: InterleaveParams): Int32Array[] {
  const maps = outShape.map((m, d) => {
    if (d !== axis) return Int32Array.from({ length: m }, (_, o) => o);
    const t = new Int32Array(m);
    let o = 0;
    for (let i = 0; i < repeats.length; i++) for (let r = 0; r < repeats[i]!; r++) t[o++] = i;
    return t;
  });
  return strideMaps(maps, shape);
}

const sampleInterleave = (shapes: readonly number[][], pick: Pick): InterleaveParams => {
  const s = shapes[0]!;
  const axis = pick(s.length);
  return { axis, repeats: Int32Array.from({ length: s[axis]! }, () => pick(4)) };
};

function interleaveOracle([x]: readonly OracleInput[], p: InterleaveParams) {
  const outShape = x!.shape.slice();
  outShape[p.axis] = p.repeats.reduce((a, b) => a + b, 0);
  const source: number[] = [];
  p.repeats.forEach((r, i) => {
    for (let k = 0; k < r; k++) source.push(i);
  });
  return gatherOracle(x!, outShape, (c) => c.map((v, d) => (d === p.axis ? source[v]! : v)));
}

export const repeatInterleaveOp: OpDef<InterleaveParams> = defineOp<InterleaveParams>({
  name: 'repeatInterleave',
  inputs: ['x'],
  saves: [],
  shape: ([s], params) => {
    const out = s!.slice();
    out[params.axis] = interleaveSize('repeatInterleave', s!, params);
    checkElementCount('repeatInterleave', out);
    return out;
  },
  forward: ([x], params, shape) => {
    const out = allocate(x!.dtype, sizeOf(shape));
    gatherSeparable(x!.data, interleaveMaps(x!.shape, shape, params), 0, out);
    return out;
  },
  backward: ({ grad, params }) => [apply(repeatInterleaveGradOp, [grad], params)],
  test: { shapes: (pick) => [Array.from({ length: 1 + pick(3) }, () => 1 + pick(3))], params: sampleInterleave, oracle: interleaveOracle },
});

// the adjoint of repeatInterleave: the sum of each element's consecutive copies along the axis
export const repeatInterleaveGradOp: OpDef<InterleaveParams> = defineOp<InterleaveParams>({
  name: 'repeatInterleaveGrad',
  inputs: ['grad'],
  saves: [],
  shape: ([s], params) => {
    if (s!.length === 0) throw new ShapeError('repeatInterleaveGrad', 'needs at least 1 axis', [s!]);
    checkInteger('repeatInterleaveGrad', 'axis', params.axis, 0, s!.length - 1);
    const out = s!.slice();
    out[params.axis] = (params.repeats as { length?: unknown } | null)?.length as number;
    const total = interleaveSize('repeatInterleaveGrad', out, params);
    if (total !== s![params.axis]) {
      throw new ShapeError('repeatInterleaveGrad', `grad has size ${s![params.axis]} on axis ${params.axis} but the repeats add up to ${total}`, [s!]);
    }
    return out;
  },
  forward: ([g], params, shape) => {
    const out = allocate(g!.dtype, sizeOf(shape));
    scatterSeparable(g!.data, interleaveMaps(shape, g!.shape, params), out);
    return out;
  },
  backward: ({ grad, params }) => [apply(repeatInterleaveOp, [grad], params)],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const s = Array.from({ length: 1 + pick(3) }, () => 1 + pick(3));
      const p = sampleInterleave([s], pick);
      const g = s.slice();
      g[p.axis] = p.repeats.reduce((a, b) => a + b, 0);
      return { shapes: [g], params: p };
    },
    oracle: ([g], p) => {
      const shape = g!.shape.slice();
      shape[p.axis] = p.repeats.length;
      const source: number[] = [];
      p.repeats.forEach((r, i) => {
        for (let k = 0; k < r; k++) source.push(i);
      });
      const data = new Array<number>(sizeOf(shape)).fill(0);
      for (let o = 0; o < g!.data.length; o++) {
        const c = unravel(o, g!.shape);
        c[p.axis] = source[c[p.axis]!]!;
        const f = ravel(c, shape);
        data[f] = data[f]! + g!.data[o]!;
      }
      return { shape, data };
    },
  },
});

/**
 * Repeats each element (each slice along `axis`) `repeats` times in place, as
 * `torch.repeat_interleave`: `repeats` is one count for all or one per element of the axis. Without
 * an axis, x is flattened first and the result is 1-D.
 */
export function repeatInterleave(x: TensorLike, repeats: number | readonly number[], options: { axis?: number } = {}): Tensor {
  let t = toTensor(x, 'x', 'repeatInterleave');
  const { axis } = checkOptions('repeatInterleave', options, ['axis']);
  if (axis === undefined) t = reshape(t, [t.size]);
  const a = normalizeAxis('repeatInterleave', axis ?? 0, t.rank);
  if (t.rank === 0) throw new ShapeError('repeatInterleave', `axis ${axis} is out of range for a 0-d x (pass no axis to flatten it)`, [t.shape]);
  const n = t.shape[a]!;
  let counts: readonly unknown[];
  if (typeof repeats === 'number') counts = new Array<number>(n).fill(repeats);
  else if (Array.isArray(repeats)) counts = repeats.length === 1 ? new Array<unknown>(n).fill(repeats[0]) : repeats;
  else throw new ArgumentError('repeatInterleave', `repeats must be an integer or an array of integers, got ${describe(repeats)}`);
  if (counts.length !== n) {
    throw new ArgumentError('repeatInterleave', `repeats has ${counts.length} values but axis ${a} of ${formatShape(t.shape)} has ${n} elements`);
  }
  const r = new Int32Array(n);
  counts.forEach((c, i) => (r[i] = checkInteger('repeatInterleave', `repeats[${i}]`, c, 0, 2 ** 31 - 1)));
  return apply(repeatInterleaveOp, [t], { axis: a, repeats: r });
}

// ------------------------------------------------------------------ split / chunk / unbind

/** Slices x into consecutive pieces of the given sizes along axis `a`. */
function pieces(op: string, t: Tensor, a: number, sizes: readonly number[]): Tensor[] {
  let start = 0;
  try {
    return sizes.map((n) => {
      const begin = t.shape.map((_, i) => (i === a ? start : 0));
      start += n;
      return slice(t, begin, t.shape.map((d, i) => (i === a ? n : d)));
    });
  } catch (e) {
    throw renameError(op, e) as Error;
  }
}

/**
 * Splits x along `axis` into pieces, as `torch.split`: `sizeOrSections` is either one piece size (the
 * last piece may be smaller) or the list of the pieces' sizes, which must add up to the axis's size.
 */
export function split(x: TensorLike, sizeOrSections: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor(x, 'x', 'split');
  if (t.rank === 0) throw new ShapeError('split', 'cannot split a 0-d tensor', [t.shape]);
  const a = normalizeAxis('split', axis, t.rank);
  const n = t.shape[a]!;
  if (Array.isArray(sizeOrSections)) {
    const sizes = sizeOrSections.map((s, i) => checkInteger('split', `sections[${i}]`, s, 0));
    const total = sizes.reduce((p, q) => p + q, 0);
    if (total !== n) throw new ArgumentError('split', `sections ${describe(sizeOrSections)} add up to ${total}, not to the size ${n} of axis ${a} of ${formatShape(t.shape)}`);
    return pieces('split', t, a, sizes);
  }
  const size = checkInteger('split', 'size', sizeOrSections, 0);
  if (size === 0 && n !== 0) throw new ArgumentError('split', `size 0 splits only an empty axis, but axis ${a} of ${formatShape(t.shape)} has ${n} elements`);
  const count = size === 0 ? 1 : Math.max(1, Math.ceil(n / size));
  return pieces('split', t, a, Array.from({ length: count }, (_, i) => Math.min(size, n - i * size)));
}

/**
 * Splits x into at most `chunks` pieces along `axis`, as `torch.chunk`: each of size
 * ceil(size / chunks), the last one smaller, so there may be fewer than `chunks` pieces.
 */
export function chunk(x: TensorLike, chunks: number, axis = 0): Tensor[] {
  const t = toTensor(x, 'x', 'chunk');
  // at most MAX_ELEMENTS: an empty axis gives `chunks` pieces, and no array holds more
  const c = checkInteger('chunk', 'chunks', chunks, 1, MAX_ELEMENTS);
  if (t.rank === 0) throw new ShapeError('chunk', 'cannot chunk a 0-d tensor', [t.shape]);
  const a = normalizeAxis('chunk', axis, t.rank);
  const n = t.shape[a]!;
  // PyTorch: an empty axis gives `chunks` empty pieces
  if (n === 0) return pieces('chunk', t, a, new Array<number>(c).fill(0));
  const size = Math.ceil(n / c);
  return pieces('chunk', t, a, Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size)));
}

/** The slices of x along `axis`, each without that axis (`torch.unbind`). */
export function unbind(x: TensorLike, axis = 0): Tensor[] {
  const t = toTensor(x, 'x', 'unbind');
  if (t.rank === 0) throw new ShapeError('unbind', 'cannot unbind a 0-d tensor', [t.shape]);
  const a = normalizeAxis('unbind', axis, t.rank);
  return pieces('unbind', t, a, new Array<number>(t.shape[a]!).fill(1)).map((p) => squeeze(p, a));
}

/** The pieces combined into one tensor for the property tests: piece k scaled by k + 1, then joined. */
function joinPieces(ps: readonly Tensor[], axis: number, stacked: boolean): Tensor {
  const scaled = ps.map((p, k) => mul(p, k + 1));
  return stacked ? stack(scaled, axis) : cat(scaled, axis);
}

/** The oracle of a joined split: x with each piece's elements scaled by its index + 1. */
function scaledPiecesOracle(x: OracleInput, axis: number, sizes: readonly number[]) {
  const owner: number[] = [];
  sizes.forEach((n, k) => {
    for (let i = 0; i < n; i++) owner.push(k + 1);
  });
  const data = Array.from({ length: x.data.length }, (_, o) => x.data[o]! * owner[unravel(o, x.shape)[axis]!]!);
  return { shape: x.shape.slice(), data };
}

const splitSizes = (n: number, size: number) => Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));
const layoutShapes = (pick: Pick) => [Array.from({ length: 1 + pick(3) }, () => 1 + pick(4))];

// ------------------------------------------------------------------ tril / triu

/** tril and triu: keep the elements on and below (above) the `diagonal`-th diagonal of the last two axes. */
function triangleOp(name: 'tril' | 'triu'): OpDef<{ diagonal: number }> {
  const keep = name === 'tril' ? (i: number, j: number, k: number) => j - i <= k : (i: number, j: number, k: number) => j - i >= k;
  const op: OpDef<{ diagonal: number }> = defineOp<{ diagonal: number }>({
    name,
    inputs: ['x'],
    saves: [],
    shape: ([s], { diagonal }) => {
      if (s!.length < 2) throw new ShapeError(name, `needs at least 2 axes (a matrix or a batch of them), got shape ${formatShape(s!)}`, [s!]);
      checkInteger(name, 'diagonal', diagonal);
      return s!.slice();
    },
    forward: ([x], { diagonal: k }) => {
      const out = allocate(x!.dtype, x!.size);
      const d = x!.data;
      const rows = x!.shape[x!.rank - 2]!;
      const cols = x!.shape[x!.rank - 1]!;
      for (let base = 0; base < d.length; base += rows * cols) {
        for (let i = 0; i < rows; i++) {
          // the kept columns of row i form one range: [0, i + k] for tril, [i + k, cols) for triu
          const lo = name === 'tril' ? 0 : Math.max(0, Math.min(cols, i + k));
          const hi = name === 'tril' ? Math.max(0, Math.min(cols, i + k + 1)) : cols;
          const row = base + i * cols;
          for (let j = lo; j < hi; j++) out[row + j] = d[row + j]!;
        }
      }
      return out;
    },
    // a mask is its own adjoint
    backward: ({ grad, params }) => [apply(op, [grad], params)],
    test: {
      shapes: (pick) => [Array.from({ length: 2 + pick(2) }, () => 1 + pick(4))],
      params: (_s, pick) => ({ diagonal: pick(5) - 2 }),
      oracle: ([x], { diagonal: k }) => {
        const s = x!.shape;
        const data = Array.from({ length: x!.data.length }, (_, o) => {
          const c = unravel(o, s);
          return keep(c[s.length - 2]!, c[s.length - 1]!, k) ? x!.data[o]! : 0;
        });
        return { shape: s.slice(), data };
      },
    },
  });
  return op;
}

export const trilOp = triangleOp('tril');
export const triuOp = triangleOp('triu');

/** The lower triangle of the last two axes: elements on and below the `diagonal`-th diagonal, zeros above (`torch.tril`). */
export function tril(x: TensorLike, diagonal = 0): Tensor {
  return apply(trilOp, [toTensor(x, 'x', 'tril')], { diagonal });
}

/** The upper triangle of the last two axes: elements on and above the `diagonal`-th diagonal, zeros below (`torch.triu`). */
export function triu(x: TensorLike, diagonal = 0): Tensor {
  return apply(triuOp, [toTensor(x, 'x', 'triu')], { diagonal });
}

// ------------------------------------------------------------------ the family's registry record

const INTERNAL = { fn: null } as const;
const FUNCTION_ONLY = { method: null } as const;

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const LAYOUT_OPS = {
  repeat: primitive(repeatOp),
  tile: composite('tile', ([x], p: { reps: number[] }) => tile(x!, p.reps), {
    shapes: 'unary',
    params: (shapes, pick) => ({ reps: Array.from({ length: pick(shapes[0]!.length + 2) }, () => 1 + pick(3)) }),
    oracle: ([x], { reps }) => {
      const r = reps.length < x!.shape.length ? [...new Array<number>(x!.shape.length - reps.length).fill(1), ...reps] : reps;
      return repeatOp.test!.oracle!([x!], { reps: r });
    },
  }),
  repeatInterleave: primitive(repeatInterleaveOp),
  repeatInterleaveGrad: primitive(repeatInterleaveGradOp, INTERNAL), // the adjoint of repeatInterleave
  split: composite('split', ([x], p: { size: number; axis: number }) => joinPieces(split(x!, p.size, p.axis), p.axis, false), {
    shapes: layoutShapes,
    params: (shapes, pick) => {
      const axis = pick(shapes[0]!.length);
      return { axis, size: 1 + pick(shapes[0]![axis]!) };
    },
    oracle: ([x], p) => scaledPiecesOracle(x!, p.axis, splitSizes(x!.shape[p.axis]!, p.size)),
  }),
  chunk: composite('chunk', ([x], p: { chunks: number; axis: number }) => joinPieces(chunk(x!, p.chunks, p.axis), p.axis, false), {
    shapes: layoutShapes,
    params: (shapes, pick) => ({ axis: pick(shapes[0]!.length), chunks: 1 + pick(4) }),
    oracle: ([x], p) => {
      const n = x!.shape[p.axis]!;
      return scaledPiecesOracle(x!, p.axis, splitSizes(n, Math.ceil(n / p.chunks)));
    },
  }),
  unbind: composite('unbind', ([x], p: { axis: number }) => joinPieces(unbind(x!, p.axis), p.axis, true), {
    shapes: layoutShapes,
    params: (shapes, pick) => ({ axis: pick(shapes[0]!.length) }),
    oracle: ([x], p) => scaledPiecesOracle(x!, p.axis, new Array<number>(x!.shape[p.axis]!).fill(1)),
  }),
  tril: primitive(trilOp),
  triu: primitive(triuOp),
  diagonal: primitive(diagonalOp),
  diagonalGrad: primitive(diagonalGradOp, INTERNAL), // the adjoint of diagonal
  diag: composite('diag', ([x], p: { diagonal: number }) => diag(x!, p.diagonal), {
    shapes: (pick) => [pick(2) ? [1 + pick(4)] : [1 + pick(4), 1 + pick(4)]],
    params: (_s, pick) => ({ diagonal: pick(5) - 2 }),
    oracle: ([x], p) => {
      const k = p.diagonal;
      if (x!.shape.length === 2) return diagonalOp.test!.oracle!([x!], { offset: k, axis1: 0, axis2: 1 } satisfies DiagonalParams);
      const n = x!.shape[0]! + Math.abs(k);
      const data = new Array<number>(n * n).fill(0);
      for (let i = 0; i < x!.shape[0]!; i++) data[(k >= 0 ? i : i - k) * n + (k >= 0 ? i + k : i)] = x!.data[i]!;
      return { shape: [n, n], data };
    },
  }),
  trace: composite('trace', ([x]) => trace(x!), {
    shapes: (pick) => [[1 + pick(4), 1 + pick(4)]],
    oracle: ([x]) => {
      let s = 0;
      for (let i = 0; i < Math.min(x!.shape[0]!, x!.shape[1]!); i++) s += x!.data[i * x!.shape[1]! + i]!;
      return { shape: [], data: [s] };
    },
  }),
  pad: primitive(padOp, FUNCTION_ONLY),
  padGrad: primitive(padGradOp, INTERNAL), // the adjoint of pad
  einsum: composite('einsum', (xs, p: { equation: string }) => einsum(p.equation, ...xs), einsumTest, FUNCTION_ONLY),
} as const satisfies Record<string, OpEntry>;

