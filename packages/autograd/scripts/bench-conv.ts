// Quick timing of conv2d forward + backward (not a test): x [32, 64, 32, 32], w [64, 64, 3, 3],
// padding 1, float32; and for scale, its two parts alone: im2col and the batched matmul.
// On a machine where first touching fresh memory is slow, most of unfold's time is page faults.
// Run: node --import tsx packages/autograd/scripts/bench-conv.ts
import { conv2d, grad, matmul, noGrad, randn, sum, unfold } from '../src/index.ts';

const x = randn([32, 64, 32, 32], { requiresGrad: true });
const w = randn([64, 64, 3, 3], { requiresGrad: true });
const b = randn([64], { requiresGrad: true });
const time = (label: string, f: () => void, reps = 3): void => {
  f(); // warm up (wasm instantiation, threads)
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  console.log(`${label}: ${((performance.now() - t0) / reps).toFixed(0)} ms`);
};
time('conv2d forward', () => noGrad(() => conv2d(x, w, b, { padding: 1 })));
time('conv2d forward + backward (x, w, b)', () => {
  const y = conv2d(x, w, b, { padding: 1 });
  grad(sum(y), [x, w, b]);
});
time('unfold (im2col) alone: a fresh 75 MB column buffer', () => noGrad(() => unfold(x, 3, { padding: 1 })));
// the GEMM inside: [64, 576] x [32, 576, 1024]
const a = randn([64, 576]);
const cols = randn([32, 576, 1024]);
time('matmul [64,576] x [32,576,1024] (forward GEMM alone)', () => noGrad(() => matmul(a, cols)));
