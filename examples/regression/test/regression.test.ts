import { describe, expect, it } from 'vitest';
import { TRUE_RULE, leastSquares, makePlacementData, runRegression } from '../regression.ts';

describe('regression example', () => {
  it('recovers the coefficients of the rule that generated the data', () => {
    const r = runRegression({ seed: 0, samples: 200, epochs: 40 });
    expect(Math.abs(r.learned.cgpa - TRUE_RULE.cgpa)).toBeLessThan(0.05);
    expect(Math.abs(r.learned.profileScore - TRUE_RULE.profileScore)).toBeLessThan(0.005);
    expect(Math.abs(r.learned.intercept - TRUE_RULE.intercept)).toBeLessThan(0.4);
    // and agrees with the least-squares solution on the same rows much more closely
    expect(Math.abs(r.learned.cgpa - r.leastSquares.cgpa)).toBeLessThan(0.02);
    expect(Math.abs(r.learned.profileScore - r.leastSquares.profileScore)).toBeLessThan(0.002);
    // validation error near the noise floor (0.3² = 0.09)
    expect(r.finalValMse).toBeLessThan(0.15);
    expect(r.trainLoss.at(-1)!).toBeLessThan(r.trainLoss[0]!);
  });

  it('least squares on noise-free data is exact', () => {
    const d = makePlacementData(30, { seed: 1, noise: 0 });
    const ls = leastSquares(d.cgpa, d.profileScore, d.lpa);
    expect(ls.cgpa).toBeCloseTo(TRUE_RULE.cgpa, 8);
    expect(ls.profileScore).toBeCloseTo(TRUE_RULE.profileScore, 8);
    expect(ls.intercept).toBeCloseTo(TRUE_RULE.intercept, 7);
  });
});
