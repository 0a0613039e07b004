// Elementwise and reduction suite, float32, 1e6 elements: memograd ops vs tfjs 4.22 (cpu backend,
// wasm backend 1 thread; both end with dataSync() of the result), jax-js 0.1.25 (wasm device,
// 1 thread, op by op and jit-fused; dataSync() of the result) and plain-JS loops.
//   - y = sigmoid(a*b + c) over n = 1e6 (memograd and tfjs: 3 ops; JS: one fused loop)
//   - sum and max over all 1e6 elements
//   - sum and max along the last axis of [1000, 1000]
//   - softmax along the last axis of [1000, 1000]
//
//   pnpm --filter @memograd/bench run bench:elementwise [--quick] [--n=1000000] [--rows=1000]
//
// Every result is checked against a float64 JS reference before timing: sigmoid and softmax
// element-wise to 1e-6, max exactly, sums to 1e-5 · Σ|x| (float32 accumulation order differs).
// Inputs are created once, outside the timing; ms per call is in the note.
import { add, max, mul, sigmoid, softmax, sum, tensor } from '@memograd/autograd';
import {
  loadJax,
  loadTf,
  measure,
  randomArray,
  runIfMain,
  type BenchOptions,
  type Jax,
  type JaxArray,
  type Row,
  type Tf,
} from './harness.ts';

type TfTensor = import('@tensorflow/tfjs-core').Tensor;

function agree(name: string, got: ArrayLike<number>, ref: Float64Array, tol: Float64Array | number): void {
  if (got.length !== ref.length) throw new Error(`elementwise: ${name} has ${got.length} elements, expected ${ref.length}`);
  for (let i = 0; i < ref.length; i++) {
    const t = typeof tol === 'number' ? tol : tol[i]!;
    if (!(Math.abs(got[i]! - ref[i]!) <= t))
      throw new Error(`elementwise: ${name} differs from the float64 reference at ${i}: ${got[i]} vs ${ref[i]}`);
  }
}

export default async function elementwiseSuite(opts: BenchOptions): Promise<Row[]> {
  const n = Number(opts.args.n ?? 1_000_000);
  const R = Number(opts.args.rows ?? 1000);
  const C = n / R;
  if (!Number.isInteger(C)) throw new Error('elementwise: n must be a multiple of rows');
  const tf = await loadTf();
  const jx = await loadJax();
  const rows: Row[] = [];
  const a = randomArray(Float32Array, n, 11).map((v) => v * 3);
  const b = randomArray(Float32Array, n, 12).map((v) => v * 3);
  const c = randomArray(Float32Array, n, 13).map((v) => v * 3);
  const x = randomArray(Float32Array, n, 14).map((v) => v * 4);
  const ta = tensor(a), tb = tensor(b), tc = tensor(c);
  const tx = tensor(x), tx2 = tensor(x, { shape: [R, C] });

  interface Case {
    group: string;
    ref: Float64Array;
    tol: Float64Array | number;
    ours: () => ArrayLike<number>;
    tf: (t: Tf, x: TfTensor[]) => TfTensor;
    tfInputs: () => [Float32Array, number[]][];
    /** the same ops in jax-js; consumes its arguments (run op by op, and under jit) */
    jax: (j: Jax, ...x: JaxArray[]) => JaxArray;
    js: () => ArrayLike<number>;
  }

  // float64 references
  const sig = new Float64Array(n);
  for (let i = 0; i < n; i++) sig[i] = 1 / (1 + Math.exp(-(a[i]! * b[i]! + c[i]!)));
  let s = 0, sa = 0, m = -Infinity;
  for (let i = 0; i < n; i++) { s += x[i]!; sa += Math.abs(x[i]!); if (x[i]! > m) m = x[i]!; }
  const rowSum = new Float64Array(R), rowAbs = new Float64Array(R), rowMax = new Float64Array(R).fill(-Infinity);
  const smax = new Float64Array(n);
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < C; j++) {
      const v = x[r * C + j]!;
      rowSum[r]! += v; rowAbs[r]! += Math.abs(v); if (v > rowMax[r]!) rowMax[r] = v;
    }
    let z = 0;
    for (let j = 0; j < C; j++) z += smax[r * C + j] = Math.exp(x[r * C + j]! - rowMax[r]!);
    for (let j = 0; j < C; j++) smax[r * C + j]! /= z;
  }

  // plain-JS loops (float32 outputs, float64 accumulators as a JS loop naturally has)
  const yJs = new Float32Array(n);
  const rowJs = new Float32Array(R);
  const smJs = new Float32Array(n);
  const one = new Float32Array(1);
  const cases: Case[] = [
    {
      group: `sigmoid(a*b+c) n=${n}`,
      ref: sig,
      tol: 1e-6,
      ours: () => sigmoid(add(mul(ta, tb), tc)).data,
      tf: (t, [p, q, r]) => t.sigmoid(t.add(t.mul(p!, q!), r!)),
      tfInputs: () => [[a, [n]], [b, [n]], [c, [n]]],
      jax: (j, p, q, r) => j.nn.sigmoid(p!.mul(q!).add(r!)),
      js: () => {
        for (let i = 0; i < n; i++) yJs[i] = 1 / (1 + Math.exp(-(a[i]! * b[i]! + c[i]!)));
        return yJs;
      },
    },
    {
      group: `sum all n=${n}`,
      ref: Float64Array.of(s),
      tol: 1e-5 * sa,
      ours: () => sum(tx).data,
      tf: (t, [p]) => t.sum(p!),
      tfInputs: () => [[x, [n]]],
      jax: (j, p) => j.numpy.sum(p!),
      js: () => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += x[i]!;
        one[0] = acc;
        return one;
      },
    },
    {
      group: `max all n=${n}`,
      ref: Float64Array.of(m),
      tol: 0,
      ours: () => max(tx).data,
      tf: (t, [p]) => t.max(p!),
      tfInputs: () => [[x, [n]]],
      jax: (j, p) => j.numpy.max(p!),
      js: () => {
        let acc = -Infinity;
        for (let i = 0; i < n; i++) if (x[i]! > acc) acc = x[i]!;
        one[0] = acc;
        return one;
      },
    },
    {
      group: `sum last axis [${R},${C}]`,
      ref: rowSum,
      tol: rowAbs.map((v) => 1e-5 * v),
      ours: () => sum(tx2, { axis: -1 }).data,
      tf: (t, [p]) => t.sum(p!, -1),
      tfInputs: () => [[x, [R, C]]],
      jax: (j, p) => j.numpy.sum(p!, -1),
      js: () => {
        for (let r = 0; r < R; r++) {
          let acc = 0;
          for (let j = 0, o = r * C; j < C; j++) acc += x[o + j]!;
          rowJs[r] = acc;
        }
        return rowJs;
      },
    },
    {
      group: `max last axis [${R},${C}]`,
      ref: rowMax,
      tol: 0,
      ours: () => max(tx2, { axis: -1 }).data,
      tf: (t, [p]) => t.max(p!, -1),
      tfInputs: () => [[x, [R, C]]],
      jax: (j, p) => j.numpy.max(p!, -1),
      js: () => {
        for (let r = 0; r < R; r++) {
          let acc = -Infinity;
          for (let j = 0, o = r * C; j < C; j++) if (x[o + j]! > acc) acc = x[o + j]!;
          rowJs[r] = acc;
        }
        return rowJs;
      },
    },
    {
      group: `softmax last axis [${R},${C}]`,
      ref: smax,
      tol: 1e-6,
      ours: () => softmax(tx2, -1).data,
      tf: (t, [p]) => t.softmax(p!, -1),
      tfInputs: () => [[x, [R, C]]],
      jax: (j, p) => j.nn.softmax(p!, -1),
      js: () => {
        for (let r = 0; r < R; r++) {
          const o = r * C;
          let mx = -Infinity;
          for (let j = 0; j < C; j++) if (x[o + j]! > mx) mx = x[o + j]!;
          let z = 0;
          for (let j = 0; j < C; j++) z += smJs[o + j] = Math.exp(x[o + j]! - mx);
          const inv = 1 / z;
          for (let j = 0; j < C; j++) smJs[o + j]! *= inv;
        }
        return smJs;
      },
    },
  ];

  const note = (r: Row) => {
    r.note = `${(1000 / r.hz).toFixed(3)} ms`;
    rows.push(r);
  };
  for (const k of cases) {
    agree(`memograd ${k.group}`, k.ours(), k.ref, k.tol);
    note(measure(k.group, 'memograd', () => void k.ours(), 0, opts, true));
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      const inputs = k.tfInputs().map(([d, shape]) => tf.tensor(d, shape));
      const run = () => {
        const r = tf.tidy(() => k.tf(tf, inputs));
        const d = r.dataSync();
        r.dispose();
        return d;
      };
      agree(`tfjs-${backend} ${k.group}`, run(), k.ref, k.tol);
      note(measure(k.group, `tfjs-${backend} 4.22 + dataSync`, () => void run(), 0, opts));
      for (const t of inputs) t.dispose();
    }
    {
      // jax-js: the inputs stay held (refcount 1) and each call passes `.ref`s, which the ops
      // consume; dataSync() consumes the result. jit traces and compiles once (first call).
      const { jax: j, np } = jx;
      const inputs = k.tfInputs().map(([d, shape]) => np.array(d).reshape(shape));
      const fused = j.jit((...xs: JaxArray[]) => k.jax(j, ...xs));
      const variants = [
        ['jax-js 0.1.25 op by op + dataSync', () => k.jax(j, ...inputs.map((t) => t.ref)).dataSync()],
        ['jax-js 0.1.25 jit-fused + dataSync', () => fused(...inputs.map((t) => t.ref)).dataSync()],
      ] as const;
      for (const [impl, run] of variants) {
        agree(`${impl} ${k.group}`, run(), k.ref, k.tol);
        const done = await jx.mark();
        note(measure(k.group, impl, () => void run(), 0, opts));
        await done(`${impl} ${k.group}`);
      }
      fused.dispose();
      for (const t of inputs) t.dispose();
    }
    agree(`plain JS ${k.group}`, k.js(), k.ref, k.tol);
    note(measure(k.group, 'plain JS loop', () => void k.js(), 0, opts));
  }
  return rows;
}

runIfMain(import.meta.url, 'elementwise', elementwiseSuite);
