/** Gradients as functions: grad(), valueAndGrad(), vjp(), hessian(), and user-defined ops. */
import { apply, checkBackwardOptions, shareVersion, describeArgument, runBackward, type BackwardOptions } from './engine.ts';
import { ArgumentError, GraphError } from './errors.ts';
import type { FloatArray } from './dtype.ts';
import type { OpDef, OpTest } from './ops/define.ts';
import { zerosLike } from './ops/creation.ts';
import { stack } from './ops/shape-ops.ts';
import { reshape } from './ops/shape-ops.ts';
import { fromNested, seedFor, Tensor, type NestedArray, type TensorLike } from './tensor.ts';

/** Options of `grad` and `valueAndGrad` (like `torch.autograd.grad`'s keyword arguments). */
export interface GradOptions extends BackwardOptions {
  /** Seed gradients for non-scalar outputs, one per output. */
  gradOutputs?: readonly (TensorLike | undefined)[];
  /** Return zeros instead of null for inputs the outputs do not depend on. */
  allowUnused?: boolean;
}

/**
 * Gradients of `outputs` with respect to `inputs`, returned instead of written to `.grad` (PyTorch's
 * `torch.autograd.grad`). With `createGraph` the result is itself differentiable.
 * An input the outputs do not depend on gives an error, or zeros with `allowUnused`.
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options?: GradOptions): Tensor[];
/** The function transform: `grad(f)(x, y)` returns [df/dx, df/dy] for a scalar-valued f. */
export function grad(f: (...args: Tensor[]) => Tensor, options?: { argnums?: number | number[] }): (...args: TensorLike[]) => Tensor[];
export function grad(a: unknown, b?: unknown, c?: GradOptions): unknown {
  if (typeof a === 'function') {
    const f = a as (...args: Tensor[]) => Tensor;
    checkArgnumsOption('grad', b);
    return (...args: TensorLike[]) => valueAndGradOf('grad', f, (b ?? {}) as { argnums?: number | number[] }, args)[1];
  }
  return gradOf(a, b, c === undefined ? {} : c, 'grad');
}

/** A Tensor or a non-empty array of Tensors, as a fresh array (`what` names the argument). */
function tensorList(op: string, what: string, value: unknown): Tensor[] {
  if (value instanceof Tensor) return [value];
  if (!Array.isArray(value) || value.length === 0) {
    throw new ArgumentError(op, `argument '${what}' must be a Tensor or a non-empty array of Tensors, got ${describeArgument(value)}`);
  }
  return value.map((t: unknown, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(op, `argument '${what}': element ${i} must be a Tensor, got ${describeArgument(t)}`);
    return t;
  });
}

/** @internal */
export function gradOf(outputs: unknown, inputs: unknown, options: GradOptions, op: string): Tensor[] {
  const outs = tensorList(op, 'outputs', outputs);
  const ins = tensorList(op, 'inputs', inputs);
  checkBackwardOptions(op, options);
  const gradOutputs: unknown = options.gradOutputs;
  if (gradOutputs !== undefined && (!Array.isArray(gradOutputs) || gradOutputs.length > outs.length)) {
    throw new ArgumentError(
      op,
      `option 'gradOutputs' must be an array of at most ${outs.length} gradients (one per output), got ${describeArgument(gradOutputs)}`,
    );
  }
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new GraphError(op, `input ${i}${t.name ? ` ('${t.name}')` : ''} does not require grad`);
  });
  outs.forEach((t, i) => {
    if (!t.requiresGrad) throw new GraphError(op, `output ${i} does not require grad: it does not depend on any input that requires grad`);
  });
  const seeds = outs.map((o, i) => seedFor(o, options.gradOutputs?.[i], op));
  const result = runBackward(outs, seeds, options, ins);
  return result.map((g, i) => {
    if (g !== null) return g;
    if (options.allowUnused) return zerosLike(ins[i]!);
    throw new GraphError(op, `input ${i}${ins[i]!.name ? ` ('${ins[i]!.name}')` : ''} was not used to compute the outputs; pass { allowUnused: true } to get zeros`);
  });
}

/** @internal */
export function checkFn(op: string, f: unknown): void {
  if (typeof f !== 'function') throw new ArgumentError(op, `argument 'f' must be a function, got ${describeArgument(f)}`);
}

function checkArgnumsOption(op: string, options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError(op, `argument 'options' must be an object such as { argnums: 0 }, got ${describeArgument(options)}`);
  }
  const argnums: unknown = (options as { argnums?: unknown }).argnums;
  const list = typeof argnums === 'number' ? [argnums] : argnums;
  if (argnums !== undefined && (!Array.isArray(list) || !list.every((i: unknown) => Number.isInteger(i) && (i as number) >= 0))) {
    throw new ArgumentError(op, `option 'argnums' must be a non-negative integer or an array of them, got ${describeArgument(argnums)}`);
  }
}

/** The output of a user function, checked to be a Tensor (`op` names the transform). */
/** @internal */
export function checkOutput(op: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) throw new ArgumentError(op, `the function 'f' must return a Tensor, got ${describeArgument(value)}`);
  return value;
}

/** @internal */
export function asLeaf(x: TensorLike, i: number, op = 'grad'): Tensor {
  const t = x instanceof Tensor ? x : seedLike(x, i, op);
  const leaf = new Tensor(t.data, t.shape, t.dtype);
  shareVersion(t, leaf);
  leaf.requiresGrad = true;
  if (t.name !== undefined) leaf.name = t.name;
  return leaf;
}

function seedLike(x: TensorLike, i: number, op = 'grad'): Tensor {
  if (typeof x === 'number') return new Tensor(new Float64Array([x]), [], 'float64');
  // validated like tensor(): a ragged or non-finite array is an error, not a malformed tensor
  if (Array.isArray(x)) return fromNested(x as NestedArray, 'float64', `${op}: argument ${i}`);
  throw new ArgumentError(op, `argument ${i} must be a Tensor, number or nested array, got ${describeArgument(x)}`);
}

/**
 * The function transform returning both f's value and its gradients:
 * `const [loss, [dw, db]] = valueAndGrad(f)(w, b)`. Arguments are treated as fresh leaves (the
 * originals are not modified); numbers and arrays become float64 tensors.
 */
export function valueAndGrad(
  f: (...args: Tensor[]) => Tensor,
  options: { argnums?: number | number[] } = {},
): (...args: TensorLike[]) => [Tensor, Tensor[]] {
  checkFn('valueAndGrad', f);
  checkArgnumsOption('valueAndGrad', options);
  return (...args: TensorLike[]) => valueAndGradOf('valueAndGrad', f, options ?? {}, args);
}

function valueAndGradOf(
  op: string,
  f: (...args: Tensor[]) => Tensor,
  options: { argnums?: number | number[] },
  args: TensorLike[],
): [Tensor, Tensor[]] {
  const argnums = options.argnums === undefined ? args.map((_, i) => i) : typeof options.argnums === 'number' ? [options.argnums] : options.argnums;
  for (const i of argnums) {
    if (i >= args.length) throw new ArgumentError(op, `option 'argnums' names argument ${i}, but the function was called with ${args.length}`);
  }
  const leaves = args.map((a, i) => (argnums.includes(i) ? asLeaf(a, i, op) : a instanceof Tensor ? a : seedLike(a, i, op)));
  const value = checkOutput(op, f(...leaves));
  if (value.size !== 1) throw new GraphError(op, `the function must return a scalar, got shape [${value.shape.join(', ')}]`);
  const targets = argnums.map((i) => leaves[i]!);
  if (!value.requiresGrad) return [value, targets.map((t) => zerosLike(t))];
  return [value.detach(), gradOf(value, targets, { allowUnused: true }, op)];
}

/**
 * The vector-Jacobian product: returns f(...xs) and a function mapping a cotangent v of the
 * output's shape to vᵀJ for each input.
 */
export function vjp(f: (...args: Tensor[]) => Tensor, ...args: TensorLike[]): [Tensor, (v: TensorLike) => Tensor[]] {
  checkFn('vjp', f);
  const leaves = args.map((a, i) => asLeaf(a, i, 'vjp'));
  const out = checkOutput('vjp', f(...leaves));
  return [
    out.detach(),
    (v: TensorLike) => {
      if (out.requiresGrad) return gradOf(out, leaves, { gradOutputs: [v], retainGraph: true, allowUnused: true }, 'vjp');
      seedFor(out, v, 'vjp'); // the cotangent is checked even when nothing depends on the inputs
      return leaves.map((l) => zerosLike(l));
    },
  ];
}

/**
 * The Hessian of a scalar function of one tensor, shape [...x.shape, ...x.shape], built row by
 * row with gradients of gradients (createGraph).
 */
export function hessian(f: (x: Tensor) => Tensor, x: TensorLike): Tensor {
  checkFn('hessian', f);
  const leaf = asLeaf(x, 0, 'hessian');
  const y = checkOutput('hessian', f(leaf));
  if (y.size !== 1) throw new GraphError('hessian', `the function must return a scalar, got shape [${y.shape.join(', ')}]`);
  if (!y.requiresGrad) return zerosLike(reshape(leaf.detach(), [leaf.size, leaf.size])).reshape([...leaf.shape, ...leaf.shape]);
  const [g] = gradOf(y, [leaf], { createGraph: true }, 'hessian');
  // an empty x has an empty Hessian (PyTorch's hessian of a function of tensor([]) has shape [0, 0])
  if (leaf.size === 0) return zerosLike(reshape(leaf.detach(), [0, 0])).reshape([...leaf.shape, ...leaf.shape]);
  const flat = reshape(g!, [leaf.size]);
  const rows: Tensor[] = [];
  for (let i = 0; i < leaf.size; i++) {
    const seed = new Tensor(leaf.dtype === 'float64' ? new Float64Array(leaf.size) : new Float32Array(leaf.size), [leaf.size], leaf.dtype);
    seed.data[i] = 1;
    const [row] = flat.requiresGrad ? gradOf(flat, [leaf], { gradOutputs: [seed], retainGraph: true, allowUnused: true }, 'hessian') : [zerosLike(leaf)];
    rows.push(row!.detach());
  }
  return reshape(stack(rows), [...leaf.shape, ...leaf.shape]);
}

// ------------------------------------------------------------------ user-defined functions

/** The forward and backward of a user-defined op (like a `torch.autograd.Function`). */
export interface CustomFunctionSpec<P> {
  /** The op's name, shown in graphs and error messages. */
  name: string;
  /** Computes the output from the inputs' values (it sees plain tensors; nothing is recorded). */
  forward(inputs: readonly Tensor[], params: P): Tensor;
  /** Returns one gradient per input (or null) from the output's gradient, with Tensor ops. */
  backward(args: { grad: Tensor; inputs: readonly Tensor[]; out: Tensor; params: P }): readonly (Tensor | null)[];
  /** Optional sampling description, to run it through the same property tests as built-in ops. */
  test?: OpTest<P>;
}

/**
 * Defines a differentiable function from a forward and a backward rule (PyTorch's
 * `torch.autograd.Function`). Verify the backward with `gradcheck` (and `gradgradcheck` if
 * it is written with differentiable ops).
 *
 * @example
 * const cube = customFunction({ name: 'cube', forward: ([x]) => x.mul(x).mul(x),
 *   backward: ({ grad, inputs: [x] }) => [grad.mul(x.mul(x)).mul(3)] });
 */
export function customFunction<P = undefined>(spec: CustomFunctionSpec<P>): (inputs: readonly Tensor[], params?: P) => Tensor {
  checkSpec(spec);
  const name = spec.name;
  // The user's forward runs on detached inputs; the op then records its result like any primitive.
  // (It saves everything for backward, the default: the engine cannot know what the rule reads.)
  const def: OpDef<{ user: P; result: Tensor }> = {
    name,
    inputs: 'variadic',
    shape: (_shapes, p) => p.result.shape.slice(),
    forward: (_inputs, p): FloatArray => p.result.data,
    // the engine checks what it returns (an array of one Tensor or null per input, shapes, dtypes)
    backward: ({ grad, inputs, out, params }) => spec.backward({ grad, inputs, out, params: params.user }),
    test: null,
  };
  return (inputs, params) => {
    if (!Array.isArray(inputs)) throw new ArgumentError(name, `argument 'inputs' must be an array of Tensors, got ${describeArgument(inputs)}`);
    inputs.forEach((t: unknown, i) => {
      if (!(t instanceof Tensor)) throw new ArgumentError(name, `argument 'inputs': element ${i} must be a Tensor, got ${describeArgument(t)}`);
    });
    const result: unknown = spec.forward(inputs.map((t) => t.detach()), params as P);
    if (!(result instanceof Tensor)) throw new ArgumentError(name, `forward must return a Tensor, got ${describeArgument(result)}`);
    return apply(def, inputs, { user: params as P, result });
  };
}

function checkSpec(spec: unknown): void {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ArgumentError('customFunction', `argument 'spec' must be an object { name, forward, backward }, got ${describeArgument(spec)}`);
  }
  const { name, forward, backward } = spec as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') {
    throw new ArgumentError('customFunction', `spec.name must be a non-empty string, ${got(name)}`);
  }
  if (typeof forward !== 'function') throw new ArgumentError('customFunction', `spec.forward of '${name}' must be a function, ${got(forward)}`);
  if (typeof backward !== 'function') throw new ArgumentError('customFunction', `spec.backward of '${name}' must be a function, ${got(backward)}`);
}

/** 'got <value>', or 'but it is missing' for a key the spec does not have. */
function got(v: unknown): string {
  return v === undefined ? 'but it is missing' : `got ${describeArgument(v)}`;
}
