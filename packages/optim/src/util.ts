/** PyTorch's CPU `lerp`: `a + w*(b-a)` for |w| < 0.5, else `b - (b-a)*(1-w)`. */
export function lerp(a: number, b: number, w: number): number {
  return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}

