import { describe, expect, it, vi } from 'vitest';
import { Generator, randn } from '@memograd/autograd';
import { convNet, runMnistCnn } from '../mnist-cnn.ts';

describe('mnist-cnn example (smoke)', () => {
  it('the convnet has the documented shape and parameter count', () => {
    const model = convNet(new Generator(0));
    expect(model.numParameters()).toBe(421_642);
    expect(model.eval().call(randn([2, 1, 28, 28])).shape).toEqual([2, 10]);
  });

  it('trains on a few hundred images for two epochs, well above chance', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const r = runMnistCnn({ epochs: 2, trainSize: 600, testSize: 300, batchSize: 32, seed: 0, verbose: 0, print: false });
      // chance is 10%
      expect(r.testAccuracy).toBeGreaterThan(0.6);
      const l = r.history.loss!;
      expect(l).toHaveLength(2);
      expect(l[1]!).toBeLessThan(l[0]!);
      expect(r.secondsPerEpoch).toBeGreaterThan(0);
    } finally {
      log.mockRestore();
    }
  });
});
