// The simulator's TEST PKI: an Intel-like SGX/TDX DCAP hierarchy (root CA, PCK Platform CA, PCK
// leaf with the SGX extensions, TCB signing cert, CRLs, signed TCB Info and QE Identity), an
// AMD-like SEV-SNP hierarchy (ARK -> ASK -> VCEK with the KDS extensions) and an Arm CCA
// platform attestation key (CPAK, P-384; CCA platforms are endorsed by a bare public key). Common names are the
// vendors' exact ones, because verifiers (Intel's QVL among them) tell certificate roles apart by
// CN; every certificate says TEST in its O and OU instead, and its keys are the simulator's own,
// so nothing issued here chains to a vendor's production root.
//
// Keys: WebCrypto generates them once per process (createPki). A PKI can be saved with
// exportPki() and restored with importPki(), and sharedPki() does this through the file named by
// TSMKIT_SIM_PKI, so separate processes (a mounted simulator and `tsmkit sim roots`) agree on one
// set of trust anchors. Seed-derived keys were not chosen: RSA-4096 from a seed needs a
// home-grown prime search.
import { readFile, writeFile } from "node:fs/promises";
// @peculiar/x509 issues the certificates; its DI layer needs the Reflect metadata polyfill.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import * as der from "./der.js";
import { isoSeconds } from "../js/time.js";
import { hex, fromHex } from "../js/bytes.js";

const crypto = globalThis.crypto;
const subtle = crypto.subtle;
x509.cryptoProvider.set(crypto);

const EC_P256 = { name: "ECDSA", namedCurve: "P-256" };
const EC_P384 = { name: "ECDSA", namedCurve: "P-384" };
const ES256 = { name: "ECDSA", hash: "SHA-256" };
const ES384 = { name: "ECDSA", hash: "SHA-384" };
const RSA_PSS = { name: "RSA-PSS", modulusLength: 4096, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-384" };
/** AMD signs with RSASSA-PSS, SHA-384, MGF1-SHA-384, 48-byte salt. */
export const PS384 = { name: "RSA-PSS", hash: "SHA-384", saltLength: 48 };

const NOT_BEFORE = new Date("2024-01-01T00:00:00Z");
const NOT_AFTER = new Date("2049-12-31T23:59:59Z");
const DAY = 86400000;

// Intel's CNs ("Intel SGX Root CA", ...) and AMD's ("ARK-Milan", "SEV-Milan", "SEV-VCEK") are
// kept exact; the TEST marking is in O and OU.
const INTEL = "OU=tsmkit TEST, O=tsmkit TEST (not Intel), L=Santa Clara, ST=CA, C=US";
const AMD = "OU=tsmkit TEST, C=US, L=Santa Clara, ST=CA, O=tsmkit TEST (not AMD)";
export const NAMES = Object.freeze({
  sgxRoot: `CN=Intel SGX Root CA, ${INTEL}`,
  pckPlatformCa: `CN=Intel SGX PCK Platform CA, ${INTEL}`,
  pck: `CN=Intel SGX PCK Certificate, ${INTEL}`,
  tcbSigning: `CN=Intel SGX TCB Signing, ${INTEL}`,
  ark: (product) => `${AMD}, CN=ARK-${product}`,
  ask: (product) => `${AMD}, CN=SEV-${product}`,
  vcek: `${AMD}, CN=SEV-VCEK`,
});

// Intel PCK Certificate and CRL Profile: SGX extensions and their arcs under 1.2.840.113741.1.13.1.
const SGX_EXT = "1.2.840.113741.1.13.1";
// AMD VCEK certificate extensions (KDS interface spec), arcs under 1.3.6.1.4.1.3704.1.
const AMD_EXT = "1.3.6.1.4.1.3704.1";

const enc = new TextEncoder();
export const sha = async (alg, ...parts) => new Uint8Array(await subtle.digest(alg, Buffer.concat(parts.map((p) => typeof p === "string" ? enc.encode(p) : p))));

/**
 * The simulated Intel platform: what the PCK certificate says and what TCB Info / QE Identity
 * accept as UpToDate. Providers read their defaults from here so evidence and collateral agree.
 */
export const INTEL_PLATFORM = Object.freeze({
  fmspc: "50806f000000",
  pceId: "0000",
  pceSvn: 11,
  cpuSvn: "03030202020100020000000000000000", // compsvn 1..16 are these bytes
  sgxType: 1, // Scalable
  teeTcbSvn: "03000500000000000000000000000000",
  mrSignerSeam: "00".repeat(48),
  qe: { isvProdId: 2, isvSvn: 4, miscSelect: "00000000", attributes: "11000000000000000000000000000000" },
  tcbEvaluationDataNumber: 17,
});

/** The simulated AMD chip: product, reported TCB (Milan/Genoa layout) and firmware version. */
export const AMD_PLATFORM = Object.freeze({
  product: "Milan",
  productName: "Milan-B0",
  cpuid: { family: 0x19, model: 0x01, stepping: 0x01 },
  tcb: { bootloader: 4, tee: 0, snp: 24, microcode: 219 },
  firmware: { major: 1, minor: 55, build: 29 },
});

function serial() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[0] &= 0x7f; b[0] |= 0x10; // positive and of fixed length
  return hex(b);
}

const keyUsage = (flags, critical = true) => new x509.KeyUsagesExtension(flags, critical);
const KU = x509.KeyUsageFlags;

async function issueCert({ subject, keys, signer, alg, ca, pathLen, usage, extensions = [], notBefore = NOT_BEFORE, notAfter = NOT_AFTER }) {
  const exts = [
    new x509.BasicConstraintsExtension(ca, pathLen, true),
    keyUsage(usage),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ...extensions,
  ];
  if (signer) exts.push(await x509.AuthorityKeyIdentifierExtension.create(signer.cert, false));
  return x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: signer ? signer.cert.subject : subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: signer ? signer.keys.privateKey : keys.privateKey,
    signingAlgorithm: alg,
    extensions: exts,
  });
}

/** The SGX extensions SEQUENCE of a PCK certificate issued by the Platform CA. */
function sgxExtensions(p, ppid, platformInstanceId) {
  const cpu = fromHex(p.cpuSvn);
  const item = (arc, value) => der.seq(der.oid(`${SGX_EXT}.${arc}`), value);
  const tcb = [];
  for (let i = 0; i < 16; i++) tcb.push(item(`2.${i + 1}`, der.int(cpu[i])));
  tcb.push(item("2.17", der.int(p.pceSvn)), item("2.18", der.octets(cpu)));
  return der.seq(
    item("1", der.octets(ppid)),
    item("2", der.seq(...tcb)),
    item("3", der.octets(fromHex(p.pceId))),
    item("4", der.octets(fromHex(p.fmspc))),
    item("5", der.enumerated(p.sgxType)),
    item("6", der.octets(platformInstanceId)),
    item("7", der.seq(item("7.1", der.bool(false)), item("7.2", der.bool(true)), item("7.3", der.bool(true)))),
  );
}

/** The AMD KDS extensions of a VCEK for a chip and its reported TCB. */
function vcekExtensions(a, chipId) {
  const ext = (arc, value) => new x509.Extension(`${AMD_EXT}.${arc}`, false, value);
  return [
    ext("1", der.int(0)), // structVersion
    ext("2", der.ia5(a.productName)),
    ext("3.1", der.int(a.tcb.bootloader)),
    ext("3.2", der.int(a.tcb.tee)),
    ext("3.4", der.int(0)), ext("3.5", der.int(0)), ext("3.6", der.int(0)), ext("3.7", der.int(0)),
    ext("3.3", der.int(a.tcb.snp)),
    ext("3.8", der.int(a.tcb.microcode)),
    ext("4", chipId), // hwID: the 64 raw bytes, not wrapped (as AMD's KDS issues it)
  ];
}

/** The CRL of `ca`, listing `revoked` (certificates it issued); valid 30 days from now. */
export async function crl(ca, now, alg, revoked = []) {
  return x509.X509CrlGenerator.create({
    issuer: ca.cert.subject,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + 30 * DAY),
    entries: revoked.map((c) => ({ serialNumber: c.serialNumber, revocationDate: now, reason: x509.X509CrlReason.keyCompromise })),
    signingKey: ca.keys.privateKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.Extension("2.5.29.20", false, der.int(1)), // cRLNumber
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
    ],
  });
}

/** Signs a PCS JSON document: ECDSA P-256 over the exact bytes of the inner object's text. */
export async function signedJson(key, signer, body) {
  const text = JSON.stringify(body);
  const sig = new Uint8Array(await subtle.sign(ES256, signer.keys.privateKey, enc.encode(text)));
  return `{"${key}":${text},"signature":"${hex(sig)}"}`;
}

const svns = (h) => [...fromHex(h)].map((svn) => ({ svn }));

// Date overrides become PCS time text; everything else is written as given.
const fields = (o = {}) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v instanceof Date ? isoSeconds(v) : v]));

async function intelCollateral(intel, now, opts) {
  const p = INTEL_PLATFORM;
  const dates = { issueDate: isoSeconds(now), nextUpdate: isoSeconds(new Date(now.getTime() + 30 * DAY)) };
  const tcbDate = "2024-01-01T00:00:00Z";
  const zeros = "00".repeat(16);
  const tcbInfo = {
    id: "TDX", version: 3, ...dates, fmspc: p.fmspc, pceId: p.pceId, tcbType: 0,
    tcbEvaluationDataNumber: p.tcbEvaluationDataNumber,
    tdxModule: { mrsigner: p.mrSignerSeam.toUpperCase(), attributes: "0000000000000000", attributesMask: "FFFFFFFFFFFFFFFF" },
    tcbLevels: [
      { tcb: { sgxtcbcomponents: svns(p.cpuSvn), pcesvn: p.pceSvn, tdxtcbcomponents: svns(p.teeTcbSvn) }, tcbDate, tcbStatus: "UpToDate" },
      { tcb: { sgxtcbcomponents: svns(zeros), pcesvn: 0, tdxtcbcomponents: svns(zeros) }, tcbDate: "2023-01-01T00:00:00Z", tcbStatus: "OutOfDate", advisoryIDs: ["INTEL-SA-00000"] },
    ],
    ...fields(opts.tcbInfo),
  };
  const qeIdentity = {
    id: "TD_QE", version: 2, ...dates, tcbEvaluationDataNumber: p.tcbEvaluationDataNumber,
    miscselect: p.qe.miscSelect.toUpperCase(), miscselectMask: "FFFFFFFF",
    attributes: p.qe.attributes.toUpperCase(), attributesMask: "FBFFFFFFFFFFFFFF0000000000000000",
    mrsigner: hex(intel.qeMrSigner).toUpperCase(), isvprodid: p.qe.isvProdId,
    tcbLevels: [
      { tcb: { isvsvn: p.qe.isvSvn }, tcbDate, tcbStatus: "UpToDate" },
      { tcb: { isvsvn: 0 }, tcbDate: "2023-01-01T00:00:00Z", tcbStatus: "OutOfDate", advisoryIDs: ["INTEL-SA-00000"] },
    ],
    ...fields(opts.qeIdentity),
  };
  const revoked = (named) => Object.entries(named).filter(([n]) => opts.revoked?.includes(n)).map(([, holder]) => holder.cert);
  return {
    rootCrl: await crl(intel.root, now, ES256, revoked({ pckPlatformCa: intel.platformCa, tcbSigning: intel.tcbSigning })),
    pckCrl: await crl(intel.platformCa, now, ES256, revoked({ pck: intel.pck })),
    tcbInfo: await signedJson("tcbInfo", intel.tcbSigning, tcbInfo),
    qeIdentity: await signedJson("enclaveIdentity", intel.tcbSigning, qeIdentity),
  };
}

const gen = (alg) => subtle.generateKey(alg, true, ["sign", "verify"]);

/**
 * Creates a fresh TEST PKI; certificates are valid 2024-01-01..2049-12-31 unless opts say
 * otherwise. Options (also for importPki and derivePki), for evidence with one deliberate defect:
 * - now (Date): CRL thisUpdate and TCB Info / QE Identity issueDate; both valid 30 days
 * - validity: { <name>: { notBefore, notAfter } } issues those certificates anew (same key, new
 *   serial) with that validity; names: sgxRoot, pckPlatformCa, pck, tcbSigning, ark, ask, vcek
 * - revoked: [<name>] lists those certificates in their issuer's CRL: pck in the PCK CRL,
 *   pckPlatformCa / tcbSigning in the root CA CRL, ask in the AMD CRL (amd.crl, signed by the ARK,
 *   which revokes only what the ARK issued, as AMD's KDS CRL does)
 * - tcbInfo / qeIdentity: fields written over the signed TCB Info / QE Identity bodies
 *   (e.g. { fmspc }, { issueDate, nextUpdate } as Date or PCS time text); still correctly signed
 */
export async function createPki(opts = {}) {
  const [rootK, platK, pckK, tcbK, attK, arkK, askK, vcekK, cpakK] = await Promise.all([
    gen(EC_P256), gen(EC_P256), gen(EC_P256), gen(EC_P256), gen(EC_P256), gen(RSA_PSS), gen(RSA_PSS), gen(EC_P384), gen(EC_P384),
  ]);
  const random = (n) => crypto.getRandomValues(new Uint8Array(n));
  return build({
    keys: { rootK, platK, pckK, tcbK, attK, arkK, askK, vcekK, cpakK },
    ppid: random(16), platformInstanceId: random(16), chipId: random(64), qeAuthData: random(32),
  }, opts);
}

/** A variant of `pki` with the same keys and platform, changed by opts as for createPki (now defaults to pki's). */
export function derivePki(pki, opts = {}) {
  return build({ ...pki.state }, { now: pki.now, ...opts });
}

const CERT_NAMES = ["sgxRoot", "pckPlatformCa", "pck", "tcbSigning", "ark", "ask", "vcek"];
const REVOCABLE = ["pckPlatformCa", "tcbSigning", "pck", "ask"];

async function build(state, opts) {
  const now = opts.now ?? new Date();
  // A misspelt name would silently leave the PKI unchanged; refuse it.
  for (const n of Object.keys(opts.validity ?? {})) if (!CERT_NAMES.includes(n)) throw new TypeError(`validity: unknown certificate "${n}" (known: ${CERT_NAMES.join(", ")})`);
  for (const n of opts.revoked ?? []) if (!REVOCABLE.includes(n)) throw new TypeError(`revoked: cannot revoke "${n}" (revocable: ${REVOCABLE.join(", ")})`);
  const { rootK, platK, pckK, tcbK, attK, arkK, askK, vcekK, cpakK } = state.keys;
  // A restored PKI keeps its certificates byte for byte, so anchors written earlier still match.
  const saved = state.certs ?? {};
  const validity = opts.validity ?? {};
  const issue = async (name, params) => saved[name] && !validity[name] ? new x509.X509Certificate(saved[name]) : issueCert({ ...params, ...validity[name] });
  const intel = { qeMrSigner: await sha("SHA-256", "tsmkit TEST TD QE signer") };
  intel.root = { keys: rootK };
  intel.root.cert = await issue("sgxRoot", { subject: NAMES.sgxRoot, keys: rootK, alg: ES256, ca: true, pathLen: 1, usage: KU.keyCertSign | KU.cRLSign });
  intel.platformCa = { keys: platK };
  intel.platformCa.cert = await issue("pckPlatformCa", { subject: NAMES.pckPlatformCa, keys: platK, signer: intel.root, alg: ES256, ca: true, pathLen: 0, usage: KU.keyCertSign | KU.cRLSign });
  intel.pck = { keys: pckK };
  intel.pck.cert = await issue("pck", {
    subject: NAMES.pck, keys: pckK, signer: intel.platformCa, alg: ES256, ca: false, usage: KU.digitalSignature | KU.nonRepudiation,
    extensions: [new x509.Extension(SGX_EXT, false, sgxExtensions(INTEL_PLATFORM, state.ppid, state.platformInstanceId))],
  });
  intel.tcbSigning = { keys: tcbK };
  intel.tcbSigning.cert = await issue("tcbSigning", { subject: NAMES.tcbSigning, keys: tcbK, signer: intel.root, alg: ES256, ca: false, usage: KU.digitalSignature | KU.nonRepudiation });
  intel.attestationKey = attK;
  intel.qeAuthData = state.qeAuthData;
  Object.assign(intel, await intelCollateral(intel, now, opts));

  const a = AMD_PLATFORM;
  const amd = { product: a.product, chipId: state.chipId };
  amd.ark = { keys: arkK };
  amd.ark.cert = await issue("ark", { subject: NAMES.ark(a.product), keys: arkK, alg: PS384, ca: true, usage: KU.keyCertSign | KU.cRLSign });
  amd.ask = { keys: askK };
  amd.ask.cert = await issue("ask", { subject: NAMES.ask(a.product), keys: askK, signer: amd.ark, alg: PS384, ca: true, pathLen: 0, usage: KU.keyCertSign });
  amd.vcek = { keys: vcekK };
  amd.vcek.cert = await issue("vcek", {
    subject: NAMES.vcek, keys: vcekK, signer: amd.ask, alg: PS384, ca: false, usage: KU.digitalSignature,
    extensions: vcekExtensions(a, state.chipId),
  });
  amd.crl = await crl(amd.ark, now, PS384, opts.revoked?.includes("ask") ? [amd.ask.cert] : []);
  const cca = await ccaPlatform(cpakK);
  state.certs = {
    sgxRoot: intel.root.cert.rawData, pckPlatformCa: intel.platformCa.cert.rawData, pck: intel.pck.cert.rawData,
    tcbSigning: intel.tcbSigning.cert.rawData, ark: amd.ark.cert.rawData, ask: amd.ask.cert.rawData, vcek: amd.vcek.cert.rawData,
  };
  return { intel, amd, cca, state, now };
}

/**
 * The CCA platform: its CPAK, the CPAK's public key as PEM SPKI (what `tsmkit sim roots` writes)
 * and the platform instance ID, 0x01 (a random-type UEID) then SHA-256 of the CPAK's public point,
 * as CCA platforms derive it from their attestation key.
 */
async function ccaPlatform(cpak) {
  const spki = new Uint8Array(await subtle.exportKey("spki", cpak.publicKey));
  const point = new Uint8Array(await subtle.exportKey("raw", cpak.publicKey));
  const b64 = Buffer.from(spki).toString("base64").replace(/.{1,64}/g, "$&\n");
  return {
    cpak,
    cpakPem: `-----BEGIN PUBLIC KEY-----\n${b64}-----END PUBLIC KEY-----\n`,
    instanceId: Uint8Array.of(0x01, ...await sha("SHA-256", point)),
  };
}

/** Serialises a PKI's keys and platform secrets (JWK + hex), to restore the same anchors later. */
export async function exportPki(pki) {
  const keys = {};
  for (const [name, pair] of Object.entries(pki.state.keys)) keys[name] = await subtle.exportKey("jwk", pair.privateKey);
  const { ppid, platformInstanceId, chipId, qeAuthData, certs } = pki.state;
  const ders = Object.fromEntries(Object.entries(certs).map(([k, v]) => [k, hex(new Uint8Array(v))]));
  return JSON.stringify({ keys, certs: ders, ppid: hex(ppid), platformInstanceId: hex(platformInstanceId), chipId: hex(chipId), qeAuthData: hex(qeAuthData) });
}

async function importPair(jwk) {
  const alg = jwk.kty === "EC" ? { name: "ECDSA", namedCurve: jwk.crv } : { name: "RSA-PSS", hash: "SHA-384" };
  const privateKey = await subtle.importKey("jwk", jwk, alg, true, ["sign"]);
  const { d, p, q, dp, dq, qi, key_ops, ...pub } = jwk; // eslint-disable-line no-unused-vars
  const publicKey = await subtle.importKey("jwk", { ...pub, key_ops: ["verify"] }, alg, true, ["verify"]);
  return { privateKey, publicKey };
}

/** Restores a PKI saved by exportPki: same keys, certificates and identities; CRLs and PCS JSON re-signed for opts (see createPki). */
export async function importPki(text, opts = {}) {
  const s = JSON.parse(text);
  const keys = {};
  for (const [name, jwk] of Object.entries(s.keys)) keys[name] = await importPair(jwk);
  if (!keys.cpakK) throw new TypeError("this saved simulator PKI has no CCA platform key (written before tsmkit simulated CCA): delete the file to create a new one");
  const certs = Object.fromEntries(Object.entries(s.certs).map(([k, v]) => [k, fromHex(v)]));
  return build({
    keys, certs, ppid: fromHex(s.ppid), platformInstanceId: fromHex(s.platformInstanceId), chipId: fromHex(s.chipId), qeAuthData: fromHex(s.qeAuthData),
  }, opts);
}

let shared;
/**
 * The process-wide PKI every provider uses unless given one. With TSMKIT_SIM_PKI=<file> it is
 * loaded from that file (created there on first use), so several processes share one PKI.
 */
export function sharedPki() {
  shared ??= (async () => {
    const file = globalThis.process?.env?.TSMKIT_SIM_PKI;
    if (!file) return createPki();
    try {
      return await importPki(await readFile(file, "utf8"));
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
      const pki = await createPki();
      await writeFile(file, await exportPki(pki), { mode: 0o600 });
      return pki;
    }
  })();
  return shared;
}

/** Certificate as PEM text with a trailing newline. */
export const pem = (cert) => `${cert.toString("pem")}\n`;

/**
 * What a relying party needs to verify this PKI's evidence, in verify()'s option shapes: roots
 * ({ intel, amd, cca }), collateral (TCB info, QE identity, their signing chain, root and PCK CRLs) and
 * crl (the AMD CRL, for SNP).
 */
export function verifierOptions(pki) {
  const i = pki.intel;
  return {
    roots: { intel: [i.root.cert], amd: [pki.amd.ark.cert], cca: pki.cca.cpakPem },
    collateral: {
      tcbInfo: i.tcbInfo, qeIdentity: i.qeIdentity, tcbSigningChain: pem(i.tcbSigning.cert) + pem(i.root.cert),
      rootCaCrl: new Uint8Array(i.rootCrl.rawData), pckCrl: new Uint8Array(i.pckCrl.rawData),
    },
    crl: new Uint8Array(pki.amd.crl.rawData),
  };
}
