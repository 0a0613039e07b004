// "A pass that throws changes no .grad" (issue 8): whatever fails inside backward (a rule, a hook on a
// non-leaf or a leaf, a shape/dtype check, a retained grad, a released graph, a version check), every
// .grad and retained grad is as before, nothing is released, and the same backward can be retried.
import { describe, expect, it } from 'vitest';
import {
  DTypeError, GraphError, MemogradError, ShapeError, Tensor, customFunction, grad, scalar, tensor,
} from '../src/index.ts';

const vals = (t: Tensor | null): number[] | null => (t === null ? null : Array.from(t.data));

/** A graph of `depth` layers over leaves a, b; `mid` is the tensor at layer `at` (retained). */
function build(depth: number, at: number, dtype: 'float32' | 'float64' = 'float32', shape0d = false) {
  const mk = (v: number[]) => (shape0d ? scalar(v[0]!, { dtype }) : tensor(v, { requiresGrad: true, dtype }));
  const a = mk([1, 2]);
  const b = mk([3, 4]);
  let h = a.mul(b);
  let mid: Tensor = h;
  for (let k = 1; k <= depth; k++) {
    h = h.mul(1.5).add(b).tanh();
    if (k === at) mid = h;
  }
  mid.retainGrad();
  return { a, b, mid, y: h.sum() };
}

function failingOp(kind: 'throws' | 'shape' | 'dtype' | 'garbage') {
  return customFunction({
    name: `bad_${kind}`,
    forward: ([x]) => x!.clone(),
    backward: ({ grad: g }) => {
      if (kind === 'throws') throw new Error('rule failed');
      if (kind === 'shape') return [tensor([1, 2, 3], { dtype: g.dtype })];
      if (kind === 'dtype') return [g.to(g.dtype === 'float32' ? 'float64' : 'float32')];
      return [42 as unknown as Tensor];
    },
  });
}

describe('a backward pass that throws changes no .grad', () => {
  it('the issue: a throwing hook on b leaves a.grad alone, and a retry after removing it is right', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const remove = b.registerHook(() => {
      throw new Error('x');
    });
    const y = a.mul(b).sum();
    expect(() => y.backward()).toThrow('x');
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
    remove();
    y.backward();
    expect(vals(a.grad)).toEqual([3, 4]);
    expect(vals(b.grad)).toEqual([1, 2]);
  });

  for (const depth of [1, 3, 6]) {
    for (const at of new Set([1, depth])) {
      it(`a hook throwing on a non-leaf at layer ${at} of ${depth}, then a leaf hook, keep existing grads; retry works`, () => {
        const { a, b, mid, y } = build(depth, at);
        // earlier accumulated values must survive the failed passes untouched
        y.backward(undefined, { retainGraph: true });
        const before = [vals(a.grad), vals(b.grad), vals(mid.grad)];
        const removeMid = mid.registerHook(() => {
          throw new Error('mid hook');
        });
        expect(() => y.backward(undefined, { retainGraph: true })).toThrow('mid hook');
        expect([vals(a.grad), vals(b.grad), vals(mid.grad)]).toEqual(before);
        removeMid();
        // a leaf hook runs after the other leaf may already have its gradient computed
        const removeLeaf = b.registerHook(() => {
          throw new Error('leaf hook');
        });
        expect(() => y.backward(undefined, { retainGraph: true })).toThrow('leaf hook');
        expect([vals(a.grad), vals(b.grad), vals(mid.grad)]).toEqual(before);
        removeLeaf();
        y.backward();
        const twice = before.map((g) => g!.map((v) => v * 2));
        for (let i = 0; i < 3; i++) expect(vals([a.grad, b.grad, mid.grad][i]!)!.map((v, k) => Math.abs(v - twice[i]![k]!) < 1e-5)).not.toContain(false);
      });
    }
  }

  for (const kind of ['throws', 'shape', 'dtype', 'garbage'] as const) {
    for (const depth of [0, 2, 5]) {
      it(`a rule that ${kind === 'throws' ? 'throws' : `returns a bad gradient (${kind})`} at depth ${depth}: typed error, no change, retry after fixing`, () => {
        expect.hasAssertions();
        const a = tensor([1, 2], { requiresGrad: true });
        const b = tensor([3, 4], { requiresGrad: true });
        a.grad = tensor([10, 20]);
        const mid = a.mul(b).retainGrad();
        let h = failingOp(kind)([mid]);
        for (let k = 0; k < depth; k++) h = h.mul(2).add(b);
        const y = h.sum();
        const e = (() => {
          try {
            y.backward();
          } catch (err) {
            return err as Error;
          }
          return null;
        })();
        expect(e).not.toBeNull();
        if (kind !== 'throws') expect(e).toBeInstanceOf(MemogradError);
        if (kind === 'shape') expect(e).toBeInstanceOf(ShapeError);
        if (kind === 'dtype') expect(e).toBeInstanceOf(DTypeError);
        expect(e!.message).toContain(kind === 'throws' ? 'rule failed' : `bad_${kind}`);
        expect(vals(a.grad)).toEqual([10, 20]);
        expect(b.grad).toBeNull();
        expect(mid.grad).toBeNull();
        // nothing was released: the graph up to the bad op still works
        mid.sum().backward();
        expect(vals(a.grad)).toEqual([13, 24]);
      });
    }
  }

  it('a released-graph error in a second root leaves the first root untouched (no partial release)', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const used = a.exp();
    used.sum().backward(); // releases exp
    a.grad = null;
    const y = a.mul(3).add(used.sum()).sum();
    expect(() => y.backward()).toThrow(GraphError);
    expect(a.grad).toBeNull();
    // the new part of the graph was not released by the failed pass
    expect(y.node!.released).toBe(false);
  });

  it('a version error leaves every grad and the graph intact; re-running the forward works', () => {
    const { a, b, mid, y } = build(3, 2);
    b.bumpVersion();
    expect(() => y.backward()).toThrow(/modified by an inplace operation/);
    expect([a.grad, b.grad, mid.grad]).toEqual([null, null, null]);
    expect(y.node!.released).toBe(false);
  });

  it('in the scalar lane (float64 0-d), a throwing hook changes nothing and a retry is right', () => {
    const { a, b, mid, y } = build(4, 2, 'float64', true);
    const remove = mid.registerHook(() => {
      throw new Error('scalar hook');
    });
    expect(() => y.backward(undefined, { retainGraph: true })).toThrow('scalar hook');
    expect([a.grad, b.grad, mid.grad]).toEqual([null, null, null]);
    remove();
    y.backward();
    expect(a.grad).not.toBeNull();
    expect(mid.grad).not.toBeNull();
    const ref = build(4, 2, 'float64', true);
    ref.y.backward();
    expect(a.grad!.item()).toBe(ref.a.grad!.item());
    expect(b.grad!.item()).toBe(ref.b.grad!.item());
  });

  it('grad() (targets): a throwing hook leaves .grad alone and the retry returns the right values', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const h = a.mul(b);
    const remove = h.registerHook(() => {
      throw new Error('h');
    });
    const y = h.sum();
    expect(() => grad(y, [a, b], { retainGraph: true })).toThrow('h');
    remove();
    const [ga, gb] = grad(y, [a, b]);
    expect(vals(ga!)).toEqual([3, 4]);
    expect(vals(gb!)).toEqual([1, 2]);
    expect(a.grad).toBeNull();
  });

  it('createGraph: a failure leaves .grad alone, and a retry builds a differentiable gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float64' });
    const h = x.mul(x).mul(x);
    const remove = h.registerHook(() => {
      throw new Error('cg');
    });
    const y = h.sum();
    expect(() => y.backward(undefined, { createGraph: true })).toThrow('cg');
    expect(x.grad).toBeNull();
    remove();
    y.backward(undefined, { createGraph: true });
    expect(vals(x.grad)).toEqual([3, 12]);
    const g = x.grad!;
    x.grad = null;
    g.sum().backward();
    expect(vals(x.grad)).toEqual([6, 12]);
  });

  it('a failure in a leaf hook after another leaf finished, with an existing .grad, keeps both', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    a.grad = tensor([1, 1]);
    b.grad = tensor([2, 2]);
    // the hook on the leaf visited last throws; the first leaf's sum must not be written
    b.registerHook(() => {
      throw new Error('late');
    });
    a.registerHook(() => undefined);
    expect(() => a.mul(b).sum().backward()).toThrow('late');
    expect(vals(a.grad)).toEqual([1, 1]);
    expect(vals(b.grad)).toEqual([2, 2]);
  });
});
