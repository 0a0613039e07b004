/**
 * unfold (im2col) and fold (col2im), the two primitives convolution is built on, and the argument
 * checks every op of the family shares (per-dimension sizes, window positions).
 */
import { allocate, allocateForOverwrite } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, ShapeError } from '../errors.ts';
import { col2im, im2col, type Window2d } from '../kernels/conv-im2col.ts';
import { checkElementCount, checkInteger, checkOptions, describe, formatShape, sizeOf, type Shape } from '../shape.ts';
import { toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OpDef, type OracleInput, type Pick } from './define.ts';
import { reshape } from './shape-ops.ts';

export type { Window2d };

/** A size given once for every spatial dimension or once per dimension. */
export type SizeArg = number | readonly number[];

/**
 * A per-dimension integer argument (kernel size, stride, ...): a number for every dimension or an
 * array of one per dimension, each at least `min`; `fallback` when undefined.
 */
export function perDim(op: string, arg: string, value: unknown, dims: number, min: number, fallback?: readonly number[]): number[] {
  if (value === undefined && fallback !== undefined) return fallback.slice();
  if (typeof value === 'number') return new Array<number>(dims).fill(checkInteger(op, arg, value, min));
  if (Array.isArray(value) && value.length === dims) return value.map((v, i) => checkInteger(op, `${arg}[${i}]`, v, min));
  const what = dims === 1 ? 'an integer or an array of one integer' : `an integer or an array of ${dims} integers`;
  throw new ArgumentError(op, `${arg} must be ${what} >= ${min}, got ${describe(value)}`);
}

/**
 * The number of window positions along one axis: floor((size + 2p − d(k − 1) − 1) / s) + 1, and in
 * ceil mode (pooling) rounded up, less one when the last window would start past the input and its
 * left padding (PyTorch's pooling_output_shape). Throws when the dilated kernel does not fit.
 */
export function positions(op: string, axis: string, size: number, k: number, s: number, padBefore: number, padAfter: number, d: number, ceil = false): number {
  const span = d * (k - 1) + 1;
  const room = size + padBefore + padAfter - span;
  // a padding or dilation so large that the sizes are no longer exact integers (or Infinity)
  if (!Number.isSafeInteger(size + padBefore + padAfter) || !Number.isSafeInteger(span)) {
    throw new ShapeError(op, `the padded input along ${axis} (${size} + padding ${padBefore} + ${padAfter}) or the dilated kernel (size ${k}, dilation ${d}) is too large`);
  }
  if (room < 0) {
    throw new ShapeError(op, `the kernel (size ${k}, dilation ${d}: ${span} elements) is larger than the padded input along ${axis} (${size} + padding ${padBefore + padAfter} = ${size + padBefore + padAfter})`);
  }
  let n = Math.floor((room + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (n - 1) * s >= size + padBefore) n--;
  return n;
}

/** Validates a window's sizes (integers: kernel, stride and dilation >= 1, padding and positions >= 0). */
export function checkWindow(op: string, g: Window2d): void {
  for (const k of ['kh', 'kw', 'sh', 'sw', 'dh', 'dw'] as const) checkInteger(op, k, g[k], 1);
  for (const k of ['ph', 'pw', 'oh', 'ow'] as const) checkInteger(op, k, g[k], 0);
}

/** The window geometry of F.unfold / F.fold for an input of spatial size [h, w]. */
export function unfoldWindow(op: string, h: number, w: number, kernelSize: unknown, options: UnfoldOptions | undefined): Window2d {
  const o = checkOptions(op, options, ['dilation', 'padding', 'stride']);
  const [kh, kw] = perDim(op, 'kernelSize', kernelSize, 2, 1) as [number, number];
  const [dh, dw] = perDim(op, 'dilation', o.dilation, 2, 1, [1, 1]) as [number, number];
  const [ph, pw] = perDim(op, 'padding', o.padding, 2, 0, [0, 0]) as [number, number];
  const [sh, sw] = perDim(op, 'stride', o.stride, 2, 1, [1, 1]) as [number, number];
  const oh = positions(op, 'the height', h, kh, sh, ph, ph, dh);
  const ow = positions(op, 'the width', w, kw, sw, pw, pw, dw);
  return { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

// ------------------------------------------------------------------ unfold (im2col)

/**
 * [N, C, H, W] -> [N, C·kh·kw, oh·ow]: every window's elements as a column (PyTorch's F.unfold),
 * zero where the window reaches into the padding. Its adjoint is fold.
 */
export const unfoldOp: OpDef<Window2d> = defineOp<Window2d>({
  name: 'unfold',
  inputs: ['x'],
  saves: [],
  shape: ([s], g) => {
    if (s!.length !== 4) throw new ShapeError('unfold', `x must be 4-D [N, C, H, W], got ${formatShape(s!)}`, [s!]);
    checkWindow('unfold', g);
    return [s![0]!, s![1]! * g.kh * g.kw, g.oh * g.ow];
  },
  forward: ([x], g, shape) => {
    const [n, c, h, w] = x!.shape as [number, number, number, number];
    const out = allocateForOverwrite(x!.dtype, sizeOf(shape));
    im2col(x!.data, n, c, h, w, g, out);
    return out;
  },
  backward: ({ grad, inputs: [x], params }) => [apply(foldOp, [grad], { ...params, h: x!.shape[2]!, w: x!.shape[3]! })],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const shape = [1 + pick(2), 1 + pick(2), 1 + pick(5), 1 + pick(5)];
      return { shapes: [shape], params: sampleWindow(pick, shape[2]!, shape[3]!) };
    },
    oracle: ([x], g) => unfoldOracle(x!, g),
  },
});

/** A random window that fits an input of spatial size [h, w] (for the property tests). */
export function sampleWindow(pick: Pick, h: number, w: number): Window2d {
  const dim = (size: number): [number, number, number, number, number] => {
    const d = 1 + pick(2);
    const k = 1 + pick(Math.min(3, Math.floor((size - 1) / d) + 1));
    const p = pick(2) === 0 ? 0 : pick(k);
    const s = 1 + pick(2);
    return [k, s, p, d, positions('sample', 'axis', size, k, s, p, p, d)];
  };
  const [kh, sh, ph, dh, oh] = dim(h);
  const [kw, sw, pw, dw, ow] = dim(w);
  return { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/** Plain-loop reference of unfold (the property tests' oracle). */
export function unfoldOracle(x: OracleInput, g: Window2d): { shape: number[]; data: number[] } {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const k = g.kh * g.kw;
  const l = g.oh * g.ow;
  const data = new Array<number>(n * c * k * l).fill(0);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < g.kh; i++) for (let j = 0; j < g.kw; j++) {
    for (let y = 0; y < g.oh; y++) for (let xx = 0; xx < g.ow; xx++) {
      const iy = y * g.sh - g.ph + i * g.dh;
      const ix = xx * g.sw - g.pw + j * g.dw;
      if (iy >= 0 && iy < h && ix >= 0 && ix < w) data[((b * c + ch) * k + i * g.kw + j) * l + y * g.ow + xx] = x.data[((b * c + ch) * h + iy) * w + ix]!;
    }
  }
  return { shape: [n, c * k, l], data };
}

// ------------------------------------------------------------------ fold (col2im)

type FoldParams = Window2d & { readonly h: number; readonly w: number };

/** [N, C·kh·kw, oh·ow] -> [N, C, h, w]: adds every column back into its window (F.fold, the adjoint of unfold). */
export const foldOp: OpDef<FoldParams> = defineOp<FoldParams>({
  name: 'fold',
  inputs: ['x'],
  saves: [],
  shape: ([s], g) => {
    checkWindow('fold', g);
    checkInteger('fold', 'h', g.h, 0);
    checkInteger('fold', 'w', g.w, 0);
    const k = g.kh * g.kw;
    if (s!.length !== 3 || s![1]! % k !== 0 || s![2] !== g.oh * g.ow) {
      throw new ShapeError('fold', `x must be [N, C·${k}, ${g.oh * g.ow}] for a ${g.kh}x${g.kw} kernel at ${g.oh}x${g.ow} positions, got ${formatShape(s!)}`, [s!]);
    }
    return [s![0]!, s![1]! / k, g.h, g.w];
  },
  forward: ([x], g, shape) => {
    const out = allocate(x!.dtype, sizeOf(shape));
    col2im(x!.data, shape[0]!, shape[1]!, g.h, g.w, g, out);
    return out;
  },
  backward: ({ grad, params }) => [apply(unfoldOp, [grad], windowOf(params))],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const [n, c, h, w] = [1 + pick(2), 1 + pick(2), 1 + pick(5), 1 + pick(5)];
      const g = sampleWindow(pick, h, w);
      return { shapes: [[n, c * g.kh * g.kw, g.oh * g.ow]], params: { ...g, h, w } };
    },
    oracle: ([x], g) => foldOracle(x!, g),
  },
});

function windowOf(p: FoldParams): Window2d {
  const { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = p;
  return { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/** Plain-loop reference of fold. */
export function foldOracle(x: OracleInput, g: FoldParams): { shape: number[]; data: number[] } {
  const k = g.kh * g.kw;
  const [n, ck, l] = x.shape as [number, number, number];
  const c = ck / k;
  const data = new Array<number>(n * c * g.h * g.w).fill(0);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < g.kh; i++) for (let j = 0; j < g.kw; j++) {
    for (let y = 0; y < g.oh; y++) for (let xx = 0; xx < g.ow; xx++) {
      const iy = y * g.sh - g.ph + i * g.dh;
      const ix = xx * g.sw - g.pw + j * g.dw;
      if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) {
        data[((b * c + ch) * g.h + iy) * g.w + ix]! += x.data[((b * c + ch) * k + i * g.kw + j) * l + y * g.ow + xx]!;
      }
    }
  }
  return { shape: [n, c, g.h, g.w], data };
}

// ------------------------------------------------------------------ public functions

/** Options of `unfold` and `fold` (PyTorch's F.unfold / F.fold): per-dimension or one number. */
export interface UnfoldOptions {
  /** Spacing of the kernel's elements (default 1). */
  dilation?: SizeArg;
  /** Zeros added on both sides of each spatial dimension (default 0). */
  padding?: SizeArg;
  /** Step between windows (default 1). */
  stride?: SizeArg;
}

/** An input of rank `batched` or one less (unbatched, as PyTorch), as a batched one. */
export function batched(op: string, t: Tensor, rank: number, layout: string): [Tensor, boolean] {
  if (t.rank === rank) return [t, false];
  if (t.rank === rank - 1) return [reshape(t, [1, ...t.shape]), true];
  throw new ShapeError(op, `x must be ${rank}-D ${layout} or ${rank - 1}-D without the batch, got ${formatShape(t.shape)}`, [t.shape]);
}

/**
 * The sliding windows of a batch of images as columns (im2col, PyTorch's `F.unfold`): x [N, C, H, W]
 * (or [C, H, W]) becomes [N, C·kH·kW, L], L the number of window positions.
 */
export function unfold(x: TensorLike, kernelSize: SizeArg, options?: UnfoldOptions): Tensor {
  const t0 = toTensor(x, 'x', 'unfold');
  const [t, unbatched] = batched('unfold', t0, 4, '[N, C, H, W]');
  const g = unfoldWindow('unfold', t.shape[2]!, t.shape[3]!, kernelSize, options);
  checkElementCount('unfold', [t.shape[0]!, t.shape[1]! * g.kh * g.kw, g.oh * g.ow]);
  const out = apply(unfoldOp, [t], g);
  return unbatched ? reshape(out, out.shape.slice(1)) : out;
}

/**
 * Sums columns back into images (col2im, PyTorch's `F.fold`, the adjoint of `unfold`): x [N, C·kH·kW, L]
 * (or [C·kH·kW, L]) becomes [N, C, outputSize[0], outputSize[1]], overlapping windows added.
 */
export function fold(x: TensorLike, outputSize: SizeArg, kernelSize: SizeArg, options?: UnfoldOptions): Tensor {
  const t0 = toTensor(x, 'x', 'fold');
  const [t, unbatched] = batched('fold', t0, 3, '[N, C·kH·kW, L]');
  const [h, w] = perDim('fold', 'outputSize', outputSize, 2, 1) as [number, number];
  const g = unfoldWindow('fold', h, w, kernelSize, options);
  const k = g.kh * g.kw;
  const s: Shape = t.shape;
  if (s[1]! % k !== 0) {
    throw new ShapeError('fold', `x's dimension 1 (${s[1]} in ${formatShape(t0.shape)}) must be divisible by the kernel's ${g.kh}x${g.kw} = ${k} elements`, [t0.shape]);
  }
  if (s[2] !== g.oh * g.ow) {
    throw new ShapeError('fold', `x's last dimension (${s[2]} in ${formatShape(t0.shape)}) must be the number of windows, ${g.oh}x${g.ow} = ${g.oh * g.ow} for outputSize [${h}, ${w}]`, [t0.shape]);
  }
  checkElementCount('fold', [s[0]!, s[1]! / k, h, w]);
  const out = apply(foldOp, [t], { ...g, h, w });
  return unbatched ? reshape(out, out.shape.slice(1)) : out;
}
