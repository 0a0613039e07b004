/**
 * `pnpm tuner`: the seed's Keras Tuner search on the Palmer penguins, with random search, Hyperband
 * and Bayesian optimisation compared on about the same budget of epochs, for three seeds. Seeded:
 * the same output every run (except the timings).
 *
 * `--logdir DIR`: seed 0's searches are also kept as project directories under DIR/projects (one
 * trial.json per trial) and every trial is logged to TensorBoard's HParams dashboard under
 * DIR/<tuner> (`tensorboard --logdir DIR`).
 */
import { join } from 'node:path';
import { evaluate } from '@memograd/optim';
import { TunerProject } from '@memograd/optim/node';
import { compareTuners, comparisonTable, meanResults } from './tuner.ts';
import type { TunerResult } from './tuner.ts';

const start = Date.now();
const SEEDS = [0, 1, 2];
const i = process.argv.indexOf('--logdir');
const logDir = i >= 0 ? process.argv[i + 1] : undefined;
if (i >= 0 && (logDir === undefined || logDir.startsWith('--'))) throw new Error('--logdir needs a directory');
const projects: TunerProject[] = [];
const runs: TunerResult[][] = [];
for (const seed of SEEDS) {
  console.log(`\n--- seed ${seed} ---`);
  const storeFor = logDir !== undefined && seed === 0
    ? (name: string) => {
      const p = new TunerProject({ directory: join(logDir, 'projects'), projectName: name, overwrite: true, logDir: join(logDir, name) });
      projects.push(p);
      return p;
    }
    : undefined;
  const { results, data } = compareTuners({ seed, verbose: seed === 0 ? 1 : 0, ...(storeFor ? { storeFor } : {}) });
  for (const p of projects.splice(0)) p.close();
  runs.push(results);
  if (seed !== 0) {
    console.log(comparisonTable(results));
    continue;
  }
  console.log(`\nPalmer penguins: ${data.rows} penguins with every measurement, ${data.x.shape[0]} for training, ${data.xVal.shape[0]} for validation`);
  for (const r of results) {
    console.log(`\n=== ${r.name} ===`);
    r.tuner.resultsSummary(3);
  }
  const best = results.reduce((a, b) => (b.best > a.best ? b : a));
  const [model] = best.tuner.getBestModels(1);
  const logs = evaluate(model!, data.xVal, data.yVal, { loss: 'binary_crossentropy', metrics: ['accuracy'] });
  console.log(`\nBest model (${best.name}, trial ${best.tuner.getBestTrials(1)[0]!.trialId}): validation accuracy ${logs.accuracy!.toFixed(4)}, loss ${logs.loss!.toFixed(4)}`);
  console.log('\nThe three tuners on the same data (best val_accuracy reached vs epochs spent):\n');
  console.log(comparisonTable(results));
}
console.log(`\nMean over seeds ${SEEDS.join(', ')}:\n`);
console.log('| tuner                | trials | epochs | mean best val_accuracy | seeds won |');
console.log('|----------------------|--------|--------|------------------------|-----------|');
for (const m of meanResults(runs)) {
  console.log(`| ${m.name.padEnd(20)} | ${m.trials.toFixed(0).padStart(6)} | ${m.epochs.toFixed(0).padStart(6)} | ${m.best.toFixed(4).padStart(22)} | ${String(m.wins).padStart(9)} |`);
}
if (logDir !== undefined) console.log(`\nSeed 0's trials: ${join(logDir, 'projects')} (one trial.json each); HParams: tensorboard --logdir ${logDir}`);
console.log(`\nTotal time ${((Date.now() - start) / 1000).toFixed(1)} s`);
