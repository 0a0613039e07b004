import { describe, expect, it } from 'vitest';
import { runAll, verdict } from '../vanishing-gradients.ts';

describe('vanishing-gradients example', () => {
  const [sigmoid, reluHe, exploding] = runAll({ seed: 0, steps: 5 });

  it('flags the first layers of the 10-layer sigmoid stack as vanishing', () => {
    const r = sigmoid!;
    expect(r.report.vanishing).toBe(true);
    expect(r.report.exploding).toBe(false);
    expect(r.report.layers).toHaveLength(10);
    expect(r.report.layers[0]!.status).toBe('vanishing');
    expect(r.report.layers[9]!.status).toBe('ok');
    expect(r.report.ordersOfMagnitude!).toBeLessThan(-5);
    expect(verdict(r)).toBe('verdict: VANISHING (6 of 10 layers flagged)');
    expect(r.report.toString()).toContain('VANISHING gradients: 0, 2, 4, 6, 8, 10');
    expect(r.report.remedies.some((s) => s.includes('ReLU'))).toBe(true);
    // the seed's symptom: the first layer's weights barely change
    expect(r.firstLayerChange).toBeLessThan(1e-6 * r.lastLayerChange);
  });

  it('does not flag the same stack with ReLU and He initialization', () => {
    const r = reluHe!;
    expect(r.report.vanishing).toBe(false);
    expect(r.report.exploding).toBe(false);
    expect(r.report.layers.every((l) => l.status === 'ok')).toBe(true);
    expect(verdict(r)).toBe('verdict: healthy (0 of 10 layers flagged)');
    expect(r.report.toString()).toContain('No vanishing');
    expect(r.firstLayerChange).toBeGreaterThan(0.1 * r.lastLayerChange);
    expect(r.lossAfter).toBeLessThan(r.lossBefore);
  });

  it('flags N(0, 1) weights as exploding, and clipGradNorm bounds the step', () => {
    const r = exploding!;
    expect(r.report.exploding).toBe(true);
    expect(verdict(r)).toBe('verdict: EXPLODING (10 of 10 layers flagged)');
    expect(r.report.remedies.some((s) => s.includes('clipGradNorm'))).toBe(true);
    expect(r.clippedFrom!).toBeGreaterThan(1e6);
    expect(r.clippedTo!).toBeCloseTo(1, 4);
    expect(Number.isFinite(r.lossAfter)).toBe(true);
    expect(r.lossAfter).toBeLessThan(r.lossBefore);
  });
});
