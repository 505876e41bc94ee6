// decode.wasm: evidence decoding alone (no kernel model, no report machine), for browsers and
// `import { decode }` users (hosts/js/core.js). Decode-side exports go here; assembly/index.ts
// (core.wasm, the full core) re-exports this file and adds the kernel model's and the report
// machine's.
export * from "./abi";
export * from "./formats/eventlog_abi";
export * from "./tsm/providers_abi";
