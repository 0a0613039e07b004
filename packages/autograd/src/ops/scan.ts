/**
 * Scans and sorting: cumsum, cumprod, logCumSumExp, sort, argsort, topk, kthValue, flip, roll.
 */
import type { OpEntry } from './helpers.ts';

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const SCAN_OPS = {
} as const satisfies Record<string, OpEntry>;
