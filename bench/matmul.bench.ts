// Matmul suite: memograd's matmul kernel vs tfjs 4.22 (cpu backend, wasm backend with SIMD,
// 1 thread) and jax-js 0.1.25 (wasm device, 1 thread; np.matmul op by op and under jit) on
// float32, and memograd's float64 kernel vs plain-JS loops. PyTorch (torch.mm into a preallocated
// output, in a subprocess: torch-peer.ts) at 1 thread and at memograd's thread count for float32
// A·B from n = 256 (skipped with a note without torch).
//
//   pnpm --filter @memograd/bench run bench:matmul [--quick] [--sizes=128,256,512,1024]
//
// Every implementation's output is checked against a float64 reference before it is timed.
// tfjs and jax-js timings include `dataSync()` of the result (ours writes into a caller's Float32Array, so
// both end with the product readable from JS); input tensors are created once, outside the timing.
import { matmul, matmulReference, matmulTiled, THREADS_MIN_WORK } from '../packages/autograd/src/kernels/matmul.ts';
import {
  agree,
  loadJax,
  loadTf,
  measure,
  memogradThreads,
  numList,
  randomArray,
  runIfMain,
  threadCounts,
  useMemogradThreads,
  type BenchOptions,
  type JaxArray,
  type Row,
} from './harness.ts';
import { runTorch, torchCase, torchLabel, torchOrNote, torchOutput, torchRow, type TorchResult } from './torch-peer.ts';

type F = Float32Array | Float64Array;

/** The textbook i-j-k triple loop (the "naive" baseline). */
function naive(a: F, b: F, c: F, n: number): void {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a[i * n + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
}

export default async function matmulSuite(opts: BenchOptions): Promise<Row[]> {
  const sizes = numList(opts, 'sizes', opts.quick ? [128, 256] : [128, 256, 512, 1024]);
  const tf = await loadTf();
  const jx = await loadJax();
  const { np } = jx;
  // jit-compiled once per shape on first call (traced, fused, wasm generated); later calls reuse it
  const jaxMm = jx.jax.jit((a: JaxArray, b: JaxArray) => np.matmul(a, b));
  const jaxMmT = jx.jax.jit((a: JaxArray, b: JaxArray) => np.matmul(a.transpose(), b));
  const rows: Row[] = [];
  const threads = memogradThreads();
  /** time ours single-threaded, then (if helpers exist) with all threads */
  const ours = (group: string, impl: string, fn: () => void, flop: number) => {
    useMemogradThreads(1);
    rows.push(measure(group, `${impl}, 1 thread`, fn, flop, opts, true, 1));
    useMemogradThreads(threads);
    if (threads > 1 && flop / 2 >= THREADS_MIN_WORK) rows.push(measure(group, `${impl}, ${threads} threads`, fn, flop, opts, true, threads));
  };
  // PyTorch: one subprocess per thread count with every size from 256, on the inputs below
  const torchSizes = sizes.filter((n) => n >= 256);
  const torch: TorchResult[] = [];
  if (torchSizes.length > 0 && torchOrNote('matmul')) {
    const inputs: Record<string, { data: Float32Array; shape: number[] }> = {};
    for (const n of torchSizes) {
      inputs[`a${n}`] = { data: Float32Array.from(randomArray(Float64Array, n * n, 1000 + n)), shape: [n, n] };
      inputs[`b${n}`] = { data: Float32Array.from(randomArray(Float64Array, n * n, 2000 + n)), shape: [n, n] };
    }
    for (const t of threadCounts()) torch.push(runTorch('matmul', inputs, { sizes: torchSizes }, t, opts));
  }

  for (const n of sizes) {
    const flop = 2 * n * n * n;
    const a64 = randomArray(Float64Array, n * n, 1000 + n);
    const b64 = randomArray(Float64Array, n * n, 2000 + n);
    const a32 = Float32Array.from(a64);
    const b32 = Float32Array.from(b64);
    // float64 reference of the float32-rounded inputs, and |A||B| for the tolerance
    const ref = new Float64Array(n * n);
    const refT = new Float64Array(n * n); // A^T B
    const mag = new Float64Array(n * n);
    const magT = new Float64Array(n * n);
    const a32d = Float64Array.from(a32);
    const b32d = Float64Array.from(b32);
    matmul(a32d, 0, b32d, 0, ref, 0, n, n, n, false, false);
    matmul(a32d, 0, b32d, 0, refT, 0, n, n, n, true, false);
    matmul(a32d.map(Math.abs), 0, b32d.map(Math.abs), 0, mag, 0, n, n, n, false, false);
    matmul(a32d.map(Math.abs), 0, b32d.map(Math.abs), 0, magT, 0, n, n, n, true, false);
    if (n <= 256) {
      // the fast float64 path itself against the triple loop
      const check = new Float64Array(n * n);
      matmulReference(a32d, 0, b32d, 0, check, 0, n, n, n, false, false);
      agree('memograd f64 vs matmulReference', ref, check, mag, 1e-12);
    }

    // ---- float32: ours vs tfjs cpu / wasm --------------------------------------------------
    {
      const group = `f32 A·B n=${n}`;
      const c = new Float32Array(n * n);
      matmul(a32, 0, b32, 0, c, 0, n, n, n, false, false);
      agree('memograd f32', c, ref, mag, 1e-5);
      ours(group, 'memograd matmul (wasm simd)', () => matmul(a32, 0, b32, 0, c, 0, n, n, n, false, false), flop);

      for (const backend of ['cpu', 'wasm'] as const) {
        if (backend === 'cpu' && n > 512 && opts.quick) continue;
        await tf.setBackend(backend);
        const ta = tf.tensor2d(a32, [n, n]);
        const tb = tf.tensor2d(b32, [n, n]);
        const run = () => {
          const r = tf.matMul(ta, tb);
          const d = r.dataSync();
          r.dispose();
          return d;
        };
        agree(`tfjs ${backend}`, run(), ref, mag, 1e-5);
        rows.push(measure(group, backend === 'cpu' ? 'tfjs-cpu 4.22' : 'tfjs-wasm 4.22 (simd, 1 thread)', run, flop, opts));
        ta.dispose();
        tb.dispose();
      }

      for (const res of torchSizes.includes(n) ? torch : []) {
        agree(`PyTorch ${res.threads}T`, torchOutput(res, `c${n}`), ref, mag, 1e-5);
        rows.push(torchRow(group, torchLabel(res, 'torch.mm(out=)'), torchCase(res, `n=${n}`), res.threads, flop));
      }

      // jax-js: the inputs are held (refcount 1) and passed as `.ref`, which the call consumes;
      // dataSync() consumes the result, so every call frees what it allocates
      const ja = np.array(a32).reshape([n, n]);
      const jb = np.array(b32).reshape([n, n]);
      const eager = () => np.matmul(ja.ref, jb.ref).dataSync();
      const jitted = () => jaxMm(ja.ref, jb.ref).dataSync();
      for (const [impl, run] of [
        ['jax-js 0.1.25 np.matmul, op by op', eager],
        ['jax-js 0.1.25 jit(np.matmul)', jitted],
      ] as const) {
        agree(impl, run(), ref, mag, 1e-5);
        const done = await jx.mark();
        rows.push(measure(group, impl, () => void run(), flop, opts));
        await done(impl);
      }
      ja.dispose();
      jb.dispose();
    }

    // ---- float32 with a transposed operand (the backward pass' dW = X^T dY) -----------------
    {
      const group = `f32 Aᵀ·B n=${n}`;
      const c = new Float32Array(n * n);
      matmul(a32, 0, b32, 0, c, 0, n, n, n, true, false);
      agree('memograd f32 transA', c, refT, magT, 1e-5);
      ours(group, 'memograd matmul transA', () => matmul(a32, 0, b32, 0, c, 0, n, n, n, true, false), flop);
      await tf.setBackend('wasm');
      const ta = tf.tensor2d(a32, [n, n]);
      const tb = tf.tensor2d(b32, [n, n]);
      const run = () => {
        const r = tf.matMul(ta, tb, true, false);
        const d = r.dataSync();
        r.dispose();
        return d;
      };
      agree('tfjs wasm transposeA', run(), refT, magT, 1e-5);
      rows.push(measure(group, 'tfjs-wasm matMul(transposeA)', run, flop, opts));
      ta.dispose();
      tb.dispose();
      const ja = np.array(a32).reshape([n, n]);
      const jb = np.array(b32).reshape([n, n]);
      const jrun = () => jaxMmT(ja.ref, jb.ref).dataSync();
      const impl = 'jax-js jit(np.matmul(a.transpose(), b))';
      agree(impl, jrun(), refT, magT, 1e-5);
      const done = await jx.mark();
      rows.push(measure(group, impl, () => void jrun(), flop, opts));
      await done(impl);
      ja.dispose();
      jb.dispose();
    }

    // ---- float64: ours vs plain-JS loops ----------------------------------------------------
    {
      const group = `f64 A·B n=${n}`;
      const c = new Float64Array(n * n);
      matmul(a64, 0, b64, 0, c, 0, n, n, n, false, false);
      const ref64 = new Float64Array(n * n);
      matmulTiled(a64, 0, b64, 0, ref64, 0, n, n, n, false, false);
      const mag64 = new Float64Array(n * n);
      matmulTiled(a64.map(Math.abs), 0, b64.map(Math.abs), 0, mag64, 0, n, n, n, false, false);
      agree('memograd f64', c, ref64, mag64, 1e-12);
      ours(group, 'memograd matmul (wasm f64x2)', () => matmul(a64, 0, b64, 0, c, 0, n, n, n, false, false), flop);
      const t = new Float64Array(n * n);
      rows.push(measure(group, 'plain JS, 4x4 register tile', () => matmulTiled(a64, 0, b64, 0, t, 0, n, n, n, false, false), flop, opts));
      if (n <= (opts.quick ? 256 : 512)) {
        const t2 = new Float64Array(n * n);
        naive(a64, b64, t2, n);
        agree('naive f64', t2, ref64, mag64, 1e-12);
        rows.push(measure(group, 'plain JS, naive i-j-k', () => naive(a64, b64, t2, n), flop, opts));
      }
    }
  }
  jaxMm.dispose();
  jaxMmT.dispose();
  return rows;
}

runIfMain(import.meta.url, 'matmul', matmulSuite);
