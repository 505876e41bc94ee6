// The simulator's trust anchors as PEM files, for verifiers that take their roots from a
// directory (`tsmkit sim roots DIR`). They match evidence from the same PKI: the process-wide
// one by default, which TSMKIT_SIM_PKI=<file> shares across processes (see pki.js).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pem, sharedPki } from "./pki.js";

/** File name -> certificate, for every anchor a verifier of simulator evidence needs. */
export function anchors(pki) {
  return {
    "sgx-root-ca.pem": pki.intel.root.cert,
    [`amd-ark-${pki.amd.product.toLowerCase()}.pem`]: pki.amd.ark.cert,
  };
}

/** File name -> bytes of the simulator's AMD CRL (signed by its ARK), for `tsmkit verify --crl`. */
export const amdCrl = (pki) => ({ [`amd-crl-${pki.amd.product.toLowerCase()}.der`]: new Uint8Array(pki.amd.crl.rawData) });

/**
 * File name -> bytes of the simulator's Intel collateral (TCB info, QE identity, their signing
 * chain, root and PCK CRLs), named as `tsmkit verify --collateral DIR` finds them.
 */
export function collateral(pki) {
  const i = pki.intel;
  return {
    "tcbinfo.json": i.tcbInfo,
    "qeidentity.json": i.qeIdentity,
    "tcb-signing-chain.pem": pem(i.tcbSigning.cert) + pem(i.root.cert),
    "root-ca-crl.der": new Uint8Array(i.rootCrl.rawData),
    "pck-crl.der": new Uint8Array(i.pckCrl.rawData),
  };
}

/** File name -> PEM public key of the simulator's CCA platform key (CPAK), for `tsmkit verify --roots`. */
export const ccaKey = (pki) => ({ "cca-cpak.pem": pki.cca.cpakPem });

/**
 * Writes the anchors (the CCA platform key among them), and the collateral a DCAP verifier needs for simulator quotes, into dir
 * (created if missing); returns the paths written.
 */
export async function writeRoots(dir, { pki } = {}) {
  const p = pki ?? await sharedPki();
  await mkdir(dir, { recursive: true });
  const files = { ...Object.fromEntries(Object.entries(anchors(p)).map(([n, c]) => [n, pem(c)])), ...ccaKey(p), ...collateral(p), ...amdCrl(p) };
  const written = [];
  for (const [name, bytes] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    written.push(path);
  }
  return written;
}
