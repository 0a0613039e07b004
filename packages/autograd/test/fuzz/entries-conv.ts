/**
 * Fuzz entries for the conv ops: each public function and Tensor method of the family (the registry
 * entries are fuzzed by entries.ts through their `call`). Called from entries.ts's ENTRIES, so the
 * helpers imported from it are initialised by then.
 *
 * The first argument is the shared X (tensors of rank <= 3, tensor-likes, garbage): 3-D tensors are
 * unbatched images for the 2-D ops, 2-D and 3-D ones inputs of the 1-D ops. The weight is drawn to fit
 * x's channels most of the time, so that valid calls are common among the refused ones.
 */
import fc from 'fast-check';
import { Tensor } from '@memograd/autograd';
import { intArb, mix, opt, tensorArb, type FuzzEntry } from './harness.ts';
import { opEntries } from './entries.ts';

/** A per-dimension size: a number, an array (sometimes of the wrong length or sign), rarely odd. */
const size = (min: number, max: number) => fc.oneof(
  { arbitrary: intArb(min, max) as fc.Arbitrary<unknown>, weight: 4 },
  { arbitrary: fc.array(intArb(min - 1, max), { minLength: 1, maxLength: 3 }), weight: 2 },
  { arbitrary: fc.constantFrom(-1, 0.5, NaN, Infinity, 'same'), weight: 1 },
);

/** The channel axis of x for an op over `dims` spatial axes (unbatched when rank is dims + 1). */
const channels = (x: Tensor, dims: number): number => (x.rank >= dims + 1 ? x.shape[x.rank - dims - 1]! : 1);

const convOptions = opt(fc.record({
  stride: opt(size(1, 3)),
  padding: opt(fc.oneof(size(0, 2), fc.constantFrom('same', 'valid', 'full'))),
  dilation: opt(size(1, 2)),
  groups: opt(fc.oneof(intArb(1, 2), fc.constantFrom(0, -1, 1.5))),
}, { requiredKeys: [] }));

const weightFor = (dims: number, transpose: boolean) => (x: Tensor) => {
  const c = channels(x, dims);
  const k = fc.array(intArb(1, 3), { minLength: dims, maxLength: dims });
  return fc.tuple(intArb(1, 3), k, fc.constantFrom<'float32' | 'float64'>(x.dtype)).chain(([o, ks, dtype]) =>
    mix(tensorArb({ shape: transpose ? [c, o, ...ks] : [o, c, ...ks], dtype }), 4, 1));
};

const convRest = (dims: number, transpose: boolean, options: fc.Arbitrary<unknown>) => (x: Tensor) =>
  weightFor(dims, transpose)(x).chain((w) => {
    const out = w instanceof Tensor && w.rank > 1 ? w.shape[transpose ? 1 : 0]! : 2;
    return fc.tuple(fc.constant(w), fc.oneof(fc.constant(undefined), fc.constant(null), mix(tensorArb({ shape: [out], dtype: x.dtype }))), options);
  });

const poolOptions = (extra: Record<string, fc.Arbitrary<unknown>>) => opt(fc.record({
  stride: opt(size(1, 3)),
  padding: opt(size(0, 1)),
  ceilMode: opt(fc.boolean()),
  ...extra,
}, { requiredKeys: [] }));

/** A Tensor result whose batch and channel axes are x's: the shape check every conv op shares. */
const keepsChannels = (dims: number) => (r: unknown, c: { args: unknown[] }): string | null => {
  const out = r instanceof Tensor ? r : (r as { values?: unknown }).values;
  const x = c.args[0];
  if (!(out instanceof Tensor)) return `returned ${String(r)}`;
  if (x instanceof Tensor && out.rank !== x.rank) return `rank ${out.rank} for x ${x.rank}-D`;
  if (x instanceof Tensor && out.shape.slice(0, -dims).join() !== x.shape.slice(0, -dims).join()) return `shape [${out.shape}] for x [${x.shape}]`;
  return null;
};

export function convEntries(): FuzzEntry[] {
  return [
    ...opEntries('conv1d', { rest: convRest(1, false, convOptions), method: null }),
    ...opEntries('conv2d', { rest: convRest(2, false, convOptions), method: null }),
    ...opEntries('convTranspose2d', {
      rest: convRest(2, true, opt(fc.record({ stride: opt(size(1, 3)), padding: opt(size(0, 2)), outputPadding: opt(size(0, 2)), dilation: opt(size(1, 2)), groups: opt(intArb(0, 2)) }, { requiredKeys: [] }))),
      method: null,
    }),
    ...opEntries('unfold', { rest: () => fc.tuple(size(1, 3), opt(fc.record({ dilation: opt(size(1, 2)), padding: opt(size(0, 2)), stride: opt(size(1, 2)) }, { requiredKeys: [] }))), method: null }),
    ...opEntries('fold', {
      rest: () => fc.tuple(mix(fc.array(intArb(1, 5), { minLength: 2, maxLength: 2 })), size(1, 3), opt(fc.record({ dilation: opt(size(1, 2)), padding: opt(size(0, 2)), stride: opt(size(1, 2)) }, { requiredKeys: [] }))),
      method: null,
    }),
    ...opEntries('maxPool1d', { rest: () => fc.tuple(size(1, 3), poolOptions({ dilation: opt(size(1, 2)), returnIndices: opt(fc.boolean()) })), method: null, check: keepsChannels(1) }),
    ...opEntries('maxPool2d', { rest: () => fc.tuple(size(1, 3), poolOptions({ dilation: opt(size(1, 2)), returnIndices: opt(fc.boolean()) })), method: null, check: keepsChannels(2) }),
    ...opEntries('avgPool2d', { rest: () => fc.tuple(size(1, 3), poolOptions({ countIncludePad: opt(fc.boolean()), divisorOverride: opt(fc.oneof(intArb(-1, 3), fc.constant(null))) })), method: null, check: keepsChannels(2) }),
    ...opEntries('adaptiveAvgPool2d', { rest: () => fc.tuple(fc.oneof(size(1, 4), fc.constant([null, 2]), fc.constant([2, null]))), method: null, check: keepsChannels(2) }),
  ];
}
