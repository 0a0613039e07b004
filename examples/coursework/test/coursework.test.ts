import { describe, expect, it } from 'vitest';
import { blueOrange, check, forward1, mistakes, NET1_AT, network1, network2, softmaxJacobian, sqrtSlip } from '../coursework.ts';

describe('the coursework example', () => {
  it('every correct hand formula of the three networks is ok at every point', () => {
    for (const net of [network1('squared'), network1('cross-entropy'), network2()]) {
      const report = check(net);
      expect(report.checks.map((c) => c.name).sort()).toEqual(net.formulas.map((f) => f.name).sort());
      for (const c of report.checks) {
        expect(c.diagnosis, `${net.title}: ${c.name}`).toBe('ok');
        expect(c.agreed).toBe(c.points);
        expect(c.points).toBe(6);
      }
    }
  });

  it('the formulas at the given point match an independent forward pass', () => {
    // ∂L/∂b3 with the squared loss is (ŷ - y) ŷ(1 - ŷ); with cross-entropy it is ŷ - y.
    const { yhat } = forward1(NET1_AT);
    expect(check(network1('squared')).get('b3')!.expected[0]![0]).toBeCloseTo((yhat - 1) * yhat * (1 - yhat), 12);
    expect(check(network1('cross-entropy')).get('b3')!.expected[0]![0]).toBeCloseTo(yhat - 1, 12);
  });

  it('each planted mistake gets its diagnosis, with the node and factor named', () => {
    const groups = mistakes();
    const all = groups.flatMap((g) => g.mistakes.map((m) => ({ m, c: check(g.net, [m.formula]).checks[0]! })));
    expect(all.map(({ m }) => m.expected)).toEqual(['missing-factor', 'scale', 'sign', 'extra-factor', 'missing-factor', 'sign']);
    for (const { m, c } of all) {
      expect(c.diagnosis, m.title).toBe(m.expected);
      expect(c.agreed).toBe(0);
    }
    const [sigmoidDropped, half, sign, extra, tanhDropped] = all.map(({ c }) => c);
    expect(sigmoidDropped!.node).toBe('yhat');
    expect(sigmoidDropped!.formula).toContain('yhat(1-yhat)');
    expect(half!.factor).toBeCloseTo(2, 9);
    expect(half!.explanation).toContain('squared loss');
    expect(sign!.factor).toBeCloseTo(-1, 9);
    expect(extra!.node).toBe('yhat');
    expect(tanhDropped!.node).toBe('h');
    expect(tanhDropped!.formula).toContain('1-h²');
  });

  it('the blue and orange path products sum to the tape gradient', () => {
    const r = blueOrange();
    expect(r.report.paths).toHaveLength(2);
    expect(r.report.pathCount).toBe(2n);
    expect(r.blue + r.orange).toBeCloseTo(r.tape, 14);
    expect(r.report.sum as number).toBeCloseTo(r.tape, 14);
    expect(r.blue.toFixed(9)).toBe('0.000929071');
    expect(r.orange.toFixed(8)).toBe('-0.00327933');
    expect(r.tape.toFixed(8)).toBe('-0.00235026');
  });

  it('the softmax Jacobian from the tape equals the lecture table s_i(δ_ij - s_j)', () => {
    const r = softmaxJacobian();
    expect(r.s.map((v) => v.toFixed(3))).toEqual(['0.224', '0.672', '0.091', '0.014']);
    expect(r.maxDiff).toBeLessThan(1e-15);
    expect(r.tape[0]![0]!.toFixed(6)).toBe('0.173623');
    expect(r.tape[0]![1]!.toFixed(6)).toBe('-0.150248');
    for (const row of r.tape) expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThan(1e-15);
  });

  it('finds the seed 004 slip d/dx sqrt(x² + y²) = 2x as a missing sqrt factor, and the fix is ok', () => {
    const { seed, fixed } = sqrtSlip();
    for (const c of seed.checks) {
      expect(c.diagnosis).toBe('missing-factor');
      expect(c.node).toBe('z');
    }
    expect(seed.get('x')!.expected[0]![0]).toBeCloseTo(0.6, 12);
    expect(seed.get('x')!.got[0]![0]).toBe(6);
    expect(fixed.ok).toBe(true);
  });
});
