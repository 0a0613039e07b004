/**
 * Network ops: interpolate, pixelShuffle, embedding, scaledDotProductAttention, groupNorm, instanceNorm, batchNorm.
 */
import type { OpEntry } from './helpers.ts';

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const NN_OPS = {
} as const satisfies Record<string, OpEntry>;
