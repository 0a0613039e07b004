/**
 * Fuzz entries for the recurrent layers: construct RNN, LSTM and GRU with fuzzed sizes and options,
 * then run forward / forwardWithState on fuzzed sequences and initial states. Called from
 * entries.ts's ENTRIES, so the helpers imported from it are initialised by then.
 */
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import type * as nn from '@memograd/nn';
import { garbage, garbageOrBadTensor, mix, opt, tensorArb, type FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';
import { construct, ownMembers, T } from './entries.ts';

export function recurrentLayerEntries(): FuzzEntry[] {
  const options = opt(fc.record({
    numLayers: opt(fc.constantFrom(1, 2, 0, -1, 1.5)),
    bias: opt(fc.constantFrom(true, false, 1)),
    batchFirst: opt(fc.boolean()),
    dropout: opt(fc.constantFrom(0, 0.5, 1, 2, NaN)),
    bidirectional: opt(fc.boolean()),
    nonlinearity: opt(fc.constantFrom('tanh', 'relu', 'sigmoid')),
    dtype: opt(fc.constantFrom('float32', 'float64', 'int8')),
    generator: opt(fc.constant(0).map(() => new ag.Generator(1))),
  }, { requiredKeys: [] }));
  const sequence = fc.oneof(
    { arbitrary: tensorArb({ shape: [3, 2, 3] }) as fc.Arbitrary<unknown>, weight: 4 },
    { arbitrary: tensorArb({ shape: [3, 3] }), weight: 2 },
    { arbitrary: T, weight: 1 },
    { arbitrary: garbageOrBadTensor, weight: 1 },
  );
  const state = opt(fc.oneof(
    { arbitrary: tensorArb({ shape: [1, 2, 4] }) as fc.Arbitrary<unknown>, weight: 2 },
    { arbitrary: fc.record({ h0: opt(tensorArb({ shape: [1, 2, 4] })), c0: opt(tensorArb({ shape: [1, 2, 4] })) }, { requiredKeys: [] }), weight: 2 },
    { arbitrary: T, weight: 1 },
    { arbitrary: garbage, weight: 1 },
  ));
  return ['RNN', 'LSTM', 'GRU'].map((C): FuzzEntry => ({
    name: `nn.${C}`,
    covers: [`nn:${C}`, ...ownMembers(C), ...(C === 'LSTM' ? ['nn:RecurrentBase', ...ownMembers('RecurrentBase'), 'RecurrentBase#directions', 'RecurrentBase#label', 'RecurrentBase#forwardWithState',
      // private (TypeScript `private`), reached through forward: listed here since they sit on the prototype
      'RecurrentBase#weights', 'RecurrentBase#initialStates', 'RecurrentBase#runDirection'] : [])],
    ops: [C, `${C}(3 → 4)`, `${C}(3 → 4).call`, 'dropout'],
    gen: fc.tuple(mix(fc.constant(3)), mix(fc.constant(4)), options, sequence, state, fc.boolean()).map((a) => ({ args: a })),
    call: (i: unknown, h: unknown, o: unknown, x: unknown, s: unknown, withState: unknown) => {
      const m = construct(C, [i, h, o]) as nn.RecurrentBase;
      void String(m);
      void m.directions;
      void m.label;
      if (!withState) return m.call(x as Tensor, s as never);
      const r = m.forwardWithState(x as Tensor, s as never);
      return [r.output, r.hN, ...(r.cN ? [r.cN] : [])];
    },
    nanOk: true,
  }));
}

