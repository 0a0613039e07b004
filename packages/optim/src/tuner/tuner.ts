/**
 * Tuners: an oracle plus the loop that builds, trains and scores each trial's model with `fit()`
 * (Keras Tuner's `Tuner.search`).
 *
 * Trials are stored through a `TrialStore`: in memory by default (this entry runs in browsers), or
 * a project directory from `@memograd/optim/node` (one JSON file per trial and a weights file), which
 * lets an interrupted search resume. One store interface rather than Node subclasses of every tuner:
 * the four tuners stay one class each, and any store works with any tuner.
 */
import { Tensor, manualSeed } from '@memograd/autograd';
import type { CallbackHooks, History, Logs } from '../callbacks.ts';
import { Callback } from '../callbacks.ts';
import { fit } from '../fit.ts';
import type { FitOptions, Metric, TrainableModule, TrainingContext } from '../fit.ts';
import { writeStdout } from '../stdout.ts';
import { argumentError, describe } from '../util.ts';

/** 'got <value>', or 'it is missing' for undefined (a missing option is not a value the caller gave). */
function got(v: unknown): string {
  return v === undefined ? 'it is missing' : `got ${describe(v)}`;
}
import { HyperParameters } from './hyperparameters.ts';
import type { HPValues, HyperParameterConfig } from './hyperparameters.ts';
import { Oracle, RandomSearchOracle, mixSeed } from './oracle.ts';
import type { Objective, OracleOptions, TrialRecord } from './oracle.ts';
import { BayesianOptimizationOracle, GridSearchOracle, HyperbandOracle } from './oracles.ts';
import type { BayesianOracleOptions, HyperbandOracleOptions } from './oracles.ts';

/** What a build function returns: the model and how to compile it (Keras' `model.compile`). */
export interface BuiltModel {
  /** The model (a @memograd/nn Module). */
  model: TrainableModule;
  /** An optimizer, a function of the model's parameters that makes one, or an optimizer name when `fit` accepts names. */
  optimizer: FitOptions['optimizer'] | ((parameters: Tensor[]) => FitOptions['optimizer']);
  /** The loss (a function, a loss object, or a loss name when `fit` accepts names). */
  loss: FitOptions['loss'];
  /** Metrics, e.g. ['accuracy']. */
  metrics?: readonly Metric[];
}

/** Builds a model from hyper-parameters: `(hp) => ({ model, optimizer, loss, metrics })`. */
export type BuildModel = (hp: HyperParameters) => BuiltModel;

/** The saved state of a search: its trials and the oracle's state. */
export interface StoredSearch {
  /** The oracle's kind ('RandomSearch', ...). */
  oracle: string;
  /** The search seed. */
  seed: number;
  /** The search space when last saved. */
  space: HyperParameterConfig[];
  /** The oracle's own state (`Oracle.getState()`). */
  oracleState: Record<string, unknown>;
  /** Every trial, in creation order. */
  trials: TrialRecord[];
}

/**
 * Where a tuner keeps its trials and the weights of their models. The default keeps everything in
 * memory; `TunerProject` from `@memograd/optim/node` writes a project directory.
 */
export interface TrialStore {
  /** 'Results in <where>' in the summary. */
  readonly description: string;
  /** The saved search to resume, or null to start afresh. */
  load(): StoredSearch | null;
  /** Saves a trial (called when it starts and when it ends) with the search's state at that time. */
  saveTrial(trial: TrialRecord, search: StoredSearch): void;
  /** Keeps the weights of a trial's best epoch. */
  saveWeights(trialId: string, state: Record<string, Tensor>): void;
  /** The weights saved for a trial, or null. */
  loadWeights(trialId: string): Record<string, Tensor> | null;
  /** Called after each completed trial (e.g. to log it to TensorBoard's HParams dashboard). */
  onTrialEnd?(trial: TrialRecord, objective: Objective): void;
}

/** The default store: trials and best weights in memory. Passing one store to a second tuner resumes its search. */
export class MemoryTrialStore implements TrialStore {
  /** 'memory'. */
  readonly description = 'memory';
  private search: StoredSearch | null = null;
  private readonly weights = new Map<string, Record<string, Tensor>>();
  /** The last saved search (a copy), or null. */
  load(): StoredSearch | null {
    return this.search === null ? null : structuredClone(this.search);
  }
  /** Keeps a copy of the search. */
  saveTrial(_trial: TrialRecord, search: StoredSearch): void {
    this.search = structuredClone(search);
  }
  /** Keeps copies of the tensors. */
  saveWeights(trialId: string, state: Record<string, Tensor>): void {
    this.weights.set(trialId, cloneState(state));
  }
  /** Copies of the kept tensors, or null. */
  loadWeights(trialId: string): Record<string, Tensor> | null {
    const w = this.weights.get(trialId);
    return w === undefined ? null : cloneState(w);
  }
}

function cloneState(state: Record<string, Tensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(state)) out[k] = t.detach().clone();
  return out;
}

/** Options of every tuner. */
export interface TunerOptions extends OracleOptions {
  /** Trainings per trial, their objective averaged (default 1; Keras Tuner's executions_per_trial). */
  executionsPerTrial?: number;
  /** Where trials are kept (default: a new MemoryTrialStore). */
  store?: TrialStore;
}

/** Options of `search()`: `fit()`'s data and settings. */
export interface SearchOptions {
  /** Training inputs. */
  x: Tensor;
  /** Training targets. */
  y: Tensor;
  /** Epochs per trial (Hyperband ignores it and uses its schedule). Default 1. */
  epochs?: number;
  /** Validation data (as for fit). */
  validationData?: FitOptions['validationData'];
  /** Validation split (as for fit). */
  validationSplit?: number;
  /** Batch size (default 32). */
  batchSize?: number;
  /** Callbacks given to every trial's fit (e.g. EarlyStopping). */
  callbacks?: readonly CallbackHooks[];
  /** 0 silent, 1 a line per trial (default), 2 also fit's line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Shuffle every epoch (default true). */
  shuffle?: boolean;
}

/** Tracks the best epoch of one execution by the objective, with a copy of its weights. */
class BestEpoch extends Callback {
  bestLogs: Logs | null = null;
  bestEpoch = -1;
  weights: Record<string, Tensor> | null = null;
  constructor(private readonly objective: Objective) {
    super();
  }
  override onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): void {
    // a custom objective scores the whole history: keep the last epoch; otherwise the best by the objective
    const key = this.objective.name;
    const v = logs[key];
    const prev = this.bestLogs?.[key];
    const better = this.bestLogs === null || this.objective.fn !== undefined || prev === undefined || Number.isNaN(prev)
      || (v !== undefined && !Number.isNaN(v) && (this.objective.direction === 'min' ? v < prev : v > prev));
    if (better) {
      this.bestLogs = { ...logs };
      this.bestEpoch = epoch;
      this.weights = cloneState(ctx.model.stateDict());
    }
  }
}

function hms(seconds: number): string {
  const s = Math.round(seconds);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}h ${p(Math.floor((s % 3600) / 60))}m ${p(s % 60)}s`;
}

/** A number as Keras Tuner prints it, shortened to 4 significant decimals. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * The base tuner: `search()` asks the oracle for trials until it stops or `maxTrials` is reached;
 * each trial builds the model from its hyper-parameters, trains it `executionsPerTrial` times with
 * `fit()` and records the metrics of each execution's best epoch (by the objective), averaged.
 *
 * Repeatable: before each execution the default generator is reseeded from (seed, trial, execution)
 * and fit's shuffling uses the same seed, so the same seed gives the same trials, resumed or not.
 */
export class Tuner {
  /** The oracle that picks the trials. */
  readonly oracle: Oracle;
  /** Trainings per trial. */
  readonly executionsPerTrial: number;
  /** Where trials are kept. */
  readonly store: TrialStore;
  private readonly build: BuildModel;
  private readonly name: string;
  private resumed = false;

  constructor(name: string, buildModel: BuildModel, oracle: Oracle, options: TunerOptions) {
    if (typeof buildModel !== 'function') throw argumentError(`${name}: buildModel must be a function (hp) => ({ model, optimizer, loss, metrics }), ${got(buildModel)}`);
    const e = options.executionsPerTrial ?? 1;
    if (!Number.isSafeInteger(e) || e < 1) throw argumentError(`${name}: executionsPerTrial must be an integer from 1 to 2^53 - 1, ${got(e)}`);
    const store = options.store ?? new MemoryTrialStore();
    if (store === null || typeof store !== 'object' || typeof store.load !== 'function' || typeof store.saveTrial !== 'function' || typeof store.saveWeights !== 'function' || typeof store.loadWeights !== 'function') {
      throw argumentError(`${name}: store must be a TrialStore (load, saveTrial, saveWeights, loadWeights), ${got(store)}`);
    }
    this.name = name;
    this.build = buildModel;
    this.oracle = oracle;
    this.executionsPerTrial = e;
    this.store = store;
  }

  /** The objective. */
  get objective(): Objective {
    return this.oracle.objective;
  }

  /**
   * Runs the search: trials until the oracle stops or `maxTrials` trials exist (trials completed in
   * a stored project count; a trial left RUNNING by an interruption is run again). Throws what
   * `buildModel` or `fit` throws, after saving the trial as it stood.
   */
  search(options: SearchOptions): void {
    const op = `${this.name}.search`;
    if (options === null || typeof options !== 'object') throw argumentError(`${op}: options must be an object with x and y, ${got(options)}`);
    const verbose = options.verbose ?? 1;
    if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw argumentError(`${op}: verbose must be 0, 1 or 2, ${got(verbose)}`);
    const epochs = options.epochs ?? 1;
    if (!Number.isSafeInteger(epochs) || epochs < 1) throw argumentError(`${op}: epochs must be an integer from 1 to 2^53 - 1, ${got(epochs)}`);
    for (const key of ['x', 'y'] as const) {
      if (!(options[key] instanceof Tensor)) throw argumentError(`${op}: options.${key} must be a Tensor, ${got(options[key])}`);
    }
    if (options.callbacks !== undefined && (!Array.isArray(options.callbacks) || options.callbacks.some((c) => c === null || typeof c !== 'object'))) throw argumentError(`${op}: callbacks must be an array of callback objects, ${got(options.callbacks)}`);
    const hasValidation = options.validationData !== undefined || (typeof options.validationSplit === 'number' && options.validationSplit > 0);
    if (this.objective.fn === undefined && this.objective.name.startsWith('val_') && !hasValidation) {
      // checked before any trial: otherwise the first trial would train and then fail
      throw argumentError(`${op}: the objective '${this.objective.name}' needs validation data: give validationData or validationSplit`);
    }
    this.resume(op);
    this.populateInitialSpace(op);
    const start = now();
    // a trial interrupted while RUNNING is run again, with the values it had
    for (const t of this.oracle.trials) if (t.status === 'RUNNING') this.runTrial(op, t, options, epochs, verbose, start);
    for (;;) {
      const trial = this.oracle.createTrial();
      if (trial === null) break;
      this.runTrial(op, trial, options, epochs, verbose, start);
    }
  }

  /** Keras Tuner's `_populate_initial_space`: build once with the defaults to register the space. */
  private populateInitialSpace(op: string): void {
    if (this.oracle.hyperparameters.space.length > 0 || this.oracle.trials.length > 0) return;
    const hp = this.oracle.hyperparameters.copy();
    manualSeed(mixSeed(this.oracle.seed, 0xffff));
    this.checkBuilt(op, this.build(hp));
    this.oracle.updateSpace(hp);
  }

  /**
   * The search space, as Keras Tuner's `search_space_summary()` prints it: how many hyper-parameters,
   * then each with its type and settings (building the model once with the defaults first if no
   * search has run, so the space is known). Printed unless `print` is false; returned either way.
   */
  searchSpaceSummary(options: { print?: boolean } = {}): string {
    const op = `${this.name}.searchSpaceSummary`;
    if (options === null || typeof options !== 'object' || (options.print !== undefined && typeof options.print !== 'boolean')) throw argumentError(`${op}: options must be { print?: boolean }, ${got(options)}`);
    this.resume(op);
    this.populateInitialSpace(op);
    const space = this.oracle.hyperparameters.space;
    const lines = ['Search space summary', `Default search space size: ${space.length}`];
    for (const h of space) {
      const { name, type, ...rest } = h;
      lines.push(`${name} (${type[0]!.toUpperCase()}${type.slice(1)})`, JSON.stringify(rest));
    }
    const text = `${lines.join('\n')}\n`;
    if (options.print ?? true) writeStdout(text);
    return text;
  }

  /** Loads a stored search once (the first `search()` call), checked against this tuner. */
  private resume(op: string): void {
    if (this.resumed) return;
    this.resumed = true;
    const saved = this.store.load();
    if (saved === null) return;
    if (saved.oracle !== this.oracle.kind || saved.seed !== this.oracle.seed) {
      throw argumentError(`${op}: the stored search was made by ${saved.oracle} with seed ${saved.seed}, not ${this.oracle.kind} with seed ${this.oracle.seed} (use another project, or overwrite it)`);
    }
    this.oracle.hyperparameters.merge(saved.space);
    this.oracle.trials = saved.trials.map((t) => structuredClone(t));
    this.oracle.setState(saved.oracleState);
  }

  private snapshot(): StoredSearch {
    return { oracle: this.oracle.kind, seed: this.oracle.seed, space: this.oracle.hyperparameters.space, oracleState: this.oracle.getState(), trials: this.oracle.trials.map((t) => structuredClone(t)) };
  }

  private checkBuilt(op: string, built: unknown): BuiltModel {
    const b = built as Partial<BuiltModel> | null;
    if (b === null || typeof b !== 'object' || b.model === null || typeof b.model !== 'object' || b.optimizer === undefined || b.loss === undefined) {
      throw argumentError(`${op}: buildModel must return { model, optimizer, loss, metrics? }, ${got(built)}`);
    }
    return b as BuiltModel;
  }

  private hpFor(values: HPValues): HyperParameters {
    const hp = this.oracle.hyperparameters.copy();
    hp.values = { ...values };
    return hp;
  }

  private runTrial(op: string, trial: TrialRecord, options: SearchOptions, epochs: number, verbose: 0 | 1 | 2, searchStart: number): void {
    const t0 = now();
    this.store.saveTrial(trial, this.snapshot());
    const objective = this.objective;
    const sums: Record<string, number> = {};
    let scoreSum = 0;
    let bestExec: { score: number; weights: Record<string, Tensor> | null; epoch: number } | null = null;
    let epochsRun = 0;
    let recorded: HPValues = trial.values;
    const v = trial.values;
    const fromTrial = typeof v['tuner/trial_id'] === 'string' ? v['tuner/trial_id'] : null;
    const trialEpochs = typeof v['tuner/epochs'] === 'number' ? v['tuner/epochs'] - (v['tuner/initial_epoch'] as number) : epochs;
    for (let e = 0; e < this.executionsPerTrial; e++) {
      const seed = mixSeed(this.oracle.seed, trial.index, e);
      manualSeed(seed);
      const hp = this.hpFor(trial.values);
      const built = this.checkBuilt(op, this.build(hp));
      this.oracle.updateSpace(hp);
      hp.ensureActiveValues();
      // the tuner/ entries are not hyper-parameters of the space: keep them next to the active values
      recorded = { ...hp.values };
      for (const [k, val] of Object.entries(trial.values)) if (k.startsWith('tuner/')) recorded[k] = val;
      const model = built.model;
      if (fromTrial !== null) {
        // Hyperband: continue from the promoted trial's best weights (Keras Tuner loads its checkpoint)
        const w = this.store.loadWeights(fromTrial);
        if (w === null) throw argumentError(`${op}: trial ${trial.trialId} continues trial ${fromTrial}, whose weights are not in the store`);
        model.loadStateDict(w);
      }
      const optimizer = typeof built.optimizer === 'function' ? (built.optimizer as (p: Tensor[]) => FitOptions['optimizer'])(model.parameters()) : built.optimizer;
      const tracker = new BestEpoch(objective);
      const fitOptions: FitOptions = {
        x: options.x,
        y: options.y,
        epochs: trialEpochs,
        batchSize: options.batchSize ?? 32,
        callbacks: [...(options.callbacks ?? []), tracker],
        verbose: verbose === 2 ? 2 : 0,
        seed,
        shuffle: options.shuffle ?? true,
        metrics: built.metrics ?? [],
        optimizer,
        loss: built.loss,
      };
      if (options.validationData !== undefined) fitOptions.validationData = options.validationData;
      if (options.validationSplit !== undefined) fitOptions.validationSplit = options.validationSplit;
      let history: History;
      try {
        history = fit(model, fitOptions);
      } catch (err) {
        this.store.saveTrial(trial, this.snapshot());
        throw err;
      }
      epochsRun += history.epoch.length;
      const logs = tracker.bestLogs ?? {};
      let score: number;
      if (objective.fn !== undefined) {
        score = objective.fn(history);
        if (typeof score !== 'number') throw argumentError(`${op}: the objective function must return a number, ${got(score)}`);
        logs[objective.name] = score;
      } else {
        if (!(objective.name in logs)) throw argumentError(`${op}: the objective '${objective.name}' is not in the logs (${Object.keys(logs).join(', ')}); give validationData or validationSplit for val_ objectives`);
        score = logs[objective.name]!;
      }
      for (const [k, val] of Object.entries(logs)) sums[k] = (sums[k] ?? 0) + val;
      scoreSum += score;
      const sign = objective.direction === 'max' ? -1 : 1;
      if (bestExec === null || sign * score < sign * bestExec.score || Number.isNaN(bestExec.score)) bestExec = { score, weights: tracker.weights, epoch: tracker.bestEpoch };
    }
    trial.values = recorded;
    trial.metrics = Object.fromEntries(Object.entries(sums).map(([k, s]) => [k, s / this.executionsPerTrial]));
    trial.score = scoreSum / this.executionsPerTrial;
    trial.bestEpoch = bestExec?.epoch ?? -1;
    trial.epochsRun = epochsRun;
    trial.seconds = (now() - t0) / 1000;
    trial.status = 'COMPLETED';
    if (bestExec?.weights) this.store.saveWeights(trial.trialId, bestExec.weights);
    this.store.saveTrial(trial, this.snapshot());
    this.store.onTrialEnd?.(trial, objective);
    if (verbose >= 1) {
      const best = this.oracle.bestTrials(1)[0];
      const total = Number.isFinite(this.oracle.maxTrials) ? `/${this.oracle.maxTrials}` : '';
      writeStdout(`Trial ${trial.index + 1}${total} complete [${hms(trial.seconds)}] ${objective.name}: ${formatNumber(trial.score)} | best so far: ${formatNumber(best?.score)} | total elapsed [${hms((now() - searchStart) / 1000)}]\n`);
    }
  }

  /** The best `n` completed trials, best first. */
  getBestTrials(n = 1): TrialRecord[] {
    checkCount(`${this.name}.getBestTrials`, n);
    return this.oracle.bestTrials(n).map((t) => structuredClone(t));
  }

  /** The hyper-parameters of the best `n` trials (their active values), best first. */
  getBestHyperparameters(n = 1): HyperParameters[] {
    checkCount(`${this.name}.getBestHyperparameters`, n);
    return this.oracle.bestTrials(n).map((t) => this.hpFor(t.values));
  }

  /**
   * The models of the best `n` trials, rebuilt from their hyper-parameters with the weights of
   * their best epoch loaded, in eval mode, best first.
   */
  getBestModels(n = 1): TrainableModule[] {
    const op = `${this.name}.getBestModels`;
    checkCount(op, n);
    return this.oracle.bestTrials(n).map((t) => {
      manualSeed(mixSeed(this.oracle.seed, t.index, 0));
      const built = this.checkBuilt(op, this.build(this.hpFor(t.values)));
      const w = this.store.loadWeights(t.trialId);
      if (w === null) throw argumentError(`${op}: the weights of trial ${t.trialId} are not in the store`);
      built.model.loadStateDict(w);
      built.model.eval();
      return built.model;
    });
  }

  /**
   * The results summary, as Keras Tuner prints it: the project, the objective, then the best `n`
   * trials (default 10) with their hyper-parameters and score. Printed unless `print` is false;
   * returned either way.
   */
  resultsSummary(n = 10, options: { print?: boolean } = {}): string {
    const op = `${this.name}.resultsSummary`;
    checkCount(op, n);
    if (options === null || typeof options !== 'object' || (options.print !== undefined && typeof options.print !== 'boolean')) throw argumentError(`${op}: options must be { print?: boolean }, ${got(options)}`);
    const best = this.oracle.bestTrials(n);
    const lines = ['Results summary', `Results in ${this.store.description}`, `Showing ${best.length} best trials`, `Objective(name="${this.objective.name}", direction="${this.objective.direction}")`];
    for (const t of best) {
      lines.push('', `Trial ${t.trialId} summary`, 'Hyperparameters:');
      for (const [k, val] of Object.entries(t.values)) lines.push(`${k}: ${typeof val === 'number' ? formatNumber(val) : String(val)}`);
      lines.push(`Score: ${formatNumber(t.score)}`);
    }
    const text = `${lines.join('\n')}\n`;
    if (options.print ?? true) writeStdout(text);
    return text;
  }
}

function checkCount(op: string, n: unknown): void {
  if (!Number.isInteger(n) || (n as number) < 1) throw argumentError(`${op}: n must be an integer >= 1, ${got(n)}`);
}

/**
 * Random search (Keras Tuner's `RandomSearch`): `maxTrials` random samples of the space.
 *
 * @example
 * const tuner = new RandomSearch(buildModel, { objective: 'val_accuracy', maxTrials: 10, seed: 0 });
 * tuner.search({ x, y, epochs: 20, validationSplit: 0.2 });
 * tuner.resultsSummary();
 */
export class RandomSearch extends Tuner {
  constructor(buildModel: BuildModel, options: TunerOptions) {
    super('RandomSearch', buildModel, new RandomSearchOracle(options), options);
  }
}

/** Grid search: every combination of the (active) hyper-parameters' grid values, once each. */
export class GridSearch extends Tuner {
  constructor(buildModel: BuildModel, options: TunerOptions) {
    super('GridSearch', buildModel, new GridSearchOracle(options), options);
  }
}

/** Options of `Hyperband`. */
export interface HyperbandOptions extends TunerOptions, HyperbandOracleOptions {}

/**
 * Hyperband (Li et al. 2018) with Keras Tuner's schedule: many models trained briefly, the best
 * promoted to longer training from their weights. `search`'s `epochs` is ignored: the schedule
 * (`maxEpochs`, `factor`, `hyperbandIterations`) decides each trial's epochs.
 */
export class Hyperband extends Tuner {
  constructor(buildModel: BuildModel, options: HyperbandOptions) {
    super('Hyperband', buildModel, new HyperbandOracle(options), options);
  }
}

/** Options of `BayesianOptimization`. */
export interface BayesianOptimizationOptions extends TunerOptions, BayesianOracleOptions {}

/**
 * Bayesian optimisation with a Gaussian-process surrogate (fitted with memograd's autograd) and
 * expected improvement, after `numInitialPoints` random trials.
 */
export class BayesianOptimization extends Tuner {
  constructor(buildModel: BuildModel, options: BayesianOptimizationOptions) {
    super('BayesianOptimization', buildModel, new BayesianOptimizationOracle(options), options);
  }
}
