// Renders the result table for people: groups as headed, indented blocks, values aligned per
// group, long byte strings shortened to head...tail with their length, hex wrapped to the
// terminal width, TD attributes named, and bytes after the decoded evidence noted.
import { T } from "../formats/layout";
import { Op, entries, count, names, nameId, inPtr, inLen, readValue } from "../formats/table";
import { byte, ascii, hex, dec, spaces, cborInt, cborArg, guidText, ucs2 } from "./out";

const SHOW_FULL: u32 = 64; // bytes of hex shown in full (covers report data and measurements)
export const DEFAULT_WIDTH: i32 = 80;
const MIN_WRAP: i32 = 16; // hex digits per line at least, however deep the field

// TD ATTRIBUTES (TDX quote body tdAttributes, TDREPORT tdInfo.attributes), a little-endian u64.
// Intel TDX Module ABI Specification, "ATTRIBUTES"; names and bit numbers as Linux's
// arch/x86/include/asm/shared/tdx.h (TDX_ATTR_*_BIT). DEBUG means the host can read the TD.
const TD_ATTR_BITS: u32[] = [0, 4, 5, 6, 16, 27, 28, 29, 30, 31, 62, 63];
const TD_ATTR_NAMES: string[] = ["DEBUG", "HGS_PLUS_PROF", "PERF_PROF", "PMT_PROF", "ICSSD", "LASS",
  "SEPT_VE_DISABLE", "MIGRATABLE", "PKS", "KL", "TPA", "PERFMON"];
const TD_ATTRIBUTES = nameId("tdAttributes");
const ATTRIBUTES = nameId("attributes");
const TD_INFO = nameId("tdInfo");

/** " (NAME, NAME, bit N)" for the set bits of the 8 TD attribute bytes at `a`. */
function tdAttributeNames(a: u32): void {
  const v = load<u64>(inPtr + a);
  ascii(" (");
  if (v == 0) { ascii("none set)"); return; }
  let first = true;
  for (let bit: u32 = 0; bit < 64; bit++) {
    if (!((v >> <u64>bit) & 1)) continue;
    if (!first) ascii(", ");
    first = false;
    const i = TD_ATTR_BITS.indexOf(bit);
    if (i >= 0) ascii(TD_ATTR_NAMES[i]);
    else { ascii("bit "); dec(<u64>bit); }
  }
  byte(0x29);
}

/** Hex of `len` bytes at `a` in lines of at most `room` digits, continued at column `col`. */
function wrappedHex(a: u32, len: u32, col: i32, room: i32): void {
  const digits = <i32>len * 2;
  const perLine = max(MIN_WRAP, room & ~7);
  const lines = (digits + perLine - 1) / perLine;
  // Equal lines (a multiple of 8 digits each) rather than full lines and a stub.
  const bytesPerLine = <u32>((((digits + lines - 1) / lines) + 7) & ~7) >> 1;
  for (let o: u32 = 0; o < len; o += bytesPerLine) {
    if (o) { byte(0x0a); spaces(col); }
    hex(inPtr + a + o, min(bytesPerLine, len - o));
  }
}

/** head...tail (N bytes): the head shrinks (16 bytes down to 4) to keep the line in `room`. */
function shortHex(a: u32, len: u32, room: i32): void {
  const fixed = 3 + 16 + 9 + digits(<i32>len); // "...", the 8-byte tail, " (N bytes)"
  const head = <u32>min(16, max(4, ((room - fixed) >> 1) & ~3));
  hex(inPtr + a, head); ascii("..."); hex(inPtr + a + len - 8, 8);
  ascii(" ("); dec(len); ascii(" bytes)");
}

function value(type: u32, a: u32, len: u32, col: i32, width: i32): void {
  switch (type) {
    case T.U8: case T.U16: case T.U32: case T.U16BE: case T.U32BE: case T.U64: {
      const v = readValue(<T>type, a);
      dec(v);
      if (v > 9) { ascii(" (0x"); ascii(v.toString(16)); byte(0x29); }
      break;
    }
    case T.HEX:
      if (len == 0) { ascii("(empty)"); break; }
      if (len <= SHOW_FULL) { wrappedHex(a, len, col, width - col); break; }
      shortHex(a, len, width - col);
      break;
    case T.TEXT: {
      // First line only (a PEM header says what it is), as much as fits the width, then the length.
      let eol: u32 = 0;
      while (eol < len && load<u8>(inPtr + a + eol) != 0x0a) eol++;
      const room = <u32>max(16, width - col);
      let n = min(eol, min(64, room));
      if (n < len) n = min(n, <u32>max(8, <i32>room - 13 - digits(<i32>len))); // " ... (N bytes)"
      for (let i: u32 = 0; i < n; i++) {
        const c = <u32>load<u8>(inPtr + a + i);
        byte(c >= 0x20 && c < 0x7f ? c : 0x3f);
      }
      if (n < len) { ascii(" ... ("); dec(len); ascii(" bytes)"); }
      break;
    }
    case T.BOOL: ascii(a ? "yes" : "no"); break;
    case T.UINT: dec(<u64>a); break;
    case T.NAME: ascii(names[a]); break;
    case T.GUID: case T.EFI_GUID: guidText(inPtr + a, type == T.EFI_GUID); break;
    case T.UCS2: ucs2(inPtr + a, len); break;
    case T.CBOR_INT: {
      cborInt(inPtr + a, len, false);
      const v = cborArg(inPtr + a, len);
      if (load<u8>(inPtr + a) >> 5 != 1 && v > 9) { ascii(" (0x"); ascii(v.toString(16)); byte(0x29); }
      break;
    }
    case T.NULL: ascii("null"); break;
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

/** Where the decoded evidence ends: the furthest byte any field or group covers. */
function decodedEnd(): u32 {
  let end: u32 = 0;
  for (let i = 0; i < count; i++) {
    const k = i << 2;
    const op = entries[k] & 0xff;
    const type = entries[k] >> 8;
    if (op == Op.CLOSE) continue;
    // Computed values keep the value itself in the entry, not an offset.
    if (op == Op.FIELD && (type == T.BOOL || type == T.UINT || type == T.NAME || type == T.NULL)) continue;
    const e = entries[k + 2] + entries[k + 3];
    if (e > end) end = e;
  }
  return end;
}

const TRAILING = "trailing";

/** The last line: bytes after the evidence (zero padding of a fixed buffer, or anything else). */
function trailing(end: u32, keyWidth: i32, width: i32): void {
  const n = inLen - end;
  ascii(TRAILING); spaces(keyWidth - TRAILING.length + 2);
  dec(<u64>n);
  let zero = true;
  for (let o = end; o < inLen && zero; o++) zero = load<u8>(inPtr + o) == 0;
  if (zero) { ascii(" zero bytes after the evidence (buffer padding), ignored\n"); return; }
  ascii(" bytes after the evidence (offset "); dec(<u64>end);
  ascii("), unsigned and ignored:\n");
  spaces(keyWidth + 2);
  value(T.HEX, end, n, keyWidth + 2, width);
  byte(0x0a);
}

/** Writes the table for people; hex wraps to `width` columns (0: DEFAULT_WIDTH). */
export function renderText(width: i32 = DEFAULT_WIDTH): void {
  if (width <= 0) width = DEFAULT_WIDTH;
  const widths = new StaticArray<i32>(64);
  const isArr = new StaticArray<bool>(64);
  const index = new StaticArray<i32>(64);
  const group = new StaticArray<u32>(64); // name id of each open group
  const end = decodedEnd();
  let depth = 0;
  widths[0] = keyWidth(0, false);
  if (end < inLen) widths[0] = max(widths[0], TRAILING.length);
  for (let i = 0; i < count; i++) {
    const k = i << 2;
    const op = entries[k] & 0xff;
    if (op == Op.CLOSE) { depth--; continue; }
    spaces(depth * 2);
    let keyLen: i32;
    const id = entries[k + 1];
    if (isArr[depth]) {
      const n = index[depth]++;
      byte(0x5b); dec(<u64>n); byte(0x5d);
      keyLen = 2 + digits(n);
    } else {
      const key = names[id];
      ascii(key);
      keyLen = key.length;
    }
    if (op == Op.FIELD) {
      spaces(widths[depth] - keyLen + 2);
      const type = entries[k] >> 8;
      const a = entries[k + 2];
      const len = entries[k + 3];
      value(type, a, len, depth * 2 + widths[depth] + 2, width);
      if (type == T.HEX && len == 8 && (id == TD_ATTRIBUTES || (id == ATTRIBUTES && depth > 0 && group[depth] == TD_INFO))) {
        tdAttributeNames(a);
      }
      byte(0x0a);
    } else {
      byte(0x0a);
      if (depth >= 62) return;
      depth++;
      group[depth] = id;
      isArr[depth] = op == Op.ARRAY;
      index[depth] = 0;
      widths[depth] = keyWidth(i + 1, op == Op.ARRAY);
    }
  }
  if (end < inLen) trailing(end, widths[0], width);
}
