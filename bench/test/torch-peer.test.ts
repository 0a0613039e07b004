import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../harness.ts';
import { packArrays, parseTorchResult, runTorch, torchAvailable, torchEnv, torchRow, unpackArrays } from '../torch-peer.ts';

describe('torch-peer plumbing', () => {
  it('packs arrays back to back and unpacks them by spec', () => {
    const a = { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] };
    const b = { data: new Float32Array([-0.5]), shape: [1] };
    const { bytes, specs } = packArrays({ a, b });
    expect(bytes.byteLength).toBe(28);
    expect(specs).toEqual([
      { name: 'a', shape: [2, 3], offset: 0 },
      { name: 'b', shape: [1], offset: 6 },
    ]);
    // a view at an unaligned offset of a larger buffer, as a pooled Buffer from readFileSync can be
    const shifted = Buffer.alloc(bytes.byteLength + 1).subarray(1);
    shifted.set(bytes);
    const back = unpackArrays(shifted, specs.slice().reverse());
    expect(Array.from(back.a!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(back.a!.shape).toEqual([2, 3]);
    expect(Array.from(back.b!.data)).toEqual([-0.5]);
  });

  it('refuses a shape that does not match the data, and a spec past the end of the file', () => {
    expect(() => packArrays({ a: { data: new Float32Array(5), shape: [2, 3] } })).toThrow(/a has 5 elements but shape \[2, 3\]/);
    expect(() => unpackArrays(new Uint8Array(8), [{ name: 'x', shape: [3], offset: 0 }])).toThrow(/x runs past the end/);
    expect(() => unpackArrays(new Uint8Array(6), [])).toThrow(/not float32/);
  });

  it('parses the last stdout line as the result and rejects malformed ones', () => {
    const res = { torch: '1.13', threads: 2, blas: '/x/openblas.so', blasInfo: 'generic', sgemmGflops: 100, cases: [{ name: 'n=8', ms: 0.5, rme: 1, samples: 9 }], outputSpecs: [] };
    expect(parseTorchResult(`a warning\n${JSON.stringify(res)}\n`).cases[0]!.name).toBe('n=8');
    expect(() => parseTorchResult('Traceback ...')).toThrow(/no JSON result line/);
    expect(() => parseTorchResult(JSON.stringify({ ...res, cases: undefined }))).toThrow(/malformed result/);
    expect(() => parseTorchResult(JSON.stringify({ ...res, cases: [{ name: 'x', ms: 0, samples: 1 }] }))).toThrow(/malformed case/);
  });

  it('pins every thread pool and puts OpenBLAS first only where its folder exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ob-'));
    const env = torchEnv(2, { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', LD_LIBRARY_PATH: '/a' }, dir);
    expect(env.OMP_NUM_THREADS).toBe('2');
    expect(env.OPENBLAS_NUM_THREADS).toBe('2');
    expect(env.MKL_NUM_THREADS).toBe('2');
    expect(env.OMP_WAIT_POLICY).toBe('PASSIVE');
    expect(env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(env.OPENBLAS_L2_SIZE).toBeUndefined();
    expect(env.LD_LIBRARY_PATH).toBe(`${dir}:/a`);
    expect(torchEnv(1, {}, join(dir, 'missing')).LD_LIBRARY_PATH).toBeUndefined();
  });

  it('turns a case into a row: ops/s is perCall over the median', () => {
    const r = torchRow('g', 'PyTorch', { name: 'B=32', ms: 2, rme: 3, samples: 7 }, 2, 10, 32);
    expect(r).toMatchObject({ group: 'g', impl: 'PyTorch', threads: 2, hz: 16000, rme: 3, samples: 7, flop: 10 });
    expect(r.ours).toBeUndefined();
  });
});

describe.skipIf(!torchAvailable().ok)('torch-peer with PyTorch', () => {
  it('round-trips inputs through peer.py, pins its threads and reports the BLAS', () => {
    const x = { data: new Float32Array([1.5, -2, 3.25]), shape: [3] };
    const m = { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] };
    const res = runTorch('echo', { x, m }, { scale: 2 }, 1, parseOptions(['--quick']));
    expect(res.threads).toBe(1);
    expect(Array.from(res.outputs.x!.data)).toEqual([3, -4, 6.5]);
    expect(res.outputs.m!.shape).toEqual([2, 2]);
    expect(Array.from(res.outputs.m!.data)).toEqual([2, 4, 6, 8]);
    expect(res.cases[0]!.name).toBe('noop');
    expect(res.sgemmGflops).toBeGreaterThan(0);
    expect(res.blas).toMatch(/blas/i);
  });

  it('runs the MLP task with Adam from the given weights: the losses of memograd nn + optim.Adam', async () => {
    const { ADAM_LR, HID, IN, initWeights, makeData, memogradNn, OUT } = await import('../mlp-impls.ts');
    const d = makeData();
    const w = initWeights();
    const B = 8, steps = 4;
    const inputs = {
      X: { data: d.X.subarray(0, B * steps * IN), shape: [B * steps, IN] },
      labels: { data: Float32Array.from(d.labels.subarray(0, B * steps)), shape: [B * steps] },
      W1: { data: w.W1, shape: [IN, HID] },
      b1: { data: w.b1, shape: [HID] },
      W2: { data: w.W2, shape: [HID, OUT] },
      b2: { data: w.b2, shape: [OUT] },
    };
    const res = runTorch('mlp', inputs, { batches: [], adamBatches: [B], verifySteps: steps, lr: 0.1, adamLr: ADAM_LR }, 1, parseOptions(['--quick']));
    const ours = memogradNn(B, w, d, true);
    let mean = 0;
    for (let i = 0; i < steps; i++) mean += ours.step() / steps;
    const theirs = res.cases.find((c) => c.name === `Adam B=${B}`)!.meanLoss as number;
    expect(Math.abs(theirs - mean)).toBeLessThan(1e-5 * mean);
  });

  it('runs the matmul task on the given inputs', () => {
    const a = { data: new Float32Array(64).map((_, i) => i % 7), shape: [8, 8] };
    const b = { data: new Float32Array(64).map((_, i) => (i % 5) - 2), shape: [8, 8] };
    const res = runTorch('matmul', { a8: a, b8: b }, { sizes: [8] }, 1, parseOptions(['--quick']));
    const c = res.outputs.c8!.data;
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        let s = 0;
        for (let k = 0; k < 8; k++) s += a.data[i * 8 + k]! * b.data[k * 8 + j]!;
        expect(c[i * 8 + j]).toBe(s);
      }
  });
});
