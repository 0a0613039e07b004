/**
 * Resampling network ops: interpolate (nearest, linear, bilinear) and pixelShuffle / pixelUnshuffle,
 * with torch.nn.functional's semantics (PyTorch 1.13).
 *
 * interpolate is linear in x: every output element is a weighted sum of at most four input elements,
 * with weights that depend only on the sizes. The forward kernel and its adjoint (the scatter-add of
 * the same weights) are two primitives, each the other's backward, so gradients of any order exist.
 */
import { allocate } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, renameError, ShapeError } from '../errors.ts';
import { MAX_ELEMENTS, checkElementCount, checkOptions, describe, formatShape, sizeOf, type Shape } from '../shape.ts';
import { toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OpDef, type OracleInput, type Pick } from './define.ts';
import { permute, reshape } from './shape-ops.ts';

/** An interpolation mode of `interpolate`. */
export type InterpolateMode = 'nearest' | 'linear' | 'bilinear';

/** Options of `interpolate` (torch.nn.functional.interpolate). */
export interface InterpolateOptions {
  /** The output's spatial size: one integer for every spatial axis, or a list (one per spatial axis). */
  size?: number | readonly number[];
  /** The spatial scale: output size = floor(input size · scaleFactor); one number or one per spatial axis. */
  scaleFactor?: number | readonly number[];
  /** 'nearest' (default; 3-D or 4-D x), 'linear' (3-D x) or 'bilinear' (4-D x). */
  mode?: InterpolateMode;
  /**
   * Linear modes only: align the corner pixels' centres of input and output (default false; PyTorch
   * refuses the option for 'nearest').
   */
  alignCorners?: boolean;
  /**
   * With `scaleFactor`: compute the output size, then interpolate as if that size had been given
   * (PyTorch's recompute_scale_factor; default false: the given factor's inverse is the scale).
   * Setting it with `size` is an error, as in PyTorch.
   */
  recomputeScaleFactor?: boolean;
}

/** The resolved parameters of the interpolate primitives. */
export interface InterpParams {
  /** 'nearest' or 'linear' (bilinear is linear on both spatial axes). */
  readonly mode: 'nearest' | 'linear';
  readonly alignCorners: boolean;
  /** The output's spatial sizes (one or two). */
  readonly outSize: readonly number[];
  /** The user's scale factors (one per spatial axis), or null: the scale is then in/out. */
  readonly scales: readonly number[] | null;
}

/** One output position's sources along an axis: indices i0, i1 and weights w0, w1. */
interface AxisTable {
  i0: Int32Array;
  i1: Int32Array;
  w0: Float64Array;
  w1: Float64Array;
}

/**
 * The source indices and weights along one axis, as PyTorch 1.13's CPU kernels compute them.
 * Nearest: floor(dst · scale) in float32 arithmetic, scale = 1/scaleFactor when a factor was given,
 * else in/out; except that an output of the input's size copies and one of twice its size reads
 * dst >> 1, whatever the factor (PyTorch 1.13's nearest_idx, as its 2-D forward and every backward
 * use it; its 1-D forward alone skips these shortcuts when a factor is given, so its gradient there
 * is not the adjoint of its forward: memograd follows the consistent rule).
 * Linear: source = scale · (dst + 0.5) - 0.5 clamped at 0 (alignCorners false) or dst · (in-1)/(out-1).
 */
export function axisTable(mode: 'nearest' | 'linear', alignCorners: boolean, inSize: number, outSize: number, scale: number | undefined): AxisTable {
  const t: AxisTable = { i0: new Int32Array(outSize), i1: new Int32Array(outSize), w0: new Float64Array(outSize), w1: new Float64Array(outSize) };
  if (mode === 'nearest') {
    const s = Math.fround(scale !== undefined && scale > 0 ? 1 / scale : inSize / outSize);
    for (let d = 0; d < outSize; d++) {
      const src = outSize === inSize ? d : outSize === 2 * inSize ? d >> 1 : Math.min(Math.floor(Math.fround(d * s)), inSize - 1);
      t.i0[d] = src;
      t.i1[d] = src;
      t.w0[d] = 1;
    }
    return t;
  }
  const s = alignCorners ? (outSize > 1 ? (inSize - 1) / (outSize - 1) : 0) : scale !== undefined && scale > 0 ? 1 / scale : inSize / outSize;
  for (let d = 0; d < outSize; d++) {
    const real = alignCorners ? s * d : Math.max(s * (d + 0.5) - 0.5, 0);
    const i0 = Math.trunc(real);
    const lambda = Math.min(Math.max(real - i0, 0), 1);
    t.i0[d] = i0;
    t.i1[d] = i0 < inSize - 1 ? i0 + 1 : i0;
    t.w0[d] = 1 - lambda;
    t.w1[d] = lambda;
  }
  return t;
}

/** x's shape seen as [N·C, H, W] (a 3-D x has H = 1) and the tables of both spatial axes. */
function plan(inShape: Shape, p: InterpParams): { twoD: boolean; planes: number; h: number; w: number; oh: number; ow: number; th: AxisTable; tw: AxisTable } {
  const twoD = inShape.length === 4;
  const h = twoD ? inShape[2]! : 1;
  const w = inShape[inShape.length - 1]!;
  const oh = twoD ? p.outSize[0]! : 1;
  const ow = p.outSize[p.outSize.length - 1]!;
  const scaleH = twoD && p.scales ? p.scales[0] : undefined;
  const scaleW = p.scales ? p.scales[p.scales.length - 1] : undefined;
  // a 3-D x's dummy H axis maps 1 -> 1 with weight 1
  const th = twoD ? axisTable(p.mode, p.alignCorners, h, oh, scaleH) : axisTable('nearest', false, 1, 1, undefined);
  return { twoD, planes: inShape[0]! * inShape[1]!, h, w, oh, ow, th, tw: axisTable(p.mode, p.alignCorners, w, ow, scaleW) };
}

/** Throws unless the parameters fit an input of `s` (the one check behind both primitives). */
function checkInterp(op: string, s: Shape, p: InterpParams): number[] {
  if (s.length !== 3 && s.length !== 4) {
    throw new ShapeError(op, `expects a 3-D (N, C, L) or 4-D (N, C, H, W) input, got ${formatShape(s)}`, [s]);
  }
  const spatial = s.length - 2;
  if (p.mode !== 'nearest' && p.mode !== 'linear') throw new ArgumentError(op, `unknown mode ${describe(p.mode)}`);
  if (!Array.isArray(p.outSize) || p.outSize.length !== spatial || !p.outSize.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ArgumentError(op, `the output size ${describe(p.outSize)} must be ${spatial} positive integer(s) for input ${formatShape(s)}`);
  }
  if (p.scales !== null && (!Array.isArray(p.scales) || p.scales.length !== spatial || !p.scales.every((v) => Number.isFinite(v) && v > 0))) {
    throw new ArgumentError(op, `the scale factors ${describe(p.scales)} must be ${spatial} positive finite number(s)`);
  }
  if (s.slice(2).some((d) => d === 0)) {
    throw new ShapeError(op, `input and output sizes should be greater than 0, but got input ${formatShape(s)} and output size ${formatShape(p.outSize)}`, [s]);
  }
  // PyTorch's upsample kernels refuse an empty input unless only the batch axis is 0 (C = 0 is refused)
  if (sizeOf(s) === 0 && sizeOf(s.slice(1)) === 0) {
    throw new ShapeError(op, `expects a non-empty input (only the batch axis may be 0), got ${formatShape(s)}`, [s]);
  }
  const out = [s[0]!, s[1]!, ...p.outSize];
  checkElementCount(op, out);
  return out;
}

export const interpolateOp: OpDef<InterpParams> = defineOp<InterpParams>({
  name: 'interpolate',
  inputs: ['x'],
  saves: [],
  shape: ([s], p) => checkInterp('interpolate', s!, p),
  forward: ([x], p, outShape) => {
    const out = allocate(x!.dtype, sizeOf(outShape));
    // nothing to compute (an empty batch): no tables, whose length is the output size (2^31 for a
    // scaleFactor of 2^31)
    if (out.length === 0) return out;
    const { twoD, planes, h, w, oh, ow, th, tw } = plan(x!.shape, p);
    const d = x!.data;
    const nearest = p.mode === 'nearest';
    for (let c = 0; c < planes; c++) {
      const src = c * h * w;
      let o = c * oh * ow;
      for (let y = 0; y < oh; y++) {
        const r0 = src + th.i0[y]! * w;
        const r1 = src + th.i1[y]! * w;
        const h0 = th.w0[y]!;
        const h1 = th.w1[y]!;
        for (let xx = 0; xx < ow; xx++, o++) {
          const a = tw.i0[xx]!;
          if (nearest) {
            out[o] = d[r0 + a]!;
            continue;
          }
          const b = tw.i1[xx]!;
          const w0 = tw.w0[xx]!;
          const w1 = tw.w1[xx]!;
          if (!twoD) {
            out[o] = d[r0 + a]! * w0 + d[r0 + b]! * w1;
            continue;
          }
          // PyTorch's order: the inner (W) interpolation of each row, then the outer (H) one; zero
          // weights are multiplied too, so a NaN or infinity at a zero-weight source reaches the output
          out[o] = (d[r0 + a]! * w0 + d[r0 + b]! * w1) * h0 + (d[r1 + a]! * w0 + d[r1 + b]! * w1) * h1;
        }
      }
    }
    return out;
  },
  backward: ({ grad, inputs: [x], params }) => [apply(interpolateGradOp, [grad], { ...params, inShape: x!.shape })],
  test: {
    shapes: 'unary',
    sample: (pick) => sampleInterp(pick),
    oracle: (inputs, p) => interpOracle(inputs[0]!, p),
  },
});

// the adjoint of interpolate: each output gradient is added back to its sources with their weights
export const interpolateGradOp: OpDef<InterpParams & { inShape: readonly number[] }> = defineOp<InterpParams & { inShape: readonly number[] }>({
  name: 'interpolateGrad',
  inputs: ['grad'],
  saves: [],
  shape: ([s], p) => {
    if (!Array.isArray(p.inShape)) throw new ArgumentError('interpolateGrad', `inShape must be a shape, got ${describe(p.inShape)}`);
    const out = checkInterp('interpolateGrad', p.inShape, p);
    if (s!.length !== out.length || s!.some((d, i) => d !== out[i])) {
      throw new ShapeError('interpolateGrad', `grad has shape ${formatShape(s!)}, expected ${formatShape(out)}`, [s!, out]);
    }
    return p.inShape.slice();
  },
  forward: ([g], p, inShape) => {
    const out = allocate(g!.dtype, sizeOf(inShape));
    if (out.length === 0 || g!.size === 0) return out; // nothing to add (see interpolate's forward)
    const { planes, h, w, oh, ow, th, tw } = plan(inShape, p);
    const d = g!.data;
    for (let c = 0; c < planes; c++) {
      const dst = c * h * w;
      let o = c * oh * ow;
      for (let y = 0; y < oh; y++) {
        const r0 = dst + th.i0[y]! * w;
        const r1 = dst + th.i1[y]! * w;
        const h0 = th.w0[y]!;
        const h1 = th.w1[y]!;
        for (let xx = 0; xx < ow; xx++, o++) {
          const a = tw.i0[xx]!;
          const b = tw.i1[xx]!;
          const w0 = tw.w0[xx]!;
          const w1 = tw.w1[xx]!;
          const v = d[o]!;
          out[r0 + a] = out[r0 + a]! + h0 * w0 * v;
          if (w1 !== 0) out[r0 + b] = out[r0 + b]! + h0 * w1 * v;
          if (h1 !== 0) {
            out[r1 + a] = out[r1 + a]! + h1 * w0 * v;
            if (w1 !== 0) out[r1 + b] = out[r1 + b]! + h1 * w1 * v;
          }
        }
      }
    }
    return out;
  },
  backward: ({ grad, params: { inShape: _s, ...p } }) => [apply(interpolateOp, [grad], p)],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const { shapes, params } = sampleInterp(pick);
      return { shapes: [[shapes[0]![0]!, shapes[0]![1]!, ...params.outSize]], params: { ...params, inShape: shapes[0]! } };
    },
    oracle: ([g], p) => interpGradOracle(g!, p),
  },
});

function sampleInterp(pick: Pick): { shapes: number[][]; params: InterpParams } {
  const twoD = pick(2) === 1;
  const spatial = twoD ? [1 + pick(3), 1 + pick(3)] : [1 + pick(4)];
  const mode = pick(2) ? 'linear' : 'nearest';
  const alignCorners = mode === 'linear' && pick(2) === 1;
  const outSize = spatial.map((d) => 1 + pick(2 * d + 1));
  const scales = pick(3) === 0 ? spatial.map(() => [0.5, 1.5, 2, 0.7][pick(4)]!) : null;
  // with scale factors the output size is floor(in · f), as the public function computes it
  const out = scales ? spatial.map((d, i) => Math.max(1, Math.floor(d * scales[i]!))) : outSize;
  return { shapes: [[1 + pick(2), 1 + pick(2), ...spatial]], params: { mode, alignCorners, outSize: out, scales } };
}

/** The plainest loops: out[n, c, y, x] = sum of weight · x[source] over every source (the oracle). */
function interpWeights(inShape: readonly number[], p: InterpParams): { inIndex: number; outIndex: number; weight: number }[] {
  const { planes, h, w, oh, ow, th, tw } = plan(inShape, p);
  const terms: { inIndex: number; outIndex: number; weight: number }[] = [];
  for (let c = 0; c < planes; c++) {
    for (let y = 0; y < oh; y++) {
      for (let xx = 0; xx < ow; xx++) {
        const o = (c * oh + y) * ow + xx;
        const rows: [number, number][] = p.mode === 'nearest' ? [[th.i0[y]!, 1]] : [[th.i0[y]!, th.w0[y]!], [th.i1[y]!, th.w1[y]!]];
        const cols: [number, number][] = p.mode === 'nearest' ? [[tw.i0[xx]!, 1]] : [[tw.i0[xx]!, tw.w0[xx]!], [tw.i1[xx]!, tw.w1[xx]!]];
        for (const [r, wr] of rows) for (const [q, wq] of cols) terms.push({ inIndex: (c * h + r) * w + q, outIndex: o, weight: wr * wq });
      }
    }
  }
  return terms;
}

function interpOracle(x: OracleInput, p: InterpParams): { shape: number[]; data: number[] } {
  const shape = [x.shape[0]!, x.shape[1]!, ...p.outSize];
  const data = new Array<number>(sizeOf(shape)).fill(0);
  for (const t of interpWeights(x.shape, p)) data[t.outIndex] = data[t.outIndex]! + t.weight * x.data[t.inIndex]!;
  return { shape, data };
}

function interpGradOracle(g: OracleInput, p: InterpParams & { inShape: readonly number[] }): { shape: number[]; data: number[] } {
  const data = new Array<number>(sizeOf(p.inShape)).fill(0);
  for (const t of interpWeights(p.inShape, p)) data[t.inIndex] = data[t.inIndex]! + t.weight * g.data[t.outIndex]!;
  return { shape: p.inShape.slice(), data };
}

/** One value per spatial axis from a number or a list (messages name the option). */
function perAxis(value: unknown, spatial: number, what: string, integer: boolean): number[] {
  const list = typeof value === 'number' ? new Array<number>(spatial).fill(value) : Array.isArray(value) ? (value as unknown[]) : null;
  if (list === null || list.length !== spatial) {
    throw new ArgumentError('interpolate', `${what} must be a number or a list of ${spatial} number(s) (one per spatial axis), got ${describe(value)}`);
  }
  for (const v of list) {
    const ok = typeof v === 'number' && Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v));
    if (!ok) throw new ArgumentError('interpolate', `${what} must hold positive ${integer ? 'integers' : 'finite numbers'}, got ${describe(value)}`);
  }
  return list as number[];
}

/**
 * Resizes the spatial axes of a 3-D (N, C, L) or 4-D (N, C, H, W) tensor (torch.nn.functional.interpolate):
 * give exactly one of `size` and `scaleFactor`. 'nearest' copies the source element at
 * floor(dst · scale) (PyTorch 1.13's rule, scale = 1/scaleFactor or in/out); 'linear' (3-D) and
 * 'bilinear' (4-D) blend the two nearest sources per axis, with `alignCorners` as in PyTorch.
 * An empty batch (N = 0) gives an empty output; C = 0 or an empty spatial axis is an error (PyTorch).
 * 5-D inputs and the modes 'bicubic', 'trilinear', 'area' and 'nearest-exact' are not supported.
 */
export function interpolate(x: TensorLike, options: InterpolateOptions): Tensor {
  const t = toTensor(x, 'x', 'interpolate');
  const o = checkOptions<InterpolateOptions>('interpolate', options, ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor']);
  const mode = o.mode ?? 'nearest';
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear') {
    throw new ArgumentError('interpolate', `mode must be 'nearest', 'linear' or 'bilinear', got ${describe(mode)}`);
  }
  if (t.rank !== 3 && t.rank !== 4) throw new ShapeError('interpolate', `expects a 3-D (N, C, L) or 4-D (N, C, H, W) input, got ${formatShape(t.shape)}`, [t.shape]);
  if (mode === 'linear' && t.rank !== 3) throw new ShapeError('interpolate', `mode 'linear' needs a 3-D input (N, C, L), got ${formatShape(t.shape)}`, [t.shape]);
  if (mode === 'bilinear' && t.rank !== 4) throw new ShapeError('interpolate', `mode 'bilinear' needs a 4-D input (N, C, H, W), got ${formatShape(t.shape)}`, [t.shape]);
  if (o.alignCorners !== undefined) {
    if (mode === 'nearest') throw new ArgumentError('interpolate', `alignCorners can only be set with the interpolating modes 'linear' and 'bilinear', not 'nearest'`);
    if (typeof o.alignCorners !== 'boolean') throw new ArgumentError('interpolate', `alignCorners must be a boolean, got ${describe(o.alignCorners)}`);
  }
  if (o.recomputeScaleFactor !== undefined && typeof o.recomputeScaleFactor !== 'boolean') {
    throw new ArgumentError('interpolate', `recomputeScaleFactor must be a boolean, got ${describe(o.recomputeScaleFactor)}`);
  }
  if ((o.size === undefined) === (o.scaleFactor === undefined)) {
    throw new ArgumentError('interpolate', o.size === undefined ? 'give either size or scaleFactor' : 'give only one of size and scaleFactor');
  }
  if (o.size !== undefined && o.recomputeScaleFactor === true) {
    throw new ArgumentError('interpolate', 'recomputeScaleFactor is not meaningful with an explicit size (give scaleFactor)');
  }
  const spatial = t.rank - 2;
  let outSize: number[];
  let scales: number[] | null = null;
  if (o.size !== undefined) outSize = perAxis(o.size, spatial, 'size', true);
  else {
    scales = perAxis(o.scaleFactor, spatial, 'scaleFactor', false);
    outSize = scales.map((f, i) => Math.floor(t.shape[i + 2]! * f));
    if (o.recomputeScaleFactor === true) scales = null;
    if (outSize.some((d) => d <= 0)) {
      throw new ShapeError('interpolate', `input and output sizes should be greater than 0, but got input ${formatShape(t.shape)} and output size ${formatShape(outSize)} (scaleFactor ${describe(o.scaleFactor)})`, [t.shape]);
    }
  }
  // a size no axis may have (2^31 from a scaleFactor of 2^31, even on an empty batch), and an
  // output no array holds, are refused here rather than by the next op
  if (outSize.some((d) => d > MAX_ELEMENTS)) {
    throw new ShapeError('interpolate', `output size ${formatShape(outSize)} has an axis above ${MAX_ELEMENTS} (input ${formatShape(t.shape)})`, [t.shape]);
  }
  checkElementCount('interpolate', [...t.shape.slice(0, 2), ...outSize]);
  return apply(interpolateOp, [t], { mode: mode === 'nearest' ? 'nearest' : 'linear', alignCorners: o.alignCorners ?? false, outSize, scales });
}

// ------------------------------------------------------------------ pixelShuffle / pixelUnshuffle

function checkFactor(op: string, name: string, r: unknown): number {
  if (typeof r !== 'number' || !Number.isInteger(r) || r <= 0) throw new ArgumentError(op, `${name} must be a positive integer, got ${describe(r)}`);
  return r;
}

/**
 * Rearranges (*, C·r², H, W) into (*, C, H·r, W·r) (torch.nn.functional.pixel_shuffle): output
 * [c, h·r + i, w·r + j] is input [c·r² + i·r + j, h, w]. A pure permutation (reshape + permute).
 */
export function pixelShuffle(x: TensorLike, upscaleFactor: number): Tensor {
  const t = toTensor(x, 'x', 'pixelShuffle');
  const r = checkFactor('pixelShuffle', 'upscaleFactor', upscaleFactor);
  if (t.rank < 3) throw new ShapeError('pixelShuffle', `expects an input of at least 3 axes (*, C, H, W), got ${formatShape(t.shape)}`, [t.shape]);
  const lead = t.shape.slice(0, -3);
  const [c, h, w] = t.shape.slice(-3) as [number, number, number];
  if (c % (r * r) !== 0) {
    throw new ShapeError('pixelShuffle', `the channel axis of ${formatShape(t.shape)} (size ${c}) is not divisible by upscaleFactor² = ${r * r}`, [t.shape]);
  }
  const oc = c / (r * r);
  checkElementCount('pixelShuffle', [...lead, oc, h * r, w * r]);
  try {
    const k = lead.length;
    const v = reshape(t, [...lead, oc, r, r, h, w]);
    const p = permute(v, [...lead.map((_, i) => i), k, k + 3, k + 1, k + 4, k + 2]);
    return reshape(p, [...lead, oc, h * r, w * r]);
  } catch (e) {
    throw renameError('pixelShuffle', e);
  }
}

/**
 * The inverse of `pixelShuffle` (torch.nn.functional.pixel_unshuffle): (*, C, H·r, W·r) into
 * (*, C·r², H, W).
 */
export function pixelUnshuffle(x: TensorLike, downscaleFactor: number): Tensor {
  const t = toTensor(x, 'x', 'pixelUnshuffle');
  const r = checkFactor('pixelUnshuffle', 'downscaleFactor', downscaleFactor);
  if (t.rank < 3) throw new ShapeError('pixelUnshuffle', `expects an input of at least 3 axes (*, C, H, W), got ${formatShape(t.shape)}`, [t.shape]);
  const lead = t.shape.slice(0, -3);
  const [c, h, w] = t.shape.slice(-3) as [number, number, number];
  if (h % r !== 0 || w % r !== 0) {
    throw new ShapeError('pixelUnshuffle', `the spatial axes of ${formatShape(t.shape)} (${h} x ${w}) are not divisible by downscaleFactor ${r}`, [t.shape]);
  }
  try {
    const k = lead.length;
    const v = reshape(t, [...lead, c, h / r, r, w / r, r]);
    const p = permute(v, [...lead.map((_, i) => i), k, k + 2, k + 4, k + 1, k + 3]);
    return reshape(p, [...lead, c * r * r, h / r, w / r]);
  } catch (e) {
    throw renameError('pixelUnshuffle', e);
  }
}

/** The plain-loop pixel shuffle (the oracle): out[.., c, h·r+i, w·r+j] = x[.., c·r²+i·r+j, h, w]. */
export function pixelShuffleOracle(x: OracleInput, r: number, inverse: boolean): { shape: number[]; data: number[] } {
  const lead = x.shape.slice(0, -3);
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  // work in the shuffled (large) coordinates: (oc, H, W) with H = h·r for shuffle, h for unshuffle
  const [oc, bigH, bigW] = inverse ? [c, h, w] : [c / (r * r), h * r, w * r];
  const outShape = inverse ? [...lead, c * r * r, h / r, w / r] : [...lead, oc, bigH, bigW];
  const data = new Array<number>(x.data.length).fill(0);
  const batch = sizeOf(lead);
  const smallH = bigH / r;
  const smallW = bigW / r;
  for (let b = 0; b < batch; b++) {
    for (let ch = 0; ch < oc; ch++) {
      for (let yy = 0; yy < bigH; yy++) {
        for (let xx = 0; xx < bigW; xx++) {
          const big = ((b * oc + ch) * bigH + yy) * bigW + xx;
          const smallC = ch * r * r + (yy % r) * r + (xx % r);
          const small = ((b * oc * r * r + smallC) * smallH + Math.floor(yy / r)) * smallW + Math.floor(xx / r);
          if (inverse) data[small] = x.data[big]!;
          else data[big] = x.data[small]!;
        }
      }
    }
  }
  return { shape: outShape, data };
}
