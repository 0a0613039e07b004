// A micrograd-style MLP of scalars on two moons: node --conditions=source --import tsx examples/scalar-mlp/main.ts [--steps N]
import { runScalarMlp } from './scalar-mlp.ts';

const arg = process.argv.indexOf('--steps');
const steps = arg >= 0 ? Number(process.argv[arg + 1]) : 100;
const r = runScalarMlp({
  steps,
  onStep: (k, loss, acc) => {
    if (k % 10 === 0 || k === steps - 1) console.log(`step ${String(k).padStart(3)}  loss ${loss.toFixed(4)}  accuracy ${(acc * 100).toFixed(0)}%`);
  },
});
console.log(
  `2-16-16-1 MLP of scalars (${r.parameters} parameters), ${r.opsPerStep.toLocaleString('en-US')} scalar ops per step: ` +
    `final loss ${r.loss.toFixed(4)}, accuracy ${(r.accuracy * 100).toFixed(0)}%, ${r.nsPerOp.toFixed(0)} ns per op (forward, backward and update)`,
);
