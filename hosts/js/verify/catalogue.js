// Every check a verdict can hold, in the order verifiers run them, and one line on what each
// proves. The verifiers may only record names listed here (result.js enforces it), the tests
// compare verdicts against it, and the README's table is checked against it. Names and lines are
// two lists so that verify() carries only the names: the lines are for people (CHECKS, the README,
// the inspector page), and a bundle leaves PROVES out when nothing reads CHECKS.
import { MEASUREMENT_FIELDS } from "./policy.js";

const MEASURED = [...new Set(Object.values(MEASUREMENT_FIELDS).flat())];

/** Every check name, in the order verifiers record them. */
export const CHECK_NAMES = /* @__PURE__ */ Object.freeze([
  "decode", "verifiable",
  // Intel DCAP (TDX and SGX quotes)
  "dcap.structure", "dcap.quoteSignature", "dcap.qeReportSignature", "dcap.qeReportData",
  "dcap.pckChain", "dcap.pckExtensions", "dcap.collateral", "dcap.tcbSigningChain",
  "dcap.qeIdentityChain", "dcap.rootCrl", "dcap.pckCrl", "dcap.tcbInfo.signature",
  "dcap.tcbInfo.window", "dcap.tcbInfo.platform", "dcap.qeIdentity.signature",
  "dcap.qeIdentity.window", "dcap.qeIdentity.match", "dcap.qeIdentity.tcb", "dcap.tdxModule",
  "dcap.tcbLevel", "dcap.tcbStatus",
  // AMD SEV-SNP
  "snp.signatureAlgo", "snp.signingKey", "snp.certificates", "snp.signature", "snp.product",
  "snp.chain", "snp.crl", "snp.tcb", "snp.hwId",
  // TDX RTMRs
  "rtmr.replay",
  // Arm CCA
  "cca.platformSignature", "cca.realmSignature", "cca.binding",
  // the relying party's policy
  "policy.tcbStatus", "policy.tcbInfoAge", "policy.qeIdentityAge", "policy.crlAge",
  "policy.tcbEvaluationDataNumber", "policy.debug", "policy.migrationAgent", "policy.smt",
  "policy.singleSocket", "policy.vmpl", "policy.signingKey", "policy.minTcb", "policy.minTeeTcbSvn",
  "policy.minGuestSvn", "policy.reportData",
  ...MEASURED.map((f) => `policy.${f}`),
  "policy.eventLog", "policy.runtimeEvents", "policy.cca.profile", "policy.cca.lifecycle",
  "policy.cca.rim", "policy.cca.rems", "policy.cca.personalizationValue", "policy.cca.swComponents",
]);

/** What each check proves, by name (every name of CHECK_NAMES; a test holds them equal). */
export const PROVES = {
  "decode": "the evidence parses as its format, every length and offset within bounds",
  "verifiable": "the format is evidence a relying party can verify (not a TDREPORT or a certificate table)",
  // Intel DCAP (TDX and SGX quotes)
  "dcap.structure": "quote version, ECDSA P-256 attestation key, Intel QE vendor, and a PCK chain to check",
  "dcap.quoteSignature": "the attestation key signed the header and body",
  "dcap.qeReportSignature": "the PCK key signed the QE report",
  "dcap.qeReportData": "the QE report binds the attestation key and QE auth data",
  "dcap.pckChain": "PCK leaf -> PCK Platform/Processor CA -> configured Intel root, validated as RFC 5280 section 6 does; the quote carries no other certificate",
  "dcap.pckExtensions": "the PCK leaf's SGX extensions (FMSPC, PCE-ID, TCB) are readable",
  "dcap.collateral": "TCB info, QE identity, signing chain and CRLs were given or fetched and parse",
  "dcap.tcbSigningChain": "the TCB info signer is Intel SGX TCB Signing directly under the configured root",
  "dcap.qeIdentityChain": "the QE identity signer is Intel SGX TCB Signing directly under the configured root",
  "dcap.rootCrl": "the root's CRL is current, signed by the root, and revokes neither the PCK CA nor a TCB signer",
  "dcap.pckCrl": "the PCK CA's CRL is current, signed by the leaf's own CA, and does not revoke the PCK leaf",
  "dcap.tcbInfo.signature": "the TCB signing key signed the TCB info's exact bytes",
  "dcap.tcbInfo.window": "the evaluation time is within the TCB info's issueDate..nextUpdate",
  "dcap.tcbInfo.platform": "the TCB info is for this quote's TEE, FMSPC and PCE-ID",
  "dcap.qeIdentity.signature": "the TCB signing key signed the QE identity's exact bytes",
  "dcap.qeIdentity.window": "the evaluation time is within the QE identity's issueDate..nextUpdate",
  "dcap.qeIdentity.match": "the QE report's MRSIGNER, ISVPRODID, MISCSELECT and ATTRIBUTES match the QE identity",
  "dcap.qeIdentity.tcb": "the QE's ISVSVN reaches a QE identity TCB level",
  "dcap.tdxModule": "the TDX module's signer and attributes match the TCB info, and its ISVSVN reaches a level",
  "dcap.tcbLevel": "the PCK's TCB (and the TD's TEE_TCB_SVN) reach a TCB level",
  "dcap.tcbStatus": "the platform, TDX module and QE statuses combine to a recognized TCB status",
  // AMD SEV-SNP
  "snp.signatureAlgo": "the report says ECDSA P-384 with SHA-384",
  "snp.signingKey": "the report is signed by a VCEK or VLEK",
  "snp.certificates": "the VCEK/VLEK certificate was given (auxblob, certs) or fetched",
  "snp.signature": "the VCEK/VLEK signed the report",
  "snp.product": "the product line (Milan, Genoa, Turin) is known and every source agrees on it",
  "snp.chain": "VCEK/VLEK -> ASK/ASVK -> the product's configured ARK, validated as RFC 5280 section 6 does; the certificate table holds exactly that path",
  "snp.crl": "the ARK's CRL is current and revokes neither the ASK/ASVK nor the leaf",
  "snp.tcb": "the report's reported TCB equals the TCB the VCEK/VLEK was issued for",
  "snp.hwId": "a VCEK was issued for this chip",
  // TDX RTMRs
  "rtmr.replay": "the CCEL (and runtime log) replay to the TD's RTMR0-3 exactly; a register that differs names where its extend chain departs",
  // Arm CCA
  "cca.platformSignature": "a CCA platform key the caller trusts (roots.cca: CPAK or IAK) signed the platform token",
  "cca.realmSignature": "the RAK the realm token carries signed it (ES256, ES384 or ES512, matching the key's curve)",
  "cca.binding": "the platform challenge is the hash of that RAK (the realm's RAK hash algorithm): one platform vouches for this realm",
  // the relying party's policy
  "policy.tcbStatus": "the Intel TCB status is one the policy accepts",
  "policy.tcbInfoAge": "the TCB info is not older than policy.maxTcbInfoAge",
  "policy.qeIdentityAge": "the QE identity is not older than policy.maxQeIdentityAge",
  "policy.crlAge": "every CRL is not older than policy.maxCrlAge",
  "policy.tcbEvaluationDataNumber": "the collateral's TCB evaluation data number reaches policy.minTcbEvaluationDataNumber",
  "policy.debug": "the TD, enclave or guest is not debuggable (unless allowDebug)",
  "policy.migrationAgent": "no SNP migration agent (unless allowMigrationAgent)",
  "policy.smt": "SMT is allowed by the policy if the guest allows it",
  "policy.singleSocket": "the guest is bound to one socket (when requireSingleSocket)",
  "policy.vmpl": "the report's VMPL is allowed",
  "policy.signingKey": "the SNP signing key kind is allowed",
  "policy.minTcb": "the SNP reported TCB reaches policy.minSnpTcb",
  "policy.minTeeTcbSvn": "the TD's TEE_TCB_SVN reaches policy.minTeeTcbSvn",
  "policy.minGuestSvn": "the SNP guest SVN reaches policy.minGuestSvn",
  "policy.reportData": "the report data is the nonce the relying party sent (required; allowAnyReportData waives it)",
  // policy.<field> of each MEASUREMENT_FIELDS field: "<field> is one of the pinned values" (CHECKS)
  "policy.eventLog": "every eventLog.events rule picks at least one CCEL event, and each one it picks carries one of its SHA-384 digests",
  "policy.runtimeEvents": "every eventLog.runtime rule picks at least one runtime-log event, and each one it picks carries one of its digests",
  "policy.cca.profile": "both CCA tokens have a profile in cca.profiles (default: one tsmkit has claim rules for)",
  "policy.cca.lifecycle": "the CCA platform lifecycle is secured (unless cca.allowNonSecuredLifecycle)",
  "policy.cca.rim": "the realm initial measurement is one of cca.rim",
  "policy.cca.rems": "each pinned realm extensible measurement matches cca.rems",
  "policy.cca.personalizationValue": "the realm personalization value is one of cca.personalizationValue",
  "policy.cca.swComponents": "every platform software component matches a reference value in cca.swComponents",
};

/** The catalogue: { name, proves } for every check, in order (built only when read: see above). */
export const CHECKS = /* @__PURE__ */ (() => Object.freeze(CHECK_NAMES.map((name) => {
  const field = name.slice("policy.".length);
  return Object.freeze({ name, proves: PROVES[name] ?? (MEASURED.includes(field) ? `${field} is one of the pinned values` : undefined) });
})))();

const NAMES = new Set(CHECK_NAMES);

/** `name` if the catalogue lists it; a name outside it is a programming error. */
export function checkName(name) {
  if (!NAMES.has(name)) throw new Error(`check "${name}" is not in the catalogue (catalogue.js)`);
  return name;
}
