/**
 * Convolution and pooling: conv1d, conv2d, convTranspose2d, unfold/fold, maxPool1d/2d, avgPool2d, adaptiveAvgPool2d.
 */
import type { OpEntry } from './helpers.ts';

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const CONV_OPS = {
} as const satisfies Record<string, OpEntry>;
