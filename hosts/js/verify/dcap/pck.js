// The PCK certificate: which certificates of a PCK chain play which role, and the Intel SGX
// extensions on the leaf (Intel "SGX PCK Certificate and Certificate Revocation List Profile
// Specification", section 1.3.5 "Intel SGX Extensions", OID 1.2.840.113741.1.13.1): the platform's
// FMSPC and PCE-ID (which TCB info applies) and the TCB the key was certified at (the 16 CPUSVN
// components and PCESVN that select the TCB level).
import { DerError, oidText, root, smallInt, children } from "../der.js";
import { CertError, commonName, parseCertificates } from "../x509.js";
import { hex, toBytes } from "../../bytes.js";

const SGX = "1.2.840.113741.1.13.1";
export const SGX_OIDS = Object.freeze({
  extensions: SGX,
  ppid: `${SGX}.1`,
  tcb: `${SGX}.2`,
  pceSvn: `${SGX}.2.17`,
  cpuSvn: `${SGX}.2.18`,
  pceId: `${SGX}.3`,
  fmspc: `${SGX}.4`,
  sgxType: `${SGX}.5`,
  platformInstanceId: `${SGX}.6`,
  configuration: `${SGX}.7`,
});

// SGX Type (Profile spec 1.3.5, sgxType ENUMERATED).
const SGX_TYPES = ["Standard", "Scalable", "ScalableWithIntegrity"];

// The CN phrase Intel's QVL requires of a PCK leaf (QVL X509Constants SGX_PCK_CN_PHRASE).
export const PCK_CN = "SGX PCK Certificate";

const fail = (field, message) => new CertError("BAD_CERTIFICATE", `SGX extension ${field}: ${message}`, { field: `sgxExtensions.${field}` });

// The extension is read with the strict DER reader; its errors become CertErrors naming the field.
function derRead(field, fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DerError) throw fail(field, e.message);
    throw e;
  }
}

/** SEQUENCE { SEQUENCE { OID, value }, ... } as a Map oid -> value node. */
function oidMap(b, node, field) {
  if (node.tag !== 0x30) throw fail(field, "expected a SEQUENCE");
  return derRead(field, () => {
    const map = new Map();
    for (const pair of children(b, node)) {
      const kv = pair.tag === 0x30 ? children(b, pair) : [];
      if (kv.length !== 2 || kv[0].tag !== 0x06) throw fail(field, "expected SEQUENCE { OID, value }");
      map.set(oidText(b, kv[0]), kv[1]);
    }
    return map;
  });
}

function need(map, oid, field, tag) {
  const v = map.get(oid);
  if (!v) throw fail(field, "missing");
  if (v.tag !== tag) throw fail(field, `expected tag 0x${tag.toString(16)}, got 0x${v.tag.toString(16)}`);
  return v;
}

function uint(b, node, field) {
  if (node.end - node.start > 3) throw fail(field, "not a small non-negative INTEGER");
  return derRead(field, () => smallInt(b, node.tag === 0x0a ? { ...node, tag: 0x02 } : node));
}

const octets = (b, node) => b.subarray(node.start, node.end);

/**
 * The Intel SGX extensions of a PCK certificate: { ppid, fmspc, pceId (hex), tcb: { compSvn
 * [16 numbers], pceSvn, cpuSvn (hex) }, sgxType, platformInstanceId?, configuration? }.
 * Throws CertError (BAD_CERTIFICATE, field sgxExtensions.*) when absent or malformed.
 */
export function pckExtensions(cert) {
  const raw = cert.extension(SGX_OIDS.extensions);
  if (!raw) throw fail("", `${commonName(cert)} has no Intel SGX extensions (${SGX})`);
  const b = toBytes(raw);
  const top = oidMap(b, derRead("", () => root(b)), "");
  const tcbMap = oidMap(b, need(top, SGX_OIDS.tcb, "tcb", 0x30), "tcb");
  const compSvn = [];
  for (let i = 1; i <= 16; i++) compSvn.push(uint(b, need(tcbMap, `${SGX_OIDS.tcb}.${i}`, `tcb.comp${i}`, 0x02), `tcb.comp${i}`));
  const out = {
    ppid: hex(octets(b, need(top, SGX_OIDS.ppid, "ppid", 0x04))),
    fmspc: hex(octets(b, need(top, SGX_OIDS.fmspc, "fmspc", 0x04))),
    pceId: hex(octets(b, need(top, SGX_OIDS.pceId, "pceId", 0x04))),
    tcb: {
      compSvn,
      pceSvn: uint(b, need(tcbMap, SGX_OIDS.pceSvn, "tcb.pceSvn", 0x02), "tcb.pceSvn"),
      cpuSvn: hex(octets(b, need(tcbMap, SGX_OIDS.cpuSvn, "tcb.cpuSvn", 0x04))),
    },
  };
  if (out.fmspc.length !== 12) throw fail("fmspc", `expected 6 bytes, got ${out.fmspc.length / 2}`);
  if (out.pceId.length !== 4) throw fail("pceId", `expected 2 bytes, got ${out.pceId.length / 2}`);
  const type = need(top, SGX_OIDS.sgxType, "sgxType", 0x0a);
  const t = uint(b, type, "sgxType");
  out.sgxType = SGX_TYPES[t] ?? `unknown(${t})`;
  const pi = top.get(SGX_OIDS.platformInstanceId);
  if (pi?.tag === 0x04) out.platformInstanceId = hex(octets(b, pi));
  const conf = top.get(SGX_OIDS.configuration);
  if (conf?.tag === 0x30) {
    // Configuration (Scalable platforms): dynamicPlatform .7.1, cachedKeys .7.2, smtEnabled .7.3.
    const names = ["dynamicPlatform", "cachedKeys", "smtEnabled"];
    const cm = oidMap(b, conf, "configuration");
    out.configuration = {};
    names.forEach((n, i) => {
      const v = cm.get(`${SGX_OIDS.configuration}.${i + 1}`);
      if (v?.tag === 0x01) out.configuration[n] = b[v.start] !== 0;
    });
  }
  return out;
}

/**
 * Splits a PCK chain (any order, as PEM/DER/certificates) into { leaf, cas: [..others] }; the
 * leaf is the one certificate whose CN names an SGX PCK Certificate.
 */
export function pckChainParts(input) {
  const certs = parseCertificates(input);
  const leaves = certs.filter((c) => commonName(c).includes(PCK_CN));
  if (leaves.length !== 1) {
    throw new CertError("BAD_CERTIFICATE", `expected one "${PCK_CN}" in the PCK chain, found ${leaves.length} among ${certs.map(commonName).join(", ") || "none"}`, { field: "pckCertChain" });
  }
  return { leaf: leaves[0], cas: certs.filter((c) => c !== leaves[0]), certs };
}

