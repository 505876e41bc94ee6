// The decode context: decode.wasm (assembly/decode_only.ts, evidence decoding alone, no kernel
// model) and the decode ABI's calls (assembly/abi.ts). decode.js, view.js and the inspector reach
// the core only through here; its enums come from the core itself (abi_enums).
import wasmBase64 from "../../build/generated/decode-wasm.js";
import { instantiate, text } from "./wasm.js";
export { ascii, exactLatin1, latin1, text } from "./wasm.js";

export const decoder = await instantiate(wasmBase64);

/**
 * The decode ABI's enums: types (T), ops (result-table entry ops), formats (name -> id), render
 * modes (name -> id); read from the core, never restated.
 * @type {{ types: Record<string, number>, ops: Record<string, number>, formats: Record<string, number>, render: Record<string, number> }}
 */
export const ENUMS = decoder.json("abi_enums");

/** configfs-tsm provider -> the format its outblob holds (assembly/tsm/provider_names.ts). @type {Record<string, string>} */
export const PROVIDER_FORMATS = decoder.json("provider_formats");

/**
 * The decode ABI's exports (assembly/abi.ts): decode, render, entries_*, names_*, layouts,
 * field_text, output_*, input_reserve and memory.
 * @type {{ memory: WebAssembly.Memory, [name: string]: any }}
 */
export const core = decoder.exports;

/** Copies bytes into the core's input region. */
export const load = (bytes) => decoder.load(bytes);

/** The output region as a string. */
export const output = () => decoder.output();

// The table is a static array of the core: it never moves.
const ENTRIES_BASE = core.entries_ptr() >>> 2;

/**
 * The result table of the last decode, four u32 per entry (assembly/formats/table.ts), as
 * { words, base }: entry i starts at words[base + 4 * i]. No copy and no new view per call.
 */
export function entries() {
  decoder.views();
  return { words: decoder.heap32, base: ENTRIES_BASE };
}

/**
 * The last result's field text (core.field_text): the hex of its HEX and GUID fields, the
 * length-prefixed decimal of its U64 fields and the bytes of its TEXT fields, back to back in
 * entry order, as one string (one character per byte).
 */
export function fieldText() {
  const ptr = core.field_text(), len = core.output_len();
  decoder.views();
  return text(decoder.heap8, ptr, len);
}
