// Scalar suite: per-operation overhead of a scalar autograd graph (the perf-reference's
// scalar-autograd.mjs, rewritten here). Blocks of 6 ops with a shared parameter w:
//   a = x*w; b = a+0.5; c = tanh(b); d = c*0.5; e = x*0.5; x = d+e
// N = 100,002 ops (16,667 blocks) are built, then reverse mode gives dx_N/dw = 0.2535074.
// Implementations: memograd 0-d tensors (`scalar()`), a micrograd-style Value class (closures,
// Set-based topological sort), a closure-free op-code tape class, a preallocated struct-of-arrays
// typed-array tape, plain JS numbers without autograd (the floor), tfjs scalars with tf.grad
// on the cpu backend (N = 10,002 only: tfjs is ~1000x slower per op), and jax-js 0-d arrays with
// eager grad (N = 2,004: ~100 us per op; tanh written as 2·sigmoid(2b) − 1, see jaxTanh).
//
//   pnpm --filter @memograd/bench run bench:scalar [--quick] [--n=100002] [--ntf=10002] [--njax=2004]
//
// One call = build the graph (forward) + backward. The "ops/s" column is graph ops per second
// (N / time per call), so rows with different N compare per op; ns/op is in the note.
// Every gradient is checked against the float64 finite difference of the plain-JS chain (1e-6;
// 1e-4 for the float32 peers, tfjs and jax-js).
import { scalar, type Tensor } from '@memograd/autograd';
import {
  loadJax,
  loadTf,
  measure,
  runIfMain,
  type BenchOptions,
  type Jax,
  type JaxArray,
  type Row,
  type Tf,
} from './harness.ts';

const W0 = 1.0001;
const X0 = 0.1;

// ---- micrograd-style Value: closures, child arrays, iterative Set-based topological sort --------
class Value {
  grad = 0;
  constructor(
    public data: number,
    public prev: Value[] = [],
    public backwardFn: (() => void) | null = null,
  ) {}
  add(o: Value | number): Value {
    if (typeof o === 'number') {
      const out: Value = new Value(this.data + o, [this], () => {
        this.grad += out.grad;
      });
      return out;
    }
    const out: Value = new Value(this.data + o.data, [this, o], () => {
      this.grad += out.grad;
      o.grad += out.grad;
    });
    return out;
  }
  mul(o: Value | number): Value {
    if (typeof o === 'number') {
      const out: Value = new Value(this.data * o, [this], () => {
        this.grad += o * out.grad;
      });
      return out;
    }
    const out: Value = new Value(this.data * o.data, [this, o], () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    });
    return out;
  }
  tanh(): Value {
    const t = Math.tanh(this.data);
    const out: Value = new Value(t, [this], () => {
      this.grad += (1 - t * t) * out.grad;
    });
    return out;
  }
  backward(): void {
    const topo: Value[] = [];
    const visited = new Set<Value>([this]);
    const stack: Value[] = [this];
    const idx: number[] = [0];
    while (stack.length) {
      const v = stack[stack.length - 1]!;
      const i = idx[idx.length - 1]!;
      if (i < v.prev.length) {
        idx[idx.length - 1]!++;
        const c = v.prev[i]!;
        if (!visited.has(c)) {
          visited.add(c);
          stack.push(c);
          idx.push(0);
        }
      } else {
        topo.push(v);
        stack.pop();
        idx.pop();
      }
    }
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i]!.backwardFn?.();
  }
}

// ---- closure-free tape class: op code + parents in fields, creation-order tape -------------------
const OP_LEAF = 0, OP_ADD = 1, OP_ADDC = 2, OP_MUL = 3, OP_MULC = 4, OP_TANH = 5;
let TAPE: TNode[] = [];
class TNode {
  grad = 0;
  constructor(
    public data: number,
    public op: number,
    public a: TNode | null,
    public b: TNode | null,
    public c: number,
  ) {
    TAPE.push(this);
  }
  add(o: TNode | number): TNode {
    return typeof o === 'number' ? new TNode(this.data + o, OP_ADDC, this, null, o) : new TNode(this.data + o.data, OP_ADD, this, o, 0);
  }
  mul(o: TNode | number): TNode {
    return typeof o === 'number' ? new TNode(this.data * o, OP_MULC, this, null, o) : new TNode(this.data * o.data, OP_MUL, this, o, 0);
  }
  tanh(): TNode {
    return new TNode(Math.tanh(this.data), OP_TANH, this, null, 0);
  }
  backward(): void {
    this.grad = 1;
    for (let i = TAPE.length - 1; i >= 0; i--) {
      const v = TAPE[i]!, g = v.grad;
      switch (v.op) {
        case OP_ADD: v.a!.grad += g; v.b!.grad += g; break;
        case OP_ADDC: v.a!.grad += g; break;
        case OP_MUL: v.a!.grad += v.b!.data * g; v.b!.grad += v.a!.data * g; break;
        case OP_MULC: v.a!.grad += v.c * g; break;
        case OP_TANH: v.a!.grad += (1 - v.data * v.data) * g; break;
      }
    }
  }
}

// ---- struct-of-arrays tape: nodes are indices into typed arrays reused between runs -------------
class SoATape {
  n = 0;
  cap = 0;
  val = new Float64Array(0);
  grad = new Float64Array(0);
  k = new Float64Array(0);
  a = new Int32Array(0);
  b = new Int32Array(0);
  op = new Uint8Array(0);
  constructor(cap = 1024) {
    this.alloc(cap);
  }
  alloc(cap: number): void {
    const { val, k, a, b, op, n } = this;
    this.cap = cap;
    this.val = new Float64Array(cap); this.grad = new Float64Array(cap); this.k = new Float64Array(cap);
    this.a = new Int32Array(cap); this.b = new Int32Array(cap); this.op = new Uint8Array(cap);
    this.val.set(val.subarray(0, n)); this.k.set(k.subarray(0, n));
    this.a.set(a.subarray(0, n)); this.b.set(b.subarray(0, n)); this.op.set(op.subarray(0, n));
  }
  reset(): void { this.n = 0; }
  push(v: number, op: number, a: number, b: number, k: number): number {
    if (this.n === this.cap) this.alloc(this.cap * 2);
    const i = this.n++;
    this.val[i] = v; this.op[i] = op; this.a[i] = a; this.b[i] = b; this.k[i] = k;
    return i;
  }
  leaf(v: number): number { return this.push(v, OP_LEAF, -1, -1, 0); }
  add(x: number, y: number): number { return this.push(this.val[x]! + this.val[y]!, OP_ADD, x, y, 0); }
  addc(x: number, c: number): number { return this.push(this.val[x]! + c, OP_ADDC, x, -1, c); }
  mul(x: number, y: number): number { return this.push(this.val[x]! * this.val[y]!, OP_MUL, x, y, 0); }
  mulc(x: number, c: number): number { return this.push(this.val[x]! * c, OP_MULC, x, -1, c); }
  tanh(x: number): number { return this.push(Math.tanh(this.val[x]!), OP_TANH, x, -1, 0); }
  backward(out: number): void {
    const { val, grad, op, a, b, k } = this;
    grad.fill(0, 0, this.n);
    grad[out] = 1;
    for (let i = this.n - 1; i >= 0; i--) {
      const g = grad[i]!;
      switch (op[i]) {
        case OP_ADD: grad[a[i]!]! += g; grad[b[i]!]! += g; break;
        case OP_ADDC: grad[a[i]!]! += g; break;
        case OP_MUL: grad[a[i]!]! += val[b[i]!]! * g; grad[b[i]!]! += val[a[i]!]! * g; break;
        case OP_MULC: grad[a[i]!]! += k[i]! * g; break;
        case OP_TANH: grad[a[i]!]! += (1 - val[i]! * val[i]!) * g; break;
      }
    }
  }
}

// ---- the graph, per implementation -------------------------------------------------------------
function chainPlain(w: number, x: number, blocks: number): number {
  for (let i = 0; i < blocks; i++) x = Math.tanh(x * w + 0.5) * 0.5 + x * 0.5;
  return x;
}
interface Node<T> { mul(o: T | number): T; add(o: T | number): T; tanh(): T }
function chainObj<T extends Node<T>>(w: T, x: T, blocks: number): T {
  for (let i = 0; i < blocks; i++) {
    const a = x.mul(w), b = a.add(0.5), c = b.tanh(), d = c.mul(0.5), e = x.mul(0.5);
    x = d.add(e);
  }
  return x;
}
function chainMemograd(w: Tensor, x: Tensor, blocks: number): Tensor {
  for (let i = 0; i < blocks; i++) {
    const a = x.mul(w), b = a.add(0.5), c = b.tanh(), d = c.mul(0.5), e = x.mul(0.5);
    x = d.add(e);
  }
  return x;
}
function chainSoA(t: SoATape, w: number, x: number, blocks: number): number {
  for (let i = 0; i < blocks; i++) {
    const a = t.mul(x, w), b = t.addc(a, 0.5), c = t.tanh(b), d = t.mulc(c, 0.5), e = t.mulc(x, 0.5);
    x = t.add(d, e);
  }
  return x;
}
type TfScalar = import('@tensorflow/tfjs-core').Scalar;
function chainTf(tf: Tf, w: TfScalar, x: TfScalar, blocks: number, c05: TfScalar): TfScalar {
  for (let i = 0; i < blocks; i++) {
    const a = tf.mul(w, x), b = tf.add(a, c05), c = tf.tanh(b), d = tf.mul(c, c05), e = tf.mul(x, c05);
    x = tf.add(d, e);
  }
  return x;
}

/**
 * tanh(b) = 2·sigmoid(2b) − 1 in jax-js primitives. jax-js' own `np.tanh` is a jit-wrapped
 * composite: under eager `grad`, every call adds an entry to a module-level transpose cache keyed
 * by a fresh jaxpr object, which is never freed (0.1.25: the heap grows by ~0.4 MB per 402-op
 * graph), and it is about 8x slower per op. sigmoid is not jit-wrapped.
 */
function jaxTanh(j: Jax, b: JaxArray): JaxArray {
  return j.nn.sigmoid(b.mul(2)).mul(2).sub(1);
}
/** the graph on jax-js 0-d arrays; consumes w and x (x is used twice per block: one .ref) */
function chainJax(j: Jax, w: JaxArray, x: JaxArray, blocks: number): JaxArray {
  for (let i = 0; i < blocks; i++) {
    const a = x.ref.mul(w.ref), b = a.add(0.5), c = jaxTanh(j, b), d = c.mul(0.5), e = x.mul(0.5);
    x = d.add(e);
  }
  w.dispose();
  return x;
}

export default async function scalarSuite(opts: BenchOptions): Promise<Row[]> {
  const n = Number(opts.args.n ?? 100_002);
  const ntf = Number(opts.args.ntf ?? (opts.quick ? 2_004 : 10_002));
  const njax = Number(opts.args.njax ?? (opts.quick ? 402 : 2_004));
  const blocksJax = Math.ceil(njax / 6), opsJax = blocksJax * 6;
  const blocks = Math.ceil(n / 6), ops = blocks * 6;
  const blocksTf = Math.ceil(ntf / 6), opsTf = blocksTf * 6;
  const rows: Row[] = [];
  const group = 'scalar graph fwd+bwd';
  const h = 1e-6;
  const fd = (b: number) => (chainPlain(W0 + h, X0, b) - chainPlain(W0 - h, X0, b)) / (2 * h);
  const ref = fd(blocks);
  const refTf = fd(blocksTf);
  process.stderr.write(`  scalar: N = ${ops}, finite-difference dx/dw = ${ref.toFixed(7)}; tfjs N = ${opsTf}: ${refTf.toFixed(7)}\n`);
  const check = (name: string, g: number, r: number, tol = 1e-6) => {
    if (!(Math.abs(g - r) <= tol)) throw new Error(`scalar: ${name} dx/dw = ${g}, finite difference ${r}`);
    process.stderr.write(`  verify ${name.padEnd(40)} dx/dw ${g.toFixed(7)} (|err| ${Math.abs(g - r).toExponential(1)})\n`);
  };
  /** time `fn` (one graph of `count` ops); report ops/s and ns/op */
  const time = (impl: string, fn: () => void, count: number, ours = false) => {
    const r = measure(group, impl, fn, 0, opts, ours);
    r.hz *= count;
    r.note = `${(1e9 / r.hz).toFixed(1)} ns/op, N = ${count}`;
    rows.push(r);
  };

  // memograd
  {
    const run = () => {
      const w = scalar(W0);
      const x = scalar(X0, { requiresGrad: false });
      const y = chainMemograd(w, x, blocks);
      y.backward();
      return w.grad!.item();
    };
    check('memograd scalar()', run(), ref);
    time('memograd scalar() 0-d tensors', run, ops, true);
  }
  // micrograd-style Value
  {
    const run = () => {
      const w = new Value(W0);
      const y = chainObj(w, new Value(X0), blocks);
      y.backward();
      return w.grad;
    };
    check('micrograd-style Value', run(), ref);
    time('micrograd-style Value (closures, topo sort)', run, ops);
  }
  // closure-free tape class
  {
    const run = () => {
      TAPE = [];
      const w = new TNode(W0, OP_LEAF, null, null, 0);
      const y = chainObj(w, new TNode(X0, OP_LEAF, null, null, 0), blocks);
      y.backward();
      return w.grad;
    };
    check('op-code tape class', run(), ref);
    time('op-code tape class (no closures)', run, ops);
    TAPE = [];
  }
  // struct-of-arrays tape
  {
    const t = new SoATape(1024);
    const run = () => {
      t.reset();
      const w = t.leaf(W0);
      const y = chainSoA(t, w, t.leaf(X0), blocks);
      t.backward(y);
      return t.grad[w]!;
    };
    check('struct-of-arrays tape', run(), ref);
    time('struct-of-arrays typed-array tape', run, ops);
  }
  // floor
  {
    let sink = 0;
    time('plain JS numbers, no autograd (floor)', () => { sink += chainPlain(W0, X0, blocks); }, ops);
    if (sink === 42) console.log(sink);
  }
  // tfjs cpu
  {
    const tf = await loadTf();
    await tf.setBackend('cpu');
    const c05 = tf.scalar(0.5), w = tf.scalar(W0), x0 = tf.scalar(X0);
    const g = tf.grad((wv: import('@tensorflow/tfjs-core').Tensor) => chainTf(tf, wv as TfScalar, x0, blocksTf, c05));
    const run = () => tf.tidy(() => g(w).dataSync()[0]!);
    // tfjs computes in float32: compare to the float64 finite difference at 1e-4
    const gv = run();
    check(`tfjs-cpu tf.grad (N = ${opsTf}, float32)`, gv, refTf, 1e-4);
    time('tfjs-cpu scalars + tf.grad', () => void run(), opsTf);
    for (const t of [c05, w, x0]) t.dispose();
  }
  // jax-js: eager grad (no jit: jit would trace the graph once and replay a compiled kernel, which
  // is not the per-op overhead measured here; it also overflows the stack in jax-js' expression
  // simplifier from about N = 2,000). Float32 0-d arrays on the wasm device.
  {
    const jx = await loadJax();
    const j = jx.jax;
    const refJax = fd(blocksJax);
    const w = jx.np.array(W0), x0 = jx.np.array(X0);
    const g = j.grad((wv: JaxArray, xv: JaxArray) => chainJax(j, wv, xv, blocksJax));
    const run = () => g(w.ref, x0.ref).item();
    check(`jax-js grad (N = ${opsJax}, float32)`, run(), refJax, 1e-4);
    const done = await jx.mark();
    time('jax-js 0.1.25 0-d arrays + grad, eager', () => void run(), opsJax);
    await done('scalar grad');
    w.dispose();
    x0.dispose();
  }
  return rows;
}

runIfMain(import.meta.url, 'scalar', scalarSuite);
