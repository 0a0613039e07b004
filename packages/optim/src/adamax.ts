import type { BaseOptions, ParamState, Params, ResolvedParamGroup, StateSpec } from './optimizer.ts';
import { Optimizer } from './optimizer.ts';
import type { FloatArray, ParamLike } from './param.ts';
import { zerosLike } from './param.ts';
import { lerp } from './util.ts';

export interface AdamaxOptions extends BaseOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the first moment and the infinity norm (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export interface AdamaxState extends ParamState {
  /** Running average of the gradients (first moment). */
  expAvg: FloatArray;
  /** Exponentially weighted infinity norm of the gradients. */
  expInf: FloatArray;
}

/**
 * Adamax — PyTorch `torch.optim.Adamax`: g ← g + λθ; m ← lerp(m, g, 1−β₁); u ← max(β₂u, |g| + ε);
 * θ ← θ − (γ/(1−β₁ᵗ)) m/u.
 */
export class Adamax extends Optimizer<AdamaxOptions, AdamaxState> {
  /** The default hyperparameters (PyTorch's). */
  static readonly defaults: AdamaxOptions = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false };

  constructor(params: Params<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super('Adamax', params, Adamax.defaults, options);
  }

  protected validateOptions(o: AdamaxOptions): void {
    const c = this.check;
    c.lr(o.lr);
    c.betas(o.betas);
    c.nonNegative('epsilon', o.eps);
    c.nonNegative('weight decay', o.weightDecay);
    c.boolean('maximize', o.maximize);
  }

  protected createState(p: ParamLike): AdamaxState {
    return { step: 0, expAvg: zerosLike(p.data), expInf: zerosLike(p.data) };
  }

  protected stateSpec(): StateSpec {
    return { scalars: [], buffers: ['expAvg', 'expInf'], optionalBuffers: [] };
  }

  protected update(x: FloatArray, g: FloatArray, st: AdamaxState, group: ResolvedParamGroup<AdamaxOptions>): void {
    const { lr, eps, weightDecay: wd, maximize } = group;
    const beta1 = group.betas[0];
    const beta2 = group.betas[1];
    const clr = lr / (1 - beta1 ** st.step);
    const w1 = 1 - beta1;
    const m = st.expAvg;
    const u = st.expInf;
    for (let i = 0, n = x.length; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (wd !== 0) gi = gi + wd * x[i];
      m[i] = lerp(m[i], gi, w1);
      u[i] = Math.max(u[i] * beta2, Math.abs(gi) + eps);
      x[i] = x[i] + (-clr * m[i]) / u[i];
    }
  }
}
