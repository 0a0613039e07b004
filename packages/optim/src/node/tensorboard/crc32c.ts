/**
 * CRC32C (Castagnoli: reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF) and the masking
 * TFRecord applies to it. A 256-entry table is all TFRecord framing needs; node:zlib's crc32 is the
 * other polynomial (IEEE), which TensorBoard rejects.
 */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC32C of `bytes` (check value: crc32c of the ASCII "123456789" is 0xE3069283). */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * TFRecord's masked CRC: rotate right by 15 and add a constant, so that a CRC stored inside the data
 * it covers does not checksum to a fixed value (tensorflow/core/lib/hash/crc32c.h `Mask`).
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/**
 * One TFRecord: `u64le length | u32le masked_crc(length bytes) | payload | u32le masked_crc(payload)`.
 */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(payload.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(payload, 12);
  view.setUint32(12 + payload.length, maskedCrc32c(payload), true);
  return out;
}
