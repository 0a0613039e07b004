import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import { ALL_OPS, COMPOSITES, PRIMITIVES, Tensor, tensor } from '../src/index.ts';

import { OPS } from '../src/ops/registry.ts';

/**
 * The public surface, derived from the registry (ops/registry.ts): each entry's `api` says which
 * function export and which Tensor method reach the op, so adding an op needs no edit here. The
 * same facts are checked at compile time (src/api-check.ts); these tests keep them checked at run
 * time too (a method may exist as a type yet not on the prototype), and the snapshot below pins
 * everything else the index exports.
 */
const api = M as unknown as Record<string, unknown>;
const entries = Object.entries(OPS).map(([name, e]) => {
  const a = e.api as { fn?: string | null; method?: string | null };
  const fn = a.fn === undefined ? name : a.fn;
  return { name, fn, method: a.method === undefined ? fn : a.method };
});
const opFunctions = new Set(entries.flatMap((e) => (e.fn === null ? [] : [e.fn])));

describe('every registry entry is reachable', () => {
  const names = ALL_OPS.map((e) => e.name);

  it('the registry is PRIMITIVES followed by COMPOSITES, with unique names', () => {
    expect(ALL_OPS.length).toBe(PRIMITIVES.length + COMPOSITES.length);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(Object.keys(OPS));
    for (const e of ALL_OPS) {
      expect(typeof e.call).toBe('function');
      expect(['primitive', 'composite']).toContain(e.kind);
    }
  });

  it.each(entries.filter((e) => e.fn !== null).map((e) => [e.name, e.fn!] as const))('%s has a function export (%s)', (_name, fn) => {
    expect(typeof api[fn]).toBe('function');
  });

  it.each(entries.filter((e) => e.method !== null).map((e) => [e.name, e.method!] as const))('%s has a Tensor method (%s)', (_name, method) => {
    expect(typeof (Tensor.prototype as unknown as Record<string, unknown>)[method]).toBe('function');
  });

  it('internal ops (the adjoints of gelu, slice, repeatInterleave, diagonal, pad, interpolate and embedding; polygamma, the derivative of digamma; the scans\' shared kernel; the convolution primitives) are not exported', () => {
    const internal = entries.filter((e) => e.fn === null).map((e) => e.name);
    expect(internal).toEqual(['geluGrad', 'sliceGrad', 'polygamma', 'linearScan', 'repeatInterleaveGrad', 'diagonalGrad', 'padGrad', 'conv2dCore', 'conv2dInputGrad', 'conv2dWeightGrad', 'interpolateGrad', 'embeddingGrad']);
    for (const n of internal) expect(api[n]).toBeUndefined();
  });

  it('differentiable flags: comparisons, sign and arg-extremes record nothing', () => {
    const off = ALL_OPS.filter((e) => !e.differentiable).map((e) => e.name).sort();
    expect(off).toEqual(['argmax', 'argmin', 'argsort', 'eq', 'ge', 'gt', 'le', 'lt', 'ne', 'sign']);
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
  it('Object.keys of the index, less the registry ops (change deliberately)', async () => {
    // an op function exported without a registry entry shows up here (and fails src/api-check.ts)
    const keys = Object.keys(await import('../src/index.ts')).filter((k) => !opFunctions.has(k)).sort();
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
        "IndexMask",
        "MAX_ELEMENTS",
        "MAX_RANK",
        "MemogradError",
        "Node",
        "PRIMITIVES",
        "ShapeError",
        "Tensor",
        "arange",
        "assertGradcheck",
        "assertGradgradcheck",
        "broadcastShapes",
        "chainPaths",
        "checkDerivation",
        "customFunction",
        "defaultGenerator",
        "defineOp",
        "describeValue",
        "detectAnomaly",
        "enableGrad",
        "explain",
        "eye",
        "formatShape",
        "full",
        "fullLike",
        "grad",
        "gradcheck",
        "gradgradcheck",
        "hessian",
        "hvp",
        "isGradEnabled",
        "jacfwd",
        "jacobian",
        "jvp",
        "linspace",
        "manualSeed",
        "mask",
        "noGrad",
        "ones",
        "onesLike",
        "rand",
        "randint",
        "randn",
        "renameError",
        "renameErrors",
        "s",
        "scalar",
        "setDetectAnomaly",
        "stableSigmoid",
        "stepTable",
        "tensor",
        "toDot",
        "toTensor",
        "valueAndGrad",
        "vhp",
        "vjp",
        "zeros",
        "zerosLike",
      ]
    `);
  });
});
