/**
 * The browser self-check (formerly packages/autograd/scripts/browser-check): the WebAssembly SIMD
 * matmul and exp kernels, a backward pass and gradcheck, in this browser (one thread, no workers).
 */
import { Generator, gradcheck, linspace, randn, tensor, type Tensor } from '@memograd/autograd';

export interface SmokeResult {
  ok: boolean;
  simd: boolean;
  matmulMs: string;
  maxErr: number;
  sigErr: number;
  grad: number[];
  gradcheck: boolean;
}

export function runSmokeCheck(): SmokeResult {
  const n = 256;
  const a = randn([n, n], { generator: new Generator(1) });
  const b = randn([n, n], { generator: new Generator(2) });
  const t0 = performance.now();
  const c = a.matmul(b);
  const ms = performance.now() - t0;
  // a few entries against a float64 reference
  let maxErr = 0;
  for (const [i, j] of [[0, 0], [17, 200], [255, 255], [128, 3]] as const) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a.data[i * n + k]! * b.data[k * n + j]!;
    maxErr = Math.max(maxErr, Math.abs(c.data[i * n + j]! - s) / (1 + Math.abs(s)));
  }
  const x = linspace(-20, 20, 4096);
  const s = x.sigmoid();
  let sigErr = 0;
  for (let i = 0; i < x.size; i++) sigErr = Math.max(sigErr, Math.abs(s.data[i]! - 1 / (1 + Math.exp(-x.data[i]!))));
  const w = tensor([[0.5, -1], [2, 0.1]], { dtype: 'float64', requiresGrad: true });
  const loss = tensor([[1, 2], [3, 4]], { dtype: 'float64' }).matmul(w).logSoftmax().mean();
  loss.backward();
  const gc = gradcheck((v: Tensor) => v.matmul(v).softmax().sum({ axis: 0 }), [tensor([[0.3, -0.2], [0.1, 0.4]], { dtype: 'float64', requiresGrad: true })]);
  const simd = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]));
  return { ok: maxErr < 1e-4 && sigErr < 1e-6 && gc.ok, simd, matmulMs: ms.toFixed(2), maxErr, sigErr, grad: Array.from(w.grad!.data), gradcheck: gc.ok };
}
