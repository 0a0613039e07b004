import type { BaseOptions, ParamState, Params, ResolvedParamGroup, StateSpec } from './optimizer.ts';
import { Optimizer } from './optimizer.ts';
import type { FloatArray, ParamLike } from './param.ts';
import { zerosLike } from './param.ts';
import { adamUpdate } from './kernels/update.ts';

export interface AdamOptions extends BaseOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Weight decay: an L2 penalty for Adam, decoupled for AdamW. */
  weightDecay: number;
  /** Use the AMSGrad variant (the running maximum of the second moment). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export interface AdamState extends ParamState {
  /** Running average of the gradients (first moment). */
  expAvg: FloatArray;
  /** Running average of the squared gradients (second moment). */
  expAvgSq: FloatArray;
  /** Running maximum of the second moment (AMSGrad only). */
  maxExpAvgSq?: FloatArray;
}

abstract class AdamCore extends Optimizer<AdamOptions, AdamState> {
  protected abstract readonly decoupled: boolean;

  protected validateOptions(o: AdamOptions): void {
    const c = this.check;
    c.lr(o.lr);
    c.betas(o.betas);
    c.nonNegative('epsilon', o.eps);
    c.nonNegative('weight decay', o.weightDecay);
    c.boolean('amsgrad', o.amsgrad);
    c.boolean('maximize', o.maximize);
  }

  protected createState(p: ParamLike, group: ResolvedParamGroup<AdamOptions>): AdamState {
    const st: AdamState = { step: 0, expAvg: zerosLike(p.data), expAvgSq: zerosLike(p.data) };
    if (group.amsgrad) st.maxExpAvgSq = zerosLike(p.data);
    return st;
  }

  protected stateSpec(): StateSpec {
    return { scalars: [], buffers: ['expAvg', 'expAvgSq'], optionalBuffers: ['maxExpAvgSq'] };
  }

  protected update(x: FloatArray, g: FloatArray, st: AdamState, group: ResolvedParamGroup<AdamOptions>): void {
    const vmax = group.amsgrad ? (st.maxExpAvgSq ??= zerosLike(x)) : undefined;
    adamUpdate(x, g, st.expAvg, st.expAvgSq, vmax, {
      lr: group.lr,
      beta1: group.betas[0],
      beta2: group.betas[1],
      eps: group.eps,
      weightDecay: group.weightDecay,
      maximize: group.maximize,
      decoupled: this.decoupled,
      step: st.step,
    });
  }
}

/**
 * Adam — PyTorch `torch.optim.Adam`: g ← g + λθ; m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²;
 * (AMSGrad: v̂max ← max(v̂max, v)); θ ← θ − (γ/(1−β₁ᵗ)) m / (√v / √(1−β₂ᵗ) + ε).
 */
export class Adam extends AdamCore {
  /** The default hyperparameters (PyTorch's). */
  static readonly defaults: AdamOptions = {
    lr: 1e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay: 0,
    amsgrad: false,
    maximize: false,
  };
  protected readonly decoupled: boolean = false;

  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, Adam.defaults, options);
  }
}

/**
 * AdamW — PyTorch `torch.optim.AdamW`: Adam with decoupled weight decay, θ ← θ(1 − γλ) before the Adam step.
 * `weightDecay` defaults to 1e-2.
 */
export class AdamW extends AdamCore {
  /** The default hyperparameters (PyTorch's; weight decay 1e-2). */
  static readonly defaults: AdamOptions = { ...Adam.defaults, weightDecay: 1e-2 };
  protected readonly decoupled: boolean = true;

  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('AdamW', params, AdamW.defaults, options);
  }
}
