// The production trust anchors, pinned: the SHA-256 of each root certificate's DER. The roots
// themselves travel with the evidence (every PCK chain and every Intel issuer chain ends in the
// Intel SGX Root CA; an SEV-SNP certificate table, AMD KDS's cert_chain and the ASK bundles
// carry the ARK beside the ASK), so the verifier ships 32 bytes per root instead of the
// certificate (5.3 KB of a browser bundle) and trusts exactly those bytes. Callers may replace
// them with certificates of their own in opts.roots (see resolveRoots).
import { CertError, parseCertificates } from "./x509.js";
import { ccaRoots } from "./cca/roots.js";
import { OptionError } from "./options.js";
import { caches } from "./cache.js";
import { hex } from "../bytes.js";

/** A pinned root: the certificate's subject CN and the SHA-256 of its DER. */
const pin = (name, sha256) => Object.freeze({ name, sha256 });

// Intel SGX Root CA (production; signs the PCK and TCB signing chains).
export const INTEL_SGX_ROOT_CA = pin("Intel SGX Root CA", "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3");

// AMD Root Keys (ARK), one per product line; each signs its ASK (VCEK) and ASVK (VLEK).
export const AMD_ARK = Object.freeze({
  Milan: pin("ARK-Milan", "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd"),
  Genoa: pin("ARK-Genoa", "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1"),
  Turin: pin("ARK-Turin", "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a"),
});

export const AMD_PRODUCTS = Object.freeze(Object.keys(AMD_ARK));

/** Whether a resolved root is a pin (the production root) rather than the caller's certificates. */
export const isPin = (root) => typeof root?.sha256 === "string";

/**
 * The trust anchors to use: { intel, amd: { Milan, Genoa, Turin } }, each a pinned production
 * root or the caller's certificates, and the CCA platform keys (cca/roots.js; null when none: Arm
 * has no root to pin). `override` (opts.roots) may replace either vendor: `intel` as
 * PEM/DER/certificates, `amd` as an object by product or as one list used for every product.
 * Anything not overridden stays pinned.
 */
export function resolveRoots(override = {}) {
  const amdIn = override.amd;
  const perProduct = amdIn && !Array.isArray(amdIn) && typeof amdIn === "object" && !ArrayBuffer.isView(amdIn)
    && !(amdIn instanceof ArrayBuffer) && AMD_PRODUCTS.some((p) => p in amdIn);
  const amd = {};
  for (const p of AMD_PRODUCTS) {
    const src = amdIn === undefined ? undefined : perProduct ? amdIn[p] : amdIn;
    amd[p] = src === undefined ? AMD_ARK[p] : rootOption(perProduct ? `roots.amd.${p}` : "roots.amd", src);
  }
  return { intel: override.intel === undefined ? INTEL_SGX_ROOT_CA : rootOption("roots.intel", override.intel), amd, cca: ccaRoots(override.cca) };
}

/** The caller's root certificates; input that is none is an option verify() cannot use, named as such. */
function rootOption(option, src) {
  try {
    return parseCertificates(src);
  } catch (e) {
    if (e instanceof CertError) throw new OptionError(option, e.message);
    throw e;
  }
}

/** The SHA-256 of a certificate's DER, in hex (once per certificate object: its bytes never change). */
async function fingerprint(cert) {
  let f = caches.fingerprints.get(cert);
  if (f === undefined) caches.fingerprints.set(cert, (f = hex(new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", cert.rawData)))));
  return f;
}

/**
 * The anchors a path may end in: the caller's certificates as they are, or, for a pinned root,
 * the certificates among `pool` (what came with the evidence) whose DER is the pinned one.
 */
export async function anchorsFor(root, pool) {
  if (!isPin(root)) return root;
  const found = [];
  for (const c of pool) if (!found.includes(c) && (await fingerprint(c)) === root.sha256) found.push(c);
  return found;
}

/**
 * A failed path whose pinned root was not among the certificates given says so, and what to
 * supply; any other result is returned as it is.
 */
export function withRootHint(path, root, anchors, where, supply) {
  if (path.ok || !isPin(root) || anchors.length) return path;
  return { ...path, supply, detail: `${path.detail}; no certificate given is the pinned ${root.name} (SHA-256 ${root.sha256}): supply it with ${where}` };
}
