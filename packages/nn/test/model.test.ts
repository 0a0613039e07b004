import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError, Generator, defaultGenerator, randn } from '@memograd/autograd';
import type { DType, Tensor } from '@memograd/autograd';
import {
  BatchNorm1d, Dense, Dropout, ELU, Flatten, GELU, Identity, LayerNorm, LeakyReLU, Linear, LogSoftmax, Module, ModelFormatError, Parameter, ReLU,
  SERIALIZABLE_LAYERS, Sequential, SiLU, Sigmoid, Softmax, Softplus, Tanh, modelFromJSON, modelToJSON, regularizers,
} from '../src/index.ts';
import type { ModelJSON } from '../src/index.ts';
import { loadModel, saveModel, saveWeightsFile } from '../src/node.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'memograd-model-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));
let n = 0;
const dir = (): string => join(ROOT, `m${n++}`);

/** Every built-in layer in one model: [N, 2, 3] input, flattened to 6 features. */
function everyLayer(dtype: DType): Sequential {
  const g = new Generator(7);
  return new Sequential(
    new Flatten(1, -1),
    new Linear(6, 8, { dtype, generator: g, activation: 'tanh', kernelRegularizer: regularizers.l2(0.01) }),
    new BatchNorm1d(8, { dtype, momentum: 0.2, eps: 1e-3 }),
    new ReLU(),
    new Dense(8, 8, { dtype, generator: g, bias: false, biasRegularizer: regularizers.l1l2({ l1: 0.1, l2: 0.2 }) }),
    new LayerNorm([8], { dtype, eps: 1e-4 }),
    new LeakyReLU(0.2),
    new ELU(0.5),
    new GELU(),
    new SiLU(),
    new Sigmoid(),
    new Tanh(),
    new Softplus({ beta: 2, threshold: 10 }),
    new Identity(),
    new Dropout(0.25, { seed: 3 }),
    new Sequential(new Linear(8, 4, { dtype, generator: g }), new Softmax(-1)),
    new LogSoftmax(1),
  );
}

function bits(t: Tensor): string {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return Buffer.from(bytes).toString('hex');
}

describe('saveModel / loadModel', () => {
  it('every registered layer class appears in the all-layers model', () => {
    const names = new Set(everyLayer('float32').modules().map((m) => m.constructor.name));
    // the conv-layers (4-D inputs) round-trip in conv-layers.test.ts, the norms beyond BatchNorm1d in norm-layers.test.ts
    const elsewhere = ['BatchNorm2d', 'BatchNorm3d', 'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d', 'GroupNorm', 'Embedding', 'Conv1d', 'Conv2d', 'ConvTranspose2d', 'MaxPool1d', 'MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d', 'Upsample', 'PixelShuffle', 'PixelUnshuffle'];
    expect([...SERIALIZABLE_LAYERS].filter((c) => !elsewhere.includes(c)).sort()).toEqual([...names].sort());
  });

  it.each(['float32', 'float64'] as const)('round-trips every layer type with bit-identical predictions (%s)', async (dtype) => {
    const model = everyLayer(dtype);
    // some training steps' worth of running statistics, so the buffers are not their initial values
    model.train();
    for (let i = 0; i < 3; i++) model.call(randn([5, 2, 3], { dtype, generator: new Generator(i) }));
    const d = dir();
    await saveModel(model, d);
    const loaded = await loadModel(d);
    expect(loaded.toString()).toBe(model.toString());
    const x = randn([4, 2, 3], { dtype, generator: new Generator(99) });
    model.eval();
    loaded.eval();
    expect(bits(loaded.call(x))).toBe(bits(model.call(x)));
    expect(loaded.call(x).dtype).toBe(dtype);
    // training mode too: batch statistics, and the seeded Dropout draws the same masks from its seed
    const fresh = everyLayer(dtype);
    fresh.loadStateDict(model.stateDict());
    const again = await loadModel(d);
    fresh.train();
    again.train();
    expect(bits(again.call(x))).toBe(bits(fresh.call(x)));
    // the regularization penalties come back too
    expect(bits(again.regularizationLoss())).toBe(bits(fresh.regularizationLoss()));
    expect(again.regularizationLoss().item()).toBeGreaterThan(0);
  });

  it('writes model.json (format, version, each layer with its options) and model.safetensors', async () => {
    const model = new Sequential(new Dense(3, 2, { activation: 'relu', generator: new Generator(1) }), new Dropout(0.5)).eval();
    const d = dir();
    await saveModel(model, d);
    const json = JSON.parse(readFileSync(join(d, 'model.json'), 'utf8')) as ModelJSON;
    expect(json).toEqual({
      format: 'memograd.model', formatVersion: 1, training: false,
      model: {
        class: 'Sequential',
        config: {
          layers: [
            { class: 'Dense', config: { inFeatures: 3, outFeatures: 2, bias: true, dtype: 'float32', activation: 'relu', kernelRegularizer: null, biasRegularizer: null } },
            { class: 'Dropout', config: { p: 0.5, seed: null } },
          ],
        },
      },
    });
    const loaded = await loadModel(d);
    expect(loaded.training).toBe(false);
    expect(loaded.at(0)).toBeInstanceOf(Dense);
  });

  it('modelToJSON / modelFromJSON (the browser-safe half) round-trip, as an object or as text, without advancing the global generator', () => {
    const model = everyLayer('float64');
    const json = modelToJSON(model);
    defaultGenerator.manualSeed(5);
    const r1 = defaultGenerator.random();
    defaultGenerator.manualSeed(5);
    const rebuilt = modelFromJSON(JSON.stringify(json));
    expect(defaultGenerator.random()).toBe(r1);
    expect(rebuilt.toString()).toBe(model.toString());
    expect(modelToJSON(modelFromJSON(json))).toEqual(json);
  });

  it('refuses a custom module, naming saveWeights', async () => {
    class Mine extends Module {
      fc = new Linear(2, 2);
      forward(x: Tensor): Tensor { return this.fc.call(x); }
    }
    await expect(saveModel(new Mine() as never, dir())).rejects.toThrow(/^saveModel: the model is a Mine: only a Sequential of memograd's built-in layers can be saved whole; save the weights .* saveWeights/);
    expect(() => modelToJSON(new Sequential(new Linear(2, 2), new Mine()))).toThrow(/^modelToJSON: layer 1 is a Mine, which is not a built-in layer/);
    class MySeq extends Sequential {}
    expect(() => modelToJSON(new MySeq(new ReLU()))).toThrow(ArgumentError);
    expect(() => modelToJSON(new Sequential(new Sequential(new ReLU(), new Mine())))).toThrow(/layer 0, layer 1 is a Mine/);
    expect(() => modelToJSON(42 as never)).toThrow(/^modelToJSON: model must be a Sequential/);
  });

  it('refuses what options cannot describe: a function activation, a custom regularizer, a shared layer, a hand-added parameter', () => {
    expect(() => modelToJSON(new Sequential(new Linear(2, 2, { activation: (x) => x.abs() })))).toThrow(/^modelToJSON: layer 0 \(Linear\) cannot be saved: its activation is a function/);
    const custom = { l1: 0, l2: 0.1, call: (w: Tensor) => w.sum() };
    expect(() => modelToJSON(new Sequential(new Linear(2, 2, { kernelRegularizer: custom })))).toThrow(/kernelRegularizer is not one of regularizers/);
    const shared = new Linear(2, 2);
    expect(() => modelToJSON(new Sequential(shared, new ReLU(), shared))).toThrow(/^modelToJSON: the model's tensors are not what its layers' options build/);
    const extra = new Linear(2, 2);
    (extra as unknown as { scale: Parameter }).scale = new Parameter(randn([2]));
    expect(() => modelToJSON(new Sequential(extra))).toThrow(/unexplained: 0\.scale \[2\] float32/);
    expect(() => modelToJSON(new Sequential(new LeakyReLU(Infinity)))).toThrow(/negativeSlope is Infinity, which JSON cannot hold/);
  });

  it('keeps a model converted with to() in its new dtype', async () => {
    const model = new Sequential(new Linear(3, 2), new BatchNorm1d(2)).to('float64');
    const d = dir();
    await saveModel(model, d);
    const loaded = await loadModel(d);
    expect(loaded.parameters().every((p) => p.dtype === 'float64')).toBe(true);
  });
});

describe('loadModel rejects a bad directory whole', () => {
  async function saved(): Promise<string> {
    const d = dir();
    await saveModel(new Sequential(new Linear(3, 4, { generator: new Generator(1) }), new ReLU(), new Linear(4, 2, { generator: new Generator(2) })), d);
    return d;
  }
  const edit = (d: string, f: (j: Record<string, any>) => void): void => {
    const j = JSON.parse(readFileSync(join(d, 'model.json'), 'utf8'));
    f(j);
    writeFileSync(join(d, 'model.json'), JSON.stringify(j));
  };
  const cases: [string, (d: string) => void | Promise<void>, RegExp][] = [
    ['a missing model.json', (d) => rmSync(join(d, 'model.json')), /cannot read ".*model\.json" \(ENOENT.*a saved model directory holds model\.json and model\.safetensors/],
    ['missing weights', (d) => rmSync(join(d, 'model.safetensors')), /cannot read ".*model\.safetensors"/],
    ['corrupt JSON', (d) => writeFileSync(join(d, 'model.json'), '{"format": "memograd.model", '), /the architecture is not valid JSON/],
    ['another format', (d) => edit(d, (j) => { j.format = 'keras'; }), /format is "keras", expected 'memograd\.model'/],
    ['a newer version', (d) => edit(d, (j) => { j.formatVersion = 2; }), /formatVersion is 2, but this memograd reads version 1 \(saved by a newer memograd: upgrade to load it\)/],
    ['an unknown layer', (d) => edit(d, (j) => { j.model.config.layers[1].class = 'Conv3d'; }), /layers\[1\]: unknown layer class "Conv3d" \(known: Linear, Dense/],
    ['a bad option', (d) => edit(d, (j) => { j.model.config.layers[0].config.outFeatures = -4; }), /layers\[0\] \(Linear\): option 'outFeatures' must be a positive integer, got -4/],
    ['an unknown option', (d) => edit(d, (j) => { j.model.config.layers[1].config.inplace = true; }), /layers\[1\] \(ReLU\): unknown option 'inplace'/],
    ['an option the constructor refuses', (d) => edit(d, (j) => { j.model.config.layers[0].config.activation = 'relu6'; }), /layers\[0\] \(Linear\): Linear: .*unknown activation 'relu6'/],
    ['a top level that is not a Sequential', (d) => edit(d, (j) => { j.model = j.model.config.layers[1]; }), /the top level must be a Sequential, got "ReLU"/],
    ['weights whose shapes do not match', (d) => edit(d, (j) => { j.model.config.layers[0].config.outFeatures = 5; j.model.config.layers[2].config.inFeatures = 5; }), /model\.safetensors does not fit model\.json: key '0\.weight': shape mismatch: the module has \[5, 3\], the dict has \[4, 3\]/],
    ['weights with names the architecture lacks', (d) => edit(d, (j) => { j.model.config.layers[0].config.bias = false; }), /unexpected key '0\.bias'/],
    ['weights of another dtype', (d) => edit(d, (j) => { j.model.config.layers[0].config.dtype = 'float64'; }), /dtype mismatch: the module has float64, the dict has float32/],
    ['truncated weights', (d) => writeFileSync(join(d, 'model.safetensors'), readFileSync(join(d, 'model.safetensors')).subarray(0, 40)), /model\.safetensors does not fit model\.json: /],
    ['weights of another model', async (d) => saveWeightsFile(new Sequential(new Linear(2, 2)), join(d, 'model.safetensors')), /missing key '2\.weight'/],
  ];
  it.each(cases)('%s', async (_what, spoil, message) => {
    const d = await saved();
    await spoil(d);
    const err = await loadModel(d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFormatError);
    expect((err as Error).message).toMatch(/^loadModel: /);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toMatch(/undefined|NaN|\[object/);
  });

  it('lists every problem in one error', async () => {
    const d = await saved();
    edit(d, (j) => { j.model.config.layers[0].config.outFeatures = 0; j.model.config.layers[1].class = 'Nope'; j.extra = 1; });
    const err = (await loadModel(d).catch((e: unknown) => e)) as ModelFormatError;
    expect(err.problems).toHaveLength(1); // an unknown top-level field stops the walk: the file is not ours
    edit(d, (j) => { delete j.extra; });
    const err2 = (await loadModel(d).catch((e: unknown) => e)) as ModelFormatError;
    expect(err2.problems).toHaveLength(2);
    expect(err2.message).toMatch(/^loadModel: 2 problems:\n {2}layers\[0\] .*\n {2}layers\[1\]/);
  });

  it('refuses a bad path argument with an ArgumentError', async () => {
    await expect(loadModel('' as never)).rejects.toThrow(/^loadModel: path must be a non-empty string/);
    await expect(saveModel(new Sequential(), 3 as never)).rejects.toThrow(/^saveModel: path must be a non-empty string/);
  });

  it('modelFromJSON refuses garbage with a ModelFormatError', () => {
    expect(() => modelFromJSON(null as never)).toThrow(ModelFormatError);
    expect(() => modelFromJSON('[1]')).toThrow(/^modelFromJSON: the architecture must be an object/);
    expect(() => modelFromJSON({ format: 'memograd.model', formatVersion: 1, training: true, model: { class: 'Sequential', config: { layers: 'x' } } } as never)).toThrow(/option 'layers' must be an array of layers, got "x"/);
  });
});
