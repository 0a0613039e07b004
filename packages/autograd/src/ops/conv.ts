/**
 * Convolution and pooling: conv1d, conv2d, convTranspose2d, unfold/fold, maxPool1d/2d, avgPool2d, adaptiveAvgPool2d.
 *
 * conv1d and conv2d validate their arguments, resolve the geometry ('same' padding, conv1d as conv2d
 * over a height of 1, unbatched inputs) and apply the primitive `conv2dCore` (conv-core.ts), then
 * add the bias. conv2dCore and its two adjoints, conv2dInputGrad and conv2dWeightGrad, are each one
 * matrix product per group and chunk of images on the fast matmul (wasm SIMD and its threads), with
 * the im2col columns written straight into the product's buffer (kernels/conv-gemm.ts), so that no
 * [N, Cin·kH·kW, L] column tensor is allocated forwards or backwards. Their backward rules are one
 * another, so second order works. A 1x1 kernel with stride 1 and no padding skips them: its columns
 * are x itself, and the batched matmul with the output channels as rows measured faster. The transposed
 * convolution is conv2dInputGrad itself (it is the gradient of a convolution in its input).
 */
import { DTypeError, ShapeError } from '../errors.ts';
import { apply } from '../engine.ts';
import { checkElementCount, checkInteger, checkOptions, describe, formatShape, sizeOf } from '../shape.ts';
import { Tensor, toTensor, type TensorLike } from '../tensor.ts';
import type { OracleInput, Pick } from './define.ts';
import { add } from './elementwise.ts';
import { composite, primitive, type OpEntry } from './helpers.ts';
import { matmulT } from './linalg.ts';
import { reshape } from './shape-ops.ts';
import { conv2dCoreOp, conv2dInputGradOp, conv2dWeightGradOp, type ConvGeometry } from './conv-core.ts';
import { batched, foldOp, perDim, positions, unfoldOp, type SizeArg } from './conv-unfold.ts';
import { POOL_OPS } from './pool.ts';

export { unfold, fold, type UnfoldOptions, type SizeArg } from './conv-unfold.ts';
export { maxPool1d, maxPool2d, avgPool2d, adaptiveAvgPool2d, type MaxPoolOptions, type AvgPool2dOptions, type PoolWithIndices } from './pool.ts';

const FUNCTION_ONLY = { method: null } as const;
const INTERNAL = { fn: null } as const;

/** Options of `conv1d` and `conv2d` (PyTorch's F.conv1d / F.conv2d); sizes per dimension or one number. */
export interface ConvOptions {
  /** Step between windows (default 1). */
  stride?: SizeArg;
  /**
   * Zeros added on both sides of each spatial dimension (default 0); 'valid' is 0, and 'same' pads
   * so that the output has the input's size (stride 1 only; an odd total puts the extra zero after).
   */
  padding?: SizeArg | 'same' | 'valid';
  /** Spacing of the kernel's elements (default 1). */
  dilation?: SizeArg;
  /** Blocked connections: input and output channels are split into this many groups (default 1). */
  groups?: number;
}

/** Options of `convTranspose2d` (PyTorch's F.conv_transpose2d). */
export interface ConvTranspose2dOptions {
  /** Step between the input's positions in the output (default 1). */
  stride?: SizeArg;
  /** Removed from both sides of the output: dilation·(k − 1) − padding zeros of the adjoint convolution (default 0). */
  padding?: SizeArg;
  /** Added to one side of the output's size, to pick among the sizes a strided convolution maps to one size (default 0). */
  outputPadding?: SizeArg;
  /** Blocked connections (default 1). */
  groups?: number;
  /** Spacing of the kernel's elements (default 1). */
  dilation?: SizeArg;
}

/** The operands as tensors of one dtype (x's, or the weight's when x is not a tensor). */
function operands(op: string, x: TensorLike, weight: TensorLike, bias: TensorLike | null | undefined): [Tensor, Tensor, Tensor | null] {
  const dtype = x instanceof Tensor ? x.dtype : weight instanceof Tensor ? weight.dtype : 'float32';
  const t = toTensor(x, 'x', op, dtype);
  const w = toTensor(weight, 'weight', op, dtype);
  const b = bias === undefined || bias === null ? null : toTensor(bias, 'bias', op, dtype);
  for (const [name, v] of [['weight', w], ['bias', b]] as const) {
    if (v !== null && v.dtype !== t.dtype) throw new DTypeError(op, `x is ${t.dtype} but ${name} is ${v.dtype}; convert one with .to('${t.dtype}')`);
  }
  return [t, w, b];
}

function checkGroups(op: string, value: unknown, cin: number, cout: number, xShape: readonly number[], wShape: readonly number[]): number {
  const groups = checkInteger(op, 'groups', value ?? 1, 1);
  if (cin % groups !== 0 || cout % groups !== 0) {
    throw new ShapeError(op, `groups (${groups}) must divide the input channels (${cin}) and the output channels (${cout}); x ${formatShape(xShape)}, weight ${formatShape(wShape)}`, [xShape, wShape]);
  }
  return groups;
}

function checkBias(op: string, b: Tensor | null, cout: number, wShape: readonly number[]): void {
  if (b !== null && (b.rank !== 1 || b.shape[0] !== cout)) {
    throw new ShapeError(op, `bias must be 1-D with one value per output channel (${cout} for weight ${formatShape(wShape)}), got ${formatShape(b.shape)}`, [b.shape, wShape]);
  }
}

/** A bias [C] added to [N, C, ...spatial]. */
function addBias(out: Tensor, b: Tensor | null, spatial: number): Tensor {
  return b === null ? out : add(out, reshape(b, [b.shape[0]!, ...new Array<number>(spatial).fill(1)]));
}

/** conv1d and conv2d: x as [N, C, H, W] (conv1d: H = 1), validated, then conv2dCore and the bias. */
function convNd(op: string, dims: 1 | 2, x: TensorLike, weight: TensorLike, bias: TensorLike | null | undefined, options: ConvOptions | undefined): Tensor {
  const [t0, w, b] = operands(op, x, weight, bias);
  const o = checkOptions(op, options, ['stride', 'padding', 'dilation', 'groups']);
  const layout = dims === 2 ? '[N, C, H, W]' : '[N, C, L]';
  const [t, unbatched] = batched(op, t0, dims + 2, layout);
  if (w.rank !== dims + 2) {
    throw new ShapeError(op, `weight must be ${dims + 2}-D ${dims === 2 ? '[Cout, Cin/groups, kH, kW]' : '[Cout, Cin/groups, k]'}, got ${formatShape(w.shape)}`, [w.shape]);
  }
  const [n, cin] = t.shape as [number, number];
  const cout = w.shape[0]!;
  const groups = checkGroups(op, o.groups, cin, cout, t0.shape, w.shape);
  if (w.shape[1]! * groups !== cin) {
    throw new ShapeError(op, `x has ${cin} channels but weight ${formatShape(w.shape)} with groups ${groups} expects ${w.shape[1]! * groups} (x ${formatShape(t0.shape)})`, [t0.shape, w.shape]);
  }
  checkBias(op, b, cout, w.shape);
  const kernel = w.shape.slice(2);
  const size = t.shape.slice(2);
  const stride = perDim(op, 'stride', o.stride, dims, 1, [1, 1].slice(0, dims));
  const dilation = perDim(op, 'dilation', o.dilation, dims, 1, [1, 1].slice(0, dims));
  let before: number[];
  let after: number[];
  if (o.padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new ShapeError(op, `padding 'same' needs stride 1 (as in PyTorch), got stride ${describe(o.stride)}`);
    // total d·(k − 1) zeros, the odd one after (PyTorch)
    before = kernel.map((k, i) => Math.floor((dilation[i]! * (k - 1)) / 2));
    after = kernel.map((k, i) => dilation[i]! * (k - 1) - before[i]!);
  } else if (o.padding === 'valid') {
    before = after = new Array<number>(dims).fill(0);
  } else {
    before = after = perDim(op, 'padding', o.padding, dims, 0, [0, 0].slice(0, dims));
  }
  const out = kernel.map((k, i) => positions(op, dims === 1 ? 'the length' : i === 0 ? 'the height' : 'the width', size[i]!, k, stride[i]!, before[i]!, after[i]!, dilation[i]!));
  // conv1d is conv2d over a height of 1
  const at = (a: number[], one: number): [number, number] => (dims === 2 ? [a[0]!, a[1]!] : [one, a[0]!]);
  const [kh, kw] = at(kernel, 1);
  const [sh, sw] = at(stride, 1);
  const [ph, pw] = at(before, 0);
  const [dh, dw] = at(dilation, 1);
  const [oh, ow] = at(out, 1);
  const [h, wd] = at(size, 1);
  // sizes no array can hold are refused here, naming the op, before any buffer is made (a huge
  // padding): the output, and the columns one image unfolds into (Cin·kH·kW rows of oh·ow)
  checkElementCount(op, [n, cout, ...out]);
  checkElementCount(op, [cin * kh * kw, oh * ow], 'the columns of one image (Cin·kH·kW x positions)');
  // a 1x1 kernel with stride 1 and no padding reads each pixel once: the columns are x itself, and
  // the batched matmul (output channels as rows) is faster than conv2dCore's transposed product
  const pointwise = kh === 1 && kw === 1 && sh === 1 && sw === 1 && ph === 0 && pw === 0 && oh === h && ow === wd && n > 0;
  const y = pointwise ? pointwiseConv(t, w, groups) : apply(conv2dCoreOp, [
    dims === 2 ? t : reshape(t, [n, cin, 1, wd]),
    dims === 2 ? w : reshape(w, [cout, cin / groups, 1, kw]),
  ], { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, groups, h, w: wd });
  const shaped = addBias(dims === 2 ? y : reshape(y, [n, cout, ow]), b, dims);
  return unbatched ? reshape(shaped, shaped.shape.slice(1)) : shaped;
}

/** A 1x1 convolution with stride 1 and no padding as a batched product: W [Cout, Cin/groups] · x [N, Cin, L]. */
function pointwiseConv(x: Tensor, w: Tensor, groups: number): Tensor {
  const [n, cin] = x.shape as [number, number];
  const cout = w.shape[0]!;
  const l = sizeOf(x.shape.slice(2));
  const k = cin / groups;
  const y = groups === 1
    ? matmulT(reshape(w, [cout, k]), reshape(x, [n, cin, l]), false, false)
    : reshape(matmulT(reshape(w, [groups, cout / groups, k]), reshape(x, [n, groups, k, l]), false, false), [n, cout, l]);
  return reshape(y, [n, cout, ...x.shape.slice(2)]);
}

/**
 * 1-D convolution (cross-correlation, as PyTorch's `F.conv1d`): x [N, Cin, L] (or [Cin, L]) with
 * weight [Cout, Cin/groups, k] and an optional bias [Cout] gives [N, Cout, Lout].
 */
export function conv1d(x: TensorLike, weight: TensorLike, bias?: TensorLike | null, options?: ConvOptions): Tensor {
  return convNd('conv1d', 1, x, weight, bias, options);
}

/**
 * 2-D convolution (cross-correlation, as PyTorch's `F.conv2d`): x [N, Cin, H, W] (or [Cin, H, W]) with
 * weight [Cout, Cin/groups, kH, kW] and an optional bias [Cout] gives [N, Cout, Hout, Wout].
 */
export function conv2d(x: TensorLike, weight: TensorLike, bias?: TensorLike | null, options?: ConvOptions): Tensor {
  return convNd('conv2d', 2, x, weight, bias, options);
}

/**
 * 2-D transposed convolution (PyTorch's `F.conv_transpose2d`, the gradient of conv2d with respect to
 * its input): x [N, Cin, H, W] (or [Cin, H, W]) with weight [Cin, Cout/groups, kH, kW] and an optional
 * bias [Cout] gives [N, Cout, (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1, ...].
 */
export function convTranspose2d(x: TensorLike, weight: TensorLike, bias?: TensorLike | null, options?: ConvTranspose2dOptions): Tensor {
  const op = 'convTranspose2d';
  const [t0, w, b] = operands(op, x, weight, bias);
  const o = checkOptions(op, options, ['stride', 'padding', 'outputPadding', 'groups', 'dilation']);
  const [t, unbatched] = batched(op, t0, 4, '[N, C, H, W]');
  if (w.rank !== 4) throw new ShapeError(op, `weight must be 4-D [Cin, Cout/groups, kH, kW], got ${formatShape(w.shape)}`, [w.shape]);
  const [n, cin, h, wd] = t.shape as [number, number, number, number];
  if (w.shape[0] !== cin) {
    throw new ShapeError(op, `x has ${cin} channels but weight ${formatShape(w.shape)} expects ${w.shape[0]} (x ${formatShape(t0.shape)})`, [t0.shape, w.shape]);
  }
  const groups = checkGroups(op, o.groups, cin, cin, t0.shape, w.shape);
  const cout = w.shape[1]! * groups;
  checkBias(op, b, cout, w.shape);
  const [kh, kw] = [w.shape[2]!, w.shape[3]!];
  const [sh, sw] = perDim(op, 'stride', o.stride, 2, 1, [1, 1]) as [number, number];
  const [ph, pw] = perDim(op, 'padding', o.padding, 2, 0, [0, 0]) as [number, number];
  const [qh, qw] = perDim(op, 'outputPadding', o.outputPadding, 2, 0, [0, 0]) as [number, number];
  const [dh, dw] = perDim(op, 'dilation', o.dilation, 2, 1, [1, 1]) as [number, number];
  if ((qh >= sh && qh >= dh) || (qw >= sw && qw >= dw)) {
    throw new ShapeError(op, `outputPadding [${qh}, ${qw}] must be smaller than either stride [${sh}, ${sw}] or dilation [${dh}, ${dw}] in each dimension`);
  }
  const oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + qh + 1;
  const ow = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + qw + 1;
  if (!Number.isSafeInteger(oh) || !Number.isSafeInteger(ow)) {
    throw new ShapeError(op, `the output size [${oh}, ${ow}] is too large for x ${formatShape(t0.shape)}, weight ${formatShape(w.shape)}, stride [${sh}, ${sw}], dilation [${dh}, ${dw}]`, [t0.shape, w.shape]);
  }
  if (oh < 1 || ow < 1) {
    throw new ShapeError(op, `the output size [${oh}, ${ow}] is too small for x ${formatShape(t0.shape)}, weight ${formatShape(w.shape)}, stride [${sh}, ${sw}], padding [${ph}, ${pw}]`, [t0.shape, w.shape]);
  }
  // as for conv2d: the output, and the columns of one image (Cout·kH·kW rows of h·wd), must fit
  checkElementCount(op, [n, cout, oh, ow]);
  checkElementCount(op, [cout * kh * kw, h * wd], 'the columns of one image (Cout·kH·kW x positions)');
  // the gradient in the input of the convolution with this weight that maps [oh, ow] to [h, wd]
  const geo: ConvGeometry = { kh, kw, sh, sw, ph, pw, dh, dw, oh: h, ow: wd, groups, h: oh, w: ow };
  const y = addBias(apply(conv2dInputGradOp, [t, w], geo), b, 2);
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

// ------------------------------------------------------------------ property-test samples and oracles

type ConvSample = { shapes: number[][]; params: ConvOptions };

function sampleConv(dims: 1 | 2, pick: Pick): ConvSample {
  const groups = 1 + pick(2);
  const cin = groups * (1 + pick(2));
  const cout = groups * (1 + pick(2));
  const size = Array.from({ length: dims }, () => 1 + pick(5));
  const dil = size.map(() => 1 + pick(2));
  const kernel = size.map((s, i) => 1 + pick(Math.min(3, Math.floor((s - 1) / dil[i]!) + 1)));
  const stride = size.map(() => 1 + pick(2));
  const mode = pick(4);
  const padding = mode === 0 && stride.every((s) => s === 1) ? 'same' : mode === 1 ? 'valid' : kernel.map((k) => pick(k));
  const shapes = [[1 + pick(2), cin, ...size], [cout, cin / groups, ...kernel]];
  if (pick(2) === 1) shapes.push([cout]);
  return { shapes, params: { stride, dilation: dil, padding, groups } };
}

/** The direct-convolution loop (conv1d as conv2d of height 1): the property tests' oracle. */
export function convOracle(dims: 1 | 2, [x, w, b]: readonly OracleInput[], p: ConvOptions): { shape: number[]; data: number[] } {
  const lift = (s: readonly number[]): number[] => (dims === 2 ? s.slice() : [...s.slice(0, -1), 1, s[s.length - 1]!]);
  const xs = lift(x!.shape);
  const ws = lift(w!.shape);
  const [n, cin, h, wd] = xs as [number, number, number, number];
  const [cout, cg, kh, kw] = ws as [number, number, number, number];
  const arr = (v: SizeArg | undefined, d: number): number[] => {
    const a = v === undefined ? [d, d].slice(0, dims) : typeof v === 'number' ? [v, v].slice(0, dims) : v.slice();
    return dims === 2 ? a : [d === 0 ? 0 : 1, a[0]!];
  };
  const [sh, sw] = arr(p.stride, 1) as [number, number];
  const [dh, dw] = arr(p.dilation, 1) as [number, number];
  const groups = p.groups ?? 1;
  let pt: number, pb: number, pl: number, pr: number;
  if (p.padding === 'same') {
    pt = Math.floor((dh * (kh - 1)) / 2); pb = dh * (kh - 1) - pt;
    pl = Math.floor((dw * (kw - 1)) / 2); pr = dw * (kw - 1) - pl;
  } else {
    [pt, pl] = p.padding === 'valid' ? [0, 0] : arr(p.padding as SizeArg | undefined, 0) as [number, number];
    [pb, pr] = [pt, pl];
  }
  const oh = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((wd + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  const data = new Array<number>(n * cout * oh * ow).fill(0);
  const per = cout / groups;
  for (let bb = 0; bb < n; bb++) for (let co = 0; co < cout; co++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
    let s = b === undefined ? 0 : b.data[co]!;
    for (let ci = 0; ci < cg; ci++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
      const iy = y * sh - pt + i * dh;
      const ix = xx * sw - pl + j * dw;
      if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
      const c = Math.floor(co / per) * cg + ci;
      s += x!.data[((bb * cin + c) * h + iy) * wd + ix]! * w!.data[((co * cg + ci) * kh + i) * kw + j]!;
    }
    data[((bb * cout + co) * oh + y) * ow + xx] = s;
  }
  const shape = dims === 2 ? [n, cout, oh, ow] : [n, cout, ow];
  return { shape, data };
}

/** The direct transposed-convolution loop (each input element scatters kernel·value): the oracle. */
export function convTransposeOracle([x, w, b]: readonly OracleInput[], p: ConvTranspose2dOptions): { shape: number[]; data: number[] } {
  const [n, cin, h, wd] = x!.shape as [number, number, number, number];
  const [, cg, kh, kw] = w!.shape as [number, number, number, number];
  const two = (v: SizeArg | undefined, d: number): [number, number] => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0]!, v[1]!]);
  const [sh, sw] = two(p.stride, 1);
  const [ph, pw] = two(p.padding, 0);
  const [qh, qw] = two(p.outputPadding, 0);
  const [dh, dw] = two(p.dilation, 1);
  const groups = p.groups ?? 1;
  const cout = cg * groups;
  const oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + qh + 1;
  const ow = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + qw + 1;
  const data = new Array<number>(n * cout * oh * ow).fill(0);
  const inPer = cin / groups;
  for (let bb = 0; bb < n; bb++) for (let ci = 0; ci < cin; ci++) for (let y = 0; y < h; y++) for (let xx = 0; xx < wd; xx++) {
    const v = x!.data[((bb * cin + ci) * h + y) * wd + xx]!;
    for (let co = 0; co < cg; co++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
      const oy = y * sh - ph + i * dh;
      const ox = xx * sw - pw + j * dw;
      if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
      const c = Math.floor(ci / inPer) * cg + co;
      data[((bb * cout + c) * oh + oy) * ow + ox]! += v * w!.data[((ci * cg + co) * kh + i) * kw + j]!;
    }
  }
  if (b !== undefined) for (let i = 0; i < data.length; i++) data[i]! += b.data[Math.floor(i / (oh * ow)) % cout]!;
  return { shape: [n, cout, oh, ow], data };
}

function sampleConvTranspose(pick: Pick): { shapes: number[][]; params: ConvTranspose2dOptions } {
  const groups = 1 + pick(2);
  const cin = groups * (1 + pick(2));
  const cg = 1 + pick(2);
  const [h, w] = [1 + pick(3), 1 + pick(3)];
  const kernel = [1 + pick(3), 1 + pick(3)];
  const stride = [1 + pick(2), 1 + pick(2)];
  const dilation = [1 + pick(2), 1 + pick(2)];
  // padding keeps the output at least one element: 2p <= (size − 1)s + d(k − 1)
  const padding = [0, 1].map((i) => pick(1 + Math.floor((((i === 0 ? h : w) - 1) * stride[i]! + dilation[i]! * (kernel[i]! - 1)) / 2)));
  const outputPadding = [0, 1].map((i) => pick(Math.max(stride[i]!, dilation[i]!)));
  const shapes = [[1 + pick(2), cin, h, w], [cin, cg, ...kernel]];
  if (pick(2) === 1) shapes.push([cg * groups]);
  return { shapes, params: { stride, padding, outputPadding, dilation, groups } };
}

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const CONV_OPS = {
  unfold: primitive(unfoldOp, FUNCTION_ONLY),
  fold: primitive(foldOp, FUNCTION_ONLY),
  conv2dCore: primitive(conv2dCoreOp, INTERNAL), // conv1d's and conv2d's product, without bias
  conv2dInputGrad: primitive(conv2dInputGradOp, INTERNAL), // its adjoint in x, and convTranspose2d
  conv2dWeightGrad: primitive(conv2dWeightGradOp, INTERNAL), // its adjoint in w
  conv1d: composite('conv1d', ([x, w, b], p: ConvOptions) => conv1d(x!, w!, b ?? null, p), {
    shapes: 'unary',
    sample: (pick) => sampleConv(1, pick),
    oracle: (inputs, p) => convOracle(1, inputs, p),
  }, FUNCTION_ONLY),
  conv2d: composite('conv2d', ([x, w, b], p: ConvOptions) => conv2d(x!, w!, b ?? null, p), {
    shapes: 'unary',
    sample: (pick) => sampleConv(2, pick),
    oracle: (inputs, p) => convOracle(2, inputs, p),
  }, FUNCTION_ONLY),
  convTranspose2d: composite('convTranspose2d', ([x, w, b], p: ConvTranspose2dOptions) => convTranspose2d(x!, w!, b ?? null, p), {
    shapes: 'unary',
    sample: sampleConvTranspose,
    oracle: convTransposeOracle,
  }, FUNCTION_ONLY),
  ...POOL_OPS,
} as const satisfies Record<string, OpEntry>;
