import { describe, expect, it } from 'vitest';
import { runRegularization } from '../regularization.ts';
import type { Technique, TechniqueResult } from '../regularization.ts';

describe('regularization example', () => {
  it('without regularization the wide net overfits; each technique shrinks weights or recovers validation loss', () => {
    const rows = runRegularization({ seed: 0 });
    const by = (t: Technique): TechniqueResult => rows.find((r) => r.technique === t)!;
    const none = by('none');
    // overfitting: the training loss is far below the noise floor (0.09), validation climbed back up
    expect(none.trainLoss).toBeLessThan(0.01);
    expect(none.valLoss).toBeGreaterThan(2 * none.bestValLoss);
    const l1 = by('l1');
    const l2 = by('l2');
    expect(l1.l1Norm).toBeLessThan(none.l1Norm / 3);
    expect(l2.l2Norm).toBeLessThan(none.l2Norm / 2);
    expect(l1.valLoss).toBeLessThan(0.8 * none.valLoss);
    expect(l2.valLoss).toBeLessThan(0.6 * none.valLoss);
    expect(l2.trainLoss).toBeGreaterThan(none.trainLoss);
    expect(by('dropout').valLoss).toBeLessThan(0.8 * none.valLoss);
    const es = by('early stopping');
    expect(es.epochsRun).toBeLessThan(2000);
    expect(es.valLoss).toBeCloseTo(es.bestValLoss, 6); // the best epoch's weights were restored
    expect(es.valLoss).toBeLessThan(0.6 * none.valLoss);
  });
});
