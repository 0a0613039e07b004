import { describe, expect, it } from 'vitest';
import {
  GradcheckError, Tensor, assertGradcheck, assertGradgradcheck, customFunction, gradcheck, gradgradcheck, tensor,
} from '../src/index.ts';

const f64 = (v: number[], requiresGrad = true): Tensor => tensor(v, { dtype: 'float64', requiresGrad });

/** x * k with a backward that is off by the factor (1 + rel), plus `bias` added to the gradient. */
function scaled(k: number, rel: number, bias = 0) {
  return customFunction({
    name: 'scaled',
    forward: ([x]) => x!.mul(k),
    backward: ({ grad: g }) => [g.mul(k * (1 + rel)).add(bias)],
  });
}

// a*b whose gradient for b is wrong by +0.5 at flat index 2 only
const mulBad = customFunction({
  name: 'mulBad',
  forward: ([a, b]) => a!.mul(b!),
  backward: ({ grad: g, inputs: [a, b] }) => [g.mul(b!), g.mul(a!).add(tensor([0, 0, 0.5, 0], { dtype: 'float64' }).mul(g))],
});

describe('the report', () => {
  it('describes the worst entry of a wrong gradient', () => {
    const a = f64([1, 2, 3, 4]);
    const b = f64([-1, 0.5, 2, 1.5]);
    const r = gradcheck((x, y) => mulBad([x, y]), [a, b]);
    expect(r.ok).toBe(false);
    expect(r.mode).toBe('full');
    expect(r.failures).toBe(1);
    expect(r.worst).not.toBeNull();
    const w = r.worst!;
    expect(w.input).toBe(1);
    expect(w.output).toBe(0);
    expect(w.inputIndex).toEqual([2]);
    expect(w.outputIndex).toEqual([2]);
    expect(w.analytical).toBeCloseTo(3.5, 12);
    expect(w.numerical).toBeCloseTo(3, 8);
    expect(w.absDiff).toBeCloseTo(0.5, 8);
    expect(r.message).toContain('input index [2]');
    expect(r.message).toContain('analytical 3.5');
    expect(r.message).toContain('1 entry out of tolerance');
  });

  it('multi-index positions for matrices', () => {
    const bad = customFunction({
      name: 'badT',
      forward: ([x]) => x!.mul(2),
      backward: ({ grad: g }) => [g.mul(tensor([[2, 2, 2], [2, 2, 7]], { dtype: 'float64' }))],
    });
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', requiresGrad: true });
    const r = gradcheck((t) => bad([t]), [x]);
    expect(r.ok).toBe(false);
    expect(r.worst!.inputIndex).toEqual([1, 2]);
    expect(r.worst!.outputIndex).toEqual([1, 2]);
    expect(r.worst!.analytical).toBe(7);
    expect(r.worst!.numerical).toBeCloseTo(2, 8);
  });

  it('passes on correct functions with ok reports', () => {
    const x = f64([0.3, -1.1, 2.2]);
    const y = f64([1.5, 0.7, -0.4]);
    const r = gradcheck((a, b) => a.mul(b).sin().add(a.exp().div(b.mul(b).add(1))), [x, y]);
    expect(r.ok).toBe(true);
    expect(r.failures).toBe(0);
    expect(r.warnings).toEqual([]);
    expect(r.worst!.absDiff).toBeLessThan(1e-7);
    expect(r.message).toMatch(/^gradcheck\(.*\): ok/);
    // several outputs
    expect(gradcheck((a) => [a.sum(), a.mul(a)], [x]).ok).toBe(true);
  });

  it('inputs that do not require grad are held constant', () => {
    const w = f64([2, 3], false);
    const r = gradcheck((x, c) => x.mul(c).sum(), [f64([1, 1]), w]);
    expect(r.ok).toBe(true);
    expect(() => gradcheck((c) => c.sum(), [w])).toThrow(/requires grad/);
  });

  it('restores the input values', () => {
    const x = f64([0.1, 0.2, 0.3]);
    gradcheck((t) => t.exp().sum(), [x]);
    gradcheck((t) => t.exp().sum(), [x], { fastMode: true });
    gradcheck((t) => mulBad([t, t.mul(1)]), [f64([1, 2, 3, 4])], { fastMode: true });
    expect(Array.from(x.data)).toEqual([0.1, 0.2, 0.3]);
  });

  it('assertGradcheck throws a GradcheckError with the report message', () => {
    const a = f64([1, 2, 3, 4]);
    const b = f64([-1, 0.5, 2, 1.5]);
    expect(assertGradcheck((x) => x.mul(x).sum(), [a]).ok).toBe(true);
    let err: unknown;
    try {
      assertGradcheck((x, y) => mulBad([x, y]), [a, b]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GradcheckError);
    expect((err as Error).message).toMatch(/^gradcheck: Jacobian mismatch/);
    expect((err as Error).message).toContain('analytical 3.5');
  });
});

describe('fast mode', () => {
  it('passes on correct functions', () => {
    const x = f64([0.3, -1.1, 2.2, 0.8]);
    const r = gradcheck((t) => t.tanh().mul(t).softmax(), [x], { fastMode: true });
    expect(r.ok).toBe(true);
    expect(r.mode).toBe('fast');
    const m = tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a, b) => a.matmul(b), [m, f64([0.5, -1])], { fastMode: true }).ok).toBe(true);
  });

  it('fails on wrong ones and then reports the full Jacobian comparison', () => {
    const r = gradcheck((x, y) => mulBad([x, y]), [f64([1, 2, 3, 4]), f64([-1, 0.5, 2, 1.5])], { fastMode: true, seed: 3 });
    expect(r.ok).toBe(false);
    expect(r.mode).toBe('fast');
    expect(r.worst!.input).toBe(1);
    expect(r.worst!.inputIndex).toEqual([2]);
    expect(r.message).toMatch(/fast mode/);
    expect(gradcheck((t) => scaled(10, 0.01)([t]), [f64([1, 2])], { fastMode: true }).ok).toBe(false);
  });
});

describe('kinks', () => {
  it('abs at exactly 0 passes (central difference = subgradient 0) but warns', () => {
    const r = gradcheck((t) => t.abs(), [f64([0, 1.5])]);
    expect(r.ok).toBe(true);
    expect(r.warnings.length).toBe(1);
    expect(r.warnings[0]).toContain('input 0 at [0]');
    expect(r.warnings[0]).toMatch(/kink/);
    expect(r.warnings[0]).toContain('left -1');
    expect(r.warnings[0]).toContain('right 1');
  });

  it('relu at exactly 0 fails and warns', () => {
    const r = gradcheck((t) => t.relu(), [f64([0, 1.5])]);
    expect(r.ok).toBe(false);
    expect(r.worst!.inputIndex).toEqual([0]);
    expect(r.worst!.numerical).toBeCloseTo(0.5, 8);
    expect(r.warnings.length).toBeGreaterThan(0);
    expect(r.message).toMatch(/warning: .*kink/);
  });

  it('smooth but strongly curved functions do not warn', () => {
    const r = gradcheck((t) => t.mul(t).mul(1e3).add(t.exp()), [f64([0, 1, -2])]);
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([]);
  });
});

describe('default tolerances eps 1e-6, atol 1e-5, rtol 1e-3', () => {
  it('a relative error of 2e-3 fails and 5e-4 passes', () => {
    const x = [f64([0.7, -0.2])];
    expect(gradcheck((t) => scaled(100, 2e-3)([t]), x).ok).toBe(false);
    expect(gradcheck((t) => scaled(100, 5e-4)([t]), x).ok).toBe(true);
    // the same errors pass with a looser rtol, and the tight case fails with a tighter one
    expect(gradcheck((t) => scaled(100, 2e-3)([t]), x, { rtol: 3e-3 }).ok).toBe(true);
    expect(gradcheck((t) => scaled(100, 5e-4)([t]), x, { rtol: 1e-4 }).ok).toBe(false);
  });

  it('an absolute error of 2e-5 on a zero derivative fails and 5e-6 passes', () => {
    const x = [f64([0.7])];
    expect(gradcheck((t) => scaled(0, 0, 2e-5)([t]), x).ok).toBe(false);
    expect(gradcheck((t) => scaled(0, 0, 5e-6)([t]), x).ok).toBe(true);
    expect(gradcheck((t) => scaled(0, 0, 2e-5)([t]), x, { atol: 1e-4 }).ok).toBe(true);
  });

  it('perturbs by ±1e-6 (or the given eps)', () => {
    const seen: number[] = [];
    const spy = customFunction({
      name: 'spy',
      forward: ([x]) => {
        seen.push(x!.data[0]!);
        return x!.mul(1);
      },
      backward: ({ grad: g }) => [g],
    });
    gradcheck((t) => spy([t]), [f64([0.5])]);
    const shifts = [...new Set(seen.map((v) => +(v - 0.5).toExponential(6)))].sort((a, b) => a - b);
    expect(shifts).toEqual([-1e-6, 0, 1e-6]);
    seen.length = 0;
    gradcheck((t) => spy([t]), [f64([0.5])], { eps: 1e-3 });
    expect([...new Set(seen.map((v) => +(v - 0.5).toExponential(6)))].sort((a, b) => a - b)).toEqual([-1e-3, 0, 1e-3]);
  });
});

describe('gradgradcheck', () => {
  it('passes on x^3 summed and on tanh', () => {
    const x = f64([0.4, -1.3, 0.9]);
    const r = gradgradcheck((t) => t.pow(3).sum(), [x]);
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/^gradgradcheck/);
    expect(gradgradcheck((t) => t.tanh(), [x]).ok).toBe(true);
    expect(assertGradgradcheck((a, b) => a.mul(b).sin(), [x, f64([1, 2, 3])]).ok).toBe(true);
  });

  it('fails on a backward that is right to first order but detaches inside', () => {
    const cubeDetached = customFunction({
      name: 'cubeDetached',
      forward: ([x]) => x!.mul(x!).mul(x!),
      // correct values, but x.detach() hides the dependence of the gradient on x
      backward: ({ grad: g, inputs: [x] }) => [g.mul(x!.detach().mul(x!.detach())).mul(3)],
    });
    const x = f64([0.4, -1.3, 0.9]);
    expect(gradcheck((t) => cubeDetached([t]), [x]).ok).toBe(true);
    const r = gradgradcheck((t) => cubeDetached([t]), [x]);
    expect(r.ok).toBe(false);
    expect(r.worst!.input).toBe(0); // the second derivative with respect to x is the wrong one
    expect(r.message).toMatch(/^gradgradcheck/);
    expect(() => assertGradgradcheck((t) => cubeDetached([t]), [x])).toThrow(GradcheckError);
    // the differentiable version passes
    const cube = customFunction({
      name: 'cube',
      forward: ([t]) => t!.mul(t!).mul(t!),
      backward: ({ grad: g, inputs: [t] }) => [g.mul(t!.mul(t!)).mul(3)],
    });
    expect(gradgradcheck((t) => cube([t]), [x]).ok).toBe(true);
  });
});
