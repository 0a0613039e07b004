/**
 * The adversarial fuzz harness: the worker-side half (argument generators, safe rendering, the oracle).
 *
 * Every public function and method gets a FuzzEntry: a fast-check arbitrary for its arguments (valid
 * values mixed with garbage of every JS type) and a call. The oracle accepts a call when it
 * - returns, and every Tensor in the result has a valid shape and dtype, holds no NaN unless an input
 *   held NaN/Inf or the entry says NaN is legitimate, and the entry's reference check (if any) agrees; or
 * - throws a MemogradError whose message starts with the function's name ("op: ...") and says something
 *   concrete (no "undefined"/"NaN"/"[object Object]" that the arguments do not explain), leaving every
 *   tensor, module and optimizer it was given (and the entry's `keep` objects) unchanged.
 * Anything else is a bad case: a raw error, a bad message, a wrong result, a state change on failure.
 * Hangs and crashes are detected by the main thread (runner.ts), which runs the entries in a worker.
 *
 * Generation is random-access: the arguments of run `r` of entry `e` are drawn from a seed derived
 * from (seed, entry name, r), so any case can be regenerated alone (for a hang's description, or to
 * reproduce a finding).
 */
import fc from 'fast-check';
import { MemogradError, Tensor } from '@memograd/autograd';

// ---------------------------------------------------------------------------------------------
// Entries

/** One generated case: the arguments, plus objects whose state must survive a failing call. */
export interface Case {
  args: unknown[];
  /** Extra objects (graph leaves, modules, optimizers) snapshotted for the no-change-on-failure check. */
  keep?: unknown[];
}

export interface FuzzEntry {
  /** 'add', 'Tensor#add', 'nn.Linear', 'nn.Module#loadStateDict', ... (unique). */
  name: string;
  /** The exports / methods this entry covers ('autograd:add', 'Tensor#add', 'nn:Linear', 'Module#train'). */
  covers: string[];
  /** Error prefixes accepted as naming the function (default: the name after the last '.' or '#'). */
  ops?: string[];
  /**
   * Further prefixes accepted besides `ops`, for errors that legitimately name something other than
   * the function called: a layer inside a container (`Sequential` calling `Linear.call`: 'Linear'),
   * a user-named custom op, an op name passed as an argument. A list, or a function of the case
   * (e.g. the class names of the layers it holds). Each prefix is matched like `ops` ('X:', 'X(',
   * 'X ' or 'Class.X:'). Keep it to names that the case really contains: the oracle stays strict.
   */
  acceptPrefixes?: readonly string[] | ((c: Case) => readonly string[]);
  gen: fc.Arbitrary<Case>;
  call: (...args: any[]) => unknown;
  /** An extra oracle for a returned value: a problem description, or null when confirmed. */
  check?: (result: unknown, c: Case) => string | null | undefined;
  /** NaN in the result is legitimate (documented): true, or a predicate on the case. */
  nanOk?: boolean | ((c: Case) => boolean);
  /**
   * The error prints values that a computation or the caller's own callbacks produced, not mangled
   * ones: gradcheck's mismatch report (a NaN derivative), a hand formula that returned null. Those
   * errors skip the suspicious-word check; keep the predicate to such errors only.
   */
  printsComputedValues?: (e: Error) => boolean;
  /** Skip the state snapshot (for entries whose failure legitimately consumes state). */
  noSnapshot?: boolean;
  /** Scales the number of runs (e.g. 0.3 for slow entries such as gradcheck or fit). */
  runs?: number;
}

export type BadKind = 'raw' | 'message' | 'wrong' | 'state' | 'hang' | 'crash';

export interface BadCase {
  entry: string;
  run: number;
  kind: BadKind;
  /** The error (`Name: message`) or the problem found. */
  error: string;
  args: string;
}

// ---------------------------------------------------------------------------------------------
// Garbage

/** Thrown by an entry's own post-call check: the call returned something wrong. */
export class WrongResult extends Error {}

/** An error thrown by user code (hooks, closures, getters): propagating it unchanged is correct. */
export class FuzzUserError extends Error {
  constructor() {
    super('fuzz: user code threw on purpose');
    this.name = 'FuzzUserError';
  }
}

const labels = new WeakMap<object, string>();
/** Gives an object a rendering (used for functions, modules, optimizers built by generators). */
export function label<T>(v: T, text: string): T {
  if ((typeof v === 'object' && v !== null) || typeof v === 'function') labels.set(v as object, text);
  return v;
}

function fnLabeled(text: string, f: (...a: any[]) => unknown): (...a: any[]) => unknown {
  return label(f, text);
}

function cyclic(): unknown[] {
  const a: unknown[] = [1];
  a[0] = a;
  return label(a, '<cyclic: a = [a]>');
}
function cyclicDeep(): unknown[] {
  const a: unknown[] = [[1, 2], [3, 4]];
  (a[1] as unknown[])[1] = a;
  return label(a, '<cyclic: a = [[1, 2], [3, a]]>');
}
function deep(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return label(v as object, `<nested array ${n} deep: [[[...1]]]>`);
}

/** Fresh garbage on every draw (factories, so no run sees another run's mutations). */
const GARBAGE: ReadonlyArray<() => unknown> = [
  () => undefined, () => null, () => true, () => false,
  () => '', () => 'abc', () => '3', () => '0', () => '-1', () => '1e3', () => 'float64', () => 'NaN',
  () => NaN, () => Infinity, () => -Infinity, () => -0, () => 0, () => 1, () => -1, () => 0.5, () => -2.5, () => 3,
  () => 2 ** 31, () => 2 ** 32 + 1, () => 2 ** 53, () => 1e300, () => -1e300, () => Number.MAX_VALUE, () => Number.MIN_VALUE,
  () => 1n, () => -1n, () => 2n ** 64n,
  () => Symbol('fuzz'),
  () => ({}), () => ({ length: 3 }), () => ({ valueOf: () => 2 }), () => Object.create(null),
  () => label({ get axis(): number { throw new FuzzUserError(); } }, '{ get axis() { throw } }'),
  () => [], () => [[]], () => [1, 'a'], () => [NaN], () => [undefined], () => [null], () => ['1', '2'], () => [1, [2]],
  () => [-1], () => [0.5], () => [2 ** 32 + 1], () => [true, 2], () => [1n], () => [[1, 2], [3]],
  () => deep(100),
  () => new Int32Array([1, 2]), () => new Uint8Array(3), () => new Float32Array([1, 2, 3]), () => new Float64Array(0),
  () => new BigInt64Array(2), () => new ArrayBuffer(8), () => new Map(), () => new Set([1]), () => new Date(0), () => /re/,
  () => fnLabeled('() => { throw new FuzzUserError() }', () => { throw new FuzzUserError(); }),
  () => fnLabeled("() => 'garbage'", () => 'garbage'),
  () => fnLabeled('() => NaN', () => NaN),
  () => fnLabeled('() => 3', () => 3),
  () => fnLabeled('() => undefined', () => undefined),
  () => fnLabeled('() => null', () => null),
  () => fnLabeled('() => ({})', () => ({})),
];
/** Rare and expensive garbage (each known to hang or overflow somewhere, so kept rare for CI time). */
const RARE: ReadonlyArray<() => unknown> = [() => deep(20_000), cyclic, cyclicDeep];

export const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...GARBAGE), weight: 150 },
  { arbitrary: fc.constantFrom(...RARE), weight: 1 },
).map((f) => f());

/** Valid values most of the time, garbage otherwise. */
export function mix<T>(valid: fc.Arbitrary<T>, validWeight = 3, garbageWeight = 1): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid as fc.Arbitrary<unknown>, weight: validWeight }, { arbitrary: garbageOrBadTensor, weight: garbageWeight });
}

/** An optional argument: omitted (undefined), valid, or garbage. */
export function opt<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: valid as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: garbageOrBadTensor, weight: 1 });
}

// ---------------------------------------------------------------------------------------------
// Tensors

export type DT = 'float32' | 'float64';

export interface TensorSpec {
  minRank?: number;
  maxRank?: number;
  /** Largest size per axis (default 4). */
  maxDim?: number;
  /** Allow 0-sized axes (default true, rarely drawn). */
  empty?: boolean;
  /** Allow NaN/Inf/-0 among the values (default true, rarely drawn). */
  special?: boolean;
  dtype?: DT;
  /** Value range (default [-3, 3]). */
  range?: readonly [number, number];
  /** requiresGrad: true/false, or undefined for random. */
  requiresGrad?: boolean;
  /** Fixed shape. */
  shape?: readonly number[];
}

let lcgState = 1;
function lcg(): number {
  lcgState = (Math.imul(lcgState, 1664525) + 1013904223) >>> 0;
  return lcgState / 2 ** 32;
}

/** A tensor built from a seed (fast: one LCG per element). */
export function makeTensor(shape: readonly number[], dtype: DT, seed: number, special: number, range: readonly [number, number], rg: boolean): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  lcgState = seed >>> 0 || 1;
  const [lo, hi] = range;
  for (let i = 0; i < n; i++) data[i] = Math.round((lo + (hi - lo) * lcg()) * 8) / 8;
  if (special > 0 && n > 0) {
    const v = [NaN, Infinity, -Infinity, -0, 0][special - 1]!;
    data[Math.floor(lcg() * n)] = v;
  }
  const t = new Tensor(data, shape.slice(), dtype);
  if (rg) t.requiresGrad = true;
  return t;
}

export function shapeArb(spec: TensorSpec = {}): fc.Arbitrary<number[]> {
  if (spec.shape) return fc.constant(spec.shape.slice());
  const dim = fc.oneof({ arbitrary: fc.integer({ min: 1, max: spec.maxDim ?? 4 }), weight: 12 }, { arbitrary: fc.constant(spec.empty === false ? 1 : 0), weight: 1 });
  return fc.array(dim, { minLength: spec.minRank ?? 0, maxLength: spec.maxRank ?? 3 });
}

export function tensorArb(spec: TensorSpec = {}): fc.Arbitrary<Tensor> {
  return fc
    .record({
      shape: shapeArb(spec),
      dtype: spec.dtype ? fc.constant(spec.dtype) : fc.constantFrom<DT>('float32', 'float64'),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      special: spec.special === false ? fc.constant(0) : fc.oneof({ arbitrary: fc.constant(0), weight: 14 }, { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 1 }),
      rg: spec.requiresGrad === undefined ? fc.boolean() : fc.constant(spec.requiresGrad),
    })
    .map(({ shape, dtype, seed, special, rg }) => makeTensor(shape, dtype, seed, special, spec.range ?? [-3, 3], rg));
}

/** Tensors that are valid objects but odd: 0-d, empty, NaN-filled, a non-leaf, a detached view. */
const badTensors: ReadonlyArray<() => unknown> = [
  () => new Tensor(new Float32Array(0), [0]),
  () => new Tensor(new Float64Array(0), [2, 0]),
  () => new Tensor(new Float32Array([7]), []),
  () => new Tensor(new Float64Array([NaN, 1]), [2], 'float64'),
  () => new Tensor(new Float32Array(24).fill(1), [2, 3, 4]),
  () => { const t = new Tensor(new Float64Array([1, 2]), [2], 'float64'); t.requiresGrad = true; return t.mul(2); },
];
export const garbageOrBadTensor: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: garbage, weight: 8 },
  { arbitrary: fc.constantFrom(...badTensors).map((f) => f()), weight: 1 },
);

/** A Tensor-like operand: a tensor, a number, or a nested array. */
export function tensorLikeArb(spec: TensorSpec = {}): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: tensorArb(spec) as fc.Arbitrary<unknown>, weight: 8 },
    { arbitrary: fc.double({ min: -3, max: 3, noNaN: true }), weight: 1 },
    { arbitrary: tensorArb({ ...spec, maxRank: Math.min(spec.maxRank ?? 2, 2), special: false }).map((t) => t.toArray()), weight: 1 },
  );
}

export const dtypeArb = fc.constantFrom<DT>('float32', 'float64');
export const intArb = (min: number, max: number) => fc.integer({ min, max });
export const smallNum = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -3, max: 3, noNaN: true }));

/** Draws the case of run `run` of an entry (random access, for reproduction). */
export function drawCase(entry: FuzzEntry, seed: number, run: number): Case {
  const s = (hashString(entry.name) ^ Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(run + 1, 0x85ebca6b)) | 0;
  return fc.sample(entry.gen, { seed: s, numRuns: 1 })[0]!;
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h | 0;
}

/** `args` as a Case arbitrary from one arbitrary per argument. */
export function args(...arbs: fc.Arbitrary<unknown>[]): fc.Arbitrary<Case> {
  return fc.tuple(...arbs).map((a) => ({ args: a as unknown[] }));
}

// ---------------------------------------------------------------------------------------------
// Rendering (safe on cycles, deep nesting, getters that throw, symbols, bigints)

export function render(v: unknown, depth = 0, seen: Set<object> = new Set()): string {
  try {
    return renderInner(v, depth, seen);
  } catch {
    return '<unrenderable>';
  }
}

function num(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function renderInner(v: unknown, depth: number, seen: Set<object>): string {
  if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
    const l = labels.get(v as object);
    if (l !== undefined) return l;
  }
  switch (typeof v) {
    case 'undefined': return 'undefined';
    case 'number': return num(v);
    case 'bigint': return `${v}n`;
    case 'string': return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
    case 'boolean': return String(v);
    case 'symbol': return `Symbol(${v.description ?? ''})`;
    case 'function': return `function ${v.name || '(anonymous)'}`;
  }
  if (v === null) return 'null';
  const o = v as object;
  if (seen.has(o)) return '<cycle>';
  if (depth > 6) return '<…>';
  seen.add(o);
  try {
    if (o instanceof Tensor) return renderTensor(o);
    if (ArrayBuffer.isView(o)) {
      const arr = Array.from(o as unknown as ArrayLike<number | bigint>).slice(0, 8).map((x) => (typeof x === 'bigint' ? `${x}n` : num(x)));
      return `new ${o.constructor.name}([${arr.join(', ')}${(o as unknown as ArrayLike<number>).length > 8 ? ', …' : ''}])`;
    }
    if (Array.isArray(o)) {
      const items = o.slice(0, 8).map((x) => renderInner(x, depth + 1, seen));
      return `[${items.join(', ')}${o.length > 8 ? `, … (${o.length})` : ''}]`;
    }
    const proto = Object.getPrototypeOf(o);
    if (proto === null) return `Object.assign(Object.create(null), ${renderInner(Object.assign({}, o), depth + 1, seen)})`;
    if (proto !== Object.prototype) {
      const name = (o as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      if (o instanceof Map || o instanceof Set || o instanceof Date || o instanceof RegExp || o instanceof ArrayBuffer) return `new ${name}(…)`;
      return `<${name}>`;
    }
    const keys = Object.keys(o).slice(0, 10);
    const parts = keys.map((k) => {
      const d = Object.getOwnPropertyDescriptor(o, k)!;
      return `${k}: ${d.get ? '<getter>' : renderInner(d.value, depth + 1, seen)}`;
    });
    return `{ ${parts.join(', ')} }`;
  } finally {
    seen.delete(o);
  }
}

export function renderTensor(t: Tensor): string {
  const shape = Array.isArray(t.shape) ? `[${t.shape.map((d) => render(d)).join(', ')}]` : render(t.shape);
  let data = '';
  try {
    const d = t.data;
    data = Array.from(d.slice(0, 12)).map(num).join(', ') + (d.length > 12 ? ', …' : '');
  } catch {
    data = '<unreadable>';
  }
  const extra = `${t.requiresGrad ? ', requiresGrad: true' : ''}${t.isLeaf ? '' : ' /* non-leaf */'}`;
  return `tensor(new ${t.dtype === 'float64' ? 'Float64Array' : 'Float32Array'}([${data}]), { shape: ${shape}${extra} })`;
}

export function renderArgs(c: Case): string {
  return c.args.map((a) => render(a)).join(', ');
}

// ---------------------------------------------------------------------------------------------
// Snapshots for the no-change-on-failure check

interface Snap {
  target: unknown;
  state: string;
}

function tensorState(t: Tensor): string {
  const d = t.data;
  const g = t.grad;
  return `${t.dtype}|${t.shape.join(',')}|${t.requiresGrad}|${t.version}|${Array.from(d).map(num).join(',')}|grad:${g ? `${g.shape.join(',')}:${Array.from(g.data).map(num).join(',')}` : 'null'}`;
}

/** Serializes the observable state of tensors, modules, optimizers and schedulers among `roots`. */
export function snapshot(roots: readonly unknown[]): Snap[] {
  const out: Snap[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 3) return;
    seen.add(v);
    try {
      if (v instanceof Tensor) {
        out.push({ target: v, state: tensorState(v) });
        return;
      }
      if (Array.isArray(v)) {
        for (const x of v.slice(0, 16)) visit(x, depth + 1);
        return;
      }
      const o = v as Record<string, unknown>;
      if (typeof o['namedParameters'] === 'function' && typeof o['namedBuffers'] === 'function') {
        // a Module
        const parts: string[] = [`training=${String(o['training'])}`];
        for (const [k, p] of (o['namedParameters'] as () => [string, Tensor][])()) parts.push(`${k}=${tensorState(p)}`);
        for (const [k, b] of (o['namedBuffers'] as () => [string, Tensor][])()) parts.push(`${k}=${tensorState(b)}`);
        out.push({ target: v, state: parts.join(';') });
        return;
      }
      if (typeof o['step'] === 'function' && typeof o['stateDict'] === 'function') {
        // an optimizer or a scheduler
        const parts: string[] = [stableJson((o['stateDict'] as () => unknown).call(o))];
        const groups = o['paramGroups'];
        if (Array.isArray(groups)) for (const g of groups) for (const p of (g as { params?: unknown[] }).params ?? []) if (p instanceof Tensor) parts.push(tensorState(p));
        out.push({ target: v, state: parts.join(';') });
        return;
      }
      if (Object.getPrototypeOf(v) === Object.prototype) for (const k of Object.keys(o).slice(0, 16)) {
        const d = Object.getOwnPropertyDescriptor(o, k);
        if (d && !d.get) visit(d.value, depth + 1);
      }
    } catch {
      // an object that cannot be inspected is not snapshotted
    }
  };
  for (const r of roots) visit(r, 0);
  return out;
}

function stableJson(v: unknown): string {
  const seen = new Set<unknown>();
  const walk = (x: unknown): string => {
    if (typeof x === 'number') return num(x);
    if (typeof x === 'bigint') return `${x}n`;
    if (typeof x !== 'object' || x === null) return String(typeof x === 'string' ? JSON.stringify(x) : x);
    if (seen.has(x)) return '<cycle>';
    seen.add(x);
    if (x instanceof Tensor) return tensorState(x);
    if (ArrayBuffer.isView(x)) return `[${Array.from(x as unknown as ArrayLike<number>).map(num).join(',')}]`;
    if (Array.isArray(x)) return `[${x.map(walk).join(',')}]`;
    return `{${Object.keys(x).sort().map((k) => `${k}:${walk((x as Record<string, unknown>)[k])}`).join(',')}}`;
  };
  return walk(v);
}

export function changed(snaps: readonly Snap[]): string | null {
  const now = snapshot(snaps.map((s) => s.target));
  for (let i = 0; i < snaps.length; i++) {
    if (now[i]?.state !== snaps[i]!.state) {
      return `state of ${render(snaps[i]!.target).slice(0, 200)} changed: ${snaps[i]!.state.slice(0, 160)} → ${(now[i]?.state ?? '<gone>').slice(0, 160)}`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The generic oracle

/**
 * True when some argument holds a non-finite number (NaN, ±Infinity), in numbers, arrays or tensors.
 * With `float32Numbers`, a number (alone or in an array) beyond float32's range counts too: float32
 * is the default dtype, so such a number becomes ±Infinity (as torch.tensor(1e300) is inf).
 */
export function hasNonFinite(v: unknown, depth = 0, seen = new Set<unknown>(), float32Numbers = false): boolean {
  if (typeof v === 'number') return !Number.isFinite(v) || (float32Numbers && !Number.isFinite(Math.fround(v)));
  if (typeof v !== 'object' || v === null || depth > 8 || seen.has(v)) return false;
  seen.add(v);
  try {
    if (v instanceof Tensor) {
      for (const x of v.data) if (!Number.isFinite(x)) return true;
      // a non-finite gradient explains a NaN that gradient tools (clipGradNorm, optimizers) report
      return v.grad !== null && hasNonFinite(v.grad, depth + 1, seen, float32Numbers);
    }
    if (ArrayBuffer.isView(v)) {
      if (v instanceof BigInt64Array || v instanceof BigUint64Array) return false;
      for (const x of Array.from(v as unknown as ArrayLike<number>)) if (!Number.isFinite(x)) return true;
      return false;
    }
    if (Array.isArray(v)) return v.slice(0, 64).some((x) => hasNonFinite(x, depth + 1, seen, float32Numbers));
    // plain records, with or without prototype (fast-check's records may have none)
    if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
      return Object.keys(v).some((k) => {
        const d = Object.getOwnPropertyDescriptor(v, k);
        return d !== undefined && !d.get && hasNonFinite(d.value, depth + 1, seen, float32Numbers);
      });
    }
    if (typeof (v as { parameters?: unknown }).parameters === 'function') {
      return ((v as { parameters: () => unknown[] }).parameters() ?? []).some((p) => hasNonFinite(p, depth + 1, seen, float32Numbers));
    }
  } catch {
    return true;
  }
  return false;
}

/** Every Tensor in a result (the result itself, arrays of them, plain objects holding them). */
export function tensorsIn(v: unknown, depth = 0, out: Tensor[] = []): Tensor[] {
  if (v instanceof Tensor) out.push(v);
  else if (depth < 3 && Array.isArray(v)) for (const x of v) tensorsIn(x, depth + 1, out);
  else if (depth < 3 && v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const k of Object.keys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d && !d.get) tensorsIn(d.value, depth + 1, out);
    }
  }
  return out;
}

export function validTensor(t: Tensor): string | null {
  const shape = t.shape as unknown;
  if (!Array.isArray(shape)) return `result shape is not an array: ${render(shape)}`;
  for (const d of shape) if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) return `result has an invalid shape ${render(shape)}`;
  if (t.dtype !== 'float32' && t.dtype !== 'float64') return `result has dtype ${render(t.dtype)}`;
  const d = t.data;
  const n = shape.reduce((a: number, b: number) => a * b, 1);
  if (d.length !== n) return `result shape ${render(shape)} needs ${n} elements but holds ${d.length}`;
  if (!(d instanceof (t.dtype === 'float64' ? Float64Array : Float32Array))) return `result dtype ${t.dtype} but data is ${d.constructor.name}`;
  return null;
}

/** Words in an error message that show it was built from a missing or mangled value. */
const SUSPICIOUS = /\bundefined\b|\bNaN\b|\[object Object\]|\bnull\b/;
/**
 * The same words used as type or rule text, which is no sign of a mangled value: 'a Tensor or
 * null', 'null or undefined', '(grad) => Tensor | undefined', 'Tensor | null', 'not NaN',
 * 'a NaN bound'. Removed before SUSPICIOUS is applied. Only these fixed shapes: 'got undefined'
 * or 'is NaN' still count when no argument explains them.
 */
const TYPE_TEXT = /(?:\bor|\||,)\s*(?:null|undefined)\b|\b(?:null|undefined)\s*(?:\bor\b|\|)|\bnot NaN\b|\ba NaN (?:bound|value|entry|element)\b/g;

/** Classifies a thrown value; returns null when it is an acceptable typed error. */
/** A double-quoted string as JSON.stringify writes it. */
const QUOTED = /"(?:[^"\\\n]|\\.)*"/g;

export function judgeError(e: unknown, entry: FuzzEntry, c: Case, argText: string): { kind: BadKind; error: string } | null {
  if (e instanceof FuzzUserError) return null; // user code threw: propagating that is correct
  if (e instanceof WrongResult) return { kind: 'wrong', error: e.message };
  if (!(e instanceof MemogradError)) {
    const name = e instanceof Error ? e.constructor.name : typeof e;
    const msg = e instanceof Error ? e.message : render(e);
    return { kind: 'raw', error: `${name}: ${msg}` };
  }
  const extra = typeof entry.acceptPrefixes === 'function' ? safePrefixes(entry.acceptPrefixes, c) : entry.acceptPrefixes ?? [];
  const ops = [...(entry.ops ?? [defaultOp(entry.name)]), ...extra];
  const msg = e.message;
  const error = `${e.constructor.name}: ${msg}`;
  // 'op: …', 'op(…)…', a method named through its class ('Linear.loadStateDict: …' for op
  // 'loadStateDict'), or a class named with its method ('Linear.call: …' for op 'Linear')
  const named = (op: string) =>
    msg.startsWith(`${op}:`) || msg.startsWith(`${op}(`) || msg.startsWith(`${op} `) ||
    new RegExp(`^\\w+\\.${op.replace(/[^\w]/g, '')}:`).test(msg) || (/^\w+$/.test(op) && new RegExp(`^${op}\\.\\w+:`).test(msg));
  if (!ops.some(named)) {
    return { kind: 'message', error: `${error} [expected the message to start with ${ops.map((o) => `'${o}:'`).join(' or ')}]` };
  }
  // a quoted string is a string value the message prints (got string "NaN"), not a mangled one
  const m = SUSPICIOUS.exec(msg.replace(TYPE_TEXT, ' ').replace(QUOTED, '""'));
  if (m && !argText.includes(m[0]) && !(m[0] === 'null' && /\bnull\b/.test(argText)) && !(m[0] === 'NaN' && hasNonFinite(c.args)) && entry.printsComputedValues?.(e) !== true) {
    return { kind: 'message', error: `${error} [says '${m[0]}', which no argument is]` };
  }
  void c;
  return null;
}

function safePrefixes(f: (c: Case) => readonly string[], c: Case): readonly string[] {
  try {
    const r = f(c);
    return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string' && x !== '') : [];
  } catch {
    return [];
  }
}

export function defaultOp(name: string): string {
  const i = Math.max(name.lastIndexOf('.'), name.lastIndexOf('#'));
  return name.slice(i + 1);
}

/** Checks a returned value; returns a problem or null. */
/** The number an options argument holds as its own data property `key` (no getter runs; garbage may trap), or undefined. */
export function ownNumber(o: unknown, key: string): number | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  try {
    const v = Object.getOwnPropertyDescriptor(o, key)?.value;
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `eps` (of the options argument o) is 0 in float32, or with `squared` its square is: 0
 * itself or too small. PyTorch's x / max(‖x‖, eps), (x − mean) / √(var + eps) and cosine similarity's
 * x·y / √max(‖x‖²‖y‖², eps²) are then 0 / 0 = NaN where the norm or the variance is 0.
 */
export function epsVanishes(o: unknown, squared = false): boolean {
  const e = ownNumber(o, 'eps');
  return e !== undefined && Math.fround(squared ? e * e : e) === 0;
}

/** The largest |value| among numbers, arrays (their first 64 entries) and tensors in v; NaN is skipped. */
export function largestMagnitude(v: unknown, depth = 0): number {
  if (typeof v === 'number') return Number.isNaN(v) ? 0 : Math.abs(v);
  if (v instanceof Tensor) {
    let m = 0;
    for (const x of v.data) if (Math.abs(x) > m) m = Math.abs(x);
    return m;
  }
  if (Array.isArray(v) && depth < 8) return v.slice(0, 64).reduce((m: number, x) => Math.max(m, largestMagnitude(x, depth + 1)), 0);
  return 0;
}

/** Whether a float64 tensor appears among the arguments (top level, arrays, plain objects). */
function hasFloat64Tensor(v: unknown, depth = 0): boolean {
  if (v instanceof Tensor) return v.dtype === 'float64';
  if (typeof v !== 'object' || v === null || depth > 4) return false;
  if (Array.isArray(v)) return v.slice(0, 64).some((x) => hasFloat64Tensor(x, depth + 1));
  if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
    return Object.keys(v).some((k) => {
      const d = Object.getOwnPropertyDescriptor(v, k);
      return d !== undefined && !d.get && hasFloat64Tensor(d.value, depth + 1);
    });
  }
  return false;
}

export function judgeResult(result: unknown, entry: FuzzEntry, c: Case): string | null {
  const ts = tensorsIn(result);
  for (const t of ts) {
    const p = validTensor(t);
    if (p) return p;
  }
  const nanOk = typeof entry.nanOk === 'function' ? entry.nanOk(c) : entry.nanOk === true;
  // a number beyond float32's range is ±Infinity unless a float64 tensor takes it in (a weak scalar)
  const f32Numbers = !hasFloat64Tensor(c.args);
  if (!nanOk && ts.length > 0 && !hasNonFinite(c.args, 0, new Set(), f32Numbers) && !hasNonFinite(c.keep ?? [], 0, new Set(), f32Numbers)) {
    for (const t of ts) {
      const d = t.data;
      for (let i = 0; i < d.length; i++) if (Number.isNaN(d[i])) return `result has NaN at ${i} although no input holds NaN or Infinity`;
    }
  }
  return entry.check?.(result, c) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Reference helpers for checks

export function shapeEq(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Compares values with a dtype-aware tolerance; NaN equals NaN, infinities must match. */
export function closeTo(got: ArrayLike<number>, want: ArrayLike<number>, dtype: DT, what = 'value'): string | null {
  if (got.length !== want.length) return `${what}: ${got.length} elements, reference has ${want.length}`;
  const rtol = dtype === 'float32' ? 2e-5 : 1e-10;
  const atol = dtype === 'float32' ? 2e-6 : 1e-12;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (g === w) continue;
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      // float32 overflows where float64 does not: to the infinity of the reference's sign (not NaN)
      if (dtype === 'float32' && Math.abs(g) === Infinity && Math.abs(w) > 3e38 && Math.sign(g) === Math.sign(w)) continue;
      return `${what}[${i}] is ${num(g)}, reference ${num(w)}`;
    }
    if (Math.abs(g - w) > atol + rtol * Math.abs(w)) return `${what}[${i}] is ${num(g)}, reference ${num(w)}`;
  }
  return null;
}

/** Row-major strides. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** The multi-index of flat position `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k]!;
    idx[k] = d === 0 ? 0 : i % d;
    i = d === 0 ? 0 : Math.floor(i / d);
  }
  return idx;
}

/** Broadcasts `data` of `shape` to `target` (numpy rules), as a plain array. */
export function broadcastTo(data: ArrayLike<number>, shape: readonly number[], target: readonly number[]): number[] {
  const n = target.reduce((a, b) => a * b, 1);
  const st = strides(shape);
  const off = target.length - shape.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, target);
    let p = 0;
    for (let k = 0; k < shape.length; k++) p += (shape[k] === 1 ? 0 : idx[k + off]!) * st[k]!;
    out[i] = data[p]!;
  }
  return out;
}

/**
 * Plants a gradient without the validating `grad` setter (which refuses a Tensor of another shape
 * or dtype since issue 8): for entries that test how optimizers and modules handle a corrupt `.grad`,
 * as a buggy extension writing `_grad` could leave it. Use `t.grad = g` for every valid gradient.
 */
export function plantGrad(t: Tensor, g: Tensor | null): void {
  (t as unknown as { _grad: Tensor | null })._grad = g;
}
