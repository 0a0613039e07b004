import type { BaseOptions, ParamState, Params, ResolvedParamGroup, StateSpec } from './optimizer.ts';
import { Optimizer } from './optimizer.ts';
import type { FloatArray, ParamLike } from './param.ts';
import { zerosLike } from './param.ts';
import { rmspropUpdate } from './kernels/update.ts';

export interface RMSpropOptions extends BaseOptions {
  /** Learning rate (default 0.01). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by the gradient's estimated variance instead of its second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export interface RMSpropState extends ParamState {
  /** Running average of the squared gradients. */
  squareAvg: FloatArray;
  /** Momentum buffer (momentum > 0 only). */
  momentumBuffer?: FloatArray;
  /** Running average of the gradients (centered only). */
  gradAvg?: FloatArray;
}

/**
 * RMSprop — PyTorch `torch.optim.RMSprop`: g ← g + λθ; v ← αv + (1−α)g²; if centered, ḡ ← lerp(ḡ, g, 1−α) and
 * v' = v − ḡ²; d = √v' + ε; with momentum b ← μb + g/d, θ ← θ − γb; else θ ← θ − γ g/d.
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  /** The default hyperparameters (PyTorch's). */
  static readonly defaults: RMSpropOptions = {
    lr: 1e-2,
    alpha: 0.99,
    eps: 1e-8,
    weightDecay: 0,
    momentum: 0,
    centered: false,
    maximize: false,
  };

  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super('RMSprop', params, RMSprop.defaults, options);
  }

  protected validateOptions(o: RMSpropOptions): void {
    const c = this.check;
    c.lr(o.lr);
    c.unit('alpha', o.alpha, true);
    c.nonNegative('epsilon', o.eps);
    c.nonNegative('weight decay', o.weightDecay);
    c.nonNegative('momentum', o.momentum);
    c.boolean('centered', o.centered);
    c.boolean('maximize', o.maximize);
  }

  protected createState(p: ParamLike, group: ResolvedParamGroup<RMSpropOptions>): RMSpropState {
    const st: RMSpropState = { step: 0, squareAvg: zerosLike(p.data) };
    if (group.momentum > 0) st.momentumBuffer = zerosLike(p.data);
    if (group.centered) st.gradAvg = zerosLike(p.data);
    return st;
  }

  protected stateSpec(): StateSpec {
    return { scalars: [], buffers: ['squareAvg'], optionalBuffers: ['momentumBuffer', 'gradAvg'] };
  }

  protected update(x: FloatArray, g: FloatArray, st: RMSpropState, group: ResolvedParamGroup<RMSpropOptions>): void {
    const buf = group.momentum > 0 ? (st.momentumBuffer ??= zerosLike(x)) : undefined;
    const ga = group.centered ? (st.gradAvg ??= zerosLike(x)) : undefined;
    rmspropUpdate(x, g, st.squareAvg, buf, ga, group);
  }
}
