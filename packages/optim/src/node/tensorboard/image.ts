/**
 * PyTorch's `add_image` conversion (torch/utils/tensorboard/summary.py `image` and
 * utils.py `convert_to_HWC`): the tensor is laid out as height × width × channels, one channel is
 * repeated to RGB, float values in [0, 1] become bytes as `uint8(clip(float32(v) * 255, 0, 255))`,
 * and the result is encoded as PNG by fast-png (pure JavaScript, maintained by the image-js
 * project, with TypeScript types; it runs anywhere, needs neither node:zlib nor a native module).
 */
import { encode } from 'fast-png';

/** The layouts `addImage` accepts (PyTorch's `dataformats`). */
export type ImageFormat = 'CHW' | 'HWC' | 'HW';

/** The PNG bytes and the header values of a `Summary.Image`. */
export interface EncodedImage {
  height: number;
  width: number;
  colorspace: number;
  png: Uint8Array;
}

/**
 * Encodes `data` (row-major, with `shape` laid out as `format`) as PNG. The caller has checked the
 * shape (2 or 3 dims matching the format, 1, 3 or 4 channels) and that no value is NaN.
 */
export function encodeImage(data: ArrayLike<number>, shape: readonly number[], format: ImageFormat): EncodedImage {
  let h: number;
  let w: number;
  let c: number;
  let at: (y: number, x: number, ch: number) => number;
  if (format === 'HW') {
    [h, w] = shape as [number, number];
    c = 1;
    at = (y, x) => y * w + x;
  } else if (format === 'HWC') {
    [h, w, c] = shape as [number, number, number];
    at = (y, x, ch) => (y * w + x) * c + ch;
  } else {
    [c, h, w] = shape as [number, number, number];
    at = (y, x, ch) => (ch * h + y) * w + x;
  }
  // one channel is shown as gray RGB, as PyTorch's convert_to_HWC does
  const outC = c === 1 ? 3 : c;
  const px = new Uint8Array(h * w * outC);
  const f32 = new Float32Array(1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < outC; ch++) {
        f32[0] = data[at(y, x, c === 1 ? 0 : ch)]!;
        f32[0] = f32[0] * 255; // float32 product, as NumPy's float32 array times 255
        const v = f32[0];
        px[(y * w + x) * outC + ch] = v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
      }
    }
  }
  const png = encode({ width: w, height: h, data: px, channels: outC, depth: 8 });
  return { height: h, width: w, colorspace: outC, png };
}
