import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import * as optim from '../src/index.ts';
import type { Optimizer } from '../src/index.ts';
import { expectClose, param, run } from './helpers.ts';

// Trajectories recorded from real PyTorch (float64, see fixtures/gen_torch_trajectories.py). These complement the
// hand-written references in optimizers.test.ts. Differences of a few 1e-15 per step come from PyTorch 1.13 using
// mul/add where current PyTorch (and this package) use lerp for the first moment.
interface Fixture {
  torch: string;
  x0: number[];
  c: number[];
  trajectories: Array<{ optimizer: string; options: Record<string, unknown>; x: Record<string, number[]> }>;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/torch-trajectories.json', import.meta.url), 'utf8'),
) as Fixture;
const { x0, c } = fixture;
const gradFn = (x: number[], t: number) => x.map((xi, i) => 2 * (xi - c[i]) + (t === 1 ? 5 : 0.3 * Math.sin(t + i)));

describe(`agreement with PyTorch ${fixture.torch} (float64)`, () => {
  it.each(fixture.trajectories)('$optimizer $options', ({ optimizer, options, x }) => {
    const Ctor = (optim as unknown as Record<string, new (ps: unknown[], o: unknown) => Optimizer<any, any>>)[optimizer];
    const p = param(x0);
    const traj = run(new Ctor([p], options), p, gradFn, 25);
    for (const [step, expected] of Object.entries(x)) {
      expectClose(traj[Number(step) - 1], expected, 1e-13, 1e-15);
    }
  });
});
