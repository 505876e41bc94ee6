// The decode boundary: flat exports over fixed regions. The host copies evidence to
// input_reserve(len), calls decode(format, len) and reads a status; render() then writes JSON or
// text to the output region (output_ptr/output_len). No allocator crosses the boundary.
import { decodeInput, lastFormat, formatName, Format } from "./formats/decode";
import { T } from "./formats/layout";
import { Op, reserveInput, entries, count, names, inPtr } from "./formats/table";
import { errCode, errOffset } from "./formats/error";
import { shapePin, shapeSame } from "./formats/shapes";
import { outReset, outPtr, outLen, byte, hex, dec, raw, jsonString, guidText, ucs2 } from "./render/out";
import { renderJson } from "./render/json";
import { renderText } from "./render/text";
import { renderErrorJson, renderErrorText } from "./render/error";
import { renderLayouts } from "./formats/layouts_json";
import { begin, group, member, end } from "./render/enums";

export function input_reserve(len: u32): usize { return reserveInput(len); }

/** 0 on success, else an error code (formats/error.ts E). */
export function decode(format: i32, len: u32): i32 { return decodeInput(format, len); }

export function decoded_format(): i32 { return lastFormat; }
export function error_offset(): u32 { return errOffset; }

/**
 * Renders the last result (or its error): compact JSON, pretty JSON or text, whose hex wraps
 * to `width` columns (0, or the argument left out by a host: 80).
 */
export const enum Render { JSON = 0, PRETTY = 1, TEXT = 2 }
export function render(mode: i32, width: i32): usize {
  outReset();
  if (errCode != 0) {
    if (mode == Render.TEXT) renderErrorText();
    else renderErrorJson(mode == Render.PRETTY ? 2 : 0);
  } else if (mode == Render.TEXT) renderText(width);
  else renderJson(mode == Render.PRETTY ? 2 : 0);
  return outPtr;
}

/**
 * Writes the text of the last result's fields that a host would otherwise format itself, in entry
 * order and back to back, to the output region: the lowercase hex of every HEX and GUID field
 * (an EFI_GUID's in text order), every U64 field in decimal after one byte holding its digit
 * count, the bytes of every TEXT field and the characters of every UCS2 field. A host reads it as one string and slices it field by field instead of hexing bytes,
 * printing 64-bit integers and making a string per text.
 */
export function field_text(): usize {
  outReset();
  for (let i = 0; i < count; i++) {
    const k = i << 2;
    const w = unchecked(entries[k]);
    if ((w & 0xff) != Op.FIELD) continue;
    const type = w >> 8;
    if (type == T.HEX) hex(inPtr + unchecked(entries[k + 2]), unchecked(entries[k + 3]));
    else if (type == T.GUID) hex(inPtr + unchecked(entries[k + 2]), 16);
    else if (type == T.EFI_GUID) guidText(inPtr + unchecked(entries[k + 2]), true, false);
    else if (type == T.TEXT) raw(inPtr + unchecked(entries[k + 2]), unchecked(entries[k + 3]));
    else if (type == T.UCS2) ucs2(inPtr + unchecked(entries[k + 2]), unchecked(entries[k + 3]));
    else if (type == T.U64) {
      const at = outLen;
      byte(0);
      dec(load<u64>(inPtr + unchecked(entries[k + 2])));
      store<u8>(outPtr + at, <u8>(outLen - at - 1));
    }
  }
  return outPtr;
}

export function output_ptr(): usize { return outPtr; }
export function output_len(): u32 { return outLen; }

export function entries_ptr(): usize { return changetype<usize>(entries); }
/** The last table's shape, kept in its slot (formats/shapes.ts): 1, or 0 when too long to keep. */
export function shape_pin(): i32 { return shapePin() ? 1 : 0; }
/** 1 when the last table has the shape pinned in its slot, else 0. */
export function shape_same(): i32 { return shapeSame() ? 1 : 0; }
export function entries_count(): i32 { return count; }

/** Writes the layout tables as JSON to the output region. */
export function layouts(): usize {
  outReset();
  renderLayouts();
  return outPtr;
}

export function names_count(): i32 { return names.length; }

/** Writes the interned names (entry name ids index it) as a JSON array to the output region. */
export function names_json(): usize {
  outReset();
  byte(0x5b);
  for (let i = 0; i < names.length; i++) {
    if (i) byte(0x2c);
    jsonString(names[i]);
  }
  byte(0x5d);
  return outPtr;
}

/**
 * The decode ABI's enums as JSON in the output region: {"types": T (formats/layout.ts), "ops": Op
 * (result-table entry ops), "formats": name -> id of the formats decode() takes (formats/decode.ts),
 * "render": render() modes}.
 */
export function abi_enums(): usize {
  begin();
  group("types");
  member("U8", T.U8); member("U16", T.U16); member("U32", T.U32); member("U64", T.U64);
  member("HEX", T.HEX); member("TEXT", T.TEXT); member("BOOL", T.BOOL); member("UINT", T.UINT);
  member("NAME", T.NAME); member("GUID", T.GUID); member("U16BE", T.U16BE); member("U32BE", T.U32BE);
  member("CBOR_INT", T.CBOR_INT); member("NULL", T.NULL); member("EFI_GUID", T.EFI_GUID); member("UCS2", T.UCS2);
  group("ops");
  member("FIELD", Op.FIELD); member("OPEN", Op.OPEN); member("CLOSE", Op.CLOSE); member("ARRAY", Op.ARRAY);
  group("formats");
  // What decode() takes (the event log has its own export, formats/eventlog_abi.ts).
  const formats: i32[] = [Format.QUOTE, Format.TDREPORT, Format.SNP_REPORT, Format.SNP_CERTS,
    Format.CCA_TOKEN, Format.CCA_PLATFORM_CLAIMS, Format.CCA_REALM_CLAIMS];
  for (let i = 0; i < formats.length; i++) member(formatName(formats[i]), formats[i]);
  group("render");
  member("json", Render.JSON); member("pretty", Render.PRETTY); member("text", Render.TEXT);
  return end();
}
