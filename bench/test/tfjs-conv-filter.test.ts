import { describe, expect, it } from 'vitest';
import { loadTf, randomArray } from '../harness.ts';
import { registerWasmFilterGrad, wasmLacksFilterGrad } from '../tfjs-conv-filter.ts';

describe('Conv2DBackpropFilter stand-in for tfjs-backend-wasm', () => {
  it('gives the cpu backend\'s weight gradient (same and explicit padding, non-square filters) and frees its temporaries', async () => {
    const tf = await loadTf();
    expect(wasmLacksFilterGrad(tf)).toBe(true); // if tfjs ever ships one, the stand-in is unused
    registerWasmFilterGrad(tf);
    expect(wasmLacksFilterGrad(tf)).toBe(false);
    const cases = [
      { x: [2, 7, 6, 3], w: [3, 3, 3, 4], pad: 'same' as const },
      { x: [3, 5, 8, 2], w: [3, 2, 2, 5], pad: 'valid' as const },
      // numeric padding only with a square filter: tfjs 4.22 sizes a numeric pad's output from the
      // filter height alone (a 5x3 filter with pad 1 gives a wrong shape, then a wasm fault)
      { x: [2, 6, 5, 4], w: [5, 5, 4, 3], pad: 2 },
    ];
    for (const c of cases) {
      const xs = randomArray(Float32Array, c.x.reduce((a, b) => a * b), 1);
      const ws = randomArray(Float32Array, c.w.reduce((a, b) => a * b), 2);
      const dwOf = async (backend: string) => {
        await tf.setBackend(backend);
        const x = tf.tensor4d(xs, c.x as [number, number, number, number]);
        const w = tf.tensor4d(ws, c.w as [number, number, number, number]);
        const before = tf.memory().numTensors;
        const g = tf.grad((f) => tf.sum(tf.square(tf.conv2d(x, f as typeof w, 1, c.pad))))(w);
        const d = g.dataSync().slice();
        g.dispose();
        expect(tf.memory().numTensors).toBe(before);
        x.dispose();
        w.dispose();
        return d;
      };
      const ref = await dwOf('cpu');
      const got = await dwOf('wasm');
      expect(got.length).toBe(ref.length);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(ref[i]!)));
    }
    await tf.setBackend('cpu');
  });
});
