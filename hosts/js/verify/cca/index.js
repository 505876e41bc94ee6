// Arm CCA token verification: the platform token signed by a CPAK/IAK the caller trusts
// (roots.cca), the realm token signed by the RAK it carries, the two bound by the platform
// challenge (the hash of that RAK), then the caller's policy (nonce, profiles, lifecycle,
// reference values). Every signed byte is taken from locate()'s extents over the caller's bytes.
import { Checks, verdict } from "../result.js";
import { hex } from "../../bytes.js";
import { checkBinding } from "./binding.js";
import { cryptoKey, realmKey } from "./keys.js";
import { checkCcaPolicy } from "./policy.js";
import { checkNoRtmrs } from "../rtmr/index.js";
import { checkEventLogPolicy } from "../rtmr/policy.js";
import { platformKeys } from "./roots.js";
import { coseAlg, verifySign1 } from "./sign1.js";

/** The bytes of located field `path`; throws naming it if the token has no such field. */
function span(bytes, loc, path) {
  const at = loc.get(path);
  if (!at) throw Object.assign(new Error(`the token has no ${path}`), { code: "MISSING_FIELD", field: path });
  return bytes.subarray(at[0], at[0] + at[1]);
}

/** What a COSE_Sign1 signs and its signature, for `which` token ("platform" or "realm"). */
const sign1 = (bytes, loc, token, which) => ({
  alg: token[which].protected.alg,
  protectedBytes: span(bytes, loc, `${which}.protected`),
  payload: span(bytes, loc, `${which}.claims`),
  signature: span(bytes, loc, `${which}.signature`),
});

const keyName = (k) => `the ${k.curve} key x=${hex(k.point.subarray(1, 9))}..`;

/** The platform token's signature with a key from roots.cca (by instance ID when it is a map). */
async function platformSignature(signed, instanceId, roots) {
  const found = platformKeys(roots, instanceId);
  if (!found.keys.length) {
    return { ok: false, supply: ["roots"], detail: `${found.why}: supply the platform's CPAK/IAK public key as roots.cca (CLI: --roots FILE)` };
  }
  const alg = coseAlg(signed.alg);
  const fit = found.keys.filter((k) => k.curve === alg.curve);
  if (!fit.length) {
    return { ok: false, detail: `the platform token is ${alg.name}, which needs a ${alg.curve} key; ${found.where} has only ${[...new Set(found.keys.map((k) => k.curve))].join(", ")}` };
  }
  for (const k of fit) {
    const r = await verifySign1(signed, { curve: k.curve, cryptoKey: await cryptoKey(k) });
    if (r.ok) return { ok: true, detail: `${r.detail} with ${keyName(k)} (${found.where})` };
  }
  return { ok: false, detail: `${alg.name} signature does not verify with ${fit.length === 1 ? keyName(fit[0]) : `any of the ${fit.length} ${alg.curve} keys`} (${found.where})` };
}

/** The realm token's signature with the RAK in its own claims. */
async function realmSignature(signed, claims, rak) {
  const key = realmKey(claims, rak);
  const r = await verifySign1(signed, { curve: key.curve, cryptoKey: await cryptoKey(key) });
  return { ok: r.ok, detail: `${r.detail} with the RAK the realm token carries (${claims.publicKeyEncoding}, ${key.curve})` };
}

/**
 * Verifies a CCA token verify() has decoded (`token` = decode(), `loc` = locate() of `bytes`);
 * `roots` is roots.cca as cca/roots.js read it (null when none was given).
 */
export async function verifyDecodedCcaToken(bytes, token, loc, opts, roots) {
  const checks = new Checks();
  checks.add("decode", true, `cca-token (${token.collection} collection)`);
  checks.defer("cca.platformSignature", () => platformSignature(sign1(bytes, loc, token, "platform"), token.platform.claims.instanceId, roots));
  checks.defer("cca.realmSignature", () => realmSignature(sign1(bytes, loc, token, "realm"), token.realm.claims, span(bytes, loc, "realm.claims.publicKey")));
  checks.defer("cca.binding", () => checkBinding(span(bytes, loc, "platform.claims.challenge"), span(bytes, loc, "realm.claims.publicKey"),
    token.realm.claims.publicKeyHashAlgorithmId));
  checkCcaPolicy(checks, token, opts.policy);
  checkEventLogPolicy(checks, checkNoRtmrs(checks, opts, "an Arm CCA token"), opts.policy);
  await checks.settle();
  return verdict(checks, { evidence: token, now: opts.now });
}
