/**
 * The math family's ops of three tensors (lerp, addcmul) and nanToNum (whose replacement values
 * depend on the dtype): defined with defineOp over a broadcasting three-operand loop
 * (kernels/math-ternary.ts), backward rules written with Tensor ops.
 */
import { allocateForOverwrite, type DType } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError } from '../errors.ts';
import { ternaryMap } from '../kernels/math-ternary.ts';
import { broadcastShapes, checkOptions, describe, sizeOf } from '../shape.ts';
import { Tensor, toTensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OracleInput, type Pick } from './define.ts';
import { eq, mul, sub } from './elementwise.ts';
import { applyUnary } from './helpers.ts';

/** Converts three operands; numbers and arrays take the dtype of the first tensor among them. */
function triple(op: string, names: readonly [string, string, string], xs: readonly [TensorLike, TensorLike, TensorLike]): Tensor[] {
  const first = xs.find((x) => x instanceof Tensor) as Tensor | undefined;
  const dtype: DType = first?.dtype ?? 'float32';
  return xs.map((x, i) => toTensor(x, names[i]!, op, dtype));
}

/** Three shapes that broadcast together: the full shape, a suffix of it, or a 1 in place of an axis. */
function sampleThreeShapes(pick: Pick): number[][] {
  const rank = pick(4);
  const full = Array.from({ length: rank }, () => 1 + pick(3));
  const variant = (): number[] => {
    const kind = pick(3);
    if (kind === 0) return full.slice();
    if (kind === 1) return full.slice(pick(rank + 1));
    return full.map((d) => (pick(2) === 0 ? 1 : d));
  };
  return [variant(), variant(), variant()];
}

/** The broadcast of the oracle's inputs, by plain index arithmetic (no memograd op). */
function broadcastOracle(inputs: readonly OracleInput[], f: (...v: number[]) => number): { shape: number[]; data: number[] } {
  const rank = Math.max(...inputs.map((x) => x.shape.length));
  const shape = Array.from({ length: rank }, (_, k) => Math.max(...inputs.map((x) => x.shape[k - (rank - x.shape.length)] ?? 1)));
  const n = shape.reduce((a, b) => a * b, 1);
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    const idx: number[] = [];
    let r = i;
    for (let k = rank - 1; k >= 0; k--) {
      idx[k] = r % shape[k]!;
      r = Math.floor(r / shape[k]!);
    }
    const vals = inputs.map((x) => {
      let off = 0;
      const lead = rank - x.shape.length;
      for (let k = 0; k < x.shape.length; k++) off = off * x.shape[k]! + (x.shape[k] === 1 ? 0 : idx[k + lead]!);
      return x.data[off]!;
    });
    data.push(f(...vals));
  }
  return { shape, data };
}

// ------------------------------------------------------------------ lerp

/** start + weight·(end - start) as PyTorch computes it: from the nearer end, so that weight 1 gives end exactly. */
export function lerpNumber(s: number, e: number, w: number): number {
  return Math.abs(w) < 0.5 ? s + w * (e - s) : e - (e - s) * (1 - w);
}

export const lerpOp = defineOp({
  name: 'lerp',
  inputs: ['start', 'end', 'weight'],
  saves: [0, 1, 2],
  shape: ([s, e, w]) => broadcastShapes('lerp', broadcastShapes('lerp', s!, e!), w!),
  forward: ([s, e, w], _p, shape) => {
    const out = allocateForOverwrite(s!.dtype, sizeOf(shape));
    ternaryMap(s!.data, s!.shape, e!.data, e!.shape, w!.data, w!.shape, out, shape, lerpNumber);
    return out;
  },
  // d lerp = (1 - w) d start + w d end + (end - start) d w
  backward: ({ grad, inputs: [s, e, w] }) => [mul(grad, sub(1, w!)), mul(grad, w!), mul(grad, sub(e!, s!))],
  test: { shapes: sampleThreeShapes, reference: lerpNumber },
});

/**
 * Linear interpolation start + weight·(end - start), element-wise with broadcasting (like
 * `torch.lerp`); `weight` is a number or a tensor (then differentiable too).
 */
export function lerp(start: TensorLike, end: TensorLike, weight: TensorLike): Tensor {
  return apply(lerpOp, triple('lerp', ['start', 'end', 'weight'], [start, end, weight]), undefined);
}

// ------------------------------------------------------------------ addcmul

/** Options of `addcmul`. */
export interface AddcmulOptions {
  /** The factor of the product (default 1). */
  value?: number;
}

export const addcmulOp = defineOp<{ value: number }>({
  name: 'addcmul',
  inputs: ['input', 'tensor1', 'tensor2'],
  saves: [1, 2],
  shape: ([x, a, b]) => broadcastShapes('addcmul', broadcastShapes('addcmul', x!, a!), b!),
  forward: ([x, a, b], { value }, shape) => {
    const out = allocateForOverwrite(x!.dtype, sizeOf(shape));
    // PyTorch's order: input + (value · t1) · t2
    ternaryMap(x!.data, x!.shape, a!.data, a!.shape, b!.data, b!.shape, out, shape, (u, p, q) => u + value * p * q);
    return out;
  },
  // d (x + v t1 t2) = dx + v t2 dt1 + v t1 dt2
  backward: ({ grad, inputs: [, a, b], params: { value } }) => [grad, mul(mul(grad, b!), value), mul(mul(grad, a!), value)],
  test: {
    shapes: sampleThreeShapes,
    params: (_s, pick) => ({ value: [1, -0.5, 2.5][pick(3)]! }),
    oracle: (inputs, { value }) => broadcastOracle(inputs, (u, p, q) => u! + value * p! * q!),
  },
});

/** input + value·tensor1·tensor2, element-wise with broadcasting over the three (like `torch.addcmul`). */
export function addcmul(input: TensorLike, tensor1: TensorLike, tensor2: TensorLike, options?: AddcmulOptions): Tensor {
  const { value = 1 } = checkOptions('addcmul', options, ['value']);
  if (typeof value !== 'number') throw new ArgumentError('addcmul', `value must be a number, got ${describe(value)}`);
  return apply(addcmulOp, triple('addcmul', ['input', 'tensor1', 'tensor2'], [input, tensor1, tensor2]), { value });
}

// ------------------------------------------------------------------ nanToNum

/** Options of `nanToNum`: the replacements (defaults as PyTorch's). */
export interface NanToNumOptions {
  /** What NaN becomes (default 0). */
  nan?: number | null;
  /** What +Infinity becomes (default: the dtype's largest finite value). */
  posinf?: number | null;
  /** What -Infinity becomes (default: the dtype's lowest finite value). */
  neginf?: number | null;
}

interface NanToNumParams {
  nan: number;
  posinf: number;
  neginf: number;
}

/** The largest finite float32 (2 - 2^-23)·2^127. */
const FLOAT32_MAX = 3.4028234663852886e38;

const nanToNumber = (v: number, p: NanToNumParams): number => (v !== v ? p.nan : v === Infinity ? p.posinf : v === -Infinity ? p.neginf : v);

// a defineOp without a number function: the fuzz suite's registry oracle would make NaN in NaN out
export const nanToNumOp = defineOp<NanToNumParams>({
  name: 'nanToNum',
  inputs: ['x'],
  saves: [0],
  shape: ([s]) => s!.slice(),
  forward: ([x], p) => {
    const d = x!.data;
    const out = allocateForOverwrite(x!.dtype, d.length);
    for (let i = 0; i < d.length; i++) out[i] = nanToNumber(d[i]!, p);
    return out;
  },
  // the identity where x is finite, a constant elsewhere: d = [x finite] dx ([x - x = 0])
  backward: ({ grad, inputs: [x] }) => [mul(grad, eq(sub(x!, x!), 0))],
  test: {
    shapes: 'unary',
    params: (_s, pick) => [{ nan: 0, posinf: 1e3, neginf: -1e3 }, { nan: -1, posinf: FLOAT32_MAX, neginf: -Number.MAX_VALUE }][pick(2)]!,
    oracle: ([x], p) => ({ shape: x!.shape.slice(), data: Array.from(x!.data, (v) => nanToNumber(v, p)) }),
    nanExempt: 'NaN is replaced by a number: that is its purpose (torch.nan_to_num)',
  },
});

/**
 * Replaces NaN, +Infinity and -Infinity by numbers (like `torch.nan_to_num`): by default 0 and the
 * dtype's largest and lowest finite values (±3.4028234663852886e38 for float32, ±Number.MAX_VALUE
 * for float64). The gradient passes where x is finite and is 0 elsewhere.
 */
export function nanToNum(x: TensorLike, options?: NanToNumOptions): Tensor {
  const o = checkOptions('nanToNum', options, ['nan', 'posinf', 'neginf']);
  const t = toTensor(x, 'x', 'nanToNum');
  const max = t.dtype === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE;
  const pick = (name: 'nan' | 'posinf' | 'neginf', fallback: number): number => {
    const v = o[name];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number') throw new ArgumentError('nanToNum', `${name} must be a number or null, got ${describe(v)}`);
    return v;
  };
  return applyUnary(nanToNumOp, t, { nan: pick('nan', 0), posinf: pick('posinf', max), neginf: pick('neginf', -max) });
}
