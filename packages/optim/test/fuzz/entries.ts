/**
 * Fuzz entries for @memograd/optim: every exported function and class (optimizers and their
 * methods, schedulers, callbacks, clipping, fit/evaluate/predict/accuracy), valid arguments mixed
 * with garbage. A failing step / loadStateDict / fit must leave parameters and state unchanged
 * (the harness snapshots every module, optimizer and tensor among the arguments and `keep`).
 */
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import { Tensor } from '@memograd/autograd';
import * as nn from '@memograd/nn';
import * as optim from '@memograd/optim';
import {
  args, FuzzUserError, garbage, garbageOrBadTensor, intArb, label, mix, opt, plantGrad, render, smallNum, tensorArb, type Case, type FuzzEntry,
} from '../../../autograd/test/fuzz/harness.ts';
import { TENSORBOARD_ENTRIES } from './entries-tensorboard.ts';
import { PLOT_ENTRIES } from './entries-plot.ts';
import { KERAS_ENTRIES } from './entries-keras.ts';
import { TUNER_ENTRIES } from './entries-tuner.ts';

export function resetGlobals(): void {
  ag.setDetectAnomaly(false);
}

const api = optim as unknown as Record<string, any>;
const num = mix(smallNum, 4, 1);

/** A small model whose parameters have gradients: finite, NaN, of the wrong shape, or none. */
function modelWithGrads(kind: number): nn.Module {
  const m = new nn.Linear(3, 2, { seed: 1 } as never);
  const ps = m.parameters();
  ps.forEach((p, i) => {
    if (kind === 0 || kind === 4) p.grad = ag.full(p.shape as number[], 0.5 + i, { dtype: p.dtype });
    if (kind === 1) p.grad = ag.full(p.shape as number[], NaN, { dtype: p.dtype });
    if (kind === 2 && i === 1) plantGrad(p, ag.ones([2, 1], { dtype: p.dtype })); // wrong shape (past the grad setter, which refuses it)
    if (kind === 2 && i === 0) p.grad = ag.ones(p.shape as number[], { dtype: p.dtype });
  });
  return label(m, ['Linear(3, 2) with grads 0.5', 'Linear(3, 2) with NaN grads', 'Linear(3, 2), bias grad [2, 1] for a [2] bias', 'Linear(3, 2) without grads', 'Linear(3, 2) with grads 0.5'][kind]!);
}
const modelArb = fc.constantFrom(0, 0, 0, 1, 2, 3, 4).map(modelWithGrads);

const OPTIMIZERS = ['SGD', 'Adam', 'AdamW', 'Adagrad', 'RMSprop', 'Adadelta', 'NAdam', 'Adamax'];
const optOptions = opt(fc.record({
  lr: mix(fc.constantFrom(0.1, 0.01, 0, -1, NaN, Infinity), 5, 1),
  momentum: opt(fc.constantFrom(0, 0.9, -1, 2)),
  weightDecay: opt(fc.constantFrom(0, 0.01, -1, NaN)),
  betas: opt(fc.oneof(fc.constant([0.9, 0.999]) as fc.Arbitrary<unknown>, fc.constantFrom([1, 0.5], [0.9], 'x'))),
  eps: opt(fc.constantFrom(1e-8, 0, -1)),
  nesterov: opt(fc.boolean()),
  amsgrad: opt(fc.boolean()),
}, { requiredKeys: [] }));
/** The params argument: a parameter list, param groups, a module's iterator, or garbage. */
function paramsArg(m: nn.Module): fc.Arbitrary<unknown> {
  return fc.oneof(
    // rendered with the model's label, so that a message about NaN grads is explained by the arguments
    { arbitrary: fc.constant(0).map(() => label(m.parameters(), `(${render(m)}).parameters()`)) as fc.Arbitrary<unknown>, weight: 6 },
    { arbitrary: fc.constant(0).map(() => [{ params: m.parameters(), lr: 0.05 }]), weight: 1 },
    { arbitrary: fc.constant(0).map(() => [m.parameters()[0], m.parameters()[0]]), weight: 1 },
    { arbitrary: fc.constant(0).map(() => []), weight: 1 },
    { arbitrary: garbage, weight: 1 },
  );
}
/** (model, optimizer) built validly, so methods can be fuzzed. */
const withOptimizer = fc.tuple(modelArb, fc.constantFrom(...OPTIMIZERS)).map(([m, O]) => {
  const o = new (api[O] as new (p: unknown, o: unknown) => optim.Optimizer)(m.parameters(), { lr: 0.1 });
  return { m, o: label(o, `new ${O}(model.parameters(), { lr: 0.1 })`) };
});

function optimizerStateDict(o: optim.Optimizer): fc.Arbitrary<unknown> {
  const variants: [string, () => unknown][] = [
    ['its own state dict', () => o.stateDict()],
    ['its own, lr: NaN', () => { const sd = structuredClone(o.stateDict()) as unknown as { paramGroups: { lr: unknown }[] }; sd.paramGroups[0]!.lr = NaN; return sd; }],
    ['its own, paramGroups: []', () => ({ ...o.stateDict(), paramGroups: [] })],
    ['its own, state: "x"', () => ({ ...o.stateDict(), state: 'x' })],
  ];
  return fc.oneof({ arbitrary: fc.constantFrom(...variants).map(([l, f]) => label(f() as object, `<${l}>`)) as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: garbage, weight: 1 });
}

const OPT_METHODS: Record<string, (o: optim.Optimizer, m: nn.Module) => fc.Arbitrary<unknown[]>> = {
  step: () => fc.tuple(opt(fc.oneof(fc.constant(label(() => 1.5, '() => 1.5')) as fc.Arbitrary<unknown>, garbage))),
  zeroGrad: () => fc.tuple(opt(fc.boolean())),
  getState: (_o, m) => fc.tuple(mix(fc.constant(m.parameters()[0]))),
  stateDict: () => fc.constant([]),
  loadStateDict: (o) => fc.tuple(optimizerStateDict(o)),
  addParamGroup: () => fc.tuple(mix(fc.constant(0).map(() => ({ params: [new nn.Parameter(ag.ones([2]))], lr: 0.01 })))),
};
const OPT_METHOD_ENTRIES: FuzzEntry[] = Object.entries(OPT_METHODS).map(([meth, rest]) => ({
  name: `optim.Optimizer#${meth}`,
  covers: [`Optimizer#${meth}`],
  ops: [meth, ...OPTIMIZERS, 'Optimizer', `step`, 'loadStateDict'],
  gen: withOptimizer.chain(({ m, o }) => rest(o, m).map((a) => ({ args: [o, ...a], keep: [m] }))),
  call: (o: optim.Optimizer, ...a: unknown[]) => {
    const r = (o as unknown as Record<string, (...b: unknown[]) => unknown>)[meth]!(...a);
    // the parameters after the call are part of the result: NaN from finite inputs is caught
    return [r, ...(o.paramGroups as unknown as { params: Tensor[] }[]).flatMap((g) => g.params)];
  },
  nanOk: (c: Case) => /NaN/.test(String((c.keep?.[0] as object | undefined) && labelText(c.keep![0]))),
}));
function labelText(v: unknown): string {
  return v instanceof nn.Module ? (v.parameters()[0]?.grad?.data[0] !== undefined && Number.isNaN(v.parameters()[0]!.grad!.data[0]) ? 'NaN' : '') : '';
}

const OPT_CTOR_ENTRIES: FuzzEntry[] = OPTIMIZERS.map((O) => ({
  name: `optim.${O}`,
  covers: [`optim:${O}`, ...ownPublic(O)],
  ops: [O],
  gen: modelArb.chain((m) => fc.tuple(paramsArg(m), optOptions).map((a) => ({ args: a, keep: [m] }))),
  call: (p, o) => {
    const opt = new (api[O] as new (p: unknown, o: unknown) => optim.Optimizer)(p, o);
    opt.step();
    return (opt.paramGroups as unknown as { params: Tensor[] }[]).flatMap((g) => g.params);
  },
  nanOk: true,
  noSnapshot: true, // a successful construction + step legitimately changes the parameters
}));
function ownPublic(C: string): string[] {
  const proto = (api[C] as { prototype: object }).prototype;
  return Object.getOwnPropertyNames(proto).filter((m) => m !== 'constructor').map((m) => `${C}#${m}`);
}

const SCHEDULERS: [string, fc.Arbitrary<unknown[]>][] = [
  ['LambdaLR', fc.tuple(mix(fc.constant(label((e: number) => 1 / (1 + e), 'e => 1 / (1 + e)'))))],
  ['StepLR', fc.tuple(mix(intArb(1, 3)), opt(smallNum))],
  ['MultiStepLR', fc.tuple(mix(fc.constantFrom([1, 2], [2, 1], [-1], [0.5])), opt(smallNum))],
  ['ExponentialLR', fc.tuple(num)],
  ['CosineAnnealingLR', fc.tuple(mix(intArb(1, 5)), opt(smallNum))],
  ['LinearLR', fc.tuple(opt(smallNum), opt(smallNum), opt(intArb(-1, 5)))],
  ['ReduceLROnPlateau', fc.tuple(opt(fc.record({ mode: opt(fc.constantFrom('min', 'max', 'x')), factor: opt(fc.constantFrom(0.1, 0, 1, 2, NaN)), patience: opt(intArb(-1, 3)), threshold: opt(smallNum), cooldown: opt(intArb(-1, 2)), minLr: opt(fc.oneof(smallNum, fc.constant([0]))) }, { requiredKeys: [] })))],
];
const SCHED_ENTRIES: FuzzEntry[] = SCHEDULERS.map(([S, rest]) => ({
  name: `optim.${S}`,
  covers: [`optim:${S}`, ...ownPublic(S), ...(S === 'StepLR' ? ['LRScheduler#step', 'LRScheduler#getLastLr', 'LRScheduler#stateDict', 'LRScheduler#loadStateDict', 'LRScheduler#initialStep', 'LRScheduler#currentLrs'] : [])],
  ops: [S, 'LRScheduler', 'step', 'loadStateDict'],
  gen: fc.tuple(withOptimizer, rest, num, fc.oneof(fc.constant(null) as fc.Arbitrary<unknown>, garbage)).map(([{ m, o }, r, metric, sd]) => ({ args: [o, r, metric, sd], keep: [m] })),
  call: (o, r, metric, sd) => {
    const s = new (api[S] as new (...a: unknown[]) => { step(m?: unknown): void; getLastLr(): number[]; stateDict(): unknown; loadStateDict(x: unknown): void })(o, ...(r as unknown[]));
    s.step(metric);
    s.step(metric);
    const lrs = s.getLastLr();
    s.loadStateDict(sd ?? s.stateDict());
    if (lrs.some((v) => typeof v !== 'number' || Number.isNaN(v))) return ag.tensor(lrs.map(Number).map((v) => (Number.isNaN(v) ? NaN : v)).filter(() => true), { dtype: 'float64' }).add(NaN);
    return lrs;
  },
  noSnapshot: true,
}));

const SCHEDULE_FNS: [string, fc.Arbitrary<unknown[]>][] = [
  ['stepSchedule', fc.tuple(num, mix(intArb(1, 3)), opt(smallNum))],
  ['multiStepSchedule', fc.tuple(num, mix(fc.constantFrom([1, 2], [2, 1])), opt(smallNum))],
  ['exponentialSchedule', fc.tuple(num, num)],
  ['cosineSchedule', fc.tuple(num, mix(intArb(1, 5)), opt(smallNum))],
  ['warmupCosineSchedule', fc.tuple(num, mix(intArb(0, 3)), mix(intArb(1, 5)), opt(smallNum))],
];
const SCHEDULE_ENTRIES: FuzzEntry[] = [
  ...SCHEDULE_FNS.map(([n, a]): FuzzEntry => ({
    name: `optim.${n}`,
    covers: [`optim:${n}`],
    gen: fc.tuple(a, mix(intArb(0, 6))).map(([x, e]) => ({ args: [x, e] })),
    call: (a, e) => {
      const f = api[n](...(a as unknown[]));
      const v = f(e);
      if (typeof v !== 'number' || Number.isNaN(v)) return ag.tensor([0]).add(NaN); // surfaces as NaN-from-finite
      return v;
    },
  })),
  { name: 'optim.cosineLr', covers: ['optim:cosineLr'], gen: args(num, num, num, opt(smallNum)), call: (a, t, m, e) => { const v = optim.cosineLr(a as number, t as number, m as number, e as number); return Number.isNaN(v) ? ag.tensor([0]).add(NaN) : v; } },
];

const X = fc.oneof({ arbitrary: tensorArb({ shape: [4, 3], special: false }) as fc.Arbitrary<unknown>, weight: 6 }, { arbitrary: tensorArb(), weight: 1 }, { arbitrary: garbageOrBadTensor, weight: 1 });
const Y = fc.oneof({ arbitrary: tensorArb({ shape: [4, 2], special: false }) as fc.Arbitrary<unknown>, weight: 6 }, { arbitrary: tensorArb(), weight: 1 }, { arbitrary: garbageOrBadTensor, weight: 1 });
const callbackArb = fc.oneof(
  { arbitrary: fc.constant(0).map(() => new optim.EarlyStopping({ monitor: 'loss', patience: 1 })) as fc.Arbitrary<unknown>, weight: 2 },
  { arbitrary: fc.constant(0).map(() => label(new optim.EarlyStopping({ monitor: 'val_los' }), "new EarlyStopping({ monitor: 'val_los' })")), weight: 1 },
  { arbitrary: fc.constant(0).map(() => new optim.History()), weight: 1 },
  // user code that throws before any step: fit propagates it and has changed nothing (a throw after
  // some epochs would legitimately leave the trained weights, as in Keras)
  { arbitrary: fc.constant(0).map(() => label({ onTrainBegin: () => { throw new FuzzUserError(); } }, '{ onTrainBegin() { throw } }')), weight: 1 },
  { arbitrary: garbage, weight: 1 },
);
const fitOptions = (m: nn.Module) => fc.record({
  x: X,
  y: Y,
  loss: mix(fc.constantFrom('mse', 'mae').map((l) => l) as fc.Arbitrary<unknown>, 5, 1),
  optimizer: mix(fc.constant(0).map(() => new optim.SGD(m.parameters(), { lr: 0.1 })), 5, 1),
  epochs: opt(fc.oneof(intArb(0, 2), fc.constantFrom(-1, 0.5, NaN))),
  batchSize: opt(fc.oneof(intArb(1, 4), fc.constantFrom(0, -1, 2.5))),
  verbose: fc.constant(0),
  validationSplit: opt(fc.constantFrom(0, 0.25, 1, -0.5, NaN)),
  callbacks: opt(fc.array(callbackArb, { maxLength: 2 })),
  metrics: opt(fc.oneof(fc.constant(['accuracy']) as fc.Arbitrary<unknown>, garbage)),
}, { requiredKeys: ['x', 'y', 'loss', 'optimizer', 'verbose'] });

const TRAIN_ENTRIES: FuzzEntry[] = [
  {
    name: 'optim.fit',
    covers: ['optim:fit'],
    // a loss given by name names itself ('mean_squared_error: mseLoss: …'); the model's own layer names a bad input ('Linear(3 → 2): …')
    ops: ['fit', 'EarlyStopping', 'History', 'callbacks', 'mseLoss', 'l1Loss', 'mean_squared_error', 'mean_absolute_error', 'Linear'],
    gen: fc.constant(0).map(() => new nn.Linear(3, 2, { seed: 1 } as never)).chain((m) => fc.tuple(fc.constant(m), fitOptions(m)).map((a) => ({ args: a }))),
    call: (m, o) => {
      const h = optim.fit(m as never, o as never);
      // documented: a finished fit leaves the model in eval mode (a failed one restores the mode it had)
      if ((m as nn.Module).training !== false) throw new Error('fit left the model in training mode');
      return (h as unknown as { history: Record<string, number[]> }).history;
    },
    nanOk: true,
    runs: 0.5,
  },
  { name: 'optim.evaluate', covers: ['optim:evaluate'], ops: ['evaluate', 'mseLoss', 'mean_squared_error', 'Linear'], gen: args(fc.constant(0).map(() => new nn.Linear(3, 2, { seed: 1 } as never)), X, Y, mix(fc.record({ loss: mix(fc.constant('mse')), batchSize: opt(fc.oneof(intArb(1, 4), fc.constantFrom(0, -1))) }, { requiredKeys: ['loss'] }))), call: (m, x, y, o) => optim.evaluate(m as never, x as never, y as never, o as never), nanOk: true },
  { name: 'optim.predict', covers: ['optim:predict'], ops: ['predict', 'Linear'], gen: args(fc.constant(0).map(() => new nn.Linear(3, 2, { seed: 1 } as never)), X, opt(fc.record({ batchSize: opt(fc.oneof(intArb(1, 4), fc.constantFrom(0, -1, 0.5))) }, { requiredKeys: [] }))), call: (m, x, o) => optim.predict(m as never, x as never, o as never), nanOk: true },
  { name: 'optim.accuracy', covers: ['optim:accuracy'], gen: args(Y, Y, opt(fc.record({ threshold: opt(smallNum) }, { requiredKeys: [] }))), call: (p, t, o) => optim.accuracy(p as never, t as never, o as never) },
  { name: 'optim.clipGradNorm', covers: ['optim:clipGradNorm'], gen: modelArb.chain((m) => fc.tuple(paramsArg(m), num, opt(fc.constantFrom(1, 2, Infinity, 0, -1, NaN)), opt(fc.record({ errorIfNonfinite: opt(fc.boolean()) }, { requiredKeys: [] }))).map((a) => ({ args: a, keep: [m] }))), call: (p, n, t, o) => optim.clipGradNorm(p as never, n as number, t as number, o as never), nanOk: true },
  { name: 'optim.clipGradValue', covers: ['optim:clipGradValue'], gen: modelArb.chain((m) => fc.tuple(paramsArg(m), num).map((a) => ({ args: a, keep: [m] }))), call: (p, v) => optim.clipGradValue(p as never, v as number) },
  { name: 'optim.zerosLike', covers: ['optim:zerosLike'], gen: args(mix(fc.constantFrom(new Float32Array(3), new Float64Array(2)))), call: (a) => optim.zerosLike(a as never) },
];

const CALLBACK_ENTRIES: FuzzEntry[] = [
  { name: 'optim.EarlyStopping', covers: ['optim:EarlyStopping', ...ownPublic('EarlyStopping')], ops: ['EarlyStopping'], gen: args(opt(fc.record({ monitor: opt(fc.constantFrom('loss', 'val_loss', 'acc', '')), minDelta: opt(fc.constantFrom(0, 0.1, -1, NaN)), patience: opt(fc.oneof(intArb(0, 3), fc.constantFrom(-1, 0.5))), mode: opt(fc.constantFrom('min', 'max', 'auto', 'x')), restoreBestWeights: opt(fc.boolean()) }, { requiredKeys: [] })), fc.constantFrom(1, 0.5, NaN)),
    call: (o, v) => { const e = new optim.EarlyStopping(o as never); const E = e as unknown as Record<string, (...a: unknown[]) => unknown>; E['onTrainBegin']?.({}, undefined); E['onEpochEnd']?.(0, { loss: v, val_loss: v }, undefined); return e.wait; } },
  { name: 'optim.TerminateOnNaN', covers: ['optim:TerminateOnNaN', ...ownPublic('TerminateOnNaN')], ops: ['TerminateOnNaN'], gen: args(opt(fc.oneof(fc.record({ verbose: opt(fc.constantFrom(false, 'yes', 1)) }, { requiredKeys: [] }) as fc.Arbitrary<unknown>, garbage)), num, mix(fc.constant(0).map(() => ({ epoch: 0, stopTraining: false })))),
    call: (o, loss, ctx) => { const t = new optim.TerminateOnNaN(o as never); const T = t as unknown as Record<string, (...a: unknown[]) => unknown>; T['onTrainBegin']?.({}, ctx); T['onBatchEnd']?.(0, { loss }, ctx); return t.stoppedAt === null ? null : [t.stoppedAt.epoch, t.stoppedAt.batch]; } },
  { name: 'optim.History', covers: ['optim:History', ...ownPublic('History')], ops: ['History'], gen: args(num), call: (v) => { const h = new optim.History(); const H = h as unknown as Record<string, (...a: unknown[]) => unknown>; H['onTrainBegin']?.({}, undefined); H['onEpochEnd']?.(0, { loss: v }, undefined); return h.history; } },
  { name: 'optim.Callback', covers: ['optim:Callback', ...ownPublic('Callback')], ops: ['Callback', 'setContext'], gen: args(garbage), call: (c) => { const cb = new optim.Callback(); cb.setContext(c as never); return null; } },
  { name: 'optim.CallbackList', covers: ['optim:CallbackList', ...ownPublic('CallbackList')], ops: ['CallbackList'], gen: args(mix(fc.array(callbackArb, { maxLength: 2 }))), call: (cbs) => { const l = new optim.CallbackList(cbs as never); const L = l as unknown as Record<string, (...a: unknown[]) => unknown>; L['onTrainBegin']?.({}); L['onEpochEnd']?.(0, { loss: 1 }); return null; } },
  { name: 'optim.LambdaCallback', covers: ['optim:LambdaCallback', ...ownPublic('LambdaCallback')], ops: ['LambdaCallback'], gen: args(mix(fc.constant({ onEpochEnd: () => undefined }))), call: (h) => { const c = new optim.LambdaCallback(h as never); c.onEpochEnd?.(0, {}, undefined as never); return null; } },
  { name: 'optim.LearningRateScheduler', covers: ['optim:LearningRateScheduler', ...ownPublic('LearningRateScheduler')], ops: ['LearningRateScheduler'], gen: args(mix(fc.constant(label((e: number, lr: number) => lr * 0.5, '(e, lr) => lr * 0.5'))), opt(fc.record({ verbose: opt(fc.boolean()) }, { requiredKeys: [] }))), call: (s, o) => new optim.LearningRateScheduler(s as never, o as never) },
  { name: 'optim.OptionChecker', covers: ['optim:OptionChecker', ...ownPublic('OptionChecker')], ops: ['X', 'OptionChecker'], gen: args(fc.constantFrom('number', 'nonNegative', 'lr', 'finite', 'unit', 'boolean', 'betas'), garbage), call: (m, v) => (new optim.OptionChecker('X') as unknown as Record<string, (...a: unknown[]) => unknown>)[m as string]!('v', v) },
  { name: 'optim.OptionChecker#fail', covers: ['OptionChecker#fail'], ops: ['X'], gen: args(mix(fc.constant('bad'))), call: (m) => new optim.OptionChecker('X').fail(m as string) },
  { name: 'optim.Optimizer', covers: ['optim:Optimizer'], ops: ['Optimizer'], gen: args(garbage), call: (p) => new (api['Optimizer'] as new (...a: unknown[]) => unknown)(p, {}) },
  { name: 'optim.LRScheduler', covers: ['optim:LRScheduler'], ops: ['LRScheduler'], gen: args(garbage), call: (p) => new (api['LRScheduler'] as new (...a: unknown[]) => unknown)('x', p) },
];

export const ENTRIES: FuzzEntry[] = [
  ...OPT_METHOD_ENTRIES, ...OPT_CTOR_ENTRIES, ...SCHED_ENTRIES, ...SCHEDULE_ENTRIES, ...TRAIN_ENTRIES, ...CALLBACK_ENTRIES,
  ...TENSORBOARD_ENTRIES, ...PLOT_ENTRIES, ...KERAS_ENTRIES, ...TUNER_ENTRIES,
];
