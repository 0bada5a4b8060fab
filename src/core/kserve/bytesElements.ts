import { TensorCodecError } from './codecError';

/**
 * The raw form of BYTES tensors (wire reference §1.2), shared by gRPC
 * `raw_*_contents` and HTTP binary data: each element is a 4-byte unsigned
 * little-endian length followed by that many bytes, with no terminator.
 */
export function encodeBytesElements(elements: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const e of elements) total += 4 + e.length;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const e of elements) {
    out.writeUInt32LE(e.length, at);
    out.set(e, at + 4);
    at += 4 + e.length;
  }
  return out;
}

/**
 * Splits raw BYTES data into its elements (views into `raw`). With
 * `expected`, the element count must match; `what` names the tensor in errors.
 */
export function decodeBytesElements(raw: Uint8Array, what: string, expected?: number): Uint8Array[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < raw.length) {
    if (raw.length - at < 4) {
      throw new TensorCodecError(
        `${what}: BYTES element ${out.length} is truncated: ${raw.length - at} byte(s) left where a 4-byte length was expected`,
      );
    }
    const len = view.getUint32(at, true);
    if (len > raw.length - at - 4) {
      throw new TensorCodecError(
        `${what}: BYTES element ${out.length} declares ${len} bytes but only ${raw.length - at - 4} remain`,
      );
    }
    out.push(raw.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  if (expected !== undefined && out.length !== expected) {
    throw new TensorCodecError(
      `${what}: expected ${expected} BYTES element(s) for its shape, the data holds ${out.length}`,
    );
  }
  return out;
}
