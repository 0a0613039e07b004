/**
 * Turns an op's declarative `test` description into concrete float64 inputs and parameters.
 * All randomness flows from one integer seed (drawn by fast-check), so a failing case is replayed
 * from the seed fast-check prints.
 */
import { Generator, Tensor } from '../../src/index.ts';
import type { OpTest, Pick } from '../../src/index.ts';

export interface Sample {
  shapes: number[][];
  params: unknown;
  inputs: Tensor[];
}

function randomShape(pick: Pick, maxRank = 3): number[] {
  return Array.from({ length: pick(maxRank + 1) }, () => 1 + pick(4));
}

/** Two shapes that broadcast: equal, one a suffix of the other, 1s sprinkled in, or a scalar. */
function broadcastPair(pick: Pick): number[][] {
  const a = randomShape(pick);
  let b: number[];
  switch (pick(4)) {
    case 0: b = a.slice(); break;
    case 1: b = a.slice(pick(a.length + 1)); break;
    case 2: b = a.map((d) => (pick(2) ? 1 : d)); break;
    default: b = [];
  }
  return pick(2) ? [a, b] : [b, a];
}

export function drawShapes(test: OpTest<unknown>, pick: Pick): { shapes: number[][]; params: unknown } {
  if (test.sample) return test.sample(pick);
  const spec = test.shapes;
  const shapes = typeof spec === 'function' ? spec(pick) : spec === 'binary' ? broadcastPair(pick) : [randomShape(pick)];
  return { shapes, params: test.params ? test.params(shapes, pick) : undefined };
}

/** The values the NaN-propagation properties mix into the samples. */
export const SPECIAL_VALUES: readonly number[] = [NaN, Infinity, -Infinity, 0, -0];

export interface DrawOptions {
  /**
   * The probability with which each element is replaced by one of SPECIAL_VALUES (after the
   * domain, `avoid`, `smoothAt` and `ties`: for forward checks only). Default 0.
   */
  special?: number;
  /** Whether to use the op's `smoothAt` points (default true; false for second-order checks of ops with smoothAtFirstOrderOnly). */
  smoothAt?: boolean;
}

const MAX_REDRAWS = 1000;

export function drawSample(test: OpTest<unknown>, seed: number, options: DrawOptions = {}): Sample {
  const g = new Generator(seed);
  const pick: Pick = (n) => Math.floor(g.random() * n);
  const { shapes, params } = drawShapes(test, pick);
  const domains = test.domain;
  const domainOf = (i: number): readonly [number, number] => {
    if (!domains) return [-2, 2];
    return Array.isArray(domains[0]) ? (domains as readonly (readonly [number, number])[])[i] ?? [-2, 2] : (domains as readonly [number, number]);
  };
  const values: number[][] = test.values
    ? test.values(shapes, params, () => g.random())
    : shapes.map((s) => new Array(s.reduce((a, b) => a * b, 1)).fill(0));
  const smoothAt = options.smoothAt === false ? [] : typeof test.smoothAt === 'function' ? test.smoothAt(params) : test.smoothAt ?? [];
  if (test.values && (values.length !== shapes.length || values.some((v, i) => v.length !== shapes[i]!.reduce((a, b) => a * b, 1)))) {
    throw new Error(`drawSample: test.values returned ${values.length} arrays of lengths ${values.map((v) => v.length).join(', ')} for shapes ${JSON.stringify(shapes)}`);
  }
  if (!test.values) values.forEach((vals, i) => {
    const [lo, hi] = domainOf(i);
    for (let j = 0; j < vals.length; j++) {
      let v: number;
      if (smoothAt.length > 0 && g.random() < 0.25) v = smoothAt[pick(smoothAt.length)]!; // exactly at a branch point
      else if (test.ties && j > 0 && g.random() < 0.25) v = vals[pick(j)]!; // a tie with an earlier element
      else {
        v = lo + (hi - lo) * g.random();
        let tries = 0;
        while (test.avoid?.(v, i, values)) {
          if (++tries > MAX_REDRAWS) {
            throw new Error(`drawSample: no value in [${lo}, ${hi}] for input ${i} passed 'avoid' in ${MAX_REDRAWS} redraws (seed ${seed})`);
          }
          v = lo + (hi - lo) * g.random();
        }
      }
      vals[j] = v;
    }
  });
  if (options.special) {
    for (const vals of values) {
      for (let j = 0; j < vals.length; j++) if (g.random() < options.special) vals[j] = SPECIAL_VALUES[pick(SPECIAL_VALUES.length)]!;
    }
  }
  const inputs = shapes.map((s, i) => {
    const t = new Tensor(Float64Array.from(values[i]!), s, 'float64');
    t.requiresGrad = true;
    return t;
  });
  return { shapes, params, inputs };
}

/** Broadcasts flat values of `shape` to `target`, row-major. */
export function broadcastValues(data: ArrayLike<number>, shape: readonly number[], target: readonly number[]): number[] {
  const n = target.reduce((a, b) => a * b, 1);
  const out = new Array<number>(n);
  const off = target.length - shape.length;
  for (let i = 0; i < n; i++) {
    let rem = i;
    let src = 0;
    let stride = 1;
    const idx = new Array<number>(target.length);
    for (let d = target.length - 1; d >= 0; d--) {
      idx[d] = rem % target[d]!;
      rem = Math.floor(rem / target[d]!);
    }
    for (let d = shape.length - 1; d >= 0; d--) {
      const k = shape[d] === 1 ? 0 : idx[d + off]!;
      src += k * stride;
      stride *= shape[d]!;
    }
    out[i] = data[src]!;
  }
  return out;
}
