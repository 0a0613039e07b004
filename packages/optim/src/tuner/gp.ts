/**
 * A Gaussian-process regressor for Bayesian optimisation, with its kernel hyper-parameters fitted
 * by memograd itself: the negative log marginal likelihood is a float64 autograd graph (the kernel
 * built from tensor ops, the Cholesky-based likelihood a custom op whose backward is the classic
 * `dNLL/dK = (K⁻¹ - ααᵀ) / 2`), minimised with this package's Adam.
 *
 * Kernels: Matern 5/2 (Keras Tuner's, through scikit-learn's `Matern(nu=2.5)`) or RBF, with one
 * length scale per input dimension (ARD), a signal variance and a noise variance.
 */
import { Tensor, customFunction, eye, noGrad, tensor } from '@memograd/autograd';
import { Adam } from '../adam.ts';
import { argumentError, describe } from '../util.ts';

/** 'got <value>', or 'it is missing' for undefined (a missing option is not a value the caller gave). */
function got(v: unknown): string {
  return v === undefined ? 'it is missing' : `got ${describe(v)}`;
}

/** The covariance function. */
export type GPKernel = 'matern52' | 'rbf';

/** The kernel's hyper-parameters (in their natural units). */
export interface GPParams {
  /** One length scale per input dimension. */
  lengthScales: number[];
  /** The signal variance σ². */
  signal: number;
  /** The observation noise variance. */
  noise: number;
}

/** A posterior prediction. */
export interface GPPrediction {
  /** The posterior mean. */
  mean: number;
  /** The posterior standard deviation of the latent function. */
  std: number;
}

/** Options of `GaussianProcess`. */
export interface GaussianProcessOptions {
  /** 'matern52' (default) or 'rbf'. */
  kernel?: GPKernel;
  /** Added to the diagonal besides the fitted noise, for numerical stability (default 1e-6; Keras Tuner's alpha is 1e-4). */
  alpha?: number;
  /** Standardise the targets before fitting (default true, as Keras Tuner's `normalize_y=True`). */
  normalizeY?: boolean;
  /** Adam steps per restart when fitting the kernel (default 80). */
  steps?: number;
}

// ---------------------------------------------------------------------------------------------
// dense linear algebra on Float64Arrays (n is a few dozen trials)

/** Lower Cholesky factor of a symmetric positive-definite n×n matrix, or null if it is not. */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L z = b (L lower triangular). */
function forwardSub(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * z[k]!;
    z[i] = s / l[i * n + i]!;
  }
  return z;
}

/** Solves Lᵀ x = z. */
function backSub(l: Float64Array, n: number, z: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** Cholesky with growing jitter on the diagonal (as GP libraries do when K is nearly singular). */
function choleskyJitter(op: string, k: ArrayLike<number>, n: number): Float64Array {
  let jitter = 0;
  for (let attempt = 0; attempt < 8; attempt++) {
    const a = Float64Array.from(k);
    if (jitter > 0) for (let i = 0; i < n; i++) a[i * n + i]! += jitter;
    const l = cholesky(a, n);
    if (l !== null) return l;
    jitter = jitter === 0 ? 1e-10 : jitter * 100;
  }
  throw argumentError(`${op}: the kernel matrix is not positive definite (are there NaN inputs or targets?)`);
}

interface NllCache { alpha?: Float64Array; kinv?: Float64Array }

/**
 * The negative log marginal likelihood of targets y under N(0, K), as a differentiable op of K:
 * `yᵀK⁻¹y/2 + log|K|/2 + n log(2π)/2`. Its backward gives `(K⁻¹ - ααᵀ)/2` for K and `α` for y
 * (α = K⁻¹y), computed from the Cholesky factor of the forward pass (first order only).
 */
const gpNll = customFunction<NllCache>({
  name: 'gpNegLogLikelihood',
  forward: ([k, y], cache) => {
    const n = y!.size;
    const l = choleskyJitter('gpNegLogLikelihood', k!.data, n);
    const alpha = backSub(l, n, forwardSub(l, n, y!.data));
    let quad = 0;
    let logDet = 0;
    for (let i = 0; i < n; i++) {
      quad += y!.data[i]! * alpha[i]!;
      logDet += Math.log(l[i * n + i]!);
    }
    // K⁻¹ column by column (for the backward rule)
    const kinv = new Float64Array(n * n);
    const e = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      e.fill(0);
      e[j] = 1;
      const col = backSub(l, n, forwardSub(l, n, e));
      for (let i = 0; i < n; i++) kinv[i * n + j] = col[i]!;
    }
    cache.alpha = alpha;
    cache.kinv = kinv;
    return tensor([0.5 * quad + logDet + 0.5 * n * Math.log(2 * Math.PI)], { dtype: 'float64' }).reshape([]);
  },
  backward: ({ grad, inputs: [k, y], params: cache }) => {
    const n = y!.size;
    const a = cache.alpha!;
    const kinv = cache.kinv!;
    const gk = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) gk[i * n + j] = 0.5 * (kinv[i * n + j]! - a[i]! * a[j]!);
    return [
      tensor(gk, { dtype: 'float64', shape: k!.shape }).mul(grad),
      tensor(Float64Array.from(a), { dtype: 'float64', shape: y!.shape }).mul(grad),
    ];
  },
});

/** The kernel matrix between rows of a [n, d] and b [m, d], from log length scales [d] and log signal variance []. */
export function kernelMatrix(kernel: GPKernel, a: Tensor, b: Tensor, logLengthScales: Tensor, logSignal: Tensor): Tensor {
  const scale = logLengthScales.exp();
  const sa = a.div(scale);
  const sb = b.div(scale);
  const d2 = sa.unsqueeze(1).sub(sb.unsqueeze(0)).square().sum({ axis: 2 });
  const signal = logSignal.exp();
  if (kernel === 'rbf') return d2.mul(-0.5).exp().mul(signal);
  // Matern 5/2: σ² (1 + √5 r + 5r²/3) exp(-√5 r); the tiny shift keeps √ differentiable at r = 0
  const r = d2.add(1e-12).sqrt();
  const s5r = r.mul(Math.sqrt(5));
  return s5r.add(1).add(d2.mul(5 / 3)).mul(s5r.neg().exp()).mul(signal);
}

/**
 * The negative log marginal likelihood of a GP with the given (log) kernel hyper-parameters on
 * inputs X [n, d] and targets y [n]: a scalar float64 Tensor, differentiable in the three parameter
 * tensors (check it with `gradcheck`).
 */
export function gpNegLogLikelihood(kernel: GPKernel, x: Tensor, y: Tensor, logLengthScales: Tensor, logSignal: Tensor, logNoise: Tensor, alpha = 1e-6): Tensor {
  const n = x.shape[0]!;
  const k = kernelMatrix(kernel, x, x, logLengthScales, logSignal);
  const kn = k.add(eye(n, n, { dtype: 'float64' }).mul(logNoise.exp().add(alpha)));
  return gpNll([kn, y], {}); // a fresh cache per call: the backward reads this forward's factor
}

/** Standard normal density. */
function phi(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF, through erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7 everywhere). */
export function normalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  const erfc = x >= 0 ? y : 2 - y;
  return 0.5 * erfc;
}

/**
 * Expected improvement below `best` (minimisation) of a posterior N(mean, std²), with exploration
 * margin `xi`: `(best - mean - xi) Φ(z) + std φ(z)`, `z = (best - mean - xi) / std`.
 */
export function expectedImprovement(mean: number, std: number, best: number, xi = 0.01): number {
  for (const [name, v] of [['mean', mean], ['std', std], ['best', best], ['xi', xi]] as const) {
    if (typeof v !== 'number') throw argumentError(`expectedImprovement: ${name} must be a number, ${got(v)}`);
  }
  const imp = best - mean - xi;
  if (!(std > 1e-12)) return Math.max(imp, 0);
  const z = imp / std;
  return imp * normalCdf(z) + std * phi(z);
}

/**
 * A Gaussian-process regressor: `fit(X, y)` fits the kernel hyper-parameters by maximising the log
 * marginal likelihood (Adam on the log parameters, from two starting points), `predict(x)` returns
 * the posterior mean and standard deviation of the latent function.
 */
export class GaussianProcess {
  /** The covariance function. */
  readonly kernel: GPKernel;
  /** Diagonal jitter besides the fitted noise. */
  readonly alpha: number;
  /** Whether targets are standardised. */
  readonly normalizeY: boolean;
  /** Adam steps per restart. */
  readonly steps: number;
  /** The fitted (or given) hyper-parameters; null before `fit`. */
  params: GPParams | null = null;
  /** The negative log marginal likelihood at `params` (of the standardised targets). */
  nll = NaN;
  private x: number[][] = [];
  private yMean = 0;
  private yStd = 1;
  private l: Float64Array | null = null;
  private alphaVec: Float64Array | null = null;

  constructor(options: GaussianProcessOptions = {}) {
    const op = 'GaussianProcess';
    if (options === null || typeof options !== 'object') throw argumentError(`${op}: options must be an object, ${got(options)}`);
    const kernel = options.kernel ?? 'matern52';
    if (kernel !== 'matern52' && kernel !== 'rbf') throw argumentError(`${op}: kernel must be 'matern52' or 'rbf', ${got(kernel)}`);
    const alpha = options.alpha ?? 1e-6;
    if (typeof alpha !== 'number' || !(alpha >= 0) || !Number.isFinite(alpha)) throw argumentError(`${op}: alpha must be a finite number >= 0, ${got(alpha)}`);
    const steps = options.steps ?? 80;
    if (!Number.isInteger(steps) || steps < 0) throw argumentError(`${op}: steps must be an integer >= 0, ${got(steps)}`);
    const normalizeY = options.normalizeY ?? true;
    if (typeof normalizeY !== 'boolean') throw argumentError(`${op}: normalizeY must be a boolean, ${got(normalizeY)}`);
    this.kernel = kernel;
    this.alpha = alpha;
    this.steps = steps;
    this.normalizeY = normalizeY;
  }

  /**
   * Fits the GP to rows `x` (each of the same length) and targets `y`. With `params`, those
   * hyper-parameters are used as they are (no optimisation).
   */
  fit(x: readonly (readonly number[])[], y: readonly number[], params?: GPParams): this {
    const op = 'GaussianProcess.fit';
    if (!Array.isArray(x) || x.length === 0) throw argumentError(`${op}: x must be a non-empty array of rows, ${got(x)}`);
    const d = Array.isArray(x[0]) ? x[0].length : -1;
    if (d < 1) throw argumentError(`${op}: x's rows must be non-empty arrays of numbers, ${got(x[0])}`);
    x.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== d || !row.every((v) => typeof v === 'number' && Number.isFinite(v))) throw argumentError(`${op}: x[${i}] must be ${d} finite numbers, ${got(row)}`);
    });
    if (!Array.isArray(y) || y.length !== x.length || !y.every((v) => typeof v === 'number' && Number.isFinite(v))) throw argumentError(`${op}: y must be ${x.length} finite numbers (one per row of x), ${got(y)}`);
    if (params !== undefined) checkParams(op, params, d);
    const n = x.length;
    let mean = this.normalizeY ? y.reduce((s, v) => s + v, 0) / n : 0;
    let std = this.normalizeY ? Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / n) : 1;
    let yn: number[];
    if (Number.isFinite(mean) && Number.isFinite(std)) {
      if (!(std > 0)) std = 1;
      yn = y.map((v) => (v - mean) / std);
    } else {
      // targets near ±1.8e308 overflow the sums: standardise y / max|y| (the same standardised
      // values), whose mean and standard deviation are at most 1, then scale them back
      const scale = y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const ys = y.map((v) => v / scale);
      const m = ys.reduce((s, v) => s + v, 0) / n;
      let sd = Math.sqrt(ys.reduce((s, v) => s + (v - m) ** 2, 0) / n);
      if (!(sd > 0)) sd = 1;
      yn = ys.map((v) => (v - m) / sd);
      mean = m * scale;
      std = sd * scale;
    }
    const xt = tensor(x.flat(), { dtype: 'float64', shape: [n, d] });
    const yt = tensor(yn, { dtype: 'float64' });
    let best: { p: GPParams; nll: number };
    if (params !== undefined) {
      best = { p: structuredClone(params), nll: this.evalNll(xt, yt, params) };
    } else {
      // two starts: a smooth surface and a wiggly one; keep the better optimum
      const starts: GPParams[] = [
        { lengthScales: Array(d).fill(0.5), signal: 1, noise: 1e-2 },
        { lengthScales: Array(d).fill(0.15), signal: 1, noise: 1e-3 },
      ];
      best = { p: starts[0]!, nll: Infinity };
      for (const s of starts) {
        const r = this.optimise(xt, yt, s);
        if (r.nll < best.nll) best = r;
      }
    }
    this.params = best.p;
    this.nll = best.nll;
    this.x = x.map((r) => [...r]);
    this.yMean = mean;
    this.yStd = std;
    const k = this.kernelNumbers(this.x, this.x, best.p);
    for (let i = 0; i < n; i++) k[i * n + i]! += best.p.noise + this.alpha;
    this.l = choleskyJitter(op, k, n);
    this.alphaVec = backSub(this.l, n, forwardSub(this.l, n, yn));
    return this;
  }

  /** The posterior mean and standard deviation (of the latent function, in y's units) at `x`. */
  predict(x: readonly number[]): GPPrediction {
    const op = 'GaussianProcess.predict';
    if (this.params === null || this.l === null || this.alphaVec === null) throw argumentError(`${op}: call fit() first`);
    const d = this.params.lengthScales.length;
    if (!Array.isArray(x) || x.length !== d || !x.every((v) => typeof v === 'number' && Number.isFinite(v))) throw argumentError(`${op}: x must be ${d} finite numbers, ${got(x)}`);
    const n = this.x.length;
    const ks = this.kernelNumbers([x as number[]], this.x, this.params);
    let m = 0;
    for (let i = 0; i < n; i++) m += ks[i]! * this.alphaVec[i]!;
    const v = forwardSub(this.l, n, ks);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += v[i]! * v[i]!;
    const variance = Math.max(this.params.signal - vv, 0);
    return { mean: m * this.yStd + this.yMean, std: Math.sqrt(variance) * this.yStd };
  }

  private evalNll(xt: Tensor, yt: Tensor, p: GPParams): number {
    return noGrad(() => gpNegLogLikelihood(this.kernel, xt, yt, logTensor(p.lengthScales), logTensor([p.signal]).reshape([]), logTensor([p.noise]).reshape([]), this.alpha).item());
  }

  private optimise(xt: Tensor, yt: Tensor, start: GPParams): { p: GPParams; nll: number } {
    const logL = logTensor(start.lengthScales, true);
    const logS = logTensor([start.signal], true);
    const logN = logTensor([start.noise], true);
    const opt = new Adam([logL, logS, logN], { lr: 0.08 });
    // bounds in log space (inputs live in [0, 1], targets are standardised)
    const clamp = (t: Tensor, lo: number, hi: number): void => {
      for (let i = 0; i < t.size; i++) t.data[i] = Math.min(Math.max(t.data[i]!, Math.log(lo)), Math.log(hi));
    };
    let best = { p: start, nll: Infinity };
    const read = (): GPParams => ({ lengthScales: Array.from(logL.data, Math.exp), signal: Math.exp(logS.data[0]!), noise: Math.exp(logN.data[0]!) });
    for (let s = 0; s <= this.steps; s++) {
      opt.zeroGrad();
      const nll = gpNegLogLikelihood(this.kernel, xt, yt, logL, logS.reshape([]), logN.reshape([]), this.alpha);
      const v = nll.item();
      if (Number.isFinite(v) && v < best.nll) best = { p: read(), nll: v };
      if (s === this.steps) break;
      nll.backward();
      opt.step();
      noGrad(() => {
        clamp(logL, 0.01, 20);
        clamp(logS, 0.05, 20);
        clamp(logN, 1e-6, 1);
      });
    }
    return best;
  }

  private kernelNumbers(a: readonly (readonly number[])[], b: readonly (readonly number[])[], p: GPParams): Float64Array {
    const out = new Float64Array(a.length * b.length);
    const d = p.lengthScales.length;
    for (let i = 0; i < a.length; i++) {
      for (let j = 0; j < b.length; j++) {
        let d2 = 0;
        for (let k = 0; k < d; k++) d2 += ((a[i]![k]! - b[j]![k]!) / p.lengthScales[k]!) ** 2;
        if (this.kernel === 'rbf') out[i * b.length + j] = p.signal * Math.exp(-0.5 * d2);
        else {
          const s5r = Math.sqrt(5 * d2);
          out[i * b.length + j] = p.signal * (1 + s5r + (5 / 3) * d2) * Math.exp(-s5r);
        }
      }
    }
    return out;
  }
}

function logTensor(v: readonly number[], requiresGrad = false): Tensor {
  return tensor(v.map(Math.log), { dtype: 'float64', requiresGrad });
}

function checkParams(op: string, p: GPParams, d: number): void {
  const pos = (v: unknown): boolean => typeof v === 'number' && v > 0 && Number.isFinite(v);
  if (p === null || typeof p !== 'object' || !Array.isArray(p.lengthScales) || p.lengthScales.length !== d || !p.lengthScales.every(pos) || !pos(p.signal) || !(typeof p.noise === 'number' && p.noise >= 0 && Number.isFinite(p.noise))) {
    throw argumentError(`${op}: params must be { lengthScales: ${d} positive numbers, signal > 0, noise >= 0 }, ${got(p)}`);
  }
}
