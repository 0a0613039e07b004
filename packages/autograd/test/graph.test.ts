import { describe, expect, it } from 'vitest';
import { test as propTest } from '@fast-check/vitest';
import fc from 'fast-check';
import {
  AnomalyError, GradcheckError, GraphError, Tensor, assertGradcheck, customFunction, detectAnomaly, explain, grad, gradcheck,
  hessian, noGrad, enableGrad, isGradEnabled, PRIMITIVES, scalar, setDetectAnomaly, tensor, toDot, valueAndGrad, vjp,
  add, expand, mul, zeros,
} from '../src/index.ts';

const f64 = (v: number[] | number[][], requiresGrad = true): Tensor =>
  tensor(v as number[], { dtype: 'float64', requiresGrad });
const arr = (t: Tensor | null): number[] => Array.from(t!.data);

describe('diamonds and reuse', () => {
  it('x*x gives 2x', () => {
    const x = scalar(3);
    x.mul(x).backward();
    expect(x.grad!.item()).toBe(6);
  });

  it("micrograd's a=1; b=a+a; c=b+b gives dc/da = 4", () => {
    const a = scalar(1);
    const b = a.add(a);
    const c = b.add(b);
    c.backward();
    expect(c.item()).toBe(4);
    expect(a.grad!.item()).toBe(4);
  });

  it('a=b+b, c=b*b and their sum', () => {
    const b = scalar(-2.5);
    const a = b.add(b);
    const c = b.mul(b);
    const y = a.add(c); // 2b + b^2 -> 2 + 2b = -3
    y.backward();
    expect(b.grad!.item()).toBeCloseTo(-3, 14);
  });

  it('a shared subexpression on both sides of a diamond', () => {
    // y = (x*w) * sin(x*w), d/dx = w sin(xw) + xw cos(xw) w
    const x = scalar(0.7);
    const w = scalar(1.3);
    const h = x.mul(w);
    const y = h.mul(h.sin());
    y.backward();
    const hv = 0.7 * 1.3;
    expect(x.grad!.item()).toBeCloseTo(1.3 * Math.sin(hv) + hv * Math.cos(hv) * 1.3, 13);
    expect(w.grad!.item()).toBeCloseTo(0.7 * Math.sin(hv) + hv * Math.cos(hv) * 0.7, 13);
  });

  it('accumulates into .grad over two backward calls', () => {
    const x = scalar(2);
    x.mul(x).mul(x).backward(); // 3x^2 = 12
    x.mul(5).backward(); // + 5
    expect(x.grad!.item()).toBe(17);
  });
});

describe('recording control', () => {
  it('noGrad records nothing', () => {
    const x = f64([1, 2, 3]);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return x.mul(2).sum();
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.node).toBeNull();
    expect(y.requiresGrad).toBe(false);
    expect(y.item()).toBe(12);
    expect(() => y.backward()).toThrow(GraphError);
  });

  it('noGrad restores the flag after a throw; enableGrad re-enables inside noGrad', () => {
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    const x = scalar(1);
    const y = noGrad(() => enableGrad(() => x.mul(3)));
    expect(y.requiresGrad).toBe(true);
    expect(y.node).not.toBeNull();
  });

  it('detach cuts the flow', () => {
    const x = scalar(3);
    const y = x.mul(x.detach()); // gradient only through the first factor: 3
    y.backward();
    expect(x.grad!.item()).toBe(3);
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.node).toBeNull();
  });
});

describe('broadcasting gradients', () => {
  it('[3,1] + [4] reduces each gradient to its input shape', () => {
    const a = tensor([[1], [2], [3]], { dtype: 'float64', requiresGrad: true });
    const b = f64([10, 20, 30, 40]);
    const y = a.add(b);
    expect(y.shape).toEqual([3, 4]);
    y.backward(tensor(Array.from({ length: 3 }, (_, i) => [1, 2, 3, 4].map((j) => i * 4 + j)), { dtype: 'float64' }));
    // seed g[i][j] = 4i + j + 1; da[i] = sum_j g = 16i + 10, db[j] = sum_i g = 12 + 3(j+1)
    expect(a.grad!.shape).toEqual([3, 1]);
    expect(b.grad!.shape).toEqual([4]);
    expect(arr(a.grad)).toEqual([10, 26, 42]);
    expect(arr(b.grad)).toEqual([15, 18, 21, 24]);
  });

  it('mul with a scalar tensor: the scalar gets the sum', () => {
    const a = f64([1, 2, 3]);
    const s = scalar(2);
    a.mul(s).sum().backward();
    expect(s.grad!.shape).toEqual([]);
    expect(s.grad!.item()).toBe(6);
    expect(arr(a.grad)).toEqual([2, 2, 2]);
  });
});

describe('broadcasting gradients (property)', () => {
  // shapes a, b of rank <= 3 whose dims are each either the full size or 1 (b may have fewer axes)
  const dims = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 });
  const caseArb = dims.chain((full) =>
    fc.record({
      full: fc.constant(full),
      maskA: fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
      maskB: fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
      dropB: fc.integer({ min: 0, max: full.length }),
    }),
  );

  propTest.prop([caseArb], { numRuns: 60 })('d sum(a * b) / da = b summed over the broadcast axes', ({ full, maskA, maskB, dropB }) => {
    const shapeA = full.map((d, i) => (maskA[i] ? 1 : d));
    const shapeB = full.map((d, i) => (maskB[i] ? 1 : d)).slice(dropB);
    const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
    const valsA = Array.from({ length: size(shapeA) }, (_, i) => 0.5 + i);
    const valsB = Array.from({ length: size(shapeB) }, (_, i) => 1 - 0.25 * i);
    const a = tensor(valsA, { dtype: 'float64', requiresGrad: true, shape: shapeA });
    const b = tensor(valsB, { dtype: 'float64', requiresGrad: true, shape: shapeB });
    a.mul(b).sum().backward();
    // independent loop over the full broadcast index space
    const ga = new Array<number>(valsA.length).fill(0);
    const gb = new Array<number>(valsB.length).fill(0);
    const flat = (idx: number[], shape: number[]) => {
      const off = idx.length - shape.length;
      return shape.reduce((p, d, i) => p * d + (d === 1 ? 0 : idx[i + off]!), 0);
    };
    // the broadcast shape: a dim is 1 when both operands have 1 (or b lacks the axis) there
    const out = shapeA.map((d, i) => Math.max(d, i - dropB >= 0 ? shapeB[i - dropB]! : 1));
    const total = size(out);
    for (let n = 0; n < total; n++) {
      const idx: number[] = [];
      let r = n;
      for (let d = out.length - 1; d >= 0; d--) {
        idx.unshift(r % out[d]!);
        r = Math.floor(r / out[d]!);
      }
      const ia = flat(idx, shapeA);
      const ib = flat(idx, shapeB);
      ga[ia]! += valsB[ib]!;
      gb[ib]! += valsA[ia]!;
    }
    expect(a.grad!.shape).toEqual(shapeA);
    expect(b.grad!.shape).toEqual(shapeB);
    arr(a.grad).forEach((v, i) => expect(v).toBeCloseTo(ga[i]!, 12));
    arr(b.grad).forEach((v, i) => expect(v).toBeCloseTo(gb[i]!, 12));
  });
});

describe('deep graphs', () => {
  it('a chain of 1,000,000 scalar nodes runs backward without stack overflow', () => {
    const x = scalar(1);
    let y: Tensor = x;
    const n = 1_000_000;
    for (let i = 0; i < n; i++) y = y.mul(1.000001);
    y.backward();
    const expected = Math.pow(1.000001, n);
    expect(y.item()).toBeCloseTo(expected, 6);
    expect(x.grad!.item()).toBeCloseTo(expected, 6);
  }, 30_000);
});

describe('matmul backward computes only the gradients that are needed', () => {
  // Counted through the records a createGraph pass writes: every recorded op numbers its output
  // from one sequence, so a probe op before and after brackets what the pass recorded. With a seed
  // that requires grad, each product the rule computes is recorded.
  const seqOf = (t: Tensor): number => (t as unknown as { _seq: number })._seq;
  const run = (xGrad: boolean, wGrad: boolean): { recorded: number; gx: Tensor | null; gw: Tensor | null } => {
    const x = f64([[1, 2, 3], [4, 5, 6]], xGrad);
    const w = f64([[1, -1], [0.5, 2], [3, 0]], wGrad);
    const seed = f64([[1, 2], [3, 4]]);
    const y = x.matmul(w);
    const before = seqOf(seed.mul(1));
    grad(y, [xGrad ? x : w], { gradOutputs: [seed], createGraph: true });
    const recorded = seqOf(seed.mul(1)) - before - 1;
    y.backward(seed);
    return { recorded, gx: x.grad, gw: w.grad };
  };

  it('skips the product of an operand that does not require grad, and the others keep their values', () => {
    const both = run(true, true);
    const onlyW = run(false, true);
    const onlyX = run(true, false);
    expect(both.recorded).toBe(2);
    expect(onlyW.recorded).toBe(1);
    expect(onlyX.recorded).toBe(1);
    // dW = xᵀ s, dx = s wᵀ
    expect(arr(onlyW.gw)).toEqual([13, 18, 17, 24, 21, 30]);
    expect(arr(onlyX.gx)).toEqual([-1, 4.5, 3, -1, 9.5, 9]);
    expect(onlyW.gx).toBeNull();
    expect(onlyX.gw).toBeNull();
    expect(arr(both.gw)).toEqual(arr(onlyW.gw));
    expect(arr(both.gx)).toEqual(arr(onlyX.gx));
  });
});

describe('retaining the graph', () => {
  it('a second backward without retainGraph throws a GraphError mentioning retainGraph', () => {
    const x = scalar(2);
    const y = x.mul(x).sin();
    y.backward();
    let err: unknown;
    try {
      y.backward();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GraphError);
    expect((err as Error).message).toMatch(/retainGraph/);
  });

  it('a backward that meets a released record part-way changes no .grad and releases nothing', () => {
    const x = scalar(0.5);
    const w = scalar(-1.5);
    const y1 = x.mul(w);
    y1.exp().backward(); // releases y1's record
    const before = [x.grad!.item(), w.grad!.item()];
    const twice = y1.mul(2);
    const q = twice.add(x.mul(3)); // x receives an adjoint before y1 is reached
    expect(() => q.backward()).toThrow(/retainGraph/);
    expect([x.grad!.item(), w.grad!.item()]).toEqual(before);
    expect(q.node!.released).toBe(false);
    expect(twice.node!.released).toBe(false);
  });

  it('with retainGraph backward works twice and accumulates', () => {
    const x = scalar(2);
    const y = x.mul(x).mul(x);
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.item()).toBe(24);
  });
});

describe('grad()', () => {
  it('returns gradients without touching .grad', () => {
    const x = f64([1, 2, 3]);
    const w = f64([4, 5, 6]);
    const [gx, gw] = grad(x.mul(w).sum(), [x, w]);
    expect(arr(gx!)).toEqual([4, 5, 6]);
    expect(arr(gw!)).toEqual([1, 2, 3]);
    expect(x.grad).toBeNull();
    expect(w.grad).toBeNull();
  });

  it('unused inputs throw unless allowUnused', () => {
    const x = scalar(1);
    const z = scalar(2);
    expect(() => grad(x.mul(2), [x, z])).toThrow(GraphError);
    const [gx, gz] = grad(x.mul(2), [x, z], { allowUnused: true });
    expect(gx!.item()).toBe(2);
    expect(gz!.item()).toBe(0);
  });

  it('createGraph gives differentiable gradients: d2/dx2 x^3 = 6x', () => {
    const x = scalar(1.5);
    const [g] = grad(x.pow(3), x, { createGraph: true });
    expect(g!.item()).toBeCloseTo(3 * 1.5 * 1.5, 13);
    expect(g!.requiresGrad).toBe(true);
    const [h] = grad(g!, x);
    expect(h!.item()).toBeCloseTo(9, 12);
    // third derivative is 6
    const [g1] = grad(x.mul(x).mul(x), x, { createGraph: true });
    const [g2] = grad(g1!, x, { createGraph: true });
    const [g3] = grad(g2!, x);
    expect(g2!.item()).toBeCloseTo(9, 12);
    expect(g3!.item()).toBeCloseTo(6, 12);
  });

  it('hessian of xᵀAx is A + Aᵀ', () => {
    const A = [[1, 2, 0], [-1, 3, 4], [0.5, 0, -2]];
    const At = tensor(A, { dtype: 'float64' });
    const H = hessian((x) => x.matmul(At.matmul(x)), tensor([0.3, -0.7, 1.1], { dtype: 'float64' }));
    expect(H.shape).toEqual([3, 3]);
    const expected = A.map((row, i) => row.map((v, j) => v + A[j]![i]!));
    const got = H.toArray() as number[][];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(got[i]![j]).toBeCloseTo(expected[i]![j]!, 12);
  });

  it('hessian of a function of a matrix has shape [...x.shape, ...x.shape]', () => {
    // f(X) = sum(W * X * X) + X00 * X11: H[i,j,k,l] = 2 W[i,j] [ij = kl] + cross terms of X00 X11
    const W = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    const H = hessian((x) => W.mul(x).mul(x).sum().add(x.slice([0, 0], [1, 1]).mul(x.slice([1, 1], [1, 1])).sum()),
      tensor([[0.1, 0.2], [0.3, 0.4]], { dtype: 'float64' }));
    expect(H.shape).toEqual([2, 2, 2, 2]);
    const h = Array.from(H.data);
    const expected = new Array<number>(16).fill(0);
    [1, 2, 3, 4].forEach((w, i) => (expected[i * 4 + i] = 2 * w));
    expected[0 * 4 + 3] = 1;
    expected[3 * 4 + 0] = 1;
    h.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
  });

  it('hessian of sum(sin x) is diag(-sin x)', () => {
    const xs = [0.2, -1.3, 2.5, 0.9];
    const H = hessian((x) => x.sin().sum(), tensor(xs, { dtype: 'float64' }));
    const got = H.toArray() as number[][];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) expect(got[i]![j]).toBeCloseTo(i === j ? -Math.sin(xs[i]!) : 0, 12);
    }
  });

  it('grad(f) and valueAndGrad(f) with argnums', () => {
    const f = (x: Tensor, y: Tensor) => x.mul(x).mul(y).sum(); // d/dx = 2xy, d/dy = x^2
    const [dx, dy] = grad(f)([1, 2], [3, 4]);
    expect(arr(dx!)).toEqual([6, 16]);
    expect(arr(dy!)).toEqual([1, 4]);
    const [value, grads] = valueAndGrad(f, { argnums: 1 })([1, 2], [3, 4]);
    expect(value.item()).toBe(3 + 16);
    expect(grads).toHaveLength(1);
    expect(arr(grads[0]!)).toEqual([1, 4]);
    const [v2, [gx]] = valueAndGrad(f, { argnums: [0] })(tensor([2], { dtype: 'float64' }), tensor([5], { dtype: 'float64' }));
    expect(v2.item()).toBe(20);
    expect(arr(gx!)).toEqual([20]);
  });

  it('valueAndGrad does not modify the original tensors', () => {
    const x = tensor([1, 2], { dtype: 'float64' });
    valueAndGrad((t: Tensor) => t.mul(t).sum())(x);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });

  it('vjp maps a cotangent to vᵀJ (and can be called twice)', () => {
    // f(x) = x^2 elementwise: J = diag(2x)
    const [out, pullback] = vjp((x: Tensor) => x.mul(x), [1, 2, 3]);
    expect(arr(out)).toEqual([1, 4, 9]);
    expect(arr(pullback([1, 0, 2])[0]!)).toEqual([2, 0, 12]);
    expect(arr(pullback([1, 1, 1])[0]!)).toEqual([2, 4, 6]);
  });
});

describe('the scalar lane (float64 0-d adjoints as numbers)', () => {
  it('a 0-d tensor fed by both a broadcast op and 0-d ops gets the sum of both kinds of adjoint', () => {
    const a = scalar(0.7);
    const b = scalar(-1.3);
    const v = f64([1, 2, 3]);
    assertGradcheck((a, b, v) => {
      const s = a!.mul(b!); // 0-d
      return v!.mul(s).sum().add(s.exp()).add(s.tanh().mul(v!.sum()));
    }, [a, b, v]);
  });

  it('gives hooks and retainGrad a tensor, and grad() targets on intermediates', () => {
    const x = scalar(2);
    const y = x.mul(x);
    const seen: number[] = [];
    y.registerHook((g) => {
      seen.push(g.item());
      return g.mul(10);
    });
    const z = y.mul(3).add(y.sin());
    const u = z.tanh().retainGrad();
    u.mul(2).backward();
    const dz = 2 * (1 - Math.tanh(z.item()) ** 2);
    const dy = dz * (3 + Math.cos(4));
    expect(seen).toEqual([dy]);
    expect(u.grad!.item()).toBe(2);
    expect(x.grad!.item()).toBeCloseTo(10 * dy * 4, 12);
    const x2 = scalar(2);
    const y2 = x2.mul(x2);
    const [gy, gx] = grad(y2.exp().mul(0.5), [y2, x2]);
    expect(gy!.item()).toBeCloseTo(0.5 * Math.exp(4), 10);
    expect(gx!.item()).toBeCloseTo(0.5 * Math.exp(4) * 4, 10);
  });

  it('runs a float64 0-d graph on numbers: no tensor rule is called and no typed array is made', () => {
    const calls = new Map<string, number>();
    const spied = PRIMITIVES.filter((op) => op.derivative !== undefined);
    const originals = spied.map((op) => op.backward);
    spied.forEach((op) => {
      (op as { backward: typeof op.backward }).backward = (args) => {
        calls.set(op.name, (calls.get(op.name) ?? 0) + 1);
        return originals[spied.indexOf(op)]!(args);
      };
    });
    try {
      const w = scalar(1.5);
      let x = scalar(0.1);
      for (let i = 0; i < 50; i++) x = x.mul(w).add(0.5).tanh().mul(0.5).add(x.mul(0.5)).sigmoid().sub(x.exp().mul(0.01));
      expect(typeof x._data).toBe('number'); // no typed array was made
      x.backward();
      expect(calls.size).toBe(0);
      // the same graph with createGraph goes through the tensor rules and agrees
      const w2 = scalar(1.5);
      let x2 = scalar(0.1);
      for (let i = 0; i < 50; i++) x2 = x2.mul(w2).add(0.5).tanh().mul(0.5).add(x2.mul(0.5)).sigmoid().sub(x2.exp().mul(0.01));
      const [gw] = grad(x2, [w2], { createGraph: true });
      expect(calls.get('mul')).toBeGreaterThan(0);
      expect(gw!.item()).toBe(w.grad!.item());
    } finally {
      spied.forEach((op, i) => ((op as { backward: typeof op.backward }).backward = originals[i]!));
    }
  });

  it('leaves float32 scalars on the tensor path (their rounding follows each op)', () => {
    const x = scalar(0.3, { dtype: 'float32' });
    const y = x.mul(x).tanh().mul(x);
    y.backward();
    expect(x.grad!.dtype).toBe('float32');
    const t = Math.fround(Math.tanh(Math.fround(0.09)));
    expect(x.grad!.item()).toBeCloseTo(t + 0.3 * (1 - t * t) * 0.6, 6);
  });
});

describe('backward started from a hook', () => {
  it('works on a graph of its own', () => {
    const x = scalar(2);
    const u = scalar(3);
    const y = x.mul(x);
    const w = u.mul(u).mul(u); // hooks run with recording off (as in PyTorch): build graphs before
    y.registerHook((g) => {
      w.backward(); // an unrelated graph: du^3/du = 27
      return g;
    });
    y.mul(5).backward();
    expect(x.grad!.item()).toBe(20);
    expect(u.grad!.item()).toBe(27);
  });

  it('is an error, not mixed gradients, when it reaches what the outer pass has not finished', () => {
    const x = scalar(2, { name: 'x' });
    const a = x.mul(3);
    const b = a.mul(4);
    const c = a.mul(5);
    b.registerHook((g) => {
      c.backward(); // c and x still hold the outer pass's pending adjoints
      return g;
    });
    expect(() => b.add(c).backward()).toThrow(/backward: a backward pass started inside another one \(from a hook\) reached/);
    expect(x.grad).toBeNull();
    // the same with tensors (no scalar lane)
    const v = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const p = v.mul(3);
    const q = p.mul(4);
    const r = p.mul(5);
    q.registerHook((g) => {
      r.backward(tensor([1, 1], { dtype: 'float64' }));
      return g;
    });
    expect(() => q.add(r).sum().backward()).toThrow(/started inside another one/);
    expect(v.grad).toBeNull();
  });
});

describe('hooks', () => {
  it('registerHook sees the gradient, can replace it, and can be removed', () => {
    const x = f64([1, 2]);
    const seen: number[][] = [];
    const remove = x.registerHook((g) => void seen.push(Array.from(g.data)));
    x.mul(3).sum().backward();
    expect(seen).toEqual([[3, 3]]);
    remove();
    x.grad = null;
    x.mul(3).sum().backward();
    expect(seen).toHaveLength(1);
    expect(arr(x.grad)).toEqual([3, 3]);
  });

  it('a hook on a tensor used twice sees the total gradient once', () => {
    const x = scalar(2);
    const seen: number[] = [];
    x.registerHook((g) => void seen.push(g.item()));
    x.mul(x).add(x.mul(3)).backward(); // 2x + 3 = 7
    expect(seen).toEqual([7]);
    expect(x.grad!.item()).toBe(7);
  });

  it('a hook on an intermediate can replace the gradient flowing on', () => {
    const x = f64([1, 2]);
    const h = x.mul(2);
    h.registerHook((g) => g.mul(10));
    h.sum().backward();
    expect(arr(x.grad)).toEqual([20, 20]);
  });

  it('retainGrad keeps the gradient of a non-leaf', () => {
    const x = scalar(3);
    const h = x.mul(x).retainGrad();
    const y = h.mul(4);
    y.backward();
    expect(h.grad!.item()).toBe(4);
    expect(x.grad!.item()).toBe(24);
    // a non-leaf without retainGrad keeps no gradient
    const x2 = scalar(1);
    const h2 = x2.mul(2);
    h2.mul(3).backward();
    expect(h2.grad).toBeNull();
  });
});

describe('customFunction', () => {
  const cube = customFunction({
    name: 'cube',
    forward: ([x]) => x!.mul(x!).mul(x!),
    backward: ({ grad: g, inputs: [x] }) => [g.mul(x!.mul(x!)).mul(3)],
  });
  const wrongCube = customFunction({
    name: 'wrongCube',
    forward: ([x]) => x!.mul(x!).mul(x!),
    backward: ({ grad: g, inputs: [x] }) => [g.mul(x!.mul(x!)).mul(2)],
  });

  it('a correct backward passes assertGradcheck and a wrong one fails', () => {
    const x = f64([0.5, -1.2, 2]);
    expect(assertGradcheck((t) => cube([t]), [x]).ok).toBe(true);
    expect(() => assertGradcheck((t) => wrongCube([t]), [x])).toThrow(GradcheckError);
    expect(() => assertGradcheck((t) => wrongCube([t]), [x], { name: 'wrongCube' })).toThrow(/analytical 8 vs numerical 12/);
    expect(gradcheck((t) => wrongCube([t]), [x]).ok).toBe(false);
  });

  it('its backward runs once per backward pass when its output is shared (memoization)', () => {
    let calls = 0;
    const counted = customFunction({
      name: 'counted',
      forward: ([x]) => x!.mul(2),
      backward: ({ grad: g }) => {
        calls++;
        return [g.mul(2)];
      },
    });
    const x = scalar(1.5);
    const s = counted([x]);
    // s used on two paths, each of which itself branches: y = (s + s*s) * (s - s^2)... a diamond of diamonds
    const a = s.add(s.mul(s));
    const b = s.sub(s.mul(s));
    const y = a.mul(b); // = s^2 - s^4, dy/ds = 2s - 4s^3; s = 3
    y.backward();
    expect(calls).toBe(1);
    expect(x.grad!.item()).toBeCloseTo((2 * 3 - 4 * 27) * 2, 12);
  });

  it('a chain of diamonds runs each backward once (linear, not exponential)', () => {
    let calls = 0;
    const ident = customFunction({
      name: 'ident',
      forward: ([x]) => x!.mul(1),
      backward: ({ grad: g }) => {
        calls++;
        return [g];
      },
    });
    const x = scalar(1);
    let y: Tensor = x;
    for (let i = 0; i < 40; i++) {
      const z = ident([y]);
      y = z.add(z).mul(0.5); // value and derivative stay 1
    }
    y.backward();
    expect(calls).toBe(40);
    expect(x.grad!.item()).toBe(1);
  });
});

describe('anomaly mode', () => {
  it('names the op for a forward NaN (log of a negative number)', () => {
    const x = f64([1, -1]);
    let err: unknown;
    try {
      detectAnomaly(() => x.log());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AnomalyError);
    expect((err as AnomalyError).op).toBe('log');
    expect((err as Error).message).toMatch(/^log: /);
    expect((err as Error).message).toMatch(/NaN/);
  });

  it('without anomaly mode the NaN passes silently', () => {
    expect(Number.isNaN(f64([-1]).log().data[0])).toBe(true);
  });

  it('names the op for a backward infinity (sqrt at 0)', () => {
    const x = f64([0, 4]);
    let err: unknown;
    try {
      detectAnomaly(() => {
        const y = x.sqrt();
        expect(arr(y)).toEqual([0, 2]);
        y.sum().backward();
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AnomalyError);
    expect((err as AnomalyError).op).toBe('sqrt');
    expect((err as Error).message).toMatch(/backward/);
    expect((err as Error).message).toMatch(/Infinity/);
  });
});

describe('anomaly mode with user-defined ops and the global switch', () => {
  it('names a custom function whose backward produces NaN', () => {
    const nanGrad = customFunction({
      name: 'nanGrad',
      forward: ([x]) => x!.mul(2),
      backward: ({ grad: g }) => [g.mul(0).log()], // log(0) = -inf inside the rule
    });
    const x = f64([1, 2]);
    let err: unknown;
    try {
      detectAnomaly(() => nanGrad([x]).sum().backward());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AnomalyError);
    expect((err as AnomalyError).op).toBe('nanGrad');
  });

  it('setDetectAnomaly turns checking on and off globally', () => {
    const x = f64([-1]);
    setDetectAnomaly(true);
    try {
      expect(() => x.sqrt()).toThrow(AnomalyError);
    } finally {
      setDetectAnomaly(false);
    }
    expect(Number.isNaN(x.sqrt().data[0])).toBe(true);
  });
});

describe('explain and toDot', () => {
  // the lecture's tiny network: two inputs, one hidden layer of two sigmoids, one sigmoid output
  function lectureNet() {
    const x1 = scalar(0.35, { name: 'x1', requiresGrad: false });
    const x2 = scalar(0.9, { name: 'x2', requiresGrad: false });
    const w13 = scalar(0.1, { name: 'w13' });
    const w23 = scalar(0.8, { name: 'w23' });
    const w14 = scalar(0.4, { name: 'w14' });
    const w24 = scalar(0.6, { name: 'w24' });
    const w35 = scalar(0.3, { name: 'w35' });
    const w45 = scalar(0.9, { name: 'w45' });
    const h3 = x1.mul(w13).add(x2.mul(w23)).sigmoid();
    h3.name = 'h3';
    const h4 = x1.mul(w14).add(x2.mul(w24)).sigmoid();
    h4.name = 'h4';
    const o5 = h3.mul(w35).add(h4.mul(w45)).sigmoid();
    o5.name = 'o5';
    const loss = o5.sub(0.5).square().mul(0.5);
    loss.name = 'loss';
    return { loss, w13, w35, h3, o5 };
  }
  const sig = (v: number) => 1 / (1 + Math.exp(-v));

  it('explain returns named rows with d(output)/d(node)', () => {
    const { loss, w35, w13 } = lectureNet();
    const rows = explain(loss);
    const names = rows.map((r) => r.name);
    for (const n of ['w13', 'w23', 'w14', 'w24', 'w35', 'w45', 'h3', 'h4', 'o5', 'loss']) expect(names).toContain(n);
    // independent hand computation
    const h3 = sig(0.35 * 0.1 + 0.9 * 0.8);
    const h4 = sig(0.35 * 0.4 + 0.9 * 0.6);
    const o5 = sig(h3 * 0.3 + h4 * 0.9);
    const delta5 = (o5 - 0.5) * o5 * (1 - o5);
    const dw35 = delta5 * h3;
    const dw13 = delta5 * 0.3 * h3 * (1 - h3) * 0.35;
    const row = (n: string) => rows.find((r) => r.name === n)!;
    expect(Number(row('w35').gradient)).toBeCloseTo(dw35, 5);
    expect(Number(row('w13').gradient)).toBeCloseTo(dw13, 6);
    expect(Number(row('o5').gradient)).toBeCloseTo(o5 - 0.5, 5);
    expect(Number(row('o5').value)).toBeCloseTo(o5, 5);
    expect(row('o5').op).toBe('sigmoid');
    expect(row('w13').op).toBeNull();
    // explain does not touch .grad and keeps the graph usable
    expect(w35.grad).toBeNull();
    loss.backward();
    expect(w35.grad!.item()).toBeCloseTo(dw35, 14);
    expect(w13.grad!.item()).toBeCloseTo(dw13, 14);
  });

  it('toDot contains the node names and ops', () => {
    const { loss } = lectureNet();
    const dot = toDot(loss);
    expect(dot.startsWith('digraph')).toBe(true);
    for (const n of ['"w13"', '"w45"', '"h3"', '"o5"', '"loss"', 'sigmoid']) expect(dot).toContain(n);
    expect(dot).toContain('"o5" -> ');
  });
});

describe('hand-written elementwise definitions in the scalar lane', () => {
  const run = async (def: Partial<import('../src/index.ts').OpDef<undefined>>) => {
    const { apply } = await import('../src/engine.ts');
    const { defineOp, scalar } = await import('../src/index.ts');
    const op = defineOp<undefined>({
      name: 'cube', inputs: ['x'], shape: ([s]) => s!.slice(), test: null, scalar: (v: number) => v * v * v,
      forward: ([x]) => x!.data.map((v) => v * v * v),
      backward: ({ grad, inputs: [x] }) => [grad.mul(x!.mul(x!)).mul(3)],
      ...def,
    });
    const x = scalar(2);
    apply(op, [x], undefined).backward();
    return x.grad!.item();
  };
  it('runs a derivative written against Arith, or else a scalarBackward, on numbers', async () => {
    expect(await run({ derivative: (m, s) => { s.da = m.mul(m.mul(s.g, m.mul(s.a, s.a)), m.k(3)); } })).toBe(12);
    expect(await run({ scalarBackward: (s) => { s.da = s.g * s.a * s.a * 3; } })).toBe(12);
    expect(await run({})).toBe(12); // neither: the tensor rule
  });
});

describe('gradients broadcast onto empty shapes', () => {
  it('an operand broadcast along an axis of size 0 gets a zero gradient of its own shape', () => {
    expect.hasAssertions();
    const w = tensor([1, 2, 3], { requiresGrad: true });
    expand(w, [0, 3]).sum().backward();
    expect(w.grad!.shape).toEqual([3]);
    expect(Array.from(w.grad!.data)).toEqual([0, 0, 0]);
    const m = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true, dtype: 'float64' });
    const e = zeros([0, 2, 3], { dtype: 'float64', requiresGrad: true });
    mul(m, e).sum().backward();
    expect(m.grad!.shape).toEqual([2, 3]);
    expect(Array.from(m.grad!.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(e.grad!.shape).toEqual([0, 2, 3]);
    const col = tensor([[1], [2]], { requiresGrad: true });
    add(col, zeros([2, 0])).sum().backward();
    expect(Array.from(col.grad!.data)).toEqual([0, 0]);
  });
});
