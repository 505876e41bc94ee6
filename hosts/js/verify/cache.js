// Every trust cache of the verifier, in one place, so their invariants can be read and tested
// together. Repeat verification of the same evidence with the same collateral must not redo
// parsing or signature checks whose inputs are byte-for-byte the same, and a cached result must
// never be reused for other bytes, another `now` or another set of roots:
// - keyed by exact bytes (BytesMemo): a hit needs every byte equal to a private copy taken when
//   the entry was made, so bytes changed in place since then miss;
// - keyed by parsed certificate/CRL object (WeakMap, PairMemo): those objects are parsed from
//   private copies (certificate.js, crl.js) and never change their bytes;
// - nothing time-dependent is cached (validity windows, CRL currency, collateral windows are
//   evaluated on every call), and no cached value records whether something is trusted: anchors
//   are compared byte for byte (or by the SHA-256 of those bytes, for a pinned root) on every
//   call, so a result cannot carry over to other roots.
import { equalBytes, toBytes } from "../bytes.js";

/** A bounded cache; the oldest entry goes first once full. */
class Memo {
  constructor(max = 512) { this.map = new Map(); this.max = max; }
  get(k) { return this.map.get(k); }
  set(k, v) {
    if (this.map.size >= this.max && !this.map.has(k)) this.map.delete(this.map.keys().next().value);
    this.map.set(k, v);
    return v;
  }
}

// At most this many bytes feed a BytesMemo's bucket hash; equality is always checked in full.
const HASH_SAMPLES = 64;

/** A bucket number from the length and up to HASH_SAMPLES bytes spread over `b` (last byte included). */
function sampleHash(b) {
  const n = b.length;
  let h = Math.imul(n, 0x9e3779b1);
  const step = n <= HASH_SAMPLES ? 1 : (n - 1) / (HASH_SAMPLES - 1);
  for (let k = 0, i = 0; k < HASH_SAMPLES && i < n; k++, i = Math.round(k * step)) h = Math.imul(h ^ b[i], 0x01000193);
  return h;
}

/**
 * A bounded cache keyed by exact bytes: a hash of sampled bytes picks the bucket, and a hit needs
 * every byte equal to a private copy taken by set(), so bytes changed in place since then miss.
 */
class BytesMemo {
  constructor(max = 512) { this.buckets = new Memo(max); }
  get(bytes) {
    const b = toBytes(bytes);
    const bucket = this.buckets.get(sampleHash(b));
    if (bucket) for (const e of bucket) if (equalBytes(b, e.bytes)) return e.value;
    return undefined;
  }
  set(bytes, value) {
    const b = toBytes(bytes);
    const h = sampleHash(b);
    const bucket = (this.buckets.get(h) ?? []).filter((e) => !equalBytes(b, e.bytes)).slice(-7);
    bucket.push({ bytes: new Uint8Array(b), value }); // a copy even of a Node Buffer, whose slice() is a view
    this.buckets.set(h, bucket);
    return value;
  }
}

/** Results about pairs of objects whose bytes never change (parsed certificates, CRLs, signed objects). */
class PairMemo {
  constructor() { this.map = new WeakMap(); }
  get(a, b) { return this.map.get(a)?.get(b); }
  set(a, b, v) {
    let inner = this.map.get(a);
    if (!inner) this.map.set(a, (inner = new WeakMap()));
    inner.set(b, v);
    return v;
  }
}

/** Results about one object whose bytes never change. */
const perObject = () => new WeakMap();

// ---- the caches ------------------------------------------------------------------------------
export const caches = Object.freeze({
  /** DER bytes -> parsed Certificate (parsed from a private copy). */
  certificates: new BytesMemo(),
  /** PEM/DER input bytes -> its certificates. */
  certificateInputs: new BytesMemo(64),
  /** PEM text -> its certificates. */
  pemTexts: new Memo(),
  /** DER bytes -> parsed Crl (from a private copy). */
  crls: new BytesMemo(64),
  /** certificate or CRL object -> strict-DER facts (certinfo.js). */
  derFacts: perObject(),
  /** (signed certificate or CRL object, issuer certificate) -> { ok, rule, detail } of its signature. */
  signatures: new PairMemo(),
  /** certificate object -> Map(algorithm -> imported WebCrypto verify key). */
  keys: perObject(),
  /** (CRL, certificate) -> its revoked entry or null. */
  revocations: new PairMemo(),
  /** (signed collateral object, signer certificate) -> { signed, signature copies, ok }. */
  collateralSignatures: new PairMemo(),
  /** collateral input text / bytes -> frozen normalized collateral. */
  collateralTexts: new Memo(32),
  collateralBytes: new BytesMemo(32),
  /** attestation key bytes -> imported P-256 key; (key || QE auth data) -> SHA-256. */
  attestationKeys: new BytesMemo(64),
  qeBindings: new BytesMemo(64),
  /** PCK leaf object -> its SGX extensions (frozen); VCEK/VLEK object -> its AMD extensions (frozen). */
  pckExtensions: perObject(),
  amdExtensions: perObject(),
  /** (certificate, certificate) -> whether their DER bytes are equal. */
  sameDer: new PairMemo(),
  /** certificate object -> SHA-256 of its DER (hex), compared with the pinned roots (roots.js). */
  fingerprints: perObject(),
});
