import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, GraphError, ShapeError, Tensor, grad, hessian, hvp, jacfwd, jacobian, jvp, tensor, vhp, vjp,
} from '../src/index.ts';

const fcOptions = { numRuns: 25, seed: 20260901 };

/** Test functions of one float64 tensor, scalar and non-scalar outputs; `w` is a fixed random vector. */
type Fn = { name: string; f: (x: Tensor) => Tensor; scalar: boolean };
function functions(w: number[]): Fn[] {
  return [
    { name: 'sin(x)·exp(x/2)', f: (x) => x.sin().mul(x.mul(0.5).exp()), scalar: false },
    { name: 'softmax(flat x)', f: (x) => x.reshape([-1]).softmax(), scalar: false },
    { name: 'outer(tanh x, x)', f: (x) => { const v = x.reshape([-1]); return v.tanh().reshape([-1, 1]).mul(v.reshape([1, -1])); }, scalar: false },
    { name: 'x·w summed to [1, 2]', f: (x) => { const v = x.reshape([-1]).mul(tensor(w.slice(0, x.size), { dtype: 'float64' })); return v.sum().reshape([1, 1]).mul(tensor([[1, -2]], { dtype: 'float64' })); }, scalar: false },
    { name: 'sum(sigmoid(x)·x²)', f: (x) => x.sigmoid().mul(x.square()).sum(), scalar: true },
    { name: 'logSumExp(x·w) + x⁴/12', f: (x) => x.reshape([-1]).mul(tensor(w.slice(0, x.size), { dtype: 'float64' })).logSumExp().add(x.pow(4).sum().div(12)), scalar: true },
  ];
}

/** Central differences in float64: J[i, j] = (f(x + h e_j) - f(x - h e_j))_i / 2h, shape [out.size, x.size]. */
function fdJacobian(f: (x: Tensor) => Tensor, x: number[], shape: number[], h = 1e-6): number[][] {
  const at = (v: number[]) => Array.from(f(new Tensor(Float64Array.from(v), shape, 'float64')).data);
  const n = at(x).length;
  const J = Array.from({ length: n }, () => new Array<number>(x.length).fill(0));
  for (let j = 0; j < x.length; j++) {
    const p = x.slice(); p[j]! += h;
    const m = x.slice(); m[j]! -= h;
    const fp = at(p), fm = at(m);
    for (let i = 0; i < n; i++) J[i]![j] = (fp[i]! - fm[i]!) / (2 * h);
  }
  return J;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
}

const shapeArb = fc.constantFrom<number[]>([3], [2, 2], [1, 3], [4], []);
const caseArb = shapeArb.chain((shape) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: n, maxLength: n });
  return fc.record({
    shape: fc.constant(shape), x: vals, v: vals,
    w: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
    k: fc.nat(5),
  });
});

describe('jacobian, jacfwd, jvp, hvp, vhp: property tests against finite differences and grad/vjp/hessian', () => {
  it('jacobian and jacfwd match central differences and each other; jvp = J·v and vjp rows = J, for any output shape', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(caseArb, ({ shape, x, v, w, k }) => {
        const { f } = functions(w)[k]!;
        const X = new Tensor(Float64Array.from(x), shape, 'float64');
        const out = f(X);
        const J = jacobian(f, X);
        const Jf = jacfwd(f, X);
        expect(J.shape).toEqual([...out.shape, ...shape]);
        expect(Jf.shape).toEqual([...out.shape, ...shape]);
        const fd = fdJacobian(f, x, shape).flat();
        close(J.data, fd, 1e-6);
        close(Jf.data, J.data, 1e-12);
        // jvp: J·v
        const [y, Jv] = jvp(f, X, new Tensor(Float64Array.from(v), shape, 'float64'));
        close(y.data, out.data, 0);
        expect(Jv.shape).toEqual(out.shape);
        const expected = Array.from({ length: out.size }, (_, i) => x.reduce((s, _x, j) => s + J.data[i * x.length + j]! * v[j]!, 0));
        close(Jv.data, expected, 1e-10);
        // vjp with a one-hot cotangent is a row of J
        if (out.size > 0) {
          const [, back] = vjp(f, X);
          const e = new Tensor(new Float64Array(out.size), out.shape, 'float64');
          e.data[0] = 1;
          close(back(e)[0]!.data, J.data.slice(0, x.length), 1e-12);
        }
      }),
      fcOptions,
    );
  });

  it('hvp and vhp match hessian and differences of grad; jacobian of a scalar function is grad', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(caseArb, ({ shape, x, v, w, k }) => {
        const { f } = functions(w).filter((g) => g.scalar)[k % 2]!;
        const X = new Tensor(Float64Array.from(x), shape, 'float64');
        const V = new Tensor(Float64Array.from(v), shape, 'float64');
        const H = hessian(f, X);
        const n = x.length;
        const Hv = Array.from({ length: n }, (_, i) => v.reduce((s, vj, j) => s + H.data[i * n + j]! * vj, 0));
        const [y1, hv] = hvp(f, X, V);
        const [y2, vh] = vhp(f, X, V);
        expect(y1.item()).toBe(f(X).item());
        expect(y2.item()).toBe(f(X).item());
        expect(hv.shape).toEqual(shape);
        expect(vh.shape).toEqual(shape);
        close(hv.data, Hv, 1e-10);
        close(vh.data, Hv, 1e-10);
        // finite differences of the tape's gradient: (∇f(x + h v) - ∇f(x - h v)) / 2h = H v
        const g = (xs: number[]) => Array.from(grad((t: Tensor) => f(t))(new Tensor(Float64Array.from(xs), shape, 'float64'))[0]!.data);
        const h = 1e-6;
        const gp = g(x.map((xi, i) => xi + h * v[i]!)), gm = g(x.map((xi, i) => xi - h * v[i]!));
        close(hv.data, gp.map((a, i) => (a - gm[i]!) / (2 * h)), 1e-6);
        // jacobian of a scalar function: shape [...x.shape], equal to grad
        const J = jacobian(f, X);
        expect(J.shape).toEqual(shape);
        close(J.data, grad((t: Tensor) => f(t))(X)[0]!.data, 1e-14);
      }),
      fcOptions,
    );
  });
});

describe('transforms: several inputs, edge cases and errors', () => {
  const a = tensor([1, 2], { dtype: 'float64' });
  const b = tensor([3, 4, 5], { dtype: 'float64' });
  const f = (x: Tensor, y: Tensor) => x.reshape([2, 1]).mul(y.reshape([1, 3])).sin();

  it('an array of Tensors gives one Jacobian per input (like torch.autograd.functional.jacobian with a tuple)', () => {
    const [Ja, Jb] = jacobian(f, [a, b]);
    expect(Ja!.shape).toEqual([2, 3, 2]);
    expect(Jb!.shape).toEqual([2, 3, 3]);
    const [Fa, Fb] = jacfwd(f, [a, b]);
    close(Fa!.data, Ja!.data, 1e-12);
    close(Fb!.data, Jb!.data, 1e-12);
    // jvp sums over the inputs
    const va = tensor([0.5, -1], { dtype: 'float64' });
    const vb = tensor([1, 0, 2], { dtype: 'float64' });
    const [, Jv] = jvp(f, [a, b], [va, vb]);
    const expected = Array.from({ length: 6 }, (_, i) => Ja!.data[i * 2]! * 0.5 - Ja!.data[i * 2 + 1]! + Jb!.data[i * 3]! + 2 * Jb!.data[i * 3 + 2]!);
    close(Jv.data, expected, 1e-12);
  });

  it('hvp/vhp with several inputs and inputs the output ignores', () => {
    const g = (x: Tensor, y: Tensor, z: Tensor) => x.mul(y).sum().add(x.pow(3).sum());
    const z = tensor([7], { dtype: 'float64' });
    const [, hv] = hvp(g, [a, a, z], [tensor([1, 0], { dtype: 'float64' }), tensor([0, 1], { dtype: 'float64' }), tensor([1], { dtype: 'float64' })]);
    const [, vh] = vhp(g, [a, a, z], [tensor([1, 0], { dtype: 'float64' }), tensor([0, 1], { dtype: 'float64' }), tensor([1], { dtype: 'float64' })]);
    // H = [[6x, 0 | I], [I | 0]]: d²/dx² = diag(6x), d²/dxdy = I
    expect(Array.from(hv[0]!.data)).toEqual([6, 1]);
    expect(Array.from(hv[1]!.data)).toEqual([1, 0]);
    expect(Array.from(hv[2]!.data)).toEqual([0]);
    expect(vh.map((t) => Array.from(t.data))).toEqual(hv.map((t) => Array.from(t.data)));
  });

  it('constant functions, linear functions and empty inputs give zeros of the right shape', () => {
    expect(jacobian(() => tensor([1, 2]), [1, 2, 3]).shape).toEqual([2, 3]);
    expect(Array.from(jacfwd(() => tensor([1, 2]), [1, 2, 3]).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(jvp((x) => x.mul(3), [1, 2], [1, 1])[1].data).toEqual(Float64Array.from([3, 3]));
    expect(hvp((x) => x.mul(3).sum(), [1, 2], [1, 1])[1].data).toEqual(Float64Array.from([0, 0]));
    expect(jacobian((x) => x.sum(), tensor([])).shape).toEqual([0]);
    expect(jacfwd((x) => x.mul(2), tensor([])).shape).toEqual([0, 0]);
    expect(jvp((x) => x.square(), 3)[1].item()).toBe(6); // v may be left out for a one-element x
  });

  it('bad arguments are typed errors naming the function and the argument', () => {
    expect(() => jacobian(3 as never, [1])).toThrow(ArgumentError);
    expect(() => jacobian(3 as never, [1])).toThrow(/^jacobian: argument 'f'/);
    expect(() => jacfwd((x) => x, 'a' as never)).toThrow(/^jacfwd: argument 'x'/);
    expect(() => jvp((x) => x, [1, 2], [1, 2, 3])).toThrow(ShapeError);
    expect(() => jvp((x) => x, [1, 2], [1, 2, 3])).toThrow(/^jvp: argument 'v'/);
    expect(() => jvp((x) => x, [1, 2])).toThrow(/^jvp: argument 'v' is required/);
    expect(() => hvp((x) => x, [1, 2], [1, 1])).toThrow(GraphError);
    expect(() => vhp((x) => x, [1, 2], [1, 1])).toThrow(/^vhp: the function must return a scalar/);
    expect(() => vhp(() => 3 as never, [1, 2], [1, 1])).toThrow(/^vhp: the function 'f' must return a Tensor/);
    expect(() => jvp(f, [a, b], [a] as never)).toThrow(/^jvp: argument 'v' must hold one tangent per input/);
  });
});
