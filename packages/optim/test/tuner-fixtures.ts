// A tiny seeded binary problem for the end-to-end tuner tests (in memory and on disk).
import { Generator, tensor } from '@memograd/autograd';

/** 60 points of N(0, 1)², labelled 1 where a + sign·b > 0. */
export function binaryProblem(seed: number, sign: 1 | -1): { x: ReturnType<typeof tensor>; y: ReturnType<typeof tensor> } {
  const g = new Generator(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 60; i++) {
    const a = g.normal();
    const b = g.normal();
    xs.push(a, b);
    ys.push(a + sign * b > 0 ? 1 : 0);
  }
  return { x: tensor(xs, { shape: [60, 2] }), y: tensor(ys, { shape: [60, 1] }) };
}
