import { describe, expect, it } from 'vitest';
import { Generator, Tensor, randn, tensor, zeros } from '@memograd/autograd';
import {
  BatchNorm1d, Dropout, Linear, Module, Parameter, ReLU, Sequential, StateDictError, mseLoss,
} from '../src/index.ts';

class MLP extends Module {
  fc1 = new Linear(3, 4, { dtype: 'float64', generator: new Generator(1) });
  bn = new BatchNorm1d(4, { dtype: 'float64' });
  drop = new Dropout(0.5);
  fc2 = new Linear(4, 2, { dtype: 'float64', generator: new Generator(2) });
  scale = new Parameter(tensor([1.5], { dtype: 'float64' }));
  forward(x: Tensor): Tensor {
    return this.fc2.call(this.drop.call(this.bn.call(this.fc1.call(x)).relu())).mul(this.scale);
  }
}

describe('Parameter', () => {
  it('is a leaf Tensor that requires grad', () => {
    const p = new Parameter(zeros([2, 3]));
    expect(p).toBeInstanceOf(Tensor);
    expect(p.requiresGrad).toBe(true);
    expect(p.isLeaf).toBe(true);
    expect(p.shape).toEqual([2, 3]);
    const q = new Parameter(new Float64Array([1, 2, 3, 4]), { shape: [2, 2], requiresGrad: false });
    expect(q.dtype).toBe('float64');
    expect(q.requiresGrad).toBe(false);
  });
});

describe('Module', () => {
  it('discovers parameters, buffers and children with dotted names', () => {
    const m = new MLP();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'scale', 'fc1.weight', 'fc1.bias', 'bn.weight', 'bn.bias', 'fc2.weight', 'fc2.bias',
    ]);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']);
    expect([...m.namedChildren()].map(([n]) => n)).toEqual(['fc1', 'bn', 'drop', 'fc2']);
    expect(m.children()).toHaveLength(4);
    expect(m.parameters()).toHaveLength(7);
    expect(m.buffers()).toHaveLength(3);
    expect(m.numParameters()).toBe(1 + 12 + 4 + 4 + 4 + 8 + 2);
  });

  it('supports explicit registration and shared parameters counted once', () => {
    class Tied extends Module {
      constructor() {
        super();
        const a = new Linear(2, 2);
        this.registerModule('a', a);
        this.registerModule('b', a);
        this.registerParameter('extra', new Parameter(zeros([3])));
        this.registerBuffer('count', zeros([]));
        this.registerParameter('none', null);
      }
      forward(x: Tensor): Tensor { return x; }
    }
    const t = new Tied();
    expect(t.namedParameters().map(([n]) => n)).toEqual(['extra', 'a.weight', 'a.bias']);
    expect(t.namedBuffers().map(([n]) => n)).toEqual(['count']);
    expect(() => t.registerParameter('x', zeros([1]) as Parameter)).toThrow(/must be a Parameter/);
    expect(() => t.registerModule('a.b', new ReLU())).toThrow(/without '.'/);
  });

  it('train/eval set the flag recursively', () => {
    const m = new MLP();
    expect(m.modules().every((x) => x.training)).toBe(true);
    m.eval();
    expect(m.modules().every((x) => !x.training)).toBe(true);
    m.train();
    expect(m.bn.training && m.drop.training).toBe(true);
    m.train(false);
    expect(m.fc1.training).toBe(false);
  });

  it('zeroGrad clears gradients; call = forward', () => {
    const m = new MLP();
    const x = randn([5, 3], { dtype: 'float64', generator: new Generator(0) });
    mseLoss(m.call(x), zeros([5, 2], { dtype: 'float64' })).backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
    m.eval();
    expect(Array.from(m.call(x).data)).toEqual(Array.from(m.forward(x).data));
  });

  it('stateDict copies params and buffers; loadStateDict round-trips', () => {
    const a = new MLP();
    a.call(randn([6, 3], { dtype: 'float64', generator: new Generator(3) })); // update running stats
    const sd = a.stateDict();
    expect(Object.keys(sd)).toEqual([
      'scale', 'fc1.weight', 'fc1.bias', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked', 'fc2.weight', 'fc2.bias',
    ]);
    // copies, not views
    sd['fc1.weight']!.data[0] = 123;
    expect(a.fc1.weight.data[0]).not.toBe(123);
    sd['fc1.weight']!.data[0] = a.fc1.weight.data[0]!;
    const b = new MLP();
    b.fc1.weight.data.fill(0);
    const res = b.loadStateDict(sd);
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    for (const [k, v] of Object.entries(b.stateDict())) expect(Array.from(v.data)).toEqual(Array.from(sd[k]!.data));
    a.eval();
    b.eval();
    const x = randn([2, 3], { dtype: 'float64', generator: new Generator(4) });
    expect(Array.from(b.call(x).data)).toEqual(Array.from(a.call(x).data));
  });

  it('loadStateDict is all-or-nothing and names keys and shapes', () => {
    const m = new MLP();
    const before = m.stateDict();
    const sd = new MLP().stateDict();
    for (const v of Object.values(sd)) v.data.fill(7);
    sd['fc2.weight'] = zeros([3, 4], { dtype: 'float64' });
    let err: unknown;
    try {
      m.loadStateDict(sd);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateDictError);
    expect(String((err as Error).message)).toContain("key 'fc2.weight': shape mismatch: the module has [2, 4], the dict has [3, 4]");
    for (const [k, v] of Object.entries(m.stateDict())) expect(Array.from(v.data)).toEqual(Array.from(before[k]!.data));

    const missing = new MLP().stateDict();
    delete missing['bn.running_var'];
    missing['bogus'] = zeros([1], { dtype: 'float64' });
    missing['fc1.bias'] = zeros([4], { dtype: 'float32' });
    try {
      m.loadStateDict(missing);
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain("missing key 'bn.running_var'");
      expect(msg).toContain("unexpected key 'bogus'");
      expect(msg).toContain("key 'fc1.bias': dtype mismatch: the module has float64, the dict has float32");
      expect((e as StateDictError).problems).toHaveLength(3);
    }
    for (const [k, v] of Object.entries(m.stateDict())) expect(Array.from(v.data)).toEqual(Array.from(before[k]!.data));
  });

  it('non-strict loading allows missing and unexpected keys', () => {
    const m = new MLP();
    const sd = new MLP().stateDict();
    sd['fc1.weight']!.data.fill(0.25);
    delete sd['scale'];
    sd['other'] = zeros([1]);
    const res = m.loadStateDict(sd, { strict: false });
    expect(res).toEqual({ missingKeys: ['scale'], unexpectedKeys: ['other'] });
    expect(m.fc1.weight.data[0]).toBe(0.25);
    const bad = new MLP().stateDict();
    bad['fc1.weight'] = zeros([1, 1], { dtype: 'float64' });
    expect(() => m.loadStateDict(bad, { strict: false })).toThrow(/shape mismatch/);
  });

  it('to(dtype) converts parameters and buffers (shared parameters stay shared)', () => {
    const m = new MLP();
    m.fc1.weight.requiresGrad = false;
    const before = m.stateDict();
    m.to('float32');
    expect(m.parameters().every((p) => p.dtype === 'float32' && p instanceof Parameter)).toBe(true);
    expect(m.buffers().every((b) => b.dtype === 'float32')).toBe(true);
    expect(m.fc1.weight.requiresGrad).toBe(false);
    expect(m.fc2.weight.requiresGrad).toBe(true);
    for (const [k, v] of Object.entries(m.stateDict())) {
      Array.from(v.data).forEach((x, i) => expect(x).toBeCloseTo(before[k]!.data[i]!, 6));
    }
    m.eval();
    expect(m.call(randn([2, 3], { generator: new Generator(1) })).dtype).toBe('float32');
    const shared = new Parameter(zeros([2]));
    class Two extends Module {
      a = new Linear(2, 2);
      b = new Linear(2, 2);
      constructor() { super(); this.a.bias = shared; this.b.bias = shared; }
      forward(x: Tensor): Tensor { return x; }
    }
    const two = new Two().to('float64');
    expect(two.a.bias).toBe(two.b.bias);
    expect(two.a.bias!.dtype).toBe('float64');
    expect(two.parameters()).toHaveLength(3);
  });

  it('arrays of modules are children named key.i', () => {
    class Stack extends Module {
      layers = [new Linear(2, 2), new Linear(2, 2)];
      forward(x: Tensor): Tensor { return this.layers.reduce((y, l) => l.call(y), x); }
    }
    expect(new Stack().namedParameters().map(([n]) => n)).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
  });

  it('toString prints a tree; requiresGrad_ freezes', () => {
    const s = new Sequential(new Linear(2, 3), new Sequential(new ReLU(), new Dropout(0.2)));
    const str = s.toString();
    expect(str).toContain('Sequential(');
    expect(str).toContain('(1): Sequential(');
    expect(str).toContain('(1): Dropout(p=0.2)');
    s.requiresGrad_(false);
    expect(s.numParameters({ onlyTrainable: true })).toBe(0);
    expect(s.numParameters()).toBe(9);
  });
});
