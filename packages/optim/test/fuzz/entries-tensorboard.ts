/**
 * Fuzz entries for the TensorBoard writers of @memograd/optim/node: SummaryWriter (constructor and
 * every method), TensorBoardError, and the TensorBoard callback's hooks. Files are written only inside
 * a temporary folder of this module's own: a garbage path such as 'NaN' or '0' is taken relative to
 * it, never to the working directory. Every writer an entry opens is closed in the same call.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import * as nn from '@memograd/nn';
import * as optimNode from '@memograd/optim/node';
import { args, garbage, intArb, label, mix, opt, smallNum, tensorArb, type FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';

const FILES = mkdtempSync(join(tmpdir(), 'memograd-fuzz-tb-'));
const inFiles = (p: unknown): unknown => (typeof p === 'string' && !isAbsolute(p) ? join(FILES, p) : p);
const { SummaryWriter, TensorBoard, TensorBoardError } = optimNode;
type Writer = InstanceType<typeof SummaryWriter>;

const num = mix(smallNum, 4, 1);
const scalar = fc.oneof(
  { arbitrary: smallNum as fc.Arbitrary<unknown>, weight: 4 },
  { arbitrary: fc.constantFrom(NaN, Infinity, -0, 3.4e38, 1e-46), weight: 1 },
  { arbitrary: tensorArb({ shape: [] }), weight: 1 },
  { arbitrary: garbage, weight: 1 },
);
const tag = mix(fc.constantFrom('loss', 'a/b', 'val/acc', 'é ✓'), 4, 1);
const step = opt(fc.oneof(intArb(0, 5), fc.constantFrom(2 ** 40, -1, 0.5, 2 ** 53)));
const wallTime = opt(fc.constantFrom(1700000000.5, 1, 0, -1, NaN, Infinity));
const values = fc.oneof(
  { arbitrary: tensorArb() as fc.Arbitrary<unknown>, weight: 3 },
  { arbitrary: fc.array(smallNum, { minLength: 1, maxLength: 8 }), weight: 3 },
  { arbitrary: fc.constant(0).map(() => Float32Array.from([0.5, -1, 2])), weight: 1 },
  { arbitrary: fc.constantFrom([0, 0, 0], [1e21], [1, NaN]), weight: 1 },
  { arbitrary: garbage, weight: 1 },
);
const bins = opt(fc.oneof(fc.constant('tensorflow') as fc.Arbitrary<unknown>, intArb(1, 6), fc.constantFrom([-3, 0, 3], [-10, 10], [0, 1], [1, 0], 0, 2 ** 31)));
const image = fc.oneof(
  { arbitrary: tensorArb({ shape: [3, 2, 4], special: false }) as fc.Arbitrary<unknown>, weight: 3 },
  { arbitrary: tensorArb({ shape: [2, 4], special: false }), weight: 2 },
  { arbitrary: tensorArb({ shape: [2, 4, 1], special: false }), weight: 1 },
  { arbitrary: tensorArb(), weight: 2 },
  { arbitrary: garbage, weight: 1 },
);
const imageOptions = opt(fc.record({ dataformats: opt(fc.constantFrom('CHW', 'HWC', 'HW', 'NCHW', 'chw')), wallTime }, { requiredKeys: [] }));
const hparams = mix(fc.dictionary(fc.constantFrom('lr', 'units', 'opt', 'bn', ''), fc.oneof(smallNum as fc.Arbitrary<unknown>, fc.constantFrom('adam', '', true, false, NaN, null)), { maxKeys: 4 }), 4, 1);
const metrics = mix(fc.dictionary(fc.constantFrom('hparam/acc', 'loss', ''), fc.oneof(smallNum as fc.Arbitrary<unknown>, fc.constantFrom(NaN, 'x')), { maxKeys: 3 }), 4, 1);
const hparamsOptions = opt(fc.record({ runName: opt(fc.constantFrom('trial_0', 'a/b', '../up', '/abs', '', '.')), step, experiment: opt(fc.constantFrom(true, false, 0)) }, { requiredKeys: [] }));

/** A fresh open writer (or, one time in five, a closed one) in its own sub-folder. */
const writer = fc.oneof(
  { arbitrary: fc.constant(false), weight: 4 },
  { arbitrary: fc.constant(true), weight: 1 },
).map((closed) => {
  const w = new SummaryWriter(mkdtempSync(join(FILES, 'w-')), { maxQueue: 2 });
  if (closed) w.close();
  return label(w, closed ? 'new SummaryWriter(tmp) (closed)' : 'new SummaryWriter(tmp)');
});

/** Calls `f` on the writer, then closes it (so no entry leaves a file open). */
function withWriter(w: unknown, f: (w: Writer) => unknown): unknown {
  try {
    return f(w as Writer);
  } finally {
    (w as Writer).close();
  }
}

function method(name: string, gen: fc.Arbitrary<unknown>[], call: (w: Writer, ...a: any[]) => unknown): FuzzEntry {
  return {
    name: `SummaryWriter#${name}`,
    covers: [`SummaryWriter#${name}`],
    ops: [`SummaryWriter.${name}`],
    gen: args(writer, ...gen),
    call: (w, ...a) => withWriter(w, (x) => call(x, ...a)),
  };
}

/** A training context for the callback's hooks: a small model with gradients and an SGD optimizer, or garbage. */
const context = fc.oneof(
  { arbitrary: fc.constant(0).map(() => {
    const model = new nn.Linear(3, 2, { seed: 1 } as never);
    for (const p of model.parameters()) p.grad = ag.full(p.shape as number[], 0.25, { dtype: p.dtype });
    return label({ model, optimizer: { paramGroups: [{ lr: 0.1 }], step() {}, zeroGrad() {} }, epoch: 0, stopTraining: false }, '{ model: Linear(3, 2) with grads, optimizer: { lr 0.1 } }');
  }) as fc.Arbitrary<unknown>, weight: 4 },
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: garbage, weight: 1 },
);
const logs = mix(fc.record({ loss: num, accuracy: opt(num), val_loss: opt(num), val_: opt(num) }, { requiredKeys: ['loss'] }), 4, 1);
const tbOptions = opt(fc.record({
  logDir: mix(fc.constantFrom('logs', 'a/b'), 5, 1),
  updateFreq: opt(fc.constantFrom('epoch', 'batch', 1, 2, 0, 'step', 1.5)),
  histogramFreq: opt(fc.constantFrom(0, 1, 2, -1, 0.5)),
  writeGrads: opt(fc.constantFrom(true, false, 1)),
  flushSecs: opt(fc.constantFrom(1, 120, 0)),
}, { requiredKeys: [] }));

export const TENSORBOARD_ENTRIES: FuzzEntry[] = [
  {
    name: 'optim/node.SummaryWriter',
    covers: ['optim/node:SummaryWriter'],
    ops: ['SummaryWriter'],
    gen: args(mix(fc.constantFrom('run', 'runs/exp1', 'run'), 5, 1), opt(fc.record({
      flushSecs: opt(fc.constantFrom(1, 120, 0, -1, NaN, Infinity)),
      maxQueue: opt(fc.constantFrom(1, 10, 0, 2.5)),
      filenameSuffix: opt(fc.constantFrom('', '.v2', '/x', 'a\\b')),
    }, { requiredKeys: [] }))),
    call: (d, o) => withWriter(new SummaryWriter(inFiles(d) as string, o as never), (w) => w.logDir),
  },
  method('addScalar', [tag, scalar, step, wallTime], (w, t, v, s, wt) => w.addScalar(t, v, s, wt)),
  method('addScalars', [tag, mix(fc.dictionary(fc.constantFrom('train', 'val', '', '../x', 'a/b'), scalar, { maxKeys: 3 }), 4, 1), step, wallTime], (w, t, r, s, wt) => w.addScalars(t, r, s, wt)),
  method('addHistogram', [tag, values, step, bins, wallTime], (w, t, v, s, b, wt) => w.addHistogram(t, v, s, b, wt)),
  method('addText', [tag, mix(fc.constantFrom('hello', '', 'ü\n| a |'), 4, 1), step, wallTime], (w, t, x, s, wt) => w.addText(t, x, s, wt)),
  method('addImage', [tag, image, step, imageOptions], (w, t, i, s, o) => w.addImage(t, i, s, o)),
  method('addHparams', [hparams, metrics, hparamsOptions], (w, h, m, o) => w.addHparams(h, m, o)),
  method('flush', [], (w) => { if (!w.closed) w.addScalar('a', 1); w.flush(); return w.closed; }),
  method('close', [], (w) => { if (!w.closed) w.addScalar('a', 1); w.close(); w.close(); return w.closed; }),
  { name: 'SummaryWriter#closed', covers: ['SummaryWriter#closed'], ops: ['SummaryWriter'], gen: args(writer), call: (w) => withWriter(w, (x) => x.closed) },
  {
    name: 'optim/node.TensorBoardError',
    covers: ['optim/node:TensorBoardError'],
    gen: args(mix(fc.constantFrom('SummaryWriter.addScalar', 'x')), mix(fc.constantFrom('the writer is closed', ''))),
    call: (op, m) => {
      const e = new TensorBoardError(op as string, m as string);
      if (!(e instanceof ag.MemogradError)) throw new Error('TensorBoardError is not a MemogradError');
      return e.message;
    },
  },
  {
    name: 'optim/node.TensorBoard',
    covers: ['optim/node:TensorBoard', 'TensorBoard#onTrainBegin', 'TensorBoard#onEpochBegin', 'TensorBoard#onBatchEnd', 'TensorBoard#onEpochEnd', 'TensorBoard#onTrainEnd'],
    ops: ['TensorBoard'],
    // the writers it opens report file-system refusals (a log folder that is a file) as SummaryWriter's
    acceptPrefixes: ['SummaryWriter'],
    gen: args(tbOptions, mix(intArb(0, 3), 5, 1), logs, context),
    call: (o, n, l, ctx) => {
      // every log folder inside FILES: a missing, undefined or null logDir would default to 'logs' in
      // the working directory (options.logDir ?? 'logs')
      const opts = o === undefined ? { logDir: join(FILES, 'logs') }
        : o !== null && typeof o === 'object' && !Array.isArray(o) ? { ...o, logDir: 'logDir' in o && (o as { logDir: unknown }).logDir != null ? inFiles((o as { logDir: unknown }).logDir) : join(FILES, 'logs') } : o;
      const cb = new TensorBoard(opts as never);
      try {
        cb.onTrainBegin({}, ctx as never);
        cb.onEpochBegin(n as number, {}, ctx as never);
        cb.onBatchEnd(n as number, l as never, ctx as never);
        cb.onEpochEnd(n as number, l as never, ctx as never);
      } finally {
        cb.onTrainEnd({}, ctx as never);
      }
      return cb.logDir;
    },
  },
];
