import type { BaseOptions, ParamState, Params, ResolvedParamGroup, StateSpec } from './optimizer.ts';
import { Optimizer } from './optimizer.ts';
import type { FloatArray, ParamLike } from './param.ts';
import { zerosLike } from './param.ts';

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
    const { lr, momentum, dampening, weightDecay: wd, nesterov, maximize } = group;
    const n = x.length;
    if (momentum === 0) {
      // the plain step is most of a small model's optimizer time: one tight loop per case rather
      // than two tests per element (same arithmetic as the general form below)
      const step = maximize ? lr : -lr;
      if (wd === 0) {
        for (let i = 0; i < n; i++) x[i] = x[i] + step * g[i];
      } else {
        for (let i = 0; i < n; i++) {
          const gi = (maximize ? -g[i] : g[i]) + wd * x[i];
          x[i] = x[i] + -lr * gi;
        }
      }
      return;
    }
    let buf = st.momentumBuffer;
    const first = buf === undefined;
    if (buf === undefined) buf = st.momentumBuffer = zerosLike(x);
    const keep = 1 - dampening;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (wd !== 0) gi = gi + wd * x[i];
      buf[i] = first ? gi : buf[i] * momentum + keep * gi;
      const d = nesterov ? gi + momentum * buf[i] : buf[i];
      x[i] = x[i] + -lr * d;
    }
  }
}

