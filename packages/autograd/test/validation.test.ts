/**
 * Bad input to the tensor API: every case must throw a MemogradError subclass whose message starts
 * with the public function's name and names the offending argument and value, before anything is
 * allocated or changed. Never a hang, a crash, a raw TypeError/RangeError or a silent wrong result.
 */
import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import {
  ArgumentError, Generator, MemogradError, ShapeError, Tensor,
  add, arange, argmax, argmin, cat, clamp, elu, expand, eye, flatten, full, fullLike, leakyRelu, linspace, logSoftmax,
  logSumExp, max, mean, min, norm, ones, onesLike, permute, pow, prod, rand, randint, randn, reshape, scalar, slice,
  softmax, softplus, squeeze, stack, std, sum, sumTo, tensor, transpose, unsqueeze, variance, zeros, zerosLike,
} from '../src/index.ts';
import { MAX_ELEMENTS, MAX_RANK, checkShape, describe, formatShape } from '../src/shape.ts';

type ErrorClass = new (...args: any[]) => MemogradError;

/** Asserts that fn throws `cls` (a MemogradError) whose message starts with `op: ` and matches `re`. */
function expectTyped(fn: () => unknown, cls: ErrorClass, op: string, re?: RegExp): MemogradError {
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${op} to throw ${cls.name}`).toBeInstanceOf(cls);
  const e = error as MemogradError;
  expect(e).toBeInstanceOf(MemogradError);
  expect(e.message.startsWith(`${op}: `), e.message).toBe(true);
  if (re !== undefined) expect(e.message).toMatch(re);
  return e;
}

/** Garbage where a size is expected, with the text the message must show for it. */
const BAD_SIZES: [unknown, RegExp][] = [
  [-1, /-1/], [-3, /-3/], [0.5, /0\.5/], [NaN, /NaN/], [Infinity, /Infinity/], [-Infinity, /-Infinity/],
  [null, /null/], [undefined, /undefined/], ['3', /"3"/], [true, /true/], [false, /false/], [1n, /1n/],
  [Symbol('s'), /Symbol\(s\)/], [{}, /\{\}/], [[2], /\[2\]/], [2 ** 31, /2147483648/], [2 ** 53, /9007199254740992/],
];

group('malformed shapes', () => {
  const creators: [string, (shape: any) => unknown][] = [
    ['zeros', (s) => zeros(s)], ['ones', (s) => ones(s)], ['full', (s) => full(s, 1)], ['rand', (s) => rand(s)],
    ['randn', (s) => randn(s)], ['randint', (s) => randint(0, 3, s)],
  ];
  it.each(creators)('%s refuses every kind of bad size with an ArgumentError naming the value', (op, make) => {
    for (const [bad, shown] of BAD_SIZES) {
      const e = expectTyped(() => make([2, bad]), ArgumentError, op, /shape/);
      expect(e.message).toMatch(shown);
    }
    for (const notArray of [3, '3', null, undefined, 1n, Symbol('x'), {}, new Float32Array(2)]) {
      expectTyped(() => make(notArray), ArgumentError, op, /shape must be an array/);
    }
  });

  it('zeros([1n]) says 1n instead of failing while building its message', () => {
    expectTyped(() => zeros([1n] as any), ArgumentError, 'zeros', /invalid size 1n at position 0/);
  });

  it('tensor() with a typed array and a malformed shape option', () => {
    expectTyped(() => tensor(new Float32Array(6), { shape: [-2, -3] }), ArgumentError, 'tensor', /shape \[-2, -3\] has an invalid size -2/);
    expectTyped(() => tensor(new Float32Array(6), { shape: [2, 0.5] as any }), ArgumentError, 'tensor', /0\.5/);
    expectTyped(() => tensor(new Float32Array(6), { shape: [2, NaN] }), ArgumentError, 'tensor', /NaN/);
    expectTyped(() => tensor(new Float32Array(6), { shape: [2, null] as any }), ArgumentError, 'tensor', /null/);
    expectTyped(() => tensor(new Float32Array(6), { shape: '6' as any }), ArgumentError, 'tensor', /shape must be an array/);
    expectTyped(() => tensor(new Float32Array(6), { shape: [4] }), ArgumentError, 'tensor', /needs 4 elements, got 6/);
    expectTyped(() => tensor([1, 2], { shape: [3] }), ArgumentError, 'tensor', /cannot shape 2 values/);
    expect(tensor(new Float32Array(6), { shape: [2, 3] }).shape).toEqual([2, 3]);
  });

  it('tensor() and scalar() refuse options that are not an object, unknown keys and bad values', () => {
    expectTyped(() => tensor([1], null as any), ArgumentError, 'tensor', /options must be an object, got null/);
    expectTyped(() => tensor([1], 5 as any), ArgumentError, 'tensor', /options must be an object/);
    expectTyped(() => tensor([1], { dtpye: 'float64' } as any), ArgumentError, 'tensor', /unknown option "dtpye"/);
    expectTyped(() => tensor([1], { dtype: 'float16' as any }), ArgumentError, 'tensor', /unknown dtype "float16"/);
    expectTyped(() => tensor([1], { requiresGrad: 'yes' as any }), ArgumentError, 'tensor', /requiresGrad must be true or false/);
    expectTyped(() => tensor('abc' as any), ArgumentError, 'tensor', /values must be/);
    expectTyped(() => scalar('1' as any), ArgumentError, 'scalar', /value must be a finite number, got "1"/);
    expectTyped(() => scalar(1n as any), ArgumentError, 'scalar', /1n/);
    expectTyped(() => scalar(Symbol('q') as any), ArgumentError, 'scalar', /Symbol\(q\)/);
    expectTyped(() => scalar(1, { dtype: Symbol('d') as any }), ArgumentError, 'scalar', /unknown dtype Symbol\(d\)/);
  });

  it('reshape: a bare integer is a 1-D shape (as PyTorch); anything else malformed is refused', () => {
    const x = ones([2, 3]);
    expect(reshape(x, 6).shape).toEqual([6]);
    expect(x.reshape(-1 as any).shape).toEqual([6]);
    expectTyped(() => reshape(x, '6' as any), ArgumentError, 'reshape', /shape must be an array of sizes, got "6"/);
    expectTyped(() => reshape(x, [-2, -3]), ArgumentError, 'reshape', /invalid size -2/);
    expectTyped(() => reshape(x, [0.5, 12]), ArgumentError, 'reshape', /invalid size 0\.5/);
    expectTyped(() => reshape(x, [NaN]), ArgumentError, 'reshape', /NaN/);
    expectTyped(() => reshape(x, [-1, -1]), ArgumentError, 'reshape', /only one size may be -1/);
    expectTyped(() => reshape(zeros([0]), [0, -1]), ShapeError, 'reshape');
  });

  it('permute(5), expand("3"), sum({ axis: "0" }) are typed errors, not "shape.slice is not a function"', () => {
    const x = ones([2, 3]);
    expectTyped(() => permute(x, 5 as any), ArgumentError, 'permute', /axes must be an array of axes, got 5/);
    expectTyped(() => expand(x, '3' as any), ArgumentError, 'expand', /shape must be an array of sizes, got "3"/);
    expectTyped(() => sum(x, { axis: '0' as any }), ArgumentError, 'sum', /axis must be an integer.*got "0"/);
    expectTyped(() => x.slice(0 as any), ArgumentError, 'slice', /begin must be an array/);
    expectTyped(() => x.slice([0], 1 as any), ArgumentError, 'slice', /size must be an array/);
    expectTyped(() => x.slice([Symbol('b')] as any), ArgumentError, 'slice', /Symbol\(b\)/);
  });

  it('expand([-2, -3]) returns at once with an error (it used to hang)', () => {
    const t0 = performance.now();
    expectTyped(() => ones([1, 1]).expand([-2, -3]), ArgumentError, 'expand', /invalid size -2/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('expand([NaN]) and booleans are refused (they gave shape [NaN] and an 8 GiB allocation)', () => {
    expectTyped(() => ones([1]).expand([NaN]), ArgumentError, 'expand', /NaN/);
    expectTyped(() => expand(scalar(1), [true, 2 ** 31] as any), ArgumentError, 'expand', /invalid size true/);
    expectTyped(() => ones([1]).expand([0.5]), ArgumentError, 'expand', /0\.5/);
  });

  it('expand keeps sizes with -1 on existing axes only, as PyTorch', () => {
    expect(ones([2, 1]).expand([-1, 3]).shape).toEqual([2, 3]);
    expect(ones([2, 1]).expand([4, -1, 3]).shape).toEqual([4, 2, 3]);
    expectTyped(() => ones([1]).expand([-1, 3]), ArgumentError, 'expand', /new leading axis/);
    expectTyped(() => ones([2, 1]).expand([3]), ShapeError, 'expand', /fewer than the 2 axes/);
    expectTyped(() => ones([2]).expand([3]), ShapeError, 'expand', /cannot expand \[2\] to \[3\]/);
  });

  it('sumTo refuses a malformed target shape', () => {
    expectTyped(() => sumTo(ones([2, 3]), [NaN] as any), ArgumentError, 'sumTo', /NaN/);
    expectTyped(() => sumTo(ones([2, 3]), 3 as any), ArgumentError, 'sumTo', /shape must be an array/);
  });

  it('shapes deeper than MAX_RANK are refused', () => {
    expectTyped(() => zeros(new Array(MAX_RANK + 1).fill(1)), ArgumentError, 'zeros', /more than the 64 axes/);
    expect(zeros(new Array(MAX_RANK).fill(1)).rank).toBe(MAX_RANK);
  });

  it('property: any garbage in a shape gives an ArgumentError naming the op, never another error', () => {
    const badSize = fc.oneof(
      fc.integer({ min: -(2 ** 40), max: -1 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, 1e300, -0.5),
      fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt(), fc.object(),
      fc.array(fc.integer(), { maxLength: 2 }),
    );
    const good = fc.integer({ min: 0, max: 3 });
    const shape = fc.tuple(fc.array(good, { maxLength: 3 }), badSize, fc.array(good, { maxLength: 3 })).map(([a, b, c]) => [...a, b, ...c]);
    fc.assert(
      fc.property(shape, fc.constantFrom('zeros', 'ones', 'rand', 'reshape', 'expand', 'tensor'), (s, op) => {
        const call: Record<string, () => unknown> = {
          zeros: () => zeros(s as any), ones: () => ones(s as any), rand: () => rand(s as any),
          reshape: () => reshape(ones([1]), s as any), expand: () => expand(ones([1]), s as any),
          tensor: () => tensor(new Float64Array(1), { shape: s as any }),
        };
        try {
          call[op]!();
        } catch (e) {
          expect(e).toBeInstanceOf(ArgumentError);
          expect((e as Error).message.startsWith(`${op}: `)).toBe(true);
          return;
        }
        throw new Error(`${op}(${describe(s)}) did not throw`);
      }),
      { numRuns: 300, seed: 8 },
    );
  });
});

group('the element limit (MAX_ELEMENTS)', () => {
  it('is 2^31 - 1: below Node 20 typed arrays\' 2^32 elements, and every index fits an Int32Array', () => {
    expect(MAX_ELEMENTS).toBe(2 ** 31 - 1);
    expect(MAX_ELEMENTS).toBeLessThan(2 ** 32);
    expect(new Int32Array([MAX_ELEMENTS - 1])[0]).toBe(MAX_ELEMENTS - 1);
  });

  it('refuses oversized tensors up front with an ArgumentError naming the function, the shape and the limit', () => {
    const limit = new RegExp(`${MAX_ELEMENTS}`);
    expectTyped(() => zeros([2 ** 31, 4]), ArgumentError, 'zeros', /2147483648/);
    const e = expectTyped(() => zeros([2 ** 16, 2 ** 16]), ArgumentError, 'zeros', /\[65536, 65536\]/);
    expect(e.message).toMatch(limit);
    expectTyped(() => arange(0, 1e300), ArgumentError, 'arange', limit);
    expectTyped(() => arange(1e300), ArgumentError, 'arange', limit);
    expectTyped(() => arange(-1e308, 1e308), ArgumentError, 'arange', limit);
    expectTyped(() => linspace(0, 1, 1e300), ArgumentError, 'linspace', /count/);
    expectTyped(() => eye(2 ** 16, 2 ** 16), ArgumentError, 'eye', limit);
    expectTyped(() => ones([1, 1]).expand([2 ** 20, 2 ** 20]), ArgumentError, 'expand', limit);
    expectTyped(() => ones([2 ** 16, 1]).add(ones([1, 2 ** 16])), ArgumentError, 'add', limit);
    expectTyped(() => tensor(new Float32Array(1), { shape: [2 ** 20, 2 ** 20, 0] }), ArgumentError, 'tensor');
    // sizes that are 0 somewhere hold no elements
    expect(zeros([0, 2 ** 30]).size).toBe(0);
  });
});

group('nested arrays', () => {
  it('a nested array that contains itself is an immediate error (it used to run out of memory)', () => {
    const a: any[] = [1];
    a[0] = a;
    const t0 = performance.now();
    expectTyped(() => tensor(a), ArgumentError, 'tensor', /contains itself/);
    expect(performance.now() - t0).toBeLessThan(500);
    const b: any[] = [[1], [2]];
    b[1][0] = b;
    expectTyped(() => tensor(b), ArgumentError, 'tensor', /element \[1\]\[0\]/);
    expectTyped(() => add(ones([1]), a), ArgumentError, 'add', /argument 'b'.*contains itself/);
  });

  it('nesting deeper than 64 levels is a clear error, not a stack overflow', () => {
    let deep: any = 1;
    for (let i = 0; i < 20000; i++) deep = [deep];
    expectTyped(() => tensor(deep), ArgumentError, 'tensor', /deeper than 64 levels/);
    let ok: any = 1;
    for (let i = 0; i < 64; i++) ok = [ok];
    expect(tensor(ok).rank).toBe(64);
    expectTyped(() => tensor([ok]), ArgumentError, 'tensor', /deeper than 64/);
  });

  it('shared sub-arrays that multiply past the element limit are refused before walking them', () => {
    let x: any = [1, 1];
    for (let i = 0; i < 40; i++) x = [x, x];
    const t0 = performance.now();
    expectTyped(() => tensor(x), ArgumentError, 'tensor', /above the limit/);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('non-number leaves are typed errors naming the element path', () => {
    const cases: [unknown, RegExp][] = [
      ['a', /"a"/], [true, /true/], [null, /null/], [1n, /1n/], [{}, /\{\}/], [undefined, /undefined/], [Symbol('z'), /Symbol\(z\)/],
    ];
    for (const [leaf, shown] of cases) {
      const e = expectTyped(() => tensor([[1, 2], [3, leaf as any]]), ArgumentError, 'tensor', /element \[1\]\[1\]/);
      expect(e.message).toMatch(shown);
    }
    expectTyped(() => tensor([1, NaN]), ArgumentError, 'tensor', /element \[1\] is NaN/);
    // a hole in a sparse array
    // eslint-disable-next-line no-sparse-arrays
    expectTyped(() => tensor([1, , 3] as any), ArgumentError, 'tensor', /element \[1\] is undefined/);
    expectTyped(() => tensor([[1, 2], [3]]), ArgumentError, 'tensor', /ragged/);
  });
});

group('axes', () => {
  const x = ones([2, 3]);
  const badAxes: [unknown, RegExp][] = [
    [2, /axis 2 is out of range for rank 2/], [-3, /axis -3 is out of range for rank 2/], [0.5, /0\.5/], ['0', /"0"/],
    [NaN, /NaN/], [null, /null/], [true, /true/], [1n, /1n/], [Symbol('a'), /Symbol\(a\)/],
  ];
  const reductions: [string, (axis: any) => unknown][] = [
    ['sum', (a) => sum(x, { axis: a })], ['mean', (a) => mean(x, { axis: a })], ['max', (a) => max(x, { axis: a })],
    ['min', (a) => min(x, { axis: a })], ['prod', (a) => prod(x, { axis: a })], ['var', (a) => variance(x, { axis: a })],
    ['std', (a) => std(x, { axis: a })], ['logSumExp', (a) => logSumExp(x, { axis: a })], ['norm', (a) => norm(x, { axis: a })],
    ['argmax', (a) => argmax(x, { axis: a })], ['argmin', (a) => argmin(x, { axis: a })], ['softmax', (a) => softmax(x, a)],
    ['logSoftmax', (a) => logSoftmax(x, a)], ['unsqueeze', (a) => unsqueeze(x, a === 2 ? 3 : a === -3 ? -4 : a)],
    ['transpose', (a) => transpose(x, a, 0)], ['flatten', (a) => flatten(x, a)], ['cat', (a) => cat([x, x], a)],
    ['stack', (a) => stack([x, x], a === 2 ? 3 : a === -3 ? -4 : a)], ['squeeze', (a) => squeeze(ones([1, 1]), a)],
  ];
  it.each(reductions)('%s: a bad axis is an ArgumentError naming the op, the axis and the rank', (op, call) => {
    for (const [axis, shown] of badAxes) {
      const e = expectTyped(() => call(axis), ArgumentError, op);
      if (typeof axis === 'number' && Number.isInteger(axis)) expect(e.message).toMatch(/out of range for rank \d/);
      else expect(e.message).toMatch(shown);
    }
  });

  it('axis lists: repeats and garbage are refused', () => {
    expectTyped(() => sum(x, { axis: [0, 0] }), ArgumentError, 'sum', /repeats an axis/);
    expectTyped(() => sum(x, { axis: [0, '1'] as any }), ArgumentError, 'sum', /"1"/);
    expectTyped(() => sum(x, { axis: {} as any }), ArgumentError, 'sum', /axis must be an integer or an array/);
    expectTyped(() => permute(x, [0, 0]), ArgumentError, 'permute', /repeat an axis/);
    expectTyped(() => permute(x, [0, 2]), ArgumentError, 'permute', /axis 2 is out of range/);
  });

  it('reduction options must be an object with known keys and boolean keepDims', () => {
    for (const bad of [5, 'axis', null, [0], true]) expectTyped(() => sum(x, bad as any), ArgumentError, 'sum', /options must be an object/);
    expectTyped(() => sum(x, { dim: 0 } as any), ArgumentError, 'sum', /unknown option "dim" \(expected axis, keepDims\)/);
    expectTyped(() => mean(x, { axis: 0, keepDims: 'yes' as any }), ArgumentError, 'mean', /keepDims must be true or false, got "yes"/);
    expectTyped(() => argmax(x, { keepdim: true } as any), ArgumentError, 'argmax', /unknown option "keepdim"/);
    expectTyped(() => norm(x, { p: '2' as any }), ArgumentError, 'norm', /p must be a positive number or Infinity, got "2"/);
  });

  it('argmax/argmin of a 0-d tensor along axis 0 or -1 is 0 (PyTorch); axis 1 is out of range', () => {
    const s = tensor(5);
    for (const axis of [0, -1]) {
      for (const f of [argmax, argmin]) {
        const r = f(s, { axis });
        expect(r.shape).toEqual([]);
        expect(r.item()).toBe(0);
      }
    }
    expect(argmax(s, { axis: 0, keepDims: true }).shape).toEqual([]);
    expectTyped(() => argmax(s, { axis: 1 }), ArgumentError, 'argmax', /axis 1 is out of range for rank 0 \(expected -1\.\.0\)/);
  });

  it('squeeze(0) of a 0-d tensor returns it (PyTorch), squeeze(1) is out of range', () => {
    const s = tensor(5);
    expect(squeeze(s, 0)).toBe(s);
    expect(squeeze(s, -1).item()).toBe(5);
    expect(squeeze(s, [0]).shape).toEqual([]);
    expectTyped(() => squeeze(s, 1), ArgumentError, 'squeeze', /axis 1 is out of range for rank 0/);
  });

  it('0-d and 1-d tensors take axes 0 and -1 where PyTorch does, and no others', () => {
    const s = tensor(5);
    expect(sum(s, { axis: 0 }).item()).toBe(5);
    expect(flatten(s, 0, 0).shape).toEqual([1]);
    expectTyped(() => flatten(s, 1), ArgumentError, 'flatten', /startAxis 1 is out of range/);
    expect(transpose(s).shape).toEqual([]);
    expect(ones([3]).T.shape).toEqual([3]);
    expectTyped(() => transpose(ones([3]), 0, 1), ArgumentError, 'transpose', /axis1 1 is out of range for rank 1/);
    expect(unsqueeze(s, -1).shape).toEqual([1]);
    expectTyped(() => unsqueeze(s, -2), ArgumentError, 'unsqueeze', /out of range/);
    expect(softmax(s, 0).item()).toBe(1);
  });

  it('var/std: correction must be an integer (PyTorch 1.13); negative values are allowed', () => {
    const v = tensor([1, 2, 3], { dtype: 'float64' });
    for (const bad of [NaN, Infinity, -Infinity, 0.5, '1', null, 1n]) {
      expectTyped(() => variance(v, { correction: bad as any }), ArgumentError, 'var', /correction must be an integer/);
      expectTyped(() => std(v, { correction: bad as any }), ArgumentError, 'std', /^std: var: correction/);
    }
    expect(variance(v, { correction: -1 }).item()).toBeCloseTo(0.5, 12);
    expect(variance(v, { correction: 0 }).item()).toBeCloseTo(2 / 3, 12);
    expectTyped(() => variance(v, { correction: 3 }), ArgumentError, 'var', /correction=3/);
  });
});

group('random', () => {
  it('Generator.permutation refuses negative, fractional and non-number n', () => {
    const g = new Generator(1);
    for (const bad of [-1, 2.5, NaN, Infinity, '3', null, 1n, 2 ** 31]) {
      expectTyped(() => g.permutation(bad as any), ArgumentError, 'permutation', /n must be an integer from 0/);
    }
    expect(g.permutation(0)).toEqual([]);
    expect(g.permutation(5).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('other generator functions refuse garbage', () => {
    const g = new Generator(1);
    expectTyped(() => g.randint(0, 1.5), ArgumentError, 'randint', /high=1\.5/);
    expectTyped(() => g.randint(3, 3), ArgumentError, 'randint');
    expectTyped(() => g.randint(0, 2 ** 60), ArgumentError, 'randint');
    expectTyped(() => g.uniform('a' as any), ArgumentError, 'uniform', /low must be a finite number, got "a"/);
    expectTyped(() => g.uniform(0, NaN), ArgumentError, 'uniform', /high/);
    expectTyped(() => g.normal(0, -1), ArgumentError, 'normal', /std must be >= 0/);
    expectTyped(() => g.normal(NaN), ArgumentError, 'normal', /mean/);
    expectTyped(() => g.manualSeed(Symbol('s') as any), ArgumentError, 'manualSeed', /Symbol\(s\)/);
    expectTyped(() => new Generator(1n as any), ArgumentError, 'Generator', /1n/);
    expectTyped(() => new Generator(1).manualSeed(1n as any), ArgumentError, 'manualSeed', /1n/);
    expectTyped(() => rand([2], { generator: {} as any }), ArgumentError, 'rand', /generator must be a Generator/);
    expectTyped(() => randn([2], { seed: 1 } as any), ArgumentError, 'randn', /unknown option "seed"/);
    expectTyped(() => randint(0, 2.5, [2]), ArgumentError, 'randint');
    expectTyped(() => zeros([2], { generator: new Generator() } as any), ArgumentError, 'zeros', /unknown option "generator"/);
  });
});

group('other public functions with garbage arguments', () => {
  const x = tensor([1, -2, 3]);
  it('creation functions', () => {
    expectTyped(() => eye(-1), ArgumentError, 'eye', /n must be an integer/);
    expectTyped(() => eye(2.5), ArgumentError, 'eye', /2\.5/);
    expectTyped(() => eye(2, '3' as any), ArgumentError, 'eye', /m must be an integer/);
    expectTyped(() => arange('3' as any), ArgumentError, 'arange', /end must be a finite number, got "3"/);
    expectTyped(() => arange(0, 3, 0), ArgumentError, 'arange', /step must not be zero/);
    expectTyped(() => linspace(0, 1, -1), ArgumentError, 'linspace', /count/);
    expectTyped(() => full([2], '1' as any), ArgumentError, 'full', /value must be a number, got "1"/);
    expectTyped(() => full([2], 1, { dtype: 'int8' as any }), ArgumentError, 'full', /unknown dtype "int8"/);
    expectTyped(() => zerosLike([1, 2] as any), ArgumentError, 'zerosLike', /must be a Tensor/);
    expectTyped(() => onesLike(x, { requiresGrad: 1 } as any), ArgumentError, 'onesLike', /requiresGrad/);
    expectTyped(() => fullLike(x, 1n as any), ArgumentError, 'fullLike', /1n/);
  });

  it('elementwise ops and activations', () => {
    expectTyped(() => clamp(x, '0' as any), ArgumentError, 'clamp', /min is "0"/);
    expectTyped(() => clamp(x, 0, Symbol('m') as any), ArgumentError, 'clamp', /Symbol\(m\)/);
    expectTyped(() => clamp(x, NaN), ArgumentError, 'clamp', /NaN/);
    expectTyped(() => clamp(x, 2, 1), ArgumentError, 'clamp', /greater than max/);
    expectTyped(() => pow(x, 'a' as any), ArgumentError, 'pow', /argument 'b'/);
    expectTyped(() => pow(x, 1n as any), ArgumentError, 'pow', /1n/);
    expectTyped(() => leakyRelu(x, Symbol('s') as any), ArgumentError, 'leakyRelu', /Symbol\(s\)/);
    expectTyped(() => leakyRelu(x, '0.1' as any), ArgumentError, 'leakyRelu', /"0\.1"/);
    expectTyped(() => elu(x, NaN), ArgumentError, 'elu', /NaN/);
    expectTyped(() => softplus(x, null as any), ArgumentError, 'softplus', /options must be an object/);
    expectTyped(() => softplus(x, { beta: '1' as any }), ArgumentError, 'softplus', /beta/);
    expectTyped(() => softplus(x, { threshold: NaN }), ArgumentError, 'softplus', /threshold/);
    expectTyped(() => x.to('float16' as any), ArgumentError, 'cast', /float16/);
    for (const bad of ['a', {}, 1n, Symbol('t'), null, undefined, true, () => 1]) {
      expectTyped(() => add(x, bad as any), ArgumentError, 'add', /argument 'b' must be a Tensor, a number or a nested array/);
    }
    expectTyped(() => cat(5 as any), ArgumentError, 'cat', /got 5/);
    expectTyped(() => stack([]), ArgumentError, 'stack', /non-empty list/);
  });

  it('slice bounds', () => {
    expectTyped(() => slice(ones([3]), [NaN]), ArgumentError, 'slice', /begin NaN/);
    expectTyped(() => slice(ones([3]), [0], [0.5]), ArgumentError, 'slice', /size 0\.5/);
    expectTyped(() => slice(ones([3]), [4]), ArgumentError, 'slice', /out of range/);
  });
});

group('describe() and formatShape() never throw', () => {
  it('on BigInt, Symbol, cyclic arrays, objects without a prototype and hostile proxies', () => {
    const cyclic: any[] = [1];
    cyclic.push(cyclic);
    const hostile = new Proxy({}, { get() { throw new Error('boom'); }, ownKeys() { throw new Error('boom'); } });
    const values = [1n, Symbol('x'), cyclic, Object.create(null), hostile, () => 1, 'x'.repeat(1000), new Float32Array(3), ones([2])];
    for (const v of values) expect(typeof describe(v)).toBe('string');
    expect(describe(1n)).toBe('1n');
    expect(describe(ones([2]))).toBe('Tensor of shape [2]');
    expect(describe(cyclic)).toBe('[1, [1, [array of 2]]]');
    expect(formatShape([1, Symbol('s'), 2n] as any)).toBe('[1, Symbol(s), 2n]');
  });

  it('checkShape returns a fresh validated copy', () => {
    const s = [2, 3];
    const out = checkShape('zeros', 'shape', s);
    expect(out).toEqual([2, 3]);
    expect(out).not.toBe(s);
    expect(checkShape('expand', 'shape', [-1, 2], true)).toEqual([-1, 2]);
  });
});

// keep Tensor referenced for the type-only import above
void Tensor;
