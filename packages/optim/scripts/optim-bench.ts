// Times one optimizer step over MNIST-MLP-sized parameters (784x128, 128, 128x10, 10: 101,770
// values): the reference loops (the fast path switched off) against the fast path, in alternating
// rounds of the same process on the same optimizer, medians (the machine may be loaded).
//
//   node --conditions=source --import tsx packages/optim/scripts/optim-bench.ts [f32|f64] [filter]
import { setOptimWasmMin } from '../src/kernels/update.ts';
import { Adam, AdamW, SGD, RMSprop, Adagrad, type Optimizer, type ParamLike } from '../src/index.ts';

const dtype = process.argv[2] === 'f64' ? 'f64' : 'f32';
const filter = process.argv[3] ?? '';
const shapes = [[784, 128], [128], [128, 10], [10]];

function makeParams(): ParamLike[] {
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
  return shapes.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const A = dtype === 'f32' ? Float32Array : Float64Array;
    const data = new A(n).map(() => rnd() * 0.1);
    const g = new A(n).map(() => rnd() * 0.01);
    return { data, shape, grad: { data: g } };
  });
}

const cases: Array<[string, (ps: ParamLike[]) => Optimizer<any, any>]> = [
  ['SGD', (ps) => new SGD(ps, { lr: 0.01 })],
  ['SGD wd', (ps) => new SGD(ps, { lr: 0.01, weightDecay: 1e-4 })],
  ['SGD momentum', (ps) => new SGD(ps, { lr: 0.01, momentum: 0.9 })],
  ['SGD nesterov wd', (ps) => new SGD(ps, { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4 })],
  ['Adam', (ps) => new Adam(ps)],
  ['Adam amsgrad wd', (ps) => new Adam(ps, { amsgrad: true, weightDecay: 1e-4 })],
  ['AdamW', (ps) => new AdamW(ps)],
  ['RMSprop', (ps) => new RMSprop(ps)],
  ['Adagrad', (ps) => new Adagrad(ps)],
];

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1]!;
}

function timeRound(opt: Optimizer<any, any>): number {
  const reps = 40;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) opt.step();
  return ((performance.now() - t0) / reps) * 1000;
}

const fmt = (us: number) => us.toFixed(0).padStart(6);
console.log(`${dtype} µs/step (median of 15 rounds)   reference   fast   speed-up`);
for (const [name, make] of cases) {
  if (!name.includes(filter)) continue;
  const opt = make(makeParams());
  const ref: number[] = [];
  const fast: number[] = [];
  for (let r = 0; r < 16; r++) {
    // round 0 of each path warms it up (and is past the first, special momentum step)
    setOptimWasmMin(Infinity);
    const a = timeRound(opt);
    setOptimWasmMin(64);
    const b = timeRound(opt);
    if (r > 0) {
      ref.push(a);
      fast.push(b);
    }
  }
  const [mr, mf] = [median(ref), median(fast)];
  console.log(`${dtype} ${name.padEnd(30)} ${fmt(mr)} ${fmt(mf)}   ${(mr / mf).toFixed(2)}x`);
}
