/**
 * pad (PyTorch's F.pad) in the constant, reflect, replicate and circular modes, and its adjoint
 * padGrad. Every mode maps each output index to an input index one axis at a time, so both run the
 * separable gather of kernels/layout-gather.ts: pad reads through the maps, padGrad adds back
 * through them (a reflected or replicated element receives the gradient of each of its copies).
 */
import { allocate } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, ShapeError } from '../errors.ts';
import { gatherSeparable, scatterSeparable, strideMaps } from '../kernels/layout-gather.ts';
import { checkElementCount, checkOptions, checkShape, describe, formatShape, sizeOf, type Shape } from '../shape.ts';
import { toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OpDef, type OracleInput, type Pick } from './define.ts';

/** How `pad` fills the new elements. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';
const MODES: readonly PadMode[] = ['constant', 'reflect', 'replicate', 'circular'];

/** pad's parameters: `pad` as PyTorch's list (pairs for the last axis first). */
export interface PadParams {
  pad: readonly number[];
  mode: PadMode;
  value: number;
}

/** Validates pad's parameters against `shape` (PyTorch's rules) and returns the padded shape. */
function padShape(op: string, shape: Shape, { pad, mode, value }: PadParams): number[] {
  if (!MODES.includes(mode)) throw new ArgumentError(op, `mode must be one of ${MODES.join(', ')}, got ${describe(mode)}`);
  if (!Array.isArray(pad) || !pad.every((p) => Number.isSafeInteger(p))) {
    throw new ArgumentError(op, `pad must be an array of integers, got ${describe(pad)}`);
  }
  if (pad.length % 2 !== 0) throw new ArgumentError(op, `pad must hold pairs (before, after) per axis, got ${pad.length} values ${describe(pad)}`);
  const k = pad.length / 2;
  if (k > shape.length) throw new ArgumentError(op, `pad ${describe(pad)} pads ${k} axes but x has shape ${formatShape(shape)}`);
  if (typeof value !== 'number') throw new ArgumentError(op, `value must be a number, got ${describe(value)}`);
  if (mode !== 'constant') {
    if (value !== 0) throw new ArgumentError(op, `value applies to mode 'constant' only, got value ${value} with mode '${mode}'`);
    if (k < 1 || k > 3) throw new ArgumentError(op, `mode '${mode}' pads the last 1, 2 or 3 axes, got pad ${describe(pad)} (${k} axes)`);
    if (shape.length !== k + 1 && shape.length !== k + 2) {
      throw new ShapeError(op, `mode '${mode}' padding ${k} axes needs x of rank ${k + 1} or ${k + 2} (unbatched or batched), got ${formatShape(shape)}`, [shape]);
    }
  }
  const out = shape.slice();
  for (let j = 0; j < k; j++) {
    const axis = shape.length - 1 - j;
    const n = shape[axis]!;
    const before = pad[2 * j]!;
    const after = pad[2 * j + 1]!;
    if (mode !== 'constant' && n === 0) throw new ShapeError(op, `mode '${mode}' cannot pad axis ${axis} of size 0 (x has shape ${formatShape(shape)})`, [shape]);
    if (mode === 'reflect' && (before >= n || after >= n)) {
      throw new ArgumentError(op, `mode 'reflect' needs pads smaller than the axis: got (${before}, ${after}) for axis ${axis} of size ${n} (x has shape ${formatShape(shape)})`);
    }
    if (mode === 'circular' && (before > n || after > n)) {
      throw new ArgumentError(op, `mode 'circular' wraps around at most once: pads (${before}, ${after}) exceed axis ${axis} of size ${n} (x has shape ${formatShape(shape)})`);
    }
    // negative pads crop first; nothing is left to wrap around then (PyTorch 1.13 reads memory it never wrote)
    if (mode === 'circular' && (before > 0 || after > 0) && n - Math.max(-before, 0) - Math.max(-after, 0) <= 0) {
      throw new ArgumentError(op, `mode 'circular' cannot wrap around an axis its negative pads crop away: pads (${before}, ${after}) on axis ${axis} of size ${n} (x has shape ${formatShape(shape)})`);
    }
    out[axis] = n + before + after;
    if (out[axis]! < 0) throw new ShapeError(op, `pads (${before}, ${after}) would give axis ${axis} of size ${n} the negative size ${out[axis]}`, [shape]);
  }
  checkElementCount(op, out);
  return out;
}

/** The input index read by output index o of one axis (-1: the constant). */
function sourceIndex(mode: PadMode, o: number, n: number, before: number, after: number): number {
  const i = o - before;
  switch (mode) {
    case 'constant': return i >= 0 && i < n ? i : -1;
    case 'replicate': return i < 0 ? 0 : i >= n ? n - 1 : i;
    case 'reflect': {
      const r = i < 0 ? -i : i;
      return r >= n ? 2 * (n - 1) - r : r;
    }
    case 'circular': {
      // as PyTorch: negative pads crop first, then the cropped axis wraps around
      const lo = Math.max(-before, 0);
      const m = n - lo - Math.max(-after, 0);
      const w = o - Math.max(before, 0);
      return lo + (((w % m) + m) % m);
    }
  }
}

/** Per-axis tables (input offsets, -1 for the constant) for an input of `shape` padded to `outShape`. */
function padMaps(shape: Shape, outShape: Shape, { pad, mode }: PadParams): Int32Array[] {
  const maps = outShape.map((m, axis) => {
    const j = shape.length - 1 - axis;
    const t = new Int32Array(m);
    if (2 * j >= pad.length) for (let o = 0; o < m; o++) t[o] = o;
    else for (let o = 0; o < m; o++) t[o] = sourceIndex(mode, o, shape[axis]!, pad[2 * j]!, pad[2 * j + 1]!);
    return t;
  });
  return strideMaps(maps, shape);
}

const samplePad = (pick: Pick): { shapes: number[][]; params: PadParams } => {
  const mode = MODES[pick(4)]!;
  if (mode === 'constant') {
    const shape = Array.from({ length: 1 + pick(3) }, () => 1 + pick(3));
    const k = 1 + pick(shape.length);
    const pad = Array.from({ length: 2 * k }, (_, i) => pick(3) - (pick(3) === 0 ? Math.min(1, shape[shape.length - 1 - (i >> 1)]! - 1) : 0));
    return { shapes: [shape], params: { pad, mode, value: pick(2) ? 0 : 1.5 } };
  }
  const k = 1 + pick(2);
  const shape = Array.from({ length: k + 1 + pick(2) }, () => 2 + pick(2));
  const pad = Array.from({ length: 2 * k }, () => pick(2));
  return { shapes: [shape], params: { pad, mode, value: 0 } };
};

/** The plain-loop reference of pad: each output coordinate mapped back axis by axis. */
function padOracle([x]: readonly OracleInput[], p: PadParams) {
  const shape = x!.shape;
  const outShape = padShape('pad', shape, p);
  const size = sizeOf(outShape);
  const data = new Array<number>(size);
  for (let o = 0; o < size; o++) {
    let rem = o;
    let flat = 0;
    let stride = 1;
    let inside = true;
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      const c = rem % outShape[axis]!;
      rem = Math.floor(rem / outShape[axis]!);
      const j = shape.length - 1 - axis;
      const n = shape[axis]!;
      let i = c;
      if (2 * j < p.pad.length) {
        const before = p.pad[2 * j]!;
        const after = p.pad[2 * j + 1]!;
        i = c - before;
        if (p.mode === 'constant') inside &&= i >= 0 && i < n;
        else if (p.mode === 'replicate') i = Math.min(Math.max(i, 0), n - 1);
        else if (p.mode === 'reflect') i = n - 1 - Math.abs(n - 1 - Math.abs(i));
        else {
          const lo = Math.max(-before, 0);
          const m = n - lo - Math.max(-after, 0);
          i = lo + ((((c - Math.max(before, 0)) % m) + m) % m);
        }
      }
      flat += i * stride;
      stride *= n;
    }
    data[o] = inside ? x!.data[flat]! : p.value;
  }
  return { shape: outShape, data };
}

export const padOp: OpDef<PadParams> = defineOp<PadParams>({
  name: 'pad',
  inputs: ['x'],
  saves: [],
  shape: ([s], params) => padShape('pad', s!, params),
  forward: ([x], params, shape) => {
    const out = allocate(x!.dtype, sizeOf(shape));
    gatherSeparable(x!.data, padMaps(x!.shape, shape, params), params.value, out);
    return out;
  },
  backward: ({ grad, inputs: [x], params }) => [apply(padGradOp, [grad], { ...params, shape: x!.shape })],
  test: { shapes: 'unary', sample: samplePad, oracle: padOracle },
});

// the adjoint of pad: each output gradient added back into the input element it was read from
export const padGradOp: OpDef<PadParams & { shape: readonly number[] }> = defineOp<PadParams & { shape: readonly number[] }>({
  name: 'padGrad',
  inputs: ['grad'],
  saves: [],
  shape: ([s], params) => {
    const shape = checkShape('padGrad', 'shape', params.shape);
    const want = padShape('padGrad', shape, params);
    if (want.length !== s!.length || want.some((d, i) => d !== s![i])) {
      throw new ShapeError('padGrad', `grad has shape ${formatShape(s!)} but padding ${formatShape(shape)} gives ${formatShape(want)}`, [s!, shape]);
    }
    return shape;
  },
  forward: ([g], params, shape) => {
    const out = allocate(g!.dtype, sizeOf(shape));
    scatterSeparable(g!.data, padMaps(shape, g!.shape, params), out);
    return out;
  },
  // padGrad is linear: its adjoint pads with zeros whatever the forward's fill value was
  backward: ({ grad, params: { pad: p, mode } }) => [apply(padOp, [grad], { pad: p, mode, value: 0 })],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const { shapes, params } = samplePad(pick);
      const p = { ...params, value: 0 };
      return { shapes: [padShape('padGrad', shapes[0]!, p)], params: { ...p, shape: shapes[0]! } };
    },
    oracle: ([g], p) => {
      // add each gradient element where pad's reference reads it from
      const n = sizeOf(p.shape);
      const ids = padOracle([{ shape: p.shape, data: Array.from({ length: n }, (_, i) => i) }], { ...p, value: p.mode === 'constant' ? -1 : 0 }).data;
      const data = new Array<number>(n).fill(0);
      ids.forEach((src, o) => {
        if (src >= 0) data[src] = data[src]! + g!.data[o]!;
      });
      return { shape: p.shape, data };
    },
  },
});

/**
 * Pads (or, with negative pads, crops) the last axes, as PyTorch's `F.pad`: `pad` lists
 * (before, after) pairs starting from the last axis, `[left, right, top, bottom, ...]`. Mode
 * 'constant' (the default) fills with `value` and pads any number of axes; 'reflect' (mirror
 * without repeating the edge; pads must be smaller than the axis), 'replicate' (repeat the edge) and
 * 'circular' (wrap around, at most once) pad the last 1, 2 or 3 axes of an input with one or two
 * more axes (unbatched or batched).
 */
export function pad(x: TensorLike, pad: readonly number[], options: { mode?: PadMode; value?: number } = {}): Tensor {
  const t = toTensor(x, 'x', 'pad');
  const { mode = 'constant', value = 0 } = checkOptions('pad', options, ['mode', 'value']);
  return apply(padOp, [t], { pad: Array.isArray(pad) ? pad.slice() : pad, mode, value });
}
