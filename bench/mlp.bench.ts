// MLP suite: training throughput (samples/s) of the MLP 784-128-10 (ReLU, softmax cross-entropy,
// SGD lr 0.1) on random data, batch 32 and 128: memograd (nn + optim, and raw tensors with
// linear/logSoftmax) vs tfjs 4.22 variableGrads loops (cpu, wasm 1 thread), tfjs-layers model.fit
// (wasm), the hand-written backward on tfjs-wasm ops with explicit transposes (the reference's
// "diagnostic" row), jax-js 0.1.25 valueAndGrad + manual SGD (wasm device, 1 thread; the whole
// step under jit, and op by op), hand-written plain JS, and PyTorch (nn.Linear + CrossEntropyLoss +
// optim.SGD in a subprocess, see torch-peer.ts; skipped with a note when torch is missing).
// memograd's nn row and PyTorch run at 1 thread and at memograd's thread count (both pinned).
//
//   pnpm --filter @memograd/bench run bench:mlp [--quick] [--batches=32,128] [--adam=64]
//
// The Adam group (`--adam`, batch 64 by default; `--adam=` skips it) is the MNIST-epoch
// workload: the same network with optim.Adam lr 1e-3, memograd against PyTorch's torch.optim.Adam
// (no JS peer runs it); samples/s converts to seconds per 60,000-sample epoch (in the note).
//
// Before timing, every implementation runs the first VERIFY_STEPS SGD steps from the same initial
// weights on the same batches; their mean losses must agree with plain JS to 1e-4 (relative).
// The "ops/s" column of this suite is samples/s; GFLOP/s counts the dense layers only.
import {
  ADAM_LR,
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
import {
  loadJax,
  loadTf,
  measure,
  measureAsync,
  numList,
  runIfMain,
  threadCounts,
  useMemogradThreads,
  type BenchOptions,
  type Row,
  type Tf,
} from './harness.ts';
import { runTorch, torchCase, torchLabel, torchOrNote, torchRow, type TorchResult } from './torch-peer.ts';

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

export default async function mlpSuite(opts: BenchOptions): Promise<Row[]> {
  const batches = numList(opts, 'batches', [32, 128]);
  const adamBatches = numList(opts, 'adam', [64]).filter((b) => b > 0);
  const tf = await loadTf();
  const jx = await loadJax();
  const d = makeData();
  const rows: Row[] = [];
  const verifySteps = opts.quick ? 5 : VERIFY_STEPS;
  const threads = threadCounts();
  // PyTorch: one subprocess per thread count, every batch size, on this process' data and weights
  const torch = new Map<number, TorchResult>();
  if (torchOrNote('mlp')) {
    const w = initWeights();
    const inputs = {
      X: { data: d.X, shape: [N_DATA, IN] },
      labels: { data: Float32Array.from(d.labels), shape: [N_DATA] },
      W1: { data: w.W1, shape: [IN, HID] },
      b1: { data: w.b1, shape: [HID] },
      W2: { data: w.W2, shape: [HID, OUT] },
      b2: { data: w.b2, shape: [OUT] },
    };
    for (const t of threads) torch.set(t, runTorch('mlp', inputs, { batches, adamBatches, verifySteps, lr: LR, adamLr: ADAM_LR }, t, opts));
  }
  for (const B of batches) {
    if (B * verifySteps > N_DATA) throw new Error('mlp: batch too large for the verification');
    const group = `MLP train B=${B}`;
    const w = initWeights();
    const ref = meanLoss(plainJs(B, w, d), verifySteps);
    process.stderr.write(`  ${group}: plain JS mean loss of the first ${verifySteps} steps ${ref.toFixed(6)}\n`);
    /** verify then time one step-function implementation; the row's ops/s is samples/s */
    const time = (impl: string, t: Trainer, ours = false, nThreads = 1) => {
      check(`${impl} B=${B}`, meanLoss(t, verifySteps), ref);
      const r = measure(group, impl, () => t.step(), FLOP_PER_SAMPLE * B, opts, ours, nThreads);
      r.hz *= B;
      r.flop = FLOP_PER_SAMPLE;
      rows.push(r);
      t.dispose();
    };
    for (const t of threads) {
      useMemogradThreads(t);
      time(`memograd nn.Linear + crossEntropy + optim.SGD, ${t} thread${t > 1 ? 's' : ''}`, memogradNn(B, w, d), true, t);
    }
    useMemogradThreads(1);
    time('memograd raw tensors, linear() + logSoftmax, 1 thread', memogradRaw(B, w, d));
    rows[rows.length - 1]!.note = 'ours too';
    useMemogradThreads(threads[threads.length - 1]!); // back to the default for what follows
    for (const [t, res] of torch) {
      const c = torchCase(res, `B=${B}`);
      check(`PyTorch ${t}T B=${B}`, c.meanLoss as number, ref);
      rows.push(torchRow(group, torchLabel(res, 'nn.Linear + CrossEntropyLoss + optim.SGD'), c, t, FLOP_PER_SAMPLE, B));
    }
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
      rows.push(
        await measureAsync(group, 'tfjs-layers model.fit, wasm', () => m.fit(steps).then(() => {}), steps * B, FLOP_PER_SAMPLE, opts, 'median of whole fit() calls'),
      );
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
  for (const B of adamBatches) rows.push(...adamGroup(B, d, threads, torch, verifySteps, opts));
  return rows;
}

/**
 * The MNIST-epoch workload: memograd nn + optim.Adam at each thread count against PyTorch's Adam
 * (no plain-JS reference: the first steps' mean losses of memograd and PyTorch must agree to 1e-4).
 */
function adamGroup(B: number, d: Data, threads: readonly number[], torch: Map<number, TorchResult>, verifySteps: number, opts: BenchOptions): Row[] {
  const rows: Row[] = [];
  const group = `MLP train Adam B=${B}`;
  const w = initWeights();
  const epoch = (r: Row) => {
    r.note = `${(60000 / r.hz).toFixed(2)} s per 60k-sample epoch`;
    rows.push(r);
  };
  const ref = meanLoss(memogradNn(B, w, d, true), verifySteps);
  process.stderr.write(`  ${group}: memograd mean loss of the first ${verifySteps} steps ${ref.toFixed(6)}\n`);
  for (const [t, res] of torch) {
    const c = torchCase(res, `Adam B=${B}`);
    check(`PyTorch ${t}T Adam B=${B}`, c.meanLoss as number, ref);
  }
  for (const t of threads) {
    useMemogradThreads(t);
    const tr = memogradNn(B, w, d, true);
    const r = measure(group, `memograd nn.Linear + crossEntropy + optim.Adam, ${t} thread${t > 1 ? 's' : ''}`, () => tr.step(), FLOP_PER_SAMPLE * B, opts, true, t);
    r.hz *= B;
    r.flop = FLOP_PER_SAMPLE;
    epoch(r);
  }
  for (const [t, res] of torch) epoch(torchRow(group, torchLabel(res, 'nn.Linear + CrossEntropyLoss + optim.Adam'), torchCase(res, `Adam B=${B}`), t, FLOP_PER_SAMPLE, B));
  useMemogradThreads(threads[threads.length - 1]!);
  return rows;
}

runIfMain(import.meta.url, 'mlp', mlpSuite);
