/**
 * `pnpm tuner`: the seed's Keras Tuner search on the Palmer penguins, with random search, Hyperband
 * and Bayesian optimisation compared on about the same budget of epochs. Seeded: the same output
 * every run (except the timings).
 */
import { evaluate } from '@memograd/optim';
import { compareTuners, comparisonTable } from './tuner.ts';

const start = Date.now();
const { results, data } = compareTuners({ seed: 0, verbose: 1 });
console.log(`\nPalmer penguins: ${data.rows} penguins, ${data.x.shape[0]} for training, ${data.xVal.shape[0]} for validation\n`);
for (const r of results) {
  console.log(`\n=== ${r.name} ===`);
  r.tuner.resultsSummary(3);
}
const best = results.reduce((a, b) => (b.best > a.best ? b : a));
const [model] = best.tuner.getBestModels(1);
const logs = evaluate(model!, data.xVal, data.yVal, { loss: 'binary_crossentropy', metrics: ['accuracy'] });
console.log(`\nBest model (${best.name}): validation accuracy ${logs.accuracy!.toFixed(4)}, loss ${logs.loss!.toFixed(4)}`);
console.log('\nThe three tuners on the same data (best val_accuracy reached vs epochs spent):\n');
console.log(comparisonTable(results));
console.log(`\nTotal time ${((Date.now() - start) / 1000).toFixed(1)} s`);
