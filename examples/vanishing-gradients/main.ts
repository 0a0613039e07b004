// "How to recognize vanishing gradients": gradientReport on a 10-layer sigmoid stack, the same stack
// with ReLU + He initialization, and an exploding stack tamed by clipGradNorm.
import { parseArgs } from 'node:util';
import { CASE_TITLES, runAll, verdict } from './vanishing-gradients.ts';

const { values } = parseArgs({ options: { steps: { type: 'string' }, seed: { type: 'string' } } });
const steps = values.steps === undefined ? 20 : Number(values.steps);
const seed = values.seed === undefined ? 0 : Number(values.seed);
const e = (v: number): string => v.toExponential(2);
const l = (v: number): string => (Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(4));

console.log(`memograd: vanishing and exploding gradients (64 samples, MSE, SGD lr 0.5, ${steps} steps, seed ${seed})`);
for (const r of runAll({ steps, seed })) {
  console.log(`\n=== ${r.case}: ${CASE_TITLES[r.case]}`);
  console.log(r.report.toString());
  console.log(verdict(r));
  if (r.clippedFrom !== undefined) {
    console.log(`clipGradNorm(model.parameters(), 1): total gradient norm ${e(r.clippedFrom)} -> ${e(r.clippedTo!)} at the first step (clipped before every step)`);
  }
  console.log(`after ${steps} steps: loss ${l(r.lossBefore)} -> ${l(r.lossAfter)}; largest weight change: first layer ${e(r.firstLayerChange)}, last layer ${e(r.lastLayerChange)}`);
}
