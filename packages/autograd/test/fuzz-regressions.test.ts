/**
 * Regression tests for the findings of the adversarial fuzz suite (test/fuzz, issue 8) in
 * @memograd/autograd: each case is the smallest form of a bad case the suite reported. A failure
 * here names the class of the finding (composite names, constructor, raw errors, messages, results,
 * oracle).
 */
import { describe as group, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, GradcheckError, Generator, GraphError, MemogradError, ShapeError, Tensor,
  arange, assertGradcheck, assertGradgradcheck, broadcastShapes, cast, clamp, customFunction, defineOp, erf, erfc,
  explain, formatShape, gradcheck, gradgradcheck, indexSelect, linear, ones, outer, renameError, renameErrors,
  stableSigmoid, stack, std, tensor, toDot, toTensor, hessian, gather, Node, pow, norm,
  conv1d, conv2d, convTranspose2d, unfold, fold, chunk, zeros, maskedFill, indexPut, checkDerivation, hardswish, hypot, pad,
} from '../src/index.ts';
import { judgeError, judgeResult, type FuzzEntry } from './fuzz/harness.ts';
import { elementwiseCheck } from './fuzz/entries.ts';

type ErrorClass = new (...args: any[]) => MemogradError;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}

/** fn throws `cls` whose message starts with `op: ` (and matches `re`), with `op` as its field. */
function expectTyped(fn: () => unknown, cls: ErrorClass, op: string, re?: RegExp): MemogradError {
  const e = thrown(fn);
  expect(e, `expected ${op} to throw ${cls.name}`).toBeInstanceOf(cls);
  const m = e as MemogradError;
  expect(m.message.startsWith(`${op}: `), m.message).toBe(true);
  expect(m.op).toBe(op);
  if (re !== undefined) expect(m.message).toMatch(re);
  return m;
}

/** A message built from a missing or mangled value. */
const MANGLED = /\[object Object\]|\bundefined\b|\bNaN\b/;

const f32 = (shape: number[]) => ones(shape);
const f64 = (shape: number[]) => ones(shape, { dtype: 'float64' });

group('composite functions name themselves, not the op they are built from', () => {
  it('std: errors of var and mean say std', () => {
    expectTyped(() => std(ones([2]), { axis: 1 }), ArgumentError, 'std', /^std: var: axis 1 is out of range/);
    expectTyped(() => std(ones([1])), ArgumentError, 'std', /correction=1/);
    expectTyped(() => std(/re/ as never), ArgumentError, 'std', /argument 'x'/);
    expectTyped(() => std(ones([2]), 1 as never), ArgumentError, 'std', /options must be an object/);
    // correction -1 over an empty selection: var's inner mean refuses it; std and var name themselves
    expectTyped(() => std(ones([0, 0]), { correction: -1 }), ShapeError, 'std', /empty selection/);
    expectTyped(() => ones([0, 0]).var({ correction: -1 }), ShapeError, 'var', /empty selection/);
  });

  it('outer, linear and stack: a dtype mix names the called function; the class and fields are kept', () => {
    expectTyped(() => outer(f32([1]), f64([1])), DTypeError, 'outer', /cannot mix float32 and float64/);
    expectTyped(() => f64([3]).outer(f32([3])), DTypeError, 'outer');
    expectTyped(() => linear(f32([1]), f64([2, 1])), DTypeError, 'linear', /^linear: matmul: /);
    expectTyped(() => linear(f64([2]), f64([2, 2]), f32([2])), DTypeError, 'linear', /^linear: add: /);
    expectTyped(() => linear(f32([2]), f32([1, 2]), new Date(0) as never), ArgumentError, 'linear', /Date/);
    const e = expectTyped(() => stack([f32([2, 3]), f64([2, 3])]), DTypeError, 'stack', /^stack: cat: /);
    expect((e as Error & { cause?: unknown }).cause).toBeInstanceOf(DTypeError);
  });

  it('new Generator(seed) says Generator; manualSeed says manualSeed', () => {
    expectTyped(() => new Generator(Infinity), ArgumentError, 'Generator', /seed must be a finite number, got Infinity/);
    expectTyped(() => new Generator('1e3' as never), ArgumentError, 'Generator', /"1e3"/);
    expectTyped(() => new Generator(0).manualSeed(Infinity), ArgumentError, 'manualSeed');
  });

  it('assertGradcheck / gradgradcheck / assertGradgradcheck name themselves', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    expectTyped(() => assertGradcheck(false as never, [x]), ArgumentError, 'assertGradcheck', /argument 'f' must be a function/);
    expectTyped(() => assertGradgradcheck([1, 'a'] as never, [x]), ArgumentError, 'assertGradgradcheck', /argument 'f'/);
    expectTyped(() => gradgradcheck(undefined as never, [x]), ArgumentError, 'gradgradcheck', /argument 'f'/);
    expectTyped(() => assertGradcheck((t: Tensor) => t.sum(), [x.detach()]), ArgumentError, 'assertGradcheck', /no input requires grad/);
    expectTyped(() => assertGradcheck((t: Tensor) => t.sum(), [x.float32()]), DTypeError, 'assertGradcheck', /is float32/);
  });

  it('renameErrors / renameError: same class and fields, op renamed, other errors unchanged', () => {
    const e = expectTyped(() => renameErrors('myOp', () => ones([2]).add(ones([3]))), ShapeError, 'myOp', /^myOp: add: /);
    expect((e as ShapeError).shapes).toEqual([[2], [3]]);
    const user = new Error('mine');
    expect(thrown(() => renameErrors('myOp', () => { throw user; }))).toBe(user);
    expect(renameErrors('myOp', () => 7)).toBe(7);
    const own = new ArgumentError('myOp', 'x');
    expect(renameError('myOp', own)).toBe(own);
    expectTyped(() => renameErrors('' as never, () => 1), ArgumentError, 'renameErrors', /non-empty string/);
    expectTyped(() => renameErrors('x', 3 as never), ArgumentError, 'renameErrors', /argument 'f'/);
    expectTyped(() => renameError(3 as never, own), ArgumentError, 'renameError');
  });
});

group('new Tensor(data, shape, dtype) and the grad setter validate', () => {
  it('refuses data that is not a Float32Array/Float64Array, bad shapes and sizes, a mismatched dtype', () => {
    expectTyped(() => new Tensor([[]] as never, [] as never), ArgumentError, 'Tensor', /data must be a Float32Array or a Float64Array/);
    expectTyped(() => new Tensor(new Float32Array(6), ['3'] as never), ArgumentError, 'Tensor', /shape \["3"\] has an invalid size "3"/);
    expectTyped(() => new Tensor(new Float32Array(1), [NaN]), ArgumentError, 'Tensor', /invalid size NaN/);
    expectTyped(() => new Tensor(new Float32Array(1), [0.5]), ArgumentError, 'Tensor', /invalid size 0.5/);
    expectTyped(() => new Tensor(new Float64Array(2), new Date(0) as never), ArgumentError, 'Tensor', /shape must be an array/);
    expectTyped(() => new Tensor(new Float32Array(6), [2]), ArgumentError, 'Tensor', /shape \[2\] needs 2 elements, but data has 6/);
    expectTyped(() => new Tensor(new Float32Array(6), []), ArgumentError, 'Tensor', /needs 1 elements/);
    expectTyped(() => new Tensor(null, [3, 1, 1, 0]), ArgumentError, 'Tensor', /null only for a 0-d tensor/);
    expectTyped(() => new Tensor(new Float32Array(2), [2], 'float64'), DTypeError, 'Tensor', /does not match the data, a Float32Array/);
    expectTyped(() => new Tensor(new Float32Array(2), [2], 'int8' as never), ArgumentError, 'Tensor', /unknown dtype "int8"/);
  });

  it('accepts the valid forms (data kept, shape copied)', () => {
    const d = new Float64Array([1, 2, 3, 4, 5, 6]);
    const shape = [2, 3];
    const t = new Tensor(d, shape);
    expect(t.dtype).toBe('float64');
    expect(t.data).toBe(d);
    shape[0] = 7;
    expect(t.shape).toEqual([2, 3]);
    expect(new Tensor(new Float32Array(0), [2, 0], 'float32').size).toBe(0);
    const z = new Tensor(null, [], 'float64');
    expect([z.item(), z.dtype]).toEqual([0, 'float64']);
  });

  it('grad = x takes a Tensor of the same shape and dtype, or null (PyTorch: "assigned grad has data of a different size")', () => {
    const t = f32([2]);
    for (const bad of [1, '', false, Symbol('s'), [1, 'a'], () => 3, /re/, new BigInt64Array(2)]) {
      expectTyped(() => { t.grad = bad as never; }, ArgumentError, 'grad', /must be a Tensor or null/);
    }
    expectTyped(() => { t.grad = f32([3]); }, ArgumentError, 'grad', /has shape \[3\], but the tensor has shape \[2\]/);
    expectTyped(() => { t.grad = f64([2]); }, DTypeError, 'grad', /is float64, but the tensor is float32/);
    expect(t.grad).toBeNull();
    const g = f32([2]);
    t.grad = g;
    expect(t.grad).toBe(g);
    t.grad = null;
    expect(t.grad).toBeNull();
  });
});

group('raw errors become typed ArgumentErrors', () => {
  it('defineOp with a non-object or an incomplete definition', () => {
    for (const bad of [false, -Infinity, '', '3', null, [], () => 3]) {
      expectTyped(() => defineOp(bad as never), ArgumentError, 'defineOp', /the definition must be an object/);
    }
    expectTyped(() => defineOp({} as never), ArgumentError, 'defineOp', /'name' must be a non-empty string, got nothing \(the key is missing\)/);
    const ok = { name: 'mine', inputs: ['x'], shape: () => [], forward: () => new Float32Array(1), backward: () => [null], test: null };
    expectTyped(() => defineOp({ ...ok, forward: 3 } as never), ArgumentError, 'defineOp', /'mine': 'forward' must be a function, got 3/);
    expectTyped(() => defineOp(Object.freeze({ ...ok }) as never), ArgumentError, 'defineOp', /frozen/);
    expect(defineOp(ok as never).name).toBe('mine');
  });

  it('erf, erfc, stableSigmoid with a non-number', () => {
    expectTyped(() => erf(1n as never), ArgumentError, 'erf', /argument 'x' must be a Tensor, a number or a nested array, got 1n/);
    expectTyped(() => erfc('1' as never), ArgumentError, 'erfc', /"1"/);
    expectTyped(() => stableSigmoid(2n ** 64n as never), ArgumentError, 'stableSigmoid', /18446744073709551616n/);
    expect(Number.isNaN(erf(NaN).item())).toBe(true);
    expect(stableSigmoid(0)).toBe(0.5);
  });

  it('formatShape, toDot and explain with garbage', () => {
    expectTyped(() => formatShape(-2.5 as never), ArgumentError, 'formatShape', /shape must be an array of sizes, got -2.5/);
    expect(formatShape([2, 3])).toBe('[2, 3]');
    expectTyped(() => toDot(undefined as never), ArgumentError, 'toDot', /argument 'output' must be a Tensor/);
    expectTyped(() => toDot([1n] as never), ArgumentError, 'toDot', /\[1n\]/);
    expectTyped(() => explain({} as never), ArgumentError, 'explain');
    expectTyped(() => explain(f32([1]).sum(), { all: 'yes' } as never), ArgumentError, 'explain', /all must be true or false/);
  });

  it('gradcheck and gradgradcheck: f returning a non-tensor, bad options, bad gradOutputs', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    expectTyped(() => gradgradcheck((() => 3) as never, [x]), ArgumentError, 'gradgradcheck', /f must return a Tensor or a non-empty array of Tensors, got 3/);
    expectTyped(() => gradcheck((() => [3]) as never, [x]), ArgumentError, 'gradcheck', /f must return/);
    expectTyped(() => gradcheck((t: Tensor) => t.sum(), [x], { eps: NaN }), ArgumentError, 'gradcheck', /eps must be a finite number > 0, got NaN/);
    expectTyped(() => gradcheck((t: Tensor) => t.sum(), [x], { eps: -1 }), ArgumentError, 'gradcheck', /eps/);
    expectTyped(() => gradcheck((t: Tensor) => t.sum(), [x], { atol: -1 }), ArgumentError, 'gradcheck', /atol/);
    expectTyped(() => gradcheck((t: Tensor) => t.sum(), [x], { fastMode: 1 } as never), ArgumentError, 'gradcheck', /fastMode/);
    expectTyped(() => gradcheck((t: Tensor) => t.sum(), [x], { name: [null] } as never), ArgumentError, 'gradcheck', /name must be a string/);
    expectTyped(() => gradcheck((t: Tensor) => t.sum(), [x], { gradOutputs: [] } as never), ArgumentError, 'gradcheck', /unknown option "gradOutputs"/);
    expectTyped(() => gradgradcheck((t: Tensor) => t.sum(), [x], { gradOutputs: [f64([3])] }), ArgumentError, 'gradgradcheck', /gradOutputs\[0\] must be a Tensor of shape \[\]/);
    // the valid paths still work, and a failing check is still a GradcheckError named after the check
    expect(gradcheck((t: Tensor) => t.mul(t).sum(), [x]).ok).toBe(true);
    expect(gradgradcheck((t: Tensor) => t.mul(t).mul(t).sum(), [x]).ok).toBe(true);
    expect(assertGradgradcheck((t: Tensor) => t.mul(t).sum(), [x], { gradOutputs: [tensor(1, { dtype: 'float64', requiresGrad: true })] }).ok).toBe(true);
    const wrong = customFunction({ name: 'wrong', forward: ([t]) => t!.mul(2), backward: ({ grad }) => [grad.mul(3)] });
    expectTyped(() => assertGradcheck((t: Tensor) => wrong([t]).sum(), [x]), GradcheckError, 'gradcheck', /Jacobian mismatch/);
  });
});

group('messages do not print values that no argument is', () => {
  it('cast / .to() with an object dtype describes it', () => {
    const e = expectTyped(() => cast([[]] as never, { valueOf: () => 2 } as never), ArgumentError, 'cast', /unknown dtype \{ valueOf: function valueOf \}/);
    expect(e.message).not.toMatch(MANGLED);
    expect(thrown(() => f32([2]).to({ length: 3 } as never))).toHaveProperty('message', expect.not.stringMatching(MANGLED));
  });

  it('clamp: a non-number bound is named; the text says NaN only for a NaN bound', () => {
    const e = expectTyped(() => clamp(f32([2]), undefined, [true, 2] as never), ArgumentError, 'clamp', /^clamp: max is \[true, 2\]; each bound must be a number/);
    expect(e.message).not.toMatch(MANGLED);
    expect(expectTyped(() => clamp(f32([2]), new Date(0) as never), ArgumentError, 'clamp', /min is a Date/).message).not.toMatch(MANGLED);
    expectTyped(() => clamp(f32([2]), 0, NaN), ArgumentError, 'clamp', /^clamp: max is NaN/);
    expect(clamp(tensor([-2, 0.5, 2]), null, 1).toArray()).toEqual([-2, 0.5, 1]);
  });

  it('customFunction: an array spec and a missing key are described, not printed as undefined', () => {
    const e = expectTyped(() => customFunction([true, 2] as never), ArgumentError, 'customFunction', /argument 'spec' must be an object/);
    expect(e.message).not.toMatch(MANGLED);
    const m = expectTyped(() => customFunction({ forward: () => 3 } as never), ArgumentError, 'customFunction', /spec.name must be a non-empty string, but it is missing/);
    expect(m.message).not.toMatch(MANGLED);
  });

  it("customFunction: a backward returning a number is refused by backward(), naming the function's rule", () => {
    const bad = customFunction({ name: 'bad', forward: ([t]) => t!.mul(2), backward: (() => 3) as never });
    const x = tensor([1, 2], { requiresGrad: true });
    expectTyped(() => bad([x]).sum().backward(), GraphError, 'backward', /rule for 'bad' returned number 3/);
    expect(x.grad).toBeNull();
  });

  it('broadcastShapes: a garbage op name is replaced by broadcastShapes; a real one is kept', () => {
    for (const op of [() => 3, -2.5, ['1', '2'], new Int32Array(2), '', 'a b']) {
      expectTyped(() => broadcastShapes(op as never, [1, 2], [-2, -3]), ArgumentError, 'broadcastShapes', /integer sizes >= 0/);
    }
    expectTyped(() => broadcastShapes(null as never, [3, 2], [2, 0, 3]), ShapeError, 'broadcastShapes', /cannot be broadcast/);
    expectTyped(() => broadcastShapes('add', [3, 2], [2, 0, 3]), ShapeError, 'add', /cannot be broadcast/);
    expectTyped(() => broadcastShapes('Linear.call', [3], [2]), ShapeError, 'Linear.call');
    expect(broadcastShapes('add', [2, 1], [3])).toEqual([2, 3]);
  });
});

group('results agree with PyTorch 1.13', () => {
  it('pow with a tiny number exponent keeps it a double: float32 (-1)^-9e-323 is NaN, 0^-9e-323 is inf', () => {
    // torch.tensor([1.375, -1., 0., 2.]).pow(-9e-323) == tensor([1., nan, inf, 1.])
    const out = tensor([1.375, -1, 0, 2]).pow(-9e-323).toArray() as number[];
    expect(out).toEqual([1, NaN, Infinity, 1]);
  });

  it('indexSelect on a 0-d tensor returns a 0-d tensor (torch.index_select(tensor(5.), 0, tensor([0])) is tensor(5.))', () => {
    const y = indexSelect(tensor(5), 0, [0]);
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(5);
  });

  it('arange(end, undefined, step) is [0, end) by step (NumPy; torch.arange(0, -4.89e-25, -1) is [0.])', () => {
    expect(arange(-4.893854171111829e-25, undefined, -1).toArray()).toEqual([0]);
    expect(arange(-3, undefined, -1).toArray()).toEqual([0, -1, -2]);
    expect(arange(5, undefined, 2).toArray()).toEqual([0, 2, 4]);
  });
});

group('the fuzz oracle', () => {
  const entry = (extra: Partial<FuzzEntry> = {}): FuzzEntry => ({ name: 'nn.Sequential#forward', covers: [], gen: null as never, call: () => null, ...extra });
  const c = { args: [] };

  it('accepts type text that contains null/undefined/NaN, and still flags a mangled value', () => {
    for (const msg of [
      "argument 'hook' must be a function (grad) => Tensor | undefined, got 3",
      'the assigned grad must be a Tensor or null, got 1',
      'bounds must be numbers, null or undefined, got min="0"',
      "it must return an array of one gradient (Tensor or null) per input",
      'a bound must be a number that is not NaN',
    ]) {
      expect(judgeError(new ArgumentError('forward', msg), entry(), c, '')).toBeNull();
    }
    for (const msg of ['got undefined', 'got [object Object]', 'size NaN is invalid', 'name is null', 'got string "a", then NaN']) {
      expect(judgeError(new ArgumentError('forward', msg), entry(), c, '')?.kind).toBe('message');
    }
    // a quoted string is a value the caller passed (nn's describe: got string "NaN")
    expect(judgeError(new ArgumentError('forward', 'zeroInfinity must be a boolean, got string "NaN"'), entry(), c, '')).toBeNull();
    expect(judgeError(new ArgumentError('forward', 'got "say \\"undefined\\" here"'), entry(), c, '')).toBeNull();
  });

  it('acceptPrefixes: a list or a function of the case adds accepted names; others are still refused', () => {
    const inner = new ShapeError('Linear.call', 'expected input with last dimension 3, got [2, 4]');
    expect(judgeError(inner, entry(), c, '')?.kind).toBe('message');
    expect(judgeError(inner, entry({ acceptPrefixes: ['Linear'] }), c, '')).toBeNull();
    expect(judgeError(inner, entry({ acceptPrefixes: () => ['Linear'] }), c, '')).toBeNull();
    expect(judgeError(inner, entry({ acceptPrefixes: () => ['LayerNorm'] }), c, '')?.kind).toBe('message');
    expect(judgeError(inner, entry({ acceptPrefixes: () => { throw new Error('x'); } }), c, '')?.kind).toBe('message');
    expect(judgeError(new ShapeError('forward', 'fine'), entry({ acceptPrefixes: ['Linear'] }), c, '')).toBeNull();
  });
});

group('findings of the long runs (300 runs per entry, seeds 20260807, 1, 2)', () => {
  it('toTensor: a garbage op name is replaced by toTensor, a garbage dtype is refused', () => {
    expectTyped(() => toTensor('abc' as never, 'x', (() => 3) as never), ArgumentError, 'toTensor', /argument 'x' must be a Tensor/);
    expectTyped(() => toTensor('-1' as never, 'x', '' as never), ArgumentError, 'toTensor');
    expectTyped(() => toTensor([true, 2] as never, 'x', 2n ** 64n as never), ArgumentError, 'toTensor', /element \[0\] is true/);
    expectTyped(() => toTensor(2 ** 53, '' as never, 'op', ones([2]) as never), ArgumentError, 'op', /unknown dtype Tensor of shape \[2\]/);
    expectTyped(() => toTensor({} as never, 'x', 'myOp'), ArgumentError, 'myOp', /argument 'x'/);
    expect(toTensor(2, 'x', 'op', 'float64').dtype).toBe('float64');
  });

  it('broadcastShapes validates equal shapes too', () => {
    expectTyped(() => broadcastShapes(Symbol('s') as never, [null] as never, [null] as never), ArgumentError, 'broadcastShapes', /integer sizes >= 0 \(dim 0: null\)/);
    expectTyped(() => broadcastShapes('add', [-1], [-1]), ArgumentError, 'add', /dim 0: -1/);
    expect(broadcastShapes('add', [2, 3], [2, 3])).toEqual([2, 3]);
  });

  it('hessian of a function of an empty tensor is an empty [0, 0] Hessian (PyTorch)', () => {
    const h = hessian((x: Tensor) => x.mul(x).sum(), tensor([], { dtype: 'float64' }));
    expect(h.shape).toEqual([0, 0]);
  });

  it('sign(NaN) is 0 and gather on a 0-d tensor gives the index shape, as in PyTorch 1.13', () => {
    // torch.sign(tensor([nan, 1., -0.])) == tensor([0., 1., 0.])
    expect(tensor(new Float32Array([NaN, 1, -2])).sign().toArray()).toEqual([0, 1, -1]);
    // torch.gather(tensor(5.), 0, tensor([0, 0])) == tensor([5., 5.])
    const g = gather(tensor(5), 0, [0, 0]);
    expect([g.shape, g.toArray()]).toEqual([[2], [5, 5]]);
  });
});

group('findings of the long runs with seeds 1 and 2', () => {
  it('new Node(garbage) is a typed error', () => {
    expectTyped(() => new Node(undefined as never), ArgumentError, 'Node', /argument 't' must be a Tensor/);
    const y = tensor([1, 2], { requiresGrad: true }).mul(2);
    expect(new Node(y).op.name).toBe('mul');
  });

  it('pow with a number exponent names pow for a bad base (not the internal powScalar)', () => {
    expectTyped(() => pow(['1', '2'] as never, 4.4e-323), ArgumentError, 'pow', /argument 'a': element \[0\] is "1"/);
    expectTyped(() => pow({} as never, 2), ArgumentError, 'pow', /argument 'a' must be a Tensor/);
    expect(pow([2, 3], 2).toArray()).toEqual([4, 9]);
  });

  it('norm with p = Infinity over an empty axis names norm', () => {
    expectTyped(() => norm(ones([0, 1, 4]), { p: Infinity, axis: -3 }), ShapeError, 'norm', /^norm: max: cannot reduce an empty axis/);
  });

  it('gather with a 0-d index into a 1-D tensor is 0-d, as in PyTorch', () => {
    // torch.gather(tensor([1., 2.]), 0, tensor(1)) == tensor(2.)
    const g = gather(tensor([1, 2]), 0, 1 as never);
    expect([g.shape, g.item()]).toEqual([[], 2]);
    expect(gather(tensor([1.375]), 0, -0 as never).item()).toBe(1.375);
  });
});

group('findings of the long runs with seeds 777001, 1001 and 2002 (300 and 1,000 runs per entry)', () => {
  const x4 = () => tensor(new Float32Array(12), { shape: [1, 1, 3, 4] });
  const w4 = () => tensor(new Float32Array(4), { shape: [1, 1, 2, 2] });

  it('convolutions, unfold and fold refuse a padding, stride or dilation too large for any array, naming themselves', () => {
    // was: conv2dCore's message (Infinity output size), or a raw RangeError from the columns buffer
    expectTyped(() => conv2d(tensor(new Float32Array(12), { shape: [1, 3, 4] }), tensor([[[[1.875]]], [[[0.5]]]]), null, { padding: Number.MAX_VALUE }), ShapeError, 'conv2d', /padded input along the height .* is too large/);
    expectTyped(() => conv2d(x4(), w4(), null, { padding: 2 ** 20 }), ArgumentError, 'conv2d', /the result would have shape \[1, 1, 2097154, 2097155\]/);
    expectTyped(() => conv1d(tensor(new Float32Array(4), { shape: [1, 1, 4] }), tensor([[[1]]]), null, { padding: 2 ** 31 }), ArgumentError, 'conv1d', /the result would have shape/);
    expectTyped(() => convTranspose2d(x4(), w4(), null, { stride: 1e300 }), ShapeError, 'convTranspose2d', /the output size \[2e\+300, 3e\+300\] is too large/);
    expectTyped(() => convTranspose2d(x4(), w4(), null, { dilation: 2 ** 20 }), ArgumentError, 'convTranspose2d', /the result would have shape/);
    expectTyped(() => unfold(x4(), 1, { padding: 2 ** 20 }), ArgumentError, 'unfold', /the result would have shape/);
    expectTyped(() => fold(tensor(new Float32Array(1), { shape: [1, 1, 1] }), [2 ** 20, 2 ** 20], 1, { stride: 2 ** 20 }), ArgumentError, 'fold', /the result would have shape \[1, 1, 1048576, 1048576\]/);
    // sizes that fit still work
    expect(conv2d(x4(), w4(), null, { padding: 3 }).shape).toEqual([1, 1, 8, 9]);
    expect(fold(tensor(new Float32Array(1), { shape: [1, 1, 1] }), [5, 5], 1, { stride: 5 }).shape).toEqual([1, 1, 5, 5]);
  });

  it('chunk refuses more than MAX_ELEMENTS chunks (an empty axis would give that many pieces)', () => {
    expectTyped(() => chunk(zeros([0]), 2 ** 32 + 1, -1), ArgumentError, 'chunk', /chunks must be an integer from 1 to 2147483647, got 4294967297/);
    expectTyped(() => tensor([1, 2]).chunk(1e300, 0), ArgumentError, 'chunk');
    expect(chunk(zeros([0]), 5).map((p) => p.shape)).toEqual([[0], [0], [0], [0], [0]]); // PyTorch: 5 empty pieces
  });

  it('masks and indices nested deeper than MAX_RANK, or containing themselves, are refused without recursion or a hang', () => {
    let deep: unknown = [true];
    for (let i = 0; i < 20000; i++) deep = [deep];
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expectTyped(() => maskedFill(tensor(0.25), deep as never, 1), ArgumentError, 'maskedFill', /deeper than 64 levels/);
    expectTyped(() => maskedFill(tensor(0.25), cyclic as never, 1), ArgumentError, 'maskedFill', /deeper than 64 levels/);
    expectTyped(() => indexPut(tensor([1.25, 2.125, -0.875]), cyclic as never, tensor([1, 2, 3])), ArgumentError, 'indexPut', /contains itself/);
    expect(maskedFill(tensor([1, 2]), [true, false], 0).toArray()).toEqual([0, 2]);
  });

  it('checkDerivation with no random points and an incomplete `at` says there is nothing to check; options are plain records', () => {
    // was: a raw TypeError reading the shape of a point that was never computed
    const f = ({ x, w }: Record<string, Tensor>) => x!.mul(w!).sum();
    expectTyped(() => checkDerivation(f, { w: () => 1 }, { at: { x: -1 }, shapes: { w: [2, 2], x: [] }, points: 0 }), ArgumentError, 'checkDerivation', /option 'at' gives no value for 'w': there is no point to check/);
    // a Date is no record of shapes (it was read as an empty one, and f then met an undefined x)
    expectTyped(() => checkDerivation(f, { w: () => 1 }, { at: { w: [0.5, -1] }, shapes: new Date(0) as never }), ArgumentError, 'checkDerivation', /option 'shapes' must be a record/);
    expect(checkDerivation(f, { w: ({ x }) => x as number }, { at: { x: 0.3, w: 0.2 }, points: 0 }).checks[0]!.diagnosis).toBe('ok');
  });

  it("pad 'circular' refuses to wrap around an axis its negative pads crop away (seed 15015, 3,000 runs)", () => {
    // was: a value read through a NaN index; PyTorch 1.13 returns memory it never wrote here
    const x = tensor(Float64Array.of(1.375, -1.625), { shape: [2, 1] });
    expectTyped(() => pad(x, [1, -1], { mode: 'circular' }), ArgumentError, 'pad', /mode 'circular' cannot wrap around an axis its negative pads crop away: pads \(1, -1\)/);
    expect(pad(tensor([[1, 2, 3]], { dtype: 'float64' }), [1, -1], { mode: 'circular' }).toArray()).toEqual([[2, 1, 2]]); // F.pad(..., [1, -1], 'circular')
  });

  it('gradcheck refuses an eps that moves an input past the largest float64 (every difference would be NaN)', () => {
    const x = tensor(Float64Array.of(-1.125, -2), { requiresGrad: true });
    for (const [fn, name] of [[assertGradcheck, 'assertGradcheck'], [gradcheck, 'gradcheck'], [gradgradcheck, 'gradgradcheck']] as const) {
      expectTyped(() => fn((t: Tensor) => t.exp().sum(), [x], { eps: Number.MAX_VALUE }), ArgumentError, name, /eps 1\.7976931348623157e\+308 moves input 0 .* past the largest float64/);
    }
    expect(gradcheck((t: Tensor) => t.exp().sum(), [x], { eps: 1e-6 }).ok).toBe(true);
    // a large but finite eps: a mismatch whose report says why (exp overflows at x + eps), with the
    // NaN it computed in fast mode; the oracle takes NaN in that report, not in an ArgumentError
    const x2 = tensor(Float64Array.of(-1.875, 0.375), { requiresGrad: true });
    const e = thrown(() => assertGradcheck((t: Tensor) => t.exp().sum(), [x2], { eps: 4294967297, fastMode: true }));
    expect(e).toBeInstanceOf(GradcheckError);
    expect((e as Error).message).toMatch(/numerical Infinity .*\n.*\n  the numerical derivative is not finite: f is infinite or NaN at x ± eps \(is eps 4294967297 too large\?\)\n  \(fast mode: vᵀJu analytical [\d.]+ vs numerical NaN\)/);
    const entry: FuzzEntry = { name: 'assertGradcheck', covers: [], gen: null as never, call: () => null, ops: ['assertGradcheck', 'gradcheck'], printsComputedValues: (err) => err instanceof GradcheckError };
    expect(judgeError(e, entry, { args: [] }, '')).toBeNull();
    expect(judgeError(new ArgumentError('assertGradcheck', 'eps is NaN'), entry, { args: [] }, '')?.kind).toBe('message');
  });

  it('the oracle: a number beyond float32 is an infinite input unless a float64 tensor takes it; hypot follows its nanExempt', () => {
    const e: FuzzEntry = { name: 'hardswish', covers: [], gen: null as never, call: () => null };
    // hardswish(-1e300): float32 -Infinity times 0 is NaN, as torch.nn.functional.hardswish(torch.tensor(-1e300))
    expect(judgeResult(hardswish(-1e300), e, { args: [-1e300] })).toBeNull();
    const nan = tensor(Float32Array.of(NaN));
    expect(judgeResult(nan, e, { args: [2] })).toMatch(/result has NaN at 0 although no input holds NaN or Infinity/);
    expect(judgeResult(nan, e, { args: [tensor([1], { dtype: 'float64' }), -1e300] })).toMatch(/although no input holds/);
    // torch.hypot(nan, inf) is inf (C hypot): the reference no longer says NaN
    const check = elementwiseCheck('hypot');
    const a = tensor(Float32Array.of(NaN, 1)), b = tensor(Float32Array.of(Infinity));
    expect(check(hypot(a, b), { args: [a, b] })).toBeNull();
    expect(check(tensor(Float32Array.of(NaN, NaN)), { args: [a, b] })).toMatch(/value\[0\]/);
    // float32 overflow matches an infinite reference of the same sign only (NaN or -Infinity do not)
    expect(check(tensor(Float32Array.of(Infinity, -Infinity)), { args: [a, b] })).toMatch(/value\[1\] is -Infinity/);
    // an array exponent of pow is a float32 tensor like any operand (torch.tensor([4294967297.]) is 2^32:
    // (-1.625)^(2^32) is +Infinity); only a number exponent stays a double
    const powCheck = elementwiseCheck('pow');
    const base = tensor(Float32Array.of(-1.625));
    expect(pow(base, [4294967297] as never).item()).toBe(Infinity);
    expect(powCheck(pow(base, [4294967297] as never), { args: [base, [4294967297]] })).toBeNull();
    // a number exponent is powScalar (PyTorch's pow(Tensor, Scalar)): torch.pow(-0., -0.5) is -inf
    // (1/sqrt), torch.pow(-inf, 0.5) is nan (sqrt); Math.pow says +inf for both
    const edge = tensor(Float64Array.of(-0, -Infinity, 4));
    expect(Array.from(pow(edge, -0.5).data)).toEqual([-Infinity, NaN, 0.5]);
    expect(Array.from(pow(edge, 0.5).data)).toEqual([-0, NaN, 2]);
    expect(powCheck(pow(edge, -0.5), { args: [edge, -0.5] })).toBeNull();
    expect(powCheck(pow(edge, 0.5), { args: [edge, 0.5] })).toBeNull();
    expect(powCheck(tensor(Float64Array.of(Infinity, NaN, 0.5)), { args: [edge, -0.5] })).toMatch(/value\[0\] is Infinity, reference -Infinity/);
    // checkDerivation prints what a hand formula returned; other messages still may not say null
    const cd: FuzzEntry = { name: 'checkDerivation', covers: [], gen: null as never, call: () => null, printsComputedValues: (err) => /^checkDerivation: the hand formula '[^']*' must return /.test(err.message) };
    expect(judgeError(new ArgumentError('checkDerivation', "the hand formula 'w' must return a number, a nested array or a Tensor, got null"), cd, { args: [] }, '')).toBeNull();
    expect(judgeError(new ArgumentError('checkDerivation', "option 'at' is null"), cd, { args: [] }, '')?.kind).toBe('message');
    // an options record without prototype is looked into: pad's NaN value explains a NaN result
    const padEntry: FuzzEntry = { name: 'pad', covers: [], gen: null as never, call: () => null };
    const withNaN = Object.assign(Object.create(null), { mode: 'constant', value: NaN });
    expect(judgeResult(tensor(Float64Array.of(NaN, 1)), padEntry, { args: [tensor([1], { dtype: 'float64' }), [1, 0], withNaN] })).toBeNull();
    expect(judgeResult(tensor(Float64Array.of(NaN, 1)), padEntry, { args: [tensor([1], { dtype: 'float64' }), [1, 0], Object.assign(Object.create(null), { value: 2 })] })).toMatch(/result has NaN/);
  });
});
