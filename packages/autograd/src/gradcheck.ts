/**
 * Finite-difference checking of gradients, as a public API (PyTorch's gradcheck/gradgradcheck).
 *
 * The analytical Jacobian (one backward pass per output element, or one vector-Jacobian product
 * in fast mode) is compared with central differences (f(x + eps) - f(x - eps)) / 2 eps, entry by
 * entry: |analytical - numerical| <= atol + rtol |numerical|. Work in float64: in float32 the
 * differences lose about half of the significant digits and the check says nothing.
 */
import { grad } from './autodiff.ts';
import { DTypeError, GradcheckError, ArgumentError } from './errors.ts';
import { Generator } from './random.ts';
import { checkBoolean, checkOptions, describe, formatShape } from './shape.ts';
import { Tensor } from './tensor.ts';

/** Options of `gradcheck` (like `torch.autograd.gradcheck`'s). */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6, as PyTorch). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /**
   * Check one random projection vᵀJu instead of the whole Jacobian: one backward and two forwards
   * whatever the size. On failure the full Jacobians are computed to explain it.
   */
  fastMode?: boolean;
  /** Seed of the random projections in fast mode. */
  seed?: number;
  /** Name used in messages (default: the function's name). */
  name?: string;
}

/** One entry of the Jacobian compared by `gradcheck`. */
export interface GradcheckEntry {
  /** Index of the input tensor. */
  input: number;
  /** Index of the output tensor. */
  output: number;
  /** Position in the input, as a multi-index. */
  inputIndex: number[];
  /** Position in the output, as a multi-index. */
  outputIndex: number[];
  /** The Jacobian entry from backward. */
  analytical: number;
  /** The Jacobian entry from central finite differences. */
  numerical: number;
  /** Absolute difference of the two. */
  absDiff: number;
}

/** The outcome of `gradcheck`. */
export interface GradcheckReport {
  /** True when every entry is within tolerance. */
  ok: boolean;
  /** Whether the whole Jacobian or one random projection was checked. */
  mode: 'full' | 'fast';
  /** The entry with the largest violation (or the largest difference, when all pass). */
  worst: GradcheckEntry | null;
  /** Number of Jacobian entries outside tolerance. */
  failures: number;
  /** Notes on kinks: entries whose one-sided differences disagree, where no derivative exists. */
  warnings: string[];
  /** A human-readable summary of the result. */
  message: string;
}

type Fn = (...xs: Tensor[]) => Tensor | readonly Tensor[];

function unflatten(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

/** f's outputs as a list; anything but a Tensor or an array of Tensors is refused, naming `op`. */
function asList(op: string, y: unknown): Tensor[] {
  if (y instanceof Tensor) return [y];
  if (Array.isArray(y) && y.length > 0 && y.every((t) => t instanceof Tensor)) return [...(y as Tensor[])];
  throw new ArgumentError(op, `f must return a Tensor or a non-empty array of Tensors, got ${describe(y)}`);
}

// Recording stays on: f may itself compute gradients (gradgradcheck's first-order function does).
function evaluate(op: string, f: Fn, inputs: readonly Tensor[]): Float64Array[] {
  return asList(op, f(...inputs)).map((t) => Float64Array.from(t.data));
}

const GRADCHECK_OPTIONS = ['eps', 'atol', 'rtol', 'fastMode', 'seed', 'name'] as const;

interface Settings {
  eps: number;
  atol: number;
  rtol: number;
  fastMode: boolean;
  seed: number | undefined;
  name: string;
}

/** Validates f, the inputs and the options of a public check; returns the differentiable inputs. */
function validate(op: string, f: unknown, inputs: readonly Tensor[], options: GradcheckOptions | undefined, extra: readonly string[] = []): { diff: number[]; s: Settings } {
  if (typeof f !== 'function') throw new ArgumentError(op, `argument 'f' must be a function (...inputs) => Tensor | Tensor[], got ${describe(f)}`);
  const o = checkOptions(op, options, [...GRADCHECK_OPTIONS, ...extra]);
  const positive = (key: 'eps' | 'atol' | 'rtol', fallback: number, strict: boolean): number => {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || (strict ? v <= 0 : v < 0)) {
      throw new ArgumentError(op, `${key} must be a finite number ${strict ? '> 0' : '>= 0'}, got ${describe(v)}`);
    }
    return v;
  };
  const eps = positive('eps', 1e-6, true);
  const atol = positive('atol', 1e-5, false);
  const rtol = positive('rtol', 1e-3, false);
  const fastMode = checkBoolean(op, 'fastMode', o.fastMode, false);
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isFinite(o.seed))) throw new ArgumentError(op, `seed must be a finite number, got ${describe(o.seed)}`);
  if (o.name !== undefined && typeof o.name !== 'string') throw new ArgumentError(op, `name must be a string, got ${describe(o.name)}`);
  const name = o.name ?? ((f as Fn).name || 'f');
  if (!Array.isArray(inputs)) throw new ArgumentError(op, `inputs must be an array of tensors, got ${describe(inputs)}`);
  const diff: number[] = [];
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(op, `input ${i} is not a Tensor, got ${describe(t)}`);
    if (t.requiresGrad && t.dtype !== 'float64') {
      throw new DTypeError(
        op,
        `input ${i} (shape ${formatShape(t.shape)}) is float32; finite differences in float32 lose about half the digits, ` +
          `so gradcheck needs float64 inputs: use x.float64() or create it with { dtype: 'float64' }`,
      );
    }
    if (t.requiresGrad) diff.push(i);
  });
  if (diff.length === 0) throw new ArgumentError(op, 'no input requires grad: set requiresGrad on the inputs to check');
  // x ± eps and the central difference's 2·eps must stay finite, or every numerical derivative is
  // NaN (eps = 1.8e308)
  for (const i of diff) {
    let largest = 0;
    for (const v of inputs[i]!.data) if (Number.isFinite(v) && Math.abs(v) > largest) largest = Math.abs(v);
    if (!Number.isFinite(2 * (largest + eps))) throw new ArgumentError(op, `eps ${eps} moves input ${i} (largest |value| ${largest}) past the largest float64: no finite difference can be taken`);
  }
  return { diff, s: { eps, atol, rtol, fastMode, seed: o.seed, name } };
}

/** Checks f's gradients against central differences and returns a report (never throws on mismatch). */
export function gradcheck(f: Fn, inputs: readonly Tensor[], options?: GradcheckOptions): GradcheckReport {
  const { diff, s } = validate('gradcheck', f, inputs, options);
  return check('gradcheck', f, inputs, diff, s);
}

function check(op: string, f: Fn, inputs: readonly Tensor[], diff: number[], s: Settings): GradcheckReport {
  const { eps, atol, rtol, name } = s;
  if (s.fastMode) {
    const fast = fastCheck(op, f, inputs, diff, eps, atol, rtol, s.seed ?? 0);
    if (fast.ok) return { ok: true, mode: 'fast', worst: null, failures: 0, warnings: [], message: `gradcheck(${name}): ok (fast mode, vᵀJu ${fast.analytical} vs ${fast.numerical})` };
    const full = fullCheck(op, f, inputs, diff, eps, atol, rtol, name);
    return { ...full, mode: 'fast', ok: false, message: `${full.message}\n  (fast mode: vᵀJu analytical ${fast.analytical} vs numerical ${fast.numerical})` };
  }
  return fullCheck(op, f, inputs, diff, eps, atol, rtol, name);
}

/** The throwing form: raises a GradcheckError describing the worst entry when the check fails. */
export function assertGradcheck(f: Fn, inputs: readonly Tensor[], options?: GradcheckOptions): GradcheckReport {
  const { diff, s } = validate('assertGradcheck', f, inputs, options);
  const report = check('assertGradcheck', f, inputs, diff, s);
  if (!report.ok) throw new GradcheckError('gradcheck', report.message.replace(/^gradcheck(\([^)]*\))?: /, ''));
  return report;
}

function fastCheck(op: string, f: Fn, inputs: readonly Tensor[], diff: number[], eps: number, atol: number, rtol: number, seed: number) {
  const g = new Generator(seed);
  const outputs = asList(op, f(...inputs));
  const us = diff.map((i) => Float64Array.from(inputs[i]!.data, () => g.uniform(-1, 1)));
  const vs = outputs.map((o) => new Tensor(Float64Array.from(o.data, () => g.uniform(-1, 1)), o.shape, 'float64'));
  // analytical: sum_outputs vᵀ J u via one backward pass over all outputs
  let analytical = 0;
  const live = outputs.map((o, k) => [o, vs[k]!] as const).filter(([o]) => o.requiresGrad);
  if (live.length > 0) {
    const grads = grad(live.map(([o]) => o), diff.map((i) => inputs[i]!), {
      gradOutputs: live.map(([, v]) => (v.dtype === live[0]![0].dtype ? v : v.to(live[0]![0].dtype))),
      allowUnused: true,
    });
    grads.forEach((gi, k) => {
      const u = us[k]!;
      for (let j = 0; j < u.length; j++) analytical += gi.data[j]! * u[j]!;
    });
  }
  const shift = (sign: number): Float64Array[] => {
    const saved = diff.map((i) => Float64Array.from(inputs[i]!.data));
    diff.forEach((i, k) => {
      const d = inputs[i]!.data;
      for (let j = 0; j < d.length; j++) d[j] = saved[k]![j]! + sign * eps * us[k]![j]!;
    });
    try {
      return evaluate(op, f, inputs);
    } finally {
      diff.forEach((i, k) => inputs[i]!.data.set(saved[k]!));
    }
  };
  const plus = shift(1);
  const minus = shift(-1);
  let numerical = 0;
  vs.forEach((v, k) => {
    for (let j = 0; j < v.size; j++) numerical += v.data[j]! * ((plus[k]![j]! - minus[k]![j]!) / (2 * eps));
  });
  return { ok: Math.abs(analytical - numerical) <= atol + rtol * Math.abs(numerical), analytical, numerical };
}

function fullCheck(op: string, f: Fn, inputs: readonly Tensor[], diff: number[], eps: number, atol: number, rtol: number, name: string): GradcheckReport {
  const outputs = asList(op, f(...inputs));
  // the values at the unperturbed point, copied now (an output may share storage with an input)
  const center = outputs.map((o) => Float64Array.from(o.data));
  // analytical[o][k]: rows = output elements, columns = elements of input diff[k]
  const analytical: Float64Array[][] = outputs.map((o) => diff.map((i) => new Float64Array(o.size * inputs[i]!.size)));
  outputs.forEach((o, oi) => {
    if (!o.requiresGrad) return;
    for (let r = 0; r < o.size; r++) {
      const seed = new Tensor(o.dtype === 'float64' ? new Float64Array(o.size) : new Float32Array(o.size), o.shape, o.dtype);
      seed.data[r] = 1;
      const gs = grad(o, diff.map((i) => inputs[i]!), { gradOutputs: [seed], retainGraph: true, allowUnused: true });
      gs.forEach((g, k) => {
        const n = inputs[diff[k]!]!.size;
        for (let c = 0; c < n; c++) analytical[oi]![k]![r * n + c] = g.data[c]!;
      });
    }
  });
  const warnings: string[] = [];
  let worst: GradcheckEntry | null = null;
  let worstExcess = -Infinity;
  let failures = 0;
  diff.forEach((i, k) => {
    const x = inputs[i]!;
    for (let c = 0; c < x.size; c++) {
      const orig = x.data[c]!;
      x.data[c] = orig + eps;
      const plus = evaluate(op, f, inputs);
      x.data[c] = orig - eps;
      const minus = evaluate(op, f, inputs);
      x.data[c] = orig;
      outputs.forEach((o, oi) => {
        for (let r = 0; r < o.size; r++) {
          const num = (plus[oi]![r]! - minus[oi]![r]!) / (2 * eps);
          const ana = analytical[oi]![k]![r * x.size + c]!;
          const absDiff = Math.abs(ana - num);
          const excess = absDiff - (atol + rtol * Math.abs(num));
          const bad = !(excess <= 0);
          if (bad) failures++;
          const right = (plus[oi]![r]! - center[oi]![r]!) / eps;
          const left = (center[oi]![r]! - minus[oi]![r]!) / eps;
          const gap = Math.abs(right - left);
          // A smooth f has gap ~ eps |f''|; a kink a jump that does not shrink with eps. A failing
          // entry is flagged at the tolerance's scale; a passing one only for a jump of order one
          // (e.g. |x| at 0, where the central difference happens to equal the subgradient 0).
          if (bad ? gap > 10 * (atol + rtol * Math.abs(num)) : gap > 0.1 * Math.max(1, Math.abs(num))) {
            warnings.push(
              `input ${i} at ${formatShape(unflatten(c, x.shape))}: one-sided differences disagree (left ${left}, right ${right}); ` +
                `f has a kink there, so no derivative exists to compare${bad ? '' : ' (the entry passed only because the central difference averages both sides)'}: move the point away from it`,
            );
          }
          if (excess > worstExcess || Number.isNaN(excess)) {
            worstExcess = Number.isNaN(excess) ? Infinity : excess;
            worst = { input: i, output: oi, inputIndex: unflatten(c, x.shape), outputIndex: unflatten(r, o.shape), analytical: ana, numerical: num, absDiff };
          }
        }
      });
    }
  });
  const ok = failures === 0;
  const w = worst as GradcheckEntry | null;
  const shapes = inputs.map((t, i) => `${i}:${formatShape(t.shape)}`).join(' ');
  const message = ok
    ? `gradcheck(${name}): ok (${diff.length} input(s), ${outputs.length} output(s); largest |diff| ${w ? w.absDiff : 0})` +
      (warnings.length ? `\n  warning: ${warnings[0]}${warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : ''}` : '')
    : `gradcheck(${name}): Jacobian mismatch for output ${w!.output} with respect to input ${w!.input} (shape ${formatShape(inputs[w!.input]!.shape)})\n` +
      `  worst entry: input index ${formatShape(w!.inputIndex)}, output index ${formatShape(w!.outputIndex)}: analytical ${w!.analytical} vs numerical ${w!.numerical} ` +
      `(|diff| ${w!.absDiff} > atol ${atol} + rtol ${rtol}·|numerical|)\n` +
      `  ${failures} entr${failures === 1 ? 'y' : 'ies'} out of tolerance; input shapes ${shapes}; eps ${eps}` +
      (!Number.isFinite(w!.numerical) && Number.isFinite(w!.analytical) ? `\n  the numerical derivative is not finite: f is infinite or NaN at x ± eps (is eps ${eps} too large?)` : '') +
      (warnings.length ? `\n  warning: ${warnings[0]}${warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : ''}` : '');
  return { ok, mode: 'full', worst: w, failures, warnings, message };
}

/** Options of `gradgradcheck` (second derivatives, like `torch.autograd.gradgradcheck`). */
export interface GradgradcheckOptions extends GradcheckOptions {
  /** Cotangents for f's outputs (random float64 ones by default); they are checked as inputs too. */
  gradOutputs?: readonly Tensor[];
}

/**
 * Checks second derivatives: the gradients of f, written as the differentiable function
 * (xs, v) -> vᵀJ(xs) built with `createGraph`, are themselves gradient-checked with respect to
 * both the inputs and the cotangent v.
 */
export function gradgradcheck(f: Fn, inputs: readonly Tensor[], options?: GradgradcheckOptions): GradcheckReport {
  return secondOrder('gradgradcheck', f, inputs, options);
}

function secondOrder(op: string, f: Fn, inputs: readonly Tensor[], options: GradgradcheckOptions | undefined): GradcheckReport {
  const { diff, s } = validate(op, f, inputs, options, ['gradOutputs']);
  const outputs = asList(op, f(...inputs));
  const given = options?.gradOutputs;
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length !== outputs.length) {
      throw new ArgumentError(op, `gradOutputs must be an array of ${outputs.length} tensor(s), one per output of f, got ${describe(given)}`);
    }
    given.forEach((v, k) => {
      const o = outputs[k]!;
      if (!(v instanceof Tensor) || v.rank !== o.rank || v.shape.some((d, i) => d !== o.shape[i])) {
        throw new ArgumentError(op, `gradOutputs[${k}] must be a Tensor of shape ${formatShape(o.shape)} (output ${k}), got ${describe(v)}`);
      }
      if (v.requiresGrad && v.dtype !== 'float64') throw new DTypeError(op, `gradOutputs[${k}] is float32; the cotangents are checked as inputs too and must be float64`);
    });
  }
  const g = new Generator(s.seed ?? 1);
  const vs = given
    ? given.map((v) => v)
    : outputs.map((o) => {
        const v = new Tensor(Float64Array.from(o.data, () => g.uniform(-1, 1)), o.shape, 'float64');
        v.requiresGrad = true;
        return v;
      });
  const n = inputs.length;
  const firstOrder = (...all: Tensor[]): Tensor[] => {
    const xs = all.slice(0, n);
    const cot = all.slice(n);
    const ys = asList(op, f(...xs));
    const live = ys.map((y, k) => [y, cot[k]!] as const).filter(([y]) => y.requiresGrad);
    const targets = diff.map((i) => xs[i]!);
    if (live.length === 0) return targets.map((t) => t.mul(0));
    return grad(live.map(([y]) => y), targets, { gradOutputs: live.map(([, v]) => v), createGraph: true, allowUnused: true });
  };
  const all = [...inputs, ...vs];
  const allDiff = all.flatMap((t, i) => (t.requiresGrad ? [i] : []));
  const report = check(op, firstOrder, all, allDiff, { ...s, name: `grad of ${s.name}` });
  return { ...report, message: report.message.replace(/^gradcheck/, 'gradgradcheck') };
}

/** The throwing form of gradgradcheck. */
export function assertGradgradcheck(f: Fn, inputs: readonly Tensor[], options?: GradgradcheckOptions): GradcheckReport {
  const report = secondOrder('assertGradgradcheck', f, inputs, options);
  if (!report.ok) throw new GradcheckError('gradgradcheck', report.message.replace(/^gradgradcheck(\([^)]*\))?: /, ''));
  return report;
}
