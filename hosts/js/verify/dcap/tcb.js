// TCB evaluation as Intel's Quote Verification Library does it (QVL TcbLevelCheck,
// TdxModuleCheck, EnclaveReportVerifier; Intel PCS TCB info v3 / enclave identity v2 docs):
// the platform TCB level is the first level (in the order PCS lists them, highest first) whose
// SGX components and PCESVN the PCK certificate meets; for TDX, the first such level whose TDX
// components the TD's TEE_TCB_SVN also meets (components 0-1, the TDX module's SVN and version,
// are skipped when the module version is non-zero: the module identity judges them instead).
// The QE's status comes from the QE identity level its ISVSVN meets, and the statuses combine
// by Intel's convergence rules (below), not by "worst of".

/** Every platform TCB status PCS defines; anything else is unrecognized and fails. */
export const TCB_STATUSES = Object.freeze([
  "UpToDate", "SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded",
  "OutOfDate", "OutOfDateConfigurationNeeded", "Revoked",
]);

// Hex here is the decoder's or validated collateral hex (0-9, a-f, A-F): a digit's value is its
// low nibble, plus 9 for letters (bit 6 set).
const nibble = (c) => (c & 0xf) + (c >> 6) * 9;
function bytesOfHex(h) {
  const out = new Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (nibble(h.charCodeAt(2 * i)) << 4) | nibble(h.charCodeAt(2 * i + 1));
  return out;
}
const atLeast = (have, want, from = 0) => {
  for (let i = from; i < want.length; i++) if ((have[i] ?? 0) < want[i]) return false;
  return true;
};

/**
 * The platform TCB levels the PCK (and the TD's teeTcbSvn, for TDX) meet:
 * { sgxLevel, tdxLevel } (either may be null). `teeTcbSvn` is 16 numbers or null for SGX.
 */
export function matchTcbLevels(info, pckTcb, teeTcbSvn) {
  let sgxLevel = null;
  for (const level of info.tcbLevels) {
    if (!atLeast(pckTcb.compSvn, level.sgx) || pckTcb.pceSvn < level.pceSvn) continue;
    if (!teeTcbSvn) return { sgxLevel: level, tdxLevel: null };
    sgxLevel ??= level;
    if (atLeast(teeTcbSvn, level.tdx, teeTcbSvn[1] > 0 ? 2 : 0)) return { sgxLevel, tdxLevel: level };
  }
  return { sgxLevel, tdxLevel: null };
}

/**
 * The TDX module check (QVL 4.1.2.4.11 and TdxModuleCheck): MRSIGNERSEAM and SEAMATTRIBUTES
 * against the module identity for the TD's module version (teeTcbSvn[1]; TCB info tdxModule
 * when 0 or for quotes before v4), then the module's TCB level by its ISVSVN (teeTcbSvn[0]).
 * Returns { ok, status?, advisoryIds, id, detail }.
 */
export function checkTdxModule(info, body, quoteVersion) {
  const svn = bytesOfHex(body.teeTcbSvn);
  const version = svn[1], isvSvn = svn[0];
  let ident = info.tdxModule, id = "tdxModule";
  const useIdentity = quoteVersion > 3 && version > 0;
  if (useIdentity) {
    id = `TDX_${version.toString(16).toUpperCase().padStart(2, "0")}`;
    ident = (info.tdxModuleIdentities ?? []).find((m) => m.id.toUpperCase() === id);
    if (!ident) return { ok: false, advisoryIds: [], id, detail: `TCB info has no TDX module identity ${id} for module version ${version}` };
  }
  if (body.mrSignerSeam !== ident.mrSigner) {
    return { ok: false, advisoryIds: [], id, detail: `mrSignerSeam ${body.mrSignerSeam.slice(0, 16)}.. is not ${id} mrsigner ${ident.mrSigner.slice(0, 16)}..` };
  }
  const attrs = bytesOfHex(body.seamAttributes), want = bytesOfHex(ident.attributes), mask = bytesOfHex(ident.attributesMask);
  if (attrs.some((a, i) => (a & mask[i]) !== (want[i] & mask[i]))) {
    return { ok: false, advisoryIds: [], id, detail: `seamAttributes ${body.seamAttributes} do not match ${id} attributes ${ident.attributes} under mask ${ident.attributesMask}` };
  }
  if (!useIdentity) return { ok: true, status: "UpToDate", advisoryIds: [], id, detail: `TDX module matches ${id} (module version 0: no module TCB level)` };
  const level = ident.tcbLevels.find((l) => isvSvn >= l.isvSvn);
  if (!level) return { ok: false, advisoryIds: [], id, detail: `TDX module ISVSVN ${isvSvn} is below every ${id} TCB level` };
  return { ok: true, status: level.status, advisoryIds: level.advisoryIds, id, detail: `TDX module ${id} ISVSVN ${isvSvn} -> ${level.status}` };
}

/**
 * The QE report against the QE identity (QVL EnclaveReportVerifier): MISCSELECT and ATTRIBUTES
 * under their masks, MRSIGNER and ISVPRODID. Returns { ok, detail }.
 */
export function matchQeIdentity(qeReport, identity) {
  const misc = qeReport.miscSelect >>> 0;
  // The identity's miscselect hex is the report's little-endian bytes.
  const le = (h) => (bytesOfHex(h).reduce((v, b, i) => v + b * 2 ** (8 * i), 0)) >>> 0;
  const m = le(identity.miscselectMask);
  if (((misc & m) >>> 0) !== ((le(identity.miscselect) & m) >>> 0)) {
    return { ok: false, detail: `QE MISCSELECT ${misc} does not match ${identity.miscselect} under mask ${identity.miscselectMask}` };
  }
  const a = bytesOfHex(qeReport.attributes), want = bytesOfHex(identity.attributes), mask = bytesOfHex(identity.attributesMask);
  if (a.some((x, i) => (x & mask[i]) !== (want[i] & mask[i]))) {
    return { ok: false, detail: `QE ATTRIBUTES ${qeReport.attributes} do not match ${identity.attributes} under mask ${identity.attributesMask}` };
  }
  if (qeReport.mrSigner !== identity.mrSigner) return { ok: false, detail: `QE MRSIGNER ${qeReport.mrSigner.slice(0, 16)}.. is not ${identity.mrSigner.slice(0, 16)}..` };
  if (qeReport.isvProdId !== identity.isvProdId) return { ok: false, detail: `QE ISVPRODID ${qeReport.isvProdId} is not ${identity.isvProdId}` };
  return { ok: true, detail: `QE ${identity.id}: MRSIGNER, ISVPRODID ${identity.isvProdId}, MISCSELECT and ATTRIBUTES match` };
}

/** The QE identity TCB level the QE's ISVSVN meets (first in order), or null. */
export const qeTcbLevel = (isvSvn, identity) => identity.tcbLevels.find((l) => isvSvn >= l.isvSvn) ?? null;

/**
 * Intel's convergence of a platform status with a QE or TDX module status (QVL
 * convergeTcbStatusWithQeTcbStatus / ...WithTdxModuleStatus): an OutOfDate component makes an
 * up-to-date or hardening-only platform OutOfDate and a configuration-needing one
 * OutOfDateConfigurationNeeded; a Revoked component revokes; otherwise the platform decides.
 */
export function converge(platform, component) {
  if (component === "OutOfDate") {
    if (platform === "UpToDate" || platform === "SWHardeningNeeded") return "OutOfDate";
    if (platform === "ConfigurationNeeded" || platform === "ConfigurationAndSWHardeningNeeded") return "OutOfDateConfigurationNeeded";
  }
  if (component === "Revoked") return "Revoked";
  return platform;
}

const union = (...lists) => [...new Set(lists.flat())];

/**
 * The overall status: platform level (TDX level for TDX, SGX level otherwise) converged with the
 * TDX module status, then with the QE status; advisory IDs are the union of the selected levels'.
 * Returns { status, advisoryIds, recognized }.
 */
export function combineStatus({ platformLevel, module, qeLevel }) {
  let status = platformLevel.status;
  if (module?.status) status = converge(status, module.status);
  if (qeLevel) status = converge(status, qeLevel.status);
  const advisoryIds = union(platformLevel.advisoryIds, module?.advisoryIds ?? [], qeLevel?.advisoryIds ?? []);
  return { status, advisoryIds, recognized: TCB_STATUSES.includes(status) };
}

/** teeTcbSvn hex as 16 numbers. */
export const svnBytes = bytesOfHex;

/**
 * Why a TCB status is not UpToDate, component by component: what is behind the first UpToDate
 * level of the TCB info (SGX components, PCESVN, TDX components), of the TDX module identity and
 * of the QE identity, e.g. "SGX component 3 is 10, UpToDate needs 12". Empty when nothing is
 * behind (a status set by configuration or hardening, not by versions).
 */
export function behindUpToDate({ info, pckTcb, teeTcbSvn, module, qeIsvSvn, identity }) {
  const out = [];
  const up = info.tcbLevels.find((l) => l.status === "UpToDate");
  if (up) {
    up.sgx.forEach((want, i) => { if ((pckTcb.compSvn[i] ?? 0) < want) out.push(`SGX component ${i + 1} is ${pckTcb.compSvn[i] ?? 0}, UpToDate needs ${want}`); });
    if (pckTcb.pceSvn < up.pceSvn) out.push(`PCESVN ${pckTcb.pceSvn} < ${up.pceSvn}`);
    if (teeTcbSvn && up.tdx) {
      const from = teeTcbSvn[1] > 0 ? 2 : 0;
      up.tdx.forEach((want, i) => { if (i >= from && (teeTcbSvn[i] ?? 0) < want) out.push(`TDX component ${i} is ${teeTcbSvn[i] ?? 0}, UpToDate needs ${want}`); });
    }
  }
  if (module?.status && module.status !== "UpToDate" && teeTcbSvn) {
    const ident = (info.tdxModuleIdentities ?? []).find((m) => m.id.toUpperCase() === module.id);
    const want = ident?.tcbLevels.find((l) => l.status === "UpToDate");
    if (want) out.push(`TDX module ISVSVN ${teeTcbSvn[0]} < ${want.isvSvn}`);
  }
  const qeUp = identity?.tcbLevels.find((l) => l.status === "UpToDate");
  if (qeUp && qeIsvSvn < qeUp.isvSvn) out.push(`QE ISVSVN ${qeIsvSvn} < ${qeUp.isvSvn}`);
  return out;
}
