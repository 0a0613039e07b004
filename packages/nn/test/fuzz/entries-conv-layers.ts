/**
 * Fuzz entries for the conv-layers of @memograd/nn: Conv1d, Conv2d and ConvTranspose2d (construction
 * with fuzzed sizes and options, forward on fuzzed inputs, ConvTranspose2d's outputSize), the
 * pooling layers (MaxPool1d/2d with forwardWithIndices, AvgPool2d, AdaptiveAvgPool2d) and Upsample,
 * PixelShuffle, PixelUnshuffle. Called from entries.ts's ENTRIES, so the helpers imported from it
 * are initialised by then.
 */
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import type * as nn from '@memograd/nn';
import { garbage, garbageOrBadTensor, mix, opt, tensorArb, type FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';
import { construct, ownMembers, T } from './entries.ts';

/** A spatial input of 1 or 2 axes with 2 channels, batched or not, or something else. */
function input(dims: 1 | 2): fc.Arbitrary<unknown> {
  const spatial = dims === 1 ? [5] : [4, 5];
  return fc.oneof(
    { arbitrary: tensorArb({ shape: [2, 2, ...spatial] }) as fc.Arbitrary<unknown>, weight: 4 },
    { arbitrary: tensorArb({ shape: [2, ...spatial] }), weight: 2 },
    { arbitrary: tensorArb({ shape: [1, 2, ...spatial.map(() => 1)] }), weight: 1 },
    { arbitrary: T, weight: 1 },
    { arbitrary: garbageOrBadTensor, weight: 1 },
  );
}

/** A size option: a number or a list (of the right length or not). */
const size = (values: number[]) => mix(fc.oneof(fc.constantFrom(...values), fc.array(fc.constantFrom(...values), { minLength: 1, maxLength: 3 })));

export function convLayerEntries(): FuzzEntry[] {
  const gen = opt(fc.constant(0).map(() => new ag.Generator(1)));
  const convOptions = opt(fc.record({
    stride: opt(size([1, 2, 0])), padding: opt(fc.oneof(size([0, 1, 2, -1]), fc.constantFrom('same', 'valid', 'full'))), dilation: opt(size([1, 2, 0])),
    groups: opt(fc.constantFrom(1, 2, 3, 0)), bias: opt(fc.constantFrom(true, false, 1)), paddingMode: opt(fc.constantFrom('zeros', 'reflect', 'replicate', 'circular', 'mirror')),
    outputPadding: opt(size([0, 1, 2])), dtype: opt(fc.constantFrom('float32', 'float64', 'int8')), generator: gen,
  }, { requiredKeys: [] }));
  const convs = (['Conv1d', 'Conv2d', 'ConvTranspose2d'] as const).map((C): FuzzEntry => ({
    name: `nn.${C}`,
    covers: [`nn:${C}`, ...ownMembers(C), ...(C === 'Conv2d' ? ['nn:ConvNd', ...ownMembers('ConvNd'), 'ConvNd#spatialDims', 'ConvNd#label'] : [])],
    ops: [C],
    gen: fc.tuple(mix(fc.constantFrom(2, 4)), mix(fc.constantFrom(2, 4, 3)), size([1, 2, 3]), convOptions, input(C === 'Conv1d' ? 1 : 2),
      opt(fc.oneof(fc.constantFrom<unknown>([8, 9], [9, 12], [1, 2, 8, 10], [3], [-1, 2]), garbage))).map((a) => ({ args: a })),
    call: (i: unknown, o: unknown, k: unknown, opts: unknown, x: unknown, outputSize: unknown) => {
      const m = construct(C, [i, o, k, opts]) as nn.ConvNd;
      void String(m);
      void m.label;
      void m.spatialDims;
      return C === 'ConvTranspose2d' ? (m as nn.ConvTranspose2d).call(x as Tensor, outputSize as number[]) : m.call(x as Tensor);
    },
    nanOk: true,
  }));
  const maxOptions = opt(fc.record({
    stride: opt(fc.oneof(size([1, 2, 0]), fc.constant(null))), padding: opt(size([0, 1, 2])), dilation: opt(size([1, 2, 0])),
    ceilMode: opt(fc.constantFrom(true, false, 1)), returnIndices: opt(fc.constantFrom(true, false, 'yes')),
  }, { requiredKeys: [] }));
  const pools = (['MaxPool1d', 'MaxPool2d'] as const).map((C): FuzzEntry => ({
    name: `nn.${C}`,
    covers: [`nn:${C}`, ...ownMembers(C), ...(C === 'MaxPool2d' ? ['nn:MaxPoolNd', ...ownMembers('MaxPoolNd'), 'MaxPoolNd#label', 'MaxPoolNd#forwardWithIndices'] : [])],
    ops: [C],
    gen: fc.tuple(size([1, 2, 3, 0]), maxOptions, input(C === 'MaxPool1d' ? 1 : 2), fc.boolean()).map((a) => ({ args: a })),
    call: (k: unknown, opts: unknown, x: unknown, withIndices: unknown) => {
      const m = construct(C, [k, opts]) as nn.MaxPoolNd;
      void String(m);
      void m.label;
      if (!withIndices) return m.call(x as Tensor);
      const r = m.forwardWithIndices(x as Tensor);
      return [r.values, r.indices];
    },
    nanOk: true,
  }));
  const avg: FuzzEntry = {
    name: 'nn.AvgPool2d',
    covers: ['nn:AvgPool2d', ...ownMembers('AvgPool2d'), 'AvgPool2d#label'],
    gen: fc.tuple(size([1, 2, 3, 0]), opt(fc.record({
      stride: opt(fc.oneof(size([1, 2, 0]), fc.constant(null))), padding: opt(size([0, 1, 2])), ceilMode: opt(fc.constantFrom(true, false, 1)),
      countIncludePad: opt(fc.constantFrom(true, false, null)), divisorOverride: opt(fc.constantFrom(null, 1, 3, 0, 1.5)),
    }, { requiredKeys: [] })), input(2)).map((a) => ({ args: a })),
    call: (k: unknown, opts: unknown, x: unknown) => {
      const m = construct('AvgPool2d', [k, opts]) as nn.AvgPool2d;
      void String(m);
      void m.label;
      return m.call(x as Tensor);
    },
    nanOk: true,
  };
  const adaptive: FuzzEntry = {
    name: 'nn.AdaptiveAvgPool2d',
    covers: ['nn:AdaptiveAvgPool2d', ...ownMembers('AdaptiveAvgPool2d'), 'AdaptiveAvgPool2d#label'],
    gen: fc.tuple(mix(fc.constantFrom<unknown>(1, 3, [2, null], [null, null], [7, 1], [0, 2], [2]), 4, 1), input(2)).map((a) => ({ args: a })),
    call: (s: unknown, x: unknown) => {
      const m = construct('AdaptiveAvgPool2d', [s]) as nn.AdaptiveAvgPool2d;
      void String(m);
      void m.label;
      return m.call(x as Tensor);
    },
    nanOk: true,
  };
  const upsample: FuzzEntry = {
    name: 'nn.Upsample',
    covers: ['nn:Upsample', ...ownMembers('Upsample'), 'Upsample#label'],
    gen: fc.tuple(mix(fc.record({
      size: opt(fc.constantFrom<unknown>(4, [3, 6], [6], 0)), scaleFactor: opt(fc.constantFrom<unknown>(2, 1.5, [2, 1], 0, -1)),
      mode: opt(fc.constantFrom('nearest', 'linear', 'bilinear', 'bicubic')), alignCorners: opt(fc.constantFrom(true, false, 1)),
      recomputeScaleFactor: opt(fc.boolean()),
    }, { requiredKeys: [] }), 4, 1), fc.oneof(input(2), input(1))).map((a) => ({ args: a })),
    call: (o: unknown, x: unknown) => {
      const m = construct('Upsample', [o]) as nn.Upsample;
      void String(m);
      void m.label;
      return m.call(x as Tensor);
    },
    nanOk: true,
  };
  const shuffles = (['PixelShuffle', 'PixelUnshuffle'] as const).map((C): FuzzEntry => ({
    name: `nn.${C}`,
    covers: [`nn:${C}`, ...ownMembers(C)],
    ops: [C],
    gen: fc.tuple(mix(fc.constantFrom(1, 2, 3)), fc.oneof(
      { arbitrary: tensorArb({ shape: [1, 4, 2, 4] }) as fc.Arbitrary<unknown>, weight: 3 },
      { arbitrary: tensorArb({ shape: [8, 2, 2] }), weight: 1 },
      { arbitrary: T, weight: 1 },
      { arbitrary: garbageOrBadTensor, weight: 1 },
    )).map((a) => ({ args: a })),
    call: (r: unknown, x: unknown) => {
      const m = construct(C, [r]);
      void String(m);
      return m.call(x as Tensor);
    },
    nanOk: true,
  }));
  return [...convs, ...pools, avg, adaptive, upsample, ...shuffles];
}
