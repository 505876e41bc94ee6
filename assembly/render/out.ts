// A growable byte buffer for rendered text (JSON, human-readable), exported to hosts as
// (output_ptr, output_len). Only ASCII is written by tsmkit itself; TEXT fields are escaped.
let buf: ArrayBuffer = new ArrayBuffer(64 * 1024);
export let outPtr: usize = changetype<usize>(buf);
export let outLen: u32 = 0;

export function outReset(): void { outLen = 0; }

function ensure(extra: u32): void {
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

export function spaces(n: i32): void {
  for (let i = 0; i < n; i++) byte(0x20);
}

const HEX = "0123456789abcdef";
// The two hex digits of every byte value, as the u16 that stores them in order (little-endian).
const hexPairs = new StaticArray<u16>(256);
for (let i = 0; i < 256; i++) hexPairs[i] = <u16>(HEX.charCodeAt(i >> 4) | (HEX.charCodeAt(i & 15) << 8));
const HEX_PAIRS = changetype<usize>(hexPairs);

export function hex(ptr: usize, len: u32): void {
  ensure(len << 1);
  const out = outPtr + outLen;
  for (let i: usize = 0; i < len; i++) {
    store<u16>(out + (i << 1), load<u16>(HEX_PAIRS + (<usize>load<u8>(ptr + i) << 1)));
  }
  outLen += len << 1;
}

export function dec(v: u64): void { ascii(v.toString()); }

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
