// The strict DER reader on real certificates and CRLs: every one in the corpus reads cleanly, and
// each encoding rule rejects a real certificate changed to break just that rule (the bytes a
// lenient reader would still accept), naming the byte where it broke.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DATA, data } from "../data.js";
import { readCertificate, readCrl } from "../../hosts/js/verify/certinfo.js";
import { DerError, checkStrict, ecdsaSignature, root, tlv } from "../../hosts/js/verify/der.js";
import { parseCertificates, parseCrl } from "../../hosts/js/verify/x509.js";

const I = "collateral/intel/", A = "collateral/amd/";
const files = (dir) => readdirSync(join(DATA, dir)).map((f) => dir + f);

test("every certificate and CRL in the corpus is strict DER", () => {
  let certs = 0, crls = 0;
  for (const f of [...files(I), ...files(A), ...files("snp/")]) {
    if (/crl/.test(f) && !/chain/.test(f)) {
      const info = readCrl(new Uint8Array(parseCrl(data(f)).rawData));
      assert.is(info.problem, null, f);
      crls++;
    } else if (/\.(pem|der)$/.test(f)) {
      for (const c of parseCertificates(data(f))) {
        assert.is(readCertificate(new Uint8Array(c.rawData)).problem, null, f);
        certs++;
      }
    }
  }
  assert.ok(certs >= 60 && crls >= 10, `${certs} certificates, ${crls} CRLs`);
});

// The Intel SGX PCK Platform CA (DER, 666 bytes): 30 82 02 96 | 30 82 02 3d (tbs) | a0 03 02 01 02 (v3) ...
const CA = new Uint8Array(data(`${I}automata-dcap-pck-platform-ca.der`));
const patched = (edits) => { const b = CA.slice(); for (const [at, v] of edits) b[at] = v; return b; };

test("a real certificate's fields where the rules below patch them", () => {
  assert.equal([...CA.subarray(0, 13)], [0x30, 0x82, 0x02, 0x96, 0x30, 0x82, 0x02, 0x3d, 0xa0, 0x03, 0x02, 0x01, 0x02]);
});

for (const [name, bytes, says] of [
  ["bytes after the certificate", Uint8Array.from([...CA, 0]), "1 bytes after the DER value"],
  ["indefinite length", patched([[5, 0x80]]), "indefinite length"],
  ["long-form length for a short value (the version INTEGER 02 01 02 as 02 81 01 02)", (() => {
    const b = Uint8Array.from([...CA.subarray(0, 11), 0x81, ...CA.subarray(11)]);
    b[9] = 0x04; b[7] += 1; b[3] += 1; // one more byte in the version wrapper, the TBS and the certificate
    return b;
  })(), "long-form length for a short value"],
  ["version v1 encoded explicitly", patched([[12, 0x00]]), "version v1 encoded explicitly"],
  ["an INTEGER with a redundant leading zero", patched([[12, 0x02]]), null],
]) {
  test(`rejects: ${name}`, () => {
    const info = readCertificate(bytes);
    if (says === null) { assert.is(info.problem, null, "control: a legal change reads"); return; }
    assert.instance(info.problem, DerError);
    assert.match(info.problem.message, says);
    assert.ok(Number.isInteger(info.problem.offset));
  });
}

test("rejects: high-tag-number identifiers and overruns, at their byte", () => {
  assert.throws(() => tlv(Uint8Array.of(0x1f, 0x01, 0x00), 0, 3), (e) => e instanceof DerError && /high-tag-number/.test(e.message));
  assert.throws(() => root(Uint8Array.of(0x30, 0x05, 0x02, 0x01)), (e) => e instanceof DerError && /runs past/.test(e.message));
  assert.throws(() => root(Uint8Array.of(0x30, 0x82, 0x00, 0x01, 0x05)), (e) => e instanceof DerError && e.offset === 1);
  assert.throws(() => checkStrict(Uint8Array.of(0x01, 0x01, 0x01)), (e) => e instanceof DerError && /BOOLEAN/.test(e.message));
  assert.throws(() => checkStrict(Uint8Array.of(0x02, 0x02, 0x00, 0x01)), (e) => e instanceof DerError && /shortest form/.test(e.message));
});

test("ECDSA signature values: r and s must fill their SEQUENCE exactly, positive and minimal", () => {
  const good = Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02);
  assert.equal([...ecdsaSignature(good, 32)].filter(Boolean), [1, 2]);
  for (const [bad, why] of [
    [Uint8Array.of(0x30, 0x05, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02), "runs past|bytes after"], // the case: a SEQUENCE shorter than its contents
    [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), "not r and s"],
    [Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x02), "negative"],
    [Uint8Array.of(0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x02), "shortest form"],
    [Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x02), "zero"],
  ]) assert.throws(() => ecdsaSignature(bad, 32), (e) => e instanceof DerError && new RegExp(why).test(e.message), why);
});

test.run();
