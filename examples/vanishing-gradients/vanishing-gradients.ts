/**
 * "How to recognize vanishing gradients" (shared/seeds 004): a deep stack of sigmoid layers barely
 * moves its first layers' weights, because the chain rule multiplies one sigmoid derivative (at most
 * 0.25) and one weight matrix per layer on the way back to the input. gradientReport() shows it after
 * one backward pass; the lecture's remedies (ReLU + He initialization) fix it; weights that are too
 * large make the gradient explode instead, and gradient clipping bounds the step.
 *
 * Every case is a 10-layer stack of Linear(16, 16) + activation, fitted by mean squared error to the
 * same seeded regression data (64 samples) with plain SGD.
 */
import { Generator, tensor } from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import { Linear, ReLU, Sequential, Sigmoid, gradientReport, init, mseLoss } from '@memograd/nn';
import type { GradientReport, Module } from '@memograd/nn';
import { SGD, clipGradNorm } from '@memograd/optim';

export type Case = 'sigmoid' | 'relu-he' | 'exploding';
export const CASES: readonly Case[] = ['sigmoid', 'relu-he', 'exploding'];

export const CASE_TITLES: Record<Case, string> = {
  sigmoid: '10 x (Linear(16, 16) + Sigmoid), default initialization (uniform in +-1/sqrt(16))',
  'relu-he': '10 x (Linear(16, 16) + ReLU), He initialization (init.kaimingNormal_, zero biases)',
  exploding: '10 x (Linear(16, 16) + ReLU), weights drawn from N(0, 1) (He would be N(0, 2/16))',
};

export interface VanishingOptions {
  depth?: number;
  width?: number;
  samples?: number;
  steps?: number;
  lr?: number;
  /** maxNorm of clipGradNorm in the exploding case (default 1). */
  maxNorm?: number;
  seed?: number;
}

export interface CaseResult {
  case: Case;
  /** gradientReport after the first backward pass (before any step). */
  report: GradientReport;
  lossBefore: number;
  lossAfter: number;
  /** Largest |w_new - w_old| of the first and the last Linear layer after `steps` SGD steps (the seed's old/new weights). */
  firstLayerChange: number;
  lastLayerChange: number;
  /** exploding case only: the total gradient norm clipGradNorm saw at the first step, and the norm after clipping. */
  clippedFrom?: number;
  clippedTo?: number;
}

export function makeData(samples: number, width: number, g: Generator): { x: Tensor; y: Tensor } {
  const xs = new Float32Array(samples * width);
  const ys = new Float32Array(samples * width);
  for (let i = 0; i < xs.length; i++) xs[i] = g.normal(0, 1);
  // targets in (0, 1): a fixed smooth function of the inputs, so both output activations can fit it
  for (let i = 0; i < samples; i++) {
    for (let j = 0; j < width; j++) {
      const a = xs[i * width + j]!;
      const b = xs[i * width + ((j + 1) % width)]!;
      ys[i * width + j] = 1 / (1 + Math.exp(-(a - 0.5 * b)));
    }
  }
  return { x: tensor(xs, { shape: [samples, width] }), y: tensor(ys, { shape: [samples, width] }) };
}

export function buildModel(c: Case, depth: number, width: number, g: Generator): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i < depth; i++) {
    const lin = new Linear(width, width, { generator: g });
    if (c === 'relu-he') {
      init.kaimingNormal_(lin.weight, { nonlinearity: 'relu', generator: g });
      init.zeros_(lin.bias!);
    } else if (c === 'exploding') {
      init.normal_(lin.weight, 0, 1, { generator: g });
      init.zeros_(lin.bias!);
    }
    layers.push(lin, c === 'sigmoid' ? new Sigmoid() : new ReLU());
  }
  return new Sequential(...layers);
}

function linears(model: Sequential): Linear[] {
  return [...model.modules()].filter((m): m is Linear => m instanceof Linear);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function runCase(c: Case, options: VanishingOptions = {}): CaseResult {
  const { depth = 10, width = 16, samples = 64, steps = 20, lr = 0.5, maxNorm = 1, seed = 0 } = options;
  const data = makeData(samples, width, new Generator(seed));
  const model = buildModel(c, depth, width, new Generator(seed + 1));
  const lin = linears(model);
  const first = Float32Array.from(lin[0]!.weight.data);
  const last = Float32Array.from(lin[lin.length - 1]!.weight.data);
  const opt = new SGD(model.parameters(), { lr });
  let report: GradientReport | null = null;
  let lossBefore = NaN;
  let lossAfter = NaN;
  const result: Partial<CaseResult> = {};
  for (let step = 0; step <= steps; step++) {
    opt.zeroGrad();
    const loss = mseLoss(model.forward(data.x), data.y);
    if (step === 0) lossBefore = loss.item();
    lossAfter = loss.item();
    if (step === steps) break;
    loss.backward();
    if (step === 0) report = gradientReport(model);
    if (c === 'exploding') {
      const total = clipGradNorm(model.parameters(), maxNorm);
      if (step === 0) {
        result.clippedFrom = total;
        result.clippedTo = clipGradNorm(model.parameters(), Infinity);
      }
    }
    opt.step();
  }
  return {
    case: c,
    report: report!,
    lossBefore,
    lossAfter,
    firstLayerChange: maxAbsDiff(first, lin[0]!.weight.data),
    lastLayerChange: maxAbsDiff(last, lin[lin.length - 1]!.weight.data),
    ...result,
  };
}

export function runAll(options: VanishingOptions = {}): CaseResult[] {
  return CASES.map((c) => runCase(c, options));
}

/** The one-line verdict main.ts prints for each case (and the smoke test checks). */
export function verdict(r: CaseResult): string {
  const flagged = r.report.layers.filter((l) => l.status !== 'ok').length;
  const kind = r.report.vanishing ? 'VANISHING' : r.report.exploding ? 'EXPLODING' : 'healthy';
  return `verdict: ${kind} (${flagged} of ${r.report.layers.length} layers flagged)`;
}
