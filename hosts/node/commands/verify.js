// `tsmkit verify`: a relying party's check of evidence — signatures, certificate chains, CRLs,
// TCB status and the caller's policy — printed as the checks that ran, in order.
// Exit status: 0 verified, 1 verification failed (naming the deciding check), 2 bad input.
import { hexFlag, parse, parseTime, readEvidence, readInput, UsageError } from "./args.js";
import { decode, DecodeError } from "../../js/decode.js";
import { verify, makePolicy, policyFromJson, createFetcher } from "../../js/verify/index.js";
import { hex } from "../../js/bytes.js";
import { parseCertificates, commonName } from "../../js/verify/x509.js";
import { AMD_PRODUCTS } from "../../js/verify/roots.js";
import { keysOf } from "../../js/verify/cca/keys.js";
import { COLLATERAL_PIECES } from "../../js/verify/dcap/collateral-files.js";
import { readCollateral } from "../collateral.js";

const HELP = `usage: npx tsmkit verify [--json] FILE|- [--aux F] [--certs F]... [--crl F]... [--product P]
         [--collateral F|DIR] [--roots F]... [--now TIME] [--report-data HEX] [--policy F.json] [--offline]
         [--ccel F [--ccel-table F]] [--runtime-log F]
  FILE|-        the evidence: binary, or hex / base64 text (detected, and said on stderr)
  --aux         SEV-SNP: the certificate table (configfs auxblob)
  --certs       SEV-SNP: VCEK/VLEK/ASK/ASVK certificates (PEM or DER), repeatable
  --crl         SEV-SNP: the ARK's CRL (PEM or DER), repeatable
  --product     SEV-SNP: ${AMD_PRODUCTS.join(", ")}, for a v2 report whose certificates do not say
  --collateral  TDX/SGX: a dcap-qvl bundle (JSON), or a directory of Intel collateral under any
                file names: TCB info, QE identity, TCB signing chain, Root CA and PCK CA CRLs
                (PEM, DER or hex), each recognised by its content and listed on stderr
  --roots       trust anchors replacing the pinned Intel/AMD roots (PEM/DER), repeatable;
                Arm CCA: the platform's CPAK/IAK (PEM public key, certificate or JWK), or a
                JSON map from platform instance ID (hex) to key(s) (PEM text or JWK)
  --now         judge certificates and collateral at this time instead of now: ISO 8601
                (2025-07-19T10:00:34Z; a time without a zone is UTC) or Unix seconds
  --report-data the nonce you asked the TEE to sign (hex, up to 64 bytes; zeros may follow it):
                required, as policy reportData, unless the policy sets allowAnyReportData
  --policy      JSON policy (expected measurements, nonce, minimum TCB, allowed VMPLs, ...)
  --ccel        TDX: the CC event log (/sys/firmware/acpi/tables/data/CCEL), replayed to RTMR0-3
  --ccel-table  TDX: its ACPI CCEL table (/sys/firmware/acpi/tables/CCEL)
  --runtime-log TDX: tsmkit's runtime event log, extending RTMRs after the CCEL
  --offline     never fetch collateral from Intel PCS or AMD KDS
  --json        the verdict as JSON; any failure as {"error": {"code", ..., "message"}}`;

const OPTIONS = {
  json: { type: "boolean" }, aux: { type: "string" }, certs: { type: "string", multiple: true },
  crl: { type: "string", multiple: true }, collateral: { type: "string" }, roots: { type: "string", multiple: true },
  now: { type: "string" }, policy: { type: "string" }, "report-data": { type: "string" }, offline: { type: "boolean" }, product: { type: "string" },
  ccel: { type: "string" }, "ccel-table": { type: "string" }, "runtime-log": { type: "string" },
};

// verify() option -> the flag that gives it (for OptionError and checks' `supply`).
const FLAG_OF = {
  auxblob: "--aux", certs: "--certs", crl: "--crl", collateral: "--collateral", roots: "--roots",
  now: "--now", policy: "--policy", fetcher: "--offline", pckCertChain: "--collateral", product: "--product",
  "roots.cca": "--roots",
  ccel: "--ccel", ccelTable: "--ccel-table", runtimeLog: "--runtime-log",
};

// Flags that feed one vendor's verifier, and what goes where instead.
const APPLIES = {
  aux: { to: ["snp-report"], what: "a SEV-SNP certificate table" },
  certs: { to: ["snp-report"], what: "SEV-SNP certificates" },
  crl: { to: ["snp-report"], what: "SEV-SNP revocation (the ARK's CRL; Intel CRLs go in --collateral)" },
  product: { to: ["snp-report"], what: "the SEV-SNP product line" },
  collateral: { to: ["tdx-quote", "sgx-quote"], what: "Intel collateral (SEV-SNP takes --aux, --certs and --crl)" },
  ccel: { to: ["tdx-quote"], what: "a TDX event log (replayed to a TD quote's RTMRs)" },
  "ccel-table": { to: ["tdx-quote"], what: "the ACPI CCEL table of a TDX event log" },
  "runtime-log": { to: ["tdx-quote"], what: "a runtime event log (replayed to a TD quote's RTMRs)" },
};

/** "supply" option names as the flags (or action) that provide them. */
function supplyText(keys, offline) {
  const say = (k) => {
    if (k === "policy.reportData") return "--report-data HEX (the nonce)";
    if (k.startsWith("policy.")) return `set ${k.slice(7)} in --policy FILE`;
    if (k === "fetcher") return offline ? "allow fetching (drop --offline)" : null;
    if (k === "pckCertChain") return "the PCK certificate chain in --collateral DIR";
    if (k === "product") return `--product ${AMD_PRODUCTS.join("|")}`;
    return FLAG_OF[k] ? `${FLAG_OF[k]} FILE` : k;
  };
  return [...new Set(keys.map(say).filter(Boolean))].join(" or ");
}

/**
 * Anchors by vendor: AMD roots are the ARKs (CN ARK-*), Intel's the Intel SGX certificates. A
 * CCA token has no vendor root: its platform key (CPAK/IAK) is what the caller trusts, so for
 * one every other certificate, PEM public key or JWK is a CCA platform key; for other evidence
 * every other certificate is an Intel anchor and a bare key is refused (it anchors nothing there).
 */
async function rootsFrom(paths, format) {
  const intel = [], amd = [], cca = [];
  const ccaEvidence = format === "cca-token";
  for (const p of paths) {
    const input = await readInput(p, undefined, "--roots");
    const map = ccaEvidence ? instanceMap(input) : null;
    if (map) {
      if (paths.length > 1) throw new UsageError(`--roots ${p}: a map by platform instance ID names every platform's key; give it alone`, { code: "USAGE", flag: "--roots" });
      return { cca: map };
    }
    let certs;
    try {
      certs = parseCertificates(input);
    } catch (certError) {
      let keyError;
      try { keysOf(input, p); } catch (e) { keyError = e; }
      if (keyError) throw new UsageError(`--roots ${p}: neither certificates (${certError.message}) nor a public key (${keyError.message})`, { code: "BAD_VALUE", flag: "--roots" });
      if (!ccaEvidence) throw new UsageError(`--roots ${p}: a public key is a CCA platform key (CPAK/IAK); this evidence is a ${format}, whose anchors are certificates`, { code: "NOT_APPLICABLE", flag: "--roots" });
      cca.push(input);
      continue;
    }
    for (const c of certs) {
      const cn = commonName(c);
      (/^ARK-/.test(cn) ? amd : ccaEvidence && !/^Intel SGX /.test(cn) ? cca : intel).push(c);
    }
  }
  return { ...(intel.length && { intel }), ...(amd.length && { amd }), ...(cca.length && { cca }) };
}

/**
 * A CCA roots file that is a JSON object other than a JWK or JWK Set: a map from platform
 * instance ID to key(s), which verify() checks entry by entry. null for anything else.
 */
function instanceMap(input) {
  let v;
  try { v = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(input)); } catch { return null; }
  return v && typeof v === "object" && !Array.isArray(v) && !("kty" in v) && !("keys" in v) ? v : null;
}

/** --collateral FILE|DIR, classified by content; the listing goes to stderr (or into --json). */
async function collateralFrom(path) {
  try {
    return await readCollateral(path);
  } catch (e) {
    if (e.code === "BAD_COLLATERAL") throw new UsageError(`--collateral ${path}: ${e.message}`, { code: "BAD_COLLATERAL", flag: "--collateral" });
    throw new UsageError(`cannot read ${path}: ${e.code ?? e.message}`, { code: "CANNOT_READ", flag: "--collateral" });
  }
}

function listing({ files, missing }, path, offline) {
  const width = Math.max(...files.map((f) => f.name.length));
  const label = (role) => COLLATERAL_PIECES[role] ?? (role === "bundle" ? "dcap-qvl bundle" : role);
  const lines = files.map((f) => `  ${f.name.padEnd(width)}  ${label(f.role).padEnd(20)}  ${f.what}` +
    (f.supply ? `; give it with ${supplyText(f.supply, offline)}` : ""));
  if (missing.length) lines.push(`  not found: ${missing.map(label).join(", ")} (their checks will fail)`);
  return `tsmkit verify: --collateral ${path}, recognised by content:\n${lines.join("\n")}\n`;
}

/** Decodes up front: bad evidence is bad input (exit 2, the decoder's own error), not a verdict. */
function formatOf(bytes, hint) {
  try {
    return decode(bytes).format;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    const err = e.toJSON().error;
    const json = { ...err, message: hint ? `${err.message} (${hint})` : err.message };
    throw Object.assign(new UsageError(hint ? `${e.message} (${hint})` : e.message, { code: e.code }), { toJSON: () => ({ error: json }) });
  }
}

export async function run(argv, io) {
  const { values, positionals } = parse(argv, OPTIONS, { positionals: [1, 1], help: HELP });
  if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
  const now = values.now === undefined ? new Date() : parseTime(values.now, "--now");
  const { bytes, hint } = await readEvidence(positionals[0], io, { command: "verify" });
  const format = formatOf(bytes, hint);
  for (const [flag, { to, what }] of Object.entries(APPLIES)) {
    if (values[flag] !== undefined && !to.includes(format)) {
      throw new UsageError(`--${flag} is for ${what}; this evidence is a ${format}`, { code: "NOT_APPLICABLE", flag: `--${flag}` });
    }
  }
  const { opts, collateral } = await optionsFrom(values, now, io, format);
  let result;
  try {
    result = await verify(bytes, opts);
  } catch (e) {
    if (e?.name === "OptionError") throw new UsageError(`${FLAG_OF[e.option] ?? e.option}: ${e.message}`, { code: "BAD_VALUE", flag: FLAG_OF[e.option] });
    if (e?.name === "PolicyError" || e?.name === "CertError" || e?.name === "CollateralError" || e instanceof TypeError) {
      throw new UsageError(e.message, { code: e.code ?? "BAD_VALUE" });
    }
    throw e;
  }
  const evaluatedAt = result.evaluatedAt ?? now.toISOString();
  io.stdout.write(values.json ? jsonOutput(result, evaluatedAt, collateral, values.offline) : summary(result, evaluatedAt, policyDiffs(result, opts.policy), values.offline));
  const decodeFailed = result.checks[0]?.name === "decode" && !result.checks[0].ok;
  return result.ok ? 0 : decodeFailed ? 2 : 1;
}

/** verify()'s options from the flags (files read, collateral classified and listed on stderr). */
async function optionsFrom(values, now, io, format) {
  const opts = { now, fetcher: createFetcher({ offline: Boolean(values.offline) }) };
  if (values.product) {
    if (!AMD_PRODUCTS.includes(values.product)) throw new UsageError(`--product: unknown product "${values.product}" (known: ${AMD_PRODUCTS.join(", ")})`, { code: "BAD_VALUE", flag: "--product" });
    opts.product = values.product;
  }
  if (values.aux) opts.auxblob = await readInput(values.aux, undefined, "--aux");
  if (values.certs) opts.certs = await Promise.all(values.certs.map((p) => readInput(p, undefined, "--certs")));
  if (values.crl) {
    const crls = await Promise.all(values.crl.map((p) => readInput(p, undefined, "--crl")));
    opts.crl = crls.length === 1 ? crls[0] : crls;
  }
  let collateral;
  if (values.collateral) {
    collateral = await collateralFrom(values.collateral);
    opts.collateral = collateral.collateral;
    const bundleFile = collateral.files.length === 1 && collateral.files[0].role === "bundle";
    if (!values.json && !bundleFile) io.stderr.write(listing(collateral, values.collateral, values.offline));
  }
  if (values.roots) opts.roots = await rootsFrom(values.roots, format);
  if (values["ccel-table"] && !values.ccel) throw new UsageError("--ccel-table needs --ccel (the log it describes)", { code: "USAGE", flag: "--ccel-table" });
  if (values.ccel) opts.ccel = await readInput(values.ccel, undefined, "--ccel");
  if (values["ccel-table"]) opts.ccelTable = await readInput(values["ccel-table"], undefined, "--ccel-table");
  if (values["runtime-log"]) opts.runtimeLog = await readInput(values["runtime-log"], undefined, "--runtime-log");
  let policy = {};
  if (values.policy) {
    const text = new TextDecoder().decode(await readInput(values.policy, undefined, "--policy"));
    try {
      opts.policy = policyFromJson(text);
    } catch (e) {
      throw new UsageError(`--policy ${values.policy}: ${e.message}`, { code: e.code ?? "BAD_VALUE", flag: "--policy" });
    }
    policy = JSON.parse(text); // as written, for --report-data to add to
  }
  if (values["report-data"] !== undefined) {
    const reportData = hex(hexFlag(values["report-data"], "--report-data"));
    if (!reportData.length || reportData.length > 128) throw new UsageError(`--report-data: expected 1-64 bytes of hex, got ${reportData.length / 2}`, { code: "BAD_VALUE", flag: "--report-data" });
    const inPolicy = opts.policy?.reportData ?? null;
    if (inPolicy !== null && inPolicy !== reportData) throw new UsageError(`--report-data differs from reportData in --policy ${values.policy}`, { code: "USAGE", flag: "--report-data" });
    opts.policy = makePolicy({ ...policy, reportData });
  }
  return { opts, collateral };
}

/** --json: the verdict, each check's supply as flags (hint), the collateral listing, and on failure an error naming the deciding check. */
function jsonOutput(result, evaluatedAt, collateral, offline) {
  const failed = result.checks.find((c) => !c.ok);
  const out = {
    ...result,
    evaluatedAt,
    checks: result.checks.map((c) => {
      const supply = c.supply && supplyText(c.supply, offline);
      return supply ? { ...c, hint: `supply ${supply}` } : c;
    }),
    ...(collateral && { collateralFiles: { files: collateral.files, missing: collateral.missing } }),
    ...(failed && { error: { code: "NOT_VERIFIED", check: failed.name, message: `check ${failed.name} failed: ${failed.detail}` } }),
  };
  return JSON.stringify(out, null, 2) + "\n";
}

/** The evidence's value of a policy-pinned field (TDX/SGX in the quote body, SNP at the top, the CCA realm challenge). */
const fieldOf = (evidence, name) => (evidence?.format === "cca-token" && name === "reportData" ? evidence.realm.claims.challenge
  : (evidence?.body ?? evidence)?.[name]);

/**
 * For failed policy checks on one expected hex value (reportData, a pinned measurement): the
 * actual and expected values in rows of 32 bytes, differing bytes marked, rows that agree left out.
 */
function policyDiffs(result, policy) {
  const out = new Map();
  for (const c of result.checks) {
    if (c.ok || !c.name.startsWith("policy.") || !policy) continue;
    const name = c.name.slice(7);
    const actual = fieldOf(result.evidence, name);
    const pinned = name === "reportData" ? policy.reportData : policy.measurements?.[name];
    const want = Array.isArray(pinned) ? (pinned.length === 1 ? pinned[0] : null) : pinned;
    if (typeof actual !== "string" || typeof want !== "string") continue;
    out.set(c.name, hexDiff(actual, name === "reportData" ? want.padEnd(actual.length, "0") : want));
  }
  return out;
}

function hexDiff(actual, want) {
  const rows = [];
  let count = 0;
  const bytes = Math.max(actual.length, want.length) / 2;
  for (let row = 0; row < bytes; row += 32) {
    const a = actual.slice(row * 2, row * 2 + 64), w = want.slice(row * 2, row * 2 + 64);
    const marks = Array.from({ length: Math.max(a.length, w.length) / 2 }, (_, j) => (a.slice(j * 2, j * 2 + 2) === w.slice(j * 2, j * 2 + 2) ? "  " : "^^"));
    const n = marks.filter((m) => m === "^^").length;
    if (!n) continue;
    count += n;
    const label = `bytes ${row}-${Math.min(row + 32, bytes) - 1}`;
    rows.push(`${label.padEnd(12)} actual    ${a}`, `${"".padEnd(12)} expected  ${w}`, `${"".padEnd(12)}           ${marks.join("").trimEnd()}`);
  }
  return [`${count} of ${bytes} bytes differ:`, ...rows];
}

function summary(r, evaluatedAt, diffs, offline) {
  const width = Math.max(...r.checks.map((c) => c.name.length));
  const head = r.ok
    ? `verified${r.status ? `: ${r.status}` : ""}${r.advisoryIds?.length ? ` (${r.advisoryIds.join(", ")})` : ""}\n`
    : `NOT verified${r.status ? ` (${r.status})` : ""}: check ${r.decidedBy} failed\n`;
  const pad = " ".repeat(width + 10);
  const lines = r.checks.flatMap((c) => {
    const supply = c.supply && supplyText(c.supply, offline);
    return [
      `  ${c.ok ? "ok  " : "FAIL"}  ${c.name.padEnd(width)}  ${c.detail}`,
      ...(supply ? [`${pad}supply ${supply}`] : []),
      ...(diffs.get(c.name) ?? []).map((l) => `${pad}${l}`),
    ];
  });
  return `${head}evaluated at ${evaluatedAt}\n${lines.join("\n")}\n`;
}
