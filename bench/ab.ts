// A/B helper for refactors that must not slow the hot paths: times only memograd's rows of the
// scalar suite (the 100,002-op 0-d graph, forward + backward) and of the MLP suite (nn + optim
// training step, B = 32 and 128), several samples each, and prints one JSON line. Run it
// alternately in two checkouts and compare medians (see README.md, "Comparing two commits").
//
//   node --expose-gc --conditions=source --import tsx ab.ts [--rounds=5]
import { scalar, type Tensor } from '@memograd/autograd';
import { initWeights, makeData, memogradNn } from './mlp-impls.ts';

const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 5);

function chain(w: Tensor, x: Tensor, blocks: number): Tensor {
  for (let i = 0; i < blocks; i++) {
    const a = x.mul(w), b = a.add(0.5), c = b.tanh(), d = c.mul(0.5), e = x.mul(0.5);
    x = d.add(e);
  }
  return x;
}

/** Median ns per call of fn over `rounds` samples of at least `minMs` each (after a warm-up). */
function time(fn: () => void, minMs: number): number {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < minMs) {
      fn();
      n++;
      t = performance.now();
    }
    samples.push(((t - t0) * 1e6) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}

const blocks = 16_667;
const scalarNs = time(() => {
  const w = scalar(1.0001);
  const y = chain(w, scalar(0.1, { requiresGrad: false }), blocks);
  y.backward();
  if (!(Math.abs(w.grad!.item() - 0.2535074) < 1e-6)) throw new Error(`scalar: wrong gradient ${w.grad!.item()}`);
}, 400) / (blocks * 6);

const d = makeData();
const mlp: Record<string, number> = {};
for (const B of [32, 128]) {
  const t = memogradNn(B, initWeights(), d);
  mlp[`mlpB${B}_us_per_step`] = time(() => t.step(), 400) / 1e3;
  t.dispose();
}
console.log(JSON.stringify({ scalar_ns_per_op: scalarNs, ...mlp }));
