// Quick timing of conv2d forward and forward + backward (not a test), float32, padding 1:
//   x [32, 64, 32, 32], w [64, 64, 3, 3] (the reference case), and the MNIST convnet's two layers
//   x [64, 1, 28, 28], w [32, 1, 3, 3] and x [64, 32, 14, 14], w [64, 32, 3, 3].
// conv2d runs conv2dCore and its adjoints (kernels/conv-gemm.ts). Each line is the minimum and the median
// of `reps` runs after a warm-up; on a shared machine, compare numbers taken in one session only.
// Run: node --import tsx packages/autograd/scripts/bench-conv.ts [reps]
import { conv2d, grad, noGrad, randn, sum } from '../src/index.ts';
import { sortedTimes } from './timing.ts';

const reps = Number(process.argv[2] ?? 5);
// the minimum is the least disturbed run (other processes only ever add time); the median for scale
const time = (label: string, f: () => void): void => {
  const ts = sortedTimes(f, reps, 1); // one warm-up (wasm instantiation, threads)
  console.log(`${label}: min ${ts[0]!.toFixed(1)} ms, median ${ts[reps >> 1]!.toFixed(1)} ms`);
};
const cases: [string, number[], number[]][] = [
  ['x [32,64,32,32] w [64,64,3,3]', [32, 64, 32, 32], [64, 64, 3, 3]],
  ['MNIST conv1 x [64,1,28,28] w [32,1,3,3]', [64, 1, 28, 28], [32, 1, 3, 3]],
  ['MNIST conv2 x [64,32,14,14] w [64,32,3,3]', [64, 32, 14, 14], [64, 32, 3, 3]],
];
for (const [label, xs, ws] of cases) {
  const x = randn(xs, { requiresGrad: true });
  const w = randn(ws, { requiresGrad: true });
  const b = randn([ws[0]!], { requiresGrad: true });
  time(`${label} forward`, () => noGrad(() => conv2d(x, w, b, { padding: 1 })));
  time(`${label} forward + backward (x, w, b)`, () => {
    const y = conv2d(x, w, b, { padding: 1 });
    grad(sum(y), [x, w, b]);
  });
}
