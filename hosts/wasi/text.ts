// Parsing command-line text in the guest: hex bytes and non-negative integers.

/** Hex text (whitespace and a 0x prefix allowed) -> bytes, or null if it is not hex. */
export function parseHex(s: string): Uint8Array | null {
  let t = s.startsWith("0x") || s.startsWith("0X") ? s.slice(2) : s;
  let clean = "";
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) continue;
    clean += String.fromCharCode(c);
  }
  if (clean.length & 1) return null;
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(clean.charCodeAt(2 * i)), lo = nibble(clean.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = <u8>((hi << 4) | lo);
  }
  return out;
}

function nibble(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Decimal digits -> value (saturating at 2^62), or -1 if not a non-negative integer. */
export function parseUint(s: string): i64 {
  if (s.length == 0) return -1;
  let v: i64 = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
    if (v > (<i64>1 << 62)) v = <i64>1 << 62;
  }
  return v;
}
