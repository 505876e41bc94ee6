import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash, webcrypto } from "node:crypto";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DATA, data, expected } from "../data.js";
import { decode, decodeQuote, locate, layouts, DecodeError } from "../../hosts/js/decode.js";

// dcap-qvl is the independent parser we compare against; its EnclaveReport decodes QE reports.
const require = createRequire(import.meta.url);
const { Quote, EnclaveReport, BinaryReader } = require("@phala/dcap-qvl/src/quote.js");

const hex = (b) => Buffer.from(b).toString("hex");

// The corpus's quotes: every tdx/ or sgx/ file that expected.json gives a quote version, checked
// against the per-kind counts MANIFEST.md states so a file can't silently drop out.
const QUOTES = Object.keys(expected).filter((f) => /^(tdx|sgx)\//.test(f) && expected[f].version !== undefined).sort();
const manifest = readFileSync(join(DATA, "MANIFEST.md"), "utf8");
const kindCount = (k) => Number(new RegExp(`\\b${k}=(\\d+)`).exec(manifest)[1]);

const V4 = "tdx/go-tdx-guest-quote-v4-spr-e4.dat"; // 39 non-zero trailing bytes
const V5 = "tdx/go-tdx-guest-quote-v5-td15.dat";
const V3 = "sgx/dcap-qvl-sgx-quote-v3.dat";

/** QE report certification data: inline in v3, inside certification data type 6 in v4/v5. */
const qeData = (q) => q.signatureData.qeReportCertificationData ?? q.signatureData.certificationData.qeReportCertificationData;

function expectError(bytes, code, field, offset) {
  try {
    decodeQuote(bytes);
  } catch (e) {
    assert.instance(e, DecodeError);
    assert.is(e.code, code, e.message);
    assert.is(e.format, "quote");
    if (field !== undefined) assert.is(e.field, field, e.message);
    if (offset !== undefined) assert.is(e.offset, offset, e.message);
    return e;
  }
  assert.unreachable(`decoded, expected ${code}`);
}

function patched(file, edits) {
  const b = Uint8Array.from(data(file));
  const v = new DataView(b.buffer);
  for (const [off, size, value] of edits) {
    if (size === 1) v.setUint8(off, value);
    else if (size === 2) v.setUint16(off, value, true);
    else v.setUint32(off, value, true);
  }
  return b;
}

test("the corpus lists every quote MANIFEST.md counts", () => {
  assert.is(QUOTES.filter((f) => f.startsWith("tdx/")).length, kindCount("tdxquote"));
  assert.is(QUOTES.filter((f) => f.startsWith("sgx/")).length, kindCount("sgxquote"));
});

for (const file of QUOTES) {
  test(`${file} decodes (auto-detected) and matches expected.json`, () => {
    const want = expected[file];
    const bytes = data(file);
    const q = decode(bytes);
    assert.is(q.format, want.tee_type === 0x81 ? "tdx-quote" : "sgx-quote");
    assert.is(q.header.version, want.version);
    assert.is(q.header.teeType, want.tee_type);
    assert.is(q.header.attestationKeyType, 2);
    assert.is(q.header.qeSvn, want.qe_svn_at_offset_8);
    assert.is(q.header.pceSvn, want.pce_svn_at_offset_10);
    assert.is(q.quoteLength, want.quote_length);
    assert.is(bytes.length, want.file_length);
    assert.is(q.body.reportData, want.report_data);
    if (want.tee_type === 0x81) {
      assert.is(q.body.bodyType, want.td_body);
      assert.is(q.body.mrTd, want.mr_td);
      assert.is(q.body.teeTcbSvn, want.tee_tcb_svn);
      assert.is(q.body.tdAttributes, want.td_attributes);
      assert.is(q.body.xfam, want.xfam);
      assert.is(q.body.teeTcbSvn2, want.tee_tcb_svn2); // undefined for TD1.0 on both sides
      assert.is(q.bodyDescriptor !== undefined, want.version === 5);
    } else {
      assert.is(q.body.bodyType, "SGX");
      assert.is(q.body.mrEnclave, want.mr_enclave);
      assert.is(q.body.mrSigner, want.mr_signer);
    }
    const qe = qeData(q);
    if (want.cert_data_type !== undefined) assert.is(q.signatureData.certificationData.type, want.cert_data_type);
    if (want.inner_cert_data_type !== undefined) assert.is(qe.certificationData.type, want.inner_cert_data_type);
    assert.is(qe.qeReport.isvProdId, want.qe_report.isv_prod_id);
    assert.is(qe.qeReport.isvSvn, want.qe_report.isv_svn);
    // Types 1-3 carry the PCK identity in the quote itself.
    if (want.pck && qe.certificationData.type <= 3) {
      assert.is(qe.certificationData.cpuSvn, want.pck.cpusvn);
      assert.is(qe.certificationData.pceSvn, want.pck.pcesvn);
    }
  });

  test(`${file} matches @phala/dcap-qvl Quote.parse field by field`, () => {
    const bytes = data(file);
    const q = decodeQuote(bytes);
    const r = Quote.parse(bytes);
    const h = r.header;
    assert.equal(
      [q.header.version, q.header.attestationKeyType, q.header.teeType, q.header.qeSvn, q.header.pceSvn, q.header.qeVendorId, q.header.userData],
      [h.version, h.attestationKeyType, h.teeType, h.qeSvn, h.pceSvn, hex(h.qeVendorId), hex(h.userData)],
    );
    const b = q.body;
    if (r.report.isSgx()) {
      const s = r.report.asSgx();
      assert.equal(
        [b.cpuSvn, b.miscSelect, b.attributes, b.mrEnclave, b.mrSigner, b.isvProdId, b.isvSvn, b.reportData],
        [hex(s.cpuSvn), s.miscSelect, hex(s.attributes), hex(s.mrEnclave), hex(s.mrSigner), s.isvProdId, s.isvSvn, hex(s.reportData)],
      );
    } else {
      const t = r.report.asTd10();
      const names = ["teeTcbSvn", "mrSeam", "mrSignerSeam", "seamAttributes", "tdAttributes", "xfam", "mrTd",
        "mrConfigId", "mrOwner", "mrOwnerConfig", "reportData"];
      for (const n of names) assert.is(b[n], hex(t[n]), n);
      for (let i = 0; i < 4; i++) assert.is(b[`rtmr${i}`], hex(t[`rtMr${i}`]), `rtmr${i}`);
      const t15 = r.report.asTd15();
      assert.is(b.bodyType, t15 ? "TD1.5" : "TD1.0");
      if (t15) {
        assert.is(b.teeTcbSvn2, hex(t15.teeTcbSvn2));
        assert.is(b.mrServiceTd, hex(t15.mrServiceTd));
      }
    }
    const a = r.authData.intoV3();
    const sd = q.signatureData;
    assert.is(sd.quoteSignature, hex(a.ecdsaSignature));
    assert.is(sd.attestationKey, hex(a.ecdsaAttestationKey));
    const qe = qeData(q);
    const rep = EnclaveReport.decode(new BinaryReader(a.qeReport));
    assert.equal(
      [qe.qeReport.cpuSvn, qe.qeReport.miscSelect, qe.qeReport.attributes, qe.qeReport.mrEnclave, qe.qeReport.mrSigner,
        qe.qeReport.isvProdId, qe.qeReport.isvSvn, qe.qeReport.reportData],
      [hex(rep.cpuSvn), rep.miscSelect, hex(rep.attributes), hex(rep.mrEnclave), hex(rep.mrSigner),
        rep.isvProdId, rep.isvSvn, hex(rep.reportData)],
    );
    assert.is(qe.qeReportSignature, hex(a.qeReportSignature));
    assert.is(qe.qeAuthData.data, hex(a.qeAuthData));
    assert.is(qe.qeAuthData.size, a.qeAuthData.length);
    assert.is(qe.certificationData.type, a.certificationData.certType);
    assert.is(qe.certificationData.size, a.certificationData.body.length);
    if (r.authData.version === 4) assert.is(sd.certificationData.type, r.authData.data.certificationData.certType);
    // Certificates lie in dcap-qvl's certification data body, in order, each one found once.
    const certs = qe.certificationData.pckCertChain;
    if (certs) {
      const body = Buffer.from(a.certificationData.body);
      let at = 0;
      for (const c of certs) {
        const cert = qe.certificationData.encoding === "PEM" ? Buffer.from(c, "latin1") : Buffer.from(c, "hex");
        const i = body.indexOf(cert, at);
        assert.ok(i >= at, "certificate not found in order");
        at = i + cert.length;
      }
    }
  });

  test(`${file}: located regions are the signed ones (quote signature, QE report binding)`, async () => {
    const bytes = data(file);
    const q = decodeQuote(bytes);
    const map = locate(bytes);
    const [sigOff, sigLen] = map.get("signatureData");
    assert.is(sigOff + sigLen, q.quoteLength);
    const [bodyOff, bodyLen] = map.get("body");
    assert.is(bodyOff + bodyLen, sigOff - 4);
    const key = await webcrypto.subtle.importKey("raw", Buffer.concat([Buffer.from([4]), Buffer.from(q.signatureData.attestationKey, "hex")]),
      { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    const ok = await webcrypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key,
      Buffer.from(q.signatureData.quoteSignature, "hex"), bytes.subarray(0, sigOff - 4));
    assert.ok(ok, "quote signature does not verify over the located signed region");
    // QE report data = SHA-256(attestation key || QE auth data): both taken by located extents.
    const prefix = map.has("signatureData.qeReportCertificationData") ? "signatureData.qeReportCertificationData"
      : "signatureData.certificationData.qeReportCertificationData";
    const at = (p) => { const [o, l] = map.get(p); return bytes.subarray(o, o + l); };
    const digest = createHash("sha256").update(at("signatureData.attestationKey")).update(at(`${prefix}.qeAuthData.data`)).digest();
    assert.is(hex(at(`${prefix}.qeReport.reportData`).subarray(0, 32)), hex(digest));
    assert.is(at(`${prefix}.qeReport`).length, 384);
  });
}

test("the Intel QVL sample TDX quote's concatenated DER chain is three HEX certificates, root first", () => {
  const q = decodeQuote(data("tdx/intel-qvl-sample-tdx-quote-v4.dat"));
  const cd = qeData(q).certificationData;
  assert.is(cd.encoding, "DER");
  assert.is(cd.pckCertChain.length, 3);
  for (const c of cd.pckCertChain) assert.ok(c.startsWith("30820"), c.slice(0, 8));
  assert.is(cd.pckCertChain.reduce((n, c) => n + c.length / 2, 0), cd.size); // no padding in this one
});

test("PEM chains split into one certificate per entry", () => {
  const cd = qeData(decodeQuote(data(V4))).certificationData;
  assert.is(cd.encoding, "PEM");
  assert.is(cd.pckCertChain.length, 3);
  for (const c of cd.pckCertChain) {
    assert.ok(c.startsWith("-----BEGIN CERTIFICATE-----\n"));
    assert.ok(c.endsWith("-----END CERTIFICATE-----"));
    assert.is(c.match(/BEGIN/g).length, 1);
  }
});

test("the SGX v3 sample's cert type 1 (PPID without PCEID) decodes its PCK identity", () => {
  const cd = qeData(decodeQuote(data("sgx/intel-qvl-sample-sgx-quote-v3.dat"))).certificationData;
  assert.is(cd.type, 1);
  assert.is(cd.size, 34);
  assert.is(cd.ppid.length, 32);
  assert.is(cd.pceSvn, 3);
  assert.is(cd.pceId, undefined);
});

test("tdReport15 is tdReport10 plus teeTcbSvn2 and mrServiceTd", () => {
  const l = layouts();
  assert.is(l.tdReport10.size, 584);
  assert.is(l.tdReport15.size, 648);
  assert.is(l.sgxReportBody.size, 384);
  assert.is(l.quoteHeader.size, 48);
  const { size: _a, ...td10 } = l.tdReport10;
  const { size: _b, teeTcbSvn2, mrServiceTd, ...rest } = l.tdReport15;
  assert.equal(rest, td10);
  assert.equal([teeTcbSvn2, mrServiceTd], [[584, 16], [600, 48]]);
});

test("SGX bodies in v4 and v5 quotes (rebuilt from a v3 quote) decode like dcap-qvl reads them", () => {
  // v4/v5 wrap what v3 holds inline after the attestation key in certification data type 6.
  const v3 = data(V3);
  const sigStart = 48 + 384 + 4;
  const qeTail = v3.subarray(sigStart + 128, sigStart + v3.readUInt32LE(48 + 384));
  const u16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
  const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
  const sigData = Buffer.concat([v3.subarray(sigStart, sigStart + 128), u16(6), u32(qeTail.length), qeTail]);
  const header = (version) => Buffer.concat([u16(version), v3.subarray(2, 48)]);
  const body = v3.subarray(48, 48 + 384);
  const v4 = Buffer.concat([header(4), body, u32(sigData.length), sigData]);
  const v5 = Buffer.concat([header(5), u16(1), u32(384), body, u32(sigData.length), sigData]);
  const want = decodeQuote(v3);
  for (const [bytes, version] of [[v4, 4], [v5, 5]]) {
    const q = decode(bytes);
    assert.is(q.format, "sgx-quote");
    assert.is(q.header.version, version);
    assert.equal(q.body, want.body);
    assert.equal(qeData(q), qeData(want));
    assert.is(q.signatureData.certificationData.type, 6);
    assert.is(q.quoteLength, bytes.length);
    const r = Quote.parse(bytes);
    assert.ok(r.report.isSgx());
    assert.is(q.body.mrEnclave, hex(r.report.asSgx().mrEnclave));
    assert.is(qeData(q).qeReportSignature, hex(r.authData.intoV3().qeReportSignature));
  }
});

/** V4 with its inner (PCK) certification data replaced, outer sizes adjusted to match. */
function withInnerCertData(type, payload) {
  const b = data(V4);
  const m = locate(b);
  const [innerOff] = m.get("signatureData.certificationData.qeReportCertificationData.certificationData");
  const [outerOff] = m.get("signatureData.certificationData");
  const [sigOff] = m.get("signatureData");
  const head = Buffer.from(b.subarray(0, innerOff));
  const inner = Buffer.alloc(6);
  inner.writeUInt16LE(type, 0);
  inner.writeUInt32LE(payload.length, 2);
  const out = Buffer.concat([head, inner, payload]);
  out.writeUInt32LE(out.length - outerOff - 6, outerOff + 2);
  out.writeUInt32LE(out.length - sigOff, sigOff - 4);
  return out;
}

test("certification data types 1-4 and 7 in a v4 quote", () => {
  const inner = (b) => qeData(decodeQuote(b)).certificationData;
  const chain = qeData(decodeQuote(data(V4))).certificationData.pckCertChain;
  const tail = Buffer.from("0102030405060708090a0b0c0d0e0f10" + "0b00" + "0000", "hex"); // CPUSVN, PCESVN 11, PCEID
  const ppid = (n) => Buffer.alloc(n, 0xab);

  let cd = inner(withInnerCertData(1, Buffer.concat([ppid(16), tail])));
  assert.equal([cd.type, cd.ppid, cd.cpuSvn, cd.pceSvn, cd.pceId], [1, "ab".repeat(16), "0102030405060708090a0b0c0d0e0f10", 11, "0000"]);
  for (const [type, n] of [[2, 256], [3, 384]]) {
    cd = inner(withInnerCertData(type, Buffer.concat([ppid(n), tail])));
    assert.equal([cd.type, cd.encryptedPpid, cd.pceSvn, cd.pceId], [type, "ab".repeat(n), 11, "0000"]);
  }
  expectError(withInnerCertData(3, Buffer.concat([ppid(256), tail])), "BAD_LENGTH",
    "signatureData.certificationData.qeReportCertificationData.certificationData.size");

  cd = inner(withInnerCertData(4, Buffer.from(chain[0] + "\n\0", "latin1")));
  assert.equal([cd.type, cd.encoding, cd.pckCert], [4, "PEM", chain[0]]);
  expectError(withInnerCertData(4, Buffer.from(chain[0] + "\n" + chain[1], "latin1")), "BAD_VALUE",
    "signatureData.certificationData.qeReportCertificationData.certificationData.pckCert");

  cd = inner(withInnerCertData(7, Buffer.from("manifest")));
  assert.equal([cd.type, cd.platformManifest], [7, Buffer.from("manifest").toString("hex")]);

  expectError(withInnerCertData(5, Buffer.alloc(8)), "BAD_VALUE",
    "signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain");
  expectError(withInnerCertData(5, Buffer.from("not a certificate")), "BAD_VALUE",
    "signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain.0");
});

// ---- go-tdx-guest's parse-level tamper recipes, and the like ---------------------------------

test("version byte 3 on a TDX quote: a v3 quote must be SGX", () => {
  expectError(patched(V4, [[0, 1, 3]]), "UNSUPPORTED_TYPE", "header.teeType", 4);
});

test("unknown versions are rejected, never guessed", () => {
  for (const v of [0, 1, 2, 6, 0x104]) {
    const e = expectError(patched(V4, [[0, 2, v]]), "UNSUPPORTED_VERSION", "header.version", 0);
    assert.is(e.detail, `unsupported quote version ${v}`);
  }
});

test("attestation key type other than ECDSA P-256 and unknown TEE types are UNSUPPORTED_TYPE", () => {
  expectError(patched(V4, [[2, 2, 3]]), "UNSUPPORTED_TYPE", "header.attestationKeyType", 2);
  expectError(patched(V4, [[4, 4, 0x80]]), "UNSUPPORTED_TYPE", "header.teeType", 4);
});

test("byte 0x278 = 0x10 (signature data length) leaves no room for the certification data", () => {
  // The u32 length sits at 48 + 584 = 0x278; certification data size is at 0x278 + 4 + 128 + 2.
  expectError(patched(V4, [[0x278, 1, 0x10]]), "BAD_LENGTH", "signatureData.certificationData.size", 0x2fe);
});

test("a signature data length past the quote's certification data is BAD_LENGTH; past the input, TRUNCATED", () => {
  const q = decodeQuote(data("tdx/go-tdx-guest-cos113-quote-v4.dat")); // zero padded to 8000 bytes
  const longer = q.signatureData.length + 16;
  expectError(patched("tdx/go-tdx-guest-cos113-quote-v4.dat", [[0x278, 4, longer]]), "BAD_LENGTH", "signatureData.certificationData.size");
  expectError(patched("tdx/go-tdx-guest-cos113-quote-v4.dat", [[0x278, 4, 9000]]), "TRUNCATED", "signatureData", 0x27c);
  expectError(patched(V4, [[0x278, 4, 100]]), "BAD_LENGTH", "signatureData.length", 0x278);
});

test("v5 body descriptor: type 1 in a TDX quote, unknown type, size 999, type 2 with a 648-byte body", () => {
  expectError(patched(V5, [[48, 2, 1]]), "UNSUPPORTED_TYPE", "bodyDescriptor.type", 48);
  expectError(patched(V5, [[48, 2, 9]]), "UNSUPPORTED_TYPE", "bodyDescriptor.type", 48);
  let e = expectError(patched(V5, [[50, 4, 999]]), "BAD_LENGTH", "bodyDescriptor.size", 50);
  assert.match(e.detail, /999/);
  e = expectError(patched(V5, [[48, 2, 2]]), "BAD_LENGTH", "bodyDescriptor.size", 50);
  assert.match(e.detail, /648.*584/);
});

test("truncation to 100 bytes is TRUNCATED in the body", () => {
  expectError(data(V5).subarray(0, 100), "TRUNCATED", "body", 54);
  expectError(data(V4).subarray(0, 100), "TRUNCATED", "body", 48);
});

test("nested sizes: QE auth data and inner certification data must fit their parent", () => {
  const q = decodeQuote(data(V4));
  const m = locate(data(V4));
  const [authOff] = m.get("signatureData.certificationData.qeReportCertificationData.qeAuthData");
  expectError(patched(V4, [[authOff, 2, 0xffff]]), "BAD_LENGTH",
    "signatureData.certificationData.qeReportCertificationData.qeAuthData.size", authOff);
  const [innerOff] = m.get("signatureData.certificationData.qeReportCertificationData.certificationData");
  const inner = qeData(q).certificationData.size;
  expectError(patched(V4, [[innerOff + 2, 4, inner + 1]]), "BAD_LENGTH",
    "signatureData.certificationData.qeReportCertificationData.certificationData.size", innerOff + 2);
  expectError(patched(V4, [[innerOff, 2, 6]]), "UNSUPPORTED_TYPE",
    "signatureData.certificationData.qeReportCertificationData.certificationData.type", innerOff);
  expectError(patched(V4, [[innerOff, 2, 8]]), "UNSUPPORTED_TYPE");
  // A PEM chain with a broken END marker names the certificate.
  const [chainOff] = m.get("signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain.2");
  const bad = Uint8Array.from(data(V4));
  const end = Buffer.from(bad).indexOf("-----END", chainOff);
  bad[end + 5] = 0x58;
  expectError(bad, "BAD_VALUE", "signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain.2", chainOff);
});

// ---- robustness --------------------------------------------------------------------------------

for (const file of [V4, V5, V3, "tdx/go-tdx-guest-cos113-quote-v4.dat"]) {
  test(`${file}: every truncation inside the quote is a typed error, inside the padding it decodes`, () => {
    const full = data(file);
    const { quoteLength } = decodeQuote(full);
    for (let n = 0; n < full.length; n++) {
      const cut = full.subarray(0, n);
      if (n >= quoteLength) {
        assert.is(decodeQuote(cut).quoteLength, quoteLength);
        continue;
      }
      try {
        decodeQuote(cut);
        assert.unreachable(`length ${n} decoded`);
      } catch (e) {
        assert.instance(e, DecodeError, `length ${n}: ${e.message}`);
        assert.is(e.code, "TRUNCATED", `length ${n}: ${e.message}`);
      }
      // Detection needs only the 48-byte header, so auto-detect says TRUNCATED too.
      if (n >= 48) {
        try {
          decode(cut);
          assert.unreachable(`length ${n} decoded`);
        } catch (e) {
          assert.is(e.code, "TRUNCATED", `auto, length ${n}: ${e.message}`);
          assert.is(e.format, "quote");
        }
      }
    }
  });
}

/** Byte offsets of every length, size, type and version field of a quote (where corruption bites). */
function structuralOffsets(bytes) {
  const out = [];
  for (const [path, [off, len]] of locate(bytes)) {
    if (/(^|\.)(version|attestationKeyType|teeType|type|size|length)$/.test(path)) {
      for (let i = 0; i < len; i++) out.push(off + i);
    }
  }
  return out;
}

test("random byte corruption never traps (seeded)", () => {
  let seed = 0x9e3779b9;
  const rand = () => { // xorshift32
    seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
    return seed;
  };
  const files = [V4, V5, V3, "tdx/intel-qvl-sample-tdx-quote-v4.dat", "sgx/intel-qvl-sample-sgx-quote-v3.dat"]
    .map((f) => ({ bytes: data(f), structural: structuralOffsets(data(f)) }));
  const codes = new Set();
  let decoded = 0;
  for (let i = 0; i < 4000; i++) {
    const { bytes, structural } = files[i % files.length];
    const b = Uint8Array.from(bytes);
    const flips = 1 + (rand() % 4);
    for (let k = 0; k < flips; k++) {
      // A third of the flips hit length/type fields, a third the first 1 KiB, a third anywhere.
      const where = rand() % 3;
      const at = where === 0 ? structural[rand() % structural.length] : rand() % (where === 1 ? Math.min(1024, b.length) : b.length);
      b[at] = rand() & 0xff;
    }
    try {
      decodeQuote(b);
      decoded++;
    } catch (e) {
      assert.instance(e, DecodeError, `case ${i}: ${e.message}`);
      codes.add(e.code);
    }
  }
  // Both outcomes occur, and the errors are of several kinds (the corruption reached the checks).
  assert.ok(decoded > 100 && codes.size >= 4, `decoded ${decoded}, codes ${[...codes]}`);
});

test.run();
