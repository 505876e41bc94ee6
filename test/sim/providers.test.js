// The simulator's evidence generators, checked with WebCrypto and @peculiar/x509 directly (not
// with tsmkit's verifier): signatures, key bindings, chains to the TEST roots, and that the
// outblobs decode with the core.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { decode, locate } from "../../hosts/js/decode.js";
import { createProvider } from "../../hosts/sim/providers/index.js";
import { SNP_CERT_GUIDS, SVSM_VTPM_GUID, NULL_GUID } from "../../hosts/sim/providers/sev.js";
import { INTEL_PLATFORM, createPki, exportPki, importPki, sharedPki } from "../../hosts/sim/pki.js";
import { writeRoots } from "../../hosts/sim/roots.js";
import { fieldOf } from "../../hosts/sim/encode.js";
import { data } from "../data.js";

x509.cryptoProvider.set(globalThis.crypto);
const subtle = globalThis.crypto.subtle;
const ES256 = { name: "ECDSA", hash: "SHA-256" };
const ES384 = { name: "ECDSA", hash: "SHA-384" };
const hex = (b) => Buffer.from(b).toString("hex");
const unhex = (h) => Uint8Array.from(Buffer.from(h, "hex"));
const digest = async (alg, ...parts) => new Uint8Array(await subtle.digest(alg, Buffer.concat(parts)));
const nonce = (seed) => Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + seed) & 0xff);
const p256 = (raw) => subtle.importKey("raw", Uint8Array.of(4, ...raw), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);

const pki = await createPki({ now: new Date("2026-01-01T00:00:00Z") });
const tdx = createProvider("tdx_guest", { pki });
const sev = createProvider("sev_guest", { pki });

async function expectCode(promise, code) {
  try {
    await promise;
  } catch (e) {
    assert.is(e.code, code);
    return e;
  }
  assert.unreachable(`expected ${code}`);
}

// ---- TDX ------------------------------------------------------------------------------------

test("TDX: a v4 TD 1.0 quote whose report data is the inblob", async () => {
  const inblob = nonce(1);
  const { outblob } = await tdx.reportNew({ inblob });
  const q = decode(outblob, { provider: "tdx_guest" });
  assert.is(q.format, "tdx-quote");
  assert.is(q.header.version, 4);
  assert.is(q.header.attestationKeyType, 2);
  assert.is(q.header.teeType, 0x81);
  assert.is(q.header.qeVendorId, "939a7233f79c4ca9940a0db3957f0607");
  assert.is(q.body.bodyType, "TD1.0");
  assert.is(q.body.reportData, hex(inblob));
  assert.is(q.body.teeTcbSvn, INTEL_PLATFORM.teeTcbSvn);
  assert.is(q.signatureData.certificationData.type, 6);
});

test("TDX: the quote signature verifies with the attestation key over header + body", async () => {
  const { outblob } = await tdx.reportNew({ inblob: nonce(2) });
  const q = decode(outblob);
  const [sigDataAt] = locate(outblob).get("signatureData");
  const signed = outblob.subarray(0, sigDataAt - 4);
  assert.is(signed.length, 48 + 584);
  const key = await p256(unhex(q.signatureData.attestationKey));
  const sig = unhex(q.signatureData.quoteSignature);
  assert.ok(await subtle.verify(ES256, key, sig, signed));
  const tampered = Uint8Array.from(signed);
  tampered[600] ^= 1; // inside report data
  assert.not.ok(await subtle.verify(ES256, key, sig, tampered));
});

test("TDX: QE report binds the attestation key and is signed by the PCK leaf, which chains to the TEST root", async () => {
  const { outblob } = await tdx.reportNew({ inblob: nonce(3) });
  const q = decode(outblob);
  const cd = q.signatureData.certificationData.qeReportCertificationData;
  const binding = await digest("SHA-256", unhex(q.signatureData.attestationKey), unhex(cd.qeAuthData.data));
  assert.is(cd.qeReport.reportData, hex(binding) + "00".repeat(32));

  const chain = cd.certificationData.pckCertChain.map((p) => new x509.X509Certificate(p));
  assert.is(chain.length, 3);
  const [leaf, platformCa, root] = chain;
  const [qeAt, qeLen] = locate(outblob).get("signatureData.certificationData.qeReportCertificationData.qeReport");
  assert.is(qeLen, 384);
  const pckKey = await leaf.publicKey.export({ name: "ECDSA", namedCurve: "P-256" }, ["verify"]);
  assert.ok(await subtle.verify(ES256, pckKey, unhex(cd.qeReportSignature), outblob.subarray(qeAt, qeAt + qeLen)));

  assert.ok(await leaf.verify({ publicKey: platformCa.publicKey, signatureOnly: true }));
  assert.ok(await platformCa.verify({ publicKey: root.publicKey, signatureOnly: true }));
  assert.ok(await root.verify({ signatureOnly: true }));
  // Intel's exact CNs (verifiers select roles by them), the TEST marking in OU and O.
  assert.is(root.subject, "CN=Intel SGX Root CA, OU=tsmkit TEST, O=tsmkit TEST (not Intel), L=Santa Clara, ST=CA, C=US");
  assert.is(platformCa.subject.split(",")[0], "CN=Intel SGX PCK Platform CA");
  assert.is(leaf.subject.split(",")[0], "CN=Intel SGX PCK Certificate");
  assert.ok(pki.intel.tcbSigning.cert.subject.startsWith("CN=Intel SGX TCB Signing, OU=tsmkit TEST, O=tsmkit TEST (not Intel),"));
  for (const c of chain) assert.ok(c.subject.includes("O=tsmkit TEST (not Intel)"), c.subject);
  assert.equal(new Uint8Array(root.rawData), new Uint8Array(pki.intel.root.cert.rawData));
});

test("TDX: the PCK carries Intel's SGX extensions (TCB, PCE-ID, FMSPC) matching the signed TCB Info", async () => {
  const ext = pki.intel.pck.cert.getExtension("1.2.840.113741.1.13.1");
  const v = new Uint8Array(ext.value);
  const find = (bytes) => hex(v).includes(hex(bytes));
  // OID 1.2.840.113741.1.13.1.4 (FMSPC) followed by OCTET STRING(6) fmspc.
  assert.ok(find([0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01, 0x04, 0x04, 0x06, ...unhex(INTEL_PLATFORM.fmspc)]));
  // 1.2.840.113741.1.13.1.2.18 (CPUSVN) followed by OCTET STRING(16).
  assert.ok(find([0x01, 0x0d, 0x01, 0x02, 0x12, 0x04, 0x10, ...unhex(INTEL_PLATFORM.cpuSvn)]));
  // 1.2.840.113741.1.13.1.2.17 (PCESVN) followed by INTEGER.
  assert.ok(find([0x01, 0x0d, 0x01, 0x02, 0x11, 0x02, 0x01, INTEL_PLATFORM.pceSvn]));

  const body = pki.intel.tcbInfo;
  const text = body.slice('{"tcbInfo":'.length, body.lastIndexOf(',"signature":'));
  const info = JSON.parse(text);
  assert.is(info.fmspc, INTEL_PLATFORM.fmspc);
  assert.is(info.version, 3);
  assert.is(info.id, "TDX");
  assert.is(info.issueDate, "2026-01-01T00:00:00Z");
  const sig = unhex(JSON.parse(body).signature);
  const tcbKey = await pki.intel.tcbSigning.cert.publicKey.export({ name: "ECDSA", namedCurve: "P-256" }, ["verify"]);
  assert.ok(await subtle.verify(ES256, tcbKey, sig, new TextEncoder().encode(text)));
  assert.ok(await pki.intel.tcbSigning.cert.verify({ publicKey: pki.intel.root.cert.publicKey, signatureOnly: true }));
});

test("TDX: QE Identity is signed over its exact JSON text and names the QE of the quote", async () => {
  const { outblob } = await tdx.reportNew({ inblob: nonce(4) });
  const qe = decode(outblob).signatureData.certificationData.qeReportCertificationData.qeReport;
  const body = pki.intel.qeIdentity;
  const text = body.slice('{"enclaveIdentity":'.length, body.lastIndexOf(',"signature":'));
  const id = JSON.parse(text);
  assert.is(id.id, "TD_QE");
  assert.is(id.mrsigner.toLowerCase(), qe.mrSigner);
  assert.is(id.isvprodid, qe.isvProdId);
  assert.is(id.tcbLevels[0].tcb.isvsvn, qe.isvSvn);
  const key = await pki.intel.tcbSigning.cert.publicKey.export({ name: "ECDSA", namedCurve: "P-256" }, ["verify"]);
  assert.ok(await subtle.verify(ES256, key, unhex(JSON.parse(body).signature), new TextEncoder().encode(text)));
});

test("TDX: root and PCK CRLs are empty and signed by their issuers", async () => {
  for (const [crl, issuer] of [[pki.intel.rootCrl, pki.intel.root.cert], [pki.intel.pckCrl, pki.intel.platformCa.cert]]) {
    assert.is(crl.issuer, issuer.subject);
    assert.is(crl.entries.length, 0);
    assert.ok(await crl.verify({ publicKey: issuer.publicKey }));
  }
});

test("TDX: body fields can be overridden by the core's layout names", async () => {
  const mrTd = "ab".repeat(48);
  const p = createProvider("tdx_guest", { pki, body: { mrTd, rtmr3: "cd".repeat(48) } });
  const q = decode((await p.reportNew({ inblob: nonce(5) })).outblob);
  assert.is(q.body.mrTd, mrTd);
  assert.is(q.body.rtmr3, "cd".repeat(48));
  assert.is(q.body.reportData, hex(nonce(5)));
});

// ---- SEV-SNP --------------------------------------------------------------------------------

/** Parses the auxblob certificate table exactly as spec/configfs-tsm.md section 5 describes it. */
function parseCertTable(aux) {
  const dv = new DataView(aux.buffer, aux.byteOffset, aux.byteLength);
  const out = {};
  for (let at = 0; ; at += 24) {
    const guid = aux.subarray(at, at + 16);
    const offset = dv.getUint32(at + 16, true), length = dv.getUint32(at + 20, true);
    if (guid.every((b) => b === 0) && offset === 0 && length === 0) {
      assert.ok(Object.values(out).every((c) => c.offset >= at + 24), "certificates follow the table");
      return out;
    }
    const h = hex(guid);
    const text = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    assert.ok(offset + length <= aux.length, "entry within the buffer");
    out[text] = { offset, length, der: aux.subarray(offset, offset + length) };
  }
}

test("SNP: auxblob is the certificate table with VCEK, ASK and ARK, chaining by RSA-PSS to the TEST ARK", async () => {
  const { auxblob } = await sev.reportNew({ inblob: nonce(6), privlevel: 0 });
  const t = parseCertTable(auxblob);
  assert.equal(Object.keys(t).sort(), Object.values(SNP_CERT_GUIDS).sort());
  const vcek = new x509.X509Certificate(t[SNP_CERT_GUIDS.VCEK].der);
  const ask = new x509.X509Certificate(t[SNP_CERT_GUIDS.ASK].der);
  const ark = new x509.X509Certificate(t[SNP_CERT_GUIDS.ARK].der);
  for (const c of [vcek, ask, ark]) assert.is(c.signatureAlgorithm.name, "RSA-PSS");
  assert.ok(await vcek.verify({ publicKey: ask.publicKey, signatureOnly: true }));
  assert.ok(await ask.verify({ publicKey: ark.publicKey, signatureOnly: true }));
  assert.ok(await ark.verify({ signatureOnly: true }));
  assert.not.ok(await vcek.verify({ publicKey: ark.publicKey, signatureOnly: true }));
  assert.is(ark.subject.split(",").pop().trim(), "CN=ARK-Milan");
  assert.ok(ark.subject.includes("O=tsmkit TEST (not AMD)"));
  assert.is(vcek.publicKey.algorithm.namedCurve, "P-384");
  // hwID holds the chip id as raw bytes; productName is an IA5String.
  assert.equal(new Uint8Array(vcek.getExtension("1.3.6.1.4.1.3704.1.4").value), pki.amd.chipId);
  assert.equal([...new Uint8Array(vcek.getExtension("1.3.6.1.4.1.3704.1.2").value)], [0x16, 8, ...Buffer.from("Milan-B0")]);
});

/** Verifies an SNP report with the VCEK: bytes before the signature, r/s little-endian in 72-byte fields. */
async function snpSignatureOk(report, vcek) {
  const [sigAt] = fieldOf("snpReport", "signature");
  assert.is(sigAt, 0x2a0);
  const r = report.slice(sigAt, sigAt + 48).reverse(), s = report.slice(sigAt + 72, sigAt + 120).reverse();
  assert.ok(report.subarray(sigAt + 48, sigAt + 72).every((b) => b === 0), "r is zero-extended");
  const key = await vcek.publicKey.export({ name: "ECDSA", namedCurve: "P-384" }, ["verify"]);
  return subtle.verify(ES384, key, Uint8Array.of(...r, ...s), report.subarray(0, sigAt));
}

test("SNP: the signature check used here accepts a real Milan report with its real VCEK", async () => {
  const report = Uint8Array.from(data("snp/ms-tee-av-report-v3-milan.bin"));
  const vcek = new x509.X509Certificate(data("snp/ms-tee-av-vcek-milan.pem").toString("utf8"));
  assert.ok(await snpSignatureOk(report, vcek));
  assert.equal(decode(report).reportedTcb, { raw: "15787368493747273732", bootloader: 4, tee: 0, snp: 24, microcode: 219 }); // 04 00 .. 18 db
});

test("SNP: a 1184-byte v3 report with report data = inblob and vmpl = privlevel, signed by the VCEK", async () => {
  const inblob = nonce(7);
  const { outblob } = await sev.reportNew({ inblob, privlevel: 2 });
  assert.is(outblob.length, 1184);
  const r = decode(outblob, { provider: "sev_guest" });
  assert.is(r.format, "snp-report");
  assert.is(r.product, "Milan");
  assert.is(r.version, 3);
  assert.is(r.vmpl, 2);
  assert.is(r.signatureAlgo, 1);
  assert.is(r.keyInfo.signingKey, "VCEK");
  assert.is(r.policy.debug, false);
  assert.is(r.reportData, hex(inblob));
  assert.is(r.chipId, hex(pki.amd.chipId));
  const vcek = pki.amd.vcek.cert;
  const ext = (arc) => new Uint8Array(vcek.getExtension(`1.3.6.1.4.1.3704.1.3.${arc}`).value).at(-1);
  const { bootloader, tee, snp, microcode } = r.reportedTcb;
  assert.equal([bootloader, tee, snp, microcode], [ext(1), ext(2), ext(3), ext(8)]);
  assert.equal(r.currentTcb, r.reportedTcb);
  assert.ok(await snpSignatureOk(outblob, vcek));
  const bad = Uint8Array.from(outblob);
  bad[100] ^= 0xff;
  assert.not.ok(await snpSignatureOk(bad, vcek));
});

test("SNP SVSM: manifestblob, report data = SHA-512(nonce || manifest), VMPL0 whatever privlevel says", async () => {
  const inblob = nonce(8);
  const all = await sev.reportNew({ inblob, privlevel: 3, serviceProvider: "svsm", serviceGuid: NULL_GUID, serviceManifestVersion: 0 });
  const manifest = JSON.parse(new TextDecoder().decode(all.manifestblob));
  assert.is(manifest.format, "tsmkit-sim-svsm-manifest");
  assert.equal(manifest.services.map((s) => s.guid), [SVSM_VTPM_GUID]);
  const r = decode(all.outblob);
  assert.is(r.vmpl, 0);
  assert.is(r.reportData, hex(await digest("SHA-512", inblob, all.manifestblob)));
  assert.ok(await snpSignatureOk(all.outblob, pki.amd.vcek.cert));
  assert.ok(all.auxblob.length > 0);

  const one = await sev.reportNew({ inblob, serviceProvider: "svsm", serviceGuid: SVSM_VTPM_GUID, serviceManifestVersion: 0 });
  assert.is(JSON.parse(new TextDecoder().decode(one.manifestblob)).services.length, 1);
  await expectCode(sev.reportNew({ inblob, serviceProvider: "svsm", serviceGuid: "11111111-2222-3333-4444-555555555555" }), "EINVAL");
  await expectCode(sev.reportNew({ inblob, serviceProvider: "vtpm" }), "EINVAL");
});

// ---- faults, PKI persistence, roots ---------------------------------------------------------

test("faults: errno-coded errors for the first n calls, then evidence again", async () => {
  for (const fault of ["EBUSY", "EINTR", "ETIMEDOUT", "EIO"]) {
    const p = createProvider("tdx_guest", { pki, fault, times: 2 });
    await expectCode(p.reportNew({ inblob: nonce(10) }), fault);
    await expectCode(p.reportNew({ inblob: nonce(10) }), fault);
    assert.ok((await p.reportNew({ inblob: nonce(10) })).outblob.length > 1000);
  }
  const always = createProvider("sev_guest", { pki, fault: "EIO" });
  for (let i = 0; i < 3; i++) await expectCode(always.reportNew({ inblob: nonce(11) }), "EIO");
  const empty = createProvider("arm_cca_guest", { pki, fault: "empty", times: 1 });
  assert.is((await empty.reportNew({ inblob: nonce(12) })).outblob.length, 0);
  assert.ok((await empty.reportNew({ inblob: nonce(12) })).outblob.length > 0);
  assert.throws(() => createProvider("tdx_guest", { fault: "ENOSPC" }), /unknown fault/);
  assert.throws(() => createProvider("nope"), /unknown provider/);
});

test("PKI: export/import keeps keys and certificates, so anchors match across processes", async () => {
  const again = await importPki(await exportPki(pki));
  assert.equal(new Uint8Array(again.intel.root.cert.rawData), new Uint8Array(pki.intel.root.cert.rawData));
  assert.equal(new Uint8Array(again.amd.vcek.cert.rawData), new Uint8Array(pki.amd.vcek.cert.rawData));
  const q = decode((await createProvider("tdx_guest", { pki: again }).reportNew({ inblob: nonce(13) })).outblob);
  const mine = new Uint8Array(await subtle.exportKey("raw", pki.intel.attestationKey.publicKey));
  assert.is(q.signatureData.attestationKey, hex(mine.subarray(1)));
});

test("PKI: sharedPki() saves itself to TSMKIT_SIM_PKI, and writeRoots() defaults to it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tsmkit-pki-"));
  try {
    process.env.TSMKIT_SIM_PKI = join(dir, "pki.json");
    const shared = await sharedPki();
    const saved = await importPki(await readFile(process.env.TSMKIT_SIM_PKI, "utf8"));
    assert.equal(new Uint8Array(saved.intel.root.cert.rawData), new Uint8Array(shared.intel.root.cert.rawData));
    const [rootPath] = await writeRoots(join(dir, "roots"));
    const root = new x509.X509Certificate(await readFile(rootPath, "utf8"));
    assert.equal(new Uint8Array(root.rawData), new Uint8Array(shared.intel.root.cert.rawData));
  } finally {
    delete process.env.TSMKIT_SIM_PKI;
    await rm(dir, { recursive: true });
  }
});

test("roots: writeRoots writes the SGX root and the ARK as PEM, the PKI's Intel collateral and its AMD CRL", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tsmkit-roots-"));
  try {
    const paths = await writeRoots(dir, { pki });
    const read = (name) => readFile(join(dir, name));
    assert.equal(paths.map((p) => p.slice(dir.length + 1)).sort(), [
      "amd-ark-milan.pem", "amd-crl-milan.der", "cca-cpak.pem", "pck-crl.der", "qeidentity.json", "root-ca-crl.der", "sgx-root-ca.pem", "tcb-signing-chain.pem", "tcbinfo.json",
    ]);
    const root = new x509.X509Certificate((await read("sgx-root-ca.pem")).toString("utf8"));
    const ark = new x509.X509Certificate((await read("amd-ark-milan.pem")).toString("utf8"));
    assert.equal(new Uint8Array(root.rawData), new Uint8Array(pki.intel.root.cert.rawData));
    assert.equal(new Uint8Array(ark.rawData), new Uint8Array(pki.amd.ark.cert.rawData));
    // The signed PCS documents byte for byte (their signatures cover the exact text).
    assert.is((await read("tcbinfo.json")).toString("utf8"), pki.intel.tcbInfo);
    assert.is((await read("qeidentity.json")).toString("utf8"), pki.intel.qeIdentity);
    // TCB signing chain: the signing certificate, then the root that issued it.
    const chain = x509.PemConverter.decode((await read("tcb-signing-chain.pem")).toString("utf8")).map((d) => new x509.X509Certificate(d));
    assert.equal(chain.map((c) => new Uint8Array(c.rawData)), [pki.intel.tcbSigning.cert, pki.intel.root.cert].map((c) => new Uint8Array(c.rawData)));
    for (const [name, crl, issuer] of [["root-ca-crl.der", pki.intel.rootCrl, pki.intel.root.cert], ["pck-crl.der", pki.intel.pckCrl, pki.intel.platformCa.cert], ["amd-crl-milan.der", pki.amd.crl, pki.amd.ark.cert]]) {
      const der = new Uint8Array(await read(name));
      assert.equal(der, new Uint8Array(crl.rawData), name);
      assert.ok(await new x509.X509Crl(der).verify({ publicKey: issuer.publicKey }), `${name} signed by ${issuer.subject}`);
    }
  } finally {
    await rm(dir, { recursive: true });
  }
});

test.run();
