import { describe, expect, it } from 'vitest';
import { runLecture } from '../lecture.ts';

// Independent hand computation of the same network in plain floating point, to cross-check the tape.
function byHand() {
  const s = (z: number) => 1 / (1 + Math.exp(-z));
  const [x1, x2, t] = [0.35, 0.9, 0.5];
  const w = { w13: 0.1, w23: 0.8, w14: 0.4, w24: 0.6, w35: 0.3, w45: 0.9 };
  const y3 = s(w.w13 * x1 + w.w23 * x2);
  const y4 = s(w.w14 * x1 + w.w24 * x2);
  const y5 = s(w.w35 * y3 + w.w45 * y4);
  const d5 = y5 * (1 - y5) * (t - y5);
  const d3 = y3 * (1 - y3) * w.w35 * d5;
  const d4 = y4 * (1 - y4) * w.w45 * d5;
  return {
    y3, y4, y5, d5, d3, d4,
    updated: { w13: w.w13 + d3 * x1, w23: w.w23 + d3 * x2, w14: w.w14 + d4 * x1, w24: w.w24 + d4 * x2, w35: w.w35 + d5 * y3, w45: w.w45 + d5 * y4 },
  };
}

describe('the backprop lecture example', () => {
  const r = runLecture();

  it('reproduces the forward values to four decimals', () => {
    expect(r.forward.a1.toFixed(4)).toBe('0.7550');
    expect(r.forward.y3.toFixed(4)).toBe('0.6803');
    expect(r.forward.a2.toFixed(4)).toBe('0.6800');
    expect(r.forward.y4.toFixed(4)).toBe('0.6637');
    expect(r.forward.a3.toFixed(4)).toBe('0.8014');
    expect(r.forward.y5.toFixed(4)).toBe('0.6903');
    expect(r.forward.error.toFixed(4)).toBe('-0.1903');
  });

  it('reproduces the delta terms', () => {
    expect(r.deltas.delta5.toFixed(4)).toBe('-0.0407');
    expect(r.deltas.delta3.toFixed(5)).toBe('-0.00265');
    expect(r.deltas.delta4.toFixed(4)).toBe('-0.0082');
  });

  it('reproduces the updated weights, w24 = 0.5926 (the lecture misprints 0.5962)', () => {
    expect(r.updated.w13.toFixed(4)).toBe('0.0991');
    expect(r.updated.w23.toFixed(4)).toBe('0.7976');
    expect(r.updated.w14.toFixed(4)).toBe('0.3971');
    expect(r.updated.w24.toFixed(4)).toBe('0.5926');
    expect(r.updated.w35.toFixed(4)).toBe('0.2723');
    expect(r.updated.w45.toFixed(4)).toBe('0.8730');
  });

  it('agrees with the delta-rule formulas to machine precision', () => {
    const h = byHand();
    expect(r.forward.y5).toBeCloseTo(h.y5, 14);
    expect(r.deltas.delta5).toBeCloseTo(h.d5, 14);
    expect(r.deltas.delta3).toBeCloseTo(h.d3, 14);
    expect(r.deltas.delta4).toBeCloseTo(h.d4, 14);
    for (const [k, v] of Object.entries(h.updated)) expect(r.updated[k as keyof typeof h.updated]).toBeCloseTo(v, 14);
  });
});

describe('checkDerivation on the lecture', () => {
  it('confirms the delta-rule formulas as ok at the lecture point and 5 random points', async () => {
    const { checkDeltaRule } = await import('../lecture.ts');
    const report = checkDeltaRule();
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => `${c.name} ${c.diagnosis} ${c.agreed}/${c.points}`)).toEqual(
      ['w13', 'w23', 'w14', 'w24', 'w35', 'w45'].map((k) => `${k} ok 6/6`),
    );
  });

  it("diagnoses the lecture's written +0.0023 in w23's sum as a sign slip, the other steps ok", async () => {
    const { checkLectureSums } = await import('../lecture.ts');
    const report = checkLectureSums();
    expect(report.checks.map((c) => `${c.name} ${c.diagnosis}`)).toEqual(['w13 ok', 'w23 sign', 'w14 ok', 'w24 ok', 'w35 ok', 'w45 ok']);
  });

  it('prints the w24 and w23 notes from the computed values', async () => {
    const { execFileSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', fileURLToPath(new URL('../main.ts', import.meta.url))], { encoding: 'utf8', cwd: root });
    expect(out).toContain('w24 new is 0.5926');
    expect(out).toContain('0.6 - 0.00738 = 0.5926');
    expect(out).toContain('w23 new is 0.7976: the lecture writes Δw23 = -0.0023');
    expect(out).toContain('the minus sign is dropped in the written sum (0.8 + 0.0023 would be 0.8023;');
    expect(out).toContain("checkDerivation calls the +0.0023 'sign'), while 0.797 is 0.8 - 0.0023 = 0.7977 cut to three decimals (0.798 rounded).");
    expect(out).toMatch(/dE\/dw35 {2}= -δ5·y3 {3}ok {4}6\/6 points agree/);
    expect(out).not.toContain('adds +0.0023 instead of');
  }, 30000);
});
