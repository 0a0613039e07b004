import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiStepLR,
  ReduceLROnPlateau,
  SGD,
  StepLR,
  cosineSchedule,
  exponentialSchedule,
  multiStepSchedule,
  stepSchedule,
  warmupCosineSchedule,
} from '../src/index.ts';
import type { LRScheduler } from '../src/index.ts';
import { expectClose, param } from './helpers.ts';

const sgd = (lr = 0.1) => new SGD([param([0])], { lr });
const sgd2 = () => new SGD([{ params: [param([0])], lr: 0.1 }, { params: [param([0])], lr: 0.02 }]);

/** lr after construction (epoch 0) and after each of `n` further step()s. */
function lrs(s: LRScheduler | ReduceLROnPlateau, opt: SGD, n: number, metrics?: number[]): number[][] {
  const out = [opt.paramGroups.map((g) => g.lr)];
  for (let i = 0; i < n; i++) {
    opt.step();
    if (s instanceof ReduceLROnPlateau) s.step(metrics![i]);
    else s.step();
    out.push(opt.paramGroups.map((g) => g.lr));
    expect(s.getLastLr()).toEqual(out[out.length - 1]);
  }
  return out;
}

describe('StepLR', () => {
  it('multiplies by gamma every stepSize epochs', () => {
    const opt = sgd2();
    const got = lrs(new StepLR(opt, 3, 0.5), opt, 10);
    got.forEach((row, e) => expectClose(row, [0.1 * 0.5 ** Math.floor(e / 3), 0.02 * 0.5 ** Math.floor(e / 3)], 1e-15));
    expect(got.slice(0, 4).map((r) => r[0])).toEqual([0.1, 0.1, 0.1, 0.05]);
  });

  it('gamma defaults to 0.1', () => {
    const opt = sgd(1);
    const got = lrs(new StepLR(opt, 2), opt, 4).map((r) => r[0]);
    expectClose(got, [1, 1, 0.1, 0.1, 0.01], 1e-15);
  });
});

describe('MultiStepLR', () => {
  it('multiplies by gamma at each milestone, twice for a repeated one', () => {
    const opt = sgd(0.1);
    const got = lrs(new MultiStepLR(opt, [5, 2, 5], 0.1), opt, 7).map((r) => r[0]);
    expectClose(got, [0.1, 0.1, 0.01, 0.01, 0.01, 0.0001, 0.0001, 0.0001], 1e-14);
  });
});

describe('ExponentialLR', () => {
  it('lr = base * gamma^epoch', () => {
    const opt = sgd2();
    const got = lrs(new ExponentialLR(opt, 0.9), opt, 20);
    got.forEach((row, e) => expectClose(row, [0.1 * 0.9 ** e, 0.02 * 0.9 ** e], 1e-14));
  });
});

describe('CosineAnnealingLR', () => {
  it('follows the closed form at every epoch, including past tMax', () => {
    const opt = sgd2();
    const T = 10;
    const eta = 0.001;
    const got = lrs(new CosineAnnealingLR(opt, T, eta), opt, 25);
    got.forEach((row, e) => {
      const f = (1 + Math.cos((Math.PI * e) / T)) / 2;
      expectClose(row, [eta + (0.1 - eta) * f, eta + (0.02 - eta) * f], 1e-14);
    });
    expectClose(got[0], [0.1, 0.02]);
    expectClose([got[5][0], got[10][0], got[20][0]], [0.0505, 0.001, 0.1], 1e-14);
  });

  it('etaMin defaults to 0', () => {
    const opt = sgd(1);
    const got = lrs(new CosineAnnealingLR(opt, 4), opt, 4).map((r) => r[0]);
    expectClose(got, [1, (1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2, 0], 1e-15, 1e-16);
  });
});

describe('LinearLR', () => {
  it('ramps from startFactor to endFactor over totalIters, then holds', () => {
    const opt = sgd(1);
    const got = lrs(new LinearLR(opt, 0.25, 1, 4), opt, 7).map((r) => r[0]);
    expectClose(got, [0.25, 0.4375, 0.625, 0.8125, 1, 1, 1, 1], 1e-15);
  });

  it('can decay too', () => {
    const opt = sgd(1);
    const got = lrs(new LinearLR(opt, 1, 0.5, 2), opt, 3).map((r) => r[0]);
    expectClose(got, [1, 0.75, 0.5, 0.5], 1e-15);
  });
});

describe('LambdaLR', () => {
  it('lr = base * lambda(epoch), per group', () => {
    const opt = sgd2();
    const got = lrs(new LambdaLR(opt, [(e) => 1 / (e + 1), (e) => 0.5 ** e]), opt, 3);
    got.forEach((row, e) => expectClose(row, [0.1 / (e + 1), 0.02 * 0.5 ** e], 1e-15));
  });
});

describe('LRScheduler base behaviour', () => {
  it('records initialLr in each group and baseLrs; a second scheduler keeps the first initialLr', () => {
    const opt = sgd2();
    const s1 = new StepLR(opt, 1, 0.5);
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 0.02]);
    expect(s1.baseLrs).toEqual([0.1, 0.02]);
    s1.step();
    const s2 = new ExponentialLR(opt, 0.9);
    expect(s2.baseLrs).toEqual([0.1, 0.02]);
    expect(s1.lastEpoch).toBe(1);
    expect(s2.lastEpoch).toBe(0);
  });

  it('chainable forms compose multiplicatively (StepLR then ExponentialLR)', () => {
    const opt = sgd(1);
    const a = new StepLR(opt, 2, 0.5);
    const b = new ExponentialLR(opt, 0.9);
    for (let e = 1; e <= 4; e++) {
      a.step();
      b.step();
      expectClose([opt.paramGroups[0].lr], [0.5 ** Math.floor(e / 2) * 0.9 ** e], 1e-14);
    }
  });

  it('getLastLr returns a copy', () => {
    const opt = sgd();
    const s = new StepLR(opt, 1);
    s.getLastLr()[0] = 5;
    expect(s.getLastLr()).toEqual([0.1]);
  });

  it('stateDict round trip resumes the schedule', () => {
    const optA = sgd();
    const a = new StepLR(optA, 2, 0.5);
    for (let i = 0; i < 3; i++) a.step();
    const osd = JSON.parse(JSON.stringify(optA.stateDict()));
    const ssd = JSON.parse(JSON.stringify(a.stateDict()));
    const optB = sgd();
    const b = new StepLR(optB, 2, 0.5);
    optB.loadStateDict(osd);
    b.loadStateDict(ssd);
    expect(b.lastEpoch).toBe(3);
    for (let i = 0; i < 4; i++) {
      a.step();
      b.step();
      expect(optB.paramGroups[0].lr).toBe(optA.paramGroups[0].lr);
    }
    expect(() => b.loadStateDict({ ...ssd, scheduler: 'ExponentialLR' })).toThrow(/StepLR: invalid state dict/);
    expect(() => b.loadStateDict({ ...ssd, lastEpoch: -2 })).toThrow(/lastEpoch/);
  });

  it('validates its arguments', () => {
    const opt = sgd();
    expect(() => new StepLR(opt, 0)).toThrow(/^StepLR: stepSize must be a positive integer, got 0$/);
    expect(() => new StepLR(opt, 2, -1)).toThrow(/^StepLR: gamma must be positive, got -1$/);
    expect(() => new MultiStepLR(opt, [1, -2])).toThrow(/^MultiStepLR: milestones must be non-negative integers, got -2$/);
    expect(() => new ExponentialLR(opt, 0)).toThrow(/^ExponentialLR: gamma must be positive, got 0$/);
    expect(() => new CosineAnnealingLR(opt, 0)).toThrow(/^CosineAnnealingLR: tMax must be a positive integer, got 0$/);
    expect(() => new CosineAnnealingLR(opt, 5, -1)).toThrow(/^CosineAnnealingLR: etaMin must be non-negative, got -1$/);
    expect(() => new LinearLR(opt, 0)).toThrow(/^LinearLR: startFactor must be in \(0, 1\], got 0$/);
    expect(() => new LinearLR(opt, 0.5, 1.5)).toThrow(/^LinearLR: endFactor must be in \[0, 1\], got 1\.5$/);
    expect(() => new LambdaLR(opt, [(e) => e, (e) => e])).toThrow(/^LambdaLR: expected 1 lr lambdas, got 2$/);
  });
});

describe('ReduceLROnPlateau', () => {
  it('min mode with patience, cooldown and minLr', () => {
    const opt = sgd(0.1);
    const s = new ReduceLROnPlateau(opt, { mode: 'min', factor: 0.5, patience: 2, cooldown: 1, minLr: 0.02, threshold: 0 });
    const metrics = [10, 9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8];
    const got = lrs(s, opt, metrics.length, metrics).slice(1).map((r) => r[0]);
    // Traced by hand from PyTorch's rules: reduce when bad epochs > patience; cooldown zeroes the bad count.
    expect(got).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02, 0.02]);
    expect(s.best).toBe(8);
  });

  it('max mode with an absolute threshold', () => {
    const opt = sgd(1);
    const s = new ReduceLROnPlateau(opt, { mode: 'max', factor: 0.1, patience: 1, threshold: 0.5, thresholdMode: 'abs' });
    const metrics = [1, 1.4, 1.6, 2.2, 2.3, 2.3];
    const got = lrs(s, opt, metrics.length, metrics).slice(1).map((r) => r[0]);
    expect(got).toEqual([1, 1, 1, 1, 1, 0.1]);
    expect(s.best).toBe(2.2);
  });

  it('relative threshold decides what counts as better', () => {
    const s = new ReduceLROnPlateau(sgd(), {});
    expect(s.isBetter(0.99995, 1)).toBe(false);
    expect(s.isBetter(0.9998, 1)).toBe(true);
    const m = new ReduceLROnPlateau(sgd(), { mode: 'max', threshold: 0.1 });
    expect(m.isBetter(1.05, 1)).toBe(false);
    expect(m.isBetter(1.2, 1)).toBe(true);
  });

  it('defaults: patience 10, factor 0.1', () => {
    const opt = sgd(1);
    const s = new ReduceLROnPlateau(opt);
    s.step(1);
    for (let i = 0; i < 10; i++) s.step(1);
    expect(opt.paramGroups[0].lr).toBe(1);
    s.step(1);
    expectClose([opt.paramGroups[0].lr], [0.1]);
  });

  it('per-group minLr and eps: reductions smaller than eps are skipped', () => {
    const opt = sgd2();
    const s = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5, minLr: [0.08, 0], eps: 0.015 });
    s.step(1);
    s.step(1); // reduce: group 0 → max(0.05, 0.08) = 0.08; group 1: 0.02 - 0.01 = 0.01 < eps, kept
    expectClose(opt.paramGroups.map((g) => g.lr), [0.08, 0.02]);
  });

  it('stateDict round trip (through JSON, best = Infinity)', () => {
    const opt = sgd(1);
    const s = new ReduceLROnPlateau(opt, { patience: 1 });
    const fresh = JSON.parse(JSON.stringify(s.stateDict()));
    s.step(5);
    s.step(6);
    const sd = JSON.parse(JSON.stringify(s.stateDict()));
    const t = new ReduceLROnPlateau(sgd(1), { patience: 1 });
    t.loadStateDict(sd);
    expect([t.best, t.numBadEpochs, t.lastEpoch]).toEqual([5, 1, 2]);
    t.loadStateDict(fresh);
    expect(t.best).toBe(Infinity);
    expect(() => t.loadStateDict({ scheduler: 'StepLR' })).toThrow(/ReduceLROnPlateau: invalid state dict/);
  });

  it('validates its options', () => {
    const opt = sgd();
    expect(() => new ReduceLROnPlateau(opt, { factor: 1 })).toThrow(/^ReduceLROnPlateau: factor must be in \[0, 1\), got 1$/);
    expect(() => new ReduceLROnPlateau(opt, { mode: 'up' as any })).toThrow(/mode must be 'min' or 'max'/);
    expect(() => new ReduceLROnPlateau(opt, { thresholdMode: 'x' as any })).toThrow(/thresholdMode must be 'rel' or 'abs'/);
    expect(() => new ReduceLROnPlateau(opt, { patience: -1 })).toThrow(/patience must be a non-negative integer/);
    expect(() => new ReduceLROnPlateau(opt, { cooldown: 1.5 })).toThrow(/cooldown must be a non-negative integer/);
    expect(() => new ReduceLROnPlateau(opt, { minLr: [0, 0] })).toThrow(/expected 1 minLr values, got 2/);
    expect(() => new ReduceLROnPlateau(opt, { minLr: -1 })).toThrow(/minLr must be non-negative/);
  });
});

describe('pure schedule functions', () => {
  it('agree with the schedulers', () => {
    const cases: Array<[(e: number) => number, (o: SGD) => LRScheduler]> = [
      [stepSchedule(0.1, 3, 0.5), (o) => new StepLR(o, 3, 0.5)],
      [multiStepSchedule(0.1, [2, 5], 0.1), (o) => new MultiStepLR(o, [2, 5], 0.1)],
      [exponentialSchedule(0.1, 0.8), (o) => new ExponentialLR(o, 0.8)],
      [cosineSchedule(0.1, 7, 0.01), (o) => new CosineAnnealingLR(o, 7, 0.01)],
    ];
    for (const [f, make] of cases) {
      const opt = sgd(0.1);
      const got = lrs(make(opt), opt, 15).map((r) => r[0]);
      expectClose(got, got.map((_, e) => f(e)), 1e-13);
    }
  });

  it('warmupCosineSchedule: linear warmup then cosine to minLr, held after', () => {
    const f = warmupCosineSchedule(1, 4, 14, 0.1);
    expectClose([0, 1, 2, 3].map(f), [0.25, 0.5, 0.75, 1]);
    expectClose([f(4), f(9), f(14), f(20)], [1, 0.55, 0.1, 0.1], 1e-15);
  });
});
