/**
 * The coursework example: the seed's two assignment networks derived by hand (delta rule), checked
 * against the tape with checkDerivation, the three classic mistakes planted and diagnosed, the
 * blue/orange chain-rule paths of the lecture, the softmax Jacobian, and a slip in the seed's notes.
 *
 * Sign convention of the deltas here: δ = ∂L/∂z (the derivative of the loss w.r.t. a unit's input),
 * so every gradient is δ · (what the weight multiplies) and gradient descent subtracts it. (The
 * backprop lecture's table uses δ = -∂L/∂z and adds; the numbers differ only in sign.)
 */
import {
  chainPaths,
  checkDerivation,
  jacobian,
  scalar,
  type ChainPathsReport,
  type DerivationParams,
  type DerivationReport,
  type HandParams,
  type Tensor,
} from '@memograd/autograd';

const named = (t: Tensor, name: string): Tensor => {
  t.name = name;
  return t;
};
const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const relu = (z: number): number => Math.max(0, z);
const step = (z: number): number => (z > 0 ? 1 : 0); // relu'(z)

/** One hand formula: its name, the formula as the student writes it, and the same as TypeScript. */
export interface Formula {
  name: string;
  text: string;
  fn: (p: HandParams) => number;
}

/** A network of the assignment: its equations, the loss as a function of named scalars, and the student's formulas. */
export interface Network {
  title: string;
  equations: string[];
  deltas: string[];
  f: (p: DerivationParams) => Tensor;
  formulas: Formula[];
  at: Record<string, number>;
  fixed: string[];
}

export type Loss = 'squared' | 'cross-entropy';

// ------------------------------------------------------------------------ network 1: 3 → 2 ReLU → 2 σ → 1 σ

/** Assignment question 1: input 3 → 2 ReLU → 2 sigmoid → 1 sigmoid. */
export const NET1_AT: Record<string, number> = {
  x1: 0.5, x2: -0.3, x3: 0.8, y: 1,
  W1_11: 0.2, W1_12: -0.4, W1_13: 0.7, b1_1: 0.1,
  W1_21: -0.5, W1_22: 0.3, W1_23: 0.9, b1_2: -0.2,
  W2_11: 0.6, W2_12: -0.8, b2_1: 0.05,
  W2_21: 0.4, W2_22: 0.7, b2_2: -0.1,
  W3_11: 1.2, W3_12: -0.9, b3: 0.3,
};

/** The forward pass in plain numbers, as the student computes it. */
export function forward1(p: HandParams) {
  const z1_1 = p.W1_11 * p.x1 + p.W1_12 * p.x2 + p.W1_13 * p.x3 + p.b1_1;
  const z1_2 = p.W1_21 * p.x1 + p.W1_22 * p.x2 + p.W1_23 * p.x3 + p.b1_2;
  const a1_1 = relu(z1_1), a1_2 = relu(z1_2);
  const z2_1 = p.W2_11 * a1_1 + p.W2_12 * a1_2 + p.b2_1;
  const z2_2 = p.W2_21 * a1_1 + p.W2_22 * a1_2 + p.b2_2;
  const a2_1 = sig(z2_1), a2_2 = sig(z2_2);
  const z3 = p.W3_11 * a2_1 + p.W3_12 * a2_2 + p.b3;
  const yhat = sig(z3);
  return { z1_1, z1_2, a1_1, a1_2, z2_1, z2_2, a2_1, a2_2, z3, yhat };
}

/** The student's delta terms (δ = ∂L/∂z); `d3` depends on the loss. */
export function deltas1(p: HandParams, loss: Loss) {
  const v = forward1(p);
  const d3 = loss === 'squared' ? (v.yhat - p.y) * v.yhat * (1 - v.yhat) : v.yhat - p.y;
  const d2_1 = d3 * p.W3_11 * v.a2_1 * (1 - v.a2_1);
  const d2_2 = d3 * p.W3_12 * v.a2_2 * (1 - v.a2_2);
  const d1_1 = step(v.z1_1) * (d2_1 * p.W2_11 + d2_2 * p.W2_21);
  const d1_2 = step(v.z1_2) * (d2_1 * p.W2_12 + d2_2 * p.W2_22);
  return { ...v, d3, d2_1, d2_2, d1_1, d1_2 };
}

export function network1(loss: Loss): Network {
  const f = (p: DerivationParams): Tensor => {
    const z1_1 = named(p.W1_11!.mul(p.x1!).add(p.W1_12!.mul(p.x2!)).add(p.W1_13!.mul(p.x3!)).add(p.b1_1!), 'z1_1');
    const z1_2 = named(p.W1_21!.mul(p.x1!).add(p.W1_22!.mul(p.x2!)).add(p.W1_23!.mul(p.x3!)).add(p.b1_2!), 'z1_2');
    const a1_1 = named(z1_1.relu(), 'a1_1');
    const a1_2 = named(z1_2.relu(), 'a1_2');
    const z2_1 = named(p.W2_11!.mul(a1_1).add(p.W2_12!.mul(a1_2)).add(p.b2_1!), 'z2_1');
    const z2_2 = named(p.W2_21!.mul(a1_1).add(p.W2_22!.mul(a1_2)).add(p.b2_2!), 'z2_2');
    const a2_1 = named(z2_1.sigmoid(), 'a2_1');
    const a2_2 = named(z2_2.sigmoid(), 'a2_2');
    const z3 = named(p.W3_11!.mul(a2_1).add(p.W3_12!.mul(a2_2)).add(p.b3!), 'z3');
    const yhat = named(z3.sigmoid(), 'yhat');
    const y = p.y!;
    return loss === 'squared'
      ? named(yhat.sub(y).square().mul(0.5), 'L')
      : named(y.mul(yhat.log()).add(y.neg().add(1).mul(yhat.neg().add(1).log())).neg(), 'L');
  };
  const d = (p: HandParams) => deltas1(p, loss);
  const formulas: Formula[] = [
    { name: 'W3_11', text: 'δ3 · a2_1', fn: (p) => { const v = d(p); return v.d3 * v.a2_1; } },
    { name: 'W3_12', text: 'δ3 · a2_2', fn: (p) => { const v = d(p); return v.d3 * v.a2_2; } },
    { name: 'b3', text: 'δ3', fn: (p) => d(p).d3 },
    { name: 'W2_11', text: 'δ2_1 · a1_1', fn: (p) => { const v = d(p); return v.d2_1 * v.a1_1; } },
    { name: 'W2_12', text: 'δ2_1 · a1_2', fn: (p) => { const v = d(p); return v.d2_1 * v.a1_2; } },
    { name: 'b2_1', text: 'δ2_1', fn: (p) => d(p).d2_1 },
    { name: 'W2_21', text: 'δ2_2 · a1_1', fn: (p) => { const v = d(p); return v.d2_2 * v.a1_1; } },
    { name: 'W2_22', text: 'δ2_2 · a1_2', fn: (p) => { const v = d(p); return v.d2_2 * v.a1_2; } },
    { name: 'b2_2', text: 'δ2_2', fn: (p) => d(p).d2_2 },
    { name: 'W1_11', text: 'δ1_1 · x1', fn: (p) => d(p).d1_1 * p.x1 },
    { name: 'W1_12', text: 'δ1_1 · x2', fn: (p) => d(p).d1_1 * p.x2 },
    { name: 'W1_13', text: 'δ1_1 · x3', fn: (p) => d(p).d1_1 * p.x3 },
    { name: 'b1_1', text: 'δ1_1', fn: (p) => d(p).d1_1 },
    { name: 'W1_21', text: 'δ1_2 · x1', fn: (p) => d(p).d1_2 * p.x1 },
    { name: 'W1_22', text: 'δ1_2 · x2', fn: (p) => d(p).d1_2 * p.x2 },
    { name: 'W1_23', text: 'δ1_2 · x3', fn: (p) => d(p).d1_2 * p.x3 },
    { name: 'b1_2', text: 'δ1_2', fn: (p) => d(p).d1_2 },
  ];
  return {
    title: `Assignment 1: input 3 → 2 ReLU → 2 sigmoid → 1 sigmoid, ${loss === 'squared' ? 'squared loss' : 'cross-entropy loss'}`,
    equations: [
      'z1_1 = W1_11 x1 + W1_12 x2 + W1_13 x3 + b1_1      a1_1 = relu(z1_1)',
      'z1_2 = W1_21 x1 + W1_22 x2 + W1_23 x3 + b1_2      a1_2 = relu(z1_2)',
      'z2_1 = W2_11 a1_1 + W2_12 a1_2 + b2_1              a2_1 = σ(z2_1)',
      'z2_2 = W2_21 a1_1 + W2_22 a1_2 + b2_2              a2_2 = σ(z2_2)',
      'z3   = W3_11 a2_1 + W3_12 a2_2 + b3                ŷ = σ(z3)',
      loss === 'squared' ? 'L    = ½ (ŷ - y)²' : 'L    = -[y log ŷ + (1 - y) log(1 - ŷ)]',
    ],
    deltas: [
      loss === 'squared'
        ? 'δ3   = ∂L/∂z3   = (ŷ - y) · ŷ(1 - ŷ)'
        : 'δ3   = ∂L/∂z3   = (ŷ - y)        (σ\'(z3) = ŷ(1-ŷ) cancels against ∂L/∂ŷ = (ŷ - y)/(ŷ(1-ŷ)))',
      'δ2_i = ∂L/∂z2_i = δ3 · W3_1i · a2_i(1 - a2_i)',
      "δ1_i = ∂L/∂z1_i = relu'(z1_i) · (δ2_1 W2_1i + δ2_2 W2_2i)      relu'(z) = 1 if z > 0, else 0",
      '∂L/∂W_ij = δ_i · (input j of that layer),  ∂L/∂b_i = δ_i',
    ],
    f,
    formulas,
    at: { ...NET1_AT },
    fixed: ['y'],
  };
}

// ------------------------------------------------------------------------ network 2: 2 → 1 tanh → 2 σ

export const NET2_AT: Record<string, number> = {
  x1: 0.6, x2: -0.4, y1: 1, y2: 0,
  V1: 0.8, V2: -0.5, c: 0.1,
  U1: 1.5, d1: -0.2, U2: -0.7, d2: 0.4,
};

export function forward2(p: HandParams) {
  const z = p.V1 * p.x1 + p.V2 * p.x2 + p.c;
  const h = Math.tanh(z);
  const o1 = sig(p.U1 * h + p.d1), o2 = sig(p.U2 * h + p.d2);
  const e1 = o1 - p.y1, e2 = o2 - p.y2; // δ of the output units (cross-entropy with sigmoid)
  const dh = (1 - h * h) * (e1 * p.U1 + e2 * p.U2);
  return { z, h, o1, o2, e1, e2, dh };
}

/** Assignment question 2: input 2 → 1 tanh → 2 sigmoid, cross-entropy. */
export function network2(): Network {
  const f = (p: DerivationParams): Tensor => {
    const z = named(p.V1!.mul(p.x1!).add(p.V2!.mul(p.x2!)).add(p.c!), 'z');
    const h = named(z.tanh(), 'h');
    const o1 = named(p.U1!.mul(h).add(p.d1!).sigmoid(), 'o1');
    const o2 = named(p.U2!.mul(h).add(p.d2!).sigmoid(), 'o2');
    const bce = (o: Tensor, y: Tensor) => y.mul(o.log()).add(y.neg().add(1).mul(o.neg().add(1).log())).neg();
    return named(bce(o1, p.y1!).add(bce(o2, p.y2!)), 'L');
  };
  const formulas: Formula[] = [
    { name: 'U1', text: '(o1 - y1) · h', fn: (p) => { const v = forward2(p); return v.e1 * v.h; } },
    { name: 'd1', text: '(o1 - y1)', fn: (p) => forward2(p).e1 },
    { name: 'U2', text: '(o2 - y2) · h', fn: (p) => { const v = forward2(p); return v.e2 * v.h; } },
    { name: 'd2', text: '(o2 - y2)', fn: (p) => forward2(p).e2 },
    { name: 'V1', text: 'δh · x1', fn: (p) => forward2(p).dh * p.x1 },
    { name: 'V2', text: 'δh · x2', fn: (p) => forward2(p).dh * p.x2 },
    { name: 'c', text: 'δh', fn: (p) => forward2(p).dh },
  ];
  return {
    title: 'Assignment 2: input 2 → 1 tanh → 2 sigmoid, cross-entropy loss',
    equations: [
      'z  = V1 x1 + V2 x2 + c          h  = tanh(z)',
      'o1 = σ(U1 h + d1)               o2 = σ(U2 h + d2)',
      'L  = -Σ_k [y_k log o_k + (1 - y_k) log(1 - o_k)]',
    ],
    deltas: [
      'δo_k = ∂L/∂(U_k h + d_k) = o_k - y_k          (σ\' cancels with the cross-entropy)',
      'δh   = ∂L/∂z = (1 - h²) · (δo_1 U1 + δo_2 U2)   (tanh\'(z) = 1 - h²)',
    ],
    f,
    formulas,
    at: { ...NET2_AT },
    fixed: ['y1', 'y2'],
  };
}

// ------------------------------------------------------------------------ checking

export const POINTS = 5;
export const SEED = 9;

export function check(net: Network, formulas: Formula[] = net.formulas): DerivationReport {
  const hand = Object.fromEntries(formulas.map((fm) => [fm.name, fm.fn]));
  return checkDerivation(net.f, hand, { at: net.at, fixed: net.fixed, points: POINTS, seed: SEED });
}

/** A planted mistake: which formula, what the student wrote instead, and the diagnosis we expect. */
export interface Mistake {
  title: string;
  formula: Formula;
  expected: string;
}

export function mistakes(): { net: Network; mistakes: Mistake[] }[] {
  const sq = network1('squared');
  const ce = network1('cross-entropy');
  const n2 = network2();
  return [
    {
      net: sq,
      mistakes: [
        {
          title: 'dropping the sigmoid derivative: δ3 = (ŷ - y), as if it were cross-entropy',
          formula: { name: 'W3_11', text: '(ŷ - y) · a2_1', fn: (p) => { const v = forward1(p); return (v.yhat - p.y) * v.a2_1; } },
          expected: 'missing-factor',
        },
        {
          title: 'forgetting the ½ of the squared loss: ∂L/∂ŷ = 2(ŷ - y)',
          formula: { name: 'b2_1', text: '2 (ŷ - y) ŷ(1-ŷ) · W3_11 · a2_1(1-a2_1)', fn: (p) => { const v = deltas1(p, 'squared'); return 2 * (v.yhat - p.y) * v.yhat * (1 - v.yhat) * p.W3_11 * v.a2_1 * (1 - v.a2_1); } },
          expected: 'scale',
        },
        {
          title: 'swapping a sign: (y - ŷ) for (ŷ - y) (the lecture\'s δ = -∂L/∂z used as the gradient)',
          formula: { name: 'W3_12', text: '(y - ŷ) ŷ(1-ŷ) · a2_2', fn: (p) => { const v = forward1(p); return (p.y - v.yhat) * v.yhat * (1 - v.yhat) * v.a2_2; } },
          expected: 'sign',
        },
      ],
    },
    {
      net: ce,
      mistakes: [
        {
          title: 'the reverse slip: keeping σ\'(z3) = ŷ(1-ŷ) with cross-entropy, where it cancels',
          formula: { name: 'W3_12', text: '(ŷ - y) ŷ(1 - ŷ) · a2_2', fn: (p) => { const v = forward1(p); return (v.yhat - p.y) * v.yhat * (1 - v.yhat) * v.a2_2; } },
          expected: 'extra-factor',
        },
      ],
    },
    {
      net: n2,
      mistakes: [
        {
          title: 'dropping the tanh derivative: δh = δo_1 U1 + δo_2 U2',
          formula: { name: 'V1', text: '(δo_1 U1 + δo_2 U2) · x1', fn: (p) => { const v = forward2(p); return (v.e1 * p.U1 + v.e2 * p.U2) * p.x1; } },
          expected: 'missing-factor',
        },
        {
          title: 'swapping a sign: (y1 - o1) · h',
          formula: { name: 'U1', text: '(y1 - o1) · h', fn: (p) => { const v = forward2(p); return -v.e1 * v.h; } },
          expected: 'sign',
        },
      ],
    },
  ];
}

// ------------------------------------------------------------------------ the blue and orange paths

/**
 * The lecture's chain-rule slide (seed 002): 2 inputs → 2 sigmoid (a^(2)) → 2 sigmoid (a^(3)),
 * J = 1/(2m) Σ (y_i - a_i^(3))² with m = 1. θ^(1)_11 reaches J through a^(2)_1 and then through
 * both output units: the blue path via a^(3)_1 and the orange path via a^(3)_2.
 */
export function blueOrange(): { report: ChainPathsReport; blue: number; orange: number; tape: number; J: number } {
  const s = (v: number, name: string, requiresGrad = true) => scalar(v, { name, requiresGrad, dtype: 'float64' });
  const x1 = s(0.35, 'x1', false), x2 = s(0.9, 'x2', false);
  const y1 = s(0.5, 'y1', false), y2 = s(0.1, 'y2', false);
  const th1_11 = s(0.1, 'θ1_11'), th1_12 = s(0.8, 'θ1_12'), th1_21 = s(0.4, 'θ1_21'), th1_22 = s(0.6, 'θ1_22');
  const th2_11 = s(0.3, 'θ2_11'), th2_12 = s(0.9, 'θ2_12'), th2_21 = s(-0.5, 'θ2_21'), th2_22 = s(0.2, 'θ2_22');
  const z2_1 = named(th1_11.mul(x1).add(th1_12.mul(x2)), 'z2_1');
  const z2_2 = named(th1_21.mul(x1).add(th1_22.mul(x2)), 'z2_2');
  const a2_1 = named(z2_1.sigmoid(), 'a2_1'), a2_2 = named(z2_2.sigmoid(), 'a2_2');
  const z3_1 = named(th2_11.mul(a2_1).add(th2_12.mul(a2_2)), 'z3_1');
  const z3_2 = named(th2_21.mul(a2_1).add(th2_22.mul(a2_2)), 'z3_2');
  const a3_1 = named(z3_1.sigmoid(), 'a3_1'), a3_2 = named(z3_2.sigmoid(), 'a3_2');
  const r1 = named(a3_1.sub(y1), 'r1'), r2 = named(a3_2.sub(y2), 'r2');
  const J = named(r1.square().add(r2.square()).mul(0.5), 'J');
  const report = chainPaths(J, th1_11);
  const through = (node: string) => {
    const path = report.paths.find((p) => p.nodes.includes(node));
    if (!path || typeof path.product !== 'number') throw new Error(`no exact path through ${node}`);
    return path.product;
  };
  return { report, blue: through('a3_1'), orange: through('a3_2'), tape: report.tape as number, J: J.item() };
}

// ------------------------------------------------------------------------ softmax Jacobian

export const SOFTMAX_Z = [1.1, 2.2, 0.2, -1.7];

export function softmaxJacobian(): { s: number[]; tape: number[][]; lecture: number[][]; maxDiff: number } {
  const J = jacobian((z) => z.softmax(), SOFTMAX_Z);
  const tape = J.toArray() as number[][];
  const m = Math.max(...SOFTMAX_Z);
  const e = SOFTMAX_Z.map((z) => Math.exp(z - m));
  const total = e.reduce((a, b) => a + b, 0);
  const s = e.map((v) => v / total);
  const lecture = s.map((si, i) => s.map((sj, j) => (i === j ? si * (1 - si) : -si * sj)));
  let maxDiff = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) maxDiff = Math.max(maxDiff, Math.abs(tape[i]![j]! - lecture[i]![j]!));
  return { s, tape, lecture, maxDiff };
}

// ------------------------------------------------------------------------ the seed's slip

/** Seed 004: z = sqrt(x² + y²), "∂z/∂x = 2x, ∂z/∂y = 2y" (it is x/sqrt(x²+y²), y/sqrt(x²+y²)). */
export function sqrtSlip(): { seed: DerivationReport; fixed: DerivationReport } {
  const f = (p: DerivationParams) => named(named(p.x!.square().add(p.y!.square()), 'u').sqrt(), 'z');
  const opts = { at: { x: 3, y: 4 }, points: POINTS, seed: SEED };
  const seed = checkDerivation(f, { x: (p) => 2 * p.x, y: (p) => 2 * p.y }, opts);
  const fixed = checkDerivation(f, { x: (p) => p.x / Math.hypot(p.x, p.y), y: (p) => p.y / Math.hypot(p.x, p.y) }, opts);
  return { seed, fixed };
}
