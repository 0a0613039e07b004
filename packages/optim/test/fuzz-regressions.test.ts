/**
 * Regression tests for the optim cases the adversarial fuzz suite (packages/autograd/test/fuzz, issue 8)
 * found: every call returns a right result or throws a MemogradError that names the function called and
 * prints no '[object Object]' / 'undefined' / 'null' / 'NaN' that the caller did not pass; a throwing call
 * changes nothing; schedules never return NaN from finite inputs.
 */
import { describe as group, expect, it } from 'vitest';
import { MemogradError, tensor } from '@memograd/autograd';
import { Linear } from '@memograd/nn';
import {
  Adagrad, CallbackList, EarlyStopping, ExponentialLR, LRScheduler, LearningRateScheduler, LinearLR, NAdam, OptionChecker,
  ReduceLROnPlateau, SGD, StepLR, TerminateOnNaN, cosineLr, cosineSchedule, evaluate, exponentialSchedule, fit,
  multiStepSchedule, stepSchedule, warmupCosineSchedule, HyperParameters, probToValue, expectedImprovement, RandomSearch, GaussianProcess,
} from '../src/index.ts';
import { TunerProject } from '../src/node.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe as describeValue } from '../src/util.ts';
import { expectMemogradError } from '../../autograd/test/support/thrown.ts';

const SUSPICIOUS = /\[object Object\]|\bundefined\b|\bnull\b|\bNaN\b|\{"_data"/;

/** The call throws a MemogradError starting with `prefix`, without words built from mangled values. */
function expectNamed(fn: () => unknown, prefix: string, allowed: RegExp | null = null): string {
  const msg = expectMemogradError(fn).message;
  expect(msg.startsWith(prefix), msg).toBe(true);
  const m = SUSPICIOUS.exec(msg);
  if (m && !(allowed && allowed.test(m[0]))) expect.fail(`message says '${m[0]}': ${msg}`);
  return msg;
}

function deep(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

const params = () => new Linear(3, 2).parameters();
const weird = () => ({ valueOf: () => 2 });

group('raw errors become typed errors', () => {
  it('EarlyStopping.onEpochEnd without a training context (restoreBestWeights) names EarlyStopping and changes nothing', () => {
    const es = new EarlyStopping({ monitor: 'loss', minDelta: 0.1, restoreBestWeights: true });
    es.onTrainBegin();
    expectNamed(() => es.onEpochEnd(0, { loss: 1 }, undefined as never), 'EarlyStopping:');
    expect(es.wait).toBe(0);
    expect(es.best).toBe(Infinity);
    // setContext() supplies it, as documented
    const m = new Linear(3, 2);
    es.setContext({ model: m } as never);
    es.onEpochEnd(0, { loss: 1 }, undefined as never);
    expect(es.best).toBe(1);
  });

  it('EarlyStopping.onEpochEnd with logs that are not an object, or a non-number value', () => {
    const es = new EarlyStopping({ monitor: 'loss' });
    expectNamed(() => es.onEpochEnd(0, 3 as never, {} as never), 'EarlyStopping:');
    expectNamed(() => es.onEpochEnd(0, { loss: 'x' as never }, {} as never), 'EarlyStopping:');
    expect(es.wait).toBe(0);
  });

  it('schedule functions with objects or BigInt (no "Cannot convert object to primitive value")', () => {
    expectNamed(() => cosineSchedule(Object.create(null) as never, 5), 'cosineSchedule:');
    expectNamed(() => exponentialSchedule(4294967297, 0.5)(1n as never), 'exponentialSchedule:');
    expectNamed(() => stepSchedule(1e-3, 3)(2n ** 64n as never), 'stepSchedule:');
    expectNamed(() => multiStepSchedule(1, [1, 2])(Symbol('x') as never), 'multiStepSchedule:');
  });

  it('warmupCosineSchedule with a 20,000-deep nested array as the step (no stack overflow)', () => {
    expectNamed(() => warmupCosineSchedule(0, 2, 5)(deep(20000) as never), 'warmupCosineSchedule:');
  });

  it('evaluate/fit with a loss that returns null or a number', () => {
    const m = new Linear(3, 2);
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const y = tensor([[1, 2], [3, 4]]);
    expectNamed(() => evaluate(m, x, y, { loss: (() => null) as never }), 'evaluate:', /null/);
    expectNamed(() => evaluate(m, x, y, { loss: (() => 3) as never }), 'evaluate:');
    expectNamed(() => fit(m, { x, y, loss: (() => 3) as never, optimizer: new SGD(m.parameters(), { lr: 0.1 }), verbose: 0 }), 'fit:');
  });

  it('TerminateOnNaN.onBatchEnd with a context that is not an object; LearningRateScheduler with null options', () => {
    const t = new TerminateOnNaN({ verbose: false });
    expectNamed(() => t.onBatchEnd(0, { loss: Infinity }, 2147483648 as never), 'TerminateOnNaN:');
    expect(t.stoppedAt).toBe(null);
    expectNamed(() => new TerminateOnNaN(null as never), 'TerminateOnNaN:', /null/);
    expectNamed(() => new LearningRateScheduler((_e: number, lr: number) => lr, null as never), 'LearningRateScheduler:', /null/);
  });
});

group("no '[object Object]' in messages", () => {
  it.each<[string, () => unknown, string]>([
    ['ExponentialLR gamma', () => new ExponentialLR(new SGD(params(), { lr: 0.1 }), [weird()] as never), 'ExponentialLR:'],
    ['StepLR gamma', () => new StepLR(new SGD(params(), { lr: 0.1 }), 3, weird() as never), 'StepLR:'],
    ['StepLR stepSize', () => new StepLR(new SGD(params(), { lr: 0.1 }), { length: 3 } as never), 'StepLR:'],
    ['LinearLR endFactor', () => new LinearLR(new SGD(params(), { lr: 0.1 }), 0.5, Object.create(null) as never), 'LinearLR:'],
    ['ReduceLROnPlateau threshold', () => new ReduceLROnPlateau(new SGD(params(), { lr: 0.1 }), { threshold: {} as never }), 'ReduceLROnPlateau:'],
    ['cosineLr tMax', () => cosineLr(0, 1, {} as never), 'cosineLr:'],
    ['exponentialSchedule baseLr', () => exponentialSchedule(weird() as never, 1), 'exponentialSchedule:'],
    ['multiStepSchedule baseLr', () => multiStepSchedule({} as never, [2, 1]), 'multiStepSchedule:'],
    ['multiStepSchedule gamma', () => multiStepSchedule(0, [2, 1], {} as never), 'multiStepSchedule:'],
    ['stepSchedule stepSize', () => stepSchedule(1e-3, { length: 3 } as never), 'stepSchedule:'],
    ['warmupCosineSchedule baseLr', () => warmupCosineSchedule({ get axis(): number { throw new Error('getter called'); } } as never, 2, 4), 'warmupCosineSchedule:'],
    ['warmupCosineSchedule warmupSteps', () => warmupCosineSchedule(1, weird() as never, 1), 'warmupCosineSchedule:'],
    ['warmupCosineSchedule totalSteps', () => warmupCosineSchedule(1, 0, weird() as never), 'warmupCosineSchedule:'],
    ['OptionChecker#fail with an object', () => new OptionChecker('X').fail({ length: 3 } as never), 'X:'],
  ])('%s', (_name, fn, prefix) => {
    expectNamed(fn, prefix);
  });
});

group('messages name the function called', () => {
  it('CallbackList names itself; fit still names fit', () => {
    expectNamed(() => new CallbackList(true as never), 'CallbackList:');
    expectNamed(() => new CallbackList([(() => 'garbage') as never]), 'CallbackList:');
    const m = new Linear(3, 2);
    const x = tensor([[1, 2, 3]]);
    const y = tensor([[1, 2]]);
    expectNamed(() => fit(m, { x, y, loss: (p, t) => p.sub(t).square().mean(), optimizer: new SGD(m.parameters()), verbose: 0, callbacks: [3 as never] }), 'fit:');
  });

  it('the abstract LRScheduler names LRScheduler, not the name argument', () => {
    const Ctor = LRScheduler as unknown as new (...a: unknown[]) => unknown;
    expectNamed(() => new Ctor('x', deep(100)), 'LRScheduler:');
    expectNamed(() => new Ctor('x', new SGD(params(), { lr: 0.1 })), 'LRScheduler:');
  });

  it('cosineSchedule and warmupCosineSchedule name themselves for a bad epoch, not cosineLr', () => {
    expectNamed(() => cosineSchedule(5e-323, 3)((() => 3) as never), 'cosineSchedule:');
    expectNamed(() => cosineSchedule(3, 5)(new Int32Array([1, 2]) as never), 'cosineSchedule:');
    expectNamed(() => cosineSchedule(1e-3, 3)(NaN), 'cosineSchedule:', /NaN/);
    expectNamed(() => warmupCosineSchedule(2.5, 0, 5)(tensor([]) as never), 'warmupCosineSchedule:');
    expectNamed(() => warmupCosineSchedule(1, 3, 1, 1)((() => NaN) as never), 'warmupCosineSchedule:');
  });

  it('loadStateDict says what it was given, not "saved by undefined"', () => {
    const msg = expectNamed(() => new Adagrad(params(), { lr: 0.1 }).loadStateDict(Object.create(null)), 'Adagrad:');
    expect(msg).toMatch(/no 'optimizer' name/);
    expectNamed(() => new SGD(params(), { lr: 0.1 }).loadStateDict([-1]), 'SGD:');
    expectNamed(() => new NAdam(params(), { lr: 0.1 }).loadStateDict([NaN]), 'NAdam:', /NaN/);
    expect(expectNamed(() => new SGD(params(), { lr: 0.1 }).loadStateDict({ optimizer: 'Adam' }), 'SGD:')).toMatch(/saved by Adam, not SGD/);
  });

  it('step renders a Tensor closure as a Tensor, not as JSON', () => {
    const msg = expectNamed(() => new NAdam(params(), { lr: 0.1 }).step(tensor(new Float64Array([1, 2])) as never), 'NAdam:');
    expect(msg).toMatch(/Tensor of shape \[2\]/);
  });
});

group('schedules never return NaN from finite inputs', () => {
  it('cosineLr refuses a tMax that is not a positive integer (a denormal tMax gave NaN) and negative learning rates', () => {
    expectNamed(() => cosineLr(-1.9520524182241623e-276, 1, 2.5e-323, 5e-323), 'cosineLr:');
    expectNamed(() => cosineLr(1, 1, 2.5e-323), 'cosineLr:');
    expectNamed(() => cosineLr(1, 1, 2.5), 'cosineLr:');
    expectNamed(() => cosineLr(1, 1, 3, -0.5), 'cosineLr:');
    expectNamed(() => cosineSchedule(1, 0.5), 'cosineSchedule:');
  });

  it('cosineLr at a huge finite t is finite, and equal to the reduced phase; the formula is unchanged for normal t', () => {
    const v = cosineLr(1.7976931348623157e308, 1e308, 4);
    expect(Number.isFinite(v)).toBe(true);
    expect(cosineLr(1, 1e308, 4)).toBeCloseTo(cosineLr(1, 0, 4), 12); // 1e308/4 is an even integer
    expect(cosineLr(0.1, 3, 7, 0.01)).toBe(0.01 + ((0.1 - 0.01) * (1 + Math.cos((Math.PI * 3) / 7))) / 2);
  });

  it('exponentialSchedule: a garbage epoch, a negative gamma or an overflow is an error; base 0 stays 0', () => {
    expectNamed(() => exponentialSchedule(1.7976931348623157e308, -1), 'exponentialSchedule:');
    expectNamed(() => exponentialSchedule(1, 0.5)({} as never), 'exponentialSchedule:');
    expectNamed(() => exponentialSchedule(1.7976931348623157e308, 2)(3), 'exponentialSchedule:');
    expect(exponentialSchedule(0, 2)(5000)).toBe(0);
    expect(exponentialSchedule(0.1, 0.8)(3)).toBe(0.1 * 0.8 ** 3);
  });

  it('stepSchedule: negative base lr / gamma and a typed-array epoch are refused', () => {
    expectNamed(() => stepSchedule(-1, 2, -1), 'stepSchedule:');
    expectNamed(() => stepSchedule(1, 2, -1), 'stepSchedule:');
    expectNamed(() => stepSchedule(1, 2, 0.5)(new Float32Array([1, 2, 3]) as never), 'stepSchedule:');
    expectNamed(() => stepSchedule(1, 2, 0.5)(-1), 'stepSchedule:');
    expect(stepSchedule(1, 2, 0.5)(5)).toBe(0.25);
  });
});

group('util.describe: safe on anything', () => {
  it('never calls user code and is bounded', () => {
    let called = false;
    const o = { get a(): number { called = true; return 1; }, valueOf: () => { called = true; return 1; } };
    expect(describeValue(o)).toBe('{ a: <getter>, valueOf: function valueOf }');
    expect(called).toBe(false);
    const cyc: unknown[] = [1];
    cyc[0] = cyc;
    expect(describeValue(cyc)).toBe('[[[array of 1]]]');
    expect(describeValue(deep(20000))).toBe('[[[array of 1]]]');
    expect(describeValue(Object.create(null))).toBe('{} (without prototype)');
    expect(describeValue(2n ** 64n)).toBe('18446744073709551616n');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue(tensor([[1, 2]]))).toBe('Tensor of shape [1, 2]');
    expect(describeValue(new Map())).toBe('a Map');
    expect(describeValue(new Proxy({}, { ownKeys: () => { throw new Error('trap'); } }))).toBe('object');
  });
});

group('findings of the long runs with seeds 1001 and 2002 (500 runs per entry)', () => {
  it('probToValue and expectedImprovement refuse what is no number, naming themselves', () => {
    const hp = new HyperParameters();
    hp.choice('u', [8, 16]);
    const space = hp.space[0]!;
    for (const bad of [2n ** 64n, Symbol('fuzz'), deep(20000), Object.create(null), NaN]) {
      expectNamed(() => probToValue(space, bad as never), 'probToValue: prob must be a number in [0, 1]', /NaN/);
    }
    expect([probToValue(space, 0.2), probToValue(space, 0.9), probToValue(space, 7)]).toEqual([8, 16, 16]); // clamped
    for (const bad of [2n ** 64n, Symbol('fuzz'), Object.create(null)]) {
      expectNamed(() => expectedImprovement(0, 1, 2, bad as never), 'expectedImprovement: xi must be a number');
      expectNamed(() => expectedImprovement(bad as never, 1, 2), 'expectedImprovement: mean must be a number');
    }
    expect(expectedImprovement(0, 0, 1, 0)).toBe(1);
  });

  it('TunerProject refuses a trial id that is no short name (no path outside the project, no overlong name, no raw error)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memograd-trial-id-'));
    try {
      const p = new TunerProject({ directory: dir, projectName: 'p' });
      const search = { oracle: 'RandomSearch', seed: 0, space: [], oracleState: {}, trials: [] };
      const trial = (trialId: unknown) => ({ trialId, index: 0, values: { units: 2 }, status: 'COMPLETED', metrics: { val_loss: 0.5 }, score: 0.5, bestEpoch: 0, epochsRun: 1, seconds: 0 });
      for (const bad of [2n ** 64n, Symbol('fuzz'), '../escape', 'a/b', '', 'x'.repeat(65), tensor([[1, 2]])]) {
        expectNamed(() => p.saveTrial(trial(bad) as never, search as never), 'TunerProject.saveTrial: a trial id must be 1 to 64 letters');
        expectNamed(() => p.saveWeights(bad as never, { w: tensor([1]) }), 'TunerProject.saveWeights: a trial id must be');
        expectNamed(() => p.loadWeights(bad as never), 'TunerProject.loadWeights: a trial id must be');
      }
      expectNamed(() => p.saveTrial({ ...trial('00'), values: { units: 2n } } as never, search as never), 'TunerProject.saveTrial: the trial cannot be written as JSON');
      expect(p.load()).toBeNull(); // nothing was written by the refused calls
      p.saveTrial(trial('07') as never, search as never);
      p.saveWeights('07', { w: tensor([1, 2]) });
      expect(p.load()!.trials.map((t) => t.trialId)).toEqual(['07']);
      expect(p.loadWeights('07')!.w!.toArray()).toEqual([1, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts past 2^53 are refused: epochs 1.8e308 was a training loop that never ends (seed 11, 1,500 runs)', () => {
    const model = new Linear(2, 1);
    const x = tensor([[0, 1], [1, 0]]), y = tensor([[1], [0]]);
    expectNamed(() => fit(model, { x, y, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: 'mse', epochs: Number.MAX_VALUE, verbose: 0 } as never), 'fit: epochs must be an integer from 0 to 2^53 - 1');
    const t = new RandomSearch((() => ({})) as never, { objective: 'loss', maxTrials: 1 });
    expectNamed(() => t.search({ x, y, epochs: 2 ** 53 } as never), 'RandomSearch.search: epochs must be an integer from 1 to 2^53 - 1');
    expectNamed(() => new RandomSearch((() => ({})) as never, { objective: 'loss', maxTrials: 1e300 }), 'RandomSearch: maxTrials must be an integer from 1 to 2^53 - 1');
    // seed 71 at 5,000 runs: 2^53 executions per trial ran on past the watchdog
    expectNamed(() => new RandomSearch((() => ({})) as never, { objective: 'loss', maxTrials: 1, executionsPerTrial: 2 ** 53 }), 'RandomSearch: executionsPerTrial must be an integer from 1 to 2^53 - 1');
  });

  it('GaussianProcess.fit standardises targets near the largest float64 without overflow (was: a NaN tensor)', () => {
    const big = new GaussianProcess().fit([[0.1], [0.5], [0.9]], [Number.MAX_VALUE, Number.MAX_VALUE, 1e308]);
    const p = big.predict([0.3]);
    expect(Number.isFinite(p.mean) && Number.isFinite(p.std)).toBe(true);
    // the standardised problem is the same as for the targets divided by 1e308
    const small = new GaussianProcess().fit([[0.1], [0.5], [0.9]], [Number.MAX_VALUE / 1e308, Number.MAX_VALUE / 1e308, 1]);
    expect(p.mean / 1e308).toBeCloseTo(small.predict([0.3]).mean, 6);
  });

  it('Tuner.search names the missing option x or y (was: "it is missing and undefined")', () => {
    const t = new RandomSearch((() => ({})) as never, { objective: 'loss', maxTrials: 1 });
    expect(expectNamed(() => t.search({ x: tensor([1]) } as never), 'RandomSearch.search: options.y must be a Tensor')).toMatch(/it is missing$/);
    expect(expectNamed(() => t.search([[]] as never), 'RandomSearch.search: options.x must be a Tensor')).toMatch(/it is missing$/);
  });
});
