// Times the MLP 784-128-10 training step (ReLU, softmax cross-entropy, float32, nn + optim) of issue
// 14: SGD at batch 32 and 128 and Adam at batch 64, the median ms/step of `rounds` rounds of `steps`
// steps each (after a warm-up). The PyTorch side of the same steps is scripts/profile-mlp-step.py;
// on a shared machine alternate the two in one session. Profile one case with node --cpu-prof:
//
//   MEMOGRAD_MATMUL_THREADS=1 node --conditions=source --import tsx packages/autograd/scripts/profile-mlp-step.ts [rounds] [case]
//   (case: sgd32, sgd128 or adam64; all three when omitted)
// With `serve` as the case it reads case names from stdin and answers each with the ms/step of one
// ~30 ms round of it (warmed up when first named): a driver alternates it with the .py's serve mode,
// so both see the same load (the machine is shared).
import { tensor, type Tensor } from '../src/index.ts';
import { crossEntropy, Linear, ReLU, Sequential } from '../../nn/src/index.ts';
import { Adam, SGD, type Optimizer } from '../../optim/src/index.ts';
import { matmulThreads } from '../src/kernels/matmul.ts';

const rounds = Number(process.argv[2] ?? 15);
const only = process.argv[3];

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1]!;
}

function trainer(B: number, makeOpt: (m: Sequential) => Optimizer<any, any>): () => void {
  const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
  const opt = makeOpt(model);
  const x: Tensor = tensor(Float32Array.from({ length: B * 784 }, (_, i) => Math.sin(i) * 0.5 + 0.5), { shape: [B, 784] });
  const y = Int32Array.from({ length: B }, (_, i) => (i * 7) % 10);
  return () => {
    opt.zeroGrad();
    crossEntropy(model.call(x), y).backward();
    opt.step();
  };
}

const cases = [
  ['sgd32', 32, (m: Sequential) => new SGD(m.parameters(), { lr: 0.1 })],
  ['sgd128', 128, (m: Sequential) => new SGD(m.parameters(), { lr: 0.1 })],
  ['adam64', 64, (m: Sequential) => new Adam(m.parameters())],
] as const;
matmulThreads(2000); // helpers ready before timing
if (only === 'serve') {
  const steps = new Map<string, { step: () => void; per: number }>();
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin })) {
    const c = cases.find(([name]) => name === line.trim());
    if (c === undefined) break;
    let s = steps.get(c[0]);
    if (s === undefined) {
      const step = trainer(c[1], c[2]);
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) step();
      s = { step, per: Math.max(3, Math.round(30 / ((performance.now() - t0) / 20))) };
      steps.set(c[0], s);
    }
    const t1 = performance.now();
    for (let i = 0; i < s.per; i++) s.step();
    console.log(((performance.now() - t1) / s.per).toFixed(4));
  }
  process.exit(0);
}
const res: string[] = [];
for (const [name, B, make] of cases) {
  if (only !== undefined && only !== name) continue;
  const step = trainer(B, make);
  // about 100 ms per round
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) step();
  const per = Math.max(5, Math.round(100 / ((performance.now() - t0) / 20)));
  const ts: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t1 = performance.now();
    for (let i = 0; i < per; i++) step();
    ts.push((performance.now() - t1) / per);
  }
  res.push(`${name} ${median(ts).toFixed(3)} (min ${Math.min(...ts).toFixed(3)})`);
}
console.log(`memograd threads=${matmulThreads()}: ${res.join('  ')} (ms/step, median (min) of ${rounds} rounds)`);
