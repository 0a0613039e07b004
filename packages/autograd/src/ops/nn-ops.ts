/**
 * Network ops: interpolate, pixelShuffle, pixelUnshuffle, embedding, scaledDotProductAttention,
 * groupNorm, instanceNorm, batchNorm (torch.nn.functional's functions; function-only, as there).
 * The definitions live in nn-ops-resample.ts, nn-ops-embed.ts and nn-ops-norm.ts; this module holds
 * the family's registry record and re-exports the public functions.
 */
import type { Pick } from './define.ts';
import { composite, primitive, type OpEntry } from './helpers.ts';
import { attentionOracle, embeddingGradOp, embeddingOp, scaledDotProductAttention } from './nn-ops-embed.ts';
import { batchNorm, groupNorm, instanceNorm, normOracle } from './nn-ops-norm.ts';
import { interpolateGradOp, interpolateOp, pixelShuffle, pixelShuffleOracle, pixelUnshuffle } from './nn-ops-resample.ts';
import { tensor } from '../tensor.ts';

export { interpolate, pixelShuffle, pixelUnshuffle } from './nn-ops-resample.ts';
export type { InterpolateOptions, InterpolateMode } from './nn-ops-resample.ts';
export { embedding, scaledDotProductAttention } from './nn-ops-embed.ts';
export type { EmbeddingOptions, EmbeddingIndex, AttentionOptions } from './nn-ops-embed.ts';
export { groupNorm, instanceNorm, batchNorm } from './nn-ops-norm.ts';
export type { GroupNormOptions, InstanceNormOptions, BatchNormOptions } from './nn-ops-norm.ts';

const FUNCTION_ONLY = { method: null } as const;
const INTERNAL = { fn: null } as const;

/** Spatial axes for the norm tests: none, one or two, with `minSize` positions at least. */
function spatialShape(pick: Pick, minSize: number): number[] {
  for (;;) {
    const s = [[], [1 + pick(3)], [1 + pick(2), 1 + pick(3)]][pick(3)]!;
    if (s.reduce((a, b) => a * b, 1) >= minSize) return s;
  }
}

/** Fixed running statistics for the evaluation-mode tests (variances positive). */
function sampleStats(c: number, pick: Pick): { mean: number[]; var: number[] } {
  return { mean: Array.from({ length: c }, () => pick(9) / 4 - 1), var: Array.from({ length: c }, () => 0.25 + pick(8) / 4) };
}

interface NormStatsParams {
  eps: number;
  stats: { mean: number[]; var: number[] } | null;
}

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const NN_OPS = {
  interpolate: primitive(interpolateOp, FUNCTION_ONLY),
  interpolateGrad: primitive(interpolateGradOp, INTERNAL), // the adjoint of interpolate
  embedding: primitive(embeddingOp, FUNCTION_ONLY),
  embeddingGrad: primitive(embeddingGradOp, INTERNAL), // the adjoint of embedding

  pixelShuffle: composite('pixelShuffle', ([x], p: { r: number }) => pixelShuffle(x!, p.r), {
    shapes: 'unary',
    sample: (pick) => {
      const r = 1 + pick(3);
      return { shapes: [[...(pick(2) ? [1 + pick(2)] : []), (1 + pick(2)) * r * r, 1 + pick(2), 1 + pick(3)]], params: { r } };
    },
    oracle: ([x], p) => pixelShuffleOracle(x!, p.r, false),
  }, FUNCTION_ONLY),
  pixelUnshuffle: composite('pixelUnshuffle', ([x], p: { r: number }) => pixelUnshuffle(x!, p.r), {
    shapes: 'unary',
    sample: (pick) => {
      const r = 1 + pick(3);
      return { shapes: [[...(pick(2) ? [1 + pick(2)] : []), 1 + pick(2), (1 + pick(2)) * r, (1 + pick(2)) * r]], params: { r } };
    },
    oracle: ([x], p) => pixelShuffleOracle(x!, p.r, true),
  }, FUNCTION_ONLY),

  scaledDotProductAttention: composite('scaledDotProductAttention', ([q, k, v, mask], p: { scale: number | undefined }) =>
    scaledDotProductAttention(q!, k!, v!, { ...(mask ? { attnMask: mask } : {}), ...(p.scale !== undefined ? { scale: p.scale } : {}) }), {
    shapes: 'unary',
    sample: (pick) => {
      const [b, l, s, e, f] = [1 + pick(2), 1 + pick(3), 1 + pick(3), 1 + pick(3), 1 + pick(2)];
      const shapes = [[b, l, e], [b, s, e], [b, s, f]];
      if (pick(2)) shapes.push([l, s]); // an additive float mask (differentiable)
      return { shapes, params: { scale: pick(2) ? undefined : 0.7 } };
    },
    oracle: ([q, k, v, mask], p) => attentionOracle(q!, k!, v!, mask, p.scale ?? 1 / Math.sqrt(q!.shape[2]!), false),
  }, FUNCTION_ONLY),

  groupNorm: composite('groupNorm', ([x, w, b], p: { numGroups: number; eps: number }) => groupNorm(x!, p.numGroups, w, b, { eps: p.eps }), {
    shapes: 'unary',
    sample: (pick) => {
      const g = 1 + pick(2);
      const c = g * (1 + pick(2));
      const shapes = [[1 + pick(2), c, ...spatialShape(pick, c === g ? 2 : 1)], [c], [c]];
      return { shapes, params: { numGroups: g, eps: [1e-5, 0.1][pick(2)]! } };
    },
    oracle: ([x, w, b], p) => normOracle(x!, w, b, p.eps, (n, c) => `${n}:${Math.floor(c / (x!.shape[1]! / p.numGroups))}`),
  }, FUNCTION_ONLY),

  instanceNorm: composite('instanceNorm', ([x, w, b], p: NormStatsParams) => instanceNorm(x!, {
    weight: w, bias: b, eps: p.eps,
    ...(p.stats ? { useInputStats: false, runningMean: tensor(p.stats.mean, { dtype: x!.dtype }), runningVar: tensor(p.stats.var, { dtype: x!.dtype }) } : {}),
  }), {
    shapes: 'unary',
    sample: (pick) => {
      const c = 1 + pick(3);
      const shapes = [[1 + pick(2), c, ...spatialShape(pick, 2)], [c], [c]];
      return { shapes, params: { eps: [1e-5, 0.1][pick(2)]!, stats: pick(3) === 0 ? sampleStats(c, pick) : null } };
    },
    oracle: ([x, w, b], p) => normOracle(x!, w, b, p.eps, (n, c) => `${n}:${c}`, p.stats ?? undefined),
  }, FUNCTION_ONLY),

  batchNorm: composite('batchNorm', ([x, w, b], p: NormStatsParams) => batchNorm(
    x!,
    p.stats ? tensor(p.stats.mean, { dtype: x!.dtype }) : null,
    p.stats ? tensor(p.stats.var, { dtype: x!.dtype }) : null,
    { weight: w, bias: b, eps: p.eps, training: p.stats === null },
  ), {
    shapes: 'unary',
    sample: (pick) => {
      const c = 1 + pick(3);
      const n = 1 + pick(3);
      const shapes = [[n, c, ...spatialShape(pick, n === 1 ? 2 : 1)], [c], [c]];
      return { shapes, params: { eps: [1e-5, 0.1][pick(2)]!, stats: pick(3) === 0 ? sampleStats(c, pick) : null } };
    },
    oracle: ([x, w, b], p) => normOracle(x!, w, b, p.eps, (_n, c) => `${c}`, p.stats ?? undefined),
  }, FUNCTION_ONLY),
} as const satisfies Record<string, OpEntry>;
