/**
 * Fuzz entries for the Keras conveniences: optimizers and losses by name (main entry), the
 * ReduceLROnPlateauCallback, and the file-writing callbacks of @memograd/optim/node (ModelCheckpoint,
 * CSVLogger, formatFilepath), which write only inside a temporary folder of their own.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import * as nn from '@memograd/nn';
import * as optim from '@memograd/optim';
import * as optimNode from '@memograd/optim/node';
import { args, garbage, intArb, label, mix, opt, render, smallNum, tensorArb } from '../../../autograd/test/fuzz/harness.ts';
import type { FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';

// a garbage path such as 'NaN' is taken relative to this folder, never to the working directory
const FILES = mkdtempSync(join(tmpdir(), 'memograd-fuzz-keras-'));
const inFiles = (p: unknown): string => (typeof p === 'string' && !isAbsolute(p) ? join(FILES, p) : (p as string));

const OPTIMIZER_CLASSES = ['Adam', 'AdamW', 'SGD', 'RMSprop', 'Adadelta', 'Adagrad', 'NAdam', 'Adamax'];
const optimizerName = mix(fc.constantFrom(...optim.OPTIMIZER_NAMES, 'adm', 'ADAM', 'toString', ''), 5, 1);
const lossName = mix(fc.constantFrom(...optim.LOSS_NAMES, 'cross_entropy', 'Mse', '__proto__'), 5, 1);
const LOSS_OPS = [
  'lossFromName', 'mean_squared_error', 'mean_absolute_error', 'huber', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy',
];

/** A Linear(3, 2) whose parameters have finite gradients. */
function modelWithGrads(): nn.Module {
  const m = new nn.Linear(3, 2, { generator: new ag.Generator(1) });
  m.parameters().forEach((p, i) => { p.grad = ag.full(p.shape as number[], 0.5 + i, { dtype: p.dtype }); });
  return label(m, 'Linear(3, 2) with grads 0.5, 1.5');
}

const overrides = opt(fc.oneof(
  { arbitrary: fc.record({ lr: opt(fc.constantFrom(0.1, 0, -1, NaN)), eps: opt(fc.constantFrom(1e-8, -1)), weightDecay: opt(fc.constantFrom(0, 0.01, -1)) }, { requiredKeys: [] }) as fc.Arbitrary<unknown>, weight: 4 },
  { arbitrary: garbage, weight: 1 },
));

const NAME_ENTRIES: FuzzEntry[] = [
  {
    name: 'optim.optimizerFromName',
    covers: ['optim:optimizerFromName'],
    ops: ['optimizerFromName', ...OPTIMIZER_CLASSES],
    gen: fc.constant(0).map(modelWithGrads).chain((m) => fc.tuple(optimizerName, fc.oneof({ arbitrary: fc.constant(0).map(() => m.parameters()) as fc.Arbitrary<unknown>, weight: 4 }, { arbitrary: garbage, weight: 1 }), overrides).map((a) => ({ args: a, keep: [m] }))),
    call: (name, params, o) => {
      const opt2 = optim.optimizerFromName(name as never, params as never, o as never);
      opt2.step();
      return (opt2.paramGroups as unknown as { params: ag.Tensor[] }[]).flatMap((g) => g.params);
    },
    noSnapshot: true, // a successful step legitimately changes the parameters
  },
  {
    name: 'optim.lossFromName',
    covers: ['optim:lossFromName'],
    ops: LOSS_OPS,
    gen: args(lossName, mix(fc.oneof(tensorArb({ shape: [3, 2], range: [0, 1] }), tensorArb({ shape: [3, 1] }), tensorArb())), mix(fc.oneof(tensorArb({ shape: [3, 2], range: [0, 1] }), tensorArb({ shape: [3] }), fc.constant(0).map(() => ag.tensor([0, 1, 1]))))),
    call: (name, p, t) => optim.lossFromName(name as never)(p as never, t as never),
    // Keras' categorical cross-entropies rescale each row to sum to one: an all-zero row is 0/0 (NaN), as in Keras
    nanOk: true,
  },
  { name: 'optim.isOptimizerName', covers: ['optim:isOptimizerName'], gen: args(optimizerName), call: (n) => optim.isOptimizerName(n) },
  { name: 'optim.isLossName', covers: ['optim:isLossName'], gen: args(lossName), call: (n) => optim.isLossName(n) },
  {
    name: 'optim.name tables',
    covers: ['optim:OPTIMIZER_NAMES', 'optim:LOSS_NAMES', 'optim:KERAS_OPTIMIZER_DEFAULTS'],
    ops: ['optimizerFromName', ...OPTIMIZER_CLASSES],
    gen: args(fc.constantFrom(...optim.OPTIMIZER_NAMES)),
    call: (name) => {
      const key = String(name).toLowerCase() as keyof typeof optim.KERAS_OPTIMIZER_DEFAULTS;
      const o = optim.optimizerFromName(name as never, [new nn.Parameter(ag.ones([2]))]);
      const g = o.paramGroups[0] as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(optim.KERAS_OPTIMIZER_DEFAULTS[key])) {
        if (JSON.stringify(g[k]) !== JSON.stringify(v)) throw new Error(`${String(name)}: option ${k} is ${JSON.stringify(g[k])}, the table says ${JSON.stringify(v)}`);
      }
      return optim.LOSS_NAMES.map((l) => optim.isLossName(l));
    },
  },
  {
    name: 'optim.UnknownNameError',
    covers: ['optim:UnknownNameError'],
    gen: args(mix(fc.constantFrom('fit', 'lossFromName')), mix(fc.constantFrom('optimizer', 'loss', 'metric')), garbage, mix(fc.constant(['adam', 'sgd']))),
    call: (op, kind, name, valid) => {
      const e = new optim.UnknownNameError(op as string, kind as never, name, valid as never);
      if (!(e instanceof ag.ArgumentError)) throw new Error('UnknownNameError is not an ArgumentError');
      return e.message;
    },
  },
];

/** A training context over an SGD optimizer (lr 1), or garbage. */
const ctxArb = fc.oneof(
  { arbitrary: fc.constant(0).map(() => label({ optimizer: new optim.SGD([new nn.Parameter(ag.ones([2]))], { lr: 1 }), stopTraining: false, epoch: 0 }, '{ optimizer: new SGD([param], { lr: 1 }) }')) as fc.Arbitrary<unknown>, weight: 4 },
  { arbitrary: garbage, weight: 1 },
);
const plateauOptions = opt(fc.oneof(
  {
    arbitrary: fc.record({
      monitor: opt(fc.constantFrom('val_loss', 'val_accuracy', '', 'x')),
      factor: opt(fc.constantFrom(0.1, 0.5, 0, 1, -1, NaN)),
      patience: opt(fc.oneof(intArb(0, 3), fc.constantFrom(-1, 0.5))),
      cooldown: opt(fc.oneof(intArb(0, 2), fc.constantFrom(-1))),
      minDelta: opt(fc.constantFrom(0, 1e-4, -0.1, NaN)),
      minLr: opt(fc.constantFrom(0, 0.2, -1, Infinity)),
      mode: opt(fc.constantFrom('auto', 'min', 'max', 'up')),
      verbose: opt(fc.constantFrom(0, false, 2, 'yes')),
    }, { requiredKeys: [] }) as fc.Arbitrary<unknown>,
    weight: 5,
  },
  { arbitrary: garbage, weight: 1 },
));

const CALLBACK_ENTRIES: FuzzEntry[] = [
  {
    name: 'optim.ReduceLROnPlateauCallback',
    covers: ['optim:ReduceLROnPlateauCallback', 'ReduceLROnPlateauCallback#onTrainBegin', 'ReduceLROnPlateauCallback#onEpochEnd', 'ReduceLROnPlateauCallback#wait', 'ReduceLROnPlateauCallback#best'],
    ops: ['ReduceLROnPlateauCallback'],
    gen: args(plateauOptions, ctxArb, fc.array(mix(fc.oneof(smallNum, fc.constantFrom(NaN, Infinity)), 6, 1), { maxLength: 6 })),
    call: (o, ctx, values) => {
      const cb = new optim.ReduceLROnPlateauCallback(o as never);
      cb.onTrainBegin({}, ctx as never);
      (values as unknown[]).forEach((v, i) => cb.onEpochEnd(i, { val_loss: v as number, val_accuracy: v as number, x: v as number }, ctx as never));
      return [cb.wait, (ctx as { optimizer: optim.SGD }).optimizer.paramGroups[0]!.lr];
    },
    noSnapshot: true, // the epochs before a bad one legitimately reduce the learning rate
  },
];

// ---------------------------------------------------------------------------------------------
// Node-only: files in FILES

const fitData = () => ({ x: ag.tensor([[1, 2, 3], [0, 1, 0], [2, 2, 1], [1, 0, 1]]), y: ag.tensor([[1, 0], [0, 1], [1, 1], [0, 0]]) });

const NODE_ENTRIES: FuzzEntry[] = [
  {
    name: 'optim.formatFilepath',
    covers: ['optim/node:formatFilepath'],
    gen: args(
      mix(fc.constantFrom('ck-{epoch:02d}-{val_loss:.2f}.safetensors', '{loss}', '{loss:+08.3e}', '{loss:,.2%}', '{epoch:d}{{x}}', '{loss:d}', '{nope}', '{', '}', '{:}', '{loss:.2q}', '{loss:<>5}')),
      mix(fc.record({ epoch: mix(intArb(0, 12), 4, 1), loss: fc.oneof(smallNum, fc.constantFrom(NaN, -Infinity, 1e-9, 1e21)), val_loss: smallNum }, { requiredKeys: ['epoch'] })),
      opt(mix(fc.constant(['epoch']))),
    ),
    call: (t, v, i) => optimNode.formatFilepath(t as string, v as never, i as never),
  },
  {
    name: 'optim.ModelCheckpoint',
    covers: ['optim/node:ModelCheckpoint', 'ModelCheckpoint#onTrainBegin', 'ModelCheckpoint#onEpochBegin', 'ModelCheckpoint#onBatchEnd', 'ModelCheckpoint#onEpochEnd', 'ModelCheckpoint#save', 'ModelCheckpoint#writeCheckpoint'],
    ops: ['ModelCheckpoint', 'fit'],
    gen: args(
      mix(fc.constantFrom('ck-{epoch:02d}-{loss:.2f}.safetensors', 'w.safetensors', 'sub/b-{epoch}-{batch}.safetensors', 'x.keras', '{nope}.safetensors', 'w.safetensors/inner.safetensors')),
      opt(fc.oneof(
        {
          arbitrary: fc.record({
            monitor: opt(fc.constantFrom('loss', 'val_loss', 'accuracy', '')),
            saveBestOnly: opt(fc.constantFrom(true, false, 1)),
            saveFreq: opt(fc.constantFrom('epoch', 1, 3, 0, 'batch')),
            mode: opt(fc.constantFrom('auto', 'min', 'max', 'x')),
            initialValueThreshold: opt(fc.constantFrom(0.5, NaN)),
            verbose: opt(fc.constantFrom(0, false, 'loud')),
          }, { requiredKeys: [] }) as fc.Arbitrary<unknown>,
          weight: 5,
        },
        { arbitrary: garbage, weight: 1 },
      )),
      fc.boolean(),
    ),
    call: (path, o, validation) => {
      const model = new nn.Linear(3, 2, { generator: new ag.Generator(2) });
      const ck = new optimNode.ModelCheckpoint(inFiles(path), o as never);
      optim.fit(model, { ...fitData(), loss: 'mse', optimizer: 'sgd', epochs: 2, batchSize: 2, verbose: 0, seed: 0, validationSplit: validation ? 0.25 : 0, callbacks: [ck] });
      return ck.saved.length;
    },
    noSnapshot: true, // fit trains the model it builds
    runs: 0.3,
  },
  {
    name: 'optim.CSVLogger',
    covers: ['optim/node:CSVLogger', 'CSVLogger#onTrainBegin', 'CSVLogger#onEpochEnd', 'CSVLogger#row'],
    gen: args(
      mix(fc.constantFrom('log.csv', 'log2.csv', 'missing/dir/log.csv')),
      opt(fc.oneof(
        { arbitrary: fc.record({ separator: opt(fc.constantFrom(',', ';', '\t', 'ab', '"', '')), append: opt(fc.constantFrom(true, false, 'yes')) }, { requiredKeys: [] }) as fc.Arbitrary<unknown>, weight: 5 },
        { arbitrary: garbage, weight: 1 },
      )),
      fc.array(mix(fc.record({ loss: fc.oneof(smallNum, fc.constantFrom(NaN, 1e-7)), 'a,b': opt(smallNum), val_loss: opt(smallNum) }, { requiredKeys: ['loss'] }), 6, 1), { maxLength: 3 }),
    ),
    call: (file, o, logs) => {
      const c = new optimNode.CSVLogger(inFiles(file), o as never);
      c.onTrainBegin();
      (logs as unknown[]).forEach((l, i) => c.onEpochEnd(i, l as never));
      return readFileSync(c.filename, 'utf8');
    },
    runs: 0.5,
  },
];

const X = mix(fc.oneof(tensorArb({ shape: [4, 3], special: false }), tensorArb()));
const Y = mix(fc.oneof(tensorArb({ shape: [4, 2], special: false }), tensorArb({ shape: [4, 2], range: [0, 1], special: false }), tensorArb()));
const compileOptions = mix(fc.record({
  optimizer: optimizerName,
  loss: lossName,
  metrics: opt(mix(fc.constantFrom(['accuracy'], ['mse', 'acc'], ['f1']))),
  threshold: opt(fc.constantFrom(0.5, 'x')),
}, { requiredKeys: ['optimizer', 'loss'] }), 5, 1);
const COMPILED_OPS = ['compile', 'CompiledModel', 'fit', 'evaluate', 'predict', 'accuracy', 'Linear', ...LOSS_OPS, ...OPTIMIZER_CLASSES, 'mseLoss', 'l1Loss', 'huberLoss', 'categoricalCrossEntropy', 'sparseCategoricalCrossEntropy'];
/** A CompiledModel of a fresh Linear(3, 2) with the loss drawn. */
const compiledArb = fc.tuple(lossName, fc.constantFrom('adam', 'sgd')).map(([l, o]) => {
  const m = new nn.Linear(3, 2, { generator: new ag.Generator(3) });
  try {
    return label(optim.compile(m, { optimizer: o as never, loss: l as never, metrics: ['accuracy'] }), `compile(Linear(3, 2), { optimizer: '${o}', loss: ${render(l)}, metrics: ['accuracy'] })`);
  } catch {
    return label(optim.compile(m, { optimizer: o as never, loss: 'mse', metrics: ['accuracy'] }), `compile(Linear(3, 2), { optimizer: '${o}', loss: 'mse', metrics: ['accuracy'] })`);
  }
});

const COMPILE_ENTRIES: FuzzEntry[] = [
  {
    name: 'optim.compile',
    covers: ['optim:compile', 'optim:CompiledModel'],
    ops: COMPILED_OPS,
    gen: args(fc.oneof({ arbitrary: fc.constant(0).map(() => new nn.Linear(3, 2, { generator: new ag.Generator(3) })) as fc.Arbitrary<unknown>, weight: 4 }, { arbitrary: garbage, weight: 1 }), compileOptions),
    call: (m, o) => optim.compile(m as never, o as never).metrics,
  },
  {
    name: 'optim.CompiledModel#fit',
    covers: ['CompiledModel#fit'],
    ops: COMPILED_OPS,
    gen: fc.tuple(compiledArb, X, Y, opt(mix(fc.record({ epochs: opt(fc.constantFrom(1, 2, -1)), batchSize: opt(fc.constantFrom(1, 3, 0)), verbose: fc.constant(0), validationSplit: opt(fc.constantFrom(0.25, 2)) }, { requiredKeys: ['verbose'] })))).map(([c, x, y, o]) => ({ args: [c, x, y, o ?? { verbose: 0 }] })),
    call: (c, x, y, o) => (c as optim.CompiledModel).fit(x as never, y as never, o as never).history,
    nanOk: true,
    noSnapshot: true, // fit trains
    runs: 0.5,
  },
  {
    name: 'optim.CompiledModel#evaluate',
    covers: ['CompiledModel#evaluate'],
    ops: COMPILED_OPS,
    gen: args(compiledArb, X, Y, opt(mix(fc.record({ batchSize: opt(fc.constantFrom(1, 3, 0)) }, { requiredKeys: [] })))),
    call: (c, x, y, o) => (c as optim.CompiledModel).evaluate(x as never, y as never, o as never),
    nanOk: true,
  },
  {
    name: 'optim.CompiledModel#predict',
    covers: ['CompiledModel#predict'],
    ops: COMPILED_OPS,
    gen: args(compiledArb, X, opt(mix(fc.record({ batchSize: opt(fc.constantFrom(1, 3, 0)) }, { requiredKeys: [] })))),
    call: (c, x, o) => (c as optim.CompiledModel).predict(x as never, o as never),
  },
];

export const KERAS_ENTRIES: FuzzEntry[] = [...NAME_ENTRIES, ...COMPILE_ENTRIES, ...CALLBACK_ENTRIES, ...NODE_ENTRIES];
