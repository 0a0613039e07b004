import { describe, expect, it } from 'vitest';
import {
  AnomalyError, ArgumentError, DTypeError, GradcheckError, GraphError, MemogradError, ShapeError,
  add, cat, clamp, customFunction, gather, grad, gradcheck, matmul, ones, reshape, scalar, slice, squeeze, sum, sumTo,
  tensor, zeros,
} from '../src/index.ts';
import { thrown } from './support/thrown.ts';

describe('the error classes', () => {
  it('form a hierarchy under MemogradError and carry op and name', () => {
    for (const C of [ShapeError, DTypeError, ArgumentError, GraphError, AnomalyError, GradcheckError]) {
      const e = new C('someOp', 'went wrong');
      expect(e).toBeInstanceOf(MemogradError);
      expect(e).toBeInstanceOf(Error);
      expect(e.op).toBe('someOp');
      expect(e.name).toBe(C.name);
      expect(e.message).toBe('someOp: went wrong');
    }
    expect(new ShapeError('x', 'y', [[1, 2]]).shapes).toEqual([[1, 2]]);
  });
});

describe('shape errors', () => {
  it('add [2,3] + [4,3] names both shapes', () => {
    const e = thrown(() => add(zeros([2, 3]), zeros([4, 3])));
    expect(e).toBeInstanceOf(ShapeError);
    expect((e as ShapeError).op).toBe('add');
    expect(e.message).toMatch(/^add: /);
    expect(e.message).toContain('[2, 3]');
    expect(e.message).toContain('[4, 3]');
    expect((e as ShapeError).shapes).toEqual([[2, 3], [4, 3]]);
  });

  it('matmul [3,4] x [5,2] has an exact message', () => {
    const e = thrown(() => matmul(zeros([3, 4]), zeros([5, 2])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('matmul: cannot multiply [3, 4] by [5, 2] (inner sizes 4 and 5 differ)');
  });

  it('matmul of two vectors of different lengths', () => {
    const e = thrown(() => matmul(zeros([3]), zeros([4])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('matmul: cannot multiply [3] by [4] (inner sizes 3 and 4 differ)');
  });

  it('reshape with a size mismatch', () => {
    const e = thrown(() => reshape(zeros([2, 3]), [4, 2]));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/^reshape: /);
    expect(e.message).toContain('[2, 3]');
    expect(e.message).toContain('[4, 2]');
    expect(e.message).toContain('6');
    expect(e.message).toContain('8');
    expect(thrown(() => zeros([2, 3]).reshape([-1, 4]))).toBeInstanceOf(ShapeError);
    expect(thrown(() => zeros([2, 3]).reshape([-1, -1]))).toBeInstanceOf(ArgumentError);
  });

  it('cat of mismatched shapes', () => {
    const e = thrown(() => cat([zeros([2, 3]), zeros([2, 4])], 0));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/^cat: /);
    expect(e.message).toContain('[2, 4]');
    expect(e.message).toContain('[2, 3]');
    // along axis 1 they fit
    expect(cat([zeros([2, 3]), zeros([2, 4])], 1).shape).toEqual([2, 7]);
  });

  it('squeeze of an axis whose size is not 1', () => {
    const e = thrown(() => squeeze(zeros([1, 3]), 1));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/^squeeze: /);
    expect(e.message).toContain('[1, 3]');
    expect(e.message).toContain('size 3');
    expect(squeeze(zeros([1, 3]), 0).shape).toEqual([3]);
  });

  it('a backward seed of the wrong shape', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const e = thrown(() => x.mul(2).backward([1, 2]));
    expect(e).toBeInstanceOf(GraphError);
    expect(e.message).toContain('[2]');
    expect(e.message).toContain('[3]');
  });
});

describe('argument errors', () => {
  it('sum over axis 2 of a rank-2 tensor gives the valid range', () => {
    const e = thrown(() => sum(zeros([2, 3]), { axis: 2 }));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toBe('sum: axis 2 is out of range for rank 2 (expected -2..1)');
    expect(thrown(() => zeros([2, 3]).mean({ axis: -3 }))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => zeros([2, 3]).sum({ axis: [0, 0] })).message).toMatch(/repeats/);
  });

  it('ragged nested arrays', () => {
    const e = thrown(() => tensor([[1, 2], [3]]));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/^tensor: /);
    expect(e.message).toMatch(/ragged/);
    expect(e.message).toContain('[1]');
    const e2 = thrown(() => tensor([[1, 2], 3] as never));
    expect(e2).toBeInstanceOf(ArgumentError);
    expect(e2.message).toMatch(/ragged/);
    const e3 = thrown(() => tensor([1, [2, 3]] as never));
    expect(e3).toBeInstanceOf(ArgumentError);
    expect(e3.message).toMatch(/ragged/);
  });

  it('ragged or non-finite arrays passed to the grad transforms', () => {
    const sumOf = (x: import('../src/index.ts').Tensor) => x.sum();
    const e = thrown(() => grad(sumOf)([[1, 2], [3]] as never));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/ragged/);
    expect(thrown(() => grad(sumOf)([1, NaN]))).toBeInstanceOf(ArgumentError);
    expect(Array.from(grad(sumOf)([[1, 2], [3, 4]])[0]!.data)).toEqual([1, 1, 1, 1]);
  });

  it('non-finite values in tensor()', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const e = thrown(() => tensor([[1, 2], [bad, 4]]));
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toContain(String(bad));
      expect(e.message).toContain('[1][0]');
    }
    expect(thrown(() => scalar(NaN))).toBeInstanceOf(ArgumentError);
  });

  it('gather with an out-of-range index', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const e = thrown(() => gather(x, 1, [[0, 2], [1, 0]]));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/^gather: /);
    expect(e.message).toContain('index 2');
    expect(e.message).toContain('size 2');
    expect(thrown(() => gather(x, 1, [[0, 0.5], [1, 0]]))).toBeInstanceOf(ArgumentError);
  });

  it('slice out of range', () => {
    const x = zeros([3, 4]);
    const e = thrown(() => slice(x, [0, 2], [2, 3]));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/^slice: /);
    expect(e.message).toContain('[3, 4]');
    expect(thrown(() => slice(x, [4, 0]))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => slice(x, [0, 0, 0]))).toBeInstanceOf(ArgumentError);
    expect(slice(x, [1, 2], [2, 2]).shape).toEqual([2, 2]);
  });

  it('clamp with min > max', () => {
    const e = thrown(() => clamp(zeros([2]), 1, 0));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toBe('clamp: min 1 is greater than max 0');
    expect(thrown(() => clamp(zeros([2]), NaN, 0))).toBeInstanceOf(ArgumentError);
  });

  it('item() of a tensor with several elements', () => {
    const e = thrown(() => zeros([2]).item());
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toContain('[2]');
  });
});

describe('dtype errors', () => {
  it('mixing float32 and float64 throws a DTypeError naming both dtypes', () => {
    const a = zeros([2], { dtype: 'float32' });
    const b = zeros([2], { dtype: 'float64' });
    const e = thrown(() => a.add(b));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toMatch(/^add: /);
    expect(e.message).toContain('float32');
    expect(e.message).toContain('float64');
    expect(thrown(() => matmul(zeros([2, 2]), zeros([2, 2], { dtype: 'float64' })))).toBeInstanceOf(DTypeError);
    // numbers take the tensor's dtype, and explicit conversion works
    expect(a.add(1).dtype).toBe('float32');
    expect(a.float64().add(b).dtype).toBe('float64');
  });

  it('gradcheck with float32 inputs explains why', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const e = thrown(() => gradcheck((t) => t.mul(t), [x]));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toMatch(/^gradcheck: /);
    expect(e.message).toContain('float32');
    expect(e.message).toContain('float64');
  });
});

describe('graph errors', () => {
  it('backward on a non-scalar without a seed', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const e = thrown(() => x.mul(2).backward());
    expect(e).toBeInstanceOf(GraphError);
    expect(e.message).toMatch(/^backward: /);
    expect(e.message).toContain('[3]');
    expect(e.message).toMatch(/sum/);
  });

  it('backward on a tensor that does not require grad', () => {
    expect(thrown(() => ones([1]).backward())).toBeInstanceOf(GraphError);
  });
});

describe('errors from user code and the engine', () => {
  it('a custom backward returning a gradient of the wrong shape', () => {
    const bad = customFunction({
      name: 'badShape',
      forward: ([x]) => x!.mul(2),
      backward: ({ grad: g }) => [g.reshape([-1]).slice([0], [1])],
    });
    const x = tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    const e = thrown(() => bad([x]).sum().backward());
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain('badShape');
    expect(e.message).toContain('[1]');
    expect(e.message).toContain('[2, 2]');
  });

  it('a custom backward returning the wrong dtype or count', () => {
    const badDtype = customFunction({
      name: 'badDtype',
      forward: ([x]) => x!.mul(2),
      backward: ({ grad: g }) => [g.float32()],
    });
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const e = thrown(() => badDtype([x]).sum().backward());
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toContain('badDtype');
    const badCount = customFunction({
      name: 'badCount',
      forward: ([x]) => x!.mul(2),
      backward: ({ grad: g }) => [g, g],
    });
    const e2 = thrown(() => badCount([x]).sum().backward());
    expect(e2).toBeInstanceOf(GraphError);
    expect(e2.message).toContain('returned 2 gradients for 1 inputs');
  });

  it('a hook returning the wrong shape, and hooks on tensors that need no grad', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    x.registerHook(() => tensor([1, 2, 3], { dtype: 'float64' }));
    const e = thrown(() => x.mul(2).sum().backward());
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/^hook: /);
    expect(thrown(() => tensor([1]).registerHook(() => undefined))).toBeInstanceOf(GraphError);
  });

  it('grad() with an input that does not require grad, or an output that does not depend on any', () => {
    const x = scalar(1);
    const c = scalar(2, { requiresGrad: false });
    expect(thrown(() => grad(x.mul(c), [c]))).toBeInstanceOf(GraphError);
    expect(thrown(() => grad(c.mul(2), [x]))).toBeInstanceOf(GraphError);
  });

  it('requiresGrad_(false) on a non-leaf, and sumTo to an incompatible shape', () => {
    const x = scalar(1);
    expect(thrown(() => x.mul(2).requiresGrad_(false))).toBeInstanceOf(GraphError);
    const e = thrown(() => sumTo(zeros([2, 3]), [3, 3]));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain('[2, 3]');
  });
});

describe('a failed op leaves its inputs unchanged', () => {
  it('data, grad, node and requiresGrad stay as they were', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', requiresGrad: true });
    const b = tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    a.mul(2).sum().backward();
    const before = Array.from(a.data);
    const gradBefore = Array.from(a.grad!.data);
    expect(() => a.add(b)).toThrow(ShapeError);
    expect(() => a.matmul(a)).toThrow(ShapeError);
    expect(() => a.reshape([4])).toThrow(ShapeError);
    expect(() => a.sum({ axis: 5 })).toThrow(ArgumentError);
    expect(() => a.add(b.float32())).toThrow(DTypeError);
    expect(Array.from(a.data)).toEqual(before);
    expect(Array.from(a.grad!.data)).toEqual(gradBefore);
    expect(Array.from(b.data)).toEqual([1, 2, 3, 4]);
    expect(b.grad).toBeNull();
    expect(a.node).toBeNull();
    expect(a.requiresGrad).toBe(true);
    // and a following valid backward still accumulates correctly
    a.sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([3, 3, 3, 3, 3, 3]);
  });
});
