/**
 * Encoders for the TensorBoard messages memograd writes, with the field numbers of TensorBoard's
 * .proto files (named on each function). Values are validated by the callers (SummaryWriter).
 */
import { ProtoWriter } from './proto.ts';

/** `HistogramProto` (histogram.proto). */
export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edges: `bucket[i]` counts the values in `(bucketLimit[i-1], bucketLimit[i]]`. */
  bucketLimit: number[];
  bucket: number[];
}

/** `Summary.Image` (summary.proto). */
export interface SummaryImage {
  height: number;
  width: number;
  /** 1 grayscale, 2 grayscale + alpha, 3 RGB, 4 RGBA. */
  colorspace: number;
  png: Uint8Array;
}

/** What one `Summary.Value` holds besides its tag. */
export type ValueContent =
  | { kind: 'simple'; value: number }
  | { kind: 'histo'; histo: Histogram }
  | { kind: 'image'; image: SummaryImage }
  | { kind: 'text'; text: string }
  | { kind: 'empty' };

/** `SummaryMetadata.PluginData` (summary.proto): the plugin that shows a tag, and its own bytes. */
export interface PluginData {
  pluginName: string;
  content?: Uint8Array;
}

/** `HistogramProto`: min 1, max 2, num 3, sum 4, sum_squares 5, bucket_limit 6, bucket 7 (packed). */
export function encodeHistogram(h: Histogram): Uint8Array {
  return new ProtoWriter()
    .double(1, h.min).double(2, h.max).double(3, h.num).double(4, h.sum).double(5, h.sumSquares)
    .packedDoubles(6, h.bucketLimit).packedDoubles(7, h.bucket).finish();
}

/** `SummaryMetadata`: plugin_data 1 (`PluginData`: plugin_name 1, content 2). */
function encodeMetadata(p: PluginData): Uint8Array {
  const pd = new ProtoWriter().bytes(1, p.pluginName).bytes(2, p.content ?? new Uint8Array(0)).finish();
  return new ProtoWriter().bytes(1, pd, true).finish();
}

/**
 * `TensorProto` of one UTF-8 string: dtype 1 (DT_STRING = 7), tensor_shape 2 (`TensorShapeProto`:
 * dim 2, `Dim.size` 1) holding [1], string_val 8.
 */
function encodeStringTensor(text: string): Uint8Array {
  const dim = new ProtoWriter().int(1, 1).finish();
  const shape = new ProtoWriter().bytes(2, dim, true).finish();
  return new ProtoWriter().int(1, 7).bytes(2, shape, true).bytes(8, text, true).finish();
}

/**
 * `Summary` (value 1) of one `Summary.Value`: tag 1, simple_value 2 (float), image 4, histo 5,
 * tensor 8, metadata 9.
 */
export function encodeSummary(tag: string, content: ValueContent, plugin?: PluginData): Uint8Array {
  const v = new ProtoWriter().bytes(1, tag, true);
  switch (content.kind) {
    case 'simple': v.float(2, content.value); break;
    case 'histo': v.bytes(5, encodeHistogram(content.histo), true); break;
    case 'image': {
      const im = content.image;
      // Summary.Image: height 1, width 2, colorspace 3, encoded_image_string 4
      v.bytes(4, new ProtoWriter().int(1, im.height).int(2, im.width).int(3, im.colorspace).bytes(4, im.png, true).finish(), true);
      break;
    }
    case 'text': v.bytes(8, encodeStringTensor(content.text), true); break;
    case 'empty': break;
  }
  // after the value, in field-number order, as protobuf's own serializers write it
  if (plugin !== undefined) v.bytes(9, encodeMetadata(plugin), true);
  return new ProtoWriter().bytes(1, v.finish(), true).finish();
}

/** `Event`: wall_time 1 (double), step 2 (int64), file_version 3, summary 5. */
export function encodeEvent(e: { wallTime: number; step?: number; fileVersion?: string; summary?: Uint8Array }): Uint8Array {
  const w = new ProtoWriter().double(1, e.wallTime);
  if (e.step !== undefined) w.int(2, BigInt(e.step));
  if (e.fileVersion !== undefined) w.bytes(3, e.fileVersion, true);
  if (e.summary !== undefined) w.bytes(5, e.summary, true);
  return w.finish();
}
