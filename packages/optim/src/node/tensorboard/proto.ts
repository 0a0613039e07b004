/**
 * A minimal protobuf wire-format writer (proto3 encoding rules) for the handful of TensorBoard
 * messages memograd writes. Hand-written rather than generated: seven small messages do not justify a
 * runtime dependency plus a code generator, and every byte stays visible here. Field numbers come
 * from TensorBoard's .proto files (event.proto, summary.proto, histogram.proto, tensor.proto,
 * tensor_shape.proto, hparams/api.proto, hparams/plugin_data.proto, google/protobuf/struct.proto);
 * each encoder in messages.ts names its message.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

/** Builds one message; nested messages are encoded first and written as bytes fields. */
export class ProtoWriter {
  private chunks: number[] = [];
  private parts: Uint8Array[] = [];
  private size = 0;

  private flushBytes(): void {
    if (this.chunks.length > 0) {
      const b = Uint8Array.from(this.chunks);
      this.parts.push(b);
      this.size += b.length;
      this.chunks = [];
    }
  }

  private varint(v: bigint): void {
    // int64 and uint64 alike: two's complement in 64 bits (a negative number takes 10 bytes)
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      this.chunks.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.chunks.push(Number(x));
  }

  private tag(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  private raw(bytes: Uint8Array): void {
    this.flushBytes();
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  /**
   * An int32/int64/enum/bool field; proto3 omits the default 0 unless `always` (a oneof member has
   * presence, so its zero must be written).
   */
  int(field: number, v: number | bigint | boolean, always = false): this {
    const b = typeof v === 'bigint' ? v : BigInt(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    if (b === 0n && !always) return this;
    this.tag(field, WIRE_VARINT);
    this.varint(b);
    return this;
  }

  /** A double field (omitted when +0, proto3's default; -0 is written, since its bits differ). */
  double(field: number, v: number, always = false): this {
    if (!always && v === 0 && !Object.is(v, -0)) return this;
    this.tag(field, WIRE_FIXED64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.raw(b);
    return this;
  }

  /** A float field (rounded to float32; always written, so a scalar 0 is stored explicitly). */
  float(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.raw(b);
    return this;
  }

  /** A length-delimited field: bytes, a UTF-8 string, or an encoded message. */
  bytes(field: number, v: Uint8Array | string, always = false): this {
    const b = typeof v === 'string' ? utf8.encode(v) : v;
    if (!always && b.length === 0) return this;
    this.tag(field, WIRE_LEN);
    this.varint(BigInt(b.length));
    this.raw(b);
    return this;
  }

  /** A packed repeated double field. */
  packedDoubles(field: number, vs: ArrayLike<number>): this {
    if (vs.length === 0) return this;
    const b = new Uint8Array(vs.length * 8);
    const view = new DataView(b.buffer);
    for (let i = 0; i < vs.length; i++) view.setFloat64(i * 8, vs[i]!, true);
    return this.bytes(field, b);
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.flushBytes();
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
