// One rendering of a decode error, shared by every host: a single line for people, an
// {"error": {...}} object for --json. Written piece by piece: no strings are built to print them.
import { errCode, errField, errOffset, errMessage, codeName } from "../formats/error";
import { formatName, lastFormat } from "../formats/decode";
import { byte, ascii, dec, jsonString } from "./out";

/** `"name":` inside the error object, after a comma unless first; pretty form on its own line. */
function key(name: string, pretty: bool, first: bool): void {
  if (!first) byte(0x2c);
  if (pretty) ascii("\n    ");
  byte(0x22); ascii(name); ascii("\":");
  if (pretty) byte(0x20);
}

export function renderErrorJson(indent: i32): void {
  const pretty = indent > 0;
  byte(0x7b);
  if (pretty) ascii("\n  ");
  renderErrorMember(pretty);
  ascii(pretty ? "\n}" : "}");
}

/** `"error": {...}` as a member of an object at depth 0 (report --json puts it beside the evidence). */
export function renderErrorMember(pretty: bool): void {
  ascii(pretty ? "\"error\": {" : "\"error\":{");
  key("code", pretty, true); jsonString(codeName(errCode));
  key("format", pretty, false); jsonString(formatName(lastFormat));
  key("field", pretty, false); jsonString(errField);
  key("offset", pretty, false); dec(<u64>errOffset);
  key("message", pretty, false); jsonString(errMessage);
  ascii(pretty ? "\n  }" : "}");
}

export function renderErrorText(): void {
  ascii(formatName(lastFormat)); ascii(": "); ascii(codeName(errCode));
  if (errField.length) { ascii(" in "); ascii(errField); }
  ascii(" at byte "); dec(<u64>errOffset); ascii(": "); ascii(errMessage);
}
