/**
 * How the property tests sample the indexing composites (index, indexPut, maskedFill, scatter), and
 * their plain-loop oracles: each written from the PyTorch rules directly, independently of the
 * planner in indexing-spec.ts.
 */
import type { OpTest, OracleInput, Pick } from './define.ts';
import { Tensor } from '../tensor.ts';

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Row-major strides. */
function strides(s: readonly number[]): number[] {
  const out = new Array<number>(s.length).fill(1);
  for (let i = s.length - 2; i >= 0; i--) out[i] = out[i + 1]! * s[i + 1]!;
  return out;
}

/** Every coordinate of a shape, row-major. */
function coords(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) {
    const next: number[][] = [];
    for (const c of out) for (let i = 0; i < d; i++) next.push([...c, i]);
    out = next;
  }
  return out;
}

/** The positions a Python slice visits on an axis of size n. */
function slicePositions(sl: { start?: number | null; stop?: number | null; step?: number | null }, n: number): number[] {
  const step = sl.step ?? 1;
  const norm = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  const out: number[] = [];
  if (step > 0) {
    const a = sl.start == null ? 0 : norm(sl.start, 0, n);
    const b = sl.stop == null ? n : norm(sl.stop, 0, n);
    for (let i = a; i < b; i += step) out.push(i);
  } else {
    const a = sl.start == null ? n - 1 : norm(sl.start, -1, n - 1);
    const b = sl.stop == null ? -1 : norm(sl.stop, -1, n - 1);
    for (let i = a; i > b; i += step) out.push(i);
  }
  return out;
}

type Spec = number | null | '...' | { start?: number | null; stop?: number | null; step?: number | null } | number[];

/** x[specs] by the rules, for specs of numbers, slices, null, '...' and 1-D integer arrays of one length. */
function indexOracle([x]: readonly OracleInput[], { specs }: { specs: readonly unknown[] }) {
  const shape = x!.shape;
  const list = specs as readonly Spec[];
  const used = list.filter((v) => v !== null && v !== '...').length;
  const full: Spec[] = [];
  for (const v of list) {
    if (v === '...') for (let k = 0; k < shape.length - used; k++) full.push({});
    else full.push(v);
  }
  while (full.filter((v) => v !== null).length < shape.length) full.push({});
  type E = { t: 'int'; axis: number; v: number } | { t: 'sl'; axis: number; pos: number[] } | { t: 'new' } | { t: 'arr'; axis: number; vals: number[] };
  const entries: E[] = [];
  let axis = 0;
  for (const v of full) {
    if (v === null) entries.push({ t: 'new' });
    else if (typeof v === 'number') entries.push({ t: 'int', axis, v: v < 0 ? v + shape[axis]! : v });
    else if (Array.isArray(v)) entries.push({ t: 'arr', axis, vals: v.map((i) => (i < 0 ? i + shape[axis]! : i)) });
    else entries.push({ t: 'sl', axis, pos: slicePositions(v as { start?: number }, shape[axis]!) });
    if (v !== null) axis++;
  }
  const kept = entries.filter((e) => e.t !== 'int');
  const arrAt = kept.map((e, i) => (e.t === 'arr' ? i : -1)).filter((i) => i >= 0);
  const L = arrAt.length > 0 ? (kept[arrAt[0]!] as { vals: number[] }).vals.length : 0;
  const adjacent = arrAt.every((p, k) => p === arrAt[0]! + k);
  // the output's dims: 'a' is the advanced dim of size L
  const dims: (E | 'a')[] = [];
  if (arrAt.length > 0 && !adjacent) dims.push('a');
  kept.forEach((e, i) => {
    if (e.t !== 'arr') dims.push(e);
    else if (adjacent && i === arrAt[0]) dims.push('a');
  });
  const outShape = dims.map((d) => (d === 'a' ? L : d.t === 'sl' ? d.pos.length : 1));
  const xs = strides(shape);
  const data = coords(outShape).map((c) => {
    const xc = new Array<number>(shape.length).fill(0);
    let l = 0;
    dims.forEach((d, k) => {
      if (d === 'a') l = c[k]!;
      else if (d.t === 'sl') xc[d.axis] = d.pos[c[k]!]!;
    });
    for (const e of entries) {
      if (e.t === 'int') xc[e.axis] = e.v;
      else if (e.t === 'arr') xc[e.axis] = e.vals[l]!;
    }
    return x!.data[xc.reduce((a, p, k) => a + p * xs[k]!, 0)]!;
  });
  return { shape: outShape, data };
}

function sampleIndex(pick: Pick): { shapes: number[][]; params: { specs: unknown[] } } {
  const shape = Array.from({ length: 1 + pick(3) }, () => 1 + pick(4));
  const L = 1 + pick(3);
  const specs: unknown[] = shape.map((d) => {
    const kind = pick(5);
    if (kind === 0) return pick(d) - (pick(2) ? d : 0);
    if (kind === 1) return Array.from({ length: L }, () => pick(d) - (pick(3) === 0 ? d : 0));
    if (kind === 2) return ':';
    const end = () => (pick(3) === 0 ? null : pick(2 * d + 3) - d - 1);
    return { start: end(), stop: end(), step: [1, 2, -1, -2, null][pick(5)]! };
  });
  if (pick(3) === 0) specs.splice(pick(specs.length + 1), 0, null);
  // an ellipsis for the trailing axes (it may stand for none)
  if (pick(3) === 0) specs.splice(specs.length - pick(2), specs.length, '...');
  return { shapes: [shape], params: { specs } };
}

/** index: numbers, slices (negative steps too), null, '...' and integer arrays. */
export const INDEX_TEST: OpTest<{ specs: readonly unknown[] }> = {
  shapes: 'unary',
  sample: sampleIndex,
  oracle: indexOracle,
};

type PutParams = { indices: readonly number[][]; accumulate: boolean };

/** indexPut: integer arrays (with repeats) on the leading axes, assigned or accumulated. */
export const INDEX_PUT_TEST: OpTest<PutParams> = {
  shapes: 'unary',
  sample: (pick) => {
    const shape = Array.from({ length: 1 + pick(3) }, () => 1 + pick(3));
    const k = 1 + pick(shape.length);
    const L = 1 + pick(4);
    const indices = shape.slice(0, k).map((d) => Array.from({ length: L }, () => pick(d)));
    return { shapes: [shape, [L, ...shape.slice(k)]], params: { indices, accumulate: pick(2) === 1 } };
  },
  oracle: ([x, v], { indices, accumulate }) => {
    const data = Array.from(x!.data);
    const xs = strides(x!.shape);
    const rest = x!.shape.slice(indices.length);
    const inner = prod(rest);
    const L = indices[0]!.length;
    for (let l = 0; l < L; l++) {
      coords(rest).forEach((c, r) => {
        const pos = [...indices.map((a) => a[l]!), ...c];
        const at = pos.reduce((a, p, k) => a + p * xs[k]!, 0);
        const val = v!.data[l * inner + r]!;
        data[at] = accumulate ? data[at]! + val : val;
      });
    }
    return { shape: x!.shape.slice(), data };
  },
};

/** maskedFill: a random 0/1 mask of x's shape (or of its last axis), a 0-d value tensor. */
export const MASKED_FILL_TEST: OpTest<{ mask: Tensor }> = {
  shapes: 'unary',
  sample: (pick) => {
    const shape = Array.from({ length: pick(4) }, () => 1 + pick(3));
    const ms = pick(2) === 0 || shape.length === 0 ? shape : shape.slice(-1);
    const m = new Float64Array(prod(ms)).map(() => pick(2));
    return { shapes: [shape, []], params: { mask: new Tensor(m, ms, 'float64') } };
  },
  oracle: ([x, v], { mask }) => {
    const n = x!.data.length;
    const mn = mask.data.length;
    return { shape: x!.shape.slice(), data: Array.from({ length: n }, (_, i) => (mask.data[i % mn] === 1 ? v!.data[0]! : x!.data[i]!)) };
  },
};

type ScatterParams = { axis: number; index: Tensor };

/** scatter: an index with repeats along the axis (the last write wins), src at least the index's size. */
export const SCATTER_TEST: OpTest<ScatterParams> = {
  shapes: 'unary',
  sample: (pick) => {
    const shape = Array.from({ length: 1 + pick(3) }, () => 1 + pick(3));
    const axis = pick(shape.length);
    const is = shape.map((d, i) => (i === axis ? 1 + pick(4) : 1 + pick(d)));
    const index = new Float64Array(prod(is)).map(() => pick(shape[axis]!));
    return { shapes: [shape, is.map((d) => d + pick(2))], params: { axis, index: new Tensor(index, is, 'float64') } };
  },
  oracle: ([x, src], { axis, index }) => {
    const data = Array.from(x!.data);
    const xs = strides(x!.shape);
    const ss = strides(src!.shape);
    coords(index.shape).forEach((c, o) => {
      const pos = c.slice();
      pos[axis] = index.data[o]!;
      data[pos.reduce((a, p, k) => a + p * xs[k]!, 0)] = src!.data[c.reduce((a, p, k) => a + p * ss[k]!, 0)]!;
    });
    return { shape: x!.shape.slice(), data };
  },
};
