import { describe, expect, it } from 'vitest';
import { ArgumentError, chainPaths, explain, scalar, toDot, type Tensor } from '@memograd/autograd';
import { renderSvg, toSvg } from '@memograd/autograd/svg';

function net() {
  const w1 = scalar(0.5, { name: 'w1' });
  const w2 = scalar(-0.25, { name: 'w2' });
  const x = scalar(2, { name: 'x', requiresGrad: false });
  const h = w1.mul(x).tanh();
  h.name = 'h';
  const y = h.mul(w2).add(h).sigmoid();
  y.name = 'y';
  return { w1, w2, h, y };
}

describe('toDot with grads and highlight', () => {
  it('without options the output is unchanged (names, ops, values)', () => {
    const { y } = net();
    const dot = toDot(y);
    expect(dot).toContain('"w1" [label="w1\\n0.500000", shape=box];');
    expect(dot).toContain('"h" [label="h\\ntanh 0.761594"];');
    expect(dot).not.toContain('value ');
    expect(dot).not.toContain('penwidth');
  });

  it('grads: every node shows its value and d(output)/d(node); no .grad changes', () => {
    const { w1, w2, h, y } = net();
    const dot = toDot(y, { grads: true });
    const hv = Math.tanh(1);
    const s = 1 / (1 + Math.exp(-(hv * -0.25 + hv)));
    const dh = s * (1 - s) * (1 - 0.25);
    expect(dot).toContain(`"h" [label="h\\ntanh\\nvalue ${hv.toPrecision(4)}\\ngrad ${dh.toPrecision(4)}"];`);
    expect(dot).toContain(`"w1" [label="w1\\nvalue 0.5000\\ngrad ${(dh * (1 - hv * hv) * 2).toPrecision(4)}", shape=box];`);
    expect(dot).toContain('"x" [label="x\\nvalue 2.000\\ngrad —", shape=box];');
    expect(w1.grad).toBeNull();
    expect(w2.grad).toBeNull();
    expect(h.grad).toBeNull();
    y.backward(); // graph retained
    expect(w1.grad!.item()).toBeCloseTo(dh * (1 - hv * hv) * 2, 14);
  });

  it('highlight: a chainPaths path draws its nodes and exactly its edges in red', () => {
    const { w1, y } = net();
    const r = chainPaths(y, w1);
    expect(r.pathCount).toBe(2n); // through mul(h, w2) and directly into add
    const direct = r.paths.find((p) => p.nodes.length === 5)!; // w1 → mul → h → add → y
    const dot = toDot(y, { highlight: direct });
    const red = 'color="#d62728", penwidth=3';
    for (const n of direct.nodes) expect(dot).toMatch(new RegExp(`"${n}" \\[label=[^\\n]*${red}`));
    const redEdges = dot.split('\n').filter((l) => l.includes('->') && l.includes(red));
    expect(redEdges).toHaveLength(4);
    expect(redEdges).toContain(`  "h" -> "add#2" [${red}];`);
    expect(dot).toContain('  "h" -> "mul#1";'); // the other path's edge is not highlighted
    // the path through mul(h, w2) passes h and add#2 but not the edge h -> add#2
    const viaMul = toDot(y, { highlight: r.paths.find((p) => p.nodes.length === 6)! });
    expect(viaMul.split('\n').filter((l) => l.includes('->') && l.includes(red))).toHaveLength(5);
    expect(viaMul).toContain('  "h" -> "add#2";');
    // a list of tensors highlights them and the edges among them
    const list = toDot(y, { highlight: [w1, y] as Tensor[] });
    expect(list.split('\n').filter((l) => l.includes(red))).toHaveLength(2);
  });

  it('bad options are typed errors naming toDot', () => {
    const { y } = net();
    expect(() => toDot(y, { grads: 1 } as never)).toThrow(ArgumentError);
    expect(() => toDot(y, { highlight: 3 } as never)).toThrow(/toDot: option 'highlight' must be a path from chainPaths or an array of Tensors/);
    expect(() => toDot(y, { colour: 1 } as never)).toThrow(/toDot: unknown option/);
  });
});

describe('explain returns numbers', () => {
  it('rows hold numbers and chain-rule terms; toString is the table', () => {
    const { h, y } = net();
    const rows = explain(y);
    const row = rows.find((r) => r.name === 'h')!;
    expect(typeof row.value).toBe('number');
    expect(typeof row.gradient).toBe('number');
    // h feeds mul(h, w2) and add(…, h): two terms summing to its gradient
    expect(row.terms.map((t) => t.symbol)).toEqual(['w2', '1']);
    expect(row.terms.reduce((s, t) => s + t.product!, 0)).toBeCloseTo(row.gradient as number, 15);
    const text = String(rows);
    expect(text.split('\n')[0]).toMatch(/^node +op +value +dy\/d\(node\)$/);
    expect(text).toContain('dy/dh = dy/dmul#1 · w2 + dy/dadd#2 · 1');
    expect(h.grad).toBeNull();
  });
});

describe('@memograd/autograd/svg', () => {
  it('renders toDot through Graphviz (WebAssembly) with the node labels', async () => {
    const { w1, y } = net();
    const svg = await toSvg(y, { grads: true, highlight: chainPaths(y, w1).paths[0] });
    expect(svg).toContain('<svg');
    for (const label of ['w1', 'w2', '>h<', 'tanh', 'sigmoid', 'value 0.5000', 'grad ']) expect(svg).toContain(label);
    expect(svg).toContain('#d62728');
    expect(await renderSvg('digraph { a -> b }')).toMatch(/<title>a&#45;&gt;b<\/title>/);
  });

  it('bad arguments are typed errors naming the function', async () => {
    await expect(renderSvg(42 as never)).rejects.toThrow(/renderSvg: argument 'dot' must be a string/);
    await expect(renderSvg('digraph {')).rejects.toThrow(ArgumentError);
    await expect(toSvg({} as never)).rejects.toThrow(/toSvg: argument 'output' must be a Tensor/);
  });
});
