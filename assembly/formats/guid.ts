// GUIDs, in the core's two byte orders. RFC 4122 order (the bytes read as the text does) is how
// the SNP certificate table stores its GUIDs (spec section 5); the kernel's guid_t keeps the first
// three groups little-endian (guid_parse, include/linux/uuid.h), which is how configfs-tsm stores
// service_guid. Text is always 8-4-4-4-12 hex digits (uuid_is_valid).

/** The value of hex digit c (either case), or -1. */
export function hexDigit(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return <i32>l - 0x61 + 10;
  return -1;
}

/** Whether c may stand at position i of GUID text: a hyphen at 8, 13, 18 and 23, a hex digit elsewhere. */
export function guidCharOk(i: i32, c: u32): bool {
  return i == 8 || i == 13 || i == 18 || i == 23 ? c == 0x2d : hexDigit(c) >= 0;
}

/** Whether s is 36 characters of GUID text. */
export function isGuidText(s: string): bool {
  if (s.length != 36) return false;
  for (let i = 0; i < 36; i++) if (!guidCharOk(i, s.charCodeAt(i))) return false;
  return true;
}

// Text byte pair k starts at TEXT_POS[k]; in a guid_t it lands at byte GUID_INDEX[k].
const TEXT_POS: u8[] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const GUID_INDEX: u8[] = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

/** Where text byte pair k of a GUID stands in a guid_t (EFI_GUID). */
export function guidTextIndex(k: i32): i32 { return <i32>GUID_INDEX[k]; }

/** The 16 bytes of valid GUID text in RFC 4122 order. */
export function uuidBytes(text: string): StaticArray<u8> {
  const out = new StaticArray<u8>(16);
  for (let k = 0; k < 16; k++) {
    const p = <i32>TEXT_POS[k];
    out[k] = <u8>((hexDigit(text.charCodeAt(p)) << 4) | hexDigit(text.charCodeAt(p + 1)));
  }
  return out;
}

/** The page byte at i, or 0 past the end (configfs NUL-terminates the page). */
@inline function at(page: Uint8Array, i: i32): u32 { return i < page.length ? <u32>page[i] : 0; }

/** uuid_is_valid + guid_parse on the first 36 characters of a page into a guid_t; the rest is ignored. */
export function guidParse(page: Uint8Array, out: Uint8Array): bool {
  for (let i = 0; i < 36; i++) if (!guidCharOk(i, at(page, i))) return false;
  for (let k = 0; k < 16; k++) {
    const p = <i32>TEXT_POS[k];
    out[GUID_INDEX[k]] = <u8>((hexDigit(at(page, p)) << 4) | hexDigit(at(page, p + 1)));
  }
  return true;
}

/** The 36-character lowercase text of a guid_t (inverse of guidParse). */
export function guidText(g: Uint8Array): string {
  const HEX = "0123456789abcdef";
  let s = "";
  for (let k = 0; k < 16; k++) {
    if (k == 4 || k == 6 || k == 8 || k == 10) s += "-";
    const b = <u32>g[GUID_INDEX[k]];
    s += HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  return s;
}
