/**
 * Attention layers with PyTorch's parameters, shapes and defaults: MultiheadAttention and
 * TransformerEncoderLayer (post-norm or pre-norm). Parameter and child names are PyTorch's
 * (in_proj_weight, out_proj, self_attn, linear1, norm1, ...) so that state dicts move between the
 * two unchanged; that is why some properties are snake_case.
 *
 * Masks follow PyTorch's nn.MultiheadAttention: a boolean mask marks what may NOT be attended
 * (true = masked), a float mask is added to the attention scores. memograd has no boolean dtype,
 * so a boolean mask is given as nested arrays of booleans, and a Tensor is always a float mask
 * (use -Infinity to mask).
 */
import { ArgumentError, MAX_RANK, ShapeError, Tensor, defaultGenerator, formatShape, matmul, tensor, zeros } from '@memograd/autograd';
import type { DType, Generator } from '@memograd/autograd';
import { Module, Parameter, checkOptions, describe } from './module.ts';
import { Dropout, LayerNorm, Linear, dropout, getActivation, type ActivationName } from './layers.ts';
import { xavierUniform_ } from './init.ts';
import { named } from './errors.ts';
import { boolOption, checkDType, checkGenerator, checkPositiveInt } from './checks.ts';

/** A mask: nested booleans (true = may not attend, as PyTorch's bool masks) or an additive float Tensor. */
export type AttentionMask = Tensor | readonly (readonly boolean[])[] | readonly (readonly (readonly boolean[])[])[];

/** Options of `MultiheadAttention`. */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights in training (default 0). */
  dropout?: number;
  /** Whether the input and output projections have biases (default true). */
  bias?: boolean;
  /** Features of the keys (default embedDim); with kdim or vdim set, q/k/v have separate weights. */
  kdim?: number;
  /** Features of the values (default embedDim). */
  vdim?: number;
  /** Inputs and output as [batch, sequence, features] (default false: [sequence, batch, features]). */
  batchFirst?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** The generator for the initial weights and the dropout masks (default: the global one). */
  generator?: Generator;
}

/** Options of a call of `MultiheadAttention`. */
export interface AttentionCallOptions {
  /** [batch, source] (or [source] unbatched): true (or −∞) where a key is padding to ignore. */
  keyPaddingMask?: AttentionMask;
  /** [target, source] or [batch·heads, target, source]: true (or −∞) where attention is not allowed. */
  attnMask?: AttentionMask;
  /** Mask future positions (a causal mask over target and source); combined with attnMask if both are given. */
  isCausal?: boolean;
  /** With forwardWithWeights: return the weights averaged over heads (default true) or per head. */
  averageAttnWeights?: boolean;
}

/** What `forwardWithWeights` returns. */
export interface AttentionResult {
  /** The attention output, shaped like the query. */
  output: Tensor;
  /** The attention weights: [batch, target, source] averaged over heads, or [batch, heads, target, source]. */
  weights: Tensor;
}

/**
 * Whether m is nested arrays of booleans, judged by its first leaf (a loop: no recursion to overflow);
 * a nesting deeper than MAX_RANK (or a cycle) is none.
 */
function isBoolNest(m: unknown): boolean {
  if (!Array.isArray(m)) return false;
  let level: unknown = m;
  for (let depth = 0; Array.isArray(level); depth++) {
    if (depth >= MAX_RANK) return false;
    if (level.length === 0) return true;
    level = level[0];
  }
  return typeof level === 'boolean';
}

/** A mask as an additive float tensor: booleans → −∞ where true, 0 elsewhere; tensors as they are. */
function additive(op: string, name: string, mask: AttentionMask, dtype: DType): Tensor {
  if (mask instanceof Tensor) return mask.dtype === dtype ? mask : mask.to(dtype);
  if (!isBoolNest(mask)) throw new ArgumentError(op, `${name} must be a Tensor (added to the scores) or nested arrays of booleans (true = masked), got ${describe(mask)}`);
  const flat: number[] = [];
  const shape: number[] = [];
  let level: unknown = mask;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'boolean') throw new ArgumentError(op, `${name} mixes booleans with ${describe(v)}`);
      flat.push(v ? -Infinity : 0);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) throw new ShapeError(op, `${name} is ragged: rows of different lengths`, [shape]);
    for (const x of v) walk(x, depth + 1);
  };
  walk(mask, 0);
  return tensor(Float64Array.from(flat), { shape, dtype: 'float64' }).to(dtype);
}

/** Multi-head attention, as `torch.nn.MultiheadAttention` (no add_bias_kv / add_zero_attn). */
export class MultiheadAttention extends Module {
  /** Features of the queries and of the output. */
  readonly embedDim: number;
  /** Number of heads; embedDim must divide by it. */
  readonly numHeads: number;
  /** Features per head. */
  readonly headDim: number;
  /** Features of the keys. */
  readonly kdim: number;
  /** Features of the values. */
  readonly vdim: number;
  /** Dropout on the attention weights. */
  readonly dropout: number;
  /** Whether inputs are [batch, sequence, features]. */
  readonly batchFirst: boolean;
  /** The stacked q, k, v projections [3·embedDim, embedDim] (when kdim = vdim = embedDim), else null. */
  in_proj_weight: Parameter | null = null;
  /** The query projection when kdim or vdim differ from embedDim, else null. */
  q_proj_weight: Parameter | null = null;
  /** The key projection when kdim or vdim differ, else null. */
  k_proj_weight: Parameter | null = null;
  /** The value projection when kdim or vdim differ, else null. */
  v_proj_weight: Parameter | null = null;
  /** The stacked q, k, v biases [3·embedDim], or null without bias. */
  in_proj_bias: Parameter | null = null;
  /** The output projection. */
  out_proj: Linear;
  private readonly generator: Generator | undefined;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const op = 'MultiheadAttention';
    checkPositiveInt(op, 'embedDim', embedDim);
    checkPositiveInt(op, 'numHeads', numHeads);
    checkOptions(op, options);
    options ??= {};
    if (embedDim % numHeads !== 0) throw new ArgumentError(op, `embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
    const p = options.dropout ?? 0;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(op, `dropout must be a number in [0, 1], got ${describe(p)}`);
    const kdim = options.kdim ?? embedDim;
    const vdim = options.vdim ?? embedDim;
    checkPositiveInt(op, 'kdim', kdim);
    checkPositiveInt(op, 'vdim', vdim);
    checkGenerator(op, options.generator);
    const dtype = checkDType(op, options.dtype);
    const bias = boolOption(op, 'bias', options.bias, true);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.kdim = kdim;
    this.vdim = vdim;
    this.dropout = p;
    this.batchFirst = boolOption(op, 'batchFirst', options.batchFirst, false);
    this.generator = options.generator;
    const g = options.generator ?? defaultGenerator;
    const E = embedDim;
    // PyTorch's construction order: the projections' storage, out_proj (Linear's own init), then
    // _reset_parameters: xavier_uniform_ on the projections, zeros on in_proj_bias and out_proj.bias
    const make = (shape: number[]) => named(op, () => zeros(shape, { dtype }));
    const same = kdim === E && vdim === E;
    const projections = same ? [make([3 * E, E])] : [make([E, E]), make([E, kdim]), make([E, vdim])];
    this.out_proj = new Linear(E, E, { bias, dtype, generator: g });
    for (const w of projections) xavierUniform_(w, 1, { generator: g });
    if (same) this.in_proj_weight = new Parameter(projections[0]!);
    else [this.q_proj_weight, this.k_proj_weight, this.v_proj_weight] = projections.map((w) => new Parameter(w));
    if (bias) {
      this.in_proj_bias = new Parameter(make([3 * E]));
      this.out_proj.bias!.data.fill(0);
    }
  }

  /** The name used in errors: `MultiheadAttention(16, 4 heads)`. */
  get label(): string {
    return `MultiheadAttention(${this.embedDim}, ${this.numHeads} heads)`;
  }

  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}${this.dropout ? `, dropout=${this.dropout}` : ''}${this.batchFirst ? ', batchFirst=true' : ''}`;
  }

  /** Self-attention by default (key = query, value = key); returns the attention output. */
  forward(query: Tensor, key?: Tensor, value?: Tensor, options: AttentionCallOptions = {}): Tensor {
    return this.attend(query, key ?? query, value ?? key ?? query, options, false).output;
  }

  override call(query: Tensor, key?: Tensor, value?: Tensor, options?: AttentionCallOptions): Tensor {
    if (!(query instanceof Tensor)) throw new ArgumentError(`${this.label}.call`, `query must be a Tensor, got ${describe(query)}`);
    return this.forward(query, key, value, options);
  }

  /** As `forward`, also returning the attention weights (PyTorch's need_weights=True). */
  forwardWithWeights(query: Tensor, key?: Tensor, value?: Tensor, options: AttentionCallOptions = {}): AttentionResult {
    const r = this.attend(query, key ?? query, value ?? key ?? query, options, true);
    return { output: r.output, weights: r.weights! };
  }

  private attend(query: Tensor, key: Tensor, value: Tensor, options: AttentionCallOptions, needWeights: boolean): { output: Tensor; weights: Tensor | null } {
    const op = this.label;
    checkOptions(op, options);
    options ??= {};
    for (const [name, t] of [['query', query], ['key', key], ['value', value]] as const) {
      if (!(t instanceof Tensor)) throw new ArgumentError(op, `${name} must be a Tensor, got ${describe(t)}`);
    }
    const unbatched = query.rank === 2;
    const rank = unbatched ? 2 : 3;
    const layout = unbatched ? '[sequence, features]' : this.batchFirst ? '[batch, sequence, features]' : '[sequence, batch, features]';
    const dims: [string, Tensor, number][] = [['query', query, this.embedDim], ['key', key, this.kdim], ['value', value, this.vdim]];
    for (const [name, t, f] of dims) {
      if (t.rank !== rank || t.shape[rank - 1] !== f) {
        throw new ShapeError(op, `${name} must be ${layout} with ${f} features (like the query's rank), got ${formatShape(t.shape)}`, [query.shape, key.shape, value.shape]);
      }
    }
    // to [sequence, batch, features]
    const toSBF = (t: Tensor) => (unbatched ? t.unsqueeze(1) : this.batchFirst ? t.transpose(0, 1) : t);
    const q0 = toSBF(query);
    const k0 = toSBF(key);
    const v0 = toSBF(value);
    const [L, N] = q0.shape as [number, number];
    const S = k0.shape[0]!;
    if (k0.shape[1] !== N || v0.shape[1] !== N || v0.shape[0] !== S) {
      throw new ShapeError(op, `query, key and value must share the batch size, and key and value the sequence length: got ${formatShape(query.shape)}, ${formatShape(key.shape)}, ${formatShape(value.shape)}`, [query.shape, key.shape, value.shape]);
    }
    const E = this.embedDim;
    const H = this.numHeads;
    const hd = this.headDim;
    const dtype = q0.dtype;
    const b = this.in_proj_bias;
    const bias = (i: number) => (b === null ? null : b.slice([i * E], [E]));
    const project = (x: Tensor, w: Tensor, bi: Tensor | null) => {
      const y = matmul(x, w.transpose());
      return bi === null ? y : y.add(bi);
    };
    return named(op, () => {
      const W = this.in_proj_weight;
      const wq = W ? W.slice([0, 0], [E, E]) : this.q_proj_weight!;
      const wk = W ? W.slice([E, 0], [E, E]) : this.k_proj_weight!;
      const wv = W ? W.slice([2 * E, 0], [E, E]) : this.v_proj_weight!;
      // [seq, batch, E] → [batch·heads, seq, headDim]
      const heads = (x: Tensor, len: number) => x.reshape([len, N * H, hd]).transpose(0, 1);
      const q = heads(project(q0, wq, bias(0)), L).div(Math.sqrt(hd));
      const k = heads(project(k0, wk, bias(1)), S);
      const v = heads(project(v0, wv, bias(2)), S);
      let scores = matmul(q, k.transpose(1, 2)); // [N·H, L, S]
      const mask = this.mask(op, options, unbatched, N, L, S, dtype);
      if (mask !== null) scores = scores.add(mask);
      let weights = scores.softmax(-1);
      if (this.dropout > 0 && this.training) weights = dropout(weights, this.dropout, { generator: this.generator });
      const out = matmul(weights, v).transpose(0, 1).reshape([L * N, E]); // [L, N·H, hd] → [L·N, E]
      let output = this.out_proj.call(out).reshape([L, N, E]);
      output = unbatched ? output.reshape([L, E]) : this.batchFirst ? output.transpose(0, 1) : output;
      if (!needWeights) return { output, weights: null };
      let w = weights.reshape([N, H, L, S]);
      if (options.averageAttnWeights ?? true) w = w.mean({ axis: 1 });
      return { output, weights: unbatched ? w.reshape(w.shape.slice(1)) : w };
    });
  }

  /** The additive mask [N·H, L, S] (or broadcastable) from attnMask, keyPaddingMask and isCausal. */
  private mask(op: string, options: AttentionCallOptions, unbatched: boolean, N: number, L: number, S: number, dtype: DType): Tensor | null {
    const H = this.numHeads;
    let mask: Tensor | null = null;
    if (options.attnMask !== undefined && options.attnMask !== null) {
      const m = additive(op, 'attnMask', options.attnMask, dtype);
      const ok = (m.rank === 2 && m.shape[0] === L && m.shape[1] === S) || (m.rank === 3 && m.shape[0] === N * H && m.shape[1] === L && m.shape[2] === S);
      if (!ok) throw new ShapeError(op, `attnMask must be [${L}, ${S}] or [${N * H}, ${L}, ${S}] (batch·heads, target, source), got ${formatShape(m.shape)}`, [m.shape]);
      mask = m;
    }
    if (boolOption(op, 'isCausal', options.isCausal, false)) {
      const causal = Array.from({ length: L }, (_, i) => Array.from({ length: S }, (_, j) => j > i));
      const c = additive(op, 'causal mask', causal, dtype);
      mask = mask === null ? c : mask.add(c);
    }
    if (options.keyPaddingMask !== undefined && options.keyPaddingMask !== null) {
      const m = additive(op, 'keyPaddingMask', options.keyPaddingMask, dtype);
      const want = unbatched ? [S] : [N, S];
      if (m.rank !== want.length || m.shape.some((d, i) => d !== want[i])) {
        throw new ShapeError(op, `keyPaddingMask must be ${formatShape(want)} (${unbatched ? '' : 'batch, '}source), got ${formatShape(m.shape)}`, [m.shape]);
      }
      // [N, S] → [N, 1, 1, S] → [N·H, 1, S]: the same keys are masked in every head and query
      const kp = m.reshape([N, 1, 1, S]).expand([N, H, 1, S]).reshape([N * H, 1, S]);
      mask = mask === null ? kp : mask.add(kp);
    }
    return mask;
  }
}

/** Options of `TransformerEncoderLayer`. */
export interface TransformerEncoderLayerOptions {
  /** Hidden features of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, in the feed-forward block and after it (default 0.1). */
  dropout?: number;
  /** The feed-forward activation: 'relu' (default), 'gelu', or a function. */
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
  /** The layer norms' eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs as [batch, sequence, features] (default false). */
  batchFirst?: boolean;
  /** Pre-norm: normalize before attention and the feed-forward block (default false: after, as the original Transformer). */
  normFirst?: boolean;
  /** Biases in the linear layers and layer norms (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** The generator for the initial weights and dropout masks. */
  generator?: Generator;
}

/** Options of a call of `TransformerEncoderLayer`. */
export interface EncoderCallOptions {
  /** The attention mask (see MultiheadAttention). */
  srcMask?: AttentionMask;
  /** Which keys are padding (see MultiheadAttention's keyPaddingMask). */
  srcKeyPaddingMask?: AttentionMask;
  /** A causal attention mask. */
  isCausal?: boolean;
}

/** A Transformer encoder layer: self-attention and a feed-forward block, as `torch.nn.TransformerEncoderLayer`. */
export class TransformerEncoderLayer extends Module {
  /** The self-attention. */
  self_attn: MultiheadAttention;
  /** The first feed-forward layer (dModel → dimFeedforward). */
  linear1: Linear;
  /** The dropout inside the feed-forward block. */
  dropout: Dropout;
  /** The second feed-forward layer (dimFeedforward → dModel). */
  linear2: Linear;
  /** The norm of the attention block. */
  norm1: LayerNorm;
  /** The norm of the feed-forward block. */
  norm2: LayerNorm;
  /** The dropout after attention. */
  dropout1: Dropout;
  /** The dropout after the feed-forward block. */
  dropout2: Dropout;
  /** Whether the norms come first (pre-norm). */
  readonly normFirst: boolean;
  private readonly activationFn: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, options: TransformerEncoderLayerOptions = {}) {
    super();
    const op = 'TransformerEncoderLayer';
    checkPositiveInt(op, 'dModel', dModel);
    checkPositiveInt(op, 'nhead', nhead);
    checkOptions(op, options);
    options ??= {};
    const ff = options.dimFeedforward ?? 2048;
    checkPositiveInt(op, 'dimFeedforward', ff);
    const p = options.dropout ?? 0.1;
    checkGenerator(op, options.generator);
    const dtype = checkDType(op, options.dtype);
    const bias = boolOption(op, 'bias', options.bias, true);
    const g = options.generator;
    this.normFirst = boolOption(op, 'normFirst', options.normFirst, false);
    const act = options.activation ?? 'relu';
    if (typeof act !== 'function' && act !== 'relu' && act !== 'gelu') throw new ArgumentError(op, `activation must be 'relu', 'gelu' or a function, got ${describe(act)}`);
    this.activationFn = getActivation(act as ActivationName | ((x: Tensor) => Tensor));
    this.self_attn = named(op, () => new MultiheadAttention(dModel, nhead, { dropout: p, bias, batchFirst: options.batchFirst ?? false, dtype, ...(g ? { generator: g } : {}) }));
    this.linear1 = new Linear(dModel, ff, { bias, dtype, ...(g ? { generator: g } : {}) });
    this.dropout = named(op, () => new Dropout(p, g ? { generator: g } : {}));
    this.linear2 = new Linear(ff, dModel, { bias, dtype, ...(g ? { generator: g } : {}) });
    const eps = options.layerNormEps ?? 1e-5;
    this.norm1 = named(op, () => new LayerNorm(dModel, { eps, bias, dtype }));
    this.norm2 = new LayerNorm(dModel, { eps, bias, dtype });
    this.dropout1 = new Dropout(p, g ? { generator: g } : {});
    this.dropout2 = new Dropout(p, g ? { generator: g } : {});
  }

  forward(src: Tensor, options: EncoderCallOptions = {}): Tensor {
    checkOptions('TransformerEncoderLayer', options);
    options ??= {};
    const attn = (x: Tensor) => this.dropout1.call(this.self_attn.forward(x, x, x, {
      ...(options.srcMask !== undefined ? { attnMask: options.srcMask } : {}),
      ...(options.srcKeyPaddingMask !== undefined ? { keyPaddingMask: options.srcKeyPaddingMask } : {}),
      ...(options.isCausal !== undefined ? { isCausal: options.isCausal } : {}),
    }));
    const feedForward = (x: Tensor) => this.dropout2.call(this.linear2.call(this.dropout.call(this.activationFn(this.linear1.call(x)))));
    if (this.normFirst) {
      const x = src.add(attn(this.norm1.call(src)));
      return x.add(feedForward(this.norm2.call(x)));
    }
    const x = this.norm1.call(src.add(attn(src)));
    return this.norm2.call(x.add(feedForward(x)));
  }

  override call(src: Tensor, options?: EncoderCallOptions): Tensor {
    if (!(src instanceof Tensor)) throw new ArgumentError('TransformerEncoderLayer.call', `src must be a Tensor, got ${describe(src)}`);
    return this.forward(src, options);
  }
}
