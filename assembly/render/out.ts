// A growable byte buffer for rendered text (JSON, human-readable), exported to hosts as
// (output_ptr, output_len). Only ASCII is written by tsmkit itself; TEXT fields are escaped.
import { guidTextIndex } from "../formats/guid";
import { unzeroed } from "../formats/table";
let buf: ArrayBuffer = unzeroed<ArrayBuffer>(64 * 1024);
export let outPtr: usize = changetype<usize>(buf);
export let outLen: u32 = 0;

export function outReset(): void { outLen = 0; }

@inline function ensure(extra: u32): void {
  const need = outLen + extra;
  if (need <= <u32>buf.byteLength) return;
  let cap = <u32>buf.byteLength;
  while (cap < need) cap <<= 1;
  const nb = new ArrayBuffer(<i32>cap);
  memory.copy(changetype<usize>(nb), outPtr, outLen);
  buf = nb;
  outPtr = changetype<usize>(nb);
}

export function byte(c: u32): void {
  ensure(1);
  store<u8>(outPtr + outLen, <u8>c);
  outLen++;
}

export function ascii(s: string): void {
  const n = <u32>s.length;
  ensure(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(outPtr + outLen + i, <u8>s.charCodeAt(i));
  outLen += n;
}

/** `len` bytes at `ptr`, as they are. */
export function raw(ptr: usize, len: u32): void {
  ensure(len);
  memory.copy(outPtr + outLen, ptr, len);
  outLen += len;
}

export function spaces(n: i32): void {
  for (let i = 0; i < n; i++) byte(0x20);
}

const HEX = "0123456789abcdef";
const LOW_NIBBLES: u64 = 0x000f000f000f000f;
const ONES: u64 = 0x0101010101010101;

/** The 8 hex digits of 4 bytes (x, little-endian), as the u64 that stores them in order. */
@inline function hex4(x: u32): u64 {
  // Byte i to bits 16i..16i+7, then its high nibble to byte 2i and its low nibble to byte 2i+1.
  let t = <u64>x;
  t = ((t & 0xffff0000) << 16) | (t & 0xffff);
  t = ((t & 0x0000ff000000ff00) << 8) | (t & 0x000000ff000000ff);
  const n = ((t >> 4) & LOW_NIBBLES) | ((t & LOW_NIBBLES) << 8);
  // '0' + n, plus 'a' - '0' - 10 where n >= 10.
  const letters = ((n + 0x06 * ONES) >> 4) & ONES;
  return n + 0x30 * ONES + letters * 0x27;
}

// Where the build has SIMD (decode.wasm, core.wasm; not the WASI command), 16 bytes at a time:
// each nibble picks its digit from a 16-byte table (swizzle), the two halves interleaved.
/** The 32 hex digits of the 16 bytes at `p`, stored at `out`. */
@inline function hex16(p: usize, out: usize): void {
  const DIGITS16 = i8x16(48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102);
  const x = v128.load(p);
  const hi = i8x16.swizzle(DIGITS16, i8x16.shr_u(x, 4));
  const lo = i8x16.swizzle(DIGITS16, v128.and(x, i8x16.splat(15)));
  v128.store(out, i8x16.shuffle(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
  v128.store(out, i8x16.shuffle(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), 16);
}

export function hex(ptr: usize, len: u32): void {
  ensure(len << 1);
  const out = outPtr + outLen;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) for (; i + 16 <= len; i += 16) hex16(ptr + i, out + (i << 1));
  for (; i + 4 <= len; i += 4) store<u64>(out + (i << 1), hex4(load<u32>(ptr + i)));
  for (; i < len; i++) {
    const v = <u32>load<u8>(ptr + i);
    store<u8>(out + (i << 1), <u8>HEX.charCodeAt(v >> 4));
    store<u8>(out + (i << 1) + 1, <u8>HEX.charCodeAt(v & 15));
  }
  outLen += len << 1;
}

/**
 * The 32 hex digits of a GUID's 16 bytes at `ptr` in text order, with a hyphen before text byte
 * 4, 6, 8 and 10 when `hyphens`. An EFI_GUID (the kernel's guid_t) keeps its first three groups
 * little-endian: guidTextIndex says where each text byte stands.
 */
export function guidText(ptr: usize, efi: bool, hyphens: bool = true): void {
  for (let k = 0; k < 16; k++) {
    if (hyphens && (k == 4 || k == 6 || k == 8 || k == 10)) byte(0x2d);
    hex(ptr + <usize>(efi ? guidTextIndex(k) : k), 1);
  }
}

/** The low bytes of the `len / 2` CHAR16 units at `ptr` (text a decoder checked is ASCII). */
export function ucs2(ptr: usize, len: u32): void {
  for (let i: u32 = 0; i + 1 < len; i += 2) byte(<u32>load<u8>(ptr + i));
}

// "00" to "99", two bytes per pair: decimals are written two digits at a time.
const PAIRS = memory.data<u8>([
  48,48,48,49,48,50,48,51,48,52,48,53,48,54,48,55,48,56,48,57,49,48,49,49,49,50,49,51,49,52,49,53,49,54,49,55,
  49,56,49,57,50,48,50,49,50,50,50,51,50,52,50,53,50,54,50,55,50,56,50,57,51,48,51,49,51,50,51,51,51,52,51,53,
  51,54,51,55,51,56,51,57,52,48,52,49,52,50,52,51,52,52,52,53,52,54,52,55,52,56,52,57,53,48,53,49,53,50,53,51,
  53,52,53,53,53,54,53,55,53,56,53,57,54,48,54,49,54,50,54,51,54,52,54,53,54,54,54,55,54,56,54,57,55,48,55,49,
  55,50,55,51,55,52,55,53,55,54,55,55,55,56,55,57,56,48,56,49,56,50,56,51,56,52,56,53,56,54,56,55,56,56,56,57,
  57,48,57,49,57,50,57,51,57,52,57,53,57,54,57,55,57,56,57,57,
]);
const DIGITS = memory.data(20); // scratch: a u64 has at most 20 decimal digits

/** Writes the decimal digits of v ending just before `end`; returns where they start. */
function digitsBefore(end: usize, v: u32): usize {
  while (v >= 100) {
    const r = v % 100;
    v /= 100;
    end -= 2;
    store<u16>(end, load<u16>(PAIRS + (<usize>r << 1)));
  }
  if (v >= 10) {
    end -= 2;
    store<u16>(end, load<u16>(PAIRS + (<usize>v << 1)));
  } else {
    end -= 1;
    store<u8>(end, <u8>(0x30 + v));
  }
  return end;
}

/** v in decimal, written without allocating (decode's hot path renders every u64 field). */
export function dec(v: u64): void {
  let end = DIGITS + 20;
  // Eight digits per 64-bit division while v needs them; the rest in 32-bit arithmetic.
  while (v > <u64>u32.MAX_VALUE) {
    const q = v / 100000000;
    const start = digitsBefore(end, <u32>(v - q * 100000000));
    for (let p = end - 8; p < start; p++) store<u8>(p, 0x30); // the block's leading zeros
    end -= 8;
    v = q;
  }
  const start = digitsBefore(end, <u32>v);
  const n = <u32>(DIGITS + 20 - start);
  ensure(n);
  memory.copy(outPtr + outLen, start, n);
  outLen += n;
}

const MAX_SAFE: u64 = 0x1fffffffffffff; // 2^53 - 1, the largest integer a JS number holds exactly

/** The argument of the CBOR head at `p` (`len` bytes, big-endian after the initial byte). */
export function cborArg(p: usize, len: u32): u64 {
  let n: u64 = len == 1 ? <u64>(load<u8>(p) & 31) : 0;
  for (let i: u32 = 1; i < len; i++) n = (n << 8) | <u64>load<u8>(p + i);
  return n;
}

/**
 * The integer of the CBOR head at `p` (`len` bytes; major 1 is negative, 0 and 6 are not) in
 * decimal; `quoteBig` puts one beyond 2^53 in quotes, as a JSON string.
 */
export function cborInt(p: usize, len: u32, quoteBig: bool): void {
  const n = cborArg(p, len);
  const q = quoteBig && n > MAX_SAFE;
  if (q) byte(0x22);
  if (load<u8>(p) >> 5 == 1) {
    byte(0x2d);
    if (n == u64.MAX_VALUE) ascii("18446744073709551616"); else dec(n + 1);
  } else dec(n);
  if (q) byte(0x22);
}

/** Bytes as the inside of a JSON string: quotes, backslashes and controls escaped. */
export function jsonEscaped(ptr: usize, len: u32): void {
  for (let i: u32 = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    if (c == 0x22) ascii("\\\"");
    else if (c == 0x5c) ascii("\\\\");
    else if (c == 0x0a) ascii("\\n");
    else if (c == 0x0d) ascii("\\r");
    else if (c == 0x09) ascii("\\t");
    else if (c == 0x08) ascii("\\b");
    else if (c == 0x0c) ascii("\\f");
    else if (c < 0x20 || c >= 0x7f) {
      // Non-ASCII is escaped as \u00XX (latin-1): the JSON stays ASCII and byte-stable.
      ascii("\\u00");
      byte(HEX.charCodeAt(c >> 4));
      byte(HEX.charCodeAt(c & 15));
    } else byte(c);
  }
}

export function jsonString(s: string): void {
  byte(0x22);
  const p = String.UTF8.encode(s);
  jsonEscaped(changetype<usize>(p), <u32>p.byteLength);
  byte(0x22);
}
