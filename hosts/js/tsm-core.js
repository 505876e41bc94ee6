// The full core, core.wasm (assembly/index.ts): the decode ABI plus the kernel model
// (assembly/tsm/kernel_abi.ts) and the report machine (assembly/tsm/request_abi.ts). Node
// backends and the simulator reach it only through here; browsers, `import { decode }` and the
// verifier never load it (they take decode.wasm, core.js).
import wasmBase64 from "../../build/generated/core-wasm.js";
import { instantiate } from "./wasm.js";

/** The core.wasm instance: exports, memory and the byte moves (hosts/js/wasm.js Core). */
export const full = await instantiate(wasmBase64);

/**
 * Its exports, untyped here (their signatures live in AssemblyScript): the kernel model's
 * tsm_* functions, the report machine's tsm_request_* functions, and the decode ABI.
 * @type {{ memory: WebAssembly.Memory, [name: string]: any }}
 */
export const core = full.exports;

/** Copies bytes into the core's input region. */
export const load = (bytes) => full.load(bytes);
/** The output region as a string. */
export const output = () => full.output();

/**
 * The report machine's enums from the core: ops (operation kind name -> number) and blobs (result
 * blob name -> the number tsm_request_result_ptr/len take).
 * @type {{ ops: Record<string, number>, blobs: Record<string, number> }}
 */
export const REQUEST_ENUMS = full.json("tsm_request_enums");
