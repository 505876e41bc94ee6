// Evidence pasted as text. Support engineers pass quotes around as hex (often "0x"-prefixed and
// wrapped over lines) or base64; decoders want the bytes. Binary evidence never reads as such
// text: every format tsmkit decodes starts with bytes outside printable ASCII (a quote's version
// 03/04/05 00, an SNP report's 02..05 00 00 00, a TDREPORT's type 0x81), so detecting text first
// cannot misread real binary. Portable: no Node APIs, so the browser page can use it too.
import { fromHex } from "./bytes.js";

const HEX = /^(?:0x)?((?:[0-9a-f]{2})+)$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)(={0,2})$/; // one alphabet, standard or URL-safe

/** Whether every byte is printable ASCII or whitespace (tab, CR, LF). */
function isText(b) {
  if (!b.length) return false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if ((c < 0x20 || c > 0x7e) && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

function base64Bytes(s) {
  const std = s.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(std.replace(/=+$/, ""));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * What `bytes` hold, for decoders that take binary evidence:
 * - { encoding: "hex", bytes }: hex text (optional 0x, any whitespace anywhere), decoded;
 * - { encoding: "base64", bytes }: base64 text (standard or URL-safe, padding optional), decoded;
 * - { encoding: "text", bytes, why }: printable text that is neither (bytes unchanged);
 * - { encoding: "binary", bytes }: anything else (bytes unchanged).
 * Hex wins where both readings are valid ("0011" is also base64): evidence hex is far more common.
 */
export function decodeTextInput(bytes) {
  const b = bytes.subarray(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0); // UTF-8 BOM
  if (!isText(b)) return { encoding: "binary", bytes };
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  s = s.replace(/\s+/g, "");
  const hex = HEX.exec(s);
  if (hex) return { encoding: "hex", bytes: fromHex(hex[1]) };
  // "0x" announces hex: a malformed hex paste is reported as such, never read as base64.
  const announcedHex = /^0x/i.test(s);
  const b64 = BASE64.exec(s);
  if (!announcedHex && b64 && (b64[1] ? s.length % 4 === 0 : s.length % 4 !== 1)) return { encoding: "base64", bytes: base64Bytes(s) };
  return { encoding: "text", bytes, why: textWhy(s) };
}

/** Why text that looks meant as hex or base64 is neither (for error hints). */
function textWhy(s) {
  const digits = s.replace(/^0x/i, "");
  if (/^[0-9a-f]*$/i.test(digits)) return `an odd number of hex digits (${digits.length})`;
  if (/^0x/i.test(s)) {
    const at = digits.search(/[^0-9a-f]/i);
    return `not hex: "${digits[at]}" at digit ${at} after 0x (whitespace ignored)`;
  }
  if (/^[A-Za-z0-9+/_=-]*$/.test(s)) return "not valid base64 (length or padding)";
  return "neither hex nor base64";
}

/**
 * A hint for a decode failure on input that was taken as binary: "this looks like hex text" (or
 * base64, or text), or "" when the bytes do not read as text.
 */
export function textHint(bytes) {
  const { encoding, why } = decodeTextInput(bytes);
  if (encoding === "hex" || encoding === "base64") return `this looks like ${encoding} text`;
  return encoding === "text" ? `this looks like text, not binary evidence (${why})` : "";
}
