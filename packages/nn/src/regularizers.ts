/**
 * L1 and L2 penalty terms, to add to a loss.
 *
 * `l2Penalty(params, λ)` is λ Σ w². PyTorch's `weight_decay = wd` in SGD adds wd · w to each
 * gradient, which is the gradient of (wd / 2) Σ w²: it equals `l2Penalty(params, wd / 2)`.
 * Keras' `regularizers.l2(λ)` is λ Σ w² (no ½), the same as `l2Penalty(params, λ)`.
 */
import { ArgumentError, DTypeError, Tensor, zeros } from '@memograd/autograd';
import { describe } from './module.ts';
import type { DType } from '@memograd/autograd';

/** Parameters given as a list of tensors or anything with `parameters()` (a Module). */
export type ParamSource = Iterable<Tensor> | {
  /** The tensors to penalize. */
  parameters(): Iterable<Tensor>;
};

function paramList(op: string, params: ParamSource): Tensor[] {
  if (params === null || typeof params !== 'object' || !(typeof (params as { parameters?: unknown }).parameters === 'function' || Symbol.iterator in params)) {
    throw new ArgumentError(op, `params must be a Module or an iterable of tensors, got ${describe(params)}`);
  }
  const it = typeof (params as { parameters?: unknown }).parameters === 'function'
    ? (params as { parameters(): Iterable<Tensor> }).parameters()
    : (params as Iterable<Tensor>);
  const list = [...it];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ArgumentError(op, `parameter ${i} is not a Tensor, got ${describe(p)}`);
    if (p.dtype !== list[0]!.dtype) {
      throw new DTypeError(op, `parameter ${i} is ${p.dtype} but parameter 0 is ${list[0]!.dtype}; convert them to one dtype (e.g. model.to('${list[0]!.dtype}'))`);
    }
  });
  return list;
}

function checkLambda(op: string, lambda: number): void {
  if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda < 0) {
    throw new ArgumentError(op, `lambda must be a finite non-negative number, got ${typeof lambda === 'number' ? String(lambda) : describe(lambda)}`);
  }
}

function total(terms: Tensor[], dtype: DType): Tensor {
  if (terms.length === 0) return zeros([], { dtype });
  let acc = terms[0]!;
  for (let i = 1; i < terms.length; i++) acc = acc.add(terms[i]!);
  return acc;
}

/**
 * λ Σ |w| over every parameter, as a scalar tensor (differentiable; the subgradient at 0 is 0).
 *
 * @example
 * const loss = mseLoss(model.call(x), y).add(l1Penalty(model, 1e-4));
 */
export function l1Penalty(params: ParamSource, lambda: number): Tensor {
  checkLambda('l1Penalty', lambda);
  const list = paramList('l1Penalty', params);
  return total(list.map((p) => p.abs().sum()), list[0]?.dtype ?? 'float32').mul(lambda);
}

/**
 * λ Σ w² over every parameter, as a scalar tensor. PyTorch's `weight_decay = wd` corresponds to
 * λ = wd / 2.
 *
 * @example
 * const loss = mseLoss(model.call(x), y).add(l2Penalty(model.parameters(), 1e-4));
 */
export function l2Penalty(params: ParamSource, lambda: number): Tensor {
  checkLambda('l2Penalty', lambda);
  const list = paramList('l2Penalty', params);
  return total(list.map((p) => p.square().sum()), list[0]?.dtype ?? 'float32').mul(lambda);
}

/** A Keras-style weight regularizer: maps a weight to a scalar penalty tensor. */
export interface Regularizer {
  /** The L1 factor (Keras's `l1`). */
  readonly l1: number;
  /** The L2 factor (Keras's `l2`). */
  readonly l2: number;
  /** The penalty of one weight tensor. */
  call(weight: Tensor): Tensor;
  /** A description such as 'L1L2(l1=0, l2=0.01)'. */
  toString(): string;
}

/** The regularizers made here: their penalty is known from l1 and l2 alone, so `modelToJSON` can save them. */
const BUILT_IN = new WeakSet<Regularizer>();

/** Whether `r` is one of `regularizers`' own (not a user object with its own `call`). */
export function isBuiltInRegularizer(r: unknown): r is Regularizer {
  return typeof r === 'object' && r !== null && BUILT_IN.has(r as Regularizer);
}

/** A regularizer with these factors (checked), marked as built in. */
export function makeRegularizer(l1: number, l2: number): Regularizer {
  checkLambda('regularizers', l1);
  checkLambda('regularizers', l2);
  const r: Regularizer = {
    l1,
    l2,
    call(w: Tensor): Tensor {
      let out: Tensor | null = null;
      if (l1 > 0) out = w.abs().sum().mul(l1);
      if (l2 > 0) {
        const t = w.square().sum().mul(l2);
        out = out === null ? t : out.add(t);
      }
      return out ?? zeros([], { dtype: w.dtype });
    },
    toString: () => (l1 > 0 && l2 > 0 ? `L1L2(l1=${l1}, l2=${l2})` : l1 > 0 ? `L1(${l1})` : `L2(${l2})`),
  };
  BUILT_IN.add(r);
  return r;
}

/**
 * Keras-style regularizers for `Dense`'s `kernelRegularizer` / `biasRegularizer`; the model's
 * `regularizationLoss()` sums them.
 *
 * @example
 * const layer = new Dense(4, 8, { kernelRegularizer: regularizers.l2(0.01) });
 */
export const regularizers = {
  /** λ Σ |w|. */
  l1: (lambda = 0.01): Regularizer => makeRegularizer(lambda, 0),
  /** λ Σ w². */
  l2: (lambda = 0.01): Regularizer => makeRegularizer(0, lambda),
  /** l1 Σ |w| + l2 Σ w². */
  l1l2: (options: { l1?: number; l2?: number } = {}): Regularizer => {
    if (options === null || typeof options !== 'object') throw new ArgumentError('regularizers.l1l2', `options must be an object { l1, l2 }, got ${describe(options)}`);
    return makeRegularizer(options.l1 ?? 0.01, options.l2 ?? 0.01);
  },
};
