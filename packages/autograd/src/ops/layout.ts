/**
 * Shape and layout: repeat, tile, repeatInterleave, split, chunk, unbind, tril, triu, diag, diagonal, trace, pad, einsum.
 */
import type { OpEntry } from './helpers.ts';

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const LAYOUT_OPS = {
} as const satisfies Record<string, OpEntry>;
