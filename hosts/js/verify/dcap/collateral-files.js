// Intel collateral recognised by content, whatever its files are called: Intel's sample data says
// tcb-info.json and intermediate-ca-crl.der, PCCS caches and dcap-qvl use other names, tsmkit's
// simulator writes tcbinfo.json. TCB info and QE identity are told apart by their JSON members,
// CRLs by their issuer, certificate chains by their subjects, a dcap-qvl bundle by its shape.
// Portable (no file system): hosts/node/collateral.js reads a directory into { name, bytes }.
import { decodeTextInput } from "../../text-input.js";
import { commonName, parseCertificates, parseCrl } from "../x509.js";
import { CollateralError } from "./collateral.js";
import { isoTime } from "../../time.js";

/** The pieces of loadCollateral()'s object form, with what each is called in messages. */
export const COLLATERAL_PIECES = Object.freeze({
  tcbInfo: "TCB info",
  qeIdentity: "QE identity",
  tcbSigningChain: "TCB signing chain",
  rootCaCrl: "Root CA CRL",
  pckCrl: "PCK CA CRL",
  pckCrlIssuerChain: "PCK CRL issuer chain",
  pckCertChain: "PCK certificate",
});
const REQUIRED = ["tcbInfo", "qeIdentity"]; // without these nothing can be evaluated
const EXPECTED = ["tcbSigningChain", "rootCaCrl", "pckCrl"]; // their checks fail without them

const QE_IDS = new Set(["QE", "TD_QE"]);
// `supply` names the verify() option such a file belongs to instead (as checks' `supply` does).
const ignored = (what, supply) => ({ role: "ignored", what, ...(supply && { supply: [supply] }) });

function json(bytes) {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] !== 0x7b) return undefined; // not a JSON object
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

function ofJson(o) {
  if ("tcb_info" in o && "qe_identity" in o) return { role: "bundle", what: "dcap-qvl collateral bundle" };
  const t = o.tcbInfo;
  if (t && typeof t === "object") {
    return { role: "tcbInfo", what: `${t.id ?? "SGX"} TCB info v${t.version}, FMSPC ${String(t.fmspc).toLowerCase()}, next update ${t.nextUpdate}` };
  }
  const e = o.enclaveIdentity ?? o.qeIdentity;
  if (e && typeof e === "object") {
    const what = `${e.id} identity v${e.version}, next update ${e.nextUpdate}`;
    return QE_IDS.has(e.id) ? { role: "qeIdentity", what } : ignored(`${what} (only a QE or TD_QE identity verifies quotes)`);
  }
  return ignored(`JSON, not Intel collateral (members: ${Object.keys(o).join(", ") || "none"})`);
}

function ofCrl(crl) {
  const issuer = crl.issuerCn ?? crl.issuer;
  const what = `CRL issued by ${issuer}, next update ${crl.nextUpdate ? isoTime(crl.nextUpdate) : "none"}`;
  if (/^Intel SGX Root CA$/.test(issuer)) return { role: "rootCaCrl", what };
  if (/^Intel SGX PCK (Platform|Processor) CA$/.test(issuer)) return { role: "pckCrl", what };
  const amd = /^ARK-/.test(issuer);
  return ignored(`${what} (not an Intel SGX CRL${amd ? ": an AMD CRL checks SEV-SNP reports" : ""})`, amd ? "crl" : undefined);
}

function ofCertificates(certs) {
  const names = certs.map(commonName);
  const what = `certificate${certs.length > 1 ? "s" : ""}: ${names.join(", ")}`;
  if (names.includes("Intel SGX TCB Signing")) return { role: "tcbSigningChain", what };
  if (names.some((n) => n.includes("SGX PCK Certificate"))) return { role: "pckCertChain", what };
  if (names.some((n) => /^Intel SGX PCK (Platform|Processor) CA$/.test(n))) return { role: "pckCrlIssuerChain", what };
  if (certs.every((c) => c.subject === c.issuer)) return ignored(`${what} (a trust anchor is never taken from collateral)`, "roots");
  return ignored(`${what} (not Intel SGX collateral)`);
}

/** The role one file plays, from its bytes: { role, what, bytes } (bytes as the verifier takes them). */
export function identifyCollateralFile(bytes) {
  const o = json(bytes);
  if (o !== undefined) return { ...ofJson(o), bytes };
  // PEM is text; DER is one ASN.1 SEQUENCE (0x30), so binary that embeds PEM (a quote) is not
  // taken for certificates; PCCS serves CRLs as hex text.
  const text = decodeTextInput(bytes);
  const der = text.encoding === "hex" || text.encoding === "base64" ? text.bytes : bytes;
  if (text.encoding === "text" || der[0] === 0x30) {
    for (const [parse, role] of [[parseCrl, ofCrl], [parseCertificates, ofCertificates]]) {
      let parsed;
      try { parsed = parse(der); } catch { continue; }
      return { ...role(parsed), bytes: der };
    }
  }
  return { ...ignored("not collateral (neither JSON, a CRL nor certificates)"), bytes };
}

const listText = (files) => files.map((f) => `${f.name}: ${f.what}`).join("; ") || "no files";

/**
 * Classifies collateral files by content into the collateral object verify() takes. `files` is a
 * list of { name, bytes }. Returns { collateral, files: [{ name, role, what, supply? }], missing }
 * where role is a COLLATERAL_PIECES key, "bundle" or "ignored" (supply then names the verify()
 * option such a file belongs to, if any: "roots" for a trust anchor, "crl" for an AMD CRL); missing lists the pieces the
 * verifier will report as absent (Root CA CRL, ...). Throws CollateralError (code BAD_COLLATERAL,
 * `files` = the listing) when TCB info or QE identity is missing, or a role is filled twice.
 */
export function classifyCollateral(files) {
  const listing = [], found = {};
  for (const { name, bytes } of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const { bytes: used, ...entry } = identifyCollateralFile(bytes);
    const { role } = entry;
    listing.push({ name, ...entry });
    if (role !== "ignored") (found[role] ??= []).push({ name, bytes: used });
  }
  const fail = (field, message) => { throw Object.assign(new CollateralError(field, `${message} (found: ${listText(listing)})`), { files: listing }); };
  for (const [role, list] of Object.entries(found)) {
    if (list.length > 1) fail(role, `${list.length} files hold the ${COLLATERAL_PIECES[role] ?? role}: ${list.map((f) => f.name).join(", ")}; keep one`);
  }
  const one = (role) => found[role]?.[0].bytes;
  if (found.bundle) {
    const extra = listing.filter((f) => f.role !== "bundle" && f.role !== "ignored");
    if (extra.length) fail("bundle", `a dcap-qvl bundle (${found.bundle[0].name}) and separate pieces (${extra.map((f) => f.name).join(", ")}); keep one form`);
    return { collateral: one("bundle"), files: listing, missing: [] };
  }
  const absent = REQUIRED.filter((r) => !found[r]);
  if (absent.length) fail(absent[0], `no ${absent.map((r) => COLLATERAL_PIECES[r]).join(" and no ")}`);
  const collateral = {};
  for (const role of Object.keys(COLLATERAL_PIECES)) if (found[role]) collateral[role] = one(role);
  // A PCK leaf alone is completed by the CA chain beside it (Intel's pck-cert.pem + pck-sign-chain.pem).
  if (collateral.pckCertChain && collateral.pckCrlIssuerChain && parseCertificates(collateral.pckCertChain).length === 1) collateral.pckCertChain = [collateral.pckCertChain, collateral.pckCrlIssuerChain];
  return { collateral, files: listing, missing: EXPECTED.filter((r) => !found[r]) };
}
