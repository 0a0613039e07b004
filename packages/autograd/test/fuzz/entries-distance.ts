/**
 * Fuzz entries for the distance ops: each public function and Tensor method of the family (the registry
 * entries are fuzzed by entries.ts through their `call`). Called from entries.ts's ENTRIES, so the
 * helpers imported from it are initialised by then. The four are functions only, as in PyTorch.
 */
import fc from 'fast-check';
import { one, opEntries, operand } from './entries.ts';
import { epsVanishes, intArb, largestMagnitude, mix, opt, smallNum, tensorArb, type FuzzEntry } from './harness.ts';

export function distanceEntries(): FuzzEntry[] {
  return [
    ...opEntries('cosineSimilarity', {
      rest: () => fc.tuple(mix(tensorArb()), opt(fc.record({ axis: opt(intArb(-3, 3)), eps: opt(fc.oneof(smallNum, fc.constantFrom(0, 1e-8))) }, { requiredKeys: [] }))),
      method: null,
      // a zero vector with eps² = 0 is 0 / 0 = NaN, as in PyTorch; so is ∞ / ∞ where values beyond
      // 1e150 overflow the squared norms
      nanOk: (c) => epsVanishes(c.args[2], true) || largestMagnitude([c.args[0], c.args[1]]) > 1e150,
    }),
    ...opEntries('pairwiseDistance', {
      rest: (x) => fc.tuple(fc.oneof(tensorArb({ shape: x.shape.slice() }) as fc.Arbitrary<unknown>, operand(x)), opt(fc.record({
        p: opt(fc.constantFrom(1, 2, 3, 0.5, Infinity, 0, -1, NaN)), eps: opt(fc.oneof(smallNum, fc.constant(0))), keepDims: opt(fc.boolean()),
      }, { requiredKeys: [] }))),
      method: null,
    }),
    ...opEntries('cdist', {
      rest: (x) => fc.tuple(
        fc.oneof(tensorArb({ shape: [2, x.shape[x.rank - 1] ?? 1] }) as fc.Arbitrary<unknown>, operand(x)),
        opt(fc.record({ p: opt(fc.constantFrom(0, 1, 2, 3, 0.5, Infinity, -1, NaN)) }, { requiredKeys: [] })),
      ),
      method: null,
    }),
    ...opEntries('normalize', {
      rest: one(opt(fc.record({ p: opt(fc.constantFrom(1, 2, 3, 0.5, Infinity, 0, NaN)), axis: opt(intArb(-3, 3)), eps: opt(fc.oneof(smallNum, fc.constant(0))) }, { requiredKeys: [] }))),
      method: null,
      // a zero vector with eps = 0 is 0 / 0 = NaN, as in PyTorch
      nanOk: (c) => epsVanishes(c.args[1]),
    }),
  ];
}
