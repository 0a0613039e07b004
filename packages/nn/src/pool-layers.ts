/**
 * Pooling and resampling layers with PyTorch 1.13's arguments: MaxPool1d, MaxPool2d, AvgPool2d,
 * AdaptiveAvgPool2d, Upsample, PixelShuffle and PixelUnshuffle. They have no parameters; each wraps
 * one autograd function op (maxPool1d, maxPool2d, avgPool2d, adaptiveAvgPool2d, interpolate,
 * pixelShuffle, pixelUnshuffle) after checking its options when constructed and its input's shape
 * when called, so that errors name the layer.
 */
import {
  ArgumentError, MAX_ELEMENTS, ShapeError, Tensor, adaptiveAvgPool2d, avgPool2d, formatShape, interpolate, maxPool1d, maxPool2d, pixelShuffle, pixelUnshuffle,
} from '@memograd/autograd';
import type { InterpolateOptions, PoolWithIndices, SizeArg } from '@memograd/autograd';
import { Module, checkOptions, describe, show } from './module.ts';
import { named } from './errors.ts';
import { boolOption, checkPositiveInt } from './checks.ts';
import { spatialSizes } from './conv-layers.ts';

/** Options of `MaxPool1d` and `MaxPool2d` (PyTorch's, camel-cased). */
export interface MaxPoolLayerOptions {
  /** Step between windows (default, or null: the kernel size). */
  stride?: SizeArg | null;
  /** −Infinity added on both sides of each spatial axis, at most half the kernel (default 0). */
  padding?: SizeArg;
  /** Spacing of the window's elements (default 1). */
  dilation?: SizeArg;
  /**
   * Recorded as PyTorch's `return_indices` (default false). `call` / `forward` return the maxima
   * (a Module returns one tensor); `forwardWithIndices` returns `{ values, indices }` whatever this says.
   */
  returnIndices?: boolean;
  /** Round the number of windows up instead of down (default false). */
  ceilMode?: boolean;
}

/** Options of `AvgPool2d` (PyTorch's, camel-cased). */
export interface AvgPoolLayerOptions {
  /** Step between windows (default, or null: the kernel size). */
  stride?: SizeArg | null;
  /** Zeros added on both sides of each spatial axis, at most half the kernel (default 0). */
  padding?: SizeArg;
  /** Round the number of windows up instead of down (default false). */
  ceilMode?: boolean;
  /** Whether the padding's zeros count in the divisor (default true). */
  countIncludePad?: boolean;
  /** A fixed divisor for every window instead of its size (default null). */
  divisorOverride?: number | null;
}

/** The output size of `AdaptiveAvgPool2d`: one number for both axes, or [H, W] where null keeps the input's size. */
export type AdaptiveSize = number | readonly [number | null, number | null];

/** Options of `Upsample` (PyTorch's `nn.Upsample`): exactly one of `size` and `scaleFactor`. */
export type UpsampleOptions = InterpolateOptions;

/** The pooling window's options, validated as PyTorch (padding at most half the kernel). */
function windowOptions(op: string, dims: number, kernelSize: unknown, stride: unknown, padding: unknown, dilation?: unknown): void {
  const k = spatialSizes(op, 'kernelSize', kernelSize, dims, 1);
  if (stride !== undefined && stride !== null) spatialSizes(op, 'stride', stride, dims, 1);
  const p = spatialSizes(op, 'padding', padding, dims, 0, 0);
  if (dilation !== undefined) spatialSizes(op, 'dilation', dilation, dims, 1);
  p.forEach((v, i) => {
    if (v > Math.floor(k[i]! / 2)) throw new ArgumentError(op, `padding must be at most half the kernel size, got padding ${show(padding)} for kernelSize ${show(kernelSize)}`);
  });
}

/** Checks that `x` is a tensor of `dims` spatial axes with a channel axis and an optional batch axis. */
function checkPoolInput(label: string, x: unknown, dims: number): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(label, `input must be a Tensor, got ${describe(x)}`);
  if (x.rank !== dims + 1 && x.rank !== dims + 2) {
    const axes = dims === 1 ? 'L' : 'H, W';
    throw new ShapeError(label, `expected input [N, C, ${axes}] or unbatched [C, ${axes}], got ${formatShape(x.shape)}`, [x.shape]);
  }
  return x;
}

/** A size option as given, for reprs: 2 or [2, 3]. */
const sizeText = (v: unknown): string => (Array.isArray(v) ? `[${v.map((d) => (typeof d === 'number' ? String(d) : show(d))).join(', ')}]` : typeof v === 'number' ? String(v) : show(v));

/** A size option as given, copied (arrays are not shared with the caller). */
const copy = <T>(v: T): T => (Array.isArray(v) ? (v.slice() as T) : v);

/**
 * Max pooling over 1 or 2 spatial axes (the base of MaxPool1d and MaxPool2d, PyTorch's
 * `_MaxPoolNd`): the options as given, the repr and `forwardWithIndices`.
 */
export abstract class MaxPoolNd extends Module {
  /** The window's size (as given). */
  readonly kernelSize: SizeArg;
  /** The step between windows (as given; the kernel size by default). */
  readonly stride: SizeArg;
  /** The −Infinity padding on both sides (as given). */
  readonly padding: SizeArg;
  /** The spacing of the window's elements (as given). */
  readonly dilation: SizeArg;
  /** PyTorch's return_indices, as given (see `forwardWithIndices`). */
  readonly returnIndices: boolean;
  /** Whether the number of windows is rounded up. */
  readonly ceilMode: boolean;
  /** The number of spatial axes (1 or 2). */
  readonly spatialDims: number;

  protected constructor(dims: 1 | 2, kernelSize: SizeArg, options: MaxPoolLayerOptions) {
    super();
    const op = `MaxPool${dims}d`;
    checkOptions(op, options);
    options ??= {};
    windowOptions(op, dims, kernelSize, options.stride, options.padding, options.dilation);
    this.kernelSize = copy(kernelSize);
    this.stride = copy(options.stride ?? kernelSize);
    this.padding = copy(options.padding ?? 0);
    this.dilation = copy(options.dilation ?? 1);
    this.returnIndices = boolOption(op, 'returnIndices', options.returnIndices, false);
    this.ceilMode = boolOption(op, 'ceilMode', options.ceilMode, false);
    this.spatialDims = dims;
  }

  /** The name used in errors: `MaxPool2d(kernelSize=2)`. */
  get label(): string {
    return `${this.typeName}(kernelSize=${sizeText(this.kernelSize)})`;
  }

  override extraRepr(): string {
    return `kernelSize=${sizeText(this.kernelSize)}, stride=${sizeText(this.stride)}, padding=${sizeText(this.padding)}, dilation=${sizeText(this.dilation)}, ceilMode=${this.ceilMode}` +
      (this.returnIndices ? ', returnIndices=true' : '');
  }

  /** The maxima of each window: [N, C, ...out] (or [C, ...out]). */
  forward(input: Tensor): Tensor {
    // values only: no arg-max pass (the op's backward finds the arg-max again)
    return this.#pool(input, false) as Tensor;
  }

  /**
   * The maxima and their indices (PyTorch's `(output, indices)` of `return_indices=True`): each
   * index a flat position in its input plane (H·W, or L), as a float tensor of integers.
   */
  forwardWithIndices(input: Tensor): PoolWithIndices {
    return this.#pool(input, true) as PoolWithIndices;
  }

  #pool(input: Tensor, returnIndices: boolean): Tensor | PoolWithIndices {
    const x = checkPoolInput(this.label, input, this.spatialDims);
    const fn = this.spatialDims === 1 ? maxPool1d : maxPool2d;
    const o = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    return named(this.label, () => (returnIndices ? fn(x, this.kernelSize, { ...o, returnIndices: true as const }) : fn(x, this.kernelSize, o)));
  }
}

/**
 * 1-D max pooling over [N, C, L] (or [C, L]), as `torch.nn.MaxPool1d`; the stride defaults to the
 * kernel size.
 *
 * @example
 * new MaxPool1d(2).call(randn([1, 4, 10])).shape; // [1, 4, 5]
 */
export class MaxPool1d extends MaxPoolNd {
  constructor(kernelSize: SizeArg, options: MaxPoolLayerOptions = {}) {
    super(1, kernelSize, options);
  }
}

/**
 * 2-D max pooling over [N, C, H, W] (or [C, H, W]), as `torch.nn.MaxPool2d`; the stride defaults to
 * the kernel size. `forwardWithIndices` also returns the arg-max positions.
 *
 * @example
 * new MaxPool2d(2).call(randn([1, 3, 8, 8])).shape; // [1, 3, 4, 4]
 */
export class MaxPool2d extends MaxPoolNd {
  constructor(kernelSize: SizeArg, options: MaxPoolLayerOptions = {}) {
    super(2, kernelSize, options);
  }
}

/**
 * 2-D average pooling over [N, C, H, W] (or [C, H, W]), as `torch.nn.AvgPool2d`: the stride
 * defaults to the kernel size; `countIncludePad` and `divisorOverride` set the divisor as PyTorch.
 *
 * @example
 * new AvgPool2d(2, { stride: 1 }).call(randn([1, 3, 8, 8])).shape; // [1, 3, 7, 7]
 */
export class AvgPool2d extends Module {
  /** The window's size (as given). */
  readonly kernelSize: SizeArg;
  /** The step between windows (as given; the kernel size by default). */
  readonly stride: SizeArg;
  /** The zero padding on both sides (as given). */
  readonly padding: SizeArg;
  /** Whether the number of windows is rounded up. */
  readonly ceilMode: boolean;
  /** Whether the padding's zeros count in the divisor. */
  readonly countIncludePad: boolean;
  /** The fixed divisor, or null. */
  readonly divisorOverride: number | null;

  constructor(kernelSize: SizeArg, options: AvgPoolLayerOptions = {}) {
    super();
    const op = 'AvgPool2d';
    checkOptions(op, options);
    options ??= {};
    windowOptions(op, 2, kernelSize, options.stride, options.padding);
    this.kernelSize = copy(kernelSize);
    this.stride = copy(options.stride ?? kernelSize);
    this.padding = copy(options.padding ?? 0);
    this.ceilMode = boolOption(op, 'ceilMode', options.ceilMode, false);
    this.countIncludePad = boolOption(op, 'countIncludePad', options.countIncludePad, true);
    const d = options.divisorOverride ?? null;
    if (d !== null) checkPositiveInt(op, 'divisorOverride', d);
    this.divisorOverride = d;
  }

  /** The name used in errors: `AvgPool2d(kernelSize=2)`. */
  get label(): string {
    return `AvgPool2d(kernelSize=${sizeText(this.kernelSize)})`;
  }

  override extraRepr(): string {
    return `kernelSize=${sizeText(this.kernelSize)}, stride=${sizeText(this.stride)}, padding=${sizeText(this.padding)}` +
      (this.ceilMode ? ', ceilMode=true' : '') + (this.countIncludePad ? '' : ', countIncludePad=false') +
      (this.divisorOverride === null ? '' : `, divisorOverride=${this.divisorOverride}`);
  }

  /** The mean of each window: [N, C, Hout, Wout] (or [C, Hout, Wout]). */
  forward(input: Tensor): Tensor {
    const x = checkPoolInput(this.label, input, 2);
    const o = { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride };
    return named(this.label, () => avgPool2d(x, this.kernelSize, o));
  }
}

/**
 * 2-D adaptive average pooling to a fixed output size, as `torch.nn.AdaptiveAvgPool2d`: window i
 * of an axis of size H covers [floor(i·H/out), ceil((i + 1)·H/out)). A null entry of `outputSize`
 * keeps the input's size on that axis.
 *
 * @example
 * new AdaptiveAvgPool2d([1, 1]).call(randn([2, 64, 7, 7])).shape; // [2, 64, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  /** The output size (as given). */
  readonly outputSize: AdaptiveSize;

  constructor(outputSize: AdaptiveSize) {
    super();
    const ok = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;
    if (!(ok(outputSize) || (Array.isArray(outputSize) && outputSize.length === 2 && outputSize.every((v) => v === null || ok(v))))) {
      throw new ArgumentError('AdaptiveAvgPool2d', `outputSize must be a positive integer or a list of 2 positive integers or nulls, got ${show(outputSize)}`);
    }
    this.outputSize = copy(outputSize);
  }

  /** The name used in errors: `AdaptiveAvgPool2d([1, 1])`. */
  get label(): string {
    return `AdaptiveAvgPool2d(${sizeText(this.outputSize)})`;
  }

  override extraRepr(): string {
    return `outputSize=${sizeText(this.outputSize)}`;
  }

  /** The mean of each adaptive window: [N, C, outH, outW] (or [C, outH, outW]). */
  forward(input: Tensor): Tensor {
    const x = checkPoolInput(this.label, input, 2);
    // the output's size is checked here: autograd's adaptiveAvgPool2d allocates it (and its window
    // matrices, out × in per axis) unchecked
    const out = typeof this.outputSize === 'number' ? [this.outputSize, this.outputSize] : this.outputSize.map((v, i) => v ?? x.shape[x.rank - 2 + i]!);
    const total = x.shape.slice(0, -2).reduce((a, d) => a * d, 1) * out[0]! * out[1]!;
    if (total > MAX_ELEMENTS || out.some((o, i) => o * x.shape[x.rank - 2 + i]! > MAX_ELEMENTS)) {
      throw new ShapeError(this.label, `an output of ${formatShape([...x.shape.slice(0, -2), ...out])} for input ${formatShape(x.shape)} is above memograd's limit of ${MAX_ELEMENTS} elements`, [x.shape]);
    }
    return named(this.label, () => adaptiveAvgPool2d(x, this.outputSize as number | (number | null)[]));
  }
}

/**
 * Upsamples [N, C, L] or [N, C, H, W] to `size` or by `scaleFactor`, as `torch.nn.Upsample`: a
 * module around `interpolate` ('nearest' by default, 'linear' for 3-D and 'bilinear' for 4-D input).
 *
 * @example
 * new Upsample({ scaleFactor: 2, mode: 'bilinear' }).call(randn([1, 3, 4, 4])).shape; // [1, 3, 8, 8]
 */
export class Upsample extends Module {
  /** The options passed to `interpolate` (a copy of the constructor's). */
  readonly options: Readonly<UpsampleOptions>;

  constructor(options: UpsampleOptions) {
    super();
    const op = 'Upsample';
    if (options === null || typeof options !== 'object') throw new ArgumentError(op, `options must be an object with size or scaleFactor, got ${describe(options)}`);
    const known = ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'];
    const unknown = Object.keys(options).filter((k) => !known.includes(k));
    if (unknown.length > 0) throw new ArgumentError(op, `unknown option '${unknown[0]}' (known: ${known.join(', ')})`);
    const o: UpsampleOptions = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined).map(([k, v]) => [k, copy(v)]));
    if ((o.size === undefined) === (o.scaleFactor === undefined)) throw new ArgumentError(op, o.size === undefined ? 'give either size or scaleFactor' : 'give only one of size and scaleFactor');
    const mode = o.mode ?? 'nearest';
    if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear') throw new ArgumentError(op, `mode must be 'nearest', 'linear' or 'bilinear', got ${typeof mode === 'string' ? `'${mode}'` : describe(mode)}`);
    if (o.alignCorners !== undefined && mode === 'nearest') throw new ArgumentError(op, `alignCorners can only be set with the interpolating modes 'linear' and 'bilinear', not 'nearest'`);
    if (o.alignCorners !== undefined) boolOption(op, 'alignCorners', o.alignCorners, false);
    if (o.recomputeScaleFactor !== undefined) boolOption(op, 'recomputeScaleFactor', o.recomputeScaleFactor, false);
    this.options = Object.freeze(o);
  }

  /** The name used in errors: `Upsample(scaleFactor=2, mode='nearest')`. */
  get label(): string {
    return `Upsample(${this.extraRepr()})`;
  }

  override extraRepr(): string {
    const o = this.options;
    return (o.size !== undefined ? `size=${sizeText(o.size)}` : `scaleFactor=${sizeText(o.scaleFactor)}`) + `, mode='${o.mode ?? 'nearest'}'` +
      (o.alignCorners !== undefined ? `, alignCorners=${o.alignCorners}` : '');
  }

  /** The resampled input. */
  forward(input: Tensor): Tensor {
    if (!(input instanceof Tensor)) throw new ArgumentError(this.label, `input must be a Tensor, got ${describe(input)}`);
    return named(this.label, () => interpolate(input, this.options));
  }
}

/**
 * Rearranges [*, C·r², H, W] into [*, C, H·r, W·r], as `torch.nn.PixelShuffle` (sub-pixel
 * convolution's upsampling).
 *
 * @example
 * new PixelShuffle(2).call(randn([1, 12, 4, 4])).shape; // [1, 3, 8, 8]
 */
export class PixelShuffle extends Module {
  constructor(
    /** The upscale factor r. */
    readonly upscaleFactor: number,
  ) {
    super();
    checkPositiveInt('PixelShuffle', 'upscaleFactor', upscaleFactor);
  }

  override extraRepr(): string {
    return `upscaleFactor=${this.upscaleFactor}`;
  }

  /** The shuffled input. */
  forward(input: Tensor): Tensor {
    const label = `PixelShuffle(${this.upscaleFactor})`;
    if (!(input instanceof Tensor)) throw new ArgumentError(label, `input must be a Tensor, got ${describe(input)}`);
    return named(label, () => pixelShuffle(input, this.upscaleFactor));
  }
}

/**
 * Rearranges [*, C, H·r, W·r] into [*, C·r², H, W] (the inverse of PixelShuffle), as
 * `torch.nn.PixelUnshuffle`.
 *
 * @example
 * new PixelUnshuffle(2).call(randn([1, 3, 8, 8])).shape; // [1, 12, 4, 4]
 */
export class PixelUnshuffle extends Module {
  constructor(
    /** The downscale factor r. */
    readonly downscaleFactor: number,
  ) {
    super();
    checkPositiveInt('PixelUnshuffle', 'downscaleFactor', downscaleFactor);
  }

  override extraRepr(): string {
    return `downscaleFactor=${this.downscaleFactor}`;
  }

  /** The unshuffled input. */
  forward(input: Tensor): Tensor {
    const label = `PixelUnshuffle(${this.downscaleFactor})`;
    if (!(input instanceof Tensor)) throw new ArgumentError(label, `input must be a Tensor, got ${describe(input)}`);
    return named(label, () => pixelUnshuffle(input, this.downscaleFactor));
  }
}
