// The decode API: bytes in, the stable JSON form out (as objects or text). The core renders the
// JSON, so every host prints the same bytes; decode() builds the same value straight from the
// core's result table (what JSON.parse of that JSON would give, without printing and parsing it).
import { core, decoder, load, output, entries, fieldText, ENUMS } from "./core.js";
import { FORMATS, PROVIDER_FORMATS } from "./formats.js";
import { shapeOf, compileFunction } from "./shape.js";
import { toBytes } from "./bytes.js";

export { toBytes };

export const RENDER = Object.freeze({ ...ENUMS.render });

/** A decode failure: what (code), where (format, field path, byte offset), and why. */
export class DecodeError extends Error {
  constructor({ code, format, field, offset, message }) {
    super(`${format}: ${code}${field ? ` in ${field}` : ""} at byte ${offset}: ${message}`);
    this.name = "DecodeError";
    this.code = code;
    this.format = format;
    this.field = field;
    this.offset = offset;
    this.detail = message;
  }
  toJSON() {
    return { error: { code: this.code, format: this.format, field: this.field, offset: this.offset, message: this.detail } };
  }
}

function formatId(opts) {
  const name = opts?.format ?? (opts?.provider ? PROVIDER_FORMATS[String(opts.provider).trim()] : undefined);
  if (name === undefined || name === "auto") return 0;
  const id = FORMATS[name];
  if (id === undefined) {
    throw new TypeError(`unknown format "${name}" (known: ${Object.keys(FORMATS).join(", ")}, auto)`);
  }
  return id;
}

/** Runs the core decoder; returns the error code (0 = ok). */
export function run(bytes, opts) {
  const id = formatId(opts);
  const len = load(toBytes(bytes));
  return core.decode(id, len);
}

/** The DecodeError of the last call into `c` (a Core holding the decode ABI: decode.wasm by default). */
export function errorFromCore(c = decoder) {
  c.exports.render(RENDER.json, 0);
  return new DecodeError(JSON.parse(c.output()).error);
}

/**
 * Decodes evidence to its typed JSON form. `opts.format` names the format ("quote", "tdreport",
 * "snp-report", "snp-certs", "cca-token", "cca-platform-claims", "cca-realm-claims"), or `opts.provider` the configfs-tsm provider it came from;
 * otherwise it is detected from the bytes. Throws DecodeError on bad input.
 */
export function decode(bytes, opts) {
  const b = toBytes(bytes);
  if (run(b, opts) !== 0) throw errorFromCore();
  syncNames();
  // Before the view of the table: writing the hex may grow the core's memory (see syncNames).
  const hex = fieldText();
  const n = core.entries_count();
  const { words, base } = entries();
  const shape = shapeOf(words, base, n);
  // A shape seen once is walked; from its second call on, its compiled builder is used.
  if (shape.seen > 1) {
    if (shape.build === undefined) shape.build = compileBuild(shape.sig, n);
    if (shape.build) return shape.build(b, words, base, hex, nameCache);
  }
  return build(b, words, base, base + 4 * n, hex);
}

// ---- building the value from the result table (entry layout: assembly/formats/table.ts) ------
// Mirrors assembly/render/json.ts value(); the numbers of types and ops come from the core.
export const {
  U8: T_U8, U16: T_U16, U32: T_U32, U64: T_U64, HEX: T_HEX, TEXT: T_TEXT, BOOL: T_BOOL, UINT: T_UINT,
  NAME: T_NAME, GUID: T_GUID, U16BE: T_U16BE, U32BE: T_U32BE, CBOR_INT: T_CBOR_INT, NULL: T_NULL,
  EFI_GUID: T_EFI_GUID, UCS2: T_UCS2,
} = ENUMS.types;
export const { FIELD: OP_FIELD, OPEN: OP_OPEN, CLOSE: OP_CLOSE, ARRAY: OP_ARRAY } = ENUMS.ops;

export const u16 = (b, a) => b[a] | (b[a + 1] << 8);
export const u32 = (b, a) => (b[a] | (b[a + 1] << 8) | (b[a + 2] << 16) | (b[a + 3] << 24)) >>> 0;
export function u64(b, a) {
  const lo = u32(b, a), hi = u32(b, a + 4);
  // Exact as a double below 2^53; above it, BigInt prints the exact decimal.
  return hi < 0x200000 ? String(hi * 4294967296 + lo) : String((BigInt(hi) << 32n) | BigInt(lo));
}

/**
 * The integer of the CBOR head at b[a] (`len` bytes; major type 1 is negative): a number up to
 * 2^53 - 1 in magnitude, beyond it a decimal string (as the core's JSON prints it).
 */
export function cborInt(b, a, len) {
  const negative = b[a] >> 5 === 1;
  if (len <= 5) {
    let n = len === 1 ? b[a] & 31 : 0;
    for (let i = 1; i < len; i++) n = n * 256 + b[a + i];
    return negative ? -1 - n : n;
  }
  let n = 0n;
  for (let i = 1; i < len; i++) n = (n << 8n) | BigInt(b[a + i]);
  if (n <= 0x1fffffffffffffn) return negative ? -1 - Number(n) : Number(n);
  return String(negative ? -1n - n : n);
}

/** o[name] = v, also for "__proto__" (CBOR map keys become names): a property, as JSON.parse makes it. */
export function setKey(o, name, v) {
  if (name === "__proto__") Object.defineProperty(o, name, { value: v, enumerable: true, writable: true, configurable: true });
  else o[name] = v;
}

/**
 * `hex`: the field text (fieldText), every HEX/GUID field's hex, U64 field's decimal and TEXT
 * field's characters in entry order; `h` takes the next hex, `dec` the next decimal.
 */
function build(b, e, first, end, hex) {
  let at = 0;
  const h = (len) => hex.slice(at, (at += 2 * len));
  const dec = () => hex.slice(at + 1, (at += 1 + hex.charCodeAt(at)));

  // The tree: `stack` holds the open containers; arrays take members without keys.
  const root = {};
  const stack = [root];
  let top = root, isArray = false;
  for (let k = first; k < end; k += 4) {
    const w = e[k], op = w & 0xff;
    if (op === OP_CLOSE) {
      stack.pop();
      top = stack[stack.length - 1];
      isArray = Array.isArray(top);
      continue;
    }
    let v;
    if (op === OP_OPEN || op === OP_ARRAY) {
      v = op === OP_ARRAY ? [] : {};
    } else {
      const a = e[k + 2], len = e[k + 3];
      switch (w >> 8) {
        case T_U8: v = b[a]; break;
        case T_U16: v = u16(b, a); break;
        case T_U32: v = u32(b, a); break;
        case T_U64: v = dec(); break;
        case T_HEX: v = h(len); break;
        case T_TEXT: v = hex.slice(at, (at += len)); break;
        case T_BOOL: v = a !== 0; break;
        case T_UINT: v = a; break;
        case T_NAME: v = nameOf(a); break;
        case T_GUID: case T_EFI_GUID: v = guid(h(16)); break; // the core gave both in text order
        case T_UCS2: v = hex.slice(at, (at += len >> 1)); break;
        case T_U16BE: v = u16be(b, a); break;
        case T_U32BE: v = u32be(b, a); break;
        case T_CBOR_INT: v = cborInt(b, a, len); break;
        default: v = null; // T_NULL
      }
    }
    if (isArray) top.push(v);
    else setKey(top, nameOf(e[k + 1]), v);
    if (op !== OP_FIELD) {
      stack.push(v);
      top = v;
      isArray = op === OP_ARRAY;
    }
  }
  return root;
}

const guid = (h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
const u16be = (b, a) => (b[a] << 8) | b[a + 1];
const u32be = (b, a) => ((b[a] << 24) | (b[a + 1] << 16) | (b[a + 2] << 8) | b[a + 3]) >>> 0;

/**
 * build() for one table shape as a single object literal: the same value, keys in the same order
 * (a literal keeps a repeated key at its first position with its last value, as assignment does),
 * hex taken from `h` in entry order. Returns (b, words, base, h, names) => value, or null where
 * the host cannot compile.
 */
function compileBuild(sig, n) {
  let k = 0;
  const at = (j, d) => `w[o + ${4 * j + d}]`;
  function field(j, type) {
    const a = at(j, 2), len = at(j, 3);
    switch (type) {
      case T_U8: return `b[${a}]`;
      case T_U16: return `u16(b, ${a})`;
      case T_U32: return `u32(b, ${a})`;
      case T_U64: return "h.slice(p + 1, p += 1 + h.charCodeAt(p))";
      case T_HEX: return `h.slice(p, p += 2 * ${len})`;
      case T_TEXT: return `h.slice(p, p += ${len})`;
      case T_BOOL: return `${a} !== 0`;
      case T_UINT: return a;
      case T_NAME: return `nm[${a}]`;
      case T_GUID: case T_EFI_GUID: return "guid(h.slice(p, p += 32))";
      case T_UCS2: return `h.slice(p, p += ${len} >> 1)`;
      case T_U16BE: return `u16be(b, ${a})`;
      case T_U32BE: return `u32be(b, ${a})`;
      case T_CBOR_INT: return `cborInt(b, ${a}, ${len})`;
      default: return "null"; // T_NULL
    }
  }
  // The members from entry k up to the CLOSE that ends them, as a literal.
  function members(isArray) {
    const parts = [];
    while (k < n) {
      const j = k++, w = sig[2 * j], op = w & 0xff;
      if (op === OP_CLOSE) break;
      const v = op === OP_OPEN ? members(false) : op === OP_ARRAY ? members(true) : field(j, w >> 8);
      if (isArray) { parts.push(v); continue; }
      const key = nameOf(sig[2 * j + 1]);
      // A quoted __proto__ key in a literal would set the prototype; a computed one makes a property.
      parts.push(`${key === "__proto__" ? '["__proto__"]' : JSON.stringify(key)}: ${v}`);
    }
    return isArray ? `[${parts.join(", ")}]` : `{${parts.join(", ")}}`;
  }
  const body = `"use strict";\nreturn (b, w, o, h, nm) => { let p = 0; return ${members(false)}; };`;
  const make = compileFunction(["u16", "u32", "cborInt", "guid", "u16be", "u32be"], body);
  return make && make(u16, u32, cborInt, guid, u16be, u32be);
}

/**
 * Renders evidence as text: mode "pretty" (the --json form), "json" (compact) or "text" (for
 * people, hex wrapped to `opts.width` columns, default 80). Returns { ok, text } so CLIs print
 * errors in the same form the core renders them.
 */
export function render(bytes, mode = "pretty", opts) {
  const ok = run(bytes, opts) === 0;
  core.render(RENDER[mode], opts?.width ?? 0);
  return { ok, text: output() };
}

export const decodeQuote = (b) => decode(b, { format: "quote" });
export const decodeTdreport = (b) => decode(b, { format: "tdreport" });
export const decodeSnpReport = (b) => decode(b, { format: "snp-report" });
export const decodeSnpCerts = (b) => decode(b, { format: "snp-certs" });

/** Field offsets of every layout the core knows, for encoders (the simulator). */
export function layouts() {
  core.layouts();
  return JSON.parse(output());
}

let nameCache = [];
/**
 * Fetches names the core interned since the last call. Done before taking a view of the result
 * table: writing the names may grow the core's memory, which detaches every view of it.
 */
export function syncNames() {
  if (core.names_count() > nameCache.length) {
    core.names_json();
    nameCache = JSON.parse(output());
  }
}
export const nameOf = (id) => nameCache[id];

/**
 * Where each decoded field and group lies in the input: a Map from dotted path
 * ("signatureData.certificationData.qeReport") to [offset, length]. Array members are indexed
 * ("...pckCertChain.0"). Verifiers use it to take signed regions straight from the caller's bytes.
 */
export function locate(bytes, opts) {
  if (run(bytes, opts) !== 0) throw errorFromCore();
  const n = core.entries_count();
  syncNames();
  const { words, base } = entries();
  const e = words.subarray(base, base + n * 4);
  const map = new Map();
  const path = [];
  /** @type {(number | null)[]} */
  const counters = [];
  for (let i = 0; i < n; i++) {
    const op = e[i * 4] & 0xff;
    if (op === OP_CLOSE) { path.pop(); counters.pop(); continue; }
    const parentIsArray = counters.length > 0 && counters[counters.length - 1] !== null;
    const key = parentIsArray ? String(/** @type {number} */ (counters[counters.length - 1])++) : nameOf(e[i * 4 + 1]);
    const full = path.length ? `${path.join(".")}.${key}` : key;
    const type = e[i * 4] >> 8;
    // Byte-backed fields and groups with a known extent; computed values have no bytes.
    if (op !== OP_FIELD || (type !== T_BOOL && type !== T_UINT && type !== T_NAME && type !== T_NULL)) map.set(full, [e[i * 4 + 2], e[i * 4 + 3]]);
    if (op === OP_OPEN || op === OP_ARRAY) { path.push(key); counters.push(op === OP_ARRAY ? 0 : null); }
  }
  return map;
}
