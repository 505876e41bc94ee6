import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DATA, data, expected } from "../data.js";
import { prng } from "../prng.js";
import { decode, decodeSnpReport, decodeSnpCerts, DecodeError } from "../../hosts/js/decode.js";
import { commonName, parseCertificates } from "../../hosts/js/verify/x509.js";
import { hex } from "../../hosts/js/bytes.js";

// Every raw SNP report of the corpus: *.bin in snp/ except the certificate tables, the Azure HCL
// wrapper and the truncated negative sample (tested on their own below).
const NOT_REPORTS = /^constructed-certtable-|hcl-report|report-corrupt/;
const REPORTS = readdirSync(join(DATA, "snp")).filter((f) => f.endsWith(".bin") && !NOT_REPORTS.test(f)).map((f) => `snp/${f}`);
const V2 = "snp/go-sev-guest-report-v2-milan.bin";
const V3 = "snp/trustee-report-v3-milan-vlek-vmpl1.bin";
const V5 = "snp/ms-tee-av-report-v5-turin.bin";
const VCEK_TABLE = "snp/constructed-certtable-vcek-milan.bin";
const VLEK_TABLE = "snp/constructed-certtable-vlek-milan.bin";

/** The DecodeError `fn` throws (fails the test if it returns or throws anything else). */
function decodeError(fn) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return e;
  }
  assert.unreachable("decoded without an error");
}

/** The little-endian bytes of a decimal u64 string, as hex. */
function leHex(dec) {
  let v = BigInt(dec), out = "";
  for (let i = 0; i < 8; i++, v >>= 8n) out += (v & 0xffn).toString(16).padStart(2, "0");
  return out;
}

test("the corpus has the SNP reports this suite expects", () => {
  assert.ok(REPORTS.length >= 17, `found ${REPORTS.length}`);
  for (const f of [V2, V3, V5]) assert.ok(REPORTS.includes(f), f);
});

for (const file of REPORTS) {
  test(`${file} decodes to the expected values`, () => {
    const want = expected[file];
    assert.ok(want, `expected.json has ${file}`);
    const r = decode(data(file)); // detected, not told
    assert.is(r.format, "snp-report");
    assert.is(r.version, want.version);
    assert.is(r.guestSvn, want.guest_svn);
    assert.is(r.vmpl, want.vmpl);
    assert.is(r.signatureAlgo, want.sig_algo);
    assert.is(r.policy.raw, String(want.policy));
    assert.is(r.platformInfo.raw, String(want.platform_info));
    assert.is(r.keyInfo.signingKey, want.signing_key);
    assert.is(leHex(r.reportedTcb.raw), want.reported_tcb_raw_le_hex);
    const t = want.reported_tcb;
    assert.equal(
      { bl: r.reportedTcb.bootloader, tee: r.reportedTcb.tee, snp: r.reportedTcb.snp, ucode: r.reportedTcb.microcode, fmc: r.reportedTcb.fmc },
      { bl: t.bl, tee: t.tee, snp: t.snp, ucode: t.ucode, fmc: t.fmc });
    const fw = want.current_firmware;
    assert.equal([r.currentMajor, r.currentMinor, r.currentBuild], [fw.major, fw.minor, fw.build]);
    assert.is(r.measurement, want.measurement);
    assert.is(r.reportData, want.report_data);
    assert.is(r.hostData, want.host_data);
    assert.is(r.reportId, want.report_id);
    assert.is(r.chipId.length, 128);
    assert.ok(r.chipId.startsWith(want.chip_id_prefix), r.chipId);
    if (want.cpuid) {
      assert.equal([r.cpuidFamId, r.cpuidModId, r.cpuidStep], [want.cpuid.family, want.cpuid.model, want.cpuid.stepping]);
      assert.is(r.product, want.cpuid.product);
    } else {
      assert.is(r.version, 2);
      assert.is(r.product, "unknown");
      assert.not.ok("cpuidFamId" in r, "v2 has no CPUID fields");
    }
    assert.is("launchMitVector" in r, r.version >= 5);
    assert.is(r.signature.r.length, 144);
    assert.is(r.signature.s.length, 144);
  });
}

test("policy, platform info and key info bits match what the source projects assert", () => {
  // go-sev-guest check_test: policy 0xb0000 = Debug + SMT; platform_info 1 = SMT enabled.
  const go = decodeSnpReport(data(V2));
  assert.equal([go.policy.debug, go.policy.smt, go.policy.migrateMa, go.policy.singleSocket], [true, true, false, false]);
  assert.ok(go.platformInfo.smtEn);
  // attestation-rs on trustee's report: ABI 0.31, SMT allowed, migrate-MA/debug/single-socket not,
  // SMT enabled and TSME disabled.
  const tr = decodeSnpReport(data("snp/trustee-report-v2-milan.bin"));
  assert.equal([tr.policy.abiMajor, tr.policy.abiMinor], [0, 31]);
  assert.equal([tr.policy.smt, tr.policy.migrateMa, tr.policy.debug, tr.policy.singleSocket], [true, false, false, false]);
  assert.equal([tr.platformInfo.smtEn, tr.platformInfo.tsmeEn], [true, false]);
  // teekit: GCP report has debug off, ABI 0.0.
  const gcp = decodeSnpReport(data("snp/teekit-report-v5-milan-gcp-vmpl1.bin"));
  assert.equal([gcp.policy.debug, gcp.policy.abiMajor, gcp.policy.abiMinor], [false, 0, 0]);
  // trustee's VLEK report: key info SIGNING_KEY = 1.
  const vlek = decodeSnpReport(data(V3));
  assert.equal(vlek.keyInfo, { raw: 4, authorKeyEn: false, maskChipKey: false, signingKey: "VLEK" });
});

test("TCB_VERSION follows the CPU family: Turin has FMC first, Milan/Genoa and v2 do not", () => {
  for (const file of REPORTS) {
    const r = decode(data(file));
    const turin = r.product === "Turin";
    for (const name of ["currentTcb", "reportedTcb", "committedTcb", "launchTcb"]) {
      const t = r[name];
      const at = { currentTcb: 0x38, reportedTcb: 0x180, committedTcb: 0x1e0, launchTcb: 0x1f0 }[name];
      const b = data(file).subarray(at, at + 8);
      assert.is(leHex(t.raw), hex(b), `${file} ${name}.raw`);
      assert.equal(Object.keys(t), turin
        ? ["raw", "fmc", "bootloader", "tee", "snp", "microcode"]
        : ["raw", "bootloader", "tee", "snp", "microcode"], `${file} ${name}`);
    }
    if (turin) assert.match(r.chipId.slice(16), /^0+$/, "Turin's chip ID is 8 bytes, zero-padded");
  }
});

test("v5 mitigation vectors are the values the corpus manifest records", () => {
  const manifest = readFileSync(join(DATA, "MANIFEST.md"), "utf8");
  let seen = 0;
  for (const file of REPORTS) {
    const row = manifest.split("\n").find((l) => l.startsWith(`| \`${file}\``));
    const m = row && /launch_mit_vector=0x([0-9a-f]+) current_mit_vector=0x([0-9a-f]+)/.exec(row);
    const r = decode(data(file));
    if (!m) {
      assert.ok(r.version < 5 || !row, `${file}: v5 report without manifest vectors`);
      continue;
    }
    assert.is(r.launchMitVector, BigInt(`0x${m[1]}`).toString());
    assert.is(r.currentMitVector, BigInt(`0x${m[2]}`).toString());
    seen++;
  }
  assert.ok(seen >= 6, `checked ${seen} v5 reports`);
});

test("the 1185-byte bad-signature sample decodes; it differs from its good twin in reportId only", () => {
  const bad = decodeSnpReport(data("snp/lit-sev-snp-utils-report-bad-sig.bin"));
  const good = decodeSnpReport(data("snp/lit-sev-snp-utils-report-v2-milan.bin"));
  const differing = Object.keys(good).filter((k) => JSON.stringify(good[k]) !== JSON.stringify(bad[k]));
  assert.equal(differing, ["reportId"]);
});

test("the truncated LIT sample fails with TRUNCATED, also when the format is detected", () => {
  const corrupt = data("snp/lit-sev-snp-utils-report-corrupt.bin");
  for (const e of [decodeError(() => decodeSnpReport(corrupt)), decodeError(() => decode(corrupt))]) {
    assert.is(e.code, "TRUNCATED");
    assert.is(e.format, "snp-report");
    assert.match(e.detail, "1184");
  }
});

test("the Azure HCL wrapper is refused as a raw report, and is not detected as one", () => {
  const hcl = data("snp/trustee-az-snp-hcl-report.bin");
  const e = decodeError(() => decodeSnpReport(hcl));
  assert.is(e.code, "UNSUPPORTED_TYPE");
  assert.is(e.offset, 0);
  assert.match(e.detail, "HCL");
  assert.not.match(decodeError(() => decode(hcl)).format, /^snp-/);
  // MANIFEST: the SNP report inside it is bytes [32, 1216), extracted as trustee-az-snp-report-v2-milan.bin.
  assert.equal(decodeSnpReport(hcl.subarray(32, 32 + 1184)), decodeSnpReport(data("snp/trustee-az-snp-report-v2-milan.bin")));
});

test("version 4 and unknown versions are UNSUPPORTED_VERSION at offset 0, never guessed", () => {
  for (const v of [4, 9, 1, 0, 6]) {
    const b = Uint8Array.from(data(V5));
    new DataView(b.buffer).setUint32(0, v, true);
    const e = decodeError(() => decodeSnpReport(b));
    assert.is(e.code, "UNSUPPORTED_VERSION", `version ${v}`);
    assert.is(e.field, "version");
    assert.is(e.offset, 0);
    assert.is(e.detail, `unsupported SNP report version ${v}`);
  }
  // A version 4 report is still recognised as an SNP report, so the error names it.
  const v4 = Uint8Array.from(data(V3));
  v4[0] = 4;
  assert.is(decodeError(() => decode(v4)).format, "snp-report");
});

test("a signature algorithm other than ECDSA P-384 and a reserved signing key are typed errors", () => {
  const algo = Uint8Array.from(data(V3));
  algo[0x34] = 2;
  const a = decodeError(() => decodeSnpReport(algo));
  assert.equal([a.code, a.field, a.offset], ["UNSUPPORTED_TYPE", "signatureAlgo", 0x34]);
  for (const [key, name] of [[0, "VCEK"], [1, "VLEK"], [7, "none"]]) {
    const b = Uint8Array.from(data(V3));
    b[0x48] = key << 2;
    assert.is(decodeSnpReport(b).keyInfo.signingKey, name);
  }
  const reserved = Uint8Array.from(data(V3));
  reserved[0x48] = 3 << 2;
  const k = decodeError(() => decodeSnpReport(reserved));
  assert.equal([k.code, k.field, k.offset], ["UNSUPPORTED_TYPE", "keyInfo.signingKey", 0x48]);
});

test("v3+ reports of an unknown CPU family keep the raw TCB and say product unknown", () => {
  const b = Uint8Array.from(data(V3));
  b[0x188] = 0x1b;
  const r = decodeSnpReport(b);
  assert.is(r.product, "unknown");
  assert.equal(Object.keys(r.reportedTcb), ["raw"]);
  b[0x188] = 0x19; // family 19h, model 0xA0: Genoa (attestation-rs's live Genoa report has it)
  b[0x189] = 0xa0;
  assert.is(decodeSnpReport(b).product, "Genoa");
});

for (const file of [V2, V3, V5]) {
  test(`every truncation of ${file} is a typed TRUNCATED error`, () => {
    const full = data(file);
    for (let n = 0; n < 1184; n++) {
      const e = decodeError(() => decodeSnpReport(full.subarray(0, n)));
      assert.is(e.code, "TRUNCATED", `length ${n}`);
      assert.is(e.format, "snp-report");
    }
  });
}

test("signature and its r/s are located where the signed region ends", async () => {
  const { locate } = await import("../../hosts/js/decode.js");
  const loc = locate(data(V5), { format: "snp-report" });
  assert.equal(loc.get("signature"), [0x2a0, 0x200]);
  assert.equal(loc.get("signature.r"), [0x2a0, 72]);
  assert.equal(loc.get("signature.s"), [0x2e8, 72]);
});

// ---- certificate tables ---------------------------------------------------------------------

const ders = (pem) => parseCertificates(data(pem)).map((c) => new Uint8Array(c.rawData));
const TABLES = [
  // MANIFEST: VCEK = trustee-vcek-milan.der, ASK/ARK from go-sev-guest's Milan VCEK chain.
  { file: VCEK_TABLE, leaf: "VCEK", der: "snp/trustee-vcek-milan.der", chain: "collateral/amd/go-sev-guest-ask-ark-milan-vcek.pem", cns: ["SEV-VCEK", "SEV-Milan", "ARK-Milan"] },
  // MANIFEST: VLEK = trustee-vlek-milan.der, the ASVK under the ASK GUID, then the ARK.
  { file: VLEK_TABLE, leaf: "VLEK", der: "snp/trustee-vlek-milan.der", chain: "collateral/amd/go-sev-guest-ask-ark-milan-vlek.pem", cns: ["SEV-VLEK", "SEV-VLEK-Milan", "ARK-Milan"] },
];

for (const t of TABLES) {
  test(`${t.file} decodes to ${t.leaf}, ASK, ARK and the certificates are the corpus DER files`, () => {
    const r = decode(data(t.file)); // detected
    assert.is(r.format, "snp-certs");
    assert.equal(r.entries.map((e) => e.kind), [t.leaf, "ASK", "ARK"]);
    assert.is(r.entries[0].certificate, hex(data(t.der)));
    const chain = ders(t.chain).map(hex);
    assert.ok(chain.includes(r.entries[1].certificate), "ASK/ASVK from the chain file");
    assert.ok(chain.includes(r.entries[2].certificate), "ARK from the chain file");
    assert.equal(r.entries.map((e) => commonName(parseCertificates(Buffer.from(e.certificate, "hex"))[0])), t.cns);
    for (const e of r.entries) assert.is(e.certificate.length, 2 * e.length);
  });

  test(`every truncation of ${t.file} is a typed TRUNCATED error`, () => {
    const full = data(t.file);
    for (let n = 0; n < full.length; n++) {
      const e = decodeError(() => decodeSnpCerts(full.subarray(0, n)));
      assert.is(e.code, "TRUNCATED", `length ${n}`);
      assert.is(e.format, "snp-certs");
    }
  });
}

/** A copy of the VCEK table with entry i's u32 at +16 (offset) or +20 (length) set. */
function withEntry(i, which, value) {
  const b = Uint8Array.from(data(VCEK_TABLE));
  new DataView(b.buffer).setUint32(i * 24 + (which === "offset" ? 16 : 20), value, true);
  return b;
}

test("certificate ranges are checked against the table and the input, naming the entry", () => {
  const cases = [
    [withEntry(1, "offset", 80), "BAD_LENGTH", "entries.1.offset", 40],
    [withEntry(0, "offset", 0), "BAD_LENGTH", "entries.0.offset", 16],
    [withEntry(0, "offset", 10_000), "TRUNCATED", "entries.0.offset", 16],
    [withEntry(2, "length", 1640), "TRUNCATED", "entries.2.length", 68],
    [withEntry(2, "length", 0xffffffff), "TRUNCATED", "entries.2.length", 68],
  ];
  for (const [bytes, code, field, offset] of cases) {
    const e = decodeError(() => decodeSnpCerts(bytes));
    assert.equal([e.code, e.field, e.offset], [code, field, offset]);
  }
});

test("a table without its all-zero terminator is TRUNCATED at the missing entry", () => {
  const e = decodeError(() => decodeSnpCerts(data(VCEK_TABLE).subarray(0, 72)));
  assert.equal([e.code, e.field, e.offset], ["TRUNCATED", "entries.3", 72]);
});

test("unknown GUIDs are kept as unknown; an empty table has no entries", () => {
  const b = Uint8Array.from(data(VCEK_TABLE));
  b[24] ^= 0xff;
  const r = decodeSnpCerts(b);
  assert.equal(r.entries.map((e) => e.kind), ["VCEK", "unknown", "ARK"]);
  assert.is(r.entries[1].guid, "b5b7b379-bbac-4fe4-a02f-05aef327c782");
  assert.equal(decodeSnpCerts(new Uint8Array(24)), { format: "snp-certs", entries: [] });
});

// ---- detection and robustness ---------------------------------------------------------------

test("no TDX/SGX quote, TDREPORT or other corpus file is detected as SNP evidence", () => {
  for (const dir of ["tdx", "sgx", "cca"]) {
    for (const f of readdirSync(join(DATA, dir))) {
      let format;
      try {
        format = decode(data(`${dir}/${f}`)).format;
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        format = e.format;
      }
      assert.not.match(format, /^snp-/, `${dir}/${f}`);
    }
  }
});

test("seeded random corruption never traps: a decoded value or a DecodeError", () => {
  const inputs = [[V2, "snp-report"], [V3, "snp-report"], [V5, "snp-report"], [VCEK_TABLE, "snp-certs"], [VLEK_TABLE, "snp-certs"]];
  let decoded = 0, refused = 0;
  for (const [file, format] of inputs) {
    const rand = prng(0x5eed ^ file.length);
    const base = data(file);
    for (let round = 0; round < 300; round++) {
      const b = Uint8Array.from(base.subarray(0, rand() < 0.2 ? Math.floor(rand() * base.length) : base.length));
      // Mostly hit the headers (version, algorithm, key info, table entries), sometimes anywhere.
      const flips = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < flips && b.length; i++) {
        const at = Math.floor(rand() * (rand() < 0.7 ? Math.min(b.length, 0x100) : b.length));
        b[at] = rand() < 0.5 ? Math.floor(rand() * 256) : b[at] ^ (1 << Math.floor(rand() * 8));
      }
      for (const opts of [{ format }, undefined]) {
        try {
          assert.type(decode(b, opts).format, "string");
          decoded++;
        } catch (e) {
          if (!(e instanceof DecodeError)) throw new Error(`${file} round ${round}: ${e.stack}`);
          refused++;
        }
      }
    }
  }
  assert.ok(decoded > 0 && refused > 0, `decoded ${decoded}, refused ${refused}`);
});

test.run();
