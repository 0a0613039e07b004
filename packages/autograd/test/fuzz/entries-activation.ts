/**
 * Fuzz entries for the activation ops: each public function and Tensor method of the family (the registry
 * entries are fuzzed by entries.ts through their `call`). Called from entries.ts's ENTRIES, so the
 * helpers imported from it are initialised by then. (The parameterless elementwise ones, logSigmoid,
 * hardsigmoid, hardswish, mish, selu and softsign, get entries.ts's derived elementwise entries;
 * clamp with tensor bounds is here.)
 */
import fc from 'fast-check';
import { Tensor } from '../../src/index.ts';
import { hardtanhOp, celuOp, logitOp } from '../../src/ops/activation.ts';
import { asT, f32, one, opEntries, operand, toRef } from './entries.ts';
import { closeTo, intArb, opt, smallNum, tensorArb, type Case, type FuzzEntry } from './harness.ts';

/** The result against the op's number function, for the params the call resolved to (or null: no check). */
function paramCheck(scalar: (v: number, p: any) => number, params: (c: Case) => unknown | null) {
  return (res: unknown, c: Case): string | null => {
    const out = asT(res);
    const x = toRef(c.args[0], out?.dtype === 'float64' ? 'float64' : 'float32');
    const p = params(c);
    if (!out || !x || p === null || x.data.length !== out.size) return null;
    const r = f32(out.dtype);
    return closeTo(out.data, Array.from(x.data, (v) => r(scalar(v, p))), out.dtype as 'float32' | 'float64');
  };
}
const opts = (c: Case): Record<string, unknown> | null => {
  const o = c.args[1];
  return o === undefined ? {} : typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
};

export function activationEntries(): FuzzEntry[] {
  const bound = (x: Tensor) => fc.oneof(
    { arbitrary: tensorArb({ shape: x.shape.slice(-1) }) as fc.Arbitrary<unknown>, weight: 3 },
    { arbitrary: operand(x), weight: 2 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: smallNum, weight: 1 },
  );
  return [
    ...opEntries('hardtanh', {
      rest: one(opt(fc.record({ minVal: opt(smallNum), maxVal: opt(smallNum) }, { requiredKeys: [] }))),
      check: paramCheck(hardtanhOp.scalar!, (c) => { const o = opts(c); return o && { minVal: o['minVal'] ?? -1, maxVal: o['maxVal'] ?? 1 }; }),
    }),
    ...opEntries('celu', {
      rest: one(opt(fc.record({ alpha: opt(smallNum) }, { requiredKeys: [] }))),
      check: paramCheck(celuOp.scalar!, (c) => { const o = opts(c); return o && { alpha: o['alpha'] ?? 1 }; }),
    }),
    ...opEntries('logit', {
      rest: one(opt(fc.record({ eps: opt(fc.oneof(fc.constantFrom(0, 1e-6, 0.1, 0.6, -1, null), smallNum)) }, { requiredKeys: [] }))),
      // NaN outside [0, 1] without eps, as PyTorch
      nanOk: true,
      check: paramCheck(logitOp.scalar!, (c) => {
        const o = opts(c);
        const eps = o?.['eps'] ?? -1;
        return o && typeof eps === 'number' ? { eps: eps < 0 ? -1 : eps } : null;
      }),
    }),
    ...opEntries('softmin', { rest: one(opt(intArb(-3, 3))) }),
    ...opEntries('glu', { rest: one(opt(intArb(-3, 3))) }),
    // clamp with tensor bounds (the number bounds are entries.ts's clamp entry)
    ...opEntries('clamp', { rest: (x) => fc.tuple(bound(x), opt(bound(x))), nanOk: true }).map((e) => ({
      ...e,
      name: `${e.name} (tensor bounds)`,
      ops: e.ops ?? ['clamp'],
      gen: e.gen.filter((c) => c.args.slice(1).some((b) => b instanceof Tensor)),
    })),
  ];
}
