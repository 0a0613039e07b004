// Typed errors instead of raw JavaScript errors from the engine and the autodiff API (issue 8): hook
// results, registerHook arguments, backward() arguments, grad/valueAndGrad/vjp/hessian garbage, and
// customFunction specs and results. Each error is a MemogradError subclass naming the function.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, GraphError, MemogradError, ShapeError, Tensor, customFunction, detectAnomaly, enableGrad,
  grad, hessian, noGrad, scalar, setDetectAnomaly, tensor, valueAndGrad, vjp,
} from '../src/index.ts';
import { thrown } from './support/thrown.ts';

/** Asserts a typed memograd error (never a raw TypeError/RangeError) whose message contains `words`. */
function expectTyped(fn: () => unknown, cls: new (...a: any[]) => MemogradError, ...words: string[]): void {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(cls);
  for (const w of words) expect(e.message).toContain(w);
}

const GARBAGE: [string, unknown][] = [
  ['a number', 3],
  ['a string', 'grad'],
  ['a plain object', { data: [1, 2] }],
  ['an array', [1, 2]],
  ['a boolean', true],
  ['a bigint', 2n],
  ['a function', () => 1],
  ['a symbol', Symbol('s')],
];

describe('gradient hooks', () => {
  for (const [what, value] of GARBAGE) {
    it(`returning ${what} is an ArgumentError naming the hook, and changes no .grad`, () => {
      const a = tensor([1, 2], { requiresGrad: true });
      const b = tensor([3, 4], { requiresGrad: true });
      b.registerHook(() => value as Tensor);
      expectTyped(() => a.mul(b).sum().backward(), ArgumentError, 'hook', 'registerHook', 'returned');
      expect(a.grad).toBeNull();
    });
  }

  it('returning undefined or null keeps the gradient (as PyTorch treats None)', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    a.registerHook(() => undefined);
    a.registerHook(() => null as unknown as Tensor);
    a.mul(3).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([3, 3]);
  });

  it('a replacement of another dtype is a DTypeError, not a silently float64 .grad', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    a.registerHook((g) => g.to('float64'));
    expectTyped(() => a.mul(3).sum().backward(), DTypeError, 'hook', 'float64', 'float32');
    expect(a.grad).toBeNull();
    // on a non-leaf too, and in the scalar lane
    const s = scalar(2);
    const h = s.mul(s);
    h.registerHook((g) => g.to('float32'));
    expectTyped(() => h.backward(), DTypeError, 'hook');
    expect(s.grad).toBeNull();
  });

  it('a replacement of another shape is a ShapeError naming the tensor', () => {
    const a = tensor([1, 2], { requiresGrad: true, name: 'w1' });
    a.registerHook(() => tensor([1, 2, 3]));
    expectTyped(() => a.mul(3).sum().backward(), ShapeError, 'hook', "'w1'", '[3]', '[2]');
  });

  it('a valid replacement is used', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    a.registerHook((g) => g.mul(10));
    a.mul(3).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([30, 30]);
  });

  for (const [what, value] of [...GARBAGE.filter(([w]) => w !== 'a function'), ['null', null], ['undefined', undefined]] as [string, unknown][]) {
    it(`registerHook(${what}) is an ArgumentError`, () => {
      const a = tensor([1], { requiresGrad: true });
      expectTyped(() => a.registerHook(value as () => undefined), ArgumentError, 'registerHook', 'hook');
    });
  }
});

describe('backward() arguments', () => {
  for (const [what, value] of [['a string', 'x'], ['a plain object', {}], ['a boolean', true], ['a symbol', Symbol('s')]] as [string, unknown][]) {
    it(`a gradient that is ${what} is a MemogradError naming backward`, () => {
      const a = tensor([1, 2], { requiresGrad: true });
      expectTyped(() => a.mul(2).backward(value as Tensor), MemogradError, 'backward', 'gradient');
      expect(a.grad).toBeNull();
    });
  }

  it('a gradient of the wrong shape is a GraphError', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    expectTyped(() => a.mul(2).backward(tensor([1, 2, 3])), GraphError, 'backward', '[3]', '[2]');
  });

  for (const [what, value] of [['null', null], ['a number', 1], ['a string', 'retain'], ['an array', [true]]] as [string, unknown][]) {
    it(`options that are ${what} are an ArgumentError`, () => {
      const a = tensor([1, 2], { requiresGrad: true });
      expectTyped(() => a.mul(2).sum().backward(undefined, value as object), ArgumentError, 'backward', 'options');
    });
  }

  it('a non-boolean retainGraph is an ArgumentError', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    expectTyped(() => a.mul(2).sum().backward(undefined, { retainGraph: 'yes' as unknown as boolean }), ArgumentError, 'retainGraph');
  });
});

describe('engine functions taking a function', () => {
  it('noGrad, enableGrad and detectAnomaly need a function; setDetectAnomaly a boolean', () => {
    expectTyped(() => noGrad(3 as unknown as () => 0), ArgumentError, 'noGrad', 'fn');
    expectTyped(() => enableGrad(null as unknown as () => 0), ArgumentError, 'enableGrad', 'fn');
    expectTyped(() => detectAnomaly('x' as unknown as () => 0), ArgumentError, 'detectAnomaly', 'fn');
    expectTyped(() => setDetectAnomaly('yes' as unknown as boolean), ArgumentError, 'setDetectAnomaly');
  });
});

describe('grad()', () => {
  const setup = () => {
    const x = tensor([1, 2], { requiresGrad: true });
    return { x, y: x.mul(x).sum() };
  };
  for (const [what, value] of [...GARBAGE.filter(([w]) => w !== 'a function'), ['null', null], ['undefined', undefined], ['an empty array', []]] as [string, unknown][]) {
    it(`outputs that are ${what} are an ArgumentError naming 'outputs'`, () => {
      const { x } = setup();
      expectTyped(() => grad(value as Tensor, x), ArgumentError, 'grad', 'outputs');
    });
    it(`inputs that are ${what} are an ArgumentError naming 'inputs'`, () => {
      const { y } = setup();
      expectTyped(() => grad(y, value as Tensor), ArgumentError, 'grad', 'inputs');
    });
  }
  it('an array holding a non-tensor names the element', () => {
    const { x, y } = setup();
    expectTyped(() => grad(y, [x, 3 as unknown as Tensor]), ArgumentError, 'grad', 'element 1', 'number 3');
    expectTyped(() => grad([y, null as unknown as Tensor], x), ArgumentError, 'grad', 'outputs', 'element 1');
  });
  it('garbage options and gradOutputs are ArgumentErrors', () => {
    const { x, y } = setup();
    expectTyped(() => grad(y, x, null as unknown as object), ArgumentError, 'grad', 'options');
    expectTyped(() => grad(y, x, { gradOutputs: 5 as unknown as [] }), ArgumentError, 'grad', 'gradOutputs');
    expectTyped(() => grad(y, x, { gradOutputs: [1, 2] }), ArgumentError, 'grad', 'gradOutputs');
    expectTyped(() => grad(x.mul(2), x, { gradOutputs: ['a' as unknown as number] }), ArgumentError, 'grad', 'gradient');
  });
  it('the function form checks argnums', () => {
    expectTyped(() => grad((a: Tensor) => a.sum(), { argnums: 'x' as unknown as number }), ArgumentError, 'grad', 'argnums');
    expectTyped(() => grad((a: Tensor) => a.sum(), { argnums: 3 })(tensor([1])), ArgumentError, 'grad', 'argnums', 'argument 3');
  });
});

describe('valueAndGrad, vjp, hessian', () => {
  it('need a function', () => {
    for (const [, v] of GARBAGE.filter(([w]) => w !== 'a function')) {
      expectTyped(() => valueAndGrad(v as () => Tensor), ArgumentError, 'valueAndGrad', "'f'");
      expectTyped(() => vjp(v as () => Tensor, 1), ArgumentError, 'vjp', "'f'");
      expectTyped(() => hessian(v as () => Tensor, 1), ArgumentError, 'hessian', "'f'");
    }
  });
  it('a function returning a non-tensor is an ArgumentError naming the transform', () => {
    for (const bad of [3, null, undefined, 'x', {}, [1]]) {
      expectTyped(() => valueAndGrad(() => bad as unknown as Tensor)(1), ArgumentError, 'valueAndGrad', 'must return a Tensor');
      expectTyped(() => vjp(() => bad as unknown as Tensor, 1), ArgumentError, 'vjp', 'must return a Tensor');
      expectTyped(() => hessian(() => bad as unknown as Tensor, 1), ArgumentError, 'hessian', 'must return a Tensor');
    }
  });
  it('garbage arguments are ArgumentErrors naming the transform', () => {
    expectTyped(() => valueAndGrad((a: Tensor) => a.sum())('x' as unknown as number), ArgumentError, 'valueAndGrad', 'argument 0');
    expectTyped(() => vjp((a: Tensor) => a.sum(), {} as unknown as number), ArgumentError, 'vjp', 'argument 0');
    expectTyped(() => hessian((a: Tensor) => a.sum(), null as unknown as number), ArgumentError, 'hessian', 'argument 0');
    expectTyped(() => valueAndGrad((a: Tensor) => a.sum(), 5 as unknown as object), ArgumentError, 'valueAndGrad', 'options');
  });
  it('a garbage cotangent for vjp is a typed error naming vjp', () => {
    const [, back] = vjp((a: Tensor) => a.mul(2), [1, 2]);
    expectTyped(() => back('x' as unknown as number), MemogradError, 'vjp');
    expectTyped(() => back([1, 2, 3]), GraphError, 'vjp', '[3]');
  });
});

describe('customFunction', () => {
  it('rejects a spec without name, forward or backward', () => {
    expectTyped(() => customFunction({} as never), ArgumentError, 'customFunction', 'name');
    expectTyped(() => customFunction(null as never), ArgumentError, 'customFunction', 'spec');
    expectTyped(() => customFunction({ name: 'f' } as never), ArgumentError, 'customFunction', 'forward');
    expectTyped(() => customFunction({ name: 'f', forward: (x: Tensor[]) => x[0] } as never), ArgumentError, 'customFunction', 'backward');
  });

  const cf = (backward: (g: Tensor) => unknown) =>
    customFunction({ name: 'myFn', forward: ([x]) => x!.mul(2), backward: ({ grad: g }) => backward(g) as Tensor[] });

  it('rejects inputs that are not an array of tensors', () => {
    const f = cf((g) => [g]);
    expectTyped(() => f(3 as unknown as Tensor[]), ArgumentError, 'myFn', 'inputs');
    expectTyped(() => f([1 as unknown as Tensor]), ArgumentError, 'myFn', 'element 0');
  });

  const badResults: [string, (g: Tensor) => unknown, new (...a: any[]) => MemogradError][] = [
    ['a number', () => 3, GraphError],
    ['a tensor instead of an array', (g) => g, GraphError],
    ['an array holding a number', () => [3], ArgumentError],
    ['an array holding a string', () => ['g'], ArgumentError],
    ['two gradients for one input', (g) => [g, g], GraphError],
    ['a wrong shape', () => [tensor([1, 2, 3])], ShapeError],
    ['a wrong dtype', (g) => [g.to('float64')], DTypeError],
  ];
  for (const [what, back, cls] of badResults) {
    it(`a backward returning ${what} is a ${cls.name} naming the function`, () => {
      const x = tensor([1, 2], { requiresGrad: true });
      expectTyped(() => cf(back)([x]).sum().backward(), cls, 'myFn');
      expect(x.grad).toBeNull();
    });
  }

  it('a valid custom function still differentiates', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    cf((g) => [g.mul(2)])([x]).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([2, 2]);
  });
});

describe('defineOp', () => {
  it("an op whose 'saves' is not an array is an ArgumentError naming the op (at definition or record)", async () => {
    const { apply } = await import('../src/engine.ts');
    const { defineOp } = await import('../src/index.ts');
    const op = {
      name: 'weird', inputs: ['x'], saves: 'out' as unknown as 'out'[],
      shape: ([s]: readonly (readonly number[])[]) => s!.slice(),
      forward: ([x]: readonly Tensor[]) => x!.data.slice(),
      backward: ({ grad: g }: { grad: Tensor }) => [g],
      test: null,
    };
    expectTyped(() => defineOp(op as never), ArgumentError, 'weird', 'saves');
    // a literal definition (no defineOp) is checked when it first records with versions in use
    const x = tensor([1, 2], { requiresGrad: true });
    x.bumpVersion();
    expectTyped(() => apply(op as never, [x], undefined), ArgumentError, 'weird', 'saves');
  });
});
