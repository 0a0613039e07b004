/**
 * MultiheadAttention and TransformerEncoderLayer against PyTorch (fixtures/torch-attention.json:
 * outputs, attention weights, gradients of the inputs and every parameter), then shapes, masks,
 * second-order gradients and errors.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, ShapeError, Tensor, assertGradgradcheck, tensor } from '@memograd/autograd';
import { MultiheadAttention, TransformerEncoderLayer } from '../src/index.ts';
import type { AttentionCallOptions, Module } from '../src/index.ts';
import { describeLayerFixture } from './support/layer-fixture.ts';

const url = new URL('./fixtures/torch-attention.json', import.meta.url);
type Config = Record<string, any>;

const callOptions = (c: Config): AttentionCallOptions => ({
  ...(c['keyPaddingMask'] ? { keyPaddingMask: c['keyPaddingMask'] } : {}),
  ...(c['attnMask'] ? { attnMask: c['attnMask'] } : {}),
  ...(c['floatMask'] ? { attnMask: tensor(c['floatMask'], { dtype: 'float64' }) } : {}),
  ...(c['isCausal'] ? { isCausal: true } : {}),
  ...(c['averageAttnWeights'] === false ? { averageAttnWeights: false } : {}),
});

describeLayerFixture('attention', url, (c: Config): Module => {
  if ('dModel' in c) {
    const { dModel, nhead, srcKeyPaddingMask: _m, ...o } = c;
    return new TransformerEncoderLayer(dModel, nhead, { ...o, dtype: 'float64' });
  }
  const { embedDim, numHeads, keyPaddingMask: _k, attnMask: _a, floatMask: _f, isCausal: _c, averageAttnWeights: _w, ...o } = c;
  return new MultiheadAttention(embedDim, numHeads, { ...o, dtype: 'float64' });
}, (m, xs, c: Config) => {
  m.eval();
  if (m instanceof TransformerEncoderLayer) return [m.call(xs[0]!, c['srcKeyPaddingMask'] ? { srcKeyPaddingMask: c['srcKeyPaddingMask'] } : {})];
  const r = (m as MultiheadAttention).forwardWithWeights(xs[0]!, xs[1], xs[2], callOptions(c));
  return [r.output, r.weights];
});

describe('MultiheadAttention', () => {
  const x = (shape: number[], seed = 1) => {
    const g = new Generator(seed);
    return tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => g.random() - 0.5), { shape, dtype: 'float64', requiresGrad: true });
  };

  it("has PyTorch's parameters and initialisation (xavier projections, zero biases)", () => {
    const m = new MultiheadAttention(8, 2, { generator: new Generator(2) });
    expect(m.namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`)).toEqual(['in_proj_weight 24x8', 'in_proj_bias 24', 'out_proj.weight 8x8', 'out_proj.bias 8']);
    expect([...m.in_proj_bias!.data, ...m.out_proj.bias!.data].every((v) => v === 0)).toBe(true);
    const bound = Math.sqrt(6 / (8 + 24)); // xavier_uniform_ over [3E, E]
    expect(m.in_proj_weight!.data.every((v) => Math.abs(v) <= bound)).toBe(true);
    const sep = new MultiheadAttention(8, 2, { kdim: 3, vdim: 5 });
    expect(sep.namedParameters().map(([n]) => n)).toEqual(['q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
  });

  it('gives a fully masked query row NaN, as PyTorch', () => {
    const m = new MultiheadAttention(4, 1, { dtype: 'float64' });
    const q = x([2, 1, 4]);
    const out = m.forward(q, q, q, { keyPaddingMask: [[true, true]] });
    expect(Array.from(out.data).every(Number.isNaN)).toBe(true);
  });

  it('passes gradgradcheck through the softmax and the projections', () => {
    expect.hasAssertions();
    const m = new MultiheadAttention(4, 2, { dtype: 'float64', generator: new Generator(4) });
    expect(() => assertGradgradcheck((q) => m.call(q).square().sum(), [x([3, 1, 4])])).not.toThrow();
  });

  it('applies dropout to the weights only in training', () => {
    const m = new MultiheadAttention(4, 1, { dropout: 0.5, generator: new Generator(3), dtype: 'float64' });
    const q = x([3, 1, 4]);
    const train = m.forwardWithWeights(q).weights.data.slice();
    m.eval();
    const evalW = m.forwardWithWeights(q).weights;
    expect(train).not.toEqual(evalW.data);
    for (let r = 0; r < 3; r++) expect(Array.from(evalW.data.slice(r * 3, r * 3 + 3)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it.each([
    ['heads', () => new MultiheadAttention(6, 4), ArgumentError, /MultiheadAttention: embedDim 6 must be divisible by numHeads 4/],
    ['features', () => new MultiheadAttention(4, 2).call(tensor(new Float32Array(6), { shape: [2, 1, 3] })), ShapeError, /MultiheadAttention\(4, 2 heads\): query must be \[sequence, batch, features\] with 4 features/],
    ['batch', () => new MultiheadAttention(4, 2).call(tensor(new Float32Array(8), { shape: [2, 1, 4] }), tensor(new Float32Array(16), { shape: [2, 2, 4] }), tensor(new Float32Array(16), { shape: [2, 2, 4] })), ShapeError, /must share the batch size/],
    ['mask shape', () => new MultiheadAttention(4, 2).forward(tensor(new Float32Array(8), { shape: [2, 1, 4] }), undefined, undefined, { attnMask: [[true]] }), ShapeError, /attnMask must be \[2, 2\] or \[2, 2, 2\]/],
    ['padding shape', () => new MultiheadAttention(4, 2).forward(tensor(new Float32Array(8), { shape: [2, 1, 4] }), undefined, undefined, { keyPaddingMask: [[true, false, true]] }), ShapeError, /keyPaddingMask must be \[1, 2\]/],
    ['mask type', () => new MultiheadAttention(4, 2).forward(tensor(new Float32Array(8), { shape: [2, 1, 4] }), undefined, undefined, { attnMask: [[1, 0], [0, 1]] as never }), ArgumentError, /attnMask must be a Tensor \(added to the scores\) or nested arrays of booleans/],
    ['activation', () => new TransformerEncoderLayer(4, 2, { activation: 'tanh' as 'relu' }), ArgumentError, /TransformerEncoderLayer: activation must be 'relu', 'gelu' or a function/],
  ] as const)('%s', (_n, f, type, message) => {
    expect(f).toThrow(type);
    expect(f).toThrow(message);
  });
});

describe('TransformerEncoderLayer', () => {
  it("names its children as PyTorch's", () => {
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    expect(Object.keys(layer.stateDict())).toEqual([
      'self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias', 'linear1.weight', 'linear1.bias',
      'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
    ]);
    const t: Tensor = layer.call(tensor(new Float32Array(2 * 3 * 8), { shape: [2, 3, 8] }));
    expect(t.shape).toEqual([2, 3, 8]);
  });
});
