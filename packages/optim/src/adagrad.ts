import type { BaseOptions, ParamState, Params, ResolvedParamGroup, StateSpec } from './optimizer.ts';
import { Optimizer } from './optimizer.ts';
import type { FloatArray, ParamLike } from './param.ts';
import { zerosLike } from './param.ts';
import { adagradUpdate } from './kernels/update.ts';

export interface AdagradOptions extends BaseOptions {
  /** Learning rate (default 0.01). */
  lr: number;
  /** Learning-rate decay per step (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export interface AdagradState extends ParamState {
  /** Sum of the squared gradients so far. */
  sum: FloatArray;
}

/**
 * Adagrad — PyTorch `torch.optim.Adagrad`: g ← g + λθ; γ̃ = γ / (1 + (t−1)η); s ← s + g²;
 * θ ← θ − γ̃ g / (√s + ε). The accumulator starts at `initialAccumulatorValue`.
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  /** The default hyperparameters (PyTorch's). */
  static readonly defaults: AdagradOptions = {
    lr: 1e-2,
    lrDecay: 0,
    weightDecay: 0,
    initialAccumulatorValue: 0,
    eps: 1e-10,
    maximize: false,
  };

  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super('Adagrad', params, Adagrad.defaults, options);
  }

  protected validateOptions(o: AdagradOptions): void {
    const c = this.check;
    c.lr(o.lr);
    c.nonNegative('lr decay', o.lrDecay);
    c.nonNegative('weight decay', o.weightDecay);
    c.nonNegative('initial accumulator value', o.initialAccumulatorValue);
    c.nonNegative('epsilon', o.eps);
    c.boolean('maximize', o.maximize);
  }

  protected createState(p: ParamLike, group: ResolvedParamGroup<AdagradOptions>): AdagradState {
    const sum = zerosLike(p.data);
    sum.fill(group.initialAccumulatorValue);
    return { step: 0, sum };
  }

  protected stateSpec(): StateSpec {
    return { scalars: [], buffers: ['sum'], optionalBuffers: [] };
  }

  protected update(x: FloatArray, g: FloatArray, st: AdagradState, group: ResolvedParamGroup<AdagradOptions>): void {
    adagradUpdate(x, g, st.sum, { ...group, step: st.step });
  }
}
