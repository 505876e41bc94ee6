// Intel DCAP quote verification (TDX v4/v5, SGX v3) as a relying party does it, in phases that
// each return what the next needs: the evidence (structure and the quote's own signatures), the
// PCK chain, the collateral (its signing chains, CRLs, signatures and windows), the TCB level and
// status, then the policy. Every step is a named check (catalogue.js), in that order; the
// verdict names the first failing one. Slow signature checks on the quote's own bytes overlap
// the rest through Checks.defer and are settled before any status is reported.
import { decode, locate } from "../../decode.js";
import { fromHex, toBytes } from "../../bytes.js";
import { caches } from "../cache.js";
import { readOptions } from "../options.js";
import { checkCrl, namesIssuer, sameCertificate, validatePath } from "../path.js";
import { checkFreshness, checkSgxBody, checkTcbStatus, checkTdxBody, revocationUnchecked } from "../policy.js";
import { Checks, errorDetail, verdict } from "../result.js";
import { resolveRoots, anchorsFor, withRootHint } from "../roots.js";
import { commonName, parseCertificates } from "../x509.js";
import { loadCollateralCached, signedBy, windowAt } from "./collateral.js";
import { fetchCollateral } from "./pcs.js";
import { pckChainParts, pckExtensions } from "./pck.js";
import { checkQeReportData, checkQeReportSignature, checkQuoteSignature } from "./quote.js";
import { behindUpToDate, checkTdxModule, combineStatus, matchQeIdentity, matchTcbLevels, qeTcbLevel, svnBytes } from "./tcb.js";
import { checkNoRtmrs, checkReplay } from "../rtmr/index.js";
import { checkEventLogPolicy } from "../rtmr/policy.js";

export { loadCollateral } from "./collateral.js";
export { pckExtensions } from "./pck.js";

const INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607"; // quote header QE_VENDOR_ID for Intel's QE
const ECDSA_P256_KEY = 2; // quote header ATTESTATION_KEY_TYPE: ECDSA-256-with-P-256
const PCK_CERT_CHAIN = 5; // certification data type: concatenated PCK cert chain
const TCB_SIGNING_CN = "Intel SGX TCB Signing";

// Intel's PKI (SGX PCK Certificate and CRL Profile): the root signs the PCK Platform/Processor
// CAs and the TCB Signing certificate directly; a PCK CA signs PCK leaves. Leaf first.
const ROOT = { name: "Intel SGX Root CA", cn: /^Intel SGX Root CA$/ };
export const INTEL_SHAPES = Object.freeze({
  pck: { name: "the PCK chain", roles: [{ name: "Intel SGX PCK Certificate", cn: /^Intel SGX PCK Certificate$/ }, { name: "Intel SGX PCK Platform/Processor CA", cn: /^Intel SGX PCK (Platform|Processor) CA$/ }, ROOT] },
  tcbSigning: { name: "the TCB signing chain", roles: [{ name: TCB_SIGNING_CN, cn: /^Intel SGX TCB Signing$/ }, ROOT] },
});

/** Intel trust anchors: opts.roots as a list/PEM/DER of Intel roots, or { intel } (see roots.js). */
export function intelRoots(roots) {
  if (roots == null) return resolveRoots().intel;
  if (Array.isArray(roots) || typeof roots === "string" || ArrayBuffer.isView(roots) || roots instanceof ArrayBuffer) return parseCertificates(roots);
  return resolveRoots(roots).intel;
}

/**
 * Verifies a DCAP quote. Options (options.js): now, roots (Intel roots as PEM/DER/list, or
 * { intel }), collateral (see loadCollateral; without it, opts.fetcher gets it from Intel PCS,
 * addresses in opts.pcs: see pcs.js), pckCertChain (for quotes that do not embed one), policy.
 * Returns the verdict (result.js) with status = the combined Intel TCB status and advisoryIds.
 */
export function verifyDcapQuote(bytes, opts = {}) {
  return verifyQuote(toBytes(bytes), readOptions(opts));
}

/** verifyDcapQuote for a quote verify() has decoded already: `quote` = decode(), `loc` = locate() of `bytes`. */
export function verifyDecodedQuote(bytes, quote, loc, opts = {}) {
  return verifyQuote(bytes, readOptions(opts), { quote, loc });
}

async function verifyQuote(bytes, opts, decodedAlready) {
  const { policy, now } = opts;
  const roots = intelRoots(opts.roots);
  const checks = new Checks();
  const done = (extra = {}) => verdict(checks, { ...extra, now });

  const ev = await evidence(checks, bytes, opts, decodedAlready);
  if (!ev.quote) return done();
  if (!ev.chain) return done({ evidence: ev.quote });
  const pck = await pckPhase(checks, ev.chain, roots, now);
  const col = await collateralPhase(checks, ev, pck, roots, opts);
  const tcb = col ? tcbPhase(checks, ev, pck, col) : null;
  await checks.settle();
  // A TCB status is only reported for evidence that is genuine: with any failed check above, the
  // verdict's status stays "Failed" so that no caller reads "UpToDate" off a forged quote.
  let status, advisoryIds = [];
  if (checks.ok && tcb) {
    const c = combineStatus(tcb);
    // An unrecognized status string never reaches the verdict's status: it stays "Failed".
    if (c.recognized) ({ status, advisoryIds } = c);
    const behind = c.status === "UpToDate" ? [] : behindUpToDate({
      info: col.collateral.tcbInfo.info, pckTcb: pck.ext.tcb, teeTcbSvn: ev.isTdx ? svnBytes(ev.quote.body.teeTcbSvn) : null,
      module: tcb.module, qeIsvSvn: ev.qe.qeReport.isvSvn, identity: col.collateral.qeIdentity.identity,
    });
    checks.add("dcap.tcbStatus", c.recognized, c.recognized
      ? `platform ${tcb.platformLevel.status}${tcb.module ? `, TDX module ${tcb.module.status}` : ""}, QE ${tcb.qeLevel.status} -> ${status}${status === "UpToDate" ? "" : behind.length ? `; behind UpToDate: ${behind.join("; ")}` : "; no version is behind UpToDate (the status comes from configuration or advisories)"}`
      : `unrecognized TCB status ${JSON.stringify(c.status)}`);
  }
  const logs = ev.isTdx ? checkReplay(checks, ev.quote.body, opts) : checkNoRtmrs(checks, opts, "an SGX quote");
  policyPhase(checks, ev.quote, opts, status, col, logs);
  return done({ status, advisoryIds, evidence: ev.quote });
}

// ---- phase 1: the evidence -------------------------------------------------------------------

/**
 * decode and dcap.structure; starts the quote's own signature checks. Returns { quote, loc, qe, chain, isTdx }.
 * @returns {Promise<any>}
 */
async function evidence(checks, bytes, opts, decodedAlready) {
  /** @type {any} set by the decode check */
  let quote;
  let loc;
  const decoded = await checks.run("decode", () => {
    ({ quote, loc } = decodedAlready ?? { quote: decode(bytes, { format: "quote" }), loc: locate(bytes, { format: "quote" }) });
    return { ok: true, detail: `${quote.format} v${quote.header.version} (${quote.body.bodyType})` };
  });
  if (!decoded) return {};
  const h = quote.header;
  const isTdx = quote.format === "tdx-quote";
  const problems = [];
  if (isTdx && h.version !== 4 && h.version !== 5) problems.push(`TDX quote version ${h.version} (expected 4 or 5)`);
  if (h.attestationKeyType !== ECDSA_P256_KEY) problems.push(`attestation key type ${h.attestationKeyType} (only 2, ECDSA P-256, is defined)`);
  if (h.qeVendorId !== INTEL_QE_VENDOR_ID) problems.push(`QE vendor ID ${h.qeVendorId} is not Intel's`);
  const sd = quote.signatureData;
  const qe = sd.certificationData?.qeReportCertificationData ?? sd.qeReportCertificationData;
  if (!qe) problems.push(`certification data type ${sd.certificationData?.type} carries no QE report (expected type 6)`);
  /** @type {any} */
  let chain;
  let supply;
  if (qe && !problems.length) {
    const cd = qe.certificationData;
    try {
      if (cd.type === PCK_CERT_CHAIN) chain = { ...pckChainParts(cd.encoding === "DER" ? cd.pckCertChain.map(fromHex) : cd.pckCertChain), source: "quote" };
      else if (opts.pckCertChain ?? opts.collateral?.pckCertChain) chain = { ...pckChainParts(opts.pckCertChain ?? opts.collateral.pckCertChain), source: "caller" };
      else { problems.push(`QE certification data type ${cd.type} holds no PCK chain; supply the PCK certificate chain`); supply = ["pckCertChain"]; }
    } catch (e) { problems.push(errorDetail(e)); }
  }
  if (!checks.add("dcap.structure", !problems.length, problems.length ? problems.join("; ")
    : `${quote.format} v${h.version}, ECDSA P-256 attestation key, Intel QE, PCK chain of ${chain.certs.length} from the ${chain.source}`, { supply })) {
    return { quote };
  }
  checks.defer("dcap.quoteSignature", () => checkQuoteSignature(bytes, loc));
  checks.defer("dcap.qeReportSignature", () => checkQeReportSignature(bytes, loc, chain.leaf));
  checks.defer("dcap.qeReportData", () => checkQeReportData(bytes, loc));
  return { quote, loc, qe, chain, isTdx };
}

// ---- phase 2: the PCK chain --------------------------------------------------------------------

// The SGX extensions depend only on the leaf's bytes (certificates are cached by bytes in x509.js).
function pckExtensionsOf(leaf) {
  let ext = caches.pckExtensions.get(leaf);
  if (!ext) caches.pckExtensions.set(leaf, (ext = Object.freeze(pckExtensions(leaf))));
  return ext;
}

/**
 * dcap.pckChain and dcap.pckExtensions. Returns { leaf, ca, anchor, ext } (ca/anchor/ext may be undefined).
 * @returns {Promise<any>}
 */
async function pckPhase(checks, chain, roots, now) {
  const { leaf, cas } = chain;
  const anchors = await anchorsFor(roots, cas);
  let path = withRootHint(await validatePath(leaf, { intermediates: cas, anchors, now, shape: INTEL_SHAPES.pck }),
    roots, anchors, "the PCK chain (the quote's, or pckCertChain)", ["pckCertChain"]);
  // Every certificate the quote carries must be on the path (a copy of the root counts): bytes
  // that no check covers would let a changed quote pass as the same evidence.
  const onPath = (c) => path.path.some((p) => sameCertificate(p, c));
  const stray = path.ok && chain.certs.find((c) => !onPath(c));
  if (stray) path = { ok: false, rule: "shape", detail: `shape: the PCK chain from the ${chain.source} carries ${commonName(stray)}, which is not on the validated path`, path: path.path };
  checks.record("dcap.pckChain", path);
  // Even when the path fails, its CA and root (by name) are what the CRL checks below name.
  const ca = path.path?.[1], anchor = path.ok ? path.path[2] : undefined;
  let ext;
  await checks.run("dcap.pckExtensions", () => {
    ext = pckExtensionsOf(leaf);
    return { ok: true, detail: `fmspc ${ext.fmspc}, pceId ${ext.pceId}, pceSvn ${ext.tcb.pceSvn}, cpuSvn ${ext.tcb.cpuSvn}, ${ext.sgxType}` };
  });
  return { leaf, ca, anchor, ext };
}

// ---- phase 3: the collateral -------------------------------------------------------------------

/** The first certificate named as the TCB signer in a chain (the one its signature is checked with). */
const signerIn = (list) => list.find((c) => commonName(c) === TCB_SIGNING_CN);

/**
 * dcap.collateral, the signing chains, both CRLs, and the TCB info / QE identity signatures and
 * windows. Returns { collateral, crls } or null when there is no collateral.
 * @returns {Promise<any>}
 */
async function collateralPhase(checks, ev, pck, roots, opts) {
  const { now, policy } = opts;
  let collateral, error;
  try {
    if (opts.collateral != null) collateral = loadCollateralCached(opts.collateral);
    else if (opts.fetcher) {
      collateral = await fetchCollateral(opts.fetcher, { ...opts.pcs, tdx: ev.isTdx, fmspc: pck.ext?.fmspc, pckCa: pck.ca, root: pck.anchor });
    }
  } catch (e) { error = e; }
  if (!checks.add("dcap.collateral", Boolean(collateral), collateral
    ? `TCB info, QE identity, signing chain and CRLs parsed${collateral.fetchedFrom ? ` (fetched: ${Object.values(collateral.fetchedFrom).join(", ")})` : ""}`
    : error ? errorDetail(error) : "no collateral: supply Intel's TCB info, QE identity, TCB signing chain and CRLs, or allow fetching from Intel PCS",
  { supply: ["collateral", "fetcher"] })) {
    return null;
  }
  const tcbSigner = signerIn(collateral.tcbSigningChain);
  const qeSigner = signerIn(collateral.qeIdentityChain);
  const signingPath = async (signer, list, what) => {
    if (!signer) return { ok: false, rule: "no-issuer", detail: `no-issuer: no "${TCB_SIGNING_CN}" certificate in the ${what} issuer chain` };
    const anchors = await anchorsFor(roots, list);
    return withRootHint(await validatePath(signer, { intermediates: list, anchors, now, shape: INTEL_SHAPES.tcbSigning }),
      roots, anchors, `the ${what} issuer chain (collateral)`, ["collateral"]);
  };
  const tcbPath = await signingPath(tcbSigner, collateral.tcbSigningChain, "TCB info");
  checks.record("dcap.tcbSigningChain", tcbPath);
  const sameSigner = tcbSigner && qeSigner && sameCertificate(qeSigner, tcbSigner);
  const qePath = sameSigner ? { ...tcbPath, detail: `${tcbPath.detail} (the TCB info's signer)` }
    : await signingPath(qeSigner, collateral.qeIdentityChain, "QE identity");
  checks.record("dcap.qeIdentityChain", qePath);

  // Revocation: the root's CRL covers the CAs and TCB signers it issued, the PCK CA's the leaf.
  const anchor = pck.anchor ?? (await anchorsFor(roots, [...collateral.tcbSigningChain, ...collateral.qeIdentityChain]))
    .find((r) => tcbSigner && namesIssuer(tcbSigner, r));
  const crls = [];
  const crlCheck = async (crl, issuer, certs, what) => {
    if (!crl) return revocationUnchecked(policy, `no ${what} in the collateral`, ["collateral", "fetcher"]);
    if (!issuer) return { ok: false, rule: "no-issuer", detail: `no-issuer: no validated ${what === "Root CA CRL" ? "trusted root" : "PCK CA"} to check the ${what} with` };
    crls.push({ what, crl });
    return checkCrl(crl, { issuer, now, certs, graceSeconds: policy.crlGracePeriod });
  };
  checks.record("dcap.rootCrl", await crlCheck(collateral.rootCaCrl, anchor, [pck.ca, tcbSigner, qeSigner].filter(Boolean), "Root CA CRL"));
  checks.record("dcap.pckCrl", await crlCheck(collateral.pckCrl, pck.ca, [pck.leaf], "PCK CA CRL"));

  const { tcbInfo, qeIdentity } = collateral;
  const info = tcbInfo.info, identity = qeIdentity.identity;
  // The signature alone: whether the signer is trusted is the signing chain check's verdict.
  const signature = (doc, signer, what) => async () => {
    if (!signer) return { ok: false, detail: `no "${TCB_SIGNING_CN}" certificate to check the ${what} signature with` };
    const ok = await signedBy(doc, signer);
    return { ok, detail: ok ? `${what} (${doc.signed.length} bytes) signed by ${TCB_SIGNING_CN}` : `${what} signature does not verify over its exact bytes` };
  };
  const tcbOk = await checks.run("dcap.tcbInfo.signature", signature(tcbInfo, tcbSigner, "TCB info"));
  checks.record("dcap.tcbInfo.window", windowAt(info, now, "TCB info"));
  checks.record("dcap.tcbInfo.platform", tcbInfoPlatform(info, ev.isTdx, pck.ext));
  const qeOk = await checks.run("dcap.qeIdentity.signature", signature(qeIdentity, qeSigner, "QE identity"));
  checks.record("dcap.qeIdentity.window", windowAt(identity, now, "QE identity"));
  // What an untrusted TCB info or QE identity says is never evaluated: a forged document must not
  // show as an "ok" TCB level beside the failed chain check.
  return { collateral, crls, trusted: { tcbInfo: tcbOk && tcbPath.ok, qeIdentity: qeOk && qePath.ok } };
}

function tcbInfoPlatform(info, isTdx, ext) {
  const wantId = isTdx ? "TDX" : "SGX";
  if (info.id !== wantId || (isTdx && info.version < 3)) return { ok: false, detail: `TCB info is ${info.id} v${info.version}, not for a ${wantId} quote` };
  if (!ext) return { ok: false, detail: "PCK extensions unreadable" };
  if (info.fmspc !== ext.fmspc) return { ok: false, detail: `TCB info is for FMSPC ${info.fmspc}, the PCK for ${ext.fmspc}` };
  if (info.pceId !== ext.pceId) return { ok: false, detail: `TCB info is for PCE-ID ${info.pceId}, the PCK for ${ext.pceId}` };
  return { ok: true, detail: `${info.id} TCB info v${info.version} for FMSPC ${info.fmspc}, PCE-ID ${info.pceId}` };
}

// ---- phase 4: the TCB level ----------------------------------------------------------------------

/** The QE identity match and level, the TDX module, and the platform level. Returns { platformLevel, module, qeLevel } or null. */
function tcbPhase(checks, ev, pck, { collateral, trusted }) {
  const info = collateral.tcbInfo.info, identity = collateral.qeIdentity.identity;
  const qeReport = ev.qe.qeReport;
  const wantQe = ev.isTdx ? "TD_QE" : "QE";
  const untrusted = (what, checksOf) => `not evaluated: the ${what} is not trusted (${checksOf})`;
  if (!trusted.qeIdentity) {
    for (const name of ["dcap.qeIdentity.match", "dcap.qeIdentity.tcb"]) checks.add(name, false, untrusted("QE identity", "dcap.qeIdentityChain, dcap.qeIdentity.signature"));
  } else {
    checks.record("dcap.qeIdentity.match", identity.id !== wantQe ? { ok: false, detail: `QE identity is for ${identity.id}, not ${wantQe}` } : matchQeIdentity(qeReport, identity));
  }
  const qeLevel = trusted.qeIdentity ? qeTcbLevel(qeReport.isvSvn, identity) : null;
  if (trusted.qeIdentity) {
    checks.add("dcap.qeIdentity.tcb", Boolean(qeLevel), qeLevel ? `QE ISVSVN ${qeReport.isvSvn} -> ${qeLevel.status}`
      : `QE ISVSVN ${qeReport.isvSvn} is below every QE identity TCB level`);
  }
  if (!trusted.tcbInfo) {
    checks.add("dcap.tcbLevel", false, untrusted("TCB info", "dcap.tcbSigningChain, dcap.tcbInfo.signature"));
    return null;
  }
  let module = null;
  if (ev.isTdx && info.id === "TDX") {
    module = checkTdxModule(info, ev.quote.body, ev.quote.header.version);
    checks.record("dcap.tdxModule", module);
  }
  let platformLevel = null;
  if (!pck.ext) checks.add("dcap.tcbLevel", false, "PCK extensions unreadable");
  else if (ev.isTdx && info.id !== "TDX") checks.add("dcap.tcbLevel", false, "TCB info has no TDX components");
  else {
    const { sgxLevel, tdxLevel } = matchTcbLevels(info, pck.ext.tcb, ev.isTdx ? svnBytes(ev.quote.body.teeTcbSvn) : null);
    platformLevel = ev.isTdx ? tdxLevel : sgxLevel;
    checks.add("dcap.tcbLevel", Boolean(platformLevel), !sgxLevel
      ? `no matching TCB level: the PCK's SGX components ${pck.ext.tcb.compSvn.join(",")} / PCESVN ${pck.ext.tcb.pceSvn} meet none`
      : !platformLevel ? `no matching TCB level: teeTcbSvn ${ev.quote.body.teeTcbSvn} meets no TDX level at or below the SGX one`
        : `TCB level ${platformLevel.date ?? ""} ${platformLevel.status}${platformLevel.advisoryIds.length ? ` (${platformLevel.advisoryIds.join(", ")})` : ""}`.replace("  ", " "));
  }
  return platformLevel && qeLevel ? { platformLevel, module, qeLevel } : null;
}

// ---- phase 5: the policy -------------------------------------------------------------------------

function policyPhase(checks, quote, { policy, now }, status, col, logs) {
  if (status !== undefined) checkTcbStatus(checks, status, policy);
  if (col) {
    checkFreshness(checks, policy, now, { tcbInfo: col.collateral.tcbInfo.info, qeIdentity: col.collateral.qeIdentity.identity, crls: col.crls });
  } else checkFreshness(checks, policy, now, {});
  if (quote.format === "tdx-quote") checkTdxBody(checks, quote.body, policy);
  else checkSgxBody(checks, quote.body, policy);
  checkEventLogPolicy(checks, logs, policy);
}
