import { describe, expect, it } from 'vitest';
import { ArgumentError, GraphError, scalar, stepTable } from '../../src/index.ts';
import { lectureNetwork } from './lecture-net.ts';

describe('stepTable on the backprop lecture network (examples/backprop-lecture)', () => {
  const { loss, params } = lectureNetwork();
  const t = stepTable(loss, params, { lr: 1, deltaNames: { a3: 'δ5', a1: 'δ3', a2: 'δ4' } });
  const row = (name: string) => t.params.find((p) => p.name === name)!;

  it('reproduces the forward values, delta terms and updated weights the example prints', () => {
    const fwd = Object.fromEntries(t.forward.map((n) => [n.name, n.value.toFixed(4)]));
    expect(fwd).toEqual({ x1: '0.3500', x2: '0.9000', a1: '0.7550', y3: '0.6803', a2: '0.6800', y4: '0.6637', a3: '0.8014', y5: '0.6903', error: '-0.1903', E: '0.0181' });
    expect(t.deltas.map((d) => [d.name, d.netInput, d.activation])).toEqual([['δ5', 'a3', 'sigmoid'], ['δ3', 'a1', 'sigmoid'], ['δ4', 'a2', 'sigmoid']]);
    expect(t.deltas[0]!.value.toFixed(4)).toBe('-0.0407');
    expect(t.deltas[1]!.value.toFixed(5)).toBe('-0.00265');
    expect(t.deltas[2]!.value.toFixed(4)).toBe('-0.0082');
    const updated = Object.fromEntries(t.params.map((p) => [p.name, p.updated.toFixed(4)]));
    expect(updated).toEqual({ w13: '0.0991', w23: '0.7976', w14: '0.3971', w24: '0.5926', w35: '0.2723', w45: '0.8730' });
    // the lecture's rule: w_new = w + η δ_j o_i
    expect(row('w35').updated).toBeCloseTo(0.3 + t.deltas[0]!.value * t.forward.find((n) => n.name === 'y3')!.value, 14);
    expect(row('w13').updated).toBeCloseTo(0.1 + t.deltas[1]!.value * 0.35, 14);
    expect(t.forward.find((n) => n.name === 'a1')!.formula).toBe('w13*x1 + w23*x2');
  });

  it('states the sign convention in every format', () => {
    for (const s of [t.toText(), t.toMarkdown()]) expect(s).toContain('δ_j = -∂E/∂net_j');
    expect(t.toLatex()).toContain('\\delta_j = -\\partial E / \\partial \\mathrm{net}_j');
    expect(t.toText()).toContain('w24      0.6000   0.00735    -0.00735    0.5926');
  });

  it('the Markdown has one row per named node, delta and weight', () => {
    const md = t.toMarkdown().split('\n');
    expect(md).toContain('| a1 | `w13*x1 + w23*x2` | 0.7550 | 0.00265 |');
    expect(md).toContain('| δ5 | a3 | sigmoid | -0.0407 |');
    expect(md).toContain('| w24 | 0.6000 | 0.00735 | -0.00735 | 0.5926 |');
    expect(md).toContain('| w45 | 0.9000 | 0.0270 | -0.0270 | 0.8730 |');
    expect(md.filter((l) => l.startsWith('| w')).length).toBe(6 + 1); // six weights + the header
    expect(md.filter((l) => l.startsWith('| δ')).length).toBe(3);
  });

  it('the LaTeX has tabulars with the right rows', () => {
    const tex = t.toLatex();
    expect(tex.match(/\\begin\{tabular\}/g)!.length).toBe(3);
    expect(tex).toContain('$w_{24}$ & $0.6000$ & $0.00735$ & $-0.00735$ & $0.5926$ \\\\');
    expect(tex).toContain('$\\delta_{5}$ & $a_{3}$ & $-0.0407$ \\\\');
    expect(tex).toContain('$a_{1}$ & $w_{13} \\cdot x_{1} + w_{23} \\cdot x_{2}$ & $0.7550$ & $0.00265$ \\\\');
  });

  it('works on another network: tanh units, a record of params, nodes named through options, lr 0.5', () => {
    const w1 = scalar(0.2, { dtype: 'float64' }), w2 = scalar(-0.7, { dtype: 'float64' });
    const z = w1.mul(1.5);
    const h = z.tanh();
    const out = h.mul(w2).sigmoid();
    const E = out.sub(1).square();
    const s = stepTable(E, { w1, w2 }, { lr: 0.5, nodes: { z, h, out } });
    expect(s.forward.map((n) => n.name)).toEqual(['z', 'h', 'out', 'E']);
    expect(s.deltas.map((d) => [d.name, d.netInput])).toEqual([['δ(out)', 'net input of out'], ['δ(z)', 'z']]);
    const dz = (1 - Math.tanh(0.3) ** 2) * -0.7 * -s.deltas[0]!.value; // ∂E/∂z by the chain rule
    expect(-s.deltas[1]!.value).toBeCloseTo(dz, 14);
    expect(s.params[0]!.updated).toBeCloseTo(0.2 - 0.5 * dz * 1.5, 14);
  });

  it('bad arguments are typed errors naming stepTable and the argument', () => {
    expect(() => stepTable(3 as never, params, { lr: 1 })).toThrow(/^stepTable: argument 'loss'/);
    expect(() => stepTable(loss, 3 as never, { lr: 1 })).toThrow(ArgumentError);
    expect(() => stepTable(loss, params, { lr: NaN })).toThrow(/^stepTable: option 'lr'/);
    expect(() => stepTable(loss, params, undefined as never)).toThrow(/^stepTable: argument 'options'/);
    expect(() => stepTable(loss, [scalar(1)], { lr: 1 })).toThrow(GraphError);
  });
});
