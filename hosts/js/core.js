// Loads core.wasm from bytes embedded at build time (no fs, no fetch), so Node, bundlers and
// browsers instantiate the same module the same way. Everything else in hosts/ talks to the core
// through the few calls exported here.
import wasmBase64 from "../../build/generated/core-wasm.js";

function base64Bytes(b64) {
  if (typeof Buffer !== "undefined") return Buffer.from(b64, "base64");
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Bytes to a string, one character per byte (ISO-8859-1 in Node, windows-1252 in browsers). */
export const latin1 = new TextDecoder("latin1");

// Node's Buffer makes a one-byte string from any Uint8Array range natively and exactly
// (ISO-8859-1), several times faster than TextDecoder; other hosts use the decoder.
const latin1Slice = typeof Buffer === "function" && typeof Buffer.prototype.latin1Slice === "function"
  ? Buffer.prototype.latin1Slice : null;

/** ASCII bytes u8[start, end) as a string (exact for any bytes in Node, for ASCII everywhere). */
export function ascii(u8, start, end) {
  return latin1Slice ? latin1Slice.call(u8, start, end) : latin1.decode(u8.subarray(start, end));
}
export const exactLatin1 = latin1Slice !== null;

function abortMessage(memory, ptr) {
  if (!ptr) return "";
  const len = new Uint32Array(memory.buffer, ptr - 4, 1)[0] >>> 1;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, len));
}

const { instance } = await WebAssembly.instantiate(base64Bytes(wasmBase64), {
  env: {
    // An abort is a bug in tsmkit (decoders report bad input as values, never by trapping).
    abort(msg, file, line, col) {
      const m = instance.exports.memory;
      throw new Error(`tsmkit core aborted: ${abortMessage(m, msg)} at ${abortMessage(m, file)}:${line}:${col}`);
    },
  },
});

/**
 * The raw exports, for hosts that drive the core's state machines: its memory and functions of
 * numbers (assembly/index.ts), untyped here since the core's signatures live in AssemblyScript.
 * @type {{ memory: WebAssembly.Memory, [name: string]: any }}
 */
export const core = /** @type {any} */ (instance.exports);

// Views over the core's memory, made again only after it grows (growth detaches the old buffer).
let heap8 = new Uint8Array(core.memory.buffer);
let heap32 = new Uint32Array(core.memory.buffer);
function views() {
  if (heap8.buffer !== core.memory.buffer) {
    heap8 = new Uint8Array(core.memory.buffer);
    heap32 = new Uint32Array(core.memory.buffer);
  }
}

/** Copies bytes into the core's input region. */
export function load(bytes) {
  const ptr = core.input_reserve(bytes.length);
  views();
  heap8.set(bytes, ptr);
  return bytes.length;
}

/**
 * The result table of the last decode, four u32 per entry (assembly/formats/table.ts), as
 * { words, base }: entry i starts at words[base + 4 * i]. No copy and no new view per call.
 */
export function entries() {
  views();
  return { words: heap32, base: core.entries_ptr() >>> 2 };
}

/** The output region as a string (the core writes ASCII only). */
export function output() {
  const ptr = core.output_ptr(), len = core.output_len();
  views();
  return ascii(heap8, ptr, ptr + len);
}

/**
 * The last result's field text (core.field_text): the hex of its HEX and GUID fields and the
 * length-prefixed decimal of its U64 fields, back to back in entry order.
 */
export function fieldText() {
  const ptr = core.field_text(), len = core.output_len();
  views();
  return ascii(heap8, ptr, ptr + len);
}
