/**
 * Fuzz entries for the indexing ops: each public function and Tensor method of the family (the registry
 * entries are fuzzed by entries.ts through their `call`). Called from entries.ts's ENTRIES, so the
 * helpers imported from it are initialised by then.
 */
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import { Tensor } from '@memograd/autograd';
import { closeTo, garbage, intArb, mix, opt, strides, tensorArb, unravel, type Case, type FuzzEntry } from './harness.ts';
import { asT, indexArb, isInt, opEntries, render1, T, X } from './entries.ts';

/** One index spec for an axis of size n: valid often, odd sometimes, garbage rarely. */
function specArb(n: number): fc.Arbitrary<unknown> {
  const bound = opt(fc.oneof(intArb(-n - 2, n + 2), fc.constant(null)));
  return fc.oneof(
    { arbitrary: intArb(-n - 1, n) as fc.Arbitrary<unknown>, weight: 3 },
    { arbitrary: fc.constantFrom(null, '...', ':', '::-1', '1:3', '::2', '-2:', '1:x', '::0'), weight: 3 },
    { arbitrary: fc.record({ start: bound, stop: bound, step: opt(fc.oneof(intArb(-3, 3), fc.constant(0.5))) }, { requiredKeys: [] }), weight: 2 },
    { arbitrary: indexArb(Math.max(n, 1)), weight: 2 },
    { arbitrary: fc.array(fc.boolean(), { minLength: n, maxLength: n + 1 }), weight: 1 },
    { arbitrary: fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }).map((m) => ag.mask(m)), weight: 1 },
    { arbitrary: garbage, weight: 1 },
  );
}

const specsArb = (x: Tensor) => fc.array(fc.nat({ max: Math.max(0, x.rank) }).chain((a) => specArb(x.shape[a] ?? 2)), { maxLength: x.rank + 1 });

/** Integer indices for scatter-like ops: the x's rank, sizes within x's. */
const scatterIndex = (x: Tensor, axis: number) =>
  indexArb(x.shape[axis] ?? 1, fc.constant(x.shape.map((d, i) => (i === axis ? 1 + (d % 3) : Math.max(1, d)))));

/** slice's check with an optional step: the result is x's strided block. */
export function sliceCheck(res: unknown, c: Case): string | null {
  const x = asT(c.args[0]);
  const out = asT(res);
  if (!x || !out) return null;
  const [begin, size, step] = c.args.slice(1) as unknown[];
  if (!Array.isArray(begin) || !begin.every(isInt)) return `returned for begin ${render1(begin)}`;
  if (size !== undefined && (!Array.isArray(size) || !size.every(isInt))) return `returned for size ${render1(size)}`;
  if (step !== undefined && (!Array.isArray(step) || !step.every((v) => isInt(v) && v !== 0))) return `returned for step ${render1(step)}`;
  if (out.rank !== x.rank) return `rank ${out.rank} for a rank-${x.rank} input`;
  const st = x.shape.map((_d, i) => ((step as number[] | undefined)?.[i] ?? 1));
  const b = x.shape.map((d, i) => { const v = (begin[i] as number | undefined) ?? 0; return v < 0 ? v + d : v; });
  const xs = strides(x.shape);
  const want: number[] = [];
  for (let i = 0; i < out.size; i++) {
    const pos = unravel(i, out.shape).map((p, k) => b[k]! + p * st[k]!);
    if (pos.some((p, k) => p < 0 || p >= x.shape[k]!)) return `result shape ${JSON.stringify(out.shape)} from begin ${JSON.stringify(b)} step ${JSON.stringify(st)} leaves ${JSON.stringify(x.shape)}`;
    want.push(x.data[pos.reduce((a, p, k) => a + p * xs[k]!, 0)]!);
  }
  return closeTo(out.data, want, out.dtype);
}

export function indexingEntries(): FuzzEntry[] {
  return [
    {
      name: 'index',
      covers: ['autograd:index'],
      gen: X.chain((x) => (x instanceof Tensor ? fc.oneof(specsArb(x), specArb(x.shape[0] ?? 2)) : fc.constant([':'])).map((sp) => ({ args: [x, sp] }))),
      call: (x, sp) => ag.index(x as never, sp as never),
    },
    {
      name: 'Tensor#at',
      covers: ['Tensor#at'],
      ops: ['index', 'at'],
      gen: T.chain((x) => specsArb(x).map((sp) => ({ args: [x, ...sp] }))),
      call: (x: Tensor, ...sp: unknown[]) => x.at(...(sp as never[])),
    },
    {
      name: 's',
      covers: ['autograd:s'],
      gen: fc.tuple(opt(intArb(-3, 3)), opt(intArb(-3, 3)), opt(intArb(-2, 2)), tensorArb({ minRank: 1 })).map((a) => ({ args: a })),
      call: (a, b, st, x) => (x as Tensor).at(ag.s(a as number, b as number, st as number)),
      ops: ['s', 'index', 'at'],
    },
    {
      name: 'mask',
      covers: ['autograd:mask', 'autograd:IndexMask'],
      gen: fc.tuple(fc.oneof({ arbitrary: fc.array(fc.constantFrom(0, 1, true, false), { maxLength: 4 }) as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: X, weight: 1 })).map((a) => ({ args: a })),
      call: (m) => { const r = ag.mask(m as never); if (!(r instanceof ag.IndexMask)) throw new Error('mask() did not return an IndexMask'); return r.tensor; },
      ops: ['mask'],
    },
    ...opEntries('indexPut', {
      rest: (x) => fc.tuple(
        mix(fc.array(fc.nat({ max: Math.max(0, x.rank - 1) }).chain((a) => indexArb(x.shape[a] ?? 1)), { minLength: 1, maxLength: Math.max(1, x.rank) })),
        fc.oneof({ arbitrary: tensorArb({ dtype: x.dtype, shape: x.shape.slice(-1) }) as fc.Arbitrary<unknown>, weight: 2 }, { arbitrary: X, weight: 1 }),
        opt(fc.record({ accumulate: mix(fc.boolean()) }, { requiredKeys: [] })),
      ),
    }),
    ...opEntries('maskedFill', {
      rest: (x) => fc.tuple(
        fc.oneof({ arbitrary: fc.array(fc.boolean(), { minLength: x.shape[x.rank - 1] ?? 1, maxLength: x.shape[x.rank - 1] ?? 1 }) as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: X, weight: 1 }),
        fc.oneof({ arbitrary: intArb(-2, 2) as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: X, weight: 1 }),
      ),
      nanOk: true,
    }),
    ...opEntries('scatter', {
      rest: (x) => fc.nat({ max: Math.max(0, x.rank - 1) }).chain((ax) => fc.tuple(
        mix(fc.constant(ax)), scatterIndex(x, ax),
        fc.oneof({ arbitrary: tensorArb({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === ax ? 3 : Math.max(1, d))) }) as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: intArb(-2, 2), weight: 1 }, { arbitrary: X, weight: 1 }),
        opt(fc.record({ reduce: opt(fc.constantFrom('add', 'multiply', 'max')) }, { requiredKeys: [] })),
      )),
      nanOk: true,
    }),
    ...opEntries('scatterAdd', {
      rest: (x) => fc.nat({ max: Math.max(0, x.rank - 1) }).chain((ax) => fc.tuple(
        mix(fc.constant(ax)), scatterIndex(x, ax),
        fc.oneof({ arbitrary: tensorArb({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === ax ? 3 : Math.max(1, d))) }) as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: X, weight: 1 }),
      )),
      nanOk: true,
    }),
    ...opEntries('indexAdd', {
      rest: (x) => fc.nat({ max: Math.max(0, x.rank - 1) }).chain((ax) => fc.integer({ min: 0, max: 3 }).chain((k) => fc.tuple(
        mix(fc.constant(ax)),
        indexArb(x.shape[ax] ?? 1, fc.constant([k])),
        fc.oneof({ arbitrary: tensorArb({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === ax ? k : d)) }) as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: X, weight: 1 }),
        opt(fc.record({ alpha: opt(mix(intArb(-2, 2))) }, { requiredKeys: [] })),
      ))),
      nanOk: true,
    }),
  ];
}
