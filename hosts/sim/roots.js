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

/** Writes the anchors into dir (created if missing); returns the paths written. */
export async function writeRoots(dir, { pki } = {}) {
  const p = pki ?? await sharedPki();
  await mkdir(dir, { recursive: true });
  const written = [];
  for (const [name, cert] of Object.entries(anchors(p))) {
    const path = join(dir, name);
    await writeFile(path, pem(cert));
    written.push(path);
  }
  return written;
}
