// Minimal DER writer for the vendor certificate extensions the simulator emits (Intel SGX PCK,
// AMD VCEK). @peculiar/x509 builds the certificates; this only encodes extension values, whose
// shapes are vendor-specific (ITU-T X.690 tag-length-value, definite lengths).

function cat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function tlv(tag, content) {
  const n = content.length;
  let len;
  if (n < 0x80) len = [n];
  else {
    const b = [];
    for (let v = n; v > 0; v >>>= 8) b.unshift(v & 0xff);
    len = [0x80 | b.length, ...b];
  }
  return cat([Uint8Array.of(tag, ...len), content]);
}

/** SEQUENCE of already-encoded elements. */
export const seq = (...items) => tlv(0x30, cat(items));

/** Non-negative INTEGER (two's complement, minimal length). */
export function int(value) {
  const b = [];
  let v = BigInt(value);
  if (v < 0n) throw new RangeError("der.int encodes non-negative values only");
  do { b.unshift(Number(v & 0xffn)); v >>= 8n; } while (v > 0n);
  if (b[0] & 0x80) b.unshift(0);
  return tlv(0x02, Uint8Array.from(b));
}

export const enumerated = (value) => { const i = int(value); i[0] = 0x0a; return i; };
export const bool = (v) => tlv(0x01, Uint8Array.of(v ? 0xff : 0));
export const octets = (bytes) => tlv(0x04, bytes);
export const ia5 = (text) => tlv(0x16, new TextEncoder().encode(text));

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted) {
  const arcs = dotted.split(".").map(BigInt);
  const body = [];
  const first = arcs[0] * 40n + arcs[1];
  for (const arc of [first, ...arcs.slice(2)]) {
    const b = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) b.unshift(Number(v & 0x7fn) | 0x80);
    body.push(...b);
  }
  return tlv(0x06, Uint8Array.from(body));
}
