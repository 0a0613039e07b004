import { describe, expect, it } from 'vitest';
import { Generator, noGrad, tensor } from '@memograd/autograd';
import { BatchNorm1d, Linear, Sequential, Sigmoid, Tanh, binaryCrossEntropyWithLogits, crossEntropy, mseLoss } from '../src/index.ts';
import type { Module } from '../src/index.ts';

function sgdStep(model: Module, lr: number): void {
  for (const p of model.parameters()) {
    const g = p.grad!.data;
    for (let i = 0; i < p.data.length; i++) p.data[i] -= lr * g[i]!;
  }
  model.zeroGrad();
}

const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const Y = tensor([[0], [1], [1], [0]]);

describe('training end to end', () => {
  it('a Sequential MLP learns XOR with plain gradient descent (MSE)', () => {
    const g = new Generator(0);
    const model = new Sequential(new Linear(2, 8, { generator: g }), new Tanh(), new Linear(8, 1, { generator: g }), new Sigmoid());
    let loss = Infinity;
    for (let step = 0; step < 500; step++) {
      const l = mseLoss(model.call(X), Y);
      loss = l.item();
      l.backward();
      sgdStep(model, 1.0);
    }
    expect(loss).toBeLessThan(0.05);
    const pred = noGrad(() => model.call(X));
    expect(Array.from(pred.data, (v) => Math.round(v))).toEqual([0, 1, 1, 0]);
  });

  it('XOR with BCE-with-logits, and a 2-class cross-entropy with BatchNorm', () => {
    const g = new Generator(1);
    const model = new Sequential(new Linear(2, 8, { generator: g }), new Tanh(), new Linear(8, 1, { generator: g }));
    let loss = Infinity;
    for (let step = 0; step < 400; step++) {
      const l = binaryCrossEntropyWithLogits(model.call(X), Y);
      loss = l.item();
      l.backward();
      sgdStep(model, 0.5);
    }
    expect(loss).toBeLessThan(0.05);

    const g2 = new Generator(2);
    const clf = new Sequential(new Linear(2, 8, { generator: g2 }), new BatchNorm1d(8), new Tanh(), new Linear(8, 2, { generator: g2 }));
    for (let step = 0; step < 300; step++) {
      const l = crossEntropy(clf.call(X), [0, 1, 1, 0]);
      loss = l.item();
      l.backward();
      sgdStep(clf, 0.5);
    }
    expect(loss).toBeLessThan(0.05);
  });
});
