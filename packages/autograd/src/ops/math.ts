/**
 * Elementwise math: trigonometric and hyperbolic functions, special functions (erf, erfinv, lgamma, digamma), rounding, fmod/remainder, hypot, xlogy, logAddExp, lerp, addcmul, nanToNum.
 */
import type { OpEntry } from './helpers.ts';

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const MATH_OPS = {
} as const satisfies Record<string, OpEntry>;
