// SEV-SNP report verification: the report is signed by a VCEK (or VLEK) whose certificate chains
// ARK -> ASK (ASVK for a VLEK) -> VCEK/VLEK under AMD's RSA-PSS keys, was issued for exactly the
// TCB the report claims (and, for a VCEK, for this chip), and the report meets the policy.
import { decode, locate } from "../../decode.js";
import { checkSnpReport, makePolicy } from "../policy.js";
import { Checks, errorDetail, verdict } from "../result.js";
import { resolveRoots } from "../roots.js";
import { checkCrl, checkLink, commonName, parseCrl, selfSigned, toBytes, validAt, x509 } from "../x509.js";
import { gatherCertificates, issuerProduct, roleOf } from "./certs.js";
import { TCB_PARTS, amdExtensions } from "./extensions.js";
import { crlUrl } from "./kds.js";
import { checkReportSignature } from "./signature.js";

const ECDSA_P384_SHA384 = 1; // SNP ABI spec, Table 139: SIGNATURE_ALGO

function productOf(report, leaf, opts) {
  const claims = [
    ["opts.product", opts.product],
    ["report CPUID", report.product !== "unknown" ? report.product : undefined],
    [leaf ? `${commonName(leaf)} issuer` : "", leaf && issuerProduct(leaf)],
  ].filter(([, p]) => p);
  if (!claims.length) return { ok: false, detail: "product unknown: the report has no CPUID (v2) and no certificate names it; pass opts.product" };
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

async function crlOf(opts, product, key) {
  if (opts.crl) return parseCrl(opts.crl);
  if (!opts.fetcher || opts.fetcher.offline) return undefined;
  const bytes = await opts.fetcher.get(crlUrl(product, key === "VLEK" ? "vlek" : "vcek"), {
    expiresOf: (b) => new x509.X509Crl(b).nextUpdate,
  });
  return parseCrl(bytes);
}

/**
 * Verifies a decoded SNP report (`report`, `loc` from decode/locate on `bytes`) into `checks`.
 * Options: now, roots, certs, auxblob, crl, fetcher, product, policy (see verify()).
 */
export async function checkSnp(checks, bytes, report, loc, opts = {}) {
  const now = opts.now ? new Date(opts.now) : new Date();
  checks.add("snp.signatureAlgo", report.signatureAlgo === ECDSA_P384_SHA384,
    report.signatureAlgo === ECDSA_P384_SHA384 ? "ECDSA P-384 with SHA-384" : `unsupported signature algorithm ${report.signatureAlgo}`);
  const kind = report.keyInfo.signingKey;
  if (!checks.add("snp.signingKey", kind === "VCEK" || kind === "VLEK", kind === "none" ? "report is not signed (signing key none)" : `signed by a ${kind}`)) return;

  let gathered;
  const pre = productOf(report, undefined, opts);
  const haveCerts = await checks.run("snp.certificates", async () => {
    gathered = await gatherCertificates(report, { ...opts, product: pre.product });
    return gathered.leaf
      ? { ok: true, detail: `${kind} and ${gathered.intermediates.length} ASK/ASVK from ${gathered.sources.join(", ") || "nowhere"}` }
      : { ok: false, detail: `no ${kind} certificate (pass opts.auxblob or opts.certs${kind === "VCEK" ? ", or a fetcher" : ""})` };
  });
  if (!haveCerts) return;
  const { leaf, intermediates } = gathered;
  // The signature check waits on WebCrypto: start it now so it overlaps the chain checks; it is
  // recorded in its place below (the catch only keeps a failure from going unhandled meanwhile).
  const signature = checkReportSignature(bytes, loc, leaf);
  signature.catch(() => {});

  const prod = productOf(report, leaf, opts);
  checks.record("snp.product", prod);
  if (prod.product) {
    const roots = resolveRoots(opts.roots).amd[prod.product] ?? [];
    const intermediateRole = kind === "VLEK" ? "ASVK" : "ASK";
    const ask = intermediates.find((c) => c.subject === leaf.issuer && roleOf(c).role === intermediateRole);
    const ark = roots.find((r) => ask && r.subject === ask.issuer) ?? roots[0];
    await checks.run("snp.ark", async () => {
      if (!ark) return { ok: false, detail: `no trusted ARK for ${prod.product}` };
      if (!(await selfSigned(ark))) return { ok: false, detail: `trusted root ${commonName(ark)} is not a self-signed ARK` };
      const v = validAt(ark, now);
      return v.ok ? { ok: true, detail: `${commonName(ark)} self-signed, ${v.detail}` } : v;
    });
    await checks.run(`snp.${intermediateRole.toLowerCase()}`, async () => {
      if (!ask) {
        const seen = intermediates.map(commonName).join(", ") || "none";
        const want = leaf.issuerName.getField("CN")[0] ?? leaf.issuer;
        return { ok: false, detail: `no ${intermediateRole} named ${want} for ${commonName(leaf)} (have: ${seen})` };
      }
      if (!ark) return { ok: false, detail: "no ARK to check it against" };
      return checkLink(ask, ark, now);
    });
    await checks.run(`snp.${kind.toLowerCase()}`, async () => {
      if (!ask) return { ok: false, detail: `no ${intermediateRole} to check ${commonName(leaf)} against` };
      return checkLink(leaf, ask, now);
    });
    const crl = await crlOf(opts, prod.product, kind).catch((e) => e);
    if (crl instanceof Error) checks.add("snp.crl", false, errorDetail(crl));
    else if (crl && ark) checks.record("snp.crl", await checkCrl(crl, { issuer: ark, now, certs: [ask, leaf].filter(Boolean) }));
  }

  await checks.run("snp.signature", () => signature);
  await checks.run("snp.tcb", () => tcbMatches(report, leaf));
  if (kind === "VCEK") await checks.run("snp.hwId", () => chipMatches(report, leaf));
  checkSnpReport(checks, report, makePolicy(opts.policy));
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
  opts = { ...opts, policy: makePolicy(opts.policy) };
  const checks = new Checks();
  let report, loc;
  const decoded = await checks.run("decode", () => {
    ({ report, loc } = decodedAlready ?? { report: decode(bytes, { format: "snp-report" }), loc: locate(bytes, { format: "snp-report" }) });
    return { ok: true, detail: `SNP report v${report.version} (${report.product})` };
  });
  if (decoded) await checkSnp(checks, bytes, report, loc, opts);
  return verdict(checks, { evidence: report ?? null });
}
