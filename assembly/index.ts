// core.wasm: evidence decoding and the configfs-tsm report state machines, no I/O.
export * from "./abi";
export * from "./tsm/request_abi";
export * from "./tsm/kernel_abi";
export * from "./formats/eventlog_abi";
