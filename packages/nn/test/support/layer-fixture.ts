/**
 * The shared runner of the layer fixtures (fixtures/torch_<family>.py, written with
 * fixtures/torch_layers.py): each case holds a PyTorch module's state dict, float64 inputs, its
 * outputs, one cotangent per output, and the gradients of Σ output·cotangent with respect to the
 * inputs and every parameter. `describeLayerFixture` builds the memograd layer from the case's
 * config, loads the state dict (strict: the parameter names must be PyTorch's), runs it, and holds
 * outputs and gradients to 1e-10 (relative above 1).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor, grad, tensor } from '@memograd/autograd';
import type { Module } from '../../src/index.ts';

type Enc = number | 'nan' | 'inf' | '-inf';
/** A tensor as the fixtures write it. */
export interface Plain {
  shape: number[];
  data: Enc[];
}
/** One recorded layer case. */
export interface LayerCase {
  name: string;
  config: Record<string, unknown>;
  state: Record<string, Plain>;
  inputs: Plain[];
  outputs: Plain[];
  cotangents: Plain[];
  gradInputs: (Plain | null)[];
  gradParams: Record<string, Plain>;
}

const dec = (v: Enc): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
/** A float64 tensor from a fixture's plain tensor. */
export const fromPlain = (p: Plain, requiresGrad = false): Tensor => tensor(Float64Array.from(p.data, dec), { shape: p.shape, dtype: 'float64', requiresGrad });

/** Loads a fixture file (URL relative to the caller). */
export function loadLayerFixture(url: URL): { torch: string; cases: LayerCase[] } {
  return JSON.parse(readFileSync(url, 'utf8')) as { torch: string; cases: LayerCase[] };
}

function mismatches(actual: ArrayLike<number>, expected: Plain, what: string, tol: number): string[] {
  if (actual.length !== expected.data.length) return [`${what}: ${actual.length} values, torch ${expected.data.length}`];
  const bad: string[] = [];
  for (let i = 0; i < actual.length; i++) {
    const e = dec(expected.data[i]!);
    const a = actual[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
    if (!ok) bad.push(`${what}[${i}]: ${a} vs torch ${e}`);
  }
  return bad;
}

/**
 * One test per case. `build` makes the float64 memograd layer for a config; `run` applies it to the
 * inputs and returns the outputs in the fixture's order.
 */
export function describeLayerFixture(
  title: string,
  url: URL,
  build: (config: Record<string, unknown>) => Module,
  run: (m: Module, inputs: Tensor[], config: Record<string, unknown>) => Tensor[],
  options: { tol?: number } = {},
): void {
  const fixture = loadLayerFixture(url);
  const tol = options.tol ?? 1e-10;
  describe(`${title} against PyTorch ${fixture.torch}`, () => {
    it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      expect.hasAssertions();
      const m = build(c.config);
      const result = m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, fromPlain(v)])));
      expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const xs = c.inputs.map((p, i) => fromPlain(p, c.gradInputs[i] !== null));
      const outs = run(m, xs, c.config);
      expect(outs.length).toBe(c.outputs.length);
      const bad: string[] = [];
      outs.forEach((o, i) => {
        expect(o.shape).toEqual(c.outputs[i]!.shape);
        bad.push(...mismatches(o.data, c.outputs[i]!, `output ${i}`, tol));
      });
      let total: Tensor | null = null;
      outs.forEach((o, i) => {
        const term = o.mul(fromPlain(c.cotangents[i]!)).sum();
        total = total === null ? term : total.add(term);
      });
      const params = new Map(m.namedParameters());
      const names = Object.keys(c.gradParams);
      expect(names.filter((n) => !params.has(n))).toEqual([]);
      const wrtInputs = xs.filter((_, i) => c.gradInputs[i] !== null);
      const gs = grad(total!, [...wrtInputs, ...names.map((n) => params.get(n)!)], { allowUnused: true });
      let k = 0;
      c.gradInputs.forEach((g, i) => {
        if (g !== null) bad.push(...mismatches(gs[k++]!.data, g, `grad input ${i}`, tol));
      });
      for (const n of names) bad.push(...mismatches(gs[k++]!.data, c.gradParams[n]!, `grad ${n}`, tol));
      expect(bad.join('\n')).toBe('');
    });
  });
}
