import type { BaseOptions, ParamState, Params, ResolvedParamGroup, StateSpec } from './optimizer.ts';
import { Optimizer } from './optimizer.ts';
import type { FloatArray, ParamLike } from './param.ts';
import { zerosLike } from './param.ts';
import { lerp } from './util.ts';

export interface NAdamOptions extends BaseOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Decay of the momentum schedule (default 4e-3). */
  momentumDecay: number;
  /** NAdamW: decay θ by γλ instead of adding λθ to the gradient (PyTorch `decoupled_weight_decay`). */
  decoupledWeightDecay: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export interface NAdamState extends ParamState {
  /** Running product μ₁…μₜ. */
  muProduct: number;
  /** Running average of the gradients (first moment). */
  expAvg: FloatArray;
  /** Running average of the squared gradients (second moment). */
  expAvgSq: FloatArray;
}

/**
 * NAdam — PyTorch `torch.optim.NAdam`: μₜ = β₁(1 − ½·0.96^(tψ)), μₜ₊₁ likewise; m ← lerp(m, g, 1−β₁);
 * v ← β₂v + (1−β₂)g²; d = √(v/(1−β₂ᵗ)) + ε;
 * θ ← θ − γ(1−μₜ)/(1−Πμ₁..ₜ) · g/d − γμₜ₊₁/(1−Πμ₁..ₜ₊₁) · m/d.
 */
export class NAdam extends Optimizer<NAdamOptions, NAdamState> {
  /** The default hyperparameters (PyTorch's). */
  static readonly defaults: NAdamOptions = {
    lr: 2e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay: 0,
    momentumDecay: 4e-3,
    decoupledWeightDecay: false,
    maximize: false,
  };

  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super('NAdam', params, NAdam.defaults, options);
  }

  protected validateOptions(o: NAdamOptions): void {
    const c = this.check;
    c.lr(o.lr);
    c.betas(o.betas);
    c.nonNegative('epsilon', o.eps);
    c.nonNegative('weight decay', o.weightDecay);
    c.nonNegative('momentum decay', o.momentumDecay);
    c.boolean('decoupledWeightDecay', o.decoupledWeightDecay);
    c.boolean('maximize', o.maximize);
  }

  protected createState(p: ParamLike): NAdamState {
    return { step: 0, muProduct: 1, expAvg: zerosLike(p.data), expAvgSq: zerosLike(p.data) };
  }

  protected stateSpec(): StateSpec {
    return { scalars: ['muProduct'], buffers: ['expAvg', 'expAvgSq'], optionalBuffers: [] };
  }

  protected update(x: FloatArray, g: FloatArray, st: NAdamState, group: ResolvedParamGroup<NAdamOptions>): void {
    const { lr, eps, weightDecay: wd, momentumDecay: psi, decoupledWeightDecay: decoupled, maximize } = group;
    const beta1 = group.betas[0];
    const beta2 = group.betas[1];
    const t = st.step;
    const bc2 = 1 - beta2 ** t;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
    st.muProduct *= mu;
    const muProduct = st.muProduct;
    const muProductNext = muProduct * muNext;
    const c1 = (-lr * (1 - mu)) / (1 - muProduct);
    const c2 = (-lr * muNext) / (1 - muProductNext);
    const decay = 1 - lr * wd;
    const w1 = 1 - beta1;
    const w2 = 1 - beta2;
    const m = st.expAvg;
    const v = st.expAvgSq;
    for (let i = 0, n = x.length; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (wd !== 0) {
        if (decoupled) x[i] = x[i] * decay;
        else gi = gi + wd * x[i];
      }
      m[i] = lerp(m[i], gi, w1);
      v[i] = v[i] * beta2 + w2 * gi * gi;
      const denom = Math.sqrt(v[i] / bc2) + eps;
      x[i] = x[i] + (c1 * gi) / denom;
      x[i] = x[i] + (c2 * m[i]) / denom;
    }
  }
}
