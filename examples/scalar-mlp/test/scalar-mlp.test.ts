import { describe, expect, it } from 'vitest';
import { Generator, grad, type Tensor } from '@memograd/autograd';
import { MLP, countOps, makeMoons, runScalarMlp } from '../scalar-mlp.ts';

describe('scalar MLP example', () => {
  it('separates the two moons (seeded, 40 steps)', () => {
    const r = runScalarMlp({ steps: 40, seed: 1337 });
    expect(r.parameters).toBe(337);
    expect(r.opsPerStep).toBeGreaterThan(60_000);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.loss).toBeLessThan(0.2);
  });

  it("a neuron's gradient through the scalar graph matches the formula", () => {
    const g = new Generator(3);
    const net = new MLP(2, [1], g); // one linear neuron: w·x + b
    const [w0, w1, b] = net.parameters() as [Tensor, Tensor, Tensor];
    const out = net.call([0.5, -2])[0]!.tanh();
    expect(countOps(out)).toBe(5); // 2 mul, 2 add, tanh
    const [d0, d1, db] = grad(out, [w0, w1, b]);
    const z = w0.item() * 0.5 + w1.item() * -2 + b.item();
    const dz = 1 - Math.tanh(z) ** 2;
    expect(d0!.item()).toBeCloseTo(dz * 0.5, 14);
    expect(d1!.item()).toBeCloseTo(dz * -2, 14);
    expect(db!.item()).toBeCloseTo(dz, 14);
  });

  it('makes moons with labels -1 and +1, half each', () => {
    const { x, y } = makeMoons(10, 0, new Generator(0));
    expect(x).toHaveLength(10);
    expect(y.filter((v) => v === 1)).toHaveLength(5);
    expect(x[0]).toEqual([1, 0]);
  });
});
