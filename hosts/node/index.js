// tsmkit for Node: acquire configfs-tsm reports (getReport, TsmError) and decode them (the
// hosts/js decode API, re-exported whole so one import serves both).
export { getReport } from "./report.js";
export { TsmError } from "./errors.js";
export * from "../js/decode.js";
