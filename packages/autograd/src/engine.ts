/**
 * The tape: how ops are recorded and how gradients flow back.
 *
 * Every op applied to a tensor that requires a gradient records a `Node` on its output: the op's
 * definition, its input tensors and its parameters. The graph lives on the tensors themselves, so
 * nothing global needs clearing and an unreachable graph is collected like any other object.
 *
 * Backward walks the graph in reverse topological order. That order is what makes backprop a
 * memoized computation (the lecture's "memoization"): a tensor's adjoint is the sum over every
 * path from it to the output, and by visiting each node only after all of its consumers, that sum
 * is complete when the node is visited, so each node's backward rule runs exactly once and its
 * result is reused by every path through it. A naive recursive "call backward on my inputs"
 * visits shared subexpressions once per path (exponential in diamonds) and overflows the stack on
 * deep chains. Here every recorded op takes the next number of a global sequence, so consumers
 * always have higher numbers than what they consume, and the pass pops nodes from a max-heap on
 * that number: no recursion, no separate sorting pass, and nodes no adjoint reaches are never
 * visited.
 *
 * Float64 0-d tensors (hand-sized scalar graphs) take a lane of their own in both directions: the
 * forward computes one number with the op's scalar function and records the inputs in two fields,
 * and backward runs the op's derivative over numbers (`OpDef.derivative` with `NUMBERS`, see
 * ops/derivative.ts; or a hand-written `scalarBackward`), with the adjoints kept as numbers.
 * Such a graph costs about what a hand-written scalar tape costs (see bench/README.md).
 */
import { AnomalyError, ArgumentError, DTypeError, GraphError, ShapeError } from './errors.ts';
import { SAVES_ALL, SAVES_OUT, savesMaskOf, type OpDef, type ScalarRule } from './ops/define.ts';
import { Frame, NUMBERS, type Derivative, type DerivativeFrame } from './ops/derivative.ts';
import { formatShape, shapesEqual, sizeOf } from './shape.ts';
import type { Tensor } from './tensor.ts';

/** @internal The `_flags` bit of a weakly typed tensor (see `Tensor.weakType`). */
export const WEAK = 4;

/** What an op records on its output when any input requires a gradient. */
export class Node {
  // A view of what an op recorded on its output tensor. The record itself lives in the tensor's
  // fields, so a recorded op keeps one object alive rather than two: graphs of many small ops are
  // bound by the garbage collector's work on the objects that survive until backward.
  constructor(private readonly t: Tensor) {
    if (!hooks.isTensor(t)) throw new ArgumentError('Node', `argument 't' must be a Tensor, got ${describeArgument(t)}`);
  }
  /** The op that produced this node's tensor. */
  get op(): OpDef<any> {
    return this.t._op!;
  }
  /** The op's input tensors. */
  get inputs(): readonly Tensor[] {
    return inputsOf(this.t);
  }
  /** The op's non-tensor parameters (axis, exponent, ...). */
  get params(): unknown {
    return this.t._params;
  }
  /** True after a backward pass released it (unless `retainGraph` was set). */
  get released(): boolean {
    return this.t._seq < 0;
  }
}

/** The inputs of a leaf or of a released record. */
export const NO_INPUTS: readonly Tensor[] = Object.freeze([]) as readonly Tensor[];

/**
 * The inputs an op recorded on its output. One or two inputs (almost every op) sit in the
 * tensor's own fields: an array per recorded op would be a second object kept alive until
 * backward, and graphs of many scalar ops are bound by the garbage collector's work on those.
 */
export function inputsOf(t: Tensor): readonly Tensor[] {
  const a = t._in0;
  const b = t._in1;
  if (a === null) return b === null ? NO_INPUTS : (b as readonly Tensor[]);
  return b === null ? [a] : [a, b as Tensor];
}

let gradEnabled = true;
let anomalyEnabled = false;

/** Whether operations are being recorded for autograd (false inside `noGrad`); like `torch.is_grad_enabled`. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording anything on the tape (like `torch.no_grad()`). */
export function noGrad<T>(fn: () => T): T {
  checkFunction('noGrad', fn);
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs `fn` with recording on, even inside `noGrad` (like `torch.enable_grad()`). */
export function enableGrad<T>(fn: () => T): T {
  checkFunction('enableGrad', fn);
  const prev = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

function checkFunction(op: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new ArgumentError(op, `argument 'fn' must be a function, got ${describeArgument(fn)}`);
}

/**
 * How argument messages of the engine and the transforms name a value ("the string \"x\"", "a plain
 * object", "a float32 tensor of shape [2]"); never throws. (The public `describeValue`, shape.ts
 * `describe`, is the general one, which prints values; these messages keep their own wording.)
 */
export function describeArgument(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${String(v)}`;
  if (typeof v === 'symbol' || typeof v === 'function') return `a ${typeof v}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (hooks?.isTensor(v)) return `a ${v.dtype} tensor of shape ${formatShape(v.shape)}`;
  let ctor: string | undefined;
  try {
    ctor = (v as { constructor?: { name?: unknown } }).constructor?.name as string | undefined;
  } catch {
    ctor = undefined;
  }
  return typeof ctor === 'string' && ctor !== 'Object' ? `a ${ctor}` : 'a plain object';
}

/**
 * Anomaly mode: every op's forward output and every backward rule's gradients are checked for
 * NaN and infinity, and the first op to produce one is named in an `AnomalyError`. It also takes a
 * checksum of the tensors each recorded op saves for backward, so that a raw write to their `.data`
 * (which bypasses the version counter) is a GraphError at backward instead of a wrong gradient.
 * `detectAnomaly(fn)` turns it on for the duration of `fn`; `setDetectAnomaly(on)` globally.
 */
export function detectAnomaly<T>(fn: () => T): T {
  checkFunction('detectAnomaly', fn);
  const prev = anomalyEnabled;
  anomalyEnabled = true;
  try {
    return fn();
  } finally {
    anomalyEnabled = prev;
  }
}

/** Turns anomaly detection on or off globally; like `torch.autograd.set_detect_anomaly`. */
export function setDetectAnomaly(on: boolean): void {
  if (typeof on !== 'boolean') throw new ArgumentError('setDetectAnomaly', `argument 'on' must be a boolean, got ${describeArgument(on)}`);
  anomalyEnabled = on;
}

export function isAnomalyEnabled(): boolean {
  return anomalyEnabled;
}

function firstNonFinite(t: Tensor): number {
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return i;
  return -1;
}

// Tensor and op helpers are injected by tensor.ts to keep this module free of import cycles at load.
export interface EngineHooks {
  makeTensor(def: OpDef<any>, inputs: readonly Tensor[], params: unknown): Tensor;
  /** A 0-d tensor holding a number (rounded to float32 for that dtype), without a typed array. */
  scalar(value: number, dtype: Tensor['dtype']): Tensor;
  /** Converts to a dtype (a recorded op). */
  cast(t: Tensor, dtype: Tensor['dtype']): Tensor;
  sumTo(g: Tensor, shape: readonly number[]): Tensor;
  add(a: Tensor, b: Tensor): Tensor;
  detach(t: Tensor): Tensor;
  isTensor(v: unknown): v is Tensor;
}
let hooks: EngineHooks;
export function installEngineHooks(h: EngineHooks): void {
  hooks = h;
}

/**
 * Applies a primitive op: checks dtypes, runs the shape rule and the forward kernel, and records a
 * node when recording is on and some input requires a gradient.
 */
export function apply<P>(op: OpDef<P>, inputs: readonly Tensor[], params: P): Tensor {
  if (op.scalar !== undefined) {
    if (inputs.length === 1) return applyOne(op, inputs[0]!, params);
    if (inputs.length === 2) return applyTwo(op, inputs[0]!, inputs[1]!, params);
  }
  return applyGeneral(op, inputs, params);
}

// The scalar fast lane: an elementwise op on 0-d inputs is one call of its number function, with no
// shape rule, kernel, typed array or inputs array (graphs of hand-sized scalars are bound by this
// overhead and by the memory each recorded op keeps alive until backward).

/** `apply` for an op of one input. */
export function applyOne<P>(op: OpDef<P>, x: Tensor, params: P): Tensor {
  const f = op.scalar;
  if (f === undefined || x.shape.length !== 0 || anomalyEnabled) return applyGeneral(op, [x], params);
  const out = hooks.scalar(f(valueOf(x), params), x.dtype);
  if ((x._flags & WEAK) !== 0) out._flags |= WEAK;
  if (x.requiresGrad && gradEnabled && op.differentiable !== false) link(out, op, x, null, params);
  return out;
}

/** `apply` for an op of two inputs. */
export function applyTwo<P>(op: OpDef<P>, a: Tensor, b: Tensor, params: P): Tensor {
  const f = op.scalar;
  if (f === undefined || a.shape.length !== 0 || b.shape.length !== 0 || a.dtype !== b.dtype || anomalyEnabled) {
    return applyGeneral(op, [a, b], params);
  }
  const out = hooks.scalar(f(valueOf(a), valueOf(b)), a.dtype);
  if ((a._flags & b._flags & WEAK) !== 0) out._flags |= WEAK;
  if ((a.requiresGrad || b.requiresGrad) && gradEnabled && op.differentiable !== false) link(out, op, a, b, params);
  return out;
}

function applyGeneral<P>(op: OpDef<P>, inputs: readonly Tensor[], params: P): Tensor {
  let weak = inputs.length > 0 && op.setsDType !== true;
  for (let i = 0; i < inputs.length; i++) if ((inputs[i]!._flags & WEAK) === 0) weak = false;
  if (inputs.length > 1) {
    const dtype = inputs[0]!.dtype;
    for (let i = 1; i < inputs.length; i++) {
      if (inputs[i]!.dtype !== dtype) {
        inputs = promoteWeak(op, inputs);
        break;
      }
    }
  }
  let out: Tensor;
  // a forward computes plain values: any tensor op it uses internally must not be recorded
  const recording = gradEnabled;
  gradEnabled = false;
  try {
    out = hooks.makeTensor(op, inputs, params);
  } catch (err) {
    throw withInputNames(err, inputs);
  } finally {
    gradEnabled = recording;
  }
  if (weak) out._flags |= WEAK;
  record(op, inputs, params, out);
  if (anomalyEnabled) {
    const bad = firstNonFinite(out);
    if (bad >= 0) {
      throw new AnomalyError(
        op.name,
        `forward produced ${out.data[bad]} at flat index ${bad} of output ${formatShape(out.shape)} ` +
          `(input shapes ${inputs.map((t) => formatShape(t.shape)).join(', ')})`,
      );
    }
  }
  return out;
}

/**
 * Inputs of mixed dtypes: the weakly typed ones (numbers, `scalar(2)`) adopt the dtype of the
 * strongly typed ones, through a recorded cast so that their gradients come back in their own
 * dtype; all weak, the widest dtype wins. Two strongly typed dtypes are an error.
 */
function promoteWeak<P>(op: OpDef<P>, inputs: readonly Tensor[]): readonly Tensor[] {
  let strong = -1;
  for (let i = 0; i < inputs.length; i++) {
    if ((inputs[i]!._flags & WEAK) !== 0) continue;
    if (strong < 0) strong = i;
    else if (inputs[i]!.dtype !== inputs[strong]!.dtype) {
      const [a, b] = [inputs[strong]!.dtype, inputs[i]!.dtype];
      throw new DTypeError(
        op.name,
        `cannot mix ${a} and ${b} inputs (${inputName(op, strong, inputs[strong])} and ${inputName(op, i, inputs[i])}); ` +
          `convert one with .to('${b}') or .to('${a}') (numbers and 0-d tensors made from numbers without a dtype adopt the other operand's dtype; explicitly typed tensors do not)`,
      );
    }
  }
  const dtype = strong >= 0 ? inputs[strong]!.dtype : inputs.some((t) => t.dtype === 'float64') ? 'float64' : 'float32';
  return inputs.map((t) => (t.dtype === dtype ? t : weakCast(t, dtype)));
}

/** A weakly typed input converted for a mixed-dtype op: still weak (it only took a dtype). */
function weakCast(t: Tensor, dtype: Tensor['dtype']): Tensor {
  const c = hooks.cast(t, dtype);
  c._flags |= WEAK;
  return c;
}


/** Records the op on its output when recording is on and some input requires a gradient. */
function record<P>(op: OpDef<P>, inputs: readonly Tensor[], params: P, out: Tensor): Tensor {
  if (gradEnabled && op.differentiable !== false) {
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i]!.requiresGrad) {
        if (inputs.length <= 2) link(out, op, inputs[0]!, inputs.length === 2 ? inputs[1]! : null, params);
        else link(out, op, null, inputs, params);
        if (anomalyEnabled) fingerprint(out);
        break;
      }
    }
  }
  return out;
}

/** Writes an op's record on its output (inputs as `inputsOf` reads them back). */
function link(out: Tensor, op: OpDef<any>, in0: Tensor | null, in1: Tensor | readonly Tensor[] | null, params: unknown): void {
  out.requiresGrad = true;
  out._seq = ++sequence;
  out._op = op;
  out._in0 = in0;
  out._in1 = in1;
  out._params = params;
  // Until some tensor is modified in place every version is 0, which `_saved` absent means.
  if (versionsInUse) {
    const mask = op._savesMask ?? savesMaskOf(op);
    if (mask !== 0) {
      const saved = recordVersions(out, mask, in0, in1);
      if (saved !== 0) out._saved = saved;
    }
  }
}

/** The number held by a one-element tensor (a fast-lane scalar keeps it in `_data`). */
function valueOf(t: Tensor): number {
  const d = t._data;
  return typeof d === 'number' ? d : d[0]!;
}

// ---------------------------------------------------------------------------------------------
// Saved-tensor checks: a backward rule must not read a value changed since the op recorded it.
//
// Each tensor's storage has a version (`Tensor.version`) that memograd's mutating paths bump. The
// count lives in a small counter object on the tensor, created at the first bump (or when a view
// is made), and shared by every tensor made on the same storage: a `reshape` view, `detach()`
// (see `shareVersion`), as PyTorch's views share their base's counter. A field rather than a side
// table keyed by the storage: reading it is a property load, where a WeakMap lookup per saved
// tensor cost the scalar lane several percent once any version was in use.
// Recording stores, in the output's `_saved`, the SUM of the versions of the tensors the op's rule
// reads (`OpDef.saves`); versions only grow, so backward compares one number to know whether any
// of them changed. Only when that sum is nonzero and several tensors are saved does the record
// keep the versions one by one (an array), which the message needs to say which one changed.
// Until the first bump in the process (`versionsInUse`), every version is 0 and neither recording
// nor backward looks at any of this: the scalar lane pays one flag test per op each way.

/** The in-place modification count shared by the tensors on one storage. */
export class VersionCounter {
  v = 0;
}

let versionsInUse = false;

/** The version of a tensor's storage. */
export function storageVersion(t: Tensor): number {
  const c = t._vc;
  return c === undefined ? 0 : c.v;
}

/** Records an in-place modification of a tensor's storage (`Tensor.bumpVersion`). */
export function bumpStorageVersion(t: Tensor): void {
  (t._vc ??= new VersionCounter()).v++;
  versionsInUse = true;
}

/** Makes `view`, which shares `base`'s storage, share its version counter too. */
export function shareVersion(base: Tensor, view: Tensor): void {
  view._vc = base._vc ??= new VersionCounter();
}

const versionOf = storageVersion;

/** `savedVersions` without allocating, for the ops of one or two inputs. */
function recordVersions(out: Tensor, mask: number, in0: Tensor | null, in1: Tensor | readonly Tensor[] | null): number | readonly number[] {
  if (in0 === null) return savedVersions(out, mask);
  let sum = 0;
  let count = 0;
  if ((mask & (SAVES_ALL | 1)) !== 0) {
    sum += versionOf(in0);
    count++;
  }
  if (in1 !== null && (mask & (SAVES_ALL | 2)) !== 0) {
    sum += versionOf(in1 as Tensor);
    count++;
  }
  if ((mask & SAVES_OUT) !== 0) {
    sum += versionOf(out);
    count++;
  }
  return sum === 0 || count === 1 ? sum : savedVersions(out, mask);
}

/** The indices of the inputs a recorded op saved for its rule, in order, then -1 for its output. */
function savedSlots(t: Tensor): number[] {
  const mask = t._op!._savesMask ?? savesMaskOf(t._op!);
  const n = inputsOf(t).length;
  const slots: number[] = [];
  for (let i = 0; i < n; i++) if ((mask & SAVES_ALL) !== 0 || (i < 29 && (mask & (1 << i)) !== 0)) slots.push(i);
  if ((mask & SAVES_OUT) !== 0) slots.push(-1);
  return slots;
}

function savedTensor(t: Tensor, slot: number): Tensor {
  return slot < 0 ? t : inputsOf(t)[slot]!;
}

/** How a message names a saved tensor: "input 'a' of 'mul'", "the output of 'exp'". */
function savedRole(t: Tensor, slot: number): string {
  const op = t._op!;
  return slot < 0 ? `the output of '${op.name}'` : `${inputName(op, slot)} of '${op.name}'`;
}

/** What `link` stores when some saved tensor has a version counter: the sum, or every version. */
function savedVersions(out: Tensor, mask: number): number | readonly number[] {
  if (mask === 0) return 0;
  const versions = savedSlots(out).map((slot) => versionOf(savedTensor(out, slot)));
  let sum = 0;
  for (const v of versions) sum += v;
  return sum === 0 || versions.length === 1 ? sum : versions;
}

/** Throws if a tensor saved by the record on `t` was modified in place since it was recorded. */
function checkVersions(t: Tensor, mask: number): void {
  const saved = t._saved ?? 0;
  let now = 0;
  if (typeof saved === 'number' && t._in0 !== null) {
    // one or two inputs, without allocating: this runs once per node of every backward pass
    const b = t._in1 as Tensor | null;
    if ((mask & (SAVES_ALL | 1)) !== 0) now += versionOf(t._in0);
    if (b !== null && (mask & (SAVES_ALL | 2)) !== 0) now += versionOf(b);
    if ((mask & SAVES_OUT) !== 0) now += versionOf(t);
    if (now === saved) return;
  } else {
    for (const slot of savedSlots(t)) now += versionOf(savedTensor(t, slot));
    if (now === (typeof saved === 'number' ? saved : saved.reduce((x, y) => x + y, 0))) return;
  }
  throw versionError(t);
}

function versionError(t: Tensor): GraphError {
  const slots = savedSlots(t);
  const record = t._saved ?? 0;
  // a number is the sum: the one saved tensor's version, or 0 for each of several
  const expected = typeof record === 'number' ? slots.map(() => (slots.length === 1 ? record : 0)) : record;
  const i = Math.max(0, slots.findIndex((slot, k) => versionOf(savedTensor(t, slot)) !== expected[k]));
  const tensor = savedTensor(t, slots[i]!);
  const role = savedRole(t, slots[i]!);
  return new GraphError(
    'backward',
    `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
      `${describeTensor(tensor)}, ${role}, which saved it for backward, is at version ${versionOf(tensor)}; ` +
      `expected version ${expected[i]} instead. It was changed in place after the op was recorded (an optimizer ` +
      `step, loadStateDict, or a write followed by bumpVersion()); run the forward pass again after changing it, ` +
      `or change a clone() instead`,
  );
}

function describeTensor(t: Tensor): string {
  return `${t.name !== undefined ? `'${t.name}' ` : 'tensor '}${formatShape(t.shape)} ${t.dtype}`;
}

// Anomaly mode's checksums of saved buffers, per recorded output (a side table: anomaly mode is
// rare, and the tensors stay as small as the scalar lane needs). `fingerprinted` lets passes skip
// the lookup entirely when anomaly mode never recorded anything.
const fingerprints = new WeakMap<Tensor, number[]>();
let fingerprinted = false;

function fingerprint(out: Tensor): void {
  fingerprints.set(out, savedSlots(out).map((slot) => checksum(savedTensor(out, slot))));
  fingerprinted = true;
}

/** FNV-1a over the 32-bit words of the elements: cheap, and any real write changes it. */
function checksum(t: Tensor): number {
  const d = t.data;
  const words = new Int32Array(d.buffer, d.byteOffset, d.byteLength >> 2);
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return h;
}

function checkFingerprint(t: Tensor): void {
  const sums = fingerprints.get(t);
  if (sums === undefined) return;
  const slots = savedSlots(t);
  for (let i = 0; i < slots.length; i++) {
    const tensor = savedTensor(t, slots[i]!);
    if (checksum(tensor) !== sums[i]) {
      const role = savedRole(t, slots[i]!);
      throw new GraphError(
        'backward',
        `one of the variables needed for gradient computation has been modified: the data of ${describeTensor(tensor)}, ` +
          `${role}, which saved it for backward, was written directly (through .data), bypassing the version counter ` +
          `(still at version ${versionOf(tensor)}); anomaly mode's checksum of the saved values no longer matches. ` +
          `Call bumpVersion() after writing .data, or write to a clone()`,
      );
    }
  }
}

/** Appends the names of named inputs (e.g. the lecture's 'w13') to an op's error message. */
function withInputNames(err: unknown, inputs: readonly Tensor[]): unknown {
  if (!(err instanceof Error) || !inputs.some((t) => t.name !== undefined)) return err;
  const names = inputs.map((t, i) => `${t.name ?? `input ${i}`} ${formatShape(t.shape)}`).join(', ');
  err.message += ` (inputs: ${names})`;
  return err;
}

function inputName(op: OpDef<any>, i: number, t?: Tensor): string {
  const base = Array.isArray(op.inputs) ? `'${op.inputs[i] ?? `input ${i}`}'` : `input ${i}`;
  return t?.name !== undefined ? `${base} ('${t.name}')` : base;
}

/** Options of `Tensor.backward` (PyTorch's `retain_graph` and `create_graph`). */
export interface BackwardOptions {
  /** Keep the graph after the pass so that backward can run through it again. */
  retainGraph?: boolean;
  /** Record the backward rules themselves, so the gradients can be differentiated again. */
  createGraph?: boolean;
}

/** Validates the options of `backward()`, `grad()` and friends (`op` names the caller). */
export function checkBackwardOptions(op: string, options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError(op, `argument 'options' must be an object such as { retainGraph: true }, got ${describeArgument(options)}`);
  }
  for (const key of ['retainGraph', 'createGraph'] as const) {
    const v = (options as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'boolean') {
      throw new ArgumentError(op, `option '${key}' must be a boolean, got ${describeArgument(v)}`);
    }
  }
}

// Every recorded op gets the next number of this sequence. An op's inputs existed before it, so
// a consumer always has a higher number than what it consumes: visiting nodes from the highest
// number down visits every node after all of its consumers.
// (V8 keeps it a small integer up to 2^31 - 1 recorded ops; past that the field holds heap numbers:
// slower, still correct. Wrapping around instead could order a live graph wrongly.)
let sequence = 0;
/** Backward passes running now: more than one when a hook starts a backward of its own. */
let activePasses = 0;

/**
 * The core reverse pass shared by `Tensor.backward` and `grad`.
 * With `targets`, returns their adjoints (null where no path reaches them) and leaves `.grad`
 * alone; without, accumulates into the `.grad` of every leaf that requires a gradient.
 */
export function runBackward(
  roots: readonly Tensor[],
  seeds: readonly Tensor[],
  options: BackwardOptions,
  targets: readonly Tensor[] | null,
): (Tensor | null)[] {
  const createGraph = options.createGraph ?? false;
  const pass = new BackwardPass(createGraph, options.retainGraph ?? createGraph, targets, activePasses > 0);
  activePasses++;
  try {
    if (createGraph) enableGrad(() => pass.run(roots, seeds));
    else noGrad(() => pass.run(roots, seeds));
  } finally {
    activePasses--;
    pass.clear();
  }
  return targets ? targets.map((t) => pass.captured.get(t) ?? null) : [];
}

/**
 * One reverse pass. A node enters the queue when its first adjoint arrives and leaves it once all
 * of its consumers have run (the queue is a max-heap on the op sequence), so each node's rule runs
 * exactly once, on its complete adjoint, and nodes no adjoint reaches are never visited. There is
 * no recursion: a chain of a million ops needs no stack. New `.grad` values (leaves and retained
 * non-leaves) are computed into a list during the walk and assigned, and records released, only
 * once the whole pass succeeded: a pass that throws (a released graph, a bad rule or hook result,
 * a hook that throws, a saved tensor changed in place) changes no `.grad` and releases nothing, so
 * the same backward can be retried.
 */
class BackwardPass {
  private readonly heap: Tensor[] = [];
  /** Every recorded node that received an adjoint, and every leaf. */
  private readonly visited: Tensor[] = [];
  private readonly leaves: Tensor[] = [];
  /** Pairs (tensor, its new `.grad`), assigned only once the whole pass succeeded. */
  private readonly staged: Tensor[] = [];
  private readonly targetSet: Set<Tensor> | null;
  readonly captured = new Map<Tensor, Tensor>();
  /** Adjoints of float64 0-d tensors flow as numbers unless the pass records or checks them. */
  private readonly numeric: boolean;
  /**
   * Those numbers: a tensor whose `_adj` is a number has its adjoint at that index here. A typed
   * array rather than numbers on the tensors, which V8 would box in a new heap object per update.
   */
  private numbers = new Float64Array(64);
  private readonly frame = new Frame();
  private numberCount = 0;

  /**
   * In a pass started from a hook of another pass: the tensors this pass gave an adjoint to. An
   * adjoint found on any other tensor is the outer pass's, still pending; adding to it would mix
   * the two passes' gradients, so that is an error.
   */
  private readonly ours: Set<Tensor> | null;

  constructor(
    private readonly createGraph: boolean,
    private readonly retainGraph: boolean,
    targets: readonly Tensor[] | null,
    nested: boolean,
  ) {
    this.ours = nested ? new Set() : null;
    this.targetSet = targets ? new Set(targets) : null;
    this.numeric = !createGraph && !anomalyEnabled;
  }

  run(roots: readonly Tensor[], seeds: readonly Tensor[]): void {
    for (let r = 0; r < roots.length; r++) {
      if (roots[r]!.requiresGrad) this.receive(roots[r]!, seeds[r]!);
    }
    const heap = this.heap;
    while (heap.length > 0) {
      const t = this.pop();
      if (t._seq < 0) throw releasedError(t);
      if (versionsInUse) {
        const mask = t._op!._savesMask ?? savesMaskOf(t._op!);
        if (mask !== 0) checkVersions(t, mask);
      }
      if (fingerprinted) checkFingerprint(t);
      const slot = t._adj!;
      let g: Tensor;
      if (typeof slot === 'number') {
        const pending = this.numbers[slot]!;
        if (t._hooks === undefined && t._retainGrad !== true && (this.targetSet === null || !this.targetSet.has(t))) {
          const op = t._op!;
          const derivative = op.derivative;
          // an elementwise op with a 0-d output has only 0-d inputs
          if (derivative !== undefined) {
            this.backwardNumber(t, pending, derivative, undefined);
            continue;
          }
          const rule = op.scalarBackward;
          if (rule !== undefined) {
            this.backwardNumber(t, pending, undefined, rule);
            continue;
          }
        }
        g = hooks.scalar(pending, t.dtype);
      } else {
        g = slot;
      }
      g = this.finish(t, g);
      if (this.targetSet === null && t._retainGrad) this.stage(t, hooks.detach(g));
      this.backwardRule(t, g);
    }
    for (const leaf of this.leaves) {
      const slot = leaf._adj!;
      const g = this.finish(leaf, typeof slot === 'number' ? hooks.scalar(this.numbers[slot]!, leaf.dtype) : slot);
      if (this.targetSet === null) this.stage(leaf, this.createGraph ? g : hooks.detach(g));
    }
    // Commit: the walk finished, so every new .grad is computed and nothing below can throw. A pass
    // that throws before this point (a rule, a hook, a check) has changed no .grad and released nothing.
    const staged = this.staged;
    for (let i = 0; i < staged.length; i += 2) (staged[i] as Tensor)._grad = staged[i + 1] as Tensor; // not the validating setter: checked when staged
    if (!this.retainGraph) for (const t of this.visited) release(t);
  }

  /** Computes a tensor's new `.grad` (the sum with its current one) for the commit at the end. */
  private stage(t: Tensor, g: Tensor): void {
    this.staged.push(t, t.grad === null ? g : hooks.add(t.grad, g));
  }

  /** Runs the tensor's hooks on its complete adjoint and captures it when it is a target. */
  private finish(t: Tensor, g: Tensor): Tensor {
    if (t._hooks !== undefined) {
      for (const hook of t._hooks) {
        // like PyTorch, undefined and null keep the gradient
        const replaced: unknown = hook(g);
        if (replaced !== undefined && replaced !== null) g = checkHookGrad(t, g, replaced);
      }
    }
    if (this.targetSet !== null && this.targetSet.has(t)) this.captured.set(t, g);
    return g;
  }

  private backwardRule(t: Tensor, g: Tensor): void {
    const op = t._op!;
    const inputs = inputsOf(t);
    const grads: unknown = runRule(op, inputs, t._params, g, t);
    if (!Array.isArray(grads) || grads.length !== inputs.length) {
      throw new GraphError(
        'backward',
        `rule for '${op.name}' returned ${Array.isArray(grads) ? `${grads.length} gradients` : describeArgument(grads)} for ${inputs.length} inputs; ` +
          `it must return an array of one gradient (Tensor or null) per input`,
      );
    }
    for (let i = 0; i < grads.length; i++) {
      const input = inputs[i]!;
      const raw: unknown = grads[i];
      if (raw === null || raw === undefined) continue;
      if (!hooks.isTensor(raw)) {
        throw new ArgumentError('backward', `rule for '${op.name}' returned ${describeArgument(raw)} as the gradient of input ${i}; expected a Tensor or null`);
      }
      if (!input.requiresGrad) continue;
      let gi = raw;
      if (!shapesEqual(gi.shape, input.shape)) gi = unbroadcast(op, i, gi, input.shape);
      if (gi.dtype !== input.dtype) {
        throw new DTypeError('backward', `rule for '${op.name}' returned ${gi.dtype} for ${input.dtype} input ${i}`);
      }
      if (anomalyEnabled) {
        const bad = firstNonFinite(gi);
        if (bad >= 0) {
          throw new AnomalyError(
            op.name,
            `backward produced ${gi.data[bad]} in the gradient of input ${i} (shape ${formatShape(input.shape)}) at flat index ${bad}`,
          );
        }
      }
      this.receive(input, gi);
    }
  }

  /**
   * A 0-d elementwise op's rule on numbers: no tensors are allocated. The rule is the op's
   * `derivative` (run over numbers) or else a hand-written `scalarBackward`.
   */
  private backwardNumber(t: Tensor, g: number, derivative: Derivative | undefined, rule: ScalarRule | undefined): void {
    const s = this.frame;
    const x0 = t._in0!;
    const x1 = t._in1 as Tensor | null;
    s.g = g;
    s.a = valueOf(x0);
    s.b = x1 === null ? 0 : valueOf(x1);
    s.out = valueOf(t);
    s.params = t._params;
    if (derivative !== undefined) derivative(NUMBERS, s as unknown as DerivativeFrame);
    else rule!(s);
    if (x0.requiresGrad) this.receiveNumber(x0, s.da);
    if (x1 !== null && x1.requiresGrad) this.receiveNumber(x1, s.db);
  }

  /** Adds a gradient to a tensor's pending adjoint; the first one queues the tensor. */
  private receive(t: Tensor, g: Tensor): void {
    if (this.numeric && g.shape.length === 0 && g.dtype === 'float64') {
      this.receiveNumber(t, valueOf(g));
      return;
    }
    const cur = t._adj;
    if (cur === null) {
      t._adj = g;
      this.enqueue(t);
    } else {
      if (this.ours !== null && !this.ours.has(t)) throw nestedError(t);
      t._adj = hooks.add(typeof cur === 'number' ? hooks.scalar(this.numbers[cur]!, t.dtype) : cur, g);
    }
  }

  private receiveNumber(t: Tensor, g: number): void {
    const cur = t._adj;
    if (cur === null) {
      const slot = this.numberCount++;
      if (slot === this.numbers.length) {
        const grown = new Float64Array(2 * slot);
        grown.set(this.numbers);
        this.numbers = grown;
      }
      this.numbers[slot] = g;
      t._adj = slot;
      this.enqueue(t);
    } else if (this.ours !== null && !this.ours.has(t)) {
      throw nestedError(t);
    } else if (typeof cur === 'number') {
      this.numbers[cur] = this.numbers[cur]! + g;
    } else {
      t._adj = hooks.add(cur, hooks.scalar(g, t.dtype));
    }
  }

  private enqueue(t: Tensor): void {
    if (this.ours !== null) this.ours.add(t);
    if (t._op === null) {
      this.leaves.push(t);
      return;
    }
    this.visited.push(t);
    // sift up
    const heap = this.heap;
    const seq = t._seq;
    let i = heap.length;
    heap.push(t);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p._seq >= seq) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = t;
  }

  /** Removes the queued node with the highest sequence number and takes its adjoint. */
  private pop(): Tensor {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      // sift down
      const seq = last._seq;
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && heap[child + 1]!._seq > heap[child]!._seq) child++;
        if (heap[child]!._seq <= seq) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  /** Drops pending adjoints (after success they are already consumed; after an error they are stale). */
  clear(): void {
    for (const t of this.visited) t._adj = null;
    for (const t of this.leaves) t._adj = null;
  }
}

function release(t: Tensor): void {
  // the op stays on the tensor (for messages and views); inputs and params are dropped
  if (t._seq > 0) t._seq = -t._seq;
  t._in0 = null;
  t._in1 = null;
  t._params = undefined;
}

/**
 * Runs a node's backward rule. In anomaly mode the ops inside the rule are not checked one by one
 * (a rule's intermediate, e.g. the `div` in sqrt's 1/(2 sqrt x), would be blamed instead of the
 * op); the rule's results are checked afterwards and the error names the op whose rule it is.
 */
function runRule(op: OpDef<any>, inputs: readonly Tensor[], params: unknown, g: Tensor, out: Tensor): readonly (Tensor | null)[] {
  const args = { grad: g, inputs, out, params };
  if (!anomalyEnabled) return op.backward(args);
  anomalyEnabled = false;
  try {
    return op.backward(args);
  } finally {
    anomalyEnabled = true;
  }
}

function nestedError(t: Tensor): GraphError {
  return new GraphError(
    'backward',
    `a backward pass started inside another one (from a hook) reached ${t.name !== undefined ? `'${t.name}' ` : ''}${formatShape(t.shape)}, ` +
      `which the outer pass has not finished with; run it after the outer backward() or grad() returns`,
  );
}

function releasedError(t: Tensor): GraphError {
  return new GraphError(
    'backward',
    `trying to backward through the graph a second time (through '${t._op!.name}'), but its saved values ` +
      `were released after the first backward. Pass { retainGraph: true } to the first backward() or grad() ` +
      `call if you need to go through the graph again`,
  );
}

function checkHookGrad(t: Tensor, g: Tensor, replaced: unknown): Tensor {
  const where = `a gradient hook (registerHook) on ${describeTensor(t)}`;
  if (!hooks.isTensor(replaced)) {
    throw new ArgumentError(
      'hook',
      `${where} returned ${describeArgument(replaced)}; return a Tensor of shape ${formatShape(g.shape)} and dtype ${g.dtype}, ` +
        `or undefined to keep the gradient`,
    );
  }
  if (!shapesEqual(replaced.shape, g.shape)) {
    throw new ShapeError(
      'hook',
      `${where} returned shape ${formatShape(replaced.shape)} for a gradient of shape ${formatShape(g.shape)}`,
      [replaced.shape, g.shape],
    );
  }
  if (replaced.dtype !== g.dtype) {
    throw new DTypeError('hook', `${where} returned a ${replaced.dtype} gradient for a ${g.dtype} gradient; convert it with .to('${g.dtype}')`);
  }
  return replaced;
}

/** Sums a gradient that arrived in a broadcast shape back down to the input's shape. */
function unbroadcast(op: OpDef<any>, i: number, g: Tensor, shape: readonly number[]): Tensor {
  const gs = g.shape;
  let ok = gs.length >= shape.length;
  for (let k = 1; ok && k <= shape.length; k++) {
    const d = shape[shape.length - k]!;
    if (d !== 1 && d !== gs[gs.length - k]) ok = false;
  }
  // broadcast-compatible is enough: a size-1 axis may broadcast to 0 (an empty batch), and its gradient sums to zeros
  if (!ok) {
    throw new ShapeError(
      'backward',
      `rule for '${op.name}' returned shape ${formatShape(gs)} for input ${i} of shape ${formatShape(shape)}`,
      [gs, shape],
    );
  }
  return hooks.sumTo(g, shape);
}
