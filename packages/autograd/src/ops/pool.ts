/**
 * Pooling: maxPool1d, maxPool2d, avgPool2d and adaptiveAvgPool2d (PyTorch's torch.nn.functional
 * semantics, NCHW / NCL). Forward passes are plain loops (kernels/conv-im2col.ts); the backward rules
 * are Tensor ops (scatter to the arg-max, fold of the scaled gradient, products with 0/1 window
 * matrices), so they are differentiable again.
 */
import { allocate, allocateForOverwrite, type DType } from '../dtype.ts';
import { apply, isGradEnabled } from '../engine.ts';
import { ArgumentError, ShapeError } from '../errors.ts';
import { adaptiveAvgPool2d as adaptiveKernel, adaptiveRange, avgCounts, avgPool2d as avgKernel, maxPool2d as maxKernel, type Window2d } from '../kernels/conv-im2col.ts';
import { checkBoolean, checkInteger, checkOptions, describe, formatShape, sizeOf, type Shape } from '../shape.ts';
import { rawTensor, toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OracleInput, type Pick } from './define.ts';
import { div } from './elementwise.ts';
import { composite, primitive, type OpEntry } from './helpers.ts';
import { matmulT } from './linalg.ts';
import { expand, reshape, scatterAddOp } from './shape-ops.ts';
import { batched, foldOp, perDim, positions, type SizeArg } from './conv-unfold.ts';

const FUNCTION_ONLY = { method: null } as const;

function check4d(op: string, s: Shape): [number, number, number, number] {
  if (s.length !== 4) throw new ShapeError(op, `x must be 4-D [N, C, H, W], got ${formatShape(s)}`, [s]);
  return s as [number, number, number, number];
}

/** A tensor of the given values that records nothing (0/1 window matrices, divisors). */
function constant(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  const data = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) data[i] = values[i]!;
  return rawTensor(data, shape, dtype);
}

// ------------------------------------------------------------------ max pooling

/** The arg-max of every window, as flat indices into its [H, W] plane (PyTorch's indices). */
function argmaxIndices(x: Tensor, g: Window2d): Int32Array {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const index = new Int32Array(n * c * g.oh * g.ow);
  maxKernel(x.data, n * c, h, w, g, null, index);
  return index;
}

function checkPoolWindow(op: string, g: Window2d, h: number, w: number): void {
  for (const k of ['kh', 'kw', 'sh', 'sw', 'dh', 'dw'] as const) checkInteger(op, k, g[k], 1);
  checkInteger(op, 'ph', g.ph, 0, Math.floor(g.kh / 2));
  checkInteger(op, 'pw', g.pw, 0, Math.floor(g.kw / 2));
  checkInteger(op, 'oh', g.oh, 1, Math.floor((h + g.ph - 1) / g.sh) + 1);
  checkInteger(op, 'ow', g.ow, 1, Math.floor((w + g.pw - 1) / g.sw) + 1);
}

/**
 * Max pooling over windows of [N, C, H, W], padded with −Infinity. Its gradient goes to the arg-max
 * of each window (the first maximum on ties; a NaN is the maximum, as in PyTorch).
 */
export const maxPool2dOp = defineOp<Window2d>({
  name: 'maxPool2d',
  inputs: ['x'],
  saves: [0],
  shape: ([s], g) => {
    const [n, c, h, w] = check4d('maxPool2d', s!);
    if (h === 0 || w === 0) throw new ShapeError('maxPool2d', `x must have non-empty spatial dimensions, got ${formatShape(s!)}`, [s!]);
    checkPoolWindow('maxPool2d', g, h, w);
    return [n, c, g.oh, g.ow];
  },
  forward: ([x], g, shape) => {
    const [n, c, h, w] = x!.shape as [number, number, number, number];
    const out = allocateForOverwrite(x!.dtype, sizeOf(shape));
    maxKernel(x!.data, n * c, h, w, g, out, null);
    return out;
  },
  // the arg-max is found again (one pass over x) rather than kept alive with the graph
  backward: ({ grad, inputs: [x], params: g }) => {
    const [n, c, h, w] = x!.shape as [number, number, number, number];
    const l = g.oh * g.ow;
    const index = argmaxIndices(x!, g);
    if (!isGradEnabled()) {
      // no graph of this backward is being built (the usual backward()): add each window's
      // gradient at its arg-max directly, as the scatterAdd below would, in the same order
      const gx = allocate(grad.dtype, n * c * h * w);
      const gd = grad.data;
      for (let p = 0, o = 0; p < n * c; p++) {
        const base = p * h * w;
        for (let i = 0; i < l; i++, o++) gx[base + index[o]!] = gx[base + index[o]!]! + gd[o]!;
      }
      return [rawTensor(gx, x!.shape, grad.dtype)];
    }
    const gx = apply(scatterAddOp, [rawTensor(allocate(grad.dtype, n * c * h * w), [n, c, h * w], grad.dtype), reshape(grad, [n, c, l])], { axis: 2, index, indexShape: [n, c, l] });
    return [reshape(gx, x!.shape)];
  },
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const shape = [1 + pick(2), 1 + pick(2), 1 + pick(5), 1 + pick(5)];
      return { shapes: [shape], params: samplePool(pick, shape[2]!, shape[3]!, true) };
    },
    // distinct values 0.1 apart: finite differences never cross a tie
    values: distinctValues,
    oracle: ([x], g) => maxPoolOracle(x!, g),
  },
});

/** Every input a shuffled run of distinct values 0.1 apart. */
function distinctValues(shapes: readonly number[][], _p: unknown, random: () => number): number[][] {
  return shapes.map((s) => {
    const v = Array.from({ length: sizeOf(s) }, (_, i) => 0.1 * i - 0.05 * sizeOf(s));
    for (let i = v.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [v[i], v[j]] = [v[j]!, v[i]!];
    }
    return v;
  });
}

/** A random pooling window for an input of spatial size [h, w] (PyTorch's limits: padding <= k/2). */
function samplePool(pick: Pick, h: number, w: number, dilated: boolean): Window2d {
  const ceil = pick(2) === 1;
  const dim = (size: number): [number, number, number, number, number] => {
    const d = dilated ? 1 + pick(2) : 1;
    const k = 1 + pick(Math.min(3, Math.floor((size - 1) / d) + 1));
    const p = pick(Math.floor(k / 2) + 1);
    const s = 1 + pick(2);
    return [k, s, p, d, positions('sample', 'axis', size, k, s, p, p, d, ceil)];
  };
  const [kh, sh, ph, dh, oh] = dim(h);
  const [kw, sw, pw, dw, ow] = dim(w);
  return { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/** Plain-loop reference of max pooling (values). */
function maxPoolOracle(x: OracleInput, g: Window2d): { shape: number[]; data: number[] } {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const data: number[] = [];
  for (let p = 0; p < n * c; p++) for (let y = 0; y < g.oh; y++) for (let xx = 0; xx < g.ow; xx++) {
    let m = -Infinity;
    for (let i = 0; i < g.kh; i++) for (let j = 0; j < g.kw; j++) {
      const iy = y * g.sh - g.ph + i * g.dh;
      const ix = xx * g.sw - g.pw + j * g.dw;
      if (iy >= 0 && iy < h && ix >= 0 && ix < w) m = Math.max(m, x.data[(p * h + iy) * w + ix]!);
    }
    data.push(m);
  }
  return { shape: [n, c, g.oh, g.ow], data };
}

/** Options of `maxPool1d` and `maxPool2d` (PyTorch's F.max_pool1d / F.max_pool2d). */
export interface MaxPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: SizeArg;
  /** −Infinity added on both sides, at most half the kernel (default 0). */
  padding?: SizeArg;
  /** Spacing of the window's elements (default 1). */
  dilation?: SizeArg;
  /** Rounds the number of windows up instead of down (a last window may hang over the end; default false). */
  ceilMode?: boolean;
  /** Also returns the arg-max of each window, as flat indices into its plane (default false). */
  returnIndices?: boolean;
}

/** The windows of a pooling op over spatial size `size` (1 or 2 dimensions), validated as PyTorch. */
function poolWindow(op: string, size: readonly number[], kernelSize: unknown, o: MaxPoolOptions & { ceilMode?: boolean }, dilated: boolean): Window2d {
  const dims = size.length;
  const kernel = perDim(op, 'kernelSize', kernelSize, dims, 1);
  const stride = o.stride === undefined || (Array.isArray(o.stride) && o.stride.length === 0) ? kernel : perDim(op, 'stride', o.stride, dims, 1);
  const padding = perDim(op, 'padding', o.padding, dims, 0, new Array<number>(dims).fill(0));
  const dilation = dilated ? perDim(op, 'dilation', o.dilation, dims, 1, new Array<number>(dims).fill(1)) : new Array<number>(dims).fill(1);
  const ceil = checkBoolean(op, 'ceilMode', o.ceilMode, false);
  padding.forEach((p, i) => {
    if (p > Math.floor(kernel[i]! / 2)) throw new ArgumentError(op, `padding must be at most half the kernel size, got padding ${describe(o.padding)} for kernelSize ${describe(kernelSize)}`);
  });
  size.forEach((s) => {
    if (s === 0) throw new ShapeError(op, `x must have non-empty spatial dimensions, got spatial size ${formatShape(size)}`, [size]);
  });
  const axis = (i: number): string => (dims === 1 ? 'the length' : i === 0 ? 'the height' : 'the width');
  const out = size.map((s, i) => positions(op, axis(i), s, kernel[i]!, stride[i]!, padding[i]!, padding[i]!, dilation[i]!, ceil));
  const at = (a: number[], one: number): [number, number] => (dims === 2 ? [a[0]!, a[1]!] : [one, a[0]!]);
  const [kh, kw] = at(kernel, 1);
  const [sh, sw] = at(stride, 1);
  const [ph, pw] = at(padding, 0);
  const [dh, dw] = at(dilation, 1);
  const [oh, ow] = at(out, 1);
  return { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/** Max pooling values with their indices. */
export interface PoolWithIndices {
  /** The maxima. */
  values: Tensor;
  /** The arg-max of each window, a flat index into its input plane (float tensor of integers). */
  indices: Tensor;
}

function maxPoolNd(op: string, dims: 1 | 2, x: TensorLike, kernelSize: SizeArg, options: MaxPoolOptions | undefined): Tensor | PoolWithIndices {
  const t0 = toTensor(x, 'x', op);
  const o = checkOptions(op, options, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']);
  const withIndices = checkBoolean(op, 'returnIndices', o.returnIndices, false);
  const [t] = batched(op, t0, dims + 2, dims === 2 ? '[N, C, H, W]' : '[N, C, L]');
  const g = poolWindow(op, t.shape.slice(2), kernelSize, o, true);
  const x4 = dims === 2 ? t : reshape(t, [t.shape[0]!, t.shape[1]!, 1, t.shape[2]!]);
  const out = apply(maxPool2dOp, [x4], g);
  const shape = [...t0.shape.slice(0, t0.rank - dims), ...(dims === 2 ? [g.oh, g.ow] : [g.ow])];
  const values = reshape(out, shape);
  if (!withIndices) return values;
  const index = argmaxIndices(x4, g);
  return { values, indices: constant(index, shape, t0.dtype) };
}

/**
 * 2-D max pooling (PyTorch's `F.max_pool2d`): x [N, C, H, W] (or [C, H, W]); windows of `kernelSize`,
 * stride defaulting to the kernel size. With `returnIndices`, `{ values, indices }`.
 */
export function maxPool2d(x: TensorLike, kernelSize: SizeArg, options?: MaxPoolOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(x: TensorLike, kernelSize: SizeArg, options: MaxPoolOptions & { returnIndices: true }): PoolWithIndices;
export function maxPool2d(x: TensorLike, kernelSize: SizeArg, options?: MaxPoolOptions): Tensor | PoolWithIndices {
  return maxPoolNd('maxPool2d', 2, x, kernelSize, options);
}

/**
 * 1-D max pooling (PyTorch's `F.max_pool1d`): x [N, C, L] (or [C, L]). With `returnIndices`,
 * `{ values, indices }`, the indices into L.
 */
export function maxPool1d(x: TensorLike, kernelSize: SizeArg, options?: MaxPoolOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(x: TensorLike, kernelSize: SizeArg, options: MaxPoolOptions & { returnIndices: true }): PoolWithIndices;
export function maxPool1d(x: TensorLike, kernelSize: SizeArg, options?: MaxPoolOptions): Tensor | PoolWithIndices {
  return maxPoolNd('maxPool1d', 1, x, kernelSize, options);
}

// ------------------------------------------------------------------ average pooling

type AvgParams = Window2d & { readonly countIncludePad: boolean; readonly divisorOverride: number | null };

/** Each window position's divisor, [oh, ow], as PyTorch divides. */
function avgDivisors(h: number, w: number, g: AvgParams): Float64Array {
  const ch = avgCounts(h, g.kh, g.sh, g.ph, g.oh, g.countIncludePad);
  const cw = avgCounts(w, g.kw, g.sw, g.pw, g.ow, g.countIncludePad);
  const out = new Float64Array(g.oh * g.ow);
  for (let y = 0; y < g.oh; y++) for (let x = 0; x < g.ow; x++) out[y * g.ow + x] = g.divisorOverride ?? ch[y]! * cw[x]!;
  return out;
}

/** Average pooling of [N, C, H, W] (zero padding; PyTorch's divisor rules). */
export const avgPool2dOp = defineOp<AvgParams>({
  name: 'avgPool2d',
  inputs: ['x'],
  saves: [],
  shape: ([s], g) => {
    const [n, c, h, w] = check4d('avgPool2d', s!);
    if (h === 0 || w === 0) throw new ShapeError('avgPool2d', `x must have non-empty spatial dimensions, got ${formatShape(s!)}`, [s!]);
    checkPoolWindow('avgPool2d', g, h, w);
    if (g.dh !== 1 || g.dw !== 1) throw new ArgumentError('avgPool2d', 'has no dilation');
    checkBoolean('avgPool2d', 'countIncludePad', g.countIncludePad, true);
    if (g.divisorOverride !== null) checkInteger('avgPool2d', 'divisorOverride', g.divisorOverride, 1);
    return [n, c, g.oh, g.ow];
  },
  forward: ([x], g, shape) => {
    const [n, c, h, w] = x!.shape as [number, number, number, number];
    const out = allocateForOverwrite(x!.dtype, sizeOf(shape));
    avgKernel(x!.data, n * c, h, w, g, g, out);
    return out;
  },
  // each window's gradient divided by its divisor, spread over the window: fold of the expanded columns
  backward: ({ grad, inputs: [x], params: g }) => {
    const [n, c, h, w] = x!.shape as [number, number, number, number];
    const l = g.oh * g.ow;
    const k = g.kh * g.kw;
    const scaled = reshape(div(grad, constant(avgDivisors(h, w, g), [g.oh, g.ow], grad.dtype)), [n, c, 1, l]);
    const cols = reshape(expand(scaled, [n, c, k, l]), [n, c * k, l]);
    const { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
    return [apply(foldOp, [cols], { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, h, w })];
  },
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const shape = [1 + pick(2), 1 + pick(2), 1 + pick(5), 1 + pick(5)];
      const params = { ...samplePool(pick, shape[2]!, shape[3]!, false), countIncludePad: pick(2) === 1, divisorOverride: pick(4) === 0 ? 1 + pick(5) : null };
      return { shapes: [shape], params };
    },
    oracle: ([x], g) => avgPoolOracle(x!, g),
  },
});

/** Plain-loop reference of average pooling, with PyTorch's divisor written out. */
function avgPoolOracle(x: OracleInput, g: AvgParams): { shape: number[]; data: number[] } {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const data: number[] = [];
  for (let p = 0; p < n * c; p++) for (let y = 0; y < g.oh; y++) for (let xx = 0; xx < g.ow; xx++) {
    const hs = y * g.sh - g.ph;
    const ws = xx * g.sw - g.pw;
    const he = Math.min(hs + g.kh, h + g.ph);
    const we = Math.min(ws + g.kw, w + g.pw);
    const padded = (he - hs) * (we - ws);
    let s = 0;
    let count = 0;
    for (let iy = hs; iy < he; iy++) for (let ix = ws; ix < we; ix++) {
      if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
        s += x.data[(p * h + iy) * w + ix]!;
        count++;
      }
    }
    data.push(s / (g.divisorOverride ?? (g.countIncludePad ? padded : count)));
  }
  return { shape: [n, c, g.oh, g.ow], data };
}

/** Options of `avgPool2d` (PyTorch's F.avg_pool2d). */
export interface AvgPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: SizeArg;
  /** Zeros added on both sides, at most half the kernel (default 0). */
  padding?: SizeArg;
  /** Rounds the number of windows up instead of down (default false). */
  ceilMode?: boolean;
  /** Whether the padding's zeros count in the divisor (default true). */
  countIncludePad?: boolean;
  /** A fixed divisor for every window instead of its size. */
  divisorOverride?: number | null;
}

/**
 * 2-D average pooling (PyTorch's `F.avg_pool2d`): x [N, C, H, W] (or [C, H, W]); windows of
 * `kernelSize`, stride defaulting to the kernel size.
 */
export function avgPool2d(x: TensorLike, kernelSize: SizeArg, options?: AvgPool2dOptions): Tensor {
  const op = 'avgPool2d';
  const t0 = toTensor(x, 'x', op);
  const o = checkOptions(op, options, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  const [t] = batched(op, t0, 4, '[N, C, H, W]');
  const g = poolWindow(op, t.shape.slice(2), kernelSize, o, false);
  const countIncludePad = checkBoolean(op, 'countIncludePad', o.countIncludePad, true);
  const divisorOverride = o.divisorOverride === undefined || o.divisorOverride === null ? null : checkInteger(op, 'divisorOverride', o.divisorOverride, 1);
  const out = apply(avgPool2dOp, [t], { ...g, countIncludePad, divisorOverride });
  return reshape(out, [...t0.shape.slice(0, t0.rank - 2), g.oh, g.ow]);
}

// ------------------------------------------------------------------ adaptive average pooling

/** The 0/1 matrix [out, size] of the adaptive windows along one axis. */
function windowMatrix(size: number, outSize: number, dtype: DType): Tensor {
  const m = new Float64Array(outSize * size);
  for (let i = 0; i < outSize; i++) {
    const [a, b] = adaptiveRange(i, size, outSize);
    m.fill(1, i * size + a, i * size + b);
  }
  return constant(m, [outSize, size], dtype);
}

/** Adaptive average pooling of [N, C, H, W] to [N, C, oh, ow] (PyTorch's window formula). */
export const adaptiveAvgPool2dOp = defineOp<{ oh: number; ow: number }>({
  name: 'adaptiveAvgPool2d',
  inputs: ['x'],
  saves: [],
  shape: ([s], { oh, ow }) => {
    const [n, c, h, w] = check4d('adaptiveAvgPool2d', s!);
    if (h === 0 || w === 0) throw new ShapeError('adaptiveAvgPool2d', `x must have non-empty spatial dimensions, got ${formatShape(s!)}`, [s!]);
    checkInteger('adaptiveAvgPool2d', 'outputSize[0]', oh, 1);
    checkInteger('adaptiveAvgPool2d', 'outputSize[1]', ow, 1);
    return [n, c, oh, ow];
  },
  forward: ([x], { oh, ow }, shape) => {
    const [n, c, h, w] = x!.shape as [number, number, number, number];
    const out = allocateForOverwrite(x!.dtype, sizeOf(shape));
    adaptiveKernel(x!.data, n * c, h, w, oh, ow, out);
    return out;
  },
  // the windows are products of an interval per axis: dx = Phᵀ (g / area) Pw with 0/1 matrices
  backward: ({ grad, inputs: [x], params: { oh, ow } }) => {
    const [, , h, w] = x!.shape as [number, number, number, number];
    const area = new Float64Array(oh * ow);
    for (let y = 0; y < oh; y++) {
      const [a, b] = adaptiveRange(y, h, oh);
      for (let xx = 0; xx < ow; xx++) {
        const [c0, c1] = adaptiveRange(xx, w, ow);
        area[y * ow + xx] = (b - a) * (c1 - c0);
      }
    }
    const scaled = div(grad, constant(area, [oh, ow], grad.dtype));
    const rows = matmulT(scaled, windowMatrix(w, ow, grad.dtype), false, false); // [N, C, oh, W]
    return [matmulT(windowMatrix(h, oh, grad.dtype), rows, true, false)];
  },
  test: {
    shapes: 'unary',
    sample: (pick) => ({ shapes: [[1 + pick(2), 1 + pick(2), 1 + pick(6), 1 + pick(6)]], params: { oh: 1 + pick(4), ow: 1 + pick(4) } }),
    oracle: ([x], p) => adaptiveOracle(x!, p),
  },
});

function adaptiveOracle(x: OracleInput, { oh, ow }: { oh: number; ow: number }): { shape: number[]; data: number[] } {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const data: number[] = [];
  for (let p = 0; p < n * c; p++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
    const y0 = Math.floor((y * h) / oh);
    const y1 = Math.ceil(((y + 1) * h) / oh);
    const x0 = Math.floor((xx * w) / ow);
    const x1 = Math.ceil(((xx + 1) * w) / ow);
    let s = 0;
    for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += x.data[(p * h + iy) * w + ix]!;
    data.push(s / ((y1 - y0) * (x1 - x0)));
  }
  return { shape: [n, c, oh, ow], data };
}

/**
 * 2-D adaptive average pooling (PyTorch's `F.adaptive_avg_pool2d`): x [N, C, H, W] (or [C, H, W]) to
 * `outputSize` (a number for both, or [oh, ow] where null keeps the input's size), window i covering
 * [floor(i·H/oh), ceil((i + 1)·H/oh)).
 */
export function adaptiveAvgPool2d(x: TensorLike, outputSize: number | readonly (number | null)[]): Tensor {
  const op = 'adaptiveAvgPool2d';
  const t0 = toTensor(x, 'x', op);
  const [t] = batched(op, t0, 4, '[N, C, H, W]');
  const size = Array.isArray(outputSize) && outputSize.length === 2
    ? outputSize.map((v, i) => (v === null ? t.shape[2 + i]! : v))
    : outputSize;
  const [oh, ow] = perDim(op, 'outputSize', size, 2, 1) as [number, number];
  const out = apply(adaptiveAvgPool2dOp, [t], { oh, ow });
  return reshape(out, [...t0.shape.slice(0, t0.rank - 2), oh, ow]);
}

// ------------------------------------------------------------------ registry entries

/** The pooling ops' registry entries (part of CONV_OPS). */
export const POOL_OPS = {
  maxPool2d: primitive(maxPool2dOp, FUNCTION_ONLY),
  maxPool1d: composite('maxPool1d', ([x], { kernelSize, ...p }: MaxPoolOptions & { kernelSize: number }) => maxPool1d(x!, kernelSize, { ...p, returnIndices: false }), {
    shapes: 'unary',
    sample: (pick) => {
      const len = 1 + pick(6);
      const d = 1 + pick(2);
      const k = 1 + pick(Math.min(3, Math.floor((len - 1) / d) + 1));
      return { shapes: [[1 + pick(2), 1 + pick(2), len]], params: { kernelSize: k, stride: 1 + pick(2), padding: pick(Math.floor(k / 2) + 1), dilation: d, ceilMode: pick(2) === 1 } };
    },
    values: distinctValues,
    oracle: ([x], p) => {
      const g = poolWindow('maxPool1d', [x!.shape[2]!], p.kernelSize, p, true);
      const r = maxPoolOracle({ shape: [x!.shape[0]!, x!.shape[1]!, 1, x!.shape[2]!], data: x!.data }, g);
      return { shape: [x!.shape[0]!, x!.shape[1]!, g.ow], data: r.data };
    },
  }, FUNCTION_ONLY),
  avgPool2d: primitive(avgPool2dOp, FUNCTION_ONLY),
  adaptiveAvgPool2d: primitive(adaptiveAvgPool2dOp, FUNCTION_ONLY),
} as const satisfies Record<string, OpEntry>;
