// Layout conversions between memograd / PyTorch (NCHW activations, [Cout, Cin, kH, kW] filters,
// [out, in] dense weights) and tfjs (NHWC activations, [kH, kW, Cin, Cout] filters, [in, out]
// dense kernels). Done once, outside any timing.

/** Copy with the axes of a row-major array of `shape` permuted: out axis i is input axis perm[i]. */
export function permute(a: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  if (perm.length !== rank || [...perm].sort().some((p, i) => p !== i)) throw new Error(`permute: [${perm.join(', ')}] is not a permutation of ${rank} axes`);
  const size = shape.reduce((p, d) => p * d, 1);
  if (size !== a.length) throw new Error(`permute: ${a.length} elements for shape [${shape.join(', ')}]`);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const outShape = perm.map((p) => shape[p]!);
  const stride = perm.map((p) => inStrides[p]!); // input stride of each output axis
  const out = new Float32Array(size);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < size; o++) {
    out[o] = a[src]!;
    // odometer over the output axes, moving the input offset along
    for (let ax = rank - 1; ax >= 0; ax--) {
      if (++idx[ax]! < outShape[ax]!) {
        src += stride[ax]!;
        break;
      }
      src -= stride[ax]! * (outShape[ax]! - 1);
      idx[ax] = 0;
    }
  }
  return out;
}

/** [N, C, H, W] -> [N, H, W, C] */
export const nchwToNhwc = (a: Float32Array, [n, c, h, w]: readonly number[]) => permute(a, [n!, c!, h!, w!], [0, 2, 3, 1]);
/** [N, H, W, C] -> [N, C, H, W] (shape given as NCHW) */
export const nhwcToNchw = (a: Float32Array, [n, c, h, w]: readonly number[]) => permute(a, [n!, h!, w!, c!], [0, 3, 1, 2]);
/** filter [Cout, Cin, kH, kW] -> [kH, kW, Cin, Cout] */
export const oihwToHwio = (a: Float32Array, [o, i, h, w]: readonly number[]) => permute(a, [o!, i!, h!, w!], [2, 3, 1, 0]);
/** filter [kH, kW, Cin, Cout] -> [Cout, Cin, kH, kW] (shape given as OIHW) */
export const hwioToOihw = (a: Float32Array, [o, i, h, w]: readonly number[]) => permute(a, [h!, w!, i!, o!], [3, 2, 0, 1]);

/**
 * A dense layer after Flatten: memograd's weight [out, C·H·W] (inputs flattened in C, H, W order)
 * as tfjs' kernel [H·W·C, out] (its Flatten of NHWC runs H, W, C).
 */
export function denseAfterFlattenToTf(weight: Float32Array, out: number, [c, h, w]: readonly number[]): Float32Array {
  // [out, C, H, W] -> [H, W, C, out]
  return permute(weight, [out, c!, h!, w!], [2, 3, 1, 0]);
}
