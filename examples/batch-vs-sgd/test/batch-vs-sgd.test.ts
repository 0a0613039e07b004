import { describe, expect, it } from 'vitest';
import { runBatchVsSgd } from '../batch-vs-sgd.ts';

describe('batch-vs-sgd example', () => {
  it('counts updates per batch size and shows more updates converging faster per epoch', () => {
    const [batch, mini, sgd] = runBatchVsSgd({ samples: 200, epochs: 5, lr: 0.01, seed: 0 });
    expect(batch!.updates).toBe(5);
    expect(mini!.updates).toBe(5 * 7); // ceil(200 / 32)
    expect(sgd!.updates).toBe(5 * 200);
    // full-batch GD on a convex quadratic with a small step: the loss falls every epoch
    for (let i = 1; i < 5; i++) expect(batch!.loss[i]!).toBeLessThan(batch!.loss[i - 1]!);
    // after one epoch: stochastic < mini-batch < batch
    expect(sgd!.loss[0]!).toBeLessThan(mini!.loss[0]!);
    expect(mini!.loss[0]!).toBeLessThan(batch!.loss[0]!);
    // SGD is near the noise floor (0.01) after a few epochs; batch GD is still far away
    expect(sgd!.loss[4]!).toBeLessThan(0.03);
    expect(batch!.loss[4]!).toBeGreaterThan(5);
  });
});
