/**
 * The network ops against PyTorch 1.13 (fixtures/torch_nnops.py writes fixtures/torch-nnops.json):
 * values and the gradients of every input and parameter, float64. Attention is recorded with
 * PyTorch 2's formula (1.13 has no F.scaled_dot_product_attention; see the fixture script).
 */
import { describeTorchFixture, type TorchSpec } from './support/torch-fixture.ts';
import * as M from '../src/index.ts';
import type { Tensor } from '../src/index.ts';

const fixture = new URL('./fixtures/torch-nnops.json', import.meta.url);

const interp = (options: M.InterpolateOptions): TorchSpec => ({ fn: (x) => M.interpolate(x, options) });
/**
 * The runner's `differentiable` still asks grad() for every input (test/support/torch-fixture.ts), so
 * inputs without a PyTorch gradient (indices, masks, running statistics) are detached here instead:
 * their gradient is then unused (zeros), and the fixture has none to compare.
 */
const idx = (spec: (i: Tensor, w: Tensor) => Tensor): TorchSpec => ({ fn: (i, w) => spec(i.detach(), w) });
/** The running statistics after one update, as the fixture returns them: cat([runningMean, runningVar]). */
const running = (update: (x: Tensor, rm: Tensor, rv: Tensor) => void): TorchSpec => ({
  differentiable: [],
  fn: (x, rm, rv) => {
    const [a, b] = [M.clone(rm), M.clone(rv)];
    update(x, a, b);
    return M.cat([a, b]);
  },
});

describeTorchFixture('network ops', fixture, {
  nearest1dDown: interp({ size: 4 }),
  nearest1dUp: interp({ size: 7 }),
  nearest1dScale07: interp({ scaleFactor: 0.7 }),
  nearest1dScale2: interp({ scaleFactor: 2 }),
  nearest1dScale15: interp({ scaleFactor: 1.5 }),
  nearest2dScale13: interp({ scaleFactor: [1.3, 2.1] }),
  nearest2dSize: interp({ size: [3, 5] }),
  nearest2dScale: interp({ scaleFactor: [2, 0.5] }),
  nearest2dRecompute: interp({ scaleFactor: 1.7, recomputeScaleFactor: true }),
  nearest2dScale17: interp({ scaleFactor: 1.7 }),
  linear1dUp: interp({ size: 8, mode: 'linear' }),
  linear1dDown: interp({ size: 4, mode: 'linear', alignCorners: false }),
  linear1dAlign: interp({ size: 8, mode: 'linear', alignCorners: true }),
  linear1dAlignOne: interp({ size: 1, mode: 'linear', alignCorners: true }),
  linear1dScale: interp({ scaleFactor: 1.5, mode: 'linear' }),
  bilinearUp: interp({ size: [5, 7], mode: 'bilinear' }),
  bilinearDown: interp({ size: [3, 2], mode: 'bilinear' }),
  bilinearAlign: interp({ size: [5, 7], mode: 'bilinear', alignCorners: true }),
  bilinearAlignDown: interp({ size: [3, 2], mode: 'bilinear', alignCorners: true }),
  bilinearScale: interp({ scaleFactor: [0.6, 2.5], mode: 'bilinear' }),
  bilinearSame: interp({ size: [4, 3], mode: 'bilinear' }),
  bilinearRecompute: interp({ scaleFactor: 1.7, mode: 'bilinear', recomputeScaleFactor: true }),
  bilinearSpecial: interp({ size: [3, 5], mode: 'bilinear' }),
  nearestSpecial: interp({ size: [3, 5] }),

  pixelShuffle2: { fn: (x) => M.pixelShuffle(x, 2) },
  pixelShuffle3d: { fn: (x) => M.pixelShuffle(x, 3) },
  pixelShuffle5d: { fn: (x) => M.pixelShuffle(x, 2) },
  pixelUnshuffle2: { fn: (x) => M.pixelUnshuffle(x, 2) },
  pixelUnshuffle3d: { fn: (x) => M.pixelUnshuffle(x, 3) },

  embedding: idx((i, w) => M.embedding(i, w)),
  embeddingPadding: idx((i, w) => M.embedding(i, w, { paddingIdx: 2 })),
  embeddingPaddingNeg: idx((i, w) => M.embedding(i, w, { paddingIdx: -1 })),
  embedding0d: idx((i, w) => M.embedding(i, w)),

  sdpa: { fn: (q, k, v) => M.scaledDotProductAttention(q, k, v) },
  sdpaScale: { fn: (q, k, v) => M.scaledDotProductAttention(q, k, v, { scale: 0.3 }) },
  sdpaFloatMask: { fn: (q, k, v, m) => M.scaledDotProductAttention(q, k, v, { attnMask: m }) },
  sdpaBoolMask: { fn: (q, k, v, m) => M.scaledDotProductAttention(q, k, v, { attnMask: m.detach(), maskIsBoolean: true }) },
  sdpaCausalWide: { fn: (q, k, v) => M.scaledDotProductAttention(q, k, v, { isCausal: true }) },
  sdpaCausalTall: { fn: (q, k, v) => M.scaledDotProductAttention(q, k, v, { isCausal: true }) },
  sdpaBroadcast: { fn: (q, k, v) => M.scaledDotProductAttention(q, k, v) },
  sdpa2d: { fn: (q, k, v) => M.scaledDotProductAttention(q, k, v) },

  groupNorm: { fn: (x, w, b) => M.groupNorm(x, 2, w, b) },
  groupNormPlain: { fn: (x) => M.groupNorm(x, 4) },
  groupNormOneGroup: { fn: (x, w) => M.groupNorm(x, 1, w, null, { eps: 0.1 }) },
  groupNorm2d: { fn: (x, w, b) => M.groupNorm(x, 3, w, b) },

  instanceNorm: { fn: (x, w, b) => M.instanceNorm(x, { weight: w, bias: b }) },
  instanceNorm4d: { fn: (x) => M.instanceNorm(x, { eps: 0.01 }) },
  instanceNormEval: { fn: (x, rm, rv, w) => M.instanceNorm(x, { runningMean: rm.detach(), runningVar: rv.detach(), weight: w, useInputStats: false }) },
  instanceNormRunning: running((x, rm, rv) => { M.instanceNorm(x, { runningMean: rm, runningVar: rv, momentum: 0.2 }); }),

  batchNormTrain: { fn: (x, w, b) => M.batchNorm(x, null, null, { weight: w, bias: b, training: true }) },
  batchNormTrain2d: { fn: (x) => M.batchNorm(x, null, null, { training: true, eps: 0.1 }) },
  batchNormTrain4d: { fn: (x, w, b) => M.batchNorm(x, null, null, { weight: w, bias: b, training: true }) },
  batchNormEval: { fn: (x, rm, rv, w, b) => M.batchNorm(x, rm.detach(), rv.detach(), { weight: w, bias: b }) },
  batchNormRunning: running((x, rm, rv) => { M.batchNorm(x, rm, rv, { training: true, momentum: 0.3 }); }),
  groupNormEmptyBatch: { fn: (x, w, b) => M.groupNorm(x, 2, w, b) },
  groupNormEmptySpatial: { fn: (x) => M.groupNorm(x, 2) },
  instanceNormEmpty: { fn: (x) => M.instanceNorm(x) },
  instanceNormRunningEmptyBatch: running((x, rm, rv) => { M.instanceNorm(x, { runningMean: rm, runningVar: rv }); }),
  instanceNormRunningEmptySpatial: running((x, rm, rv) => { M.instanceNorm(x, { runningMean: rm, runningVar: rv }); }),
  batchNormTrainEmpty: { fn: (x, w, b) => M.batchNorm(x, null, null, { weight: w, bias: b, training: true }) },
  batchNormRunningEmpty: running((x, rm, rv) => { M.batchNorm(x, rm, rv, { training: true }); }),
  batchNormRunningDefault: running((x, rm, rv) => { M.batchNorm(x, rm, rv, { training: true }); }),
  batchNormTrainRunningOut: { fn: (x, rm, rv, w, b) => M.batchNorm(x, M.clone(rm.detach()), M.clone(rv.detach()), { weight: w, bias: b, training: true, momentum: 0.5 }) },
  batchNormTrainNaN: { fn: (x) => M.batchNorm(x, null, null, { training: true }) },
  interpolateEmptyBatch: interp({ size: [3, 5], mode: 'bilinear' }),
  nearestEmptyBatch: interp({ scaleFactor: 2 }),
  sdpaEmptyKeys: { fn: (q, k, v) => M.scaledDotProductAttention(q, k, v) },
  sdpaEmptyQueries: { fn: (q, k, v) => M.scaledDotProductAttention(q, k, v) },
  sdpaBoolMaskBatched: { fn: (q, k, v, m) => M.scaledDotProductAttention(q, k, v, { attnMask: m.detach(), maskIsBoolean: true }) },
  sdpaBoolMaskAllMasked: { fn: (q, k, v, m) => M.scaledDotProductAttention(q, k, v, { attnMask: m.detach(), maskIsBoolean: true }) },
  sdpaFloatMaskInf: { fn: (q, k, v, m) => M.scaledDotProductAttention(q, k, v, { attnMask: m }) },
  sdpaCausalBatched: { fn: (q, k, v) => M.scaledDotProductAttention(q, k, v, { isCausal: true, scale: 0.5 }) },
  sdpaCausalNaNKey: { fn: (q, k, v) => M.scaledDotProductAttention(q, k, v, { isCausal: true }) },
  embeddingPaddingUnused: idx((i, w) => M.embedding(i, w, { paddingIdx: -5 })),
  embeddingEmpty: idx((i, w) => M.embedding(i, w, { paddingIdx: 0 })),
});
