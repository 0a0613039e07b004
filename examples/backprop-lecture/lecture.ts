/**
 * The lecture's worked example (shared/seeds 000 and 001): a 2-2-1 network of sigmoid units,
 * inputs x1 = 0.35 and x2 = 0.9, target 0.5, learning rate 1, loss 0.5 (t - y)^2, one step of
 * gradient descent. Every number of runLecture comes from the tape; the delta-rule hand formulas below
 * (DELTA_RULE) and the lecture's written steps are only checked against it with checkDerivation.
 */
import { checkDerivation, grad, noGrad, scalar, type DerivationParams, type DerivationReport, type HandFormula, type HandParams, type Tensor } from '@memograd/autograd';

export const INITIAL_WEIGHTS = { w13: 0.1, w23: 0.8, w14: 0.4, w24: 0.6, w35: 0.3, w45: 0.9 } as const;
export type WeightName = keyof typeof INITIAL_WEIGHTS;
export const WEIGHT_NAMES = Object.keys(INITIAL_WEIGHTS) as WeightName[];

/** The lecture's own rounded figures, to print beside ours. */
export const LECTURE_FIGURES = {
  forward: { a1: 0.755, y3: 0.68, a2: 0.68, y4: 0.6637, a3: 0.801, y5: 0.69, error: -0.19 },
  deltas: { delta5: -0.0406, delta3: -0.00265, delta4: -0.0082 },
  updated: { w13: 0.0991, w23: 0.797, w14: 0.397, w24: 0.5962, w35: 0.2724, w45: 0.8731 },
} as const;

export interface LectureResult {
  forward: { a1: number; y3: number; a2: number; y4: number; a3: number; y5: number; error: number; loss: number };
  /** The lecture's delta terms: delta_j = -dLoss/d(net input of unit j). */
  deltas: { delta5: number; delta3: number; delta4: number };
  /** dLoss/dw for every weight. */
  gradients: Record<WeightName, number>;
  /** w - learningRate * dLoss/dw (the lecture's w + eta delta_j o_i). */
  updated: Record<WeightName, number>;
}

export function runLecture(options: { x1?: number; x2?: number; target?: number; learningRate?: number } = {}): LectureResult {
  const { x1: x1v = 0.35, x2: x2v = 0.9, target = 0.5, learningRate = 1 } = options;
  const w = Object.fromEntries(WEIGHT_NAMES.map((k) => [k, scalar(INITIAL_WEIGHTS[k], { name: k })])) as Record<WeightName, Tensor>;
  const x1 = scalar(x1v, { name: 'x1', requiresGrad: false });
  const x2 = scalar(x2v, { name: 'x2', requiresGrad: false });

  // forward pass, unit by unit, with the lecture's names
  const a1 = w.w13.mul(x1).add(w.w23.mul(x2));
  const y3 = a1.sigmoid();
  const a2 = w.w14.mul(x1).add(w.w24.mul(x2));
  const y4 = a2.sigmoid();
  const a3 = w.w35.mul(y3).add(w.w45.mul(y4));
  const y5 = a3.sigmoid();
  const error = scalar(target, { requiresGrad: false }).sub(y5);
  const loss = error.square().mul(0.5);

  // one reverse pass: the adjoints of the net inputs and of every weight, each computed once
  const [dA3, dA1, dA2, ...dW] = grad(loss, [a3, a1, a2, ...WEIGHT_NAMES.map((k) => w[k])]);
  const gradients = Object.fromEntries(WEIGHT_NAMES.map((k, i) => [k, dW[i]!.item()])) as Record<WeightName, number>;
  const updated = noGrad(
    () => Object.fromEntries(WEIGHT_NAMES.map((k, i) => [k, w[k].sub(dW[i]!.mul(learningRate)).item()])) as Record<WeightName, number>,
  );
  return {
    forward: { a1: a1.item(), y3: y3.item(), a2: a2.item(), y4: y4.item(), a3: a3.item(), y5: y5.item(), error: error.item(), loss: loss.item() },
    deltas: { delta5: -dA3!.item(), delta3: -dA1!.item(), delta4: -dA2!.item() },
    gradients,
    updated,
  };
}

// ------------------------------------------------------------------ checkDerivation on the lecture

/** The lecture's loss as a function of named inputs, for checkDerivation. */
export function lectureLoss(p: DerivationParams): Tensor {
  const y3 = p.w13!.mul(p.x1!).add(p.w23!.mul(p.x2!)).sigmoid();
  const y4 = p.w14!.mul(p.x1!).add(p.w24!.mul(p.x2!)).sigmoid();
  const y5 = p.w35!.mul(y3).add(p.w45!.mul(y4)).sigmoid();
  return p.t!.sub(y5).square().mul(0.5);
}

/** The lecture's point: its weights, inputs and target. */
export const LECTURE_POINT = { ...INITIAL_WEIGHTS, x1: 0.35, x2: 0.9, t: 0.5 };

/** The lecture's delta rule, written as a student would: dE/dw_ij = -delta_j * o_i. */
export const DELTA_RULE: Record<WeightName, { formula: string; hand: HandFormula }> = (() => {
  const s = (z: number): number => 1 / (1 + Math.exp(-z));
  const fwd = (p: HandParams) => {
    const y3 = s(p.w13 * p.x1 + p.w23 * p.x2);
    const y4 = s(p.w14 * p.x1 + p.w24 * p.x2);
    const y5 = s(p.w35 * y3 + p.w45 * y4);
    const d5 = y5 * (1 - y5) * (p.t - y5); // delta5 = y5(1-y5)(t-y5)
    const d3 = y3 * (1 - y3) * p.w35 * d5; // delta3 = y3(1-y3) w35 delta5
    const d4 = y4 * (1 - y4) * p.w45 * d5; // delta4 = y4(1-y4) w45 delta5
    return { y3, y4, d5, d3, d4 };
  };
  return {
    w13: { formula: '-δ3·x1', hand: (p) => -fwd(p).d3 * p.x1 },
    w23: { formula: '-δ3·x2', hand: (p) => -fwd(p).d3 * p.x2 },
    w14: { formula: '-δ4·x1', hand: (p) => -fwd(p).d4 * p.x1 },
    w24: { formula: '-δ4·x2', hand: (p) => -fwd(p).d4 * p.x2 },
    w35: { formula: '-δ5·y3', hand: (p) => -fwd(p).d5 * fwd(p).y3 },
    w45: { formula: '-δ5·y4', hand: (p) => -fwd(p).d5 * fwd(p).y4 },
  };
})();

/** checkDerivation of the delta-rule formulas at the lecture's point and at 5 seeded random points. */
export function checkDeltaRule(options: { points?: number; seed?: number } = {}): DerivationReport {
  const hand = Object.fromEntries(WEIGHT_NAMES.map((k) => [k, DELTA_RULE[k].hand])) as Record<WeightName, HandFormula>;
  return checkDerivation(lectureLoss, hand, { at: LECTURE_POINT, points: options.points ?? 5, seed: options.seed ?? 0 });
}

/**
 * The step each of the lecture's sums "w new = Δw + w old" adds (its Δw as written into the sum),
 * read as a claimed gradient dE/dw = -Δw / η. w23's sum is written "0.0023 + 0.8".
 */
export const LECTURE_SUM_ADDENDS: Record<WeightName, number> = { w13: -0.0009, w23: 0.0023, w14: -0.0028, w24: -0.00738, w35: -0.0276, w45: -0.0269 };

/**
 * checkDerivation of the lecture's written steps at the lecture's own point (the lecture's figures are
 * numbers, not formulas, so there is no other point), with rtol 0.05 for its 2-3 significant digits.
 */
export function checkLectureSums(learningRate = 1): DerivationReport {
  const hand = Object.fromEntries(WEIGHT_NAMES.map((k): [WeightName, HandFormula] => [k, () => -LECTURE_SUM_ADDENDS[k] / learningRate])) as Record<WeightName, HandFormula>;
  return checkDerivation(lectureLoss, hand, { at: LECTURE_POINT, points: 0, rtol: 0.05 });
}
