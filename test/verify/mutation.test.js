// Issue 9: "never ok unless the decoded evidence and every certificate's DER are unchanged".
// Real evidence that verifies ok with its real collateral at a pinned time is changed at random —
// bit flips, byte sets, insertions and deletions anywhere — and verified again. A mutated input
// may pass only if decode() of it equals decode() of the original and every certificate it
// carries is the same DER (bytes the decoder and verifier both ignore); those are counted and
// printed. A PEM certificate's text is compared as its DER: the line breaks of a PEM chain are
// transport framing no signature covers, and real quotes differ in them (an Azure quote's PEM is
// not wrapped at 64), so a verifier must accept the same certificates however they are wrapped. verify() must never throw on evidence either. The PRNG is seeded (TSMKIT_MUTATION_SEED
// overrides the seed, TSMKIT_MUTATIONS the count), and every violation names its mutation.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { data, expected } from "../data.js";
import { verify } from "../../hosts/js/verify/index.js";
import { decode } from "../../hosts/js/decode.js";

const SEED = Number(process.env.TSMKIT_MUTATION_SEED ?? 0x9e3779b9) >>> 0;
const COUNT = Number(process.env.TSMKIT_MUTATIONS ?? 1000);

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = ["flip", "set", "insert", "delete"];

/** One random mutation of `b`: { kind, at, value?, n?, bytes }. */
function mutate(b, rand) {
  const int = (n) => Math.floor(rand() * n);
  const kind = KINDS[int(KINDS.length)];
  if (kind === "flip") {
    const at = int(b.length), bit = int(8);
    const out = Uint8Array.from(b);
    out[at] ^= 1 << bit;
    return { kind, at, value: bit, bytes: out };
  }
  if (kind === "set") {
    const at = int(b.length);
    const value = (b[at] + 1 + int(255)) & 0xff; // never the byte already there
    const out = Uint8Array.from(b);
    out[at] = value;
    return { kind, at, value, bytes: out };
  }
  const n = 1 + int(4);
  if (kind === "insert") {
    const at = int(b.length + 1);
    const ins = Uint8Array.from({ length: n }, () => int(256));
    const out = new Uint8Array(b.length + n);
    out.set(b.subarray(0, at));
    out.set(ins, at);
    out.set(b.subarray(at), at + n);
    return { kind, at, n, bytes: out };
  }
  const at = int(b.length - n + 1);
  const out = new Uint8Array(b.length - n);
  out.set(b.subarray(0, at));
  out.set(b.subarray(at + n), at);
  return { kind, at, n, bytes: out };
}

/** decode() as comparable text (PEM certificates as their DER), or null when it throws (a rejected input is never "unchanged"). */
function decodedText(bytes, format) {
  try {
    return JSON.stringify(decode(bytes, format ? { format } : undefined), (k, v) => (k === "pckCertChain" && Array.isArray(v) ? v.map((c) => (c.startsWith("-----") ? pemDer(c) : c)) : v));
  } catch {
    return null;
  }
}

const hex = (b) => Buffer.from(b).toString("hex");

/** A PEM certificate's DER as hex, read strictly (whitespace aside, base64 or nothing: "unreadable"). */
function pemDer(pem) {
  const m = /^-----BEGIN CERTIFICATE-----([\s\S]*)-----END CERTIFICATE-----\s*$/.exec(pem);
  const b64 = m?.[1].replace(/\s+/g, "");
  return b64 !== undefined && /^[A-Za-z0-9+/]*={0,2}$/.test(b64) ? hex(Buffer.from(b64, "base64")) : "unreadable";
}

/** Every certificate's DER (hex) a decoded quote carries, in order. */
const quoteCertificates = (text) => JSON.parse(text).signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain;
const tableCertificates = (text) => JSON.parse(text).entries.filter((e) => e.length > 0).map((e) => e.certificate);

/**
 * Mutates the parts of `evidence` (named byte arrays: each part's mutation is chosen in
 * proportion to its size) COUNT times, and returns the tallies; fails on any violation.
 */
async function campaign({ parts, formats, certsOf, verifyParts }) {
  const rand = prng(SEED);
  const names = Object.keys(parts);
  const total = names.reduce((n, k) => n + parts[k].length, 0);
  const base = Object.fromEntries(names.map((k) => [k, decodedText(parts[k], formats[k])]));
  const baseCerts = Object.fromEntries(names.map((k) => [k, certsOf[k](base[k])]));
  assert.ok((await verifyParts(parts)).ok, "the unmutated evidence verifies ok");
  const tally = { mutations: 0, rejected: 0, passedUnchanged: 0, rejectedUnchanged: 0, byKind: {} };
  const violations = [];
  for (let i = 0; i < COUNT; i++) {
    let pick = Math.floor(rand() * total), part = names[0];
    for (const k of names) { if (pick < parts[k].length) { part = k; break; } pick -= parts[k].length; }
    const m = mutate(parts[part], rand);
    const what = `#${i} ${part} ${m.kind} at ${m.at}${m.value !== undefined ? ` value ${m.value}` : ""}${m.n ? ` n ${m.n}` : ""}`;
    const text = decodedText(m.bytes, formats[part]);
    const sameDecode = text !== null && text === base[part];
    // Certificates compared separately so a violation says which changed (a certificate the
    // verifier ignores, or only the text around unchanged certificates).
    const sameCerts = text !== null && certsOf[part](text).join() === baseCerts[part].join();
    const unchanged = sameDecode && sameCerts;
    let v;
    try {
      v = await verifyParts({ ...parts, [part]: m.bytes });
    } catch (e) {
      violations.push(`${what}: verify() threw ${e?.name}: ${e?.message}`);
      continue;
    }
    tally.mutations++;
    tally.byKind[m.kind] = (tally.byKind[m.kind] ?? 0) + 1;
    if (v.ok && !unchanged) {
      const change = text === null ? "decode() rejects it" : sameCerts ? "decoded evidence changed, certificate DER unchanged" : "a certificate's DER changed";
      violations.push(`${what}: ok (${v.status}) although ${change}`);
    }
    else if (v.ok) tally.passedUnchanged++;
    else {
      tally.rejected++;
      if (unchanged) tally.rejectedUnchanged++;
    }
  }
  console.log(`  seed 0x${SEED.toString(16)}: ${JSON.stringify(tally)}`);
  assert.equal(violations.slice(0, 20), [], `${violations.length} violation(s) of ${COUNT} (seed 0x${SEED.toString(16)})`);
  assert.is(tally.mutations, COUNT);
  return tally;
}

const TDX_NOW = "2025-07-19T10:00:34Z";
const TDX_COLLATERAL = data("collateral/intel/dcap-qvl-tdx-collateral-bundle.json");

test(`TDX (dcap-qvl v4 quote, real collateral, ${TDX_NOW}): ${COUNT} seeded mutations never verify unless decode and every PCK chain DER are unchanged`, async () => {
  await campaign({
    parts: { quote: Uint8Array.from(data("tdx/dcap-qvl-tdx-quote-v4.dat")) },
    formats: { quote: undefined },
    certsOf: { quote: quoteCertificates },
    verifyParts: ({ quote }) => verify(quote, { now: TDX_NOW, collateral: TDX_COLLATERAL, policy: { reportData: expected["tdx/dcap-qvl-tdx-quote-v4.dat"].report_data } }),
  });
});

const SNP_NOW = "2025-09-12T00:00:00Z";
const MILAN_CRL = data("collateral/amd/openpcc-milan-vcek-crl-2505.der");

test(`SNP (trustee Milan report + its certificate table, real Milan CRL, ${SNP_NOW}): ${COUNT} seeded mutations of report and table never verify unless both decode and every certificate DER are unchanged`, async () => {
  await campaign({
    parts: {
      report: Uint8Array.from(data("snp/trustee-report-v2-milan.bin")),
      auxblob: Uint8Array.from(data("snp/constructed-certtable-vcek-milan.bin")),
    },
    formats: { report: undefined, auxblob: "snp-certs" },
    certsOf: { report: () => [], auxblob: tableCertificates },
    verifyParts: ({ report, auxblob }) => verify(report, { now: SNP_NOW, auxblob, crl: MILAN_CRL, policy: { reportData: expected["snp/trustee-report-v2-milan.bin"].report_data } }),
  });
});

test.run();
