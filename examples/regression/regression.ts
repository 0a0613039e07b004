/**
 * The lecture's placement data: CGPA and profile score -> package (LPA), made up here from a known
 * linear rule plus Gaussian noise, then fitted with a single Linear(2, 1) unit, MSE loss and SGD.
 * The features are standardized for training; the learned weights are mapped back to the original
 * units and compared with the rule and with the least-squares solution of the normal equations.
 */
import { Generator, tensor } from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import { Linear, mseLoss } from '@memograd/nn';
import { SGD, evaluate, fit } from '@memograd/optim';

/** package = 0.9 · cgpa + 0.04 · profile_score + 1.5 + noise (LPA). */
export const TRUE_RULE = { cgpa: 0.9, profileScore: 0.04, intercept: 1.5 } as const;

export interface PlacementData {
  cgpa: Float64Array;
  profileScore: Float64Array;
  lpa: Float64Array;
}

/** n students: CGPA uniform in [5, 10], profile score uniform in [20, 100], noise N(0, noise²). */
export function makePlacementData(n: number, options: { seed?: number; noise?: number } = {}): PlacementData {
  const g = new Generator(options.seed ?? 0);
  const noise = options.noise ?? 0.3;
  const cgpa = new Float64Array(n);
  const profileScore = new Float64Array(n);
  const lpa = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cgpa[i] = g.uniform(5, 10);
    profileScore[i] = g.uniform(20, 100);
    lpa[i] = TRUE_RULE.cgpa * cgpa[i]! + TRUE_RULE.profileScore * profileScore[i]! + TRUE_RULE.intercept + g.normal(0, noise);
  }
  return { cgpa, profileScore, lpa };
}

function meanStd(a: Float64Array): [number, number] {
  let m = 0;
  for (const v of a) m += v;
  m /= a.length;
  let s = 0;
  for (const v of a) s += (v - m) ** 2;
  return [m, Math.sqrt(s / a.length)];
}

/** Ordinary least squares for y = a·x1 + b·x2 + c (3x3 normal equations, Cramer's rule). */
export function leastSquares(x1: Float64Array, x2: Float64Array, y: Float64Array): { cgpa: number; profileScore: number; intercept: number } {
  let s11 = 0, s12 = 0, s22 = 0, s1 = 0, s2 = 0, sy1 = 0, sy2 = 0, sy = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const a = x1[i]!, b = x2[i]!, t = y[i]!;
    s11 += a * a; s12 += a * b; s22 += b * b; s1 += a; s2 += b; sy1 += t * a; sy2 += t * b; sy += t;
  }
  const m = [[s11, s12, s1], [s12, s22, s2], [s1, s2, n]];
  const r = [sy1, sy2, sy];
  const det = (q: number[][]): number =>
    q[0]![0]! * (q[1]![1]! * q[2]![2]! - q[1]![2]! * q[2]![1]!) - q[0]![1]! * (q[1]![0]! * q[2]![2]! - q[1]![2]! * q[2]![0]!) +
    q[0]![2]! * (q[1]![0]! * q[2]![1]! - q[1]![1]! * q[2]![0]!);
  const d = det(m);
  const solve = (col: number): number => det(m.map((row, i) => row.map((v, j) => (j === col ? r[i]! : v)))) / d;
  return { cgpa: solve(0), profileScore: solve(1), intercept: solve(2) };
}

export interface RegressionOptions {
  samples?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  noise?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
}

export interface RegressionResult {
  learned: { cgpa: number; profileScore: number; intercept: number };
  leastSquares: { cgpa: number; profileScore: number; intercept: number };
  trainLoss: number[];
  valLoss: number[];
  /** MSE on the validation rows, in LPA². The noise variance is the floor. */
  finalValMse: number;
}

export function runRegression(options: RegressionOptions = {}): RegressionResult {
  const seed = options.seed ?? 0;
  const data = makePlacementData(options.samples ?? 200, { seed, noise: options.noise });
  const n = data.lpa.length;
  const [m1, sd1] = meanStd(data.cgpa);
  const [m2, sd2] = meanStd(data.profileScore);
  const xs = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    xs[2 * i] = (data.cgpa[i]! - m1) / sd1;
    xs[2 * i + 1] = (data.profileScore[i]! - m2) / sd2;
  }
  const x: Tensor = tensor(xs, { shape: [n, 2] });
  const y: Tensor = tensor(Float32Array.from(data.lpa), { shape: [n, 1] });
  const model = new Linear(2, 1, { generator: new Generator(seed + 1) });
  const h = fit(model, {
    x, y, loss: (p, t) => mseLoss(p, t), optimizer: new SGD(model.parameters(), { lr: options.lr ?? 0.05 }),
    epochs: options.epochs ?? 40, batchSize: options.batchSize ?? 8, validationSplit: 0.2, seed, verbose: options.verbose ?? 0,
  });
  // back to the original units: w·(x - m)/sd + b = (w/sd)·x + (b - Σ w·m/sd)
  const w = model.weight.data;
  const b = model.bias!.data[0]!;
  const a1 = w[0]! / sd1;
  const a2 = w[1]! / sd2;
  const learned = { cgpa: a1, profileScore: a2, intercept: b - a1 * m1 - a2 * m2 };
  const nTrain = n - Math.floor(n * 0.2);
  const ls = leastSquares(data.cgpa.subarray(0, nTrain), data.profileScore.subarray(0, nTrain), data.lpa.subarray(0, nTrain));
  const val = evaluate(model, x.indexSelect(0, Int32Array.from({ length: n - nTrain }, (_, i) => nTrain + i)),
    y.indexSelect(0, Int32Array.from({ length: n - nTrain }, (_, i) => nTrain + i)), { loss: (p, t) => mseLoss(p, t) });
  return { learned, leastSquares: ls, trainLoss: h.history.loss!, valLoss: h.history.val_loss!, finalValMse: val.loss! };
}
