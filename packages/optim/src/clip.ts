import { argumentError, describe } from './util.ts';
import { bumpVersion } from './param.ts';
import type { FloatArray, ParamLike } from './param.ts';

/** Options of `clipGradNorm` (like `torch.nn.utils.clip_grad_norm_`'s). */
export interface ClipGradNormOptions {
  /** Throw if the total norm is NaN or ±Infinity (PyTorch `error_if_nonfinite`). Default false. */
  errorIfNonfinite?: boolean;
}

function isFloatArray(a: unknown): a is FloatArray {
  return a instanceof Float32Array || a instanceof Float64Array;
}

/** The parameters, checked: each has a float data array and a null grad or one with float data of the same length. */
function toList(op: string, params: unknown): ParamLike[] {
  if (params === null || typeof params !== 'object') {
    throw argumentError(`${op}: params must be a parameter or an iterable of parameters (e.g. model.parameters()), got ${params === null ? 'null' : typeof params}`);
  }
  const list: unknown[] = Symbol.iterator in params && !isFloatArray((params as { data?: unknown }).data) ? [...(params as Iterable<unknown>)] : [params];
  list.forEach((p, i) => {
    if (p === null || typeof p !== 'object' || !isFloatArray((p as { data?: unknown }).data)) {
      throw argumentError(`${op}: params[${i}] is not a parameter (needs a Float32Array/Float64Array data), got ${p === null ? 'null' : typeof p}`);
    }
    const g = (p as { grad?: unknown }).grad;
    if (g === null || g === undefined) return;
    if (typeof g !== 'object' || !isFloatArray((g as { data?: unknown }).data)) {
      throw argumentError(`${op}: params[${i}].grad is not a tensor (needs a Float32Array/Float64Array data)`);
    }
    if ((g as { data: FloatArray }).data.length !== (p as { data: FloatArray }).data.length) {
      throw argumentError(`${op}: params[${i}].grad has ${(g as { data: FloatArray }).data.length} elements but the parameter has ${(p as { data: FloatArray }).data.length}`);
    }
  });
  return list as ParamLike[];
}

function vectorNorm(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (p === Infinity) {
    let m = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(values[i]);
      if (a > m || Number.isNaN(a)) m = a;
      if (Number.isNaN(m)) return NaN;
    }
    return m;
  }
  let s = 0;
  if (p === 2) {
    for (let i = 0; i < n; i++) s += values[i] * values[i];
    return Math.sqrt(s);
  }
  if (p === 1) {
    for (let i = 0; i < n; i++) s += Math.abs(values[i]);
    return s;
  }
  for (let i = 0; i < n; i++) s += Math.abs(values[i]) ** p;
  return s ** (1 / p);
}

/**
 * Rescale gradients in place so that their global `normType`-norm (over all gradients together) is at most
 * `maxNorm` — PyTorch `clip_grad_norm_`: coef = maxNorm / (total + 1e-6), gradients are multiplied by coef when
 * coef < 1. Parameters with a null grad are ignored. Returns the total norm before clipping.
 * `normType` is a positive number or `Infinity` (max-abs).
 */
export function clipGradNorm(
  params: ParamLike | Iterable<ParamLike>,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): number {
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) {
    throw argumentError(`clipGradNorm: maxNorm must be non-negative, got ${describe(maxNorm)}`);
  }
  if (typeof normType !== 'number' || !(normType > 0)) {
    throw argumentError(`clipGradNorm: normType must be a positive number or Infinity, got ${describe(normType)}`);
  }
  if (options === null || typeof options !== 'object') throw argumentError(`clipGradNorm: options must be an object, got ${options === null ? 'null' : typeof options}`);
  const grads: FloatArray[] = [];
  const owners: ParamLike['grad'][] = [];
  for (const p of toList('clipGradNorm', params)) {
    if (p.grad) {
      grads.push(p.grad.data);
      owners.push(p.grad);
    }
  }
  if (grads.length === 0) return 0;
  const norms = grads.map((g) => vectorNorm(g, normType));
  const total = vectorNorm(norms, normType);
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw argumentError(
      `clipGradNorm: the total norm of order ${normType} for gradients is non-finite (${total}), so it cannot be clipped`,
    );
  }
  const coef = maxNorm / (total + 1e-6);
  // Math.min(NaN, 1) is NaN: like PyTorch, a NaN total norm turns the gradients into NaN.
  const clamped = Math.min(coef, 1);
  if (clamped !== 1) {
    for (const g of grads) for (let i = 0, n = g.length; i < n; i++) g[i] = g[i] * clamped;
    for (const g of owners) bumpVersion(g);
  }
  return total;
}

/** Clamp every gradient element into [-clipValue, clipValue] in place (PyTorch `clip_grad_value_`). */
export function clipGradValue(params: ParamLike | Iterable<ParamLike>, clipValue: number): void {
  if (typeof clipValue !== 'number' || !(clipValue >= 0)) {
    throw argumentError(`clipGradValue: clipValue must be non-negative, got ${describe(clipValue)}`);
  }
  for (const p of toList('clipGradValue', params)) {
    if (!p.grad) continue;
    const g = p.grad.data;
    let changed = false;
    for (let i = 0, n = g.length; i < n; i++) {
      const v = g[i];
      if (v > clipValue) {
        g[i] = clipValue;
        changed = true;
      } else if (v < -clipValue) {
        g[i] = -clipValue;
        changed = true;
      }
    }
    if (changed) bumpVersion(p.grad);
  }
}
