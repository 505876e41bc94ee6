import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { DATA, data, expected } from "../data.js";
import { decode, render, locate, DecodeError } from "../../hosts/js/decode.js";
import { FORMATS } from "../../hosts/js/formats.js";

// decode() builds its value from the core's result table; render() prints the core's JSON. They
// must agree exactly (same values, same key order) on every input, valid or not.

function corpus(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? corpus(p) : [relative(DATA, p)];
  }).filter((f) => f !== "MANIFEST.md" && f !== "expected.json").sort();
}
const FILES = corpus(DATA);

/** decode() equals JSON.parse of the core's pretty JSON, or throws the error the core renders. */
function agrees(bytes, opts, label) {
  const { ok, text } = render(bytes, "pretty", opts);
  const want = JSON.parse(text);
  let got;
  try {
    got = decode(bytes, opts);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    assert.not.ok(ok, `${label}: render decoded it, decode threw ${e.message}`);
    assert.equal(e.toJSON(), want, label);
    return false;
  }
  assert.ok(ok, `${label}: render failed, decode returned a value`);
  assert.equal(got, want, label);
  // dequal ignores key order; the printed forms do not.
  assert.is(JSON.stringify(got), JSON.stringify(want), label);
  return true;
}

test("the corpus is there to compare on", () => {
  assert.ok(FILES.length > 100, `${FILES.length} files`);
});

test("every corpus file: decode() == JSON.parse(core pretty JSON), auto-detected", () => {
  const decoded = new Set(FILES.filter((f) => agrees(data(f), undefined, f)));
  // Every file whose values the collector observed (expected.json) is evidence that must decode,
  // except bare CCA claims-sets, which only decode under their explicit format (next test).
  const observed = Object.keys(expected).filter((f) => !expected[f].format?.endsWith("-claims"));
  assert.ok(observed.length > 45, `${observed.length} files in expected.json`);
  assert.equal(observed.filter((f) => !decoded.has(f)), []);
});

test("every corpus file under every explicit format: same value or same error", () => {
  for (const f of FILES) {
    const bytes = data(f);
    for (const format of Object.keys(FORMATS)) agrees(bytes, { format }, `${f} as ${format}`);
  }
});

test("PEM text with bytes 0x80-0xff reads as U+0080-U+00FF, as the core's JSON escapes them", () => {
  const b = Uint8Array.from(data("tdx/go-tdx-guest-quote-v4-spr-e4.dat"));
  const pem = Buffer.from(b).indexOf("-----BEGIN CERTIFICATE-----") + 40;
  b.set([0x80, 0x81, 0x8d, 0x9f, 0xa0, 0xff, 0x00, 0x22, 0x5c], pem);
  assert.ok(agrees(b, undefined, "patched PEM"));
  const chain = decode(b).signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain;
  assert.is(chain[0].slice(40, 49), "\x80\x81\x8d\x9f\xa0\xff\x00\"\\");
});

test("seeded corruption of quotes and TDREPORTs: decode() and render() agree on every mutant", () => {
  let seed = 0x2545f491;
  const rand = (n) => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const files = ["tdx/go-tdx-guest-quote-v5-td15.dat", "tdx/intel-qvl-sample-tdx-quote-v4.dat",
    "sgx/dcap-qvl-sgx-quote-v3.dat", "tdx/trustee-az-tdx-tdreport.dat"];
  let ok = 0, failed = 0;
  for (const f of files) {
    const orig = data(f);
    for (let i = 0; i < 150; i++) {
      const b = Uint8Array.from(orig);
      // Mostly the structure-bearing head (lengths, types), sometimes anywhere.
      const span = i % 3 ? Math.min(b.length, 1400) : b.length;
      for (let k = 1 + rand(3); k > 0; k--) b[rand(span)] = rand(256);
      if (agrees(b, undefined, `${f} mutant ${i}`)) ok++; else failed++;
    }
  }
  assert.ok(ok > 0 && failed > 0, `${ok} decoded, ${failed} rejected`);
});

test("values built from the table keep their JS types: numbers, decimal u64 strings, booleans", () => {
  const q = decode(data("tdx/go-tdx-guest-quote-v4-spr-e4.dat"));
  assert.type(q.header.version, "number");
  assert.type(q.header.qeVendorId, "string");
  assert.is(q.header.qeVendorId, "939a7233f79c4ca9940a0db3957f0607");
  assert.ok(Array.isArray(q.signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain));
});

test("u64 above 2^53 stays exact (SNP reported TCB with a high microcode byte)", () => {
  const bytes = data("snp/oak-report-v5-turin.bin");
  const [at, len] = locate(bytes).get("reportedTcb.raw");
  assert.is(len, 8);
  const exact = new DataView(bytes.buffer, bytes.byteOffset + at, 8).getBigUint64(0, true);
  assert.ok(exact > 2n ** 53n, "the sample must exercise the BigInt path");
  assert.is(decode(bytes).reportedTcb.raw, exact.toString());
});

test("a 200 KB certificate (hex larger than the output region) decodes to the rendered JSON", () => {
  // One VCEK entry, the all-zero terminator, then the certificate bytes (section 5 layout).
  const certLen = 200_000;
  const table = new Uint8Array(48 + certLen);
  table.set(Buffer.from("63da758de6644564adc5f4b93be8accd", "hex"), 0);
  const dv = new DataView(table.buffer);
  dv.setUint32(16, 48, true);
  dv.setUint32(20, certLen, true);
  for (let i = 48; i < table.length; i++) table[i] = (i * 7) & 0xff;
  const obj = decode(table, { format: "snp-certs" });
  assert.is(obj.entries[0].kind, "VCEK");
  assert.is(obj.entries[0].certificate.length, certLen * 2);
  assert.equal(obj, JSON.parse(render(table, "pretty", { format: "snp-certs" }).text));
});

test.run();
