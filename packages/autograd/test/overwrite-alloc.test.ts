// Large elementwise outputs are allocated without the zero fill (allocateForOverwrite): every
// element must be written by the op. These tests first fill freed memory with NaN bit patterns, so
// that an element an op forgot would most likely read back as NaN (or garbage), then check every
// element of large outputs against plain references, on every forward path (JS and wasm kernels,
// broadcasts by scalar, row and column, comparisons, softmax over the last and a middle axis).
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, add, div, gt, linear, matmul, maximum, mul, relu, sigmoid, softmax, logSoftmax, sub, tanh, exp, abs } from '../src/index.ts';
import { allocateForOverwrite } from '../src/dtype.ts';

function gc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Leaves freed native memory full of 0xff bytes (NaN as float32 and float64). */
function poisonFreedMemory(): void {
  for (let r = 0; r < 4; r++) {
    let keep: Uint8Array[] | null = [];
    for (let i = 0; i < 8; i++) keep.push((globalThis as unknown as { Buffer: { allocUnsafeSlow(n: number): Uint8Array } }).Buffer.allocUnsafeSlow(1 << 22).fill(0xff));
    keep = null;
    gc();
  }
}

const R = 200;
const C = 300; // 60,000 elements: above the threshold of the uninitialized path

function random(shape: number[], dtype: 'float32' | 'float64', seed: number): Tensor {
  const g = new Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = g.random() * 4 - 2;
  return new Tensor(data, shape, dtype);
}

function expectEach(out: Tensor, ref: (i: number) => number, tol: number, what: string): void {
  const d = out.data;
  for (let i = 0; i < d.length; i++) {
    const want = ref(i);
    if (!(Math.abs(d[i]! - want) <= tol * Math.max(1, Math.abs(want)))) throw new Error(`${what}: element ${i} is ${d[i]}, expected ${want}`);
  }
}

describe('outputs allocated without the zero fill are written in full', () => {
  it('gives each array its own buffer at offset 0, like a zero-filled one', () => {
    const a = allocateForOverwrite('float32', 1 << 16);
    const b = allocateForOverwrite('float64', 1 << 16);
    expect([a.byteOffset, a.buffer.byteLength, a.length]).toEqual([0, 4 << 16, 1 << 16]);
    expect([b.byteOffset, b.buffer.byteLength, b.length]).toEqual([0, 8 << 16, 1 << 16]);
    expect(a.buffer).not.toBe(allocateForOverwrite('float32', 1 << 16).buffer);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: unary, binary (same shape, scalar, row, column), comparisons and softmax`, () => {
      const tol = dtype === 'float32' ? 1e-6 : 1e-14;
      const x = random([R, C], dtype, 1);
      const y = random([R, C], dtype, 2);
      const row = random([C], dtype, 3);
      const col = random([R, 1], dtype, 4);
      const xs = x.data, ys = y.data, rs = row.data, cs = col.data;
      const cases: [string, () => Tensor, (i: number) => number][] = [
        ['mul', () => mul(x, y), (i) => xs[i]! * ys[i]!],
        ['add scalar', () => add(x, 0.5), (i) => xs[i]! + 0.5],
        ['sub row', () => sub(x, row), (i) => xs[i]! - rs[i % C]!],
        ['div column', () => div(x, col.abs().add(1)), (i) => xs[i]! / (Math.abs(cs[Math.floor(i / C)]!) + 1)],
        ['maximum', () => maximum(x, y), (i) => Math.max(xs[i]!, ys[i]!)],
        ['gt', () => gt(x, y), (i) => (xs[i]! > ys[i]! ? 1 : 0)],
        ['relu', () => relu(x), (i) => Math.max(xs[i]!, 0)],
        ['abs', () => abs(x), (i) => Math.abs(xs[i]!)],
        ['exp', () => exp(x), (i) => Math.exp(xs[i]!)],
        ['sigmoid', () => sigmoid(x), (i) => 1 / (1 + Math.exp(-xs[i]!))],
        ['tanh', () => tanh(x), (i) => Math.tanh(xs[i]!)],
      ];
      for (const [name, op, ref] of cases) {
        poisonFreedMemory();
        expectEach(op(), ref, tol, name);
      }
      // matrix products: 2-D (wasm), a batch of small ones (tiled JS), with transposed operands
      const w = random([C, 60], dtype, 5);
      const ws = w.data;
      const dot = (i: number): number => {
        const r = Math.floor(i / 60), c = i % 60;
        let s = 0;
        for (let k = 0; k < C; k++) s += xs[r * C + k]! * ws[k * 60 + c]!;
        return s;
      };
      poisonFreedMemory();
      expectEach(matmul(x, w), dot, tol * 100, 'matmul');
      poisonFreedMemory();
      expectEach(linear(x, w.T), dot, tol * 100, 'linear (transposed weight)');
      const small = random([6000, 3, 2], dtype, 6);
      const sm = small.data;
      poisonFreedMemory();
      expectEach(matmul(small, small.transpose(1, 2)), (i) => {
        const bIdx = Math.floor(i / 9), r = Math.floor((i % 9) / 3), c = i % 3;
        return sm[bIdx * 6 + r * 2]! * sm[bIdx * 6 + c * 2]! + sm[bIdx * 6 + r * 2 + 1]! * sm[bIdx * 6 + c * 2 + 1]!;
      }, tol * 10, 'batched matmul');
      const rowSoftmax = (i: number, log: boolean): number => {
        const r = Math.floor(i / C);
        let m = -Infinity;
        for (let j = 0; j < C; j++) m = Math.max(m, xs[r * C + j]!);
        let s = 0;
        for (let j = 0; j < C; j++) s += Math.exp(xs[r * C + j]! - m);
        return log ? xs[i]! - m - Math.log(s) : Math.exp(xs[i]! - m) / s;
      };
      poisonFreedMemory();
      expectEach(softmax(x, -1), (i) => rowSoftmax(i, false), tol, 'softmax rows');
      poisonFreedMemory();
      expectEach(logSoftmax(x, -1), (i) => rowSoftmax(i, true), tol * 10, 'logSoftmax rows');
      poisonFreedMemory();
      const colSoftmax = (i: number): number => {
        const c = i % C;
        let m = -Infinity;
        for (let r = 0; r < R; r++) m = Math.max(m, xs[r * C + c]!);
        let s = 0;
        for (let r = 0; r < R; r++) s += Math.exp(xs[r * C + c]! - m);
        return Math.exp(xs[i]! - m) / s;
      };
      expectEach(softmax(x, 0), colSoftmax, tol, 'softmax over axis 0');
    });
  }
});
