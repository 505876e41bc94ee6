// tsmkit for Node: acquire configfs-tsm reports (getReport, TsmError) plus the whole portable
// API (decode, verify), so one import serves an agent.
export { getReport } from "./report.js";
export { TsmError } from "./errors.js";
export { readCollateral } from "./collateral.js";
export * from "../js/index.js";
