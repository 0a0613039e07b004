/**
 * Fuzz entries for the nn-ops ops: each public function of the family (function-only, as in
 * torch.nn.functional; the registry entries are fuzzed by entries.ts through their `call`). Called
 * from entries.ts's ENTRIES, so the helpers imported from it are initialised by then.
 */
import fc from 'fast-check';
import * as ag from '@memograd/autograd';
import { asT, indexArb, opEntries, X } from './entries.ts';
import { args, epsVanishes, garbage, intArb, mix, opt, shapeEq, smallNum, tensorArb, type FuzzEntry } from './harness.ts';

/** A [N, C, ...] input (often), with C = channels. */
const nc = (channels: number) => fc.oneof(
  { arbitrary: fc.array(intArb(1, 3), { maxLength: 2 }).chain((sp) => tensorArb({ shape: [1 + (sp.length % 2), channels, ...sp] })) as fc.Arbitrary<unknown>, weight: 6 },
  { arbitrary: X, weight: 1 },
);
/** A per-channel tensor for C channels (often), or something else. */
const perChannel = (c: number) => opt(fc.oneof({ arbitrary: tensorArb({ shape: [c], requiresGrad: false }) as fc.Arbitrary<unknown>, weight: 5 }, { arbitrary: tensorArb(), weight: 1 }, { arbitrary: garbage, weight: 1 }));
const eps = opt(fc.oneof(fc.constantFrom(1e-5, 0.1, 0), smallNum));

/** interpolate's output shape check: N and C kept, spatial sizes as requested. */
function interpolateCheck(res: unknown, c: { args: unknown[] }): string | null {
  const x = asT(c.args[0]);
  const out = asT(res);
  if (!x || !out) return null;
  if (x.rank !== 3 && x.rank !== 4) return `returned for a rank-${x.rank} input`;
  if (out.shape[0] !== x.shape[0] || out.shape[1] !== x.shape[1]) return `shape ${JSON.stringify(out.shape)} does not keep N, C of ${JSON.stringify(x.shape)}`;
  const o = c.args[1] as { size?: unknown };
  if (o.size !== undefined) {
    const want = typeof o.size === 'number' ? x.shape.slice(2).map(() => o.size as number) : (o.size as number[]);
    if (!shapeEq(out.shape.slice(2), want)) return `spatial shape ${JSON.stringify(out.shape.slice(2))}, requested ${JSON.stringify(o.size)}`;
  }
  return null;
}

export function nnOpsEntries(): FuzzEntry[] {
  const sizes = fc.oneof(intArb(1, 5), fc.array(intArb(1, 4), { minLength: 1, maxLength: 2 }), fc.constantFrom(0, -1, 2.5, NaN));
  const factors = fc.oneof(fc.constantFrom(0.5, 1.3, 2, 1.5), fc.array(fc.constantFrom(0.5, 2, 1.7), { minLength: 1, maxLength: 2 }), fc.constantFrom(0, -1, NaN, Infinity));
  const interpOpts = mix(fc.record({
    size: opt(sizes), scaleFactor: opt(factors),
    mode: opt(mix(fc.constantFrom('nearest', 'linear', 'bilinear', 'bicubic'))),
    alignCorners: opt(mix(fc.boolean())), recomputeScaleFactor: opt(mix(fc.boolean())),
  }, { requiredKeys: [] }), 6, 1);
  const spatialX = fc.oneof(
    { arbitrary: fc.array(intArb(1, 4), { minLength: 1, maxLength: 2 }).chain((sp) => tensorArb({ shape: [1 + (sp.length % 2), 2, ...sp] })) as fc.Arbitrary<unknown>, weight: 6 },
    { arbitrary: X, weight: 1 },
  );
  const factorArb = mix(fc.oneof(intArb(1, 3), fc.constantFrom(0, -1, 1.5)));
  const channels = fc.integer({ min: 1, max: 4 });
  return [
    ...opEntries('interpolate', { rest: () => fc.tuple(interpOpts), method: null, check: interpolateCheck }).map((e) => ({
      ...e, gen: fc.tuple(spatialX, interpOpts).map((a) => ({ args: a })),
    })),
    ...opEntries('pixelShuffle', { rest: () => fc.tuple(factorArb), method: null }).map((e) => ({
      ...e, gen: fc.tuple(fc.oneof({ arbitrary: tensorArb({ shape: [1, 8, 2, 1] }) as fc.Arbitrary<unknown>, weight: 2 }, { arbitrary: X, weight: 2 }), factorArb).map((a) => ({ args: a })),
    })),
    ...opEntries('pixelUnshuffle', { rest: () => fc.tuple(factorArb), method: null }).map((e) => ({
      ...e, gen: fc.tuple(fc.oneof({ arbitrary: tensorArb({ shape: [1, 2, 2, 4] }) as fc.Arbitrary<unknown>, weight: 2 }, { arbitrary: X, weight: 2 }), factorArb).map((a) => ({ args: a })),
    })),
    {
      name: 'embedding',
      covers: ['autograd:embedding'],
      gen: fc.integer({ min: 0, max: 4 }).chain((rows) => args(
        indexArb(rows),
        fc.oneof({ arbitrary: tensorArb({ shape: [rows, 3] }) as fc.Arbitrary<unknown>, weight: 5 }, { arbitrary: X, weight: 1 }),
        opt(fc.oneof(fc.record({ paddingIdx: opt(mix(intArb(-5, 5))) }, { requiredKeys: [] }) as fc.Arbitrary<unknown>, fc.constant({ maxNorm: 1 }), garbage)),
      )),
      call: (i, w, o) => ag.embedding(i as never, w as never, o as never),
      check: (res, c) => {
        const out = asT(res);
        const w = asT(c.args[1]);
        if (!out || !w) return null;
        return out.shape[out.rank - 1] === w.shape[1] ? null : `shape ${JSON.stringify(out.shape)} does not end with the embedding size of ${JSON.stringify(w.shape)}`;
      },
    },
    {
      name: 'scaledDotProductAttention',
      covers: ['autograd:scaledDotProductAttention'],
      gen: fc.tuple(intArb(1, 3), intArb(1, 3), intArb(1, 3)).chain(([l, s, e]) => args(
        fc.oneof({ arbitrary: tensorArb({ shape: [2, l, e] }) as fc.Arbitrary<unknown>, weight: 5 }, { arbitrary: X, weight: 1 }),
        fc.oneof({ arbitrary: tensorArb({ shape: [2, s, e] }) as fc.Arbitrary<unknown>, weight: 5 }, { arbitrary: X, weight: 1 }),
        fc.oneof({ arbitrary: tensorArb({ shape: [2, s, 2] }) as fc.Arbitrary<unknown>, weight: 5 }, { arbitrary: X, weight: 1 }),
        opt(mix(fc.record({
          attnMask: opt(fc.oneof(tensorArb({ shape: [l, s], range: [0, 1] }) as fc.Arbitrary<unknown>, tensorArb(), garbage)),
          maskIsBoolean: opt(mix(fc.boolean())), isCausal: opt(mix(fc.boolean())),
          dropoutP: opt(fc.oneof(fc.constantFrom(0, 0.5, 1, -0.1, 2, NaN))), scale: opt(mix(smallNum)),
          generator: opt(fc.oneof(fc.integer().map((s) => new ag.Generator(s)) as fc.Arbitrary<unknown>, garbage)),
        }, { requiredKeys: [] }), 6, 1)),
      )),
      call: (q, k, v, o) => ag.scaledDotProductAttention(q as never, k as never, v as never, o as never),
      // a query whose keys are all masked out gets NaN (PyTorch's math kernel)
      nanOk: true,
    },
    {
      name: 'groupNorm',
      covers: ['autograd:groupNorm'],
      gen: channels.chain((c) => args(nc(c), mix(intArb(1, 4)), perChannel(c), perChannel(c), opt(mix(fc.record({ eps }, { requiredKeys: [] }))))),
      call: (x, g, w, b, o) => ag.groupNorm(x as never, g as number, w as never, b as never, o as never),
      // a constant group with eps = 0 is 0 / 0 = NaN, as in PyTorch
      nanOk: (c) => epsVanishes(c.args[4]),
    },
    {
      name: 'instanceNorm',
      covers: ['autograd:instanceNorm'],
      gen: channels.chain((c) => args(nc(c), opt(mix(fc.record({
        runningMean: perChannel(c), runningVar: perChannel(c), weight: perChannel(c), bias: perChannel(c),
        useInputStats: opt(mix(fc.boolean())), momentum: opt(mix(smallNum)), eps,
      }, { requiredKeys: [] }))))),
      call: (x, o) => ag.instanceNorm(x as never, o as never),
      // a negative running variance (drawn at random) gives NaN in evaluation, as in PyTorch
      nanOk: true,
    },
    {
      name: 'batchNorm',
      covers: ['autograd:batchNorm'],
      gen: channels.chain((c) => args(nc(c), perChannel(c), perChannel(c), opt(mix(fc.record({
        weight: perChannel(c), bias: perChannel(c), training: opt(mix(fc.boolean())), momentum: opt(mix(smallNum)), eps,
      }, { requiredKeys: [] }))))),
      call: (x, rm, rv, o) => ag.batchNorm(x as never, rm as never, rv as never, o as never),
      nanOk: true, // a negative running variance gives NaN in evaluation, as in PyTorch
    },
  ];
}
