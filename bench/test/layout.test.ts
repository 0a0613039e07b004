import { describe, expect, it } from 'vitest';
import { denseAfterFlattenToTf, hwioToOihw, nchwToNhwc, nhwcToNchw, oihwToHwio, permute } from '../layout.ts';

const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('bench layout conversions', () => {
  it('permute moves every element to its permuted index', () => {
    const shape = [2, 3, 4, 5];
    const a = iota(120);
    const perm = [2, 0, 3, 1];
    const out = permute(a, shape, perm);
    const os = perm.map((p) => shape[p]!);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 4; k++)
          for (let l = 0; l < 5; l++) {
            const src = [i, j, k, l];
            const dst = perm.map((p) => src[p]!);
            const o = ((dst[0]! * os[1]! + dst[1]!) * os[2]! + dst[2]!) * os[3]! + dst[3]!;
            expect(out[o]).toBe(((i * 3 + j) * 4 + k) * 5 + l);
          }
    expect(() => permute(a, shape, [0, 1, 1, 2])).toThrow(/not a permutation/);
    expect(() => permute(a, [2, 3], [1, 0])).toThrow(/120 elements/);
  });

  it('NCHW <-> NHWC and OIHW <-> HWIO are inverse pairs with the right element placement', () => {
    const s = [2, 3, 4, 5]; // N C H W
    const a = iota(120);
    const nhwc = nchwToNhwc(a, s);
    // element (n=1, c=2, h=3, w=4) sits at ((1*4 + 3)*5 + 4)*3 + 2 in NHWC
    expect(nhwc[((1 * 4 + 3) * 5 + 4) * 3 + 2]).toBe(((1 * 3 + 2) * 4 + 3) * 5 + 4);
    expect(Array.from(nhwcToNchw(nhwc, s))).toEqual(Array.from(a));
    const hwio = oihwToHwio(a, s); // O I kH kW
    // (o=1, i=2, kh=3, kw=4) at ((3*5 + 4)*3 + 2)*2 + 1 in HWIO
    expect(hwio[((3 * 5 + 4) * 3 + 2) * 2 + 1]).toBe(((1 * 3 + 2) * 4 + 3) * 5 + 4);
    expect(Array.from(hwioToOihw(hwio, s))).toEqual(Array.from(a));
  });

  it('a dense weight after Flatten maps C,H,W input order to tfjs H,W,C rows', () => {
    const out = 2, c = 3, h = 2, w = 2;
    const wt = iota(out * c * h * w);
    const k = denseAfterFlattenToTf(wt, out, [c, h, w]);
    // tfjs kernel row (hh, ww, cc), column o == memograd weight[o, cc*h*w + hh*w + ww]
    for (let o = 0; o < out; o++)
      for (let cc = 0; cc < c; cc++)
        for (let hh = 0; hh < h; hh++)
          for (let ww = 0; ww < w; ww++) expect(k[((hh * w + ww) * c + cc) * out + o]).toBe(wt[o * c * h * w + cc * h * w + hh * w + ww]);
  });
});
