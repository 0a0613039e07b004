// Where does the wasm path start to beat the tiled JS kernel? Prints ns per call for both on
// small shapes; WASM_MIN_WORK in packages/autograd/src/kernels/matmul.ts is set from this.
//   node --conditions=source --import tsx bench/matmul-crossover.ts
import {
  matmulThreads,
  matmulTiled,
  matmulWasm,
  setMatmulThreadsMinWork,
  THREADS_MIN_WORK,
} from '../packages/autograd/src/kernels/matmul.ts';
import { randomArray } from './harness.ts';

function time(fn: () => void): number {
  let iters = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fn();
    const dt = performance.now() - t0;
    if (dt > 20) break;
    iters *= 2;
  }
  let best = Infinity;
  for (let s = 0; s < 5; s++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fn();
    best = Math.min(best, (performance.now() - t0) / iters);
  }
  return best * 1e6;
}

const shapes: [number, number, number][] = [];
for (const s of [2, 4, 6, 8, 12, 16, 20, 24, 32, 48, 64]) shapes.push([s, s, s]);
shapes.push([1, 64, 64], [64, 64, 1], [1, 256, 256], [4, 32, 4], [32, 4, 32], [128, 8, 128], [8, 128, 8]);
console.log('| m x k x n | work m*k*n | dtype | tiled JS ns | wasm ns | wasm speedup |');
console.log('|---|---|---|---|---|---|');
for (const Arr of [Float32Array, Float64Array]) {
  for (const [m, k, n] of shapes) {
    const a = randomArray(Arr, m * k, 1);
    const b = randomArray(Arr, k * n, 2);
    const c = new Arr(m * n);
    const tj = time(() => matmulTiled(a, 0, b, 0, c, 0, m, k, n, false, false));
    const tw = time(() => matmulWasm(a, 0, b, 0, c, 0, m, k, n, false, false));
    console.log(`| ${m}x${k}x${n} | ${m * k * n} | ${Arr === Float32Array ? 'f32' : 'f64'} | ${tj.toFixed(0)} | ${tw.toFixed(0)} | ${(tj / tw).toFixed(2)} |`);
  }
}

// helper threads: from which size does splitting the rows pay?
const threads = matmulThreads(10_000);
if (threads > 1) {
  console.log(`\n| m x k x n | work | dtype | 1 thread µs | ${threads} threads µs | speedup |`);
  console.log('|---|---|---|---|---|---|');
  for (const Arr of [Float32Array, Float64Array]) {
    for (const s of [32, 48, 64, 80, 96, 128, 192, 256]) {
      const a = randomArray(Arr, s * s, 1);
      const b = randomArray(Arr, s * s, 2);
      const c = new Arr(s * s);
      setMatmulThreadsMinWork(Infinity);
      const t1 = time(() => matmulWasm(a, 0, b, 0, c, 0, s, s, s, false, false));
      setMatmulThreadsMinWork(0);
      const t2 = time(() => matmulWasm(a, 0, b, 0, c, 0, s, s, s, false, false));
      setMatmulThreadsMinWork(THREADS_MIN_WORK);
      console.log(`| ${s}x${s}x${s} | ${s ** 3} | ${Arr === Float32Array ? 'f32' : 'f64'} | ${(t1 / 1000).toFixed(1)} | ${(t2 / 1000).toFixed(1)} | ${(t1 / t2).toFixed(2)} |`);
    }
  }
}
