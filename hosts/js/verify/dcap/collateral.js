// Intel DCAP collateral: TCB info (v2 SGX, v3 SGX/TDX) and QE identity (v2) as served by Intel
// PCS / PCCS ({"tcbInfo": {...}, "signature": "<hex r||s>"}), dcap-qvl QuoteCollateralV3 bundles
// (the signed object as an exact string beside its signature), and CRLs / certificate chains as
// PEM, DER or hex. PCS signs the exact bytes of the inner object as served, so the signed region
// is cut from the caller's bytes, never re-serialized: a pretty-printed copy must fail.
import { equalBytes, fromHex, toBytes } from "../../bytes.js";
import { caches } from "../cache.js";
import { verifyKey } from "../path.js";
import { CertError, parseCertificates, parseCrl } from "../x509.js";
import { isoTime } from "../../time.js";

/** Collateral that cannot be used as given: code BAD_COLLATERAL, field = dotted path. */
export class CollateralError extends Error {
  constructor(field, message) {
    super(`collateral ${field}: ${message}`);
    this.name = "CollateralError";
    this.code = "BAD_COLLATERAL";
    this.field = field;
  }
}

const utf8 = new TextEncoder();
const textOf = (v) => (typeof v === "string" ? v : new TextDecoder().decode(toBytes(v)));
const bytesOf = (v) => (typeof v === "string" ? utf8.encode(v) : toBytes(v));

// ---- exact value spans of a JSON object's top-level members --------------------------------

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** End (exclusive) of the JSON value starting at `i` (after whitespace), strings aware. */
function valueEnd(b, i, field) {
  let depth = 0;
  for (let inStr = false; i < b.length; i++) {
    const c = b[i];
    if (inStr) {
      if (c === 0x5c) i++;
      else if (c === 0x22) { inStr = false; if (depth === 0) return i + 1; }
      continue;
    }
    if (c === 0x22) inStr = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return i; // end of the enclosing object: a scalar ended here
      if (--depth === 0) return i + 1;
    } else if (c === 0x2c && depth === 0) return i;
  }
  throw new CollateralError(field, "unterminated JSON value");
}

/**
 * The top-level members of the JSON object in `bytes` as a Map name -> [start, end) byte span of
 * the value (whitespace around it excluded). Keys are compared after JSON.parse of the key text.
 */
export function memberSpans(bytes, field = "") {
  const b = toBytes(bytes);
  const spans = new Map();
  let i = 0;
  const skip = () => { while (i < b.length && WS.has(b[i])) i++; };
  skip();
  if (b[i] !== 0x7b) throw new CollateralError(field, "expected a JSON object");
  i++;
  for (;;) {
    skip();
    if (b[i] === 0x7d) return spans;
    if (b[i] !== 0x22) throw new CollateralError(field, `expected a member name at byte ${i}`);
    const keyEnd = valueEnd(b, i, field);
    const key = JSON.parse(new TextDecoder().decode(b.subarray(i, keyEnd)));
    i = keyEnd;
    skip();
    if (b[i] !== 0x3a) throw new CollateralError(field, `expected ":" at byte ${i}`);
    i++;
    skip();
    const start = i;
    let end = valueEnd(b, i, field);
    i = end;
    while (end > start && WS.has(b[end - 1])) end--;
    spans.set(key, [start, end]);
    skip();
    if (b[i] === 0x2c) { i++; continue; }
    if (b[i] === 0x7d) return spans;
    throw new CollateralError(field, `expected "," or "}" at byte ${i}`);
  }
}

function parseJson(bytes, field) {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new CollateralError(field, `not JSON: ${e.message}`);
  }
}

function signature(v, field) {
  let sig;
  try {
    sig = typeof v === "string" ? fromHex(v) : toBytes(v);
  } catch {
    throw new CollateralError(field, "expected hex");
  }
  if (sig.length !== 64) throw new CollateralError(field, `expected a 64-byte ECDSA P-256 r||s signature, got ${sig.length} bytes`);
  return sig;
}

/**
 * A signed PCS object: `signed` = exact signed bytes, `body` = parsed object, `signature` = r||s.
 * From a PCS response body (`names` = the accepted member names, e.g. ["tcbInfo"]) or, when
 * `sig` is given, from the bare object text as a bundle stores it.
 */
export function signedObject(input, names, field, sig) {
  const bytes = bytesOf(input);
  if (sig !== undefined) return { signed: bytes, body: parseJson(bytes, field), signature: signature(sig, `${field}Signature`) };
  const spans = memberSpans(bytes, field);
  const name = names.find((n) => spans.has(n));
  if (!name) throw new CollateralError(field, `no ${names.join("/")} member (have: ${[...spans.keys()].join(", ") || "none"})`);
  if (!spans.has("signature")) throw new CollateralError(`${field}.signature`, "missing");
  const [s, e] = spans.get(name);
  const [ss, se] = spans.get("signature");
  const signed = bytes.subarray(s, e);
  return { signed, body: parseJson(signed, `${field}.${name}`), signature: signature(parseJson(bytes.subarray(ss, se), `${field}.signature`), `${field}.signature`) };
}

// ---- TCB info and QE identity, normalized -------------------------------------------------

const isHexOf = (s, n) => typeof s === "string" && s.length === 2 * n && /^[0-9a-fA-F]*$/.test(s);

function reqHex(o, k, n, field) {
  if (!isHexOf(o[k], n)) throw new CollateralError(`${field}.${k}`, `expected ${n} bytes of hex`);
  return o[k].toLowerCase();
}

function reqInt(o, k, field) {
  if (!Number.isInteger(o[k]) || o[k] < 0) throw new CollateralError(`${field}.${k}`, "expected a non-negative integer");
  return o[k];
}

function reqDate(o, k, field) {
  const d = typeof o[k] === "string" ? new Date(o[k]) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new CollateralError(`${field}.${k}`, "expected an ISO 8601 time");
  return d;
}

function components(list, field) {
  if (!Array.isArray(list) || list.length !== 16) throw new CollateralError(field, "expected 16 components");
  return list.map((c, i) => reqInt(c, "svn", `${field}.${i}`));
}

function tcbLevel(level, version, field) {
  const t = level?.tcb;
  if (!t || typeof t !== "object") throw new CollateralError(`${field}.tcb`, "missing");
  let sgx, tdx = null;
  if (version >= 3) {
    sgx = components(t.sgxtcbcomponents, `${field}.tcb.sgxtcbcomponents`);
    if (t.tdxtcbcomponents !== undefined) tdx = components(t.tdxtcbcomponents, `${field}.tcb.tdxtcbcomponents`);
  } else {
    // TCB info v2: sgxtcbcomp01svn .. sgxtcbcomp16svn
    sgx = Array.from({ length: 16 }, (_, i) => reqInt(t, `sgxtcbcomp${String(i + 1).padStart(2, "0")}svn`, `${field}.tcb`));
  }
  if (typeof level.tcbStatus !== "string") throw new CollateralError(`${field}.tcbStatus`, "expected a string");
  return {
    sgx, tdx, pceSvn: reqInt(t, "pcesvn", `${field}.tcb`), status: level.tcbStatus,
    date: level.tcbDate ?? null, advisoryIds: Array.isArray(level.advisoryIDs) ? [...level.advisoryIDs] : [],
  };
}

function identityLevels(levels, field) {
  if (!Array.isArray(levels) || !levels.length) throw new CollateralError(field, "expected a non-empty list");
  return levels.map((l, i) => {
    if (typeof l?.tcbStatus !== "string") throw new CollateralError(`${field}.${i}.tcbStatus`, "expected a string");
    return {
      isvSvn: reqInt(l.tcb ?? {}, "isvsvn", `${field}.${i}.tcb`), status: l.tcbStatus, date: l.tcbDate ?? null,
      advisoryIds: Array.isArray(l.advisoryIDs) ? [...l.advisoryIDs] : [],
    };
  });
}

function moduleIdentity(m, field, withLevels) {
  const out = {
    mrSigner: reqHex(m, "mrsigner", 48, field),
    attributes: reqHex(m, "attributes", 8, field),
    attributesMask: reqHex(m, "attributesMask", 8, field),
  };
  if (withLevels) {
    if (typeof m.id !== "string") throw new CollateralError(`${field}.id`, "expected a string");
    out.id = m.id;
    out.tcbLevels = identityLevels(m.tcbLevels, `${field}.tcbLevels`);
  }
  return out;
}

/** TCB info body (v2 or v3) in normalized form; throws CollateralError on missing/bad fields. */
export function normalizeTcbInfo(o, field = "tcbInfo") {
  if (!o || typeof o !== "object") throw new CollateralError(field, "expected an object");
  const version = reqInt(o, "version", field);
  if (version !== 2 && version !== 3) throw new CollateralError(`${field}.version`, `unsupported TCB info version ${version}`);
  const id = version >= 3 ? o.id : "SGX"; // v2 predates the id member and is SGX-only
  if (id !== "SGX" && id !== "TDX") throw new CollateralError(`${field}.id`, `unknown TCB info id ${JSON.stringify(o.id)}`);
  if (!Array.isArray(o.tcbLevels) || !o.tcbLevels.length) throw new CollateralError(`${field}.tcbLevels`, "expected a non-empty list");
  /** @type {Record<string, any>} TDX fills tdxModule and tdxModuleIdentities below */
  const out = {
    id, version,
    issueDate: reqDate(o, "issueDate", field),
    nextUpdate: reqDate(o, "nextUpdate", field),
    fmspc: reqHex(o, "fmspc", 6, field),
    pceId: reqHex(o, "pceId", 2, field),
    tcbEvaluationDataNumber: o.tcbEvaluationDataNumber ?? null,
    tcbLevels: o.tcbLevels.map((l, i) => tcbLevel(l, version, `${field}.tcbLevels.${i}`)),
    tdxModule: null,
    tdxModuleIdentities: null,
  };
  if (id === "TDX") {
    out.tdxModule = moduleIdentity(o.tdxModule ?? {}, `${field}.tdxModule`, false);
    if (o.tdxModuleIdentities !== undefined) {
      if (!Array.isArray(o.tdxModuleIdentities)) throw new CollateralError(`${field}.tdxModuleIdentities`, "expected a list");
      out.tdxModuleIdentities = o.tdxModuleIdentities.map((m, i) => moduleIdentity(m, `${field}.tdxModuleIdentities.${i}`, true));
    }
    if (out.tcbLevels.some((l) => !l.tdx)) throw new CollateralError(`${field}.tcbLevels`, "a TDX TCB level has no tdxtcbcomponents");
  }
  return out;
}

/** QE identity (enclave identity v2) body in normalized form. */
export function normalizeQeIdentity(o, field = "qeIdentity") {
  if (!o || typeof o !== "object") throw new CollateralError(field, "expected an object");
  const version = reqInt(o, "version", field);
  if (version !== 2) throw new CollateralError(`${field}.version`, `unsupported enclave identity version ${version}`);
  if (typeof o.id !== "string") throw new CollateralError(`${field}.id`, "expected a string");
  return {
    id: o.id, version,
    issueDate: reqDate(o, "issueDate", field),
    nextUpdate: reqDate(o, "nextUpdate", field),
    tcbEvaluationDataNumber: o.tcbEvaluationDataNumber ?? null,
    miscselect: reqHex(o, "miscselect", 4, field),
    miscselectMask: reqHex(o, "miscselectMask", 4, field),
    attributes: reqHex(o, "attributes", 16, field),
    attributesMask: reqHex(o, "attributesMask", 16, field),
    mrSigner: reqHex(o, "mrsigner", 32, field),
    isvProdId: reqInt(o, "isvprodid", field),
    tcbLevels: identityLevels(o.tcbLevels, `${field}.tcbLevels`),
  };
}

// ---- the collateral set --------------------------------------------------------------------

function crlOf(v, field) {
  if (v == null) return undefined;
  try {
    // Bundles carry CRLs as hex text; PCS serves DER (or PEM).
    return parseCrl(typeof v === "string" && /^[0-9a-fA-F]+$/.test(v) ? fromHex(v) : v);
  } catch (e) {
    throw new CollateralError(field, e.message);
  }
}

function chainOf(v, field) {
  if (v == null) return undefined;
  try {
    return parseCertificates(v);
  } catch (e) {
    throw new CollateralError(field, e instanceof CertError ? e.message : String(e));
  }
}

function isBundle(o) {
  return o && typeof o === "object" && "tcb_info" in o && "qe_identity" in o;
}

/**
 * Normalizes collateral from any supported form into
 * { tcbInfo: { signed, body, signature, info }, qeIdentity: { signed, body, signature, identity },
 *   tcbSigningChain, qeIdentityChain, rootCaCrl?, pckCrl?, pckCrlIssuerChain?, pckCertChain? }.
 * Accepted: a dcap-qvl QuoteCollateralV3 bundle (object, JSON text or bytes), or an object of
 * pieces { tcbInfo, qeIdentity (PCS response bodies as text or bytes), tcbSigningChain (PEM/DER;
 * alias tcbInfoIssuerChain), qeIdentityIssuerChain?, rootCaCrl?, pckCrl? (DER, PEM or hex),
 * pckCrlIssuerChain?, pckCertChain? }.
 */
export function loadCollateral(input) {
  if (input == null) throw new CollateralError("", "none given");
  let o = input;
  if (typeof input === "string" || ArrayBuffer.isView(input) || input instanceof ArrayBuffer) o = parseJson(bytesOf(input), "");
  if (isBundle(o)) {
    const tcb = signedObject(o.tcb_info, [], "tcb_info", o.tcb_info_signature);
    const qe = signedObject(o.qe_identity, [], "qe_identity", o.qe_identity_signature);
    return {
      tcbInfo: { ...tcb, info: normalizeTcbInfo(tcb.body, "tcb_info") },
      qeIdentity: { ...qe, identity: normalizeQeIdentity(qe.body, "qe_identity") },
      tcbSigningChain: chainOf(o.tcb_info_issuer_chain, "tcb_info_issuer_chain") ?? [],
      qeIdentityChain: chainOf(o.qe_identity_issuer_chain ?? o.tcb_info_issuer_chain, "qe_identity_issuer_chain") ?? [],
      rootCaCrl: crlOf(o.root_ca_crl, "root_ca_crl"),
      pckCrl: crlOf(o.pck_crl, "pck_crl"),
      pckCrlIssuerChain: chainOf(o.pck_crl_issuer_chain, "pck_crl_issuer_chain"),
      pckCertChain: chainOf(o.pck_certificate_chain, "pck_certificate_chain"),
    };
  }
  if (!o || typeof o !== "object" || o.tcbInfo == null || o.qeIdentity == null) {
    throw new CollateralError("", "expected a dcap-qvl bundle or { tcbInfo, qeIdentity, tcbSigningChain, rootCaCrl, pckCrl }");
  }
  const tcb = signedObject(o.tcbInfo, ["tcbInfo"], "tcbInfo");
  const qe = signedObject(o.qeIdentity, ["enclaveIdentity", "qeIdentity"], "qeIdentity");
  const signing = chainOf(o.tcbSigningChain ?? o.tcbInfoIssuerChain, "tcbSigningChain") ?? [];
  return {
    tcbInfo: { ...tcb, info: normalizeTcbInfo(tcb.body, "tcbInfo") },
    qeIdentity: { ...qe, identity: normalizeQeIdentity(qe.body, "qeIdentity") },
    tcbSigningChain: signing,
    qeIdentityChain: chainOf(o.qeIdentityIssuerChain, "qeIdentityIssuerChain") ?? signing,
    rootCaCrl: crlOf(o.rootCaCrl, "rootCaCrl"),
    pckCrl: crlOf(o.pckCrl, "pckCrl"),
    pckCrlIssuerChain: chainOf(o.pckCrlIssuerChain, "pckCrlIssuerChain"),
    pckCertChain: chainOf(o.pckCertChain, "pckCertChain"),
  };
}

const { collateralTexts: loadedText, collateralBytes: loadedBytes } = caches;

/**
 * loadCollateral() for the verifier, cached by the exact input text or bytes (object input is
 * parsed each time; its certificates and CRLs still come from x509.js's caches). The result is
 * shared between verifications, so it is frozen and must stay internal.
 */
export function loadCollateralCached(input) {
  if (typeof input !== "string" && !ArrayBuffer.isView(input) && !(input instanceof ArrayBuffer)) return loadCollateral(input);
  const cache = typeof input === "string" ? loadedText : loadedBytes;
  return cache.get(input) ?? cache.set(input, deepFreeze(loadCollateral(typeof input === "string" ? input : new Uint8Array(toBytes(input)))));
}

function deepFreeze(o) {
  if (o && typeof o === "object" && !ArrayBuffer.isView(o) && !Object.isFrozen(o) && !(o instanceof Date) && Object.getPrototypeOf(o) !== null
    && (Array.isArray(o) || Object.getPrototypeOf(o) === Object.prototype)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

// ---- checks on a signed object ---------------------------------------------------------------

/** Whether `now` lies in issueDate..nextUpdate of a TCB info or QE identity, as { ok, detail }. */
export function windowAt(obj, now, what) {
  const t = now.getTime();
  const span = `${isoTime(obj.issueDate)}..${isoTime(obj.nextUpdate)}`;
  if (t < obj.issueDate.getTime()) return { ok: false, detail: `${what} is not valid before ${isoTime(obj.issueDate)} (now ${isoTime(now)})` };
  if (t > obj.nextUpdate.getTime()) return { ok: false, detail: `${what} expired at nextUpdate ${isoTime(obj.nextUpdate)} (now ${isoTime(now)})` };
  return { ok: true, detail: `${what} current (${span})` };
}

// By signed object and certificate (whose bytes never change, certificate.js); a hit also needs the
// object's signed bytes and signature to equal copies taken when it was checked, since a reused
// object (e.g. loaded from a fetcher's cache) may hold bytes that changed in place since.
const signatures = caches.collateralSignatures;

/** Whether the signing certificate's P-256 key verifies the object's signature over its exact bytes. */
export async function signedBy(obj, cert) {
  if (cert.key?.curve !== "P-256") return false;
  const hit = signatures.get(obj, cert);
  if (hit && equalBytes(hit.signature, obj.signature) && equalBytes(hit.signed, obj.signed)) return hit.ok;
  const signed = new Uint8Array(toBytes(obj.signed)), signature = new Uint8Array(toBytes(obj.signature)); // copies, even of Buffers
  const key = await verifyKey(cert, { name: "ECDSA", namedCurve: "P-256" });
  const ok = await globalThis.crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, signature, signed);
  signatures.set(obj, cert, { signed, signature, ok });
  return ok;
}
