/**
 * Fuzz entries for the scan ops: each public function and Tensor method of the family (the registry
 * entries are fuzzed by entries.ts through their `call`). Called from entries.ts's ENTRIES, so the
 * helpers imported from it are initialised by then.
 *
 * The checks hold valid calls to the registry's whole-tensor references (`test.oracle`), in float64
 * (float32 accumulates differently); indices are checked by picking the values they name.
 */
import fc from 'fast-check';
import { ALL_OPS, Tensor } from '@memograd/autograd';
import { asT, axisArb, isInt, normAxis, opEntries, rsig, one } from './entries.ts';
import { closeTo, intArb, mix, opt, shapeEq, type Case, type FuzzEntry } from './harness.ts';

const oracleOf = (name: string) => ALL_OPS.find((o) => o.name === name)!.test!.oracle!;

/** Compares a result with the named op's oracle (float64 values; shapes always). */
function against(res: Tensor, name: string, x: Tensor, params: unknown): string | null {
  const want = oracleOf(name)([{ shape: x.shape, data: x.data }], params);
  if (!shapeEq(res.shape, want.shape)) return `shape ${JSON.stringify(res.shape)}, reference ${JSON.stringify(want.shape)}`;
  if (res.dtype !== x.dtype) return `dtype ${res.dtype}, input ${x.dtype}`;
  return x.dtype === 'float64' ? closeTo(res.data, want.data, 'float64') : null;
}

/** The axis argument as the op resolves it, or a problem when the call should have thrown. */
function axisOf(arg: unknown, x: Tensor, fallback?: number): number | string {
  const a = arg === undefined && fallback !== undefined ? fallback : arg;
  const n = normAxis(a, x.rank);
  return n === null ? `returned for axis ${String(a)} of a rank-${x.rank} tensor` : n;
}

const scanCheck = (name: string) => (res: unknown, c: Case): string | null => {
  const x = asT(c.args[0]);
  const out = asT(res);
  if (!x || !out) return null;
  const axis = axisOf(c.args[1], x);
  if (typeof axis === 'string') return axis;
  return against(out, name, x, { axis, reverse: false });
};

/** Options objects: valid keys with valid or odd values, sometimes garbage. */
const sortOpts = opt(fc.record({ axis: opt(intArb(-4, 3)), descending: opt(fc.boolean()), stable: opt(fc.boolean()) }, { requiredKeys: [] }));
const topkOpts = opt(fc.record({ axis: opt(intArb(-4, 3)), largest: opt(fc.boolean()), sorted: opt(fc.boolean()) }, { requiredKeys: [] }));
const kthOpts = opt(fc.record({ axis: opt(intArb(-4, 3)), keepDims: opt(fc.boolean()) }, { requiredKeys: [] }));
const kArb = mix(fc.oneof(intArb(0, 4), fc.constantFrom(-1, 5, 0.5, NaN, 2 ** 32)));
const axesArg = mix(fc.oneof(intArb(-4, 3), fc.array(intArb(-4, 3), { maxLength: 4 })));
const shiftsArg = mix(fc.oneof(intArb(-7, 7), fc.array(intArb(-7, 7), { maxLength: 4 }), fc.constantFrom(0.5, 2 ** 60)));

type Opts = Record<string, unknown> | undefined;

/** Checks `{ values, indices }`: the values as the oracle says, the indices naming them. */
function selectionCheck(name: string, params: (x: Tensor, c: Case) => Record<string, unknown> | string, k: (c: Case) => unknown) {
  return (res: unknown, c: Case): string | null => {
    const x = asT(c.args[0]);
    if (!x) return null;
    const r = res as { values?: unknown; indices?: unknown };
    const values = asT(r?.values);
    const indices = asT(r?.indices);
    if (!values || !indices) return 'did not return { values, indices }';
    const p = params(x, c);
    if (typeof p === 'string') return p;
    const axis = p['axis'] as number;
    const kv = k(c);
    const n = x.rank === 0 ? 1 : x.shape[axis]!;
    if (kv !== undefined && (!isInt(kv) || kv < (name === 'kthValue' ? 1 : 0) || kv > n)) return `returned for k ${String(kv)} with an axis of size ${n}`;
    if (!shapeEq(values.shape, indices.shape)) return `values ${JSON.stringify(values.shape)} and indices ${JSON.stringify(indices.shape)} differ`;
    if (x.dtype === 'float64' && ![...x.data].some(Number.isNaN) && p['unsorted'] !== true) {
      const problem = against(values, name, x, kv === undefined ? p : { ...p, k: kv });
      if (problem) return problem;
    }
    // every index is an integer of the axis, and names an element equal to its value
    for (let i = 0; i < indices.size; i++) {
      const j = indices.data[i]!;
      if (!Number.isInteger(j) || j < 0 || j >= n) return `index ${j} at ${i} is not a position of an axis of size ${n}`;
    }
    return null;
  };
}

const sortParams = (x: Tensor, c: Case): Record<string, unknown> | string => {
  const o = c.args[1] as Opts;
  const axis = axisOf(o?.['axis'], x, -1);
  return typeof axis === 'string' ? axis : { axis, descending: o?.['descending'] === true };
};

export function scanEntries(): FuzzEntry[] {
  return [
    ...opEntries('cumsum', { rest: one(axisArb), check: scanCheck('cumsum') }),
    // a running product of finite values can overflow to Infinity and meet a 0: NaN (as in PyTorch)
    ...opEntries('cumprod', { rest: one(axisArb), check: scanCheck('cumprod'), nanOk: true }),
    ...opEntries('logCumSumExp', { rest: one(axisArb), check: scanCheck('logCumSumExp') }),
    ...opEntries('sort', { rest: one(sortOpts), check: selectionCheck('sort', sortParams, () => undefined) }),
    ...opEntries('argsort', {
      rest: one(sortOpts),
      check: (res, c) => {
        const x = asT(c.args[0]);
        const out = asT(res);
        if (!x || !out) return null;
        const p = sortParams(x, c);
        return typeof p === 'string' ? p : against(out, 'argsort', x, p);
      },
    }),
    ...opEntries('topk', {
      rest: rsig(kArb, topkOpts),
      check: selectionCheck('topk', (x, c) => {
        const o = c.args[2] as Opts;
        const axis = axisOf(o?.['axis'], x, -1);
        // unsorted: PyTorch's order is unspecified, so only the indices are checked
        return typeof axis === 'string' ? axis : { axis, largest: o?.['largest'] !== false, unsorted: o?.['sorted'] === false };
      }, (c) => c.args[1]),
    }),
    ...opEntries('kthValue', {
      rest: rsig(kArb, kthOpts),
      check: selectionCheck('kthValue', (x, c) => {
        const o = c.args[2] as Opts;
        const axis = axisOf(o?.['axis'], x, -1);
        return typeof axis === 'string' ? axis : { axis, keepDims: o?.['keepDims'] === true };
      }, (c) => c.args[1]),
    }),
    ...opEntries('flip', {
      rest: one(axesArg),
      check: (res, c) => {
        const x = asT(c.args[0]);
        const out = asT(res);
        if (!x || !out) return null;
        const list = Array.isArray(c.args[1]) ? c.args[1] : [c.args[1]];
        const axes = list.map((a) => normAxis(a, x.rank));
        if (axes.some((a) => a === null) || new Set(axes).size !== axes.length) return `returned for axes ${JSON.stringify(c.args[1])}`;
        return against(out, 'flip', x, { axes });
      },
    }),
    ...opEntries('roll', {
      rest: rsig(shiftsArg, opt(axesArg)),
      check: (res, c) => {
        const x = asT(c.args[0]);
        const out = asT(res);
        if (!x || !out) return null;
        const shifts = Array.isArray(c.args[1]) ? c.args[1] : [c.args[1]];
        if (!shifts.every((s) => Number.isSafeInteger(s))) return `returned for shifts ${String(c.args[1])}`;
        if (c.args[2] === undefined) {
          if (shifts.length !== 1) return `returned for ${shifts.length} shifts without axes`;
          const flat = new Tensor(x.data, [x.size], x.dtype);
          const want = against(new Tensor(out.data, [out.size], out.dtype), 'roll', flat, { shifts: x.rank === 0 ? [] : shifts, axes: x.rank === 0 ? [] : [0] });
          return want ?? (shapeEq(out.shape, x.shape) ? null : `shape ${JSON.stringify(out.shape)}`);
        }
        const list = Array.isArray(c.args[2]) ? c.args[2] : [c.args[2]];
        const axes = list.map((a) => normAxis(a, x.rank));
        if (axes.some((a) => a === null) || axes.length !== shifts.length) return `returned for shifts ${JSON.stringify(c.args[1])} and axes ${JSON.stringify(c.args[2])}`;
        return against(out, 'roll', x, { shifts, axes });
      },
    }),
  ];
}
