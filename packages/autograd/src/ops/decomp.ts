/**
 * Linear algebra: det, slogdet, inv, solve, cholesky, qr, eigh, svd, matrixNorm, matrixPower, pinv, kron, cross.
 */
import type { OpEntry } from './helpers.ts';

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const DECOMP_OPS = {
} as const satisfies Record<string, OpEntry>;
