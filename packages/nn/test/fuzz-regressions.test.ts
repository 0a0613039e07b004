/**
 * Regressions for the nn cases found by the adversarial fuzz suite (issue 8): every failure is a
 * typed MemogradError whose message starts with the function (or class / `Class.method`) the user
 * called, shows no '[object Object]', and leaves the state unchanged.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, MemogradError, ShapeError, Tensor, ones, tensor, zeros } from '@memograd/autograd';
import {
  BCEWithLogitsLoss, BatchNorm1d, CategoricalCrossEntropy, Dense, Dropout, LayerNorm, LeakyReLU, Linear, Loss, ModuleDict,
  ModuleList, Parameter, ReLU, SafetensorsError, StateDictError, encodeSafetensors, Sequential, Sigmoid, SmoothL1Loss, Softmax, Tanh, binaryCrossEntropyWithLogits,
  calculateGain, categoricalCrossEntropy, dropout, getActivation, glorotNormal_, glorotUniform_, heNormal_, heUniform_,
  init, initialize_, kaimingNormal_, kaimingUniform_, l2Penalty, linear, mseLoss, regularizers,
  saveWeights, smoothL1Loss, uniform_, sparseCategoricalCrossEntropy, summary, xavierNormal_, xavierUniform_, MultiheadAttention, crossEntropy, nllLoss, ctcLoss, multiMarginLoss, Upsample,
} from '../src/index.ts';
import { loadWeightsFile, saveWeightsFile } from '../src/node.ts';
import { relabel } from '../src/errors.ts';

/** Calls `fn` and returns the error it throws (failing when it returns). */
function thrown(fn: () => unknown): MemogradError {
  let e: unknown;
  try {
    fn();
  } catch (err) {
    e = err;
  }
  expect(e, 'expected a throw').toBeInstanceOf(MemogradError);
  const m = (e as Error).message;
  expect(m).not.toMatch(/\[object Object\]/);
  return e as MemogradError;
}

/** Asserts a typed error of class `C` whose message starts with `prefix`. */
function expectNamed(fn: () => unknown, C: new (...a: never[]) => MemogradError, prefix: string | RegExp): MemogradError {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(C);
  if (typeof prefix === 'string') expect(e.message.startsWith(prefix), `'${e.message}' starts with '${prefix}'`).toBe(true);
  else expect(e.message).toMatch(prefix);
  return e;
}

async function expectNamedAsync(p: Promise<unknown>, C: new (...a: never[]) => MemogradError, prefix: string): Promise<MemogradError> {
  let e: unknown;
  try {
    await p;
  } catch (err) {
    e = err;
  }
  expect(e).toBeInstanceOf(C);
  expect((e as Error).message.startsWith(prefix), `'${(e as Error).message}' starts with '${prefix}'`).toBe(true);
  return e as MemogradError;
}

const nullProto = (o: object = {}) => Object.assign(Object.create(null), o) as object;
const x23 = () => tensor([[0.2, 0.4, 0.6], [0.3, 0.5, 0.7]]);

describe('raw JavaScript errors become typed errors', () => {
  it('the abstract Loss cannot be constructed', () => {
    expectNamed(() => new (Loss as unknown as new () => Loss)(), ArgumentError, 'Loss: Loss is an abstract base class');
    // a subclass that forgot forward (possible from JavaScript) is named too
    const Base = Loss as unknown as new () => { call(x: Tensor, t: unknown): Tensor };
    class NoForward extends Base {}
    expectNamed(() => new NoForward().call(x23(), x23()), ArgumentError, 'NoForward: NoForward has no forward');
  });

  it('layer scalars that are not numbers', () => {
    expectNamed(() => new LeakyReLU(Symbol('s') as never), ArgumentError, 'LeakyReLU: negativeSlope must be a number, got symbol');
    expectNamed(() => new Softmax('1' as never), ArgumentError, 'Softmax: axis must be an integer');
    expectNamed(() => new SmoothL1Loss({ beta: Symbol('s') as never }).call(x23(), x23()), ArgumentError, 'smoothL1Loss: beta must be a finite non-negative number, got symbol');
    expectNamed(() => new SmoothL1Loss({ beta: Infinity }).call(x23(), x23()), ArgumentError, 'smoothL1Loss: beta must be a finite');
  });

  it('forward on a non-tensor', () => {
    expectNamed(() => new LayerNorm(3).forward(0 as never), ArgumentError, 'LayerNorm([3]): expected a Tensor input, got number 0');
    const seq = new Sequential(new Linear(3, 4), new ReLU());
    expectNamed(() => seq.forward('float64' as never), ArgumentError, 'Sequential.forward: input must be a Tensor, got string "float64"');
  });

  it('container indices and arguments of the wrong type', () => {
    const list = new ModuleList([new ReLU(), new Tanh()]);
    expectNamed(() => list.extend(undefined as never), ArgumentError, 'ModuleList.extend: expected an iterable of Modules, got undefined');
    expectNamed(() => list.pop(nullProto() as never), ArgumentError, 'ModuleList.pop: index must be an integer, got object');
    expect(list.length).toBe(2);
    const seq = new Sequential(new ReLU(), new Tanh());
    expectNamed(() => seq.at(-1n as never), ArgumentError, 'Sequential.at: index must be an integer, got bigint');
    expectNamed(() => seq.at({ valueOf: () => 0 } as never), ArgumentError, 'Sequential.at: index must be an integer, got Object');
    expectNamed(() => seq.append([new ReLU()] as never), ArgumentError, 'Sequential.append: module must be a Module, got Array');
    expect(seq.length).toBe(2);
    const dict = new ModuleDict({ a: new ReLU() });
    expectNamed(() => dict.get(Number.NaN as never), ArgumentError, 'ModuleDict.get: no module under key NaN');
    expectNamed(() => dict.set(zeros([0]) as never, new Sigmoid()), ArgumentError, "ModuleDict.set: key must be a non-empty string without '.', got Tensor");
  });

  it('Parameter with a bad shape option', () => {
    expectNamed(() => new Parameter(new Float32Array(6), nullProto({ shape: -0 }) as never), ArgumentError, 'Parameter: options.shape must be an array');
    expectNamed(() => new Parameter(new Float32Array(6), { shape: [4] }), ArgumentError, 'Parameter: options.shape [4] holds 4 elements but the data has 6');
    expect(new Parameter(new Float32Array(6), { shape: [2, 3] }).shape).toEqual([2, 3]);
  });

  it('Parameter with a tensor as its options gives a well-formed parameter or an error', () => {
    // a Tensor has a `shape` property: it used to become the shape of a 6-element buffer ([2] holding 6)
    expectNamed(() => new Parameter(new Float32Array(6), tensor([2, 1]) as never), ArgumentError, 'Parameter: options.shape [2] holds 2 elements but the data has 6');
  });

  it('SafetensorsError and StateDictError with values that cannot become strings', () => {
    const e = new SafetensorsError(nullProto() as never, 'w');
    expect(e.message).toBe('safetensors: tensor "w": object');
    let deep: unknown[] = [1];
    for (let i = 0; i < 20000; i++) deep = [deep];
    expect(new StateDictError(deep as never, [[]] as never).message).toBe('Array: ');
    expect(new StateDictError(nullProto() as never, (() => 'garbage') as never).message).toMatch(/^object: \(\) => /);
  });

  it('boolean options of the norm layers and Linear', () => {
    expectNamed(() => new LayerNorm([3], { elementwiseAffine: nullProto() as never }), ArgumentError, 'LayerNorm: elementwiseAffine must be a boolean, got object');
    expectNamed(() => new BatchNorm1d(3, { affine: 'yes' as never }), ArgumentError, 'BatchNorm1d: affine must be a boolean, got string "yes"');
    expectNamed(() => new Linear(3, 2, { bias: 0 as never }), ArgumentError, 'Linear: bias must be a boolean, got number 0');
    expectNamed(() => new LayerNorm(2 ** 31), ArgumentError, 'LayerNorm: ones: ');
    expectNamed(() => new BatchNorm1d(2 ** 53), ArgumentError, 'BatchNorm1d: ');
  });

  it('loadStateDict with a record that has no dtype says so', () => {
    const m = new Linear(3, 2);
    const e = expectNamed(() => m.loadStateDict({ weight: { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] } as never, bias: m.bias! }), StateDictError, 'Linear.loadStateDict: ');
    expect(e.message).toContain("key 'weight': dtype mismatch: the module has float32, the dict has no dtype");
  });

  it('encodeSafetensors describes a bad metadata value by its class, NaN as NaN', () => {
    expectNamed(() => encodeSafetensors({ w: ones([1]) as never }, { a: ones([1]) } as never), SafetensorsError, 'safetensors: metadata value for key "a" must be a string, got Tensor');
    expectNamed(() => encodeSafetensors({ w: ones([1]) as never }, { a: [Number.NaN, 1] } as never), SafetensorsError, 'safetensors: metadata value for key "a" must be a string, got ["NaN",1]');
  });

  it('initializers and regularizers with objects that cannot become primitives', () => {
    const t = zeros([3, 3]);
    expectNamed(() => initialize_(t, nullProto() as never), ArgumentError, 'initialize_: unknown initializer object');
    expectNamed(() => initialize_(t, { length: 3 } as never), ArgumentError, 'initialize_: unknown initializer Object');
    expectNamed(() => kaimingUniform_(t, nullProto({ mode: nullProto() }) as never), ArgumentError, "kaimingUniform_: mode must be 'fanIn' or 'fanOut', got object");
    expectNamed(() => regularizers.l1l2(nullProto({ l2: nullProto() }) as never), ArgumentError, 'regularizers: lambda must be a finite non-negative number, got object');
    expectNamed(() => regularizers.l2({ valueOf: () => 1 } as never), ArgumentError, 'regularizers: lambda must be a finite non-negative number, got Object');
    expectNamed(() => regularizers.l1l2(3 as never), ArgumentError, 'regularizers.l1l2: options must be an object');
    expectNamed(() => l2Penalty(new Linear(3, 2), { valueOf: () => 1 } as never), ArgumentError, 'l2Penalty: lambda must be a finite non-negative number, got Object');
  });

  it('dropout with a generator that is not a Generator', () => {
    expectNamed(() => dropout(x23(), 0.5, { generator: 2 ** 53 as never }), ArgumentError, 'dropout: options.generator must be a Generator, got number');
    expectNamed(() => new Dropout(0.5, { generator: {} as never }), ArgumentError, 'Dropout: options.generator must be a Generator');
    expectNamed(() => dropout(x23(), { valueOf: () => 0.5 } as never), ArgumentError, 'dropout: p must be in [0, 1), got Object');
  });

  it('loadWeightsFile and saveWeightsFile: fs errors are typed, name the function and the path, keep the code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memograd-nn-'));
    const missing = join(dir, 'missing.safetensors');
    let e = await expectNamedAsync(loadWeightsFile(new Linear(3, 2), missing), ArgumentError, `loadWeightsFile: cannot read "${missing}": ENOENT`);
    expect((e as unknown as { code: string }).code).toBe('ENOENT');
    expect((e as unknown as { cause: unknown }).cause).toBeInstanceOf(Error);
    await expectNamedAsync(loadWeightsFile(new Linear(3, 2), dir), ArgumentError, `loadWeightsFile: cannot read "${dir}": EISDIR`);
    await expectNamedAsync(loadWeightsFile(new Linear(3, 2), ones([1]) as never), ArgumentError, 'loadWeightsFile: path must be a non-empty string');
    await expectNamedAsync(loadWeightsFile(new Linear(3, 2), new Uint8Array(3) as never), ArgumentError, 'loadWeightsFile: path must be a non-empty string');
    e = await expectNamedAsync(saveWeightsFile(new Linear(3, 2), dir), ArgumentError, `saveWeightsFile: cannot write "${dir}": EISDIR`);
    expect((e as unknown as { code: string }).code).toBe('EISDIR');
    await expectNamedAsync(saveWeightsFile(new Linear(3, 2), new Set() as never), ArgumentError, 'saveWeightsFile: path must be a non-empty string');
    await expectNamedAsync(saveWeightsFile(new Map() as never, join(dir, 'w.safetensors')), ArgumentError, 'saveWeightsFile: model must be a Module, got Map');
    // a good round trip still works
    const path = join(dir, 'ok.safetensors');
    const a = new Linear(3, 2);
    await saveWeightsFile(a, path);
    const b = new Linear(3, 2);
    await loadWeightsFile(b, path);
    expect(Array.from(b.weight.data)).toEqual(Array.from(a.weight.data));
  });
});

describe('errors of delegated work name the called function', () => {
  it('losses', () => {
    expectNamed(() => mseLoss(x23(), [true, 2] as never), ArgumentError, 'mseLoss: target element [0] is true');
    expectNamed(() => mseLoss(x23(), [1, [2]] as never), ArgumentError, 'mseLoss: target nested array is ragged');
    expectNamed(() => new BCEWithLogitsLoss().call(x23(), [1, 'a'] as never), ArgumentError, 'binaryCrossEntropyWithLogits: target element [1] is "a"');
    expectNamed(() => binaryCrossEntropyWithLogits(x23(), x23(), { posWeight: ones([4]) }), ShapeError, 'binaryCrossEntropyWithLogits: ');
    // a posWeight that broadcasts the loss to no elements: the mean of nothing is an error naming the loss
    expectNamed(() => binaryCrossEntropyWithLogits(x23(), x23(), { posWeight: zeros([0, 2, 3]) }), ShapeError, 'binaryCrossEntropyWithLogits: mean: ');
    expectNamed(() => smoothL1Loss(x23(), ones([3])), ShapeError, 'smoothL1Loss: input has shape [2, 3] but target has shape [3]');
    expectNamed(() => smoothL1Loss(x23(), ones([1, 1]), { beta: 0 }), ShapeError, 'smoothL1Loss: input has shape');
    expectNamed(() => smoothL1Loss(0.5 as never, x23()), ArgumentError, 'smoothL1Loss: input must be a Tensor, got number 0.5');
    expectNamed(() => smoothL1Loss(x23(), -1n as never), ArgumentError, 'smoothL1Loss: target must be a Tensor or nested arrays of numbers, got bigint');
    expectNamed(() => new SmoothL1Loss().call(x23(), ['1', '2'] as never), ArgumentError, 'smoothL1Loss: target element');
    expectNamed(() => categoricalCrossEntropy(x23(), tensor(0.5), { fromLogits: true }), ShapeError, 'categoricalCrossEntropy: crossEntropy: input has shape');
    expectNamed(() => new CategoricalCrossEntropy().call(x23(), [null] as never), ArgumentError, 'categoricalCrossEntropy: target element [0] is null');
    expectNamed(() => sparseCategoricalCrossEntropy(x23(), [3, -1], { fromLogits: true }), ArgumentError, 'sparseCategoricalCrossEntropy: crossEntropy: target[0] = 3');
    expectNamed(() => sparseCategoricalCrossEntropy(x23(), [0, 1], { fromLogits: true, reduction: 'x' as never }), ArgumentError, "sparseCategoricalCrossEntropy: crossEntropy: reduction must be 'mean', 'sum' or 'none', got 'x'");
  });

  it('smoothL1Loss still equals Huber / beta, and L1 at beta 0', () => {
    const x = tensor([[0.1, 2, -3]], { dtype: 'float64' });
    const t = tensor([[0, 0, 0]], { dtype: 'float64' });
    expect(Array.from(smoothL1Loss(x, t, { beta: 0.5, reduction: 'none' }).data)).toEqual([0.010000000000000002, 1.75, 2.75]);
    expect(smoothL1Loss(x, t, { beta: 0 }).item()).toBeCloseTo((0.1 + 2 + 3) / 3, 12);
  });

  it('initializers', () => {
    expectNamed(() => glorotNormal_([1n] as never), ArgumentError, 'glorotNormal_: expected a Tensor to fill in place, got Array');
    expectNamed(() => glorotNormal_(ones([1])), ShapeError, 'glorotNormal_: fan in and fan out need a tensor with at least 2 dimensions');
    expectNamed(() => glorotUniform_(ones([2, 2]), {} as never), ArgumentError, 'glorotUniform_: gain must be a finite non-negative number, got Object');
    expectNamed(() => heNormal_(null as never), ArgumentError, 'heNormal_: expected a Tensor');
    expectNamed(() => heUniform_(ones([1])), ShapeError, 'heUniform_: fan in and fan out');
    expectNamed(() => xavierUniform_(ones([1])), ShapeError, 'xavierUniform_: fan in and fan out');
    expectNamed(() => xavierUniform_(ones([3, 3]), -1e-234), ArgumentError, 'xavierUniform_: gain must be a finite non-negative number');
    expectNamed(() => xavierNormal_(ones([1, 3]), -2e-12), ArgumentError, 'xavierNormal_: gain must be a finite non-negative number');
    // bound 8e307 · √3 is finite but the draw's range 2 · bound is not: every value would be ±Infinity or NaN
    expectNamed(() => xavierUniform_(ones([1, 1]), 8e307), ArgumentError, 'xavierUniform_: the bound for shape [1, 1] is 1.38');
    expectNamed(() => uniform_(ones([2]), -1e308, 1e308), ArgumentError, 'uniform_: needs finite a <= b with a finite b − a');
    expectNamed(() => xavierNormal_(ones([3, 3]), 1e308 * 10), ArgumentError, 'xavierNormal_: gain must be a finite');
    expectNamed(() => kaimingNormal_(ones([1, 4]), { nonlinearity: 'bogus' as never }), ArgumentError, "kaimingNormal_: unsupported nonlinearity 'bogus'");
    expectNamed(() => kaimingUniform_(ones([4, 2]), { nonlinearity: (() => ({})) as never }), ArgumentError, 'kaimingUniform_: unsupported nonlinearity function');
    expectNamed(() => kaimingNormal_(ones([3])), ShapeError, 'kaimingNormal_: fan in');
    expectNamed(() => initialize_(ones([]), 'glorotUniform'), ShapeError, 'initialize_: fan in');
    expectNamed(() => init.calculateGain(ones([1]) as never), ArgumentError, 'calculateGain: unsupported nonlinearity Tensor');
    expectNamed(() => calculateGain('leaky_relu', {} as never), ArgumentError, 'calculateGain: negative slope must be a finite number, got Object');
  });

  it('zero-element tensors are left as they are (PyTorch: a no-op), with fans computed from the shape', () => {
    for (const f of [(t: Tensor) => xavierUniform_(t), (t: Tensor) => xavierNormal_(t), (t: Tensor) => kaimingUniform_(t), (t: Tensor) => heNormal_(t), (t: Tensor) => heUniform_(t)]) {
      const t = zeros([3, 3, 0]);
      expect(f(t)).toBe(t);
      expect(t.shape).toEqual([3, 3, 0]);
    }
  });

  it('Dense and Linear name themselves, and their helpers\' errors name the layer', () => {
    expectNamed(() => new Dense(0.5, 3), ArgumentError, 'Dense: inFeatures must be a positive integer, got number 0.5');
    expectNamed(() => new Dense(3, 4, 3 as never), ArgumentError, 'Dense: options must be an object');
    expectNamed(() => new Linear(3, { length: 3 } as never), ArgumentError, 'Linear: outFeatures must be a positive integer, got Object');
    expectNamed(() => new Dense(2 ** 32 + 1, 3), ArgumentError, 'Dense: zeros: ');
    expectNamed(() => new Linear(3, 4, { kernelInitializer: 'bogus' as never }), ArgumentError, "Linear: initialize_: unknown initializer 'bogus'");
    expectNamed(() => new Dense(3, 4, { activation: 'bogus' as never }), ArgumentError, "Dense: getActivation: unknown activation 'bogus'");
    expectNamed(() => new Dropout(0, { seed: { length: 3 } as never }), ArgumentError, 'Dropout: Generator: ');
  });

  it('getActivation, l2Penalty, linear, saveWeights, saveWeightsFile, summary', () => {
    expectNamed(() => getActivation('bogus' as never), ArgumentError, "getActivation: unknown activation 'bogus'");
    expectNamed(() => getActivation(ones([1]) as never), ArgumentError, 'getActivation: unknown activation Tensor');
    expectNamed(() => l2Penalty([ones([2], { dtype: 'float64' }), ones([1])], 0), DTypeError, 'l2Penalty: parameter 1 is float32 but parameter 0 is float64');
    expectNamed(() => linear(ones([2, 3], { dtype: 'float64' }), ones([2, 3]), ones([2])), DTypeError, 'linear: input is float64 but weight is float32');
    expectNamed(() => linear(ones([2, 3]), ones([2, 3]), ones([2], { dtype: 'float64' })), DTypeError, 'linear: bias is float64 but weight is float32');
    expectNamed(() => linear(ones([2, 3]), ones([2, 3]), ones([3])), ShapeError, 'linear: add: shapes');
    expectNamed(() => saveWeights(new Linear(3, 2), { a: 1 } as never), MemogradError, 'saveWeights: metadata value for key "a" must be a string');
    expectNamed(() => saveWeights(new Linear(3, 2), (() => 'x') as never), MemogradError, 'saveWeights: metadata must be an object');
    expectNamed(() => summary(new BatchNorm1d(3), [3], { print: false, dtype: true as never }), ArgumentError, "summary: dtype must be 'float32' or 'float64', got boolean true");
    expectNamed(() => summary(new BatchNorm1d(3), [3], { print: false, batchSize: 0 }), ArgumentError, 'summary: batchSize must be a positive integer, got number 0');
    expectNamed(() => summary(new BatchNorm1d(3), [3], { print: false, dtype: 'float64' }), DTypeError, 'summary: BatchNorm1d(3): input is float64');
    expectNamed(() => summary(new BatchNorm1d(3), tensor([2, 4]) as never, { print: false }), ArgumentError, 'summary: inputShape must be a list of positive integers (without the batch axis), got Tensor');
  });

  it('relabel keeps the class and fields and updates op', () => {
    const e = new ShapeError('inner', 'bad shape', [[1]]);
    const r = relabel('outer', e) as ShapeError;
    expect(r).toBeInstanceOf(ShapeError);
    expect(r.message).toBe('outer: inner: bad shape');
    expect(r.op).toBe('outer');
    expect(r.shapes).toEqual([[1]]);
    expect((relabel('x', new ShapeError('inner', 'bad'), 'what ') as Error).message).toBe('x: what bad');
    const plain = new TypeError('t');
    expect(relabel('x', plain)).toBe(plain);
  });

  it('relabel (autograd renameError) keeps subclasses whose constructors take other arguments intact', () => {
    const e = new StateDictError('Linear.loadStateDict', ["key 'weight': shape mismatch", "missing key 'bias'"]);
    const r = relabel('loadWeights', e) as StateDictError;
    expect(r).toBeInstanceOf(StateDictError);
    expect(r.message).toBe(`loadWeights: ${e.message}`);
    expect(r.problems).toEqual(e.problems);
    const s = relabel('saveWeights', new SafetensorsError('bad dtype', 'w'), '') as SafetensorsError;
    expect(s).toBeInstanceOf(SafetensorsError);
    expect(s.message).toBe('saveWeights: tensor "w": bad dtype');
    expect(s.tensor).toBe('w');
    expect(relabel('Linear', new ShapeError('Linear(3 → 4)', 'bad'))).toBeInstanceOf(ShapeError);
  });
});

describe('norm layers check the dtype before doing anything', () => {
  it('BatchNorm1d: a float64 input on float32 weights throws a named error and leaves the running statistics', () => {
    const bn = new BatchNorm1d(3);
    const before = [Array.from(bn.runningMean!.data), Array.from(bn.runningVar!.data), Array.from(bn.numBatchesTracked!.data), bn.runningMean!.version];
    const x = tensor([[-1.6, 1.9, 2.6], [2.4, -0.75, -2.4]], { dtype: 'float64' });
    expectNamed(() => bn.call(x), DTypeError, "BatchNorm1d(3): input is float64 but the layer's weights are float32; convert the input with .to('float32')");
    expect([Array.from(bn.runningMean!.data), Array.from(bn.runningVar!.data), Array.from(bn.numBatchesTracked!.data), bn.runningMean!.version]).toEqual(before);
    // without affine weights the running statistics set the dtype
    const plain = new BatchNorm1d(3, { affine: false });
    expectNamed(() => plain.call(x), DTypeError, 'BatchNorm1d(3): input is float64');
    expect(Array.from(plain.numBatchesTracked!.data)).toEqual([0]);
  });

  it('LayerNorm: a float64 input on float32 weights', () => {
    expectNamed(() => new LayerNorm(3).call(tensor([[1, 2, 3]], { dtype: 'float64' })), DTypeError, "LayerNorm([3]): input is float64 but the layer's weights are float32");
    // without weights any dtype works
    expect(new LayerNorm(3, { elementwiseAffine: false }).call(tensor([[1, 2, 3]], { dtype: 'float64' })).dtype).toBe('float64');
  });
});

describe('attention masks nested too deep or containing themselves', () => {
  it('are refused as no mask, naming the layer, without recursion (a cyclic mask overflowed the stack)', () => {
    let deep: unknown = [true];
    for (let i = 0; i < 20000; i++) deep = [deep];
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    const mha = new MultiheadAttention(4, 2);
    const q = zeros([1, 2, 4]);
    for (const m of [deep, cyclic]) {
      expectNamed(() => mha.call(q, q, q, { attnMask: m } as never), ArgumentError, 'MultiheadAttention(4, 2 heads): attnMask must be a Tensor (added to the scores) or nested arrays of booleans');
    }
    // a boolean mask of the right shape still works ([target, source] = [1, 1]: q is [L = 1, N = 2, E = 4])
    const r = mha.call(q, q, q, { attnMask: [[false]] } as never) as unknown as { output?: Tensor } | Tensor;
    expect((r instanceof Tensor ? r : r.output!).shape).toEqual([1, 2, 4]);
  });
});

describe('findings of the long runs with seeds 22 and 23 (1,500 runs per entry)', () => {
  it('crossEntropy / nllLoss with no classes and every target ignored: NaN for the mean, 0 for the sum, as PyTorch', () => {
    // was: gather's unnamed "index 0 is out of range" for the ignored targets
    const x = tensor(new Float32Array(0), { shape: [2, 0], requiresGrad: true });
    const mean = crossEntropy(x, [1, 1], { ignoreIndex: 1 });
    expect(Number.isNaN(mean.item()) && mean.requiresGrad).toBe(true); // F.cross_entropy(...) is nan with a grad_fn
    mean.backward();
    expect(x.grad!.shape).toEqual([2, 0]);
    expect(crossEntropy(x, [1, 1], { ignoreIndex: 1, reduction: 'sum' }).item()).toBe(0);
    expect(crossEntropy(x, [1, 1], { ignoreIndex: 1, reduction: 'none' }).toArray()).toEqual([0, 0]);
    expect(Number.isNaN(nllLoss(tensor(new Float32Array(0), { shape: [2, 0] }), [3, 3], { ignoreIndex: 3 }).item())).toBe(true);
    expectNamed(() => crossEntropy(x, [0, 1], { ignoreIndex: 1 }), ArgumentError, 'crossEntropy: target[0] = 0 is not a class index in [0, 0)');
  });

  it('an empty batch: sparseCategoricalCrossEntropy and crossEntropy give 0 for the sum, NaN for the mean (seed 41, 3,000 runs)', () => {
    // was: gather's unnamed "index has rank 1 but x has rank 2" (no rows made a [0] index, not [0, 1])
    const x = tensor(new Float32Array(0), { shape: [0, 4], requiresGrad: true });
    const empty = tensor(new Float32Array(0));
    expect(sparseCategoricalCrossEntropy(x, empty as never, { reduction: 'sum' }).item()).toBe(0);
    expect(Number.isNaN(sparseCategoricalCrossEntropy(x, empty as never).item())).toBe(true);
    expect(crossEntropy(x, [], { reduction: 'none' }).shape).toEqual([0]);
    const loss = crossEntropy(x, [], { reduction: 'sum' });
    loss.backward();
    expect(x.grad!.shape).toEqual([0, 4]);
  });

  it('a string argument is quoted in messages ("got string NaN" read as a mangled number)', () => {
    const e = expectNamed(() => ctcLoss(zeros([4, 2, 3]), [[1, 1], [1, 1]], [4, 4], [2, 2], { zeroInfinity: 'NaN' as never }), ArgumentError, 'ctcLoss: zeroInfinity must be a boolean');
    expect(e.message).toMatch(/got string "NaN"$/);
  });
});

describe('findings of the long runs with seeds 61 and 62 (5,000 runs per entry)', () => {
  it('a target that is no number is described, not printed (a 20,000-deep array overflowed the stack); null is refused, not ignored', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 20000; i++) deep = [deep];
    expectNamed(() => sparseCategoricalCrossEntropy(tensor(Float64Array.of(-0)), deep as never), ArgumentError, 'sparseCategoricalCrossEntropy: target[0] = Array is not a class index in [0, 1)');
    // without an ignore index a null target was silently left out of the loss
    expectNamed(() => multiMarginLoss(tensor([[1, 2, 3]]), [null] as never), ArgumentError, 'multiMarginLoss: target[0] = null is not a class index in [0, 3)');
    expectNamed(() => crossEntropy(tensor([[1, 2, 3]]), [null] as never, { ignoreIndex: null }), ArgumentError, 'crossEntropy: target element [0] is null');
  });

  it('multiMarginLoss: no classes is refused as in PyTorch; an empty batch sums to 0 (was gather\'s unnamed error)', () => {
    expectNamed(() => multiMarginLoss(tensor(new Float32Array(0)), [null] as never), ShapeError, 'multiMarginLoss: expected at least one class, got input of shape [0]');
    expect(multiMarginLoss(tensor(new Float32Array(0), { shape: [0, 3] }), [], { reduction: 'sum' }).item()).toBe(0);
  });

  it('Upsample / interpolate: an output axis above MAX_ELEMENTS is refused even on an empty batch (it hung building 2^31-long tables)', () => {
    const x = tensor(new Float64Array(0), { shape: [0, 2, 1], requiresGrad: true });
    expectNamed(() => new Upsample({ scaleFactor: 2 ** 31 }).call(x), ShapeError, "Upsample(scaleFactor=2147483648, mode='nearest'): interpolate: output size [2147483648] has an axis above 2147483647");
    // a large axis on an empty batch computes nothing, forward or backward
    const y = new Upsample({ scaleFactor: 2 ** 28 }).call(x);
    expect(y.shape).toEqual([0, 2, 2 ** 28]);
    y.sum().backward();
    expect(x.grad!.shape).toEqual([0, 2, 1]);
  });
});
