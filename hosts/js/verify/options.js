// verify()'s options, read once for both vendors: an unknown key or an unusable value is the
// caller's error (OptionError, thrown before anything is checked), so a typo such as `crls` or
// `now: "garbage"` can never quietly weaken or skip a check.
import { makePolicy } from "./policy.js";

/** An option verify() cannot use: `option` names it. */
export class OptionError extends Error {
  constructor(option, message) {
    super(`option ${option}: ${message}`);
    this.name = "OptionError";
    this.code = "BAD_OPTION";
    this.option = option;
  }
}

// Every option and what it is for (index.d.ts VerifyOptions says the same with types).
const KNOWN = Object.freeze({
  now: "time to judge certificates and collateral at (Date, ISO 8601 text or ms since epoch)",
  policy: "what the evidence must say (policy.js)",
  roots: "trust anchors replacing the pinned Intel/AMD roots; cca: the trusted CCA platform keys",
  format: "the evidence format, when detection is not wanted",
  provider: "the configfs-tsm provider the evidence came from",
  auxblob: "SEV-SNP certificate table",
  certs: "SEV-SNP VCEK/VLEK/ASK/ASVK certificates",
  crl: "SEV-SNP CRL(s) signed by the ARK",
  product: "SEV-SNP product line (Milan, Genoa, Turin)",
  fetcher: "fetches collateral from Intel PCS / AMD KDS (createFetcher)",
  collateral: "Intel DCAP collateral",
  pcs: "Intel PCS/PCCS addresses ({ baseUrl, rootCaCrlUrl })",
  pckCertChain: "PCK certificate chain for quotes that do not embed one",
  ccel: "TDX CC event log (CCEL log area) to replay against the quote's RTMRs",
  ccelTable: "the ACPI CCEL table the log is checked against",
  runtimeLog: "tsmkit runtime event log (runtime-log.js), extending RTMRs after the CCEL",
});

/** The evaluation time from `now` (default: the current time); OptionError if it is not a time. */
function evaluationTime(now) {
  if (now === undefined) return new Date();
  const ok = now instanceof Date || typeof now === "string" || (typeof now === "number" && Number.isFinite(now));
  const t = ok ? new Date(now instanceof Date ? now.getTime() : now) : new Date(NaN);
  if (Number.isNaN(t.getTime())) throw new OptionError("now", `not a time: ${String(now)} (give a Date, ISO 8601 text or ms since epoch)`);
  return t;
}

const read = new WeakSet(); // option objects readOptions() made

/**
 * The options as the verifiers use them: every key known, `now` a Date, `policy` complete and
 * frozen. Throws OptionError (or PolicyError for the policy) on anything else.
 */
export function readOptions(/** @type {any} */ opts = {}) {
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) throw new OptionError("", "expected an options object");
  if (read.has(opts)) return opts; // verify() read them already and hands them on
  for (const k of Object.keys(opts)) {
    if (!(k in KNOWN)) throw new OptionError(k, `unknown option (known: ${Object.keys(KNOWN).join(", ")})`);
  }
  if (opts.fetcher != null && (typeof opts.fetcher.get !== "function" || typeof opts.fetcher.response !== "function")) {
    throw new OptionError("fetcher", "expected an object with get() and response() (see createFetcher)");
  }
  const out = { ...opts, now: evaluationTime(opts.now), policy: makePolicy(opts.policy) };
  read.add(out);
  return out;
}
