/**
 * Fuzz entries for losses-more.ts: each loss function and class with valid inputs mixed with
 * garbage (shapes, targets, options). Called from entries.ts's ENTRIES, so the helpers imported
 * from it are initialised by then.
 */
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import { args, garbage, garbageOrBadTensor, intArb, opt, tensorArb, type FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';
import { api, construct, lossInput, ownMembers, T, target } from './entries.ts';

const opts = () => opt(fc.record({
  reduction: opt(fc.constantFrom('mean', 'sum', 'none', 'batchmean', 'x')),
  margin: opt(fc.constantFrom(0, 0.5, -1, NaN, Infinity)),
  p: opt(fc.constantFrom(1, 2, 3, 0, -1, NaN)),
  eps: opt(fc.constantFrom(1e-6, 0, NaN)),
  swap: opt(fc.constantFrom(true, false, 1)),
  logTarget: opt(fc.boolean()),
  logInput: opt(fc.boolean()),
  full: opt(fc.constantFrom(true, false, 'yes')),
  weight: opt(fc.oneof(fc.constant([1, 2, 3]), T as fc.Arbitrary<unknown>)),
  blank: opt(intArb(-1, 4)),
  zeroInfinity: opt(fc.boolean()),
}, { requiredKeys: [] }));

export function lossesMoreEntries(): FuzzEntry[] {
  // built here, not at import: entries.ts's arbitraries exist only once it has run
  const pm1 = fc.constantFrom([1, -1], [1, 1], [-1, 0], [[1, -1, 1], [-1, 1, 1]]).map((v) => v as unknown);
  const second = fc.oneof({ arbitrary: lossInput, weight: 4 }, { arbitrary: pm1, weight: 2 }, { arbitrary: garbage, weight: 1 });

  /** The functions, and their arguments after the input. */
  const FNS: [string, fc.Arbitrary<unknown[]>][] = [
    ['klDiv', fc.tuple(lossInput, target, opts())],
    ['cosineEmbeddingLoss', fc.tuple(lossInput, second, fc.oneof(pm1, target), opts())],
    ['marginRankingLoss', fc.tuple(lossInput, second, fc.oneof(pm1, target), opts())],
    ['hingeEmbeddingLoss', fc.tuple(lossInput, fc.oneof(pm1, target), opts())],
    ['multiMarginLoss', fc.tuple(lossInput, target, opts())],
    ['tripletMarginLoss', fc.tuple(lossInput, second, second, opts())],
    ['softMarginLoss', fc.tuple(lossInput, fc.oneof(pm1, target), opts())],
    ['multilabelSoftMarginLoss', fc.tuple(lossInput, target, opts())],
    ['poissonNllLoss', fc.tuple(lossInput, target, opts())],
    ['gaussianNllLoss', fc.tuple(lossInput, target, fc.oneof(target, tensorArb({ shape: [2], range: [0, 2] }) as fc.Arbitrary<unknown>), opts())],
  ];

  const logProbs = fc.oneof(
    { arbitrary: tensorArb({ shape: [4, 2, 3], range: [-3, 0] }) as fc.Arbitrary<unknown>, weight: 4 },
    { arbitrary: tensorArb({ shape: [4, 3], range: [-3, 0] }), weight: 1 },
    { arbitrary: T, weight: 1 },
    { arbitrary: garbageOrBadTensor, weight: 1 },
  );
  const ctcTargets = fc.oneof(
    { arbitrary: fc.constantFrom<unknown>([[1, 2], [2, 2]], [1, 2, 2], [[1], [0]], [[3, 1], [1, 1]], [[1.5, 1], [1, 1]], [2, 1]), weight: 4 },
    { arbitrary: T, weight: 1 },
    { arbitrary: garbage, weight: 1 },
  );
  const lengths = fc.oneof(
    { arbitrary: fc.constantFrom<unknown>([4, 4], [2, 3], [4], [0, 1], [5, 4], [-1, 2], [1.5, 2], 4, 2), weight: 4 },
    { arbitrary: fc.constant(0).map(() => ag.tensor([2, 2])), weight: 1 },
    { arbitrary: garbage, weight: 1 },
  );

  const CLASSES: Record<string, string> = {
    KLDivLoss: 'klDiv', CosineEmbeddingLoss: 'cosineEmbeddingLoss', MarginRankingLoss: 'marginRankingLoss', HingeEmbeddingLoss: 'hingeEmbeddingLoss',
    MultiMarginLoss: 'multiMarginLoss', TripletMarginLoss: 'tripletMarginLoss', SoftMarginLoss: 'softMarginLoss',
    MultiLabelSoftMarginLoss: 'multilabelSoftMarginLoss', PoissonNLLLoss: 'poissonNllLoss', GaussianNLLLoss: 'gaussianNllLoss',
  };
  const fns: FuzzEntry[] = FNS.map(([n, gen]) => ({
    name: `nn.${n}`,
    covers: [`nn:${n}`],
    ops: [n],
    gen: gen.map((a) => ({ args: a })),
    call: (...a: unknown[]) => api[n](...a),
    nanOk: true,
  }));
  const ctc: FuzzEntry = {
    name: 'nn.ctcLoss',
    covers: ['nn:ctcLoss'],
    ops: ['ctcLoss'],
    gen: args(logProbs, ctcTargets, lengths, lengths, opts()),
    call: (...a: unknown[]) => api['ctcLoss'](...a),
    nanOk: true,
  };
  const classes: FuzzEntry[] = Object.entries(CLASSES).map(([C, fn]) => {
    const [, gen] = FNS.find(([n]) => n === fn)!;
    return {
      name: `nn.${C}`,
      covers: [`nn:${C}`, ...ownMembers(C), ...(C === 'CosineEmbeddingLoss' ? ['TripleInputLoss#call', 'TripleInputLoss#extraRepr', 'nn:TripleInputLoss'] : [])],
      ops: [C, fn, `${C}.call`],
      gen: fc.tuple(opts(), gen).map(([o, a]) => ({ args: [o, ...a.slice(0, -1)] })),
      call: (o: unknown, ...a: unknown[]) => {
        const m = construct(C, [o]);
        void String(m);
        return (m.call as (...b: unknown[]) => Tensor)(...a);
      },
      nanOk: true,
    };
  });
  const ctcClass: FuzzEntry = {
    name: 'nn.CTCLoss',
    covers: ['nn:CTCLoss', ...ownMembers('CTCLoss')],
    ops: ['CTCLoss', 'ctcLoss', 'CTCLoss.call'],
    gen: args(opts(), logProbs, ctcTargets, lengths, lengths),
    call: (o: unknown, ...a: unknown[]) => {
      const m = construct('CTCLoss', [o]);
      void String(m);
      return (m.call as (...b: unknown[]) => Tensor)(...a);
    },
    nanOk: true,
  };
  return [...fns, ctc, ...classes, ctcClass];
}

