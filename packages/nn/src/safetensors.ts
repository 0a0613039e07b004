// The safetensors file format (https://github.com/huggingface/safetensors), byte level.
//
// Layout:
//   - 8 bytes: N, an unsigned little-endian 64-bit integer, the length of the header;
//   - N bytes: a UTF-8 JSON object (the header), possibly padded at the end with spaces;
//       { "<name>": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }, ...,
//         "__metadata__": { "<key>": "<string value>", ... } }
//   - the byte buffer. `data_offsets` are relative to the start of the buffer; each tensor is
//     little-endian and row-major, and the tensors cover the buffer entirely, without gaps or
//     overlaps.
//
// This module depends on nothing but the language (DataView, TextEncoder/TextDecoder) and
// memograd's error base class, so it runs in browsers as well as Node. It deals in plain typed
// arrays and shapes; the conversion to and from tensors lives elsewhere.
//
// Writing supports F32 and F64. Reading supports F32, F64, F16 and BF16 (half types are widened
// to Float32Array), I32 and I64 (converted to Float64Array; an I64 value beyond ±2^53 is an
// error, since it could not be represented exactly), and U8 (Uint8Array). Decoded arrays are
// always fresh copies with their own ArrayBuffer, never views into the input.

import { MemogradError } from '@memograd/autograd';
import { describe } from './module.ts';
import { text } from './errors.ts';

/**
 * Every problem found while encoding or decoding a safetensors file: a `MemogradError` (op
 * 'safetensors'), so it is caught like every other memograd error.
 */
export class SafetensorsError extends MemogradError {
  /** The tensor the problem concerns, when it concerns one. */
  readonly tensor: string | undefined;

  constructor(message: string, tensor?: string) {
    super('safetensors', tensor === undefined ? text(message) : `tensor ${typeof tensor === 'string' ? JSON.stringify(tensor) : text(tensor)}: ${text(message)}`);
    this.tensor = tensor === undefined ? undefined : text(tensor);
  }
}

/**
 * The first key that appears twice in one object of a (valid) JSON text, with the top-level key it
 * sits under (null at the top level), or null. JSON.parse silently keeps the last duplicate; the
 * safetensors format forbids duplicates, so the header text is scanned for them.
 */
function findDuplicateKey(text: string): { key: string; under: string | null } | null {
  const stack: (Set<string> | null)[] = []; // one Set per open object, null per open array
  let under: string | null = null;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const token = text.slice(i, j + 1);
      i = j + 1;
      let k = i;
      while (k < text.length && (text[k] === ' ' || text[k] === '\t' || text[k] === '\n' || text[k] === '\r')) k++;
      const top = stack[stack.length - 1];
      if (text[k] === ':' && top) {
        const key = JSON.parse(token) as string;
        if (top.has(key)) return { key, under: stack.length === 1 ? null : under };
        top.add(key);
        if (stack.length === 1) under = key;
      }
      continue;
    }
    if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    i++;
  }
  return null;
}

/** The dtypes this codec reads (the names used in the file header). */
export type SafetensorsDtype = 'F32' | 'F64' | 'F16' | 'BF16' | 'I32' | 'I64' | 'U8';

/** A tensor to write. `data` is row-major and holds exactly `product(shape)` elements. */
export interface SafetensorsInput {
  /** Element type of `data`. */
  dtype: 'float32' | 'float64';
  /** The size of each axis. */
  shape: readonly number[];
  /** The elements, row-major. */
  data: Float32Array | Float64Array;
}

/**
 * A tensor read from a file. `dtype` names the kind of array in `data`; `fileDtype` is the dtype
 * the file stored (for example F16 is read as `dtype: 'float32'`).
 */
export type DecodedTensor =
  | {
      /** Kind of array in data. */
      dtype: 'float32';
      /** The type stored in the file. */
      fileDtype: 'F32' | 'F16' | 'BF16';
      /** The size of each axis. */
      shape: number[];
      /** The elements, row-major. */
      data: Float32Array;
    }
  | {
      /** Kind of array in data. */
      dtype: 'float64';
      /** The type stored in the file. */
      fileDtype: 'F64' | 'I32' | 'I64';
      /** The size of each axis. */
      shape: number[];
      /** The elements, row-major. */
      data: Float64Array;
    }
  | {
      /** Kind of array in data. */
      dtype: 'uint8';
      /** The type stored in the file. */
      fileDtype: 'U8';
      /** The size of each axis. */
      shape: number[];
      /** The elements, row-major. */
      data: Uint8Array;
    };

/** The contents of a .safetensors file: named tensors and the header's metadata. */
export interface DecodedSafetensors {
  /** The tensors, by name. */
  tensors: Record<string, DecodedTensor>;
  /** The header's `__metadata__` strings. */
  metadata: Record<string, string>;
}

const METADATA_KEY = '__metadata__';

const ITEM_SIZE: Record<SafetensorsDtype, number> = {
  F32: 4,
  F64: 8,
  F16: 2,
  BF16: 2,
  I32: 4,
  I64: 8,
  U8: 1,
};

/** Dtypes the format defines but this codec does not read. */
const KNOWN_UNSUPPORTED = new Set([
  'BOOL',
  'I8',
  'I16',
  'U16',
  'U32',
  'U64',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F6_E2M3',
  'F6_E3M2',
  'F4',
  'C64',
]);

const LITTLE_ENDIAN_PLATFORM = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const TWO_POW_32 = 2 ** 32;
const TWO_POW_53 = 2n ** 53n;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Assigns an own enumerable property, safe for names such as `__proto__`. */
function defineOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  // a class instance (a Tensor, a Map) by its name: its JSON would show internals
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return describe(value);
  try {
    // NaN and ±Infinity as written, not as JSON's null
    const s = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(value);
  }
}

function checkShape(shape: unknown, tensor: string): number[] {
  if (!Array.isArray(shape)) {
    throw new SafetensorsError(`shape must be an array of non-negative integers, got ${describeValue(shape)}`, tensor);
  }
  const dims: number[] = [];
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new SafetensorsError(
        `shape ${describeValue(shape)} has an invalid dimension ${describeValue(d)} (dimensions must be non-negative integers)`,
        tensor,
      );
    }
    dims.push(d);
  }
  return dims;
}

function numelOf(shape: readonly number[], tensor: string): number {
  let n = 1;
  for (const d of shape) n *= d;
  if (!Number.isSafeInteger(n)) {
    throw new SafetensorsError(`shape ${JSON.stringify(shape)} has too many elements`, tensor);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Encoding

/**
 * Serializes tensors (F32 or F64) and optional string metadata into the bytes of a safetensors
 * file. Tensors are laid out in the order of `Object.keys(tensors)`; the header is written without
 * whitespace, `__metadata__` first when given, and padded with spaces so that the buffer starts at
 * a multiple of 8 bytes.
 */
export function encodeSafetensors(
  tensors: Record<string, SafetensorsInput>,
  metadata?: Record<string, string>,
): Uint8Array {
  if (!isPlainObject(tensors)) throw new SafetensorsError('tensors must be an object mapping names to tensors');

  const parts: string[] = [];
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) throw new SafetensorsError('metadata must be an object of string values');
    const entries: string[] = [];
    for (const key of Object.keys(metadata)) {
      const value = metadata[key];
      if (typeof value !== 'string') {
        throw new SafetensorsError(`metadata value for key ${JSON.stringify(key)} must be a string, got ${describeValue(value)}`);
      }
      entries.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    }
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${entries.join(',')}}`);
  }

  const layout: { data: Float32Array | Float64Array; begin: number; end: number }[] = [];
  let offset = 0;
  for (const name of Object.keys(tensors)) {
    if (name === METADATA_KEY) {
      throw new SafetensorsError(`the name ${JSON.stringify(METADATA_KEY)} is reserved for metadata`, name);
    }
    const t = tensors[name];
    if (!isPlainObject(t)) throw new SafetensorsError(`expected { dtype, shape, data }, got ${describeValue(t)}`, name);
    let fileDtype: 'F32' | 'F64';
    if (t.dtype === 'float32') {
      if (!(t.data instanceof Float32Array)) throw new SafetensorsError('dtype float32 requires a Float32Array', name);
      fileDtype = 'F32';
    } else if (t.dtype === 'float64') {
      if (!(t.data instanceof Float64Array)) throw new SafetensorsError('dtype float64 requires a Float64Array', name);
      fileDtype = 'F64';
    } else {
      throw new SafetensorsError(`cannot write dtype ${describeValue(t.dtype)} (only 'float32' and 'float64')`, name);
    }
    const shape = checkShape(t.shape, name);
    const numel = numelOf(shape, name);
    if (t.data.length !== numel) {
      throw new SafetensorsError(`shape ${JSON.stringify(shape)} needs ${numel} elements but data has ${t.data.length}`, name);
    }
    const begin = offset;
    const end = begin + t.data.byteLength;
    offset = end;
    layout.push({ data: t.data, begin, end });
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${fileDtype}","shape":[${shape.join(',')}],"data_offsets":[${begin},${end}]}`,
    );
  }

  const headerText = `{${parts.join(',')}}`;
  const headerBytes = new TextEncoder().encode(headerText);
  const padding = (8 - (headerBytes.length % 8)) % 8;
  const headerLength = headerBytes.length + padding;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % TWO_POW_32, true);
  view.setUint32(4, Math.floor(headerLength / TWO_POW_32), true);
  out.set(headerBytes, 8);
  out.fill(0x20, 8 + headerBytes.length, 8 + headerLength);

  const base = 8 + headerLength;
  for (const { data, begin } of layout) {
    const at = base + begin;
    if (LITTLE_ENDIAN_PLATFORM) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    } else if (data instanceof Float32Array) {
      for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i], true);
    } else {
      for (let i = 0; i < data.length; i++) view.setFloat64(at + 8 * i, data[i], true);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoding

interface HeaderEntry {
  name: string;
  fileDtype: SafetensorsDtype;
  shape: number[];
  numel: number;
  begin: number;
  end: number;
}

function parseEntry(name: string, raw: unknown): Omit<HeaderEntry, 'begin' | 'end'> & { offsets: [number, number] } {
  if (!isPlainObject(raw)) {
    throw new SafetensorsError(`header entry must be an object { dtype, shape, data_offsets }, got ${describeValue(raw)}`, name);
  }
  for (const field of ['dtype', 'shape', 'data_offsets']) {
    if (!hasOwn(raw, field)) throw new SafetensorsError(`header entry is missing the field "${field}"`, name);
  }
  const dtype = raw.dtype;
  if (typeof dtype !== 'string') throw new SafetensorsError(`dtype must be a string, got ${describeValue(dtype)}`, name);
  if (!hasOwn(ITEM_SIZE, dtype)) {
    if (KNOWN_UNSUPPORTED.has(dtype)) {
      throw new SafetensorsError(`unsupported dtype "${dtype}" (this reader handles ${Object.keys(ITEM_SIZE).join(', ')})`, name);
    }
    throw new SafetensorsError(`unknown dtype ${JSON.stringify(dtype)}`, name);
  }
  const fileDtype = dtype as SafetensorsDtype;
  const shape = checkShape(raw.shape, name);
  const numel = numelOf(shape, name);
  const offsets = raw.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)
  ) {
    throw new SafetensorsError(
      `data_offsets must be [begin, end] with non-negative integers, got ${describeValue(offsets)}`,
      name,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new SafetensorsError(`data_offsets [${begin}, ${end}] end before they begin`, name);
  const expected = numel * ITEM_SIZE[fileDtype];
  if (end - begin !== expected) {
    throw new SafetensorsError(
      `data_offsets [${begin}, ${end}] span ${end - begin} bytes but ${fileDtype} shape ${JSON.stringify(shape)} needs ${expected}`,
      name,
    );
  }
  return { name, fileDtype, shape, numel, offsets: [begin, end] };
}

function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function readTensor(bytes: Uint8Array, view: DataView, at: number, entry: HeaderEntry): DecodedTensor {
  const { name, fileDtype, shape, numel } = entry;
  const byteLength = entry.end - entry.begin;
  switch (fileDtype) {
    case 'F32': {
      if (LITTLE_ENDIAN_PLATFORM) {
        return { dtype: 'float32', fileDtype, shape, data: new Float32Array(copyBytes(bytes, at, at + byteLength).buffer) };
      }
      const data = new Float32Array(numel);
      for (let i = 0; i < numel; i++) data[i] = view.getFloat32(at + 4 * i, true);
      return { dtype: 'float32', fileDtype, shape, data };
    }
    case 'F64': {
      if (LITTLE_ENDIAN_PLATFORM) {
        return { dtype: 'float64', fileDtype, shape, data: new Float64Array(copyBytes(bytes, at, at + byteLength).buffer) };
      }
      const data = new Float64Array(numel);
      for (let i = 0; i < numel; i++) data[i] = view.getFloat64(at + 8 * i, true);
      return { dtype: 'float64', fileDtype, shape, data };
    }
    case 'F16': {
      const data = new Float32Array(numel);
      for (let i = 0; i < numel; i++) data[i] = halfToFloat(view.getUint16(at + 2 * i, true));
      return { dtype: 'float32', fileDtype, shape, data };
    }
    case 'BF16': {
      // bfloat16 is the upper half of a float32.
      const data = new Float32Array(numel);
      const bits = new Uint32Array(data.buffer);
      // Uint32Array and Float32Array share the platform's byte order, so this is portable.
      for (let i = 0; i < numel; i++) bits[i] = view.getUint16(at + 2 * i, true) << 16;
      return { dtype: 'float32', fileDtype, shape, data };
    }
    case 'I32': {
      const data = new Float64Array(numel);
      for (let i = 0; i < numel; i++) data[i] = view.getInt32(at + 4 * i, true);
      return { dtype: 'float64', fileDtype, shape, data };
    }
    case 'I64': {
      const data = new Float64Array(numel);
      for (let i = 0; i < numel; i++) {
        const v = view.getBigInt64(at + 8 * i, true);
        if (v > TWO_POW_53 || v < -TWO_POW_53) {
          throw new SafetensorsError(`I64 element ${i} = ${v} is beyond ±2^53 and cannot be represented exactly`, name);
        }
        data[i] = Number(v);
      }
      return { dtype: 'float64', fileDtype, shape, data };
    }
    case 'U8':
      return { dtype: 'uint8', fileDtype, shape, data: copyBytes(bytes, at, at + byteLength) };
  }
}

/**
 * Parses the bytes of a safetensors file. Throws `SafetensorsError` for anything malformed:
 * a short or truncated file, a bad header, unknown dtypes, inconsistent shapes and offsets,
 * and a buffer that the tensors do not cover exactly.
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (!(bytes instanceof Uint8Array)) throw new SafetensorsError('expected the file contents as a Uint8Array');
  if (bytes.length < 8) {
    throw new SafetensorsError(`file is ${bytes.length} bytes, shorter than the 8-byte header length prefix`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * TWO_POW_32;
  if (headerLength > bytes.length - 8) {
    throw new SafetensorsError(
      `header length ${headerLength} runs beyond the end of the file (${bytes.length - 8} bytes after the length prefix); file truncated?`,
    );
  }
  if (headerLength < 2 || bytes[8] !== 0x7b /* { */) {
    throw new SafetensorsError('header must be a JSON object starting with "{"');
  }

  let headerText: string;
  try {
    headerText = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    throw new SafetensorsError('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch (e) {
    throw new SafetensorsError(`header is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isPlainObject(header)) throw new SafetensorsError(`header must be a JSON object, got ${describeValue(header)}`);
  const dup = findDuplicateKey(headerText);
  if (dup !== null) {
    throw new SafetensorsError(
      `header has the key ${JSON.stringify(dup.key)} twice${dup.under === null ? '' : ` inside ${JSON.stringify(dup.under)}`} (the format forbids duplicate keys)`,
    );
  }

  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const name of Object.keys(header)) {
    const raw = header[name];
    if (name === METADATA_KEY) {
      if (!isPlainObject(raw)) throw new SafetensorsError(`__metadata__ must be an object of strings, got ${describeValue(raw)}`);
      for (const key of Object.keys(raw)) {
        const value = raw[key];
        if (typeof value !== 'string') {
          throw new SafetensorsError(`__metadata__ value for key ${JSON.stringify(key)} must be a string, got ${describeValue(value)}`);
        }
        defineOwn(metadata, key, value);
      }
      continue;
    }
    const { offsets, ...rest } = parseEntry(name, raw);
    entries.push({ ...rest, begin: offsets[0], end: offsets[1] });
  }

  const base = 8 + headerLength;
  const bufferLength = bytes.length - base;
  for (const e of entries) {
    if (e.end > bufferLength) {
      throw new SafetensorsError(
        `data_offsets [${e.begin}, ${e.end}] lie outside the ${bufferLength}-byte data buffer; file truncated?`,
        e.name,
      );
    }
  }

  // The tensors must tile the buffer: sorted by offsets, each begins where the previous ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: HeaderEntry | undefined;
  for (const e of sorted) {
    if (e.begin < covered) {
      throw new SafetensorsError(
        `data_offsets [${e.begin}, ${e.end}] overlap tensor ${JSON.stringify(previous?.name)} at [${previous?.begin}, ${previous?.end}]`,
        e.name,
      );
    }
    if (e.begin > covered) {
      const after = previous === undefined ? 'the start of the buffer' : `tensor ${JSON.stringify(previous.name)}`;
      throw new SafetensorsError(`gap of ${e.begin - covered} bytes between ${after} and this tensor at offset ${e.begin}`, e.name);
    }
    covered = e.end;
    previous = e;
  }
  if (covered !== bufferLength) {
    throw new SafetensorsError(
      `the data buffer has ${bufferLength} bytes but the tensors cover only ${covered}; ${bufferLength - covered} trailing bytes`,
    );
  }

  const tensors: Record<string, DecodedTensor> = {};
  for (const e of entries) defineOwn(tensors, e.name, readTensor(bytes, view, base + e.begin, e));
  return { tensors, metadata };
}
