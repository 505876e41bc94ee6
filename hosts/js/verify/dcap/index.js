// Intel DCAP quote verification (TDX v4/v5, SGX v3) as a relying party does it: the quote's own
// signatures and QE binding, the PCK chain to a trusted Intel SGX Root CA with both CRLs, the TCB
// info and QE identity signed by the TCB signing chain and current at `now`, and the TCB status
// (platform level, TDX module, QE) combined by Intel's rules. Every step is a named check, in
// the order a verifier needs them; the verdict names the first failing one.
import { decode, locate } from "../../decode.js";
import { checkSgxBody, checkTcbStatus, checkTdxBody, makePolicy } from "../policy.js";
import { Checks, errorDetail, verdict } from "../result.js";
import { resolveRoots } from "../roots.js";
import { checkCrl, checkLink, commonName, equalBytes, fromHex, parseCertificates, selfSigned, toBytes, validAt, verifyChain } from "../x509.js";
import { loadCollateralCached, signedBy, windowAt } from "./collateral.js";
import { fetchCollateral } from "./pcs.js";
import { pckChainParts, pckExtensions } from "./pck.js";
import { checkQeReportData, checkQeReportSignature, checkQuoteSignature } from "./quote.js";
import { checkTdxModule, combineStatus, matchQeIdentity, matchTcbLevels, qeTcbLevel, svnBytes } from "./tcb.js";

export { loadCollateral } from "./collateral.js";
export { pckExtensions } from "./pck.js";

const INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607"; // quote header QE_VENDOR_ID for Intel's QE
const ECDSA_P256_KEY = 2; // quote header ATTESTATION_KEY_TYPE: ECDSA-256-with-P-256
const PCK_CERT_CHAIN = 5; // certification data type: concatenated PCK cert chain
const TCB_SIGNING_CN = "Intel SGX TCB Signing";

/** Intel trust anchors: opts.roots as a list/PEM/DER of Intel roots, or { intel } (see roots.js). */
export function intelRoots(roots) {
  if (roots == null) return resolveRoots().intel;
  if (Array.isArray(roots) || typeof roots === "string" || ArrayBuffer.isView(roots) || roots instanceof ArrayBuffer) return parseCertificates(roots);
  return resolveRoots(roots).intel;
}

function structure(quote) {
  const h = quote.header;
  const problems = [];
  if (quote.format === "tdx-quote" && h.version !== 4 && h.version !== 5) problems.push(`TDX quote version ${h.version} (expected 4 or 5)`);
  if (h.attestationKeyType !== ECDSA_P256_KEY) problems.push(`attestation key type ${h.attestationKeyType} (only 2, ECDSA P-256, is defined)`);
  if (h.qeVendorId !== INTEL_QE_VENDOR_ID) problems.push(`QE vendor ID ${h.qeVendorId} is not Intel's`);
  const sd = quote.signatureData;
  const qe = sd.certificationData?.qeReportCertificationData ?? sd.qeReportCertificationData;
  if (!qe) problems.push(`certification data type ${sd.certificationData?.type} carries no QE report (expected type 6)`);
  return { qe, problems };
}

/** The PCK chain: from the quote (type 5 inside the QE certification data) or supplied. */
function pckChain(qe, opts, collateral) {
  const cd = qe.certificationData;
  if (cd.type === PCK_CERT_CHAIN) {
    const certs = cd.encoding === "DER" ? cd.pckCertChain.map(fromHex) : cd.pckCertChain;
    return { ...pckChainParts(certs), source: "quote" };
  }
  const supplied = opts.pckCertChain ?? collateral?.pckCertChain;
  if (!supplied) throw Object.assign(new Error(`QE certification data type ${cd.type} holds no PCK chain; pass opts.pckCertChain`), { code: "NO_PCK_CHAIN" });
  return { ...pckChainParts(supplied), source: "caller" };
}

const issuerOf = (cert, pool) => pool.find((c) => c.subject === cert.issuer);

// The SGX extensions depend only on the leaf's bytes (certificates are cached by bytes in x509.js).
const pckExtCache = new WeakMap();
function pckExtensionsOf(leaf) {
  let ext = pckExtCache.get(leaf);
  if (!ext) pckExtCache.set(leaf, (ext = Object.freeze(pckExtensions(leaf))));
  return ext;
}

/**
 * Verifies a DCAP quote. Options: now (Date or ISO time; default the current time), roots (Intel
 * roots as PEM/DER/list, or { intel }), collateral (see loadCollateral; without it, a fetcher
 * (fetch.js) gets it from Intel PCS, options in opts.pcs: see pcs.js), pckCertChain (for quotes
 * that do not embed one), policy (see policy.js). Returns the verdict (see result.js) with
 * status = the combined Intel TCB status and advisoryIds.
 */
export function verifyDcapQuote(bytes, opts = {}) {
  return verifyQuote(toBytes(bytes), opts);
}

/** verifyDcapQuote for a quote verify() has decoded already: `quote` = decode(), `loc` = locate() of `bytes`. */
export function verifyDecodedQuote(bytes, quote, loc, opts = {}) {
  return verifyQuote(bytes, opts, { quote, loc });
}

async function verifyQuote(bytes, opts, decodedAlready) {
  const policy = makePolicy(opts.policy);
  const now = opts.now === undefined ? new Date() : new Date(opts.now);
  if (Number.isNaN(now.getTime())) throw new TypeError(`opts.now is not a time: ${opts.now}`);
  const roots = intelRoots(opts.roots);
  const checks = new Checks();

  let quote, loc;
  const decoded = await checks.run("decode", () => {
    ({ quote, loc } = decodedAlready ?? { quote: decode(bytes, { format: "quote" }), loc: locate(bytes, { format: "quote" }) });
    return { ok: true, detail: `${quote.format} v${quote.header.version} (${quote.body.bodyType})` };
  });
  if (!decoded) return verdict(checks);
  const isTdx = quote.format === "tdx-quote";

  let collateral, collateralError;
  if (opts.collateral != null) {
    try { collateral = loadCollateralCached(opts.collateral); } catch (e) { collateralError = e; }
  }

  // -- the quote itself
  const { qe, problems } = structure(quote);
  let chain;
  if (qe && !problems.length) {
    try { chain = pckChain(qe, opts, collateral); } catch (e) { problems.push(errorDetail(e)); }
  }
  if (!checks.add("dcap.structure", !problems.length, problems.length ? problems.join("; ")
    : `${quote.format} v${quote.header.version}, ECDSA P-256 attestation key, Intel QE, PCK chain of ${chain.certs.length} from the ${chain.source}`)) {
    return verdict(checks, { evidence: quote });
  }
  const { leaf, cas } = chain;
  // The three checks on the quote's own bytes are independent of each other and of everything
  // below: they run while the chain and collateral are checked (settled before the TCB status).
  checks.defer("dcap.quoteSignature", () => checkQuoteSignature(bytes, loc));
  checks.defer("dcap.qeReportSignature", () => checkQeReportSignature(bytes, loc, leaf));
  checks.defer("dcap.qeReportData", () => checkQeReportData(bytes, loc));

  // -- PCK chain: leaf <- Platform/Processor CA <- trusted root
  const ca = issuerOf(leaf, cas);
  const anchor = ca && issuerOf(ca, roots);
  await checks.run("dcap.pckLeaf", () => (ca ? checkLink(leaf, ca, now) : { ok: false, detail: `no PCK CA named "${leaf.issuer}" in the chain` }));
  await checks.run("dcap.pckCa", () => (anchor ? checkLink(ca, anchor, now) : { ok: false, detail: ca ? `${commonName(ca)} is not issued by a trusted root ("${ca.issuer}")` : "no PCK CA" }));
  await checks.run("dcap.root", async () => {
    if (!anchor) return { ok: false, detail: "no trusted root issues the PCK CA" };
    if (!(await selfSigned(anchor))) return { ok: false, detail: `trusted root ${commonName(anchor)} is not self-signed` };
    const copies = cas.filter((c) => c !== ca);
    const stranger = copies.find((c) => !roots.some((r) => equalBytes(new Uint8Array(r.rawData), new Uint8Array(c.rawData))));
    if (stranger) return { ok: false, detail: `the quote's ${commonName(stranger)} is not a trusted root certificate` };
    const v = validAt(anchor, now);
    return v.ok ? { ok: true, detail: `${commonName(anchor)} trusted, ${v.detail}` } : v;
  });
  let pck;
  await checks.run("dcap.pckExtensions", () => {
    pck = pckExtensionsOf(leaf);
    return { ok: true, detail: `fmspc ${pck.fmspc}, pceId ${pck.pceId}, pceSvn ${pck.tcb.pceSvn}, cpuSvn ${pck.tcb.cpuSvn}, ${pck.sgxType}` };
  });

  // -- collateral (fetched only now: the PCK chain says which FMSPC and PCK CA it is for)
  if (opts.collateral == null && opts.fetcher) {
    try { collateral = await fetchCollateral(opts.fetcher, { ...opts.pcs, tdx: isTdx, fmspc: pck?.fmspc, pckCa: ca, root: anchor }); } catch (e) { collateralError = e; }
  }
  if (!checks.add("dcap.collateral", Boolean(collateral), collateral ? `TCB info, QE identity, signing chain and CRLs parsed${collateral.fetchedFrom ? ` (fetched: ${Object.values(collateral.fetchedFrom).join(", ")})` : ""}`
    : collateralError ? errorDetail(collateralError) : "no collateral given (opts.collateral or opts.fetcher)")) {
    return finish(checks, quote, policy);
  }
  const { tcbInfo, qeIdentity } = collateral;
  const signer = (list) => list.find((c) => commonName(c) === TCB_SIGNING_CN);
  const tcbSigner = signer(collateral.tcbSigningChain);

  await checks.run("dcap.rootCrl", () => {
    if (!collateral.rootCaCrl) return { ok: false, detail: "no Root CA CRL in the collateral" };
    if (!anchor) return { ok: false, detail: "no trusted root to check the Root CA CRL with" };
    return checkCrl(collateral.rootCaCrl, { issuer: anchor, now, certs: [ca, tcbSigner].filter(Boolean) });
  });
  await checks.run("dcap.pckCrl", () => {
    if (!collateral.pckCrl) return { ok: false, detail: "no PCK CA CRL in the collateral" };
    if (!ca) return { ok: false, detail: "no PCK CA to check the PCK CRL with" };
    return checkCrl(collateral.pckCrl, { issuer: ca, now, certs: [leaf] });
  });
  await checks.run("dcap.tcbSigningChain", async () => {
    if (!tcbSigner) return { ok: false, detail: `no "${TCB_SIGNING_CN}" certificate in the TCB info issuer chain` };
    return verifyChain(tcbSigner, { intermediates: collateral.tcbSigningChain, roots, now });
  });

  // -- TCB info
  const info = tcbInfo.info;
  await checks.run("dcap.tcbInfo.signature", async () => {
    // The signature alone: whether the signer is trusted at `now` is dcap.tcbSigningChain's verdict.
    if (!tcbSigner) return { ok: false, detail: `no "${TCB_SIGNING_CN}" certificate to check the TCB info signature with` };
    const ok = await signedBy(tcbInfo, tcbSigner);
    return { ok, detail: ok ? `TCB info (${tcbInfo.signed.length} bytes) signed by ${TCB_SIGNING_CN}` : "TCB info signature does not verify over its exact bytes" };
  });
  checks.record("dcap.tcbInfo.window", windowAt(info, now, "TCB info"));
  await checks.run("dcap.tcbInfo.platform", () => {
    const wantId = isTdx ? "TDX" : "SGX";
    if (info.id !== wantId || (isTdx && info.version < 3)) return { ok: false, detail: `TCB info is ${info.id} v${info.version}, not for a ${wantId} quote` };
    if (!pck) return { ok: false, detail: "PCK extensions unreadable" };
    if (info.fmspc !== pck.fmspc) return { ok: false, detail: `TCB info is for FMSPC ${info.fmspc}, the PCK for ${pck.fmspc}` };
    if (info.pceId !== pck.pceId) return { ok: false, detail: `TCB info is for PCE-ID ${info.pceId}, the PCK for ${pck.pceId}` };
    return { ok: true, detail: `${info.id} TCB info v${info.version} for FMSPC ${info.fmspc}, PCE-ID ${info.pceId}` };
  });

  // -- QE identity
  const identity = qeIdentity.identity;
  await checks.run("dcap.qeIdentity.signature", async () => {
    const qeSigner = signer(collateral.qeIdentityChain);
    if (!qeSigner) return { ok: false, detail: `no "${TCB_SIGNING_CN}" certificate in the QE identity issuer chain` };
    // A QE identity chain other than the TCB info's is checked here; the shared one already was.
    if (!equalBytes(new Uint8Array(qeSigner.rawData), new Uint8Array(tcbSigner?.rawData ?? new ArrayBuffer(0)))) {
      const c = await verifyChain(qeSigner, { intermediates: collateral.qeIdentityChain, roots, now });
      if (!c.ok) return c;
    }
    const ok = await signedBy(qeIdentity, qeSigner);
    return { ok, detail: ok ? `QE identity (${qeIdentity.signed.length} bytes) signed by ${TCB_SIGNING_CN}` : "QE identity signature does not verify over its exact bytes" };
  });
  checks.record("dcap.qeIdentity.window", windowAt(identity, now, "QE identity"));
  const qeReport = qe.qeReport;
  await checks.run("dcap.qeIdentity.match", () => {
    const wantId = isTdx ? "TD_QE" : "QE";
    if (identity.id !== wantId) return { ok: false, detail: `QE identity is for ${identity.id}, not ${wantId}` };
    return matchQeIdentity(qeReport, identity);
  });
  const qeLevel = qeTcbLevel(qeReport.isvSvn, identity);
  checks.add("dcap.qeIdentity.tcb", Boolean(qeLevel), qeLevel ? `QE ISVSVN ${qeReport.isvSvn} -> ${qeLevel.status}`
    : `QE ISVSVN ${qeReport.isvSvn} is below every QE identity TCB level`);

  // -- TCB level and status
  let module = null;
  if (isTdx && info.id === "TDX") {
    module = checkTdxModule(info, quote.body, quote.header.version);
    checks.record("dcap.tdxModule", module);
  }
  let platformLevel = null;
  await checks.run("dcap.tcbLevel", () => {
    if (!pck) return { ok: false, detail: "PCK extensions unreadable" };
    if (isTdx && info.id !== "TDX") return { ok: false, detail: "TCB info has no TDX components" };
    const { sgxLevel, tdxLevel } = matchTcbLevels(info, pck.tcb, isTdx ? svnBytes(quote.body.teeTcbSvn) : null);
    platformLevel = isTdx ? tdxLevel : sgxLevel;
    if (!sgxLevel) return { ok: false, detail: `no matching TCB level: the PCK's SGX components ${pck.tcb.compSvn.join(",")} / PCESVN ${pck.tcb.pceSvn} meet none` };
    if (!platformLevel) return { ok: false, detail: `no matching TCB level: teeTcbSvn ${quote.body.teeTcbSvn} meets no TDX level at or below the SGX one` };
    return { ok: true, detail: `TCB level ${platformLevel.date ?? ""} ${platformLevel.status}${platformLevel.advisoryIds.length ? ` (${platformLevel.advisoryIds.join(", ")})` : ""}`.replace("  ", " ") };
  });
  let status, advisoryIds = [];
  await checks.settle();
  // A TCB status is only reported for evidence that is genuine: with any failed check above, the
  // verdict's status stays "Failed" so that no caller reads "UpToDate" off a forged quote.
  if (checks.ok && platformLevel && qeLevel) {
    const c = combineStatus({ platformLevel, module, qeLevel });
    status = c.status;
    advisoryIds = c.advisoryIds;
    checks.add("dcap.tcbStatus", c.recognized, c.recognized
      ? `platform ${platformLevel.status}${module ? `, TDX module ${module.status}` : ""}, QE ${qeLevel.status} -> ${status}`
      : `unrecognized TCB status ${JSON.stringify(status)}`);
  }
  return finish(checks, quote, policy, status, advisoryIds);
}

async function finish(checks, quote, policy, status, advisoryIds = []) {
  await checks.settle();
  if (status !== undefined) checkTcbStatus(checks, status, policy);
  if (quote.format === "tdx-quote") checkTdxBody(checks, quote.body, policy);
  else checkSgxBody(checks, quote.body, policy);
  return verdict(checks, { status, advisoryIds, evidence: quote });
}
