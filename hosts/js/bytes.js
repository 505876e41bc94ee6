// Byte and hex helpers of the portable layer (no dependencies, so every module may use them).

/** Bytes from a Uint8Array, ArrayBuffer or typed-array view (no copy). */
export function toBytes(v) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new TypeError("expected bytes (Uint8Array, ArrayBuffer or a typed-array view)");
}

/** Lowercase hex of bytes. */
export const hex = (b) => Array.from(toBytes(b), (x) => x.toString(16).padStart(2, "0")).join("");

/** Bytes from lowercase or uppercase hex (even length); throws TypeError otherwise. */
export function fromHex(h) {
  if (typeof h !== "string" || !/^([0-9a-fA-F]{2})*$/.test(h)) throw new TypeError("expected an even-length hex string");
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Byte-wise equality (a word at a time where both views are 4-byte aligned). */
export function equalBytes(a, b) {
  a = toBytes(a); b = toBytes(b);
  const n = a.length;
  if (n !== b.length) return false;
  let i = 0;
  if (n >= 64 && (a.byteOffset & 3) === 0 && (b.byteOffset & 3) === 0) {
    const w = n >>> 2;
    const x = new Int32Array(a.buffer, a.byteOffset, w), y = new Int32Array(b.buffer, b.byteOffset, w);
    for (let j = 0; j < w; j++) if (x[j] !== y[j]) return false;
    i = w << 2;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
