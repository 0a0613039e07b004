/**
 * Views of a recorded graph for people: a Graphviz DOT export (optionally with every node's value
 * and gradient, and a chain-rule path highlighted) and a chain-rule explanation that lists, for
 * every node, its value, the gradient of the output with respect to it (the delta terms of a
 * hand-worked backprop table) and how that gradient is the sum of one term per consumer.
 */
import { grad } from './autodiff.ts';
import { inputsOf, noGrad } from './engine.ts';
import { ArgumentError, GraphError, renameErrors } from './errors.ts';
import { onesLike } from './ops/creation.ts';
import { checkBoolean, checkOptions, describe } from './shape.ts';
import { Tensor } from './tensor.ts';
import { symbolOf, type ChainPath } from './teach/chain-paths.ts';

function checkOutput(op: string, output: unknown): asserts output is Tensor {
  if (!(output instanceof Tensor)) throw new ArgumentError(op, `argument 'output' must be a Tensor, got ${describe(output)}`);
}

/**
 * Labels of every tensor reachable from `output`: its name, or `op#k` / `ck` (a constant) numbered
 * in topological order, so that `toDot`, `explain` and `chainPaths` name the same node alike.
 */
export function labelsFor(output: Tensor, order: readonly Tensor[] = topologicalOrder(output)): Map<Tensor, string> {
  const labels = new Map<Tensor, string>();
  let k = 0;
  for (const t of order) {
    if (t.name !== undefined) labels.set(t, t.name);
    else labels.set(t, t.node === null ? `c${k++}` : `${t.node.op.name}#${k++}`);
  }
  return labels;
}

function fmt(t: Tensor): string {
  return t.size === 1 ? Number(t.data[0]).toPrecision(6) : `[${t.shape.join('x')}]`;
}

/** Nodes reachable from `output`, inputs before the tensors computed from them (iterative). */
export function topologicalOrder(output: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([output]);
  const stack: [Tensor, number][] = [[output, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const inputs = top[0].node?.inputs ?? [];
    if (top[1] < inputs.length) {
      const next = inputs[top[1]++]!;
      if (!seen.has(next)) {
        seen.add(next);
        stack.push([next, 0]);
      }
    } else {
      stack.pop();
      order.push(top[0]);
    }
  }
  return order;
}

function checkLive(op: string, order: readonly Tensor[]): void {
  for (const t of order) {
    if (t._op !== null && t._seq < 0) {
      throw new GraphError(op, `the graph of argument 'output' was released by a backward pass (at '${t._op.name}'); run the forward pass again, or call backward with { retainGraph: true }`);
    }
  }
}

/**
 * d(output)/d(t) for every tensor `t` of `order` that requires grad (the sum of the output's
 * elements for a non-scalar output), on a retained graph, without touching any `.grad`.
 */
function gradientsOf(op: string, output: Tensor, order: readonly Tensor[]): Map<Tensor, Tensor> {
  const nodes = output.requiresGrad ? order.filter((t) => t.requiresGrad) : [];
  const out = new Map<Tensor, Tensor>();
  if (nodes.length === 0) return out;
  const gradOutputs = output.size === 1 ? undefined : [onesLike(output)];
  const gs = renameErrors(op, () => grad(output, nodes, { retainGraph: true, allowUnused: true, ...(gradOutputs ? { gradOutputs } : {}) }));
  nodes.forEach((t, i) => out.set(t, gs[i]!));
  return out;
}

/** Options of `toDot` (and `toSvg`). */
export interface ToDotOptions {
  /** Show every node's forward value and its gradient d(output)/d(node) (computed on a retained graph; no `.grad` changes). */
  grads?: boolean;
  /** A path from `chainPaths` (or a list of tensors) to draw highlighted: its nodes and the edges between them. */
  highlight?: ChainPath | readonly Tensor[];
}

const HIGHLIGHT = 'color="#d62728", penwidth=3';

function highlightOf(op: string, value: unknown): { nodes: Set<Tensor>; edges: Set<string> | null } | null {
  if (value === undefined) return null;
  let tensors: unknown = value;
  let path = false;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    tensors = (value as { tensors?: unknown }).tensors;
    path = true;
  }
  if (!Array.isArray(tensors) || !tensors.every((t) => t instanceof Tensor)) {
    throw new ArgumentError(op, `option 'highlight' must be a path from chainPaths or an array of Tensors, got ${describe(value)}`);
  }
  const list = tensors as Tensor[];
  return { nodes: new Set(list), edges: path ? new Set(list.slice(1).map((t, i) => edgeKey(list[i]!, t))) : null };
}

const edgeIds = new WeakMap<Tensor, number>();
let nextEdgeId = 0;
function edgeKey(from: Tensor, to: Tensor): string {
  const id = (t: Tensor): number => {
    let v = edgeIds.get(t);
    if (v === undefined) edgeIds.set(t, (v = nextEdgeId++));
    return v;
  };
  return `${id(from)}>${id(to)}`;
}

function summary(t: Tensor): string {
  if (t.size === 1) return Number(t.data[0]).toPrecision(4);
  let min = Infinity;
  let max = -Infinity;
  for (const v of t.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return t.size === 0 ? `[${t.shape.join('x')}]` : `[${t.shape.join('x')}] ${min.toPrecision(3)}..${max.toPrecision(3)}`;
}

/**
 * The graph behind `output` in Graphviz DOT, with names, ops and scalar values. With `grads`, each
 * node also shows `value` and `grad` (d output / d node); with `highlight`, a chain-rule path (or a
 * set of tensors) is drawn in red.
 */
export function toDot(output: Tensor, options?: ToDotOptions): string {
  checkOutput('toDot', output);
  const opts = checkOptions('toDot', options, ['grads', 'highlight']);
  const withGrads = checkBoolean('toDot', "option 'grads'", opts.grads, false);
  const hl = highlightOf('toDot', opts.highlight);
  const order = topologicalOrder(output);
  const ids = labelsFor(output, order);
  let grads: Map<Tensor, Tensor> | null = null;
  if (withGrads) {
    checkLive('toDot', order);
    grads = gradientsOf('toDot', output, order);
  }
  const lines = ['digraph memograd {', '  rankdir=LR;'];
  for (const t of order) {
    const name = ids.get(t)!;
    const op = t.node ? `${t.node.op.name} ` : '';
    const attrs: string[] = [];
    if (grads === null) {
      attrs.push(`label="${name}\\n${op}${fmt(t)}"`);
    } else {
      const g = grads.get(t);
      attrs.push(`label="${name}${op ? `\\n${op.trim()}` : ''}\\nvalue ${summary(t)}\\ngrad ${g === undefined ? '—' : summary(g)}"`);
    }
    if (!t.node) attrs.push('shape=box');
    if (hl?.nodes.has(t)) attrs.push(HIGHLIGHT, 'fontcolor="#d62728"');
    lines.push(`  "${name}" [${attrs.join(', ')}];`);
    for (const input of t.node?.inputs ?? []) {
      const on = hl !== null && (hl.edges === null ? hl.nodes.has(input) && hl.nodes.has(t) : hl.edges.has(edgeKey(input, t)));
      lines.push(`  "${ids.get(input)!}" -> "${name}"${on ? ` [${HIGHLIGHT}]` : ''};`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}

/** One consumer's share of a node's gradient: d(output)/d(consumer) · d(consumer)/d(node). */
export interface ExplainTerm {
  /** Label of the consumer. */
  readonly via: string;
  /** d(output)/d(consumer): the consumer's delta (number for one-element tensors, else null). */
  readonly upstream: number | null;
  /** d(consumer)/d(node), the local derivative (0-d elementwise edges; else null). */
  readonly local: number | null;
  /** Its symbolic form (as in chainPaths), e.g. 'h3(1-h3)'. */
  readonly symbol: string;
  /** upstream · local, or null. */
  readonly product: number | null;
}

/** One node of the graph in `explain`'s table. */
export interface ExplainRow {
  /** The tensor's name, or an op label such as 'sigmoid#4'. */
  name: string;
  /** The op that computed it, or null for a leaf. */
  op: string | null;
  /** Its forward value: a number for a one-element tensor, else the elements flat (row-major, `shape`). */
  value: number | number[];
  /** d output / d this node, computed by the tape (the adjoint, or "delta"), in the same form. */
  gradient: number | number[];
  /** The tensor's shape. */
  shape: number[];
  /** The chain rule at this node: gradient = Σ over its consumers of upstream · local. */
  terms: ExplainTerm[];
}

/** The rows of `explain`, with `toString()` giving the table. */
export type ExplainResult = ExplainRow[] & {
  /** The table as text. */
  toString(): string;
};

function numbers(t: Tensor): number | number[] {
  return t.size === 1 ? Number(t.data[0]) : Array.from(t.data, Number);
}

/**
 * Explains a scalar output's gradient: for every named tensor (or every tensor with `all`), its
 * value and d(output)/d(tensor), each adjoint computed once by the tape and reused by every path,
 * and the chain-rule terms that sum to it. Does not touch `.grad`; the graph is retained.
 */
export function explain(output: Tensor, options?: { all?: boolean }): ExplainResult {
  checkOutput('explain', output);
  const all = checkBoolean('explain', 'all', checkOptions('explain', options, ['all']).all, false);
  const order = topologicalOrder(output);
  checkLive('explain', order);
  const ids = labelsFor(output, order);
  const lab = (t: Tensor): string => ids.get(t)!;
  const grads = gradientsOf('explain', output, order);
  const nodes = order.filter((t) => t.requiresGrad && (all || t.name !== undefined));
  const wanted = new Set(nodes);
  const uses = new Map<Tensor, { consumer: Tensor; slot: number }[]>();
  for (const t of order) {
    inputsOf(t).forEach((u, slot) => {
      if (!wanted.has(u)) return;
      let list = uses.get(u);
      if (list === undefined) uses.set(u, (list = []));
      list.push({ consumer: t, slot });
    });
  }
  const rows = nodes.map((t): ExplainRow => {
    const g = grads.get(t)!;
    const terms = (uses.get(t) ?? []).map(({ consumer, slot }): ExplainTerm => {
      const up = grads.get(consumer);
      const upstream = up !== undefined && up.size === 1 ? Number(up.data[0]) : null;
      const local = t.size === 1 && consumer.size === 1 ? localScalar(consumer, slot) : null;
      return { via: lab(consumer), upstream, local, symbol: symbolOf(consumer, slot, lab), product: upstream !== null && local !== null ? upstream * local : null };
    });
    return { name: lab(t), op: t.node ? t.node.op.name : null, value: numbers(t), gradient: numbers(g), shape: t.shape.slice(), terms };
  }) as ExplainResult;
  Object.defineProperty(rows, 'toString', { value: () => explainTable(lab(output), rows, order.filter((t) => wanted.has(t))), enumerable: false });
  return rows;
}

function localScalar(consumer: Tensor, slot: number): number | null {
  const op = consumer._op!;
  if (op.scalar === undefined && op.name !== 'sum') return null;
  const inputs = inputsOf(consumer);
  const gs = noGrad(() => op.backward({ grad: onesLike(consumer), inputs, out: consumer, params: consumer._params }));
  const g = gs[slot];
  return g === null || g === undefined ? 0 : Number(g.data[0]);
}

function fmtCell(v: number | number[], shape: readonly number[]): string {
  return typeof v === 'number' ? v.toPrecision(6) : `[${shape.join('x')}]`;
}

function explainTable(out: string, rows: readonly ExplainRow[], _order: readonly Tensor[]): string {
  const head = ['node', 'op', 'value', `d${out}/d(node)`];
  const body = rows.map((r) => [r.name, r.op ?? '(leaf)', fmtCell(r.value, r.shape), fmtCell(r.gradient, r.shape)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [line(head), ...body.map(line)];
  for (const r of rows) {
    if (r.terms.length === 0 || typeof r.gradient !== 'number') continue;
    const sym = r.terms.map((t) => `d${out}/d${t.via} · ${/^-?[\w#.]+$/.test(t.symbol) ? t.symbol : `(${t.symbol})`}`).join(' + ');
    const val = r.terms.every((t) => t.product !== null) ? ` = ${r.terms.map((t) => `${t.upstream!.toPrecision(4)}·${t.local!.toPrecision(4)}`).join(' + ')}` : '';
    lines.push(`d${out}/d${r.name} = ${sym}${val} = ${r.gradient.toPrecision(6)}`);
  }
  return lines.join('\n');
}
