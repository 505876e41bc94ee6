// Renders the result table as JSON. Pretty mode is byte-for-byte what JSON.stringify(v, null, 2)
// prints for the same value, so every host (Node CLI, WASI command, browser) prints one form.
import { T } from "../formats/layout";
import { Op, entries, count, names, inPtr, readValue } from "../formats/table";
import { byte, ascii, hex, dec, spaces, jsonEscaped, jsonString, cborInt, guidText } from "./out";

function value(type: u32, a: u32, len: u32): void {
  switch (type) {
    case T.U8: case T.U16: case T.U32: case T.U16BE: case T.U32BE:
      dec(readValue(<T>type, a)); break;
    case T.U64:
      byte(0x22); dec(readValue(T.U64, a)); byte(0x22); break;
    case T.HEX:
      byte(0x22); hex(inPtr + a, len); byte(0x22); break;
    case T.TEXT:
      byte(0x22); jsonEscaped(inPtr + a, len); byte(0x22); break;
    case T.BOOL:
      ascii(a ? "true" : "false"); break;
    case T.UINT:
      dec(<u64>a); break;
    case T.NAME:
      jsonString(names[a]); break;
    case T.GUID: case T.EFI_GUID:
      byte(0x22); guidText(inPtr + a, type == T.EFI_GUID); byte(0x22); break;
    case T.UCS2: // printable ASCII: only the quote and the backslash need escaping
      byte(0x22);
      for (let i: u32 = 0; i + 1 < len; i += 2) {
        const c = <u32>load<u8>(inPtr + a + i);
        if (c == 0x22 || c == 0x5c) byte(0x5c);
        byte(c);
      }
      byte(0x22); break;
    case T.CBOR_INT:
      cborInt(inPtr + a, len, true); break;
    default: // T.NULL
      ascii("null");
  }
}

/**
 * Writes the whole table as one JSON object; indent 0 = compact, 2 = JSON.stringify style. `base`
 * is the depth the object stands at when it is a member of another (report --json's evidence).
 */
export function renderJson(indent: i32, base: i32 = 0): void {
  // inArray[d] says whether depth d is an array (its members have no keys).
  const inArray = new StaticArray<bool>(64);
  const first = new StaticArray<bool>(64);
  let depth = base + 1;
  byte(0x7b);
  first[depth] = true;
  inArray[depth] = false;
  for (let i = 0; i < count; i++) {
    const k = i << 2;
    const op = entries[k] & 0xff;
    const type = entries[k] >> 8;
    if (op == Op.CLOSE) {
      const wasEmpty = first[depth];
      depth--;
      if (!wasEmpty && indent) { byte(0x0a); spaces(depth * indent); }
      byte(inArray[depth + 1] ? 0x5d : 0x7d);
      continue;
    }
    if (!first[depth]) byte(0x2c);
    first[depth] = false;
    if (indent) { byte(0x0a); spaces(depth * indent); }
    if (!inArray[depth]) {
      jsonString(names[entries[k + 1]]);
      byte(0x3a);
      if (indent) byte(0x20);
    }
    if (op == Op.FIELD) {
      value(type, entries[k + 2], entries[k + 3]);
    } else {
      const isArr = op == Op.ARRAY;
      byte(isArr ? 0x5b : 0x7b);
      depth++;
      if (depth >= 63) { ascii("null"); return; } // tables are built by tsmkit: never this deep
      first[depth] = true;
      inArray[depth] = isArr;
    }
  }
  if (indent && count > 0) { byte(0x0a); spaces(base * indent); }
  byte(0x7d);
}
