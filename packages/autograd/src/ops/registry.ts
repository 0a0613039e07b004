/**
 * Every op, listed once. The property tests iterate this registry, so adding an op here adds its
 * finite-difference gradient checks (first and second order), its shape check and its forward
 * oracle check; `api-surface.test.ts` fails when a public op is missing from it.
 */
import { apply } from '../engine.ts';
import type { Tensor } from '../tensor.ts';
import type { OpDef, OpTest, RegistryEntry } from './define.ts';
import * as A from './activation.ts';
import * as E from './elementwise.ts';
import * as L from './linalg.ts';
import * as R from './reduce.ts';
import * as S from './shape-ops.ts';

function primitive(op: OpDef<any>): RegistryEntry {
  return {
    name: op.name,
    kind: 'primitive',
    differentiable: op.differentiable !== false,
    call: (inputs, params) => apply(op, inputs, params),
    test: op.test,
  };
}

function composite<P>(name: string, call: (inputs: readonly Tensor[], params: P) => Tensor, test: OpTest<P>): RegistryEntry {
  return { name, kind: 'composite', differentiable: true, call: call as RegistryEntry['call'], test };
}

const reduceTest = { shapes: 'unary' as const, params: R.sampleReduceParams };
const axisOf = (p: { axes: readonly number[]; keepDims: boolean }) => ({ axis: p.axes, keepDims: p.keepDims });

/** Every primitive op's definition (drives the property tests). */
export const PRIMITIVES: readonly OpDef<any>[] = [
  E.addOp, E.subOp, E.mulOp, E.divOp, E.powOp, E.powScalarOp, E.maximumOp, E.minimumOp,
  E.negOp, E.expOp, E.logOp, E.log1pOp, E.expm1Op, E.sqrtOp, E.absOp, E.squareOp, E.reciprocalOp,
  E.sinOp, E.cosOp, E.clampOp, E.whereOp, E.castOp, E.cloneOp,
  E.eqOp, E.neOp, E.ltOp, E.leOp, E.gtOp, E.geOp, E.signOp,
  A.sigmoidOp, A.tanhOp, A.reluOp, A.leakyReluOp, A.eluOp, A.geluOp, A.geluGradOp, A.siluOp, A.softplusOp,
  A.softmaxOp, A.logSoftmaxOp,
  R.sumOp, R.maxOp, R.minOp, R.prodOp, R.logSumExpOp, R.norm2Op, R.sumToOp, R.argmaxOp, R.argminOp,
  S.reshapeOp, S.permuteOp, S.expandOp, S.sliceOp, S.sliceGradOp, S.catOp,
  S.gatherOp, S.scatterAddOp, S.indexSelectOp, S.indexAddOp,
  L.matmulOp,
];

/** Every composite op (built from primitives), as registry entries. */
export const COMPOSITES: readonly RegistryEntry[] = [
  composite('mean', ([x], p: { axes: readonly number[]; keepDims: boolean }) => R.mean(x!, axisOf(p)), reduceTest),
  composite('var', ([x], p: { axes: readonly number[]; keepDims: boolean }) => R.variance(x!, axisOf(p)), {
    shapes: (pick) => [[2 + pick(3), 2 + pick(2)]],
    params: R.sampleReduceParams,
    ties: true, // a polynomial: smooth at ties, even all-equal (var 0)
  }),
  composite('std', ([x], p: { axes: readonly number[]; keepDims: boolean }) => R.std(x!, axisOf(p)), {
    shapes: (pick) => [[2 + pick(3), 2 + pick(2)]],
    params: R.sampleReduceParams,
  }),
  composite('normP', ([x], p: { p: number }) => R.norm(x!, { p: p.p }), {
    shapes: 'unary',
    params: (_s, pick) => ({ p: [1, 3, Infinity][pick(3)]! }),
    avoid: (v) => Math.abs(v) < 1e-2,
    // |x| and max have kinks; the first derivative is checked away from them
    secondOrder: false,
  }),
  composite('matmulPublic', ([a, b]) => L.matmul(a!, b!), { shapes: L.sampleMatmulShapes }),
  composite('outer', ([a, b]) => L.outer(a!, b!), { shapes: (pick) => [[1 + pick(4)], [1 + pick(4)]] }),
  composite('linear', ([x, w, b]) => L.linear(x!, w!, b), {
    shapes: (pick) => {
      const [n, i, o] = [1 + pick(4), 1 + pick(4), 1 + pick(4)];
      return [pick(3) === 0 ? [i] : pick(2) ? [n, i] : [2, n, i], [o, i], [o]];
    },
  }),
  composite('transpose', ([x]) => S.transpose(x!), { shapes: (pick) => [[1 + pick(3), 1 + pick(3), 1 + pick(3)]] }),
  composite('squeeze', ([x]) => S.squeeze(x!), { shapes: (pick) => [[1, 1 + pick(3), 1]] }),
  composite('unsqueeze', ([x], p: { axis: number }) => S.unsqueeze(x!, p.axis), {
    shapes: 'unary',
    params: (s, pick) => ({ axis: pick(s[0]!.length + 1) }),
  }),
  composite('flatten', ([x]) => S.flatten(x!, 1), { shapes: (pick) => [[2, 1 + pick(3), 1 + pick(3)]] }),
  composite('stack', (xs) => S.stack(xs, 1), {
    shapes: (pick) => {
      const s = [1 + pick(3), 1 + pick(3)];
      return [s, s, s];
    },
  }),
];

/** Every op the property tests cover, primitives and composites alike, keyed by name. */
export const ALL_OPS: readonly RegistryEntry[] = [...PRIMITIVES.map(primitive), ...COMPOSITES];
