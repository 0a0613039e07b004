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
 * deep chains; the order here is computed with an explicit stack instead.
 */
import { AnomalyError, DTypeError, GraphError, ShapeError } from './errors.ts';
import type { OpDef } from './ops/define.ts';
import { formatShape, shapesEqual, sizeOf } from './shape.ts';
import type { Tensor } from './tensor.ts';

/** What an op records on its output when any input requires a gradient. */
export class Node {
  // A view of what an op recorded on its output tensor. The record itself lives in the tensor's
  // fields, so a recorded op keeps one object alive rather than two: graphs of many small ops are
  // bound by the garbage collector's work on the objects that survive until backward.
  constructor(private readonly t: Tensor) {}
  get op(): OpDef<any> {
    return this.t._op!;
  }
  get inputs(): readonly Tensor[] {
    return this.t._inputs;
  }
  get params(): unknown {
    return this.t._params;
  }
  /** True after a backward pass released it (unless `retainGraph` was set). */
  get released(): boolean {
    return this.t._released;
  }
}

/** The inputs of a leaf or of a released record. */
export const NO_INPUTS: readonly Tensor[] = Object.freeze([]) as readonly Tensor[];

let gradEnabled = true;
let anomalyEnabled = false;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording anything on the tape (like `torch.no_grad()`). */
export function noGrad<T>(fn: () => T): T {
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
  const prev = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/**
 * Anomaly mode: every op's forward output and every backward rule's gradients are checked for
 * NaN and infinity, and the first op to produce one is named in an `AnomalyError`.
 * `detectAnomaly(fn)` turns it on for the duration of `fn`; `setDetectAnomaly(on)` globally.
 */
export function detectAnomaly<T>(fn: () => T): T {
  const prev = anomalyEnabled;
  anomalyEnabled = true;
  try {
    return fn();
  } finally {
    anomalyEnabled = prev;
  }
}

export function setDetectAnomaly(on: boolean): void {
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
  sumTo(g: Tensor, shape: readonly number[]): Tensor;
  add(a: Tensor, b: Tensor): Tensor;
  onesLike(t: Tensor): Tensor;
  detach(t: Tensor): Tensor;
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
  if (inputs.length > 1) {
    const dtype = inputs[0]!.dtype;
    for (let i = 1; i < inputs.length; i++) {
      if (inputs[i]!.dtype !== dtype) {
        throw new DTypeError(
          op.name,
          `cannot mix ${dtype} and ${inputs[i]!.dtype} inputs (${inputName(op, 0, inputs[0])} and ${inputName(op, i, inputs[i])}); ` +
            `convert one with .to('${inputs[i]!.dtype}') or .to('${dtype}')`,
        );
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
  if (gradEnabled && op.differentiable !== false) {
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i]!.requiresGrad) {
        out.requiresGrad = true;
        out._op = op;
        out._inputs = inputs;
        out._params = params;
        break;
      }
    }
  }
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

export interface BackwardOptions {
  /** Keep the graph after the pass so that backward can run through it again. */
  retainGraph?: boolean;
  /** Record the backward rules themselves, so the gradients can be differentiated again. */
  createGraph?: boolean;
}

let epoch = 0;

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
  const retainGraph = options.retainGraph ?? createGraph;
  const mark = ++epoch;

  // 1. Reverse topological order by an explicit-stack depth-first search (no recursion).
  const order: Tensor[] = [];
  const stack: Tensor[] = [];
  const next: number[] = [];
  for (const root of roots) {
    if (root._mark === mark || !root.requiresGrad) continue;
    root._mark = mark;
    stack.push(root);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const t = stack[top]!;
      if (t._released) throw releasedError(t);
      const i = next[top]!;
      const inputs = t._inputs;
      if (i < inputs.length) {
        next[top] = i + 1;
        const input = inputs[i]!;
        if (input.requiresGrad && input._mark !== mark) {
          input._mark = mark;
          stack.push(input);
          next.push(0);
        }
      } else {
        stack.pop();
        next.pop();
        order.push(t);
      }
    }
  }

  const targetSet = targets ? new Set(targets) : null;
  const captured = new Map<Tensor, Tensor>();
  const run = (): void => {
    // 2. Seed the outputs' adjoints.
    for (let r = 0; r < roots.length; r++) {
      const root = roots[r]!;
      if (!root.requiresGrad) continue;
      root._adj = root._adj === null ? seeds[r]! : hooks.add(root._adj, seeds[r]!);
    }
    // 3. Visit each tensor once, consumers before producers.
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k]!;
      let g = t._adj;
      t._adj = null;
      if (g === null) continue;
      if (t._hooks !== undefined) {
        for (const hook of t._hooks) {
          const replaced = hook(g);
          if (replaced !== undefined) g = checkHookGrad(t, g, replaced);
        }
      }
      if (targetSet !== null && targetSet.has(t)) captured.set(t, g);
      const op = t._op;
      if (op === null) {
        if (targetSet === null) {
          const leafGrad = createGraph ? g : hooks.detach(g);
          t.grad = t.grad === null ? leafGrad : hooks.add(t.grad, leafGrad);
        }
        continue;
      }
      if (targetSet === null && t._retainGrad) {
        t.grad = t.grad === null ? hooks.detach(g) : hooks.add(t.grad, hooks.detach(g));
      }
      const inputs = t._inputs;
      const grads = runRule(op, inputs, t._params, g, t);
      if (grads.length !== inputs.length) {
        throw new GraphError(
          'backward',
          `rule for '${op.name}' returned ${grads.length} gradients for ${inputs.length} inputs`,
        );
      }
      for (let i = 0; i < grads.length; i++) {
        const input = inputs[i]!;
        let gi = grads[i];
        if (!input.requiresGrad || gi === null || gi === undefined) continue;
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
        input._adj = input._adj === null ? gi : hooks.add(input._adj, gi);
      }
      if (!retainGraph) {
        // the op stays on the tensor (for messages and views); inputs and params are dropped
        t._released = true;
        t._inputs = NO_INPUTS;
        t._params = undefined;
      }
    }
  };
  try {
    if (createGraph) enableGradDuring(run);
    else noGrad(run);
  } finally {
    for (const t of order) t._adj = null;
  }
  return targets ? targets.map((t) => captured.get(t) ?? null) : [];
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

function enableGradDuring(fn: () => void): void {
  enableGrad(fn);
}

function releasedError(t: Tensor): GraphError {
  return new GraphError(
    'backward',
    `trying to backward through the graph a second time (through '${t._op!.name}'), but its saved values ` +
      `were released after the first backward. Pass { retainGraph: true } to the first backward() or grad() ` +
      `call if you need to go through the graph again`,
  );
}

function checkHookGrad(t: Tensor, g: Tensor, replaced: Tensor): Tensor {
  if (!shapesEqual(replaced.shape, g.shape)) {
    throw new ShapeError(
      'hook',
      `a gradient hook returned shape ${formatShape(replaced.shape)} for a gradient of shape ${formatShape(g.shape)}`,
      [replaced.shape, g.shape],
    );
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
  if (!ok || sizeOf(gs) < sizeOf(shape)) {
    throw new ShapeError(
      'backward',
      `rule for '${op.name}' returned shape ${formatShape(gs)} for input ${i} of shape ${formatShape(shape)}`,
      [gs, shape],
    );
  }
  return hooks.sumTo(g, shape);
}
