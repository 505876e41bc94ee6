// One rendering of a failed report request ({"error": {code, errno, attribute, message, advice,
// attempts}}), compact for JS hosts (which rebuild a TsmError from it) and pretty for the WASI
// command's --json, in the key order TsmError.toJSON() prints.
import { ReportError } from "../tsm/request";
import { ascii, dec, jsonString } from "./out";

export function renderReportError(e: ReportError, attempts: i32, indent: bool): void {
  const open1 = indent ? "{\n  \"error\": {\n    " : "{\"error\":{";
  const sep = indent ? ",\n    " : ",";
  const colon = indent ? ": " : ":";
  ascii(open1 + "\"code\"" + colon); jsonString(e.code);
  ascii(sep + "\"errno\"" + colon); dec(<u64>e.errno);
  ascii(sep + "\"attribute\"" + colon); jsonString(e.attribute);
  ascii(sep + "\"message\"" + colon); jsonString(e.message);
  ascii(sep + "\"advice\"" + colon); jsonString(e.advice);
  ascii(sep + "\"attempts\"" + colon); dec(<u64>attempts);
  ascii(indent ? "\n  }\n}" : "}}");
}
