import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, NAdam, RMSprop, SGD } from '../src/index.ts';
import type { Optimizer, ParamLike } from '../src/index.ts';
import { expectClose, param, run } from './helpers.ts';

// Independent scalar references written from the pseudo-code in PyTorch's torch.optim docs (not from the
// implementation): each returns a function that advances x in place given the gradient at step t (1-based).
type Ref = (x: number[], g: number[], t: number) => void;
type Opts = Record<string, any>;

const zeros = (n: number) => new Array<number>(n).fill(0);

function sgdRef(n: number, o: Opts): Ref {
  const { lr = 1e-3, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false } = o;
  const b = zeros(n);
  return (x, grad, t) => {
    for (let i = 0; i < n; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weightDecay !== 0) g = g + weightDecay * x[i];
      if (momentum !== 0) {
        b[i] = t > 1 ? momentum * b[i] + (1 - dampening) * g : g;
        g = nesterov ? g + momentum * b[i] : b[i];
      }
      x[i] = x[i] - lr * g;
    }
  };
}

function adagradRef(n: number, o: Opts): Ref {
  const { lr = 0.01, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10, maximize = false } = o;
  const sum = new Array<number>(n).fill(initialAccumulatorValue);
  return (x, grad, t) => {
    const clr = lr / (1 + (t - 1) * lrDecay);
    for (let i = 0; i < n; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weightDecay !== 0) g = g + weightDecay * x[i];
      sum[i] = sum[i] + g * g;
      x[i] = x[i] - (clr * g) / (Math.sqrt(sum[i]) + eps);
    }
  };
}

function rmspropRef(n: number, o: Opts): Ref {
  const { lr = 0.01, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false, maximize = false } = o;
  const v = zeros(n);
  const gAve = zeros(n);
  const b = zeros(n);
  return (x, grad) => {
    for (let i = 0; i < n; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weightDecay !== 0) g = g + weightDecay * x[i];
      v[i] = alpha * v[i] + (1 - alpha) * g * g;
      let vt = v[i];
      if (centered) {
        gAve[i] = alpha * gAve[i] + (1 - alpha) * g;
        vt = vt - gAve[i] * gAve[i];
      }
      if (momentum > 0) {
        b[i] = momentum * b[i] + g / (Math.sqrt(vt) + eps);
        x[i] = x[i] - lr * b[i];
      } else {
        x[i] = x[i] - (lr * g) / (Math.sqrt(vt) + eps);
      }
    }
  };
}

function adamRef(n: number, o: Opts, decoupled: boolean): Ref {
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, amsgrad = false, maximize = false } = o;
  const weightDecay = o.weightDecay ?? (decoupled ? 1e-2 : 0);
  const [b1, b2] = betas;
  const m = zeros(n);
  const v = zeros(n);
  const vmax = zeros(n);
  return (x, grad, t) => {
    for (let i = 0; i < n; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (decoupled) x[i] = x[i] - lr * weightDecay * x[i];
      else if (weightDecay !== 0) g = g + weightDecay * x[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const mHat = m[i] / (1 - b1 ** t);
      let vHat: number;
      if (amsgrad) {
        vmax[i] = Math.max(vmax[i], v[i]);
        vHat = vmax[i] / (1 - b2 ** t);
      } else {
        vHat = v[i] / (1 - b2 ** t);
      }
      x[i] = x[i] - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

function adadeltaRef(n: number, o: Opts): Ref {
  const { lr = 1, rho = 0.9, eps = 1e-6, weightDecay = 0, maximize = false } = o;
  const v = zeros(n);
  const u = zeros(n);
  return (x, grad) => {
    for (let i = 0; i < n; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weightDecay !== 0) g = g + weightDecay * x[i];
      v[i] = rho * v[i] + (1 - rho) * g * g;
      const dx = (Math.sqrt(u[i] + eps) / Math.sqrt(v[i] + eps)) * g;
      u[i] = rho * u[i] + (1 - rho) * dx * dx;
      x[i] = x[i] - lr * dx;
    }
  };
}

function nadamRef(n: number, o: Opts): Ref {
  const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, momentumDecay = 4e-3 } = o;
  const { decoupledWeightDecay = false, maximize = false } = o;
  const [b1, b2] = betas;
  const m = zeros(n);
  const v = zeros(n);
  const mu = (t: number) => b1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
  const prod = (t: number) => {
    let p = 1;
    for (let i = 1; i <= t; i++) p *= mu(i);
    return p;
  };
  return (x, grad, t) => {
    for (let i = 0; i < n; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weightDecay !== 0) {
        if (decoupledWeightDecay) x[i] = x[i] - lr * weightDecay * x[i];
        else g = g + weightDecay * x[i];
      }
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const mHat = (mu(t + 1) * m[i]) / (1 - prod(t + 1)) + ((1 - mu(t)) * g) / (1 - prod(t));
      const vHat = v[i] / (1 - b2 ** t);
      x[i] = x[i] - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

function adamaxRef(n: number, o: Opts): Ref {
  const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, maximize = false } = o;
  const [b1, b2] = betas;
  const m = zeros(n);
  const u = zeros(n);
  return (x, grad, t) => {
    for (let i = 0; i < n; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weightDecay !== 0) g = g + weightDecay * x[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      u[i] = Math.max(b2 * u[i], Math.abs(g) + eps);
      x[i] = x[i] - (lr * m[i]) / ((1 - b1 ** t) * u[i]);
    }
  };
}

const X0 = [1.5, -0.7, 0.2, 3.0];
const C = [0.3, 0.1, -0.4, 2.0];
// A gradient with a large first step (so AMSGrad's max matters) and a time-varying part.
const gradFn = (x: number[], t: number) => x.map((xi, i) => 2 * (xi - C[i]) + (t === 1 ? 5 : 0.3 * Math.sin(t + i)));

function simulate(ref: Ref, steps: number): number[][] {
  const x = X0.slice();
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    ref(x, gradFn(x, t), t);
    out.push(x.slice());
  }
  return out;
}

interface Case {
  name: string;
  make: (ps: ParamLike[], o: Opts) => Optimizer<any, any>;
  ref: (n: number, o: Opts) => Ref;
  configs: Opts[];
}

const cases: Case[] = [
  {
    name: 'SGD',
    make: (ps, o) => new SGD(ps, o),
    ref: sgdRef,
    configs: [
      { lr: 0.1 },
      { lr: 0.05, momentum: 0.9 },
      { lr: 0.05, momentum: 0.9, dampening: 0.3 },
      { lr: 0.05, momentum: 0.9, nesterov: true },
      { lr: 0.1, weightDecay: 0.05 },
      { lr: 0.05, momentum: 0.8, weightDecay: 0.05, nesterov: true },
      { lr: 0.05, momentum: 0.5, weightDecay: 0.1, maximize: true },
    ],
  },
  {
    name: 'Adagrad',
    make: (ps, o) => new Adagrad(ps, o),
    ref: adagradRef,
    configs: [{}, { lr: 0.3, lrDecay: 0.1 }, { lr: 0.2, initialAccumulatorValue: 0.5 }, { weightDecay: 0.1 }, { lr: 0.5, eps: 1e-3 }, { maximize: true, weightDecay: 0.2 }],
  },
  {
    name: 'RMSprop',
    make: (ps, o) => new RMSprop(ps, o),
    ref: rmspropRef,
    configs: [
      {},
      { centered: true },
      { momentum: 0.9 },
      { lr: 0.02, centered: true, momentum: 0.7, weightDecay: 0.1 },
      { alpha: 0.5, eps: 1e-4 },
      { maximize: true, weightDecay: 0.05 },
    ],
  },
  {
    name: 'Adam',
    make: (ps, o) => new Adam(ps, o),
    ref: (n, o) => adamRef(n, o, false),
    configs: [
      { lr: 0.1 },
      { lr: 0.1, amsgrad: true },
      { lr: 0.1, amsgrad: true, betas: [0.9, 0.5] },
      { lr: 0.1, weightDecay: 0.1 },
      { lr: 0.05, betas: [0.5, 0.9], eps: 1e-3 },
      { lr: 0.1, amsgrad: true, weightDecay: 0.1, maximize: true },
    ],
  },
  {
    name: 'AdamW',
    make: (ps, o) => new AdamW(ps, o),
    ref: (n, o) => adamRef(n, o, true),
    configs: [{ lr: 0.1 }, { lr: 0.1, weightDecay: 0.1, amsgrad: true, betas: [0.9, 0.5] }, { lr: 0.1, weightDecay: 0 }, { lr: 0.1, maximize: true }],
  },
  {
    name: 'Adadelta',
    make: (ps, o) => new Adadelta(ps, o),
    ref: adadeltaRef,
    configs: [{}, { lr: 0.5, rho: 0.5, weightDecay: 0.1 }, { eps: 1e-3 }, { maximize: true }],
  },
  {
    name: 'NAdam',
    make: (ps, o) => new NAdam(ps, o),
    ref: nadamRef,
    configs: [
      { lr: 0.1 },
      { lr: 0.1, momentumDecay: 0.1 },
      { lr: 0.1, weightDecay: 0.1 },
      { lr: 0.1, weightDecay: 0.1, decoupledWeightDecay: true },
      { lr: 0.05, betas: [0.8, 0.99], maximize: true },
    ],
  },
  {
    name: 'Adamax',
    make: (ps, o) => new Adamax(ps, o),
    ref: adamaxRef,
    configs: [{ lr: 0.1 }, { lr: 0.1, weightDecay: 0.1, betas: [0.8, 0.99] }, { maximize: true, eps: 1e-3 }],
  },
];

describe.each(cases)('$name matches the PyTorch update rule', ({ make, ref, configs }) => {
  it.each(configs)('first 3 steps with %o', (o) => {
    const p = param(X0);
    const traj = run(make([p], o), p, gradFn, 3);
    const expected = simulate(ref(X0.length, o), 3);
    for (let t = 0; t < 3; t++) expectClose(traj[t], expected[t], 1e-13);
  });

  it.each(configs)('25 steps stay within 1e-11 of the reference with %o', (o) => {
    const p = param(X0);
    const traj = run(make([p], o), p, gradFn, 25);
    const expected = simulate(ref(X0.length, o), 25);
    expectClose(traj[24], expected[24], 1e-11, 1e-13);
  });
});

describe('hand-computed values', () => {
  it('SGD with momentum 0.9, lr 0.1, constant gradient', () => {
    const p = param([1, -2], [0.5, 1]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    opt.step(); // buf = g
    expectClose(p.data, [0.95, -2.1]);
    opt.step(); // buf = 0.9*g + g
    expectClose(p.data, [0.95 - 0.1 * 0.95, -2.1 - 0.1 * 1.9]);
    opt.step(); // buf = 0.9*1.9g... = 2.71g
    expectClose(p.data, [0.855 - 0.1 * 1.355, -2.29 - 0.1 * 2.71]);
  });

  it('SGD Nesterov uses g + momentum*buf', () => {
    const p = param([1], [0.5]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true });
    opt.step(); // buf = 0.5, d = 0.5 + 0.45
    expectClose(p.data, [1 - 0.1 * 0.95]);
    opt.step(); // buf = 0.45 + 0.5 = 0.95, d = 0.5 + 0.855
    expectClose(p.data, [1 - 0.095 - 0.1 * 1.355]);
  });

  it('SGD dampening does not apply on the first step', () => {
    const p = param([0], [1]);
    const opt = new SGD([p], { lr: 1, momentum: 0.5, dampening: 0.5 });
    opt.step(); // buf = 1
    expectClose(p.data, [-1]);
    opt.step(); // buf = 0.5*1 + 0.5*1 = 1
    expectClose(p.data, [-2]);
    opt.step(); // buf = 0.5 + 0.5 = 1
    expectClose(p.data, [-3]);
  });

  it('Adam first step moves by ~lr*sign(g), bias-corrected', () => {
    const p = param([1, 1], [0.5, -2]);
    const opt = new Adam([p], { lr: 0.1 });
    opt.step();
    expectClose(p.data, [1 - (0.1 * 0.5) / (0.5 + 1e-8), 1 + (0.1 * 2) / (2 + 1e-8)]);
    opt.step(); // constant gradient: m̂ = g, v̂ = g² again
    expectClose(p.data, [1 - 2 * ((0.1 * 0.5) / (0.5 + 1e-8)), 1 + 2 * ((0.1 * 2) / (2 + 1e-8))], 1e-14);
  });

  it('AdamW decays the parameter by lr*weightDecay before the Adam step', () => {
    const p = param([2], [0]);
    const opt = new AdamW([p], { lr: 0.1, weightDecay: 0.5 });
    opt.step(); // zero gradient: only decay
    expectClose(p.data, [2 * (1 - 0.05)]);
    opt.step();
    expectClose(p.data, [2 * 0.95 * 0.95]);
  });

  it('Adagrad lr decay and initial accumulator', () => {
    const p = param([1], [2]);
    const opt = new Adagrad([p], { lr: 1, lrDecay: 1, initialAccumulatorValue: 5, eps: 0 });
    opt.step(); // sum = 9, clr = 1
    expectClose(p.data, [1 - 2 / 3]);
    opt.step(); // sum = 13, clr = 1/2
    expectClose(p.data, [1 - 2 / 3 - (0.5 * 2) / Math.sqrt(13)]);
  });

  it('Adamax exp_inf = max(beta2*exp_inf, |g|+eps)', () => {
    const p = param([0], [4]);
    const opt = new Adamax([p], { lr: 1, betas: [0.5, 0.5], eps: 0 });
    opt.step(); // m = 2, u = 4, clr = 1/0.5
    expectClose(p.data, [-(2 * 2) / 4]);
    p.grad!.data[0] = 1;
    opt.step(); // m = 1.5, u = max(2, 1) = 2, clr = 1/0.75
    expectClose(p.data, [-1 - 1.5 / 0.75 / 2]);
  });
});

describe('behaviour common to all optimizers', () => {
  const all = cases.flatMap((c) => c.configs.map((o) => ({ name: c.name, make: c.make, o })));

  it.each(all)('$name %o: a null grad skips the parameter and creates no state', ({ make, o }) => {
    const a = param([1, 2]);
    const b = param([3, 4], null);
    const opt = make([a, b], o);
    a.grad = { data: new Float64Array([0.5, -0.5]) };
    opt.step();
    expect(Array.from(b.data)).toEqual([3, 4]);
    expect(opt.getState(b)).toBeUndefined();
    expect(opt.getState(a)?.step).toBe(1);
  });

  it.each(all)('$name %o: maximize(g) equals minimize(-g)', ({ make, o }) => {
    const a = param(X0);
    const b = param(X0);
    const oa = make([a], { ...o, maximize: !o.maximize });
    const ob = make([b], o);
    for (let t = 1; t <= 4; t++) {
      const g = gradFn(Array.from(a.data), t);
      a.grad = { data: new Float64Array(g.map((v) => -v)) };
      b.grad = { data: new Float64Array(g) };
      oa.step();
      ob.step();
      expectClose(a.data, b.data, 1e-15, 0);
    }
  });

  const noDecay = cases.flatMap((c) =>
    c.configs.filter((o) => !o.weightDecay && c.name !== 'AdamW').map((o) => ({ name: c.name, make: c.make, o })),
  );
  it.each(noDecay)('$name %o: zero gradient leaves params unchanged', ({ make, o }) => {
    const p = param([1.5, -2, 0], [0, 0, 0]);
    const opt = make([p], o);
    for (let i = 0; i < 3; i++) opt.step();
    expect(Array.from(p.data)).toEqual([1.5, -2, 0]);
  });

  it('updates param.data in place, reusing state buffers', () => {
    const p = param([1, 2], [0.1, 0.2]);
    const data = p.data;
    const opt = new Adam([p], { amsgrad: true });
    opt.step();
    const st = opt.getState(p)!;
    const bufs = [st.expAvg, st.expAvgSq, st.maxExpAvgSq];
    opt.step();
    expect(p.data).toBe(data);
    const st2 = opt.getState(p)!;
    expect([st2.expAvg, st2.expAvgSq, st2.maxExpAvgSq]).toEqual(bufs);
    expect(st2.expAvg).toBe(bufs[0]);
  });

  it('AMSGrad differs from Adam once the second moment falls', () => {
    const a = param(X0);
    const b = param(X0);
    const ta = run(new Adam([a], { lr: 0.1, betas: [0.9, 0.5] }), a, gradFn, 5);
    const tb = run(new Adam([b], { lr: 0.1, betas: [0.9, 0.5], amsgrad: true }), b, gradFn, 5);
    expect(ta[4]).not.toEqual(tb[4]);
  });

  it('float32 params keep float32 state and track the float64 result', () => {
    const p32 = { data: new Float32Array(X0), shape: [4], grad: null as { data: Float32Array } | null };
    const p64 = param(X0);
    const o32 = new Adam([p32], { lr: 0.05 });
    const o64 = new Adam([p64], { lr: 0.05 });
    for (let t = 1; t <= 10; t++) {
      p32.grad = { data: new Float32Array(gradFn(Array.from(p32.data), t)) };
      p64.grad = { data: new Float64Array(gradFn(Array.from(p64.data), t)) };
      o32.step();
      o64.step();
    }
    expect(o32.getState(p32)!.expAvg).toBeInstanceOf(Float32Array);
    expectClose(p32.data, p64.data, 1e-5, 1e-6);
  });

  it('per-group hyperparameters override the defaults', () => {
    const a = param([1], [1]);
    const b = param([1], [1]);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    opt.step();
    expectClose(a.data, [0.9]);
    expectClose(b.data, [0.5]);
    expect(opt.paramGroups[0].lr).toBe(0.1);
    expect(opt.paramGroups[1].lr).toBe(0.5);
    expect(opt.paramGroups[1].momentum).toBe(0);
  });

  it('a later change to a group lr takes effect on the next step', () => {
    const p = param([1], [1]);
    const opt = new SGD([p], { lr: 0.1 });
    opt.step();
    opt.paramGroups[0].lr = 0.01;
    opt.step();
    expectClose(p.data, [1 - 0.1 - 0.01]);
  });

  it('step(closure) calls the closure first and returns its loss', () => {
    const p = param([3], null);
    const opt = new SGD([p], { lr: 0.25 });
    const loss = opt.step(() => {
      p.grad = { data: new Float64Array([2 * p.data[0]]) };
      return p.data[0] ** 2;
    });
    expect(loss).toBe(9);
    expectClose(p.data, [1.5]);
    expect(opt.step()).toBeUndefined();
  });

  it('zeroGrad sets grads to null, or fills with zeros', () => {
    const a = param([1], [1]);
    const b = param([1], [2]);
    const opt = new SGD([a, b]);
    opt.zeroGrad(false);
    expect(Array.from(a.grad!.data)).toEqual([0]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
  });

  it('addParamGroup adds a group with defaults filled in', () => {
    const a = param([1], [1]);
    const b = param([1], [1]);
    const opt = new Adam([a], { lr: 0.01 });
    opt.addParamGroup({ params: [b], betas: [0.5, 0.6] });
    expect(opt.paramGroups[1].lr).toBe(0.01);
    expect(opt.paramGroups[1].betas).toEqual([0.5, 0.6]);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/more than one parameter group/);
    expect(opt.paramGroups).toHaveLength(2);
  });

  it('a gradient of the wrong length is an error', () => {
    const p = param([1, 2], [1]);
    expect(() => new SGD([p]).step()).toThrow(/SGD: the gradient of parameter 0 of group 0 \(shape \[2\]\) has 1 elements but the parameter has 2/);
  });
});

describe('typing', () => {
  it('every optimizer is assignable to the base Optimizer type', () => {
    const p = param([1], [1]);
    const opts: Optimizer[] = [new SGD([p]), new Adagrad([p]), new RMSprop([p]), new Adam([p]), new AdamW([p]), new Adadelta([p]), new NAdam([p]), new Adamax([p])];
    for (const o of opts) o.step();
    expect(opts.map((o) => o.name)).toEqual(['SGD', 'Adagrad', 'RMSprop', 'Adam', 'AdamW', 'Adadelta', 'NAdam', 'Adamax']);
    expect(new AdamW([p])).toBeInstanceOf(AdamW);
  });
});

describe('property: random hyperparameters and gradients match the references', () => {
  const unit = (max: number) => fc.double({ min: 0, max, noNaN: true });
  const lr = fc.double({ min: 1e-4, max: 1, noNaN: true });
  const eps = fc.double({ min: 1e-8, max: 1e-2, noNaN: true });
  // beta2 >= 0.5 keeps the denominators away from eps alone, where rounding differences (lerp vs mul-add) get
  // amplified by 1/eps.
  const betas = fc.tuple(unit(0.99), fc.double({ min: 0.5, max: 0.999, noNaN: true }));
  const arbs: Record<string, fc.Arbitrary<Opts>> = {
    SGD: fc
      .record({ lr, momentum: unit(0.99), dampening: unit(0.9), weightDecay: unit(0.1), nesterov: fc.boolean(), maximize: fc.boolean() })
      .map((o) => (o.nesterov ? { ...o, dampening: 0, momentum: o.momentum + 0.01 } : o)),
    Adagrad: fc.record({ lr, lrDecay: unit(1), weightDecay: unit(0.1), initialAccumulatorValue: unit(1), eps, maximize: fc.boolean() }),
    RMSprop: fc.record({
      lr,
      alpha: fc.double({ min: 0.5, max: 0.999, noNaN: true }),
      eps,
      weightDecay: unit(0.1),
      momentum: unit(0.99),
      centered: fc.boolean(),
      maximize: fc.boolean(),
    }),
    Adam: fc.record({ lr, betas, eps, weightDecay: unit(0.1), amsgrad: fc.boolean(), maximize: fc.boolean() }),
    AdamW: fc.record({ lr, betas, eps, weightDecay: unit(0.1), amsgrad: fc.boolean(), maximize: fc.boolean() }),
    Adadelta: fc.record({ lr, rho: fc.double({ min: 0.5, max: 0.99, noNaN: true }), eps, weightDecay: unit(0.1), maximize: fc.boolean() }),
    NAdam: fc.record({
      lr,
      betas,
      eps,
      weightDecay: unit(0.1),
      momentumDecay: unit(0.1),
      decoupledWeightDecay: fc.boolean(),
      maximize: fc.boolean(),
    }),
    Adamax: fc.record({ lr, betas, eps, weightDecay: unit(0.1), maximize: fc.boolean() }),
  };
  const vec = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 });

  it.each(cases)('$name', ({ name, make, ref }) => {
    fc.assert(
      fc.property(arbs[name], vec, fc.array(vec, { minLength: 4, maxLength: 4 }), (o, x0, grads) => {
        const p = param(x0);
        const opt = make([p], o);
        const x = x0.slice();
        const r = ref(3, o);
        grads.forEach((g, t) => {
          p.grad = { data: new Float64Array(g) };
          opt.step();
          r(x, g, t + 1);
        });
        expectClose(p.data, x, 1e-10, 1e-10);
      }),
      { numRuns: 200 },
    );
  });
});
