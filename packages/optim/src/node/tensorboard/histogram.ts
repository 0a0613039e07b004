/**
 * PyTorch's `make_histogram` (torch/utils/tensorboard/summary.py): NumPy's `np.histogram` over the
 * given bin edges, trimmed to the support of the data with one empty bucket on the left (TensorBoard
 * stores right edges only, so the empty bucket carries the leftmost edge), plus min, max, count, sum
 * and sum of squares of the values.
 */
import type { Histogram } from './messages.ts';

/**
 * The default bins of `add_histogram(bins='tensorflow')`: ±1e-12·1.1^k up to 1e20 and 0, built by
 * the same repeated multiplication as PyTorch's `SummaryWriter.__init__`, so the edges are the same
 * doubles.
 */
export const TENSORFLOW_BINS: readonly number[] = (() => {
  const pos: number[] = [];
  let v = 1e-12;
  while (v < 1e20) {
    pos.push(v);
    v *= 1.1;
  }
  return [...pos.map((x) => -x).reverse(), 0, ...pos];
})();

/**
 * `np.histogram(values, bins=n)`: n equal bins over [min, max] (widened by 0.5 each way when all
 * values are equal), with `np.linspace`'s edges (`start + i·step`, the last edge exactly `stop`).
 */
export function equalBins(min: number, max: number, n: number): number[] {
  let lo = min;
  let hi = max;
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const step = (hi - lo) / n;
  const edges = new Array<number>(n + 1);
  for (let i = 0; i < n; i++) edges[i] = i * step + lo;
  edges[n] = hi;
  return edges;
}

/**
 * `np.histogram` counts for increasing `edges`: bin i holds edges[i] <= v < edges[i+1], the last bin
 * also holds v == edges[n]; values outside [edges[0], edges[n]] are not counted.
 */
export function countBins(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const n = edges.length - 1;
  const counts = new Array<number>(n).fill(0);
  const last = edges[n]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= edges[0]! && v <= last)) continue;
    if (v === last) {
      counts[n - 1]! += 1;
      continue;
    }
    // the largest j with edges[j] <= v
    let lo = 0;
    let hi = n;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! <= v) lo = mid;
      else hi = mid;
    }
    counts[lo]! += 1;
  }
  return counts;
}

/**
 * The HistogramProto PyTorch writes for `values` (finite, at least one, all inside the edges: the
 * caller checks) and bin `edges`.
 *
 * One deviation: when all values are equal, the histogram is the single bucket (min, max] with every
 * value, where PyTorch writes an empty bucket and a full one. TensorBoard's dashboards show the same
 * (its migration drops empty end buckets and uses min and max as the outer edges), and the file
 * avoids the ambiguous "min and max both 0 with 2 buckets" that tb-read warns about (a zero-initialised
 * bias is such a tensor).
 */
export function makeHistogram(values: ArrayLike<number>, edges: readonly number[]): Histogram {
  let counts = countBins(values, edges);
  let limits: number[] = [...edges];
  const nonzero = counts.map((c) => c > 0);
  const first = nonzero.indexOf(true);
  const lastNz = nonzero.lastIndexOf(true);
  const end = lastNz + 1;
  // one empty bucket on the left: the bin before the first non-empty one, or an added zero
  counts = first > 0 ? counts.slice(first - 1, end) : [0, ...counts.slice(0, end)];
  limits = limits.slice(first, end + 1);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  if (min === max) return { min, max, num: values.length, sum, sumSquares, bucketLimit: [max], bucket: [values.length] };
  return { min, max, num: values.length, sum, sumSquares, bucketLimit: limits, bucket: counts };
}
