// Minimal CBOR encoder (RFC 8949) for the tokens the simulator emits, and their diagnostic
// notation (RFC 8949 section 8) for readable test vectors. Deterministic encoding (section 4.2.1):
// definite lengths, shortest heads, map keys in the bytewise order of their encodings.
//
// Values: integers (number or bigint), Uint8Array (byte string), string (text string), arrays,
// Map (any keys; integer keys are the CCA claims' labels), tagged values made with tag(), and
// embedded() items: a byte string holding an encoded item (COSE's protected header and payload),
// shown as <<item>> in diagnostic notation.
// Anything else (floats, undefined, plain objects) is refused: the tokens use none of them.

import { concat } from "./encode.js";
import { hex } from "../js/bytes.js";

const TAG = Symbol("cbor tag");
const EMBEDDED = Symbol("cbor embedded");
const enc = new TextEncoder();

/** A tagged item: tag number `n` on `value`. */
export const tag = (n, value) => ({ [TAG]: n, value });

/** A byte string holding the encoding of `value`. */
export const embedded = (value) => ({ [EMBEDDED]: true, value });

function head(major, n) {
  const v = BigInt(n);
  if (v < 24n) return Uint8Array.of((major << 5) | Number(v));
  const size = v < 0x100n ? 1 : v < 0x10000n ? 2 : v < 0x100000000n ? 4 : 8;
  const out = new Uint8Array(1 + size);
  out[0] = (major << 5) | { 1: 24, 2: 25, 4: 26, 8: 27 }[size];
  for (let i = size, x = v; i > 0; i--, x >>= 8n) out[i] = Number(x & 0xffn);
  return out;
}

function compareBytes(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function integer(v) {
  const n = BigInt(v);
  if (n > 0xffffffffffffffffn || n < -0x10000000000000000n) throw new RangeError(`cbor: ${n} does not fit a CBOR integer`);
  return n >= 0n ? head(0, n) : head(1, -1n - n);
}

/** The deterministic CBOR encoding of `value`. */
export function encode(value) {
  if (typeof value === "bigint" || Number.isSafeInteger(value)) return integer(value);
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  if (typeof value === "string") { const b = enc.encode(value); return concat(head(3, b.length), b); }
  if (Array.isArray(value)) return concat(head(4, value.length), ...value.map(encode));
  if (value instanceof Map) {
    const pairs = [...value].map(([k, v]) => [encode(k), encode(v)]).sort((a, b) => compareBytes(a[0], b[0]));
    for (let i = 1; i < pairs.length; i++) {
      if (compareBytes(pairs[i - 1][0], pairs[i][0]) === 0) throw new TypeError("cbor: duplicate map key");
    }
    return concat(head(5, pairs.length), ...pairs.flat());
  }
  if (value && typeof value === "object" && TAG in value) return concat(head(6, value[TAG]), encode(value.value));
  if (value && typeof value === "object" && EMBEDDED in value) return encode(encode(value.value));
  throw new TypeError(`cbor: cannot encode ${value === null ? "null" : typeof value} ${String(value).slice(0, 40)}`);
}


/**
 * Diagnostic notation of `value`, one map member or array item a line, indented by two; map
 * members in encoding order, so the text reads in the order of the bytes.
 */
export function diag(value, indent = "") {
  if (typeof value === "bigint" || typeof value === "number") return String(value);
  if (value instanceof Uint8Array) return `h'${hex(value)}'`;
  if (typeof value === "string") return JSON.stringify(value);
  const inner = indent + "  ";
  const lines = (items, open, close) => items.length ? `${open}\n${items.map((s) => inner + s).join(",\n")}\n${indent}${close}` : open + close;
  if (Array.isArray(value)) return lines(value.map((v) => diag(v, inner)), "[", "]");
  if (value instanceof Map) {
    const pairs = [...value].sort((a, b) => compareBytes(encode(a[0]), encode(b[0])));
    return lines(pairs.map(([k, v]) => `${diag(k, inner)}: ${diag(v, inner)}`), "{", "}");
  }
  if (value && typeof value === "object" && TAG in value) return `${value[TAG]}(${diag(value.value, indent)})`;
  if (value && typeof value === "object" && EMBEDDED in value) return `<<${diag(value.value, indent)}>>`;
  throw new TypeError(`cbor: no diagnostic notation for ${typeof value}`);
}
