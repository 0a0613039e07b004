/**
 * Index kernels of the sorting ops (ops/scan.ts): sort, topk and kthValue, lane by lane, each lane
 * copied into a Float64Array of values and sorted as an Int32Array of positions (no per-element
 * objects). NaN orders as the largest value, as in PyTorch.
 *
 * Which of several equal values comes first is not specified by PyTorch for topk and kthvalue; on
 * the CPU it is whatever its selection algorithm leaves. So that memograd's indices (and the
 * gradients, which follow them) are PyTorch's own, those two kernels replay PyTorch 1.13's CPU
 * algorithms step by step: `quick_select_template` (aten/native/SortingUtils.h) for kthvalue, and
 * libstdc++'s `std::nth_element` / `std::sort` / `std::partial_sort` (as called by
 * aten/native/TopKImpl.h) for topk. sort is stable (PyTorch's `stable: true`, and what its default
 * gives on the CPU for lanes of up to 16 elements).
 */
import type { FloatArray } from '../dtype.ts';
import type { Lanes } from './scan-lanes.ts';

/** A strict weak order on values: whether a goes before b. */
type Less = (a: number, b: number) => boolean;

/** Ascending with NaN last (the largest). */
const ascending: Less = (a, b) => a < b || (a === a && b !== b);
/** Descending with NaN first (the largest). */
const descending: Less = (a, b) => a > b || (a !== a && b === b);

/** Calls `f` for every lane with the lane's values copied out and the lane's element offsets. */
function forEachLane(x: ArrayLike<number>, { outer, n, inner }: Lanes, f: (vals: Float64Array, base: number) => void): void {
  const vals = new Float64Array(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      for (let k = 0; k < n; k++) vals[k] = x[base + k * inner]!;
      f(vals, base);
    }
  }
}

/** Positions that sort each lane stably (ties keep their order), NaN as the largest. */
export function argsortKernel(x: ArrayLike<number>, out: FloatArray, lanes: Lanes, desc: boolean): void {
  const { n, inner } = lanes;
  const pos = new Int32Array(n);
  const less = desc ? descending : ascending;
  forEachLane(x, lanes, (vals, base) => {
    for (let k = 0; k < n; k++) pos[k] = k;
    // the comparator breaks ties by position, so the order does not depend on the sort's stability
    pos.sort((p, q) => (less(vals[p]!, vals[q]!) ? -1 : less(vals[q]!, vals[p]!) ? 1 : p - q));
    for (let k = 0; k < n; k++) out[base + k * inner] = pos[k]!;
  });
}

/**
 * The position of the k-th smallest value (k 0-based) of each lane, as PyTorch 1.13's CPU kthvalue:
 * `quick_select_template` with the order "x > y or x is NaN and y is not". `out` has one element
 * per lane (lanes in row-major order of the other axes).
 */
export function kthKernel(x: ArrayLike<number>, out: FloatArray, lanes: Lanes, k: number): void {
  const { n, inner } = lanes;
  const pos = new Int32Array(n);
  forEachLane(x, lanes, (vals, base) => {
    for (let j = 0; j < n; j++) pos[j] = j;
    quickSelect(vals, pos, k);
    const lane = base % inner + Math.floor(base / (n * inner)) * inner;
    out[lane] = pos[k]!;
  });
}

/** PyTorch's `quick_select_template` (median of three, Sedgewick's partition), swapping values and positions together. */
function quickSelect(v: Float64Array, pos: Int32Array, k: number): void {
  const gt = (a: number, b: number): boolean => (a !== a && b === b) || a > b;
  const swap = (i: number, j: number): void => {
    const t = v[i]!;
    v[i] = v[j]!;
    v[j] = t;
    const p = pos[i]!;
    pos[i] = pos[j]!;
    pos[j] = p;
  };
  let L = 0;
  let R = v.length - 1;
  for (;;) {
    if (R <= L) return;
    if (R === L + 1) {
      if (gt(v[L]!, v[R]!)) swap(L, R);
      return;
    }
    const P = L + ((R - L) >> 1);
    swap(P, L + 1);
    if (gt(v[L + 1]!, v[R]!)) swap(L + 1, R);
    if (gt(v[L]!, v[R]!)) swap(L, R);
    if (gt(v[L + 1]!, v[L]!)) swap(L + 1, L);
    let i = L + 1;
    let j = R;
    const piv = v[L]!;
    for (;;) {
      do i++; while (gt(piv, v[i]!));
      do j--; while (gt(v[j]!, piv));
      if (j < i) break;
      swap(i, j);
    }
    swap(L, j);
    if (j <= k) L = i;
    if (j >= k) R = j - 1;
  }
}

/**
 * The positions of the k largest (or smallest) values of each lane, as PyTorch 1.13's CPU topk:
 * `std::partial_sort` when k * 64 <= n, else `std::nth_element` at k - 1 followed (when `sorted`)
 * by `std::sort` of the first k - 1. `out` holds k positions per lane along the axis.
 */
export function topkKernel(x: ArrayLike<number>, out: FloatArray, lanes: Lanes, k: number, largest: boolean, sorted: boolean): void {
  const { n, inner } = lanes;
  if (k === 0) return;
  const q = new Int32Array(n);
  const less = largest ? descending : ascending;
  forEachLane(x, lanes, (vals, base) => {
    for (let j = 0; j < n; j++) q[j] = j;
    const s = new StdSort(q, vals, less);
    if (k * 64 <= n) s.partialSort(0, k, n);
    else {
      s.nthElement(0, k - 1, n);
      if (sorted) s.sort(0, k - 1);
    }
    // the output lane has k elements: same outer block, same inner offset
    const o = Math.floor(base / (n * inner));
    const i = base % inner;
    for (let j = 0; j < k; j++) out[o * k * inner + j * inner + i] = q[j]!;
  });
}

/** floor(log2(n)) for n >= 1 (libstdc++'s `std::__lg`). */
const lg = (n: number): number => 31 - Math.clz32(n);

/**
 * libstdc++'s introselect, introsort and heap algorithms over an array of positions `q`, ordered
 * by their values `v` under `less`: the same comparisons and moves in the same order, so that equal
 * values end where they do in PyTorch.
 */
class StdSort {
  constructor(private readonly q: Int32Array, private readonly v: Float64Array, private readonly less: Less) {}

  private comp(i: number, j: number): boolean {
    return this.less(this.v[this.q[i]!]!, this.v[this.q[j]!]!);
  }

  private compVal(p: number, j: number): boolean {
    return this.less(this.v[p]!, this.v[this.q[j]!]!);
  }

  private compToVal(j: number, p: number): boolean {
    return this.less(this.v[this.q[j]!]!, this.v[p]!);
  }

  private swap(i: number, j: number): void {
    const t = this.q[i]!;
    this.q[i] = this.q[j]!;
    this.q[j] = t;
  }

  nthElement(first: number, nth: number, last: number): void {
    if (first === last || nth === last) return;
    let depth = lg(last - first) * 2;
    while (last - first > 3) {
      if (depth === 0) {
        this.heapSelect(first, nth + 1, last);
        this.swap(first, nth);
        return;
      }
      depth--;
      const cut = this.partitionPivot(first, last);
      if (cut <= nth) first = cut;
      else last = cut;
    }
    this.insertionSort(first, last);
  }

  sort(first: number, last: number): void {
    if (first === last) return;
    this.introsortLoop(first, last, lg(last - first) * 2);
    this.insertionSort(first, last); // __final_insertion_sort moves elements the same way
  }

  partialSort(first: number, middle: number, last: number): void {
    this.heapSelect(first, middle, last);
    this.sortHeap(first, middle);
  }

  private introsortLoop(first: number, last: number, depth: number): void {
    while (last - first > 16) {
      if (depth === 0) {
        this.partialSort(first, last, last);
        return;
      }
      depth--;
      const cut = this.partitionPivot(first, last);
      this.introsortLoop(cut, last, depth);
      last = cut;
    }
  }

  private partitionPivot(first: number, last: number): number {
    const mid = first + ((last - first) >> 1);
    this.moveMedianToFirst(first, first + 1, mid, last - 1);
    // __unguarded_partition(first + 1, last, pivot = first)
    let lo = first + 1;
    let hi = last;
    for (;;) {
      while (this.comp(lo, first)) lo++;
      hi--;
      while (this.comp(first, hi)) hi--;
      if (!(lo < hi)) return lo;
      this.swap(lo, hi);
      lo++;
    }
  }

  private moveMedianToFirst(result: number, a: number, b: number, c: number): void {
    if (this.comp(a, b)) {
      if (this.comp(b, c)) this.swap(result, b);
      else if (this.comp(a, c)) this.swap(result, c);
      else this.swap(result, a);
    } else if (this.comp(a, c)) this.swap(result, a);
    else if (this.comp(b, c)) this.swap(result, c);
    else this.swap(result, b);
  }

  private insertionSort(first: number, last: number): void {
    for (let i = first + 1; i < last; i++) {
      const val = this.q[i]!;
      let j = i;
      while (j > first && this.compVal(val, j - 1)) {
        this.q[j] = this.q[j - 1]!;
        j--;
      }
      this.q[j] = val;
    }
  }

  private heapSelect(first: number, middle: number, last: number): void {
    this.makeHeap(first, middle);
    for (let i = middle; i < last; i++) if (this.comp(i, first)) this.popHeap(first, middle, i);
  }

  private makeHeap(first: number, last: number): void {
    const len = last - first;
    if (len < 2) return;
    for (let parent = (len - 2) >> 1; ; parent--) {
      this.adjustHeap(first, parent, len, this.q[first + parent]!);
      if (parent === 0) return;
    }
  }

  private popHeap(first: number, last: number, result: number): void {
    const value = this.q[result]!;
    this.q[result] = this.q[first]!;
    this.adjustHeap(first, 0, last - first, value);
  }

  private sortHeap(first: number, last: number): void {
    while (last - first > 1) {
      last--;
      this.popHeap(first, last, last);
    }
  }

  private adjustHeap(first: number, hole: number, len: number, value: number): void {
    const top = hole;
    let child = hole;
    while (child < ((len - 1) >> 1)) {
      child = 2 * (child + 1);
      if (this.comp(first + child, first + child - 1)) child--;
      this.q[first + hole] = this.q[first + child]!;
      hole = child;
    }
    if ((len & 1) === 0 && child === ((len - 2) >> 1)) {
      child = 2 * (child + 1);
      this.q[first + hole] = this.q[first + child - 1]!;
      hole = child - 1;
    }
    // __push_heap
    let parent = (hole - 1) >> 1;
    while (hole > top && this.compToVal(first + parent, value)) {
      this.q[first + hole] = this.q[first + parent]!;
      hole = parent;
      parent = (hole - 1) >> 1;
    }
    this.q[first + hole] = value;
  }
}
