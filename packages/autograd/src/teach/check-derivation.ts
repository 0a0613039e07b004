/**
 * checkDerivation: compares a student's hand-derived gradient formulas with the tape at several
 * seeded random points and says *what* is wrong when they disagree (a sign, a constant factor, a
 * missing or extra chain-rule factor, a missing or extra path, two gradients swapped).
 *
 * How the chain-rule diagnoses work: at every point f is recorded once; for every recorded node the
 * op is re-applied to fresh leaves (a tiny re-evaluation) so that the vector-Jacobian product of one
 * edge (node, input slot) can be computed alone, with memograd's own `grad`. A reverse pass over those
 * edges reproduces the tape's gradient; the same pass with one edge's factor left out (or applied twice)
 * is the gradient a student gets who forgot (or doubled) that local derivative; the products along
 * each path from the parameter to the loss are the terms of the chain rule's sum.
 */
import { grad } from '../autodiff.ts';
import { apply, enableGrad, noGrad } from '../engine.ts';
import { ArgumentError, GraphError, MemogradError, renameError } from '../errors.ts';
import { topologicalOrder } from '../explain.ts';
import { add, onesLike, sumTo, zerosLike } from '../ops/index.ts';
import { Generator } from '../random.ts';
import { checkOptions, describe, formatShape } from '../shape.ts';
import { Tensor, fromNested, type NestedArray, type TensorLike } from '../tensor.ts';

const OP = 'checkDerivation';

/** `checkDerivation`'s verdict on one hand formula: 'ok' or the kind of mistake. */
export type DerivationDiagnosis =
  | 'ok' | 'sign' | 'scale' | 'missing-factor' | 'extra-factor' | 'missing-path' | 'extra-path' | 'swapped' | 'wrong';

/** A record of named inputs, as `f` and the hand formulas receive it. */
export type DerivationParams = Record<string, Tensor>;
/** What a hand formula receives: 0-d entries as plain numbers, the others as float64 tensors. */
export type HandParams = Record<string, any>;
/** A hand-derived formula for one gradient, as a function of the named inputs. */
export type HandFormula = (params: HandParams) => TensorLike;

/** Options of `checkDerivation`. */
export interface CheckDerivationOptions {
  /** The student's own point (names, shapes and values); checked first, then the random points. */
  at?: Record<string, TensorLike>;
  /** Names and shapes (`[]` for a scalar) when no `at` is given. */
  shapes?: Record<string, readonly number[]>;
  /** Random points besides `at` (default 5). */
  points?: number;
  /** Seed of the Generator drawing the random points (default 0). */
  seed?: number;
  /** Names kept at their `at` value at every point (targets, labels); they are not randomised. */
  fixed?: readonly string[];
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** The batch size m, to name a factor m or 1/m (default: the leading size of the inputs of rank >= 2). */
  batchSize?: number;
  /** The learning rate, to name a factor η. */
  lr?: number;
  /** At most this many chain-rule paths per parameter are enumerated (default 64). */
  maxPaths?: number;
}

/** `checkDerivation`'s comparison of one hand formula with the tape. */
export interface DerivationCheck {
  /** The parameter whose gradient the formula gives. */
  name: string;
  /** The parameter's shape. */
  shape: number[];
  /** The verdict. */
  diagnosis: DerivationDiagnosis;
  /** One sentence: what is wrong and the likely cause. */
  explanation: string;
  /** Points at which hand and tape agree, out of `points`. */
  agreed: number;
  /** Number of points checked. */
  points: number;
  /** The tape's gradient (flattened) at every point. */
  expected: number[][];
  /** The hand formula's value (flattened) at every point. */
  got: number[][];
  /** The largest relative error |hand - tape| / max|tape| over all points. */
  relativeError: number;
  /** scale / sign: hand = factor · tape. */
  factor?: number;
  /** missing-factor / extra-factor: the node whose local derivative is missing or extra, and its formula. */
  node?: string;
  /** The formula of the missing or extra local derivative. */
  formula?: string;
  /** missing-path / extra-path: the paths, as node names from the parameter to the loss. */
  paths?: string[];
  /** swapped: the parameter whose gradient the hand formula computes (transposed when `transposed`). */
  swappedWith?: string;
  /** Whether the swapped gradient is also transposed. */
  transposed?: boolean;
}

/** The result of checkDerivation: one check per hand formula, and a table in `toString()`. */
export class DerivationReport {
  constructor(
    /** One check per hand formula. */ readonly checks: DerivationCheck[],
    /** The point labels: 'at' for the student's point, then 1, 2, ... */
    readonly pointLabels: string[],
    /** The relative tolerance used. */ readonly rtol: number,
  ) {}
  /** True when every formula agrees with the tape at every point. */
  get ok(): boolean {
    return this.checks.every((c) => c.diagnosis === 'ok');
  }
  /** The check of one parameter. */
  get(name: string): DerivationCheck | undefined {
    return this.checks.find((c) => c.name === name);
  }
  /** The report as a text table. */
  toString(): string {
    const bad = this.checks.filter((c) => c.diagnosis !== 'ok').length;
    const head =
      `checkDerivation: ${bad === 0 ? `all ${this.checks.length} formulas agree with the tape` : `${bad} of ${this.checks.length} formulas disagree with the tape`}` +
      ` (${this.pointLabels.length} points${this.pointLabels[0] === 'at' ? ': yours (at) + ' + (this.pointLabels.length - 1) + ' random' : ', random'}; float64; rtol ${this.rtol < 1e-3 ? this.rtol.toExponential().replace('e-', 'e-') : this.rtol})`;
    const lines = [head];
    const nameW = Math.max(9, ...this.checks.map((c) => c.name.length));
    for (const c of this.checks) {
      lines.push('');
      lines.push(`${c.name.padEnd(nameW)}  ${c.diagnosis.padEnd(14)}  ${c.agreed}/${c.points} points agree`);
      if (c.diagnosis !== 'ok') lines.push(`  ${c.explanation}`);
      const w = Math.max(18, ...c.expected.map((e) => cell(e).length + 2));
      lines.push(`  ${'point'.padEnd(6)}${'tape (expected)'.padEnd(w)}hand (got)`);
      c.expected.forEach((e, i) => {
        lines.push(`  ${this.pointLabels[i]!.padEnd(6)}${cell(e).padEnd(w)}${cell(c.got[i]!)}`);
      });
    }
    return lines.join('\n');
  }
}

function num(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(5);
}

function cell(values: readonly number[]): string {
  if (values.length === 1) return num(values[0]!);
  const shown = values.slice(0, 3).map(num).join(', ');
  return `[${shown}${values.length > 3 ? `, … ${values.length} in all` : ''}]`;
}

// ------------------------------------------------------------------------------------ arguments

const MAX_ENTRY_SIZE = 4096;

interface Config {
  f: (params: DerivationParams) => Tensor;
  hand: [string, HandFormula][];
  names: string[];
  shapes: Map<string, number[]>;
  at: Map<string, Tensor> | null;
  fixed: Set<string>;
  points: number;
  seed: number;
  rtol: number;
  batch: { m: number; from: string }[];
  lr: number | undefined;
  maxPaths: number;
}

/** A plain object (an object literal, or one without prototype): a Date, Map or class instance is no record of names. */
function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function intOption(name: string, v: unknown, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ArgumentError(OP, `option '${name}' must be an integer from ${min} to ${max}, got ${describe(v)}`);
  }
  return v;
}

function toFloat64(name: string, v: unknown): Tensor {
  let t: Tensor;
  if (v instanceof Tensor) {
    t = v.detach().to('float64');
  } else if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ArgumentError(OP, `option 'at': '${name}' must be finite, got ${describe(v)}`);
    t = new Tensor(new Float64Array([v]), [], 'float64');
  } else if (Array.isArray(v)) {
    t = fromNested(v as NestedArray, 'float64', `${OP}: option 'at': '${name}'`);
  } else {
    throw new ArgumentError(OP, `option 'at': '${name}' must be a number, a nested array or a Tensor, got ${describe(v)}`);
  }
  if (t.size > MAX_ENTRY_SIZE) throw new ArgumentError(OP, `option 'at': '${name}' has ${t.size} elements; checkDerivation is for small networks (at most ${MAX_ENTRY_SIZE} per input)`);
  for (const x of t.data) if (!Number.isFinite(x)) throw new ArgumentError(OP, `option 'at': '${name}' holds a non-finite value (${x})`);
  return t;
}

function parse(f: unknown, hand: unknown, options: unknown): Config {
  if (typeof f !== 'function') throw new ArgumentError(OP, `argument 'f' must be a function (params) => scalar loss Tensor, got ${describe(f)}`);
  if (!isRecord(hand)) throw new ArgumentError(OP, `argument 'hand' must be an object { name: (params) => derivative }, got ${describe(hand)}`);
  const handEntries = Object.entries(hand);
  if (handEntries.length === 0) throw new ArgumentError(OP, `argument 'hand' names no formula; give at least one, e.g. { w13: (p) => ... }`);
  for (const [k, v] of handEntries) {
    if (typeof v !== 'function') throw new ArgumentError(OP, `argument 'hand': '${k}' must be a function (params) => derivative, got ${describe(v)}`);
  }
  const o = checkOptions(OP, options as CheckDerivationOptions | undefined, ['at', 'shapes', 'points', 'seed', 'fixed', 'rtol', 'batchSize', 'lr', 'maxPaths']);
  const shapes = new Map<string, number[]>();
  let at: Map<string, Tensor> | null = null;
  if (o.at !== undefined) {
    if (!isRecord(o.at)) throw new ArgumentError(OP, `option 'at' must be a record { name: number | array | Tensor }, got ${describe(o.at)}`);
    at = new Map();
    for (const [k, v] of Object.entries(o.at)) {
      const t = toFloat64(k, v);
      at.set(k, t);
      shapes.set(k, t.shape.slice());
    }
  }
  if (o.shapes !== undefined) {
    if (!isRecord(o.shapes)) throw new ArgumentError(OP, `option 'shapes' must be a record { name: shape }, got ${describe(o.shapes)}`);
    for (const [k, v] of Object.entries(o.shapes)) {
      if (!Array.isArray(v) || v.length > 4 || !v.every((d: unknown) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
        throw new ArgumentError(OP, `option 'shapes': '${k}' must be a shape such as [] or [3, 2], got ${describe(v)}`);
      }
      const size = (v as number[]).reduce((a, b) => a * b, 1);
      if (size > MAX_ENTRY_SIZE) throw new ArgumentError(OP, `option 'shapes': '${k}' has ${size} elements; checkDerivation is for small networks (at most ${MAX_ENTRY_SIZE} per input)`);
      const known = shapes.get(k);
      if (known !== undefined && formatShape(known) !== formatShape(v as number[])) {
        throw new ArgumentError(OP, `option 'shapes': '${k}' is ${formatShape(v as number[])} but option 'at' gives it shape ${formatShape(known)}`);
      }
      shapes.set(k, (v as number[]).slice());
    }
  }
  if (shapes.size === 0) {
    throw new ArgumentError(OP, `give the inputs' names and values with option 'at' (e.g. { at: { x1: 0.35, w13: 0.1 } }) or their shapes with option 'shapes'`);
  }
  const names = [...shapes.keys()];
  for (const [k] of handEntries) {
    if (!shapes.has(k)) throw new ArgumentError(OP, `argument 'hand': '${k}' is not an input (the inputs are ${names.join(', ')})`);
  }
  const fixed = new Set<string>();
  if (o.fixed !== undefined) {
    if (!Array.isArray(o.fixed)) throw new ArgumentError(OP, `option 'fixed' must be an array of input names, got ${describe(o.fixed)}`);
    for (const k of o.fixed as unknown[]) {
      if (typeof k !== 'string' || !shapes.has(k)) throw new ArgumentError(OP, `option 'fixed': ${describe(k)} is not an input (the inputs are ${names.join(', ')})`);
      if (at === null || !at.has(k)) throw new ArgumentError(OP, `option 'fixed': '${k}' needs a value in option 'at'`);
      fixed.add(k);
    }
  }
  const points = intOption('points', o.points, 0, 100, 5);
  // with no random points, 'at' must give every input a value
  const unset = names.filter((k) => at === null || !at.has(k));
  if (points === 0 && unset.length > 0) {
    throw new ArgumentError(OP, at === null
      ? `option 'points' is 0 and no option 'at' is given: there is no point to check`
      : `option 'points' is 0 and option 'at' gives no value for ${unset.map((k) => `'${k}'`).join(', ')}: there is no point to check (give every input in 'at', or ask for random points)`);
  }
  const seed = intOption('seed', o.seed, 0, Number.MAX_SAFE_INTEGER, 0);
  let rtol = 1e-6;
  if (o.rtol !== undefined) {
    if (typeof o.rtol !== 'number' || !(o.rtol > 0 && o.rtol < 1)) throw new ArgumentError(OP, `option 'rtol' must be a number in (0, 1), got ${describe(o.rtol)}`);
    rtol = o.rtol;
  }
  const batch: { m: number; from: string }[] = [];
  if (o.batchSize !== undefined) {
    batch.push({ m: intOption('batchSize', o.batchSize, 1, Number.MAX_SAFE_INTEGER, 1), from: `option batchSize` });
  } else {
    for (const [k, s] of shapes) {
      if (!hand[k as never] && s.length >= 2 && s[0]! > 1 && !batch.some((b) => b.m === s[0])) batch.push({ m: s[0]!, from: `the leading size of '${k}'` });
    }
  }
  let lr: number | undefined;
  if (o.lr !== undefined) {
    if (typeof o.lr !== 'number' || !Number.isFinite(o.lr) || o.lr === 0) throw new ArgumentError(OP, `option 'lr' must be a finite non-zero number, got ${describe(o.lr)}`);
    lr = o.lr;
  }
  const maxPaths = intOption('maxPaths', o.maxPaths, 1, 4096, 64);
  return { f: f as Config['f'], hand: handEntries as [string, HandFormula][], names, shapes, at, fixed, points, seed, rtol, batch, lr, maxPaths };
}

// ------------------------------------------------------------------------------------ the graph

interface Edge {
  /** The node (output of an op) and the input slot this edge enters. */
  to: Tensor;
  from: Tensor;
  slot: number;
  vjp(v: Tensor): Tensor;
  /** The local derivative in the lecture's notation. */
  formula: string;
  /** The node, for messages: its name, or its op with its input's name. */
  label: string;
  /** Whether the factor can be left out (the input broadcasts to the node's shape). */
  skippable: boolean;
  same: boolean;
}

interface Recorded {
  loss: Tensor;
  order: Tensor[];
  edges: Map<Tensor, Edge[]>;
  labels: Map<Tensor, string>;
  leaves: Map<string, Tensor>;
}

/** Ops whose derivative jumps at 0 (of the input, or of the difference of the inputs). */
const KINKS = new Set(['relu', 'abs', 'leakyRelu', 'sign', 'maximum', 'minimum', 'max', 'min', 'elu']);

function labelsOf(order: Tensor[], loss: Tensor): Map<Tensor, string> {
  const labels = new Map<Tensor, string>();
  for (const t of order) {
    if (t.name !== undefined) labels.set(t, t.name);
    else if (t === loss) labels.set(t, 'loss');
    else if (t.node === null) labels.set(t, t.size === 1 ? num(t.item()) : `const${formatShape(t.shape)}`);
    else labels.set(t, `${t.node.op.name}(${t.node.inputs.map((x) => labels.get(x) ?? '?').join(', ')})`);
    if (labels.get(t)!.length > 24) labels.set(t, t.node ? t.node.op.name : 'const');
  }
  return labels;
}

function formulaOf(op: string, slot: number, out: string, inputs: string[]): string {
  const x = inputs[slot] ?? 'x';
  const other = inputs[1 - slot] ?? 'y';
  switch (op) {
    case 'sigmoid': return `${out}(1-${out})`;
    case 'tanh': return `1-${out}²`;
    case 'relu': return `relu'(${x})`;
    case 'mul': return other;
    case 'div': return slot === 0 ? `1/${other}` : `-${inputs[0]}/${other}²`;
    case 'add': return '1';
    case 'sub': return slot === 0 ? '1' : '-1';
    case 'neg': return '-1';
    case 'exp': return out;
    case 'log': return `1/${x}`;
    case 'square': return `2·${x}`;
    case 'sqrt': return `1/(2·${out})`;
    case 'matmul': return slot === 0 ? `(·) ${other}ᵀ` : `${other}ᵀ (·)`;
    default: return `∂${out}/∂${x} (${op})`;
  }
}

function record(cfg: Config, values: Map<string, Tensor>, checkKinks: boolean): Recorded | 'kink' {
  return enableGrad(() => {
    const leaves = new Map<string, Tensor>();
    const params: DerivationParams = {};
    for (const k of cfg.names) {
      const v = values.get(k)!;
      const leaf = new Tensor(v.data.slice(), v.shape.slice(), 'float64');
      leaf.requiresGrad = true;
      leaf.name = k;
      leaves.set(k, leaf);
      params[k] = leaf;
    }
    const out: unknown = cfg.f(params);
    if (!(out instanceof Tensor)) throw new ArgumentError(OP, `the function 'f' must return a Tensor (the loss), got ${describe(out)}`);
    if (out.size !== 1) throw new GraphError(OP, `the function 'f' must return a scalar loss, got shape ${formatShape(out.shape)}`);
    const order = out.requiresGrad ? topologicalOrder(out) : [out];
    for (const t of order) {
      const node = t.node;
      if (!checkKinks || node === null || !KINKS.has(node.op.name)) continue;
      const ins = node.inputs;
      const a = ins[0]!.data;
      const b = ins.length > 1 ? ins[1]!.data : null;
      for (let i = 0; i < a.length; i++) {
        const d = b === null ? a[i]! : a[i]! - b[b.length === a.length ? i : 0]!;
        if (Math.abs(d) < 1e-3) return 'kink' as const;
      }
    }
    const labels = labelsOf(order, out);
    const edges = new Map<Tensor, Edge[]>();
    for (const t of order) {
      const node = t.node;
      if (node === null) continue;
      const inputs = node.inputs;
      let re: { out: Tensor; leaves: (Tensor | null)[] } | null = null;
      const reeval = () => {
        if (re !== null) return re;
        const ls = inputs.map((x) => {
          if (!x.requiresGrad) return null;
          const l = x.detach();
          l.requiresGrad = true;
          return l;
        });
        const o = enableGrad(() => apply(node.op, inputs.map((x, i) => ls[i] ?? x), node.params));
        re = { out: o, leaves: ls };
        return re;
      };
      const list: Edge[] = [];
      inputs.forEach((x, slot) => {
        if (!x.requiresGrad) return;
        const inNames = inputs.map((y) => labels.get(y) ?? '?');
        const outLabel = labels.get(t)!;
        let broadcast = x.shape.length <= t.shape.length;
        for (let i = 1; i <= x.shape.length && broadcast; i++) {
          const dx = x.shape[x.shape.length - i]!;
          if (dx !== 1 && dx !== t.shape[t.shape.length - i]) broadcast = false;
        }
        list.push({
          to: t,
          from: x,
          slot,
          vjp: (v) => {
            const r = reeval();
            const leaf = r.leaves[slot]!;
            if (!r.out.requiresGrad) return zerosLike(leaf);
            return grad(r.out, [leaf], { gradOutputs: [v], retainGraph: true, allowUnused: true })[0]!;
          },
          formula: formulaOf(node.op.name, slot, outLabel, inNames),
          label: outLabel,
          skippable: broadcast,
          same: x.shape.length === t.shape.length && x.shape.every((d, i) => d === t.shape[i]),
        });
      });
      edges.set(t, list);
    }
    return { loss: out, order, edges, labels, leaves };
  });
}

/** The set of recorded tensors that depend on `p` (p included). */
function dependents(g: Recorded, p: Tensor): Set<Tensor> {
  const dep = new Set<Tensor>([p]);
  for (const t of g.order) if (t.node !== null && t.node.inputs.some((x) => dep.has(x))) dep.add(t);
  return dep;
}

/** The reverse pass over the recorded edges, with one edge's factor left out or applied twice. */
function backprop(g: Recorded, p: Tensor, dep: Set<Tensor>, mod?: { edge: Edge; mode: 'skip' | 'double' }): Float64Array {
  return noGrad(() => {
    const adj = new Map<Tensor, Tensor>();
    if (!dep.has(g.loss)) return new Float64Array(p.size);
    adj.set(g.loss, onesLike(g.loss));
    for (let i = g.order.length - 1; i >= 0; i--) {
      const t = g.order[i]!;
      const a = adj.get(t);
      if (a === undefined || t === p) continue;
      for (const e of g.edges.get(t) ?? []) {
        if (!dep.has(e.from)) continue;
        let c: Tensor;
        if (mod !== undefined && mod.edge === e) c = mod.mode === 'skip' ? sumTo(a, e.from.shape) : e.vjp(e.vjp(a));
        else c = e.vjp(a);
        const prev = adj.get(e.from);
        adj.set(e.from, prev === undefined ? c : add(prev, c));
      }
    }
    const r = adj.get(p);
    return r === undefined ? new Float64Array(p.size) : Float64Array.from(r.data);
  });
}

/** Every path from the loss down to p, as lists of edges (null above the cap). */
function pathsOf(g: Recorded, p: Tensor, dep: Set<Tensor>, cap: number): Edge[][] | null {
  const count = new Map<Tensor, number>();
  const countOf = (t: Tensor): number => {
    if (t === p) return 1;
    const c = count.get(t);
    if (c !== undefined) return c;
    let n = 0;
    for (const e of g.edges.get(t) ?? []) if (dep.has(e.from)) n += countOf(e.from);
    count.set(t, n);
    return n;
  };
  if (!dep.has(g.loss) || countOf(g.loss) > cap || countOf(g.loss) === 0) return null;
  const walk = (t: Tensor): Edge[][] => {
    if (t === p) return [[]];
    const out: Edge[][] = [];
    for (const e of g.edges.get(t) ?? []) if (dep.has(e.from)) for (const rest of walk(e.from)) out.push([e, ...rest]);
    return out;
  };
  return walk(g.loss);
}

function pathValue(g: Recorded, path: Edge[]): Float64Array {
  return noGrad(() => {
    let v = onesLike(g.loss);
    for (const e of path) v = e.vjp(v);
    return Float64Array.from(v.data);
  });
}

function pathName(g: Recorded, p: Tensor, path: Edge[]): string {
  return [g.labels.get(p) ?? '?', ...path.slice().reverse().map((e) => (e.to.name !== undefined ? e.to.name : e.to === g.loss ? 'loss' : e.to.node!.op.name))].join(' → ');
}

// ------------------------------------------------------------------------------------ comparing

function close(h: ArrayLike<number>, t: ArrayLike<number>, rtol: number): boolean {
  if (h.length !== t.length) return false;
  let scale = 0;
  for (let i = 0; i < t.length; i++) scale = Math.max(scale, Math.abs(t[i]!));
  const atol = 1e-9 * scale;
  for (let i = 0; i < t.length; i++) {
    const a = h[i]!;
    const b = t[i]!;
    if (!(Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b)) + atol)) return false;
  }
  return true;
}

function scaled(t: ArrayLike<number>, k: number): Float64Array {
  return Float64Array.from(t, (v) => v * k);
}

function transposed(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return out;
}

function squeezed(s: readonly number[]): string {
  return formatShape(s.filter((d) => d !== 1));
}

function relError(h: ArrayLike<number>, t: ArrayLike<number>): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < t.length; i++) scale = Math.max(scale, Math.abs(t[i]!));
  if (h.length !== t.length) return Infinity;
  for (let i = 0; i < t.length; i++) err = Math.max(err, Math.abs(h[i]! - t[i]!));
  return scale === 0 ? (err === 0 ? 0 : Infinity) : err / scale;
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

function scaleCause(k: number, cfg: Config): string {
  const m = cfg.batch;
  if (near(k, 2)) return 'hand = 2 × tape: the 1/2 of the squared loss ½(y - t)² is dropped (d/dy ½(y - t)² = (y - t), not 2(y - t))';
  if (near(k, 0.5)) return 'hand = ½ × tape: a 1/2 too many (the 2 of d/dy (y - t)² = 2(y - t) dropped, or ½ applied to a loss that has none)';
  for (const b of m) {
    if (b.m > 1 && near(k, b.m)) return `hand = ${b.m} × tape (m = ${b.m}, ${b.from}): the 1/m of averaging over the batch is missing (the loss is a mean; the formula sums)`;
    if (b.m > 1 && near(k, 1 / b.m)) return `hand = tape / ${b.m} (m = ${b.m}, ${b.from}): divided by the batch size once too often (the loss sums over the batch, or the mean is applied twice)`;
  }
  if (cfg.lr !== undefined) {
    const lr = cfg.lr;
    if (near(k, lr) || near(k, -lr)) return `hand = ${num(k)} × tape: the learning rate η = ${num(lr)} is in the formula (${near(k, -lr) ? '-η·∂L/∂w is the update Δw, not the gradient' : 'η·∂L/∂w is a step, not the gradient'})`;
    if (near(k, 1 / lr) || near(k, -1 / lr)) return `hand = ${num(k)} × tape: divided by the learning rate η = ${num(lr)}`;
  }
  return `hand = ${num(k)} × tape at every point: a constant factor ${num(k)} too many`;
}

interface PointData {
  label: string;
  graph: Recorded | null;
  tape: Map<string, Float64Array>;
  hand: Map<string, { data: Float64Array; shape: number[] }>;
}

function evaluateHand(name: string, formula: HandFormula, values: Map<string, Tensor>): { data: Float64Array; shape: number[] } {
  const params: HandParams = {};
  for (const [k, v] of values) params[k] = v.shape.length === 0 ? v.data[0]! : new Tensor(v.data.slice(), v.shape.slice(), 'float64');
  const r: unknown = formula(params);
  let t: Tensor;
  if (r instanceof Tensor) t = r;
  else if (typeof r === 'number') t = new Tensor(new Float64Array([r]), [], 'float64');
  else if (Array.isArray(r)) t = fromNested(r as NestedArray, 'float64', `${OP}: hand formula '${name}'`);
  else throw new ArgumentError(OP, `the hand formula '${name}' must return a number, a nested array or a Tensor, got ${describe(r)}`);
  if (t.size > MAX_ENTRY_SIZE) throw new ArgumentError(OP, `the hand formula '${name}' returned ${t.size} elements`);
  return { data: Float64Array.from(t.data), shape: t.shape.slice() };
}

/**
 * Checks hand-derived derivative formulas against the tape. `f(params)` computes a scalar loss from a
 * record of named tensors; `hand` maps some of those names to formulas `(params) => derivative`
 * (0-d inputs arrive as numbers, the others as float64 tensors). Both are evaluated at the student's
 * point (`options.at`) and at `options.points` seeded random points (values in ±[0.2, 2], redrawn when
 * a relu/abs input lies within 1e-3 of its kink), and each formula gets a diagnosis:
 * ok, sign, scale, missing-factor, extra-factor, missing-path, extra-path, swapped or wrong.
 *
 * @example
 * const report = checkDerivation(
 *   ({ x, w }) => x.mul(w).sigmoid().sub(0.5).square().mul(0.5),
 *   { w: ({ x, w }) => { const y = 1 / (1 + Math.exp(-x * w)); return (y - 0.5) * y * (1 - y) * x; } },
 *   { at: { x: 0.35, w: 0.1 } },
 * );
 * console.log(report.toString());
 */
export function checkDerivation(
  f: (params: DerivationParams) => Tensor,
  hand: Record<string, HandFormula>,
  options?: CheckDerivationOptions,
): DerivationReport {
  try {
    return run(parse(f, hand, options));
  } catch (e) {
    if (e instanceof MemogradError) throw renameError(OP, e);
    throw e;
  }
}

function run(cfg: Config): DerivationReport {
  const gen = new Generator(cfg.seed);
  const points: PointData[] = [];
  const addPoint = (label: string, values: Map<string, Tensor>, checkKinks: boolean): boolean => {
    const g = record(cfg, values, checkKinks);
    if (g === 'kink') return false;
    const list = cfg.names.map((k) => g.leaves.get(k)!);
    const grads = g.loss.requiresGrad ? grad(g.loss, list, { retainGraph: true, allowUnused: true }) : list.map((l) => zerosLike(l));
    const tape = new Map<string, Float64Array>();
    cfg.names.forEach((k, i) => tape.set(k, Float64Array.from(grads[i]!.data)));
    const handValues = new Map<string, { data: Float64Array; shape: number[] }>();
    for (const [k, formula] of cfg.hand) handValues.set(k, evaluateHand(k, formula, values));
    points.push({ label, graph: g.loss.requiresGrad ? g : null, tape, hand: handValues });
    return true;
  };
  // the student's point is checked as it is, even on a kink
  if (cfg.at !== null && cfg.names.every((k) => cfg.at!.has(k))) addPoint('at', cfg.at, false);
  for (let n = 1; n <= cfg.points; n++) {
    let done = false;
    for (let attempt = 0; attempt < 50 && !done; attempt++) {
      const values = new Map<string, Tensor>();
      for (const k of cfg.names) {
        if (cfg.fixed.has(k)) {
          values.set(k, cfg.at!.get(k)!);
          continue;
        }
        const shape = cfg.shapes.get(k)!;
        const size = shape.reduce((a, b) => a * b, 1);
        const data = new Float64Array(size);
        for (let i = 0; i < size; i++) data[i] = (gen.random() < 0.5 ? -1 : 1) * gen.uniform(0.2, 2);
        values.set(k, new Tensor(data, shape.slice(), 'float64'));
      }
      done = addPoint(String(n), values, true);
    }
    if (!done) throw new ArgumentError(OP, `could not draw a random point away from the kinks of relu/abs in 50 tries`);
  }
  return new DerivationReport(cfg.hand.map(([k]) => diagnose(cfg, k, points)), points.map((p) => p.label), cfg.rtol);
}

function diagnose(cfg: Config, name: string, points: PointData[]): DerivationCheck {
  const shape = cfg.shapes.get(name)!;
  const tapes = points.map((p) => p.tape.get(name)!);
  const hands = points.map((p) => p.hand.get(name)!);
  const handShape = hands[0]!.shape;
  const base = {
    name,
    shape: shape.slice(),
    points: points.length,
    expected: tapes.map((t) => Array.from(t)),
    got: hands.map((h) => Array.from(h.data)),
  };
  const all = (pred: (i: number) => boolean): boolean => points.every((_, i) => pred(i));
  const sameShape = hands.every((h) => h.data.length === tapes[0]!.length && squeezed(h.shape) === squeezed(shape));
  const agreed = sameShape ? points.filter((_, i) => close(hands[i]!.data, tapes[i]!, cfg.rtol)).length : 0;
  const relativeError = sameShape ? Math.max(...points.map((_, i) => relError(hands[i]!.data, tapes[i]!))) : Infinity;
  const result = (diagnosis: DerivationDiagnosis, explanation: string, extra: Partial<DerivationCheck> = {}): DerivationCheck => ({
    ...base, diagnosis, explanation, agreed, relativeError, ...extra,
  });
  const h = (i: number) => hands[i]!.data;
  if (sameShape && agreed === points.length) return result('ok', 'hand = tape at every point');
  if (sameShape && all((i) => close(h(i), scaled(tapes[i]!, -1), cfg.rtol))) {
    return result('sign', 'hand = -tape at every point: a sign is flipped (e.g. (t - y) for d/dy ½(y - t)² = (y - t), or the lecture\'s δ = -∂L/∂net used as the gradient)', { factor: -1 });
  }
  // swapped: another parameter's gradient, or a transposed matrix (this one's or another's)
  for (const other of cfg.names) {
    const ts = points.map((p) => p.tape.get(other)!);
    const oshape = cfg.shapes.get(other)!;
    if (other !== name && hands.every((hh) => hh.data.length === ts[0]!.length && squeezed(hh.shape) === squeezed(oshape)) && all((i) => close(h(i), ts[i]!, cfg.rtol))) {
      return result('swapped', `hand = the tape's ∂L/∂${other}: the formula given for '${name}' computes the gradient of '${other}' (indices swapped, w_jk for w_kj)`, { swappedWith: other, transposed: false });
    }
    if (oshape.length === 2 && handShape.length === 2 && handShape[0] === oshape[1] && handShape[1] === oshape[0] && oshape[0] !== 1 && oshape[1] !== 1) {
      if (all((i) => close(h(i), transposed(ts[i]!, oshape[0]!, oshape[1]!), cfg.rtol))) {
        const self = other === name;
        return result('swapped', `hand = (∂L/∂${other})ᵀ: ${self ? 'the matrix is transposed' : `the transposed gradient of '${other}'`} (rows and columns swapped, w_jk for w_kj; e.g. δ·xᵀ where xᵀ·δ is meant)`, {
          swappedWith: other,
          transposed: true,
        });
      }
    }
  }
  if (!sameShape) {
    return result('wrong', `the hand formula returns shape ${formatShape(handShape)}, the parameter has shape ${formatShape(shape)}`);
  }
  // scale: hand = k tape, the same k at every point
  // k from the largest tape element over all points (a dead relu can zero one point's gradient)
  let j = -1;
  let at = 0;
  let big = 0;
  tapes.forEach((t, pi) => t.forEach((v, i) => {
    if (Math.abs(v) > big) {
      big = Math.abs(v);
      j = i;
      at = pi;
    }
  }));
  // the same k at two or more points where the gradient is not zero (one point fixes any k)
  const informative = tapes.filter((t) => t.some((v) => Math.abs(v) > 1e-12 * big)).length;
  if (j >= 0 && informative >= 2) {
    const k = h(at)[j]! / tapes[at]![j]!;
    if (Number.isFinite(k) && k !== 0 && all((i) => close(h(i), scaled(tapes[i]!, k), cfg.rtol))) {
      return result('scale', scaleCause(k, cfg), { factor: k });
    }
  }
  // chain-rule diagnoses, from the recorded graphs
  if (points.every((p) => p.graph !== null) && points.every((p) => p.graph!.order.length === points[0]!.graph!.order.length)) {
    const graphs = points.map((p) => p.graph!);
    const ps = graphs.map((g) => g.leaves.get(name)!);
    const deps = graphs.map((g, i) => dependents(g, ps[i]!));
    const edgeList = (g: Recorded, dep: Set<Tensor>) => {
      const out: Edge[] = [];
      for (let i = g.order.length - 1; i >= 0; i--) for (const e of g.edges.get(g.order[i]!) ?? []) if (dep.has(e.from)) out.push(e);
      return out;
    };
    const edges = graphs.map((g, i) => edgeList(g, deps[i]!));
    if (edges.every((e) => e.length === edges[0]!.length)) {
      for (const mode of ['skip', 'double'] as const) {
        for (let e = 0; e < edges[0]!.length; e++) {
          const e0 = edges[0]![e]!;
          if (mode === 'skip' ? !e0.skippable : !e0.same) continue;
          if (all((i) => close(h(i), backprop(graphs[i]!, ps[i]!, deps[i]!, { edge: edges[i]![e]!, mode }), cfg.rtol))) {
            const op = e0.to.node!.op.name;
            const what = op === 'sigmoid' ? ` (σ'(z) = y(1-y), the sigmoid derivative)` : op === 'tanh' ? ` (tanh'(z) = 1-y²)` : op === 'relu' ? ` (relu'(z) = 1 for z > 0, else 0)` : '';
            const g = `∂${e0.label}/∂${graphs[0]!.labels.get(e0.from)} = ${e0.formula}${what}`;
            return result(
              mode === 'skip' ? 'missing-factor' : 'extra-factor',
              mode === 'skip'
                ? `hand·g = tape on the paths through ${e0.label}, with g = ${g}: that local derivative is missing`
                : `hand = tape·g on the paths through ${e0.label}, with g = ${g}: that local derivative is applied twice`,
              { node: e0.label, formula: e0.formula },
            );
          }
        }
      }
      // paths
      const paths = graphs.map((g, i) => pathsOf(g, ps[i]!, deps[i]!, cfg.maxPaths));
      if (paths.every((p) => p !== null && p.length === paths[0]!.length)) {
        const values = paths.map((pp, i) => pp!.map((path) => pathValue(graphs[i]!, path)));
        const names = paths[0]!.map((path) => pathName(graphs[0]!, ps[0]!, path));
        const n = names.length;
        const sumOf = (i: number, idx: number[], extra: Float64Array[] = []) => {
          const s = new Float64Array(tapes[i]!.length);
          for (const k of idx) values[i]![k]!.forEach((v, q) => (s[q] = s[q]! + v));
          for (const x of extra) x.forEach((v, q) => (s[q] = s[q]! + v));
          return s;
        };
        const subsets = (count: number, strict: boolean): number[][] => {
          const out: number[][] = [];
          if (count <= 10) {
            for (let mask = 1; mask < 1 << count; mask++) {
              if (strict && mask === (1 << count) - 1) continue;
              out.push(Array.from({ length: count }, (_, q) => q).filter((q) => (mask >> q) & 1));
            }
          } else {
            for (let q = 0; q < count; q++) out.push([q]);
          }
          return out;
        };
        if (n >= 2) {
          const omit = subsets(n, true).map((keep) => keep).filter((keep) => keep.length < n);
          // n > 10: single omissions (keep all but one)
          const keeps = n <= 10 ? omit : Array.from({ length: n }, (_, q) => Array.from({ length: n }, (_, r) => r).filter((r) => r !== q));
          keeps.sort((a, b) => b.length - a.length);
          for (const keep of keeps) {
            if (all((i) => close(h(i), sumOf(i, keep), cfg.rtol))) {
              const missing = names.filter((_, q) => !keep.includes(q));
              return result('missing-path', `hand = the sum over ${keep.length} of the ${n} chain-rule paths; missing: ${missing.join('; ')}`, { paths: missing });
            }
          }
        }
        // extra paths: a path of this parameter counted twice, or a path of another parameter of the same shape
        const pool: { name: string; values: Float64Array[] }[] = names.map((nm, q) => ({ name: `${nm} (counted twice)`, values: values.map((v) => v[q]!) }));
        for (const other of cfg.names) {
          if (other === name || squeezed(cfg.shapes.get(other)!) !== squeezed(shape)) continue;
          const ops = graphs.map((g) => g.leaves.get(other)!);
          const odeps = graphs.map((g, i) => dependents(g, ops[i]!));
          const opaths = graphs.map((g, i) => pathsOf(g, ops[i]!, odeps[i]!, cfg.maxPaths));
          if (!opaths.every((p) => p !== null && p.length === opaths[0]!.length)) continue;
          opaths[0]!.forEach((path, q) => {
            pool.push({ name: `${pathName(graphs[0]!, ops[0]!, path)} (a path of ${other})`, values: graphs.map((g, i) => pathValue(g, opaths[i]![q]!)) });
          });
        }
        if (pool.length > 0) {
          const extras = subsets(pool.length, false);
          extras.sort((a, b) => a.length - b.length);
          for (const ex of extras) {
            if (all((i) => close(h(i), sumOf(i, names.map((_, q) => q), ex.map((q) => pool[q]!.values[i]!)), cfg.rtol))) {
              const added = ex.map((q) => pool[q]!.name);
              return result('extra-path', `hand = the sum over ${n === 1 ? 'the one chain-rule path' : `all ${n} chain-rule paths`} plus ${added.length} that ${added.length === 1 ? 'does' : 'do'} not belong: ${added.join('; ')}`, { paths: added });
            }
          }
        }
      }
    }
  }
  return result('wrong', `hand and tape disagree (largest relative error ${num(relativeError)}) and no single slip explains it (not a sign, a constant factor, one missing or extra local derivative, a missing or extra path, or a swapped gradient)`);
}

/** @internal exposed for tests: the reverse pass over single edges (equals the tape's gradient). */
export const _internals = { record, backprop, dependents, pathsOf, pathValue };
