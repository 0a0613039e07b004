import { ArgumentError } from '@memograd/autograd';
/** PyTorch's CPU `lerp`: `a + w*(b-a)` for |w| < 0.5, else `b - (b-a)*(1-w)`. */
export function lerp(a: number, b: number, w: number): number {
  return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}


/**
 * An ArgumentError (memograd's error class for bad arguments) from a message written as
 * "op: what is wrong", so that optim's errors are caught like every other memograd error.
 */
export function argumentError(message: string): ArgumentError {
  const i = message.indexOf(': ');
  return i > 0 ? new ArgumentError(message.slice(0, i), message.slice(i + 2)) : new ArgumentError('optim', message);
}

/**
 * A short, safe description of any value for error messages: @memograd/autograd's `describeValue`
 * (never throws, never calls user code, bounded in depth and length).
 */
export { describeValue as describe } from '@memograd/autograd';
