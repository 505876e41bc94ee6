// Renders the result table for people: groups as headed, indented blocks, values aligned per
// group, long byte strings shortened to head...tail with their length.
import { T } from "../formats/layout";
import { Op, entries, count, names, inPtr, readValue } from "../formats/table";
import { byte, ascii, hex, dec, spaces } from "./out";

const SHOW_FULL: u32 = 64; // bytes of hex shown in full (covers report data and measurements)

function value(type: u32, a: u32, len: u32): void {
  switch (type) {
    case T.U8: case T.U16: case T.U32: case T.U16BE: case T.U32BE: case T.U64: {
      const v = readValue(<T>type, a);
      dec(v);
      if (v > 9) { ascii(" (0x"); ascii(v.toString(16)); byte(0x29); }
      break;
    }
    case T.HEX:
      if (len == 0) { ascii("(empty)"); break; }
      if (len <= SHOW_FULL) { hex(inPtr + a, len); break; }
      hex(inPtr + a, 16); ascii("..."); hex(inPtr + a + len - 8, 8);
      ascii(" ("); dec(len); ascii(" bytes)");
      break;
    case T.TEXT: {
      // First line only (a PEM header says what it is), then the length.
      let n: u32 = 0;
      while (n < len && n < 64 && load<u8>(inPtr + a + n) != 0x0a) {
        const c = <u32>load<u8>(inPtr + a + n);
        byte(c >= 0x20 && c < 0x7f ? c : 0x3f);
        n++;
      }
      if (n < len) { ascii(" ... ("); dec(len); ascii(" bytes)"); }
      break;
    }
    case T.BOOL: ascii(a ? "yes" : "no"); break;
    case T.UINT: dec(<u64>a); break;
    case T.NAME: ascii(names[a]); break;
    case T.GUID:
      hex(inPtr + a, 4); byte(0x2d); hex(inPtr + a + 4, 2); byte(0x2d);
      hex(inPtr + a + 6, 2); byte(0x2d); hex(inPtr + a + 8, 2); byte(0x2d);
      hex(inPtr + a + 10, 6);
      break;
  }
}

function digits(n: i32): i32 {
  let d = 1;
  while (n >= 10) { n /= 10; d++; }
  return d;
}

/** Width of the widest key among the direct children of the group starting at entry i. */
function keyWidth(i: i32, isArray: bool): i32 {
  let w = 0;
  let depth = 0;
  for (let j = i; j < count; j++) {
    const op = entries[j << 2] & 0xff;
    if (op == Op.CLOSE) { if (depth == 0) break; depth--; continue; }
    if (depth == 0) {
      const n = isArray ? 2 + digits(j - i) : names[entries[(j << 2) + 1]].length;
      if (n > w) w = n;
    }
    if (op != Op.FIELD) depth++;
  }
  return w;
}

export function renderText(): void {
  const widths = new StaticArray<i32>(64);
  const isArr = new StaticArray<bool>(64);
  const index = new StaticArray<i32>(64);
  let depth = 0;
  widths[0] = keyWidth(0, false);
  for (let i = 0; i < count; i++) {
    const k = i << 2;
    const op = entries[k] & 0xff;
    if (op == Op.CLOSE) { depth--; continue; }
    spaces(depth * 2);
    let keyLen: i32;
    if (isArr[depth]) {
      const n = index[depth]++;
      byte(0x5b); dec(<u64>n); byte(0x5d);
      keyLen = 2 + digits(n);
    } else {
      const key = names[entries[k + 1]];
      ascii(key);
      keyLen = key.length;
    }
    if (op == Op.FIELD) {
      spaces(widths[depth] - keyLen + 2);
      value(entries[k] >> 8, entries[k + 2], entries[k + 3]);
      byte(0x0a);
    } else {
      byte(0x0a);
      if (depth >= 62) return;
      depth++;
      isArr[depth] = op == Op.ARRAY;
      index[depth] = 0;
      widths[depth] = keyWidth(i + 1, op == Op.ARRAY);
    }
  }
}
