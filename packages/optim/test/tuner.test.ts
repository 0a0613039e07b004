/**
 * The hyper-parameter search: HyperParameters (Keras Tuner's semantics and arithmetic), each oracle,
 * the Gaussian process, the tuners' loop and summary.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, gradcheck, tensor } from '@memograd/autograd';
import * as nn from '@memograd/nn';
import {
  BayesianOptimizationOracle, EarlyStopping, GaussianProcess, GridSearch, GridSearchOracle, HyperParameters, Hyperband, HyperbandOracle,
  MemoryTrialStore, RandomSearch, RandomSearchOracle, SGD, expectedImprovement, gridValues, probToValue, valueToProb,
} from '../src/index.ts';
import type { HPValues, Oracle } from '../src/index.ts';
import { gpNegLogLikelihood } from '../src/tuner/gp.ts';
import { binaryProblem } from './tuner-fixtures.ts';

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ArgumentError);
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

describe('HyperParameters', () => {
  it('returns defaults on first use and registers the space', () => {
    const hp = new HyperParameters();
    expect(hp.int('units', { min: 8, max: 128, step: 8 })).toBe(8);
    expect(hp.int('n', { min: 0, max: 10, default: 3 })).toBe(3);
    expect(hp.float('lr', { min: 1e-4, max: 1e-1, sampling: 'log' })).toBe(1e-4);
    expect(hp.choice('opt', ['adam', 'sgd'])).toBe('adam');
    expect(hp.choice('d', [0.1, 0.5], { default: 0.5 })).toBe(0.5);
    expect(hp.boolean('bn')).toBe(false);
    expect(hp.fixed('act', 'relu')).toBe('relu');
    expect(hp.values).toEqual({ units: 8, n: 3, lr: 1e-4, opt: 'adam', d: 0.5, bn: false, act: 'relu' });
    expect(hp.space.map((h) => h.name)).toEqual(['units', 'n', 'lr', 'opt', 'd', 'bn', 'act']);
    // a second call with the same definition returns the current value, not a new registration
    hp.values.units = 64;
    expect(hp.int('units', { min: 8, max: 128, step: 8 })).toBe(64);
    expect(hp.space).toHaveLength(7);
  });

  it('steps, log sampling and probabilities follow Keras Tuner', () => {
    const hp = new HyperParameters();
    hp.int('u', { min: 8, max: 128, step: 8 });
    hp.int('l', { min: 1, max: 1000, step: 10, sampling: 'log' });
    hp.float('f', { min: 1e-4, max: 1e-2, sampling: 'log' });
    hp.float('s', { min: 0, max: 1, step: 0.25 });
    const [u, l, f, s] = hp.space;
    expect(gridValues(u!)).toEqual(Array.from({ length: 16 }, (_, i) => 8 + 8 * i));
    expect(gridValues(l!)).toEqual([1, 10, 100, 1000]);
    expect(gridValues(s!)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // Keras Tuner's prob_to_index: floor(prob * n), the top clipped
    expect(probToValue(u!, 0)).toBe(8);
    expect(probToValue(u!, 0.999)).toBe(128);
    expect(probToValue(u!, 1)).toBe(128);
    expect(probToValue(u!, 0.5)).toBe(72);
    // log sampling: the geometric middle
    expect(probToValue(f!, 0.5)).toBeCloseTo(1e-3, 12);
    expect(valueToProb(f!, 1e-3)).toBeCloseTo(0.5, 12);
    // value_to_prob of a stepped value is the middle of its interval
    expect(valueToProb(u!, 8)).toBeCloseTo(0.5 / 16, 12);
    for (const v of gridValues(u!)) expect(probToValue(u!, valueToProb(u!, v))).toBe(v);
    for (const v of gridValues(l!)) expect(probToValue(l!, valueToProb(l!, v))).toBe(v);
    // a float without a step: Keras Tuner's 10 grid values at 0.05, 0.15, ...
    expect(gridValues(f!)).toHaveLength(10);
    expect(gridValues(f!)[0]).toBeCloseTo(1e-4 * 100 ** 0.05, 12);
  });

  it('random samples stay in range and on the grid, log-uniform in the log', () => {
    const hp = new HyperParameters();
    hp.int('u', { min: 8, max: 128, step: 8 });
    hp.float('f', { min: 1e-4, max: 1, sampling: 'log' });
    const [u, f] = hp.space;
    const g = new Generator(3);
    let below = 0;
    for (let i = 0; i < 2000; i++) {
      const v = probToValue(u!, g.random()) as number;
      expect(v % 8).toBe(0);
      expect(v).toBeGreaterThanOrEqual(8);
      expect(v).toBeLessThanOrEqual(128);
      const w = probToValue(f!, g.random()) as number;
      expect(w).toBeGreaterThanOrEqual(1e-4);
      expect(w).toBeLessThanOrEqual(1);
      if (w < 1e-2) below++;
    }
    // half the log range lies below 1e-2
    expect(below / 2000).toBeGreaterThan(0.45);
    expect(below / 2000).toBeLessThan(0.55);
  });

  it('conditional scopes: inactive hyper-parameters return null and have no value', () => {
    const hp = new HyperParameters();
    const n = hp.int('num_layers', { min: 0, max: 3, default: 1 })!;
    expect(n).toBe(1);
    const units: (number | null)[] = [];
    for (let i = 0; i < 3; i++) {
      units.push(hp.conditionalScope('num_layers', [1, 2, 3].filter((v) => v > i), () => hp.int(`units_${i}`, { min: 8, max: 64, step: 8 })));
    }
    expect(units).toEqual([8, null, null]);
    expect(hp.values).toEqual({ num_layers: 1, units_0: 8 });
    expect(hp.isActive('units_0')).toBe(true);
    expect(hp.isActive('units_1')).toBe(false);
    expect(messageOf(() => hp.get('units_1'))).toBe("HyperParameters.get: 'units_1' is currently inactive");
    expect(messageOf(() => hp.get('nope'))).toBe("HyperParameters.get: no hyper-parameter named 'nope'");
    // ensureActiveValues drops values of hyper-parameters that became inactive and fills new ones
    hp.values = { num_layers: 2, units_0: 16, units_2: 64 };
    hp.ensureActiveValues();
    expect(hp.values).toEqual({ num_layers: 2, units_0: 16, units_1: 8 });
  });

  it('rejects bad definitions with messages naming the method and the value, registering nothing', () => {
    const hp = new HyperParameters();
    expect(messageOf(() => hp.int('u', { min: 10, max: 1 }))).toBe('HyperParameters.int: min 10 is greater than max 1');
    expect(messageOf(() => hp.int('u', { min: 0.5, max: 1 }))).toBe('HyperParameters.int: min must be an integer, got 0.5');
    expect(messageOf(() => hp.int('u', { min: 0, max: 10, sampling: 'log' }))).toBe("HyperParameters.int: sampling 'log' needs min > 0, got min 0");
    expect(messageOf(() => hp.float('f', { min: 1, max: 10, step: 1, sampling: 'log' }))).toMatch(/^HyperParameters.float: step must be > 1 with sampling 'log'/);
    expect(messageOf(() => hp.int('u', { min: 0, max: 10, default: 11 }))).toBe('HyperParameters.int: default must be an integer in [0, 10], got 11');
    expect(messageOf(() => hp.choice('c', []))).toMatch(/^HyperParameters.choice: values must be a non-empty array/);
    expect(messageOf(() => hp.choice('c', [1, 'a'] as never))).toBe('HyperParameters.choice: values must all have one type, got number and string');
    expect(messageOf(() => hp.choice('c', [1, 2], { default: 3 }))).toBe('HyperParameters.choice: default must be one of the values, got 3');
    expect(messageOf(() => hp.int('', { min: 0, max: 1 }))).toMatch(/^HyperParameters.int: name must be a non-empty string/);
    expect(messageOf(() => hp.conditionalScope('missing', [1], () => 0))).toMatch(/^HyperParameters.conditionalScope: parent must be the name of a hyper-parameter defined before/);
    expect(hp.space).toEqual([]);
    hp.int('u', { min: 0, max: 10 });
    expect(messageOf(() => hp.int('u', { min: 0, max: 20 }))).toMatch(/^HyperParameters.int: 'u' is already defined differently/);
    expect(messageOf(() => hp.choice('u', [1, 2]))).toBe("HyperParameters.choice: 'u' is already defined as an int");
  });

  it('getConfig / fromConfig round trip', () => {
    const hp = new HyperParameters();
    hp.int('n', { min: 0, max: 2 });
    hp.conditionalScope('n', [1, 2], () => hp.float('f', { min: 0, max: 1, step: 0.5 }));
    hp.choice('c', ['a', 'b']);
    const copy = HyperParameters.fromConfig(JSON.parse(JSON.stringify(hp.getConfig())));
    expect(copy.getConfig()).toEqual(hp.getConfig());
  });
});

/** Drives an oracle without training: score = f(values). */
function drive(oracle: Oracle, build: (hp: HyperParameters) => void, score: (v: HPValues) => number, limit = 1000): void {
  const hp0 = oracle.hyperparameters.copy();
  build(hp0);
  oracle.updateSpace(hp0);
  for (let i = 0; i < limit; i++) {
    const t = oracle.createTrial();
    if (t === null) return;
    const hp = oracle.hyperparameters.copy();
    hp.values = { ...t.values };
    build(hp);
    oracle.updateSpace(hp);
    hp.ensureActiveValues();
    const tuner = Object.fromEntries(Object.entries(t.values).filter(([k]) => k.startsWith('tuner/')));
    t.values = { ...hp.values, ...tuner };
    t.score = score(t.values);
    t.metrics = { val_loss: t.score };
    t.status = 'COMPLETED';
  }
}

describe('oracles', () => {
  it('grid search enumerates every combination exactly once, then stops', () => {
    const o = new GridSearchOracle({ objective: 'val_loss' });
    drive(o, (hp) => {
      hp.int('a', { min: 1, max: 3 });
      hp.choice('b', ['x', 'y']);
      hp.boolean('c');
    }, () => 0);
    const keys = o.trials.map((t) => JSON.stringify(t.values));
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
    expect(o.trials[0]!.values).toEqual({ a: 1, b: 'x', c: false });
    expect(o.trials[1]!.values).toEqual({ a: 1, b: 'x', c: true });
    expect(o.trials[11]!.values).toEqual({ a: 3, b: 'y', c: true });
  });

  it('grid search over a conditional space: only active combinations, each once', () => {
    const o = new GridSearchOracle({ objective: 'val_loss' });
    drive(o, (hp) => {
      const n = hp.int('n', { min: 0, max: 2 })!;
      for (let i = 0; i < 2; i++) hp.conditionalScope('n', [1, 2].filter((v) => v > i), () => hp.choice(`u${i}`, [8, 16]));
      void n;
    }, () => 0);
    const got = o.trials.map((t) => JSON.stringify(t.values)).sort();
    // n=0: 1; n=1: 2; n=2: 4
    expect(got).toEqual([
      { n: 0 }, { n: 1, u0: 8 }, { n: 1, u0: 16 }, { n: 2, u0: 8, u1: 8 }, { n: 2, u0: 8, u1: 16 }, { n: 2, u0: 16, u1: 8 }, { n: 2, u0: 16, u1: 16 },
    ].map((v) => JSON.stringify(v)).sort());
  });

  it("hyperband's schedule for maxEpochs=81, factor=3 is Keras Tuner's", () => {
    const o = new HyperbandOracle({ objective: 'val_loss', maxEpochs: 81, factor: 3 });
    // computed with Keras Tuner's _get_size / _get_epochs in CPython
    expect(o.schedule()).toEqual([
      { bracket: 4, rounds: [{ trials: 81, epochs: 1 }, { trials: 27, epochs: 3 }, { trials: 9, epochs: 9 }, { trials: 3, epochs: 27 }, { trials: 1, epochs: 81 }] },
      { bracket: 3, rounds: [{ trials: 34, epochs: 3 }, { trials: 12, epochs: 9 }, { trials: 4, epochs: 27 }, { trials: 2, epochs: 81 }] },
      { bracket: 2, rounds: [{ trials: 15, epochs: 9 }, { trials: 5, epochs: 27 }, { trials: 2, epochs: 81 }] },
      { bracket: 1, rounds: [{ trials: 8, epochs: 27 }, { trials: 3, epochs: 81 }] },
      { bracket: 0, rounds: [{ trials: 5, epochs: 81 }] },
    ]);
  });

  it('hyperband runs that schedule, promoting the best of each round with its weights', () => {
    const o = new HyperbandOracle({ objective: 'val_loss', maxEpochs: 9, factor: 3, seed: 2 });
    drive(o, (hp) => hp.float('x', { min: 0, max: 1 }), (v) => (v.x as number) ** 2);
    const sizes = o.schedule().flatMap((b) => b.rounds.map((r) => r.trials));
    expect(o.trials).toHaveLength(sizes.reduce((a, b) => a + b, 0));
    // bracket 2, round 1: the 3 best of round 0 (by score), continuing from epoch 1 to 3
    const round0 = o.trials.slice(0, 9);
    const round1 = o.trials.slice(9, 12);
    const best3 = [...round0].sort((a, b) => a.score! - b.score!).slice(0, 3).map((t) => t.trialId);
    expect(round1.map((t) => t.values['tuner/trial_id'])).toEqual(best3);
    expect(round1.every((t) => t.values['tuner/epochs'] === 3 && t.values['tuner/initial_epoch'] === 1)).toBe(true);
    expect(round1.map((t) => t.values.x)).toEqual(best3.map((id) => o.getTrial(id)!.values.x));
  });

  it('hyperbandIterations repeats the whole schedule', () => {
    const count = (it: number): number => {
      const o = new HyperbandOracle({ objective: 'val_loss', maxEpochs: 9, factor: 3, seed: 1, hyperbandIterations: it });
      drive(o, (hp) => hp.float('x', { min: 0, max: 1 }), (v) => v.x as number);
      return o.trials.length;
    };
    // one iteration for maxEpochs 9, factor 3 (Keras Tuner, computed in CPython): brackets of 9+3+1, 5+2 and 3 trials
    expect(count(1)).toBe(23);
    expect(count(2)).toBe(46);
  });

  it('random search is repeatable with a seed and avoids duplicates', () => {
    const run = (seed: number): string[] => {
      const o = new RandomSearchOracle({ objective: 'val_loss', maxTrials: 8, seed });
      drive(o, (hp) => hp.choice('c', [1, 2, 3, 4, 5, 6, 7, 8]), () => 0);
      return o.trials.map((t) => JSON.stringify(t.values));
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
    expect(new Set(run(4)).size).toBe(8);
  });

  it('Bayesian optimisation beats random search on a smooth objective, over several seeds', () => {
    const f = (v: HPValues): number => ((v.x as number) - 0.71) ** 2 + ((v.y as number) - 0.23) ** 2;
    const space = (hp: HyperParameters): void => {
      hp.float('x', { min: 0, max: 1 });
      hp.float('y', { min: 0, max: 1 });
    };
    let wins = 0;
    const seeds = [0, 1, 2, 3, 4];
    for (const seed of seeds) {
      const b = new BayesianOptimizationOracle({ objective: 'val_loss', maxTrials: 15, numInitialPoints: 5, seed, candidates: 300 });
      drive(b, space, f);
      const r = new RandomSearchOracle({ objective: 'val_loss', maxTrials: 15, seed });
      drive(r, space, f);
      if (b.bestTrials(1)[0]!.score! < r.bestTrials(1)[0]!.score!) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(4);
  });
});

describe('Gaussian process', () => {
  it('posterior of a 2-point RBF GP matches the hand computation', () => {
    // k(a, b) = exp(-(a - b)² / 2) (length 1, signal 1), noise 0.01, points 0 and 1, targets 1 and -1
    const gp = new GaussianProcess({ kernel: 'rbf', alpha: 0, normalizeY: false }).fit([[0], [1]], [1, -1], { lengthScales: [1], signal: 1, noise: 0.01 });
    const k01 = Math.exp(-0.5);
    const a = 1.01;
    const det = a * a - k01 * k01;
    const kinv = [[a / det, -k01 / det], [-k01 / det, a / det]];
    const ks = [Math.exp(-0.125), Math.exp(-0.125)]; // x* = 0.5
    const alpha = [kinv[0]![0]! * 1 + kinv[0]![1]! * -1, kinv[1]![0]! * 1 + kinv[1]![1]! * -1];
    const mean = ks[0]! * alpha[0]! + ks[1]! * alpha[1]!;
    const quad = ks[0]! * (kinv[0]![0]! * ks[0]! + kinv[0]![1]! * ks[1]!) + ks[1]! * (kinv[1]![0]! * ks[0]! + kinv[1]![1]! * ks[1]!);
    const p = gp.predict([0.5]);
    expect(p.mean).toBeCloseTo(mean, 12); // 0 by symmetry
    expect(p.std).toBeCloseTo(Math.sqrt(1 - quad), 12);
    const q = gp.predict([0.25]);
    const kq = [Math.exp(-0.5 * 0.0625), Math.exp(-0.5 * 0.5625)];
    expect(q.mean).toBeCloseTo(kq[0]! * alpha[0]! + kq[1]! * alpha[1]!, 12);
  });

  it('the log marginal likelihood gradient passes gradcheck (Matern 5/2 and RBF)', () => {
    const x = tensor([[0.1, 0.9], [0.4, 0.3], [0.8, 0.5], [0.2, 0.2]], { dtype: 'float64' });
    const y = tensor([0.3, -1.2, 0.8, 0.1], { dtype: 'float64' });
    for (const kernel of ['matern52', 'rbf'] as const) {
      const l = tensor([Math.log(0.5), Math.log(0.3)], { dtype: 'float64', requiresGrad: true });
      const s = tensor(0.2, { dtype: 'float64', requiresGrad: true });
      const n = tensor(Math.log(0.05), { dtype: 'float64', requiresGrad: true });
      const r = gradcheck((a, b, c) => gpNegLogLikelihood(kernel, x, y, a!, b!, c!), [l, s, n]);
      expect(r.ok).toBe(true);
    }
  });

  it('fitting raises the marginal likelihood above the starting point', () => {
    const g = new Generator(0);
    const xs = Array.from({ length: 12 }, () => [g.random()]);
    const ys = xs.map(([v]) => Math.sin(6 * v!));
    const start = new GaussianProcess({ steps: 0 }).fit(xs, ys);
    const fitted = new GaussianProcess().fit(xs, ys);
    expect(fitted.nll).toBeLessThan(start.nll);
    expect(fitted.predict([0.5]).mean).toBeCloseTo(Math.sin(3), 1);
  });

  it('expected improvement: the closed form', () => {
    expect(expectedImprovement(0, 1, 0, 0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 6);
    expect(expectedImprovement(2, 0, 1, 0)).toBe(0);
    expect(expectedImprovement(0, 0, 1, 0)).toBe(1);
  });
});

/** A tiny binary problem and a build function for end-to-end tuner tests. */
const problem = () => binaryProblem(7, 1);
function build(hp: HyperParameters) {
  const units = hp.int('units', { min: 2, max: 8, step: 2 })!;
  const lr = hp.choice('lr', [0.01, 0.1, 0.5])!;
  const model = new nn.Sequential(new nn.Linear(2, units), new nn.ReLU(), new nn.Linear(units, 1), new nn.Sigmoid());
  return { model, optimizer: (p: nn.Parameter[]) => new SGD(p, { lr }), loss: (p: any, t: any) => nn.binaryCrossEntropy(p, t), metrics: ['accuracy'] as const };
}

describe('tuners', () => {
  it('search, best hyper-parameters and models, the summary; seeded runs are identical', () => {
    const { x, y } = problem();
    const run = (): RandomSearch => {
      const t = new RandomSearch(build as never, { objective: 'val_accuracy', maxTrials: 4, seed: 3, executionsPerTrial: 2 });
      t.search({ x, y, epochs: 3, validationSplit: 0.25, verbose: 0, callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 1 })] });
      return t;
    };
    const a = run();
    const b = run();
    expect(a.oracle.trials.map((t) => [t.values, t.score, t.metrics])).toEqual(b.oracle.trials.map((t) => [t.values, t.score, t.metrics]));
    expect(a.oracle.trials).toHaveLength(4);
    const best = a.getBestTrials(1)[0]!;
    expect(Math.max(...a.oracle.trials.map((t) => t.score!))).toBe(best.score);
    expect(a.getBestHyperparameters(1)[0]!.values).toEqual(best.values);
    const [model] = a.getBestModels(1);
    expect(model!.stateDict()).toBeDefined();
    const text = a.resultsSummary(2, { print: false });
    expect(text).toMatch(/^Results summary\nResults in memory\nShowing 2 best trials\nObjective\(name="val_accuracy", direction="max"\)\n\nTrial \d\d summary\nHyperparameters:\nunits: \d\nlr: [\d.]+\nScore: [\d.]+\n/);
    expect(text.match(/Trial \d\d summary/g)).toHaveLength(2);
  });

  it('getBestModels gives back the weights of the best epoch (same validation accuracy)', async () => {
    const { evaluate } = await import('../src/index.ts');
    const { x, y } = problem();
    const t = new RandomSearch(build as never, { objective: 'val_accuracy', maxTrials: 2, seed: 1 });
    const vx = x.indexSelect(0, Int32Array.from({ length: 15 }, (_, i) => 45 + i));
    const vy = y.indexSelect(0, Int32Array.from({ length: 15 }, (_, i) => 45 + i));
    t.search({ x, y, epochs: 4, validationData: [vx, vy], verbose: 0 });
    const [m] = t.getBestModels(1);
    const logs = evaluate(m!, vx, vy, { loss: (p, q) => nn.binaryCrossEntropy(p, q), metrics: ['accuracy'] });
    expect(logs.accuracy).toBeCloseTo(t.getBestTrials(1)[0]!.metrics.val_accuracy!, 12);
  });

  it('grid search through the tuner stops when the grid is exhausted', () => {
    const { x, y } = problem();
    const t = new GridSearch(build as never, { objective: 'val_loss', seed: 0 });
    t.search({ x, y, epochs: 1, validationSplit: 0.25, verbose: 0 });
    // units 2, 4, 6, 8 × lr 0.01, 0.1, 0.5
    expect(t.oracle.trials).toHaveLength(12);
    expect(new Set(t.oracle.trials.map((tr) => JSON.stringify(tr.values))).size).toBe(12);
  });

  it('hyperband through the tuner trains each promoted trial only the extra epochs', () => {
    const { x, y } = problem();
    const t = new Hyperband(build as never, { objective: 'val_loss', maxEpochs: 3, factor: 3, seed: 0 });
    t.search({ x, y, validationSplit: 0.25, verbose: 0 });
    for (const tr of t.oracle.trials) {
      expect(tr.epochsRun).toBe((tr.values['tuner/epochs'] as number) - (tr.values['tuner/initial_epoch'] as number));
    }
    expect(t.oracle.trials.some((tr) => typeof tr.values['tuner/trial_id'] === 'string')).toBe(true);
  });

  it('prints a progress line per trial, nothing with verbose 0', () => {
    const { x, y } = problem();
    const out: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    (process.stdout as { write: unknown }).write = (s: string) => { out.push(String(s)); return true; };
    try {
      new RandomSearch(build as never, { objective: 'val_accuracy', maxTrials: 2, seed: 0 }).search({ x, y, epochs: 1, validationSplit: 0.25, verbose: 0 });
      expect(out.join('')).toBe('');
      new RandomSearch(build as never, { objective: 'val_accuracy', maxTrials: 2, seed: 0 }).search({ x, y, epochs: 1, validationSplit: 0.25 });
    } finally {
      (process.stdout as { write: unknown }).write = orig;
    }
    const lines = out.join('').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Trial 2\/2 complete \[00h 00m \d\ds\] val_accuracy: [\d.]+ \| best so far: [\d.]+ \| total elapsed \[\d\dh \d\dm \d\ds\]$/);
  });

  it('resumes from a store in memory without re-running completed trials', () => {
    const { x, y } = problem();
    const full = new RandomSearch(build as never, { objective: 'val_accuracy', maxTrials: 4, seed: 9 });
    full.search({ x, y, epochs: 2, validationSplit: 0.25, verbose: 0 });
    const store = new MemoryTrialStore();
    let epochs = 0;
    const bomb = { onEpochEnd: () => { if (++epochs === 5) throw new Error('interrupted'); } };
    const first = new RandomSearch(build as never, { objective: 'val_accuracy', maxTrials: 4, seed: 9, store });
    expect(() => first.search({ x, y, epochs: 2, validationSplit: 0.25, verbose: 0, callbacks: [bomb] })).toThrow('interrupted');
    expect(store.load()!.trials.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED', 'RUNNING']);
    let runs = 0;
    const counter = { onTrainBegin: () => { runs++; } };
    const second = new RandomSearch(build as never, { objective: 'val_accuracy', maxTrials: 4, seed: 9, store });
    second.search({ x, y, epochs: 2, validationSplit: 0.25, verbose: 0, callbacks: [counter] });
    expect(runs).toBe(2);
    const strip = (ts: typeof full.oracle.trials) => ts.map((t) => [t.trialId, t.values, t.score, t.metrics, t.status]);
    expect(strip(second.oracle.trials)).toEqual(strip(full.oracle.trials));
  });

  it('a custom objective function scores each execution; executions are averaged', () => {
    const { x, y } = problem();
    let calls = 0;
    const t = new RandomSearch(build as never, { objective: { name: 'calls', direction: 'max', fn: () => ++calls }, maxTrials: 2, seed: 0, executionsPerTrial: 2 });
    t.search({ x, y, epochs: 1, verbose: 0 });
    // trial 0's executions score 1 and 2, trial 1's 3 and 4
    expect(t.oracle.trials.map((tr) => tr.score)).toEqual([1.5, 3.5]);
    expect(t.oracle.trials.map((tr) => tr.metrics.calls)).toEqual([1.5, 3.5]);
    expect(t.getBestTrials(1)[0]!.trialId).toBe('01');
    // { name, direction } for a log name that cannot be inferred
    const u = new RandomSearch(build as never, { objective: { name: 'loss', direction: 'max' }, maxTrials: 2, seed: 0 });
    u.search({ x, y, epochs: 2, verbose: 0 });
    const scores = u.oracle.trials.map((tr) => tr.score!);
    expect(u.getBestTrials(1)[0]!.score).toBe(Math.max(...scores));
  });

  it('the callbacks reach every trial: EarlyStopping ends each training early', () => {
    const { x, y } = problem();
    // an improvement of 1e9 is impossible: EarlyStopping stops every training after its second epoch
    const t = new RandomSearch(build as never, { objective: 'val_loss', maxTrials: 3, seed: 0, executionsPerTrial: 2 });
    t.search({ x, y, epochs: 6, validationSplit: 0.25, verbose: 0, callbacks: [new EarlyStopping({ monitor: 'val_loss', minDelta: 1e9, patience: 1 })] });
    expect(t.oracle.trials.map((tr) => tr.epochsRun)).toEqual([4, 4, 4]);
  });

  it('searchSpaceSummary lists the space (building once with the defaults before any search)', () => {
    const t = new RandomSearch(build as never, { objective: 'val_loss', maxTrials: 1 });
    expect(t.searchSpaceSummary({ print: false })).toBe([
      'Search space summary',
      'Default search space size: 2',
      'units (Int)',
      '{"min":2,"max":8,"step":2,"sampling":"linear","default":2,"conditions":[]}',
      'lr (Choice)',
      '{"values":[0.01,0.1,0.5],"default":0.01,"conditions":[]}',
      '',
    ].join('\n'));
  });

  it('rejects bad options with the tuner name', () => {
    expect(messageOf(() => new RandomSearch(build as never, { objective: 'val_accuracy', maxTrials: 0 }))).toBe('RandomSearch: maxTrials must be an integer from 1 to 2^53 - 1, got 0');
    expect(messageOf(() => new RandomSearch(build as never, { objective: 'val_thing', maxTrials: 1 }))).toMatch(/^RandomSearch: cannot infer whether objective 'val_thing' is minimised or maximised/);
    expect(messageOf(() => new Hyperband(build as never, { objective: 'val_loss', factor: 1 }))).toBe('Hyperband: factor must be an integer >= 2, got 1');
    expect(messageOf(() => new RandomSearch(42 as never, { objective: 'val_loss', maxTrials: 1 }))).toMatch(/^RandomSearch: buildModel must be a function/);
    const t = new RandomSearch(build as never, { objective: 'val_loss', maxTrials: 1 });
    expect(messageOf(() => t.search({ x: 1, y: 2 } as never))).toMatch(/^RandomSearch.search: options.x must be a Tensor, got 1/);
    expect(messageOf(() => t.search({ x: tensor([1]) } as never))).toMatch(/^RandomSearch.search: options.y must be a Tensor, it is missing/);
    expect(messageOf(() => t.search({ x: problem().x, y: problem().y, epochs: 1, verbose: 0 }))).toBe("RandomSearch.search: the objective 'val_loss' needs validation data: give validationData or validationSplit");
    expect(t.oracle.trials).toEqual([]);
    expect(messageOf(() => t.getBestHyperparameters(0))).toBe('RandomSearch.getBestHyperparameters: n must be an integer >= 1, got 0');
  });
});
