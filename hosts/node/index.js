// tsmkit for Node: acquire configfs-tsm reports (getReport, TsmError) and decode them (the
// hosts/js decode API, re-exported so one import serves both).
export { getReport } from "./report.js";
export { TsmError } from "./errors.js";
export { DecodeError, decode, render, locate, layouts, decodeQuote, decodeTdreport, decodeSnpReport,
  decodeSnpCerts, RENDER } from "../js/decode.js";
