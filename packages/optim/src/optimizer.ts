import { argumentError, describe } from './util.ts';
import type { FloatArray, ParamLike } from './param.ts';
import { arrayLike, bumpVersion } from './param.ts';

/** Hyperparameter values an optimizer option may take. */
export type OptionValue = number | boolean | readonly [number, number];

/** Options every optimizer has. */
export interface BaseOptions {
  /** Learning rate. */
  lr: number;
}

/** A parameter group as given to a constructor: its params plus options overriding the defaults. */
export type ParamGroup<O extends BaseOptions = BaseOptions> = {
  /** The group's parameters. */
  params: Iterable<ParamLike>;
} & Partial<O>;

/** What an optimizer constructor takes: parameters, or parameter groups (any iterable, e.g. a generator). */
export type Params<O extends BaseOptions = BaseOptions> = Iterable<ParamLike> | Iterable<ParamGroup<O>>;

/** A parameter group as held by an optimizer: every option resolved. `initialLr` is set by LR schedulers. */
export type ResolvedParamGroup<O extends BaseOptions = BaseOptions> = O & {
  /** The group's parameters. */
  params: ParamLike[];
  /** The learning rate before any scheduling (set by LR schedulers). */
  initialLr?: number;
};

/** Per-parameter optimizer state: a step count plus named scalars and buffers (typed arrays of the param's dtype). */
export interface ParamState {
  /** Number of steps taken for this parameter. */
  step: number;
  [key: string]: number | FloatArray | undefined;
}

/** Plain JSON-serializable snapshot of an optimizer (PyTorch `state_dict()` layout, camelCase). */
export interface OptimizerStateDict {
  /** The optimizer's class name, checked on load. */
  optimizer: string;
  /** Per-parameter state keyed by the parameter's index (numbered across groups in order). */
  state: Record<string, Record<string, number | number[]>>;
  /** Each group's hyperparameters, with `params` replaced by parameter indices. */
  paramGroups: Array<Record<string, unknown> & {
    /** Indices of the group's parameters. */
    params: number[];
  }>;
}

/** Which state entries an optimizer keeps per parameter (used to validate loaded state). */
export interface StateSpec {
  /** Names of the per-parameter scalar entries. */
  scalars: readonly string[];
  /** Names of the per-parameter buffers. */
  buffers: readonly string[];
  /** Names of the buffers that only some settings keep. */
  optionalBuffers: readonly string[];
}

/** A safe description of a value for messages (never JSON: a Tensor is 'Tensor of shape [2]'). */
const fmt = describe;

/** Helpers for option validation; all throw an ArgumentError "<Optimizer>: <message>". */
export class OptionChecker {
  constructor(
    /** The optimizer's name, used in error messages. */
    readonly owner: string,
  ) {}

  /** Throws an ArgumentError with the owner's name. */
  fail(message: string): never {
    throw argumentError(`${this.owner}: ${typeof message === 'string' ? message : `invalid option (the message given to fail() is ${describe(message)})`}`);
  }

  /** Checks that a value is a number (not NaN) and returns it. */
  number(label: string, v: unknown): number {
    if (typeof v !== 'number' || Number.isNaN(v)) this.fail(`${label} must be a number, got ${fmt(v)}`);
    return v;
  }

  /** Checks that a value is a number ≥ 0. */
  nonNegative(label: string, v: unknown): void {
    const x = this.number(label, v);
    if (!(x >= 0) || !Number.isFinite(x)) this.fail(`${label} must be non-negative, got ${fmt(v)}`);
  }

  /** Checks a learning rate (a number ≥ 0). */
  lr(v: unknown): void {
    const x = this.number('learning rate', v);
    if (!(x >= 0) || !Number.isFinite(x)) this.fail(`learning rate must be non-negative, got ${fmt(v)}`);
  }

  /** Checks that a value is a finite number. */
  finite(label: string, v: unknown): void {
    const x = this.number(label, v);
    if (!Number.isFinite(x)) this.fail(`${label} must be finite, got ${fmt(v)}`);
  }

  /** 0 <= v < 1 (or <= 1 when `closed`). */
  unit(label: string, v: unknown, closed = false): void {
    const x = this.number(label, v);
    if (!(x >= 0) || (closed ? !(x <= 1) : !(x < 1))) this.fail(`${label} must be in [0, 1${closed ? ']' : ')'}, got ${fmt(v)}`);
  }

  /** Checks that a value is a boolean. */
  boolean(label: string, v: unknown): void {
    if (typeof v !== 'boolean') this.fail(`${label} must be a boolean, got ${fmt(v)}`);
  }

  /** Checks a betas pair: two numbers in [0, 1). */
  betas(v: unknown): void {
    if (!Array.isArray(v) || v.length !== 2) this.fail(`betas must be a pair [beta1, beta2], got ${fmt(v)}`);
    this.unit('betas[0]', v[0]);
    this.unit('betas[1]', v[1]);
  }
}

function isGroupList(params: readonly unknown[]): boolean {
  const first = params[0];
  return typeof first === 'object' && first !== null && 'params' in first;
}

function isParamLike(p: unknown): p is ParamLike {
  if (typeof p !== 'object' || p === null) return false;
  const d = (p as { data?: unknown }).data;
  return d instanceof Float32Array || d instanceof Float64Array;
}

function copyOption(v: unknown): unknown {
  return Array.isArray(v) ? [...v] : v;
}

/**
 * Base class of all optimizers (PyTorch `torch.optim.Optimizer` semantics).
 *
 * Subclasses implement `validateOptions`, `createState`, `stateSpec` and `update`; the base class handles
 * parameter groups, the per-parameter state map, `step`, `zeroGrad`, and (de)serialization.
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions, S extends ParamState = ParamState> {
  /** The optimizer's name, used in error messages and state dicts. */
  readonly name: string;
  /** Default hyperparameters (after merging the constructor options). */
  readonly defaults: Readonly<O>;
  /** Parameter groups; each group's hyperparameters may be edited in place (e.g. by LR schedulers). */
  readonly paramGroups: ResolvedParamGroup<O>[] = [];
  /** Per-parameter state, created lazily on the first step that sees a gradient. */
  protected readonly state = new Map<ParamLike, S>();
  protected readonly check: OptionChecker;

  /**
   * @param defaults the optimizer's built-in defaults (every option)
   * @param options the user's overrides of the defaults; undefined values are ignored, unknown keys rejected
   */
  protected constructor(
    name: string,
    params: Params<O>,
    defaults: O,
    options: Partial<O> = {},
  ) {
    if (typeof this.validateOptions !== 'function') throw argumentError('Optimizer: is abstract; construct a subclass such as SGD or Adam');
    this.name = name;
    this.check = new OptionChecker(name);
    const merged: Record<string, unknown> = { ...(defaults as object) };
    for (const [k, v] of Object.entries(options ?? {})) {
      if (v === undefined) continue;
      if (!(k in defaults)) this.check.fail(`unknown option '${k}'`);
      merged[k] = copyOption(v);
    }
    this.validateOptions(merged as unknown as O);
    this.defaults = Object.freeze(merged as unknown as O);
    if (typeof params !== 'object' || params === null || !(Symbol.iterator in params) || isParamLike(params)) {
      this.check.fail('params must be an array (or iterable) of parameters or parameter groups');
    }
    const list: readonly unknown[] = Array.isArray(params) ? params : [...(params as Iterable<unknown>)];
    if (list.length === 0) this.check.fail('optimizer got an empty parameter list');
    const groups: ParamGroup<O>[] = isGroupList(list)
      ? (list as readonly ParamGroup<O>[]).slice()
      : [{ params: list as ParamLike[] } as unknown as ParamGroup<O>];
    // Validate every group before adding any, so a bad constructor argument has no partial effect.
    const resolved = groups.map((g, i) => this.resolveGroup(g, i));
    this.checkDisjoint(resolved);
    this.paramGroups.push(...resolved);
  }

  /** Add a parameter group (PyTorch `add_param_group`). */
  addParamGroup(group: ParamGroup<O>): void {
    const r = this.resolveGroup(group, this.paramGroups.length);
    this.checkDisjoint([...this.paramGroups, r]);
    this.paramGroups.push(r);
  }

  /** Check a group's option values; throw with a message naming the optimizer and value. */
  protected abstract validateOptions(options: O): void;
  /** Fresh state for a parameter on its first step (step count 0). */
  protected abstract createState(param: ParamLike, group: ResolvedParamGroup<O>): S;
  /** Names of the state entries this optimizer keeps. */
  protected abstract stateSpec(): StateSpec;
  /** Update one parameter in place; `state.step` has already been incremented. */
  protected abstract update(data: FloatArray, grad: FloatArray, state: S, group: ResolvedParamGroup<O>): void;

  private resolveGroup(group: ParamGroup<O>, index: number): ResolvedParamGroup<O> {
    const gp: unknown = typeof group === 'object' && group !== null ? group.params : undefined;
    if (typeof gp !== 'object' || gp === null || !(Symbol.iterator in gp) || isParamLike(gp)) {
      this.check.fail(`parameter group ${index} must be an object with a params array`);
    }
    const params = Array.isArray(gp) ? (gp as ParamLike[]).slice() : [...(gp as Iterable<ParamLike>)];
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.defaults)) out[k] = copyOption(v);
    for (const [k, v] of Object.entries(group)) {
      if (k === 'params' || v === undefined) continue;
      if (k === 'initialLr') {
        this.check.lr(v);
        out[k] = v;
        continue;
      }
      if (!(k in this.defaults)) this.check.fail(`unknown option '${k}' in parameter group ${index}`);
      out[k] = copyOption(v);
    }
    params.forEach((p, j) => {
      if (!isParamLike(p)) this.check.fail(`parameter ${j} of group ${index} is not a parameter (needs a Float32Array/Float64Array data)`);
    });
    this.validateOptions(out as unknown as O);
    out.params = params;
    return out as unknown as ResolvedParamGroup<O>;
  }

  private checkDisjoint(groups: readonly ResolvedParamGroup<O>[]): void {
    const seen = new Map<ParamLike, number>();
    groups.forEach((g, gi) => {
      for (const p of g.params) {
        const prev = seen.get(p);
        if (prev !== undefined) {
          this.check.fail(
            prev === gi
              ? `parameter group ${gi} contains the same parameter more than once`
              : `some parameters appear in more than one parameter group (groups ${prev} and ${gi})`,
          );
        }
        seen.set(p, gi);
      }
    });
  }

  /**
   * Perform one optimization step. If `closure` is given it is called first (it should recompute the loss and
   * gradients) and its result is returned. Parameters whose `grad` is null are skipped.
   */
  step(closure?: () => number): number | undefined {
    if (closure !== undefined && typeof closure !== 'function') this.check.fail(`step: closure must be a function, got ${fmt(closure)}`);
    const loss = closure ? closure() : undefined;
    // every gradient is checked before any parameter changes (plain loops, and the message is
    // built only on failure: this runs on every training step)
    const groups = this.paramGroups;
    for (let gi = 0; gi < groups.length; gi++) {
      const params = groups[gi]!.params;
      for (let pi = 0; pi < params.length; pi++) {
        const p = params[pi]!;
        const g = p.grad;
        if (g === null || g === undefined) continue;
        if (typeof g !== 'object' || !(g.data instanceof Float32Array || g.data instanceof Float64Array)) {
          this.check.fail(`the gradient of ${gradWhere(p, gi, pi)} is not a tensor (needs a Float32Array/Float64Array data), got ${fmt(g)}`);
        }
        if (g.data.length !== p.data.length) {
          this.check.fail(`the gradient of ${gradWhere(p, gi, pi)} has ${g.data.length} elements but the parameter has ${p.data.length}`);
        }
        if (!sameShape(g.shape, p.shape)) {
          this.check.fail(`the gradient of ${gradWhere(p, gi, pi)} has shape [${(g.shape as readonly number[]).join(', ')}]; it must equal the parameter's shape`);
        }
      }
    }
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = p.grad;
        if (g === null || g === undefined) continue;
        let st = this.state.get(p);
        if (st === undefined) {
          st = this.createState(p, group);
          this.state.set(p, st);
        }
        st.step += 1;
        this.update(p.data, g.data, st, group);
        bumpVersion(p);
      }
    }
    return loss;
  }

  /** Clear gradients: set them to null (default, like PyTorch's set_to_none=True) or fill them with zeros. */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else {
          p.grad.data.fill(0);
          bumpVersion(p.grad);
        }
      }
    }
  }

  /** The state kept for `param`, if any (read-only view for inspection). */
  getState(param: ParamLike): Readonly<S> | undefined {
    return this.state.get(param);
  }

  /** A JSON-serializable snapshot of hyperparameters and state (arrays are copied). */
  stateDict(): OptimizerStateDict {
    const index = new Map<ParamLike, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') out[k] = copyOption(v);
      const ids = g.params.map((p) => {
        const id = index.size;
        index.set(p, id);
        return id;
      });
      return { ...out, params: ids };
    });
    const state: OptimizerStateDict['state'] = {};
    for (const [p, st] of this.state) {
      const id = index.get(p);
      if (id === undefined) continue;
      const entry: Record<string, number | number[]> = {};
      for (const [k, v] of Object.entries(st)) {
        if (v === undefined) continue;
        entry[k] = typeof v === 'number' ? v : Array.from(v);
      }
      state[String(id)] = entry;
    }
    return { optimizer: this.name, state, paramGroups };
  }

  /**
   * Load a snapshot from `stateDict()` (possibly through JSON). Everything is validated first; if anything is
   * invalid an Error is thrown and the optimizer is left unchanged. Saved parameter ids are mapped to this
   * optimizer's parameters by position, as in PyTorch.
   */
  loadStateDict(sd: unknown): void {
    const bad = (msg: string): never => {
      throw argumentError(`${this.name}: invalid state dict: ${msg}`);
    };
    if (typeof sd !== 'object' || sd === null || Array.isArray(sd)) bad(`expected an object from stateDict(), got ${fmt(sd)}`);
    const s = sd as Partial<OptimizerStateDict>;
    if (s.optimizer !== this.name) {
      bad(typeof s.optimizer === 'string' ? `it was saved by ${s.optimizer}, not ${this.name}` : `it has no 'optimizer' name (expected '${this.name}'), got ${fmt(sd)}`);
    }
    if (!Array.isArray(s.paramGroups)) bad('paramGroups must be an array');
    const savedGroups = s.paramGroups!;
    if (savedGroups.length !== this.paramGroups.length) {
      bad(`it has ${savedGroups.length} parameter groups, the optimizer has ${this.paramGroups.length}`);
    }
    const idToParam = new Map<number, ParamLike>();
    const newGroups: ResolvedParamGroup<O>[] = [];
    savedGroups.forEach((sg, gi) => {
      if (typeof sg !== 'object' || sg === null || !Array.isArray(sg.params)) bad(`group ${gi} must have a params array`);
      const cur = this.paramGroups[gi];
      if (sg.params.length !== cur.params.length) {
        bad(`group ${gi} has ${sg.params.length} parameters, the optimizer's group has ${cur.params.length}`);
      }
      sg.params.forEach((id, j) => {
        if (!Number.isInteger(id) || id < 0) bad(`group ${gi} has a non-integer parameter id ${fmt(id)}`);
        if (idToParam.has(id)) bad(`parameter id ${id} appears more than once`);
        idToParam.set(id, cur.params[j]);
      });
      const hyper: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(sg)) {
        if (k === 'params') continue;
        if (k !== 'initialLr' && !(k in this.defaults)) bad(`group ${gi} has unknown option '${k}'`);
        hyper[k] = copyOption(v);
      }
      for (const k of Object.keys(this.defaults)) if (!(k in hyper)) bad(`group ${gi} is missing option '${k}'`);
      if ('initialLr' in hyper) {
        const v = hyper.initialLr;
        if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) bad(`group ${gi} has invalid initialLr ${fmt(v)}`);
      }
      try {
        this.validateOptions(hyper as unknown as O);
      } catch (e) {
        bad(`group ${gi}: ${(e as Error).message}`);
      }
      newGroups.push({ ...(hyper as unknown as O), params: cur.params });
    });
    if (typeof s.state !== 'object' || s.state === null || Array.isArray(s.state)) bad('state must be an object');
    const spec = this.stateSpec();
    const newState = new Map<ParamLike, S>();
    for (const [key, entry] of Object.entries(s.state!)) {
      const id = Number(key);
      const p = idToParam.get(id);
      if (!/^\d+$/.test(key) || p === undefined) bad(`state for unknown parameter id '${key}'`);
      if (typeof entry !== 'object' || entry === null) bad(`state ${key} must be an object`);
      const st: Record<string, number | FloatArray> = {};
      const step = entry.step;
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) bad(`state ${key} has invalid step ${fmt(step)}`);
      st.step = step as number;
      for (const name of [...spec.scalars, ...spec.buffers]) if (!(name in entry)) bad(`state ${key} is missing '${name}'`);
      for (const [k, v] of Object.entries(entry)) {
        if (k === 'step') continue;
        if (spec.scalars.includes(k)) {
          if (typeof v !== 'number' || !Number.isFinite(v)) bad(`state ${key}.${k} must be a finite number, got ${fmt(v)}`);
          st[k] = v as number;
        } else if (spec.buffers.includes(k) || spec.optionalBuffers.includes(k)) {
          if (!Array.isArray(v)) bad(`state ${key}.${k} must be an array`);
          const arr = v as number[];
          if (arr.length !== p!.data.length) bad(`state ${key}.${k} has ${arr.length} values, the parameter has ${p!.data.length}`);
          for (const x of arr) if (typeof x !== 'number' || Number.isNaN(x)) bad(`state ${key}.${k} contains a non-number`);
          st[k] = arrayLike(p!.data, arr);
        } else {
          bad(`state ${key} has unknown entry '${k}'`);
        }
      }
      newState.set(p!, st as S);
    }
    // All valid: commit.
    this.paramGroups.splice(0, this.paramGroups.length, ...newGroups);
    this.state.clear();
    for (const [p, st] of newState) this.state.set(p, st);
  }
}

/** How a step's error names a parameter: "parameter 1 of group 0 (shape [2])". */
function gradWhere(p: ParamLike, gi: number, pi: number): string {
  return `parameter ${pi} of group ${gi}${Array.isArray(p.shape) ? ` (shape [${p.shape.join(', ')}])` : ''}`;
}

/** Equal shapes (a shape that is not an array is left to the length check). */
function sameShape(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
