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

const latin1 = new TextDecoder("latin1");

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

/** The raw exports, for hosts that drive the core's state machines. */
export const core = instance.exports;

/** Copies bytes into the core's input region. */
export function load(bytes) {
  const ptr = core.input_reserve(bytes.length);
  new Uint8Array(core.memory.buffer, ptr, bytes.length).set(bytes);
  return bytes.length;
}

/** The output region as a string (the core writes ASCII only). */
export function output() {
  return latin1.decode(new Uint8Array(core.memory.buffer, core.output_ptr(), core.output_len()));
}
