/**
 * Jacobians and Jacobian/Hessian-vector products, with PyTorch's `torch.autograd.functional` and
 * JAX's semantics: jacobian() (reverse mode, row by row), jvp() and jacfwd() (forward mode),
 * hvp() and vhp().
 *
 * Forward mode is built from reverse mode with the double-vjp construction, not from per-op
 * forward (tangent) rules: for a dummy cotangent u, g(u) = uᵀJ is recorded with createGraph, and g
 * is linear in u, so d/du [g(u)·v] = J·v. Every op then gets forward mode from the backward rules
 * it already has (which gradgradcheck verifies), so no op needs a second rule to keep in step and
 * user-defined ops (customFunction) get it for free. The price is one extra backward pass per
 * product (PyTorch's functional.jvp makes the same choice); for small coursework graphs it is
 * irrelevant, and jacfwd reuses the recorded g(u) for every column.
 */
import { enableGrad, describeArgument } from './engine.ts';
import { ArgumentError, GraphError, ShapeError } from './errors.ts';
import { asLeaf, checkFn, checkOutput, gradOf } from './autodiff.ts';
import { formatShape } from './shape.ts';
import { Tensor, toTensor, type TensorLike } from './tensor.ts';
import type { DType } from './dtype.ts';

/** Several inputs: a non-empty array of Tensors (a nested number array is one input). */
type Inputs = Tensor | readonly Tensor[];

function isTuple(x: unknown): x is readonly Tensor[] {
  return Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof Tensor);
}

/** Fresh differentiable leaves for the inputs, and whether they came as a tuple. */
function leavesOf(op: string, x: unknown): { leaves: Tensor[]; tuple: boolean } {
  if (x === undefined) throw new ArgumentError(op, `argument 'x' must be a Tensor, number, nested array or array of Tensors, got undefined`);
  if (isTuple(x)) return { leaves: x.map((t, i) => asLeaf(t, i, op)), tuple: true };
  if (!(x instanceof Tensor) && typeof x !== 'number' && !Array.isArray(x)) {
    throw new ArgumentError(op, `argument 'x' must be a Tensor, number, nested array or array of Tensors, got ${describeArgument(x)}`);
  }
  return { leaves: [asLeaf(x as TensorLike, 0, op)], tuple: false };
}

function zerosOf(shape: readonly number[], dtype: DType): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(dtype === 'float64' ? new Float64Array(n) : new Float32Array(n), shape.slice(), dtype);
}

function oneHot(shape: readonly number[], dtype: DType, i: number): Tensor {
  const t = zerosOf(shape, dtype);
  t.data[i] = 1;
  return t;
}

/** The tangents `v`, one per input, each converted and checked against its input's shape. */
function tangentsOf(op: string, v: unknown, leaves: readonly Tensor[], tuple: boolean): Tensor[] {
  if (v === undefined || v === null) {
    // like PyTorch: v may be left out when the single input has one element
    if (!tuple && leaves[0]!.size === 1) return [oneHot(leaves[0]!.shape, leaves[0]!.dtype, 0)];
    throw new ArgumentError(op, `argument 'v' is required unless x is a single one-element tensor, got ${describeArgument(v)}`);
  }
  const list: unknown[] = tuple ? (Array.isArray(v) ? v : [v]) : [v];
  if (list.length !== leaves.length) {
    throw new ArgumentError(op, `argument 'v' must hold one tangent per input (${leaves.length}), got ${describeArgument(v)}`);
  }
  return leaves.map((x, i) => {
    const what = tuple ? `v[${i}]` : 'v';
    const t = toTensor(list[i] as TensorLike, what, op, x.dtype).detach();
    if (t.shape.length !== x.shape.length || t.shape.some((d, k) => d !== x.shape[k])) {
      throw new ShapeError(op, `argument '${what}' has shape ${formatShape(t.shape)} but the input has shape ${formatShape(x.shape)}`, [t.shape, x.shape]);
    }
    return t.dtype === x.dtype ? t : t.to(x.dtype);
  });
}

/** Rows (or columns) of a Jacobian assembled into one tensor of shape [...outer, ...inner]. */
function assemble(parts: readonly Tensor[], outer: readonly number[], inner: readonly number[], dtype: DType, byColumn: boolean): Tensor {
  const result = zerosOf([...outer, ...inner], dtype);
  const nOuter = outer.reduce((a, b) => a * b, 1);
  const nInner = inner.reduce((a, b) => a * b, 1);
  parts.forEach((p, k) => {
    const d = p.data;
    if (byColumn) for (let i = 0; i < nOuter; i++) result.data[i * nInner + k] = d[i]!;
    else result.data.set(d, k * nInner);
  });
  return result;
}

function scalarOutput(op: string, y: Tensor): void {
  if (y.size !== 1) throw new GraphError(op, `the function must return a scalar, got shape ${formatShape(y.shape)}`);
}

/**
 * The Jacobian of `f` at `x`, in reverse mode (one vector-Jacobian product per output element), as
 * `torch.autograd.functional.jacobian` / `jax.jacrev`. `f` may return any shape; the result has shape
 * `[...out.shape, ...x.shape]`. With an array of Tensors `[x, y]`, `f` is called as `f(x, y)` and
 * the result is one Jacobian per input.
 *
 * @example
 * jacobian((x) => x.softmax(), [1.1, 2.2, 0.2, -1.7]); // [4, 4]: s_i(δ_ij - s_j)
 */
export function jacobian(f: (x: Tensor) => Tensor, x: TensorLike): Tensor;
export function jacobian(f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[]): Tensor[];
export function jacobian(f: unknown, x: unknown): Tensor | Tensor[] {
  const op = 'jacobian';
  checkFn(op, f);
  const { leaves, tuple } = leavesOf(op, x);
  const out = checkOutput(op, enableGrad(() => (f as (...xs: Tensor[]) => Tensor)(...leaves)));
  const rows: Tensor[][] = leaves.map(() => []);
  if (out.requiresGrad && leaves.some((l) => l.size > 0)) {
    for (let i = 0; i < out.size; i++) {
      const gs = gradOf(out, leaves, { gradOutputs: [oneHot(out.shape, out.dtype, i)], retainGraph: true, allowUnused: true }, op);
      gs.forEach((g, k) => rows[k]!.push(g.detach()));
    }
  }
  const result = leaves.map((l, k) => (rows[k]!.length === 0 ? zerosOf([...out.shape, ...l.shape], l.dtype) : assemble(rows[k]!, out.shape, l.shape, l.dtype, false)));
  return tuple ? result : result[0]!;
}

/**
 * g(u) = uᵀJ for a zero cotangent leaf u, recorded with createGraph so that it can be
 * differentiated with respect to u (the double-vjp construction). Entries that do not depend on u
 * (inputs the output ignores) are null.
 */
function linearize(op: string, out: Tensor, leaves: readonly Tensor[]): { u: Tensor; g: (Tensor | null)[] } {
  const u = zerosOf(out.shape, out.dtype);
  u.requiresGrad = true;
  if (!out.requiresGrad) return { u, g: leaves.map(() => null) };
  const g = gradOf(out, leaves, { gradOutputs: [u], createGraph: true, allowUnused: true }, op);
  return { u, g: g.map((t) => (t.requiresGrad ? t : null)) };
}

/** Σ_k d/du [g_k(u)·v_k] = J·v, detached (zeros of u's shape when nothing depends on u). */
function pushForward(op: string, u: Tensor, g: readonly (Tensor | null)[], v: readonly Tensor[]): Tensor {
  const outs: Tensor[] = [];
  const seeds: Tensor[] = [];
  g.forEach((t, k) => {
    if (t !== null) {
      outs.push(t);
      seeds.push(v[k]!.dtype === t.dtype ? v[k]! : v[k]!.to(t.dtype));
    }
  });
  if (outs.length === 0) return zerosOf(u.shape, u.dtype);
  const [r] = gradOf(outs, [u], { gradOutputs: seeds, retainGraph: true, allowUnused: true }, op);
  return r!.detach();
}

/**
 * The Jacobian-vector product (forward mode): returns `[f(x), J·v]` with `J·v` of the output's shape,
 * as `torch.autograd.functional.jvp` / `jax.jvp`. With an array of Tensors `[x, y]` (and `v` an array
 * of tangents), J·v sums the products over the inputs. `v` may be left out for a one-element `x`.
 *
 * @example
 * const [y, dy] = jvp((x) => x.sin(), [0, 1], [1, 1]); // dy = cos(x)
 */
export function jvp(f: (x: Tensor) => Tensor, x: TensorLike, v?: TensorLike): [Tensor, Tensor];
export function jvp(f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], v: readonly TensorLike[]): [Tensor, Tensor];
export function jvp(f: unknown, x: unknown, v?: unknown): [Tensor, Tensor] {
  const op = 'jvp';
  checkFn(op, f);
  const { leaves, tuple } = leavesOf(op, x);
  const tangents = tangentsOf(op, v, leaves, tuple);
  const out = checkOutput(op, enableGrad(() => (f as (...xs: Tensor[]) => Tensor)(...leaves)));
  const { u, g } = linearize(op, out, leaves);
  return [out.detach(), pushForward(op, u, g, tangents)];
}

/**
 * The Jacobian in forward mode (one Jacobian-vector product per input element, as `jax.jacfwd`):
 * the same result as `jacobian`, cheaper when the input is smaller than the output.
 */
export function jacfwd(f: (x: Tensor) => Tensor, x: TensorLike): Tensor;
export function jacfwd(f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[]): Tensor[];
export function jacfwd(f: unknown, x: unknown): Tensor | Tensor[] {
  const op = 'jacfwd';
  checkFn(op, f);
  const { leaves, tuple } = leavesOf(op, x);
  const out = checkOutput(op, enableGrad(() => (f as (...xs: Tensor[]) => Tensor)(...leaves)));
  const { u, g } = linearize(op, out, leaves);
  const result = leaves.map((l, k) => {
    if (g[k] === null || out.size === 0 || l.size === 0) return zerosOf([...out.shape, ...l.shape], out.dtype);
    const cols: Tensor[] = [];
    for (let j = 0; j < l.size; j++) {
      const [c] = gradOf(g[k]!, [u], { gradOutputs: [oneHot(l.shape, g[k]!.dtype, j)], retainGraph: true, allowUnused: true }, op);
      cols.push(c!.detach());
    }
    return assemble(cols, out.shape, l.shape, out.dtype, true);
  });
  return tuple ? result : result[0]!;
}

/** What vhp and hvp share: checked inputs and tangents, the scalar output, and ∇f recorded. */
function hessianSetup(op: string, f: unknown, x: unknown, v: unknown) {
  checkFn(op, f);
  const { leaves, tuple } = leavesOf(op, x);
  const tangents = tangentsOf(op, v, leaves, tuple);
  const y = checkOutput(op, enableGrad(() => (f as (...xs: Tensor[]) => Tensor)(...leaves)));
  scalarOutput(op, y);
  return { leaves, tuple, tangents, y, g: gradientGraph(op, y, leaves) };
}

/** ∇f recorded with createGraph, for the Hessian products (null where f ignores an input). */
function gradientGraph(op: string, y: Tensor, leaves: readonly Tensor[]): (Tensor | null)[] {
  if (!y.requiresGrad) return leaves.map(() => null);
  return gradOf(y, leaves, { createGraph: true, allowUnused: true }, op).map((t) => (t.requiresGrad ? t : null));
}

/** d/dx [Σ_k g_k·w_k] for the given seeds, detached; zeros where nothing depends on x. */
function backThrough(op: string, g: readonly (Tensor | null)[], seeds: readonly Tensor[], wrt: readonly Tensor[], createGraph: boolean): Tensor[] {
  const outs: Tensor[] = [];
  const ws: Tensor[] = [];
  g.forEach((t, k) => {
    if (t !== null) {
      outs.push(t);
      ws.push(seeds[k]!);
    }
  });
  if (outs.length === 0) return wrt.map((x) => zerosOf(x.shape, x.dtype));
  return gradOf(outs, wrt, { gradOutputs: ws, retainGraph: true, createGraph, allowUnused: true }, op);
}

/**
 * The vector-Hessian product of a scalar function: returns `[f(x), vᵀH]` (shape of x), as
 * `torch.autograd.functional.vhp`; two reverse passes (the gradient with createGraph, then its vjp).
 * With an array of Tensors `[x, y]`, vᵀH is one tensor per input.
 */
export function vhp(f: (x: Tensor) => Tensor, x: TensorLike, v?: TensorLike): [Tensor, Tensor];
export function vhp(f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], v: readonly TensorLike[]): [Tensor, Tensor[]];
export function vhp(f: unknown, x: unknown, v?: unknown): [Tensor, Tensor | Tensor[]] {
  const op = 'vhp';
  const { leaves, tuple, tangents, y, g } = hessianSetup(op, f, x, v);
  const r = backThrough(op, g, tangents, leaves, false).map((t) => t.detach());
  return [y.detach(), tuple ? r : r[0]!];
}

/**
 * The Hessian-vector product of a scalar function: returns `[f(x), H·v]` (shape of x), as
 * `torch.autograd.functional.hvp`: forward over reverse, J_∇f·v by the double-vjp construction
 * (uᵀH recorded for a dummy u, then differentiated with respect to u). Equal to vhp for functions
 * with continuous second derivatives (H is symmetric); one more backward pass than vhp.
 */
export function hvp(f: (x: Tensor) => Tensor, x: TensorLike, v?: TensorLike): [Tensor, Tensor];
export function hvp(f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], v: readonly TensorLike[]): [Tensor, Tensor[]];
export function hvp(f: unknown, x: unknown, v?: unknown): [Tensor, Tensor | Tensor[]] {
  const op = 'hvp';
  const { leaves, tuple, tangents, y, g } = hessianSetup(op, f, x, v);
  let r: Tensor[];
  if (g.every((t) => t === null)) {
    r = leaves.map((l) => zerosOf(l.shape, l.dtype));
  } else {
    // w_j = Σ_k u_kᵀ H_kj, recorded; then H v = d/du Σ_j w_j·v_j
    const us = g.map((t, k) => {
      const u = zerosOf(t?.shape ?? leaves[k]!.shape, t?.dtype ?? leaves[k]!.dtype);
      u.requiresGrad = true;
      return u;
    });
    const w = enableGrad(() => backThrough(op, g, us, leaves, true)).map((t) => (t.requiresGrad ? t : null));
    const live = us.filter((_, k) => g[k] !== null);
    const hv = backThrough(op, w, tangents, live, false);
    let next = 0;
    r = leaves.map((l, k) => (g[k] === null ? zerosOf(l.shape, l.dtype) : hv[next++]!.detach()));
  }
  return [y.detach(), tuple ? r : r[0]!];
}
