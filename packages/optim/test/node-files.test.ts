// ModelCheckpoint and CSVLogger (Node-only: @memograd/optim/node), in a temporary directory.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ArgumentError, Generator, noGrad, tensor } from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import { Linear, ReLU, Sequential, decodeSafetensors, loadWeights } from '@memograd/nn';
import { loadWeightsFile } from '@memograd/nn/node';
import { LambdaCallback, SGD, fit } from '../src/index.ts';
import { CSVLogger, ModelCheckpoint, formatFilepath } from '../src/node.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'memograd-files-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
let n = 0;
const fresh = (): string => join(ROOT, `t${n++}`);

function net(seed: number): Sequential {
  const g = new Generator(seed);
  return new Sequential(new Linear(2, 4, { generator: g }), new ReLU(), new Linear(4, 1, { generator: g }));
}

function data(): { x: Tensor; y: Tensor } {
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i < 10; i++) {
    xs.push([Math.sin(i), Math.cos(2 * i)]);
    ys.push([Math.sin(i) - Math.cos(2 * i)]);
  }
  return { x: tensor(xs), y: tensor(ys) };
}

/** Overrides the epoch's val_loss with a scripted sequence (runs before the checkpoint). */
function scriptedValLoss(values: readonly number[]): LambdaCallback {
  return new LambdaCallback({ onEpochEnd: (e, logs) => { logs.val_loss = values[e]!; } });
}

describe('formatFilepath (Python str.format)', () => {
  it.each([
    ['ckpt-{epoch:02d}-{val_loss:.2f}.safetensors', { epoch: 3, val_loss: 0.4567 }, 'ckpt-03-0.46.safetensors'],
    ['{epoch}', { epoch: 12 }, '12'],
    ['{loss}', { loss: 0.5 }, '0.5'],
    ['{loss}', { loss: 1 }, '1.0'],
    ['{loss}', { loss: 1e-5 }, '1e-05'],
    ['{loss}', { loss: 1.5e16 }, '1.5e+16'],
    ['{loss}', { loss: 123.25 }, '123.25'],
    ['{loss}', { loss: NaN }, 'nan'],
    ['{loss:.3e}', { loss: 12346 }, '1.235e+04'],
    ['{loss:.4g}', { loss: 0.000123456 }, '0.0001235'],
    ['{loss:g}', { loss: 1e-7 }, '1e-07'],
    ['{loss:.2%}', { loss: 0.1234 }, '12.34%'],
    ['{loss:+.1f}', { loss: 2 }, '+2.0'],
    ['{loss:8.3f}|', { loss: -1.5 }, '  -1.500|'],
    ['{loss:<8.3f}|', { loss: 1.5 }, '1.500   |'],
    ['{loss:08.3f}', { loss: -1.5 }, '-001.500'],
    ['{epoch:,d}', { epoch: 1234567 }, '1,234,567'],
    ['{{epoch}}-{epoch:03d}', { epoch: 7 }, '{epoch}-007'],
    ['{val_accuracy:.4f}', { val_accuracy: Infinity }, 'inf'],
  ])('%s with %j is %s', (t, v, out) => {
    expect(formatFilepath(t, v as Record<string, number>)).toBe(out);
  });

  it('errors name the template and the key', () => {
    expect(() => formatFilepath('a-{val_los:.2f}', { epoch: 1, val_loss: 1 })).toThrow(/formatFilepath: "a-\{val_los:.2f\}" names \{val_los\}, which is not in the logs \(they have: epoch, val_loss\)/);
    expect(() => formatFilepath('{loss:d}', { loss: 0.5 })).toThrow(/\{loss:…d\} needs an integer, but loss is 0.5/);
    expect(() => formatFilepath('{loss', { loss: 1 })).toThrow(/unclosed '\{'/);
    expect(() => formatFilepath('a}b', {})).toThrow(/single '\}'/);
    expect(() => formatFilepath('{loss:.2x}', { loss: 1 })).toThrow(ArgumentError);
    expect(() => formatFilepath('{}', {})).toThrow(/must name a log key/);
  });
});

describe('ModelCheckpoint', () => {
  it('best only: writes only on improvement, and the file loads back bit-identically', () => {
    const dir = fresh();
    const { x, y } = data();
    const model = net(1);
    const weights: Record<number, Float32Array[]> = {};
    const preds: Record<number, number[]> = {};
    const xq = tensor([[0.3, -0.7], [1, 2]]);
    const snap = new LambdaCallback({
      onEpochEnd: (e) => {
        weights[e] = model.parameters().map((p) => Float32Array.from(p.data));
        preds[e] = noGrad(() => Array.from(model.call(xq).data));
      },
    });
    const ck = new ModelCheckpoint(join(dir, 'ckpt-{epoch:02d}-{val_loss:.2f}.safetensors'), { saveBestOnly: true });
    fit(model, {
      x, y, loss: 'mse', optimizer: new SGD(model.parameters(), { lr: 0.05 }), epochs: 5, batchSize: 4, verbose: 0, seed: 0, validationSplit: 0.2,
      callbacks: [scriptedValLoss([0.5, 0.6, 0.4, 0.4, 0.45]), ck, snap],
    });
    expect(readdirSync(dir).sort()).toEqual(['ckpt-01-0.50.safetensors', 'ckpt-03-0.40.safetensors']);
    expect(ck.saved).toEqual([join(dir, 'ckpt-01-0.50.safetensors'), join(dir, 'ckpt-03-0.40.safetensors')]);
    expect(ck.best).toBe(0.4);
    const bytes = readFileSync(join(dir, 'ckpt-03-0.40.safetensors'));
    const fresh2 = net(99);
    loadWeights(fresh2, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    fresh2.parameters().forEach((p, i) => expect(Float32Array.from(p.data)).toEqual(weights[2]![i]));
    // bit-identical predictions too
    expect(noGrad(() => Array.from(fresh2.call(xq).data))).toEqual(preds[2]);
    const m3 = net(5);
    loadWeights(m3, new Uint8Array(readFileSync(join(dir, 'ckpt-01-0.50.safetensors'))));
    m3.parameters().forEach((p, i) => expect(Float32Array.from(p.data)).toEqual(weights[0]![i]));
    const meta = decodeSafetensors(new Uint8Array(bytes)).metadata;
    expect(meta.epoch).toBe('3');
    expect(meta.val_loss).toBe('0.4');
    expect(Object.keys(meta).sort()).toEqual(['epoch', 'loss', 'val_loss']);
    expect(Number(meta.loss)).toBeGreaterThan(0);
  });

  it('loadWeightsFile of @memograd/nn/node reads it back', async () => {
    const dir = fresh();
    const { x, y } = data();
    const model = net(2);
    const ck = new ModelCheckpoint(join(dir, 'sub', 'dir', 'last.safetensors'));
    const h = fit(model, { x, y, loss: 'mse', optimizer: 'sgd', epochs: 3, verbose: 0, seed: 1 });
    expect(h.history.loss).toHaveLength(3);
    fit(model, { x, y, loss: 'mse', optimizer: 'sgd', epochs: 3, verbose: 0, seed: 1, callbacks: [ck] });
    // every epoch, one fixed name: overwritten, the last epoch's weights remain; folders created
    expect(ck.saved).toHaveLength(3);
    expect(readdirSync(join(dir, 'sub', 'dir'))).toEqual(['last.safetensors']);
    const other = net(3);
    await loadWeightsFile(other, join(dir, 'sub', 'dir', 'last.safetensors'));
    other.parameters().forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(model.parameters()[i]!.data)));
  });

  it('saveFreq N saves every N batches, across epochs, with Keras\' 1-based {batch}', () => {
    const dir = fresh();
    const { x, y } = data();
    const model = net(4);
    const ck = new ModelCheckpoint(join(dir, '{epoch}-{batch}.safetensors'), { saveFreq: 3 });
    // 10 rows, batch 2: 5 batches per epoch, 10 in two epochs: saves after the 3rd, 6th and 9th
    fit(model, { x, y, loss: 'mse', optimizer: 'sgd', epochs: 2, batchSize: 2, verbose: 0, seed: 1, callbacks: [ck] });
    expect(readdirSync(dir).sort()).toEqual(['1-3.safetensors', '2-1.safetensors', '2-4.safetensors']);
  });

  it('initialValueThreshold must be beaten; max mode for accuracy; the best carries over to the next fit (Keras)', () => {
    const dir = fresh();
    const { x, y } = data();
    const model = net(5);
    const ck = new ModelCheckpoint(join(dir, 'b-{epoch}.safetensors'), { saveBestOnly: true, initialValueThreshold: 0.3 });
    const run = (vals: number[]) => fit(model, { x, y, loss: 'mse', optimizer: 'sgd', epochs: vals.length, verbose: 0, validationSplit: 0.2, callbacks: [scriptedValLoss(vals), ck] });
    run([0.5, 0.4, 0.35]);
    expect(existsSync(dir)).toBe(false); // nothing written, not even the folder
    run([0.31, 0.29]);
    expect(readdirSync(dir)).toEqual(['b-2.safetensors']);
    run([0.295]);
    expect(readdirSync(dir)).toEqual(['b-2.safetensors']);
    expect(new ModelCheckpoint('a.safetensors', { monitor: 'val_accuracy', saveBestOnly: true }).mode).toBe('max');
  });

  it('verbose prints Keras\' lines', () => {
    const dir = fresh();
    const { x, y } = data();
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
    const path = join(dir, 'v.safetensors');
    fit(net(6), { x, y, loss: 'mse', optimizer: 'sgd', epochs: 2, verbose: 0, validationSplit: 0.2, callbacks: [scriptedValLoss([0.5, 0.7]), new ModelCheckpoint(path, { saveBestOnly: true, verbose: 1 })] });
    expect(out.join('')).toBe(`\nEpoch 1: val_loss improved from inf to 0.50000, saving model to ${path}\n\nEpoch 2: val_loss did not improve from 0.50000\n`);
  });

  it('a failed write is a typed error naming ModelCheckpoint and the path; no temporary file is left behind', () => {
    const dir = fresh();
    const { x, y } = data();
    const blocker = join(ROOT, `file-${n++}`);
    writeFileSync(blocker, 'not a folder');
    const path = join(blocker, 'w.safetensors');
    let err: unknown;
    try {
      fit(net(7), { x, y, loss: 'mse', optimizer: 'sgd', epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint(path)] });
    } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toMatch(new RegExp(`^ModelCheckpoint: cannot write the checkpoint ${JSON.stringify(path).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    expect(typeof (err as { code?: unknown }).code).toBe('string');
    // the write succeeds but the rename onto a folder fails: the temporary file is removed
    mkdirSync(join(dir, 'taken.safetensors'), { recursive: true });
    expect(() => fit(net(7), { x, y, loss: 'mse', optimizer: 'sgd', epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint(join(dir, 'taken.safetensors'))] }))
      .toThrow(/^ModelCheckpoint: cannot write the checkpoint ".*taken\.safetensors": E/);
    expect(readdirSync(dir)).toEqual(['taken.safetensors']);
  });

  it('bad arguments are typed errors naming ModelCheckpoint', () => {
    expect(() => new ModelCheckpoint('ckpt.keras')).toThrow(/ModelCheckpoint: filepath must end in .safetensors .*got "ckpt.keras"/);
    expect(() => new ModelCheckpoint('')).toThrow(/filepath must be a non-empty path string/);
    expect(() => new ModelCheckpoint('a.safetensors', { saveFreq: 0 })).toThrow(/saveFreq must be 'epoch' or a positive integer/);
    expect(() => new ModelCheckpoint('a.safetensors', { saveFreq: 'batch' as never })).toThrow(/saveFreq/);
    expect(() => new ModelCheckpoint('a.safetensors', { mode: 'up' as never })).toThrow(/mode must be/);
    expect(() => new ModelCheckpoint('a-{x.safetensors')).toThrow(/unclosed/);
    expect(() => new ModelCheckpoint('a.safetensors', { saveBestOnly: true, saveFreq: 2 })).toThrow(/batch logs, which have no validation values; monitor 'loss'/);
    expect(() => new ModelCheckpoint('a.safetensors', { initialValueThreshold: NaN })).toThrow(/initialValueThreshold must be a number/);
    // without saveBestOnly nothing is compared: fit must not ask for val_loss
    expect(new ModelCheckpoint('a.safetensors').monitor).toBeUndefined();
    const { x, y } = data();
    const plain = { parameters: () => [], train: () => undefined, eval: () => undefined, call: (t: Tensor) => t, stateDict: () => ({}), loadStateDict: () => undefined };
    expect(() => fit(plain as never, { x, y, loss: 'mse', optimizer: { step() {}, zeroGrad() {} }, verbose: 0, callbacks: [new ModelCheckpoint(join(fresh(), 'a.safetensors'))] }))
      .toThrow(/ModelCheckpoint: the model must be a @memograd\/nn Module/);
  });
});

describe('CSVLogger', () => {
  it('writes Keras\' table exactly: epoch, then the sorted keys; Python float text; CRLF', () => {
    const file = join(ROOT, `log-${n++}.csv`);
    const c = new CSVLogger(file);
    c.onTrainBegin();
    c.onEpochEnd(0, { val_loss: 1e-5, loss: 0.5, accuracy: 1, lr: 0.001 });
    c.onEpochEnd(1, { loss: 0.25, accuracy: 0.75, val_loss: NaN });
    expect(readFileSync(file, 'utf8')).toBe(
      'epoch,accuracy,loss,lr,val_loss\r\n'
      + '0,1.0,0.5,0.001,1e-05\r\n'
      + '1,0.75,0.25,NA,nan\r\n',
    );
  });

  it('append resumes a file without a second header; without append the file starts over', () => {
    const file = join(ROOT, `log-${n++}.csv`);
    const a = new CSVLogger(file, { separator: ';' });
    a.onTrainBegin();
    a.onEpochEnd(0, { loss: 2 });
    const b = new CSVLogger(file, { separator: ';', append: true });
    b.onTrainBegin();
    b.onEpochEnd(0, { loss: 1.5 });
    expect(readFileSync(file, 'utf8')).toBe('epoch;loss\r\n0;2.0\r\n0;1.5\r\n');
    const c = new CSVLogger(file, { separator: ';' });
    c.onTrainBegin();
    expect(readFileSync(file, 'utf8')).toBe('');
    // append to a missing or empty file writes the header
    const d = new CSVLogger(join(ROOT, `log-${n++}.csv`), { append: true });
    d.onTrainBegin();
    d.onEpochEnd(0, { 'a,b': 1 });
    expect(readFileSync(d.filename, 'utf8')).toBe('epoch,"a,b"\r\n0,1.0\r\n');
  });

  it('in fit: one row per epoch whose numbers are the History\'s', () => {
    const file = join(ROOT, `log-${n++}.csv`);
    const { x, y } = data();
    const h = fit(net(8), { x, y, loss: 'mse', optimizer: 'adam', epochs: 3, verbose: 0, validationSplit: 0.2, metrics: ['mae'], callbacks: [new CSVLogger(file)] });
    const lines = readFileSync(file, 'utf8').split('\r\n');
    expect(lines[0]).toBe('epoch,loss,mae,val_loss,val_mae');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    lines.slice(1, 4).forEach((line, e) => {
      const cells = line.split(',');
      expect(Number(cells[0])).toBe(e);
      expect(Number(cells[1])).toBe(h.history.loss![e]);
      expect(Number(cells[4])).toBe(h.history.val_mae![e]);
    });
  });

  it('errors are typed and name CSVLogger and the path', () => {
    expect(() => new CSVLogger('x.csv', { separator: ',,' })).toThrow(/CSVLogger: separator must be one character/);
    expect(() => new CSVLogger('x.csv', { separator: '"' })).toThrow(/separator/);
    expect(() => new CSVLogger('')).toThrow(/CSVLogger: filename must be a non-empty path string/);
    expect(() => new CSVLogger('x.csv', { append: 'yes' as never })).toThrow(/append must be a boolean/);
    const bad = join(ROOT, 'missing-dir', 'x.csv');
    const c = new CSVLogger(bad);
    expect(() => c.onTrainBegin()).toThrow(/^CSVLogger: cannot write ".*missing-dir.*x\.csv": ENOENT/);
  });
});
