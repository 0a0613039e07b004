// Convolution and its two gradients as matrix products on the fast matmul, with the im2col columns
// written straight into the product's operand buffer (wasm memory on the wasm path, see `matmulVia`)
// a chunk of images at a time, so that the [N, Cin·kH·kW, L] column tensor never exists.
//
// Per group and chunk of `nb` images, with K = Cin/groups·kH·kW and the chunk's columns laid side by
// side (cols: [K, nb·L], image j's in columns j·L ..):
//   forward      yᵀ [nb·L, Cout/g]  = colsᵀ · Wᵀ            (then transposed into y [n, Cout, L])
//   input grad   dcols [K, nb·L]    = Wᵀ · G                 (then added back by col2im)
//   weight grad  dWᵀ [K, Cout/g]   += cols · Gᵀ              (summed over the chunks, transposed into dW)
// The long side (image positions, or K) is always the product's rows, which the wasm kernel splits
// between its helper threads; Cout is usually too small a row count for that.

import type { FloatArray } from './matmul-js.ts';
import { KERNEL_CONFIG } from './config.ts';
import { col2imImage, im2colImage, type Window2d } from './conv-im2col.ts';
import { matmulVia } from './matmul.ts';

/**
 * A 2-D convolution's geometry: its window (kernel, stride, padding before, dilation, positions
 * oh x ow), the groups and the input's spatial size h x w. Padding after the input is implied by
 * oh and ow (see conv-im2col.ts).
 */
export interface ConvGeometry extends Window2d {
  /** Blocked connections: channels split into this many groups. */
  readonly groups: number;
  /** The input's height. */
  readonly h: number;
  /** The input's width. */
  readonly w: number;
}

/** The sizes of one call: batch, channels, and per group. */
interface Sizes {
  readonly n: number;
  readonly cin: number;
  readonly cout: number;
  /** Input channels per group. */
  readonly cg: number;
  /** Output channels per group. */
  readonly og: number;
  /** Rows of a group's column matrix: cg·kh·kw. */
  readonly k: number;
  /** Window positions per image: oh·ow. */
  readonly l: number;
  /** Input plane size: h·w. */
  readonly hw: number;
  /** Images per product (see `chunkImages`). */
  readonly nb: number;
}

function sizes(n: number, cin: number, cout: number, geo: ConvGeometry): Sizes {
  const cg = cin / geo.groups;
  const k = cg * geo.kh * geo.kw;
  const l = geo.oh * geo.ow;
  return { n, cin, cout, cg, og: cout / geo.groups, k, l, hw: geo.h * geo.w, nb: chunkImages(n, (k + cout / geo.groups) * l) };
}

/**
 * Images per product: as many as keep a chunk's column matrix and product under
 * KERNEL_CONFIG.convChunkElems (more rows for the threads, fewer calls), at least one.
 */
function chunkImages(n: number, perImage: number): number {
  return Math.max(1, Math.min(n, Math.floor(chunkElems / Math.max(1, perImage))));
}

let chunkElems = KERNEL_CONFIG.convChunkElems;

/** Change the chunk budget (tests: 0 gives one image per product); returns the previous value. */
export function setConvChunkElems(elems: number): number {
  const prev = chunkElems;
  chunkElems = elems;
  return prev;
}


const dtypeOf = (a: FloatArray): 'f32' | 'f64' => (a instanceof Float32Array ? 'f32' : 'f64');

/** Calls `body(group, firstImage, images)` for every group and chunk of images. */
function eachChunk(s: Sizes, groups: number, body: (gi: number, b0: number, nb: number) => void): void {
  for (let gi = 0; gi < groups; gi++) for (let b0 = 0; b0 < s.n; b0 += s.nb) body(gi, b0, Math.min(s.nb, s.n - b0));
}

/** Writes the chunk's columns (group gi, images b0 .. b0 + nb) as a [K, nb·L] matrix at buf[at]. */
function fillColumns(x: FloatArray, s: Sizes, geo: ConvGeometry, gi: number, b0: number, nb: number) {
  return (buf: FloatArray, at: number): void => {
    for (let j = 0; j < nb; j++) im2colImage(x, ((b0 + j) * s.cin + gi * s.cg) * s.hw, s.cg, geo.h, geo.w, geo, buf, at + j * s.l, nb * s.l);
  };
}

/** Writes the chunk's output gradients (group gi's channels) as a [Cout/g, nb·L] matrix at buf[at]. */
function fillGrad(g: FloatArray, s: Sizes, gi: number, b0: number, nb: number) {
  return (buf: FloatArray, at: number): void => {
    for (let co = 0; co < s.og; co++) {
      for (let j = 0; j < nb; j++) {
        const from = ((b0 + j) * s.cout + gi * s.og + co) * s.l;
        buf.set(g.subarray(from, from + s.l), at + (co * nb + j) * s.l);
      }
    }
  };
}

/** y [n, cout, oh, ow] = conv(x [n, cin, h, w], w [cout, cin/groups, kh, kw]), no bias; `out` is overwritten. */
export function conv2dForward(x: FloatArray, w: FloatArray, n: number, cin: number, cout: number, geo: ConvGeometry, out: FloatArray): void {
  const s = sizes(n, cin, cout, geo);
  const { og, k, l } = s;
  eachChunk(s, geo.groups, (gi, b0, nb) => {
    // y = W · cols: [Cout/g, nb·L], each channel's run of L outputs per image contiguous in the
    // product as in `out` (computed as colsᵀ · Wᵀ it needed a strided transpose: MNIST conv1
    // forward 8.5 -> 4.1 ms, [32, 64, 32, 32] 119 -> 105 ms, scripts/bench-conv.ts, 1 thread)
    matmulVia(dtypeOf(out), og, k, nb * l, false, false, { data: w, off: gi * og * k }, fillColumns(x, s, geo, gi, b0, nb), (c, at, ld) => {
      for (let co = 0; co < og; co++) {
        for (let j = 0; j < nb; j++) {
          const from = at + co * ld + j * l;
          out.set(c.subarray(from, from + l), ((b0 + j) * cout + gi * og + co) * l);
        }
      }
    });
  });
}

/**
 * dx [n, cin, h, w] = the adjoint of conv2dForward in x, applied to g [n, cout, oh, ow]; `out` must be
 * zero (col2im adds into it).
 */
export function conv2dInputGrad(g: FloatArray, w: FloatArray, n: number, cin: number, cout: number, geo: ConvGeometry, out: FloatArray): void {
  const s = sizes(n, cin, cout, geo);
  const { cg, og, k, l, hw } = s;
  eachChunk(s, geo.groups, (gi, b0, nb) => {
    matmulVia(dtypeOf(out), k, og, nb * l, true, false, { data: w, off: gi * og * k }, fillGrad(g, s, gi, b0, nb), (c, at, ld) => {
      for (let j = 0; j < nb; j++) col2imImage(c, at + j * l, ld, cg, geo.h, geo.w, geo, out, ((b0 + j) * cin + gi * cg) * hw);
    });
  });
}

/**
 * dw [cout, cin/groups, kh, kw] = the adjoint of conv2dForward in w: Σ over images of g·colsᵀ, for
 * x [n, cin, h, w] and g [n, cout, oh, ow]; `out` must be zero (the chunks add into it).
 */
export function conv2dWeightGrad(x: FloatArray, g: FloatArray, n: number, cin: number, cout: number, geo: ConvGeometry, out: FloatArray): void {
  const s = sizes(n, cin, cout, geo);
  const { og, k, l } = s;
  eachChunk(s, geo.groups, (gi, b0, nb) => {
    matmulVia(dtypeOf(out), k, nb * l, og, false, true, fillColumns(x, s, geo, gi, b0, nb), fillGrad(g, s, gi, b0, nb), (c, at, ld) => {
      const o = gi * og * k;
      for (let r = 0; r < k; r++) {
        const row = at + r * ld;
        for (let co = 0; co < og; co++) out[o + co * k + r] = out[o + co * k + r]! + c[row + co]!;
      }
    });
  });
}
