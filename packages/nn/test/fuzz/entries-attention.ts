/**
 * Fuzz entries for the attention layers: MultiheadAttention (construction, forward,
 * forwardWithWeights with masks) and TransformerEncoderLayer. Called from entries.ts's ENTRIES,
 * so the helpers imported from it are initialised by then.
 */
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import type * as nn from '@memograd/nn';
import { garbage, garbageOrBadTensor, mix, opt, tensorArb, type FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';
import { construct, ownMembers, T } from './entries.ts';

export function attentionLayerEntries(): FuzzEntry[] {
  const seq = fc.oneof(
    { arbitrary: tensorArb({ shape: [3, 2, 4] }) as fc.Arbitrary<unknown>, weight: 4 },
    { arbitrary: tensorArb({ shape: [3, 4] }), weight: 1 },
    { arbitrary: T, weight: 1 },
    { arbitrary: garbageOrBadTensor, weight: 1 },
  );
  const mask = opt(fc.oneof(
    { arbitrary: fc.constantFrom<unknown>([[true, false, false], [false, false, true]], [[false, true, false]], [[true, true, true], [false, false, false]], [[1, 0]]), weight: 3 },
    { arbitrary: tensorArb({ shape: [3, 3] }) as fc.Arbitrary<unknown>, weight: 1 },
    { arbitrary: garbage, weight: 1 },
  ));
  const callOptions = opt(fc.record({ keyPaddingMask: mask, attnMask: mask, isCausal: opt(fc.constantFrom(true, false, 1)), averageAttnWeights: opt(fc.boolean()) }, { requiredKeys: [] }));
  const ctor = opt(fc.record({
    dropout: opt(fc.constantFrom(0, 0.5, 2, NaN)), bias: opt(fc.boolean()), kdim: opt(fc.constantFrom(4, 3, 0)), vdim: opt(fc.constantFrom(4, 5, -1)),
    batchFirst: opt(fc.boolean()), dtype: opt(fc.constantFrom('float32', 'float64', 'x')), generator: opt(fc.constant(0).map(() => new ag.Generator(1))),
  }, { requiredKeys: [] }));
  const mha: FuzzEntry = {
    name: 'nn.MultiheadAttention',
    covers: ['nn:MultiheadAttention', ...ownMembers('MultiheadAttention'), 'MultiheadAttention#forwardWithWeights', 'MultiheadAttention#label',
      // private (TypeScript `private`), reached through forward
      'MultiheadAttention#attend', 'MultiheadAttention#mask'],
    ops: ['MultiheadAttention', 'MultiheadAttention(4, 2 heads)', 'MultiheadAttention(4, 2 heads).call', 'MultiheadAttention(4, 1 heads)', 'MultiheadAttention(4, 1 heads).call', 'dropout'],
    gen: fc.tuple(mix(fc.constant(4)), mix(fc.constantFrom(2, 1, 3)), ctor, seq, opt(seq), opt(seq), callOptions, fc.boolean()).map((a) => ({ args: a })),
    call: (e: unknown, h: unknown, o: unknown, q: unknown, k: unknown, v: unknown, co: unknown, weights: unknown) => {
      const m = construct('MultiheadAttention', [e, h, o]) as nn.MultiheadAttention;
      void String(m);
      if (!weights) return m.call(q as Tensor, k as Tensor, v as Tensor, co as never);
      const r = m.forwardWithWeights(q as Tensor, k as Tensor, v as Tensor, co as never);
      return [r.output, r.weights];
    },
    nanOk: true,
  };
  const encoder: FuzzEntry = {
    name: 'nn.TransformerEncoderLayer',
    covers: ['nn:TransformerEncoderLayer', ...ownMembers('TransformerEncoderLayer')],
    ops: ['TransformerEncoderLayer', 'TransformerEncoderLayer.call', 'MultiheadAttention', 'MultiheadAttention(4, 2 heads)', 'LayerNorm', 'Linear', 'Dropout', 'dropout'],
    gen: fc.tuple(mix(fc.constant(4)), mix(fc.constant(2)), opt(fc.record({
      dimFeedforward: opt(fc.constantFrom(8, 0)), dropout: opt(fc.constantFrom(0, 0.1, 1)), activation: opt(fc.constantFrom('relu', 'gelu', 'tanh')),
      normFirst: opt(fc.boolean()), batchFirst: opt(fc.boolean()), layerNormEps: opt(fc.constantFrom(1e-5, 0)),
    }, { requiredKeys: [] })), seq, opt(fc.record({ srcMask: mask, srcKeyPaddingMask: mask, isCausal: opt(fc.boolean()) }, { requiredKeys: [] }))).map((a) => ({ args: a })),
    call: (d: unknown, h: unknown, o: unknown, x: unknown, co: unknown) => {
      const m = construct('TransformerEncoderLayer', [d, h, o]) as nn.TransformerEncoderLayer;
      return m.call(x as Tensor, co as never);
    },
    nanOk: true,
  };
  return [mha, encoder];
}
