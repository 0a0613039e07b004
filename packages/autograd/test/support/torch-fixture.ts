/**
 * The shared runner of the PyTorch fixture files: each family's fixtures/torch_<family>.py writes
 * fixtures/torch-<family>.json with fixtures/torch_cases.py (PyTorch's outputs and gradients for a
 * fixed cotangent, float64), and its torch-<family>.test.ts calls `describeTorchFixture` with
 * memograd's function of the same meaning for each case. JSON has no NaN or Infinity: they are
 * written "nan", "inf", "-inf", and -0.0 as "-0".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as M from '../../src/index.ts';
import { ALL_OPS, Tensor } from '../../src/index.ts';

/** A number as the fixtures write it. */
export type Enc = number | 'nan' | 'inf' | '-inf' | '-0';

/** One recorded case. */
export interface TorchCase {
  name: string;
  inputs: { shape: number[]; data: Enc[] }[];
  cotangent: number[];
  output: { shape: number[]; data: Enc[] };
  grads: (Enc[] | null)[];
}

export const dec = (v: Enc): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : v);

/** memograd's function of the same meaning as a case, and for an elementwise op its registry name (for the 0-d lane). */
export interface TorchSpec {
  fn: (...xs: Tensor[]) => Tensor;
  /** A registry op name: the case then also runs one element at a time through the 0-d scalar lane. */
  op?: string;
  /** The registry op's params (with `op`). */
  params?: unknown;
  /** Relative tolerance (default 1e-12; above 1 relative, below absolute). */
  tol?: number;
  /** Inputs to differentiate (default: all); the others are passed without requiresGrad. */
  differentiable?: readonly number[];
}

/** A spec for a registry op, run through its `call` (so the scalar lane can run it too). */
export const registryOp = (op: string, params?: unknown, tol?: number): TorchSpec => {
  const entry = ALL_OPS.find((o) => o.name === op);
  if (!entry) throw new Error(`registryOp: no registry op '${op}'`);
  return { fn: (...xs) => entry.call(xs, params), op, params, ...(tol !== undefined ? { tol } : {}) };
};

/** Whether `a` is PyTorch's `e`: NaN for NaN, the same infinity, else within tol (relative above 1). */
export function sameAsTorch(a: number, e: number, tol = 1e-12): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
}

function mismatches(actual: ArrayLike<number>, expected: readonly Enc[], what: string, tol: number): string[] {
  if (actual.length !== expected.length) return [`${what}: ${actual.length} values, torch has ${expected.length}`];
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const e = dec(expected[i]!);
    if (!sameAsTorch(actual[i]!, e, tol)) bad.push(`${what}[${i}]: ${actual[i]} vs torch ${e}`);
  }
  return bad;
}

/** Loads a fixture file next to the tests (URL relative to the caller). */
export function loadFixture(url: URL): { torch: string; cases: TorchCase[] } {
  return JSON.parse(readFileSync(url, 'utf8')) as { torch: string; cases: TorchCase[] };
}

/**
 * Tests every case of a fixture file: values and gradients in the tensor lane (float64), and for
 * specs naming a registry op, the 0-d scalar lane one element at a time. `refused` names cases
 * memograd deliberately rejects (an error is expected instead).
 */
export function describeTorchFixture(title: string, url: URL, specs: Record<string, TorchSpec>, options: { refused?: Record<string, new (...a: any[]) => Error> } = {}): void {
  const fixture = loadFixture(url);
  const refused = options.refused ?? {};
  describe(`${title} (PyTorch ${fixture.torch})`, () => {
    it('maps every fixture case, and every spec has a case', () => {
      expect(fixture.cases.filter((c) => !(c.name in specs) && !(c.name in refused)).map((c) => c.name)).toEqual([]);
      const names = new Set(fixture.cases.map((c) => c.name));
      expect(Object.keys(specs).filter((n) => !names.has(n))).toEqual([]);
    });
    const inputsOf = (c: TorchCase, spec: TorchSpec) =>
      c.inputs.map((i, k) => M.tensor(Float64Array.from(i.data, dec), { shape: i.shape, requiresGrad: spec.differentiable ? spec.differentiable.includes(k) : true }));

    const refusedCases = fixture.cases.filter((c) => c.name in refused);
    if (refusedCases.length > 0) {
      it.each(refusedCases.map((c) => [c.name, c] as const))('%s is refused with a typed error', (name, c) => {
        const spec = specs[name] ?? { fn: () => { throw new Error(`no spec for refused case ${name}`); } };
        expect(() => spec.fn(...inputsOf(c, spec))).toThrow(refused[name]!);
      });
    }
    const accepted = fixture.cases.filter((c) => !(c.name in refused));
    it.each(accepted.map((c) => [c.name, c] as const))('%s (tensor lane)', (name, c) => {
      expect.hasAssertions();
      const spec = specs[name]!;
      const tol = spec.tol ?? 1e-12;
      const xs = inputsOf(c, spec);
      const out = spec.fn(...xs);
      expect(out.shape).toEqual(c.output.shape);
      const bad = mismatches(out.data, c.output.data, 'out', tol);
      const wanted = c.grads.some((g) => g !== null);
      if (wanted) {
        expect(out.requiresGrad, 'the output records a gradient').toBe(true);
        const gs = M.grad(out, xs, { gradOutputs: [M.tensor(Float64Array.from(c.cotangent), { shape: c.output.shape })], allowUnused: true });
        gs.forEach((g, k) => {
          const expected = c.grads[k];
          if (expected === null || expected === undefined) return;
          bad.push(...mismatches(g.data, expected, `grad${k}`, tol));
        });
      }
      expect(bad.join('\n')).toBe('');
    });
    const elementwise = accepted.filter((c) => specs[c.name]?.op !== undefined);
    if (elementwise.length > 0) {
      it.each(elementwise.map((c) => [c.name, c] as const))('%s (0-d scalar lane, one element at a time)', (name, c) => {
        expect.hasAssertions();
        const spec = specs[name]!;
        const tol = spec.tol ?? 1e-12;
        const bad: string[] = [];
        for (let i = 0; i < c.output.data.length; i++) {
          const xs = c.inputs.map((inp) => {
            const t = new Tensor(Float64Array.of(dec(inp.data[inp.data.length === 1 ? 0 : i]!)), [], 'float64');
            t.requiresGrad = true;
            return t;
          });
          const out = spec.fn(...xs);
          bad.push(...mismatches([out.item()], [c.output.data[i]!], `out[${i}]`, tol));
          if (!out.requiresGrad) continue;
          const gs = M.grad(out, xs, { gradOutputs: [M.scalar(c.cotangent[i]!, { dtype: 'float64', requiresGrad: false })], allowUnused: true });
          gs.forEach((g, k) => {
            const expected = c.grads[k];
            if (expected && expected.length === c.output.data.length) bad.push(...mismatches([g.item()], [expected[i]!], `grad${k}[${i}]`, tol));
          });
        }
        expect(bad.join('\n')).toBe('');
      });
    }
  });
}
