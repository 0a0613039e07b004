/**
 * Convolution layers with PyTorch 1.13's arguments, parameters and defaults: Conv1d, Conv2d and
 * ConvTranspose2d. Parameters are named as PyTorch's (`weight` [out, in/groups, k...] for a
 * convolution, [in, out/groups, kH, kW] for the transposed one; `bias` [out]), so a state dict moves
 * between the two unchanged. Each layer wraps autograd's `conv1d` / `conv2d` / `convTranspose2d`
 * function ops (im2col and one batched product), so gradients of every order come from the tape.
 *
 * Pooling, upsampling and pixel-shuffle layers are in pool-layers.ts.
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, conv1d, conv2d, convTranspose2d, defaultGenerator, formatShape, pad, zeros } from '@memograd/autograd';
import type { DType, Generator, SizeArg } from '@memograd/autograd';
import { Module, Parameter, checkOptions, describe, show } from './module.ts';
import { kaimingUniform_, uniform_ } from './init.ts';
import { named } from './errors.ts';
import { boolOption, checkDType, checkGenerator, checkPositiveInt } from './checks.ts';

/** PyTorch's `padding_mode` of a convolution: how the input is padded before the product. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** A convolution's `padding`: zeros on both sides of each spatial axis, or 'same' / 'valid'. */
export type ConvPadding = SizeArg | 'same' | 'valid';

/** Options of `Conv1d` and `Conv2d` (PyTorch's, camel-cased). Sizes are one number or one per spatial axis. */
export interface ConvLayerOptions {
  /** Step between windows (default 1). */
  stride?: SizeArg;
  /**
   * Padding on both sides of each spatial axis (default 0); 'valid' is 0, and 'same' pads so that
   * the output has the input's size (stride 1 only; an odd total puts the extra element after).
   */
  padding?: ConvPadding;
  /** Spacing of the kernel's elements (default 1). */
  dilation?: SizeArg;
  /** Blocked connections: input and output channels split into this many groups (default 1). */
  groups?: number;
  /** Whether the layer has a learned bias (default true). */
  bias?: boolean;
  /** 'zeros' (default), 'reflect', 'replicate' or 'circular' padding. */
  paddingMode?: PaddingMode;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** The generator for the initial weights (default: the global one). */
  generator?: Generator;
}

/** Options of `ConvTranspose2d` (PyTorch's, camel-cased). */
export interface ConvTransposeLayerOptions {
  /** Step between the input's positions in the output (default 1). */
  stride?: SizeArg;
  /** Removed from both sides of the output: dilation·(k − 1) − padding zeros of the adjoint convolution (default 0). */
  padding?: SizeArg;
  /** Added to one side of the output's size, to pick among the sizes a strided convolution maps to one size (default 0). */
  outputPadding?: SizeArg;
  /** Blocked connections (default 1). */
  groups?: number;
  /** Whether the layer has a learned bias (default true). */
  bias?: boolean;
  /** Spacing of the kernel's elements (default 1). */
  dilation?: SizeArg;
  /** Only 'zeros', as in PyTorch. */
  paddingMode?: 'zeros';
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** The generator for the initial weights (default: the global one). */
  generator?: Generator;
}

/** The options of either kind, as the base reads them. */
type AnyConvOptions = ConvLayerOptions & Omit<ConvTransposeLayerOptions, 'padding' | 'paddingMode'>;

/**
 * One integer per spatial axis from a number or a list of `dims` numbers, each at least `min`;
 * `fallback` when undefined. Throws an ArgumentError naming the layer and the argument.
 * @internal
 */
export function spatialSizes(op: string, name: string, v: unknown, dims: number, min: 0 | 1, fallback?: number): number[] {
  if (v === undefined && fallback !== undefined) return new Array<number>(dims).fill(fallback);
  const list = typeof v === 'number' ? new Array<number>(dims).fill(v) : Array.isArray(v) && v.length === dims ? (v.slice() as unknown[]) : null;
  if (list === null || list.some((d) => !Number.isSafeInteger(d) || (d as number) < min)) {
    const kind = min === 1 ? 'positive' : 'non-negative';
    throw new ArgumentError(op, `${name} must be a ${kind} integer or a list of ${dims} ${kind} integers, got ${show(v)}`);
  }
  return list as number[];
}

/** The error of an input whose dtype is not the weights'. @internal */
export function dtypeMismatch(label: string, input: DType, weights: DType): DTypeError {
  return new DTypeError(label, `input is ${input} but the layer's weights are ${weights}; convert the input with .to('${weights}') or create the layer with { dtype: '${input}' }`);
}

/** `[1, 2]` → '[1, 2]'; for reprs. */
const list = (a: readonly number[]): string => `[${a.join(', ')}]`;

/**
 * The base of Conv1d, Conv2d and ConvTranspose2d (PyTorch's `_ConvNd`): the configuration, the
 * parameters with PyTorch's default initialisation, the repr and the input checks.
 */
export abstract class ConvNd extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** The kernel's size along each spatial axis. */
  readonly kernelSize: readonly number[];
  /** The stride along each spatial axis. */
  readonly stride: readonly number[];
  /** The padding along each spatial axis, or 'same' / 'valid'. */
  readonly padding: readonly number[] | 'same' | 'valid';
  /** The dilation along each spatial axis. */
  readonly dilation: readonly number[];
  /** The transposed convolution's extra output size along each spatial axis (zeros for a convolution). */
  readonly outputPadding: readonly number[];
  /** Channel groups. */
  readonly groups: number;
  /** How the input is padded ('zeros' unless set). */
  readonly paddingMode: PaddingMode;
  /** Whether this is a transposed convolution. */
  readonly transposed: boolean;
  /** The kernel: [out, in/groups, ...kernel] ([in, out/groups, ...kernel] when transposed). */
  weight: Parameter;
  /** The bias [out], or null without bias. */
  bias: Parameter | null;

  protected constructor(dims: 1 | 2, transposed: boolean, inChannels: number, outChannels: number, kernelSize: SizeArg, options: AnyConvOptions) {
    super();
    const op = `${transposed ? 'ConvTranspose' : 'Conv'}${dims}d`;
    checkPositiveInt(op, 'inChannels', inChannels);
    checkPositiveInt(op, 'outChannels', outChannels);
    this.kernelSize = spatialSizes(op, 'kernelSize', kernelSize, dims, 1);
    checkOptions(op, options);
    options ??= {};
    this.stride = spatialSizes(op, 'stride', options.stride, dims, 1, 1);
    const p = options.padding;
    if (typeof p === 'string') {
      if (transposed) throw new ArgumentError(op, `padding must be a non-negative integer or a list of ${dims}; '${p}' is for convolutions, not transposed ones`);
      if (p !== 'same' && p !== 'valid') throw new ArgumentError(op, `padding must be 'same', 'valid', a non-negative integer or a list of ${dims}, got '${p}'`);
      if (p === 'same' && this.stride.some((s) => s !== 1)) throw new ArgumentError(op, `padding 'same' is not supported for strided convolutions (stride ${list(this.stride)}), as in PyTorch`);
      this.padding = p;
    } else {
      this.padding = spatialSizes(op, 'padding', p, dims, 0, 0);
    }
    this.dilation = spatialSizes(op, 'dilation', options.dilation, dims, 1, 1);
    if (!transposed && options.outputPadding !== undefined) throw new ArgumentError(op, 'outputPadding is an option of the transposed convolutions');
    this.outputPadding = spatialSizes(op, 'outputPadding', options.outputPadding, dims, 0, 0);
    this.outputPadding.forEach((q, i) => {
      if (q >= this.stride[i]! && q >= this.dilation[i]!) {
        throw new ArgumentError(op, `outputPadding ${show(options.outputPadding)} must be smaller than either stride ${list(this.stride)} or dilation ${list(this.dilation)} in each dimension`);
      }
    });
    const groups = options.groups ?? 1;
    checkPositiveInt(op, 'groups', groups);
    if (inChannels % groups !== 0) throw new ArgumentError(op, `inChannels (${inChannels}) must be divisible by groups (${groups})`);
    if (outChannels % groups !== 0) throw new ArgumentError(op, `outChannels (${outChannels}) must be divisible by groups (${groups})`);
    this.groups = groups;
    const mode = options.paddingMode ?? 'zeros';
    const modes = transposed ? ['zeros'] : ['zeros', 'reflect', 'replicate', 'circular'];
    if (!modes.includes(mode)) {
      throw new ArgumentError(op, transposed
        ? `only paddingMode 'zeros' is supported for ${op}, got ${typeof mode === 'string' ? `'${mode}'` : describe(mode)}`
        : `paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', got ${typeof mode === 'string' ? `'${mode}'` : describe(mode)}`);
    }
    this.paddingMode = mode;
    this.transposed = transposed;
    const dtype = checkDType(op, options.dtype);
    checkGenerator(op, options.generator);
    const hasBias = boolOption(op, 'bias', options.bias, true);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    const g = options.generator ?? defaultGenerator;
    const shape = transposed ? [inChannels, outChannels / groups, ...this.kernelSize] : [outChannels, inChannels / groups, ...this.kernelSize];
    // PyTorch's reset_parameters: kaiming_uniform_(a=√5) = U(±1/√fanIn), fanIn = shape[1]·∏kernel; the bias likewise
    const w = named(op, () => zeros(shape, { dtype }));
    kaimingUniform_(w, { a: Math.sqrt(5), generator: g });
    this.weight = new Parameter(w);
    if (hasBias) {
      const b = named(op, () => zeros([outChannels], { dtype }));
      const bound = 1 / Math.sqrt(shape[1]! * this.kernelSize.reduce((a, k) => a * k, 1));
      uniform_(b, -bound, bound, { generator: g });
      this.bias = new Parameter(b);
    } else {
      this.bias = null;
    }
  }

  /** The number of spatial axes (1 or 2). */
  get spatialDims(): number {
    return this.kernelSize.length;
  }

  /** The name used in errors: `Conv2d(3 → 8, kernelSize=[3, 3])`. */
  get label(): string {
    return `${this.typeName}(${this.inChannels} → ${this.outChannels}, kernelSize=${list(this.kernelSize)})`;
  }

  override extraRepr(): string {
    const ext = [`${this.inChannels}, ${this.outChannels}, kernelSize=${list(this.kernelSize)}, stride=${list(this.stride)}`];
    if (typeof this.padding === 'string') ext.push(`padding='${this.padding}'`);
    else if (this.padding.some((v) => v !== 0)) ext.push(`padding=${list(this.padding)}`);
    if (this.dilation.some((v) => v !== 1)) ext.push(`dilation=${list(this.dilation)}`);
    if (this.outputPadding.some((v) => v !== 0)) ext.push(`outputPadding=${list(this.outputPadding)}`);
    if (this.groups !== 1) ext.push(`groups=${this.groups}`);
    if (this.bias === null) ext.push('bias=false');
    if (this.paddingMode !== 'zeros') ext.push(`paddingMode='${this.paddingMode}'`);
    return ext.join(', ');
  }

}

/** Checks that `x` is a tensor [N, inChannels, ...spatial] or unbatched [inChannels, ...spatial] of the weights' dtype. */
function checkInput(m: ConvNd, x: unknown): Tensor {
  const op = m.label;
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `input must be a Tensor, got ${describe(x)}`);
  const d = m.spatialDims;
  const axes = d === 1 ? 'L' : 'H, W';
  const c = m.inChannels;
  if ((x.rank !== d + 1 && x.rank !== d + 2) || x.shape[x.rank - d - 1] !== c) {
    throw new ShapeError(op, `expected input [N, ${c}, ${axes}] or unbatched [${c}, ${axes}], got ${formatShape(x.shape)}`, [x.shape]);
  }
  if (x.dtype !== m.weight.dtype) throw dtypeMismatch(op, x.dtype, m.weight.dtype);
  return x;
}

/** Conv1d and Conv2d's forward: the (optional) non-zero padding, then the convolution. */
function convolve(m: ConvNd, input: Tensor): Tensor {
  const x = checkInput(m, input);
  const op = m.label;
  const fn = m.spatialDims === 1 ? conv1d : conv2d;
  const opts = { stride: m.stride, dilation: m.dilation, groups: m.groups };
  if (m.paddingMode === 'zeros') return named(op, () => fn(x, m.weight, m.bias, { ...opts, padding: m.padding }));
  // PyTorch's _reversed_padding_repeated_twice: (left, right) pairs from the last axis, 'same' split with the odd one after
  const pairs = m.kernelSize.map((k, i): [number, number] => {
    if (m.padding === 'valid') return [0, 0];
    if (m.padding === 'same') {
      const total = m.dilation[i]! * (k - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    }
    return [m.padding[i]!, m.padding[i]!];
  });
  const pads = pairs.reverse().flat();
  return named(op, () => fn(pad(x, pads, { mode: m.paddingMode as 'reflect' | 'replicate' | 'circular' }), m.weight, m.bias, { ...opts, padding: 0 }));
}

/**
 * 1-D convolution over [N, C, L] (or unbatched [C, L]), as `torch.nn.Conv1d`: weight
 * [outChannels, inChannels/groups, kernelSize], bias [outChannels]; both initialised uniformly in
 * ±1/√(inChannels/groups · kernelSize).
 *
 * @example
 * const conv = new Conv1d(4, 8, 3, { padding: 'same' });
 * conv.call(randn([2, 4, 50])).shape; // [2, 8, 50]
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SizeArg, options: ConvLayerOptions = {}) {
    super(1, false, inChannels, outChannels, kernelSize, options);
  }

  /** The convolution of [N, inChannels, L] (or [inChannels, L]): [N, outChannels, Lout]. */
  forward(input: Tensor): Tensor {
    return convolve(this, input);
  }
}

/**
 * 2-D convolution over [N, C, H, W] (or unbatched [C, H, W]), as `torch.nn.Conv2d`: weight
 * [outChannels, inChannels/groups, kH, kW], bias [outChannels]; both initialised uniformly in
 * ±1/√(inChannels/groups · kH · kW).
 *
 * @example
 * const conv = new Conv2d(3, 16, 3, { stride: 2, padding: 1 });
 * conv.call(randn([1, 3, 32, 32])).shape; // [1, 16, 16, 16]
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SizeArg, options: ConvLayerOptions = {}) {
    super(2, false, inChannels, outChannels, kernelSize, options);
  }

  /** The convolution of [N, inChannels, H, W] (or [inChannels, H, W]): [N, outChannels, Hout, Wout]. */
  forward(input: Tensor): Tensor {
    return convolve(this, input);
  }
}

/**
 * 2-D transposed convolution (the gradient of Conv2d with respect to its input) over [N, C, H, W]
 * (or [C, H, W]), as `torch.nn.ConvTranspose2d`: weight [inChannels, outChannels/groups, kH, kW],
 * bias [outChannels], both uniform in ±1/√(outChannels/groups · kH · kW). The output is
 * (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1 high (likewise wide); pass
 * `outputSize` to `call` / `forward` to pick the size instead of `outputPadding`, as in PyTorch.
 *
 * @example
 * const up = new ConvTranspose2d(16, 3, 3, { stride: 2, padding: 1 });
 * up.call(randn([1, 16, 16, 16]), [32, 32]).shape; // [1, 3, 32, 32]
 */
export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SizeArg, options: ConvTransposeLayerOptions = {}) {
    super(2, true, inChannels, outChannels, kernelSize, options);
  }

  override call(input: Tensor, outputSize?: readonly number[]): Tensor {
    if (!(input instanceof Tensor)) throw new ArgumentError(`${this.label}.call`, `input must be a Tensor, got ${describe(input)}`);
    return this.forward(input, outputSize);
  }

  /**
   * The transposed convolution of `input`. `outputSize` ([H, W], or the whole output shape) picks
   * the output's size among those the stride allows, replacing `outputPadding` (PyTorch's
   * `output_size`).
   */
  forward(input: Tensor, outputSize?: readonly number[]): Tensor {
    const x = checkInput(this, input);
    const outputPadding = outputSize === undefined || outputSize === null ? this.outputPadding : paddingFor(this, x, outputSize);
    const o = { stride: this.stride, padding: this.padding as readonly number[], outputPadding, dilation: this.dilation, groups: this.groups };
    return named(this.label, () => convTranspose2d(x, this.weight, this.bias, o));
  }
}

/** PyTorch's `_output_padding`: the output padding that gives `outputSize`, checked against the sizes the stride allows. */
function paddingFor(m: ConvTranspose2d, x: Tensor, outputSize: unknown): number[] {
  const op = m.label;
  const d = m.spatialDims;
  const lead = x.rank - d;
  if (!Array.isArray(outputSize) || outputSize.some((v) => !Number.isSafeInteger(v) || (v as number) < 0)) {
    throw new ArgumentError(op, `outputSize must be a list of non-negative integers, got ${show(outputSize)}`);
  }
  if (outputSize.length !== d && outputSize.length !== d + lead) {
    throw new ArgumentError(op, `for input ${formatShape(x.shape)}, outputSize must have ${d} or ${d + lead} elements, got ${show(outputSize)}`);
  }
  const size = (outputSize as number[]).slice(outputSize.length - d);
  const padding = m.padding as readonly number[];
  return size.map((s, i) => {
    const min = (x.shape[lead + i]! - 1) * m.stride[i]! - 2 * padding[i]! + m.dilation[i]! * (m.kernelSize[i]! - 1) + 1;
    const max = min + m.stride[i]! - 1;
    if (s < min || s > max) {
      throw new ShapeError(op, `requested an output size of ${list(size)}, but valid sizes range from ${min} to ${max} along axis ${i} (for an input of ${formatShape(x.shape.slice(lead))})`, [x.shape]);
    }
    return s - min;
  });
}
