// The lazy decode API: view() validates the whole input in the core, like decode(), but builds
// nothing up front. It keeps private copies of the caller's bytes and of the result table (the
// core reuses its regions on the next call) and returns an object whose groups and fields are
// read from those copies on first access and then kept. Accessors live on classes made once per
// table shape (shape.js), so a repeated shape costs one pass over the table to recognise it.
import { core, decoder, entries, text, ascii } from "./core.js";
import { shapeOf } from "./shape.js";
import {
  run, errorFromCore, syncNames, nameOf, toBytes, cborInt, setKey,
  T_U8, T_U16, T_U32, T_U64, T_HEX, T_TEXT, T_BOOL, T_UINT, T_NAME, T_GUID, T_U16BE, T_U32BE, T_CBOR_INT,
  T_EFI_GUID, T_UCS2,
  OP_OPEN, OP_CLOSE, OP_ARRAY,
} from "./decode.js";

// Hex of bytes held in a string (one character per byte): each byte's two digits, from a table
// of their character pairs, go to a scratch buffer read back as one string by the native decoder.
const PAIRS = new Uint16Array(256);
new Uint8Array(PAIRS.buffer).set(Array.from({ length: 256 }, (_, i) => [...i.toString(16).padStart(2, "0")].map((c) => c.charCodeAt(0))).flat());
let scratch = new Uint16Array(256), scratch8 = new Uint8Array(scratch.buffer);
function hex(r, a, len) {
  if (scratch.length < len) { scratch = new Uint16Array(len); scratch8 = new Uint8Array(scratch.buffer); }
  for (let i = 0; i < len; i++) scratch[i] = PAIRS[r.charCodeAt(a + i)];
  return ascii(scratch8, 0, 2 * len);
}
const u16s = (r, a) => r.charCodeAt(a) | (r.charCodeAt(a + 1) << 8);
const u32s = (r, a) => (u16s(r, a) | (u16s(r, a + 2) << 16)) >>> 0;
/** The u64 at r[a] in decimal, as decode() gives it. */
function u64s(r, a) {
  const lo = u32s(r, a), hi = u32s(r, a + 4);
  return hi < 0x200000 ? String(hi * 4294967296 + lo) : String((BigInt(hi) << 32n) | BigInt(lo));
}
/** The integer of the CBOR head at r[a] (`len` bytes), as decode.js cborInt reads it from bytes. */
function cborInts(r, a, len) {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = r.charCodeAt(a + i);
  return cborInt(b, 0, len);
}

/**
 * A reader for the field at entry `k` of type `type`: the value decode() gives it, from the view's
 * strings `r` (the input) and `t` (the result table), one character per byte.
 */
function fieldReader(k, type) {
  const A = 16 * k + 8, L = 16 * k + 12;
  switch (type) {
    case T_U8: return (r, t) => r.charCodeAt(u32s(t, A));
    case T_U16: return (r, t) => u16s(r, u32s(t, A));
    case T_U32: return (r, t) => u32s(r, u32s(t, A));
    case T_U64: return (r, t) => u64s(r, u32s(t, A));
    case T_HEX: return (r, t) => hex(r, u32s(t, A), u32s(t, L));
    case T_TEXT: return (r, t) => { const a = u32s(t, A); return r.slice(a, a + u32s(t, L)); };
    case T_BOOL: return (r, t) => u32s(t, A) !== 0;
    case T_UINT: return (r, t) => u32s(t, A);
    case T_NAME: return (r, t) => nameOf(u32s(t, A));
    case T_GUID: case T_EFI_GUID: return (r, t) => {
      const h = hex(r, u32s(t, A), 16);
      // An EFI_GUID's first three groups are little-endian integers.
      const g = type === T_EFI_GUID ? [6, 4, 2, 0, 10, 8, 14, 12].map((i) => h.slice(i, i + 2)).join("") + h.slice(16) : h;
      return `${g.slice(0, 8)}-${g.slice(8, 12)}-${g.slice(12, 16)}-${g.slice(16, 20)}-${g.slice(20)}`;
    };
    case T_UCS2: return (r, t) => {
      const a = u32s(t, A);
      let s = "";
      for (let i = 0; i + 1 < u32s(t, L); i += 2) s += r[a + i]; // checked printable ASCII by the core
      return s;
    };
    case T_U16BE: return (r, t) => { const a = u32s(t, A); return (r.charCodeAt(a) << 8) | r.charCodeAt(a + 1); };
    case T_U32BE: return (r, t) => {
      const a = u32s(t, A);
      return ((r.charCodeAt(a) << 24) | (r.charCodeAt(a + 1) << 16) | (r.charCodeAt(a + 2) << 8) | r.charCodeAt(a + 3)) >>> 0;
    };
    case T_CBOR_INT: return (r, t) => cborInts(r, u32s(t, A), u32s(t, L));
    default: return () => null;
  }
}

const KEYS = Symbol("keys");

/** A decoded group: its keys are prototype getters (made by groupClass), values kept once read. */
class Group {
  #r; #t; #c;
  constructor(r, t) {
    this.#r = r;
    this.#t = t;
    this.#c = undefined;
  }
  /** The value of key `slot` (of `n`) of group `g`, read by `make` on first access. */
  static read(g, slot, n, make) {
    let c = g.#c;
    if (c === undefined) c = g.#c = new Array(n);
    let v = c[slot];
    if (v === undefined) v = c[slot] = make(g.#r, g.#t);
    return v;
  }
  /** The group as decode() gives it: plain objects and arrays, keys in the same order. */
  toJSON() {
    const o = {};
    for (const k of this[KEYS]) setKey(o, k, plain(this[k]));
    return o;
  }
  [Symbol.for("nodejs.util.inspect.custom")]() { return this.toJSON(); }
}
const plain = (v) => (v instanceof Group ? v.toJSON() : Array.isArray(v) ? v.map(plain) : v);

/** A class whose getters give `keys[i]` by `makers[i]`. */
function groupClass(keys, makers) {
  const C = class extends Group {};
  const n = keys.length;
  keys.forEach((key, slot) => {
    const make = makers[slot];
    Object.defineProperty(C.prototype, key, { get() { return Group.read(this, slot, n, make); }, enumerable: true });
  });
  Object.defineProperty(C.prototype, KEYS, { value: Object.freeze(keys.slice()) });
  return C;
}

/**
 * The root class for a table shape: `sig` holds each entry's [op | type << 8, name id]. Groups
 * become classes, arrays frozen arrays of their members; a key given twice keeps its first
 * position and its last value, as decode()'s assignment does.
 */
function compile(sig, n) {
  let k = 0;
  // Members from entry k up to the CLOSE that ends them (consumed) or the end of the table.
  function members(isArray) {
    const keys = [], makers = [], slots = new Map();
    while (k < n) {
      const at = k++, w = sig[2 * at], op = w & 0xff;
      if (op === OP_CLOSE) break;
      let make;
      if (op === OP_OPEN) {
        const { keys: ks, makers: ms } = members(false);
        const C = groupClass(ks, ms);
        make = (r, t) => new C(r, t);
      } else if (op === OP_ARRAY) {
        const ms = members(true).makers;
        make = (r, t) => Object.freeze(ms.map((m) => m(r, t)));
      } else {
        make = fieldReader(at, w >> 8);
      }
      if (isArray) { makers.push(make); continue; }
      const key = nameOf(sig[2 * at + 1]);
      const slot = slots.get(key);
      if (slot !== undefined) { makers[slot] = make; continue; }
      slots.set(key, keys.length);
      keys.push(key);
      makers.push(make);
    }
    return { keys, makers };
  }
  const { keys, makers } = members(false);
  return groupClass(keys, makers);
}

/**
 * Decodes evidence lazily: validates it fully (throws the DecodeError decode() throws), then
 * returns an object with decode()'s keys whose values are built on first access. It keeps its
 * own copy of the bytes, so later changes to the caller's buffer do not show through.
 * `toJSON()` (and so JSON.stringify) gives exactly decode()'s value.
 */
export function view(bytes, opts) {
  const b = toBytes(bytes);
  if (run(b, opts) !== 0) throw errorFromCore();
  syncNames();
  const n = core.entries_count();
  const { words, base } = entries();
  const shape = shapeOf(words, base, n);
  const Root = shape.Root ?? (shape.Root = compile(shape.sig, n));
  // The copies are strings: V8 allocates them on its own heap, where short-lived ones cost little,
  // while every ArrayBuffer is memory outside it that the collector must account for.
  const { heap8 } = decoder;
  const t = text(heap8, 4 * base, 16 * n);
  return new Root(text(heap8, decoder.inputPtr, b.length), t);
}
