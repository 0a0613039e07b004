/**
 * Every op, listed once, in one typed record keyed by the op's name.
 *
 * Everything else derives from it: the property tests and the fuzz suite iterate it, so an entry
 * here gets finite-difference gradient checks (first and second order), its shape check, NaN
 * propagation and its forward oracle; the API-surface test reads each entry's `api`; and
 * api-check.ts makes `tsc` fail, naming the op, when an entry has no functional export in
 * index.ts or no Tensor method, or when index.ts exports an op function that has no entry.
 *
 * An entry's `api` says how the public API reaches the op: `{}` (the default) for a function and a
 * Tensor method both named as the key; `fn`/`method` to rename either, null for none (`fn: null`
 * marks an internal op, such as the adjoint of another op's rule).
 */
import type { OpDef, OracleInput, RegistryEntry } from './define.ts';
import { composite, primitive, type OpEntry } from './helpers.ts';
import * as A from './activation.ts';
import * as E from './elementwise.ts';
import * as L from './linalg.ts';
import * as R from './reduce.ts';
import * as S from './shape-ops.ts';
import { MATH_OPS } from './math.ts';
import { DISTANCE_OPS } from './distance.ts';
import { INDEXING_OPS } from './indexing.ts';
import { SCAN_OPS } from './scan.ts';
import { LAYOUT_OPS } from './layout.ts';
import { DECOMP_OPS } from './decomp.ts';
import { CONV_OPS } from './conv.ts';
import { NN_OPS } from './nn-ops.ts';
import * as O from './core-oracles.ts';

const reduceTest = { shapes: 'unary' as const, params: R.sampleReduceParams };
const reduceOracle = (fold: (v: readonly number[]) => number) => ([x]: readonly OracleInput[], p: ReduceP) => O.reduceOracle(x!, p.axes, p.keepDims, fold);
const axisOf = (p: { axes: readonly number[]; keepDims: boolean }) => ({ axis: p.axes, keepDims: p.keepDims });

const INTERNAL = { fn: null } as const;
const FUNCTION_ONLY = { method: null } as const;
type ReduceP = { axes: readonly number[]; keepDims: boolean };

/** The registry: every op by name (primitives first, then composites, in this order). */
export const OPS = {
  add: primitive(E.addOp), sub: primitive(E.subOp), mul: primitive(E.mulOp), div: primitive(E.divOp),
  pow: primitive(E.powOp),
  powScalar: primitive(E.powScalarOp, { fn: 'pow' }), // pow with a number exponent
  maximum: primitive(E.maximumOp), minimum: primitive(E.minimumOp), atan2: primitive(E.atan2Op),
  neg: primitive(E.negOp), exp: primitive(E.expOp), log: primitive(E.logOp), log1p: primitive(E.log1pOp),
  expm1: primitive(E.expm1Op), sqrt: primitive(E.sqrtOp), abs: primitive(E.absOp), square: primitive(E.squareOp),
  reciprocal: primitive(E.reciprocalOp), sin: primitive(E.sinOp), cos: primitive(E.cosOp), clamp: primitive(E.clampOp), clampTensor: primitive(E.clampTensorOp, { fn: 'clamp' }),
  where: primitive(E.whereOp, FUNCTION_ONLY),
  cast: primitive(E.castOp, { method: 'to' }),
  clone: primitive(E.cloneOp),
  eq: primitive(E.eqOp), ne: primitive(E.neOp), lt: primitive(E.ltOp), le: primitive(E.leOp), gt: primitive(E.gtOp), ge: primitive(E.geOp),
  sign: primitive(E.signOp),
  sigmoid: primitive(A.sigmoidOp), tanh: primitive(A.tanhOp), relu: primitive(A.reluOp), leakyRelu: primitive(A.leakyReluOp),
  elu: primitive(A.eluOp), gelu: primitive(A.geluOp),
  geluGrad: primitive(A.geluGradOp, INTERNAL), // the adjoint of gelu
  silu: primitive(A.siluOp), softplus: primitive(A.softplusOp), softmax: primitive(A.softmaxOp), logSoftmax: primitive(A.logSoftmaxOp),
  sum: primitive(R.sumOp), max: primitive(R.maxOp), min: primitive(R.minOp), prod: primitive(R.prodOp),
  logSumExp: primitive(R.logSumExpOp),
  norm: primitive(R.norm2Op), // the 2-norm, reached through norm()
  sumTo: primitive(R.sumToOp, FUNCTION_ONLY),
  argmax: primitive(R.argmaxOp), argmin: primitive(R.argminOp),
  reshape: primitive(S.reshapeOp), permute: primitive(S.permuteOp), expand: primitive(S.expandOp), slice: primitive(S.sliceOp),
  sliceGrad: primitive(S.sliceGradOp, INTERNAL), // the adjoint of slice
  cat: primitive(S.catOp, FUNCTION_ONLY),
  gather: primitive(S.gatherOp),
  scatterAdd: primitive(S.scatterAddOp), // torch.scatter_add; also the adjoint of gather (into zeros)
  indexSelect: primitive(S.indexSelectOp),
  indexAdd: primitive(S.indexAddOp), // torch.index_add; also the adjoint of indexSelect (into zeros)
  matmul: primitive(L.matmulOp),

  mean: composite('mean', ([x], p: ReduceP) => R.mean(x!, axisOf(p)), { ...reduceTest, oracle: reduceOracle(O.meanOf) }),
  var: composite('var', ([x], p: ReduceP) => R.variance(x!, axisOf(p)), {
    shapes: (pick) => [[2 + pick(3), 2 + pick(2)]],
    params: R.sampleReduceParams,
    ties: true, // a polynomial: smooth at ties, even all-equal (var 0)
    oracle: reduceOracle((v) => O.varianceOf(v, 1)),
  }, { fn: 'variance', method: 'var' }),
  std: composite('std', ([x], p: ReduceP) => R.std(x!, axisOf(p)), {
    shapes: (pick) => [[2 + pick(3), 2 + pick(2)]],
    params: R.sampleReduceParams,
    oracle: reduceOracle((v) => Math.sqrt(O.varianceOf(v, 1))),
  }),
  normP: composite('normP', ([x], p: { p: number }) => R.norm(x!, { p: p.p }), {
    shapes: 'unary',
    params: (_s, pick) => ({ p: [1, 3, Infinity][pick(3)]! }),
    avoid: (v) => Math.abs(v) < 1e-2,
    // |x| and max have kinks; the first derivative is checked away from them
    secondOrder: false,
    oracle: ([x], { p }) => O.reduceOracle(x!, O.allAxes(x!.shape), false, (v) => O.pNormOf(v, p)),
  }, { fn: 'norm' }),
  matmulPublic: composite('matmulPublic', ([a, b]) => L.matmul(a!, b!), { shapes: L.sampleMatmulShapes, oracle: ([a, b]) => O.matmulOracle(a!, b!) }, { fn: 'matmul' }),
  outer: composite('outer', ([a, b]) => L.outer(a!, b!), { shapes: (pick) => [[1 + pick(4)], [1 + pick(4)]], oracle: ([a, b]) => O.outerOracle(a!, b!) }),
  linear: composite('linear', ([x, w, b]) => L.linear(x!, w!, b), {
    shapes: (pick) => {
      const [n, i, o] = [1 + pick(4), 1 + pick(4), 1 + pick(4)];
      return [pick(3) === 0 ? [i] : pick(2) ? [n, i] : [2, n, i], [o, i], [o]];
    },
    oracle: ([x, w, b]) => O.linearOracle(x!, w!, b),
  }, FUNCTION_ONLY),
  transpose: composite('transpose', ([x]) => S.transpose(x!), {
    shapes: (pick) => [[1 + pick(3), 1 + pick(3), 1 + pick(3)]],
    oracle: ([x]) => O.permuteOracle(x!, [0, 2, 1]),
  }),
  squeeze: composite('squeeze', ([x]) => S.squeeze(x!), {
    shapes: (pick) => [[1, 1 + pick(3), 1]],
    oracle: ([x]) => O.reshapeOracle(x!, x!.shape.filter((d) => d !== 1)),
  }),
  unsqueeze: composite('unsqueeze', ([x], p: { axis: number }) => S.unsqueeze(x!, p.axis), {
    shapes: 'unary',
    params: (s, pick) => ({ axis: pick(s[0]!.length + 1) }),
    oracle: ([x], { axis }) => O.reshapeOracle(x!, [...x!.shape.slice(0, axis), 1, ...x!.shape.slice(axis)]),
  }),
  flatten: composite('flatten', ([x]) => S.flatten(x!, 1), {
    shapes: (pick) => [[2, 1 + pick(3), 1 + pick(3)]],
    oracle: ([x]) => O.reshapeOracle(x!, [x!.shape[0]!, x!.shape[1]! * x!.shape[2]!]),
  }),
  stack: composite('stack', (xs) => S.stack(xs, 1), {
    shapes: (pick) => {
      const s = [1 + pick(3), 1 + pick(3)];
      return [s, s, s];
    },
    oracle: (xs) => O.stackOracle(xs, 1),
  }, FUNCTION_ONLY),

  // the families, each listed in its own module
  ...A.ACTIVATION_OPS,
  ...MATH_OPS,
  ...DISTANCE_OPS,
  ...INDEXING_OPS,
  ...SCAN_OPS,
  ...LAYOUT_OPS,
  ...DECOMP_OPS,
  ...CONV_OPS,
  ...NN_OPS,
} as const satisfies Record<string, OpEntry>;

/** An op's name: a key of the registry. */
export type OpName = keyof typeof OPS;

for (const [key, entry] of Object.entries(OPS)) {
  // the key is how tests, messages and api-check.ts name the op: it must be the op's own name
  if (key !== entry.name) throw new Error(`internal: registry key '${key}' holds the op '${entry.name}'`);
}

/** Every op the property tests cover, primitives and composites alike, in registry order. */
export const ALL_OPS: readonly RegistryEntry[] = Object.values(OPS);

/** Every primitive op's definition (drives the property tests). */
export const PRIMITIVES: readonly OpDef<any>[] = ALL_OPS.flatMap((e) => ((e as OpEntry).op === undefined ? [] : [(e as OpEntry).op!]));

/** Every composite op (built from primitives), as registry entries. */
export const COMPOSITES: readonly RegistryEntry[] = ALL_OPS.filter((e) => e.kind === 'composite');
