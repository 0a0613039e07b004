// Convolution and pooling kernels: plain loops over contiguous NCHW data.
//
// im2col/col2im lay the sliding windows of a [N, C, H, W] tensor out as the columns of a
// [N, C·kH·kW, oH·oW] matrix (PyTorch's F.unfold) and add them back (F.fold). Their one-image forms
// (im2colImage, col2imImage) write into and read from a matrix of any row stride: convolution
// (conv-gemm.ts) lays a chunk of images' columns side by side in the matmul kernel's own buffer.
// The pooling loops compute one window per output.
//
// A window's geometry: kernel (kh, kw), stride (sh, sw), dilation (dh, dw), the padding before the
// first row/column (ph, pw) and the number of window positions (oh, ow). Rows or columns a window
// reaches outside the input read as 0 (unfold) or are skipped (fold, pools): padding after the last
// row is implied by oh/ow, so asymmetric ('same') padding and ceil mode need nothing more.

import type { FloatArray } from '../dtype.ts';
import { wasmMaxPool2x2F32 } from './unary-wasm.ts';

/** Where the sliding windows of a 2-D convolution or pooling sit (see the file comment). */
export interface Window2d {
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
  /** Window positions along the height. */
  readonly oh: number;
  /** Window positions along the width. */
  readonly ow: number;
}

/** out[n, (c·kh + i)·kw + j, y·ow + x] = in[n, c, y·sh − ph + i·dh, x·sw − pw + j·dw] (0 outside). */
export function im2col(src: FloatArray, n: number, c: number, h: number, w: number, g: Window2d, out: FloatArray): void {
  const l = g.oh * g.ow;
  for (let b = 0; b < n; b++) im2colImage(src, b * c * h * w, c, h, w, g, out, b * c * g.kh * g.kw * l, l);
}

/**
 * im2col of one image (its c planes from src[srcOff]) into a column matrix whose rows are `ld`
 * elements apart: row (ch·kh + i)·kw + j, columns 0..oh·ow − 1 from out[outOff]. A row stride larger
 * than oh·ow lays several images' columns side by side (convolution's GEMM, kernels/conv-gemm.ts).
 */
export function im2colImage(src: FloatArray, srcOff: number, c: number, h: number, w: number, g: Window2d, out: FloatArray, outOff: number, ld: number): void {
  const { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && ph === 0 && pw === 0 && oh === h && ow === w) {
    // a 1x1 kernel that reads every pixel once: each column row is an input plane
    for (let ch = 0; ch < c; ch++) out.set(src.subarray(srcOff + ch * h * w, srcOff + (ch + 1) * h * w), outOff + ch * ld);
    return;
  }
  let r = outOff;
  for (let ch = 0; ch < c; ch++) {
    const plane = srcOff + ch * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, r += ld) {
        // the range of x whose column ix = x·sw − pw + j·dw lies inside [0, w)
        const off = j * dw - pw;
        const x0 = off >= 0 ? 0 : Math.min(ow, Math.ceil(-off / sw));
        const x1 = Math.max(x0, Math.min(ow, Math.ceil((w - off) / sw)));
        let o = r;
        for (let y = 0; y < oh; y++) {
          const iy = y * sh - ph + i * dh;
          if (iy < 0 || iy >= h) {
            out.fill(0, o, o + ow);
            o += ow;
            continue;
          }
          const row = plane + iy * w + off;
          let x = 0;
          for (; x < x0; x++) out[o++] = 0;
          if (sw === 1) for (; x < x1; x++) out[o++] = src[row + x]!;
          else for (; x < x1; x++) out[o++] = src[row + x * sw]!;
          for (; x < ow; x++) out[o++] = 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each column element back into the input position it was read from. */
export function col2im(cols: FloatArray, n: number, c: number, h: number, w: number, g: Window2d, out: FloatArray): void {
  const l = g.oh * g.ow;
  for (let b = 0; b < n; b++) col2imImage(cols, b * c * g.kh * g.kw * l, l, c, h, w, g, out, b * c * h * w);
}

/** The adjoint of im2colImage: adds the column matrix at cols[colsOff] (rows `ld` apart) into the image at out[outOff]. */
export function col2imImage(cols: FloatArray, colsOff: number, ld: number, c: number, h: number, w: number, g: Window2d, out: FloatArray, outOff: number): void {
  const { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  let r = colsOff;
  for (let ch = 0; ch < c; ch++) {
    const plane = outOff + ch * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, r += ld) {
        const off = j * dw - pw;
        const x0 = off >= 0 ? 0 : Math.min(ow, Math.ceil(-off / sw));
        const x1 = Math.max(x0, Math.min(ow, Math.ceil((w - off) / sw)));
        for (let y = 0, o = r; y < oh; y++, o += ow) {
          const iy = y * sh - ph + i * dh;
          if (iy < 0 || iy >= h) continue;
          const row = plane + iy * w + off;
          if (sw === 1) for (let x = x0; x < x1; x++) out[row + x] = out[row + x]! + cols[o + x]!;
          else for (let x = x0; x < x1; x++) out[row + x * sw] = out[row + x * sw]! + cols[o + x]!;
        }
      }
    }
  }
}

/**
 * Max pooling over planes (n·c of them): values and the arg-max as a flat index into the plane, as
 * PyTorch's CPU kernel: the first valid element starts the search, a larger value or a NaN takes
 * over (so NaN propagates, and ties keep the first maximum). Windows lie at least partly inside.
 */
export function maxPool2d(src: FloatArray, planes: number, h: number, w: number, g: Window2d, out: FloatArray | null, index: Int32Array | null): void {
  const { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  if (kh === 2 && kw === 2 && sh === 2 && sw === 2 && ph === 0 && pw === 0 && dh === 1 && dw === 1 && 2 * oh <= h && 2 * ow <= w) {
    maxPool2x2(src, planes, h, w, oh, ow, out, index);
    return;
  }
  maxPoolWindows(src, planes, h, w, g, out, index);
}

/**
 * The general loop of maxPool2d (any window, stride, padding, dilation; exported for the tests
 * that hold the 2x2 path to it).
 */
export function maxPoolWindows(src: FloatArray, planes: number, h: number, w: number, g: Window2d, out: FloatArray | null, index: Int32Array | null): void {
  const { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let y = 0; y < oh; y++) {
      let y0 = y * sh - ph;
      const y1 = Math.min(y0 + (kh - 1) * dh + 1, h);
      while (y0 < 0) y0 += dh;
      for (let x = 0; x < ow; x++) {
        let x0 = x * sw - pw;
        const x1 = Math.min(x0 + (kw - 1) * dw + 1, w);
        while (x0 < 0) x0 += dw;
        let best = y0 * w + x0;
        let max = -Infinity;
        for (let iy = y0; iy < y1; iy += dh) {
          for (let ix = x0; ix < x1; ix += dw) {
            const k = iy * w + ix;
            const v = src[base + k]!;
            if (v > max || v !== v) {
              max = v;
              best = k;
            }
          }
        }
        if (out !== null) out[o] = max;
        if (index !== null) index[o] = best;
        o++;
      }
    }
  }
}

/**
 * maxPool2d for the convnets' usual window: 2x2, stride 2, no padding or dilation, every window
 * inside the input. The same comparisons in the same order as maxPoolWindows (its first element
 * taken as the start: the general loop's -Infinity start gives the same value and index), without
 * its per-window bounds: 1.6x faster on [64, 32, 28, 28] of random values (the rest of its time is
 * branch mispredictions on the comparisons). Float32 planes go to wasm (wasmMaxPool2x2F32: the
 * same comparisons, branch-free, four windows at a time).
 */
function maxPool2x2(src: FloatArray, planes: number, h: number, w: number, oh: number, ow: number, out: FloatArray | null, index: Int32Array | null): void {
  if (src instanceof Float32Array && (out === null || out instanceof Float32Array) && wasmMaxPool2x2F32(src, planes, h, w, oh, ow, out, index)) return;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let y = 0; y < oh; y++) {
      for (let x = 0, k = 2 * y * w; x < ow; x++, k += 2) {
        let max = src[base + k]!;
        let best = k;
        let v = src[base + k + 1]!;
        if (v > max || v !== v) { max = v; best = k + 1; }
        v = src[base + k + w]!;
        if (v > max || v !== v) { max = v; best = k + w; }
        v = src[base + k + w + 1]!;
        if (v > max || v !== v) { max = v; best = k + w + 1; }
        if (out !== null) out[o] = max;
        if (index !== null) index[o] = best;
        o++;
      }
    }
  }
}

/** How avgPool2d divides each window's sum (PyTorch's count_include_pad and divisor_override). */
export interface AvgDivisor {
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
}

/**
 * The divisor of each window position along one axis, as PyTorch computes it: the window clipped to
 * the padded input (count_include_pad) or to the input itself. The 2-D divisor is the product of
 * the two axes' (the override, when given, replaces it).
 */
export function avgCounts(size: number, k: number, s: number, p: number, positions: number, includePad: boolean): Float64Array {
  const out = new Float64Array(positions);
  for (let y = 0; y < positions; y++) {
    const start = y * s - p;
    const end = Math.min(start + k, size + p);
    out[y] = includePad ? end - start : Math.min(end, size) - Math.max(start, 0);
  }
  return out;
}

/** Average pooling over planes: each window's sum over its in-range elements, divided as PyTorch. */
export function avgPool2d(src: FloatArray, planes: number, h: number, w: number, g: Window2d, div: AvgDivisor, out: FloatArray): void {
  const { kh, kw, sh, sw, ph, pw, oh, ow } = g;
  const ch = avgCounts(h, kh, sh, ph, oh, div.countIncludePad);
  const cw = avgCounts(w, kw, sw, pw, ow, div.countIncludePad);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let y = 0; y < oh; y++) {
      const y0 = Math.max(y * sh - ph, 0);
      const y1 = Math.min(y * sh - ph + kh, h);
      for (let x = 0; x < ow; x++) {
        const x0 = Math.max(x * sw - pw, 0);
        const x1 = Math.min(x * sw - pw + kw, w);
        let s = 0;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += src[base + iy * w + ix]!;
        out[o++] = s / (div.divisorOverride ?? ch[y]! * cw[x]!);
      }
    }
  }
}

/** PyTorch's adaptive pooling window along one axis: [floor(i·in/out), ceil((i+1)·in/out)). */
export function adaptiveRange(i: number, size: number, outSize: number): [number, number] {
  return [Math.floor((i * size) / outSize), Math.ceil(((i + 1) * size) / outSize)];
}

/** Adaptive average pooling over planes: the mean of each window (PyTorch's start/end formula). */
export function adaptiveAvgPool2d(src: FloatArray, planes: number, h: number, w: number, oh: number, ow: number, out: FloatArray): void {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let y = 0; y < oh; y++) {
      const [y0, y1] = adaptiveRange(y, h, oh);
      for (let x = 0; x < ow; x++) {
        const [x0, x1] = adaptiveRange(x, w, ow);
        let s = 0;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += src[base + iy * w + ix]!;
        out[o++] = s / ((y1 - y0) * (x1 - x0));
      }
    }
  }
}
