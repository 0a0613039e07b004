import type { BaseOptions, ParamState, Params, ResolvedParamGroup, StateSpec } from './optimizer.ts';
import { Optimizer } from './optimizer.ts';
import type { FloatArray, ParamLike } from './param.ts';
import { zerosLike } from './param.ts';
import { sgdUpdate } from './kernels/update.ts';

export interface SGDOptions extends BaseOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Use Nesterov momentum (default false). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export interface SGDState extends ParamState {
  /** Momentum buffer (momentum > 0 only). */
  momentumBuffer?: FloatArray;
}

/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum — PyTorch `torch.optim.SGD`:
 * g ← g + λθ; b ← g on the first step, else μb + (1−τ)g; g ← g + μb (Nesterov) or b; θ ← θ − γg.
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  /** The default hyperparameters (PyTorch's). */
  static readonly defaults: SGDOptions = {
    lr: 1e-3,
    momentum: 0,
    dampening: 0,
    weightDecay: 0,
    nesterov: false,
    maximize: false,
  };

  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super('SGD', params, SGD.defaults, options);
  }

  protected validateOptions(o: SGDOptions): void {
    const c = this.check;
    c.lr(o.lr);
    c.nonNegative('momentum', o.momentum);
    c.finite('dampening', o.dampening);
    c.nonNegative('weight decay', o.weightDecay);
    c.boolean('nesterov', o.nesterov);
    c.boolean('maximize', o.maximize);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      c.fail(`Nesterov momentum requires momentum > 0 and dampening = 0, got momentum ${o.momentum} and dampening ${o.dampening}`);
    }
  }

  protected createState(): SGDState {
    return { step: 0 };
  }

  protected stateSpec(): StateSpec {
    return { scalars: [], buffers: [], optionalBuffers: ['momentumBuffer'] };
  }

  protected update(x: FloatArray, g: FloatArray, st: SGDState, group: ResolvedParamGroup<SGDOptions>): void {
    let buf: FloatArray | undefined;
    let first = false;
    if (group.momentum !== 0) {
      buf = st.momentumBuffer;
      first = buf === undefined;
      if (buf === undefined) buf = st.momentumBuffer = zerosLike(x);
    }
    sgdUpdate(x, g, buf, first, group);
  }
}

