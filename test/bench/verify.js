// Suite "verify": verify() per quote/report with the chain and collateral already seen (the same
// evidence and collateral verified again and again, as a relying party re-checking evidence
// does), against @phala/dcap-qvl's JS verify and against the floor: the bare WebCrypto
// verifications no verifier can skip (TDX: quote signature + QE report signature, P-256; SNP:
// report signature, P-384), keys imported from the evidence each time, run one after the other.
import { createRequire } from "node:module";
import { data, expected } from "../data.js";
import { locate } from "../../hosts/js/decode.js";
import { verify } from "../../hosts/js/verify/index.js";
import { parseCertificates } from "../../hosts/js/verify/x509.js";
import { webSignature } from "../../hosts/js/verify/amd/signature.js";

const require = createRequire(import.meta.url);
const dcapQvl = require("@phala/dcap-qvl/src/verify.js");

export const name = "verify";
export const title = "verify() with chain and collateral cached (repeat verification), per quote/report";

const subtle = globalThis.crypto.subtle;
const FLOOR = "WebCrypto floor";
const STRICT = "floor, keys cached, concurrent";
const DCAP = "dcap-qvl verify";

const TDX = { quote: "tdx/dcap-qvl-tdx-quote-v4.dat", bundle: "collateral/intel/dcap-qvl-tdx-collateral-bundle.json", now: "2025-07-19T10:00:34Z" };
const SNP = { report: "snp/trustee-report-v2-milan.bin", vcek: "snp/trustee-vcek-milan.der", chain: "collateral/amd/go-sev-guest-ask-ark-milan-vcek.pem", crl: "collateral/amd/openpcc-milan-vcek-crl-2505.der", now: "2025-09-12T00:00:00Z" };

const at = (bytes, loc, path) => { const [o, l] = loc.get(path); return bytes.subarray(o, o + l); };

/**
 * TDX floor: import the attestation key and verify the quote; import the PCK key and verify the
 * QE report. With `strict`, both keys are imported once up front and the two verifications run
 * concurrently: the least any verifier can do per call (what ours does once its caches are warm).
 */
function tdxFloor(quote, { strict = false } = {}) {
  const loc = locate(quote);
  const qe = "signatureData.certificationData.qeReportCertificationData";
  const pem = new TextDecoder().decode(at(quote, loc, `${qe}.certificationData`));
  const spki = new Uint8Array(parseCertificates(pem)[0].publicKey.rawData); // the PCK leaf is first
  const [signedEnd] = loc.get("signatureData.length");
  const P256 = { name: "ECDSA", namedCurve: "P-256" }, SHA256 = { name: "ECDSA", hash: "SHA-256" };
  const point = new Uint8Array(65);
  point[0] = 4;
  point.set(at(quote, loc, "signatureData.attestationKey"), 1);
  if (strict) {
    const keys = Promise.all([subtle.importKey("raw", point, P256, false, ["verify"]), subtle.importKey("spki", spki, P256, false, ["verify"])]);
    return async () => {
      const [ak, pck] = await keys;
      const [a, b] = await Promise.all([
        subtle.verify(SHA256, ak, at(quote, loc, "signatureData.quoteSignature"), quote.subarray(0, signedEnd)),
        subtle.verify(SHA256, pck, at(quote, loc, `${qe}.qeReportSignature`), at(quote, loc, `${qe}.qeReport`)),
      ]);
      if (!a || !b) throw new Error("TDX floor: a signature did not verify");
      return a && b;
    };
  }
  return async () => {
    const ak = await subtle.importKey("raw", point, P256, false, ["verify"]);
    const a = await subtle.verify(SHA256, ak, at(quote, loc, "signatureData.quoteSignature"), quote.subarray(0, signedEnd));
    const pck = await subtle.importKey("spki", spki, P256, false, ["verify"]);
    const b = await subtle.verify(SHA256, pck, at(quote, loc, `${qe}.qeReportSignature`), at(quote, loc, `${qe}.qeReport`));
    if (!a || !b) throw new Error("TDX floor: a signature did not verify");
    return a && b;
  };
}

/** SNP floor: import the VCEK key (once, with `strict`) and verify the report signature. */
function snpFloor(report, vcek, { strict = false } = {}) {
  const loc = locate(report);
  const spki = new Uint8Array(parseCertificates(vcek)[0].publicKey.rawData);
  const [sigOff] = loc.get("signature");
  const imported = () => subtle.importKey("spki", spki, { name: "ECDSA", namedCurve: "P-384" }, false, ["verify"]);
  const once = strict ? imported() : null;
  return async () => {
    const key = await (once ?? imported());
    const sig = webSignature(at(report, loc, "signature.r"), at(report, loc, "signature.s"));
    const ok = await subtle.verify({ name: "ECDSA", hash: "SHA-384" }, key, sig, report.subarray(0, sigOff));
    if (!ok) throw new Error("SNP floor: the signature did not verify");
    return ok;
  };
}

async function mustPass(v, label) {
  const r = await v;
  if (!r.ok) throw new Error(`${label}: not verified (${r.decidedBy}: ${r.checks.find((c) => !c.ok)?.detail})`);
}

export async function run(ctx) {
  const rows = [];
  const opts = ctx.quick ? {} : { rounds: 15, roundMs: 60, warmupMs: 300 };

  const quote = new Uint8Array(data(TDX.quote));
  const bundleBytes = data(TDX.bundle);
  const bundle = JSON.parse(bundleBytes.toString("utf8"));
  const nowSecs = Date.parse(TDX.now) / 1000;
  const tdxOpts = { now: TDX.now, collateral: bundleBytes, policy: { reportData: expected[TDX.quote].report_data } }; // the nonce, as a relying party passes it
  await mustPass(verify(quote, tdxOpts), "TDX");
  if (dcapQvl.verify(quote, bundle, nowSecs).status !== "UpToDate") throw new Error("dcap-qvl: TDX quote not UpToDate");
  const t = await ctx.compareAsync({
    ours: () => verify(quote, tdxOpts),
    [FLOOR]: tdxFloor(quote),
    [STRICT]: tdxFloor(quote, { strict: true }),
    [DCAP]: async () => dcapQvl.verify(quote, bundle, nowSecs),
  }, opts);
  rows.push({ label: "TDX quote v4 + bundle", ours: t.ours, peerName: FLOOR, peer: t[FLOOR], within: 1.3 });
  rows.push({ label: "TDX quote v4 + bundle", ours: t.ours, peerName: STRICT, peer: t[STRICT], within: 1.3 });
  rows.push({ label: "TDX quote v4 + bundle", ours: t.ours, peerName: DCAP, peer: t[DCAP], target: 5 });

  const report = new Uint8Array(data(SNP.report));
  const vcek = data(SNP.vcek);
  const snpOpts = { now: SNP.now, certs: [vcek, data(SNP.chain)], crl: data(SNP.crl), policy: { reportData: expected[SNP.report].report_data } };
  await mustPass(verify(report, snpOpts), "SNP");
  const s = await ctx.compareAsync({ ours: () => verify(report, snpOpts), [FLOOR]: snpFloor(report, vcek), [STRICT]: snpFloor(report, vcek, { strict: true }) }, opts);
  rows.push({ label: "SNP report v2 + VCEK", ours: s.ours, peerName: FLOOR, peer: s[FLOOR], within: 1.3 });
  rows.push({ label: "SNP report v2 + VCEK", ours: s.ours, peerName: STRICT, peer: s[STRICT], within: 1.3 });

  return {
    rows,
    notes: [
      `TDX: ${TDX.quote} with ${TDX.bundle} at ${TDX.now}; SNP: ${SNP.report} with ${SNP.vcek} + ASK/ARK and AMD's CRL at ${SNP.now}. Same evidence and collateral every call.`,
      "ours = verify() (decode, every check, policy with the evidence's nonce, verdict); floor = the signature verifications alone, sequential, keys imported each call; " +
        "strict floor = the same verifications with keys imported once and run concurrently (ours caches keys by exact bytes and overlaps checks); dcap-qvl gets the parsed bundle object.",
      "ratio = peer ns / ours ns (above 1: ours is faster; against the floor, at best about 1).",
    ],
  };
}
