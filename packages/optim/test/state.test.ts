import { describe, expect, it } from 'vitest';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, NAdam, RMSprop, SGD } from '../src/index.ts';
import type { Optimizer, OptimizerStateDict, ParamLike } from '../src/index.ts';
import { param } from './helpers.ts';

type Make = (ps: ParamLike[] | { params: ParamLike[]; [k: string]: unknown }[]) => Optimizer<any, any>;

const makers: Array<[string, Make]> = [
  ['SGD', (ps) => new SGD(ps as any, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['Adagrad', (ps) => new Adagrad(ps as any, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 })],
  ['RMSprop', (ps) => new RMSprop(ps as any, { momentum: 0.5, centered: true })],
  ['Adam', (ps) => new Adam(ps as any, { lr: 0.05, amsgrad: true })],
  ['AdamW', (ps) => new AdamW(ps as any, { lr: 0.05 })],
  ['Adadelta', (ps) => new Adadelta(ps as any, { weightDecay: 0.01 })],
  ['NAdam', (ps) => new NAdam(ps as any, { lr: 0.05 })],
  ['Adamax', (ps) => new Adamax(ps as any, { lr: 0.05 })],
];

const grad = (x: Float64Array, t: number) => new Float64Array(Array.from(x, (v, i) => 2 * v - 1 + Math.cos(t * (i + 1))));

function makeParams() {
  return [param([1, -2, 0.5]), param([0.25, 4]), param([7], null)];
}

function stepAll(opt: Optimizer<any, any>, ps: ReturnType<typeof makeParams>, from: number, to: number) {
  for (let t = from; t <= to; t++) {
    for (const p of ps.slice(0, 2)) p.grad = { data: grad(p.data, t) };
    opt.step();
  }
}

describe.each(makers)('%s stateDict', (name, make) => {
  const groups = (ps: ParamLike[]) => [{ params: [ps[0], ps[2]] }, { params: [ps[1]], lr: 0.02 }];

  it('round-trips through JSON: the resumed optimizer takes identical steps', () => {
    const a = makeParams();
    const optA = make(groups(a));
    stepAll(optA, a, 1, 3);
    const saved = JSON.parse(JSON.stringify(optA.stateDict())) as OptimizerStateDict;
    expect(saved.optimizer).toBe(name);
    expect(saved.paramGroups.map((g) => g.params)).toEqual([[0, 1], [2]]);
    expect(Object.keys(saved.state).sort()).toEqual(['0', '2']);
    expect(saved.state['0'].step).toBe(3);

    const b = makeParams();
    b.forEach((p, i) => p.data.set(a[i].data));
    const optB = make(groups(b).map((g) => ({ ...g, lr: 0.9 })));
    optB.loadStateDict(saved);
    expect(optB.paramGroups.map((g) => g.lr)).toEqual(optA.paramGroups.map((g) => g.lr));
    stepAll(optA, a, 4, 6);
    stepAll(optB, b, 4, 6);
    for (let i = 0; i < 3; i++) expect(Array.from(b[i].data)).toEqual(Array.from(a[i].data));
    expect(optB.stateDict()).toEqual(optA.stateDict());
  });

  it('stateDict is a deep copy', () => {
    const a = makeParams();
    const opt = make(groups(a));
    stepAll(opt, a, 1, 2);
    const sd = opt.stateDict();
    const before = JSON.stringify(sd);
    stepAll(opt, a, 3, 3);
    expect(JSON.stringify(sd)).toBe(before);
  });

  const corruptions: Array<[string, (s: any) => void]> = [
    ['wrong optimizer name', (s) => (s.optimizer = 'Other')],
    ['missing paramGroups', (s) => delete s.paramGroups],
    ['group count', (s) => s.paramGroups.pop()],
    ['param count', (s) => s.paramGroups[0].params.pop()],
    ['duplicate param id', (s) => (s.paramGroups[1].params = [0])],
    ['bad lr', (s) => (s.paramGroups[1].lr = -1)],
    ['unknown option', (s) => (s.paramGroups[0].bogus = 1)],
    ['missing option', (s) => delete s.paramGroups[0].lr],
    ['unknown state id', (s) => (s.state['9'] = s.state['0'])],
    ['bad step', (s) => (s.state['0'].step = -1)],
    ['short buffer', (s) => {
      const k = Object.keys(s.state['0']).find((k) => Array.isArray(s.state['0'][k]));
      if (k) s.state['0'][k].pop();
      else s.state['0'].step = 1.5;
    }],
    ['unknown state entry', (s) => (s.state['0'].extra = [1, 2, 3])],
    ['null state', (s) => (s.state = null)],
  ];

  it.each(corruptions)('an invalid state dict (%s) throws and changes nothing', (_label, corrupt) => {
    const a = makeParams();
    const opt = make(groups(a));
    stepAll(opt, a, 1, 2);
    const good = opt.stateDict();
    const other = makeParams();
    const donor = make(groups(other));
    stepAll(donor, other, 1, 5);
    const bad = JSON.parse(JSON.stringify(donor.stateDict()));
    corrupt(bad);
    expect(() => opt.loadStateDict(bad)).toThrow(new RegExp(`^${name}: invalid state dict`));
    expect(opt.stateDict()).toEqual(good);
  });
});

describe('loadStateDict details', () => {
  it('rejects a non-object and a buffer with a non-number', () => {
    const p = param([1, 2], [1, 1]);
    const opt = new Adam([p]);
    opt.step();
    expect(() => opt.loadStateDict(null)).toThrow(/Adam: invalid state dict/);
    const sd = JSON.parse(JSON.stringify(opt.stateDict()));
    sd.state['0'].expAvg[1] = 'x';
    expect(() => opt.loadStateDict(sd)).toThrow(/non-number/);
  });

  it('loaded buffers take the parameter dtype', () => {
    const p = { data: new Float32Array([1, 2]), shape: [2], grad: { data: new Float32Array([0.5, 0.5]) } };
    const opt = new Adam([p]);
    opt.step();
    const sd = JSON.parse(JSON.stringify(opt.stateDict()));
    const q = { data: new Float32Array([1, 2]), shape: [2], grad: null };
    const opt2 = new Adam([q]);
    opt2.loadStateDict(sd);
    expect(opt2.getState(q)!.expAvg).toBeInstanceOf(Float32Array);
    expect(Array.from(opt2.getState(q)!.expAvg)).toEqual(Array.from(opt.getState(p)!.expAvg));
  });

  it('hyperparameters in a loaded group are validated with the constructor rules', () => {
    const p = param([1], [1]);
    const opt = new SGD([p], { momentum: 0.9 });
    const sd = opt.stateDict();
    sd.paramGroups[0].nesterov = true;
    sd.paramGroups[0].dampening = 0.5;
    expect(() => opt.loadStateDict(sd)).toThrow(/SGD: invalid state dict: group 0: .*Nesterov/);
    expect(opt.paramGroups[0].nesterov).toBe(false);
  });

  it('keeps NAdam muProduct as a scalar', () => {
    const p = param([1], [1]);
    const opt = new NAdam([p]);
    opt.step();
    opt.step();
    const sd = opt.stateDict();
    expect(typeof sd.state['0'].muProduct).toBe('number');
    expect(sd.state['0'].muProduct).toBeLessThan(1);
  });
});

describe('argument validation', () => {
  const p = () => param([1], [1]);
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['negative lr', () => new SGD([p()], { lr: -0.1 }), /^SGD: learning rate must be non-negative, got -0\.1$/],
    ['NaN lr', () => new Adam([p()], { lr: NaN }), /^Adam: learning rate must be a number, got NaN$/],
    ['string lr', () => new Adam([p()], { lr: '0.1' as any }), /^Adam: learning rate must be a number, got "0\.1"$/],
    ['infinite lr', () => new Adam([p()], { lr: Infinity }), /^Adam: learning rate must be non-negative, got Infinity$/],
    ['beta1 >= 1', () => new Adam([p()], { betas: [1.2, 0.999] }), /^Adam: betas\[0\] must be in \[0, 1\), got 1\.2$/],
    ['beta2 < 0', () => new AdamW([p()], { betas: [0.9, -0.1] }), /^AdamW: betas\[1\] must be in \[0, 1\), got -0\.1$/],
    ['betas not a pair', () => new NAdam([p()], { betas: [0.9] as any }), /^NAdam: betas must be a pair/],
    ['Adamax beta', () => new Adamax([p()], { betas: [0.9, 1] }), /^Adamax: betas\[1\] must be in \[0, 1\), got 1$/],
    ['negative eps', () => new Adam([p()], { eps: -1e-8 }), /^Adam: epsilon must be non-negative, got -1e-8$/],
    ['negative weight decay', () => new AdamW([p()], { weightDecay: -0.01 }), /^AdamW: weight decay must be non-negative, got -0\.01$/],
    ['negative momentum', () => new SGD([p()], { momentum: -0.5 }), /^SGD: momentum must be non-negative, got -0\.5$/],
    ['nesterov without momentum', () => new SGD([p()], { nesterov: true }), /^SGD: Nesterov momentum requires momentum > 0 and dampening = 0/],
    ['nesterov with dampening', () => new SGD([p()], { nesterov: true, momentum: 0.9, dampening: 0.1 }), /^SGD: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum 0\.9 and dampening 0\.1$/],
    ['non-boolean nesterov', () => new SGD([p()], { momentum: 0.9, nesterov: 1 as any }), /^SGD: nesterov must be a boolean, got 1$/],
    ['Adagrad lrDecay', () => new Adagrad([p()], { lrDecay: -1 }), /^Adagrad: lr decay must be non-negative, got -1$/],
    ['Adagrad initial accumulator', () => new Adagrad([p()], { initialAccumulatorValue: -1 }), /^Adagrad: initial accumulator value must be non-negative, got -1$/],
    ['RMSprop alpha', () => new RMSprop([p()], { alpha: 1.5 }), /^RMSprop: alpha must be in \[0, 1\], got 1\.5$/],
    ['RMSprop momentum', () => new RMSprop([p()], { momentum: -1 }), /^RMSprop: momentum must be non-negative, got -1$/],
    ['Adadelta rho', () => new Adadelta([p()], { rho: 1.1 }), /^Adadelta: rho must be in \[0, 1\], got 1\.1$/],
    ['NAdam momentum decay', () => new NAdam([p()], { momentumDecay: -1 }), /^NAdam: momentum decay must be non-negative, got -1$/],
    ['empty params', () => new Adam([]), /^Adam: optimizer got an empty parameter list$/],
    ['not an array', () => new Adam(undefined as any), /^Adam: params must be an array/],
    ['not a parameter', () => new SGD([{ data: [1, 2] } as any]), /^SGD: parameter 0 of group 0 is not a parameter/],
    ['unknown option', () => new SGD([p()], { momentun: 0.9 } as any), /^SGD: unknown option 'momentun'$/],
    ['bad group option', () => new SGD([{ params: [p()] }, { params: [p()], lr: -1 }]), /^SGD: learning rate must be non-negative, got -1$/],
    ['same param in two groups', () => {
      const q = p();
      return new Adam([{ params: [q] }, { params: [q] }]);
    }, /^Adam: some parameters appear in more than one parameter group \(groups 0 and 1\)$/],
    ['same param twice in a group', () => {
      const q = p();
      return new Adam([q, q]);
    }, /^Adam: parameter group 0 contains the same parameter more than once$/],
  ];

  it.each(cases)('%s', (_label, f, re) => {
    expect(f).toThrow(re);
  });

  it('accepts any iterable of parameters or groups (e.g. a generator), not a bare parameter', () => {
    const a = p();
    const b = p();
    function* gen() {
      yield a;
      yield b;
    }
    expect(new SGD(gen()).paramGroups[0].params).toEqual([a, b]);
    expect(new SGD(new Set([a])).paramGroups[0].params).toEqual([a]);
    expect(new SGD([{ params: new Set([a]) }, { params: gen2(b) }]).paramGroups[1].params).toEqual([b]);
    function* gen2(x: ParamLike) {
      yield x;
    }
    expect(() => new SGD(a as any)).toThrow(/^SGD: params must be an array \(or iterable\)/);
    expect(() => new SGD([{ params: a as any }])).toThrow(/^SGD: parameter group 0 must be an object with a params array$/);
    function* empty(): Generator<ParamLike> {}
    expect(() => new SGD(empty())).toThrow(/empty parameter list/);
  });

  it('lr = 0 is allowed (PyTorch allows it, and schedules may reach it)', () => {
    expect(() => new SGD([p()], { lr: 0 })).not.toThrow();
  });

  it('undefined options fall back to defaults', () => {
    const opt = new Adam([p()], { lr: undefined, eps: 1e-6 });
    expect(opt.paramGroups[0].lr).toBe(1e-3);
    expect(opt.paramGroups[0].eps).toBe(1e-6);
  });

  it('defaults match PyTorch', () => {
    const q = p();
    expect(new SGD([q]).defaults).toEqual({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(new Adagrad([q]).defaults).toMatchObject({ lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
    expect(new RMSprop([q]).defaults).toMatchObject({ lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false });
    expect(new Adam([q]).defaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(new AdamW([q]).defaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false });
    expect(new Adadelta([q]).defaults).toMatchObject({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0 });
    expect(new NAdam([q]).defaults).toMatchObject({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 });
    expect(new Adamax([q]).defaults).toMatchObject({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
  });

  it('a failed constructor or addParamGroup has no partial effect', () => {
    const q = p();
    const opt = new SGD([q]);
    expect(() => opt.addParamGroup({ params: [p()], lr: -1 })).toThrow();
    expect(opt.paramGroups).toHaveLength(1);
  });
});
