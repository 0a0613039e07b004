import type { FloatArray } from '../dtype.ts';
import { broadcastStrides, type Shape } from '../shape.ts';
import { wasmArithmetic, wasmArithmeticColumn } from './unary-wasm.ts';

/** out[i] = f(x[i]). */
export function unaryMap(x: FloatArray, out: FloatArray, f: (v: number) => number): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = f(x[i]!);
}

/**
 * out = f(a, b) with NumPy broadcasting. Fast paths for equal shapes and for a scalar operand;
 * otherwise one pass over the output with incrementally updated input offsets (no divisions).
 */
export function binaryMap(
  a: FloatArray,
  aShape: Shape,
  b: FloatArray,
  bShape: Shape,
  out: FloatArray,
  outShape: Shape,
  f: (x: number, y: number) => number,
): void {
  const n = out.length;
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
    return;
  }
  if (b.length === 1 && a.length === n) {
    const y = b[0]!;
    for (let i = 0; i < n; i++) out[i] = f(a[i]!, y);
    return;
  }
  if (a.length === 1 && b.length === n) {
    const x = a[0]!;
    for (let i = 0; i < n; i++) out[i] = f(x, b[i]!);
    return;
  }
  if (n === 0) return;
  const rank = outShape.length;
  const as = broadcastStrides(aShape, outShape);
  const bs = broadcastStrides(bShape, outShape);
  const inner = outShape[rank - 1]!;
  const ai = as[rank - 1]!;
  const bi = bs[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  let ao = 0;
  let bo = 0;
  for (let o = 0; o < n; o += inner) {
    for (let j = 0; j < inner; j++) out[o + j] = f(a[ao + j * ai]!, b[bo + j * bi]!);
    // advance the multi-index over the outer dimensions
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++;
      ao += as[d]!;
      bo += bs[d]!;
      if (idx[d]! < outShape[d]!) break;
      ao -= as[d]! * outShape[d]!;
      bo -= bs[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/** Copies `x` (of `shape`) broadcast to `target` into `out`. */
export function broadcastTo(x: FloatArray, shape: Shape, out: FloatArray, target: Shape): void {
  binaryMap(x, shape, x.subarray(0, 1), [], out, target, (v) => v);
}

export type ArithmeticCode = 'add' | 'sub' | 'mul' | 'div';

/**
 * A binary op's fast forward kernel: fills `out` for the layouts it handles and returns true, or
 * returns false so that the op falls back to the broadcasting `binaryMap` of its scalar function.
 */
export type BinaryKernel = (a: FloatArray, aShape: Shape, b: FloatArray, bShape: Shape, out: FloatArray) => boolean;

/** `arithmeticFast` for one operation, as a binary op definition's `kernel`. */
export function arithmeticKernel(code: ArithmeticCode): BinaryKernel {
  return (a, aShape, b, bShape, out) => arithmeticFast(code, a, aShape, b, bShape, out);
}

/**
 * Explicit loops for the four arithmetic ops in their common layouts (equal shapes, a scalar
 * operand, a trailing row broadcast such as a bias, a column broadcast such as [R, C] - [R, 1]). The generic `binaryMap` calls its element
 * function through one shared call site, which V8 cannot inline once many ops use it.
 * From WASM_BINARY_MIN elements these layouts run in wasm SIMD (unary-wasm.ts wasmArithmetic),
 * with the same values. Returns false when the layout is not one of these, so the caller falls
 * back to `binaryMap`.
 */
export function arithmeticFast(
  code: ArithmeticCode,
  a: FloatArray,
  aShape: Shape,
  b: FloatArray,
  bShape: Shape,
  out: FloatArray,
): boolean {
  const n = out.length;
  if (a.length === n && b.length === n) {
    if (wasmArithmetic(code, a, b, out, false)) return true;
    switch (code) {
      case 'add': for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!; return true;
      case 'sub': for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!; return true;
      case 'mul': for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!; return true;
      case 'div': for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!; return true;
    }
  }
  if (b.length === 1 && a.length === n) {
    if (wasmArithmetic(code, a, b, out, false)) return true;
    const y = b[0]!;
    switch (code) {
      case 'add': for (let i = 0; i < n; i++) out[i] = a[i]! + y; return true;
      case 'sub': for (let i = 0; i < n; i++) out[i] = a[i]! - y; return true;
      case 'mul': for (let i = 0; i < n; i++) out[i] = a[i]! * y; return true;
      case 'div': for (let i = 0; i < n; i++) out[i] = a[i]! / y; return true;
    }
  }
  if (a.length === 1 && b.length === n) {
    if (wasmArithmetic(code, b, a, out, true)) return true;
    const x = a[0]!;
    switch (code) {
      case 'add': for (let i = 0; i < n; i++) out[i] = x + b[i]!; return true;
      case 'sub': for (let i = 0; i < n; i++) out[i] = x - b[i]!; return true;
      case 'mul': for (let i = 0; i < n; i++) out[i] = x * b[i]!; return true;
      case 'div': for (let i = 0; i < n; i++) out[i] = x / b[i]!; return true;
    }
  }
  // a row vector b (shape [..., 1, k] or [k]) broadcast over the rows of a [..., k]
  const k = b.length;
  if (a.length === n && k > 1 && n % k === 0 && aShape[aShape.length - 1] === k && isRow(bShape, k)) {
    if (wasmArithmetic(code, a, b, out, false)) return true;
    for (let r = 0; r < n; r += k) {
      switch (code) {
        case 'add': for (let j = 0; j < k; j++) out[r + j] = a[r + j]! + b[j]!; break;
        case 'sub': for (let j = 0; j < k; j++) out[r + j] = a[r + j]! - b[j]!; break;
        case 'mul': for (let j = 0; j < k; j++) out[r + j] = a[r + j]! * b[j]!; break;
        case 'div': for (let j = 0; j < k; j++) out[r + j] = a[r + j]! / b[j]!; break;
      }
    }
    return true;
  }
  // a column (shape [R..., 1...], a's leading dims then ones) broadcast along the trailing axes
  // of the other operand: [R, C] - [R, 1] (softmax's backward, normalizations), either side; and
  // more generally one varying block of dims with ones around it, repeated over the leading ones:
  // a convolution's bias [C, 1, 1] over [N, C, H, W] (N blocks of a [C, H·W] column broadcast)
  if (a.length === n && b.length < n) {
    const outer = columnBlocks(aShape, bShape);
    if (outer > 0) return columnBlocksLoop(code, a, b, out, false, outer);
  }
  if (b.length === n && a.length < n) {
    const outer = columnBlocks(bShape, aShape);
    if (outer > 0) return columnBlocksLoop(code, b, a, out, true, outer);
  }
  return false;
}

/** columnLoop over each of `outer` equal consecutive blocks of big and out, with the same column. */
function columnBlocksLoop(code: ArithmeticCode, big: FloatArray, col: FloatArray, out: FloatArray, colLeft: boolean, outer: number): boolean {
  if (outer === 1) return columnLoop(code, big, col, out, colLeft);
  const size = out.length / outer;
  for (let o = 0; o < out.length; o += size) columnLoop(code, big.subarray(o, o + size), col, out.subarray(o, o + size), colLeft);
  return true;
}

/** out[r c + j] = big[r c + j] op col[r], or col[r] op big[r c + j] when colLeft. */
function columnLoop(code: ArithmeticCode, big: FloatArray, col: FloatArray, out: FloatArray, colLeft: boolean): boolean {
  if (wasmArithmeticColumn(code, big, col, out, colLeft)) return true;
  const rows = col.length;
  const c = out.length / rows;
  for (let r = 0, o = 0; r < rows; r++, o += c) {
    const y = col[r]!;
    const end = o + c;
    if (colLeft) {
      switch (code) {
        case 'add': for (let i = o; i < end; i++) out[i] = y + big[i]!; break;
        case 'sub': for (let i = o; i < end; i++) out[i] = y - big[i]!; break;
        case 'mul': for (let i = o; i < end; i++) out[i] = y * big[i]!; break;
        case 'div': for (let i = o; i < end; i++) out[i] = y / big[i]!; break;
      }
    } else {
      switch (code) {
        case 'add': for (let i = o; i < end; i++) out[i] = big[i]! + y; break;
        case 'sub': for (let i = o; i < end; i++) out[i] = big[i]! - y; break;
        case 'mul': for (let i = o; i < end; i++) out[i] = big[i]! * y; break;
        case 'div': for (let i = o; i < end; i++) out[i] = big[i]! / y; break;
      }
    }
  }
  return true;
}

/**
 * Whether `col` (right-aligned to full's rank, missing dims taken as 1) is ones, then a non-empty
 * run of full's dims, then ones: full is then `outer` blocks of a [col.length, rest] column
 * broadcast. Returns outer (the product of full's dims before the run), or 0 when col does not
 * have that layout.
 */
function columnBlocks(full: Shape, col: Shape): number {
  const r = full.length;
  if (col.length > r || r === 0) return 0;
  const at = (d: number): number => (d < r - col.length ? 1 : col[d - (r - col.length)]!);
  let d = 0;
  let outer = 1;
  while (d < r && at(d) === 1) outer *= full[d++]!;
  const start = d;
  while (d < r && at(d) === full[d]) d++;
  if (d === start) return 0;
  // the run ended at a dim where col differs from full (a broadcast 1, as the rest must be), or
  // at the end (col is full's tail: outer blocks of an elementwise op)
  for (let e = d; e < r; e++) if (at(e) !== 1) return 0;
  return outer;
}

function isRow(shape: Shape, k: number): boolean {
  if (shape[shape.length - 1] !== k) return false;
  for (let i = 0; i < shape.length - 1; i++) if (shape[i] !== 1) return false;
  return true;
}
