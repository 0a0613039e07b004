/**
 * The scan family's test descriptions' shared pieces: plain-loop whole-tensor references
 * (`OpTest.oracle`) and samplers. Nothing here uses a memograd op: the references walk the lanes
 * with index arithmetic over plain arrays.
 */
import type { OracleInput, OracleOutput, Pick } from './define.ts';

/** A random shape of rank 0..3 with sizes 1..4 (the 'unary' family). */
export function randomShape(pick: Pick, minRank = 0): number[] {
  return Array.from({ length: minRank + pick(4 - minRank) }, () => 1 + pick(4));
}

/** A random axis of a shape, negative-free (0 for a 0-d shape). */
export const pickAxis = (shape: readonly number[], pick: Pick): number => (shape.length === 0 ? 0 : pick(shape.length));

/** The lanes of `shape` along `axis` as lists of flat positions (0-d: one lane [0]). */
export function laneIndices(shape: readonly number[], axis: number): number[][] {
  if (shape.length === 0) return [[0]];
  const n = shape[axis]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const size = shape.reduce((a, b) => a * b, 1);
  const lanes: number[][] = [];
  if (n === 0) return lanes;
  for (let start = 0; start < size; start++) {
    // a lane starts at each element whose coordinate along the axis is 0
    if (Math.floor(start / inner) % n !== 0) continue;
    lanes.push(Array.from({ length: n }, (_, k) => start + k * inner));
  }
  return lanes;
}

/** A scan reference: each lane's running fold (from the end when `reverse`). */
export function scanOracle(x: OracleInput, axis: number, reverse: boolean, f: (acc: number, v: number) => number): OracleOutput {
  const out = new Array<number>(x.data.length).fill(0);
  for (let lane of laneIndices(x.shape, axis)) {
    if (reverse) lane = lane.slice().reverse();
    let acc = NaN;
    lane.forEach((p, k) => {
      acc = k === 0 ? x.data[p]! : f(acc, x.data[p]!);
      out[p] = acc;
    });
  }
  return { shape: x.shape, data: out };
}

/** The lane's [value, position] pairs sorted by value (NaN largest), ties by position. */
export function sortedLane(x: OracleInput, lane: readonly number[], descending: boolean): [number, number][] {
  const pairs = lane.map((p, k): [number, number] => [x.data[p]!, k]);
  const cmp = (a: number, b: number): number => {
    const an = Number.isNaN(a);
    const bn = Number.isNaN(b);
    if (an || bn) return an && bn ? 0 : an ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  pairs.sort((a, b) => (descending ? cmp(b[0], a[0]) : cmp(a[0], b[0])) || a[1] - b[1]);
  return pairs;
}

/**
 * Distinct values for the sorting ops' gradient checks: a random permutation of evenly spaced
 * values (spacing 0.25, so finite differences never swap two of them), with a little jitter.
 */
export function distinctValues(shapes: readonly number[][], random: () => number): number[][] {
  return shapes.map((s) => {
    const n = s.reduce((a, b) => a * b, 1);
    const vals = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.25 + 0.05 * random());
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [vals[i], vals[j]] = [vals[j]!, vals[i]!];
    }
    return vals;
  });
}
