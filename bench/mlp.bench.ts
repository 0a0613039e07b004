// MLP suite: training throughput (samples/s) of the MLP 784-128-10 (ReLU, softmax cross-entropy,
// SGD lr 0.1) on random data, batch 32 and 128: memograd (nn + optim, and raw tensors with
// linear/logSoftmax) vs tfjs 4.22 variableGrads loops (cpu, wasm 1 thread), tfjs-layers model.fit
// (wasm), the hand-written backward on tfjs-wasm ops with explicit transposes (the reference's
// "diagnostic" row), jax-js 0.1.25 valueAndGrad + manual SGD (wasm device, 1 thread; the whole
// step under jit, and op by op) and hand-written plain JS.
//
//   pnpm --filter @memograd/bench run bench:mlp [--quick] [--batches=32,128]
//
// Before timing, every implementation runs the first VERIFY_STEPS SGD steps from the same initial
// weights on the same batches; their mean losses must agree with plain JS to 1e-4 (relative).
// The "ops/s" column of this suite is samples/s; GFLOP/s counts the dense layers only.
import {
  FLOP_PER_SAMPLE,
  HID,
  IN,
  initWeights,
  jaxTrainer,
  LR,
  makeData,
  memogradNn,
  memogradRaw,
  N_DATA,
  OUT,
  plainJs,
  tfTrainer,
  type Data,
  type Trainer,
  type Weights,
} from './mlp-impls.ts';
import { loadJax, loadTf, measure, numList, runIfMain, type BenchOptions, type Row, type Tf } from './harness.ts';

const VERIFY_STEPS = 20;

function meanLoss(t: Trainer, steps: number): number {
  let s = 0;
  for (let k = 0; k < steps; k++) s += t.step();
  return s / steps;
}

function check(name: string, got: number, ref: number): void {
  const rel = Math.abs(got - ref) / Math.abs(ref);
  process.stderr.write(`  verify ${name.padEnd(44)} mean loss ${got.toFixed(6)} (rel. diff ${rel.toExponential(1)})\n`);
  if (!(rel <= 1e-4)) throw new Error(`mlp: ${name} mean loss ${got} differs from plain JS ${ref}`);
}

/** tfjs-layers model.fit on the current backend, with the initial weights of `w` */
async function layersFit(tf: Tf, B: number, w: Weights, d: Data) {
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [IN], units: HID, activation: 'relu' }),
      tfl.layers.dense({ units: OUT, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(LR), loss: 'categoricalCrossentropy' });
  model.layers[0]!.setWeights([tf.tensor2d(w.W1, [IN, HID]), tf.tensor1d(w.b1)]);
  model.layers[1]!.setWeights([tf.tensor2d(w.W2, [HID, OUT]), tf.tensor1d(w.b2)]);
  /** fit over the first `steps` batches; returns the epoch's mean loss */
  const fit = async (steps: number) => {
    const n = steps * B;
    const xs = tf.tensor2d(d.X.subarray(0, n * IN), [n, IN]);
    const ys = tf.tensor2d(d.Y.subarray(0, n * OUT), [n, OUT]);
    const h = await model.fit(xs, ys, { batchSize: B, epochs: 1, shuffle: false, verbose: 0 });
    xs.dispose();
    ys.dispose();
    return h.history.loss![0] as number;
  };
  return { fit, dispose: () => model.dispose() };
}

/** time an async call: median-based row (Benchmark.js cannot time async calls synchronously) */
async function measureAsync(group: string, impl: string, fn: () => Promise<void>, perCall: number, flop: number, opts: BenchOptions): Promise<Row> {
  await fn(); // warm-up
  const times: number[] = [];
  const budget = opts.quick ? 600 : 4000;
  const t0 = performance.now();
  while (times.length < (opts.quick ? 2 : 5) || (performance.now() - t0 < budget && times.length < 30)) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const med = times[times.length >> 1]!;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const sd = Math.sqrt(times.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, times.length - 1));
  const row: Row = {
    group,
    impl,
    hz: perCall / (med / 1000),
    rme: (100 * 1.96 * sd) / Math.sqrt(times.length) / mean,
    samples: times.length,
    flop,
    note: 'median of whole fit() calls',
  };
  process.stderr.write(`  ${group.padEnd(24)} ${impl.padEnd(30)} ${row.hz.toFixed(0)} samples/s\n`);
  return row;
}

export default async function mlpSuite(opts: BenchOptions): Promise<Row[]> {
  const batches = numList(opts, 'batches', [32, 128]);
  const tf = await loadTf();
  const jx = await loadJax();
  const d = makeData();
  const rows: Row[] = [];
  const verifySteps = opts.quick ? 5 : VERIFY_STEPS;
  for (const B of batches) {
    if (B * verifySteps > N_DATA) throw new Error('mlp: batch too large for the verification');
    const group = `MLP train B=${B}`;
    const w = initWeights();
    const ref = meanLoss(plainJs(B, w, d), verifySteps);
    process.stderr.write(`  ${group}: plain JS mean loss of the first ${verifySteps} steps ${ref.toFixed(6)}\n`);
    /** verify then time one step-function implementation; the row's ops/s is samples/s */
    const time = (impl: string, t: Trainer, ours = false) => {
      check(`${impl} B=${B}`, meanLoss(t, verifySteps), ref);
      const r = measure(group, impl, () => t.step(), FLOP_PER_SAMPLE * B, opts, ours);
      r.hz *= B;
      r.flop = FLOP_PER_SAMPLE;
      rows.push(r);
      t.dispose();
    };
    time('memograd nn.Linear + crossEntropy + optim.SGD', memogradNn(B, w, d), true);
    time('memograd raw tensors, linear() + logSoftmax', memogradRaw(B, w, d));
    rows[rows.length - 1]!.note = 'ours too';
    for (const backend of ['cpu', 'wasm'] as const) {
      if (backend === 'cpu' && opts.quick && B > 32) continue;
      await tf.setBackend(backend);
      time(`tfjs-${backend} variableGrads loop`, tfTrainer(tf, 'autograd', B, w, d));
    }
    await tf.setBackend('wasm');
    try {
      const m = await layersFit(tf, B, w, d);
      check(`tfjs-layers model.fit wasm B=${B}`, await m.fit(verifySteps), ref);
      const steps = opts.quick ? 8 : Math.floor(N_DATA / B);
      rows.push(await measureAsync(group, 'tfjs-layers model.fit, wasm', () => m.fit(steps).then(() => {}), steps * B, FLOP_PER_SAMPLE, opts));
      m.dispose();
    } catch (e) {
      process.stderr.write(`  tfjs-layers model.fit skipped: ${String(e)}\n`);
    }
    time('tfjs-wasm hand-written backward, explicit transposes', tfTrainer(tf, 'manual', B, w, d));
    for (const jit of [true, false]) {
      const impl = jit ? 'jax-js 0.1.25 jit(valueAndGrad + SGD step)' : 'jax-js 0.1.25 valueAndGrad + SGD, op by op';
      const done = await jx.mark();
      time(impl, jaxTrainer(jx.jax, B, w, d, { jit }));
      await done(`${impl} B=${B}`);
    }
    time('plain JS hand-written (Float32Array, i-k-j)', plainJs(B, w, d));
  }
  return rows;
}

runIfMain(import.meta.url, 'mlp', mlpSuite);
