// Certificate path validation as RFC 5280 section 6 does it, and CRL checks as section 6.3 does
// them, for the few PKIs attestation uses. On top of the generic rules each chain is pinned to
// its vendor's shape (shapes.js), so a certificate that is valid X.509 but plays the wrong role
// (a PCK leaf signing TCB info, a VLEK under an ASK) is still refused. Every outcome is
// { ok, rule?, detail }: `rule` names the rule a failure broke, from RULES.
import { equalBytes } from "../bytes.js";
import { caches } from "./cache.js";
import { KEY_USAGE, OID, authorityKeyId, basicConstraints, keyUsage, readCertificate, readCrl, subjectKeyId } from "./certinfo.js";
import { DerError, TAG, children, ecdsaSignature, oidText, root, smallInt } from "./der.js";
import { Crl } from "./crl.js";
import { commonName } from "./x509.js";
import { isoTime } from "../time.js";

/** Every rule a path or CRL check can fail, with what it protects against (for people: verify() never reads it, so bundles may leave it out). */
export const RULES = /* @__PURE__ */ Object.freeze({
  "malformed-der": "certificates and CRLs are strict DER, signature values included (no second reading of the same bytes)",
  algorithm: "signature and key algorithms come from the allow-list (ECDSA P-256/SHA-256, P-384/SHA-384, RSASSA-PSS SHA-384)",
  signature: "each certificate's signature verifies with its issuer's key",
  "issuer-name": "each certificate's issuer name equals its issuer's subject name, as DER",
  "issuer-not-ca": "every issuer is a CA (basicConstraints cA=true)",
  "path-length": "no issuer has more CAs below it than its pathLenConstraint allows",
  "no-keyCertSign": "an issuer's keyUsage, when present, allows keyCertSign",
  "no-cRLSign": "a CRL issuer's keyUsage, when present, allows cRLSign",
  "no-digitalSignature": "the leaf's keyUsage, when present, allows digitalSignature",
  "unknown-critical-extension": "an extension marked critical that the verifier does not process rejects",
  "duplicate-extension": "no extension appears twice",
  "aki-ski": "authority and subject key identifiers agree where both are present",
  expired: "every certificate is valid at the evaluation time (not after notAfter)",
  "not-yet-valid": "every certificate is valid at the evaluation time (not before notBefore)",
  "untrusted-root": "the path ends in a configured trust anchor, byte for byte",
  "root-not-self-signed": "the trust anchor is self-issued and its own key verifies it",
  "self-signed-leaf": "a self-signed certificate is never a leaf",
  "no-issuer": "every certificate's issuer is available",
  shape: "the path has the vendor's shape: the expected roles, in order, and no extra hop",
  "crl-issuer": "the CRL is issued by the expected certificate, by DER name",
  "crl-signature": "the CRL's signature verifies with its issuer's key",
  "crl-not-yet-valid": "the CRL's thisUpdate is not after the evaluation time",
  "crl-expired": "the CRL has a nextUpdate and the evaluation time is not past it (plus any policy grace)",
  revoked: "no certificate of the path is listed by its issuer's CRL",
  "revocation-unchecked": "revocation was checked for every chain",
  "too-old": "collateral is not older than the policy's limit",
});

const fail = (rule, detail) => ({ ok: false, rule, detail: `${rule}: ${detail}` });

// ---- signature algorithms: the allow-list ------------------------------------------------------
const SHA384 = "2.16.840.1.101.3.4.2.2";
const MGF1 = "1.2.840.113549.1.1.8";
const ALGORITHMS = Object.freeze({
  "1.2.840.10045.4.3.2": { text: "ECDSA P-256/SHA-256", key: { type: "EC", curve: "P-256" }, size: 32, verify: { name: "ECDSA", hash: "SHA-256" }, import: { name: "ECDSA", namedCurve: "P-256" } },
  "1.2.840.10045.4.3.3": { text: "ECDSA P-384/SHA-384", key: { type: "EC", curve: "P-384" }, size: 48, verify: { name: "ECDSA", hash: "SHA-384" }, import: { name: "ECDSA", namedCurve: "P-384" } },
  // AMD signs ARK, ASK/ASVK, VCEK/VLEK and its CRLs this way (SHA-384, MGF1-SHA-384, salt 48).
  "1.2.840.113549.1.1.10": { text: "RSASSA-PSS SHA-384", key: { type: "RSA" }, pss: true, verify: { name: "RSA-PSS", saltLength: 48 }, import: { name: "RSA-PSS", hash: "SHA-384" } },
});
const MIN_RSA_BITS = 2048;

/** A hash AlgorithmIdentifier of SHA-384 (parameters absent or NULL). */
function isSha384(b, node) {
  const [id, params, extra] = children(b, node);
  return oidText(b, id) === SHA384 && !extra && (!params || (params.tag === TAG.NULL));
}

/** RSASSA-PSS-params (RFC 4055 section 3.1) must say SHA-384, MGF1 with SHA-384, salt 48, trailer 1. */
function pssParamsOk(params) {
  if (!params) return false;
  const seq = root(params);
  let hash = false, mgf = false, salt = false;
  for (const field of children(params, seq)) {
    const [inner] = children(params, field);
    if (field.tag === 0xa0) hash = isSha384(params, inner);
    else if (field.tag === 0xa1) {
      const [id, p] = children(params, inner);
      mgf = oidText(params, id) === MGF1 && Boolean(p) && isSha384(params, p);
    } else if (field.tag === 0xa2) salt = smallInt(params, inner) === 48;
    else if (field.tag === 0xa3) { if (smallInt(params, inner) !== 1) return false; }
    else return false;
  }
  return hash && mgf && salt;
}

/** The allow-listed algorithm of a certificate/CRL's signature, or a failure. */
function allowedAlgorithm(info, what) {
  const alg = ALGORITHMS[info.algorithm.oid];
  if (!alg) return fail("algorithm", `${what} is signed with ${info.algorithm.oid}, not an allowed algorithm`);
  if (alg.pss) {
    let ok = false;
    try { ok = pssParamsOk(info.algorithm.params); } catch (e) { if (!(e instanceof DerError)) throw e; }
    if (!ok) return fail("algorithm", `${what}'s RSASSA-PSS parameters are not SHA-384, MGF1-SHA-384, salt 48`);
  } else if (info.algorithm.params) return fail("algorithm", `${what}'s ECDSA algorithm identifier carries parameters`);
  return { ok: true, alg };
}

function keyAllowed(key) {
  if (key.type === "EC") return key.curve === "P-256" || key.curve === "P-384";
  return key.type === "RSA" && key.bits >= MIN_RSA_BITS;
}

const keyText = (k) => (k.type === "EC" ? `EC ${k.curve}` : k.type === "RSA" ? `RSA-${k.bits}` : k.type);

// ---- facts ------------------------------------------------------------------------------------

/** Strict-DER facts of a parsed certificate (certinfo.js), once per object. */
function certFacts(cert) {
  let f = caches.derFacts.get(cert);
  if (!f) caches.derFacts.set(cert, (f = readCertificate(new Uint8Array(cert.rawData))));
  return f;
}

/** Strict-DER facts of a parsed CRL, once per object. */
function crlFacts(crl) {
  let f = caches.derFacts.get(crl);
  if (!f) caches.derFacts.set(crl, (f = readCrl(new Uint8Array(crl.rawData))));
  return f;
}

/** The issuer's key as a WebCrypto verify key for `alg`, imported once per certificate and algorithm. */
export function verifyKey(cert, importAlg) {
  let byAlg = caches.keys.get(cert);
  if (!byAlg) caches.keys.set(cert, (byAlg = new Map()));
  const k = JSON.stringify(importAlg);
  let key = byAlg.get(k);
  if (!key) byAlg.set(k, (key = globalThis.crypto.subtle.importKey("spki", certFacts(cert).key?.spki ?? cert.publicKey.rawData, importAlg, false, ["verify"])));
  return key;
}

/**
 * Whether `issuer`'s key verifies the signature of `signed` (a certificate or CRL object with
 * facts `info`) under an allow-listed algorithm whose key type the issuer's key has. Cached per
 * (signed, issuer) object pair: both are fixed bytes.
 */
async function signatureBy(signed, info, issuer, what) {
  const hit = caches.signatures.get(signed, issuer);
  if (hit) return hit;
  const result = await (async () => {
    const a = allowedAlgorithm(info, what);
    if (!a.ok) return a;
    const { alg } = a;
    const ik = certFacts(issuer).key;
    if (!ik || ik.type !== alg.key.type || (alg.key.curve && ik.curve !== alg.key.curve)) {
      return fail("algorithm", `${what} is signed with ${alg.text} but ${commonName(issuer)}'s key is ${ik ? keyText(ik) : "unreadable"}`);
    }
    let sig = info.signature;
    if (alg.size) {
      try { sig = ecdsaSignature(sig, alg.size); } catch (e) {
        if (e instanceof DerError) return fail("malformed-der", `${what}'s ECDSA signature value: ${e.message}`);
        throw e;
      }
    }
    let ok = false;
    try {
      ok = await globalThis.crypto.subtle.verify(alg.verify, await verifyKey(issuer, alg.import), sig, info.tbs);
    } catch { ok = false; }
    return ok ? { ok: true, detail: `${what} signed by ${commonName(issuer)} (${alg.text})` } : null;
  })();
  return caches.signatures.set(signed, issuer, result ?? { ok: false, rule: "signature", detail: "" });
}

// ---- one certificate ------------------------------------------------------------------------

const PROCESSED = new Set([OID.basicConstraints, OID.keyUsage, OID.subjectKeyId, OID.authorityKeyId]);

function certificateItself(cert, now) {
  const name = commonName(cert);
  const f = certFacts(cert);
  if (f.problem) return fail("malformed-der", `${name}: ${f.problem.message}`);
  if (!keyAllowed(f.key)) return fail("algorithm", `${name}'s key is ${keyText(f.key)}, not an allowed key type`);
  const seen = new Set();
  for (const e of f.extensions) {
    if (seen.has(e.oid)) return fail("duplicate-extension", `${name} has extension ${e.oid} twice`);
    seen.add(e.oid);
    if (e.critical && !PROCESSED.has(e.oid)) return fail("unknown-critical-extension", `${name} has critical extension ${e.oid}, which is not processed`);
  }
  const t = now.getTime();
  if (t < cert.notBefore.getTime()) return fail("not-yet-valid", `${name} is not valid before ${isoTime(cert.notBefore)} (now ${isoTime(now)})`);
  if (t > cert.notAfter.getTime()) return fail("expired", `${name} expired after ${isoTime(cert.notAfter)} (now ${isoTime(now)})`);
  return null;
}

/** basicConstraints/keyUsage/key identifiers of a certificate (read once; its bytes are fixed), or a malformed-der failure. */
function constraints(cert) {
  const f = certFacts(cert);
  if (!f.constraints) {
    try {
      f.constraints = { bc: basicConstraints(f), ku: keyUsage(f), ski: subjectKeyId(f), aki: authorityKeyId(f) };
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
      f.constraints = { error: fail("malformed-der", `${commonName(cert)}: ${e.message}`) };
    }
  }
  return f.constraints;
}

const sameName = (a, b) => equalBytes(a, b);
const selfIssued = (cert) => !certFacts(cert).problem && sameName(certFacts(cert).issuer, certFacts(cert).subject);

/** Whether two certificates are the same DER (remembered per pair: their bytes are fixed). */
export function sameCertificate(a, b) {
  if (a === b) return true;
  let same = caches.sameDer.get(a, b);
  if (same === undefined) same = caches.sameDer.set(a, b, equalBytes(new Uint8Array(a.rawData), new Uint8Array(b.rawData)));
  return same;
}
const isAnchor = (cert, anchors) => anchors.some((a) => sameCertificate(a, cert));

/** Whether `signed` (a certificate or CRL) names `cert` as its issuer: by DER, or by text when either is not strict DER. */
export function namesIssuer(signed, cert) {
  const f = signed instanceof Crl ? crlFacts(signed) : certFacts(signed);
  const c = certFacts(cert);
  return f.problem || c.problem ? signed.issuer === cert.subject : sameName(f.issuer, c.subject);
}

/** Checks `cert` as issued by `issuer` with `below` CA certificates between issuer and leaf. */
async function link(cert, issuer, below) {
  const name = commonName(cert), by = commonName(issuer);
  if (!sameName(certFacts(cert).issuer, certFacts(issuer).subject)) return fail("issuer-name", `${name}'s issuer name is not ${by}'s subject name (DER)`);
  const c = constraints(issuer);
  if (c.error) return c.error;
  if (!c.bc?.ca) return fail("issuer-not-ca", `${by} issued ${name} but is not a CA (basicConstraints cA is not true)`);
  if (c.ku && !c.ku(KEY_USAGE.keyCertSign)) return fail("no-keyCertSign", `${by} issued ${name} but its keyUsage does not allow keyCertSign`);
  if (c.bc.pathLen !== null && below > c.bc.pathLen) return fail("path-length", `${by} allows ${c.bc.pathLen} CA(s) below it, the path has ${below}`);
  const child = constraints(cert);
  if (child.error) return child.error;
  if (child.aki && c.ski && !equalBytes(child.aki, c.ski)) return fail("aki-ski", `${name}'s authority key identifier is not ${by}'s subject key identifier`);
  const s = await signatureBy(cert, certFacts(cert), issuer, name);
  if (!s.ok) return s.rule === "signature" ? fail("signature", `${name}'s signature does not verify with ${by}'s key`) : s;
  return null;
}

// ---- paths ------------------------------------------------------------------------------------

/** Candidate paths leaf-first by DER name, anchors preferred, at most `max` long. */
function candidates(leaf, pool, anchors, max) {
  const out = [];
  const walk = (path) => {
    const top = path[path.length - 1];
    if (isAnchor(top, anchors) || path.length >= max || (path.length > 1 && selfIssued(top))) return out.push(path);
    if (certFacts(top).problem) return out.push(path);
    // A certificate that is not strict DER still joins a path by its leniently parsed name, so
    // that validation reports it as malformed rather than as missing.
    const issues = (c) => (certFacts(c).problem ? c.subject === top.issuer : sameName(certFacts(c).subject, certFacts(top).issuer));
    const next = [...anchors, ...pool].filter((c, i, all) => all.indexOf(c) === i && !path.includes(c) && issues(c));
    if (!next.length || (path.length === 1 && selfIssued(top))) return out.push(path);
    for (const c of next) walk([...path, c]);
  };
  walk([leaf]);
  return out;
}

/** Validates one path; returns { ok } or a failure with `depth` = how far validation got. */
async function validateOne(path, anchors, now, shape) {
  let depth = 0;
  const stop = (f) => ({ ...f, depth, path });
  for (const cert of path) {
    const f = certificateItself(cert, now);
    if (f) return stop(f);
    depth++;
  }
  const leaf = path[0];
  const lc = constraints(leaf);
  if (lc.error) return stop(lc.error);
  if (lc.ku && !lc.ku(KEY_USAGE.digitalSignature)) return stop(fail("no-digitalSignature", `${commonName(leaf)}'s keyUsage does not allow digitalSignature`));
  for (let i = 0; i + 1 < path.length; i++) {
    const f = await link(path[i], path[i + 1], i);
    if (f) return stop(f);
    depth++;
  }
  const top = path[path.length - 1];
  if (!isAnchor(top, anchors)) {
    if (path.length === 1 && selfIssued(top)) return stop(fail("self-signed-leaf", `${commonName(top)} is self-issued and not a trust anchor`));
    if (selfIssued(top)) return stop(fail("untrusted-root", `${commonName(top)} is self-issued but not a configured trust anchor`));
    return stop(fail("no-issuer", `no certificate named as ${commonName(top)}'s issuer, among the chain and the trust anchors`));
  }
  depth++;
  if (!selfIssued(top)) return stop(fail("root-not-self-signed", `trust anchor ${commonName(top)} is not self-issued`));
  const self = await signatureBy(top, certFacts(top), top, commonName(top));
  if (!self.ok) return stop(self.rule === "signature" ? fail("root-not-self-signed", `trust anchor ${commonName(top)}'s own key does not verify it`) : self);
  depth++;
  const roles = shape.roles;
  if (path.length !== roles.length) {
    return stop(fail("shape", `${shape.name} must be ${roles.map((r) => r.name).join(" -> ")}; got ${path.map(commonName).join(" -> ")}`));
  }
  const wrong = path.findIndex((c, i) => !roles[i].cn.test(commonName(c)));
  if (wrong >= 0) return stop(fail("shape", `${shape.name}: ${commonName(path[wrong])} in the place of the ${roles[wrong].name}`));
  return { ok: true, path, detail: `${path.map(commonName).join(" -> ")}, valid at ${isoTime(now)}` };
}

/**
 * Validates the path from `leaf` through `intermediates` to one of `anchors` (byte-equal) at
 * `now`, pinned to `shape` ({ name, roles: [{ name, cn: RegExp }] leaf first, anchor last}).
 * Returns { ok, path, detail } or { ok: false, rule, detail, path } for the attempt that got
 * furthest (so a substituted root reports untrusted-root rather than the real root's mismatch).
 */
export async function validatePath(leaf, { intermediates = [], anchors, now, shape }) {
  const paths = candidates(leaf, intermediates, anchors, shape.roles.length + 2);
  let best;
  for (const p of paths) {
    const r = await validateOne(p, anchors, now, shape);
    if (r.ok) return r;
    if (!best || r.depth > best.depth) best = r;
  }
  const { depth, ...failure } = best;
  return failure;
}

// ---- CRLs -------------------------------------------------------------------------------------

const CRL_PROCESSED = new Set([OID.crlNumber, OID.authorityKeyId, OID.crlReason]);

/**
 * Checks a CRL as RFC 5280 section 6.3 does for a complete, direct CRL: strict DER, issued by
 * `issuer` (DER name, keyUsage cRLSign, AKI), its signature, no unprocessed critical extension
 * (delta CRLs, indirect entries), current at `now` (nextUpdate required; `graceSeconds` past it
 * passes as waived), and none of `certs` listed: those `issuer` issued, or every one of them
 * when `wholeHierarchy` (AMD's one CRL per product covers the hierarchy under its ARK). Returns
 * { ok, rule?, detail, waived? }.
 * @param {any} crl
 * @param {{ issuer: any, now: Date, certs?: any[], graceSeconds?: number, wholeHierarchy?: boolean }} opts
 */
export async function checkCrl(crl, { issuer, now, certs = [], graceSeconds = 0, wholeHierarchy = false }) {
  const by = commonName(issuer);
  const f = crlFacts(crl);
  if (f.problem) return fail("malformed-der", `CRL from ${by}: ${f.problem.message}`);
  if (certFacts(issuer).problem) return fail("malformed-der", `${by}: ${certFacts(issuer).problem.message}`);
  if (!sameName(f.issuer, certFacts(issuer).subject)) return fail("crl-issuer", `CRL is issued by "${crl.issuer}", not by ${by}`);
  const c = constraints(issuer);
  if (c.error) return c.error;
  if (c.ku && !c.ku(KEY_USAGE.cRLSign)) return fail("no-cRLSign", `${by}'s keyUsage does not allow cRLSign`);
  let aki;
  try { aki = authorityKeyId(f); } catch (e) { if (e instanceof DerError) return fail("malformed-der", `CRL from ${by}: ${e.message}`); throw e; }
  if (aki && c.ski && !equalBytes(aki, c.ski)) return fail("aki-ski", `CRL's authority key identifier is not ${by}'s subject key identifier`);
  for (const e of [...f.extensions, ...f.entryExtensions]) {
    if (e.critical && !CRL_PROCESSED.has(e.oid)) return fail("unknown-critical-extension", `CRL from ${by} has critical extension ${e.oid}, which is not processed`);
  }
  const s = await signatureBy(crl, f, issuer, `CRL from ${by}`);
  if (!s.ok) return s.rule === "signature" ? fail("crl-signature", `CRL signature does not verify with ${by}'s key`) : s;
  const t = now.getTime();
  if (t < crl.thisUpdate.getTime()) return fail("crl-not-yet-valid", `CRL from ${by} is not valid before ${isoTime(crl.thisUpdate)} (now ${isoTime(now)})`);
  if (!crl.nextUpdate) return fail("crl-expired", `CRL from ${by} has no nextUpdate, so it cannot be known current`);
  let waived = false;
  if (t > crl.nextUpdate.getTime()) {
    if (t > crl.nextUpdate.getTime() + graceSeconds * 1000) {
      return fail("crl-expired", `CRL from ${by} expired after ${isoTime(crl.nextUpdate)} (now ${isoTime(now)}${graceSeconds ? `, grace ${graceSeconds} s` : ""})`);
    }
    waived = true;
  }
  for (const cert of certs) {
    // A certificate that is not strict DER has failed its path already; serials are per issuer.
    if (certFacts(cert).problem || (!wholeHierarchy && !sameName(certFacts(cert).issuer, f.issuer))) continue;
    let entry = caches.revocations.get(crl, cert);
    if (entry === undefined) entry = caches.revocations.set(crl, cert, crl.findRevoked(cert));
    if (entry) {
      return { ...fail("revoked", `${commonName(cert)} (serial ${cert.serialNumber}) revoked by ${by} on ${isoTime(entry.revocationDate)}`), revoked: cert.serialNumber };
    }
  }
  const current = `not revoked per CRL from ${by} (${isoTime(crl.thisUpdate)}..${isoTime(crl.nextUpdate)})`;
  return waived ? { ok: true, waived, detail: `${current}: past nextUpdate, within policy crlGracePeriod (${graceSeconds} s)` } : { ok: true, detail: current };
}

