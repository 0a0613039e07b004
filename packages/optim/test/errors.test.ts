// optim's bad-argument errors are memograd ArgumentErrors whose message starts with the op's name.
import { ArgumentError, MemogradError, tensor } from '@memograd/autograd';
import { describe, expect, it } from 'vitest';
import { EarlyStopping, SGD, StepLR, clipGradNorm, fit } from '../src/index.ts';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('optim errors', () => {
  const p = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
  it.each([
    ['fit', () => fit({} as never, {} as never)],
    ['EarlyStopping', () => new EarlyStopping({ patience: -1 })],
    ['StepLR', () => new StepLR(new SGD([p], { lr: 0.1 }), { stepSize: 0 } as never)],
    ['clipGradNorm', () => clipGradNorm([p], -1)],
    ['SGD', () => new SGD([p], { lr: -0.1 })],
  ])('%s throws an ArgumentError naming it', (op, f) => {
    const e = thrown(f);
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e).toBeInstanceOf(MemogradError);
    expect((e as ArgumentError).op).toBe(op);
    expect((e as Error).message.startsWith(`${op}: `)).toBe(true);
  });
});
