/**
 * Evaluates a mathjs parse tree with memograd ops (never `eval`): expressions such as
 * `sigmoid(w*x + b)` and programs of assignments (`a1 = w13*x1 + w23*x2; y3 = sigmoid(a1)`), where
 * every assigned name becomes the name of its tensor in the graph. The same walker evaluates a
 * hand-derived formula on plain numbers.
 */
import { scalar, type Tensor } from '@memograd/autograd';
import { parse, type MathNode } from 'mathjs';

type Value = Tensor | number;

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

/** Functions of one argument: the tensor op and its number twin. */
const FUNCTIONS: Record<string, { tensor: (t: Tensor) => Tensor; number: (v: number) => number }> = {
  sigmoid: { tensor: (t) => t.sigmoid(), number: (v) => 1 / (1 + Math.exp(-v)) },
  tanh: { tensor: (t) => t.tanh(), number: Math.tanh },
  relu: { tensor: (t) => t.relu(), number: (v) => Math.max(0, v) },
  exp: { tensor: (t) => t.exp(), number: Math.exp },
  log: { tensor: (t) => t.log(), number: Math.log },
  sqrt: { tensor: (t) => t.sqrt(), number: Math.sqrt },
  abs: { tensor: (t) => t.abs(), number: Math.abs },
  sin: { tensor: (t) => t.sin(), number: Math.sin },
  cos: { tensor: (t) => t.cos(), number: Math.cos },
  square: { tensor: (t) => t.square(), number: (v) => v * v },
};
export const FUNCTION_NAMES = Object.keys(FUNCTIONS);

const isNum = (v: Value): v is number => typeof v === 'number';
const lift = (v: Value): Tensor => (isNum(v) ? scalar(v, { requiresGrad: false }) : v);

function binary(op: string, a: Value, b: Value): Value {
  if (isNum(a) && isNum(b)) {
    switch (op) {
      case 'add': return a + b;
      case 'subtract': return a - b;
      case 'multiply': return a * b;
      case 'divide': return a / b;
      case 'pow': return a ** b;
    }
  }
  switch (op) {
    case 'add': return isNum(a) ? lift(b).add(a) : a.add(b);
    case 'subtract': return lift(a).sub(b);
    case 'multiply': return isNum(a) ? lift(b).mul(a) : a.mul(b);
    case 'divide': return lift(a).div(b);
    case 'pow': return b === 2 ? lift(a).square() : lift(a).pow(b);
  }
  throw new Error(`operator '${op}' is not supported (use + - * / ^)`);
}

function walk(node: MathNode, scope: Map<string, Value>, mode: 'tensor' | 'number'): Value {
  const n = node as MathNode & Record<string, any>;
  switch (node.type) {
    case 'ConstantNode':
      if (typeof n.value !== 'number') throw new Error(`only numbers are allowed, got ${String(n.value)}`);
      return n.value;
    case 'SymbolNode': {
      const v = scope.get(n.name) ?? CONSTANTS[n.name];
      if (v === undefined) throw new Error(`unknown variable '${n.name}': give it a value`);
      return v;
    }
    case 'ParenthesisNode':
      return walk(n.content, scope, mode);
    case 'OperatorNode': {
      const args = (n.args as MathNode[]).map((a) => walk(a, scope, mode));
      if (n.fn === 'unaryMinus') return isNum(args[0]!) ? -args[0] : args[0]!.neg();
      if (n.fn === 'unaryPlus') return args[0]!;
      if (args.length !== 2) throw new Error(`operator '${n.op}' is not supported`);
      return binary(n.fn, args[0]!, args[1]!);
    }
    case 'FunctionNode': {
      const name: string = n.fn?.name ?? '';
      const f = FUNCTIONS[name];
      if (!f) throw new Error(`unknown function '${name}' (known: ${FUNCTION_NAMES.join(', ')})`);
      if (n.args.length !== 1) throw new Error(`${name} takes one argument`);
      const a = walk(n.args[0], scope, mode);
      return isNum(a) ? f.number(a) : f.tensor(a);
    }
    case 'AssignmentNode': {
      const name: string = n.object?.name;
      if (n.object?.type !== 'SymbolNode') throw new Error('only assignments to a name are allowed (a1 = ...)');
      let v = walk(n.value, scope, mode);
      if (!isNum(v)) {
        if (v.name !== undefined && v.name !== null && v.name !== '') v = v.mul(1); // a second name: a new node
        v.name = name;
      }
      scope.set(name, v);
      return v;
    }
    case 'BlockNode': {
      let last: Value = 0;
      for (const b of n.blocks as { node: MathNode }[]) last = walk(b.node, scope, mode);
      return last;
    }
  }
  throw new Error(`'${node.toString()}' is not supported here (${node.type})`);
}

export interface Program {
  tree: MathNode;
  /** Free variables in order of first use (not assigned, not functions, not constants). */
  variables: string[];
  /** Names assigned by the program, in order. */
  assigned: string[];
}

/** Parses an expression or a program (statements separated by ';' or new lines). */
export function parseProgram(text: string): Program {
  const tree = parse(text.replace(/\r?\n/g, ';').replace(/;\s*;/g, ';').replace(/^\s*;|;\s*$/g, ''));
  const assigned: string[] = [];
  const variables: string[] = [];
  tree.traverse((node, _path, parent) => {
    const n = node as MathNode & Record<string, any>;
    if (n.type === 'AssignmentNode' && n.object?.type === 'SymbolNode') assigned.push(n.object.name);
    if (n.type === 'SymbolNode') {
      const p = parent as (MathNode & Record<string, any>) | null;
      if (p?.type === 'FunctionNode' && p.fn === node) return;
      if (p?.type === 'AssignmentNode' && p.object === node) return;
      if (n.name in CONSTANTS || variables.includes(n.name) || assigned.includes(n.name)) return;
      variables.push(n.name);
    }
  });
  return { tree, variables, assigned };
}

/** The program's output as a tensor, with the variables given as named tensors. */
export function evaluateTensor(program: Program, inputs: Record<string, Tensor>): Tensor {
  const scope = new Map<string, Value>(Object.entries(inputs));
  const out = walk(program.tree, scope, 'tensor');
  if (isNum(out)) throw new Error('the expression does not depend on any variable');
  return out;
}

/**
 * A hand formula on numbers. `context` (a program) is run first, so the formula may use its
 * intermediate names (y3, y5, ...) computed at the same point.
 */
export function evaluateNumber(formula: MathNode, params: Record<string, number>, context?: Program): number {
  const scope = new Map<string, Value>(Object.entries(params));
  if (context) walk(context.tree, scope, 'number');
  const v = walk(formula, scope, 'number');
  if (!isNum(v)) throw new Error('the formula did not evaluate to a number');
  return v;
}

/** Parses "w = 0.5, x = 2; b=-1" into numbers. */
export function parseValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(/[,;\n]+/)) {
    if (part.trim() === '') continue;
    const m = /^\s*([A-Za-z_][A-Za-z_0-9]*)\s*=\s*(\S+)\s*$/.exec(part);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw new Error(`cannot read '${part.trim()}': write name = number`);
    out[m[1]!] = v;
  }
  return out;
}
