/**
 * Fuzz entries for the math ops: each public function and Tensor method of the family (the registry
 * entries are fuzzed by entries.ts through their `call`). Called from entries.ts's ENTRIES, so the
 * helpers imported from it are initialised by then.
 *
 * The family's plain elementwise ops (tan, erf, floor, hypot, asin, ...) are fuzzed by entries.ts's
 * automatic list (those that give NaN on part of the real line are in its NAN_OK); the ones with
 * options or three operands are here.
 */
import fc from 'fast-check';
import { ALL_OPS, Tensor } from '@memograd/autograd';
import { asT, f32, opEntries, operand, one, toRef } from './entries.ts';
import { broadcastTo, closeTo, mix, opt, smallNum, type Case, type FuzzEntry } from './harness.ts';

type Scalar = (...v: number[]) => number;
const scalarOf = (name: string): Scalar => {
  const op = ALL_OPS.find((o) => o.name === name) as { op?: { scalar?: Scalar }; test: { reference?: Scalar } | null } | undefined;
  const f = op?.op?.scalar ?? op?.test?.reference;
  if (!f) throw new Error(`entries-math: no number function for ${name}`);
  return f;
};

/**
 * The elementwise oracle over `arity` tensor-like arguments: out = f(inputs broadcast), in the
 * output's dtype; NaN in, NaN out except where `f` itself says otherwise (xlogy(0, y), nanToNum).
 */
function elementwise(name: string, arity: number, f: (vals: number[], c: Case) => number, nanIn = true) {
  return (res: unknown, c: Case): string | null => {
    const out = asT(res);
    if (!out) return null;
    const ins = c.args.slice(0, arity).map((v) => toRef(v, out.dtype));
    if (ins.some((i) => i === null)) return null;
    const cols = ins.map((t) => broadcastTo(t!.data, t!.shape, out.shape));
    const r = f32(out.dtype);
    const want: number[] = [];
    for (let i = 0; i < out.size; i++) {
      const vals = cols.map((col) => col[i]!);
      want.push(nanIn && vals.some(Number.isNaN) ? NaN : r(f(vals, c)));
    }
    return closeTo(out.data, want, out.dtype);
  };
}


const nanToNumOpts = opt(fc.record({ nan: opt(fc.oneof(smallNum, fc.constant(null))), posinf: opt(fc.oneof(smallNum, fc.constant(null))), neginf: opt(fc.oneof(smallNum, fc.constant(null))) }, { requiredKeys: [] }));
const FLOAT32_MAX = 3.4028234663852886e38;

export function mathEntries(): FuzzEntry[] {
  return [
    ...opEntries('nanToNum', {
      rest: one(nanToNumOpts),
      check: elementwise('nanToNum', 1, ([v], c) => {
        const o = (c.args[1] ?? {}) as { nan?: number | null; posinf?: number | null; neginf?: number | null };
        const x = c.args[0];
        const max = x instanceof Tensor && x.dtype === 'float64' ? Number.MAX_VALUE : FLOAT32_MAX;
        return Number.isNaN(v!) ? o.nan ?? 0 : v === Infinity ? o.posinf ?? max : v === -Infinity ? o.neginf ?? -max : v!;
      }, false),
    }),
    ...opEntries('lerp', {
      rest: (x: Tensor) => fc.tuple(operand(x), fc.oneof({ arbitrary: mix(smallNum) as fc.Arbitrary<unknown>, weight: 2 }, { arbitrary: operand(x), weight: 2 })),
      check: elementwise('lerp', 3, ([s, e, w]) => scalarOf('lerp')(s!, e!, w!)),
    }),
    ...opEntries('addcmul', {
      rest: (x: Tensor) => fc.tuple(operand(x), operand(x), opt(fc.record({ value: mix(smallNum) }, { requiredKeys: [] }))),
      check: elementwise('addcmul', 3, ([u, p, q], c) => u! + ((c.args[3] as { value?: number } | undefined)?.value ?? 1) * p! * q!),
      // 0 · Infinity
      nanOk: true,
    }),
  ];
}
