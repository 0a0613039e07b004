/**
 * Fuzz entries for the hyper-parameter search: HyperParameters and its methods, the oracles, the
 * Gaussian process, the tuners (tiny searches), the in-memory store and the Node project directory
 * (which writes only inside a temp dir).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { tensor } from '@memograd/autograd';
import * as nn from '@memograd/nn';
import * as optim from '@memograd/optim';
import { TunerProject } from '@memograd/optim/node';
import { args, garbage, intArb, label, mix, opt, ownNumber, smallNum, type FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';

const FILES = mkdtempSync(join(tmpdir(), 'memograd-fuzz-tuner-'));
const api = optim as unknown as Record<string, any>;

function privates(C: string, names: string[]): string[] {
  return names.map((n) => `${C}#${n}`);
}

const intOpts = fc.record({
  min: mix(fc.constantFrom(0, 1, 8)), max: mix(fc.constantFrom(4, 10, 128)), step: opt(fc.constantFrom(1, 2, 8, 0, -1, 0.5)),
  sampling: opt(fc.constantFrom('linear', 'log', 'x')), default: opt(fc.constantFrom(0, 4, 200)),
}, { requiredKeys: [] });
const floatOpts = fc.record({
  min: mix(fc.constantFrom(1e-4, 0, 0.5)), max: mix(fc.constantFrom(1, 1e-2, 0.1)), step: opt(fc.constantFrom(0.1, 2, 0, -1)),
  sampling: opt(fc.constantFrom('linear', 'log', 'x')), default: opt(fc.constantFrom(0.5, 5)),
}, { requiredKeys: [] });
const nameArb = mix(fc.constantFrom('units', 'lr', 'a b', 'tuner/x'));
const choiceVals = mix(fc.constantFrom([1, 2, 3], ['adam', 'sgd'], [true, false], [1, 'a'], [], [1, 1]));

/** A HyperParameters with a few registered entries (one conditional). */
function sampleHp(): optim.HyperParameters {
  const hp = new optim.HyperParameters();
  hp.int('n', { min: 0, max: 2 });
  hp.conditionalScope('n', [1, 2], () => hp.choice('u', [8, 16]));
  hp.float('lr', { min: 1e-3, max: 1e-1, sampling: 'log' });
  return label(hp, '<hp: n int 0..2, u choice [8, 16] if n in [1, 2], lr float log>');
}
const hpArb = fc.constant(0).map(sampleHp);
const configArb = fc.oneof(
  { arbitrary: fc.constant(0).map(() => sampleHp().space[0]!) as fc.Arbitrary<unknown>, weight: 3 },
  { arbitrary: fc.constant(0).map(() => sampleHp().space[1]!) as fc.Arbitrary<unknown>, weight: 3 },
  { arbitrary: fc.constantFrom('x', [{ parent: 5 }], [{ parent: 'n', values: [] }], [null]).map((c) => label({ ...sampleHp().space[1]!, conditions: c }, `<choice config with conditions ${JSON.stringify(c)}>`)) as fc.Arbitrary<unknown>, weight: 1 },
  { arbitrary: garbage, weight: 1 },
);

// a tiny problem for end-to-end searches
const X = tensor([[0, 1], [1, 0], [1, 1], [0, 0], [0.5, 0.2], [0.2, 0.9]]);
const Y = tensor([[1], [0], [1], [0], [0], [1]]);
function build(hp: optim.HyperParameters) {
  const units = hp.int('units', { min: 2, max: 4, step: 2 })!;
  const model = new nn.Sequential(new nn.Linear(2, units, { seed: 1 } as never), new nn.Linear(units, 1, { seed: 2 } as never), new nn.Sigmoid());
  return { model, optimizer: (p: nn.Parameter[]) => new optim.SGD(p, { lr: 0.1 }), loss: (p: any, t: any) => nn.binaryCrossEntropy(p, t), metrics: ['accuracy'] as const };
}
const buildArb = mix(fc.constant(label(build, '<build: units int 2..4 step 2, Linear → Linear → Sigmoid, SGD>')), 6, 1);
const objectiveArb = mix(fc.constantFrom('val_loss', 'val_accuracy', 'loss', 'val_thing', { name: 'val_loss', direction: 'min' }, { name: 'x', direction: 'up' }));
const tunerOpts = fc.record({
  objective: objectiveArb, maxTrials: opt(fc.oneof(intArb(1, 2), fc.constantFrom(0, -1, 1.5))), seed: opt(fc.oneof(intArb(0, 3), fc.constantFrom(-1, 0.5))),
  executionsPerTrial: opt(fc.constantFrom(1, 2, 0)),
}, { requiredKeys: ['objective'] });
const searchOpts = mix(fc.record({
  x: mix(fc.constant(X)), y: mix(fc.constant(Y)), epochs: opt(fc.constantFrom(1, 2, 0, -1)), validationSplit: opt(fc.constantFrom(0.34, 0, 2)),
  verbose: fc.constantFrom(0, 0, 0, 3), batchSize: opt(fc.constantFrom(2, 0)),
}, { requiredKeys: ['verbose'] }));
const TUNER_OPS = ['fit', 'HyperParameters.int', 'accuracy', 'Linear', 'Sequential', 'SGD', 'binaryCrossEntropy'];

/** A tuner that has completed a short search (for the result methods). */
function searched(kind: 'RandomSearch' | 'GridSearch' | 'Hyperband' | 'BayesianOptimization'): optim.Tuner {
  const opts = kind === 'Hyperband' ? { objective: 'val_loss', maxEpochs: 1, factor: 2, seed: 0 } : { objective: 'val_loss', maxTrials: 2, seed: 0, numInitialPoints: 1 };
  const t = new (api[kind] as new (b: unknown, o: unknown) => optim.Tuner)(build, opts);
  t.search({ x: X, y: Y, epochs: 1, validationSplit: 0.34, verbose: 0 });
  return label(t, `<${kind} after a 2-trial search>`);
}
const searchedArb = fc.constantFrom('RandomSearch', 'GridSearch', 'Hyperband', 'BayesianOptimization').map((k) => searched(k as never));
const countArb = mix(fc.oneof(intArb(1, 3), fc.constantFrom(0, -1, 1.5)));

function oracleOf(kind: string, o: unknown): optim.Oracle {
  return new (api[kind] as new (o: unknown) => optim.Oracle)(o);
}
const oracleKinds = ['RandomSearchOracle', 'GridSearchOracle', 'HyperbandOracle', 'BayesianOptimizationOracle'];

export const TUNER_ENTRIES: FuzzEntry[] = [
  { name: 'optim.HyperParameters#int', covers: ['optim:HyperParameters', 'HyperParameters#int', 'HyperParameters#retrieve', 'HyperParameters#conditionsNow', 'HyperParameters#space'], ops: ['HyperParameters.int'], gen: args(nameArb, mix(intOpts)), call: (n, o) => { const hp = new optim.HyperParameters(); const v = hp.int(n as string, o as never); return [v, hp.space.length]; } },
  { name: 'optim.HyperParameters#float', covers: ['HyperParameters#float'], ops: ['HyperParameters.float'], gen: args(nameArb, mix(floatOpts)), call: (n, o) => new optim.HyperParameters().float(n as string, o as never) },
  { name: 'optim.HyperParameters#choice', covers: ['HyperParameters#choice'], ops: ['HyperParameters.choice'], gen: args(nameArb, choiceVals, opt(mix(fc.record({ default: opt(fc.constantFrom(1, 'adam', 9)) }, { requiredKeys: [] })))), call: (n, v, o) => new optim.HyperParameters().choice(n as string, v as never, o as never) },
  { name: 'optim.HyperParameters#boolean', covers: ['HyperParameters#boolean'], ops: ['HyperParameters.boolean'], gen: args(nameArb, opt(mix(fc.record({ default: opt(fc.constantFrom(true, 1)) }, { requiredKeys: [] })))), call: (n, o) => new optim.HyperParameters().boolean(n as string, o as never) },
  { name: 'optim.HyperParameters#fixed', covers: ['HyperParameters#fixed'], ops: ['HyperParameters.fixed'], gen: args(nameArb, mix(fc.constantFrom(1, 'relu', true))), call: (n, v) => new optim.HyperParameters().fixed(n as string, v as never) },
  { name: 'optim.HyperParameters#conditionalScope', covers: ['HyperParameters#conditionalScope'], ops: ['HyperParameters.conditionalScope', 'HyperParameters.int'], gen: args(hpArb, mix(fc.constantFrom('n', 'lr', 'zz')), mix(fc.constantFrom([1], 2, [], [0, 1])), mix(fc.constant(label(() => 7, '() => 7')))),
    call: (hp, p, v, f) => (hp as optim.HyperParameters).conditionalScope(p as string, v as never, f as () => number) },
  { name: 'optim.HyperParameters#isActive', covers: ['HyperParameters#isActive'], ops: ['HyperParameters.isActive'], gen: args(hpArb, mix(fc.constantFrom('n', 'u', 'zz'))), call: (hp, n) => (hp as optim.HyperParameters).isActive(n as string) },
  { name: 'optim.HyperParameters#get', covers: ['HyperParameters#get'], ops: ['HyperParameters.get'], gen: args(hpArb, mix(fc.constantFrom('n', 'u', 'zz'))), call: (hp, n) => (hp as optim.HyperParameters).get(n as string) },
  { name: 'optim.HyperParameters#copy', covers: ['HyperParameters#copy', 'HyperParameters#getConfig'], gen: args(hpArb), call: (hp) => (hp as optim.HyperParameters).copy().getConfig() },
  { name: 'optim.HyperParameters.fromConfig', covers: ['HyperParameters#merge'], ops: ['HyperParameters.fromConfig', 'fromConfig'], gen: args(hpArb, mix(fc.array(configArb, { maxLength: 2 }))), call: (hp, space) => { (hp as optim.HyperParameters).merge(space as never); return (hp as optim.HyperParameters).space.length; } },
  { name: 'optim.HyperParameters#ensureActiveValues', covers: ['HyperParameters#ensureActiveValues'], gen: args(hpArb, mix(fc.constantFrom({ n: 0, u: 8 }, { n: 2 }, {}))), call: (hp, v) => { const h = hp as optim.HyperParameters; h.values = { ...(v as object) } as never; h.ensureActiveValues(); return h.values; } },
  { name: 'optim.probToValue', covers: ['optim:probToValue', 'optim:valueToProb', 'optim:gridValues'], ops: ['probToValue', 'valueToProb', 'gridValues'], gen: args(configArb, mix(fc.double({ min: 0, max: 1, noNaN: true }))),
    call: (c, p) => { const cfg = c as never; if (cfg === null || typeof cfg !== 'object' || !('type' in (cfg as object))) return null; const v = optim.probToValue(cfg, p as number); return [v, optim.valueToProb(cfg, v), optim.gridValues(cfg).length]; } },
  { name: 'optim.resolveObjective', covers: ['optim:resolveObjective'], ops: ['op'], gen: args(objectiveArb), call: (o) => optim.resolveObjective('op', o) },
  ...oracleKinds.map((kind): FuzzEntry => ({
    name: `optim.${kind}`,
    covers: [`optim:${kind}`, ...(kind === 'RandomSearchOracle' ? ['optim:Oracle', 'Oracle#createTrial', 'Oracle#trialIdFor', 'Oracle#updateSpace', 'Oracle#getTrial', 'Oracle#bestTrials', 'Oracle#getState', 'Oracle#setState', 'Oracle#randomValues', 'Oracle#nonFixedSpace'] : []),
      ...privates(kind, ['kind', 'populateSpace']),
      ...(kind === 'GridSearchOracle' ? privates(kind, ['first', 'successor', 'getState', 'setState']) : []),
      ...(kind === 'HyperbandOracle' ? privates(kind, ['numBrackets', 'size', 'epochs', 'schedule', 'getState', 'setState', 'incrementBracketNum', 'randomTrial', 'removeCompletedBrackets', 'startNewBracket', ]) : []),
      ...(kind === 'BayesianOptimizationOracle' ? privates(kind, ['vectorize', 'devectorize']) : [])],
    ops: [kind.replace('Oracle', ''), 'Hyperband', 'GaussianProcess.fit'],
    gen: args(fc.record({ objective: objectiveArb, maxTrials: opt(fc.oneof(intArb(1, 4), fc.constantFrom(0, 2.5))), seed: opt(fc.constantFrom(0, 3, -1)), maxEpochs: opt(fc.constantFrom(3, 9, 0)), factor: opt(fc.constantFrom(2, 3, 1)), numInitialPoints: opt(fc.constantFrom(1, 2, 0)) }, { requiredKeys: ['objective'] }), mix(smallNum)),
    call: (o, s) => {
      const oracle = oracleOf(kind, o);
      const hp = sampleHp();
      oracle.updateSpace(hp);
      for (let i = 0; i < 4; i++) {
        const t = oracle.createTrial();
        if (t === null) break;
        t.status = 'COMPLETED';
        t.score = typeof s === 'number' ? s + i * 0.1 : 0;
        oracle.getTrial(t.trialId);
      }
      oracle.setState(oracle.getState());
      const extra = oracle instanceof optim.HyperbandOracle ? oracle.schedule() : oracle instanceof optim.BayesianOptimizationOracle ? oracle.devectorize(oracle.vectorize({ n: 1, u: 8, lr: 0.01 })) : null;
      return [oracle.kind, oracle.bestTrials(2).length, extra];
    },
    nanOk: true,
  })),
  { name: 'optim.GaussianProcess', covers: ['optim:GaussianProcess', ...privates('GaussianProcess', ['fit', 'predict', 'evalNll', 'kernelNumbers', 'optimise'])], ops: ['GaussianProcess', 'GaussianProcess.fit', 'GaussianProcess.predict'],
    gen: args(opt(mix(fc.record({ kernel: opt(fc.constantFrom('rbf', 'matern52', 'x')), steps: opt(fc.constantFrom(0, 3, -1)), alpha: opt(fc.constantFrom(1e-6, -1)) }, { requiredKeys: [] }))), mix(fc.constantFrom([[0], [1]], [[0.1, 0.2], [0.5, 0.5], [0.9, 0.1]], [[NaN]], [])), mix(fc.constantFrom([1, -1], [0.5, 0.2, 0.1], [NaN, 1])), mix(fc.constantFrom([0.5], [0.3, 0.3], [])))
      // a valid but huge number of Adam steps (2^31 from the garbage) is slow, not wrong
      .filter((c) => !((ownNumber(c.args[0], 'steps') ?? 0) > 1e4)),
    call: (o, x, y, q) => { const gp = new optim.GaussianProcess({ steps: 3, ...(o as object ?? {}) } as never); gp.fit(x as never, y as never); return gp.predict(q as never); } },
  { name: 'optim.expectedImprovement', covers: ['optim:expectedImprovement'], gen: args(smallNum, fc.oneof(fc.constantFrom(0, 1e-15), fc.double({ min: 0, max: 3, noNaN: true })), smallNum, opt(fc.constantFrom(0, 0.01))), call: (m, s, b, xi) => optim.expectedImprovement(m as number, s as number, b as number, xi as number) },
  ...['RandomSearch', 'GridSearch', 'Hyperband', 'BayesianOptimization'].map((kind): FuzzEntry => ({
    name: `optim.${kind}`,
    covers: [`optim:${kind}`, ...(kind === 'RandomSearch' ? ['optim:Tuner', 'Tuner#search', 'Tuner#objective', 'Tuner#checkBuilt', 'Tuner#hpFor', 'Tuner#resume', 'Tuner#runTrial', 'Tuner#snapshot'] : [])],
    ops: [kind, `${kind}.search`, ...TUNER_OPS],
    gen: args(buildArb, mix(kind === 'Hyperband' ? fc.record({ objective: objectiveArb, maxEpochs: opt(fc.constantFrom(1, 2, 0)), factor: opt(fc.constantFrom(2, 1)), seed: opt(fc.constantFrom(0, -1)) }, { requiredKeys: ['objective'] }) : tunerOpts, 6, 1), searchOpts),
    call: (b, o, s) => { const opts = o !== null && typeof o === 'object' && kind === 'BayesianOptimization' ? { ...o, numInitialPoints: 1 } : o; const t = new (api[kind] as new (b: unknown, o: unknown) => optim.Tuner)(b, opts); t.search(s as never); return t.oracle.trials.length; },
    runs: 0.3,
    nanOk: true,
    noSnapshot: true,
  })),
  { name: 'optim.Tuner#getBestTrials', covers: ['Tuner#getBestTrials'], ops: ['getBestTrials'], gen: args(searchedArb, countArb), call: (t, n) => (t as optim.Tuner).getBestTrials(n as number).length, runs: 0.3, nanOk: true },
  { name: 'optim.Tuner#getBestHyperparameters', covers: ['Tuner#getBestHyperparameters'], ops: ['getBestHyperparameters'], gen: args(searchedArb, countArb), call: (t, n) => (t as optim.Tuner).getBestHyperparameters(n as number).map((h) => h.values), runs: 0.3 },
  { name: 'optim.Tuner#getBestModels', covers: ['Tuner#getBestModels'], ops: ['getBestModels'], gen: args(searchedArb, countArb), call: (t, n) => (t as optim.Tuner).getBestModels(n as number).length, runs: 0.3 },
  { name: 'optim.Tuner#resultsSummary', covers: ['Tuner#resultsSummary'], ops: ['resultsSummary'], gen: args(searchedArb, opt(countArb), mix(fc.constant({ print: false }))), call: (t, n, o) => (t as optim.Tuner).resultsSummary(n as number, o as never).length, runs: 0.3 },
  { name: 'optim.Tuner#searchSpaceSummary', covers: ['Tuner#searchSpaceSummary', 'Tuner#populateInitialSpace'], ops: ['searchSpaceSummary', 'HyperParameters.int'], gen: args(searchedArb, opt(mix(fc.constant({ print: false })))), call: (t, o) => (t as optim.Tuner).searchSpaceSummary(o as never ?? { print: false }).length, runs: 0.3 },
  { name: 'optim.MemoryTrialStore', covers: ['optim:MemoryTrialStore', ...privates('MemoryTrialStore', ['load', 'saveTrial', 'saveWeights', 'loadWeights'])], gen: args(mix(fc.constantFrom('00', '01'))), call: (id) => { const s = new optim.MemoryTrialStore(); s.saveWeights(id as string, { w: tensor([1, 2]) }); s.saveTrial({} as never, { oracle: 'x', seed: 0, space: [], oracleState: {}, trials: [] }); return [s.load(), s.loadWeights(id as string), s.loadWeights('zz')]; } },
  { name: 'optim/node.TunerProject', covers: ['optim/node:TunerProject', ...privates('TunerProject', ['load', 'saveTrial', 'saveWeights', 'loadWeights', 'onTrialEnd', 'close', 'description', 'trialDir'])], ops: ['TunerProject', 'TunerProject.load', 'SummaryWriter', 'SummaryWriter.addHparams'],
    gen: args(fc.record({ projectName: opt(fc.constantFrom('p', 'q', '', '../x', 3)), overwrite: opt(fc.constantFrom(true, false, 'yes')), logDir: opt(fc.constantFrom('logs', '')) }, { requiredKeys: [] }), mix(fc.constantFrom('00', '07'))),
    call: (o, id) => {
      const opts = o as Record<string, unknown>;
      const p = new TunerProject({ directory: FILES, ...opts, ...(typeof opts.logDir === 'string' && opts.logDir !== '' ? { logDir: join(FILES, opts.logDir) } : {}) } as never);
      const trial = { trialId: id as string, index: 0, values: { units: 2 }, status: 'COMPLETED', metrics: { val_loss: 0.5 }, score: 0.5, bestEpoch: 0, epochsRun: 1, seconds: 0 } as const;
      p.saveTrial(trial as never, { oracle: 'RandomSearch', seed: 0, space: [], oracleState: {}, trials: [] });
      p.saveWeights(id as string, { w: tensor([1, 2]) });
      p.onTrialEnd(trial as never, { name: 'val_loss', direction: 'min' });
      p.close();
      return [p.description, p.load()?.trials.length ?? 0, p.loadWeights(id as string)?.w?.size ?? 0];
    },
    runs: 0.3, noSnapshot: true },
];
