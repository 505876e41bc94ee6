// One rendering of a decode error, shared by every host: a single line for people, an
// {"error": {...}} object for --json.
import { errCode, errField, errOffset, errMessage, codeName } from "../formats/error";
import { formatName, lastFormat } from "../formats/decode";
import { byte, ascii, dec, jsonString } from "./out";

export function renderErrorJson(indent: i32): void {
  const nl = indent > 0;
  const pad1 = nl ? "\n  " : "";
  const pad2 = nl ? "\n    " : "";
  const sep = nl ? ": " : ":";
  ascii("{" + pad1 + "\"error\"" + sep + "{");
  ascii(pad2 + "\"code\"" + sep); jsonString(codeName(errCode)); byte(0x2c);
  ascii(pad2 + "\"format\"" + sep); jsonString(formatName(lastFormat)); byte(0x2c);
  ascii(pad2 + "\"field\"" + sep); jsonString(errField); byte(0x2c);
  ascii(pad2 + "\"offset\"" + sep); dec(<u64>errOffset); byte(0x2c);
  ascii(pad2 + "\"message\"" + sep); jsonString(errMessage);
  ascii(pad1 + "}" + (nl ? "\n" : "") + "}");
}

export function renderErrorText(): void {
  ascii(formatName(lastFormat) + ": " + codeName(errCode));
  if (errField.length) ascii(" in " + errField);
  ascii(" at byte " + errOffset.toString() + ": " + errMessage);
}
