// The convolution kernels (kernels/conv-gemm.ts) against the plain-loop oracles of their ops, at sizes
// that take the wasm GEMM (and its threads, forced), over chunkings from one image per product to the
// whole batch: groups, strides, dilation, padding larger after than before, float32 and float64.
// The property tests (ops.property.test.ts) cover the same ops on small sizes, which take the JS path.
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../src/index.ts'; // first: the op modules import each other through it
import { conv2dForward, conv2dInputGrad, conv2dWeightGrad, setConvChunkElems } from '../../src/kernels/conv-gemm.ts';
import { KERNEL_CONFIG } from '../../src/kernels/config.ts';
import { matmulThreads, matmulUsesWasmFor, setMatmulThreadsMinWork } from '../../src/kernels/matmul.ts';
import type { FloatArray } from '../../src/kernels/matmul-js.ts';
import { OPS } from '../../src/ops/registry.ts';
import type { ConvGeometry } from '../../src/ops/conv-core.ts';
import { positions } from '../../src/ops/conv-unfold.ts';
import type { OpDef, OracleInput } from '../../src/ops/define.ts';

const conv2dCoreOp = OPS.conv2dCore.op as OpDef<ConvGeometry>;
const conv2dInputGradOp = OPS.conv2dInputGrad.op as OpDef<ConvGeometry>;
const conv2dWeightGradOp = OPS.conv2dWeightGrad.op as OpDef<ConvGeometry>;

interface Case {
  name: string;
  n: number;
  cin: number;
  cout: number;
  geo: ConvGeometry;
}

function conv(name: string, n: number, cin: number, cout: number, [h, w]: number[], [kh, kw]: number[], [sh, sw]: number[], [ph, pw]: number[], [eh, ew]: number[], [dh, dw]: number[], groups: number): Case {
  const oh = positions(name, 'h', h!, kh!, sh!, ph!, ph! + eh!, dh!);
  const ow = positions(name, 'w', w!, kw!, sw!, pw!, pw! + ew!, dw!);
  return { name, n, cin, cout, geo: { kh: kh!, kw: kw!, sh: sh!, sw: sw!, ph: ph!, pw: pw!, dh: dh!, dw: dw!, oh, ow, groups, h: h!, w: w! } };
}

const CASES: Case[] = [
  conv('3x3 padding 1, 70 output channels (more than one row block)', 3, 5, 70, [12, 10], [3, 3], [1, 1], [1, 1], [0, 0], [1, 1], 1),
  conv('groups 2, stride [2, 1], dilation [1, 2], one more zero after', 3, 6, 8, [11, 13], [3, 2], [2, 1], [1, 0], [1, 1], [1, 2], 2),
  conv('conv1d as height 1, stride 3, 4 groups', 4, 8, 24, [1, 100], [1, 5], [1, 3], [0, 2], [0, 0], [1, 1], 4),
  conv('1x1 pointwise', 2, 16, 24, [9, 7], [1, 1], [1, 1], [0, 0], [0, 0], [1, 1], 1),
];

/** Deterministic values in [-1, 1). */
function values(Arr: Float32ArrayConstructor | Float64ArrayConstructor, size: number, seed: number): FloatArray {
  let s = seed >>> 0;
  return new Arr(size).map(() => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/**
 * Holds `got` to the op's oracle on the same inputs, each element within rtol of the oracle on the
 * inputs' absolute values (the size of the terms summed, so cancellation does not loosen the bound).
 */
function expectOracle(op: OpDef<ConvGeometry>, inputs: [OracleInput, OracleInput], geo: ConvGeometry, got: FloatArray, rtol: number): void {
  const want = op.test!.oracle!(inputs, geo);
  const abs = (t: OracleInput): OracleInput => ({ shape: t.shape, data: Array.from(t.data, Math.abs) });
  const scale = op.test!.oracle!([abs(inputs[0]), abs(inputs[1])], geo);
  expect(got.length).toBe(want.data.length);
  const bad: string[] = [];
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i]! - want.data[i]!) <= rtol * (scale.data[i]! + 1e-30))) bad.push(`[${i}] ${got[i]} vs ${want.data[i]}`);
  }
  expect(bad.slice(0, 5)).toEqual([]);
}

afterEach(() => {
  setConvChunkElems(KERNEL_CONFIG.convChunkElems);
  setMatmulThreadsMinWork(KERNEL_CONFIG.matmulThreadsMinWork);
});

describe('conv2d kernels vs the plain-loop oracles', () => {
  it('the cases take the wasm GEMM', () => {
    for (const { n, cin, cout, geo } of CASES) {
      const k = (cin / geo.groups) * geo.kh * geo.kw;
      expect(matmulUsesWasmFor('f32', geo.oh * geo.ow, k, cout / geo.groups)).toBe(true);
      expect(n).toBeGreaterThan(1);
    }
  });

  for (const [dname, Arr, rtol] of [['float32', Float32Array, 1e-5], ['float64', Float64Array, 1e-13]] as const) {
    for (const c of CASES) {
      for (const [chunking, elems, threads] of [['one image per product', 0, false], ['the whole batch per product, threads forced', Infinity, true]] as const) {
        it(`${dname}, ${c.name}: ${chunking}`, () => {
          setConvChunkElems(elems);
          if (threads) {
            matmulThreads(5000);
            setMatmulThreadsMinWork(0);
          }
          const { n, cin, cout, geo } = c;
          const xs = [n, cin, geo.h, geo.w];
          const ws = [cout, cin / geo.groups, geo.kh, geo.kw];
          const ys = [n, cout, geo.oh, geo.ow];
          const x = values(Arr, xs.reduce((a, b) => a * b), 1);
          const w = values(Arr, ws.reduce((a, b) => a * b), 2);
          const g = values(Arr, ys.reduce((a, b) => a * b), 3);
          const y = new Arr(g.length).fill(NaN); // the forward overwrites every element
          conv2dForward(x, w, n, cin, cout, geo, y);
          expectOracle(conv2dCoreOp, [{ shape: xs, data: x }, { shape: ws, data: w }], geo, y, rtol);
          const dx = new Arr(x.length);
          conv2dInputGrad(g, w, n, cin, cout, geo, dx);
          expectOracle(conv2dInputGradOp, [{ shape: ys, data: g }, { shape: ws, data: w }], geo, dx, rtol);
          const dw = new Arr(w.length);
          conv2dWeightGrad(x, g, n, cin, cout, geo, dw);
          expectOracle(conv2dWeightGradOp, [{ shape: xs, data: x }, { shape: ys, data: g }], geo, dw, rtol);
        });
      }
    }
  }
});

describe('conv2d kernels without WebAssembly', () => {
  it('fall back to the JS matmul (fresh modules that find no WebAssembly) and still match the oracles', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const gemm = await import('../../src/kernels/conv-gemm.ts');
      const mm = await import('../../src/kernels/matmul.ts');
      expect(mm.matmulUsesWasm()).toBe(false);
      for (const [Arr, rtol] of [[Float32Array, 1e-5], [Float64Array, 1e-13]] as const) {
        const { n, cin, cout, geo } = CASES[1]!;
        const xs = [n, cin, geo.h, geo.w];
        const ws = [cout, cin / geo.groups, geo.kh, geo.kw];
        const ys = [n, cout, geo.oh, geo.ow];
        const x = values(Arr, xs.reduce((a, b) => a * b), 4);
        const w = values(Arr, ws.reduce((a, b) => a * b), 5);
        const g = values(Arr, ys.reduce((a, b) => a * b), 6);
        const y = new Arr(g.length);
        gemm.conv2dForward(x, w, n, cin, cout, geo, y);
        expectOracle(conv2dCoreOp, [{ shape: xs, data: x }, { shape: ws, data: w }], geo, y, rtol);
        const dx = new Arr(x.length);
        gemm.conv2dInputGrad(g, w, n, cin, cout, geo, dx);
        expectOracle(conv2dInputGradOp, [{ shape: ys, data: g }, { shape: ws, data: w }], geo, dx, rtol);
        const dw = new Arr(w.length);
        gemm.conv2dWeightGrad(x, g, n, cin, cout, geo, dw);
        expectOracle(conv2dWeightGradOp, [{ shape: xs, data: x }, { shape: ys, data: g }], geo, dw, rtol);
      }
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
