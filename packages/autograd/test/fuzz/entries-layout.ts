/**
 * Fuzz entries for the layout ops: each public function and Tensor method of the family (the registry
 * entries are fuzzed by entries.ts through their `call`). Called from entries.ts's ENTRIES, so the
 * helpers imported from it are initialised by then.
 *
 * Where the public arguments map onto a registry op's parameters, a returned result is held to that
 * op's plain-loop `test.oracle` (repeat, tril, triu, diagonal, pad, einsum).
 */
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import { ALL_OPS, Tensor } from '@memograd/autograd';
import { asT, none, opEntries, rsig } from './entries.ts';
import { args, closeTo, garbage, intArb, mix, opt, shapeEq, smallNum, tensorArb, type Case, type FuzzEntry } from './harness.ts';

/** Holds a returned tensor to registry op `op`'s oracle with the parameters `paramsOf` derives from the case (null: no check). */
function oracleCheck(op: string, paramsOf: (c: Case, x: Tensor) => unknown): FuzzEntry['check'] {
  const oracle = ALL_OPS.find((o) => o.name === op)?.test?.oracle;
  if (!oracle) throw new Error(`entries-layout: no oracle for ${op}`);
  return (res, c) => {
    const x = asT(c.args[0]);
    if (!(res instanceof Tensor) || x === null) return null;
    const want = oracle([{ shape: x.shape, data: x.data }], paramsOf(c, x) as never);
    if (!shapeEq(res.shape, want.shape)) return `shape ${JSON.stringify(res.shape)}, oracle ${JSON.stringify(want.shape)}`;
    return closeTo(res.data, want.data, x.dtype);
  };
}

const diagonalOpts = opt(fc.record({ offset: opt(intArb(-3, 3)), axis1: opt(intArb(-3, 3)), axis2: opt(intArb(-3, 3)) }, { requiredKeys: [] }));
const padOpts = opt(fc.record({ mode: mix(fc.constantFrom('constant', 'reflect', 'replicate', 'circular')), value: opt(smallNum) }, { requiredKeys: [] }));
const opts = (c: Case, i: number) => (c.args[i] ?? {}) as Record<string, number | string | undefined>;

/** Equations, valid and not, for einsum. */
const equationArb = fc.oneof(
  { arbitrary: fc.constantFrom('ij,jk->ik', 'ij,jk', 'ii->i', 'ii', '...ij,...jk', 'i,j->ij', 'ijk->kji', 'ij,jk,kl->il', 'i,i->', 'ij->', 'ba', '...', '...->', 'i...i', ',->', 'bij,bjk->bik'), weight: 6 },
  { arbitrary: fc.constantFrom('ij->ii', 'ij->k', 'i.j', 'i1', 'ij->->i', 'i,j,k', '', '->', '......', 'ij,jk->ik,'), weight: 2 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
  { arbitrary: garbage, weight: 1 },
);

export function layoutEntries(): FuzzEntry[] {
  return [
    ...opEntries('repeat', {
      rest: (x) => fc.tuple(mix(fc.array(intArb(0, 3), { minLength: x.rank, maxLength: x.rank + 2 }))),
      check: oracleCheck('repeat', (c) => ({ reps: c.args[1] })),
    }),
    ...opEntries('tile', { rest: (x) => fc.tuple(mix(fc.array(intArb(0, 3), { maxLength: x.rank + 2 }))) }),
    ...opEntries('repeatInterleave', {
      rest: (x) => fc.tuple(
        mix(fc.oneof(intArb(0, 3), fc.array(intArb(0, 3), { minLength: x.shape[0] ?? 1, maxLength: x.shape[0] ?? 1 }), fc.array(intArb(-1, 3), { maxLength: 4 }))),
        opt(fc.record({ axis: opt(intArb(-3, 3)) }, { requiredKeys: [] })),
      ),
    }),
    ...opEntries('split', { rest: (x) => fc.tuple(mix(fc.oneof(intArb(0, 4), fc.array(intArb(0, 3), { maxLength: 4 }), fc.constant(x.shape.slice(0, 1)))), opt(intArb(-3, 3))) }),
    ...opEntries('chunk', { rest: rsig(mix(intArb(0, 5)), opt(intArb(-3, 3))) }),
    ...opEntries('unbind', { rest: rsig(opt(intArb(-3, 3))) }),
    ...opEntries('tril', { rest: rsig(opt(intArb(-4, 4))), check: oracleCheck('tril', (c) => ({ diagonal: c.args[1] ?? 0 })) }),
    ...opEntries('triu', { rest: rsig(opt(intArb(-4, 4))), check: oracleCheck('triu', (c) => ({ diagonal: c.args[1] ?? 0 })) }),
    ...opEntries('diag', { rest: rsig(opt(intArb(-4, 4))) }),
    ...opEntries('diagonal', {
      rest: rsig(diagonalOpts),
      check: oracleCheck('diagonal', (c, x) => {
        const o = opts(c, 1);
        const norm = (a: number) => (a < 0 ? a + x.rank : a);
        return { offset: o['offset'] ?? 0, axis1: norm((o['axis1'] as number | undefined) ?? 0), axis2: norm((o['axis2'] as number | undefined) ?? 1) };
      }),
    }),
    ...opEntries('trace', { rest: none }),
    ...opEntries('pad', {
      method: null,
      rest: (x) => fc.tuple(mix(fc.array(intArb(-2, 3), { maxLength: 2 * Math.min(3, Math.max(x.rank, 1)) })), padOpts),
      check: oracleCheck('pad', (c) => {
        const o = opts(c, 2);
        return { pad: c.args[1], mode: o['mode'] ?? 'constant', value: o['value'] ?? 0 };
      }),
      // the fill value may be any number; NaN only comes from an input's NaN
      nanOk: false,
    }),
    {
      name: 'einsum',
      covers: ['autograd:einsum'],
      gen: fc.tuple(equationArb, fc.array(mix(tensorArb({ maxRank: 3, maxDim: 3 }), 6, 1), { maxLength: 3 })).map(([eq, xs]) => ({ args: [eq, ...xs] })),
      call: (eq, ...xs) => ag.einsum(eq as string, ...(xs as Tensor[])),
      check: (res, c) => {
        const xs = c.args.slice(1);
        if (!(res instanceof Tensor) || !xs.every((x) => x instanceof Tensor) || xs.some((x) => (x as Tensor).dtype !== (xs[0] as Tensor).dtype)) return null;
        const want = ALL_OPS.find((o) => o.name === 'einsum')!.test!.oracle!(xs.map((x) => ({ shape: (x as Tensor).shape, data: (x as Tensor).data })), { equation: c.args[0] as string });
        if (!shapeEq(res.shape, want.shape)) return `shape ${JSON.stringify(res.shape)}, oracle ${JSON.stringify(want.shape)}`;
        return closeTo(res.data, want.data, (xs[0] as Tensor).dtype);
      },
      nanOk: true,
    },
  ];
}
