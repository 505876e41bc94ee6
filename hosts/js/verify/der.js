// A strict, bounded DER reader (ITU-T X.690 section 10, the distinguished encoding RFC 5280
// requires of certificates and CRLs): definite lengths in their shortest form, low-tag-number
// identifiers, constructed values whose children fill them exactly, minimal INTEGERs and
// BOOLEANs of 0x00/0xFF. It reads structure only; X.509 meaning is in certinfo.js and path.js.

/** Bytes that are not strict DER: `offset` is where in the input the problem is. */
export class DerError extends Error {
  constructor(message, offset) {
    super(`${message} at byte ${offset}`);
    this.name = "DerError";
    /** The message without its place, for a reader that reports the place in a larger structure. */
    this.reason = message;
    this.code = "MALFORMED_DER";
    this.offset = offset;
  }
}

export const TAG = Object.freeze({
  BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06,
  ENUMERATED: 0x0a, SEQUENCE: 0x30, SET: 0x31,
});

const MAX_DEPTH = 32; // deeper nesting than any X.509 structure needs is refused, not recursed into

/**
 * The TLV at `off`, which must end by `end`: { tag, off, start (contents), end }. Throws DerError
 * for high-tag-number identifiers, indefinite or non-minimal lengths, and overruns.
 */
export function tlv(b, off, end) {
  if (off + 2 > end) throw new DerError("truncated TLV", off);
  const tag = b[off];
  if ((tag & 0x1f) === 0x1f) throw new DerError("high-tag-number identifier", off);
  let len = b[off + 1];
  let start = off + 2;
  if (len === 0x80) throw new DerError("indefinite length", off + 1);
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4 || start + n > end) throw new DerError("length of length out of range", off + 1);
    if (b[start] === 0) throw new DerError("length with a leading zero byte", off + 1);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i];
    if (len < 0x80) throw new DerError("long-form length for a short value", off + 1);
    start += n;
  }
  if (start + len > end) throw new DerError(`value of ${len} bytes runs past its container`, off);
  return { tag, off, start, end: start + len };
}

/** The children of a constructed value (they must fill it exactly). */
export function children(b, node) {
  const out = [];
  for (let off = node.start; off < node.end;) {
    const c = tlv(b, off, node.end);
    out.push(c);
    off = c.end;
  }
  return out;
}

/** The one TLV that spans all of `b` (nothing after it). */
export function root(b) {
  const node = tlv(b, 0, b.length);
  if (node.end !== b.length) throw new DerError(`${b.length - node.end} bytes after the DER value`, node.end);
  return node;
}

/** Checks a primitive value's encoding rules (INTEGER, BOOLEAN, BIT STRING, NULL). */
function checkPrimitive(b, n) {
  const len = n.end - n.start;
  switch (n.tag) {
    case TAG.INTEGER: case TAG.ENUMERATED:
      if (len === 0) throw new DerError("empty INTEGER", n.off);
      if (len > 1 && ((b[n.start] === 0 && !(b[n.start + 1] & 0x80)) || (b[n.start] === 0xff && (b[n.start + 1] & 0x80)))) {
        throw new DerError("INTEGER not in its shortest form", n.off);
      }
      break;
    case TAG.BOOLEAN:
      if (len !== 1 || (b[n.start] !== 0 && b[n.start] !== 0xff)) throw new DerError("BOOLEAN is not one byte of 0x00 or 0xFF", n.off);
      break;
    case TAG.BIT_STRING:
      if (len === 0 || b[n.start] > 7 || (len === 1 && b[n.start] !== 0)) throw new DerError("bad BIT STRING unused-bits byte", n.off);
      break;
    case TAG.NULL:
      if (len !== 0) throw new DerError("NULL with contents", n.off);
      break;
  }
}

/** Walks every TLV under `node` (constructed ones recursively), throwing DerError on the first problem. */
export function checkStrict(b, node = root(b), depth = 0) {
  if (depth > MAX_DEPTH) throw new DerError(`nesting deeper than ${MAX_DEPTH}`, node.off);
  if (node.tag & 0x20) for (const c of children(b, node)) checkStrict(b, c, depth + 1);
  else checkPrimitive(b, node);
}

/** An OBJECT IDENTIFIER's dotted text (minimal base-128 arcs required). */
export function oidText(b, node) {
  if (node.tag !== TAG.OID || node.end === node.start) throw new DerError("expected an OBJECT IDENTIFIER", node.off);
  const parts = [];
  let v = 0;
  for (let i = node.start; i < node.end; i++) {
    if (v === 0 && b[i] === 0x80) throw new DerError("OID arc with a leading 0x80", i);
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      if (!parts.length) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    } else if (i === node.end - 1) throw new DerError("OID ends inside an arc", i);
  }
  return parts.join(".");
}

/** A non-negative INTEGER of up to 6 bytes as a number. */
export function smallInt(b, node) {
  if (node.tag !== TAG.INTEGER) throw new DerError("expected an INTEGER", node.off);
  checkPrimitive(b, node);
  if (b[node.start] & 0x80) throw new DerError("negative INTEGER", node.off);
  if (node.end - node.start > 6) throw new DerError("INTEGER too large", node.off);
  let v = 0;
  for (let i = node.start; i < node.end; i++) v = v * 256 + b[i];
  return v;
}

/**
 * An ECDSA-Sig-Value (RFC 5480 / RFC 3279: SEQUENCE { r INTEGER, s INTEGER }) that must fill
 * `bytes` exactly, with positive minimal integers of at most `size` bytes: returns r||s as
 * WebCrypto takes it. This is where a signature whose lengths disagree is refused.
 */
export function ecdsaSignature(bytes, size) {
  const seq = root(bytes);
  if (seq.tag !== TAG.SEQUENCE) throw new DerError("ECDSA signature is not a SEQUENCE", 0);
  const parts = children(bytes, seq);
  if (parts.length !== 2) throw new DerError(`ECDSA signature has ${parts.length} values, not r and s`, seq.start);
  const out = new Uint8Array(2 * size);
  parts.forEach((p, i) => {
    if (p.tag !== TAG.INTEGER) throw new DerError("ECDSA r/s is not an INTEGER", p.off);
    checkPrimitive(bytes, p);
    if (bytes[p.start] & 0x80) throw new DerError("ECDSA r/s is negative", p.off);
    let v = bytes.subarray(p.start, p.end);
    if (v[0] === 0) v = v.subarray(1);
    if (v.length > size) throw new DerError(`ECDSA r/s longer than ${size} bytes`, p.off);
    if (v.every((x) => x === 0)) throw new DerError("ECDSA r/s is zero", p.off);
    out.set(v, (i + 1) * size - v.length);
  });
  return out;
}
