// fit(), its progress display and the callbacks' messages must run where there is no `process`
// (a browser page, a web worker): the Node globals are hidden here with vi.stubGlobal, and the
// output must go to console.log instead.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { full, tensor } from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import { Linear, mseLoss } from '@memograd/nn';
import { EarlyStopping, LambdaCallback, SGD, TerminateOnNaN, fit } from '../src/index.ts';
import type { TrainableModule } from '../src/index.ts';

type Verbosity = 0 | 1 | 2;

const x = tensor([[1], [2], [3], [4]]);
const y = tensor([[2], [4], [6], [8]]);

/** Runs `body` with `globalThis.process` undefined and console.log/warn captured. */
function withoutProcess<T>(body: () => T): { result: T; logged: string[]; warned: string[] } {
  const logged: string[] = [];
  const warned: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { logged.push(a.join(' ')); });
  const warn = vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => { warned.push(a.join(' ')); });
  vi.stubGlobal('process', undefined);
  let result: T;
  try {
    expect(typeof process).toBe('undefined'); // the stub really hides it
    result = body();
  } finally {
    vi.unstubAllGlobals();
    log.mockRestore();
    warn.mockRestore();
  }
  expect(typeof process).toBe('object');
  return { result, logged, warned };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('fit without process (browser, worker)', () => {
  for (const verbose of [0, 1, 2] as Verbosity[]) {
    it(`verbose ${verbose}: trains, and prints ${verbose === 0 ? 'nothing' : 'one line per epoch with console.log'}`, () => {
      const model = new Linear(1, 1);
      const { result: h, logged, warned } = withoutProcess(() =>
        fit(model, { x, y, loss: mseLoss, optimizer: new SGD(model.parameters(), { lr: 0.01 }), epochs: 3, batchSize: 2, verbose }));
      expect(h.epoch).toEqual([0, 1, 2]);
      expect(warned).toEqual([]);
      if (verbose === 0) {
        expect(logged).toEqual([]);
      } else {
        // not a TTY without process: no bar, no `\r`, one line per epoch, no trailing newline
        expect(logged).toHaveLength(3);
        logged.forEach((line, i) => {
          expect(line).toMatch(new RegExp(`^Epoch ${i + 1}/3 - 2 steps - .* - loss: \\d`));
          expect(line).not.toMatch(/[\r\n]/);
        });
      }
    });
  }

  it('EarlyStopping verbose: its message goes to console.log', () => {
    const model = new Linear(1, 1);
    const curve = [1, 0.5, 0.6, 0.7];
    const setCurve = new LambdaCallback({ onEpochEnd: (epoch, logs) => { logs.val_loss = curve[epoch]!; }, logKeys: ['val_loss'] });
    const es = new EarlyStopping({ patience: 1, verbose: true });
    const { result: h, logged } = withoutProcess(() =>
      fit(model, { x, y, loss: mseLoss, optimizer: new SGD(model.parameters(), { lr: 0.01 }), epochs: 4, batchSize: 4, verbose: 0, callbacks: [setCurve, es] }));
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(logged).toEqual(['Epoch 3: early stopping (best val_loss 0.5 at epoch 2)']);
  });

  it('TerminateOnNaN verbose: its message goes to console.log, fit warns with console.warn', () => {
    const model = new Linear(1, 1);
    const nan = full([2, 1], NaN);
    const bad: TrainableModule = {
      parameters: () => model.parameters(), train: () => bad, eval: () => bad, call: (b: Tensor) => model.call(b).mul(nan),
      stateDict: () => model.stateDict(), loadStateDict: (s) => model.loadStateDict(s),
    };
    const { logged, warned } = withoutProcess(() =>
      fit(bad, { x, y, loss: mseLoss, optimizer: new SGD(model.parameters(), { lr: 0.01 }), epochs: 2, batchSize: 2, verbose: 1, callbacks: [new TerminateOnNaN()] }));
    expect(logged[0]).toBe('Batch 0: invalid loss NaN, terminating training');
    expect(warned.join('\n')).toMatch(/fit: the loss became NaN/);
  });
});
