import { describe, expect, it } from 'vitest';
import { Tensor } from '@memograd/autograd';
import { BatchNorm1d, Dropout, Flatten, Linear, MSELoss, Module, ReLU, Sequential, formatCount, summary } from '../src/index.ts';

describe('summary', () => {
  it('shows a 784-128-10 MLP with 101,770 params', () => {
    const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
    const s = summary(model, [784], { print: false });
    expect(s).toContain('Total params: 101,770');
    expect(s).toContain('Trainable params: 101,770');
    expect(s).toContain('Non-trainable params: 0');
    expect(s).toMatch(/0 \(Linear\)\s+\[None, 128\]\s+100,480/);
    expect(s).toMatch(/1 \(ReLU\)\s+\[None, 128\]\s+0/);
    expect(s).toMatch(/2 \(Linear\)\s+\[None, 10\]\s+1,290/);
  });

  it('restores training modes, leaves running stats alone, and counts frozen params', () => {
    const bn = new BatchNorm1d(8);
    const model = new Sequential(new Flatten(), new Linear(12, 8), bn, new Dropout(0.5), new Linear(8, 2));
    model.at(1).requiresGrad_(false);
    const s = summary(model, [3, 4], { print: false });
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect(Array.from(bn.runningMean!.data).every((v) => v === 0)).toBe(true);
    expect(s).toMatch(/0 \(Flatten\)\s+\[None, 12\]/);
    expect(s).toContain('Total params: 138');
    expect(s).toContain('Trainable params: 34');
    expect(s).toContain('Non-trainable params: 104');
    // no leftover instrumentation
    expect(Object.prototype.hasOwnProperty.call(model.at(1), 'call')).toBe(false);
  });

  it('works for custom modules with named children', () => {
    class Net extends Module {
      fc1 = new Linear(4, 5);
      fc2 = new Linear(5, 3);
      forward(x: Tensor): Tensor { return this.fc2.call(this.fc1.call(x).relu()); }
    }
    const s = summary(new Net(), [4], { print: false });
    expect(s).toContain('Model: "Net"');
    expect(s).toMatch(/fc1 \(Linear\)\s+\[None, 5\]\s+25/);
    expect(s).toMatch(/fc2 \(Linear\)\s+\[None, 3\]\s+18/);
    expect(s).toContain('Total params: 43');
  });

  it('works for a model whose forward calls a loss it holds as a child (two-argument call)', () => {
    class WithLoss extends Module {
      fc = new Linear(4, 2);
      crit = new MSELoss();
      forward(x: Tensor): Tensor {
        const y = this.fc.call(x);
        return this.crit.call(y, y.detach().mul(0.5));
      }
    }
    const s = summary(new WithLoss(), [4], { print: false });
    expect(s).toMatch(/fc \(Linear\)\s+\[None, 2\]\s+10/);
    expect(s).toContain('Total params: 10');
  });

  it('formats counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
