/** PyTorch's CPU `lerp`: `a + w*(b-a)` for |w| < 0.5, else `b - (b-a)*(1-w)`. */
export function lerp(a: number, b: number, w: number): number {
  return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}

/** Drop keys whose value is undefined (so they fall back to defaults). */
export function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
