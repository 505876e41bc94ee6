// SEV-SNP report verification: the report is signed by a VCEK (or VLEK) whose certificate chains
// ARK -> ASK (ASVK for a VLEK) -> VCEK/VLEK under AMD's RSA-PSS keys, is not revoked by the ARK's
// CRL (or the policy waives revocation, visibly), was issued for exactly the TCB the report
// claims (and, for a VCEK, for this chip), and the report meets the policy.
import { decode, locate } from "../../decode.js";
import { readOptions } from "../options.js";
import { checkCrl, namesIssuer, sameCertificate, validatePath } from "../path.js";
import { checkSnpReport, revocationUnchecked } from "../policy.js";
import { checkNoRtmrs } from "../rtmr/index.js";
import { checkEventLogPolicy } from "../rtmr/policy.js";
import { FetchError } from "../fetch.js";
import { Checks, errorDetail, verdict } from "../result.js";
import { resolveRoots, anchorsFor, isPin, withRootHint } from "../roots.js";
import { CertError, commonName, parseCrl } from "../x509.js";
import { toBytes } from "../../bytes.js";
import { gatherCertificates, issuerProduct, roleOf } from "./certs.js";
import { TCB_PARTS, amdExtensions } from "./extensions.js";
import { crlUrl } from "./kds.js";
import { checkReportSignature } from "./signature.js";

const ECDSA_P384_SHA384 = 1; // SNP ABI spec, Table 139: SIGNATURE_ALGO

function productOf(report, leaf, opts) {
  const claims = [
    ["the product option", opts.product],
    ["report CPUID", report.product !== "unknown" ? report.product : undefined],
    [leaf ? `${commonName(leaf)} issuer` : "", leaf && issuerProduct(leaf)],
  ].filter(([, p]) => p);
  if (!claims.length) return { ok: false, supply: ["product"], detail: "product unknown: the report has no CPUID (v2) and no certificate names it; supply the product line (Milan, Genoa, Turin)" };
  const product = claims[0][1];
  const other = claims.find(([, p]) => p !== product);
  if (other) return { ok: false, product, detail: `${claims[0][0]} says ${product} but ${other[0]} says ${other[1]}` };
  return { ok: true, product, detail: `${product} (from ${claims.map(([w]) => w).join(", ")})` };
}

function tcbMatches(report, leaf) {
  const ext = amdExtensions(leaf);
  const want = report.reportedTcb;
  const parts = TCB_PARTS.filter((p) => want[p] !== undefined || ext.tcb[p] !== undefined);
  const diff = parts.filter((p) => want[p] !== ext.tcb[p]);
  const show = (t) => parts.map((p) => `${p} ${t[p] ?? "-"}`).join(", ");
  return diff.length
    ? { ok: false, detail: `reportedTcb (${show(want)}) differs from ${commonName(leaf)}'s TCB (${show(ext.tcb)}) in ${diff.join(", ")}` }
    : { ok: true, detail: `reportedTcb equals ${commonName(leaf)}'s TCB (${show(want)})` };
}

function chipMatches(report, leaf) {
  if (report.keyInfo.maskChipKey) return { ok: true, detail: "chip ID masked by guest policy (MASK_CHIP_KEY); not compared" };
  const { hwId } = amdExtensions(leaf);
  if (!hwId) return { ok: false, detail: `${commonName(leaf)} carries no hwID` };
  // Turin VCEKs name the chip by 8 bytes; the report's chip ID is those bytes zero-padded.
  const ok = report.chipId.startsWith(hwId) && /^0*$/.test(report.chipId.slice(hwId.length));
  return { ok, detail: ok ? `hwID equals chipId (${hwId.slice(0, 16)}..)` : `hwID ${hwId.slice(0, 16)}.. is not this report's chipId ${report.chipId.slice(0, 16)}..` };
}

// AMD's PKI (KDS interface spec 57230): the product's ARK signs the ASK, which signs VCEKs, and
// the ASVK, which signs VLEKs; the ARK signs the CRL. Leaf first.
export function amdShape(product, kind) {
  const [leaf, ca] = kind === "VLEK" ? ["SEV-VLEK", `SEV-VLEK-${product}`] : ["SEV-VCEK", `SEV-${product}`];
  return {
    name: `the ${kind} chain`,
    roles: [{ name: leaf, cn: new RegExp(`^${leaf}$`) }, { name: `${kind === "VLEK" ? "ASVK" : "ASK"} ${ca}`, cn: new RegExp(`^${ca}$`) }, { name: `ARK-${product}`, cn: new RegExp(`^ARK-${product}$`) }],
  };
}

/**
 * The ARK's CRL: among opts.crl the ones the ARK issued (by name), else from the fetcher (AMD KDS).
 * Returns { crl } or { missing: why } or throws what fetching threw.
 */
async function crlFor(opts, product, key, ark) {
  const given = opts.crl == null ? [] : (Array.isArray(opts.crl) ? opts.crl : [opts.crl]).map(parseCrl);
  if (given.length) return { crl: given.find((c) => namesIssuer(c, ark)) ?? given[0] };
  if (!opts.fetcher) return { missing: "no CRL given and no fetcher" };
  if (opts.fetcher.offline) return { missing: "no CRL given and the fetcher is offline" };
  const bytes = await opts.fetcher.get(crlUrl(product, key === "VLEK" ? "vlek" : "vcek"), {
    expiresOf: (b) => parseCrl(b).nextUpdate,
  });
  return { crl: parseCrl(bytes) };
}

/**
 * Verifies a decoded SNP report (`report`, `loc` from decode/locate on `bytes`) into `checks`.
 * `opts` are readOptions() output: now, roots, certs, auxblob, crl, fetcher, product, policy.
 */
export async function checkSnp(checks, bytes, report, loc, opts) {
  const { now, policy } = opts;
  checks.add("snp.signatureAlgo", report.signatureAlgo === ECDSA_P384_SHA384,
    report.signatureAlgo === ECDSA_P384_SHA384 ? "ECDSA P-384 with SHA-384" : `unsupported signature algorithm ${report.signatureAlgo}`);
  const kind = report.keyInfo.signingKey;
  if (!checks.add("snp.signingKey", kind === "VCEK" || kind === "VLEK", kind === "none" ? "report is not signed (signing key none)" : `signed by a ${kind}`)) return;

  /** @type {any} set by the snp.certificates check below */
  let gathered;
  const pre = productOf(report, undefined, opts);
  const amdRoots = resolveRoots(opts.roots).amd;
  const haveCerts = await checks.run("snp.certificates", async () => {
    const missing = (why) => ({ ok: false, supply: ["auxblob", "certs", ...(kind === "VCEK" ? ["fetcher"] : [])],
      detail: `no ${kind} certificate: supply the certificate table (auxblob) or the ${kind} (certs)${kind === "VCEK" ? ", or allow fetching from AMD KDS" : ""}${why ? ` (${why})` : ""}` });
    try {
      // A pinned ARK must come with the evidence; the caller's own roots need none.
      const wantArk = pre.product ? isPin(amdRoots[pre.product]) : Object.values(amdRoots).some(isPin);
      gathered = await gatherCertificates(report, { ...opts, product: pre.product, wantArk });
    } catch (e) {
      if (e instanceof FetchError) return missing(`fetching failed: ${errorDetail(e)}`);
      throw e;
    }
    return gathered.leaf ? { ok: true, detail: `${kind} and ${gathered.intermediates.length} ASK/ASVK from ${gathered.sources.join(", ") || "nowhere"}` } : missing();
  });
  if (!haveCerts) return;
  const { leaf, intermediates } = gathered;
  // The report signature waits on WebCrypto: it overlaps the chain checks, recorded in its place.
  checks.defer("snp.signature", () => checkReportSignature(bytes, loc, leaf));

  const prod = productOf(report, leaf, opts);
  checks.record("snp.product", prod);
  if (prod.product) {
    const root = amdRoots[prod.product];
    const anchors = root ? await anchorsFor(root, gathered.arks) : [];
    let path = root
      ? withRootHint(await validatePath(leaf, { intermediates, anchors, now, shape: amdShape(prod.product, kind) }), root, anchors,
        `the ${kind === "VCEK" ? "ASK" : "ASVK"} (certs), in the certificate table (auxblob), or from AMD KDS's cert_chain (fetcher)`, ["certs", "auxblob", "fetcher"])
      : { ok: false, rule: "untrusted-root", detail: `untrusted-root: no trusted ARK for ${prod.product}`, supply: ["roots"] };
    // The certificate table travels with the report: each entry must be a certificate of the
    // validated path under the GUID of its role (the ASVK is filed under the ASK's GUID). A changed
    // ARK copy, an entry under another GUID or a second leaf means the table is not as issued.
    const onPath = (c) => path.path.some((p) => sameCertificate(p, c));
    const filedAs = (c) => ({ ASVK: "ASK" })[roleOf(c).role] ?? roleOf(c).role;
    const stray = path.ok && gathered.table.find((e) => !onPath(e.cert) || filedAs(e.cert) !== e.kind);
    if (stray) {
      path = { ok: false, rule: "shape", path: path.path,
        detail: `shape: the certificate table's ${stray.kind} entry (${commonName(stray.cert)}) is not ${onPath(stray.cert) ? "filed under its role's GUID" : "the certificate on the validated path"}` };
    }
    checks.record("snp.chain", path);
    // Even when the path fails (an expired leaf, say), revocation is judged against the anchor it reached.
    const [, ask, ark] = path.path?.length === 3 && anchors.includes(path.path[2]) ? path.path : [];
    await checks.run("snp.crl", async () => {
      if (!ark) return { ok: false, rule: "no-issuer", detail: "no-issuer: no validated ARK to check revocation with" };
      let got;
      try {
        got = await crlFor(opts, prod.product, kind, ark);
      } catch (e) {
        // Bytes given or fetched as the CRL that do not parse are a bad CRL, never "unchecked".
        if (e instanceof CertError) return { ok: false, rule: "malformed-der", detail: `malformed-der: ${e.message}` };
        throw e;
      }
      if (got.missing) return revocationUnchecked(policy, got.missing, ["crl", "fetcher"]);
      // KDS serves one CRL per product and key kind (/vcek/v1/{product}/crl), signed by the ARK, for
      // the whole hierarchy under it: a listed ASK/ASVK or VCEK/VLEK serial revokes that certificate.
      return checkCrl(got.crl, { issuer: ark, now, certs: [ask, leaf], graceSeconds: policy.crlGracePeriod, wholeHierarchy: true });
    });
  }
  await checks.run("snp.tcb", () => tcbMatches(report, leaf));
  if (kind === "VCEK") await checks.run("snp.hwId", () => chipMatches(report, leaf));
  await checks.settle();
  checkSnpReport(checks, report, policy);
}

/**
 * Decodes and verifies an SNP report; returns the verdict (see result.js). A malformed policy
 * throws PolicyError before anything is checked.
 */
export function verifySnpReport(bytes, opts = {}) {
  return verifyReport(toBytes(bytes), opts);
}

/** verifySnpReport for a report verify() has decoded already: `report` = decode(), `loc` = locate() of `bytes`. */
export function verifyDecodedSnpReport(bytes, report, loc, opts = {}) {
  return verifyReport(bytes, opts, { report, loc });
}

async function verifyReport(bytes, opts, decodedAlready) {
  opts = readOptions(opts);
  const checks = new Checks();
  let report, loc;
  const decoded = await checks.run("decode", () => {
    ({ report, loc } = decodedAlready ?? { report: decode(bytes, { format: "snp-report" }), loc: locate(bytes, { format: "snp-report" }) });
    return { ok: true, detail: `SNP report v${report.version} (${report.product})` };
  });
  if (decoded) {
    await checkSnp(checks, bytes, report, loc, opts);
    checkEventLogPolicy(checks, checkNoRtmrs(checks, opts, "a SEV-SNP report"), opts.policy);
  }
  return verdict(checks, { evidence: report ?? null, now: opts.now });
}
