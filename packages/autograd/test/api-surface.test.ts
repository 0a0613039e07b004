import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import { ALL_OPS, COMPOSITES, PRIMITIVES, Tensor, tensor } from '../src/index.ts';

/**
 * How registry names map to the public API. A registry entry is either public (a function export
 * of this name, possibly renamed here) or an internal adjoint/helper listed in INTERNAL.
 */
const EXPORT_NAME: Record<string, string> = {
  powScalar: 'pow',
  norm: 'norm', // the 2-norm primitive, reached through norm()
  normP: 'norm',
  matmulPublic: 'matmul',
  var: 'variance',
};
/** Backward-only ops: the adjoints of gelu, slice, gather and indexSelect. */
const INTERNAL = new Set(['geluGrad', 'sliceGrad', 'scatterAdd', 'indexAdd']);
/** Public ops that are functions only: they take lists, or a condition, or are engine helpers. */
const NO_METHOD = new Set(['where', 'cat', 'stack', 'sumTo', 'cast', 'linear']);
/** Method names that differ from the function's. */
const METHOD_NAME: Record<string, string> = { variance: 'var', cast: 'to' };

const api = M as unknown as Record<string, unknown>;

describe('every registry entry is reachable', () => {
  const names = ALL_OPS.map((e) => e.name);

  it('the registry is PRIMITIVES followed by COMPOSITES, with unique names', () => {
    expect(ALL_OPS.length).toBe(PRIMITIVES.length + COMPOSITES.length);
    expect(new Set(names).size).toBe(names.length);
    for (const e of ALL_OPS) {
      expect(typeof e.call).toBe('function');
      expect(['primitive', 'composite']).toContain(e.kind);
    }
  });

  it.each(names.filter((n) => !INTERNAL.has(n)))('%s has a function export', (name) => {
    const exported = EXPORT_NAME[name] ?? name;
    expect(typeof api[exported]).toBe('function');
  });

  it.each(names.filter((n) => !INTERNAL.has(n) && !NO_METHOD.has(EXPORT_NAME[n] ?? n)))('%s has a Tensor method', (name) => {
    const fn = EXPORT_NAME[name] ?? name;
    const method = METHOD_NAME[fn] ?? fn;
    expect(typeof (Tensor.prototype as unknown as Record<string, unknown>)[method]).toBe('function');
  });

  it('internal adjoints are not exported', () => {
    for (const n of INTERNAL) {
      expect(names).toContain(n);
      expect(api[n]).toBeUndefined();
    }
  });

  it('differentiable flags: comparisons, sign and arg-extremes record nothing', () => {
    const off = ALL_OPS.filter((e) => !e.differentiable).map((e) => e.name).sort();
    expect(off).toEqual(['argmax', 'argmin', 'eq', 'ge', 'gt', 'le', 'lt', 'ne', 'sign']);
  });

  it('exported op functions that are not in the registry are deliberate', () => {
    const opLike = [
      'abs', 'add', 'argmax', 'argmin', 'cast', 'cat', 'clamp', 'clone', 'cos', 'div', 'elu', 'eq', 'exp', 'expand', 'expm1',
      'flatten', 'gather', 'ge', 'gelu', 'gt', 'indexSelect', 'le', 'leakyRelu', 'linear', 'log', 'log1p', 'logSoftmax',
      'logSumExp', 'lt', 'matmul', 'max', 'maximum', 'mean', 'min', 'minimum', 'mul', 'ne', 'neg', 'norm', 'outer', 'permute',
      'pow', 'prod', 'reciprocal', 'relu', 'reshape', 'sigmoid', 'sign', 'silu', 'sin', 'slice', 'softmax', 'softplus', 'sqrt',
      'square', 'squeeze', 'stack', 'std', 'sub', 'sum', 'sumTo', 'tanh', 'transpose', 'unsqueeze', 'variance', 'where',
    ];
    const covered = new Set(names.map((n) => EXPORT_NAME[n] ?? n));
    expect(opLike.filter((n) => !covered.has(n))).toEqual([]);
  });
});

describe('methods call the same op as the functions', () => {
  it('a few spot checks', () => {
    const x = tensor([[1, -2], [3, 0.5]], { dtype: 'float64' });
    expect(Array.from(x.var().data)).toEqual(Array.from(M.variance(x).data));
    expect(x.to('float32').dtype).toBe('float32');
    expect(Array.from(x.pow(2).data)).toEqual([1, 4, 9, 0.25]);
  });
});

describe('the public surface snapshot', () => {
  it('Object.keys of the index (change deliberately)', async () => {
    const keys = Object.keys(await import('../src/index.ts')).sort();
    expect(keys).toMatchInlineSnapshot(`
      [
        "ALL_OPS",
        "AnomalyError",
        "ArgumentError",
        "COMPOSITES",
        "DTypeError",
        "Generator",
        "GradcheckError",
        "GraphError",
        "MAX_ELEMENTS",
        "MAX_RANK",
        "MemogradError",
        "Node",
        "PRIMITIVES",
        "ShapeError",
        "Tensor",
        "abs",
        "add",
        "arange",
        "argmax",
        "argmin",
        "assertGradcheck",
        "assertGradgradcheck",
        "broadcastShapes",
        "cast",
        "cat",
        "chainPaths",
        "checkDerivation",
        "clamp",
        "clone",
        "cos",
        "customFunction",
        "defaultGenerator",
        "defineOp",
        "describeValue",
        "detectAnomaly",
        "div",
        "elu",
        "enableGrad",
        "eq",
        "erf",
        "erfc",
        "exp",
        "expand",
        "explain",
        "expm1",
        "eye",
        "flatten",
        "formatShape",
        "full",
        "fullLike",
        "gather",
        "ge",
        "gelu",
        "grad",
        "gradcheck",
        "gradgradcheck",
        "gt",
        "hessian",
        "hvp",
        "indexSelect",
        "isGradEnabled",
        "jacfwd",
        "jacobian",
        "jvp",
        "le",
        "leakyRelu",
        "linear",
        "linspace",
        "log",
        "log1p",
        "logSoftmax",
        "logSumExp",
        "lt",
        "manualSeed",
        "matmul",
        "max",
        "maximum",
        "mean",
        "min",
        "minimum",
        "mul",
        "ne",
        "neg",
        "noGrad",
        "norm",
        "ones",
        "onesLike",
        "outer",
        "permute",
        "pow",
        "prod",
        "rand",
        "randint",
        "randn",
        "reciprocal",
        "relu",
        "renameError",
        "renameErrors",
        "reshape",
        "scalar",
        "setDetectAnomaly",
        "sigmoid",
        "sign",
        "silu",
        "sin",
        "slice",
        "softmax",
        "softplus",
        "sqrt",
        "square",
        "squeeze",
        "stableSigmoid",
        "stack",
        "std",
        "stepTable",
        "sub",
        "sum",
        "sumTo",
        "tanh",
        "tensor",
        "toDot",
        "toTensor",
        "transpose",
        "unsqueeze",
        "valueAndGrad",
        "variance",
        "vhp",
        "vjp",
        "where",
        "zeros",
        "zerosLike",
      ]
    `);
  });
});
