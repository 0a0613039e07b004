/**
 * memograd against PyTorch: fixtures/torch-ops.json holds PyTorch's outputs and gradients (for a
 * random cotangent) on fixed float64 inputs, written by fixtures/torch_reference.py. Each case is
 * evaluated here with memograd's op of the same meaning; values and gradients must agree to 1e-12.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import { Tensor } from '../src/index.ts';

interface Case {
  name: string;
  inputs: { shape: number[]; data: number[] }[];
  cotangent: number[];
  output: { shape: number[]; data: number[] };
  grads: (number[] | null)[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch-ops.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };

type Fn = (...xs: Tensor[]) => Tensor;
const cond = M.tensor([[1, 0, 1, 0]], { dtype: 'float64' });
const ops: Record<string, Fn> = {
  exp: (x) => x.exp(), log: (x) => x.log(), log1p: (x) => x.log1p(), expm1: (x) => x.expm1(), sqrt: (x) => x.sqrt(),
  abs: (x) => x.abs(), square: (x) => x.square(), reciprocal: (x) => x.reciprocal(), sin: (x) => x.sin(), cos: (x) => x.cos(),
  neg: (x) => x.neg(), sigmoid: (x) => x.sigmoid(), tanh: (x) => x.tanh(), relu: (x) => x.relu(),
  leakyRelu: (x) => x.leakyRelu(0.2), elu: (x) => x.elu(0.7), gelu: (x) => x.gelu(), silu: (x) => x.silu(),
  softplus: (x) => x.softplus(), softplusBeta: (x) => x.softplus({ beta: 2, threshold: 1 }),
  softmax: (x) => x.softmax(-1), logSoftmax0: (x) => x.logSoftmax(0), clamp: (x) => x.clamp(-0.5, 0.5),
  powScalar: (x) => x.pow(2.5), powInt: (x) => x.pow(3),
  reluAtZero: (x) => x.relu(), absAtZero: (x) => x.abs(), clampAtBounds: (x) => x.clamp(-0.5, 0.5),
  leakyReluAtZero: (x) => x.leakyRelu(0.1), eluAtZero: (x) => x.elu(),
  sigmoidExtreme: (x) => x.sigmoid(), softplusExtreme: (x) => x.softplus(), tanhExtreme: (x) => x.tanh(), geluExtreme: (x) => x.gelu(),
  logSoftmaxExtreme: (x) => x.logSoftmax(), softmaxExtreme: (x) => x.softmax(), logSumExpExtreme: (x) => x.logSumExp({ axis: -1 }),
  add: (a, b) => a.add(b), sub: (a, b) => a.sub(b), mul: (a, b) => a.mul(b), div: (a, b) => a.div(b.add(b.sign().mul(3))),
  pow: (a, b) => a.pow(b), maximum: (a, b) => a.maximum(b), minimum: (a, b) => a.minimum(b),
  maximumTies: (a, b) => a.maximum(b), minimumTies: (a, b) => a.minimum(b), where: (a, b) => M.where(cond, a, b),
  sumAll: (x) => x.sum(), sumAxis1: (x) => x.sum({ axis: 1 }), sumKeep: (x) => x.sum({ axis: [0, 2], keepDims: true }),
  meanAxis: (x) => x.mean({ axis: -1 }), maxAxis: (x) => x.max({ axis: 1 }), minAll: (x) => x.min(), prodAxis: (x) => x.prod({ axis: 2 }),
  varAll: (x) => x.var(), varAxis0: (x) => x.var({ axis: 0, correction: 0 }), stdAxis: (x) => x.std({ axis: 1 }),
  logSumExpAxis: (x) => x.logSumExp({ axis: 1 }), norm2: (x) => x.norm(), norm1Axis: (x) => x.norm({ p: 1, axis: 1 }),
  normInf: (x) => x.norm({ p: Infinity }), norm3: (x) => x.norm({ p: 3 }),
  maxTies: (x) => x.max({ axis: 1 }), maxTiesAll: (x) => x.max(), normAtZero: (x) => x.norm({ axis: 1 }),
  dot: (a, b) => a.matmul(b), vecMat: (a, b) => a.matmul(b), matVec: (a, b) => a.matmul(b), matmul: (a, b) => a.matmul(b),
  batchedBroadcast: (a, b) => a.matmul(b), outer: (a, b) => a.outer(b),
  reshape: (x) => x.reshape([4, -1]), permute: (x) => x.permute([2, 0, 1]), transpose: (x) => x.transpose(1, 2),
  expand: (x) => x.slice([0, 0, 0], [2, 1, 4]).expand([2, 3, 4]), unsqueeze: (x) => x.unsqueeze(1), flatten: (x) => x.flatten(1),
  slice: (x) => x.slice([1, 0, 1], [1, 2, 3]), catSelf: (x) => M.cat([x, x.mul(2)], 1), stackSelf: (x) => M.stack([x, x.exp()], 0),
  gather: (x) => x.gather(2, [[[0, 3], [1, 1], [2, 0]], [[3, 3], [0, 1], [2, 2]]]),
  indexSelect: (x) => x.indexSelect(1, [2, 0, 2]), squeeze: (x) => x.squeeze(),
};

function close(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) expect(a, `${what}[${i}]`).toBe(e);
    else expect(Math.abs(a - e), `${what}[${i}]: ${a} vs torch ${e}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)));
  }
}

describe(`memograd matches PyTorch ${fixture.torch}`, () => {
  it('maps every fixture case', () => {
    expect(fixture.cases.filter((c) => !(c.name in ops)).map((c) => c.name)).toEqual([]);
  });
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const xs = c.inputs.map((i) => M.tensor(Float64Array.from(i.data), { shape: i.shape, requiresGrad: true }));
    const out = ops[c.name]!(...xs);
    expect(out.shape).toEqual(c.output.shape);
    close(out.data, c.output.data, 'output');
    const grads = M.grad(out, xs, { gradOutputs: [M.tensor(Float64Array.from(c.cotangent), { shape: c.output.shape })], allowUnused: true });
    grads.forEach((g, k) => {
      const expected = c.grads[k];
      if (expected === null || expected === undefined) return;
      close(g.data, expected, `grad ${k}`);
    });
  });
});
