/**
 * RNN, LSTM and GRU against PyTorch (fixtures/torch-recurrent.json: outputs, final states and the
 * gradients of the input, the initial states and every parameter), the safetensors round trips in
 * both directions, second-order gradients, and the errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, ShapeError, Tensor, assertGradcheck, assertGradgradcheck, tensor } from '@memograd/autograd';
import { GRU, LSTM, RNN, RecurrentBase, loadWeights, saveWeights, summary } from '../src/index.ts';
import type { Module } from '../src/index.ts';
import { describeLayerFixture, fromPlain, type Plain } from './support/layer-fixture.ts';
import { ROUND_TRIP_LAYERS } from './fixtures/roundtrip-layers.ts';

const build = (c: Record<string, unknown>): Module => {
  const { kind, inputSize, hiddenSize, ...options } = c as { kind: 'RNN' | 'LSTM' | 'GRU'; inputSize: number; hiddenSize: number };
  const Cls = { RNN, LSTM, GRU }[kind];
  return new Cls(inputSize, hiddenSize, { ...options, dtype: 'float64' });
};

describeLayerFixture('recurrent layers', new URL('./fixtures/torch-recurrent.json', import.meta.url), build, (m, xs) => {
  const r = m as RecurrentBase;
  const [x, h0, c0] = xs;
  const state = h0 === undefined ? undefined : r instanceof LSTM ? { h0, c0 } : h0;
  const out = r.forwardWithState(x!, state);
  return out.cN ? [out.output, out.hN, out.cN] : [out.output, out.hN];
});

describe('safetensors round trips with PyTorch', () => {
  const trip = JSON.parse(readFileSync(new URL('./fixtures/torch-recurrent-roundtrip.json', import.meta.url), 'utf8')) as Record<string, { input: Plain; output: Plain }>;
  const close = (a: ArrayLike<number>, e: Plain) => {
    expect(a.length).toBe(e.data.length);
    const worst = Math.max(...Array.from(a, (v, i) => Math.abs(v - (e.data[i] as number))));
    expect(worst).toBeLessThan(1e-12);
  };

  it("loads PyTorch's LSTM weights (torch-lstm.safetensors) and gives PyTorch's outputs", () => {
    const lstm = new LSTM(3, 5, { numLayers: 2, bidirectional: true, dtype: 'float64' });
    const result = loadWeights(lstm, new Uint8Array(readFileSync(new URL('./fixtures/torch-lstm.safetensors', import.meta.url))));
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    close(lstm.call(fromPlain(trip['lstm']!.input)).data, trip['lstm']!.output);
  });

  it('writes GRU weights that PyTorch loads and computes the same outputs with (memograd-gru.safetensors)', () => {
    const gru = ROUND_TRIP_LAYERS['memograd-gru.safetensors']!();
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/memograd-gru.safetensors', import.meta.url)));
    // the file PyTorch read is what saveWeights writes today
    expect(Buffer.from(saveWeights(gru)).equals(Buffer.from(bytes))).toBe(true);
    close(gru.call(fromPlain(trip['gru']!.input)).data, trip['gru']!.output);
  });
});

describe('gradients of gradients', () => {
  it.each([['RNN'], ['LSTM'], ['GRU']] as const)('%s passes gradcheck and gradgradcheck', (kind) => {
    expect.hasAssertions();
    const m = build({ kind, inputSize: 2, hiddenSize: 2, bidirectional: true, generator: new Generator(3) }) as RecurrentBase;
    const x = tensor([[[0.1, -0.3]], [[0.5, 0.2]], [[-0.4, 0.7]]], { dtype: 'float64', requiresGrad: true });
    expect(() => assertGradcheck((xi) => m.call(xi).square().sum(), [x])).not.toThrow();
    expect(() => assertGradgradcheck((xi) => m.call(xi).square().sum(), [x])).not.toThrow();
  });
});

describe('shapes, options and errors', () => {
  it('names the parameters as PyTorch, counts them, and shows them in summary()', () => {
    const lstm = new LSTM(10, 20, { numLayers: 2, bidirectional: true });
    expect(lstm.namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0 80x10', 'weight_hh_l0 80x20', 'bias_ih_l0 80', 'bias_hh_l0 80',
      'weight_ih_l0_reverse 80x10', 'weight_hh_l0_reverse 80x20', 'bias_ih_l0_reverse 80', 'bias_hh_l0_reverse 80',
      'weight_ih_l1 80x40', 'weight_hh_l1 80x20', 'bias_ih_l1 80', 'bias_hh_l1 80',
      'weight_ih_l1_reverse 80x40', 'weight_hh_l1_reverse 80x20', 'bias_ih_l1_reverse 80', 'bias_hh_l1_reverse 80',
    ]);
    expect(lstm.numParameters()).toBe(2 * (80 * 10 + 80 * 20 + 160) + 2 * (80 * 40 + 80 * 20 + 160)); // 15,040, as torch's sum(p.numel())
    expect(String(lstm)).toContain('LSTM(10, 20, numLayers=2, bidirectional=true)');
    expect(summary(lstm, [3, 10])).toContain('15,040');
  });

  it('initialises every weight uniformly in ±1/√hidden, as PyTorch', () => {
    const gru = new GRU(4, 16, { generator: new Generator(1) });
    for (const p of gru.parameters()) for (const v of p.data) expect(Math.abs(v)).toBeLessThanOrEqual(0.25);
  });

  it('gives output [T, B, D·H] and hN [L·D, B, H], batchFirst and unbatched shapes', () => {
    const x = tensor(new Float32Array(5 * 2 * 3), { shape: [5, 2, 3] });
    const r = new LSTM(3, 4, { numLayers: 3, bidirectional: true }).forwardWithState(x);
    expect([r.output.shape, r.hN.shape, r.cN!.shape]).toEqual([[5, 2, 8], [6, 2, 4], [6, 2, 4]]);
    expect(new GRU(3, 4, { batchFirst: true }).call(x.transpose(0, 1)).shape).toEqual([2, 5, 4]);
    const u = new RNN(3, 4).forwardWithState(tensor(new Float32Array(15), { shape: [5, 3] }));
    expect([u.output.shape, u.hN.shape]).toEqual([[5, 4], [1, 4]]);
  });

  it('applies dropout between layers only in training', () => {
    const m = new RNN(2, 3, { numLayers: 2, dropout: 0.5, generator: new Generator(9) });
    const x = tensor(new Float32Array(8).fill(0.5), { shape: [4, 1, 2] });
    const train = m.call(x).data.slice();
    m.eval();
    const a = m.call(x).data.slice();
    const b = m.call(x).data.slice();
    expect(a).toEqual(b);
    expect(train).not.toEqual(a);
  });

  it.each([
    ['bad input size', () => new LSTM(3, 4).call(tensor(new Float32Array(10), { shape: [5, 1, 2] })), ShapeError, /LSTM\(3 → 4\): input has 2 features per step, expected inputSize 3/],
    ['bad rank', () => new GRU(3, 4).call(tensor(new Float32Array(3), { shape: [3] })), ShapeError, /GRU\(3 → 4\): input must be \[time, batch, 3\]/],
    ['bad h0', () => new RNN(2, 3).call(tensor(new Float32Array(4), { shape: [2, 1, 2] }), tensor(new Float32Array(3), { shape: [1, 3] })), ShapeError, /RNN\(2 → 3\): h0 must have shape \[1, 1, 3\]/],
    ['LSTM tensor state', () => new LSTM(2, 3).call(tensor(new Float32Array(4), { shape: [2, 1, 2] }), tensor(new Float32Array(3), { shape: [1, 1, 3] })), ArgumentError, /LSTM\(2 → 3\): an LSTM takes its initial state as \{ h0, c0 \}/],
    ['c0 for GRU', () => new GRU(2, 3).call(tensor(new Float32Array(4), { shape: [2, 1, 2] }), { c0: tensor(new Float32Array(3), { shape: [1, 1, 3] }) }), ArgumentError, /only an LSTM has a cell state/],
    ['hidden size', () => new LSTM(2, 0), ArgumentError, /LSTM: hiddenSize must be a positive integer, got/],
    ['too many layers', () => new LSTM(3, 4, { numLayers: 2 ** 31 }), ArgumentError, /LSTM: 2147483648 layers of 4 units would hold \d+ parameters, above memograd's limit/],
    ['dropout', () => new GRU(2, 3, { dropout: 2 }), ArgumentError, /GRU: dropout must be a number in \[0, 1\], got/],
    ['nonlinearity', () => new RNN(2, 3, { nonlinearity: 'sigmoid' as 'tanh' }), ArgumentError, /RNN: nonlinearity must be 'tanh' or 'relu'/],
  ] as const)('%s', (_n, f, type, message) => {
    expect(f).toThrow(type);
    expect(f).toThrow(message);
  });
});
