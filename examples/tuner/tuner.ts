/**
 * The seed's Keras Tuner `build_model(hp)`, line for line, on the Palmer penguins (predict a
 * penguin's sex from its bill, flipper and body measurements and its species), and a comparison of
 * random search, Hyperband and Bayesian optimisation on the same budget of epochs.
 */
import { readFileSync } from 'node:fs';
import { Generator, Tensor, tensor } from '@memograd/autograd';
import { Dense, Dropout, Sequential } from '@memograd/nn';
import type { Module } from '@memograd/nn';
import { BayesianOptimization, Hyperband, RandomSearch } from '@memograd/optim';
import type { BuiltModel, HyperParameters, TrialRecord, TrialStore, Tuner } from '@memograd/optim';

/** The input features: four measurements (standardised) and the species, one-hot. */
export const FEATURES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'Adelie', 'Chinstrap', 'Gentoo'];

/** The data set, split into training and validation rows (80/20, shuffled with `seed`), standardised with the training statistics. */
export function loadPenguins(seed = 0): { x: Tensor; y: Tensor; xVal: Tensor; yVal: Tensor; rows: number } {
  const text = readFileSync(new URL('./data/penguins.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
  const species = ['Adelie', 'Chinstrap', 'Gentoo'];
  const rows = text.map((line) => {
    const [sp, , bl, bd, fl, bm, sex] = line.split(',');
    return { x: [Number(bl), Number(bd), Number(fl), Number(bm), ...species.map((s) => (s === sp ? 1 : 0))], y: sex === 'male' ? 1 : 0 };
  });
  const order = new Generator(seed).permutation(rows.length);
  const nVal = Math.round(rows.length * 0.2);
  const train = order.slice(nVal).map((i) => rows[i]!);
  const val = order.slice(0, nVal).map((i) => rows[i]!);
  const mean = [0, 1, 2, 3].map((j) => train.reduce((s, r) => s + r.x[j]!, 0) / train.length);
  const std = [0, 1, 2, 3].map((j) => Math.sqrt(train.reduce((s, r) => s + (r.x[j]! - mean[j]!) ** 2, 0) / train.length));
  const scale = (r: { x: number[] }): number[] => r.x.map((v, j) => (j < 4 ? (v - mean[j]!) / std[j]! : v));
  const t = (rs: typeof rows): [Tensor, Tensor] => [tensor(rs.flatMap(scale), { shape: [rs.length, FEATURES.length] }), tensor(rs.map((r) => r.y), { shape: [rs.length, 1] })];
  const [x, y] = t(train);
  const [xVal, yVal] = t(val);
  return { x, y, xVal, yVal, rows: rows.length };
}

const DROPOUTS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** The seed's `build_model(hp)`. */
export function buildModel(hp: HyperParameters): BuiltModel {
  const layers: Module[] = [];

  // Input layer + First hidden layer: Tune the number of neurons
  let units = hp.int('input_units', { min: 8, max: 128, step: 8 })!;
  layers.push(new Dense(FEATURES.length, units, { activation: 'relu' }));

  // Add a tunable dropout layer after the first hidden layer
  layers.push(new Dropout(hp.choice('dropout_input', DROPOUTS)!));

  // Add a tunable number of hidden layers between 0 and 10
  const numLayers = hp.int('num_layers', { min: 0, max: 10 })!;
  for (let i = 0; i < numLayers; i++) {
    // Tune the number of neurons in each hidden layer
    const next = hp.int(`layer_${i}_units`, { min: 8, max: 128, step: 8 })!;
    layers.push(new Dense(units, next, { activation: 'relu' }));
    units = next;
    // Add a tunable dropout layer after each hidden layer
    layers.push(new Dropout(hp.choice(`dropout${i}`, DROPOUTS)!));
  }

  // Output layer
  layers.push(new Dense(units, 1, { activation: 'sigmoid' }));

  // Tune the optimizer
  const optimizer = hp.choice('optimizer', ['adam', 'sgd', 'rmsprop', 'adadelta'])!;

  return { model: new Sequential(...layers), optimizer, loss: 'binary_crossentropy', metrics: ['accuracy'] };
}

/** One tuner's result in the comparison. */
export interface TunerResult {
  name: string;
  tuner: Tuner;
  trials: number;
  epochs: number;
  best: number;
  /** The best val_accuracy reached after each trial, against the epochs spent so far. */
  curve: { epochs: number; best: number }[];
}

function summarise(name: string, tuner: Tuner): TunerResult {
  let spent = 0;
  let best = -Infinity;
  const curve = tuner.oracle.trials.filter((t: TrialRecord) => t.status === 'COMPLETED').map((t) => {
    spent += t.epochsRun;
    best = Math.max(best, t.score ?? -Infinity);
    return { epochs: spent, best };
  });
  return { name, tuner, trials: curve.length, epochs: spent, best, curve };
}

/** Options of the comparison. */
export interface CompareOptions {
  /** The search seed (default 0). */
  seed?: number;
  /** Epochs of one model (random and Bayesian trials; Hyperband's maxEpochs). Default 20. */
  epochs?: number;
  /** Trials of random search and Bayesian optimisation (default 11, about Hyperband's budget). */
  trials?: number;
  /** 0 silent, 1 a line per trial. */
  verbose?: 0 | 1;
  /** Where each tuner keeps its trials (default: in memory), e.g. a `TunerProject` with a TensorBoard logDir. */
  storeFor?: (tuner: string) => TrialStore;
}

/** Runs the three tuners on the same data and about the same budget of epochs. */
export function compareTuners(options: CompareOptions = {}): { results: TunerResult[]; data: ReturnType<typeof loadPenguins> } {
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 20;
  const trials = options.trials ?? 11;
  const verbose = options.verbose ?? 0;
  const data = loadPenguins(seed);
  const store = (name: string): { store?: TrialStore } => (options.storeFor === undefined ? {} : { store: options.storeFor(name) });
  const common = { objective: 'val_accuracy', seed } as const;
  const fitArgs = { x: data.x, y: data.y, validationData: [data.xVal, data.yVal] as [Tensor, Tensor], batchSize: 32, verbose };
  const results: TunerResult[] = [];
  const random = new RandomSearch(buildModel, { ...common, maxTrials: trials, ...store('RandomSearch') });
  random.search({ ...fitArgs, epochs });
  results.push(summarise('RandomSearch', random));
  const hyperband = new Hyperband(buildModel, { ...common, maxEpochs: epochs, factor: 3, ...store('Hyperband') });
  hyperband.search(fitArgs);
  results.push(summarise('Hyperband', hyperband));
  const bayes = new BayesianOptimization(buildModel, { ...common, maxTrials: trials, numInitialPoints: 4, ...store('BayesianOptimization') });
  bayes.search({ ...fitArgs, epochs });
  results.push(summarise('BayesianOptimization', bayes));
  return { results, data };
}

/** The mean over seeds of each tuner's results (same tuner order in every run). */
export function meanResults(runs: readonly (readonly TunerResult[])[]): { name: string; trials: number; epochs: number; best: number; wins: number }[] {
  return runs[0]!.map((r, i) => {
    const all = runs.map((run) => run[i]!);
    const mean = (f: (t: TunerResult) => number): number => all.reduce((s, t) => s + f(t), 0) / all.length;
    // a tuner "wins" a seed when it reaches that seed's highest val_accuracy (ties count for each)
    const wins = runs.filter((run) => run[i]!.best >= Math.max(...run.map((t) => t.best))).length;
    return { name: r.name, trials: mean((t) => t.trials), epochs: mean((t) => t.epochs), best: mean((t) => t.best), wins };
  });
}

/** The comparison as a table: trials, epochs spent, best val_accuracy, and the best reached within 50/100/150/200 epochs. */
export function comparisonTable(results: readonly TunerResult[]): string {
  const marks = [50, 100, 150, 200];
  const head = ['tuner', 'trials', 'epochs', 'best val_accuracy', ...marks.map((m) => `best by ${m} ep`)];
  const rows = results.map((r) => [
    r.name,
    String(r.trials),
    String(r.epochs),
    r.best.toFixed(4),
    ...marks.map((m) => {
      const within = r.curve.filter((c) => c.epochs <= m);
      return within.length === 0 ? '-' : within[within.length - 1]!.best.toFixed(4);
    }),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
