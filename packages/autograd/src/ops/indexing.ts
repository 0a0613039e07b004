/**
 * NumPy/PyTorch indexing: at/index (integers, strided slices, newaxis, ellipsis, integer arrays, boolean masks), indexPut, maskedFill, scatter.
 */
import type { OpEntry } from './helpers.ts';

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const INDEXING_OPS = {
} as const satisfies Record<string, OpEntry>;
