import { describe, expect, it } from 'vitest';
import { initWeights, makeData, memogradNn, memogradRaw, plainJs, type Trainer } from '../mlp-impls.ts';

const mean = (t: Trainer, steps: number) => {
  let s = 0;
  for (let i = 0; i < steps; i++) s += t.step();
  return s / steps;
};

describe('bench MLP implementations', () => {
  it("plain JS reproduces the perf-reference's 20-step mean loss at B=32 (2.429974)", () => {
    expect(mean(plainJs(32, initWeights(), makeData()), 20)).toBeCloseTo(2.429974, 6);
  });

  it('memograd nn and raw-tensor trainers give the plain-JS losses step by step', () => {
    const d = makeData();
    const w = initWeights();
    const js = plainJs(32, w, d), nn = memogradNn(32, w, d), raw = memogradRaw(32, w, d);
    for (let i = 0; i < 5; i++) {
      const ref = js.step();
      expect(Math.abs(nn.step() - ref)).toBeLessThan(1e-5 * ref);
      expect(Math.abs(raw.step() - ref)).toBeLessThan(1e-5 * ref);
    }
  });
});

describe('bench jax-js MLP trainer', () => {
  it('gives the plain-JS losses step by step (jit and op by op) and frees every buffer it made', async () => {
    const { loadJax } = await import('../harness.ts');
    const { jaxTrainer } = await import('../mlp-impls.ts');
    const jx = await loadJax();
    const d = makeData();
    const w = initWeights();
    const refs0 = jx.liveRefs();
    const js = plainJs(32, w, d);
    const jit = jaxTrainer(jx.jax, 32, w, d, { jit: true });
    const eager = jaxTrainer(jx.jax, 32, w, d, { jit: false });
    for (let i = 0; i < 5; i++) {
      const ref = js.step();
      expect(Math.abs(jit.step() - ref)).toBeLessThan(1e-5 * ref);
      expect(Math.abs(eager.step() - ref)).toBeLessThan(1e-5 * ref);
    }
    jit.dispose();
    eager.dispose();
    if (!Number.isNaN(refs0)) expect(jx.liveRefs()).toBe(refs0);
  });
});
