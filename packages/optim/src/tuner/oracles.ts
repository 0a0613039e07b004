/**
 * Grid search, Hyperband and Bayesian optimisation oracles (random search is in oracle.ts).
 */
import { Generator } from '@memograd/autograd';
import { argumentError, describe } from '../util.ts';

/** 'got <value>', or 'it is missing' for undefined (a missing option is not a value the caller gave). */
function got(v: unknown): string {
  return v === undefined ? 'it is missing' : `got ${describe(v)}`;
}
import { GaussianProcess, expectedImprovement } from './gp.ts';
import type { GPKernel } from './gp.ts';
import { conditionsHold, gridValues, probToValue, valueToProb } from './hyperparameters.ts';
import type { HPValues } from './hyperparameters.ts';
import { Oracle, mixSeed, valuesKey } from './oracle.ts';
import type { OracleOptions, Populated } from './oracle.ts';

/**
 * Grid search: every combination of the grid values of the active hyper-parameters, exactly once,
 * in lexicographic order (the last hyper-parameter varies fastest). A hyper-parameter that becomes
 * active only under some parent values is enumerated only under those; hyper-parameters the build
 * function reaches later join the enumeration from then on. The search stops when the grid is
 * exhausted or at `maxTrials`. Floats without a step take Keras Tuner's 10 grid values.
 */
export class GridSearchOracle extends Oracle {
  /** The last combination handed out (the odometer's position). */
  private cursor: HPValues | null = null;

  constructor(options: OracleOptions & { maxTrials?: number }) {
    super('GridSearch', options, false);
  }
  /** 'GridSearch'. */
  get kind(): string {
    return 'GridSearch';
  }

  protected populateSpace(): Populated {
    const tried = new Set(this.trials.map((t) => valuesKey(t.values)));
    let next = this.cursor === null ? this.first() : this.successor(this.cursor);
    while (next !== null && tried.has(valuesKey(next))) next = this.successor(next);
    if (next === null) return { status: 'STOPPED' };
    this.cursor = next;
    return { status: 'RUNNING', values: { ...next } };
  }

  /** Every active hyper-parameter at its first grid value. */
  private first(): HPValues {
    const values: HPValues = {};
    for (const h of this.hyperparameters.space) if (conditionsHold(h.conditions, values)) values[h.name] = gridValues(h)[0]!;
    return values;
  }

  /** The next combination after `cur` in lexicographic order over the active hyper-parameters, or null. */
  private successor(cur: HPValues): HPValues | null {
    const space = this.hyperparameters.space;
    // the active dimensions under cur, in space order (parents always precede their children)
    const active: number[] = [];
    const seen: HPValues = {};
    space.forEach((h, i) => {
      if (!conditionsHold(h.conditions, seen)) return;
      active.push(i);
      if (Object.hasOwn(cur, h.name)) seen[h.name] = cur[h.name]!;
      else seen[h.name] = h.default;
    });
    for (let a = active.length - 1; a >= 0; a--) {
      const h = space[active[a]!]!;
      const grid = gridValues(h);
      // a dimension reached after the cursor was set counts as before its first value
      const pos = Object.hasOwn(cur, h.name) ? grid.indexOf(cur[h.name]!) : -1;
      if (pos + 1 >= grid.length) continue;
      const next: HPValues = {};
      for (let b = 0; b < a; b++) next[space[active[b]!]!.name] = seen[space[active[b]!]!.name]!;
      next[h.name] = grid[pos + 1]!;
      for (let i = active[a]! + 1; i < space.length; i++) {
        const g = space[i]!;
        if (conditionsHold(g.conditions, next)) next[g.name] = gridValues(g)[0]!;
      }
      return next;
    }
    return null;
  }

  /** The cursor. */
  override getState(): Record<string, unknown> {
    return { cursor: this.cursor };
  }
  /** Restores the cursor. */
  override setState(state: Record<string, unknown>): void {
    const c = state.cursor;
    this.cursor = c !== null && typeof c === 'object' ? { ...(c as HPValues) } : null;
  }
}

// ---------------------------------------------------------------------------------------------

/** Options of Hyperband's oracle. */
export interface HyperbandOracleOptions extends OracleOptions {
  /** The most epochs one model trains (default 100). */
  maxEpochs?: number;
  /** The reduction factor of epochs and models between rounds (default 3, at least 2). */
  factor?: number;
  /** How many times the whole Hyperband schedule runs (default 1). */
  hyperbandIterations?: number;
}

/**
 * log_base(x), exact when x is a power of base: V8's Math.log and glibc's (CPython's) differ in the
 * last bit, and Math.log(81) / Math.log(3) is 4.000000000000001 where Python's math.log(81, 3) is 4.0,
 * which would turn Keras Tuner's bracket sizes ceil(1 + 4) = 5 into 6.
 */
function logBase(x: number, base: number): number {
  const r = Math.log(x) / Math.log(base);
  const k = Math.round(r);
  return base ** k === x ? k : r;
}

/** One bracket of Hyperband's schedule. */
export interface HyperbandBracket {
  /** The bracket number s (s + 1 rounds). */
  bracket: number;
  /** Each round's size and epochs. */
  rounds: HyperbandRound[];
}

/** One round of a Hyperband bracket. */
export interface HyperbandRound {
  /** How many trials the round runs. */
  trials: number;
  /** The cumulative epochs each model reaches in this round. */
  epochs: number;
}

/** One round entry: the trial `id`, promoted from trial `pastId` (null in the first round). */
interface RoundEntry { pastId: string | null; id: string }
interface Bracket { bracketNum: number; rounds: RoundEntry[][] }

/**
 * Hyperband (Li et al. 2018), Keras Tuner's variant, with its arithmetic: brackets from
 * `s_max = number of divisions of maxEpochs by factor down to 1`, bracket s has s + 1 rounds; round
 * r of bracket s has `ceil(ceil(1 + log_factor(maxEpochs)) / (s + 1) * factor^(s - r))` trials that
 * train up to `ceil(maxEpochs / factor^(s - r))` epochs; the best of a round (by score) are promoted
 * into the next, continuing from their weights (`tuner/trial_id`) from epoch `tuner/initial_epoch`.
 */
export class HyperbandOracle extends Oracle {
  /** The most epochs of one model. */
  readonly maxEpochs: number;
  /** Reduction factor. */
  readonly factor: number;
  /** How many full Hyperband iterations. */
  readonly hyperbandIterations: number;
  /** Keras Tuner's min_epochs. */
  readonly minEpochs = 1;
  private currentIteration = 0;
  private currentBracket: number;
  private brackets: Bracket[] = [];

  constructor(options: HyperbandOracleOptions) {
    super('Hyperband', options, false);
    const op = 'Hyperband';
    const maxEpochs = options.maxEpochs ?? 100;
    if (!Number.isSafeInteger(maxEpochs) || maxEpochs < 1) throw argumentError(`${op}: maxEpochs must be an integer from 1 to 2^53 - 1, ${got(maxEpochs)}`);
    const factor = options.factor ?? 3;
    if (!Number.isInteger(factor) || factor < 2) throw argumentError(`${op}: factor must be an integer >= 2, ${got(factor)}`);
    const it = options.hyperbandIterations ?? 1;
    if (!Number.isInteger(it) || it < 1) throw argumentError(`${op}: hyperbandIterations must be an integer >= 1, ${got(it)}`);
    this.maxEpochs = maxEpochs;
    this.factor = factor;
    this.hyperbandIterations = it;
    this.currentBracket = this.numBrackets() - 1;
    this.startNewBracket();
  }
  /** 'Hyperband'. */
  get kind(): string {
    return 'Hyperband';
  }

  /** Keras Tuner's `_get_num_brackets`: how often maxEpochs divides by factor before going below minEpochs. */
  numBrackets(): number {
    let epochs = this.maxEpochs;
    let brackets = 0;
    while (epochs >= this.minEpochs) {
      epochs /= this.factor;
      brackets++;
    }
    return brackets;
  }

  /** Keras Tuner's `_get_size`: trials in round `round` of bracket `bracket`. */
  size(bracket: number, round: number): number {
    const bracket0EndSize = Math.ceil(1 + logBase(this.maxEpochs, this.factor));
    const bracketEndSize = bracket0EndSize / (bracket + 1);
    return Math.ceil(bracketEndSize * this.factor ** (bracket - round));
  }

  /** Keras Tuner's `_get_epochs`: cumulative epochs of a model in round `round` of bracket `bracket`. */
  epochs(bracket: number, round: number): number {
    return Math.ceil(this.maxEpochs / this.factor ** (bracket - round));
  }

  /**
   * The whole schedule of one iteration: for each bracket (from the most exploratory), each round's
   * number of trials and their cumulative epochs.
   */
  schedule(): HyperbandBracket[] {
    const out = [];
    for (let b = this.numBrackets() - 1; b >= 0; b--) {
      out.push({ bracket: b, rounds: Array.from({ length: b + 1 }, (_, r) => ({ trials: this.size(b, r), epochs: this.epochs(b, r) })) });
    }
    return out;
  }

  private startNewBracket(): void {
    this.brackets.push({ bracketNum: this.currentBracket, rounds: Array.from({ length: this.currentBracket + 1 }, () => []) });
  }

  private incrementBracketNum(): void {
    this.currentBracket--;
    if (this.currentBracket < 0) {
      this.currentBracket = this.numBrackets() - 1;
      this.currentIteration++;
    }
  }

  private removeCompletedBrackets(): void {
    this.brackets = this.brackets.filter((b) => {
      const last = b.rounds.length - 1;
      return b.rounds[last]!.length !== this.size(b.bracketNum, last);
    });
  }

  protected populateSpace(index: number): Populated {
    const id = this.trialIdFor(index);
    this.removeCompletedBrackets();
    for (const bracket of this.brackets) {
      const { bracketNum, rounds } = bracket;
      if (rounds[0]!.length < this.size(bracketNum, 0)) return this.randomTrial(index, id, bracket);
      for (let r = 1; r < rounds.length; r++) {
        const info = rounds[r]!;
        const past = rounds[r - 1]!;
        const size = this.size(bracketNum, r);
        const pastSize = this.size(bracketNum, r - 1);
        const selected = new Set(info.map((e) => e.pastId));
        const candidates = past.filter((e) => !selected.has(e.id)).map((e) => this.getTrial(e.id)!).filter((t) => t !== undefined && t.status === 'COMPLETED');
        if (candidates.length > pastSize - size) {
          const sign = this.objective.direction === 'max' ? -1 : 1;
          // stable sort like Python's sorted(): ties keep round order
          const sorted = candidates.map((t, i) => ({ t, i })).sort((a, b) => sign * ((a.t.score ?? NaN) - (b.t.score ?? NaN)) || a.i - b.i);
          const best = sorted[0]!.t;
          const values: HPValues = { ...best.values };
          values['tuner/trial_id'] = best.trialId;
          values['tuner/epochs'] = this.epochs(bracketNum, r);
          values['tuner/initial_epoch'] = this.epochs(bracketNum, r - 1);
          values['tuner/bracket'] = this.currentBracket;
          values['tuner/round'] = r;
          info.push({ pastId: best.trialId, id });
          return { status: 'RUNNING', values };
        }
      }
    }
    if (this.currentBracket === 0 && this.currentIteration + 1 === this.hyperbandIterations) return { status: 'STOPPED' };
    this.incrementBracketNum();
    this.startNewBracket();
    return this.randomTrial(index, id, this.brackets[this.brackets.length - 1]!);
  }

  private randomTrial(index: number, id: string, bracket: Bracket): Populated {
    const values = this.randomValues(index);
    if (values === null) return { status: 'STOPPED' };
    // values of a random trial carry no tuner/ keys from before
    for (const k of Object.keys(values)) if (k.startsWith('tuner/')) delete values[k];
    values['tuner/epochs'] = this.epochs(bracket.bracketNum, 0);
    values['tuner/initial_epoch'] = 0;
    values['tuner/bracket'] = this.currentBracket;
    values['tuner/round'] = 0;
    bracket.rounds[0]!.push({ pastId: null, id });
    return { status: 'RUNNING', values };
  }

  /** Brackets, current bracket and iteration (Keras Tuner's oracle state). */
  override getState(): Record<string, unknown> {
    return { brackets: structuredClone(this.brackets), currentBracket: this.currentBracket, currentIteration: this.currentIteration };
  }
  /** Restores `getState()`'s output. */
  override setState(state: Record<string, unknown>): void {
    if (!Array.isArray(state.brackets) || typeof state.currentBracket !== 'number' || typeof state.currentIteration !== 'number') {
      throw argumentError(`Hyperband: the saved oracle state must have brackets, currentBracket and currentIteration, ${got(state)}`);
    }
    this.brackets = structuredClone(state.brackets as Bracket[]);
    this.currentBracket = state.currentBracket;
    this.currentIteration = state.currentIteration;
  }
}

// ---------------------------------------------------------------------------------------------

/** Options of the Bayesian oracle. */
export interface BayesianOracleOptions extends OracleOptions {
  /** Random trials before the Gaussian process takes over (default Keras Tuner's max(3 × dimensions, 3)). */
  numInitialPoints?: number;
  /** The GP's covariance function (default 'matern52', Keras Tuner's). */
  kernel?: GPKernel;
  /** Diagonal jitter of the GP (default 1e-4, Keras Tuner's alpha). */
  alpha?: number;
  /** Exploration margin of expected improvement, in standardised units (default 0.01). */
  xi?: number;
  /** Random candidates scored by expected improvement per trial (default 500). */
  candidates?: number;
}

/**
 * Bayesian optimisation: after `numInitialPoints` random trials, a Gaussian process (Matern 5/2, its
 * length scales, signal and noise fitted by maximising the log marginal likelihood with memograd's
 * autograd and Adam) models the score over the hyper-parameters mapped to [0, 1] (Keras Tuner's
 * `value_to_prob`; an inactive hyper-parameter sits at its default), and the next trial maximises
 * expected improvement: `candidates` random points, the best five refined by a shrinking local
 * random search.
 */
export class BayesianOptimizationOracle extends Oracle {
  /** Random trials first (null: max(3 × dimensions, 3) at the time of asking). */
  readonly numInitialPoints: number | null;
  /** The GP kernel. */
  readonly kernel: GPKernel;
  /** GP diagonal jitter. */
  readonly alpha: number;
  /** EI exploration margin. */
  readonly xi: number;
  /** Candidates per trial. */
  readonly candidates: number;
  /** The GP fitted for the last trial (null while sampling randomly). */
  gp: GaussianProcess | null = null;

  constructor(options: BayesianOracleOptions) {
    super('BayesianOptimization', options);
    const op = 'BayesianOptimization';
    const n = options.numInitialPoints;
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw argumentError(`${op}: numInitialPoints must be an integer >= 1, ${got(n)}`);
    const alpha = options.alpha ?? 1e-4;
    if (typeof alpha !== 'number' || !(alpha >= 0) || !Number.isFinite(alpha)) throw argumentError(`${op}: alpha must be a finite number >= 0, ${got(alpha)}`);
    const xi = options.xi ?? 0.01;
    if (typeof xi !== 'number' || !(xi >= 0) || !Number.isFinite(xi)) throw argumentError(`${op}: xi must be a finite number >= 0, ${got(xi)}`);
    const c = options.candidates ?? 500;
    if (!Number.isInteger(c) || c < 1) throw argumentError(`${op}: candidates must be an integer >= 1, ${got(c)}`);
    const kernel = options.kernel ?? 'matern52';
    if (kernel !== 'matern52' && kernel !== 'rbf') throw argumentError(`${op}: kernel must be 'matern52' or 'rbf', ${got(kernel)}`);
    this.numInitialPoints = n ?? null;
    this.alpha = alpha;
    this.xi = xi;
    this.candidates = c;
    this.kernel = kernel;
  }
  /** 'BayesianOptimization'. */
  get kind(): string {
    return 'BayesianOptimization';
  }

  /** A trial's values as a point in [0, 1]^d over the non-fixed space. */
  vectorize(values: HPValues): number[] {
    return this.nonFixedSpace().map((h) => valueToProb(h, conditionsHold(h.conditions, values) && Object.hasOwn(values, h.name) ? values[h.name]! : h.default));
  }

  /** The values a point in [0, 1]^d stands for (only the active hyper-parameters). */
  devectorize(vector: readonly number[]): HPValues {
    const values: HPValues = {};
    let i = 0;
    for (const h of this.hyperparameters.space) {
      const v = h.type === 'fixed' ? h.value : probToValue(h, vector[i++]!);
      if (conditionsHold(h.conditions, values)) values[h.name] = v;
    }
    return values;
  }

  protected populateSpace(index: number): Populated {
    const done = this.trials.filter((t) => t.status === 'COMPLETED' && t.score !== null && Number.isFinite(t.score));
    const dims = this.nonFixedSpace().length;
    const initial = this.numInitialPoints ?? Math.max(3 * this.hyperparameters.space.length, 3);
    if (done.length < initial || dims === 0) {
      const values = this.randomValues(index);
      return values === null ? { status: 'STOPPED' } : { status: 'RUNNING', values };
    }
    const sign = this.objective.direction === 'max' ? -1 : 1;
    const x = done.map((t) => this.vectorize(t.values));
    const y = done.map((t) => sign * t.score!);
    const gp = new GaussianProcess({ kernel: this.kernel, alpha: this.alpha }).fit(x, y);
    this.gp = gp;
    const gen = new Generator(mixSeed(this.seed, index, 0xbae5));
    const best = Math.min(...y);
    // EI in standardised units, so xi means the same whatever the objective's scale
    const scale = Math.max(1e-12, Math.sqrt(y.reduce((s, v) => s + (v - y.reduce((a, b) => a + b, 0) / y.length) ** 2, 0) / y.length) || 1);
    const ei = (v: number[]): number => {
      const p = gp.predict(v);
      return expectedImprovement(p.mean / scale, p.std / scale, best / scale, this.xi);
    };
    const pool: { v: number[]; e: number }[] = [];
    for (let c = 0; c < this.candidates; c++) {
      const v = Array.from({ length: dims }, () => gen.random());
      pool.push({ v, e: ei(v) });
    }
    pool.sort((a, b) => b.e - a.e);
    // local refinement of the five best: Gaussian steps that shrink when they stop helping
    for (const cand of pool.slice(0, 5)) {
      let radius = 0.1;
      for (let it = 0; it < 40 && radius > 1e-3; it++) {
        const v = cand.v.map((c) => Math.min(1, Math.max(0, c + radius * gen.normal())));
        const e = ei(v);
        if (e > cand.e) {
          cand.v = v;
          cand.e = e;
        } else radius *= 0.8;
      }
    }
    pool.sort((a, b) => b.e - a.e);
    const tried = new Set(this.trials.map((t) => valuesKey(t.values)));
    for (const cand of pool) {
      const values = this.devectorize(cand.v);
      if (!tried.has(valuesKey(values))) return { status: 'RUNNING', values };
    }
    const values = this.randomValues(index);
    return values === null ? { status: 'STOPPED' } : { status: 'RUNNING', values };
  }
}
