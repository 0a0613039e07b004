/**
 * Keras Tuner's `HyperParameters`: the search space is discovered by running the build function.
 *
 * Each `hp.int(...)`, `hp.float(...)`, `hp.choice(...)`, `hp.boolean(...)`, `hp.fixed(...)` call
 * registers the hyper-parameter the first time it is reached and returns its value for the current
 * trial (the default when the oracle has not chosen one yet). Hyper-parameters created inside
 * `conditionalScope(parent, values, fn)` are active only while `parent`'s value is one of `values`;
 * an inactive one returns null and has no entry in `values` (Keras Tuner: "only active
 * hyperparameters should have values in HyperParameters.values").
 *
 * The numeric arithmetic (probabilities in [0, 1], steps, log sampling, the grid of a float without a
 * step) is Keras Tuner's, so that the oracles sample the same values it would.
 */
import type { Generator } from '@memograd/autograd';
import { argumentError, describe } from '../util.ts';

/** 'got <value>', or 'it is missing' for undefined (a missing option is not a value the caller gave). */
function got(v: unknown): string {
  return v === undefined ? 'it is missing' : `got ${describe(v)}`;
}

/** A hyper-parameter's value. */
export type HPValue = number | string | boolean;
/** Active hyper-parameters by name: a trial's values. */
export type HPValues = Record<string, HPValue>;

/** How a numeric range is sampled: uniformly, or uniformly in the logarithm. */
export type Sampling = 'linear' | 'log';

/** An activation condition: the parent's value is one of `values`. */
export interface Condition {
  /** The parent hyper-parameter's name. */
  parent: string;
  /** The parent values that activate the child. */
  values: HPValue[];
}

/** Options of `HyperParameters.int`. */
export interface IntOptions {
  /** The smallest value (an integer). */
  min: number;
  /** The largest value, included (an integer). */
  max: number;
  /** Spacing of the values: added with 'linear' (default 1), multiplied with 'log' (default: none, any integer). */
  step?: number;
  /** 'linear' (default) or 'log'. */
  sampling?: Sampling;
  /** The value before the oracle picks one (default `min`). */
  default?: number;
}

/** Options of `HyperParameters.float`. */
export interface FloatOptions {
  /** The smallest value. */
  min: number;
  /** The largest value. */
  max: number;
  /** Optional spacing of the values (added with 'linear', multiplied with 'log'). */
  step?: number;
  /** 'linear' (default) or 'log'. */
  sampling?: Sampling;
  /** The value before the oracle picks one (default `min`). */
  default?: number;
}

/** Options of `HyperParameters.choice`. */
export interface ChoiceOptions {
  /** The value before the oracle picks one (default: the first). */
  default?: HPValue;
}

/** Options of `HyperParameters.boolean`. */
export interface BooleanOptions {
  /** The value before the oracle picks one (default false). */
  default?: boolean;
}

/** What every registered hyper-parameter has. */
export interface HPConfigBase {
  /** The name. */
  name: string;
  /** The conditions under which it is active (all must hold). */
  conditions: Condition[];
}

/** An integer or float range. */
export interface NumericHPConfig extends HPConfigBase {
  /** 'int' or 'float'. */
  type: 'int' | 'float';
  /** The smallest value. */
  min: number;
  /** The largest value (included). */
  max: number;
  /** The spacing (added with linear sampling, multiplied with log), or null for none. */
  step: number | null;
  /** 'linear' or 'log'. */
  sampling: Sampling;
  /** The value before the oracle picks one. */
  default: number;
}

/** A choice among values. */
export interface ChoiceHPConfig extends HPConfigBase {
  /** 'choice'. */
  type: 'choice';
  /** The values. */
  values: HPValue[];
  /** The value before the oracle picks one. */
  default: HPValue;
}

/** A boolean. */
export interface BooleanHPConfig extends HPConfigBase {
  /** 'boolean'. */
  type: 'boolean';
  /** The value before the oracle picks one. */
  default: boolean;
}

/** A fixed value. */
export interface FixedHPConfig extends HPConfigBase {
  /** 'fixed'. */
  type: 'fixed';
  /** The value. */
  value: HPValue;
  /** The same value. */
  default: HPValue;
}

/** A registered hyper-parameter, as JSON (what project directories store). */
export type HyperParameterConfig = NumericHPConfig | ChoiceHPConfig | BooleanHPConfig | FixedHPConfig;

/** A `HyperParameters` as JSON: its space and values. */
export interface HyperParametersConfig {
  /** The registered hyper-parameters, in order. */
  space: HyperParameterConfig[];
  /** The values of the active ones. */
  values: HPValues;
}

// ---------------------------------------------------------------------------------------------
// the arithmetic of one hyper-parameter (Keras Tuner's hp_types and hp_utils)

/** Keras Tuner's `prob_to_index`: cumulative probability to 0-based index. */
export function probToIndex(prob: number, n: number): number {
  const index = Math.floor(prob / (1 / n));
  return Math.min(Math.max(index, 0), n - 1);
}

/** Keras Tuner's `index_to_prob`: the middle of the index's interval. */
export function indexToProb(index: number, n: number): number {
  return (index + 0.5) / n;
}

function numericSample(c: { min: number; sampling: Sampling }, prob: number, max: number): number {
  return c.sampling === 'linear' ? prob * (max - c.min) + c.min : c.min * Math.pow(max / c.min, prob);
}

function numericToProb(c: { min: number; sampling: Sampling }, value: number, max: number): number {
  if (max === c.min) return 0.5;
  return c.sampling === 'linear' ? (value - c.min) / (max - c.min) : Math.log(value / c.min) / Math.log(max / c.min);
}

/** How many values a stepped range has (Keras Tuner's `_get_n_values`). */
function stepCount(c: { min: number; max: number; step: number; sampling: Sampling }): number {
  if (c.sampling === 'linear') return Math.floor((c.max - c.min) / c.step + 1e-9) + 1;
  return Math.floor(Math.log(c.max / c.min) / Math.log(c.step) + 1e-8) + 1;
}

function stepValue(c: { min: number; step: number; sampling: Sampling }, index: number): number {
  return c.sampling === 'linear' ? c.min + index * c.step : c.min * Math.pow(c.step, index);
}

/** The probability in [0, 1] that maps to `value` (Keras Tuner's `value_to_prob`). */
export function valueToProb(hp: HyperParameterConfig, value: HPValue): number {
  switch (hp.type) {
    case 'int':
    case 'float': {
      const v = value as number;
      if (hp.step !== null) {
        const n = stepCount({ ...hp, step: hp.step });
        const index = hp.sampling === 'linear' ? Math.floor((v - hp.min) / hp.step + 1e-9) : Math.round(Math.log(v / hp.min) / Math.log(hp.step));
        return indexToProb(Math.min(Math.max(index, 0), n - 1), n);
      }
      return hp.type === 'int' ? numericToProb(hp, v + 0.5, hp.max + 1) : numericToProb(hp, v, hp.max);
    }
    case 'choice': {
      const i = hp.values.indexOf(value);
      return indexToProb(i < 0 ? 0 : i, hp.values.length);
    }
    case 'boolean':
      return value === true ? 0.75 : 0.25;
    case 'fixed':
      return 0.5;
  }
}

/** The value that probability `prob` in [0, 1] maps to (Keras Tuner's `prob_to_value`). */
export function probToValue(hp: HyperParameterConfig, prob: number): HPValue {
  // a probability outside [0, 1] is clamped; one that is no number at all has no value
  if (typeof prob !== 'number' || Number.isNaN(prob)) throw argumentError(`probToValue: prob must be a number in [0, 1], ${got(prob)}`);
  const p = Math.min(Math.max(prob, 0), 1);
  switch (hp.type) {
    case 'int':
      if (hp.step !== null) return Math.round(stepValue({ ...hp, step: hp.step }, probToIndex(p, stepCount({ ...hp, step: hp.step }))));
      return Math.min(hp.max, Math.floor(numericSample(hp, p, hp.max + 1)));
    case 'float':
      if (hp.step !== null) return stepValue({ ...hp, step: hp.step }, probToIndex(p, stepCount({ ...hp, step: hp.step })));
      return numericSample(hp, p, hp.max);
    case 'choice':
      return hp.values[probToIndex(p, hp.values.length)]!;
    case 'boolean':
      return p >= 0.5;
    case 'fixed':
      return hp.value;
  }
}

/** A uniformly random value (Keras Tuner's `random_sample`: a uniform probability mapped to a value). */
export function randomValue(hp: HyperParameterConfig, gen: Generator): HPValue {
  return probToValue(hp, gen.random());
}

/**
 * The values a grid search visits, in order: every step of a stepped range, every integer of an
 * unstepped int range, every choice, [false, true], the fixed value; and for a float without a step
 * Keras Tuner's 10 values at the probabilities 0.05, 0.15, ..., 0.95.
 */
export function gridValues(hp: HyperParameterConfig): HPValue[] {
  switch (hp.type) {
    case 'int':
    case 'float': {
      if (hp.step !== null) {
        const n = stepCount({ ...hp, step: hp.step });
        return Array.from({ length: n }, (_, i) => (hp.type === 'int' ? Math.round(stepValue({ ...hp, step: hp.step! }, i)) : stepValue({ ...hp, step: hp.step! }, i)));
      }
      if (hp.type === 'int') {
        const out = new Set<number>();
        if (hp.sampling === 'linear') for (let v = hp.min; v <= hp.max; v++) out.add(v);
        else for (let i = 0; i < 10; i++) out.add(probToValue(hp, i * 0.1 + 0.05) as number);
        return [...out].sort((a, b) => a - b);
      }
      return Array.from({ length: 10 }, (_, i) => probToValue(hp, i * 0.1 + 0.05));
    }
    case 'choice':
      return [...hp.values];
    case 'boolean':
      return [false, true];
    case 'fixed':
      return [hp.value];
  }
}

/** Whether every condition holds for `values` (a condition on an inactive parent does not). */
export function conditionsHold(conditions: readonly Condition[], values: HPValues): boolean {
  return conditions.every((c) => Object.hasOwn(values, c.parent) && c.values.includes(values[c.parent]!));
}

// ---------------------------------------------------------------------------------------------
// validation

const NAME_RE = /^[^\s/][^\s]*$/;

function checkName(op: string, name: unknown): string {
  if (typeof name !== 'string' || name === '') throw argumentError(`${op}: name must be a non-empty string, ${got(name)}`);
  if (!NAME_RE.test(name) || name.startsWith('tuner/')) throw argumentError(`${op}: name must have no spaces and must not start with '/' or 'tuner/' (reserved for Hyperband), got ${JSON.stringify(name)}`);
  return name;
}

function checkOptions(op: string, options: unknown): Record<string, unknown> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw argumentError(`${op}: options must be an object, ${got(options)}`);
  return options as Record<string, unknown>;
}

function checkSampling(op: string, s: unknown): Sampling {
  if (s === undefined) return 'linear';
  if (s !== 'linear' && s !== 'log') throw argumentError(`${op}: sampling must be 'linear' or 'log', ${got(s)}`);
  return s;
}

function isHPValue(v: unknown): v is HPValue {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean';
}

function numericConfig(op: string, type: 'int' | 'float', name: string, o: Record<string, unknown>, conditions: Condition[]): HyperParameterConfig {
  const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && (type === 'float' || Number.isInteger(v));
  const kind = type === 'int' ? 'an integer' : 'a finite number';
  const { min, max } = o;
  if (!isNum(min)) throw argumentError(`${op}: min must be ${kind}, ${got(min)}`);
  if (!isNum(max)) throw argumentError(`${op}: max must be ${kind}, ${got(max)}`);
  if (min > max) throw argumentError(`${op}: min ${min} is greater than max ${max}`);
  const sampling = checkSampling(op, o.sampling);
  if (sampling === 'log' && min <= 0) throw argumentError(`${op}: sampling 'log' needs min > 0, got min ${min}`);
  let step: number | null = null;
  if (o.step !== undefined) {
    if (!isNum(o.step) || o.step <= 0) throw argumentError(`${op}: step must be ${type === 'int' ? 'a positive integer' : 'a positive number'}, ${got(o.step)}`);
    if (sampling === 'log' && o.step <= 1) throw argumentError(`${op}: step must be > 1 with sampling 'log' (a factor between values), got ${o.step}`);
    step = o.step;
  } else if (type === 'int' && sampling === 'linear') step = 1;
  const def = o.default ?? min;
  if (!isNum(def) || def < min || def > max) throw argumentError(`${op}: default must be ${kind} in [${min}, ${max}], ${got(o.default)}`);
  return { type, name, min, max, step, sampling, default: def, conditions } as HyperParameterConfig;
}

function sameConditions(a: readonly Condition[], b: readonly Condition[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A config's conditions, checked: each { parent: name, values: a non-empty array of values }. */
function checkConditions(op: string, i: number, conditions: unknown): Condition[] {
  if (conditions === undefined) return [];
  if (!Array.isArray(conditions)) throw argumentError(`${op}: space[${i}].conditions must be an array, ${got(conditions)}`);
  return conditions.map((c: unknown, j) => {
    const cond = c as Partial<Condition> | null;
    if (cond === null || typeof cond !== 'object' || typeof cond.parent !== 'string' || !Array.isArray(cond.values) || cond.values.length === 0 || !cond.values.every(isHPValue)) {
      throw argumentError(`${op}: space[${i}].conditions[${j}] must be { parent: a name, values: a non-empty array of numbers, strings or booleans }, ${got(c)}`);
    }
    return { parent: cond.parent, values: [...cond.values] };
  });
}

// ---------------------------------------------------------------------------------------------

/**
 * The hyper-parameters of a search: the space (every hyper-parameter registered so far, with its
 * range and conditions) and the current trial's values (only the active ones).
 *
 * @example
 * const hp = new HyperParameters();
 * const layers = hp.int('num_layers', { min: 0, max: 3 });
 * for (let i = 0; i < 3; i++) hp.conditionalScope('num_layers', [...range(i + 1, 4)], () => hp.int(`units_${i}`, { min: 8, max: 64, step: 8 }));
 */
export class HyperParameters {
  /** The current values of the active hyper-parameters, by name. */
  values: HPValues = {};
  private readonly hps: HyperParameterConfig[] = [];
  private readonly scopes: Condition[] = [];

  /** A copy of the registered hyper-parameters, in registration order. */
  get space(): HyperParameterConfig[] {
    return this.hps.map((h) => structuredClone(h));
  }

  /**
   * An integer in [min, max] (max included), spaced by `step` (default 1 with linear sampling; with
   * log sampling a step is a factor, and without one any integer may come).
   */
  int(name: string, options: IntOptions): number | null {
    const op = 'HyperParameters.int';
    const n = checkName(op, name);
    return this.retrieve(op, numericConfig(op, 'int', n, checkOptions(op, options), this.conditionsNow())) as number | null;
  }

  /** A number in [min, max], optionally spaced by `step`, sampled uniformly or log-uniformly. */
  float(name: string, options: FloatOptions): number | null {
    const op = 'HyperParameters.float';
    const n = checkName(op, name);
    return this.retrieve(op, numericConfig(op, 'float', n, checkOptions(op, options), this.conditionsNow())) as number | null;
  }

  /** One of `values` (numbers, strings or booleans, all of one type). */
  choice<T extends HPValue>(name: string, values: readonly T[], options: ChoiceOptions = {}): T | null {
    const op = 'HyperParameters.choice';
    const n = checkName(op, name);
    if (!Array.isArray(values) || values.length === 0) throw argumentError(`${op}: values must be a non-empty array, ${got(values)}`);
    values.forEach((v: unknown, i) => {
      if (!isHPValue(v)) throw argumentError(`${op}: values[${i}] must be a finite number, a string or a boolean, ${got(v)}`);
    });
    const types = new Set(values.map((v) => typeof v));
    if (types.size > 1) throw argumentError(`${op}: values must all have one type, got ${[...types].join(' and ')}`);
    if (new Set(values).size !== values.length) throw argumentError(`${op}: values must be distinct, ${got(values)}`);
    const o = checkOptions(op, options);
    if (o.default !== undefined && !values.includes(o.default as T)) throw argumentError(`${op}: default must be one of the values, ${got(o.default)}`);
    const def = (o.default as HPValue | undefined) ?? values[0]!;
    return this.retrieve(op, { type: 'choice', name: n, values: [...values], default: def, conditions: this.conditionsNow() }) as T | null;
  }

  /** true or false. */
  boolean(name: string, options: BooleanOptions = {}): boolean | null {
    const op = 'HyperParameters.boolean';
    const n = checkName(op, name);
    const o = checkOptions(op, options);
    if (o.default !== undefined && typeof o.default !== 'boolean') throw argumentError(`${op}: default must be a boolean, ${got(o.default)}`);
    return this.retrieve(op, { type: 'boolean', name: n, default: (o.default as boolean | undefined) ?? false, conditions: this.conditionsNow() }) as boolean | null;
  }

  /** A value that is not tuned (recorded with the trial, as Keras Tuner's `Fixed`). */
  fixed<T extends HPValue>(name: string, value: T): T | null {
    const op = 'HyperParameters.fixed';
    const n = checkName(op, name);
    if (!isHPValue(value)) throw argumentError(`${op}: value must be a finite number, a string or a boolean, ${got(value)}`);
    return this.retrieve(op, { type: 'fixed', name: n, value, default: value, conditions: this.conditionsNow() }) as T | null;
  }

  /**
   * Runs `fn` with every hyper-parameter it creates conditional on `parent`'s value being one of
   * `values` (Keras Tuner's `conditional_scope`). `fn` always runs; inside an inactive scope the
   * hyper-parameters are registered but return null. Returns what `fn` returns.
   */
  conditionalScope<R>(parent: string, values: HPValue | readonly HPValue[], fn: () => R): R {
    const op = 'HyperParameters.conditionalScope';
    if (typeof parent !== 'string' || !this.hps.some((h) => h.name === parent)) throw argumentError(`${op}: parent must be the name of a hyper-parameter defined before, ${got(parent)}`);
    const vs = Array.isArray(values) ? [...(values as HPValue[])] : [values as HPValue];
    if (vs.length === 0 || !vs.every(isHPValue)) throw argumentError(`${op}: values must be a value or a non-empty array of numbers, strings or booleans, ${got(values)}`);
    if (typeof fn !== 'function') throw argumentError(`${op}: fn must be a function, ${got(fn)}`);
    this.scopes.push({ parent, values: vs });
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** Whether a hyper-parameter (by name) is active: all its conditions hold for the current values. */
  isActive(name: string): boolean {
    if (typeof name !== 'string') throw argumentError(`HyperParameters.isActive: name must be a string, ${got(name)}`);
    return this.hps.some((h) => h.name === name && conditionsHold(h.conditions, this.values));
  }

  /** The value of an active hyper-parameter; an error for an inactive or unknown name. */
  get(name: string): HPValue {
    const op = 'HyperParameters.get';
    if (typeof name !== 'string') throw argumentError(`${op}: name must be a string, ${got(name)}`);
    if (Object.hasOwn(this.values, name)) return this.values[name]!;
    if (this.hps.some((h) => h.name === name)) throw argumentError(`${op}: '${name}' is currently inactive`);
    throw argumentError(`${op}: no hyper-parameter named '${name}'`);
  }

  /** A copy of the space and the values. */
  copy(): HyperParameters {
    return HyperParameters.fromConfig({ space: this.hps, values: this.values });
  }

  /** The space and the values, as JSON. */
  getConfig(): HyperParametersConfig {
    return { space: this.space, values: { ...this.values } };
  }

  /** Rebuilds from `getConfig()`'s output (checked whole: a bad config changes nothing). */
  static fromConfig(config: { space: readonly HyperParameterConfig[]; values?: HPValues }): HyperParameters {
    const op = 'HyperParameters.fromConfig';
    if (config === null || typeof config !== 'object' || !Array.isArray(config.space)) throw argumentError(`${op}: config must be { space: [...], values }, ${got(config)}`);
    const hp = new HyperParameters();
    for (const [i, c] of config.space.entries()) {
      if (c === null || typeof c !== 'object') throw argumentError(`${op}: space[${i}] must be a hyper-parameter config, ${got(c)}`);
      const conds = checkConditions(op, i, c.conditions);
      // rebuild through the public methods, so a config is validated as strictly as a call
      const probe = new HyperParameters();
      probe.scopes.push(...conds);
      const o = c as Record<string, unknown>;
      let made: HyperParameterConfig;
      try {
        if (c.type === 'int' || c.type === 'float') made = numericConfig(op, c.type, checkName(op, c.name), { min: o.min, max: o.max, step: o.step ?? undefined, sampling: o.sampling, default: o.default }, conds);
        else if (c.type === 'choice') {
          probe.choice(c.name, c.values, { default: c.default });
          made = probe.hps[0]!;
        } else if (c.type === 'boolean') {
          probe.boolean(c.name, { default: c.default });
          made = probe.hps[0]!;
        } else if (c.type === 'fixed') {
          probe.fixed(c.name, c.value);
          made = probe.hps[0]!;
        } else throw argumentError(`${op}: space[${i}].type must be 'int', 'float', 'choice', 'boolean' or 'fixed', ${got((c as { type?: unknown }).type)}`);
      } catch (e) {
        if (e instanceof Error && !e.message.startsWith(op)) throw argumentError(`${op}: space[${i}]: ${e.message}`);
        throw e;
      }
      hp.hps.push(made);
    }
    const values = config.values ?? {};
    if (values === null || typeof values !== 'object') throw argumentError(`${op}: values must be an object, ${got(values)}`);
    for (const [k, v] of Object.entries(values)) {
      if (!isHPValue(v)) throw argumentError(`${op}: values.${k} must be a number, a string or a boolean, ${got(v)}`);
      hp.values[k] = v;
    }
    return hp;
  }

  /**
   * Registers the hyper-parameters of a space that are not known yet (same name under the same
   * conditions), as Keras Tuner's `merge`. The space is checked whole first: a bad one adds nothing.
   */
  merge(space: readonly HyperParameterConfig[]): void {
    const other = HyperParameters.fromConfig({ space });
    for (const h of other.hps) if (!this.hps.some((k) => k.name === h.name && sameConditions(k.conditions, h.conditions))) this.hps.push(h);
  }

  /**
   * Keeps only the values of active hyper-parameters and gives every active one without a value its
   * default (Keras Tuner's `ensure_active_values`), in space order so parents settle first.
   */
  ensureActiveValues(): void {
    const out: HPValues = {};
    for (const h of this.hps) {
      if (!conditionsHold(h.conditions, out)) continue;
      out[h.name] = Object.hasOwn(this.values, h.name) ? this.values[h.name]! : h.default;
    }
    this.values = out;
  }

  private conditionsNow(): Condition[] {
    return this.scopes.map((c) => ({ parent: c.parent, values: [...c.values] }));
  }

  private retrieve(op: string, hp: HyperParameterConfig): HPValue | null {
    const other = this.hps.find((h) => h.name === hp.name);
    if (other !== undefined && other.type !== hp.type) throw argumentError(`${op}: '${hp.name}' is already defined as ${other.type === 'int' ? 'an' : 'a'} ${other.type}`);
    const existing = this.hps.find((h) => h.name === hp.name && sameConditions(h.conditions, hp.conditions));
    if (existing !== undefined) {
      const { default: _a, ...a } = existing;
      const { default: _b, ...b } = hp;
      if (JSON.stringify(a) !== JSON.stringify(b)) throw argumentError(`${op}: '${hp.name}' is already defined differently (${JSON.stringify(a)})`);
    } else this.hps.push(hp);
    const h = existing ?? hp;
    if (!conditionsHold(h.conditions, this.values)) return null;
    if (!Object.hasOwn(this.values, h.name)) this.values[h.name] = h.default;
    return this.values[h.name]!;
  }
}
