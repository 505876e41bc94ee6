// core.wasm: evidence decoding and the configfs-tsm report state machines, no I/O. Decode-side
// exports go in decode_only.ts (decode.wasm, the browser's core); kernel-side ones here.
export * from "./decode_only";
export * from "./tsm/request_abi";
export * from "./request_enums";
export * from "./tsm/kernel_abi";
export * from "./tsm/ioctl_abi";
export * from "./tsm/measurements";
