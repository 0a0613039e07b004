/**
 * `Parameter` and the `Module` base class, with PyTorch's names and semantics.
 *
 * A module's parameters, buffers and child modules are discovered on its own enumerable
 * properties, in the order they were assigned (so `this.weight = new Parameter(...)` registers
 * it), or registered explicitly with `registerParameter`, `registerBuffer` and `registerModule`.
 * Buffers (running statistics, for example) are plain tensors that belong to the state dict but
 * receive no gradient; they must be registered with `registerBuffer`.
 */
import { ArgumentError, MemogradError, Tensor, formatShape, noGrad, zeros } from '@memograd/autograd';
import type { DType, FloatArray } from '@memograd/autograd';
import { problemList, text } from './errors.ts';

/**
 * A tensor that is a module parameter: a leaf that requires grad by default.
 *
 * @example
 * const w = new Parameter(randn([3, 2], { dtype: 'float64' }));
 */
export class Parameter extends Tensor {
  constructor(value: Tensor | FloatArray, options: { shape?: readonly number[]; requiresGrad?: boolean } = {}) {
    if (!(value instanceof Tensor || value instanceof Float32Array || value instanceof Float64Array)) {
      throw new ArgumentError('Parameter', `value must be a Tensor, a Float32Array or a Float64Array, got ${describe(value)}`);
    }
    checkOptions('Parameter', options);
    options ??= {};
    if (value instanceof Tensor) {
      super(value.data, value.shape.slice(), value.dtype);
    } else {
      const shape = options.shape ?? [value.length];
      checkParameterShape(shape, value.length);
      super(value, shape.slice(), value instanceof Float64Array ? 'float64' : 'float32');
    }
    this.requiresGrad = options.requiresGrad ?? true;
  }
}

/** Throws unless `shape` is an array of non-negative integers whose product is `length`. */
function checkParameterShape(shape: unknown, length: number): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ArgumentError('Parameter', `options.shape must be an array of non-negative integers, got ${Array.isArray(shape) ? `[${shape.map((d) => describe(d)).join(', ')}]` : describe(shape)}`);
  }
  const n = shape.reduce((a: number, d: number) => a * d, 1);
  if (n !== length) throw new ArgumentError('Parameter', `options.shape ${formatShape(shape)} holds ${n} elements but the data has ${length}`);
}

/** Raised by `loadStateDict` (and `loadWeights`) when the dict does not fit the module. */
export class StateDictError extends MemogradError {
  /** Every problem found, one per line of the message. */
  readonly problems: readonly string[];
  constructor(op: string, problems: readonly string[]) {
    const { list, message } = problemList(problems);
    super(text(op), message);
    this.problems = list;
  }
}

/** Options of `Module.loadStateDict`. */
export interface LoadStateDictOptions {
  /** Require exactly the module's keys: no missing and no unexpected ones (default true). */
  strict?: boolean;
}

/** What `loadStateDict` did not match (PyTorch's `missing_keys` and `unexpected_keys`). */
export interface LoadStateDictResult {
  /** Keys of the module that the state dict lacked. */
  missingKeys: string[];
  /** Keys of the state dict that the module lacks. */
  unexpectedKeys: string[];
}

/** A tensor-shaped record accepted by `loadStateDict` (a Tensor qualifies). */
export interface TensorRecord {
  /** The elements, row-major. */
  readonly data: ArrayLike<number>;
  /** The size of each axis. */
  readonly shape: readonly number[];
  /** The element type. */
  readonly dtype: DType | string;
}

const INTERNAL = Symbol('memograd.nn.module');

interface Internal {
  buffers: Set<string>;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The base class of every layer and model. Subclasses assign parameters, buffers and child
 * modules as properties in their constructor and implement `forward`.
 *
 * @example
 * class MLP extends Module {
 *   fc1 = new Linear(2, 8);
 *   fc2 = new Linear(8, 1);
 *   forward(x: Tensor) { return this.fc2.call(this.fc1.call(x).relu()); }
 * }
 */
export abstract class Module {
  /** Whether the module is in training mode (affects Dropout and BatchNorm). */
  training = true;

  constructor() {
    Object.defineProperty(this, INTERNAL, { value: { buffers: new Set<string>() } satisfies Internal, enumerable: false });
    // `training` is state, not a discovered attribute, but it is harmless as enumerable.
  }

  private get _internal(): Internal {
    return (this as unknown as Record<symbol, Internal>)[INTERNAL]!;
  }

  /**
   * Computes the module's output. Subclasses may take more arguments (a loss takes the target);
   * through the `Module` type only the input can be passed (`never[]` accepts no more).
   */
  abstract forward(input: Tensor, ...rest: never[]): Tensor;

  /** Runs `forward` (the analogue of calling a PyTorch module). */
  call(input: Tensor, ...rest: never[]): Tensor {
    if (!(input instanceof Tensor)) throw new ArgumentError(`${this.typeName}.call`, `input must be a Tensor, got ${describe(input)}`);
    return this.forward(input, ...rest);
  }

  /** The type name used in `toString()` and `summary()`. */
  get typeName(): string {
    return this.constructor.name;
  }

  /** A short description of the configuration, shown in `toString()` (e.g. `in=4, out=8`). */
  extraRepr(): string {
    return '';
  }

  // ---- registration ----

  /** Registers (or replaces) a parameter under `name`; `null` registers an absent one (e.g. no bias). */
  registerParameter(name: string, param: Parameter | null): void {
    this.checkName('registerParameter', name);
    if (param !== null && !(param instanceof Parameter)) {
      throw new ArgumentError('registerParameter', `'${name}' must be a Parameter or null, got ${describe(param)}`);
    }
    this._internal.buffers.delete(name);
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  /** Registers a buffer: a tensor saved in the state dict that is not a parameter. */
  registerBuffer(name: string, value: Tensor | null): void {
    this.checkName('registerBuffer', name);
    if (value !== null && !(value instanceof Tensor)) {
      throw new ArgumentError('registerBuffer', `'${name}' must be a Tensor or null, got ${describe(value)}`);
    }
    if (value instanceof Parameter) {
      throw new ArgumentError('registerBuffer', `'${name}' is a Parameter; register it with registerParameter`);
    }
    this._internal.buffers.add(name);
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  /** Registers a child module under `name`. */
  registerModule(name: string, module: Module | null): void {
    this.checkName('registerModule', name);
    if (module !== null && !(module instanceof Module)) {
      throw new ArgumentError('registerModule', `'${name}' must be a Module or null, got ${describe(module)}`);
    }
    (this as unknown as Record<string, unknown>)[name] = module;
  }

  private checkName(op: string, name: string): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new ArgumentError(op, `name must be a non-empty string without '.', got ${show(name)}`);
    }
  }

  // ---- discovery ----

  /** Own parameters (not the children's), by name. */
  *ownNamedParameters(): Generator<[string, Parameter]> {
    for (const key of Object.keys(this)) {
      const v = (this as unknown as Record<string, unknown>)[key];
      if (v instanceof Parameter) yield [key, v];
      else if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (v[i] instanceof Parameter) yield [`${key}.${i}`, v[i] as Parameter];
      }
    }
  }

  /** Own buffers (not the children's), by name. */
  *ownNamedBuffers(): Generator<[string, Tensor]> {
    const names = this._internal.buffers;
    for (const key of Object.keys(this)) {
      if (!names.has(key)) continue;
      const v = (this as unknown as Record<string, unknown>)[key];
      if (v instanceof Tensor) yield [key, v];
    }
  }

  /** The direct children, by name (arrays of modules are named `key.0`, `key.1`, ...). */
  *namedChildren(): Generator<[string, Module]> {
    for (const key of Object.keys(this)) {
      const v = (this as unknown as Record<string, unknown>)[key];
      if (v instanceof Module) yield [key, v];
      else if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (v[i] instanceof Module) yield [`${key}.${i}`, v[i] as Module];
      }
    }
  }

  /** The direct children. */
  children(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  /** This module and every descendant, depth first, named by their dotted path ('' for this one). */
  *namedModules(prefix = '', seen: Set<Module> = new Set()): Generator<[string, Module]> {
    if (seen.has(this)) return;
    seen.add(this);
    yield [prefix, this];
    for (const [name, child] of this.namedChildren()) {
      yield* child.namedModules(prefix === '' ? name : `${prefix}.${name}`, seen);
    }
  }

  /** This module and every descendant. */
  modules(): Module[] {
    return [...this.namedModules()].map(([, m]) => m);
  }

  /** Every parameter of this module and its descendants, with dotted names (`fc1.weight`), shared ones once. */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m.ownNamedParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix === '' ? name : `${prefix}.${name}`, p]);
      }
    }
    return out;
  }

  /** Every parameter, for an optimizer. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer of this module and its descendants, with dotted names (`bn.runningMean`). */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, b] of m.ownNamedBuffers()) {
        if (seen.has(b)) continue;
        seen.add(b);
        out.push([prefix === '' ? name : `${prefix}.${name}`, b]);
      }
    }
    return out;
  }

  /** Every buffer (running statistics, ...) of this module and its children (like PyTorch's `buffers()`). */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** The number of parameter elements (only those that require grad when `onlyTrainable`). */
  numParameters(options: { onlyTrainable?: boolean } = {}): number {
    checkOptions(`${this.typeName}.numParameters`, options);
    let n = 0;
    for (const p of this.parameters()) if (!options.onlyTrainable || p.requiresGrad) n += p.size;
    return n;
  }

  // ---- modes and gradients ----

  /** Sets training mode on this module and every descendant. Returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient (sets it to null). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Turns gradients on or off for every parameter (freezing). Returns this. */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad = flag;
    return this;
  }

  /**
   * Converts every parameter and buffer to `dtype` (like PyTorch's `model.double()`), replacing
   * them with new tensors: parameters keep their `requiresGrad`, gradients are dropped. Re-create
   * any optimizer afterwards, since it holds the old parameters. Returns this.
   */
  to(dtype: DType): this {
    if (dtype !== 'float32' && dtype !== 'float64') throw new ArgumentError(`${this.typeName}.to`, `dtype must be 'float32' or 'float64', got ${typeof dtype === 'string' ? `'${dtype}'` : describe(dtype)}`);
    const cast = (t: Tensor): Tensor => noGrad(() => t.to(dtype)).detach();
    const done = new Map<Tensor, Tensor>();
    const once = (t: Tensor, make: () => Tensor): Tensor => {
      let r = done.get(t);
      if (r === undefined) done.set(t, (r = make()));
      return r;
    };
    for (const m of this.modules()) {
      const rec = m as unknown as Record<string, unknown>;
      const buffers = m._internal.buffers;
      const convert = (v: unknown): unknown => {
        if (v instanceof Parameter) return v.dtype === dtype ? v : once(v, () => new Parameter(cast(v), { requiresGrad: v.requiresGrad }));
        return v;
      };
      for (const key of Object.keys(m)) {
        const v = rec[key];
        if (v instanceof Parameter) rec[key] = convert(v);
        else if (buffers.has(key) && v instanceof Tensor && v.dtype !== dtype) rec[key] = once(v, () => cast(v));
        else if (Array.isArray(v) && v.some((e) => e instanceof Parameter)) rec[key] = v.map(convert);
      }
    }
    return this;
  }

  /** Applies `fn` to every module, children first, then this one (like PyTorch's `apply`). */
  apply(fn: (m: Module) => void): this {
    if (typeof fn !== 'function') throw new ArgumentError(`${this.typeName}.apply`, `fn must be a function, got ${describe(fn)}`);
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** This module's own regularization penalties (e.g. a Dense layer's kernelRegularizer). */
  regularizationTerms(): Tensor[] {
    return [];
  }

  /**
   * The sum of every regularization penalty in this module and its descendants (Keras'
   * `model.losses`), as a scalar tensor; zero when there are none. Add it to the loss.
   */
  regularizationLoss(): Tensor {
    const terms = this.modules().flatMap((m) => m.regularizationTerms());
    if (terms.length === 0) return zeros([], { dtype: this.parameters()[0]?.dtype ?? 'float32' });
    let acc = terms[0]!;
    for (let i = 1; i < terms.length; i++) acc = acc.add(terms[i]!);
    return acc;
  }

  // ---- state ----

  /** Copies of every parameter and buffer, by dotted name (parameters first, per module). */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, t] of this.stateEntries()) {
      const data = t.data.slice();
      Object.defineProperty(out, name, { value: new Tensor(data, t.shape.slice(), t.dtype), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** The live tensors behind `stateDict()`, in order. */
  stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of [...m.ownNamedParameters(), ...m.ownNamedBuffers()] as [string, Tensor][]) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([prefix === '' ? name : `${prefix}.${name}`, t]);
      }
    }
    return out;
  }

  /**
   * Copies values from `dict` into the parameters and buffers, in place, bumping each one's
   * `version`. Every name, shape, dtype and value (each must be a number) is validated first; on
   * any problem a `StateDictError` lists them all, naming the keys, and nothing is changed. With `strict: false`, missing and unexpected keys are allowed (and reported in the
   * result), but shapes and dtypes of the keys present must still match.
   */
  loadStateDict(dict: Readonly<Record<string, TensorRecord>>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const op = `${this.typeName}.loadStateDict`;
    checkOptions(op, options);
    const strict = options?.strict ?? true;
    if (typeof dict !== 'object' || dict === null) throw new ArgumentError(op, `expected an object of tensors, got ${describe(dict)}`);
    const entries = this.stateEntries();
    const expected = new Map(entries);
    const problems: string[] = [];
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const plan: [Tensor, TensorRecord][] = [];
    for (const [name, t] of entries) {
      if (!Object.prototype.hasOwnProperty.call(dict, name)) {
        missingKeys.push(name);
        if (strict) problems.push(`missing key '${name}' (expected shape ${formatShape(t.shape)}, ${t.dtype})`);
        continue;
      }
      const v = dict[name]!;
      if (v === null || typeof v !== 'object' || !Array.isArray(v.shape) || v.data === undefined || v.data === null || typeof v.data !== 'object' || typeof v.data.length !== 'number') {
        problems.push(`key '${name}': expected a tensor { data, shape, dtype }, got ${v !== null && typeof v === 'object' && !Array.isArray(v.shape) ? `shape ${describe(v.shape)}` : v !== null && typeof v === 'object' ? `data ${describe(v.data)}` : describe(v)}`);
        continue;
      }
      const badDim = v.shape.findIndex((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0);
      if (badDim >= 0) {
        problems.push(`key '${name}': shape[${badDim}] is ${describe(v.shape[badDim])}, not a non-negative integer`);
        continue;
      }
      if (!sameShape(v.shape, t.shape)) {
        problems.push(`key '${name}': shape mismatch: the module has ${formatShape(t.shape)}, the dict has ${formatShape(v.shape)}`);
        continue;
      }
      if (v.dtype !== t.dtype) {
        problems.push(`key '${name}': dtype mismatch: the module has ${t.dtype}, the dict has ${v.dtype === undefined ? 'no dtype' : typeof v.dtype === 'string' ? v.dtype : describe(v.dtype)}`);
        continue;
      }
      if (v.data.length !== t.size) {
        problems.push(`key '${name}': has ${v.data.length} values for shape ${formatShape(v.shape)} (${t.size} expected)`);
        continue;
      }
      // every value must be a number: strings, BigInts, nested arrays or holes would load as NaN
      // (NaN numbers themselves are loaded as they are, like any float)
      const data = v.data;
      let bad = -1;
      for (let i = 0; i < data.length; i++) {
        if (typeof data[i] !== 'number') {
          bad = i;
          break;
        }
      }
      if (bad >= 0) {
        problems.push(`key '${name}': data[${bad}] is ${describe(data[bad])}, not a number`);
        continue;
      }
      plan.push([t, v]);
    }
    for (const name of Object.keys(dict)) {
      if (!expected.has(name)) {
        unexpectedKeys.push(name);
        if (strict) problems.push(`unexpected key '${name}'${dict[name] && Array.isArray(dict[name]!.shape) ? ` (shape ${formatShape(dict[name]!.shape)})` : ''}`);
      }
    }
    if (problems.length > 0) throw new StateDictError(op, problems);
    noGrad(() => {
      for (const [t, v] of plan) {
        t.data.set(v.data);
        t.bumpVersion(); // an in-place change: a graph that saved the old values must not use the new ones
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---- printing ----

  /** A PyTorch-style tree: `Sequential(\n  (0): Linear(in=2, out=8)\n  ...)`. */
  toString(): string {
    const extra = this.extraRepr();
    const kids = [...this.namedChildren()];
    if (kids.length === 0) return `${this.typeName}(${extra})`;
    const lines = kids.map(([name, m]) => `  (${name}): ${m.toString().split('\n').join('\n  ')}`);
    return `${this.typeName}(${extra ? extra + ',' : ''}\n${lines.join('\n')}\n)`;
  }
}

/**
 * A value for error messages, never throwing: strings and arrays as JSON, numbers as written
 * (NaN stays NaN), other objects by their class name (see `describe`).
 */
export function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return String(v);
  if (v === null || v === undefined || typeof v === 'symbol' || typeof v === 'function') return describe(v);
  if (typeof v === 'object' && !Array.isArray(v)) return describe(v);
  if (Array.isArray(v)) return `[${v.slice(0, 8).map((x) => (Array.isArray(x) ? 'Array' : show(x))).join(', ')}${v.length > 8 ? ', …' : ''}]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    try {
      return String(v);
    } catch {
      return typeof v;
    }
  }
}

/** Throws an ArgumentError unless `options` is undefined or an object. */
export function checkOptions(op: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new ArgumentError(op, `options must be an object, got ${describe(options)}`);
  }
}

/** A short description of a value for error messages: its class name, or its type and value. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  if (typeof v === 'function') return 'function';
  if (typeof v === 'symbol') return 'symbol';
  // a string is quoted: "got string NaN" would read as a mangled number
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}
