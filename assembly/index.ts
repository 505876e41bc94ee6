// core.wasm: evidence decoding and the configfs-tsm report state machines, no I/O.
export * from "./abi";
export * from "./tsm/request_abi";
export * from "./tsm/kernel_abi";
import { registerCca } from "./formats/cca";

registerCca(); // the core decodes CCA tokens; the WASI command's build leaves them out
