import { describe, expect, it, vi } from 'vitest';
import { runMnist } from '../mnist.ts';

describe('mnist-mlp example (smoke)', () => {
  it('trains both networks on a few hundred images (the wide one for one epoch), well above chance', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const r = runMnist({ epochs: 1, lectureEpochs: 8, trainSize: 800, testSize: 500, batchSize: 16, seed: 0, verbose: 0, print: false });
      // chance is 10%; with seed 0 this run reaches 73% (wide, 1 epoch) and 48% (lecture, 8 epochs)
      expect(r.wide.testAccuracy).toBeGreaterThan(0.5);
      expect(r.wide.params).toBe(101_770);
      expect(r.lecture!.params).toBe(13_002);
      const l = r.lecture!.history.loss!;
      expect(l).toHaveLength(8);
      expect(l[7]!).toBeLessThan(l[0]! - 0.3);
      expect(r.lecture!.testAccuracy).toBeGreaterThan(0.25);
    } finally {
      log.mockRestore();
    }
  });
});
