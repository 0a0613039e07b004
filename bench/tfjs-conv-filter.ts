// tfjs-backend-wasm 4.22 registers Conv2D and Conv2DBackpropInput but no Conv2DBackpropFilter, so
// on the wasm backend the weight gradient of a convolution (tf.grads of tf.conv2d, tfjs-layers'
// fit/trainOnBatch of a Conv2D layer) throws "kernel not registered". The conv suite registers this
// stand-in, built from the backend's own kernels, and labels the rows that use it.
//
// For stride 1, dW[i, j, ci, co] = Σ_{n,h,w} x[n, h+i−top, w+j−left, ci] · dy[n, h, w, co] is a
// convolution of x with dy where the batch plays the role of the channels:
//   xt = transpose(x, [3, 1, 2, 0])    [Ci, H, W, N]
//   dt = transpose(dy, [1, 2, 0, 3])   [Ho, Wo, N, Co]   (a filter of size Ho × Wo)
//   Conv2D(xt, dt, explicit padding (top, kH − 1 + Ho − H − top), likewise for the width) [Ci, kH, kW, Co]
//   dW = transpose(that, [1, 2, 0, 3]) [kH, kW, Ci, Co]
import type { Tf } from './harness.ts';

type TensorInfo = import('@tensorflow/tfjs-core').TensorInfo;
type KernelFunc = import('@tensorflow/tfjs-core').KernelFunc;
type Conv2DBackpropFilterAttrs = import('@tensorflow/tfjs-core').Conv2DBackpropFilterAttrs;

/** What the stand-in says of itself in table labels. */
export const FILTER_GRAD_NOTE = 'dW by the Conv2DBackpropFilter stand-in: wasm has none';

/** Whether the wasm backend lacks Conv2DBackpropFilter (true for tfjs-backend-wasm 4.22). */
export function wasmLacksFilterGrad(tf: Tf): boolean {
  return tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined;
}

/** Register the stand-in for the wasm backend if it has no Conv2DBackpropFilter (idempotent). */
export function registerWasmFilterGrad(tf: Tf): void {
  if (!wasmLacksFilterGrad(tf)) return;
  const kernel = (name: string): KernelFunc => {
    const k = tf.getKernel(name, 'wasm');
    if (!k) throw new Error(`tfjs-backend-wasm has no ${name} kernel`);
    return k.kernelFunc;
  };
  const transpose = kernel('Transpose');
  const conv2d = kernel('Conv2D');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      if (sh !== 1 || sw !== 1 || dataFormat !== 'NHWC') {
        throw new Error(`Conv2DBackpropFilter stand-in: only stride 1 and NHWC (got strides ${String(strides)}, ${dataFormat})`);
      }
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        [1, 1],
        1,
        pad,
        dimRoundingMode,
      );
      const { top, left } = info.padInfo;
      const [kh, kw] = filterShape;
      const [h, w] = [x.shape[1]!, x.shape[2]!];
      const [ho, wo] = [dy.shape[1]!, dy.shape[2]!];
      const bottom = kh - 1 + ho - h - top;
      const right = kw - 1 + wo - w - left;
      const run = (f: KernelFunc, ins: Record<string, TensorInfo>, at: object) => f({ inputs: ins, backend, attrs: at as never }) as TensorInfo;
      const xt = run(transpose, { x }, { perm: [3, 1, 2, 0] });
      const dt = run(transpose, { x: dy }, { perm: [1, 2, 0, 3] });
      const cw = run(conv2d, { x: xt, filter: dt }, {
        strides: [1, 1],
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      });
      const dw = run(transpose, { x: cw }, { perm: [1, 2, 0, 3] });
      for (const t of [xt, dt, cw]) (backend as import('@tensorflow/tfjs-core').KernelBackend).disposeData(t.dataId);
      return dw;
    },
  });
}
