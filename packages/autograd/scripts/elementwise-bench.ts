// Quick timing of elementwise ops and reductions on large tensors (not a test).
// node --conditions=source --import tsx packages/autograd/scripts/elementwise-bench.ts
import { Tensor } from '../src/tensor.ts';
import * as ag from '../src/index.ts';
import { sortedTimes } from './timing.ts';

function rand(n: number, dtype: 'float32' | 'float64'): Tensor {
  const d = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = Math.random() * 4 - 2;
  return new Tensor(d, [1000, n / 1000], dtype);
}

function time(label: string, f: () => unknown, reps = 15): void {
  const ts = sortedTimes(f, reps, 3);
  console.log(`${label.padEnd(34)} median ${ts[reps >> 1]!.toFixed(2)} ms  min ${ts[0]!.toFixed(2)} ms`);
}

const only = process.argv[2];
for (const dtype of ['float32', 'float64'] as const) {
  if (only && only !== dtype) continue;
  const n = 1_000_000;
  const a = rand(n, dtype), b = rand(n, dtype), c = rand(n, dtype);
  const g = ag as any;
  time(`${dtype} sigmoid(a*b+c)`, () => g.sigmoid(g.add(g.mul(a, b), c)));
  time(`${dtype} a*b+c`, () => g.add(g.mul(a, b), c));
  time(`${dtype} a*b`, () => g.mul(a, b));
  const col = g.sum(b, { axis: -1, keepDims: true });
  time(`${dtype} a - col [1000,1]`, () => g.sub(a, col));
  for (const op of ['exp', 'log', 'sqrt', 'neg', 'abs', 'square', 'relu', 'sigmoid', 'tanh']) time(`${dtype} ${op}`, () => g[op](a));
  time(`${dtype} gt(a, 0)`, () => g.gt(a, 0));
  time(`${dtype} sum all`, () => g.sum(a));
  time(`${dtype} max all`, () => g.max(a));
  time(`${dtype} sum axis -1`, () => g.sum(a, { axis: -1 }));
  time(`${dtype} max axis -1`, () => g.max(a, { axis: -1 }));
  time(`${dtype} sum axis 0`, () => g.sum(a, { axis: 0 }));
  time(`${dtype} max axis 0`, () => g.max(a, { axis: 0 }));
  time(`${dtype} softmax`, () => g.softmax(a));
  time(`${dtype} logSoftmax`, () => g.logSoftmax(a));
  time(`${dtype} logSumExp -1`, () => g.logSumExp(a, { axis: -1 }));
}
