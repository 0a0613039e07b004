import type { Optimizer, ParamLike } from '../src/index.ts';

export interface FakeParam extends ParamLike {
  grad: { data: Float64Array } | null;
  readonly data: Float64Array;
}

export function param(values: number[], grad: number[] | null = values.map(() => 0)): FakeParam {
  return {
    data: new Float64Array(values),
    shape: [values.length],
    grad: grad === null ? null : { data: new Float64Array(grad) },
  };
}

/** Set p.grad to gradFn(x) and step, `steps` times; returns the trajectory of x (after each step). */
export function run(
  opt: Optimizer<any, any>,
  p: FakeParam,
  gradFn: (x: number[], t: number) => number[],
  steps: number,
): number[][] {
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    p.grad = { data: new Float64Array(gradFn(Array.from(p.data), t)) };
    opt.step();
    out.push(Array.from(p.data));
  }
  return out;
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-13, abs = 1e-15): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const tol = abs + rel * Math.abs(e);
    if (!(Math.abs(a - e) <= tol)) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (diff ${Math.abs(a - e)}, tol ${tol})`);
    }
  }
}
