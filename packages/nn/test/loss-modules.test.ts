import { describe, expect, it } from 'vitest';
import { Generator, Tensor, tensor } from '@memograd/autograd';
import {
  BCELoss, BCEWithLogitsLoss, CategoricalCrossEntropy, CrossEntropyLoss, HuberLoss, L1Loss, Linear, Loss, MSELoss, Module,
  ModuleDict, ModuleList, NLLLoss, Sequential, SmoothL1Loss, SparseCategoricalCrossEntropy, crossEntropy, mseLoss,
} from '../src/index.ts';

const f64 = { dtype: 'float64' as const };

describe('loss classes are Modules (as in PyTorch)', () => {
  const all = (): Loss<never, object>[] => [
    new MSELoss(), new L1Loss(), new HuberLoss(), new SmoothL1Loss(), new BCELoss(), new BCEWithLogitsLoss(),
    new CrossEntropyLoss(), new NLLLoss(), new CategoricalCrossEntropy(), new SparseCategoricalCrossEntropy(),
  ] as unknown as Loss<never, object>[];

  it('every one is a Module without parameters, printed with its reduction', () => {
    for (const loss of all()) {
      expect(loss).toBeInstanceOf(Module);
      expect(loss.parameters()).toEqual([]);
      expect(loss.stateDict()).toEqual({});
      expect(String(loss)).toBe(`${loss.constructor.name}(reduction=mean)`);
    }
    expect(String(new MSELoss({ reduction: 'sum' }))).toBe('MSELoss(reduction=sum)');
  });

  it('keeps the call(input, target) API and the options', () => {
    const x = tensor([[1, 2, 3]], f64);
    const ce = new CrossEntropyLoss({ labelSmoothing: 0.1, reduction: 'sum' });
    expect(ce.options.labelSmoothing).toBe(0.1);
    expect(ce.call(x, [2]).item()).toBe(crossEntropy(x, [2], { labelSmoothing: 0.1, reduction: 'sum' }).item());
    expect(ce.forward(x, [2]).item()).toBe(ce.call(x, [2]).item());
  });

  it('can be a child: listed in children and modules, switched by train/eval, no state-dict entries', () => {
    class Model extends Module {
      fc = new Linear(3, 2, { generator: new Generator(1), dtype: 'float64' });
      criterion = new MSELoss();
      forward(x: Tensor): Tensor { return this.fc.call(x); }
      loss(x: Tensor, y: Tensor): Tensor { return this.criterion.call(this.call(x), y); }
    }
    const m = new Model();
    expect([...m.namedChildren()].map(([k, c]) => `${k}:${c.typeName}`)).toEqual(['fc:Linear', 'criterion:MSELoss']);
    expect(Object.keys(m.stateDict())).toEqual(['fc.weight', 'fc.bias']);
    m.eval();
    expect(m.criterion.training).toBe(false);
    const x = tensor([[1, 0, -1]], f64);
    const y = tensor([[0.5, 0.5]], f64);
    expect(m.loss(x, y).item()).toBe(mseLoss(m.call(x), y).item());
    expect(String(m)).toContain('(criterion): MSELoss(reduction=mean)');
    const list = new ModuleList([new MSELoss(), new L1Loss()]);
    const dict = new ModuleDict({ ce: new CrossEntropyLoss() });
    expect(list.length + dict.size).toBe(3);
  });

  it('sits in a Sequential; called there without a target it says so', () => {
    const seq = new Sequential(new Linear(2, 2), new MSELoss());
    expect(seq.length).toBe(2);
    expect(() => seq.call(tensor([[1, 2]]))).toThrow(/MSELoss: missing the target: a loss is called as loss.call\(input, target\)/);
  });
});
