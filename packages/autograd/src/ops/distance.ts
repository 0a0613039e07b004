/**
 * Distances between vectors: cosineSimilarity, pairwiseDistance, cdist, normalize.
 */
import type { OpEntry } from './helpers.ts';

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const DISTANCE_OPS = {
} as const satisfies Record<string, OpEntry>;
