// Batch vs mini-batch vs stochastic gradient descent on the same linear regression.
//   node --conditions=source --import tsx examples/batch-vs-sgd/main.ts [--epochs N] [--lr LR]
import { parseArgs } from 'node:util';
import { runBatchVsSgd } from './batch-vs-sgd.ts';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '10' }, lr: { type: 'string', default: '0.01' }, samples: { type: 'string', default: '500' } } });
const epochs = Number(values.epochs);
const rows = runBatchVsSgd({ epochs, lr: Number(values.lr), samples: Number(values.samples) });
console.log(`y = 2 x1 - 3 x2 + 1 + noise, ${values.samples} samples, SGD lr ${values.lr}, same initial weights\n`);
console.log('full-data MSE after each epoch:');
console.log(`  ${'epoch'.padEnd(24)}${Array.from({ length: epochs }, (_, i) => String(i + 1).padStart(9)).join('')}`);
for (const r of rows) console.log(`  ${r.name.padEnd(24)}${r.loss.map((v) => v.toPrecision(3).padStart(9)).join('')}`);
console.log('\n  flavour                 batch size   updates/epoch   updates   time');
for (const r of rows) {
  console.log(`  ${r.name.padEnd(24)}${String(r.batchSize).padStart(10)}${String(r.updatesPerEpoch).padStart(16)}${String(r.updates).padStart(10)}   ${r.ms.toFixed(0)} ms`);
}
console.log('\nBatch GD takes one exact step per epoch and moves slowly; stochastic GD takes N noisy steps and');
console.log('gets close in one epoch but then jitters around the minimum; mini-batch sits in between and uses');
console.log('vectorized work best (fewer, larger steps per second of compute).');
