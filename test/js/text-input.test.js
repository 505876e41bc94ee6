// Evidence pasted as text (hosts/js/text-input.js): every corpus evidence file, written out the
// ways people paste it, decodes back to exactly its bytes; the binary files themselves are never
// taken for text; text that is neither hex nor base64 says why.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { data, expected } from "../data.js";
import { decodeTextInput, textHint } from "../../hosts/js/text-input.js";
import { decode } from "../../hosts/js/decode.js";

const FILES = Object.keys(expected);
const ascii = (s) => new TextEncoder().encode(s);
const wrap = (s, n, eol = "\n") => s.replace(new RegExp(`(.{${n}})`, "g"), `$1${eol}`);

// The ways hex and base64 reach a support engineer: as printed, wrapped, prefixed, re-cased.
const PASTES = {
  hex: [
    (b) => b.toString("hex"),
    (b) => `0x${b.toString("hex")}\n`,
    (b) => wrap(b.toString("hex").toUpperCase(), 64),
    (b) => `  0X${wrap(b.toString("hex"), 32, "\r\n\t")}  `,
    (b) => b.toString("hex").replace(/(..)/g, "$1 "), // byte-spaced, as hexdump-ish tools print
  ],
  base64: [
    (b) => b.toString("base64"),
    (b) => wrap(b.toString("base64"), 76, "\r\n"), // MIME
    (b) => wrap(b.toString("base64"), 64) + "\n", // PEM body width
    (b) => b.toString("base64url"), // unpadded, URL-safe
  ],
};

test("every corpus evidence file reads as binary, untouched", () => {
  assert.ok(FILES.length > 40);
  for (const f of FILES) {
    const b = data(f);
    const r = decodeTextInput(b);
    assert.is(r.encoding, "binary", f);
    assert.is(r.bytes, b, `${f}: the caller's bytes, not a copy`);
    assert.is(textHint(b), "", f);
  }
});

test("every corpus evidence file as hex and base64, in every paste style, decodes to its exact bytes", () => {
  for (const f of FILES) {
    const b = data(f);
    for (const [encoding, styles] of Object.entries(PASTES)) {
      styles.forEach((style, i) => {
        const r = decodeTextInput(ascii(style(b)));
        assert.is(r.encoding, encoding, `${f} ${encoding} style ${i}`);
        assert.ok(Buffer.from(r.bytes).equals(b), `${f} ${encoding} style ${i}: the same bytes`);
      });
    }
  }
});

test("a real hex paste decodes to evidence the decoder reads like the original", () => {
  // The dcap-qvl sample was published as 0x-prefixed hex (corpus file: its decoded bytes).
  const b = data("tdx/dcap-qvl-tdx-quote-hex.dat");
  const r = decodeTextInput(ascii(`0x${b.toString("hex")}`));
  assert.equal(decode(r.bytes), decode(b));
  assert.is(decode(r.bytes).format, "tdx-quote");
});

test("hex wins where both readings are valid; a UTF-8 BOM is skipped", () => {
  assert.equal(decodeTextInput(ascii("00112233")), { encoding: "hex", bytes: Uint8Array.of(0, 0x11, 0x22, 0x33) });
  const bom = Uint8Array.of(0xef, 0xbb, 0xbf, ...ascii("0x0400\n"));
  assert.equal(decodeTextInput(bom), { encoding: "hex", bytes: Uint8Array.of(4, 0) });
});

test("text that is neither says why, and the hint names what it looks like", () => {
  const rows = [
    ["0x123", /odd number of hex digits \(3\)/],
    ["0x12zz34", /not hex: "z" at digit 2 after 0x/],
    ["abcdefghi", /not valid base64 \(length or padding\)/],
    ["ab+c_d", /not valid base64/], // alphabets mixed
    ["YWJj=", /not valid base64/], // padding on a length that takes none
    ["hello, world", /neither hex nor base64/],
  ];
  for (const [text, why] of rows) {
    const r = decodeTextInput(ascii(text));
    assert.is(r.encoding, "text", text);
    assert.match(r.why, why, text);
    assert.match(textHint(ascii(text)), /^this looks like text, not binary evidence \(/);
  }
  assert.is(textHint(ascii("0a0b")), "this looks like hex text");
  assert.is(textHint(ascii("YWJj")), "this looks like base64 text");
  assert.is(decodeTextInput(new Uint8Array(0)).encoding, "binary", "empty input is left to the decoder (TRUNCATED)");
  assert.is(decodeTextInput(ascii("0a\x000b")).encoding, "binary", "a NUL is not text");
});

test.run();
