// Times a whole training step of the MNIST MLP 784-128-10 (ReLU, softmax cross-entropy, float32,
// random data) with Adam (batch 64) and SGD (batch 32), with the optimizer's fast path off and on,
// in alternating rounds of one process; medians.
//
//   node --conditions=source --import tsx packages/optim/scripts/mlp-step-bench.ts
import { tensor, type Tensor } from '@memograd/autograd';
import { crossEntropy, Linear, ReLU, Sequential } from '@memograd/nn';
import { Adam, SGD, type Optimizer } from '../src/index.ts';
import { setOptimWasmMin } from '../src/kernels/update.ts';

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1]!;
}

function trainer(B: number, makeOpt: (m: Sequential) => Optimizer<any, any>): () => void {
  const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
  const opt = makeOpt(model);
  const x: Tensor = tensor(Float32Array.from({ length: B * 784 }, (_, i) => Math.sin(i) * 0.5), { shape: [B, 784] });
  const y = Int32Array.from({ length: B }, (_, i) => i % 10);
  return () => {
    opt.zeroGrad();
    crossEntropy(model.call(x), y).backward();
    opt.step();
  };
}

for (const [name, B, make] of [
  ['Adam, batch 64', 64, (m: Sequential) => new Adam(m.parameters())],
  ['SGD, batch 32', 32, (m: Sequential) => new SGD(m.parameters(), { lr: 0.1 })],
] as const) {
  const step = trainer(B, make);
  const ref: number[] = [];
  const fast: number[] = [];
  for (let r = 0; r < 16; r++) {
    for (const [min, out] of [[Infinity, ref], [64, fast]] as const) {
      setOptimWasmMin(min);
      const t0 = performance.now();
      for (let i = 0; i < 30; i++) step();
      if (r > 0) out.push((performance.now() - t0) / 30);
    }
  }
  console.log(`${name}: ${median(ref).toFixed(3)} ms/step with the reference loops, ${median(fast).toFixed(3)} with the fast path`);
}
