import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, randn } from '@memograd/autograd';
import { Linear, ReLU, Sequential, Sigmoid, gradientReport, init, mseLoss, type Module } from '@memograd/nn';

/** Linear(16, 16) + activation, ten times; default init, He init, or N(0, scale²) weights. */
function stack(act: () => Module, weights: 'default' | 'he' | number): Sequential {
  const g = new Generator(7);
  const layers: Module[] = [];
  for (let i = 0; i < 10; i++) {
    const l = new Linear(16, 16, { generator: g });
    if (weights === 'he') init.kaimingNormal_(l.weight, { nonlinearity: 'relu', generator: g });
    else if (typeof weights === 'number') init.normal_(l.weight, 0, weights, { generator: g });
    layers.push(l, act());
  }
  return new Sequential(...layers);
}

function backward(m: Module): void {
  const x = randn([32, 16], { generator: new Generator(1) });
  const y = randn([32, 16], { generator: new Generator(2) });
  mseLoss(m.call(x), y).backward();
}

describe('gradientReport', () => {
  it('flags a 10-layer sigmoid stack (default init) as vanishing and suggests the lecture\'s remedies', () => {
    const m = stack(() => new Sigmoid(), 'default');
    backward(m);
    const r = gradientReport(m);
    expect(r.layers.map((l) => l.name)).toEqual(['0', '2', '4', '6', '8', '10', '12', '14', '16', '18']);
    expect(r.layers.every((l) => l.type === 'Linear' && l.params === 272)).toBe(true);
    expect(r.vanishing).toBe(true);
    expect(r.exploding).toBe(false);
    expect(r.layers[0]!.status).toBe('vanishing');
    expect(r.layers.at(-1)!.status).toBe('ok');
    expect(r.layers.at(-1)!.relative).toBe(1);
    expect(r.ordersOfMagnitude!).toBeLessThan(-5);
    const text = r.toString();
    for (const s of ['VANISHING', 'ReLU', 'He (Kaiming)', 'Glorot', 'batch normalization']) expect(text).toContain(s);
    // the norms are what they say
    const w = m.parameters()[0]!, b = m.parameters()[1]!;
    const g2 = [...w.grad!.data, ...b.grad!.data].reduce((s, v) => s + v * v, 0);
    expect(r.layers[0]!.gradNorm).toBeCloseTo(Math.sqrt(g2), 12);
  });

  it('does not flag the same stack with ReLU and He init', () => {
    const m = stack(() => new ReLU(), 'he');
    backward(m);
    const r = gradientReport(m);
    expect(r.vanishing).toBe(false);
    expect(r.exploding).toBe(false);
    expect(r.layers.every((l) => l.status === 'ok')).toBe(true);
    expect(r.remedies).toEqual([]);
    expect(r.toString()).toContain('No vanishing');
  });

  it('flags a large init (weights N(0, 1) on 16 inputs, ReLU) as exploding and suggests clipping', () => {
    const m = stack(() => new ReLU(), 1);
    backward(m);
    const r = gradientReport(m);
    expect(r.exploding).toBe(true);
    expect(r.layers[0]!.status).toBe('exploding');
    expect(r.toString()).toContain('clipGradNorm');
  });

  it('reports layers without gradients, and rejects bad arguments with typed errors', () => {
    const m = stack(() => new ReLU(), 'he');
    const r = gradientReport(m);
    expect(r.layers.every((l) => l.status === 'no-grad' && l.gradNorm === null)).toBe(true);
    expect(r.toString()).toContain('call loss.backward() first');
    expect(() => gradientReport(3 as never)).toThrow(ArgumentError);
    expect(() => gradientReport(3 as never)).toThrow(/^gradientReport: argument 'model'/);
    expect(() => gradientReport(m, { vanishing: -1 })).toThrow(/^gradientReport: option 'vanishing'/);
    expect(() => gradientReport(m, 'x' as never)).toThrow(/^gradientReport: argument 'options'/);
  });
});
