// Overfitting a 1-32-32-1 network on 16 noisy points, and what L1, L2, dropout and early stopping do about it.
//   node --conditions=source --import tsx examples/regularization/main.ts [--epochs N] [--seed S]
import { parseArgs } from 'node:util';
import { runRegularization } from './regularization.ts';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '2000' }, seed: { type: 'string', default: '0' } } });
console.log('y = sin(πx) + N(0, 0.3²): 16 training points, 200 validation points; 1-32-32-1 tanh, Adam lr 0.01, full batch');
console.log('(losses are plain MSE without the penalty; the noise floor is 0.09)\n');
const t0 = performance.now();
const rows = runRegularization({ epochs: Number(values.epochs), seed: Number(values.seed) });
console.log('  technique           epochs   train MSE   val MSE   best val (epoch)   ‖W‖₂     Σ|W|');
for (const r of rows) {
  console.log(`  ${r.technique.padEnd(18)}${String(r.epochsRun).padStart(7)}${r.trainLoss.toFixed(4).padStart(12)}${r.valLoss.toFixed(4).padStart(10)}` +
    `${`${r.bestValLoss.toFixed(4)} (${r.bestEpoch + 1})`.padStart(19)}${r.l2Norm.toFixed(2).padStart(8)}${r.l1Norm.toFixed(1).padStart(9)}`);
}
console.log(`\nL1 (λ=1e-3) and L2 (λ=3e-3) shrink the weights (L1 most in Σ|W|, L2 most in ‖W‖₂) and pull the validation loss back`);
console.log('toward its best; dropout (p=0.2) trades training fit for validation fit; early stopping (patience 200) stops');
console.log(`soon after the best epoch and restores its weights. (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
