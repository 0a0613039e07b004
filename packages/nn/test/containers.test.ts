import { describe, expect, it } from 'vitest';
import { Generator, MemogradError, Tensor, assertGradcheck, randn, tensor } from '@memograd/autograd';
import { BatchNorm1d, Dropout, Linear, Module, ModuleDict, ModuleList, ReLU, Sequential, Tanh, summary } from '../src/index.ts';

const g = () => new Generator(7);
const lin = (i: number, o: number, gen = g()) => new Linear(i, o, { generator: gen, dtype: 'float64' });

class Deep extends Module {
  layers = new ModuleList([lin(3, 4), lin(4, 4), lin(4, 2)]);
  forward(x: Tensor): Tensor {
    let y = x;
    for (const l of this.layers) y = l.call(y).tanh();
    return y;
  }
}

class Heads extends Module {
  trunk = lin(3, 4);
  heads = new ModuleDict({ cls: lin(4, 5), box: new Sequential(lin(4, 4), new ReLU(), lin(4, 2)) });
  forward(x: Tensor): Tensor {
    const f = this.trunk.call(x);
    return this.heads.get('cls').call(f).sum({ axis: 1, keepDims: true }).add(this.heads.get('box').call(f).sum({ axis: 1, keepDims: true }));
  }
}

describe('ModuleList', () => {
  it('registers its modules: parameters, state-dict keys as in PyTorch, modes, zeroGrad, to(dtype)', () => {
    const m = new Deep();
    expect(m.namedParameters().map(([k]) => k)).toEqual([
      'layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias', 'layers.2.weight', 'layers.2.bias',
    ]);
    expect(Object.keys(m.stateDict())).toEqual(m.namedParameters().map(([k]) => k));
    expect(m.parameters()).toHaveLength(6);
    expect(m.numParameters()).toBe(16 + 20 + 10);
    m.eval();
    expect([...m.layers].every((l) => !l.training)).toBe(true);
    m.train();
    expect(m.layers.at(-1).training).toBe(true);
    const x = randn([2, 3], { dtype: 'float64', generator: g() });
    m.call(x).sum().backward();
    expect(m.layers.at(1).parameters()[0]!.grad).not.toBeNull();
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
    m.to('float32');
    expect(m.parameters().every((p) => p.dtype === 'float32')).toBe(true);
    expect((m.layers[0] as Linear).weight.dtype).toBe('float32');
  });

  it('round-trips a state dict and gives the same keys as an array property', () => {
    class WithArray extends Module {
      layers = [lin(3, 4), lin(4, 4), lin(4, 2)];
      forward(x: Tensor): Tensor { return x; }
    }
    const a = new Deep();
    expect(Object.keys(new WithArray().stateDict())).toEqual(Object.keys(a.stateDict()));
    const b = new Deep();
    for (const p of b.parameters()) p.data.fill(0.25);
    a.loadStateDict(b.stateDict());
    expect(a.layers.at(2).parameters()[0]!.data[0]).toBe(0.25);
  });

  it('length, at (negative), indexing, iteration, append, extend, insert, set, pop', () => {
    const [a, b, c, d] = [new ReLU(), new Tanh(), lin(2, 2), new Dropout(0.1)];
    const list = new ModuleList([a, b]);
    expect(list.length).toBe(2);
    expect(list[0]).toBe(a);
    expect(list.at(-1)).toBe(b);
    expect(list.append(c)).toBe(list);
    expect([...list]).toEqual([a, b, c]);
    list.insert(1, d);
    expect([...list]).toEqual([a, d, b, c]);
    list.insert(-1, a);  // before the last, as Python's list.insert
    expect([...list]).toEqual([a, d, b, a, c]);
    list.insert(5, b);   // at the end
    expect(list.length).toBe(6);
    expect(list.pop()).toBe(b);
    expect(list.pop(1)).toBe(d);
    expect([...list]).toEqual([a, b, a, c]);
    expect(list.namedChildren().next().value).toEqual(['0', a]);
    expect([...list.namedChildren()].map(([k]) => k)).toEqual(['0', '1', '2', '3']);
    list.set(-2, d);
    expect(list.at(2)).toBe(d);
    list.extend(list);   // extending with itself copies first
    expect(list.length).toBe(8);
    expect(new ModuleList().length).toBe(0);
  });

  it('index and type errors name the method and leave the list unchanged', () => {
    const list = new ModuleList([new ReLU(), new Tanh()]);
    const before = [...list];
    expect(() => list.at(2)).toThrow(/ModuleList.at: index 2 is out of range for 2 modules/);
    expect(() => list.at(-3)).toThrow(/index -3 is out of range/);
    expect(() => list.at(0.5)).toThrow(/ModuleList.at: index must be an integer, got number 0.5/);
    expect(() => list.insert(3, new ReLU())).toThrow(/ModuleList.insert: index 3 is out of range/);
    expect(() => list.set(2, new ReLU())).toThrow(/ModuleList.set: index 2/);
    expect(() => new ModuleList().pop()).toThrow(/ModuleList.pop: index -1 is out of range for 0 modules/);
    expect(() => list.append({} as Module)).toThrow(/ModuleList.append: module must be a Module, got Object/);
    expect(() => list.extend([new ReLU(), 3 as unknown as Module])).toThrow(/ModuleList.extend: item 1 must be a Module, got number 3/);
    expect(() => list.insert(0, null as unknown as Module)).toThrow(/module must be a Module, got null/);
    expect(() => new ModuleList(5 as unknown as Module[])).toThrow(/ModuleList: expected an iterable of Modules, got number 5/);
    expect([...list]).toEqual(before);
  });

  it('has no forward, like PyTorch; toString is a tree; summary lists its layers', () => {
    const list = new ModuleList([lin(2, 3)]);
    expect(() => list.call(tensor([[1, 2]]))).toThrow(MemogradError);
    expect(() => list.call(tensor([[1, 2]]))).toThrow(/ModuleList.forward: a ModuleList has no forward/);
    expect(String(list)).toBe('ModuleList(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n)');
    const text = summary(new Deep(), [3], { print: false });
    expect(text).toMatch(/layers\.0 \(Linear\)\s+\[None, 4\]\s+16/);
    expect(text).toMatch(/layers\.2 \(Linear\)\s+\[None, 2\]\s+10/);
    expect(text).toMatch(/Total params: 46/);
  });

  it('gradcheck through a model built on a ModuleList (float64)', () => {
    const m = new Deep();
    const x = randn([2, 3], { dtype: 'float64', generator: g() });
    const w = m.layers.at(1).parameters()[0]!;
    assertGradcheck((wt) => {
      const saved = (m.layers.at(1) as Linear).weight;
      (m.layers.at(1) as Linear).weight = wt as never;
      try { return m.call(x).square().sum(); } finally { (m.layers.at(1) as Linear).weight = saved; }
    }, [w]);
  });
});

describe('ModuleDict', () => {
  it('registers its modules with keys heads.<key>...; modes, zeroGrad, to(dtype), buffers', () => {
    const m = new Heads();
    expect(m.namedParameters().map(([k]) => k)).toEqual([
      'trunk.weight', 'trunk.bias', 'heads.cls.weight', 'heads.cls.bias',
      'heads.box.0.weight', 'heads.box.0.bias', 'heads.box.2.weight', 'heads.box.2.bias',
    ]);
    m.heads.set('norm', new BatchNorm1d(4, { dtype: 'float64' }));
    expect(Object.keys(m.stateDict()).filter((k) => k.startsWith('heads.norm'))).toEqual([
      'heads.norm.weight', 'heads.norm.bias', 'heads.norm.running_mean', 'heads.norm.running_var', 'heads.norm.num_batches_tracked',
    ]);
    m.eval();
    expect(m.heads.get('norm').training).toBe(false);
    m.call(randn([3, 3], { dtype: 'float64', generator: g() })).sum().backward();
    expect(m.heads.get('cls').parameters()[0]!.grad).not.toBeNull();
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
    m.to('float32');
    expect(m.stateEntries().every(([, t]) => t.dtype === 'float32')).toBe(true);
    const again = new Heads();
    again.heads.set('norm', new BatchNorm1d(4));
    again.to('float32');
    again.loadStateDict(m.stateDict());
  });

  it('keeps insertion order for every key (integer-like ones too) and replaced keys in place', () => {
    const [a, b, c] = [new ReLU(), new Tanh(), new Dropout(0.5)];
    const d = new ModuleDict([['10', a], ['2', b], ['x', c]]);
    expect([...d.keys()]).toEqual(['10', '2', 'x']);
    expect([...d.namedChildren()].map(([k]) => k)).toEqual(['10', '2', 'x']);
    d.set('2', c);
    expect([...d.entries()]).toEqual([['10', a], ['2', c], ['x', c]]);
    expect([...d]).toEqual([...d.entries()]);
    expect([...d.values()]).toEqual([a, c, c]);
    expect(d.delete('10')).toBe(true);
    expect(d.delete('10')).toBe(false);
    expect(d.has('x') && !d.has('10')).toBe(true);
    expect(d.size).toBe(2);
    // keys that are Module members are just keys
    d.set('training', a).set('call', b);
    expect(d.get('training')).toBe(a);
    expect(d.training).toBe(true);
    expect(new ModuleDict(new Map([['m', a]])).get('m')).toBe(a);
    d.update({ y: b });
    expect([...d.keys()]).toEqual(['2', 'x', 'training', 'call', 'y']);
    d.clear();
    expect(d.size).toBe(0);
  });

  it('errors name the method and the key, and leave the dict unchanged', () => {
    const d = new ModuleDict({ a: new ReLU() });
    expect(() => d.get('b')).toThrow(/ModuleDict.get: no module under key "b" \(keys: 'a'\)/);
    expect(() => d.set('x.y', new ReLU())).toThrow(/ModuleDict.set: key must be a non-empty string without '.', got "x.y"/);
    expect(() => d.set('', new ReLU())).toThrow(/key must be a non-empty string/);
    expect(() => d.set('z', 1 as unknown as Module)).toThrow(/ModuleDict.set: 'z' must be a Module, got number 1/);
    expect(() => d.update([['p', new ReLU()], ['q', 'no' as unknown as Module]])).toThrow(/ModuleDict.update: 'q' must be a Module, got string "no"/);
    expect(() => d.update([['p'] as unknown as [string, Module]])).toThrow(/entry 0 must be a \[key, module\] pair/);
    expect(() => new ModuleDict(null as never)).toThrow(/ModuleDict: expected a record or \[key, module\] pairs, got null/);
    expect([...d.keys()]).toEqual(['a']);
  });

  it('has no forward; prints as a tree; summary lists its layers', () => {
    const d = new ModuleDict({ enc: lin(2, 2) });
    expect(() => d.call(tensor([[1, 2]]))).toThrow(/ModuleDict.forward: a ModuleDict has no forward/);
    expect(String(d)).toBe('ModuleDict(\n  (enc): Linear(inFeatures=2, outFeatures=2, bias=true)\n)');
    const text = summary(new Heads(), [3], { print: false });
    expect(text).toMatch(/heads\.cls \(Linear\)\s+\[None, 5\]\s+25/);
    expect(text).toMatch(/heads\.box\.2 \(Linear\)\s+\[None, 2\]\s+10/);
  });
});
