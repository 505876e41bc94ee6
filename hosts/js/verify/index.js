// The relying party's entry point: verify(bytes, opts) decodes the evidence, hands it to the
// verifier for its format (DCAP for TDX/SGX quotes, AMD for SEV-SNP reports) and returns one
// verdict shape for both: { ok, status, advisoryIds, checks: [{ name, ok, detail }], evidence,
// decidedBy, evaluatedAt }. Malformed options (unknown keys, a bad time, policy, roots) throw;
// everything about the evidence is a check.
import { decode, locate } from "../decode.js";
import { verifyDecodedSnpReport, verifySnpReport } from "./amd/index.js";
import { verifyDecodedQuote } from "./dcap/index.js";
import { verifyDecodedCcaToken } from "./cca/index.js";
import { readOptions } from "./options.js";
import { Checks, errorDetail, verdict } from "./result.js";
import { resolveRoots } from "./roots.js";
import { toBytes } from "../bytes.js";

export { makePolicy, policyFromJson, DEFAULT_POLICY, PolicyError } from "./policy.js";
export { createFetcher, MemoryCache, FetchError } from "./fetch.js";
export { OptionError } from "./options.js";
export { replayMatches } from "./rtmr/index.js";
export { CHECKS } from "./catalogue.js";
export { RULES } from "./path.js";
export { verifySnpReport };

// The decoder format each verifiable format is located with (as its verifier would decode it).
const LOCATED = { "snp-report": "snp-report", "tdx-quote": "quote", "sgx-quote": "quote", "cca-token": "cca-token" };

const NOT_VERIFIABLE = {
  tdreport: "a TDREPORT is MACed with a key only its own CPU holds; convert it to a quote first",
  "snp-certs": "a certificate table is collateral, not evidence; supply it as the auxblob of its report",
  "cca-platform-claims": "an unsigned CCA platform claims-set: nothing signs it; verify the whole token (tag 907 or 399) it came from",
  "cca-realm-claims": "an unsigned CCA realm claims-set: nothing signs it; verify the whole token (tag 907 or 399) it came from",
};

/**
 * Verifies attestation evidence. Options (options.js; any other key throws OptionError):
 * - now: Date, ISO 8601 text or ms since epoch to judge certificates and collateral at (default: now)
 * - policy: partial policy (see policy.js; DEFAULT_POLICY is safe)
 * - roots: { intel, amd } trust anchors replacing the pinned ones (see roots.js); cca: the
 *   CCA platform keys (CPAK/IAK) trusted to sign platform tokens (cca/roots.js)
 * - format / provider: as for decode(), when detection is not wanted
 * - SNP: auxblob (certificate table), certs (PEM/DER VCEK/VLEK/ASK/ASVK), crl, product, fetcher
 * - DCAP: collateral (or, without it, fetched from Intel PCS through fetcher; PCCS or other URLs in
 *   pcs: { baseUrl, rootCaCrlUrl }), pckCertChain (see dcap/index.js, dcap/pcs.js)
 */
export async function verify(bytes, opts = {}) {
  bytes = toBytes(bytes);
  opts = readOptions(opts);
  const roots = resolveRoots(opts.roots); // parse overrides up front: a bad anchor is a caller error, not a check
  // Decoded and located once here; the verifier for the format takes both.
  let evidence, loc;
  try {
    evidence = decode(bytes, { format: opts.format, provider: opts.provider });
    const family = LOCATED[evidence.format];
    if (family) loc = locate(bytes, { format: family });
  } catch (e) {
    const checks = new Checks();
    checks.add("decode", false, errorDetail(e));
    return verdict(checks, { now: opts.now });
  }
  const format = evidence.format;
  if (format === "snp-report") return verifyDecodedSnpReport(bytes, evidence, loc, opts);
  if (format === "tdx-quote" || format === "sgx-quote") return verifyDecodedQuote(bytes, evidence, loc, opts);
  if (format === "cca-token") return verifyDecodedCcaToken(bytes, evidence, loc, opts, roots.cca);
  const checks = new Checks();
  checks.add("decode", true, format);
  checks.add("verifiable", false, NOT_VERIFIABLE[format] ?? `no verifier for format ${format}`);
  return verdict(checks, { now: opts.now });
}
