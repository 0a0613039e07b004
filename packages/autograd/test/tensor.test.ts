import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import {
  Generator, Tensor, arange, eye, full, linspace, manualSeed, ones, rand, randint, randn, scalar, tensor, zeros,
  zerosLike, onesLike, fullLike,
} from '../src/index.ts';

const arr = (t: Tensor): number[] => Array.from(t.data);

describe('creation', () => {
  it('tensor() from a number, nested arrays and typed arrays', () => {
    const s = tensor(2.5);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(2.5);
    const m = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(m.shape).toEqual([2, 3]);
    expect(m.size).toBe(6);
    expect(m.rank).toBe(2);
    expect(arr(m)).toEqual([1, 2, 3, 4, 5, 6]);
    const t3 = tensor([[[1], [2]], [[3], [4]]]);
    expect(t3.shape).toEqual([2, 2, 1]);
    const typed = tensor(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2] });
    expect(typed.shape).toEqual([3, 2]);
    expect(typed.dtype).toBe('float64');
    expect(typed.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    const flat = tensor(new Float32Array([1, 2]));
    expect(flat.shape).toEqual([2]);
    expect(flat.dtype).toBe('float32');
    expect(() => tensor(new Float32Array([1, 2, 3]), { shape: [2, 2] })).toThrow(M.ArgumentError);
    expect(tensor([1, 2, 3, 4], { shape: [2, 2] }).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(tensor([]).shape).toEqual([0]);
  });

  it('tensor() copies a typed array instead of aliasing it', () => {
    const src = new Float64Array([1, 2]);
    const t = tensor(src);
    src[0] = 99;
    expect(t.data[0]).toBe(1);
  });

  it('float32 rounding is applied to values', () => {
    expect(tensor([0.1]).data[0]).toBe(Math.fround(0.1));
    expect(tensor([0.1], { dtype: 'float64' }).data[0]).toBe(0.1);
  });

  it('tensor options: requiresGrad and name', () => {
    const t = tensor([1], { requiresGrad: true, name: 'w' });
    expect(t.requiresGrad).toBe(true);
    expect(t.name).toBe('w');
    expect(t.isLeaf).toBe(true);
    expect(t.grad).toBeNull();
  });

  it('zeros / ones / full and the -like variants', () => {
    expect(arr(zeros([2, 2]))).toEqual([0, 0, 0, 0]);
    expect(arr(ones([3]))).toEqual([1, 1, 1]);
    expect(arr(full([2], 7))).toEqual([7, 7]);
    expect(Number.isNaN(full([1], NaN).data[0])).toBe(true);
    expect(full([1], -Infinity).data[0]).toBe(-Infinity);
    expect(zeros([2, 0]).size).toBe(0);
    const base = zeros([2, 3], { dtype: 'float64' });
    expect(zerosLike(base).dtype).toBe('float64');
    expect(onesLike(base).shape).toEqual([2, 3]);
    expect(arr(fullLike(base, 3))).toEqual([3, 3, 3, 3, 3, 3]);
    expect(zeros([1], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(() => zeros([-1])).toThrow(M.ArgumentError);
    expect(() => zeros([1.5])).toThrow(M.ArgumentError);
  });

  it('arange, linspace and eye', () => {
    expect(arr(arange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(arr(arange(2, 5))).toEqual([2, 3, 4]);
    expect(arr(arange(0, 1, 0.25))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arr(arange(5, 0, -2))).toEqual([5, 3, 1]);
    expect(arange(3, 3).size).toBe(0);
    expect(() => arange(0, 1, 0)).toThrow(M.ArgumentError);
    const l = linspace(0, 1, 5, { dtype: 'float64' });
    expect(arr(l)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const l3 = linspace(0, 0.3, 4, { dtype: 'float64' });
    expect(l3.data[3]).toBe(0.3); // exact end point
    expect(l3.data[1]).toBeCloseTo(0.1, 15);
    expect(arr(linspace(2, 2, 1))).toEqual([2]);
    expect(linspace(0, 1, 0).size).toBe(0);
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it('rand, randn and randint with a generator', () => {
    const u = rand([1000], { generator: new Generator(1), dtype: 'float64' });
    expect(u.shape).toEqual([1000]);
    expect(arr(u).every((v) => v >= 0 && v < 1)).toBe(true);
    const ri = randint(-2, 3, [2000], { generator: new Generator(2) });
    const vals = new Set(arr(ri));
    expect([...vals].sort()).toEqual([-1, -2, 0, 1, 2].sort());
    expect(arr(ri).every(Number.isInteger)).toBe(true);
    const n = randn([3, 4], { generator: new Generator(3) });
    expect(n.shape).toEqual([3, 4]);
    expect(n.dtype).toBe('float32');
    expect(() => randint(3, 3, [1])).toThrow(M.ArgumentError);
  });

  it('float32 rand stays below 1 even when a draw rounds up', () => {
    class High extends Generator {
      override random(): number {
        return 1 - 1e-9; // below 1 in float64, rounds to 1 in float32
      }
    }
    const u = rand([3], { generator: new High() });
    expect(arr(u).every((v) => v < 1)).toBe(true);
    expect(u.data[0]).toBe(1 - 2 ** -24);
    expect(rand([1], { generator: new High(), dtype: 'float64' }).data[0]).toBe(1 - 1e-9);
  });

  it('the default generator is reseeded by manualSeed', () => {
    manualSeed(123);
    const a = arr(randn([5], { dtype: 'float64' }));
    manualSeed(123);
    const b = arr(randn([5], { dtype: 'float64' }));
    expect(a).toEqual(b);
    manualSeed(124);
    expect(arr(randn([5], { dtype: 'float64' }))).not.toEqual(a);
  });
});

describe('dtypes', () => {
  it('float32 by default; scalar() float64 and requiring grad', () => {
    expect(tensor([1]).dtype).toBe('float32');
    expect(zeros([1]).dtype).toBe('float32');
    expect(arange(3).dtype).toBe('float32');
    expect(rand([1]).dtype).toBe('float32');
    expect(tensor([1]).data).toBeInstanceOf(Float32Array);
    const s = scalar(0.1);
    expect(s.dtype).toBe('float64');
    expect(s.data).toBeInstanceOf(Float64Array);
    expect(s.requiresGrad).toBe(true);
    expect(s.item()).toBe(0.1);
    expect(scalar(1, { requiresGrad: false }).requiresGrad).toBe(false);
    expect(scalar(1, { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('conversions keep values and route gradients back to the source dtype', () => {
    const x = tensor([1.5, 2], { requiresGrad: true });
    const y = x.float64();
    expect(y.dtype).toBe('float64');
    y.mul(y).sum().backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(arr(x.grad!)).toEqual([3, 4]);
    const z = tensor([1], { dtype: 'float64' });
    expect(z.to('float64')).toBe(z);
  });
});

describe('reading values', () => {
  it('item', () => {
    expect(tensor([[4]]).item()).toBe(4);
    expect(scalar(2).mul(3).item()).toBe(6);
  });

  it('toArray', () => {
    expect(tensor(3).toArray()).toBe(3);
    expect(tensor([[1, 2], [3, 4]]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
    expect(arange(8).reshape([2, 2, 2]).toArray()).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
  });

  it('toString prints like PyTorch', () => {
    expect(tensor([[1, 2], [3, 4]]).toString()).toBe('tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])');
    expect(tensor([1.5, -2]).toString()).toBe('tensor([ 1.5000, -2.0000])');
    expect(tensor([1, 2], { dtype: 'float64', requiresGrad: true }).toString()).toBe(
      'tensor([1.0000, 2.0000], dtype=float64, requiresGrad=true)',
    );
    expect(scalar(3).toString()).toBe('tensor(3.0000, dtype=float64, requiresGrad=true)');
    expect(tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]).toString()).toBe(
      'tensor([[[1.0000, 2.0000],\n         [3.0000, 4.0000]],\n\n        [[5.0000, 6.0000],\n         [7.0000, 8.0000]]])',
    );
    expect(arange(1, 9).toString()).toBe('tensor([1.0000, 2.0000, 3.0000, ..., 6.0000, 7.0000, 8.0000])');
    expect(tensor([1, 2]).mul(tensor([3, 4], { requiresGrad: true })).toString()).toBe('tensor([3.0000, 8.0000], gradFn=mul)');
    // scientific notation with two-digit exponents, as PyTorch prints it
    expect(tensor([1e-5, 1], { dtype: 'float64' }).toString()).toBe('tensor([1.0000e-05, 1.0000e+00], dtype=float64)');
    expect(tensor([1], { name: 'w' }).toString()).toBe("tensor([1.0000], name='w')");
    expect(String(full([2], NaN))).toBe('tensor([nan, nan])');
    expect(String(full([2], -Infinity))).toBe('tensor([-inf, -inf])');
    expect(tensor([[1e-10, 2]]).toString()).toBe('tensor([[1.0000e-10, 2.0000e+00]])');
    expect(tensor([2e9, 1], { dtype: 'float64' }).toString()).toBe('tensor([2.0000e+09, 1.0000e+00], dtype=float64)');
    // columns are right-aligned to the widest entry; long axes are summarised with the first and last 3
    expect(arange(20).reshape([4, 5]).toString().split('\n')[2]).toBe('        [10.0000, 11.0000, 12.0000, 13.0000, 14.0000],');
    const big = arange(64).reshape([8, 8]).toString().split('\n');
    expect(big).toHaveLength(7);
    expect(big[0]).toBe('tensor([[ 0.0000,  1.0000,  2.0000, ...,  5.0000,  6.0000,  7.0000],');
    expect(big[3]).toBe('        ...,');
    expect(big[6]).toBe('        [56.0000, 57.0000, 58.0000, ..., 61.0000, 62.0000, 63.0000]])');
  });
});

describe('Generator', () => {
  it('pins the first values for seed 42 (xoshiro128**, the same on every machine)', () => {
    const g = new Generator(42);
    expect([g.random(), g.random(), g.random(), g.random()]).toEqual([
      0.6606157208001621, 0.1117019639532224, 0.0791056456144914, 0.015209237180418,
    ]);
    const h = new Generator(42);
    expect([h.nextUint32(), h.nextUint32()]).toEqual([2837322924, 544945897]);
  });

  it('random() is built from two draws: 27 high bits then 26', () => {
    const g = new Generator(42);
    const a = g.nextUint32() >>> 5;
    const b = g.nextUint32() >>> 6;
    expect(new Generator(42).random()).toBe((a * 2 ** 26 + b) / 2 ** 53);
  });

  it('same seed, same numbers; different seeds differ; manualSeed restarts', () => {
    const a = new Generator(7);
    const b = new Generator(7);
    const xs = Array.from({ length: 50 }, () => a.normal());
    expect(Array.from({ length: 50 }, () => b.normal())).toEqual(xs);
    const c = new Generator(8);
    expect(Array.from({ length: 50 }, () => c.normal())).not.toEqual(xs);
    a.manualSeed(7);
    expect(Array.from({ length: 50 }, () => a.normal())).toEqual(xs);
    expect(() => new Generator(NaN)).toThrow(M.ArgumentError);
  });

  it('1e5 normals have mean ~0 and std ~1; uniforms mean ~1/2', () => {
    const g = new Generator(2024);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = g.normal();
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    const std = Math.sqrt(s2 / n - mean * mean);
    // standard errors: 1/sqrt(n) = 0.0032 for the mean, ~0.0022 for the std
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(std - 1)).toBeLessThan(0.01);
    let u = 0;
    for (let i = 0; i < n; i++) u += g.random();
    expect(Math.abs(u / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(g.normal(10, 0.001) - 10)).toBeLessThan(0.01);
  });

  it('permutation is a permutation', () => {
    const p = new Generator(5).permutation(20);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe('numbers broadcast as constants', () => {
  it('x.mul(2), x.add(1), x.sub(0.5), x.div(4), x.pow(2)', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64' });
    expect(arr(x.mul(2))).toEqual([2, 4, 6]);
    expect(arr(x.add(1))).toEqual([2, 3, 4]);
    expect(arr(x.sub(0.5))).toEqual([0.5, 1.5, 2.5]);
    expect(arr(x.div(4))).toEqual([0.25, 0.5, 0.75]);
    expect(arr(x.pow(2))).toEqual([1, 4, 9]);
    expect(arr(M.sub(10, x))).toEqual([9, 8, 7]);
    expect(x.mul(2).dtype).toBe('float64');
    expect(arr(x.add([[10], [20]]))).toEqual([11, 12, 13, 21, 22, 23]);
  });

  it('a number operand receives no gradient and the tensor gets the right one', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    M.div(6, x).sum().backward(); // d(6/x) = -6/x^2
    expect(arr(x.grad!)).toEqual([-6, -1.5]);
  });
});

describe('methods and functions agree', () => {
  const x = tensor([[0.5, -1.2, 2], [1.5, 0.3, -0.7]], { dtype: 'float64' });
  const y = tensor([[1.1, 0.4, -0.9], [2, -0.5, 0.8]], { dtype: 'float64' });
  const pos = x.abs().add(0.1);
  const cases: [string, Tensor, Tensor][] = [
    ['add', x.add(y), M.add(x, y)],
    ['sub', x.sub(y), M.sub(x, y)],
    ['mul', x.mul(y), M.mul(x, y)],
    ['div', x.div(y), M.div(x, y)],
    ['pow', pos.pow(y), M.pow(pos, y)],
    ['maximum', x.maximum(y), M.maximum(x, y)],
    ['minimum', x.minimum(y), M.minimum(x, y)],
    ['neg', x.neg(), M.neg(x)],
    ['exp', x.exp(), M.exp(x)],
    ['log', pos.log(), M.log(pos)],
    ['sqrt', pos.sqrt(), M.sqrt(pos)],
    ['abs', x.abs(), M.abs(x)],
    ['sin', x.sin(), M.sin(x)],
    ['cos', x.cos(), M.cos(x)],
    ['clamp', x.clamp(-1, 1), M.clamp(x, -1, 1)],
    ['sigmoid', x.sigmoid(), M.sigmoid(x)],
    ['tanh', x.tanh(), M.tanh(x)],
    ['relu', x.relu(), M.relu(x)],
    ['gelu', x.gelu(), M.gelu(x)],
    ['softmax', x.softmax(0), M.softmax(x, 0)],
    ['logSoftmax', x.logSoftmax(), M.logSoftmax(x)],
    ['sum', x.sum({ axis: 1 }), M.sum(x, { axis: 1 })],
    ['mean', x.mean(), M.mean(x)],
    ['var', x.var({ axis: 0 }), M.variance(x, { axis: 0 })],
    ['std', x.std(), M.std(x)],
    ['norm', x.norm({ p: 1 }), M.norm(x, { p: 1 })],
    ['max', x.max({ axis: 0 }), M.max(x, { axis: 0 })],
    ['matmul', x.matmul(y.T), M.matmul(x, M.transpose(y))],
    ['reshape', x.reshape([3, 2]), M.reshape(x, [3, 2])],
    ['permute', x.permute([1, 0]), M.permute(x, [1, 0])],
    ['slice', x.slice([0, 1], [2, 2]), M.slice(x, [0, 1], [2, 2])],
    ['gather', x.gather(1, [[0], [2]]), M.gather(x, 1, [[0], [2]])],
  ];
  it.each(cases)('%s', (_name, a, b) => {
    expect(a.shape).toEqual(b.shape);
    expect(arr(a)).toEqual(arr(b));
  });

  it('a few values checked by hand', () => {
    expect(arr(x.matmul(y.T))).toEqual([
      0.5 * 1.1 + -1.2 * 0.4 + 2 * -0.9, 0.5 * 2 + -1.2 * -0.5 + 2 * 0.8,
      1.5 * 1.1 + 0.3 * 0.4 + -0.7 * -0.9, 1.5 * 2 + 0.3 * -0.5 + -0.7 * 0.8,
    ]);
    expect(arr(x.sum({ axis: 1 }))).toEqual([0.5 - 1.2 + 2, 1.5 + 0.3 - 0.7]);
    expect(arr(x.gather(1, [[0], [2]]))).toEqual([0.5, -0.7]);
    expect(x.T.toArray()).toEqual([[0.5, 1.5], [-1.2, 0.3], [2, -0.7]]);
  });
});
