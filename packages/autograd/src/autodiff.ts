/** Gradients as functions: grad(), valueAndGrad(), vjp(), hessian(), and user-defined ops. */
import { apply, runBackward, type BackwardOptions } from './engine.ts';
import { ArgumentError, GraphError } from './errors.ts';
import type { FloatArray } from './dtype.ts';
import type { OpDef, OpTest } from './ops/define.ts';
import { zerosLike } from './ops/creation.ts';
import { stack } from './ops/shape-ops.ts';
import { reshape } from './ops/shape-ops.ts';
import { fromNested, seedFor, Tensor, type NestedArray, type TensorLike } from './tensor.ts';

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
    return (...args: TensorLike[]) => valueAndGrad(f, b as { argnums?: number | number[] })(...args)[1];
  }
  return gradOf(a as Tensor | Tensor[], b as Tensor | Tensor[], c ?? {});
}

function gradOf(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions): Tensor[] {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  ins.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError('grad', `input ${i} is not a Tensor`);
    if (!t.requiresGrad) throw new GraphError('grad', `input ${i}${t.name ? ` ('${t.name}')` : ''} does not require grad`);
  });
  outs.forEach((t, i) => {
    if (!t.requiresGrad) throw new GraphError('grad', `output ${i} does not require grad: it does not depend on any input that requires grad`);
  });
  const seeds = outs.map((o, i) => seedFor(o, options.gradOutputs?.[i], 'grad'));
  const result = runBackward(outs, seeds, options, ins);
  return result.map((g, i) => {
    if (g !== null) return g;
    if (options.allowUnused) return zerosLike(ins[i]!);
    throw new GraphError('grad', `input ${i}${ins[i]!.name ? ` ('${ins[i]!.name}')` : ''} was not used to compute the outputs; pass { allowUnused: true } to get zeros`);
  });
}

function asLeaf(x: TensorLike, i: number): Tensor {
  const t = x instanceof Tensor ? x : seedLike(x, i);
  const leaf = new Tensor(t.data, t.shape, t.dtype);
  leaf.requiresGrad = true;
  if (t.name !== undefined) leaf.name = t.name;
  return leaf;
}

function seedLike(x: TensorLike, i: number): Tensor {
  if (typeof x === 'number') return new Tensor(new Float64Array([x]), [], 'float64');
  // validated like tensor(): a ragged or non-finite array is an error, not a malformed tensor
  if (Array.isArray(x)) return fromNested(x as NestedArray, 'float64', `grad: argument ${i}`);
  throw new ArgumentError('grad', `argument ${i} must be a Tensor, number or nested array`);
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
  return (...args: TensorLike[]) => {
    const argnums = options.argnums === undefined ? args.map((_, i) => i) : typeof options.argnums === 'number' ? [options.argnums] : options.argnums;
    const leaves = args.map((a, i) => (argnums.includes(i) ? asLeaf(a, i) : a instanceof Tensor ? a : seedLike(a, i)));
    const value = f(...leaves);
    if (!(value instanceof Tensor)) throw new ArgumentError('valueAndGrad', 'the function must return a Tensor');
    if (value.size !== 1) throw new GraphError('valueAndGrad', `the function must return a scalar, got shape [${value.shape.join(', ')}]`);
    const targets = argnums.map((i) => leaves[i]!);
    if (!value.requiresGrad) return [value, targets.map((t) => zerosLike(t))];
    return [value.detach(), gradOf(value, targets, { allowUnused: true })];
  };
}

/**
 * The vector-Jacobian product: returns f(...xs) and a function mapping a cotangent v of the
 * output's shape to vᵀJ for each input.
 */
export function vjp(f: (...args: Tensor[]) => Tensor, ...args: TensorLike[]): [Tensor, (v: TensorLike) => Tensor[]] {
  const leaves = args.map(asLeaf);
  const out = f(...leaves);
  return [
    out.detach(),
    (v: TensorLike) => (out.requiresGrad ? gradOf(out, leaves, { gradOutputs: [v], retainGraph: true, allowUnused: true }) : leaves.map((l) => zerosLike(l))),
  ];
}

/**
 * The Hessian of a scalar function of one tensor, shape [...x.shape, ...x.shape], built row by
 * row with gradients of gradients (createGraph).
 */
export function hessian(f: (x: Tensor) => Tensor, x: TensorLike): Tensor {
  const leaf = asLeaf(x, 0);
  const y = f(leaf);
  if (y.size !== 1) throw new GraphError('hessian', `the function must return a scalar, got shape [${y.shape.join(', ')}]`);
  if (!y.requiresGrad) return zerosLike(reshape(leaf.detach(), [leaf.size, leaf.size])).reshape([...leaf.shape, ...leaf.shape]);
  const [g] = gradOf(y, [leaf], { createGraph: true });
  const flat = reshape(g!, [leaf.size]);
  const rows: Tensor[] = [];
  for (let i = 0; i < leaf.size; i++) {
    const seed = new Tensor(leaf.dtype === 'float64' ? new Float64Array(leaf.size) : new Float32Array(leaf.size), [leaf.size], leaf.dtype);
    seed.data[i] = 1;
    const [row] = flat.requiresGrad ? gradOf(flat, [leaf], { gradOutputs: [seed], retainGraph: true, allowUnused: true }) : [zerosLike(leaf)];
    rows.push(row!.detach());
  }
  return reshape(stack(rows), [...leaf.shape, ...leaf.shape]);
}

// ------------------------------------------------------------------ user-defined functions

export interface CustomFunctionSpec<P> {
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
  // The user's forward runs on detached inputs; the op then records its result like any primitive.
  const def: OpDef<{ user: P; result: Tensor }> = {
    name: spec.name,
    inputs: 'variadic',
    shape: (_shapes, p) => p.result.shape.slice(),
    forward: (_inputs, p): FloatArray => p.result.data,
    backward: ({ grad, inputs, out, params }) => spec.backward({ grad, inputs, out, params: params.user }),
    test: null,
  };
  return (inputs, params) => {
    const result = spec.forward(inputs.map((t) => t.detach()), params as P);
    if (!(result instanceof Tensor)) throw new ArgumentError(spec.name, 'forward must return a Tensor');
    return apply(def, inputs, { user: params as P, result });
  };
}
