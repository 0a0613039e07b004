/**
 * TensorBoard logs written in TypeScript: `SummaryWriter` (PyTorch's API) and the `TensorBoard`
 * callback for `fit()` (Keras'). Node-only: they write files.
 */
export { SummaryWriter } from './tensorboard/summary-writer.ts';
export type { SummaryWriterOptions, AddImageOptions, AddHparamsOptions, HistogramBins, HparamValue } from './tensorboard/summary-writer.ts';
export type { ImageFormat } from './tensorboard/image.ts';
export { TensorBoardError } from './tensorboard/event-file.ts';
export { TensorBoard } from './tensorboard/callback.ts';
export type { TensorBoardOptions } from './tensorboard/callback.ts';
