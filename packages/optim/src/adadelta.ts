import type { BaseOptions, ParamState, Params, ResolvedParamGroup, StateSpec } from './optimizer.ts';
import { Optimizer } from './optimizer.ts';
import type { FloatArray, ParamLike } from './param.ts';
import { zerosLike } from './param.ts';

export interface AdadeltaOptions extends BaseOptions {
  /** Scale of the delta before it is applied (default 1.0). */
  lr: number;
  /** Decay rate of the running averages (default 0.9). */
  rho: number;
  /** Added inside the square roots for numerical stability (default 1e-6). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export interface AdadeltaState extends ParamState {
  /** Running average of the squared gradients. */
  squareAvg: FloatArray;
  /** Running average of the squared updates. */
  accDelta: FloatArray;
}

/**
 * Adadelta — PyTorch `torch.optim.Adadelta`: g ← g + λθ; v ← ρv + (1−ρ)g²; Δ = √(u + ε)/√(v + ε) · g;
 * u ← ρu + (1−ρ)Δ²; θ ← θ − γΔ.
 */
export class Adadelta extends Optimizer<AdadeltaOptions, AdadeltaState> {
  /** The default hyperparameters (PyTorch's). */
  static readonly defaults: AdadeltaOptions = { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };

  constructor(params: Params<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super('Adadelta', params, Adadelta.defaults, options);
  }

  protected validateOptions(o: AdadeltaOptions): void {
    const c = this.check;
    c.lr(o.lr);
    c.unit('rho', o.rho, true);
    c.nonNegative('epsilon', o.eps);
    c.nonNegative('weight decay', o.weightDecay);
    c.boolean('maximize', o.maximize);
  }

  protected createState(p: ParamLike): AdadeltaState {
    return { step: 0, squareAvg: zerosLike(p.data), accDelta: zerosLike(p.data) };
  }

  protected stateSpec(): StateSpec {
    return { scalars: [], buffers: ['squareAvg', 'accDelta'], optionalBuffers: [] };
  }

  protected update(x: FloatArray, g: FloatArray, st: AdadeltaState, group: ResolvedParamGroup<AdadeltaOptions>): void {
    const { lr, rho, eps, weightDecay: wd, maximize } = group;
    const sq = st.squareAvg;
    const acc = st.accDelta;
    const w = 1 - rho;
    for (let i = 0, n = x.length; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (wd !== 0) gi = gi + wd * x[i];
      sq[i] = sq[i] * rho + w * gi * gi;
      const std = Math.sqrt(sq[i] + eps);
      const delta = (Math.sqrt(acc[i] + eps) / std) * gi;
      acc[i] = acc[i] * rho + w * delta * delta;
      x[i] = x[i] + -lr * delta;
    }
  }
}
