// Suite "cca": Arm CCA tokens from the corpus. decode() against a plain-JS CBOR decode of the
// same token with cbor-x (the collection, both COSE_Sign1s and both claims-sets: the structure
// ours decodes, without the claim checks); verify() against the WebCrypto floor (the platform
// and realm COSE_Sign1 verifications and the binding digest no verifier can skip).
import { Decoder } from "cbor-x";
import { data } from "../data.js";
import { decode, locate } from "../../hosts/js/decode.js";
import { verify } from "../../hosts/js/verify/index.js";
import { sigStructure, COSE_ALGS } from "../../hosts/js/verify/cca/sign1.js";
import { keysOf, realmKey } from "../../hosts/js/verify/cca/keys.js";

export const name = "cca";
export const title = "Arm CCA tokens: decode() vs cbor-x, verify() vs the WebCrypto floor (real corpus tokens)";

const CBORX = "cbor-x (plain JS)";
const FLOOR = "WebCrypto floor";
const STRICT = "floor, keys cached, concurrent";

const CASES = [
  { label: "CCA realm 2.0 (tag 907, ES384/ES384)", file: "cca/tfm-tools-cca-example-token-realm2.cbor", key: "cca/ccatoken-tf-rmm-cpak-pub.pem" },
  { label: "CCA legacy (tag 399, ES384/ES384)", file: "cca/ccatoken-tf-rmm-token-tag399.cbor", key: "cca/ccatoken-tf-rmm-cpak-pub.pem" },
  { label: "CCA veraison (tag 907, ES256/ES384)", file: "cca/ccatoken-good-cmw-collection.cbor", key: "cca/ccatoken-test-iak-pub.pem" },
];

// cbor-x as a generic decoder: integer-keyed maps as Maps (CCA claims are integer labels), no
// record extension; tags it does not know come back as Tag objects with their value.
const cborx = new Decoder({ mapsAsObjects: false, useRecords: false });
const untag = (v) => (v && typeof v === "object" && "tag" in v && "value" in v ? v.value : v);

/** The token decoded to the claims with cbor-x: collection, each entry's COSE_Sign1, each payload. */
function cborxToken(bytes) {
  const collection = untag(cborx.decode(bytes));
  const out = {};
  for (const [key, entry] of collection) {
    const bstr = Array.isArray(entry) ? entry[1] : entry; // CMW [263, bstr] or legacy bstr
    const [prot, unprot, payload, signature] = untag(cborx.decode(bstr));
    out[key] = { protected: cborx.decode(prot), unprotected: unprot, claims: cborx.decode(payload), signature };
  }
  return out;
}

const at = (bytes, loc, path) => { const [o, l] = loc.get(path); return bytes.subarray(o, o + l); };

/**
 * The floor: both COSE_Sign1 verifications (keys imported each call) and the binding digest,
 * sequential; with `strict`, keys imported once and the three run concurrently.
 */
function floor(bytes, pem, { strict = false } = {}) {
  const token = decode(bytes), loc = locate(bytes);
  const [cpak] = keysOf(pem);
  const rak = realmKey(token.realm.claims, at(bytes, loc, "realm.claims.publicKey"));
  const part = (which, key) => {
    const a = COSE_ALGS[token[which].protected.alg];
    return {
      alg: { name: "ECDSA", hash: a.hash }, sig: at(bytes, loc, `${which}.signature`),
      tbs: sigStructure(at(bytes, loc, `${which}.protected`), at(bytes, loc, `${which}.claims`)),
      importKey: () => globalThis.crypto.subtle.importKey("raw", key.point, { name: "ECDSA", namedCurve: key.curve }, false, ["verify"]),
    };
  };
  const parts = [part("platform", cpak), part("realm", rak)];
  const rakBytes = at(bytes, loc, "realm.claims.publicKey");
  const digest = token.realm.claims.publicKeyHashAlgorithmId.toUpperCase();
  const one = async (p, key) => {
    if (!(await globalThis.crypto.subtle.verify(p.alg, await key, p.sig, p.tbs))) throw new Error("CCA floor: a signature did not verify");
  };
  if (strict) {
    const keys = parts.map((p) => p.importKey());
    return () => Promise.all([one(parts[0], keys[0]), one(parts[1], keys[1]), globalThis.crypto.subtle.digest(digest, rakBytes)]);
  }
  return async () => {
    for (const p of parts) await one(p, p.importKey());
    return globalThis.crypto.subtle.digest(digest, rakBytes);
  };
}

export async function run(ctx) {
  const rows = [];
  const opts = ctx.quick ? {} : { rounds: 15, roundMs: 60, warmupMs: 300 };
  for (const c of CASES) {
    const bytes = new Uint8Array(data(c.file));
    const theirs = cborxToken(bytes);
    if (theirs[44241].claims.get(10).length !== 64) throw new Error(`${c.file}: cbor-x did not read the realm challenge`);
    const d = ctx.compare({ ours: () => decode(bytes), [CBORX]: () => cborxToken(bytes) });
    rows.push({ label: `${c.label} decode`, ours: d.ours, peerName: CBORX, peer: d[CBORX] });

    const pem = data(c.key).toString("utf8");
    const vopts = { roots: { cca: pem }, policy: { reportData: decode(bytes).realm.claims.challenge } };
    const first = await verify(bytes, vopts);
    if (!first.ok) throw new Error(`${c.file}: not verified (${first.decidedBy})`);
    const v = await ctx.compareAsync({ ours: () => verify(bytes, vopts), [FLOOR]: floor(bytes, pem), [STRICT]: floor(bytes, pem, { strict: true }) }, opts);
    rows.push({ label: `${c.label} verify`, ours: v.ours, peerName: FLOOR, peer: v[FLOOR] });
    rows.push({ label: `${c.label} verify`, ours: v.ours, peerName: STRICT, peer: v[STRICT] });
  }
  return {
    rows,
    notes: [
      `decode: ours = decode() (the Wasm core: bounded CBOR, COSE_Sign1, every claim checked against its profile's rules, hex strings); ${CBORX} = ` +
        "cbor-x decoding the collection, both COSE_Sign1s and both claims maps (Uint8Array values, no claim rules), in the same run.",
      "verify: ours = verify() with roots.cca (PEM) and the nonce (decode, locate, both signatures, binding, policy, verdict); " +
        "floor = the two ECDSA verifications over their Sig_structures plus the RAK digest, keys imported each call; strict floor = keys imported once, all three concurrent.",
      "ratio = peer ns / ours ns (above 1: ours is faster; against the floor, at best about 1).",
    ],
  };
}
