/**
 * Oracles: what picks the next trial's hyper-parameters (Keras Tuner's `Oracle`). The base class
 * holds the space, the trials and the objective; subclasses implement `populateSpace`.
 *
 * Every random choice of trial i comes from a generator seeded with (seed, i, attempt), not from
 * one running stream, so a search resumed from its saved trials draws exactly what an uninterrupted
 * one would: the oracle's whole state is its trials plus `getState()`.
 */
import { Generator } from '@memograd/autograd';
import type { History } from '../callbacks.ts';
import { argumentError, describe } from '../util.ts';

/** 'got <value>', or 'it is missing' for undefined (a missing option is not a value the caller gave). */
function got(v: unknown): string {
  return v === undefined ? 'it is missing' : `got ${describe(v)}`;
}
import { HyperParameters, conditionsHold, randomValue } from './hyperparameters.ts';
import type { HPValues, HyperParameterConfig } from './hyperparameters.ts';

/** Whether the objective is minimised or maximised. */
export type Direction = 'min' | 'max';

/**
 * What a search optimises: a log name (`'val_loss'` is minimised, `'val_accuracy'` maximised, the
 * direction inferred as Keras Tuner does), `{ name, direction }`, a function of a trial's fit
 * history (minimised), or `{ name, direction, fn }`.
 */
export type ObjectiveSpec = string | ObjectiveObject | ((history: History) => number);

/** An objective given as an object. */
export interface ObjectiveObject {
  /** The log name (or a name for a custom objective). */
  name: string;
  /** Whether lower or higher is better. */
  direction: Direction;
  /** A custom objective: the score of one execution's fit history. */
  fn?: (history: History) => number;
}

/** A resolved objective. */
export interface Objective {
  /** The log name (or the custom objective's name). */
  name: string;
  /** Whether lower or higher is better. */
  direction: Direction;
  /** For a custom objective: the score of one execution's history. */
  fn?: (history: History) => number;
}

/** Resolves an objective spec (Keras Tuner infers 'max' for accuracy-like names, 'min' for losses and errors). */
export function resolveObjective(op: string, spec: unknown): Objective {
  if (typeof spec === 'function') return { name: 'objective', direction: 'min', fn: spec as (h: History) => number };
  if (typeof spec === 'string') {
    if (spec === '') throw argumentError(`${op}: objective must be a non-empty string, got ''`);
    const base = spec.replace(/^val_/, '');
    if (/acc|auc|precision|recall|f1/.test(base)) return { name: spec, direction: 'max' };
    if (/loss|error|mae|mse|crossentropy|hinge/.test(base)) return { name: spec, direction: 'min' };
    throw argumentError(`${op}: cannot infer whether objective '${spec}' is minimised or maximised; give { name: '${spec}', direction: 'min' | 'max' }`);
  }
  if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    const o = spec as Record<string, unknown>;
    if (typeof o.name !== 'string' || o.name === '') throw argumentError(`${op}: objective.name must be a non-empty string, ${got(o.name)}`);
    if (o.direction !== 'min' && o.direction !== 'max') throw argumentError(`${op}: objective.direction must be 'min' or 'max', ${got(o.direction)}`);
    if (o.fn !== undefined && typeof o.fn !== 'function') throw argumentError(`${op}: objective.fn must be a function of the history, ${got(o.fn)}`);
    return o.fn === undefined ? { name: o.name, direction: o.direction } : { name: o.name, direction: o.direction, fn: o.fn as (h: History) => number };
  }
  throw argumentError(`${op}: objective must be a log name such as 'val_accuracy', { name, direction } or a function of the history, ${got(spec)}`);
}

/** Where a trial stands. */
export type TrialStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';

/** One trial, as JSON (what a project directory stores, one file per trial). */
export interface TrialRecord {
  /** '00', '01', ... (zero-padded like Keras Tuner's). */
  trialId: string;
  /** 0-based creation order. */
  index: number;
  /** The values of the active hyper-parameters (and Hyperband's `tuner/...` entries). */
  values: HPValues;
  /** RUNNING while it trains, then COMPLETED (or FAILED when building or training threw). */
  status: TrialStatus;
  /** The metrics of each execution's best epoch, averaged over executions. */
  metrics: Record<string, number>;
  /** The objective's value (the averaged metric, or the custom function's mean); null until completed. */
  score: number | null;
  /** The best epoch (0-based, of the execution that kept its weights). */
  bestEpoch: number;
  /** Epochs trained in this trial, over all executions (the search's cost). */
  epochsRun: number;
  /** Wall time of the trial in seconds. */
  seconds: number;
  /** The error message when it FAILED. */
  error?: string;
}

/** Options shared by every oracle. */
export interface OracleOptions {
  /** What to optimise. */
  objective: ObjectiveSpec;
  /** The most trials to run (Hyperband: optional, its schedule decides). */
  maxTrials?: number;
  /** Seed of every random choice (default 0). */
  seed?: number;
  /** Hyper-parameters registered in advance (their space is merged into the search space). */
  hyperparameters?: HyperParameters;
}

/** What `populateSpace` decides. */
export type Populated = PopulatedRunning | PopulatedStopped;

/** A new trial with these values. */
export interface PopulatedRunning {
  /** 'RUNNING'. */
  status: 'RUNNING';
  /** The trial's values. */
  values: HPValues;
}

/** The search is over. */
export interface PopulatedStopped {
  /** 'STOPPED'. */
  status: 'STOPPED';
}

/** 32-bit mix of integers (for per-trial seeds). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    let x = Math.trunc(p) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
    h = Math.imul(h ^ x, 0x01000193) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h >>> 0;
}

/** The key of a set of values (Hyperband's `tuner/...` entries left out), for duplicate detection. */
export function valuesKey(values: HPValues): string {
  return JSON.stringify(Object.keys(values).filter((k) => !k.startsWith('tuner/')).sort().map((k) => [k, values[k]]));
}

/**
 * The base oracle (Keras Tuner's `Oracle`): the search space, the trials in creation order, the
 * objective, and the random sampling every subclass starts from.
 */
export abstract class Oracle {
  /** The objective. */
  readonly objective: Objective;
  /** The most trials (Infinity when unbounded). */
  readonly maxTrials: number;
  /** The seed. */
  readonly seed: number;
  /** The search space (grows as build functions reach new hyper-parameters). */
  hyperparameters: HyperParameters;
  /** Every trial, in creation order. */
  trials: TrialRecord[] = [];
  /** How many duplicate samples are tolerated before the space counts as exhausted (Keras Tuner: 20). */
  protected maxCollisions = 20;

  constructor(op: string, options: OracleOptions, maxTrialsRequired = true) {
    if (options === null || typeof options !== 'object') throw argumentError(`${op}: options must be an object with an objective, ${got(options)}`);
    this.objective = resolveObjective(op, options.objective);
    const mt = options.maxTrials;
    if (mt === undefined) {
      if (maxTrialsRequired) throw argumentError(`${op}: maxTrials must be an integer from 1 to 2^53 - 1, it is missing`);
      this.maxTrials = Infinity;
    } else if (!Number.isSafeInteger(mt) || mt < 1) throw argumentError(`${op}: maxTrials must be an integer from 1 to 2^53 - 1, ${got(mt)}`);
    else this.maxTrials = mt;
    const seed = options.seed ?? 0;
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw argumentError(`${op}: seed must be an integer in [0, 2^32), ${got(seed)}`);
    this.seed = seed;
    if (options.hyperparameters !== undefined && !(options.hyperparameters instanceof HyperParameters)) throw argumentError(`${op}: hyperparameters must be a HyperParameters, ${got(options.hyperparameters)}`);
    this.hyperparameters = new HyperParameters();
    if (options.hyperparameters !== undefined) this.hyperparameters.merge(options.hyperparameters.space);
  }

  /** The oracle's kind, stored in project directories so a resumed search is checked against it. */
  abstract get kind(): string;

  /** Decides the values of the next trial (or STOPPED). */
  protected abstract populateSpace(index: number): Populated;

  /** Creates the next trial (status RUNNING), or returns null when the search is over. */
  createTrial(): TrialRecord | null {
    if (this.trials.length >= this.maxTrials) return null;
    const index = this.trials.length;
    const p = this.populateSpace(index);
    if (p.status === 'STOPPED') return null;
    const trial: TrialRecord = { trialId: this.trialIdFor(index), index, values: p.values, status: 'RUNNING', metrics: {}, score: null, bestEpoch: -1, epochsRun: 0, seconds: 0 };
    this.trials.push(trial);
    return trial;
  }

  /** Trial `index`'s id: zero-padded to the width of the last id (at least 2 digits), as Keras Tuner's. */
  trialIdFor(index: number): string {
    const digits = Math.max(2, String(Number.isFinite(this.maxTrials) ? this.maxTrials - 1 : 99).length);
    return String(index).padStart(digits, '0');
  }

  /** Registers hyper-parameters a build function reached for the first time. */
  updateSpace(hp: HyperParameters): void {
    this.hyperparameters.merge(hp.space);
  }

  /** The trial with this id. */
  getTrial(trialId: string): TrialRecord | undefined {
    return this.trials.find((t) => t.trialId === trialId);
  }

  /** Completed trials, best first. */
  bestTrials(n = 1): TrialRecord[] {
    const done = this.trials.filter((t) => t.status === 'COMPLETED' && t.score !== null && !Number.isNaN(t.score));
    const sign = this.objective.direction === 'max' ? -1 : 1;
    return done.sort((a, b) => sign * (a.score! - b.score!) || a.index - b.index).slice(0, n);
  }

  /** Oracle-specific state beyond the trials and the space (JSON). */
  getState(): Record<string, unknown> {
    return {};
  }

  /** Restores `getState()`'s output. */
  setState(_state: Record<string, unknown>): void {}

  /** Random values for every active hyper-parameter, avoiding values already tried (null when the space seems exhausted). */
  protected randomValues(index: number): HPValues | null {
    const tried = new Set(this.trials.map((t) => valuesKey(t.values)));
    for (let attempt = 0; attempt <= this.maxCollisions; attempt++) {
      const gen = new Generator(mixSeed(this.seed, index, attempt));
      const values: HPValues = {};
      for (const hp of this.hyperparameters.space) {
        if (conditionsHold(hp.conditions, values)) values[hp.name] = randomValue(hp, gen);
      }
      if (!tried.has(valuesKey(values))) return values;
    }
    return null;
  }

  /** The space without fixed hyper-parameters (the dimensions the Bayesian oracle models). */
  protected nonFixedSpace(): HyperParameterConfig[] {
    return this.hyperparameters.space.filter((h) => h.type !== 'fixed');
  }
}

/** Random search (Keras Tuner's `RandomSearchOracle`): every trial is a fresh random sample. */
export class RandomSearchOracle extends Oracle {
  constructor(options: OracleOptions) {
    super('RandomSearch', options);
  }
  /** 'RandomSearch'. */
  get kind(): string {
    return 'RandomSearch';
  }
  protected populateSpace(index: number): Populated {
    const values = this.randomValues(index);
    return values === null ? { status: 'STOPPED' } : { status: 'RUNNING', values };
  }
}
