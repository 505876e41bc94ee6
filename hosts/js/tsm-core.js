// The full core, core.wasm (assembly/index.ts): the decode ABI plus the kernel model
// (assembly/tsm/kernel_abi.ts) and the report machine (assembly/tsm/request_abi.ts). Its typed
// contexts, beside this file, are the only code that calls its exports by name: tsm-kernel.js
// (the kernel model, errno table, legacy device ABI), tsm-request.js (the report machine), and
// tsm-mr's calls below. Browsers, `import { decode }` and the verifier never load it (they take
// decode.wasm, core.js).
import wasmBase64 from "../../build/generated/core-wasm.js";
import { instantiate } from "./wasm.js";

/** The core.wasm instance: exports, memory and the byte moves (hosts/js/wasm.js Core), for the contexts. */
export const full = await instantiate(wasmBase64);

/** @type {{ memory: WebAssembly.Memory, [name: string]: any }} */
const core = full.exports;
/** Copies bytes into the core's input region. */
const load = (bytes) => full.load(bytes);

/**
 * tsm-mr's rules (assembly/tsm/measurements.ts): flags, modes, kernel hash names -> digest sizes,
 * and each provider's register group ({ dir, registers: [{ name, file, hash, size, flags, mode, field }] }).
 * @type {{ flags: Record<string, number>, modes: Record<string, number>, hashes: Record<string, number>,
 *   groups: Record<string, { dir: string, registers: { name: string, file: string, hash: string | null, size: number, flags: number, mode: number, field: string }[] }> }}
 */
export const MR_RULES = full.json("tsm_mr_rules");

/** A register file name split by tsm-mr's grammar: { name, hash } (hash null for NOHASH). */
export function mrParseFileName(file) {
  const bytes = new TextEncoder().encode(file);
  const suffix = bytes.length - core.tsm_mr_name_length(load(bytes)); // ":HASH", ASCII: as many characters as bytes
  return suffix ? { name: file.slice(0, -suffix), hash: file.slice(1 - suffix) } : { name: file, hash: null };
}

/**
 * write(2) to register `index` of `provider`'s group holding `value`: the count taken (0: nothing)
 * or -errno, and after a whole-register write its new value, as the core decides them.
 * @returns {{ n: number, value?: Uint8Array }}
 */
export function mrWrite(provider, index, value, bytes, position) {
  const group = Object.keys(MR_RULES.groups).indexOf(provider);
  const size = value.length;
  const input = new Uint8Array(2 * size); // the value, then the bytes a whole-register write extends it with
  input.set(value);
  input.set(bytes.subarray(0, size), size);
  load(input);
  const n = core.tsm_mr_write(group, index, Math.min(position, 0xffffffff), Math.min(bytes.length, 0xffffffff));
  return n === size ? { n, value: full.bytes(core.tsm_mr_value(), size) } : { n };
}
