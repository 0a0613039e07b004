/**
 * Fuzz entries for the norm-layers of @memograd/nn: BatchNorm2d/3d, InstanceNorm1d/2d/3d (and their
 * base NormBase), GroupNorm and Embedding (with fromPretrained): construct with fuzzed sizes and
 * options, switch train/eval, call forward on a fuzzed input, and the own members. Called from
 * entries.ts's ENTRIES, so the helpers imported from it are initialised by then.
 */
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import type * as nn from '@memograd/nn';
import { garbage, garbageOrBadTensor, mix, opt, tensorArb, type FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';
import { api, construct, ownMembers, T } from './entries.ts';

const normOptions = opt(fc.record({
  eps: opt(fc.constantFrom(1e-5, 1e-3, 0, -1, NaN)),
  momentum: opt(fc.constantFrom(0.1, 0, 1, null, 2, NaN)),
  affine: opt(fc.constantFrom(true, false, 1)),
  trackRunningStats: opt(fc.constantFrom(true, false, 'yes')),
  dtype: opt(fc.constantFrom('float32', 'float64', 'int8')),
}, { requiredKeys: [] }));

/** An input of shape `shape` mostly, else of other shapes, garbage or odd tensors. */
const input = (...shapes: number[][]): fc.Arbitrary<unknown> => fc.oneof(
  ...shapes.map((shape) => ({ arbitrary: tensorArb({ shape }) as fc.Arbitrary<unknown>, weight: 3 })),
  { arbitrary: T, weight: 1 },
  { arbitrary: garbageOrBadTensor, weight: 1 },
);

export function normLayerEntries(): FuzzEntry[] {
  const NORMS: [string, fc.Arbitrary<unknown>][] = [
    ['BatchNorm2d', input([2, 3, 2, 2], [1, 3, 1, 1], [2, 3, 1])],
    ['BatchNorm3d', input([2, 3, 2, 1, 2], [2, 3, 2, 2])],
    ['InstanceNorm1d', input([2, 3, 4], [3, 4], [2, 3, 1])],
    ['InstanceNorm2d', input([2, 3, 2, 2], [3, 2, 3], [2, 4, 2, 2], [1, 3, 1, 1])],
    ['InstanceNorm3d', input([1, 3, 2, 2, 2], [3, 2, 1, 2])],
  ];

  // private and protected members of NormBase and Embedding sit on the prototype: reached through forward
  const NORM_BASE = ['nn:NormBase', 'NormBase#runningMean', 'NormBase#runningVar', 'NormBase#numBatchesTracked', 'NormBase#label',
    'NormBase#resetRunningStats', 'NormBase#resetParameters', 'NormBase#checkInput', ...ownMembers('NormBase')];
  const norms = NORMS.map(([C, x]): FuzzEntry => ({
    name: `nn.${C}`,
    covers: [`nn:${C}`, ...ownMembers(C), ...(C === 'BatchNorm2d' ? NORM_BASE : [])],
    ops: [C, `${C}(3)`, 'batchNorm', 'instanceNorm'],
    gen: fc.tuple(mix(fc.constant(3)), normOptions, fc.boolean(), x, fc.constantFrom('none', 'reset', 'resetParameters')).map((a) => ({ args: a })),
    call: (c: unknown, o: unknown, training: unknown, xi: unknown, extra: unknown) => {
      const m = construct(C, [c, o]) as nn.NormBase;
      void String(m);
      void m.label;
      void [m.runningMean, m.runningVar, m.numBatchesTracked];
      m.train(training as boolean);
      const y = m.call(xi as Tensor);
      if (extra === 'reset') m.resetRunningStats();
      if (extra === 'resetParameters') m.resetParameters();
      return [y, ...m.parameters(), ...m.buffers()];
    },
    nanOk: true,
  }));
  const groupNorm: FuzzEntry = {
    name: 'nn.GroupNorm',
    covers: ['nn:GroupNorm', ...ownMembers('GroupNorm'), 'GroupNorm#label', 'GroupNorm#resetParameters'],
    ops: ['GroupNorm', 'GroupNorm(2, 4)', 'groupNorm'],
    gen: fc.tuple(
      mix(fc.constantFrom(2, 3)), mix(fc.constant(4)),
      opt(fc.record({ eps: opt(fc.constantFrom(1e-5, 0, -1, NaN)), affine: opt(fc.constantFrom(true, false, 0)), dtype: opt(fc.constantFrom('float32', 'float64', 'x')) }, { requiredKeys: [] })),
      input([2, 4, 3], [2, 4], [1, 4], [2, 3, 2]), fc.boolean(),
    ).map((a) => ({ args: a })),
    call: (g: unknown, c: unknown, o: unknown, xi: unknown, reset: unknown) => {
      const m = construct('GroupNorm', [g, c, o]) as nn.GroupNorm;
      void String(m);
      void m.label;
      if (reset) m.resetParameters();
      return [m.call(xi as Tensor), ...m.parameters()];
    },
    nanOk: true,
  };
  const indices = fc.oneof(
    { arbitrary: fc.constantFrom([[0, 1], [4, 2]], [3], 0, [5], [-1], [1.5], []) as fc.Arbitrary<unknown>, weight: 3 },
    { arbitrary: fc.constant(0).map(() => ag.tensor([[0, 2], [4, 4]])), weight: 3 },
    { arbitrary: fc.constant(0).map(() => new Int32Array([1, 3, 1])), weight: 1 },
    { arbitrary: T, weight: 1 },
    { arbitrary: garbage, weight: 1 },
  );
  const embOptions = opt(fc.record({
    paddingIdx: opt(fc.constantFrom(0, 4, -1, -5, 5, -6, 1.5, null)),
    maxNorm: opt(fc.constantFrom(1, 0.5, 0, -1, NaN, null)),
    normType: opt(fc.constantFrom(2, 1, 3, Infinity, 0, -1)),
    scaleGradByFreq: opt(fc.constantFrom(false, true)),
    sparse: opt(fc.constantFrom(false, true)),
    dtype: opt(fc.constantFrom('float32', 'float64', 'int8')),
    generator: opt(fc.constant(0).map(() => new ag.Generator(1))),
    freeze: opt(fc.constantFrom(true, false, 1)),
  }, { requiredKeys: [] }));
  const embedding: FuzzEntry = {
    name: 'nn.Embedding',
    covers: ['nn:Embedding', ...ownMembers('Embedding'), 'Embedding#label', 'Embedding#renorm'],
    ops: ['Embedding', 'Embedding(5, 3)', 'Embedding.fromPretrained', 'embedding'],
    gen: fc.tuple(
      mix(fc.constant(5)), mix(fc.constant(3)), embOptions, indices,
      fc.oneof({ arbitrary: fc.constant(null) as fc.Arbitrary<unknown>, weight: 2 }, { arbitrary: tensorArb({ shape: [5, 3] }), weight: 2 }, { arbitrary: garbageOrBadTensor, weight: 1 }),
    ).map((a) => ({ args: a })),
    call: (n: unknown, d: unknown, o: unknown, idx: unknown, pretrained: unknown) => {
      const Cls = api['Embedding'] as typeof nn.Embedding;
      const m = pretrained === null ? construct('Embedding', [n, d, o]) as nn.Embedding : Cls.fromPretrained(pretrained as Tensor, o as never);
      void String(m);
      void m.label;
      return [m.call(idx as Tensor), m.weight];
    },
    nanOk: true,
  };
  return [...norms, groupNorm, embedding];
}
