/**
 * Lookup and attention network ops: embedding and scaledDotProductAttention, with
 * torch.nn.functional's semantics.
 */
import { allocate } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, DTypeError, renameError, ShapeError } from '../errors.ts';
import { defaultGenerator, Generator } from '../random.ts';
import { broadcastShapes, checkElementCount, checkOptions, describe, formatShape, sizeOf, type Shape } from '../shape.ts';
import { rawTensor, Tensor, toTensor, type TensorLike } from '../tensor.ts';
import { softmax } from './activation.ts';
import { defineOp, type OpDef, type OracleInput, type Pick } from './define.ts';
import { add, mul } from './elementwise.ts';
import { matmul } from './linalg.ts';
import { transpose } from './shape-ops.ts';

// ------------------------------------------------------------------ embedding

/** The resolved parameters of the embedding primitives. */
export interface EmbeddingParams {
  /** The row of each looked-up position, in [0, numEmbeddings). */
  readonly index: Int32Array;
  /** The indices' shape (the output's leading axes). */
  readonly indexShape: readonly number[];
  /** The padding row (no gradient), or -1 for none. */
  readonly paddingIdx: number;
  /**
   * Internal (the adjoint of the adjoint): positions that look up the padding row give zeros. The
   * public embedding never sets it.
   */
  readonly zeroPadding?: boolean;
}

function checkEmbedding(op: string, weightShape: Shape, p: EmbeddingParams): number[] {
  if (weightShape.length !== 2) throw new ShapeError(op, `weight must be 2-D (numEmbeddings, embeddingDim), got ${formatShape(weightShape)}`, [weightShape]);
  const rows = weightShape[0]!;
  if (!(p.index instanceof Int32Array)) throw new ArgumentError(op, `index must be an Int32Array, got ${describe(p.index)}`);
  if (!Array.isArray(p.indexShape) || sizeOf(p.indexShape) !== p.index.length) {
    throw new ArgumentError(op, `indexShape ${describe(p.indexShape)} does not hold the ${p.index.length} indices`);
  }
  if (!Number.isInteger(p.paddingIdx) || p.paddingIdx < -1 || p.paddingIdx >= Math.max(rows, 1)) {
    throw new ArgumentError(op, `paddingIdx ${describe(p.paddingIdx)} is not a row of weight ${formatShape(weightShape)}`);
  }
  for (let i = 0; i < p.index.length; i++) {
    const v = p.index[i]!;
    if (v < 0 || v >= rows) throw badIndex(op, v, i, weightShape);
  }
  const out = [...p.indexShape, weightShape[1]!];
  checkElementCount(op, out);
  return out;
}

function badIndex(op: string, v: number, i: number, weightShape: Shape): ArgumentError {
  const why = !Number.isInteger(v) ? 'is not an integer' : v < 0 ? 'is negative' : 'is out of range';
  return new ArgumentError(op, `index ${v} at position ${i} ${why}: expected an integer from 0 to ${weightShape[0]! - 1} (weight has shape ${formatShape(weightShape)})`);
}

export const embeddingOp: OpDef<EmbeddingParams> = defineOp<EmbeddingParams>({
  name: 'embedding',
  inputs: ['weight'],
  saves: [],
  shape: ([s], p) => checkEmbedding('embedding', s!, p),
  forward: ([w], p, outShape) => {
    const out = allocate(w!.dtype, sizeOf(outShape));
    const dim = w!.shape[1]!;
    for (let k = 0; k < p.index.length; k++) {
      const row = p.index[k]!;
      if (p.zeroPadding === true && row === p.paddingIdx) continue;
      out.set(w!.data.subarray(row * dim, (row + 1) * dim), k * dim);
    }
    return out;
  },
  // PyTorch's embedding_backward: the rows' gradients added up, none for the padding row
  backward: ({ grad, inputs: [w], params }) => [apply(embeddingGradOp, [grad], { ...params, rows: w!.shape[0]! })],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const { shapes, params } = sampleEmbedding(pick);
      return { shapes: [shapes[1]!], params };
    },
    oracle: ([w], p) => embeddingOracle(w!, p),
  },
});

// the adjoint of embedding: scatter-add of the output's rows into the looked-up rows (skipping the
// padding row); its own adjoint is the lookup with the padding positions zeroed
export const embeddingGradOp: OpDef<EmbeddingParams & { rows: number }> = defineOp<EmbeddingParams & { rows: number }>({
  name: 'embeddingGrad',
  inputs: ['grad'],
  saves: [],
  shape: ([s], p) => {
    if (!Number.isInteger(p.rows) || p.rows < 0) throw new ArgumentError('embeddingGrad', `rows must be a non-negative integer, got ${describe(p.rows)}`);
    if (s!.length === 0) throw new ShapeError('embeddingGrad', 'grad must have an embedding axis, got a 0-d tensor', [s!]);
    const weightShape = [p.rows, s![s!.length - 1]!];
    const out = checkEmbedding('embeddingGrad', weightShape, p);
    if (out.length !== s!.length || out.some((d, i) => d !== s![i])) {
      throw new ShapeError('embeddingGrad', `grad has shape ${formatShape(s!)}, expected ${formatShape(out)}`, [s!, out]);
    }
    return weightShape;
  },
  forward: ([g], p, outShape) => {
    const out = allocate(g!.dtype, sizeOf(outShape));
    const dim = outShape[1]!;
    for (let k = 0; k < p.index.length; k++) {
      const row = p.index[k]!;
      if (row === p.paddingIdx) continue;
      for (let j = 0; j < dim; j++) out[row * dim + j] = out[row * dim + j]! + g!.data[k * dim + j]!;
    }
    return out;
  },
  backward: ({ grad, params: { rows: _r, ...p } }) => [apply(embeddingOp, [grad], { ...p, zeroPadding: true })],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const { shapes, params } = sampleEmbedding(pick);
      return { shapes: [[...params.indexShape, shapes[1]![1]!]], params: { ...params, paddingIdx: pick(2) ? -1 : pick(shapes[1]![0]!), rows: shapes[1]![0]! } };
    },
    oracle: ([g], p) => {
      const dim = g!.shape[g!.shape.length - 1]!;
      const data = new Array<number>(p.rows * dim).fill(0);
      for (let k = 0; k < p.index.length; k++) {
        if (p.index[k] === p.paddingIdx) continue;
        for (let j = 0; j < dim; j++) data[p.index[k]! * dim + j] = data[p.index[k]! * dim + j]! + g!.data[k * dim + j]!;
      }
      return { shape: [p.rows, dim], data };
    },
  },
});

function sampleEmbedding(pick: Pick): { shapes: number[][]; params: EmbeddingParams } {
  const rows = 1 + pick(4);
  const dim = 1 + pick(3);
  const indexShape = Array.from({ length: pick(3) }, () => 1 + pick(3));
  const index = new Int32Array(sizeOf(indexShape)).map(() => pick(rows));
  // no padding row in the gradient checks: PyTorch's zero gradient there is not the derivative
  return { shapes: [indexShape, [rows, dim]], params: { index, indexShape, paddingIdx: -1 } };
}

function embeddingOracle(w: OracleInput, p: EmbeddingParams): { shape: number[]; data: number[] } {
  const dim = w.shape[1]!;
  const data: number[] = [];
  for (let k = 0; k < p.index.length; k++) {
    for (let j = 0; j < dim; j++) data.push(p.zeroPadding === true && p.index[k] === p.paddingIdx ? 0 : w.data[p.index[k]! * dim + j]!);
  }
  return { shape: [...p.indexShape, dim], data };
}

/** Options of `embedding`. */
export interface EmbeddingOptions {
  /** A row that gets no gradient (PyTorch's padding_idx; negative counts from the end). */
  paddingIdx?: number;
  /** Not supported (PyTorch renormalises the looked-up rows in place): giving it is an error. */
  maxNorm?: never;
}

/** Integer indices for `embedding`: a tensor of integer values, an Int32Array or nested arrays. */
export type EmbeddingIndex = number | readonly unknown[] | Int32Array | Tensor;

/**
 * Looks up rows of `weight` (numEmbeddings, dim) at integer `indices` (torch.nn.functional.embedding):
 * the output has shape indices.shape + [dim]. The gradient to weight adds up the rows' gradients,
 * except for row `paddingIdx`, which gets none (as PyTorch).
 */
export function embedding(indices: EmbeddingIndex, weight: TensorLike, options?: EmbeddingOptions): Tensor {
  const w = toTensor(weight, 'weight', 'embedding');
  const o = checkOptions<EmbeddingOptions>('embedding', options, ['paddingIdx', 'maxNorm']);
  if (o.maxNorm !== undefined) throw new ArgumentError('embedding', 'maxNorm is not supported (PyTorch renormalises weight in place); renormalise the rows yourself');
  if (w.rank !== 2) throw new ShapeError('embedding', `weight must be 2-D (numEmbeddings, embeddingDim), got ${formatShape(w.shape)}`, [w.shape]);
  const rows = w.shape[0]!;
  let paddingIdx = -1;
  if (o.paddingIdx !== undefined) {
    const v: unknown = o.paddingIdx;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -rows || v >= rows) {
      throw new ArgumentError('embedding', `paddingIdx must be an integer within the ${rows} rows of weight (from ${-rows} to ${rows - 1}), got ${describe(v)}`);
    }
    paddingIdx = v < 0 ? v + rows : v;
  }
  let data: ArrayLike<number>;
  let indexShape: number[];
  if (indices instanceof Tensor) {
    data = indices.data;
    indexShape = indices.shape.slice();
  } else if (indices instanceof Int32Array) {
    data = indices;
    indexShape = [indices.length];
  } else if (Array.isArray(indices) || typeof indices === 'number') {
    const t = toTensor(indices as TensorLike, 'indices', 'embedding', 'float64');
    data = t.data;
    indexShape = t.shape.slice();
  } else {
    throw new ArgumentError('embedding', `indices must be a Tensor, an Int32Array or a nested array of integers, got ${describe(indices)}`);
  }
  const index = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // v < rows <= MAX_ELEMENTS < 2^31, so (v | 0) === v tests an exact integer
    if (!(v >= 0 && v < rows) || (v | 0) !== v) throw badIndex('embedding', v, i, w.shape);
    index[i] = v;
  }
  return apply(embeddingOp, [w], { index, indexShape, paddingIdx });
}

// ------------------------------------------------------------------ scaledDotProductAttention

/** Options of `scaledDotProductAttention` (PyTorch 2's F.scaled_dot_product_attention). */
export interface AttentionOptions {
  /**
   * A mask broadcastable to (..., L, S). Additive by default (added to the scores, so -Infinity
   * removes a key); with `maskIsBoolean: true` its non-zero entries mark the keys to attend to
   * (PyTorch's boolean mask, True = attend: memograd has no boolean dtype).
   */
  attnMask?: TensorLike;
  /** Whether `attnMask` holds booleans as 1 (attend) and 0 (masked out). Default false (additive). */
  maskIsBoolean?: boolean;
  /** A causal mask: query i attends to keys 0..i (PyTorch's top-left tril when L != S). Not with attnMask. */
  isCausal?: boolean;
  /** Dropout on the attention weights (default 0): each kept with probability 1 - p and scaled by 1/(1 - p). */
  dropoutP?: number;
  /** The score scale (default 1/sqrt(E), E = q's last axis). */
  scale?: number;
  /** The generator of the dropout mask (default: the global generator). */
  generator?: Generator;
}

/** The additive mask as a constant tensor: 0 to attend, -Infinity to mask out. */
function booleanMask(mask: Tensor): Tensor {
  const data = allocate(mask.dtype, mask.size);
  for (let i = 0; i < data.length; i++) data[i] = mask.data[i] !== 0 ? 0 : -Infinity;
  return rawTensor(data, mask.shape, mask.dtype);
}

function causalMask(l: number, s: number, dtype: Tensor['dtype']): Tensor {
  const data = allocate(dtype, l * s);
  for (let i = 0; i < l; i++) for (let j = i + 1; j < s; j++) data[i * s + j] = -Infinity;
  return rawTensor(data, [l, s], dtype);
}

/**
 * Attention softmax(q kᵀ · scale + mask) v (torch.nn.functional.scaled_dot_product_attention, PyTorch 2):
 * q (..., L, E), k (..., S, E), v (..., S, Ev) with broadcasting batch axes; the result is (..., L, Ev).
 * A query whose keys are all masked out gets NaN (PyTorch's math kernel).
 */
export function scaledDotProductAttention(q: TensorLike, k: TensorLike, v: TensorLike, options?: AttentionOptions): Tensor {
  const op = 'scaledDotProductAttention';
  const qt = toTensor(q, 'q', op);
  const kt = toTensor(k, 'k', op, qt.dtype);
  const vt = toTensor(v, 'v', op, qt.dtype);
  const o = checkOptions<AttentionOptions>(op, options, ['attnMask', 'maskIsBoolean', 'isCausal', 'dropoutP', 'scale', 'generator']);
  for (const [name, t] of [['q', qt], ['k', kt], ['v', vt]] as const) {
    if (t.rank < 2) throw new ShapeError(op, `${name} must have at least 2 axes (..., length, features), got ${formatShape(t.shape)}`, [qt.shape, kt.shape, vt.shape]);
    if (t.dtype !== qt.dtype) throw new DTypeError(op, `q is ${qt.dtype} but ${name} is ${t.dtype}`);
  }
  const shapes = [qt.shape, kt.shape, vt.shape];
  const e = qt.shape[qt.rank - 1]!;
  const l = qt.shape[qt.rank - 2]!;
  const s = kt.shape[kt.rank - 2]!;
  if (kt.shape[kt.rank - 1] !== e) throw new ShapeError(op, `q ${formatShape(qt.shape)} and k ${formatShape(kt.shape)} must have the same feature size (last axis)`, shapes);
  if (vt.shape[vt.rank - 2] !== s) throw new ShapeError(op, `k ${formatShape(kt.shape)} and v ${formatShape(vt.shape)} must have the same length (axis -2)`, shapes);
  const batch = broadcastShapes(op, broadcastShapes(op, qt.shape.slice(0, -2), kt.shape.slice(0, -2)), vt.shape.slice(0, -2));
  for (const key of ['isCausal', 'maskIsBoolean'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new ArgumentError(op, `${key} must be a boolean, got ${describe(o[key])}`);
  }
  // no features (E = 0): every score is the empty dot product 0 whatever the scale, so the default
  // 1/sqrt(0) is not used (PyTorch's math kernel then averages v)
  const scale = o.scale ?? (e > 0 ? 1 / Math.sqrt(e) : 1);
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new ArgumentError(op, `scale must be a finite number, got ${describe(o.scale)}`);
  const p = o.dropoutP ?? 0;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(op, `dropoutP must be a number from 0 to 1, got ${describe(o.dropoutP)}`);
  const gen = o.generator ?? defaultGenerator;
  if (!(gen instanceof Generator)) throw new ArgumentError(op, `generator must be a Generator, got ${describe(o.generator)}`);
  if (o.maskIsBoolean === true && o.attnMask === undefined) throw new ArgumentError(op, 'maskIsBoolean is set but no attnMask is given');
  let mask: Tensor | null = null;
  if (o.attnMask !== undefined) {
    if (o.isCausal === true) throw new ArgumentError(op, 'give either attnMask or isCausal, not both (PyTorch: an explicit attn_mask should not be set when is_causal=True)');
    mask = toTensor(o.attnMask, 'attnMask', op, qt.dtype);
    if (mask.dtype !== qt.dtype) throw new DTypeError(op, `q is ${qt.dtype} but attnMask is ${mask.dtype}`);
    const scores = [...batch, l, s];
    let fits = mask.rank <= scores.length;
    try {
      fits = fits && broadcastShapes(op, mask.shape, scores).every((d, i) => d === scores[i]);
    } catch {
      fits = false;
    }
    if (!fits) throw new ShapeError(op, `attnMask ${formatShape(mask.shape)} does not broadcast to the scores' shape ${formatShape(scores)}`, [mask.shape, scores]);
    if (o.maskIsBoolean === true) mask = booleanMask(mask);
  } else if (o.isCausal === true) mask = causalMask(l, s, qt.dtype);
  checkElementCount(op, [...batch, l, s], 'the attention scores');
  try {
    let scores = mul(matmul(qt, transpose(kt)), scale);
    if (mask !== null) scores = add(scores, mask);
    let weights = softmax(scores, -1);
    if (p > 0) weights = mul(weights, dropoutMask(weights.shape, weights.dtype, p, gen));
    return matmul(weights, vt);
  } catch (err) {
    throw renameError(op, err);
  }
}

/** Inverted dropout's mask: 0 with probability p, else 1/(1 - p) (all 0 for p = 1, as PyTorch). */
function dropoutMask(shape: readonly number[], dtype: Tensor['dtype'], p: number, gen: Generator): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  const keep = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < data.length; i++) data[i] = gen.random() < p ? 0 : keep;
  return rawTensor(data, shape, dtype);
}

/** The plain-loop attention for the registry's oracle: q (B, L, E), k (B, S, E), v (B, S, F), mask (L, S) or none. */
export function attentionOracle(q: OracleInput, k: OracleInput, v: OracleInput, mask: OracleInput | undefined, scale: number, causal: boolean): { shape: number[]; data: number[] } {
  const [b, l, e] = q.shape as [number, number, number];
  const s = k.shape[1]!;
  const f = v.shape[2]!;
  const data: number[] = [];
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < l; i++) {
      const sc: number[] = [];
      for (let j = 0; j < s; j++) {
        let dot = 0;
        for (let t = 0; t < e; t++) dot += q.data[(n * l + i) * e + t]! * k.data[(n * s + j) * e + t]!;
        sc.push(dot * scale + (mask ? mask.data[i * s + j]! : 0) + (causal && j > i ? -Infinity : 0));
      }
      const m = Math.max(...sc);
      const ex = sc.map((x) => Math.exp(x - m));
      const z = ex.reduce((a, x) => a + x, 0);
      for (let c = 0; c < f; c++) {
        let acc = 0;
        for (let j = 0; j < s; j++) acc += (ex[j]! / z) * v.data[(n * s + j) * f + c]!;
        data.push(acc);
      }
    }
  }
  return { shape: [b, l, f], data };
}
