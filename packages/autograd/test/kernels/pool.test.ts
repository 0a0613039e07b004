// maxPool2d's 2x2 stride-2 paths (the JS loop, and wasm for float32) against the general window
// loop: the same values and the same arg-max indices (ties keep the first maximum, NaN takes over),
// for the shapes they accept (odd sizes leave the last row and column out) and the ones they must
// refuse (padding, ceil-mode windows).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maxPool2d, maxPoolWindows, type Window2d } from '../../src/kernels/conv-im2col.ts';
import { setWasmReduceChunk, setWasmUnaryMin } from '../../src/kernels/unary-wasm.ts';

function values(n: number, seed: number, f32: boolean): Float32Array | Float64Array {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const out = f32 ? new Float32Array(n) : new Float64Array(n);
  // few distinct values (ties), with NaN, -Infinity and signed zeros among them
  const pool = [0, -0, 1, -1, 2, NaN, -Infinity, Infinity, 0.5];
  for (let i = 0; i < n; i++) out[i] = next() < 0.6 ? pool[Math.floor(next() * pool.length)]! : next() * 4 - 2;
  return out;
}

describe('maxPool2d 2x2 stride 2', () => {
  it('gives the general loop\'s values and indices (JS loop, and wasm with planes split across chunks)', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 21 }), fc.integer({ min: 2, max: 21 }), fc.integer(), fc.boolean(), fc.boolean(), fc.constantFrom(1, 40, 1 << 14),
        (planes, h, w, seed, f32, wasm, chunk) => {
          const src = values(planes * h * w, seed, f32);
          const g: Window2d = { kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1, oh: Math.floor(h / 2), ow: Math.floor(w / 2) };
          const m = planes * g.oh * g.ow;
          const [v1, v2, v3] = f32 ? [new Float32Array(m), new Float32Array(m), new Float32Array(m)] : [new Float64Array(m), new Float64Array(m), new Float64Array(m)];
          const [i1, i2, i3] = [new Int32Array(m), new Int32Array(m), new Int32Array(m)];
          const oldMin = setWasmUnaryMin(wasm ? 0 : Infinity);
          const oldChunk = setWasmReduceChunk(chunk);
          try {
            maxPool2d(src, planes, h, w, g, v1, i1);
            maxPool2d(src, planes, h, w, g, v3, null); // values alone
            maxPool2d(src, planes, h, w, g, null, i3); // indices alone
          } finally {
            setWasmUnaryMin(oldMin);
            setWasmReduceChunk(oldChunk);
          }
          maxPoolWindows(src, planes, h, w, g, v2, i2);
          expect(Array.from(i1)).toEqual(Array.from(i2));
          expect(Array.from(i3)).toEqual(Array.from(i2));
          for (let i = 0; i < m; i++) {
            expect(Object.is(v1[i], v2[i]), `${v1[i]} vs ${v2[i]} at ${i}`).toBe(true);
            expect(Object.is(v3[i], v2[i]), `${v3[i]} vs ${v2[i]} at ${i} (values alone)`).toBe(true);
          }
        }),
      { numRuns: 300 },
    );
  });

  it('leaves padded and ceil-mode windows to the general loop', () => {
    const src = Float32Array.from({ length: 9 }, (_, i) => i);
    const ceil: Window2d = { kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1, oh: 2, ow: 2 };
    const out = new Float32Array(4);
    maxPool2d(src, 1, 3, 3, ceil, out, null);
    expect(Array.from(out)).toEqual([4, 5, 7, 8]); // the last windows are cut to the input
    const padded: Window2d = { ...ceil, ph: 1, pw: 1 };
    maxPool2d(src, 1, 3, 3, padded, out, null);
    expect(Array.from(out)).toEqual([0, 2, 6, 8]);
  });
});
