/**
 * The chain rule, path by path: every path from an input to an output through the recorded graph,
 * with the local derivative on each edge (its value and, where the op knows it, its symbolic form),
 * each path's product, and the sum of the products beside the tape's gradient — the lecture's
 * "blue path + orange path" made mechanical.
 *
 * Memoization made visible: the number of paths can grow exponentially with the depth (a chain of
 * 40 diamonds has 2^40), while the tape's backward visits every recorded edge once. The path count
 * is computed by dynamic programming over the graph (no enumeration); paths are enumerated only
 * under `maxPaths`.
 *
 * Scope of the values. A path's value is exact when every edge on every path is "diagonal":
 * - an elementwise op (one with a scalar function) whose output has its input's shape, or
 * - a `sum` to a single element (its local derivative is 1 for every element),
 * i.e. 0-d (scalar) graphs fully, and elementwise tensor graphs (optionally reduced with sum/mean
 * at the end). There, each local derivative is one number per element of the input and a path's
 * value is the elementwise product. Anything else (matmul, broadcasting, reductions over some axes,
 * reshapes, ...) makes local derivatives Jacobians: the paths are reported structurally (nodes and
 * symbolic forms) with `exact: false`, and only the total (the tape's gradient) has a value.
 * For an output with more than one element the gradient is that of the sum of its elements (a
 * seed of ones), as with `output.backward(onesLike(output))`.
 */
import { grad } from '../autodiff.ts';
import { inputsOf, noGrad } from '../engine.ts';
import { ArgumentError, GraphError } from '../errors.ts';
import { labelsFor, topologicalOrder } from '../explain.ts';
import { onesLike } from '../ops/creation.ts';
import { checkBoolean, checkInteger, checkOptions, describe } from '../shape.ts';
import { Tensor } from '../tensor.ts';

/** Options of `chainPaths`. */
export interface ChainPathsOptions {
  /** The most paths to enumerate (default 10,000); more is a GraphError unless `countOnly`. */
  maxPaths?: number;
  /** Count paths and tape visits without enumerating the paths (any graph size). */
  countOnly?: boolean;
}

/** One edge of a path: from a tensor to the op output that consumed it. */
export interface ChainEdge {
  /** Label of the consumed tensor (its name, or an op label such as 'sigmoid#4'). */
  readonly from: string;
  /** Label of the consuming op's output. */
  readonly to: string;
  /** The op of `to`. */
  readonly op: string;
  /** Which input of the op `from` is (0 or 1 for binary ops). */
  readonly slot: number;
  /** The symbolic local derivative d(to)/d(from), e.g. 'y3(1-y3)', or '∂to/∂from' when the op has no short form. */
  readonly symbol: string;
  /** Its value: a number (0-d), one number per element (elementwise tensors, flat), or null outside the exact scope. */
  readonly local: number | readonly number[] | null;
}

/** One path from the input to the output. */
export interface ChainPath {
  /** Labels from the input to the output. */
  readonly nodes: readonly string[];
  /** The tensors along the path, input first (for `toDot`'s `highlight`). */
  readonly tensors: readonly Tensor[];
  /** The edges, input first. */
  readonly edges: readonly ChainEdge[];
  /** The product of the local derivatives (per element for tensors), or null outside the exact scope. */
  readonly product: number | readonly number[] | null;
  /** `dJ/dy4 · dy4/dz4 · … · dz3/dw13 = value`, in the lecture's order (output first). */
  toString(): string;
}

/** The chain-rule paths from an input to the output, with each path's product and their sum. */
export interface ChainPathsReport {
  /** Labels of the output and the input. */
  readonly output: string;
  /** Label of the input. */
  readonly input: string;
  /** The input's shape (per-element values are flat, in row-major order of this shape). */
  readonly shape: readonly number[];
  /** Every path (empty with `countOnly`). */
  readonly paths: readonly ChainPath[];
  /** The number of paths, counted by dynamic programming over the graph (exact, any size). */
  readonly pathCount: bigint;
  /** Whether the path values are exact (see the scope in the docs); false: values are null. */
  readonly exact: boolean;
  /** The sum of the path products, or null (not exact, or `countOnly`). */
  readonly sum: number | readonly number[] | null;
  /** The tape's gradient d(output)/d(input), computed with `grad` on the retained graph. */
  readonly tape: number | readonly number[];
  /** Backward rules the tape runs for this output: each recorded op once. */
  readonly tapeNodeVisits: number;
  /** Gradient contributions the tape computes: each recorded edge (into a tensor that requires grad) once. */
  readonly tapeEdgeVisits: number;
  /** Total edges on all paths: what naive path-by-path evaluation would multiply (bigint: it can be huge). */
  readonly pathEdgeVisits: bigint;
  /** The lecture-style view: each path, then the sum and the tape's value. */
  toString(): string;
}

const DEFAULT_MAX_PATHS = 10_000;
const MAX_MAX_PATHS = 10_000_000;

interface Use {
  readonly consumer: Tensor;
  readonly slot: number;
}

/** Every path from `input` to `output` with local derivatives and products; see the module docs for the scope. */
export function chainPaths(output: Tensor, input: Tensor, options?: ChainPathsOptions): ChainPathsReport {
  const op = 'chainPaths';
  if (!(output instanceof Tensor)) throw new ArgumentError(op, `argument 'output' must be a Tensor, got ${describe(output)}`);
  if (!(input instanceof Tensor)) throw new ArgumentError(op, `argument 'input' must be a Tensor, got ${describe(input)}`);
  const opts = checkOptions(op, options, ['maxPaths', 'countOnly']);
  const maxPaths = opts.maxPaths === undefined ? DEFAULT_MAX_PATHS : checkInteger(op, "option 'maxPaths'", opts.maxPaths, 1, MAX_MAX_PATHS);
  const countOnly = checkBoolean(op, "option 'countOnly'", opts.countOnly, false);
  if (!output.requiresGrad) {
    throw new GraphError(op, `argument 'output' does not require grad: it was not computed from any tensor that requires grad`);
  }
  if (!input.requiresGrad) {
    throw new GraphError(op, `argument 'input'${input.name !== undefined ? ` ('${input.name}')` : ''} does not require grad, so no gradient flows to it; create it with { requiresGrad: true }`);
  }

  const order = topologicalOrder(output);
  for (const t of order) {
    if (t._op !== null && t._seq < 0) {
      throw new GraphError(op, `the graph of argument 'output' was released by a backward pass (at '${t._op.name}'); run the forward pass again, or call backward with { retainGraph: true }`);
    }
  }
  const labels = labelsFor(output, order);
  const lab = (t: Tensor): string => labels.get(t) ?? t.name ?? 'input';

  // consumers of each tensor, and the tape's work
  const uses = new Map<Tensor, Use[]>();
  let tapeNodeVisits = 0;
  let tapeEdgeVisits = 0;
  for (const t of order) {
    const ins = inputsOf(t);
    if (t._op !== null && ins.length > 0) tapeNodeVisits++;
    ins.forEach((u, slot) => {
      if (u.requiresGrad) tapeEdgeVisits++;
      let list = uses.get(u);
      if (list === undefined) uses.set(u, (list = []));
      list.push({ consumer: t, slot });
    });
  }

  // paths from each tensor to the output (and their total length), by dynamic programming
  const toOut = new Map<Tensor, bigint>();
  const lenToOut = new Map<Tensor, bigint>(); // sum over paths of their edge counts
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i]!;
    if (t === output) {
      toOut.set(t, 1n);
      lenToOut.set(t, 0n);
      continue;
    }
    let n = 0n;
    let len = 0n;
    for (const { consumer } of uses.get(t) ?? []) {
      const c = toOut.get(consumer) ?? 0n;
      n += c;
      len += (lenToOut.get(consumer) ?? 0n) + c;
    }
    toOut.set(t, n);
    lenToOut.set(t, len);
  }
  const pathCount = toOut.get(input) ?? 0n;
  const pathEdgeVisits = lenToOut.get(input) ?? 0n;

  if (!countOnly && pathCount > BigInt(maxPaths)) {
    throw new GraphError(
      op,
      `there are ${pathCount} paths from '${lab(input)}' to '${lab(output)}', more than maxPaths = ${maxPaths}; ` +
        `the tape's backward needs only ${tapeEdgeVisits} edge visits for the same gradient (each recorded edge once: memoization). ` +
        `Pass { countOnly: true } for the counts, or a larger { maxPaths } (up to ${MAX_MAX_PATHS})`,
    );
  }

  const size = input.size;
  const tapeTensor = tapeGradient(output, input);
  const tape = toValue(tapeTensor.data, size, input.shape.length === 0);

  // enumerate (iteratively: a long chain has one path but many edges)
  const raw: Use[][] = [];
  if (!countOnly && pathCount > 0n) {
    const stack: Use[] = [];
    const cursor: number[] = [0];
    const at = (): Tensor => (stack.length === 0 ? input : stack[stack.length - 1]!.consumer);
    while (cursor.length > 0) {
      const node = at();
      if (node === output) {
        raw.push(stack.slice());
        cursor.pop();
        stack.pop();
        continue;
      }
      const list = uses.get(node) ?? [];
      const k = cursor[cursor.length - 1]!;
      if (k < list.length) {
        cursor[cursor.length - 1] = k + 1;
        const use = list[k]!;
        if ((toOut.get(use.consumer) ?? 0n) > 0n) {
          stack.push(use);
          cursor.push(0);
        }
      } else {
        cursor.pop();
        stack.pop();
      }
    }
  }

  // local derivatives, once per edge
  const exact = !countOnly && raw.every((p) => p.every((u) => isDiagonal(u, size)));
  const locals = new Map<Tensor, (readonly number[] | null)[]>();
  const localOf = (u: Use): readonly number[] | null => {
    let row = locals.get(u.consumer);
    if (row === undefined) locals.set(u.consumer, (row = localDerivatives(u.consumer)));
    return row[u.slot] ?? null;
  };
  const scalarInput = input.shape.length === 0;
  const paths: ChainPath[] = raw.map((p) => {
    const tensors = [input, ...p.map((u) => u.consumer)];
    const edges: ChainEdge[] = p.map((u, i) => {
      const from = tensors[i]!;
      const local = exact ? localOf(u) : null;
      return {
        from: lab(from),
        to: lab(u.consumer),
        op: u.consumer._op!.name,
        slot: u.slot,
        symbol: symbolOf(u.consumer, u.slot, lab),
        local: local === null ? null : toValue(local, local.length, local.length === 1 && scalarInput),
      };
    });
    let product: number | readonly number[] | null = null;
    if (exact) {
      // in the tape's order: from the output down to the input
      const acc = new Array<number>(size).fill(1);
      for (let i = p.length - 1; i >= 0; i--) {
        const l = localOf(p[i]!)!;
        for (let e = 0; e < size; e++) acc[e] = acc[e]! * (l.length === 1 ? l[0]! : l[e]!);
      }
      product = toValue(acc, size, scalarInput);
    }
    const nodes = tensors.map(lab);
    return { nodes, tensors, edges, product, toString: () => pathString(nodes, edges, product) };
  });

  let sum: number | readonly number[] | null = null;
  if (exact) {
    const acc = new Array<number>(size).fill(0);
    for (const path of paths) {
      const v = path.product!;
      for (let e = 0; e < size; e++) acc[e] = acc[e]! + (typeof v === 'number' ? v : v[e]!);
    }
    sum = toValue(acc, size, scalarInput);
  }

  const report: ChainPathsReport = {
    output: lab(output),
    input: lab(input),
    shape: input.shape.slice(),
    paths,
    pathCount,
    exact,
    sum,
    tape,
    tapeNodeVisits,
    tapeEdgeVisits,
    pathEdgeVisits,
    toString: () => reportString(report, countOnly),
  };
  return report;
}

/** d(sum of output)/d(input) by the tape, on a retained graph, touching no `.grad`. */
function tapeGradient(output: Tensor, input: Tensor): Tensor {
  const gradOutputs = output.size === 1 ? undefined : [onesLike(output)];
  return grad(output, input, { retainGraph: true, allowUnused: true, ...(gradOutputs ? { gradOutputs } : {}) })[0]!;
}

function toValue(data: ArrayLike<number>, size: number, scalarShape: boolean): number | readonly number[] {
  if (scalarShape && size === 1) return Number(data[0]);
  return Array.from({ length: size }, (_, i) => Number(data[i]));
}

/** Whether an edge's local Jacobian is diagonal (or a row of ones to a single element). */
function isDiagonal(u: Use, inputSize: number): boolean {
  const t = u.consumer;
  const x = inputsOf(t)[u.slot]!;
  const op = t._op!;
  if (x.size !== inputSize && x.size !== 1) return false;
  if (op.name === 'sum' && t.size === 1) return true;
  if (op.scalar === undefined) return false;
  return x.shape.length === t.shape.length && x.shape.every((d, i) => d === t.shape[i]);
}

/** The local derivatives d(t)/d(input i) per element: the op's own backward rule with a seed of ones. */
function localDerivatives(t: Tensor): (readonly number[] | null)[] {
  const inputs = inputsOf(t);
  const op = t._op!;
  const gs = noGrad(() => op.backward({ grad: onesLike(t), inputs, out: t, params: t._params }));
  return inputs.map((x, i) => {
    const g = gs[i];
    if (g === null || g === undefined) return new Array<number>(x.size).fill(0);
    return Array.from(g.data, Number);
  });
}

function fmtNum(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return Number(v.toPrecision(6)).toString();
}

function fmtValue(v: number | readonly number[] | null): string {
  if (v === null) return '(a Jacobian)';
  if (typeof v === 'number') return fmtNum(v);
  const head = v.slice(0, 6).map(fmtNum).join(', ');
  return `[${head}${v.length > 6 ? `, … (${v.length})` : ''}]`;
}

/** The symbolic local derivative of output `t` with respect to its input `slot`. */
export function symbolOf(t: Tensor, slot: number, lab: (t: Tensor) => string): string {
  const ins = inputsOf(t);
  const s = (x: Tensor): string => {
    if (x.name === undefined && !x.requiresGrad && x.size === 1) return fmtNum(Number(x.data[0]));
    return lab(x);
  };
  const x = ins[slot]!;
  const other = ins[1 - slot];
  const a = ins[0] ? s(ins[0]) : '?';
  const b = ins[1] ? s(ins[1]) : '?';
  const o = lab(t);
  const xs = s(x);
  switch (t._op!.name) {
    case 'add':
    case 'sum':
    case 'reshape':
    case 'clone':
      return '1';
    case 'sub':
      return slot === 0 ? '1' : '-1';
    case 'neg':
      return '-1';
    case 'mul':
      return other ? s(other) : '?';
    case 'div':
      return slot === 0 ? `1/${b}` : `-${a}/${b}²`;
    case 'sigmoid':
      return `${o}(1-${o})`;
    case 'tanh':
      return `1-${o}²`;
    case 'relu':
      return `[${xs}>0]`;
    case 'exp':
      return `e^${xs}`;
    case 'expm1':
      return `e^${xs}`;
    case 'log':
      return `1/${xs}`;
    case 'log1p':
      return `1/(1+${xs})`;
    case 'square':
      return `2·${xs}`;
    case 'sqrt':
      return `1/(2√${xs})`;
    case 'reciprocal':
      return `-1/${xs}²`;
    case 'sin':
      return `cos ${xs}`;
    case 'cos':
      return `-sin ${xs}`;
    case 'abs':
      return `sign(${xs})`;
    case 'powScalar': {
      const n = (t._params as { exponent: number }).exponent;
      return `${fmtNum(n)}·${xs}^${fmtNum(n - 1)}`;
    }
    case 'pow':
      return slot === 0 ? `${b}·${a}^(${b}-1)` : `${o}·ln ${a}`;
    case 'matmul':
      return slot === 0 ? `(·)${b}ᵀ` : `${a}ᵀ(·)`;
    default:
      return `∂${o}/∂${xs}`;
  }
}

function paren(sym: string): string {
  return /^-?[\w#.]+$/.test(sym) ? sym : `(${sym})`;
}

function pathString(nodes: readonly string[], edges: readonly ChainEdge[], product: number | readonly number[] | null): string {
  if (edges.length === 0) return `d${nodes[0]}/d${nodes[0]} = 1`;
  const rev = edges.slice().reverse();
  const chain = rev.map((e) => `d${e.to}/d${e.from}`).join(' · ');
  const symbols = rev.map((e) => paren(e.symbol)).join(' · ');
  const values = rev.every((e) => e.local !== null) ? rev.map((e) => fmtValue(e.local)).join(' · ') : null;
  const lines = [`${nodes.join(' → ')}`, `    ${chain}`, `  = ${symbols}`];
  if (values !== null) lines.push(`  = ${values}`);
  lines.push(`  = ${fmtValue(product)}`);
  return lines.join('\n');
}

function reportString(r: ChainPathsReport, countOnly: boolean): string {
  const lines = [
    `d${r.output}/d${r.input} by the chain rule: ${r.pathCount} path${r.pathCount === 1n ? '' : 's'} ` +
      `(${r.pathEdgeVisits} edge products path by path; the tape's backward: ${r.tapeNodeVisits} node visits, ${r.tapeEdgeVisits} edge visits)`,
  ];
  if (!countOnly) {
    r.paths.forEach((p, i) => lines.push(`path ${i + 1}: ${p.toString()}`));
    if (!r.exact && r.paths.length > 0) lines.push('(local derivatives here are Jacobians, not numbers: only the total has a value)');
    lines.push(`sum of the paths: ${fmtValue(r.sum)}`);
  }
  lines.push(`tape (grad):      ${fmtValue(r.tape)}`);
  return lines.join('\n');
}
