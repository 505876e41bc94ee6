// Shared helpers of the plain-JS peer decoders: what a careful hand-written DataView decoder
// would use (a 256-entry hex table, bounds-checked reads), so the comparison is with good JS.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export class Reader {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.b = bytes;
    this.v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(o, n, what) {
    if (o + n > this.b.length) throw new RangeError(`${what}: needs ${n} bytes at ${o}, input has ${this.b.length}`);
  }
  u8(o) { return this.v.getUint8(o); }
  u16(o) { return this.v.getUint16(o, true); }
  u32(o) { return this.v.getUint32(o, true); }
  /** u64 as a decimal string (exact above 2^53). */
  u64(o) { return this.v.getBigUint64(o, true).toString(); }
  hex(o, n) {
    const b = this.b;
    let s = "";
    for (let i = o; i < o + n; i++) s += HEX[b[i]];
    return s;
  }
}
