/**
 * Whole-model architecture as JSON (Keras's `model.to_json()` / `model_from_json`): a `Sequential`
 * of memograd's built-in layers, each with the options its constructor was given. The weights are
 * not in it: they go in a safetensors file (`saveWeights`); `saveModel` / `loadModel` in
 * `@memograd/nn/node` write and read both in one directory. Pure (no `node:`): runs in browsers.
 *
 * Each built-in layer class has one entry in a registry below: how to read its options back from an
 * instance (Keras's `get_config`), which keys and types its JSON config has, and how to construct it
 * again (Keras's `from_config`). A layer whose class is not registered (a user's own Module, or a
 * subclass of a built-in one) cannot be saved whole: its forward is code, not configuration.
 */
import { ArgumentError, Generator, MemogradError } from '@memograd/autograd';
import type { DType } from '@memograd/autograd';
import { Module, describe, show } from './module.ts';
import { problemList, text } from './errors.ts';
import {
  Dense, Dropout, ELU, Flatten, GELU, Identity, LayerNorm, LeakyReLU, Linear, LogSoftmax, ReLU, Sequential, SiLU,
  Sigmoid, Softmax, Softplus, Tanh,
} from './layers.ts';
import type { ActivationName, BatchNormOptions } from './layers.ts';
import { isBuiltInRegularizer, makeRegularizer } from './regularizers.ts';
import { Conv1d, Conv2d, ConvTranspose2d } from './conv-layers.ts';
import { NormBase, BatchNorm1d, BatchNorm2d, BatchNorm3d, Embedding, GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './norm-layers.ts';
import type { ConvNd, PaddingMode } from './conv-layers.ts';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool1d, MaxPool2d, PixelShuffle, PixelUnshuffle, Upsample } from './pool-layers.ts';
import type { AdaptiveSize, MaxPoolNd, UpsampleOptions } from './pool-layers.ts';

/** The `format` field of a saved architecture. */
export const MODEL_FORMAT = 'memograd.model';
/** The architecture format this version writes and reads; a file with another version is refused. */
export const MODEL_FORMAT_VERSION = 1;

/** A JSON value. */
export type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };

/** One layer in a saved architecture: its class name and constructor options. */
export interface LayerJSON {
  /** The built-in class: 'Linear', 'Dense', 'ReLU', 'Dropout', 'BatchNorm1d', 'Sequential', ... */
  class: string;
  /** Its options (for Sequential: `{ layers: LayerJSON[] }`). */
  config: { [key: string]: JSONValue };
}

/** What `modelToJSON` returns and `modelFromJSON` reads (the `model.json` of a saved model). */
export interface ModelJSON {
  /** Always 'memograd.model'. */
  format: string;
  /** The format version (1). */
  formatVersion: number;
  /** Whether the model was in training mode (`model.training`) when saved. */
  training: boolean;
  /** The model: a Sequential and its layers. */
  model: LayerJSON;
}

/**
 * A saved model that cannot be loaded: malformed JSON, an unknown layer, bad options, another
 * format version, a missing or corrupt file, or weights that do not fit the architecture. Every
 * problem found is listed; nothing is returned.
 */
export class ModelFormatError extends MemogradError {
  /** Every problem found, one per line of the message. */
  readonly problems: readonly string[];
  constructor(op: string, problems: readonly string[]) {
    const { list, message } = problemList(problems);
    super(text(op), message);
    this.problems = list;
  }
}

// ---------------------------------------------------------------------------------------------
// The registry

type Config = { [key: string]: JSONValue };
/** A config key's check: a problem description, or null when the value is acceptable. */
type Check = (v: unknown) => string | null;

interface LayerSpec {
  /** The exact class (subclasses are not this layer). */
  cls: abstract new (...args: never[]) => Module;
  /** The instance's options as JSON (throws a message string for what cannot be saved). */
  config(m: Module): Config;
  /** Each config key and its check; a key not listed is refused, a listed key may be absent where `optional` says so. */
  keys: Record<string, Check>;
  /** Keys that may be absent (their constructor default applies). */
  optional?: readonly string[];
  /** Constructs the layer from a checked config. */
  build(c: Config, path: string, problems: string[]): Module;
}

const isInt: Check = (v) => (Number.isInteger(v) ? null : `must be an integer, got ${show(v)}`);
const isPosInt: Check = (v) => (Number.isInteger(v) && (v as number) > 0 ? null : `must be a positive integer, got ${show(v)}`);
const isNum: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? null : `must be a finite number, got ${show(v)}`);
const isBool: Check = (v) => (typeof v === 'boolean' ? null : `must be true or false, got ${show(v)}`);
const isDType: Check = (v) => (v === 'float32' || v === 'float64' ? null : `must be 'float32' or 'float64', got ${show(v)}`);
const orNull = (c: Check): Check => (v) => (v === null ? null : c(v));
const isRegularizer: Check = (v) =>
  v === null || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 2 && isNum((v as Config).l1) === null && isNum((v as Config).l2) === null && ((v as Config).l1 as number) >= 0 && ((v as Config).l2 as number) >= 0)
    ? null
    : `must be null or { l1, l2 } with non-negative numbers, got ${show(v)}`;
const isShape: Check = (v) => (Array.isArray(v) && v.length > 0 && v.every((d) => Number.isInteger(d) && d > 0) ? null : `must be a non-empty array of positive integers, got ${show(v)}`);

/** Why a layer instance cannot be written (caught and re-thrown as an ArgumentError naming the layer). */
class Unsavable extends Error {}

/** A number an instance holds, refused when JSON cannot write it (Infinity, NaN). */
function finite(what: string, v: number): number {
  if (!Number.isFinite(v)) throw new Unsavable(`${what} is ${String(v)}, which JSON cannot hold`);
  return v;
}

/** The element type of a layer's first tensor (its weights define it; `to()` may have changed it). */
function dtypeOf(m: Module): DType {
  return m.stateEntries()[0]?.[1].dtype ?? 'float32';
}

function regularizerJSON(what: string, r: unknown): JSONValue {
  if (r === null || r === undefined) return null;
  if (!isBuiltInRegularizer(r)) throw new Unsavable(`${what} is not one of regularizers.l1 / l2 / l1l2 (a custom penalty is code, not configuration)`);
  return { l1: finite(`${what}.l1`, r.l1), l2: finite(`${what}.l2`, r.l2) };
}

/** A parameterless activation layer. */
function plain(cls: new () => Module): LayerSpec {
  return { cls, config: () => ({}), keys: {}, build: () => new cls() };
}

/** The generator used while rebuilding: the weights are overwritten, so the global one must not advance. */
const scratch = (): Generator => new Generator(0);

function linearSpec(cls: typeof Linear): LayerSpec {
  return {
    cls,
    config(m) {
      const l = m as Linear;
      if (typeof l.activation === 'function') throw new Unsavable(`its activation is a function (${l.activation.name || 'anonymous'}), which cannot be saved; pass an activation name ('relu', ...) or use an activation layer`);
      return {
        inFeatures: l.inFeatures, outFeatures: l.outFeatures, bias: l.bias !== null, dtype: dtypeOf(l), activation: l.activation,
        kernelRegularizer: regularizerJSON('kernelRegularizer', l.kernelRegularizer), biasRegularizer: regularizerJSON('biasRegularizer', l.biasRegularizer),
      };
    },
    keys: {
      inFeatures: isPosInt, outFeatures: isPosInt, bias: isBool, dtype: isDType,
      activation: (v) => (v === null || typeof v === 'string' ? null : `must be null or an activation name, got ${show(v)}`),
      kernelRegularizer: isRegularizer, biasRegularizer: isRegularizer,
    },
    optional: ['bias', 'dtype', 'activation', 'kernelRegularizer', 'biasRegularizer'],
    build: (c) => {
      const reg = (r: JSONValue | undefined) => (r === null || r === undefined ? undefined : makeRegularizer((r as Config).l1 as number, (r as Config).l2 as number));
      return new cls(c.inFeatures as number, c.outFeatures as number, {
        bias: c.bias as boolean | undefined, dtype: c.dtype as DType | undefined, generator: scratch(),
        activation: (c.activation ?? undefined) as ActivationName | undefined,
        kernelRegularizer: reg(c.kernelRegularizer), biasRegularizer: reg(c.biasRegularizer),
      });
    },
  };
}

// conv-layers: sizes are a number or a list; the constructors check the lengths and ranges
const isSize = (min: number): Check => (v) =>
  (Number.isInteger(v) && (v as number) >= min) || (Array.isArray(v) && v.length > 0 && v.every((d) => Number.isInteger(d) && d >= min))
    ? null
    : `must be an integer or a list of integers (each at least ${min}), got ${show(v)}`;
const isScale: Check = (v) => (isNum(v) === null || (Array.isArray(v) && v.length > 0 && v.every((d) => isNum(d) === null)) ? null : `must be a number or a list of numbers, got ${show(v)}`);

function convSpec(cls: typeof Conv1d | typeof Conv2d | typeof ConvTranspose2d, transposed: boolean): LayerSpec {
  return {
    cls,
    config(m) {
      const c = m as ConvNd;
      const config: Config = {
        inChannels: c.inChannels, outChannels: c.outChannels, kernelSize: [...c.kernelSize], stride: [...c.stride],
        padding: typeof c.padding === 'string' ? c.padding : [...c.padding], dilation: [...c.dilation], groups: c.groups, bias: c.bias !== null, dtype: dtypeOf(c),
      };
      if (transposed) config.outputPadding = [...c.outputPadding];
      else config.paddingMode = c.paddingMode;
      return config;
    },
    keys: {
      inChannels: isPosInt, outChannels: isPosInt, kernelSize: isSize(1), stride: isSize(1),
      padding: transposed ? isSize(0) : (v) => (v === 'same' || v === 'valid' ? null : isSize(0)(v)), dilation: isSize(1), groups: isPosInt, bias: isBool, dtype: isDType,
      ...(transposed ? { outputPadding: isSize(0) } : { paddingMode: (v: unknown) => (typeof v === 'string' ? null : `must be a padding mode name, got ${show(v)}`) }),
    },
    optional: ['stride', 'padding', 'dilation', 'groups', 'bias', 'dtype', transposed ? 'outputPadding' : 'paddingMode'],
    build: (c) => new (cls as typeof Conv2d)(c.inChannels as number, c.outChannels as number, c.kernelSize as number[], {
      stride: c.stride as number[] | undefined, padding: c.padding as number[] | undefined, dilation: c.dilation as number[] | undefined, groups: c.groups as number | undefined,
      bias: c.bias as boolean | undefined, dtype: c.dtype as DType | undefined, generator: scratch(),
      ...(transposed ? { outputPadding: c.outputPadding as number[] | undefined } as object : { paddingMode: c.paddingMode as PaddingMode | undefined }),
    }),
  };
}

function maxPoolSpec(cls: typeof MaxPool1d | typeof MaxPool2d): LayerSpec {
  return {
    cls,
    config: (m) => {
      const p = m as MaxPoolNd;
      return { kernelSize: p.kernelSize as JSONValue, stride: p.stride as JSONValue, padding: p.padding as JSONValue, dilation: p.dilation as JSONValue, ceilMode: p.ceilMode, returnIndices: p.returnIndices };
    },
    keys: { kernelSize: isSize(1), stride: isSize(1), padding: isSize(0), dilation: isSize(1), ceilMode: isBool, returnIndices: isBool },
    optional: ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'],
    build: (c) => new cls(c.kernelSize as number[], {
      stride: c.stride as number[] | undefined, padding: c.padding as number[] | undefined, dilation: c.dilation as number[] | undefined,
      ceilMode: c.ceilMode as boolean | undefined, returnIndices: c.returnIndices as boolean | undefined,
    }),
  };
}


/** A batch or instance norm's spec: the constructor takes (numFeatures, options) with the same fields. */
function normSpec(cls: new (numFeatures: number, options: BatchNormOptions) => NormBase): LayerSpec {
  return {
    cls,
    config: (m) => {
      const b = m as NormBase;
      return {
        numFeatures: b.numFeatures, eps: finite('eps', b.eps), momentum: b.momentum === null ? null : finite('momentum', b.momentum),
        affine: b.affine, trackRunningStats: b.trackRunningStats, dtype: dtypeOf(b),
      };
    },
    keys: { numFeatures: isPosInt, eps: isNum, momentum: orNull(isNum), affine: isBool, trackRunningStats: isBool, dtype: isDType },
    optional: ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'],
    build: (c) => new cls(c.numFeatures as number, {
      eps: c.eps as number | undefined, momentum: c.momentum as number | null | undefined, affine: c.affine as boolean | undefined,
      trackRunningStats: c.trackRunningStats as boolean | undefined, dtype: c.dtype as DType | undefined,
    }),
  };
}

/** The normalization layers and Embedding (norm-layers.ts). */
const NORM_LAYERS: Record<string, LayerSpec> = {
  BatchNorm1d: normSpec(BatchNorm1d),
  BatchNorm2d: normSpec(BatchNorm2d),
  BatchNorm3d: normSpec(BatchNorm3d),
  InstanceNorm1d: normSpec(InstanceNorm1d),
  InstanceNorm2d: normSpec(InstanceNorm2d),
  InstanceNorm3d: normSpec(InstanceNorm3d),
  GroupNorm: {
    cls: GroupNorm,
    config: (m) => {
      const g = m as GroupNorm;
      return { numGroups: g.numGroups, numChannels: g.numChannels, eps: finite('eps', g.eps), affine: g.affine, dtype: dtypeOf(g) };
    },
    keys: { numGroups: isPosInt, numChannels: isPosInt, eps: isNum, affine: isBool, dtype: isDType },
    optional: ['eps', 'affine', 'dtype'],
    build: (c) => new GroupNorm(c.numGroups as number, c.numChannels as number, {
      eps: c.eps as number | undefined, affine: c.affine as boolean | undefined, dtype: c.dtype as DType | undefined,
    }),
  },
  Embedding: {
    cls: Embedding,
    config: (m) => {
      const e = m as Embedding;
      return {
        numEmbeddings: e.numEmbeddings, embeddingDim: e.embeddingDim, paddingIdx: e.paddingIdx,
        maxNorm: e.maxNorm === null ? null : finite('maxNorm', e.maxNorm), normType: finite('normType', e.normType), dtype: dtypeOf(e),
      };
    },
    keys: { numEmbeddings: isPosInt, embeddingDim: isPosInt, paddingIdx: orNull(isInt), maxNorm: orNull(isNum), normType: isNum, dtype: isDType },
    optional: ['paddingIdx', 'maxNorm', 'normType', 'dtype'],
    build: (c) => new Embedding(c.numEmbeddings as number, c.embeddingDim as number, {
      paddingIdx: c.paddingIdx as number | null | undefined, maxNorm: c.maxNorm as number | null | undefined,
      normType: c.normType as number | undefined, dtype: c.dtype as DType | undefined,
    }),
  },
};
const CONV_LAYERS: Record<string, LayerSpec> = {
  Conv1d: convSpec(Conv1d, false),
  Conv2d: convSpec(Conv2d, false),
  ConvTranspose2d: convSpec(ConvTranspose2d, true),
  MaxPool1d: maxPoolSpec(MaxPool1d),
  MaxPool2d: maxPoolSpec(MaxPool2d),
  AvgPool2d: {
    cls: AvgPool2d,
    config: (m) => {
      const p = m as AvgPool2d;
      return { kernelSize: p.kernelSize as JSONValue, stride: p.stride as JSONValue, padding: p.padding as JSONValue, ceilMode: p.ceilMode, countIncludePad: p.countIncludePad, divisorOverride: p.divisorOverride };
    },
    keys: { kernelSize: isSize(1), stride: isSize(1), padding: isSize(0), ceilMode: isBool, countIncludePad: isBool, divisorOverride: orNull(isPosInt) },
    optional: ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'],
    build: (c) => new AvgPool2d(c.kernelSize as number[], {
      stride: c.stride as number[] | undefined, padding: c.padding as number[] | undefined, ceilMode: c.ceilMode as boolean | undefined,
      countIncludePad: c.countIncludePad as boolean | undefined, divisorOverride: c.divisorOverride as number | null | undefined,
    }),
  },
  AdaptiveAvgPool2d: {
    cls: AdaptiveAvgPool2d,
    config: (m) => ({ outputSize: (m as AdaptiveAvgPool2d).outputSize as JSONValue }),
    keys: { outputSize: (v) => (isPosInt(v) === null || (Array.isArray(v) && v.every((d) => d === null || isPosInt(d) === null)) ? null : `must be a positive integer or a list of positive integers and nulls, got ${show(v)}`) },
    build: (c) => new AdaptiveAvgPool2d(c.outputSize as AdaptiveSize),
  },
  Upsample: {
    cls: Upsample,
    config: (m) => {
      const o = (m as Upsample).options;
      const c: Config = {};
      for (const k of ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'] as const) if (o[k] !== undefined) c[k] = o[k] as JSONValue;
      for (const f of typeof o.scaleFactor === 'number' ? [o.scaleFactor] : o.scaleFactor ?? []) finite('scaleFactor', f);
      return c;
    },
    keys: {
      size: isSize(1), scaleFactor: isScale, mode: (v) => (typeof v === 'string' ? null : `must be a mode name, got ${show(v)}`), alignCorners: isBool, recomputeScaleFactor: isBool,
    },
    optional: ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'],
    build: (c) => new Upsample(c as UpsampleOptions),
  },
  PixelShuffle: { cls: PixelShuffle, config: (m) => ({ upscaleFactor: (m as PixelShuffle).upscaleFactor }), keys: { upscaleFactor: isPosInt }, build: (c) => new PixelShuffle(c.upscaleFactor as number) },
  PixelUnshuffle: { cls: PixelUnshuffle, config: (m) => ({ downscaleFactor: (m as PixelUnshuffle).downscaleFactor }), keys: { downscaleFactor: isPosInt }, build: (c) => new PixelUnshuffle(c.downscaleFactor as number) },
};

const REGISTRY: Record<string, LayerSpec> = {
  Linear: linearSpec(Linear),
  Dense: linearSpec(Dense),
  ReLU: plain(ReLU),
  GELU: plain(GELU),
  SiLU: plain(SiLU),
  Sigmoid: plain(Sigmoid),
  Tanh: plain(Tanh),
  Identity: plain(Identity),
  LeakyReLU: { cls: LeakyReLU, config: (m) => ({ negativeSlope: finite('negativeSlope', (m as LeakyReLU).negativeSlope) }), keys: { negativeSlope: isNum }, build: (c) => new LeakyReLU(c.negativeSlope as number) },
  ELU: { cls: ELU, config: (m) => ({ alpha: finite('alpha', (m as ELU).alpha) }), keys: { alpha: isNum }, build: (c) => new ELU(c.alpha as number) },
  Softplus: {
    cls: Softplus,
    config: (m) => {
      const o = (m as Softplus).options ?? {};
      const c: Config = {};
      if (o.beta !== undefined) c.beta = finite('beta', o.beta);
      if (o.threshold !== undefined) c.threshold = finite('threshold', o.threshold);
      return c;
    },
    keys: { beta: isNum, threshold: isNum },
    optional: ['beta', 'threshold'],
    build: (c) => new Softplus({ ...(c.beta !== undefined ? { beta: c.beta as number } : {}), ...(c.threshold !== undefined ? { threshold: c.threshold as number } : {}) }),
  },
  Softmax: { cls: Softmax, config: (m) => ({ axis: (m as Softmax).axis }), keys: { axis: isInt }, build: (c) => new Softmax(c.axis as number) },
  LogSoftmax: { cls: LogSoftmax, config: (m) => ({ axis: (m as LogSoftmax).axis }), keys: { axis: isInt }, build: (c) => new LogSoftmax(c.axis as number) },
  Flatten: {
    cls: Flatten, config: (m) => ({ startAxis: (m as Flatten).startAxis, endAxis: (m as Flatten).endAxis }),
    keys: { startAxis: isInt, endAxis: isInt }, build: (c) => new Flatten(c.startAxis as number, c.endAxis as number),
  },
  Dropout: {
    cls: Dropout,
    config: (m) => {
      const d = m as Dropout;
      return { p: d.p, seed: d.seed === undefined ? null : finite('seed', d.seed) };
    },
    keys: { p: isNum, seed: orNull(isInt) },
    optional: ['seed'],
    build: (c) => new Dropout(c.p as number, c.seed === null || c.seed === undefined ? {} : { seed: c.seed as number }),
  },
  LayerNorm: {
    cls: LayerNorm,
    config: (m) => {
      const l = m as LayerNorm;
      return { normalizedShape: [...l.normalizedShape], eps: finite('eps', l.eps), elementwiseAffine: l.elementwiseAffine, bias: l.bias !== null, dtype: dtypeOf(l) };
    },
    keys: { normalizedShape: isShape, eps: isNum, elementwiseAffine: isBool, bias: isBool, dtype: isDType },
    optional: ['eps', 'elementwiseAffine', 'bias', 'dtype'],
    build: (c) => new LayerNorm(c.normalizedShape as number[], {
      eps: c.eps as number | undefined, elementwiseAffine: c.elementwiseAffine as boolean | undefined, bias: c.bias as boolean | undefined, dtype: c.dtype as DType | undefined,
    }),
  },
  Sequential: {
    cls: Sequential,
    config: () => {
      throw new Unsavable('unreachable'); // layerToJSON recurses into a Sequential itself
    },
    keys: { layers: (v) => (Array.isArray(v) ? null : `must be an array of layers, got ${show(v)}`) },
    build: (c, path, problems) => {
      const kids = (c.layers as JSONValue[]).map((l, i) => layerFromJSON(l, path === '' ? `layers[${i}]` : `${path}.layers[${i}]`, problems));
      return new Sequential(...kids.filter((k): k is Module => k !== null));
    },
  },
  ...CONV_LAYERS,
  ...NORM_LAYERS,
};

/** The class names `modelToJSON` can save. */
export const SERIALIZABLE_LAYERS: readonly string[] = Object.freeze(Object.keys(REGISTRY));

// ---------------------------------------------------------------------------------------------
// To JSON

const NOT_WHOLE = 'only a Sequential of memograd\'s built-in layers can be saved whole; save the weights of any other model with saveWeights (or saveWeightsFile) and rebuild it in code';

function registeredName(m: Module): string | null {
  for (const [name, spec] of Object.entries(REGISTRY)) if (m.constructor === spec.cls) return name;
  return null;
}

function layerToJSON(op: string, m: Module, where: string): LayerJSON {
  const name = registeredName(m);
  if (name === null) {
    throw new ArgumentError(op, `${where} is a ${describe(m)}, which is not a built-in layer: ${NOT_WHOLE} (built-in layers: ${SERIALIZABLE_LAYERS.join(', ')})`);
  }
  if (name === 'Sequential') {
    return { class: name, config: { layers: [...(m as Sequential)].map((c, i) => layerToJSON(op, c, `${where === 'the model' ? 'layer' : `${where}, layer`} ${i}`)) as unknown as JSONValue[] } };
  }
  try {
    return { class: name, config: REGISTRY[name]!.config(m) };
  } catch (e) {
    if (e instanceof Unsavable) throw new ArgumentError(op, `${where} (${name}) cannot be saved: ${e.message}`);
    throw e;
  }
}

/**
 * The architecture of a `Sequential` model of built-in layers as JSON (Keras's `model.to_json()`,
 * as an object): each layer's class and constructor options, and whether the model was training.
 * The weights are not included; save them with `saveWeights`. Throws an ArgumentError for a model
 * that is not a Sequential of built-in layers (a custom Module's forward is code), for a Dense
 * layer with a function as its activation or a custom regularizer, and for a model whose tensors
 * its layers' options do not explain (a layer used twice, a parameter added by hand).
 *
 * @example
 * const json = modelToJSON(model);               // { format, formatVersion, training, model }
 * const copy = modelFromJSON(json);              // the same layers, freshly initialized
 * loadWeights(copy, saveWeights(model));         // and the same weights
 */
export function modelToJSON(model: Sequential): ModelJSON {
  return toJSON('modelToJSON', model);
}

/** `modelToJSON` with the calling function's name in errors (saveModel's). */
export function toJSON(op: string, model: unknown): ModelJSON {
  if (!(model instanceof Module)) throw new ArgumentError(op, `model must be a Sequential of built-in layers, got ${describe(model)}`);
  const m: Module = model;
  const ctor: unknown = m.constructor; // compared as a value: TypeScript would narrow `m` away
  if (ctor !== Sequential) throw new ArgumentError(op, `the model is a ${describe(model)}: ${NOT_WHOLE}`);
  const json: ModelJSON = { format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, training: m.training, model: layerToJSON(op, m, 'the model') };
  // the rebuilt model must hold exactly the same tensors: a layer shared twice, or a parameter or
  // buffer assigned by hand to a built-in layer, would otherwise be lost without a word
  const rebuilt = fromJSON(op, json);
  const want = m.stateEntries().map(([k, t]) => `${k} ${JSON.stringify(t.shape)} ${t.dtype}`);
  const got = new Set(rebuilt.stateEntries().map(([k, t]) => `${k} ${JSON.stringify(t.shape)} ${t.dtype}`));
  const extra = want.filter((w) => !got.has(w));
  if (extra.length > 0 || got.size !== want.length) {
    throw new ArgumentError(op, `the model's tensors are not what its layers' options build (${extra.length > 0 ? `unexplained: ${extra.slice(0, 3).join(', ')}` : 'a layer appears twice'}): ${NOT_WHOLE}`);
  }
  return json;
}

// ---------------------------------------------------------------------------------------------
// From JSON

function layerFromJSON(v: unknown, path: string, problems: string[]): Module | null {
  const where = path === '' ? 'model' : path;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    problems.push(`${where}: expected a layer { class, config }, got ${show(v)}`);
    return null;
  }
  const o = v as Record<string, unknown>;
  const unknownTop = Object.keys(o).filter((k) => k !== 'class' && k !== 'config');
  if (unknownTop.length > 0) problems.push(`${where}: unknown field ${unknownTop.map((k) => `'${k}'`).join(', ')} (a layer has 'class' and 'config')`);
  if (typeof o.class !== 'string' || !Object.hasOwn(REGISTRY, o.class)) {
    problems.push(`${where}: unknown layer class ${show(o.class)} (known: ${SERIALIZABLE_LAYERS.join(', ')})`);
    return null;
  }
  const spec = REGISTRY[o.class]!;
  const c = o.config;
  if (c === null || typeof c !== 'object' || Array.isArray(c)) {
    problems.push(`${where} (${o.class}): config must be an object, got ${show(c)}`);
    return null;
  }
  const config = c as Config;
  const before = problems.length;
  for (const k of Object.keys(config)) {
    if (!Object.hasOwn(spec.keys, k)) problems.push(`${where} (${o.class}): unknown option '${k}' (options: ${Object.keys(spec.keys).join(', ') || 'none'})`);
  }
  for (const [k, check] of Object.entries(spec.keys)) {
    if (!Object.hasOwn(config, k)) {
      if (!spec.optional?.includes(k)) problems.push(`${where} (${o.class}): option '${k}' is missing`);
      continue;
    }
    const bad = check(config[k]);
    if (bad !== null) problems.push(`${where} (${o.class}): option '${k}' ${bad}`);
  }
  if (problems.length > before) return null;
  try {
    return spec.build(config, path, problems);
  } catch (e) {
    // the constructor's own check (p outside [0, 1), an unknown activation name): its message, placed
    if (e instanceof MemogradError) {
      problems.push(`${where} (${o.class}): ${e.message}`);
      return null;
    }
    throw e;
  }
}

/** `modelFromJSON` with the calling function's name in errors (loadModel's). */
export function fromJSON(op: string, json: unknown): Sequential {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new ModelFormatError(op, [`the architecture is not valid JSON (${e instanceof Error ? e.message : String(e)})`]);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelFormatError(op, [`the architecture must be an object { format, formatVersion, training, model } (or its JSON text), got ${describe(value)}`]);
  }
  const o = value as Record<string, unknown>;
  if (o.format !== MODEL_FORMAT) throw new ModelFormatError(op, [`${o.format === undefined ? 'format is missing' : `format is ${show(o.format)}`}, expected '${MODEL_FORMAT}' (not a model saved by memograd's saveModel / modelToJSON)`]);
  if (o.formatVersion !== MODEL_FORMAT_VERSION) {
    const newer = typeof o.formatVersion === 'number' && o.formatVersion > MODEL_FORMAT_VERSION;
    throw new ModelFormatError(op, [`formatVersion is ${show(o.formatVersion)}, but this memograd reads version ${MODEL_FORMAT_VERSION}${newer ? ' (saved by a newer memograd: upgrade to load it)' : ''}`]);
  }
  const problems: string[] = [];
  if (o.training !== undefined && typeof o.training !== 'boolean') problems.push(`training must be true or false, got ${show(o.training)}`);
  const unknownTop = Object.keys(o).filter((k) => !['format', 'formatVersion', 'training', 'model'].includes(k));
  if (unknownTop.length > 0) problems.push(`unknown field ${unknownTop.map((k) => `'${k}'`).join(', ')}`);
  const m = o.model as Record<string, unknown> | undefined;
  if (m !== null && typeof m === 'object' && !Array.isArray(m) && m.class !== 'Sequential' && typeof m.class === 'string') {
    problems.push(`model: the top level must be a Sequential, got ${show(m.class)}`);
  }
  const model = problems.length > 0 ? null : layerFromJSON(o.model, '', problems);
  if (problems.length > 0 || model === null) throw new ModelFormatError(op, problems);
  model.train(o.training !== false);
  return model as Sequential;
}

/**
 * Rebuilds a model from `modelToJSON`'s output (or its JSON text; Keras's `model_from_json`): the
 * same layers with the same options, freshly initialized (load the weights with `loadWeights`), in
 * the training mode it was saved in. Everything is checked first (format and version, every
 * layer's class and options, unknown fields) and every problem found is reported in one
 * `ModelFormatError`. Initialization uses a private generator: the global one does not advance.
 */
export function modelFromJSON(json: ModelJSON | string): Sequential {
  return fromJSON('modelFromJSON', json);
}
