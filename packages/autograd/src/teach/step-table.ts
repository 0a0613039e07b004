/**
 * stepTable(): one step of gradient descent on a network of named scalars, laid out as the backprop
 * lecture's table (forward values, delta terms, gradients, updated weights), as plain text, Markdown
 * or LaTeX. Every number comes from the tape (one reverse pass); nothing is a hand formula.
 */
import { describeArgument, noGrad } from '../engine.ts';
import { ArgumentError, GraphError } from '../errors.ts';
import { gradOf } from '../autodiff.ts';
import { Tensor } from '../tensor.ts';

/** Options of `stepTable`. */
export interface StepTableOptions {
  /** The learning rate η of the step w ← w - η ∂E/∂w (required, finite). */
  lr: number;
  /**
   * Names for intermediate nodes, as an alternative to setting `t.name`: `{ a1, y3, a2 }`.
   * Only named nodes (and the parameters) appear in the table.
   */
  nodes?: Record<string, Tensor>;
  /** Labels for delta terms, keyed by the net input's name: `{ a3: 'δ5' }` (default `δ(a3)`). */
  deltaNames?: Record<string, string>;
  /** Decimal places shown (default 4; values under 0.1 keep `digits - 1` significant digits). */
  digits?: number;
}

/** One named node in the forward part of a step table. */
export interface StepTableNode {
  /** The node's name. */
  name: string;
  /** The expression in terms of other named nodes ('w13*x1 + w23*x2'), or 'input' / 'parameter'. */
  formula: string;
  /** The node's forward value. */
  value: number;
  /** ∂E/∂node (null for inputs the loss does not depend on through a differentiable path). */
  grad: number | null;
}

/** One delta term δ = -∂E/∂net of a step table. */
export interface StepTableDelta {
  /** The label ('δ5' with deltaNames, else 'δ(a3)'). */
  name: string;
  /** The net input's name (or 'net input of y5' when only the unit's output is named). */
  netInput: string;
  /** The activation it feeds ('sigmoid', 'tanh', 'relu', ...). */
  activation: string;
  /** δ = -∂E/∂net. */
  value: number;
}

/** One parameter's row in a step table: value, gradient and updated value. */
export interface StepTableParam {
  /** The parameter's name. */
  name: string;
  /** The value before the step. */
  value: number;
  /** ∂E/∂w. */
  grad: number;
  /** -lr · ∂E/∂w. */
  change: number;
  /** The value after the step, w - lr · ∂E/∂w. */
  updated: number;
}

/** One gradient-descent step laid out as the lecture's tables (see `stepTable`). */
export interface StepTable {
  /** The learning rate η. */
  lr: number;
  /** The loss E before the step. */
  loss: number;
  /** The sign convention, stated in every format. */
  convention: string;
  /** Named inputs and intermediate nodes in forward (topological) order. */
  forward: StepTableNode[];
  /** Delta terms of the net inputs (inputs of an activation), output layer first. */
  deltas: StepTableDelta[];
  /** One row per parameter. */
  params: StepTableParam[];
  /** The tables as plain text. */
  toText(): string;
  /** The tables as Markdown. */
  toMarkdown(): string;
  /** The tables as LaTeX. */
  toLatex(): string;
  /** Same as `toText()`. */
  toString(): string;
}

const CONVENTION = 'δ_j = -∂E/∂net_j (the net input of unit j), as in the lecture; w_new = w - η ∂E/∂w = w + η δ_j o_i';
const ACTIVATIONS = new Set(['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'gelu', 'silu', 'softplus', 'softmax', 'logSoftmax', 'exp']);
const OP = 'stepTable';

/**
 * The lecture-style table of one gradient-descent step on `loss` (a scalar built from named scalar
 * parameters): forward values of every named node, the delta terms δ = -∂E/∂net of every net input
 * (the input of an activation), ∂E/∂w and w - lr ∂E/∂w for every parameter.
 *
 * @example
 * const t = stepTable(loss, [w13, w23, w14, w24, w35, w45], { lr: 1, nodes: { a1, y3, a2, y4, a3, y5 } });
 * console.log(t.toText()); // t.toMarkdown(), t.toLatex()
 */
export function stepTable(loss: Tensor, params: readonly Tensor[] | Record<string, Tensor>, options: StepTableOptions): StepTable {
  if (!(loss instanceof Tensor)) throw new ArgumentError(OP, `argument 'loss' must be a scalar Tensor, got ${describeArgument(loss)}`);
  if (loss.size !== 1) throw new ArgumentError(OP, `argument 'loss' must be a scalar, got shape [${loss.shape.join(', ')}]`);
  const named = paramList(params);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError(OP, `argument 'options' must be an object such as { lr: 0.5 }, got ${describeArgument(options)}`);
  }
  const { lr, digits = 4 } = options;
  if (lr === undefined) throw new ArgumentError(OP, `option 'lr' (the learning rate, a finite number) is required, but it is missing`);
  if (typeof lr !== 'number' || !Number.isFinite(lr)) throw new ArgumentError(OP, `option 'lr' must be a finite number, got ${describeArgument(lr)}`);
  if (!Number.isInteger(digits) || digits < 1 || digits > 12) throw new ArgumentError(OP, `option 'digits' must be an integer from 1 to 12, got ${describeArgument(digits)}`);
  const extra = recordOf('nodes', options.nodes);
  const deltaNames = options.deltaNames === undefined ? {} : options.deltaNames;
  if (deltaNames === null || typeof deltaNames !== 'object' || Array.isArray(deltaNames) || !Object.values(deltaNames).every((v) => typeof v === 'string')) {
    throw new ArgumentError(OP, `option 'deltaNames' must be a record of strings such as { a3: 'δ5' }, got ${describeArgument(deltaNames)}`);
  }
  if (!loss.requiresGrad) throw new GraphError(OP, `argument 'loss' does not depend on any parameter that requires grad`);

  const nameOf = new Map<Tensor, string>();
  for (const [n, t] of named) nameOf.set(t, n);
  for (const [n, t] of Object.entries(extra)) nameOf.set(t, n);

  // every node in forward order (depth-first post-order from the loss), with its consumers
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const consumers = new Map<Tensor, Tensor[]>();
  const stack: [Tensor, number][] = [[loss, 0]];
  seen.add(loss);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const inputs = top[0].node?.inputs ?? [];
    if (top[1] < inputs.length) {
      const child = inputs[top[1]++]!;
      consumers.set(child, [...(consumers.get(child) ?? []), top[0]]);
      if (!seen.has(child)) {
        seen.add(child);
        stack.push([child, 0]);
      }
    } else {
      order.push(top[0]);
      stack.pop();
    }
  }
  const label = (t: Tensor): string | undefined => nameOf.get(t) ?? (t.name !== undefined && t.name !== '' ? t.name : undefined);
  for (const [n, t] of named) {
    if (!seen.has(t)) throw new GraphError(OP, `parameter '${n}' was not used to compute the loss`);
  }
  if (label(loss) === undefined) nameOf.set(loss, 'E');

  const paramSet = new Set(named.map(([, t]) => t));
  const shown = order.filter((t) => !paramSet.has(t) && label(t) !== undefined && t.size === 1);
  // net inputs: the single input of an activation, where it or the activation's output is named
  const nets: { net: Tensor; act: Tensor }[] = [];
  for (const t of order) {
    const op = t.node?.op.name;
    if (op === undefined || !ACTIVATIONS.has(op) || t.node!.inputs.length !== 1) continue;
    const net = t.node!.inputs[0]!;
    if (net.size === 1 && net.requiresGrad && (label(net) !== undefined || label(t) !== undefined)) nets.push({ net, act: t });
  }
  // output layer first (fewest steps from the loss), then in forward order, as the lecture lists them
  const dist = new Map<Tensor, number>([[loss, 0]]);
  for (const queue = [loss]; queue.length > 0;) {
    const t = queue.shift()!;
    for (const i of t.node?.inputs ?? []) {
      if (!dist.has(i)) {
        dist.set(i, dist.get(t)! + 1);
        queue.push(i);
      }
    }
  }
  const position = new Map(order.map((t, i) => [t, i]));
  nets.sort((a, b) => dist.get(a.net)! - dist.get(b.net)! || position.get(a.net)! - position.get(b.net)!);

  const wanted = [...named.map(([, t]) => t), ...shown.filter((t) => t.requiresGrad), ...nets.map((n) => n.net)];
  const grads = gradOf(loss, wanted, { retainGraph: true, allowUnused: true }, OP).map((g) => g.item());
  const gradOfNode = new Map<Tensor, number>();
  wanted.forEach((t, i) => gradOfNode.set(t, grads[i]!));

  const forward: StepTableNode[] = shown.map((t) => ({
    name: label(t)!,
    formula: t.node === null ? 'input' : formula(t, label, true),
    value: t.item(),
    grad: gradOfNode.get(t) ?? null,
  }));
  const deltas: StepTableDelta[] = nets.map(({ net, act }) => {
    const netName = label(net) ?? `net input of ${label(act)!}`;
    const key = label(net) ?? label(act)!;
    return { name: deltaNames[key] ?? `δ(${key})`, netInput: netName, activation: act.node!.op.name, value: -gradOfNode.get(net)! };
  });
  const rows: StepTableParam[] = named.map(([name, t]) => {
    const g = gradOfNode.get(t)!;
    const value = t.item();
    // computed in the parameter's dtype, like an optimizer step would
    const updated = noGrad(() => t.sub(g * lr).item());
    return { name, value, grad: g, change: -lr * g, updated };
  });
  const table: StepTable = {
    lr,
    loss: loss.item(),
    convention: CONVENTION,
    forward,
    deltas,
    params: rows,
    toText: () => renderText(table, digits),
    toMarkdown: () => renderMarkdown(table, digits),
    toLatex: () => renderLatex(table, digits),
    toString: () => renderText(table, digits),
  };
  return table;
}

function paramList(params: unknown): [string, Tensor][] {
  let list: [string, unknown][];
  if (Array.isArray(params)) {
    list = params.map((t: unknown, i) => [t instanceof Tensor && t.name !== undefined && t.name !== '' ? t.name : `p${i}`, t]);
  } else if (params !== null && typeof params === 'object' && !(params instanceof Tensor)) {
    list = Object.entries(params as Record<string, unknown>);
  } else {
    throw new ArgumentError(OP, `argument 'params' must be an array of named scalar Tensors or a record { name: Tensor }, got ${describeArgument(params)}`);
  }
  if (list.length === 0) throw new ArgumentError(OP, `argument 'params' must name at least one parameter, got ${describeArgument(params)}`);
  return list.map(([n, t]) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(OP, `argument 'params': '${n}' must be a Tensor, got ${describeArgument(t)}`);
    if (t.size !== 1) throw new ArgumentError(OP, `argument 'params': '${n}' must be a scalar (a network of named scalars), got shape [${t.shape.join(', ')}]`);
    if (!t.requiresGrad) throw new GraphError(OP, `parameter '${n}' does not require grad`);
    return [n, t];
  });
}

function recordOf(what: string, v: unknown): Record<string, Tensor> {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.values(v).every((t) => t instanceof Tensor)) {
    throw new ArgumentError(OP, `option '${what}' must be a record of Tensors such as { a1, y3 }, got ${describeArgument(v)}`);
  }
  return v as Record<string, Tensor>;
}

// ------------------------------------------------------------------------------ formulas

const INFIX: Record<string, [string, number]> = { add: [' + ', 1], sub: [' - ', 1], mul: ['*', 2], div: ['/', 2] };

/** The expression of `t` in terms of named nodes, constants and op names (stops at named nodes). */
function formula(t: Tensor, label: (t: Tensor) => string | undefined, top: boolean, depth = 0): string {
  return expr(t, label, top, depth)[0];
}

function expr(t: Tensor, label: (t: Tensor) => string | undefined, top: boolean, depth: number): [string, number] {
  const name = label(t);
  if (!top && name !== undefined) return [name, 9];
  const node = t.node;
  if (node === null) return [t.size === 1 ? String(Number(t.item().toPrecision(6))) : `[${t.shape.join('×')}]`, 9];
  if (depth > 8) return ['…', 9];
  const op = node.op.name;
  const args = node.inputs.map((i) => expr(i, label, false, depth + 1));
  const infix = INFIX[op];
  if (infix !== undefined && args.length === 2) {
    const [sym, prec] = infix;
    const left = args[0]![1] < prec ? `(${args[0]![0]})` : args[0]![0];
    const right = args[1]![1] < prec || (args[1]![1] === prec && (op === 'sub' || op === 'div')) ? `(${args[1]![0]})` : args[1]![0];
    return [`${left}${sym}${right}`, prec];
  }
  if (op === 'neg' && args.length === 1) return [`-${args[0]![1] < 9 ? `(${args[0]![0]})` : args[0]![0]}`, 3];
  if (op === 'square' && args.length === 1) return [`${args[0]![1] < 9 ? `(${args[0]![0]})` : args[0]![0]}^2`, 4];
  return [`${op}(${args.map((a) => a[0]).join(', ')})`, 9];
}

// ------------------------------------------------------------------------------ rendering

function fmt(v: number | null, digits: number): string {
  if (v === null) return '';
  if (v === 0 || !Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 0.1) return v.toFixed(digits);
  return v.toPrecision(Math.max(1, digits - 1));
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `  ${r.map((s, c) => s.padEnd(widths[c]!)).join('   ')}`.trimEnd());
}

function renderText(t: StepTable, d: number): string {
  const out = [`One gradient-descent step: E = ${fmt(t.loss, d)}, learning rate η = ${t.lr}`, `Convention: ${t.convention}`, '', 'Forward pass'];
  out.push(...pad([['node', 'formula', 'value', '∂E/∂node'], ...t.forward.map((n) => [n.name, n.formula, fmt(n.value, d), fmt(n.grad, d)])]));
  if (t.deltas.length > 0) {
    out.push('', 'Delta terms (δ = -∂E/∂net)');
    out.push(...pad([['delta', 'net input', 'activation', 'value'], ...t.deltas.map((x) => [x.name, x.netInput, x.activation, fmt(x.value, d)])]));
  }
  out.push('', `Gradients and updated weights (w_new = w - ${t.lr}·∂E/∂w)`);
  out.push(...pad([['weight', 'old', '∂E/∂w', 'change', 'new'], ...t.params.map((p) => [p.name, fmt(p.value, d), fmt(p.grad, d), fmt(p.change, d), fmt(p.updated, d)])]));
  return out.join('\n');
}

function mdTable(head: string[], rows: string[][]): string[] {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)];
}

function renderMarkdown(t: StepTable, d: number): string {
  const out = [`**One gradient-descent step**: E = ${fmt(t.loss, d)}, learning rate η = ${t.lr}.`, '', `Convention: ${t.convention}.`, '', '**Forward pass**', ''];
  out.push(...mdTable(['node', 'formula', 'value', '∂E/∂node'], t.forward.map((n) => [n.name, n.formula === 'input' ? 'input' : `\`${n.formula}\``, fmt(n.value, d), fmt(n.grad, d)])));
  if (t.deltas.length > 0) {
    out.push('', '**Delta terms** (δ = -∂E/∂net)', '');
    out.push(...mdTable(['delta', 'net input', 'activation', 'value'], t.deltas.map((x) => [x.name, x.netInput, x.activation, fmt(x.value, d)])));
  }
  out.push('', `**Gradients and updated weights** (w_new = w - ${t.lr}·∂E/∂w)`, '');
  out.push(...mdTable(['weight', 'old', '∂E/∂w', 'change', 'new'], t.params.map((p) => [p.name, fmt(p.value, d), fmt(p.grad, d), fmt(p.change, d), fmt(p.updated, d)])));
  return out.join('\n');
}

/** A name as LaTeX math: w13 → w_{13}, δ(a3) → \delta_{a_{3}}, δ5 → \delta_{5}. */
function texName(s: string): string {
  if (/^\d+$/.test(s)) return s;
  const m = /^([A-Za-z]+)(\d+)$/.exec(s);
  if (m !== null) return `${m[1]}_{${m[2]}}`;
  const d = /^δ(?:\((.+)\)|(.+))$/.exec(s);
  if (d !== null) return `\\delta_{${texName(d[1] ?? d[2]!)}}`;
  return `\\mathrm{${s.replace(/([_{}&%$#])/g, '\\$1')}}`;
}

function texFormula(f: string): string {
  return f
    .replace(/([A-Za-z]+)(\d+)/g, '$1_{$2}')
    .replace(/\*/g, ' \\cdot ')
    .replace(/\b(sigmoid|tanh|relu|exp|log|softmax)\(/g, '\\$1(')
    .replace(/\\(sigmoid|relu|softmax)\(/g, '\\operatorname{$1}(');
}

function renderLatex(t: StepTable, d: number): string {
  const num = (v: number | null) => (v === null ? '' : `$${fmt(v, d)}$`);
  const out = [
    `% One gradient-descent step: E = ${fmt(t.loss, d)}, learning rate ${t.lr}`,
    `% Convention: δ_j = -∂E/∂net_j; w_new = w - η ∂E/∂w`,
    '\\begin{tabular}{llrr}',
    '\\hline',
    'node & formula & value & $\\partial E / \\partial \\cdot$ \\\\',
    '\\hline',
    ...t.forward.map((n) => `$${texName(n.name)}$ & ${n.formula === 'input' ? 'input' : `$${texFormula(n.formula)}$`} & ${num(n.value)} & ${num(n.grad)} \\\\`),
    '\\hline',
    '\\end{tabular}',
  ];
  if (t.deltas.length > 0) {
    out.push(
      '',
      '\\begin{tabular}{llr}',
      '\\hline',
      'delta ($\\delta_j = -\\partial E / \\partial \\mathrm{net}_j$) & net input & value \\\\',
      '\\hline',
      ...t.deltas.map((x) => `$${texName(x.name)}$ & $${texName(x.netInput)}$ & ${num(x.value)} \\\\`),
      '\\hline',
      '\\end{tabular}',
    );
  }
  out.push(
    '',
    '\\begin{tabular}{lrrrr}',
    '\\hline',
    `weight & old & $\\partial E / \\partial w$ & $-\\eta\\,\\partial E / \\partial w$ ($\\eta = ${t.lr}$) & new \\\\`,
    '\\hline',
    ...t.params.map((p) => `$${texName(p.name)}$ & ${num(p.value)} & ${num(p.grad)} & ${num(p.change)} & ${num(p.updated)} \\\\`),
    '\\hline',
    '\\end{tabular}',
  );
  return out.join('\n');
}
