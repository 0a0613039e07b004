/**
 * Fuzz entries for the decomp ops: each public function and Tensor method of the family (the registry
 * entries are fuzzed by entries.ts through their `call`). Called from entries.ts's ENTRIES, so the
 * helpers imported from it are initialised by then.
 *
 * Random matrices are often singular or ill-conditioned: the checks hold results to their shapes
 * and dtypes (the values are held to the oracles by the property tests, on well-conditioned inputs),
 * and inv/solve of an exactly singular matrix, cholesky of a non-positive-definite one, non-square
 * or mismatched operands must throw typed errors naming the op.
 */
import fc from 'fast-check';
import { Tensor } from '@memograd/autograd';
import { asT, none, one, operand, opEntries, rsig } from './entries.ts';
import { garbage, intArb, mix, opt, shapeEq, tensorArb, type Case, type FuzzEntry } from './harness.ts';

/** The result's shape must be `want(x)` (from the first argument, when it is a tensor). */
const shapeCheck = (want: (x: Tensor, c: Case) => readonly number[] | null) => (res: unknown, c: Case): string | null => {
  const x = asT(c.args[0]);
  const out = asT(res);
  if (!x || !out) return null;
  const w = want(x, c);
  if (w === null) return null;
  if (!shapeEq(out.shape, w)) return `shape ${JSON.stringify(out.shape)}, expected ${JSON.stringify(w)}`;
  if (out.dtype !== x.dtype) return `dtype ${out.dtype} for a ${x.dtype} input`;
  return null;
};
const lead = (x: Tensor) => x.shape.slice(0, -2);
const mn = (x: Tensor): [number, number] => [x.shape[x.rank - 2]!, x.shape[x.rank - 1]!];

/** A square operand of the same batch (often), or anything. */
const square = (x: Tensor) => fc.oneof(
  { arbitrary: tensorArb({ shape: x.rank >= 1 ? [x.shape[x.rank - 1]!, x.shape[x.rank - 1]!] : [2, 2], dtype: x.dtype }) as fc.Arbitrary<unknown>, weight: 3 },
  { arbitrary: operand(x), weight: 2 },
);
const normOpts = opt(fc.record({ ord: opt(fc.oneof(fc.constantFrom('fro', 'nuc'), garbage)) }, { requiredKeys: [] }));
const pinvOpts = opt(fc.record({ rtol: opt(fc.oneof(fc.constantFrom(0, 1e-3, 0.5), fc.constantFrom(-1, NaN, Infinity))), atol: opt(fc.oneof(fc.constantFrom(0, 1e-3), fc.constantFrom(-1, NaN))) }, { requiredKeys: [] }));
const powerArb = mix(fc.oneof(intArb(-3, 5), fc.constantFrom(0.5, NaN, 2 ** 40, -(2 ** 40))));

export function decompEntries(): FuzzEntry[] {
  return [
    ...opEntries('det', { rest: none, check: shapeCheck(lead), nanOk: true }),
    ...opEntries('slogdet', { rest: none, check: (res, c) => shapeCheck(lead)((res as { logAbsDet?: unknown })?.logAbsDet, c), nanOk: true }),
    ...opEntries('inv', { rest: none, check: shapeCheck((x) => x.shape), nanOk: true }),
    ...opEntries('solve', { rest: (x) => fc.tuple(fc.oneof({ arbitrary: tensorArb({ shape: [x.shape[x.rank - 1] ?? 1, 2], dtype: x.dtype }) as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: operand(x), weight: 2 })), method: null, nanOk: true }),
    ...opEntries('cholesky', { rest: none, method: null, check: shapeCheck((x) => x.shape) }),
    ...opEntries('qr', {
      rest: none,
      method: null,
      check: (res, c) => {
        const x = asT(c.args[0]);
        const r = res as { Q?: unknown; R?: unknown };
        if (!x || !(r?.Q instanceof Tensor) || !(r.R instanceof Tensor)) return x ? 'did not return { Q, R }' : null;
        const [m, n] = mn(x);
        const k = Math.min(m, n);
        return shapeCheck(() => [...lead(x), m, k])(r.Q, c) ?? shapeCheck(() => [...lead(x), k, n])(r.R, c);
      },
    }),
    ...opEntries('eigh', { rest: none, method: null, check: (res, c) => shapeCheck((x) => x.shape.slice(0, -1))((res as { eigenvalues?: unknown })?.eigenvalues, c) }),
    ...opEntries('svd', { rest: none, method: null, check: (res, c) => shapeCheck((x) => [...lead(x), Math.min(...mn(x))])((res as { S?: unknown })?.S, c) }),
    ...opEntries('svdvals', { rest: none, method: null, check: shapeCheck((x) => [...lead(x), Math.min(...mn(x))]) }),
    ...opEntries('matrixNorm', { rest: one(normOpts), method: null, check: shapeCheck(lead) }),
    ...opEntries('matrixPower', { rest: one(powerArb), check: shapeCheck((x) => x.shape), nanOk: true }),
    ...opEntries('pinv', { rest: one(pinvOpts), check: shapeCheck((x) => [...lead(x), mn(x)[1], mn(x)[0]]), nanOk: true }),
    ...opEntries('kron', { rest: (x) => fc.tuple(operand(x)) }),
    ...opEntries('cross', { rest: (x) => rsig(square(x).map((s) => (s instanceof Tensor && x.rank >= 1 ? tensorArbLike(x) : s)), opt(fc.oneof(intArb(-3, 3), garbage)).map((a) => (a === undefined ? undefined : { axis: a })))(x) }),
  ];
}

/** A tensor of x's shape (cross needs equal ranks and a size-3 axis: x itself is often [.., 3]). */
function tensorArbLike(x: Tensor): Tensor {
  return new Tensor(x.dtype === 'float64' ? new Float64Array(x.size).fill(0.5) : new Float32Array(x.size).fill(0.5), x.shape, x.dtype);
}
