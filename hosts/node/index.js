// tsmkit for Node: acquire configfs-tsm reports (getReport, TsmError) plus the whole portable
// API (decode, verify), so one import serves an agent.
export { getReport } from "./report.js";
export { TsmError } from "./errors.js";
export { readCollateral } from "./collateral.js";
export { listRegisters, readRegister, extend, recover, readRuntimeLog, MrError, MEASUREMENTS_DIR, RUNTIME_LOG } from "./mr.js";
export * from "../js/index.js";
