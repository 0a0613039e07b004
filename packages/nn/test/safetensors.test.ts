import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SafetensorsError, decodeSafetensors, encodeSafetensors } from '../src/safetensors.ts';
import type { SafetensorsInput } from '../src/safetensors.ts';

// ---------------------------------------------------------------------------------------------
// Helpers

const ascii = (s: string): number[] => Array.from(new TextEncoder().encode(s));

/** u64 little-endian, written out by hand. */
function u64le(n: number): number[] {
  const out: number[] = [];
  let v = n;
  for (let i = 0; i < 8; i++) {
    out.push(v % 256);
    v = Math.floor(v / 256);
  }
  return out;
}

/** Builds a file from a header string (used verbatim, no padding) and raw buffer bytes. */
function file(header: string, data: number[] = []): Uint8Array {
  const h = ascii(header);
  return new Uint8Array([...u64le(h.length), ...h, ...data]);
}

/** A file from a header object, JSON-serialized as-is. */
function fileOf(header: unknown, data: number[] = []): Uint8Array {
  return file(JSON.stringify(header), data);
}

function expectError(fn: () => unknown, message: RegExp, tensor?: string): SafetensorsError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SafetensorsError);
  const err = caught as SafetensorsError;
  expect(err.name).toBe('SafetensorsError');
  expect(err.message).toMatch(message);
  expect(err.tensor).toBe(tensor);
  if (tensor !== undefined) expect(err.message).toContain(JSON.stringify(tensor));
  return err;
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

// ---------------------------------------------------------------------------------------------
// Generators

const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });

const tensorArb: fc.Arbitrary<SafetensorsInput> = fc.oneof(
  shapeArb.chain((shape) =>
    fc
      .array(fc.float(), { minLength: product(shape), maxLength: product(shape) })
      .map((values): SafetensorsInput => ({ dtype: 'float32', shape, data: Float32Array.from(values) })),
  ),
  shapeArb.chain((shape) =>
    fc
      .array(fc.double(), { minLength: product(shape), maxLength: product(shape) })
      .map((values): SafetensorsInput => ({ dtype: 'float64', shape, data: Float64Array.from(values) })),
  ),
);

const namesArb = fc
  .uniqueArray(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('__proto__', 'constructor', 'w.0')), {
    maxLength: 6,
  })
  .map((names) => names.filter((n) => n !== '__metadata__'));

const tensorsArb: fc.Arbitrary<Record<string, SafetensorsInput>> = namesArb.chain((names) =>
  fc.tuple(...names.map(() => tensorArb)).map((ts) => {
    const out: Record<string, SafetensorsInput> = {};
    names.forEach((n, i) => Object.defineProperty(out, n, { value: ts[i], enumerable: true, writable: true, configurable: true }));
    return out;
  }),
);

const metadataArb: fc.Arbitrary<Record<string, string>> = fc
  .uniqueArray(fc.tuple(fc.string(), fc.string({ unit: 'grapheme' })), { selector: ([k]) => k, maxLength: 5 })
  .map((pairs) => {
    const out: Record<string, string> = {};
    for (const [k, v] of pairs) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });

// ---------------------------------------------------------------------------------------------

describe('safetensors round trip', () => {
  it('decode(encode(x)) gives back the names, dtypes, shapes and exact bits', () => {
    fc.assert(
      fc.property(tensorsArb, fc.option(metadataArb, { nil: undefined }), (tensors, metadata) => {
        const bytes = encodeSafetensors(tensors, metadata);
        const headerLength = new DataView(bytes.buffer).getUint32(0, true);
        expect(headerLength % 8).toBe(0);
        const decoded = decodeSafetensors(bytes);
        expect(Object.keys(decoded.tensors)).toEqual(Object.keys(tensors));
        for (const name of Object.keys(tensors)) {
          const input = tensors[name];
          const out = decoded.tensors[name];
          expect(Object.prototype.hasOwnProperty.call(decoded.tensors, name)).toBe(true);
          expect(out.dtype).toBe(input.dtype);
          expect(out.fileDtype).toBe(input.dtype === 'float32' ? 'F32' : 'F64');
          expect(out.shape).toEqual([...input.shape]);
          expect(out.data.constructor).toBe(input.data.constructor);
          expect(out.data.length).toBe(input.data.length);
          expect(bytesOf(out.data)).toEqual(bytesOf(input.data));
          expect(out.data.buffer).not.toBe(bytes.buffer);
        }
        expect(decoded.metadata).toEqual(metadata ?? {});
        // Encoding is deterministic, and re-encoding the decoded tensors gives the same bytes.
        const again = encodeSafetensors(decoded.tensors as Record<string, SafetensorsInput>, metadata);
        expect(again).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('handles 0-d and empty tensors and an empty file', () => {
    const bytes = encodeSafetensors({
      scalar: { dtype: 'float64', shape: [], data: new Float64Array([Math.PI]) },
      empty: { dtype: 'float32', shape: [3, 0, 2], data: new Float32Array(0) },
      empty1d: { dtype: 'float64', shape: [0], data: new Float64Array(0) },
    });
    const { tensors } = decodeSafetensors(bytes);
    expect(tensors.scalar.shape).toEqual([]);
    expect(Array.from(tensors.scalar.data)).toEqual([Math.PI]);
    expect(tensors.empty.shape).toEqual([3, 0, 2]);
    expect(tensors.empty.data).toBeInstanceOf(Float32Array);
    expect(tensors.empty.data.length).toBe(0);
    expect(tensors.empty1d.data.length).toBe(0);

    const none = encodeSafetensors({});
    expect(Array.from(none)).toEqual([8, 0, 0, 0, 0, 0, 0, 0, ...ascii('{}      ')]);
    expect(decodeSafetensors(none)).toEqual({ tensors: {}, metadata: {} });
  });

  it('metadata round trips, including empty and unicode values', () => {
    const metadata = { format: 'pt', note: 'héllo, 世界 🙂', '': 'empty key', quote: '"\\\n' };
    expect(decodeSafetensors(encodeSafetensors({}, metadata)).metadata).toEqual(metadata);
    expect(decodeSafetensors(encodeSafetensors({}, {})).metadata).toEqual({});
    fc.assert(
      fc.property(metadataArb, (m) => {
        expect(decodeSafetensors(encodeSafetensors({}, m)).metadata).toEqual(m);
      }),
    );
  });

  it('names such as __proto__ are stored as own properties', () => {
    const tensors: Record<string, SafetensorsInput> = {};
    Object.defineProperty(tensors, '__proto__', {
      value: { dtype: 'float32', shape: [1], data: new Float32Array([7]) },
      enumerable: true,
    });
    const { tensors: out } = decodeSafetensors(encodeSafetensors(tensors));
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Array.from(Object.getOwnPropertyDescriptor(out, '__proto__')?.value.data)).toEqual([7]);
  });

  it('accepts a subarray input, or a Node Buffer, and returns aligned copies', () => {
    const bytes = encodeSafetensors({
      x: { dtype: 'float32', shape: [3], data: new Float32Array([1, 2, 3]) },
      y: { dtype: 'float64', shape: [2], data: new Float64Array([4, 5]) },
    });
    for (let shift = 0; shift < 8; shift++) {
      const big = new Uint8Array(bytes.length + 16);
      big.set(bytes, shift);
      const view = big.subarray(shift, shift + bytes.length);
      const { tensors } = decodeSafetensors(view);
      expect(Array.from(tensors.x.data)).toEqual([1, 2, 3]);
      expect(Array.from(tensors.y.data)).toEqual([4, 5]);
      expect(tensors.x.data.byteOffset).toBe(0);
      expect(tensors.x.data.buffer).not.toBe(big.buffer);
      // Mutating the decoded data must not touch the input.
      tensors.x.data[0] = 99;
      expect(decodeSafetensors(view).tensors.x.data[0]).toBe(1);
    }
    const { tensors } = decodeSafetensors(Buffer.from(bytes));
    expect(Array.from(tensors.y.data)).toEqual([4, 5]);
  });
});

describe('safetensors byte-exact fixture', () => {
  // Header: 138 bytes of JSON, padded with 6 spaces to 144 = 0x90.
  const headerJson =
    '{"__metadata__":{"format":"pt"},' +
    '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
    '"b":{"dtype":"F64","shape":[],"data_offsets":[8,16]}}';
  const expected = new Uint8Array([
    0x90, 0, 0, 0, 0, 0, 0, 0,
    ...ascii(headerJson),
    ...ascii('      '),
    // a = [1.0, -2.5] as f32 LE: 0x3F800000, 0xC0200000
    0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0,
    // b = 0.5 as f64 LE: 0x3FE0000000000000
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0x3f,
  ]);

  it('the hand-built bytes have the layout the spec describes', () => {
    expect(headerJson.length).toBe(138);
    expect(expected.length).toBe(8 + 144 + 16);
  });

  it('decodes the hand-built file', () => {
    const { tensors, metadata } = decodeSafetensors(expected);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.a).toEqual({ dtype: 'float32', fileDtype: 'F32', shape: [2], data: new Float32Array([1, -2.5]) });
    expect(tensors.b).toEqual({ dtype: 'float64', fileDtype: 'F64', shape: [], data: new Float64Array([0.5]) });
  });

  it('encodes to exactly the hand-built bytes', () => {
    const bytes = encodeSafetensors(
      {
        a: { dtype: 'float32', shape: [2], data: new Float32Array([1, -2.5]) },
        b: { dtype: 'float64', shape: [], data: new Float64Array([0.5]) },
      },
      { format: 'pt' },
    );
    expect(Array.from(bytes)).toEqual(Array.from(expected));
  });

  it('decodes an unpadded header with misaligned data and whitespace in the JSON', () => {
    const bytes = file('{ "x" : { "shape" : [2], "dtype" : "F32", "data_offsets" : [0, 8] } }', [
      0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40,
    ]);
    const { tensors } = decodeSafetensors(bytes);
    expect(Array.from(tensors.x.data)).toEqual([1, 2]);
  });

  it('reads F16, BF16, I32, I64 and U8', () => {
    const header = {
      h: { dtype: 'F16', shape: [8], data_offsets: [0, 16] },
      b: { dtype: 'BF16', shape: [2, 2], data_offsets: [16, 24] },
      i: { dtype: 'I32', shape: [3], data_offsets: [24, 36] },
      l: { dtype: 'I64', shape: [3], data_offsets: [36, 60] },
      u: { dtype: 'U8', shape: [3], data_offsets: [60, 63] },
    };
    const data = [
      // F16: 1, -2, 65504, 2^-24, +inf, -inf, -0, NaN
      0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c, 0x00, 0xfc, 0x00, 0x80, 0x00, 0x7e,
      // BF16: 1, -2.5, 3.140625 (0x4049), +inf
      0x80, 0x3f, 0x20, 0xc0, 0x49, 0x40, 0x80, 0x7f,
      // I32: -1, 2147483647, -2147483648
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x00, 0x00, 0x80,
      // I64: -5, 2^53, -2^53
      0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0xff,
      // U8
      0, 128, 255,
    ];
    const { tensors } = decodeSafetensors(fileOf(header, data));
    expect(tensors.h.dtype).toBe('float32');
    expect(tensors.h.fileDtype).toBe('F16');
    expect(Array.from(tensors.h.data)).toEqual([1, -2, 65504, 2 ** -24, Infinity, -Infinity, -0, NaN]);
    expect(Object.is(tensors.h.data[6], -0)).toBe(true);
    expect(tensors.b.dtype).toBe('float32');
    expect(tensors.b.shape).toEqual([2, 2]);
    expect(Array.from(tensors.b.data)).toEqual([1, -2.5, 3.140625, Infinity]);
    expect(tensors.i.dtype).toBe('float64');
    expect(tensors.i.data).toBeInstanceOf(Float64Array);
    expect(Array.from(tensors.i.data)).toEqual([-1, 2147483647, -2147483648]);
    expect(tensors.l.dtype).toBe('float64');
    expect(Array.from(tensors.l.data)).toEqual([-5, 2 ** 53, -(2 ** 53)]);
    expect(tensors.u.dtype).toBe('uint8');
    expect(tensors.u.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(tensors.u.data)).toEqual([0, 128, 255]);
  });

  it('F16 decoding matches a reference for every bit pattern', () => {
    const all = new Uint8Array(65536 * 2);
    for (let i = 0; i < 65536; i++) {
      all[2 * i] = i & 0xff;
      all[2 * i + 1] = i >> 8;
    }
    const { tensors } = decodeSafetensors(fileOf({ h: { dtype: 'F16', shape: [65536], data_offsets: [0, 131072] } }, Array.from(all)));
    const ref = (h: number): number => {
      const s = h >> 15 ? -1 : 1;
      const e = (h >> 10) & 31;
      const m = h & 1023;
      if (e === 31) return m ? NaN : s * Infinity;
      return e === 0 ? s * m * 2 ** -24 : s * 2 ** (e - 15) * (1 + m / 1024);
    };
    for (let i = 0; i < 65536; i++) {
      const got = tensors.h.data[i];
      const want = ref(i);
      if (!Object.is(got, want)) expect.fail(`F16 0x${i.toString(16)}: got ${got}, want ${want}`);
    }
  });
});

describe('safetensors decode errors', () => {
  const ok = (name = 'w') => ({ [name]: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } });
  const eight = [0, 0, 128, 63, 0, 0, 0, 64];

  it('file shorter than 8 bytes', () => {
    for (let n = 0; n < 8; n++) expectError(() => decodeSafetensors(new Uint8Array(n)), /shorter than the 8-byte/);
  });

  it('header length beyond the file', () => {
    expectError(() => decodeSafetensors(new Uint8Array([100, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d])), /header length 100 runs beyond/);
    // A length with the high 32 bits set.
    expectError(() => decodeSafetensors(new Uint8Array([2, 0, 0, 0, 1, 0, 0, 0, 0x7b, 0x7d])), /header length 4294967298 runs beyond/);
    expectError(() => decodeSafetensors(new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 0x7b, 0x7d])), /runs beyond/);
  });

  it('header not valid JSON, not UTF-8, or not an object', () => {
    expectError(() => decodeSafetensors(file('{"a":')), /not valid JSON/);
    expectError(() => decodeSafetensors(file('{} x')), /not valid JSON/);
    expectError(() => decodeSafetensors(file('[]')), /JSON object/);
    expectError(() => decodeSafetensors(file('null')), /JSON object/);
    expectError(() => decodeSafetensors(file('  {}')), /JSON object/);
    expectError(() => decodeSafetensors(file('')), /JSON object/);
    expectError(() => decodeSafetensors(new Uint8Array([4, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x22, 0xff, 0x7d])), /not valid UTF-8/);
  });

  it('tensor entry not an object, or missing a field', () => {
    expectError(() => decodeSafetensors(fileOf({ w: [1, 2] })), /header entry must be an object/, 'w');
    expectError(() => decodeSafetensors(fileOf({ w: 'F32' })), /header entry must be an object/, 'w');
    for (const field of ['dtype', 'shape', 'data_offsets']) {
      const entry: Record<string, unknown> = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
      delete entry[field];
      expectError(() => decodeSafetensors(fileOf({ w: entry }, eight)), new RegExp(`missing the field "${field}"`), 'w');
    }
  });

  it('unknown or unsupported dtype', () => {
    expectError(() => decodeSafetensors(fileOf({ w: { dtype: 'F33', shape: [2], data_offsets: [0, 8] } }, eight)), /unknown dtype "F33"/, 'w');
    expectError(() => decodeSafetensors(fileOf({ w: { dtype: 'f32', shape: [2], data_offsets: [0, 8] } }, eight)), /unknown dtype "f32"/, 'w');
    expectError(() => decodeSafetensors(fileOf({ w: { dtype: 'BOOL', shape: [8], data_offsets: [0, 8] } }, eight)), /unsupported dtype "BOOL"/, 'w');
    expectError(() => decodeSafetensors(fileOf({ w: { dtype: 4, shape: [2], data_offsets: [0, 8] } }, eight)), /dtype must be a string/, 'w');
  });

  it('shape with negative, non-integer or non-number dimensions', () => {
    for (const shape of [[-1], [1.5], ['2'], [2, null], 'x', null, [Number.MAX_SAFE_INTEGER + 1]]) {
      expectError(
        () => decodeSafetensors(fileOf({ w: { dtype: 'F32', shape, data_offsets: [0, 8] } }, eight)),
        /shape/,
        'w',
      );
    }
    // Dimensions whose product overflows.
    expectError(
      () => decodeSafetensors(fileOf({ w: { dtype: 'F32', shape: [2 ** 30, 2 ** 30, 2 ** 30], data_offsets: [0, 8] } }, eight)),
      /too many elements/,
      'w',
    );
  });

  it('data_offsets malformed or not matching shape * itemsize', () => {
    for (const offsets of [[0], [0, 8, 9], [-1, 7], [0.5, 8], ['0', '8'], null, [8, 0]]) {
      expectError(
        () => decodeSafetensors(fileOf({ w: { dtype: 'F32', shape: [2], data_offsets: offsets } }, eight)),
        /data_offsets/,
        'w',
      );
    }
    expectError(
      () => decodeSafetensors(fileOf({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, eight)),
      /span 8 bytes but F32 shape \[3\] needs 12/,
      'w',
    );
    expectError(
      () => decodeSafetensors(fileOf({ w: { dtype: 'F64', shape: [2], data_offsets: [0, 8] } }, eight)),
      /needs 16/,
      'w',
    );
  });

  it('offsets outside the buffer', () => {
    expectError(
      () => decodeSafetensors(fileOf({ w: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, eight)),
      /\[4, 12\] lie outside the 8-byte data buffer/,
      'w',
    );
    expectError(() => decodeSafetensors(fileOf(ok(), [1, 2, 3])), /outside the 3-byte data buffer/, 'w');
  });

  it('overlapping tensors', () => {
    const header = {
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
    };
    expectError(() => decodeSafetensors(fileOf(header, eight)), /overlap tensor "a"/, 'b');
    const same = {
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    };
    expectError(() => decodeSafetensors(fileOf(same, eight)), /overlap/, 'b');
    // An empty tensor inside another one.
    const inside = {
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      e: { dtype: 'F32', shape: [0], data_offsets: [4, 4] },
    };
    expectError(() => decodeSafetensors(fileOf(inside, eight)), /overlap tensor "a" at \[0, 8\]/, 'e');
  });

  it('gaps and uncovered bytes', () => {
    const atStart = { w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } };
    expectError(() => decodeSafetensors(fileOf(atStart, eight)), /gap of 4 bytes between the start of the buffer/, 'w');
    const between = {
      a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      b: { dtype: 'U8', shape: [2], data_offsets: [6, 8] },
    };
    expectError(() => decodeSafetensors(fileOf(between, eight)), /gap of 2 bytes between tensor "a"/, 'b');
    expectError(() => decodeSafetensors(fileOf(ok(), [...eight, 0, 0])), /10 bytes but the tensors cover only 8; 2 trailing/);
    expectError(() => decodeSafetensors(fileOf({}, [0])), /1 bytes but the tensors cover only 0/);
  });

  it('I64 values beyond 2^53', () => {
    const beyond = [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00]; // 2^53 + 1
    expectError(
      () => decodeSafetensors(fileOf({ n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, beyond)),
      /9007199254740993 is beyond/,
      'n',
    );
    const min = [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80];
    expectError(() => decodeSafetensors(fileOf({ n: { dtype: 'I64', shape: [], data_offsets: [0, 8] } }, min)), /beyond/, 'n');
  });

  it('bad __metadata__', () => {
    expectError(() => decodeSafetensors(fileOf({ __metadata__: ['a'] })), /__metadata__ must be an object/);
    expectError(() => decodeSafetensors(fileOf({ __metadata__: { epoch: 3 } })), /value for key "epoch" must be a string/);
  });

  it('every strict prefix of a valid file throws SafetensorsError', () => {
    fc.assert(
      fc.property(
        tensorsArb,
        fc.option(metadataArb, { nil: undefined }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (tensors, metadata, fraction) => {
          const bytes = encodeSafetensors(tensors, metadata);
          const cut = Math.floor(fraction * bytes.length);
          expect(() => decodeSafetensors(bytes.subarray(0, cut))).toThrow(SafetensorsError);
        },
      ),
      { numRuns: 300 },
    );
    // And, exhaustively, for the fixture-sized file.
    const bytes = encodeSafetensors({ a: { dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) } }, { k: 'v' });
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => decodeSafetensors(bytes.slice(0, cut))).toThrow(SafetensorsError);
    }
  });

  it('corrupted bytes either throw SafetensorsError or decode consistently', () => {
    fc.assert(
      fc.property(tensorsArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (tensors, position, value) => {
        const bytes = encodeSafetensors(tensors, { a: 'b' });
        const corrupt = bytes.slice();
        corrupt[position % bytes.length] = value;
        let decoded;
        try {
          decoded = decodeSafetensors(corrupt);
        } catch (e) {
          expect(e).toBeInstanceOf(SafetensorsError);
          return;
        }
        for (const t of Object.values(decoded.tensors)) expect(t.data.length).toBe(product(t.shape));
      }),
      { numRuns: 500 },
    );
  });
});

describe('safetensors encode errors', () => {
  it('rejects inconsistent or unsupported input, naming the tensor', () => {
    expectError(
      () => encodeSafetensors({ w: { dtype: 'float32', shape: [2, 2], data: new Float32Array(3) } }),
      /shape \[2,2\] needs 4 elements but data has 3/,
      'w',
    );
    expectError(
      () => encodeSafetensors({ w: { dtype: 'float32', shape: [2], data: new Float64Array(2) } }),
      /requires a Float32Array/,
      'w',
    );
    expectError(
      () => encodeSafetensors({ w: { dtype: 'float64', shape: [2], data: new Float32Array(2) } }),
      /requires a Float64Array/,
      'w',
    );
    expectError(
      () => encodeSafetensors({ w: { dtype: 'int32' as 'float32', shape: [2], data: new Float32Array(2) } }),
      /cannot write dtype "int32"/,
      'w',
    );
    expectError(() => encodeSafetensors({ w: { dtype: 'float32', shape: [-2], data: new Float32Array(2) } }), /invalid dimension -2/, 'w');
    expectError(() => encodeSafetensors({ w: { dtype: 'float32', shape: [0.5], data: new Float32Array(0) } }), /invalid dimension/, 'w');
    expectError(
      () => encodeSafetensors({ __metadata__: { dtype: 'float32', shape: [], data: new Float32Array(1) } }),
      /reserved/,
      '__metadata__',
    );
    expectError(
      () => encodeSafetensors({}, { epoch: 3 as unknown as string }),
      /metadata value for key "epoch" must be a string/,
    );
  });

  it('writes subarray views correctly (respecting byteOffset)', () => {
    const backing = new Float32Array([9, 9, 1, 2, 3, 9]);
    const view = backing.subarray(2, 5);
    const { tensors } = decodeSafetensors(encodeSafetensors({ v: { dtype: 'float32', shape: [3], data: view } }));
    expect(Array.from(tensors.v.data)).toEqual([1, 2, 3]);
  });
});
