/**
 * The tensor lane of the elementwise derivatives (see derivative.ts): a derivative rule run over
 * tensors, as the op's `backward`.
 */
import type { TensorLike } from '../tensor.ts';
import { Tensor } from '../tensor.ts';
import type { BackwardArgs, OpDef } from './define.ts';
import { Frame, NUMBERS, v, type Arith, type Derivative, type DerivativeFrame, type Value } from './derivative.ts';
import { applyBinary, applyUnary } from './helpers.ts';
import { cpow } from './special.ts';
// A namespace import, read when a rule runs: the op modules import this one (through helpers.ts)
// while they load, so naming their exports here would start loading them too early.
import * as ops from './index.ts';

type Reg = Tensor | number;

/**
 * The tensor lane: each `Value` is an index into `regs`, which holds tensors and constants. An
 * operation on two constants is computed on numbers (as a constant expression in a tensor rule
 * would be); otherwise by the op itself, so that it is recorded under `createGraph`.
 */
class TensorArith implements Arith {
  constructor(readonly regs: Reg[]) {}
  private put(r: Reg): Value {
    this.regs.push(r);
    return v(this.regs.length - 1);
  }
  private two(x: Value, y: Value, onTensors: (a: TensorLike, b: TensorLike) => Tensor, onNumbers: (a: number, b: number) => number): Value {
    const a = this.regs[x]!;
    const b = this.regs[y]!;
    return this.put(typeof a === 'number' && typeof b === 'number' ? onNumbers(a, b) : onTensors(a, b));
  }
  private one<P>(x: Value, op: OpDef<P>, params: P): Value {
    const a = this.regs[x]!;
    return this.put(typeof a === 'number' ? op.scalar!(a, params) : applyUnary(op, a, params));
  }
  k(c: number): Value {
    return this.put(c);
  }
  add(x: Value, y: Value): Value { return this.two(x, y, ops.add, (a, b) => a + b); }
  sub(x: Value, y: Value): Value { return this.two(x, y, ops.sub, (a, b) => a - b); }
  mul(x: Value, y: Value): Value { return this.two(x, y, ops.mul, (a, b) => a * b); }
  div(x: Value, y: Value): Value { return this.two(x, y, ops.div, (a, b) => a / b); }
  neg(x: Value): Value {
    const a = this.regs[x]!;
    return this.put(typeof a === 'number' ? -a : ops.neg(a));
  }
  exp(x: Value): Value { return this.one(x, ops.expOp, undefined); }
  log(x: Value): Value { return this.one(x, ops.logOp, undefined); }
  sqrt(x: Value): Value { return this.one(x, ops.sqrtOp, undefined); }
  sin(x: Value): Value { return this.one(x, ops.sinOp, undefined); }
  cos(x: Value): Value { return this.one(x, ops.cosOp, undefined); }
  sign(x: Value): Value {
    const a = this.regs[x]!;
    return this.put(typeof a === 'number' ? NUMBERS.sign(v(a)) : applyUnary(ops.signOp, a, undefined));
  }
  sigmoid(x: Value): Value { return this.one(x, ops.sigmoidOp, undefined); }
  powScalar(x: Value, p: number): Value { return this.one(x, ops.powScalarOp, { exponent: p }); }
  pow(x: Value, y: Value): Value { return this.two(x, y, (a, b) => applyBinary(ops.powOp, a, b), cpow); }
  eq(x: Value, y: Value): Value { return this.two(x, y, (a, b) => applyBinary(ops.eqOp, a, b), (a, b) => (a === b ? 1 : 0)); }
  ne(x: Value, y: Value): Value { return this.two(x, y, (a, b) => applyBinary(ops.neOp, a, b), (a, b) => (a !== b ? 1 : 0)); }
  lt(x: Value, y: Value): Value { return this.two(x, y, (a, b) => applyBinary(ops.ltOp, a, b), (a, b) => (a < b ? 1 : 0)); }
  le(x: Value, y: Value): Value { return this.two(x, y, (a, b) => applyBinary(ops.leOp, a, b), (a, b) => (a <= b ? 1 : 0)); }
  gt(x: Value, y: Value): Value { return this.two(x, y, (a, b) => applyBinary(ops.gtOp, a, b), (a, b) => (a > b ? 1 : 0)); }
  ge(x: Value, y: Value): Value { return this.two(x, y, (a, b) => applyBinary(ops.geOp, a, b), (a, b) => (a >= b ? 1 : 0)); }
  where(c: Value, x: Value, y: Value): Value {
    const [rc, rx, ry] = [this.regs[c]!, this.regs[x]!, this.regs[y]!];
    if (typeof rc === 'number') return rc !== 0 ? x : y;
    return this.put(ops.where(rc, rx, ry));
  }
  unary<P>(op: OpDef<P>, x: Value, params: P): Value {
    return this.one(x, op, params);
  }
}

/**
 * The tensor lane of a derivative, as an op's `backward`: runs the rule on a register file holding
 * the output's gradient, the inputs and the output, and returns the registers it wrote to `da`
 * (and `db`). Each call has its own registers and frame, so rules may nest.
 */
export function tensorRule<P>(name: string, arity: 1 | 2, derivative: Derivative<P>): (args: BackwardArgs<P>) => (Tensor | null)[] {
  return ({ grad, inputs, out, params }) => {
    const x = inputs[0]!;
    const y = arity === 2 ? inputs[1]! : x;
    const m = new TensorArith([grad, x, y, out]);
    const s = new Frame();
    s.g = 0;
    s.a = 1;
    s.b = 2;
    s.out = 3;
    s.params = params;
    derivative(m, s as unknown as DerivativeFrame<P>);
    const da = adjoint(name, m.regs, s.da);
    return arity === 1 ? [da] : [da, adjoint(name, m.regs, s.db)];
  };
}

function adjoint(name: string, regs: readonly Reg[], i: number): Tensor {
  const r = regs[i];
  // a rule's adjoint is the gradient g times something: a constant result is a mistake in the rule
  if (!(r instanceof Tensor)) throw new Error(`internal: the derivative of '${name}' did not set a tensor adjoint (got ${String(r)})`);
  return r;
}
