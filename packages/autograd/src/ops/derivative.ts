/**
 * Elementwise derivatives, written once and run two ways.
 *
 * An elementwise op's derivative (`OpDef.derivative`) is a rule written against `Arith`, a small
 * arithmetic interface, instead of against numbers or tensors. Two interpreters implement it:
 * - `NUMBERS`, the scalar lane: float64 0-d graphs run backward on plain numbers, with no tensor
 *   allocated (the engine's number frame, see engine.ts);
 * - `tensorRule(derivative)` (tensor-rule.ts), the tensor lane: the same rule run with Tensor
 *   ops, so that with `createGraph` the backward is recorded and gradients of gradients work. It
 *   is what the op's `backward` is.
 * So both lanes compute the same operations in the same order, and agree bit for bit by
 * construction (a property test still checks it).
 *
 * Why values are `Value`s rather than `number | Tensor`: the scalar lane is the hot path of 0-d
 * graphs, and a rule that V8 has seen called with numbers AND tensors merges the two
 * representations, boxing every double (measured in a microbenchmark: two to five times the time per rule). Here a rule
 * only ever sees numbers: in the scalar lane they are the values, in the tensor lane they are
 * indices into a register file of tensors (and constants), which tensor-rule.ts reads and writes.
 * This module imports no op (the engine runs `NUMBERS`); tensor-rule.ts does.
 * The brand on `Value` makes the compiler refuse a bare number constant (it would be read as a
 * register in the tensor lane): constants go through `m.k(c)`. For the same reason a rule never
 * applies JS operators (`*`, `>`, `Math.*`) to a `Value`, only `Arith` methods; JS branches on the
 * op's `params` (plain numbers) are fine. The bit-for-bit property test catches a rule that
 * breaks this, since its two lanes then disagree.
 */
import type { OpDef } from './define.ts';
import { cpow, powScalar, stableSigmoid } from './special.ts';

declare const valueBrand: unique symbol;
/** A value inside a derivative rule: a number in the scalar lane, a register in the tensor lane. */
export type Value = number & {
  /** A type-only brand (no such property exists): a bare number is not a `Value`; use `Arith.k`. */
  readonly [valueBrand]: true;
};

/**
 * The arithmetic a derivative rule may use. Comparisons give 1 or 0 (as the comparison ops do);
 * `where(c, x, y)` is x where c is not 0, else y (both are computed). `unary` applies any
 * elementwise op of one input (its `scalar` function on numbers, the op itself on tensors).
 */
export interface Arith {
  /** A constant. */
  k(c: number): Value;
  /** x + y. */
  add(x: Value, y: Value): Value;
  /** x - y. */
  sub(x: Value, y: Value): Value;
  /** x · y. */
  mul(x: Value, y: Value): Value;
  /** x / y. */
  div(x: Value, y: Value): Value;
  /** -x. */
  neg(x: Value): Value;
  /** e^x. */
  exp(x: Value): Value;
  /** ln x. */
  log(x: Value): Value;
  /** √x. */
  sqrt(x: Value): Value;
  /** sin x. */
  sin(x: Value): Value;
  /** cos x. */
  cos(x: Value): Value;
  /** -1, 0 or 1 (0 for NaN, as PyTorch's sign). */
  sign(x: Value): Value;
  /** 1 / (1 + e^-x). */
  sigmoid(x: Value): Value;
  /** x^p for a number p (the `powScalar` op's rules: x·x for 2, √x for 0.5, ...). */
  powScalar(x: Value, p: number): Value;
  /** x^y as C's pow (the `pow` op). */
  pow(x: Value, y: Value): Value;
  /** 1 where x == y, else 0. */
  eq(x: Value, y: Value): Value;
  /** 1 where x != y, else 0. */
  ne(x: Value, y: Value): Value;
  /** 1 where x < y, else 0. */
  lt(x: Value, y: Value): Value;
  /** 1 where x <= y, else 0. */
  le(x: Value, y: Value): Value;
  /** 1 where x > y, else 0. */
  gt(x: Value, y: Value): Value;
  /** 1 where x >= y, else 0. */
  ge(x: Value, y: Value): Value;
  /** x where c is not 0, else y. */
  where(c: Value, x: Value, y: Value): Value;
  /** Any elementwise op of one input, with its parameters. */
  unary<P>(op: OpDef<P>, x: Value, params: P): Value;
}

/**
 * What a derivative rule reads and writes: the output's adjoint `g`, the inputs `a` (and `b`),
 * the output `out` and the `params`; it sets `da` (and `db`), the inputs' adjoints.
 */
export interface DerivativeFrame<P = any> {
  /** The output's adjoint. */
  readonly g: Value;
  /** The first input. */
  readonly a: Value;
  /** The second input (binary ops). */
  readonly b: Value;
  /** The output. */
  readonly out: Value;
  /** The op's parameters. */
  readonly params: P;
  /** Written by the rule: the first input's adjoint. */
  da: Value;
  /** Written by the rule: the second input's adjoint (binary ops). */
  db: Value;
}

/**
 * An elementwise op's derivative (its vector-Jacobian product), written once against `Arith`:
 * e.g. mul's `(m, s) => { s.da = m.mul(s.g, s.b); s.db = m.mul(s.g, s.a); }`.
 */
export type Derivative<P = any> = (m: Arith, s: DerivativeFrame<P>) => void;

/**
 * The frame both lanes use (one class, so the rules' property loads see one object layout). The
 * fields start as doubles so V8 stores them as such: the scalar lane writes numbers, the tensor
 * lane small register indices.
 */
export class Frame {
  g = NaN;
  a = NaN;
  b = NaN;
  out = NaN;
  params: unknown = undefined;
  da = NaN;
  db = NaN;
}

/** @internal A number as a `Value`. */
export const v = (x: number): Value => x as Value;

/** The scalar lane: the rules on numbers. */
export const NUMBERS: Arith = {
  k: (c) => v(c),
  add: (x, y) => v(x + y),
  sub: (x, y) => v(x - y),
  mul: (x, y) => v(x * y),
  div: (x, y) => v(x / y),
  neg: (x) => v(-x),
  exp: (x) => v(Math.exp(x)),
  log: (x) => v(Math.log(x)),
  sqrt: (x) => v(Math.sqrt(x)),
  sin: (x) => v(Math.sin(x)),
  cos: (x) => v(Math.cos(x)),
  sign: (x) => v((x > 0 ? 1 : 0) - (x < 0 ? 1 : 0)),
  sigmoid: (x) => v(stableSigmoid(x)),
  powScalar: (x, p) => v(powScalar(x, p)),
  pow: (x, y) => v(cpow(x, y)),
  eq: (x, y) => v(x === y ? 1 : 0),
  ne: (x, y) => v(x !== y ? 1 : 0),
  lt: (x, y) => v(x < y ? 1 : 0),
  le: (x, y) => v(x <= y ? 1 : 0),
  gt: (x, y) => v(x > y ? 1 : 0),
  ge: (x, y) => v(x >= y ? 1 : 0),
  where: (c, x, y) => (c !== 0 ? x : y),
  unary: (op, x, params) => v(op.scalar!(x, params)),
};

