import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, GraphError, checkDerivation, grad, scalar, tensor, type DerivationDiagnosis, type HandFormula, type Tensor } from '../../src/index.ts';

type P = Record<string, Tensor>;
type N = Record<string, any>;
const named = (t: Tensor, name: string): Tensor => {
  t.name = name;
  return t;
};
const sig = (z: number): number => 1 / (1 + Math.exp(-z));

/** Runs checkDerivation and returns the diagnosis of every formula, keyed by name. */
function diagnoses(f: (p: P) => Tensor, hand: Record<string, HandFormula>, options: Parameters<typeof checkDerivation>[2]): Record<string, DerivationDiagnosis> {
  const report = checkDerivation(f, hand, options);
  return Object.fromEntries(report.checks.map((c) => [c.name, c.diagnosis]));
}

// ----------------------------------------------------------------------------- network A: the lecture's 2-2-1
const lectureAt = { x1: 0.35, x2: 0.9, t: 0.5, w13: 0.1, w23: 0.8, w14: 0.4, w24: 0.6, w35: 0.3, w45: 0.9 };
function lecture(p: P): Tensor {
  const y3 = named(p.w13!.mul(p.x1!).add(p.w23!.mul(p.x2!)).sigmoid(), 'y3');
  const y4 = named(p.w14!.mul(p.x1!).add(p.w24!.mul(p.x2!)).sigmoid(), 'y4');
  const y5 = named(named(p.w35!.mul(y3).add(p.w45!.mul(y4)), 'a3').sigmoid(), 'y5');
  return y5.sub(p.t!).square().mul(0.5);
}
function lectureForward(p: N) {
  const y3 = sig(p.w13 * p.x1 + p.w23 * p.x2);
  const y4 = sig(p.w14 * p.x1 + p.w24 * p.x2);
  const y5 = sig(p.w35 * y3 + p.w45 * y4);
  const d5 = (y5 - p.t) * y5 * (1 - y5); // dL/da3
  return { y3, y4, y5, d5, d3: d5 * p.w35 * y3 * (1 - y3), d4: d5 * p.w45 * y4 * (1 - y4) };
}
const A = (g: (v: ReturnType<typeof lectureForward>, p: N) => number): HandFormula => (p) => g(lectureForward(p), p);
const lectureCorrect: Record<string, HandFormula> = {
  w35: A((v) => v.d5 * v.y3),
  w45: A((v) => v.d5 * v.y4),
  w13: A((v, p) => v.d3 * p.x1),
  w23: A((v, p) => v.d3 * p.x2),
  w14: A((v, p) => v.d4 * p.x1),
  w24: A((v, p) => v.d4 * p.x2),
  x1: A((v, p) => v.d3 * p.w13 + v.d4 * p.w14),
};
const lectureOptions = { at: lectureAt, fixed: ['t'] };

// ----------------------------------------------------------------------------- network B: seed 004's 3 -> 2 ReLU -> 2 sigmoid -> 1 sigmoid
const I3 = [1, 2, 3];
const J2 = [1, 2];
const assignAt: Record<string, number> = { t: 0.7, x1: 0.5, x2: -0.3, x3: 0.8 };
[0.2, -0.4, 0.6, 0.3, 0.5, -0.1].forEach((v, i) => (assignAt[`a${I3[i >> 1]}${J2[i & 1]}`] = v));
[0.7, -0.5, 0.4, 0.9].forEach((v, i) => (assignAt[`b${J2[i >> 1]}${J2[i & 1]}`] = v));
assignAt.c1 = 0.6;
assignAt.c2 = -0.8;
function assignment(p: P): Tensor {
  const h = J2.map((j) => named(I3.map((i) => p[`a${i}${j}`]!.mul(p[`x${i}`]!)).reduce((s, v) => s.add(v)).relu(), `h${j}`));
  const s = J2.map((k) => named(J2.map((j) => p[`b${j}${k}`]!.mul(h[j - 1]!)).reduce((u, v) => u.add(v)).sigmoid(), `s${k}`));
  const y = named(J2.map((k) => p[`c${k}`]!.mul(s[k - 1]!)).reduce((u, v) => u.add(v)).sigmoid(), 'y');
  return y.sub(p.t!).square().mul(0.5);
}
function assignForward(p: N) {
  const z = J2.map((j) => I3.reduce((acc, i) => acc + p[`a${i}${j}`] * p[`x${i}`], 0));
  const h = z.map((v) => Math.max(v, 0));
  const s = J2.map((k) => sig(J2.reduce((acc, j) => acc + p[`b${j}${k}`] * h[j - 1]!, 0)));
  const y = sig(J2.reduce((acc, k) => acc + p[`c${k}`] * s[k - 1]!, 0));
  const dy = (y - p.t) * y * (1 - y);
  const ds = J2.map((k) => dy * p[`c${k}`] * s[k - 1]! * (1 - s[k - 1]!));
  const dhRaw = J2.map((j) => J2.reduce((acc, k) => acc + ds[k - 1]! * p[`b${j}${k}`], 0)); // before relu'
  const dz = dhRaw.map((v, j) => (z[j]! > 0 ? v : 0));
  return { z, h, s, y, dy, ds, dhRaw, dz };
}
const B = (g: (v: ReturnType<typeof assignForward>, p: N) => number): HandFormula => (p) => g(assignForward(p), p);
const assignCorrect: Record<string, HandFormula> = {
  c1: B((v) => v.dy * v.s[0]!),
  b21: B((v) => v.ds[0]! * v.h[1]!),
  a11: B((v, p) => v.dz[0]! * p.x1),
  a32: B((v, p) => v.dz[1]! * p.x3),
};
// 10 points: a relu unit is dead at about half of them
const assignOptions = { at: assignAt, fixed: ['t'], points: 10 };

// ----------------------------------------------------------------------------- network C: x [4,3] @ W [3,2], tanh, mean squared loss
const tensorAt = {
  x: [[0.5, -0.3, 0.8], [0.1, 0.9, -0.6], [-0.4, 0.2, 0.7], [0.3, -0.8, 0.5]],
  W: [[0.2, -0.5], [0.7, 0.3], [-0.1, 0.6]],
  T: [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2], [0.6, -0.1]],
};
// per sample the squared error summed over the outputs, averaged over the batch of m = 4
const tensorNet = (p: P): Tensor => named(p.x!.matmul(p.W!).tanh(), 'y').sub(p.T!).square().sum({ axis: 1 }).mean();
const C = (g: (v: { x: Tensor; y: Tensor; e: Tensor; dpre: Tensor }) => Tensor): HandFormula => ({ x, W, T }) => {
  const y = (x as Tensor).matmul(W as Tensor).tanh();
  const e = y.sub(T as Tensor).mul(2 / 4); // dL/dy
  return g({ x: x as Tensor, y, e, dpre: e.mul(y.square().neg().add(1)) });
};
const tensorCorrect = C(({ x, dpre }) => x.T.matmul(dpre));
const tensorOptions = { at: tensorAt, fixed: ['T'] };

// ----------------------------------------------------------------------------- network D: a tied-weight tensor autoencoder (W on two paths)
const tiedAt = { x: tensorAt.x, W: tensorAt.W };
const tied = (p: P): Tensor => named(named(p.x!.matmul(p.W!).tanh(), 'h').matmul(p.W!.T), 'r').sub(p.x!).square().mean();
const D = (g: (v: { dec: Tensor; enc: Tensor }) => Tensor): HandFormula => ({ x, W }) => {
  const h = (x as Tensor).matmul(W as Tensor).tanh();
  const G = h.matmul((W as Tensor).T).sub(x as Tensor).mul(2 / 12); // dL/dr
  const dec = G.T.matmul(h); // the decoder path (through W.T)
  const enc = (x as Tensor).T.matmul(G.matmul(W as Tensor).mul(h.square().neg().add(1))); // the encoder path
  return g({ dec, enc });
};
const tiedOptions = { at: tiedAt, fixed: ['x'] };

describe('checkDerivation: correct formulas', () => {
  it('says ok for every correct formula of the four networks', () => {
    expect.hasAssertions();
    const a = checkDerivation(lecture, lectureCorrect, lectureOptions);
    expect(a.ok).toBe(true);
    expect(a.checks.every((c) => c.agreed === 6 && c.points === 6)).toBe(true);
    expect(checkDerivation(assignment, assignCorrect, assignOptions).ok).toBe(true);
    expect(checkDerivation(tensorNet, { W: tensorCorrect }, tensorOptions).ok).toBe(true);
    expect(checkDerivation(tied, { W: D(({ dec, enc }) => dec.add(enc)) }, tiedOptions).ok).toBe(true);
  });

  it('reports expected and got at every point, and a table', () => {
    expect.hasAssertions();
    const r = checkDerivation(lecture, { w35: lectureCorrect.w35! }, { ...lectureOptions, points: 3 });
    const c = r.get('w35')!;
    expect(c.expected).toHaveLength(4);
    expect(c.got).toHaveLength(4);
    expect(c.expected[0]![0]).toBeCloseTo(0.5 * 0 + (0.6903 - 0.5) * 0.6903 * (1 - 0.6903) * 0.68, 3);
    expect(r.pointLabels).toEqual(['at', '1', '2', '3']);
    expect(r.toString()).toContain('w35');
    expect(r.toString()).toContain('4/4 points agree');
  });
});

describe('checkDerivation: planted mistakes', () => {
  it('sign', () => {
    expect.hasAssertions();
    const neg = (h: HandFormula): HandFormula => (p) => {
      const v = h(p);
      return typeof v === 'number' ? -v : (v as Tensor).neg();
    };
    expect(diagnoses(lecture, { w13: neg(lectureCorrect.w13!) }, lectureOptions).w13).toBe('sign');
    expect(diagnoses(assignment, { b21: neg(assignCorrect.b21!) }, assignOptions).b21).toBe('sign');
    expect(diagnoses(tensorNet, { W: neg(tensorCorrect) }, tensorOptions).W).toBe('sign');
    expect(checkDerivation(tensorNet, { W: neg(tensorCorrect) }, tensorOptions).get('W')!.factor).toBe(-1);
  });

  it('scale, naming the 1/2 of a squared loss, the batch size and the learning rate', () => {
    expect.hasAssertions();
    const a = checkDerivation(lecture, { w14: A((v, p) => 2 * v.d4 * p.x1) }, lectureOptions).get('w14')!;
    expect(a.diagnosis).toBe('scale');
    expect(a.factor).toBeCloseTo(2, 9);
    expect(a.explanation).toContain('1/2 of the squared loss');
    const b = checkDerivation(assignment, { c1: B((v) => 0.1 * v.dy * v.s[0]!) }, { ...assignOptions, lr: 0.1 }).get('c1')!;
    expect(b.diagnosis).toBe('scale');
    expect(b.explanation).toContain('learning rate');
    const c = checkDerivation(tensorNet, { W: C(({ x, dpre }) => x.T.matmul(dpre).mul(4)) }, tensorOptions).get('W')!;
    expect(c.diagnosis).toBe('scale');
    expect(c.explanation).toContain('m = 4');
    expect(c.explanation).toContain('batch');
    const d = checkDerivation(tensorNet, { W: C(({ x, dpre }) => x.T.matmul(dpre).mul(0.5)) }, { ...tensorOptions, batchSize: 4 }).get('W')!;
    expect(d.explanation).toContain('½');
  });

  it('missing-factor: the sigmoid, tanh and relu derivatives and a multiplied input', () => {
    expect.hasAssertions();
    const a = checkDerivation(lecture, { w45: A((v, p) => (v.y5 - p.t) * v.y4) }, lectureOptions).get('w45')!;
    expect(a.diagnosis).toBe('missing-factor');
    expect(a.node).toBe('y5');
    expect(a.formula).toBe('y5(1-y5)');
    // the input x1 forgotten in dL/dw13 = d3 · x1
    const a2 = checkDerivation(lecture, { w13: A((v) => v.d3) }, lectureOptions).get('w13')!;
    expect(a2.diagnosis).toBe('missing-factor');
    expect(a2.formula).toBe('x1');
    // seed 004: the sigmoid derivative of s1 dropped in dL/db21, and relu' dropped in dL/da11
    const b = checkDerivation(assignment, { b21: B((v, p) => v.dy * p.c1 * v.h[1]!) }, assignOptions).get('b21')!;
    expect(b.diagnosis).toBe('missing-factor');
    expect(b.formula).toBe('s1(1-s1)');
    const b2 = checkDerivation(assignment, { a11: B((v, p) => v.dhRaw[0]! * p.x1) }, assignOptions).get('a11')!;
    expect(b2.diagnosis).toBe('missing-factor');
    expect(b2.node).toBe('h1');
    expect(b2.formula).toMatch(/^relu'/);
    const c = checkDerivation(tensorNet, { W: C(({ x, e }) => x.T.matmul(e)) }, tensorOptions).get('W')!;
    expect(c.diagnosis).toBe('missing-factor');
    expect(c.formula).toBe('1-y²');
  });

  it('extra-factor', () => {
    expect.hasAssertions();
    const a = checkDerivation(lecture, { w35: A((v) => v.d5 * v.y5 * (1 - v.y5) * v.y3) }, lectureOptions).get('w35')!;
    expect(a.diagnosis).toBe('extra-factor');
    expect(a.formula).toBe('y5(1-y5)');
    const b = checkDerivation(assignment, { c1: B((v) => v.dy * v.y * (1 - v.y) * v.s[0]!) }, assignOptions).get('c1')!;
    expect(b.diagnosis).toBe('extra-factor');
    expect(b.node).toBe('y');
    const c = checkDerivation(tensorNet, { W: C(({ x, y, dpre }) => x.T.matmul(dpre.mul(y.square().neg().add(1)))) }, tensorOptions).get('W')!;
    expect(c.diagnosis).toBe('extra-factor');
    expect(c.formula).toBe('1-y²');
  });

  it('missing-path', () => {
    expect.hasAssertions();
    const a = checkDerivation(lecture, { x1: A((v, p) => v.d3 * p.w13) }, lectureOptions).get('x1')!;
    expect(a.diagnosis).toBe('missing-path');
    expect(a.paths).toHaveLength(1);
    expect(a.paths![0]).toContain('y4');
    // seed 004: dL/da11 through s1 only (the path through s2 forgotten)
    const b = checkDerivation(assignment, { a11: B((v, p) => (v.z[0]! > 0 ? v.ds[0]! * p.b11 : 0) * p.x1) }, assignOptions).get('a11')!;
    expect(b.diagnosis).toBe('missing-path');
    expect(b.paths![0]).toContain('s2');
    // tied weights: the decoder path only
    const c = checkDerivation(tied, { W: D(({ dec }) => dec) }, tiedOptions).get('W')!;
    expect(c.diagnosis).toBe('missing-path');
    expect(c.paths![0]).toContain('h');
  });

  it('extra-path', () => {
    expect.hasAssertions();
    // dL/dw24 with the path of x2 through y3 (a path of w23) added
    const a = checkDerivation(lecture, { w24: A((v, p) => v.d4 * p.x2 + v.d3 * p.x2) }, lectureOptions).get('w24')!;
    expect(a.diagnosis).toBe('extra-path');
    expect(a.paths![0]).toContain('a path of w23');
    // seed 004: the path through s1 counted twice
    const b = checkDerivation(assignment, { a11: B((v, p) => (v.z[0]! > 0 ? 2 * v.ds[0]! * p.b11 + v.ds[1]! * p.b12 : 0) * p.x1) }, assignOptions).get('a11')!;
    expect(b.diagnosis).toBe('extra-path');
    expect(b.paths![0]).toContain('counted twice');
    const c = checkDerivation(tied, { W: D(({ dec, enc }) => dec.add(enc).add(enc)) }, tiedOptions).get('W')!;
    expect(c.diagnosis).toBe('extra-path');
  });

  it('swapped, and a transposed matrix', () => {
    expect.hasAssertions();
    const a = checkDerivation(lecture, { w23: lectureCorrect.w13!, w13: lectureCorrect.w13! }, lectureOptions);
    expect(a.get('w23')!.diagnosis).toBe('swapped');
    expect(a.get('w23')!.swappedWith).toBe('w13');
    expect(a.get('w13')!.diagnosis).toBe('ok');
    const b = checkDerivation(assignment, { a32: B((v, p) => v.dz[0]! * p.x3), c1: B((v) => v.dy * v.s[1]!) }, assignOptions);
    expect(b.get('a32')!.diagnosis).toBe('swapped');
    expect(b.get('a32')!.swappedWith).toBe('a31');
    expect(b.get('c1')!.swappedWith).toBe('c2');
    const c = checkDerivation(tensorNet, { W: C(({ x, dpre }) => dpre.T.matmul(x)) }, tensorOptions).get('W')!;
    expect(c.diagnosis).toBe('swapped');
    expect(c.transposed).toBe(true);
    expect(c.swappedWith).toBe('W');
  });

  it('wrong, with the relative error', () => {
    expect.hasAssertions();
    const a = checkDerivation(lecture, { w13: A((v, p) => v.d3 * p.x1 + 0.01) }, lectureOptions).get('w13')!;
    expect(a.diagnosis).toBe('wrong');
    expect(a.relativeError).toBeGreaterThan(1e-3);
    expect(a.agreed).toBe(0);
    expect(diagnoses(assignment, { b21: B((v) => v.dy * v.h[1]! * v.h[0]!) }, assignOptions).b21).toBe('wrong');
    expect(diagnoses(tensorNet, { W: C(({ x, dpre }) => x.T.matmul(dpre.square())) }, tensorOptions).W).toBe('wrong');
    // a shape that does not fit is wrong too
    const d = checkDerivation(tensorNet, { W: () => [1, 2, 3] }, tensorOptions).get('W')!;
    expect(d.diagnosis).toBe('wrong');
    expect(d.explanation).toContain('shape [3]');
  });
});

describe('checkDerivation: arguments', () => {
  it('throws typed errors naming checkDerivation and the argument', () => {
    expect.hasAssertions();
    const bad: [unknown, unknown, unknown, RegExp][] = [
      [42, {}, {}, /argument 'f'/],
      [lecture, null, { at: lectureAt }, /argument 'hand'/],
      [lecture, {}, { at: lectureAt }, /names no formula/],
      [lecture, { w13: 3 }, { at: lectureAt }, /'w13' must be a function/],
      [lecture, { w99: () => 0 }, { at: lectureAt }, /'w99' is not an input/],
      [lecture, { w13: () => 0 }, undefined, /option 'at'/],
      [lecture, { w13: () => 0 }, { at: { ...lectureAt, x1: NaN } }, /must be finite/],
      [lecture, { w13: () => 0 }, { at: lectureAt, points: -1 }, /option 'points'/],
      [lecture, { w13: () => 0 }, { at: lectureAt, rtol: 2 }, /option 'rtol'/],
      [lecture, { w13: () => 0 }, { at: lectureAt, fixed: ['q'] }, /option 'fixed'/],
      [lecture, { w13: () => 0 }, { at: lectureAt, bogus: 1 }, /unknown option/],
      [lecture, { w13: () => 'x' }, { at: lectureAt }, /hand formula 'w13'/],
      [() => 3, { w13: () => 0 }, { at: lectureAt }, /must return a Tensor/],
    ];
    for (const [f, hand, options, message] of bad) {
      let caught: unknown;
      try {
        checkDerivation(f as never, hand as never, options as never);
      } catch (e) {
        caught = e;
      }
      expect(caught, String(message)).toBeInstanceOf(ArgumentError);
      expect((caught as Error).message).toMatch(/^checkDerivation: /);
      expect((caught as Error).message).toMatch(message);
    }
    expect(() => checkDerivation((p: P) => p.W!, { W: () => [[0]] }, { shapes: { W: [2, 2] } })).toThrow(GraphError);
  });

  it('accepts named scalars and shapes instead of values', () => {
    expect.hasAssertions();
    const w = scalar(0.3, { name: 'w' });
    const r = checkDerivation((p: P) => p.w!.mul(p.x!).square(), { w: ({ w, x }) => 2 * w * x * x }, { at: { w, x: tensor(2, { dtype: 'float32' }) } });
    expect(r.ok).toBe(true);
    expect(checkDerivation((p: P) => p.v!.square().sum(), { v: ({ v }) => (v as Tensor).mul(2) }, { shapes: { v: [3] } }).ok).toBe(true);
  });
});

// ----------------------------------------------------------------------------- property: correct formulas are never flagged
const ACTS = ['sigmoid', 'tanh', 'relu', 'square'] as const;
const netArb = fc.record({
  widths: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
  acts: fc.array(fc.constantFrom(...ACTS), { minLength: 3, maxLength: 3 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});

function randomNet(widths: number[], acts: readonly (typeof ACTS)[number][]) {
  const sizes = [2, ...widths, 1];
  const names: string[] = ['x0', 'x1'];
  for (let l = 0; l + 1 < sizes.length; l++) for (let i = 0; i < sizes[l]!; i++) for (let j = 0; j < sizes[l + 1]!; j++) names.push(`w${l}_${i}${j}`);
  const f = (p: P): Tensor => {
    let layer = [p.x0!, p.x1!];
    for (let l = 0; l + 1 < sizes.length; l++) {
      layer = Array.from({ length: sizes[l + 1]! }, (_, j) => {
        const z = layer.map((u, i) => p[`w${l}_${i}${j}`]!.mul(u)).reduce((s, v) => s.add(v));
        return (z as any)[acts[l % acts.length]!]() as Tensor;
      });
    }
    return layer[0]!.sub(0.3).square().mul(0.5);
  };
  return { names, f };
}

/** The exact gradient by a separate run of the tape, as the hand formula (0-d inputs arrive as numbers). */
function tapeFormula(f: (p: P) => Tensor, names: string[], target: string): HandFormula {
  return (p) => {
    const leaves = Object.fromEntries(names.map((k) => [k, scalar(p[k] as number, { name: k })]));
    return grad(f(leaves), [leaves[target]!])[0]!;
  };
}

describe('checkDerivation: properties', () => {
  it('never flags a correct formula on random small networks', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(netArb, ({ widths, acts, seed }) => {
        const { names, f } = randomNet(widths, acts);
        const hand = Object.fromEntries(names.filter((_, i) => i % 2 === 0).map((k) => [k, tapeFormula(f, names, k)]));
        const r = checkDerivation(f, hand, { shapes: Object.fromEntries(names.map((k) => [k, []])), seed, points: 4 });
        expect(r.checks.map((c) => c.diagnosis)).toEqual(r.checks.map(() => 'ok'));
      }),
      { numRuns: 25, seed: 42 },
    );
  });

  it('classifies a flipped sign and a constant factor on random small networks', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(netArb, fc.constantFrom(-1, 3, 0.25), ({ widths, acts, seed }, k) => {
        const { names, f } = randomNet(widths, acts);
        const target = names[names.length - 1]!; // the last weight: never zero unless a relu is dead everywhere
        const exact = tapeFormula(f, names, target);
        const r = checkDerivation(f, { [target]: (p) => (exact(p) as Tensor).mul(k) }, { shapes: Object.fromEntries(names.map((n) => [n, []])), seed, points: 4 });
        const c = r.checks[0]!;
        // a dead relu can zero the gradient at most points: a factor needs two points to be seen as constant
        if (c.expected.filter((e) => e.some((v) => v !== 0)).length < 2) return;
        expect(c.diagnosis).toBe(k === -1 ? 'sign' : 'scale');
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});
