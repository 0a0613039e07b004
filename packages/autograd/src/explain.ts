/**
 * Views of a recorded graph for people: a Graphviz DOT export and a chain-rule explanation that
 * lists, for every node, its value and the gradient of the output with respect to it — the delta
 * terms of a hand-worked backprop table.
 */
import { grad } from './autodiff.ts';
import { ArgumentError } from './errors.ts';
import { checkBoolean, checkOptions, describe } from './shape.ts';
import { Tensor } from './tensor.ts';

function checkOutput(op: string, output: unknown): asserts output is Tensor {
  if (!(output instanceof Tensor)) throw new ArgumentError(op, `argument 'output' must be a Tensor, got ${describe(output)}`);
}

function label(t: Tensor, ids: Map<Tensor, string>): string {
  if (t.name !== undefined) return t.name;
  let id = ids.get(t);
  if (id === undefined) {
    id = t.node === null ? `c${ids.size}` : `${t.node.op.name}#${ids.size}`;
    ids.set(t, id);
  }
  return id;
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

/** The graph behind `output` in Graphviz DOT, with names, ops and scalar values. */
export function toDot(output: Tensor): string {
  checkOutput('toDot', output);
  const ids = new Map<Tensor, string>();
  const lines = ['digraph memograd {', '  rankdir=LR;'];
  for (const t of topologicalOrder(output)) {
    const name = label(t, ids);
    const op = t.node ? `${t.node.op.name} ` : '';
    lines.push(`  "${name}" [label="${name}\\n${op}${fmt(t)}"${t.node ? '' : ', shape=box'}];`);
    for (const input of t.node?.inputs ?? []) lines.push(`  "${label(input, ids)}" -> "${name}";`);
  }
  lines.push('}');
  return lines.join('\n');
}

export interface ExplainRow {
  name: string;
  op: string | null;
  value: string;
  /** d output / d this node, computed by the tape (the adjoint, or "delta"). */
  gradient: string;
}

/**
 * Explains a scalar output's gradient: for every named tensor (or every tensor with `all`), its
 * value and d(output)/d(tensor), each adjoint computed once by the tape and reused by every path.
 * Does not touch `.grad`; the graph is retained.
 */
export function explain(output: Tensor, options?: { all?: boolean }): ExplainRow[] {
  checkOutput('explain', output);
  const all = checkBoolean('explain', 'all', checkOptions('explain', options, ['all']).all, false);
  const ids = new Map<Tensor, string>();
  const nodes = topologicalOrder(output).filter((t) => t.requiresGrad && (all || t.name !== undefined));
  const grads = nodes.length ? grad(output, nodes, { retainGraph: true, allowUnused: true }) : [];
  return nodes.map((t, i) => ({ name: label(t, ids), op: t.node ? t.node.op.name : null, value: fmt(t), gradient: fmt(grads[i]!) }));
}
