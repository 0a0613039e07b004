// Weakly typed numbers (issue 12): a JS number, and a 0-d tensor made from a number without an
// explicit dtype, adopt the other operand's dtype (PyTorch's Python scalars, JAX's weak types).
// Two explicitly typed tensors of different dtypes still do not mix.
import { describe, expect, it } from 'vitest';
import { DTypeError, add, grad, mul, scalar, stack, tensor, where } from '@memograd/autograd';

describe('weakly typed numbers', () => {
  it('marks exactly the tensors made from numbers without a dtype, and results of weak inputs', () => {
    expect(scalar(2).weakType).toBe(true);
    expect(tensor(2).weakType).toBe(true);
    expect(scalar(2, { dtype: 'float64' }).weakType).toBe(false);
    expect(tensor(2, { dtype: 'float32' }).weakType).toBe(false);
    expect(tensor([2]).weakType).toBe(false);
    expect(tensor([[1, 2]]).weakType).toBe(false);
    expect(scalar(2).exp().weakType).toBe(true);
    expect(scalar(2).mul(3).weakType).toBe(true);
    expect(scalar(2).add(tensor(1)).weakType).toBe(true);
    expect(scalar(2).detach().weakType).toBe(true);
    expect(tensor([1, 2]).mul(3).weakType).toBe(false);
    expect(scalar(2).add(tensor([1, 2])).weakType).toBe(false);
  });

  it('a weak scalar adopts a float32 operand on either side: the newcomer\'s stumble', () => {
    for (const r of [scalar(2).add(tensor([1, 2, 3])), tensor([1, 2, 3]).add(scalar(2)), add(scalar(2), tensor([1, 2, 3]))]) {
      expect(r.dtype).toBe('float32');
      expect(Array.from(r.data)).toEqual([3, 4, 5]);
    }
    const f64 = tensor([1, 2], { dtype: 'float64' });
    const r = tensor(0.5).mul(f64); // a weak float32 adopts float64 (its value is float32's 0.5, exact)
    expect(r.dtype).toBe('float64');
    expect(Array.from(r.data)).toEqual([0.5, 1]);
  });

  it('the gradient of a weak scalar comes back in its own dtype, and equals the float32 computation', () => {
    const x = scalar(2); // float64, requires grad
    const t = tensor([1, 2, 3.5], { requiresGrad: true });
    const y = x.mul(t).sum();
    expect(y.dtype).toBe('float32');
    y.backward();
    expect(x.grad!.dtype).toBe('float64');
    expect(x.grad!.item()).toBe(6.5);
    expect(t.grad!.dtype).toBe('float32');
    expect(Array.from(t.grad!.data)).toEqual([2, 2, 2]);
  });

  it('second-order gradients pass through the conversion', () => {
    const x = scalar(3);
    const y = x.mul(x).mul(tensor([1, 2])).sum(); // 3 x^2, computed in float32
    const [gx] = grad(y, [x], { createGraph: true });
    expect(gx!.dtype).toBe('float64');
    expect(gx!.item()).toBe(18); // 6x
    const [gxx] = grad(gx!, [x]);
    expect(gxx!.dtype).toBe('float64');
    expect(gxx!.item()).toBe(6);
  });

  it('all weak: the wider dtype wins and the result stays weak', () => {
    const r = scalar(2).add(tensor(1)); // float64 weak + float32 weak
    expect(r.dtype).toBe('float64');
    expect(r.item()).toBe(3);
    expect(r.weakType).toBe(true);
  });

  it('ops of many inputs promote too (where, stack)', () => {
    const w = where([true, false], scalar(1), tensor([5, 6]));
    expect(w.dtype).toBe('float32');
    expect(Array.from(w.data)).toEqual([1, 6]);
    const s = stack([scalar(1), tensor(2, { dtype: 'float32' })]);
    expect(s.dtype).toBe('float32');
    expect(Array.from(s.data)).toEqual([1, 2]);
  });

  it('two explicitly typed dtypes still do not mix, and the message says how to convert', () => {
    const a = tensor([1, 2], { dtype: 'float64' });
    const b = tensor([1, 2]);
    expect(() => a.add(b)).toThrow(DTypeError);
    expect(() => mul(a, b)).toThrow(/^mul: cannot mix float64 and float32 inputs.*convert one with \.to\('float32'\) or \.to\('float64'\)/);
    expect(() => scalar(2, { dtype: 'float64' }).add(b)).toThrow(DTypeError);
  });

  it('.to(dtype) commits: the result is strongly typed even without a change of dtype', () => {
    const x = scalar(2);
    const s = x.to('float64');
    expect(s).not.toBe(x);
    expect(s.weakType).toBe(false);
    expect(s.item()).toBe(2);
    expect(() => s.add(tensor([1]))).toThrow(DTypeError);
    const strong = tensor([1, 2]);
    expect(strong.to('float32')).toBe(strong); // a strong tensor already of the dtype is returned as is
  });
});
