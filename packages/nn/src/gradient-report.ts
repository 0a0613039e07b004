/**
 * gradientReport(): after a backward pass, each layer's gradient norm and its ratio to the layer's
 * weight norm, with vanishing and exploding layers flagged and the lecture's remedies suggested
 * ("how to recognize vanishing gradients": the weights of the first layers barely change).
 */
import { ArgumentError } from '@memograd/autograd';
import { Module, describe } from './module.ts';

/** Options of `gradientReport`: the thresholds for vanishing and exploding gradients. */
export interface GradientReportOptions {
  /**
   * A layer is vanishing when its ratio ‖∇W‖/‖W‖ is below `vanishing` times the last layer's
   * (default 1e-3: three orders of magnitude smaller than at the output).
   */
  vanishing?: number;
  /**
   * A layer is exploding when its ratio ‖∇W‖/‖W‖ is above `exploding` (default 10: one step of
   * learning rate 0.1 would move its weights by more than their own size), when it is more than
   * 1/`vanishing` times the last layer's, or when its gradient is not finite.
   */
  exploding?: number;
}

/** A layer's gradient verdict in `gradientReport`. */
export type LayerGradientStatus = 'ok' | 'vanishing' | 'exploding' | 'no-grad';

/** One layer's row in a `gradientReport`. */
export interface LayerGradient {
  /** The module's dotted path in the model ('0', 'encoder.fc1', or '' for the model itself). */
  name: string;
  /** Its class name ('Linear', 'BatchNorm1d', ...). */
  type: string;
  /** Number of scalar parameters it holds itself. */
  params: number;
  /** ‖∇‖ over its own parameters' gradients (null when none has a gradient). */
  gradNorm: number | null;
  /** ‖W‖ over its own parameters. */
  weightNorm: number;
  /** gradNorm / weightNorm (null without a gradient). */
  ratio: number | null;
  /** ratio / (the last layer's ratio): how much smaller (or larger) than at the output. */
  relative: number | null;
  /** The verdict for this layer. */
  status: LayerGradientStatus;
}

/** Per-layer gradient norms after `backward()`, with vanishing and exploding gradients flagged. */
export interface GradientReport {
  /** One row per layer with parameters, input side first. */
  layers: LayerGradient[];
  /** Whether some layer's gradients vanish. */
  vanishing: boolean;
  /** Whether some layer's gradients explode. */
  exploding: boolean;
  /** log10 of the first layer's gradient norm over the last layer's (negative: it shrinks toward the input). */
  ordersOfMagnitude: number | null;
  /** What the lecture suggests for the problems found (empty when none). */
  remedies: string[];
  /** The report as a text table. */
  toString(): string;
}

const SATURATING = new Set(['Sigmoid', 'Tanh', 'Softmax']);

/**
 * Lists each parameter-holding module of `model` in order with its gradient norm, weight norm and
 * their ratio (call it after `loss.backward()`), flags vanishing and exploding layers, and
 * suggests remedies: ReLU instead of sigmoid/tanh, He/Glorot initialization, batch norm, gradient
 * clipping. `toString()` gives a readable table.
 *
 * @example
 * loss.backward();
 * console.log(gradientReport(model).toString());
 */
export function gradientReport(model: Module, options: GradientReportOptions = {}): GradientReport {
  if (!(model instanceof Module)) throw new ArgumentError('gradientReport', `argument 'model' must be a Module, got ${describe(model)}`);
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError('gradientReport', `argument 'options' must be an object such as { vanishing: 1e-3 }, got ${describe(options)}`);
  }
  const vanishing = threshold('vanishing', options.vanishing, 1e-3);
  const explodingAt = threshold('exploding', options.exploding, 10);

  const layers: LayerGradient[] = [];
  const modules = [...model.namedModules()];
  for (const [name, m] of modules) {
    const own = [...m.ownNamedParameters()].filter(([, p]) => p.requiresGrad);
    if (own.length === 0) continue;
    let g2 = 0;
    let w2 = 0;
    let count = 0;
    let any = false;
    for (const [, p] of own) {
      count += p.size;
      for (const v of p.data) w2 += v * v;
      const g = p.grad;
      if (g === null || g === undefined) continue;
      any = true;
      for (const v of g.data) g2 += v * v;
    }
    const gradNorm = any ? Math.sqrt(g2) : null;
    const weightNorm = Math.sqrt(w2);
    const ratio = gradNorm === null ? null : weightNorm > 0 ? gradNorm / weightNorm : gradNorm === 0 ? 0 : Infinity;
    layers.push({ name, type: m.constructor.name, params: count, gradNorm, weightNorm, ratio, relative: null, status: gradNorm === null ? 'no-grad' : 'ok' });
  }
  const last = [...layers].reverse().find((l) => l.ratio !== null);
  for (const l of layers) {
    if (l.ratio === null || l.gradNorm === null) continue;
    l.relative = last !== undefined && last.ratio! > 0 && Number.isFinite(last.ratio!) ? l.ratio / last.ratio! : null;
    if (!Number.isFinite(l.gradNorm) || l.ratio > explodingAt || (l.relative !== null && l.relative > 1 / vanishing)) l.status = 'exploding';
    else if (l.relative !== null && l.relative < vanishing) l.status = 'vanishing';
  }
  const withGrad = layers.filter((l) => l.gradNorm !== null);
  const first = withGrad[0];
  const ordersOfMagnitude = first !== undefined && last !== undefined && first.gradNorm! > 0 && last.gradNorm! > 0 && Number.isFinite(first.gradNorm!) && Number.isFinite(last.gradNorm!)
    ? Math.log10(first.gradNorm! / last.gradNorm!)
    : null;
  const isVanishing = layers.some((l) => l.status === 'vanishing');
  const isExploding = layers.some((l) => l.status === 'exploding');
  const saturating = modules.some(([, m]) => SATURATING.has(m.constructor.name) || (m as { activation?: unknown }).activation === 'sigmoid' || (m as { activation?: unknown }).activation === 'tanh');
  const remedies: string[] = [];
  if (isVanishing) {
    remedies.push(saturating
      ? 'Use ReLU (or LeakyReLU/ELU) instead of sigmoid/tanh in the hidden layers: their derivative is at most 0.25 (sigmoid) or 1 (tanh), and the chain rule multiplies one per layer.'
      : 'Use a non-saturating activation (ReLU, LeakyReLU, ELU) in the hidden layers.');
    remedies.push('Initialize for the activation: He (Kaiming) for ReLU (init.kaimingNormal_, Linear { kernelInitializer: \'heNormal\' }), Glorot/Xavier for tanh/sigmoid (init.xavierUniform_).');
    remedies.push('Add batch normalization between the layers (BatchNorm1d) to keep the activations out of the saturated range.');
    remedies.push('Reduce the depth, or add residual connections (ResNet) so the gradient has a short path to the first layers.');
  }
  if (isExploding) {
    remedies.push('Clip the gradient before the optimizer step (clipGradNorm / clipGradValue from @memograd/optim).');
    remedies.push('Use a smaller initialization: He (Kaiming) for ReLU, Glorot/Xavier for tanh/sigmoid, instead of large weights.');
    remedies.push('Add batch normalization between the layers, and lower the learning rate.');
  }
  const report: GradientReport = {
    layers,
    vanishing: isVanishing,
    exploding: isExploding,
    ordersOfMagnitude,
    remedies,
    toString: () => render(report, vanishing, explodingAt),
  };
  return report;
}

function threshold(what: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new ArgumentError('gradientReport', `option '${what}' must be a positive finite number, got ${describe(v)}`);
  }
  return v;
}

function num(v: number | null): string {
  if (v === null) return '-';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  return v.toExponential(2);
}

function render(r: GradientReport, vanishing: number, exploding: number): string {
  const head = ['layer', 'type', 'params', '‖∇W‖', '‖W‖', '‖∇W‖/‖W‖', 'vs last', 'status'];
  const rows = r.layers.map((l) => [
    l.name === '' ? '(model)' : l.name, l.type, String(l.params), num(l.gradNorm), num(l.weightNorm), num(l.ratio), num(l.relative),
    l.status === 'ok' ? 'ok' : l.status.toUpperCase(),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((s, c) => (c >= 2 && c <= 6 ? s.padStart(widths[c]!) : s.padEnd(widths[c]!))).join('  ').trimEnd();
  const out = ['Gradient report (input layer first)', line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (r.layers.length === 0) out.push('(no parameters that require grad)');
  if (r.ordersOfMagnitude !== null) {
    const k = r.ordersOfMagnitude;
    out.push('', `Gradient norm from the last layer to the first: ${k < 0 ? 'shrinks' : 'grows'} by ${Math.abs(k).toFixed(1)} orders of magnitude.`);
  }
  if (r.layers.some((l) => l.status === 'no-grad')) out.push('Layers without a gradient: call loss.backward() first, or they are not used by the loss.');
  if (!r.vanishing && !r.exploding) {
    out.push(`No vanishing (ratio < ${vanishing} × the last layer's) or exploding (ratio > ${exploding}) layers.`);
  } else {
    if (r.vanishing) out.push(`VANISHING gradients: ${r.layers.filter((l) => l.status === 'vanishing').map((l) => l.name || '(model)').join(', ')} learn ${'>'}${Math.round(-Math.log10(vanishing))} orders of magnitude slower than the last layer.`);
    if (r.exploding) out.push(`EXPLODING gradients: ${r.layers.filter((l) => l.status === 'exploding').map((l) => l.name || '(model)').join(', ')}.`);
    out.push('Remedies (from the lecture):', ...r.remedies.map((s) => `  - ${s}`));
  }
  return out.join('\n');
}
