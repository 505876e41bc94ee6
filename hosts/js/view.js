// The lazy decode API: view() validates the whole input in the core, like decode(), but builds
// nothing up front. It keeps private copies of the caller's bytes and of the result table (the
// core reuses its regions on the next call) and returns an object whose groups and fields are
// read from those copies on first access and then kept. Accessors live on classes made once per
// table shape (shape.js), so a repeated shape costs one pass over the table to recognise it.
import { core, entries } from "./core.js";
import { shapeOf } from "./shape.js";
import {
  run, errorFromCore, syncNames, nameOf, toBytes, text, u16, u32, u64, cborInt, setKey,
  T_U8, T_U16, T_U32, T_U64, T_HEX, T_TEXT, T_BOOL, T_UINT, T_NAME, T_GUID, T_U16BE, T_U32BE, T_CBOR_INT,
  OP_OPEN, OP_CLOSE, OP_ARRAY,
} from "./decode.js";

// Node's Buffer hexes a Uint8Array range natively; elsewhere a byte-pair table.
const hexSlice = typeof Buffer === "function" && typeof Buffer.prototype.hexSlice === "function"
  ? Buffer.prototype.hexSlice : null;
const PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
function hex(b, a, len) {
  if (hexSlice) return hexSlice.call(b, a, a + len);
  let s = "";
  for (let i = a; i < a + len; i++) s += PAIRS[b[i]];
  return s;
}

/**
 * A reader for the field at entry `k` of type `type`: the value decode() gives it, from a slab
 * `s` holding the copied table at word `to` and the copied input at byte `bo` (see copy()).
 */
function fieldReader(k, type) {
  const A = 4 * k + 2, L = 4 * k + 3;
  switch (type) {
    case T_U8: return (s, bo, to) => s.u8[bo + s.u32[to + A]];
    case T_U16: return (s, bo, to) => u16(s.u8, bo + s.u32[to + A]);
    case T_U32: return (s, bo, to) => u32(s.u8, bo + s.u32[to + A]);
    case T_U64: return (s, bo, to) => u64(s.u8, bo + s.u32[to + A]);
    case T_HEX: return (s, bo, to) => hex(s.u8, bo + s.u32[to + A], s.u32[to + L]);
    case T_TEXT: return (s, bo, to) => text(s.u8, bo + s.u32[to + A], s.u32[to + L]);
    case T_BOOL: return (s, bo, to) => s.u32[to + A] !== 0;
    case T_UINT: return (s, bo, to) => s.u32[to + A];
    case T_NAME: return (s, bo, to) => nameOf(s.u32[to + A]);
    case T_GUID: return (s, bo, to) => {
      const h = hex(s.u8, bo + s.u32[to + A], 16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    };
    case T_U16BE: return (s, bo, to) => { const b = s.u8, a = bo + s.u32[to + A]; return (b[a] << 8) | b[a + 1]; };
    case T_U32BE: return (s, bo, to) => {
      const b = s.u8, a = bo + s.u32[to + A];
      return ((b[a] << 24) | (b[a + 1] << 16) | (b[a + 2] << 8) | b[a + 3]) >>> 0;
    };
    case T_CBOR_INT: return (s, bo, to) => cborInt(s.u8, bo + s.u32[to + A], s.u32[to + L]);
    default: return () => null;
  }
}

const KEYS = Symbol("keys");

/** A decoded group: its keys are prototype getters (made by groupClass), values kept once read. */
class Group {
  #s; #bo; #to; #c;
  constructor(s, bo, to) {
    this.#s = s;
    this.#bo = bo;
    this.#to = to;
    this.#c = undefined;
  }
  /** The value of key `slot` (of `n`) of group `g`, read by `make` on first access. */
  static read(g, slot, n, make) {
    let c = g.#c;
    if (c === undefined) c = g.#c = new Array(n);
    let v = c[slot];
    if (v === undefined) v = c[slot] = make(g.#s, g.#bo, g.#to);
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
        make = (s, bo, to) => new C(s, bo, to);
      } else if (op === OP_ARRAY) {
        const ms = members(true).makers;
        make = (s, bo, to) => Object.freeze(ms.map((m) => m(s, bo, to)));
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

// The copies live in slabs: one ArrayBuffer costs about as much to allocate as a whole decode,
// so views share 64 KB ones (a live view keeps its slab alive); larger inputs get their own.
const SLAB = 64 * 1024;
let slab = null, used = SLAB;
let at8 = 0, at32 = 0; // where copy() put the input (bytes) and the table (words)

function newSlab(size) {
  const buf = new ArrayBuffer(size);
  return { u8: new Uint8Array(buf), u32: new Uint32Array(buf) };
}

/** Copies the table (n entries) and the input into a slab; returns the slab. */
function copy(words, base, n, b) {
  const need = 16 * n + b.length;
  let s;
  if (need > SLAB / 4) {
    s = newSlab((need + 3) & ~3);
    at32 = 0;
  } else {
    if (used + need > SLAB) { slab = newSlab(SLAB); used = 0; }
    s = slab;
    at32 = used >>> 2;
    used = (used + need + 3) & ~3;
  }
  s.u32.set(words.subarray(base, base + 4 * n), at32);
  at8 = 4 * at32 + 16 * n;
  s.u8.set(b, at8);
  return s;
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
  const s = copy(words, base, n, b);
  return new Root(s, at8, at32);
}
