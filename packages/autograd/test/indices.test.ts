/**
 * Index ops range-check every index before it is converted to the Int32Array the kernels use, so
 * that no value can wrap around (2^32 + 1 used to select row 1 and send the gradient there), and
 * follow PyTorch's rules: negative indices are errors, gather's index has the input's rank and fits
 * it on every other axis. Also: matmul falls back to the JS kernel beyond the wasm memory limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, MemogradError, PRIMITIVES, ShapeError, Tensor, full, gather, indexSelect, ones, tensor } from '../src/index.ts';
import { apply } from '../src/engine.ts';
import { WASM_MAX_BYTES, matmul as gemm, matmulConfig, matmulUsesWasm, matmulUsesWasmFor } from '../src/kernels/matmul.ts';

function expectTyped(fn: () => unknown, cls: new (...args: any[]) => MemogradError, op: string, re?: RegExp): void {
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(cls);
  expect((error as Error).message.startsWith(`${op}: `), (error as Error).message).toBe(true);
  if (re !== undefined) expect((error as Error).message).toMatch(re);
}

const rows = (): Tensor => tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64', requiresGrad: true });
const op = (name: string) => PRIMITIVES.find((o) => o.name === name)!;

describe('index values are range-checked before conversion', () => {
  const huge = [2 ** 32 + 1, 2 ** 32, 2 ** 31, 2 ** 53];
  it('indexSelect refuses indices at or above 2^31 in every input form (they wrapped to small rows)', () => {
    for (const v of huge) {
      expectTyped(() => indexSelect(rows(), 0, [v]), ArgumentError, 'indexSelect', new RegExp(`index ${v} at position 0 is out of range`));
      expectTyped(() => indexSelect(rows(), 0, tensor([v], { dtype: 'float64' })), ArgumentError, 'indexSelect', /out of range/);
    }
  });

  it('gather refuses them too, and sends no gradient anywhere', () => {
    const x = rows();
    expectTyped(() => gather(x, 0, [[2 ** 32 + 1, 0]]), ArgumentError, 'gather', /index 4294967297 at position 0 is out of range: expected an integer from 0 to 2/);
    expect(x.grad).toBeNull();
  });

  it('negative, fractional and non-finite indices are errors (PyTorch refuses negative indices)', () => {
    const bad: [number, RegExp][] = [[-1, /is negative/], [-3, /is negative/], [0.5, /not an integer/], [NaN, /NaN/], [Infinity, /Infinity/], [-Infinity, /-Infinity/], [3, /out of range/]];
    for (const [v, re] of bad) {
      const index = full([1], v, { dtype: 'float64' });
      expectTyped(() => indexSelect(rows(), 0, index), ArgumentError, 'indexSelect', re);
      expectTyped(() => gather(rows(), 0, full([1, 1], v, { dtype: 'float64' })), ArgumentError, 'gather', re);
    }
    expectTyped(() => indexSelect(rows(), 0, Int32Array.of(0, -1)), ArgumentError, 'indexSelect', /index -1 at position 1 is negative/);
    expectTyped(() => indexSelect(rows(), 1, [2]), ArgumentError, 'indexSelect', /axis 1 of size 2/);
  });

  it('garbage index arguments are typed errors', () => {
    for (const bad of ['0', null, undefined, {}, 1n, Symbol('i'), new Float32Array(1)]) {
      expectTyped(() => indexSelect(rows(), 0, bad as any), ArgumentError, 'indexSelect');
      expectTyped(() => gather(rows(), 0, bad as any), ArgumentError, 'gather');
    }
    expectTyped(() => indexSelect(rows(), 0, [[true]] as any), ArgumentError, 'indexSelect', /element \[0\]\[0\] is true/);
  });

  it('valid indices still select and route gradients to the right rows', () => {
    const x = rows();
    const y = indexSelect(x, 0, [2, 0, 2]);
    expect(Array.from(y.data)).toEqual([5, 6, 1, 2, 5, 6]);
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 0, 0, 2, 2]);
    const z = rows();
    gather(z, 1, [[1], [0], [1]]).sum().backward();
    expect(Array.from(z.grad!.data)).toEqual([0, 1, 1, 0, 0, 1]);
  });

  it('property: any float index either selects exactly that row or throws an ArgumentError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double(), fc.constantFrom(2 ** 32 + 1, 2 ** 32 + 2, -(2 ** 32) + 1)), (v) => {
        const x = tensor([[10], [20], [30]], { dtype: 'float64' });
        const index = full([1], v, { dtype: 'float64' });
        let out: Tensor;
        try {
          out = indexSelect(x, 0, index);
        } catch (e) {
          expect(e).toBeInstanceOf(ArgumentError);
          expect(Number.isInteger(v) && v >= 0 && v < 3).toBe(false);
          return;
        }
        expect(Number.isInteger(v) && v >= 0 && v < 3).toBe(true);
        expect(out.item()).toBe(10 * (v + 1));
      }),
      { numRuns: 500, seed: 8 },
    );
  });
});

describe('gather follows PyTorch on 0-d tensors and index shapes', () => {
  it('tensor(5).gather(0, tensor(3)) is out of range (it returned 5)', () => {
    expectTyped(() => tensor(5).gather(0, tensor(3)), ArgumentError, 'gather', /index 3 at position 0 is out of range: expected an integer from 0 to 0/);
    expectTyped(() => tensor(5).gather(0, tensor(-1)), ArgumentError, 'gather', /negative/);
  });

  it('a 0-d input or index counts as rank 1 (PyTorch)', () => {
    const s = tensor(5, { requiresGrad: true });
    const a = s.gather(0, tensor(0));
    expect(a.shape).toEqual([]);
    expect(a.item()).toBe(5);
    const b = s.gather(0, [0]);
    expect(b.shape).toEqual([1]);
    b.sum().backward();
    expect(s.grad!.item()).toBe(1);
    const v = tensor([1, 2, 3]).gather(0, tensor(1));
    expect(v.shape).toEqual([]);
    expect(v.item()).toBe(2);
    expectTyped(() => tensor(5).gather(0, [[0]]), ShapeError, 'gather', /rank 2 but x has rank 0/);
  });

  it('the index must have the input rank and fit it on every other axis', () => {
    const m = ones([2, 3]);
    expectTyped(() => m.gather(0, [0]), ShapeError, 'gather', /index has rank 1 but x has rank 2/);
    expectTyped(() => m.gather(0, [[0, 0, 0, 0]]), ShapeError, 'gather', /index size 4 exceeds x's size 3 at axis 1/);
    expect(m.gather(0, [[1, 0], [0, 1], [1, 1]]).shape).toEqual([3, 2]);
    expect(m.gather(0, tensor(new Float32Array(0), { shape: [0, 3] })).shape).toEqual([0, 3]);
  });

  it('indexSelect: 0-d index, 2-D index and 0-d input as PyTorch', () => {
    expect(indexSelect(tensor([1, 2, 3]), 0, tensor(1)).shape).toEqual([1]);
    expectTyped(() => indexSelect(tensor([1, 2, 3]), 0, [[1]]), ShapeError, 'indexSelect', /index must be 1-D/);
    expect(indexSelect(tensor(5), 0, [0]).item()).toBe(5);
    expectTyped(() => indexSelect(tensor(5), 0, [1]), ArgumentError, 'indexSelect', /out of range/);
    expectTyped(() => indexSelect(tensor(5), 1, [0]), ArgumentError, 'indexSelect', /axis 1 is out of range for rank 0/);
  });
});

describe('the index ops check their parameters when applied directly', () => {
  const x = ones([3, 2]);
  it('gather, scatterAdd, indexSelect and indexAdd refuse out-of-range or malformed parameters', () => {
    expectTyped(() => apply(op('gather'), [x], { axis: 0, index: Int32Array.of(3), indexShape: [1, 1] }), ArgumentError, 'gather', /out of range/);
    expectTyped(() => apply(op('gather'), [x], { axis: 0, index: [0], indexShape: [1, 1] }), ArgumentError, 'gather', /Int32Array/);
    expectTyped(() => apply(op('gather'), [x], { axis: 2, index: Int32Array.of(0), indexShape: [1, 1] }), ArgumentError, 'gather', /axis/);
    expectTyped(() => apply(op('scatterAdd'), [ones([3, 2]), ones([1, 1])], { axis: 0, index: Int32Array.of(-1), indexShape: [1, 1] }), ArgumentError, 'scatterAdd', /negative/);
    expectTyped(() => apply(op('scatterAdd'), [ones([3, 2]), ones([2, 1])], { axis: 0, index: Int32Array.of(0), indexShape: [1, 1] }), ShapeError, 'scatterAdd', /src has shape/);
    expectTyped(() => apply(op('indexSelect'), [x], { axis: 0, index: Int32Array.of(5) }), ArgumentError, 'indexSelect', /out of range/);
    expectTyped(() => apply(op('indexAdd'), [ones([3, 2]), ones([1, 2])], { axis: 0, index: Int32Array.of(3), alpha: 1 }), ArgumentError, 'indexAdd', /out of range/);
    expectTyped(() => apply(op('indexAdd'), [ones([3, 2]), ones([2, 2])], { axis: 0, index: Int32Array.of(0), alpha: 1 }), ShapeError, 'indexAdd', /source has shape/);
  });
});

describe('matmul beyond the wasm memory limit', () => {
  it('decides for the JS kernel when the operands cannot fit in 4 GiB of wasm memory', () => {
    expect(WASM_MAX_BYTES).toBe(2 ** 32);
    if (!matmulUsesWasm()) return;
    expect(matmulUsesWasmFor('f32', 64, 64, 64)).toBe(true);
    // two 16384 x 16384 float64 operands are 4 GiB on their own
    expect(matmulUsesWasmFor('f64', 16384, 16384, 16384)).toBe(false);
    expect(matmulUsesWasmFor('f32', 16384, 16384, 16384)).toBe(true); // 3 GiB
    expect(matmulUsesWasmFor('f32', 20000, 20000, 20000)).toBe(false); // 4.8 GB
    expect(matmulUsesWasmFor('f32', 8192, 8192, 8192)).toBe(true);
    expect(matmulUsesWasmFor('f32', 2, 2, 2)).toBe(false); // below WASM_MIN_WORK
  });

  it('falls back to the JS kernel when wasm memory cannot grow (same result, no raw error)', () => {
    const cfg = matmulConfig('f64');
    if (cfg === null) return;
    const realGrow = cfg.memory.grow;
    const m = 40;
    const a = Float64Array.from({ length: m * m }, (_, i) => (i % 7) - 3);
    const b = Float64Array.from({ length: m * m }, (_, i) => (i % 5) - 2);
    const expected = new Float64Array(m * m);
    gemm(a, 0, b, 0, expected, 0, m, m, m, false, false);
    const out = new Float64Array(m * m);
    // a product needing more memory than is there, with growth refused as V8 refuses it past 4 GiB
    const big = 600;
    const a2 = new Float64Array(big * big).fill(1);
    const out2 = new Float64Array(big * big);
    (cfg.memory as { grow: (n: number) => number }).grow = () => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    };
    try {
      gemm(a, 0, b, 0, out, 0, m, m, m, false, false);
      gemm(a2, 0, a2, 0, out2, 0, big, big, big, false, false);
    } finally {
      (cfg.memory as { grow: (n: number) => number }).grow = realGrow;
    }
    expect(out).toEqual(expected);
    expect(out2[0]).toBe(big);
    expect(out2[big * big - 1]).toBe(big);
  });
});
