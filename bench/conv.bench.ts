// Conv suite: float32 conv2d (3x3, stride 1, padding 1, with bias) forward, and forward + backward
// (gradients wrt input, weight and bias for a given upstream gradient), on the MNIST convnet's two
// layer shapes and on a 64-channel 32x32 layer; then the convnet's whole training step (Adam, batch 64).
//
//   pnpm --filter @memograd/bench run bench:conv [--quick] [--cases=mnist1,mnist2,c64,train] [--cpu-train]
//
// Peers on the same inputs: tfjs 4.22 on the wasm backend (`tf.fused.conv2d` with bias, NHWC; the
// gradient by `tf.grads`; wasm 4.22 has no Conv2DBackpropFilter, so the weight gradient runs on the
// stand-in of tfjs-conv-filter.ts, built from wasm's own Conv2D and Transpose kernels, and the rows
// say so), tfjs-cpu (which has every kernel; MNIST shapes only, and not with --quick: ~1 GFLOP/s),
// and PyTorch CPU (`F.conv2d`, `torch.autograd.grad`, subprocess: torch-peer.ts); the training step
// on tfjs-layers cpu only with --cpu-train. memograd and
// PyTorch run at 1 thread and at memograd's thread count. tfjs inputs are transposed to NHWC once,
// outside the timing, and its outputs transposed back for the check. Every timed call ends with the
// results readable from JS (tfjs: dataSync of each; memograd: its tensors hold Float32Arrays).
//
// Verification before timing: every implementation's output and gradients against a float64
// reference (memograd's conv2d on float64 copies of the float32 inputs; any independent peer that
// agrees with it confirms it), |got − ref| ≤ 1e-4 · mag, mag being the same computation on absolute
// values (reductions of up to 32,768 float32 terms for the weight gradient). The training step:
// each peer's losses over the first steps with dropout off (eval mode / rate 0) against memograd's.
import { conv2d, grad, tensor, type Tensor } from '@memograd/autograd';
import {
  CNN_BATCH,
  CNN_FLOP_PER_SAMPLE,
  CNN_LR,
  convnetInit,
  makeImages,
  memogradConvnet,
  tfLayersConvnet,
  type AsyncTrainer,
  type Images,
  type Param,
} from './convnet-impls.ts';
import {
  agree,
  loadTf,
  measure,
  measureAsync,
  randomArray,
  runIfMain,
  threadCounts,
  useMemogradThreads,
  type BenchOptions,
  type Row,
  type Tf,
} from './harness.ts';
import { hwioToOihw, nchwToNhwc, nhwcToNchw, oihwToHwio } from './layout.ts';
import type { Trainer } from './mlp-impls.ts';
import { FILTER_GRAD_NOTE, registerWasmFilterGrad, wasmLacksFilterGrad } from './tfjs-conv-filter.ts';
import { runTorch, torchCase, torchLabel, torchOrNote, torchOutput, torchRow, type NamedArray, type TorchResult } from './torch-peer.ts';

const TOL = 1e-4;

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  pad: number;
  /** also time tfjs-cpu (too slow for the large case) */
  cpu: boolean;
}

/** --quick divides the batch by 8 */
function convCases(quick: boolean): ConvCase[] {
  const n = (b: number) => (quick ? b / 8 : b);
  return [
    { name: 'mnist1', x: [n(64), 1, 28, 28], w: [32, 1, 3, 3], pad: 1, cpu: true },
    { name: 'mnist2', x: [n(64), 32, 14, 14], w: [64, 32, 3, 3], pad: 1, cpu: true },
    { name: 'c64', x: [n(32), 64, 32, 32], w: [64, 64, 3, 3], pad: 1, cpu: false },
  ];
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const shapeStr = (s: readonly number[]) => `[${s.join(',')}]`;

/** y, gx, gw, gb of one conv case (as flat arrays, NCHW / OIHW) */
interface ConvResult {
  y: ArrayLike<number>;
  gx: ArrayLike<number>;
  gw: ArrayLike<number>;
  gb: ArrayLike<number>;
}

interface ConvData {
  c: ConvCase;
  yShape: number[];
  x: Float32Array;
  w: Float32Array;
  b: Float32Array;
  gy: Float32Array;
  /** multiply-adds ×2 of the forward */
  flop: number;
}

function convData(c: ConvCase, seed: number): ConvData {
  const [n, , h, wd] = c.x;
  const [cout, cin, kh, kw] = c.w;
  const yShape = [n, cout, h + 2 * c.pad - kh + 1, wd + 2 * c.pad - kw + 1];
  // weights at the scale of a PyTorch init (uniform ±1/sqrt(fan_in)), so outputs stay O(1)
  const scale = 1 / Math.sqrt(cin * kh * kw);
  return {
    c,
    yShape,
    x: randomArray(Float32Array, size(c.x), seed),
    w: randomArray(Float32Array, size(c.w), seed + 1).map((v) => v * scale),
    b: randomArray(Float32Array, cout, seed + 2).map((v) => v * scale),
    gy: randomArray(Float32Array, size(yShape), seed + 3),
    flop: 2 * size(yShape) * cin * kh * kw,
  };
}

/** memograd's forward + backward: gradients of conv2d(x, w, b) for the upstream gradient gy */
function memogradFwdBwd(d: ConvData, x: Tensor, w: Tensor, b: Tensor, gy: Tensor): ConvResult {
  const y = conv2d(x, w, b, { padding: d.c.pad });
  const [gx, gw, gb] = grad(y, [x, w, b], { gradOutputs: [gy] });
  return { y: y.data, gx: gx!.data, gw: gw!.data, gb: gb!.data };
}

/** float64 reference and magnitudes (the same on |x|, |w|, |b|, |gy|), by memograd in float64 */
function reference(d: ConvData): { ref: ConvResult; mag: ConvResult } {
  const run = (f: (v: number) => number) => {
    const t = (a: Float32Array, shape: readonly number[], requiresGrad = true) =>
      tensor(Float64Array.from(a, f), { shape, requiresGrad });
    return memogradFwdBwd(d, t(d.x, d.c.x), t(d.w, d.c.w), t(d.b, [d.c.w[0]]), t(d.gy, d.yShape, false));
  };
  return { ref: run((v) => v), mag: run(Math.abs) };
}

function check(name: string, got: Partial<ConvResult>, r: { ref: ConvResult; mag: ConvResult }): void {
  for (const k of ['y', 'gx', 'gw', 'gb'] as const) {
    const g = got[k];
    if (g !== undefined) agree(`${name} ${k}`, g, r.ref[k], r.mag[k], TOL);
  }
}

/** tfjs on the current backend: forward and forward + backward calls, results back in NCHW/OIHW */
function tfConv(tf: Tf, d: ConvData) {
  const [cout] = d.c.w;
  const x = tf.tensor4d(nchwToNhwc(d.x, d.c.x), [d.c.x[0], d.c.x[2], d.c.x[3], d.c.x[1]]);
  const w = tf.tensor4d(oihwToHwio(d.w, d.c.w), [d.c.w[2], d.c.w[3], d.c.w[1], cout]);
  const b = tf.tensor1d(d.b);
  const [n, , ho, wo] = d.yShape as [number, number, number, number];
  const gy = tf.tensor4d(nchwToNhwc(d.gy, d.yShape), [n, ho, wo, cout]);
  const conv = (a: typeof x, f: typeof w, c: typeof b) => tf.fused.conv2d({ x: a, filter: f, bias: c, strides: 1, pad: d.c.pad });
  const fwd = () => {
    const y = conv(x, w, b);
    const out = y.dataSync();
    y.dispose();
    return out;
  };
  const fwdBwd = () => {
    const gs = tf.grads((a, f, c) => conv(a as typeof x, f as typeof w, c as typeof b))([x, w, b], gy);
    const out = gs.map((g) => g.dataSync());
    for (const g of gs) g.dispose();
    return out;
  };
  return {
    fwd,
    fwdBwd,
    /** the results of both, in memograd's layouts */
    results(): Partial<ConvResult> {
      const [gx, gw, gb] = fwdBwd() as [Float32Array, Float32Array, Float32Array];
      return { y: nhwcToNchw(fwd() as Float32Array, d.yShape), gx: nhwcToNchw(gx, d.c.x), gw: hwioToOihw(gw, d.c.w), gb };
    },
    dispose: () => tf.dispose([x, w, b, gy]),
  };
}

async function convRows(tf: Tf, cases: ConvCase[], threads: number[], opts: BenchOptions, rows: Row[]): Promise<void> {
  const data = cases.map((c, i) => convData(c, 100 + 10 * i));
  const torch: TorchResult[] = [];
  if (torchOrNote('conv')) {
    const inputs: Record<string, NamedArray> = {};
    for (const d of data) {
      inputs[`${d.c.name}.x`] = { data: d.x, shape: d.c.x };
      inputs[`${d.c.name}.w`] = { data: d.w, shape: d.c.w };
      inputs[`${d.c.name}.b`] = { data: d.b, shape: [d.c.w[0]] };
      inputs[`${d.c.name}.gy`] = { data: d.gy, shape: d.yShape };
    }
    const params = { cases: cases.map((c) => ({ name: c.name, padding: c.pad })) };
    for (const t of threads) torch.push(runTorch('conv', inputs, params, t, opts));
  }
  for (const d of data) {
    const { c } = d;
    const label = `${shapeStr(c.x)}*${shapeStr(c.w)}`;
    const gFwd = `conv2d fwd ${label}`;
    const gBwd = `conv2d fwd+bwd ${label}`;
    const r = reference(d);
    // rows of the two groups kept apart, so that each group's rows are adjacent in the table
    const fwdRows: Row[] = [];
    const bwdRows: Row[] = [];

    // memograd
    const x = tensor(d.x, { shape: c.x });
    const w = tensor(d.w, { shape: c.w });
    const b = tensor(d.b, { shape: [c.w[0]] });
    const gy = tensor(d.gy, { shape: d.yShape });
    const xl = tensor(d.x, { shape: c.x, requiresGrad: true });
    const wl = tensor(d.w, { shape: c.w, requiresGrad: true });
    const bl = tensor(d.b, { shape: [c.w[0]], requiresGrad: true });
    check('memograd', memogradFwdBwd(d, xl, wl, bl, gy), r);
    for (const t of threads) {
      useMemogradThreads(t);
      const tl = `${t} thread${t > 1 ? 's' : ''}`;
      fwdRows.push(measure(gFwd, `memograd conv2d, ${tl}`, () => void conv2d(x, w, b, { padding: c.pad }), d.flop, opts, true, t));
      bwdRows.push(measure(gBwd, `memograd conv2d + grad, ${tl}`, () => void memogradFwdBwd(d, xl, wl, bl, gy), 3 * d.flop, opts, true, t));
    }

    // tfjs wasm (with the filter-gradient stand-in) and cpu
    for (const backend of ['wasm', 'cpu'] as const) {
      if (backend === 'cpu' && (!c.cpu || opts.quick)) continue;
      await tf.setBackend(backend);
      const tc = tfConv(tf, d);
      check(`tfjs-${backend}`, tc.results(), r);
      const standIn = backend === 'wasm' ? ` (${FILTER_GRAD_NOTE})` : '';
      fwdRows.push(measure(gFwd, `tfjs-${backend} 4.22 fused.conv2d (NHWC)`, () => void tc.fwd(), d.flop, opts));
      bwdRows.push(measure(gBwd, `tfjs-${backend} 4.22 tf.grads of fused.conv2d (NHWC)${standIn}`, () => void tc.fwdBwd(), 3 * d.flop, opts));
      tc.dispose();
    }

    // PyTorch
    for (const res of torch) {
      const out = (k: string) => torchOutput(res, `${c.name}.${k}`);
      check(`PyTorch ${res.threads}T`, { y: out('y'), gx: out('gx'), gw: out('gw'), gb: out('gb') }, r);
      fwdRows.push(torchRow(gFwd, torchLabel(res, 'F.conv2d'), torchCase(res, `${c.name} fwd`), res.threads, d.flop));
      bwdRows.push(torchRow(gBwd, torchLabel(res, 'F.conv2d + autograd.grad'), torchCase(res, `${c.name} fwd+bwd`), res.threads, 3 * d.flop));
    }
    rows.push(...fwdRows, ...bwdRows);
  }
}

/** losses of the first `steps` steps */
async function losses(t: Trainer | AsyncTrainer, steps: number): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < steps; k++) out.push(await t.step());
  return out;
}

/** each step's loss within 1e-4 relative of memograd's (float32 with other summation orders: ~1e-7 seen) */
function checkLosses(name: string, got: number[], ref: number[]): void {
  const rel = Math.max(...ref.map((r, i) => Math.abs(got[i]! - r) / Math.abs(r)));
  process.stderr.write(`  verify ${name.padEnd(40)} losses ${got.map((l) => l.toFixed(6)).join(' ')} (max rel. diff ${rel.toExponential(1)})\n`);
  if (got.length !== ref.length || !(rel <= 1e-4)) throw new Error(`conv: ${name} losses ${got.join(', ')} differ from memograd's ${ref.join(', ')}`);
}

async function trainRows(tf: Tf, threads: number[], opts: BenchOptions, rows: Row[]): Promise<void> {
  const B = CNN_BATCH;
  const group = `convnet train step B=${B}`;
  const steps = opts.quick ? 2 : 3;
  const d: Images = makeImages(B * (opts.quick ? 4 : 8));
  const params: Param[] = convnetInit();
  const ref = await losses(memogradConvnet(B, params, d, false), steps);
  process.stderr.write(`  ${group}: memograd eval-mode losses ${ref.map((l) => l.toFixed(6)).join(' ')}\n`);

  for (const t of threads) {
    useMemogradThreads(t);
    const tr = memogradConvnet(B, params, d, true);
    const r = measure(group, `memograd nn + optim.Adam, ${t} thread${t > 1 ? 's' : ''}`, () => void tr.step(), CNN_FLOP_PER_SAMPLE * B, opts, true, t);
    r.hz *= B;
    r.flop = CNN_FLOP_PER_SAMPLE;
    rows.push(r);
  }

  // tfjs-layers on the cpu backend only with --cpu-train: the first full run spent over 5 minutes on
  // its warm-up and 5 timed steps without finishing them (2 loaded cores)
  for (const backend of ['wasm', 'cpu'] as const) {
    if (backend === 'cpu' && opts.args['cpu-train'] !== true) continue;
    await tf.setBackend(backend);
    const v = await tfLayersConvnet(tf, B, params, d, false);
    checkLosses(`tfjs-layers ${backend}`, await losses(v, steps), ref);
    v.dispose();
    const tr = await tfLayersConvnet(tf, B, params, d, true);
    const note = backend === 'wasm' ? FILTER_GRAD_NOTE : undefined;
    rows.push(await measureAsync(group, `tfjs-layers 4.22 trainOnBatch, ${backend}`, () => tr.step().then(() => {}), B, CNN_FLOP_PER_SAMPLE, opts, note));
    tr.dispose();
  }

  if (torchOrNote('conv (training step)')) {
    const inputs: Record<string, NamedArray> = {
      X: { data: d.X, shape: [d.n, 1, 28, 28] },
      labels: { data: Float32Array.from(d.labels), shape: [d.n] },
    };
    params.forEach((p, i) => (inputs[`p${i}`] = p));
    for (const t of threads) {
      const res = runTorch('convnet', inputs, { batch: B, lr: CNN_LR, verifySteps: steps }, t, opts);
      const c = torchCase(res, `B=${B}`);
      checkLosses(`PyTorch ${t}T`, c.losses as number[], ref);
      rows.push(torchRow(group, torchLabel(res, 'nn + optim.Adam'), c, t, CNN_FLOP_PER_SAMPLE, B));
    }
  }
}

export default async function convSuite(opts: BenchOptions): Promise<Row[]> {
  const which = typeof opts.args.cases === 'string' ? opts.args.cases.split(',') : ['mnist1', 'mnist2', 'c64', 'train'];
  const tf = await loadTf();
  if (wasmLacksFilterGrad(tf)) {
    process.stderr.write('  conv: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter; its weight gradients use the stand-in of tfjs-conv-filter.ts\n');
    registerWasmFilterGrad(tf);
  }
  const threads = threadCounts();
  const rows: Row[] = [];
  const cases = convCases(opts.quick).filter((c) => which.includes(c.name));
  if (cases.length > 0) await convRows(tf, cases, threads, opts, rows);
  if (which.includes('train')) await trainRows(tf, threads, opts, rows);
  useMemogradThreads(threads[threads.length - 1]!);
  return rows;
}

runIfMain(import.meta.url, 'conv', convSuite);
