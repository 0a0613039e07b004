/**
 * Fuzz entries for @memograd/nn: every exported function and class (constructors, forward, every
 * Module method), with valid arguments mixed with garbage. Coverage is enforced by nn.fuzz.test.ts.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import { Tensor } from '@memograd/autograd';
import * as nn from '@memograd/nn';
import * as nnNode from '@memograd/nn/node';
import {
  args, dtypeArb, FuzzUserError, garbage, garbageOrBadTensor, intArb, label, mix, opt, smallNum, tensorArb, WrongResult,
  type Case, type FuzzEntry,
} from '../../../autograd/test/fuzz/harness.ts';
import { lossesMoreEntries } from './entries-losses-more.ts';
import { convLayerEntries } from './entries-conv-layers.ts';
import { normLayerEntries } from './entries-norm-layers.ts';
import { recurrentLayerEntries } from './entries-recurrent.ts';
import { attentionLayerEntries } from './entries-attention.ts';

export function resetGlobals(): void {
  ag.setDetectAnomaly(false);
}

export const api = nn as unknown as Record<string, any>;
// The file entries write and read only inside a temporary folder of their own: a garbage path such
// as 'NaN' or '0' is taken relative to it, never to the working directory.
const FILES = mkdtempSync(join(tmpdir(), 'memograd-fuzz-'));
const inFiles = (p: unknown): string => (typeof p === 'string' && !isAbsolute(p) ? join(FILES, p) : (p as string));
export const num = mix(smallNum, 4, 1);
export const posInt = mix(intArb(1, 4), 4, 1);
export const T = tensorArb();
export const X23 = fc.oneof({ arbitrary: tensorArb({ shape: [2, 3] }) as fc.Arbitrary<unknown>, weight: 5 }, { arbitrary: T, weight: 2 }, { arbitrary: garbageOrBadTensor, weight: 1 });
export const reduction = opt(fc.record({ reduction: mix(fc.constantFrom('mean', 'sum', 'none')) }, { requiredKeys: [] }));

/** Modules to call methods on (fresh each draw). */
const MODULES: ReadonlyArray<[string, () => nn.Module]> = [
  ['new Linear(3, 2)', () => new nn.Linear(3, 2, { seed: 1 } as never)],
  ['new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2))', () => new nn.Sequential(new nn.Linear(3, 4, { seed: 1 } as never), new nn.ReLU(), new nn.Linear(4, 2, { seed: 2 } as never))],
  ['new BatchNorm1d(3)', () => new nn.BatchNorm1d(3)],
  ['new LayerNorm(3)', () => new nn.LayerNorm(3)],
  ["new Dense(3, 1, { kernelRegularizer: regularizers.l2(0.1) })", () => new nn.Dense(3, 1, { kernelRegularizer: nn.regularizers.l2(0.1), seed: 1 } as never)],
];
const moduleArb = fc.constantFrom(...MODULES).map(([l, f]) => label(f(), l));

/** A state dict for `m`: its own (valid), or one with a wrong shape, string data, NaN, a missing or an extra key. */
function stateDictFor(m: nn.Module): fc.Arbitrary<unknown> {
  const own = () => Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, v.clone().detach()]));
  const variants: [string, () => unknown][] = [
    ['its own state dict', own],
    ['its own, data + 1', () => Object.fromEntries(Object.entries(own()).map(([k, v]) => [k, (v as Tensor).add(1)]))],
    ['one entry of wrong shape', () => { const d = own(); const k = Object.keys(d)[0]!; d[k] = ag.ones([7]); return d; }],
    ["one entry { data: ['a', 'b', 'c'] }", () => { const d = own() as Record<string, unknown>; const k = Object.keys(d)[0]!; const t = d[k] as Tensor; d[k] = { data: Array.from({ length: t.size }, () => 'a'), shape: t.shape.slice() }; return d; }],
    ["one entry { data: 'abc' }", () => { const d = own() as Record<string, unknown>; const k = Object.keys(d)[0]!; d[k] = { data: 'abc', shape: (d[k] as Tensor).shape.slice() }; return d; }],
    ['one entry as plain record', () => { const d = own() as Record<string, unknown>; const k = Object.keys(d)[0]!; const t = d[k] as Tensor; d[k] = { data: Array.from(t.data), shape: t.shape.slice(), dtype: t.dtype }; return d; }],
    ['the last entry missing', () => { const d = own(); delete d[Object.keys(d).at(-1)!]; return d; }],
    ['an extra key', () => ({ ...own(), extra: ag.ones([1]) })],
    ['one entry NaN', () => { const d = own(); const k = Object.keys(d)[0]!; d[k] = ag.full((d[k] as Tensor).shape as number[], NaN); return d; }],
  ];
  return fc.oneof({ arbitrary: fc.constantFrom(...variants).map(([l, f]) => label(f() as object, `<${l}>`)) as fc.Arbitrary<unknown>, weight: 4 }, { arbitrary: garbage, weight: 1 });
}

/** Module methods and their arguments (the module is the first argument). */
const MODULE_METHODS: Record<string, (m: nn.Module) => fc.Arbitrary<unknown[]>> = {
  call: () => fc.tuple(X23),
  forward: () => fc.tuple(X23),
  extraRepr: () => fc.constant<unknown[]>([]),
  toString: () => fc.constant<unknown[]>([]),
  registerParameter: () => fc.tuple(mix(fc.constantFrom('p', 'weight', '')), mix(fc.constantFrom(null, 0).map((v) => (v === null ? null : new nn.Parameter(ag.ones([2])))))),
  registerBuffer: () => fc.tuple(mix(fc.constantFrom('b', 'weight', '')), mix(fc.constantFrom(null, 0).map((v) => (v === null ? null : ag.ones([2]))))),
  registerModule: () => fc.tuple(mix(fc.constantFrom('m', 'weight', '')), mix(fc.constantFrom(null, 0).map((v) => (v === null ? null : new nn.ReLU())))),
  children: () => fc.constant<unknown[]>([]),
  modules: () => fc.constant<unknown[]>([]),
  namedParameters: () => fc.constant<unknown[]>([]),
  parameters: () => fc.constant<unknown[]>([]),
  namedBuffers: () => fc.constant<unknown[]>([]),
  buffers: () => fc.constant<unknown[]>([]),
  numParameters: () => fc.tuple(opt(fc.record({ onlyTrainable: opt(fc.boolean()) }, { requiredKeys: [] }))),
  train: () => fc.tuple(opt(fc.boolean())),
  eval: () => fc.constant<unknown[]>([]),
  zeroGrad: () => fc.constant<unknown[]>([]),
  requiresGrad_: () => fc.tuple(opt(fc.boolean())),
  to: () => fc.tuple(mix(dtypeArb)),
  apply: () => fc.tuple(mix(fc.constant(label((m: nn.Module) => void m.eval(), 'm => m.eval()')))),
  regularizationTerms: () => fc.constant<unknown[]>([]),
  regularizationLoss: () => fc.constant<unknown[]>([]),
  stateDict: () => fc.constant<unknown[]>([]),
  stateEntries: () => fc.constant<unknown[]>([]),
  namedChildren: () => fc.constant<unknown[]>([]),
  namedModules: () => fc.constant<unknown[]>([]),
  ownNamedParameters: () => fc.constant<unknown[]>([]),
  ownNamedBuffers: () => fc.constant<unknown[]>([]),
  typeName: () => fc.constant<unknown[]>([]),
  label: () => fc.constant<unknown[]>([]),
  loadStateDict: (m) => fc.tuple(stateDictFor(m), opt(fc.record({ strict: opt(fc.boolean()) }, { requiredKeys: [] }))),
};

const moduleMethodEntries: FuzzEntry[] = Object.entries(MODULE_METHODS).map(([meth, rest]) => ({
  name: `nn.Module#${meth}`,
  covers: [`Module#${meth}`, ...(meth === 'regularizationTerms' ? ['Linear#regularizationTerms'] : []), ...(meth === 'label' ? ['Linear#label', 'BatchNorm1d#label', 'LayerNorm#label'] : []), ...(meth === 'namedChildren' ? ['ModuleDict#namedChildren'] : [])],
  ops: [meth, 'Module', 'Linear', 'Sequential', 'BatchNorm1d', 'LayerNorm', 'Dense', 'loadStateDict'],
  gen: moduleArb.chain((m) => rest(m).map((a) => ({ args: [m, ...a] }))),
  call: (m: nn.Module, ...a: unknown[]) => {
    const member = (m as unknown as Record<string, unknown>)[meth];
    if (meth === 'typeName' || meth === 'label') return member; // getters
    let r = (member as (...b: unknown[]) => unknown).call(m, ...a);
    if (r !== null && typeof r === 'object' && typeof (r as Iterator<unknown>).next === 'function' && !(r instanceof nn.Module)) r = Array.from(r as Iterable<unknown>);
    // after a successful load, the weights are part of the result (so NaN loaded from garbage is caught)
    return meth === 'loadStateDict' ? [r, ...m.parameters()] : r;
  },
  nanOk: (c: Case) => meth === 'loadStateDict' && /NaN/.test(String(labelOf(c.args[1]))),
}));
export function labelOf(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(Object.keys(v)) + String((v as { toString?: () => string }).toString?.call(v)) : String(v);
}

// Layers: construct with fuzzed arguments, then call forward on a fuzzed input.
const ACT: [string, fc.Arbitrary<unknown[]>][] = [
  ['ReLU', fc.constant([])], ['GELU', fc.constant([])], ['SiLU', fc.constant([])], ['Sigmoid', fc.constant([])], ['Tanh', fc.constant([])], ['Identity', fc.constant([])],
  ['LeakyReLU', fc.tuple(opt(smallNum))], ['ELU', fc.tuple(opt(smallNum))],
  ['Softplus', fc.tuple(opt(fc.record({ beta: opt(smallNum), threshold: opt(smallNum) }, { requiredKeys: [] })))],
  ['Softmax', fc.tuple(opt(intArb(-3, 3)))], ['LogSoftmax', fc.tuple(opt(intArb(-3, 3)))],
  ['Linear', fc.tuple(mix(fc.constant(3)), posInt, opt(fc.record({ bias: opt(fc.boolean()), dtype: mix(dtypeArb), seed: opt(intArb(0, 9)) }, { requiredKeys: [] })))],
  ['Dense', fc.tuple(mix(fc.constant(3)), posInt, opt(fc.record({ bias: opt(fc.boolean()), kernelRegularizer: opt(fc.constant(nn.regularizers.l2(0.1))) }, { requiredKeys: [] })))],
  ['Dropout', fc.tuple(opt(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(1, -0.5, 2, NaN))), opt(fc.record({ seed: opt(intArb(0, 9)) }, { requiredKeys: [] })))],
  ['BatchNorm1d', fc.tuple(mix(fc.constant(3)), opt(fc.record({ eps: opt(fc.constantFrom(1e-5, 0, -1, NaN)), momentum: opt(fc.constantFrom(0.1, null, 2, NaN)), affine: opt(fc.boolean()) }, { requiredKeys: [] })))],
  ['LayerNorm', fc.tuple(mix(fc.oneof(fc.constant(3), fc.constant([3]), fc.constant([2, 3]))), opt(fc.record({ eps: opt(fc.constantFrom(1e-5, 0, -1, NaN)), elementwiseAffine: opt(fc.boolean()) }, { requiredKeys: [] })))],
  ['Flatten', fc.tuple(opt(intArb(-3, 3)), opt(intArb(-3, 3)))],
  ['Sequential', fc.array(mix(fc.constantFrom(0, 1).map((i) => (i ? new nn.ReLU() : new nn.Linear(3, 3)))), { maxLength: 3 })],
  ['ModuleList', fc.tuple(opt(fc.array(mix(fc.constant(0).map(() => new nn.ReLU())), { maxLength: 2 })))],
  ['ModuleDict', fc.tuple(opt(fc.oneof(fc.constant(0).map(() => ({ a: new nn.ReLU() })) as fc.Arbitrary<unknown>, fc.constant(0).map(() => [['a', new nn.ReLU()]]), garbage)))],
];
const LOSS_CLASSES: [string, fc.Arbitrary<unknown[]>][] = [
  ['MSELoss', fc.tuple(reduction)], ['L1Loss', fc.tuple(reduction)],
  ['HuberLoss', fc.tuple(opt(fc.record({ delta: opt(fc.constantFrom(1, 0.5, 0, -1, NaN)), reduction: opt(fc.constantFrom('mean', 'sum', 'none', 'x')) }, { requiredKeys: [] })))],
  ['SmoothL1Loss', fc.tuple(opt(fc.record({ beta: opt(fc.constantFrom(1, 0.5, 0, -1, NaN)) }, { requiredKeys: [] })))],
  ['BCELoss', fc.tuple(reduction)], ['BCEWithLogitsLoss', fc.tuple(opt(fc.record({ posWeight: opt(fc.oneof(fc.constant(2), T as fc.Arbitrary<unknown>)) }, { requiredKeys: [] })))],
  ['CrossEntropyLoss', fc.tuple(opt(fc.record({ ignoreIndex: opt(intArb(-2, 3)), labelSmoothing: opt(fc.constantFrom(0, 0.1, 1, -1, NaN)) }, { requiredKeys: [] })))],
  ['NLLLoss', fc.tuple(reduction)], ['CategoricalCrossEntropy', fc.tuple(reduction)], ['SparseCategoricalCrossEntropy', fc.tuple(reduction)],
];

/** Targets for a [2, 3] input: same-shape probabilities, class indices, garbage. */
export const target = fc.oneof(
  { arbitrary: tensorArb({ shape: [2, 3], range: [0, 1] }) as fc.Arbitrary<unknown>, weight: 3 },
  { arbitrary: fc.constantFrom([0, 2], [1, 1], [3, 0], [-1, 0], [0.5, 1], [2 ** 32 + 1, 0]).map((v) => ag.tensor(v, { dtype: 'float64' })), weight: 2 },
  { arbitrary: fc.constantFrom([0, 2], [1, 1], [3, -1], [[1, 0, 0], [0, 1, 0]]), weight: 1 },
  { arbitrary: T, weight: 1 },
  { arbitrary: garbageOrBadTensor, weight: 1 },
);
export const lossInput = fc.oneof({ arbitrary: tensorArb({ shape: [2, 3], range: [0.01, 0.99] }) as fc.Arbitrary<unknown>, weight: 5 }, { arbitrary: tensorArb({ shape: [2, 3] }), weight: 2 }, { arbitrary: T, weight: 1 }, { arbitrary: garbageOrBadTensor, weight: 1 });

export const construct = (C: string, a: unknown[]): nn.Module => {
  const Cls = api[C] as new (...b: unknown[]) => nn.Module;
  return C === 'Sequential' ? new Cls(...a) : new Cls(...a);
};

const LAYER_ENTRIES: FuzzEntry[] = ACT.map(([C, ctorArgs]) => ({
  name: `nn.${C}`,
  covers: [`nn:${C}`, ...ownMembers(C)],
  // a container's error from one of its layers names that layer ('Linear(3 → 3): …'), which is right
  ops: [C, 'forward', 'call', 'linear', 'matmul', 'dropout', 'reshape', 'flatten', 'softmax', 'logSoftmax', 'leakyRelu', 'elu', 'softplus', C.toLowerCase(), ...(C === 'Sequential' ? ['Linear', 'ReLU'] : [])],
  gen: fc.tuple(ctorArgs, X23).map(([a, x]) => ({ args: [a, x] })),
  call: (a: unknown[], x: unknown) => {
    const m = construct(C, a);
    const s = m.toString();
    if (typeof s !== 'string') throw new WrongResult(`${C}.toString() returned ${typeof s}`);
    if (C === 'ModuleList' || C === 'ModuleDict') return m.parameters();
    return m.call(x as Tensor);
  },
  nanOk: true,
}));

const LOSS_ENTRIES: FuzzEntry[] = LOSS_CLASSES.map(([C, ctorArgs]) => ({
  name: `nn.${C}`,
  covers: [`nn:${C}`, ...ownMembers(C), ...(C === 'MSELoss' ? ['Loss#call'] : [])],
  ops: [C, lossFnName(C), 'crossEntropy', 'nllLoss', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits'],
  gen: fc.tuple(ctorArgs, lossInput, target).map(([a, x, t]) => ({ args: [a, x, t] })),
  call: (a: unknown[], x: unknown, t: unknown) => construct(C, a).call(x as Tensor, t as never),
  nanOk: true,
}));
function lossFnName(C: string): string {
  const map: Record<string, string> = { MSELoss: 'mseLoss', L1Loss: 'l1Loss', HuberLoss: 'huberLoss', SmoothL1Loss: 'smoothL1Loss', BCELoss: 'binaryCrossEntropy', BCEWithLogitsLoss: 'binaryCrossEntropyWithLogits', CrossEntropyLoss: 'crossEntropy', NLLLoss: 'nllLoss', CategoricalCrossEntropy: 'categoricalCrossEntropy', SparseCategoricalCrossEntropy: 'sparseCategoricalCrossEntropy' };
  return map[C] ?? C;
}
export function ownMembers(C: string): string[] {
  const proto = (api[C] as { prototype: object }).prototype;
  return Object.getOwnPropertyNames(proto).filter((m) => m !== 'constructor' && ['forward', 'extraRepr', 'toString', 'call'].includes(m)).map((m) => `${C}#${m}`);
}

const LOSS_FNS = ['mseLoss', 'l1Loss', 'maeLoss', 'huberLoss', 'smoothL1Loss', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'crossEntropy', 'nllLoss', 'categoricalCrossEntropy', 'sparseCategoricalCrossEntropy'];
const LOSS_FN_ENTRIES: FuzzEntry[] = LOSS_FNS.map((n) => ({
  name: `nn.${n}`,
  covers: [`nn:${n}`],
  ops: [n, n === 'maeLoss' ? 'l1Loss' : n],
  gen: args(lossInput, target, opt(fc.record({ reduction: opt(fc.constantFrom('mean', 'sum', 'none', 'x')), delta: opt(fc.constantFrom(1, 0, -1, NaN)), beta: opt(fc.constantFrom(1, 0, NaN)), posWeight: opt(fc.constantFrom(2, -1)), ignoreIndex: opt(intArb(-2, 3)), labelSmoothing: opt(fc.constantFrom(0, 0.1, 2, NaN)), fromLogits: opt(fc.boolean()) }, { requiredKeys: [] }))),
  call: (x, t, o) => api[n](x, t, o),
  nanOk: true,
}));

const INIT_FNS: [string, fc.Arbitrary<unknown[]>][] = [
  ['zeros_', fc.constant([])], ['ones_', fc.constant([])], ['constant_', fc.tuple(num)],
  ['uniform_', fc.tuple(opt(smallNum), opt(smallNum), opt(fc.record({ generator: opt(fc.constant(0).map(() => new ag.Generator(1))) }, { requiredKeys: [] })))],
  ['normal_', fc.tuple(opt(smallNum), opt(fc.oneof(smallNum, fc.constantFrom(-1, 0, NaN))))],
  ['xavierUniform_', fc.tuple(opt(smallNum))], ['xavierNormal_', fc.tuple(opt(smallNum))],
  ['kaimingUniform_', fc.tuple(opt(fc.record({ a: opt(smallNum), mode: opt(fc.constantFrom('fanIn', 'fanOut', 'x')), nonlinearity: opt(fc.constantFrom('relu', 'leaky_relu', 'tanh', 'bogus')) }, { requiredKeys: [] })))],
  ['kaimingNormal_', fc.tuple(opt(fc.record({ a: opt(smallNum), mode: opt(fc.constantFrom('fanIn', 'fanOut', 'x')), nonlinearity: opt(fc.constantFrom('relu', 'leaky_relu', 'tanh', 'bogus')) }, { requiredKeys: [] })))],
  ['glorotUniform_', fc.tuple(opt(fc.record({}, { requiredKeys: [] })))], ['glorotNormal_', fc.constant([])],
  ['heUniform_', fc.constant([])], ['heNormal_', fc.constant([])],
  ['initialize_', fc.tuple(mix(fc.constantFrom('zeros', 'ones', 'glorotUniform', 'heNormal', 'bogus')), opt(fc.record({}, { requiredKeys: [] })))],
];
const initTensor = fc.oneof({ arbitrary: tensorArb({ minRank: 2, maxRank: 3, empty: false, special: false }) as fc.Arbitrary<unknown>, weight: 4 }, { arbitrary: T, weight: 2 }, { arbitrary: garbageOrBadTensor, weight: 1 });
const INIT_ENTRIES: FuzzEntry[] = INIT_FNS.map(([n, rest]) => ({
  name: `nn.${n}`,
  covers: [`nn:${n}`],
  gen: fc.tuple(initTensor, rest).map(([t, r]) => ({ args: [t, ...r] })),
  call: (...a: unknown[]) => api[n](...a),
  nanOk: n === 'constant_',
}));

const MISC: FuzzEntry[] = [
  { name: 'nn.Module', covers: ['nn:Module'], gen: args(), call: () => { const M = api['Module'] as new () => nn.Module; const m = new M(); return m.parameters(); } },
  { name: 'nn.Loss', covers: ['nn:Loss', 'Loss#forward', 'Loss#extraRepr'], ops: ['Loss', 'forward'], gen: args(opt(garbage), lossInput, target), call: (o, x, t) => { const L = api['Loss'] as new (o: unknown) => nn.Module; const l = new L(o); l.toString(); return l.call(x as Tensor, t as never); } },
  { name: 'nn.Parameter', covers: ['nn:Parameter'], gen: args(mix(fc.oneof(T as fc.Arbitrary<unknown>, fc.constant(new Float32Array(6)))), opt(fc.record({ shape: opt(fc.oneof(fc.constant([2, 3]), fc.constant([6]), garbage)), requiresGrad: opt(fc.boolean()) }, { requiredKeys: [] }))), call: (v, o) => new nn.Parameter(v as never, o as never) },
  { name: 'nn.StateDictError', covers: ['nn:StateDictError'], gen: args(mix(fc.constant('op')), mix(fc.constant(['a problem']))), call: (op, p) => new nn.StateDictError(op as string, p as string[]).message, ops: ['StateDictError', 'op'] },
  { name: 'nn.SafetensorsError', covers: ['nn:SafetensorsError'], gen: args(mix(fc.constant('msg')), opt(fc.constant('w'))), call: (m, t) => new nn.SafetensorsError(m as string, t as string).message },
  { name: 'nn.linear', covers: ['nn:linear'], gen: args(X23, mix(tensorArb({ shape: [2, 3] })), opt(tensorArb({ shape: [2] }))), call: (x, w, b) => nn.linear(x as Tensor, w as Tensor, b as Tensor), nanOk: true },
  { name: 'nn.dropout', covers: ['nn:dropout'], gen: args(X23, opt(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(1, -0.5, 2, NaN))), opt(fc.record({ training: opt(fc.boolean()), seed: opt(intArb(0, 9)), generator: opt(fc.constant(0).map(() => new ag.Generator(1))) }, { requiredKeys: [] }))), call: (x, p, o) => nn.dropout(x as Tensor, p as number, o as never) },
  { name: 'nn.getActivation', covers: ['nn:getActivation'], gen: args(mix(fc.constantFrom('relu', 'tanh', 'sigmoid', 'gelu', 'linear', 'softmax', 'bogus'))), call: (a) => nn.getActivation(a as never)(ag.tensor([[1, -1]])) },
  { name: 'nn.calculateGain', covers: ['nn:calculateGain'], gen: args(mix(fc.constantFrom('linear', 'relu', 'leaky_relu', 'tanh', 'sigmoid', 'selu', 'conv2d', 'bogus')), opt(smallNum)), call: (n, p) => nn.calculateGain(n as never, p as number) },
  { name: 'nn.computeFans', covers: ['nn:computeFans'], gen: args(fc.oneof(fc.array(intArb(0, 4), { maxLength: 4 }) as fc.Arbitrary<unknown>, T, garbage)), call: (s) => nn.computeFans(s as never) },
  { name: 'nn.init', covers: ['nn:init'], ops: ['init', 'xavierUniform_', 'zeros_', 'calculateGain'], gen: args(initTensor, fc.constantFrom('xavierUniform_', 'zeros_', 'calculateGain')), call: (t, k) => (nn.init as unknown as Record<string, (x: unknown) => unknown>)[k as string]!(t) },
  { name: 'nn.l1Penalty', covers: ['nn:l1Penalty'], gen: args(fc.oneof(moduleArb as fc.Arbitrary<unknown>, fc.array(T, { maxLength: 2 }), garbage), num), call: (p, l) => nn.l1Penalty(p as never, l as number), nanOk: true },
  { name: 'nn.l2Penalty', covers: ['nn:l2Penalty'], gen: args(fc.oneof(moduleArb as fc.Arbitrary<unknown>, fc.array(T, { maxLength: 2 }), garbage), num), call: (p, l) => nn.l2Penalty(p as never, l as number), nanOk: true },
  { name: 'nn.regularizers', covers: ['nn:regularizers'], ops: ['regularizers', 'l1', 'l2', 'l1l2'], gen: args(fc.constantFrom('l1', 'l2', 'l1l2'), opt(fc.oneof(smallNum, fc.record({ l1: opt(smallNum), l2: opt(smallNum) }, { requiredKeys: [] }))), T), call: (k, a, w) => { const r = (nn.regularizers as Record<string, (x: unknown) => nn.Regularizer>)[k as string]!(a); r.toString(); return r.call(w as Tensor); }, nanOk: true },
  {
    name: 'nn.gradientReport',
    covers: ['nn:gradientReport'],
    gen: args(
      fc.oneof({ arbitrary: moduleArb.map((m) => { const mm = m as nn.Module; if (mm.parameters().length > 0 && mm.parameters()[0]!.shape.length === 2) { try { mm.call(ag.ones([2, 3])).sum().backward(); } catch { /* a module that cannot run is reported without gradients */ } } return mm; }) as fc.Arbitrary<unknown>, weight: 4 }, { arbitrary: garbage, weight: 1 }),
      opt(fc.record({ vanishing: opt(mix(fc.constantFrom(1e-3, 1e-5, 0, -1))), exploding: opt(mix(fc.constantFrom(10, 1e3, 0))) }, { requiredKeys: [] })),
    ),
    call: (m, o) => String(nn.gradientReport(m as never, o as never)),
  },
  { name: 'nn.summary', covers: ['nn:summary'], gen: args(fc.oneof(moduleArb as fc.Arbitrary<unknown>, garbage), mix(fc.oneof(fc.constant([3]), fc.constant([2, 3]))), opt(fc.record({ print: fc.constant(false), batchSize: opt(fc.oneof(intArb(1, 3), fc.constantFrom(0, -1, 0.5))), dtype: opt(mix(dtypeArb)) }, { requiredKeys: ['print'] }))), call: (m, s, o) => nn.summary(m as never, s as never, (o ?? { print: false }) as never) },
  { name: 'nn.formatCount', covers: ['nn:formatCount'], gen: args(mix(fc.oneof(intArb(0, 1e9), fc.constantFrom(1e12, 0.5)))), call: (n) => nn.formatCount(n as number) },
  { name: 'nn.saveWeights', covers: ['nn:saveWeights'], gen: args(fc.oneof(moduleArb as fc.Arbitrary<unknown>, garbage), opt(fc.oneof(fc.constant({ a: 'b' }) as fc.Arbitrary<unknown>, fc.constant({ a: 1 }), garbage))), call: (m, md) => nn.saveWeights(m as never, md as never) },
  {
    name: 'nn.loadWeights',
    covers: ['nn:loadWeights'],
    gen: moduleArb.chain((m) => fc.tuple(fc.constant(m) as fc.Arbitrary<unknown>, fc.oneof(
      fc.constant(0).map(() => nn.saveWeights(m)) as fc.Arbitrary<unknown>,
      fc.constant(0).map(() => nn.saveWeights(new nn.Linear(5, 5))),
      fc.constant(0).map(() => { const b = nn.saveWeights(m); b[10] = 0x7b; return b; }),
      fc.constant(0).map(() => nn.saveWeights(m).slice(0, 20)),
      garbage,
    ), opt(fc.record({ strict: opt(fc.boolean()) }, { requiredKeys: [] }))).map((a) => ({ args: a }))),
    call: (m, b, o) => [nn.loadWeights(m as never, b as never, o as never), ...(m as nn.Module).parameters()],
    ops: ['loadWeights', 'loadStateDict', 'decodeSafetensors', 'safetensors'],
  },
  { name: 'nn.saveWeightsFile', covers: ['nn/node:saveWeightsFile'], gen: args(fc.oneof(moduleArb as fc.Arbitrary<unknown>, garbage), mix(fc.constant('weights.safetensors'), 3, 1)), call: (m, p) => nnNode.saveWeightsFile(m as never, inFiles(p)), runs: 0.3 },
  { name: 'nn.loadWeightsFile', covers: ['nn/node:loadWeightsFile'], gen: args(fc.oneof(moduleArb as fc.Arbitrary<unknown>, garbage), mix(fc.constantFrom('weights.safetensors', 'missing.safetensors', ''), 3, 1)), call: (m, p) => nnNode.loadWeightsFile(m as never, inFiles(p)), runs: 0.3,
    // loading a file saved from another model fails in that model's loadStateDict, which names it ('Linear.loadStateDict: …')
    ops: ['loadWeightsFile', 'loadWeights', 'loadStateDict'] },
  { name: 'nn.encodeSafetensors', covers: ['nn:encodeSafetensors'], ops: ['encodeSafetensors', 'safetensors'], gen: args(fc.oneof(fc.constant(0).map(() => ({ w: ag.ones([2, 2]) })) as fc.Arbitrary<unknown>, fc.constant(0).map(() => ({ w: { dtype: 'F32', shape: [2], data: new Float32Array(2) } })), fc.constant(0).map(() => ({ w: { dtype: 'I64', shape: [-1], data: [1] } })), garbage), opt(fc.oneof(fc.constant({ a: 'b' }) as fc.Arbitrary<unknown>, garbage))), call: (t, m) => nn.encodeSafetensors(t as never, m as never) },
  { name: 'nn.decodeSafetensors', covers: ['nn:decodeSafetensors'], ops: ['decodeSafetensors', 'safetensors'], gen: args(fc.oneof(
    fc.constant(0).map(() => nn.encodeSafetensors({ w: ag.ones([2, 2]) as never })) as fc.Arbitrary<unknown>,
    fc.constant(0).map(() => { const h = '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'; const b = new Uint8Array(8 + h.length + 4); new DataView(b.buffer).setUint32(0, h.length, true); b.set(new TextEncoder().encode(h), 8); return label(b, '<safetensors bytes whose header has the key "w" twice>'); }),
    fc.constant(0).map(() => new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255])),
    fc.constant(0).map(() => new Uint8Array(4)),
    garbage,
  )), call: (b) => nn.decodeSafetensors(b as never) },
];

/** Container and BatchNorm methods. */
const CONTAINER_METHODS: FuzzEntry[] = [
  ...(['at', 'append', 'set', 'extend', 'insert', 'pop'] as const).map((meth): FuzzEntry => ({
    name: `nn.ModuleList#${meth}`,
    covers: [`ModuleList#${meth}`, ...(meth === 'at' ? ['ModuleList#length', 'ModuleList#forward', 'ModuleList#extraRepr'] : [])],
    ops: [`ModuleList`, meth, 'ModuleList.at', `ModuleList.${meth}`],
    gen: args(fc.constant(0).map(() => new nn.ModuleList([new nn.ReLU(), new nn.Tanh()])), mix(intArb(-3, 3)), mix(fc.constant(0).map(() => new nn.Sigmoid()))),
    call: (l, a, b) => {
      const L = l as nn.ModuleList;
      const r = meth === 'at' ? L.at(a as number) : meth === 'append' ? L.append(b as never) : meth === 'set' ? L.set(a as number, b as never) : meth === 'extend' ? L.extend(b as never) : meth === 'insert' ? L.insert(a as number, b as never) : L.pop(a as number);
      if (meth === 'at') { void L.length; L.toString(); }
      return r;
    },
  })),
  ...(['at', 'append'] as const).map((meth): FuzzEntry => ({
    name: `nn.Sequential#${meth}`,
    covers: [`Sequential#${meth}`, ...(meth === 'at' ? ['Sequential#length', 'Sequential#forward', 'Sequential#extraRepr'] : [])],
    ops: ['Sequential', meth, `Sequential.${meth}`],
    gen: args(fc.constant(0).map(() => new nn.Sequential(new nn.ReLU(), new nn.Tanh())), mix(intArb(-3, 3)), mix(fc.constant(0).map(() => new nn.Sigmoid()))),
    call: (s, a, b) => (meth === 'at' ? (s as nn.Sequential).at(a as number) : (s as nn.Sequential).append(b as never)),
  })),
  ...(['get', 'set', 'has', 'delete', 'clear', 'update', 'keys', 'values', 'entries'] as const).map((meth): FuzzEntry => ({
    name: `nn.ModuleDict#${meth}`,
    covers: [`ModuleDict#${meth}`, ...(meth === 'get' ? ['ModuleDict#size', 'ModuleDict#forward', 'ModuleDict#extraRepr'] : [])],
    ops: ['ModuleDict', meth, `ModuleDict.${meth}`],
    gen: args(fc.constant(0).map(() => new nn.ModuleDict({ a: new nn.ReLU() })), mix(fc.constantFrom('a', 'b', '__proto__', 'constructor', '')), mix(fc.constant(0).map(() => new nn.Sigmoid()))),
    call: (d, k, m) => {
      const D = d as nn.ModuleDict as unknown as Record<string, (...x: unknown[]) => unknown>;
      const r = meth === 'set' ? D[meth]!(k, m) : meth === 'update' ? D[meth]!(m) : D[meth]!(k);
      return r !== null && typeof r === 'object' && Symbol.iterator in (r as object) && !(r instanceof nn.Module) ? Array.from(r as Iterable<unknown>) : r;
    },
  })),
  { name: 'nn.BatchNorm1d#resetRunningStats', covers: ['BatchNorm1d#resetRunningStats'], gen: args(fc.constant(0).map(() => new nn.BatchNorm1d(3))), call: (b) => (b as nn.BatchNorm1d).resetRunningStats() },
];

/** Whole-model save and load: Sequentials of built-in layers, custom modules, spoiled JSON and directories. */
const SAVABLE: ReadonlyArray<[string, () => nn.Module]> = [
  ['new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2))', MODULES[1]![1]],
  ["new Sequential(new Dense(3, 2, { activation: 'tanh', kernelRegularizer: regularizers.l2(0.1) }), new Dropout(0.3, { seed: 1 }))", () => new nn.Sequential(new nn.Dense(3, 2, { activation: 'tanh', kernelRegularizer: nn.regularizers.l2(0.1), generator: new ag.Generator(1) }), new nn.Dropout(0.3, { seed: 1 }))],
  ["new Sequential(new BatchNorm1d(3, { dtype: 'float64' }), new LayerNorm(3, { dtype: 'float64' }), new Sequential(new Softmax(-1)))", () => new nn.Sequential(new nn.BatchNorm1d(3, { dtype: 'float64' }), new nn.LayerNorm(3, { dtype: 'float64' }), new nn.Sequential(new nn.Softmax(-1)))],
  ['new Sequential(new Linear(2, 2, { activation: x => x.abs() }))', () => new nn.Sequential(new nn.Linear(2, 2, { activation: (x) => x.abs() }))],
  ['new Sequential(shared, shared) (one Linear(2, 2) twice)', () => { const l = new nn.Linear(2, 2); return new nn.Sequential(l, l); }],
];
const savableArb = fc.oneof(
  { arbitrary: fc.constantFrom(...SAVABLE).map(([l, f]) => label(f(), l)) as fc.Arbitrary<unknown>, weight: 4 },
  { arbitrary: moduleArb as fc.Arbitrary<unknown>, weight: 1 },
  { arbitrary: garbage, weight: 1 },
);
/** A saved architecture, whole or with one field spoiled. */
const SPOILS: ReadonlyArray<[string, (j: Record<string, any>) => void]> = [
  ['as saved', () => {}],
  ['formatVersion: 2', (j) => { j.formatVersion = 2; }],
  ["format: 'x'", (j) => { j.format = 'x'; }],
  ["layers[0].class: 'Conv2d'", (j) => { j.model.config.layers[0].class = 'Conv2d'; }],
  ['layers[0].config.inFeatures: -1', (j) => { j.model.config.layers[0].config.inFeatures = -1; }],
  ["layers[0].config.activation: 'nope'", (j) => { j.model.config.layers[0].config.activation = 'nope'; }],
  ['layers[0].config: null', (j) => { j.model.config.layers[0].config = null; }],
  ['layers[1]: 7', (j) => { j.model.config.layers[1] = 7; }],
  ['model: null', (j) => { j.model = null; }],
  ['training: 3', (j) => { j.training = 3; }],
];
const jsonArb = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom(...SAVABLE.slice(0, 3)), fc.constantFrom(...SPOILS), fc.boolean()).map(([[ml, mf], [sl, spoil], asText]) => {
    const j = structuredClone(nn.modelToJSON(mf() as nn.Sequential)) as Record<string, any>;
    spoil(j);
    // a string cannot carry a label, and its rendering is cut short: spoils whose message quotes a
    // value (null) are passed as the labelled object, so the oracle sees where the value came from
    if (sl.includes('null')) asText = false;
    return label(asText ? JSON.stringify(j) : j, `modelToJSON(${ml}) ${sl}${asText ? ' as text' : ''}`);
  }) as fc.Arbitrary<unknown>, weight: 4 },
  { arbitrary: fc.constantFrom('{"format": ', '[]', 'null', ''), weight: 1 },
  { arbitrary: garbage, weight: 1 },
);
// saved directories, written once: a good one, and ones missing a file or with mismatched weights
const MODEL_DIRS = ((): Record<string, string> => {
  const m = SAVABLE[0]![1]() as nn.Sequential;
  const write = (name: string, json: unknown, weights: Uint8Array | null): string => {
    const d = join(FILES, name);
    mkdirSync(d, { recursive: true });
    if (json !== null) writeFileSync(join(d, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
    if (weights !== null) writeFileSync(join(d, 'model.safetensors'), weights);
    return name;
  };
  return {
    good: write('model-good', nn.modelToJSON(m), nn.saveWeights(m)),
    noWeights: write('model-no-weights', nn.modelToJSON(m), null),
    noJson: write('model-no-json', null, nn.saveWeights(m)),
    otherWeights: write('model-other-weights', nn.modelToJSON(m), nn.saveWeights(new nn.Sequential(new nn.Linear(2, 2)))),
    badJson: write('model-bad-json', '{"format":', nn.saveWeights(m)),
    truncated: write('model-truncated', nn.modelToJSON(m), nn.saveWeights(m).subarray(0, 30)),
  };
})();
const MODEL_ENTRIES: FuzzEntry[] = [
  {
    name: 'nn.modelToJSON', covers: ['nn:modelToJSON'], gen: args(savableArb), call: (m) => nn.modelToJSON(m as never),
    // what it wrote rebuilds the same layers
    check: (r, c) => (nn.modelFromJSON(r as never).toString() === (c.args[0] as nn.Module).toString() ? null : 'modelFromJSON(modelToJSON(m)) prints differently from m'),
  },
  { name: 'nn.modelFromJSON', covers: ['nn:modelFromJSON'], gen: args(jsonArb), call: (j) => nn.modelFromJSON(j as never) },
  { name: 'nn.ModelFormatError', covers: ['nn:ModelFormatError'], gen: args(mix(fc.constant('op')), mix(fc.constant(['a problem', 'another']))), call: (op, p) => new nn.ModelFormatError(op as string, p as string[]).message, ops: ['ModelFormatError', 'op'] },
  { name: 'nn.saveModel', covers: ['nn/node:saveModel'], gen: args(savableArb, mix(fc.constantFrom('saved-model', 'saved/nested/model'), 3, 1)), call: (m, p) => nnNode.saveModel(m as never, inFiles(p)), runs: 0.3 },
  {
    name: 'nn.loadModel', covers: ['nn/node:loadModel'], gen: args(mix(fc.constantFrom(...Object.values(MODEL_DIRS), 'missing-dir'), 4, 1)),
    call: (p) => nnNode.loadModel(inFiles(p)), runs: 0.3,
  },
];

export const ENTRIES: FuzzEntry[] = [
  ...moduleMethodEntries, ...LAYER_ENTRIES, ...LOSS_ENTRIES, ...LOSS_FN_ENTRIES, ...INIT_ENTRIES, ...MISC, ...CONTAINER_METHODS, ...MODEL_ENTRIES,
  // more families, each in its own module (called here: they use this module's helpers)
  ...lossesMoreEntries(),
  ...convLayerEntries(),
  ...normLayerEntries(),
  ...recurrentLayerEntries(),
  ...attentionLayerEntries(),
];

void FuzzUserError;
void ([] as Case[]);
