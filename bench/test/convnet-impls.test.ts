import { describe, expect, it } from 'vitest';
import { CNN_FLOP_PER_SAMPLE, convnetInit, makeImages, memogradConvnet, tfLayersConvnet } from '../convnet-impls.ts';
import { loadTf } from '../harness.ts';
import { registerWasmFilterGrad } from '../tfjs-conv-filter.ts';

describe('bench convnet implementations', () => {
  it('tfjs-layers (wasm, NHWC, converted weights) trains like memograd with dropout off', async () => {
    const tf = await loadTf();
    registerWasmFilterGrad(tf);
    await tf.setBackend('wasm');
    const d = makeImages(32);
    const p = convnetInit();
    const ours = memogradConvnet(16, p, d, false);
    const theirs = await tfLayersConvnet(tf, 16, p, d, false);
    let after1 = 0;
    for (let i = 0; i < 3; i++) {
      const ref = ours.step();
      expect(Math.abs((await theirs.step()) - ref)).toBeLessThan(1e-5 * ref);
      if (i === 0) after1 = tf.memory().numTensors; // Adam's moments appear on the first step
    }
    expect(tf.memory().numTensors).toBe(after1);
    theirs.dispose();
    await tf.setBackend('cpu');
  });

  it('counts the flop of a training step per sample', () => {
    // multiply-adds per sample: conv1 32·28·28·9, conv2 64·14·14·32·9, dense 3136·128 + 128·10
    expect(CNN_FLOP_PER_SAMPLE).toBe(2 * (225_792 + 3_612_672 + 402_688) * 3 - 2 * 225_792);
  });
});
