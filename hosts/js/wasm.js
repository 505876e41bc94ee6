// One core instance and its typed context: instantiates embedded Wasm bytes (no fs, no fetch, so
// Node, bundlers and browsers load the same module the same way) and gives the byte moves every
// core ABI shares: copy into the input region, read the output region, views of memory that
// follow its growth. Each ABI's context (core.js, tsm-core.js) owns its exports on top of this.

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

// WHATWG decoders read "latin1" as windows-1252 (Node's Buffer reads ISO-8859-1); the core's JSON
// maps every byte to U+00XX, so any character above U+00FF means the bytes need the exact map.
const NOT_LATIN1 = /[^\x00-\xff]/;
/** The `len` bytes at u8[a] as a string of U+0000-U+00FF, one character per byte, in every host. */
export function text(u8, a, len) {
  const s = ascii(u8, a, a + len);
  if (exactLatin1 || !NOT_LATIN1.test(s)) return s;
  let exact = "";
  for (let i = a; i < a + len; i += 8192) exact += String.fromCharCode(...u8.subarray(i, Math.min(i + 8192, a + len)));
  return exact;
}

function abortMessage(memory, ptr) {
  if (!ptr) return "";
  const len = new Uint32Array(memory.buffer, ptr - 4, 1)[0] >>> 1;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, len));
}

/**
 * An instantiated core: `exports` (functions of numbers, see assembly/), and the byte moves.
 * Views over memory are made again only after it grows (growth detaches the old buffer).
 */
export class Core {
  /** @param {{ memory: WebAssembly.Memory, [name: string]: any }} exports */
  constructor(exports) {
    this.exports = exports;
    this.memory = exports.memory;
    this.heap8 = new Uint8Array(this.memory.buffer);
    this.heap32 = new Uint32Array(this.memory.buffer);
    /** Where load() put the last input. */
    this.inputPtr = 0;
  }
  views() {
    // Growth detaches the old buffer, which leaves the old views empty: a test cheaper than
    // asking memory.buffer for the current one on every call.
    if (this.heap8.length === 0) {
      this.heap8 = new Uint8Array(this.memory.buffer);
      this.heap32 = new Uint32Array(this.memory.buffer);
    }
  }
  /** Copies bytes into the core's input region; returns their length. */
  load(bytes) {
    const ptr = this.inputPtr = this.exports.input_reserve(bytes.length);
    this.views();
    this.heap8.set(bytes, ptr);
    return bytes.length;
  }
  /** The output region as a string (the core writes ASCII only). */
  output() {
    const ptr = this.exports.output_ptr(), len = this.exports.output_len();
    this.views();
    return ascii(this.heap8, ptr, ptr + len);
  }
  /** A copy of len bytes at ptr. */
  bytes(ptr, len) {
    this.views();
    return this.heap8.slice(ptr, ptr + len);
  }
  /** JSON the core writes to its output region by calling `exportName`. */
  json(exportName) {
    this.exports[exportName]();
    return JSON.parse(this.output());
  }
}

/** Gunzips bytes with the host's DecompressionStream (Node 18+, every current browser). */
async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Instantiates Wasm bytes, gzipped then base64-encoded (build/build.js), as a Core. */
export async function instantiate(base64) {
  const { instance } = await WebAssembly.instantiate(await gunzip(base64Bytes(base64)), {
    env: {
      // An abort is a bug in tsmkit (decoders report bad input as values, never by trapping).
      abort(msg, file, line, col) {
        const m = instance.exports.memory;
        throw new Error(`tsmkit core aborted: ${abortMessage(m, msg)} at ${abortMessage(m, file)}:${line}:${col}`);
      },
    },
  });
  return new Core(/** @type {any} */ (instance.exports));
}
