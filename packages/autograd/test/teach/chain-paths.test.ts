import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainPaths, GraphError, ArgumentError, scalar, tensor, grad, type Tensor } from '@memograd/autograd';

/** The lecture's 2-2-1 sigmoid network (examples/backprop-lecture), with the lecture's names. */
function lectureNet() {
  const W = { w13: 0.1, w23: 0.8, w14: 0.4, w24: 0.6, w35: 0.3, w45: 0.9 };
  const w = Object.fromEntries(Object.entries(W).map(([k, v]) => [k, scalar(v, { name: k })])) as Record<keyof typeof W, Tensor>;
  const x1 = scalar(0.35, { name: 'x1', requiresGrad: false });
  const x2 = scalar(0.9, { name: 'x2', requiresGrad: false });
  const named = (t: Tensor, n: string) => ((t.name = n), t);
  const a1 = named(w.w13.mul(x1).add(w.w23.mul(x2)), 'a1');
  const y3 = named(a1.sigmoid(), 'y3');
  const a2 = named(w.w14.mul(x1).add(w.w24.mul(x2)), 'a2');
  const y4 = named(a2.sigmoid(), 'y4');
  const a3 = named(w.w35.mul(y3).add(w.w45.mul(y4)), 'a3');
  const y5 = named(a3.sigmoid(), 'y5');
  const e = named(scalar(0.5, { requiresGrad: false }).sub(y5), 'e');
  const J = named(e.square().mul(0.5), 'J');
  return { w, J, y3, y5 };
}

/** The seed's blue/orange example: one weight reaching the loss through two output units. */
function blueOrange() {
  const th = scalar(0.2, { name: 'θ11' });
  const z2 = th.mul(0.7).add(0.1);
  z2.name = 'z2';
  const a2 = z2.sigmoid();
  a2.name = 'a2';
  const z31 = a2.mul(0.4);
  z31.name = 'z31';
  const z32 = a2.mul(-0.6);
  z32.name = 'z32';
  const a31 = z31.sigmoid();
  a31.name = 'a31';
  const a32 = z32.sigmoid();
  a32.name = 'a32';
  const J = a31.sub(1).square().add(a32.sub(0).square()).mul(0.5);
  J.name = 'J';
  return { th, J };
}

describe('chainPaths', () => {
  it("the lecture network: w13's path, its local derivatives and product equal the tape", () => {
    const { w, J } = lectureNet();
    const r = chainPaths(J, w.w13);
    expect(r.pathCount).toBe(1n);
    expect(r.paths).toHaveLength(1);
    const p = r.paths[0]!;
    expect(p.nodes).toEqual(['w13', 'mul#1', 'a1', 'y3', 'mul#3', 'a3', 'y5', 'e', 'square#7', 'J']);
    expect(p.edges.map((x) => x.symbol)).toEqual(['x1', '1', 'y3(1-y3)', 'w35', '1', 'y5(1-y5)', '-1', '2·e', '0.5']);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const y3 = sig(0.35 * 0.1 + 0.9 * 0.8);
    const y5 = sig(0.3 * y3 + 0.9 * sig(0.35 * 0.4 + 0.9 * 0.6));
    expect(p.edges[2]!.local).toBeCloseTo(y3 * (1 - y3), 14);
    const hand = 0.5 * 2 * (0.5 - y5) * -1 * y5 * (1 - y5) * 0.3 * y3 * (1 - y3) * 0.35;
    expect(p.product).toBeCloseTo(hand, 15);
    expect(r.sum).toBe(p.product);
    expect(r.tape).toBeCloseTo(hand, 15);
    expect(w.w13.grad).toBeNull(); // the user's .grad is untouched
    const text = r.toString();
    expect(text).toContain('dJ/dsquare#7 · dsquare#7/de · de/dy5 · dy5/da3 · da3/dmul#3 · dmul#3/dy3 · dy3/da1 · da1/dmul#1 · dmul#1/dw13');
    expect(text).toContain('(y3(1-y3))');
    expect(text).toMatch(/sum of the paths: 0\.000929071/);
    expect(text).toMatch(/tape \(grad\): +0\.000929071/);
    // the graph is retained: backward still works
    J.backward();
    expect(w.w13.grad!.item()).toBeCloseTo(hand, 15);
  });

  it("the seed's blue and orange paths sum to dJ/dθ", () => {
    const { th, J } = blueOrange();
    const r = chainPaths(J, th);
    expect(r.pathCount).toBe(2n);
    expect(r.paths.map((p) => p.nodes.includes('a31'))).toEqual([true, false]);
    expect(r.paths.map((p) => p.nodes.includes('a32'))).toEqual([false, true]);
    const [blue, orange] = r.paths.map((p) => p.product as number);
    expect(blue! + orange!).toBe(r.sum);
    expect(r.sum as number).toBeCloseTo(r.tape as number, 15);
    expect(r.toString()).toMatch(/path 2: θ11 → mul#\d → z2 → a2 → z32 → a32/);
  });

  it('the 40-diamond graph: 2^40 paths counted without enumeration, 160 edge visits on the tape', () => {
    const x = scalar(0.5, { name: 'x' });
    let y = x;
    for (let i = 0; i < 40; i++) y = y.mul(2).add(y.mul(3));
    const r = chainPaths(y, x, { countOnly: true });
    expect(r.pathCount).toBe(2n ** 40n);
    expect(r.tapeNodeVisits).toBe(120);
    expect(r.tapeEdgeVisits).toBe(160);
    expect(r.pathEdgeVisits).toBe(2n ** 40n * 80n);
    expect(r.paths).toHaveLength(0);
    expect(r.tape).toBe(5 ** 40); // d/dx of (2x + 3x) forty times
    expect(r.toString()).toContain('1099511627776 paths');
    expect(() => chainPaths(y, x)).toThrow(GraphError);
    expect(() => chainPaths(y, x)).toThrow(/1099511627776 paths from 'x' to 'add#\d+', more than maxPaths = 10000; the tape's backward needs only 160 edge visits/);
    // under the limit, enumeration agrees with the count
    let z = x;
    for (let i = 0; i < 10; i++) z = z.mul(2).add(z.mul(3));
    const small = chainPaths(z, x, { maxPaths: 1024 });
    expect(small.paths).toHaveLength(1024);
    expect(small.sum).toBe(5 ** 10);
  });

  it('elementwise tensor graphs: values per element; matmul graphs: structural paths and the total', () => {
    const x = tensor([0.5, -1, 2], { name: 'x', requiresGrad: true, dtype: 'float64' });
    const y = x.sigmoid().mul(x).add(x.tanh()).sum();
    const r = chainPaths(y, x);
    expect(r.exact).toBe(true);
    expect(r.pathCount).toBe(3n);
    const tape = grad(y, x, { retainGraph: true })[0]!;
    (r.sum as number[]).forEach((v, i) => expect(v).toBeCloseTo(tape.data[i]!, 14));
    const W = tensor([[1, 2], [3, 4]], { name: 'W', requiresGrad: true });
    const m = tensor([[0.5], [0.25]], { requiresGrad: false }).transpose().matmul(W).sigmoid().sum();
    const s = chainPaths(m, W);
    expect(s.exact).toBe(false);
    expect(s.sum).toBeNull();
    expect(s.paths[0]!.product).toBeNull();
    expect((s.tape as number[]).length).toBe(4);
    expect(s.toString()).toContain('Jacobians');
  });

  it('bad arguments are typed errors naming chainPaths and the argument', () => {
    const x = scalar(1, { name: 'x' });
    const y = x.exp();
    expect(() => chainPaths(1 as never, x)).toThrow(ArgumentError);
    expect(() => chainPaths(y, 'x' as never)).toThrow(/chainPaths: argument 'input' must be a Tensor/);
    expect(() => chainPaths(y, x, { maxPaths: 0 })).toThrow(/chainPaths: option 'maxPaths' must be an integer/);
    expect(() => chainPaths(y, x, { nope: 1 } as never)).toThrow(/chainPaths: unknown option/);
    expect(() => chainPaths(y, scalar(2, { requiresGrad: false }))).toThrow(/chainPaths: argument 'input' does not require grad/);
    y.backward();
    expect(() => chainPaths(y, x)).toThrow(/chainPaths: the graph of argument 'output' was released/);
  });

  // random DAGs of 0-d float64 ops with shared subexpressions
  const OPS = ['add', 'mul', 'sub', 'sigmoid', 'tanh', 'exp', 'square'] as const;
  const step = fc.record({ op: fc.constantFrom(...OPS), i: fc.nat(), j: fc.nat() });
  it('property: on random scalar DAGs the path products sum to the tape gradient (1e-12 relative)', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 1, maxLength: 3 }), fc.array(step, { minLength: 1, maxLength: 12 }), (vals, steps) => {
        const leaves = vals.map((v, k) => scalar(v, { name: `x${k}` }));
        const nodes: Tensor[] = [...leaves];
        for (const { op, i, j } of steps) {
          // prefer recent nodes, so that graphs are deep and share subexpressions
          const a = nodes[nodes.length - 1 - (i % Math.min(3, nodes.length))]!;
          const b = nodes[j % nodes.length]!;
          let t: Tensor;
          if (op === 'add' || op === 'mul' || op === 'sub') t = a[op](b);
          else if (op === 'exp') t = a.tanh().exp(); // bounded
          else t = a[op]();
          nodes.push(t);
        }
        const out = nodes[nodes.length - 1]!;
        for (const leaf of leaves) {
          const r = chainPaths(out, leaf, { maxPaths: 100_000 });
          const tape = r.tape as number;
          const scale = r.paths.reduce((s, p) => s + Math.abs(p.product as number), 0);
          expect(Math.abs((r.sum as number) - tape)).toBeLessThanOrEqual(1e-12 * Math.max(scale, Math.abs(tape)) + 1e-300);
          expect(BigInt(r.paths.length)).toBe(r.pathCount);
        }
      }),
      { numRuns: 300, seed: 20250509 },
    );
  });
});
