// What each loaded file or paste is, by content (never by name): evidence, an SNP certificate
// table, certificates, an AMD CRL, Intel collateral (classifyCollateral's roles) or a CCA
// platform key, and the verify() options the whole set makes for the evidence in hand.
import { decode, DecodeError } from "../js/decode.js";
import { decodeTextInput } from "../js/text-input.js";
import { identifyCollateralFile, classifyCollateral, COLLATERAL_PIECES } from "../js/verify/dcap/collateral-files.js";
import { parseCertificates, parseCrl, commonName } from "../js/verify/x509.js";
import { fromHex } from "../js/bytes.js";
import { isoTime } from "../js/time.js";

/** The JSON object in `bytes`, or undefined. */
function jsonObject(bytes) {
  const s = new TextDecoder().decode(bytes).trim();
  if (!s.startsWith("{")) return undefined;
  try { return JSON.parse(s); } catch { return undefined; }
}

/** A blob inside a JSON envelope: hex or base64 text, or an array of byte values. */
function blob(v) {
  if (Array.isArray(v)) return Uint8Array.from(v);
  if (typeof v !== "string") return undefined;
  const t = decodeTextInput(new TextEncoder().encode(v));
  return t.encoding === "hex" || t.encoding === "base64" ? t.bytes : undefined;
}

/** Evidence or a certificate table: { role, what, format, bytes, error? }, or undefined if neither. */
function asEvidence(bytes, opts) {
  try {
    // Every format the core decodes is evidence to inspect (CCA tokens too), but the SNP certificate table.
    const { format } = decode(bytes, opts);
    if (format === "snp-certs") return { role: "certTable", what: `SNP certificate table, ${bytes.length} bytes`, format, bytes };
    return { role: "evidence", what: `${format}, ${bytes.length} bytes`, format, bytes };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    // A known format that fails to decode is still evidence: the inspector shows where it broke.
    if (e.code !== "UNKNOWN_FORMAT") return { role: "evidence", what: `${e.format}, ${bytes.length} bytes, does not decode`, format: e.format, bytes, error: e };
    return undefined;
  }
}

/**
 * A bare public key, PEM (SPKI) or JWK: what a CCA platform is endorsed by (its CPAK or IAK;
 * `tsmkit sim roots` writes the simulator's as cca-cpak.pem). verify() parses it as roots.cca.
 */
function ccaKey(bytes, o) {
  const pemKey = !o && /^-----BEGIN PUBLIC KEY-----\r?\n[\s\S]+\n-----END PUBLIC KEY-----\s*$/.test(new TextDecoder().decode(bytes).trim() + "\n");
  const jwk = o && typeof o.kty === "string";
  if (!pemKey && !jwk) return undefined;
  return { role: "ccaKey", what: `public key (${pemKey ? "PEM" : "JWK"}): a CCA platform's CPAK or IAK, trusted to sign platform tokens`, bytes };
}

/** A systemd/`{provider, outblob, auxblob?}` envelope: its blobs as inputs. */
function envelope(o, name) {
  if (!("outblob" in o)) {
    if ("evidence" in o && "provider" in o) {
      return [{ name, role: "ignored", what: "tsmkit report --json output: it holds the decoded evidence, not its bytes (save them with tsmkit report --out FILE)" }];
    }
    return undefined;
  }
  const out = blob(o.outblob);
  if (!out) return [{ name, role: "ignored", what: "JSON envelope whose outblob is neither hex, base64 nor a byte array" }];
  const opts = o.provider ? { provider: o.provider } : undefined;
  const list = [{ name: `${name} outblob`, ...(asEvidence(out, opts) ?? { role: "ignored", what: "outblob: not evidence tsmkit decodes", bytes: out }) }];
  const aux = blob(o.auxblob);
  if (aux?.length) list.push({ name: `${name} auxblob`, ...(asEvidence(aux, { format: "snp-certs" }) ?? { role: "ignored", what: "auxblob: not an SNP certificate table", bytes: aux }) });
  return list;
}

/** X.509 outside Intel collateral: AMD certificates for the SNP chain (certs), a root (unused). */
function ofCertificates(bytes, found) {
  let certs;
  try { certs = parseCertificates(bytes); } catch { return undefined; }
  const what = certs.map((c) => `${commonName(c)} (valid to ${isoTime(c.notAfter)})`).join(", ");
  if (found.supply?.includes("roots")) {
    return { role: "ignored", what: `trust anchor ${what}: this page trusts only the built-in Intel and AMD roots (tsmkit verify --roots takes others)` };
  }
  return { role: "certs", what: `certificate${certs.length > 1 ? "s" : ""}: ${what}`, bytes };
}

/** A time from collateral ("2025-06-19T10:16:03Z" or a Date), or undefined. */
const time = (t) => { const d = t === undefined ? undefined : new Date(t); return d && !Number.isNaN(d.getTime()) ? d : undefined; };
const jsonIssue = (o) => time((o?.tcbInfo ?? o?.enclaveIdentity ?? o?.qeIdentity)?.issueDate);
const crlIssue = (der) => { try { return time(parseCrl(der).thisUpdate); } catch { return undefined; } };

/**
 * When a collateral input was issued (the newest date of its parts): TCB info and QE identity
 * issueDate, a CRL's thisUpdate. Collateral checks pass only after every part's issue, so the
 * newest is the earliest time the set can verify at: the page offers it as the time to use.
 */
function issuedAt(role, bytes, o) {
  let dates = [];
  if (o?.tcb_info !== undefined) {
    const parse = (s) => { try { return JSON.parse(s); } catch { return undefined; } };
    dates = [jsonIssue({ tcbInfo: parse(o.tcb_info)?.tcbInfo ?? parse(o.tcb_info) }), jsonIssue({ qeIdentity: parse(o.qe_identity)?.enclaveIdentity ?? parse(o.qe_identity) }),
      ...[o.root_ca_crl, o.pck_crl].filter((c) => typeof c === "string").map((c) => crlIssue(fromHex(c)))];
  } else if (o) dates = [jsonIssue(o)];
  else if (role === "crl" || /Crl$/.test(role)) dates = [crlIssue(bytes)];
  const known = dates.filter(Boolean);
  return known.length ? new Date(Math.max(...known.map(Number))) : undefined;
}

/**
 * Classifies one loaded file or paste into one or more inputs
 * { name, role, what, bytes?, format?, error?, piece?, issued? }. Roles: evidence, certTable, certs, crl,
 * collateral (piece = which piece of the collateral, as messages name it), ccaKey, ignored (what says why).
 */
export function classify(name, bytes) {
  const o = jsonObject(bytes);
  if (o) {
    const env = envelope(o, name);
    if (env) return env;
  } else {
    const text = decodeTextInput(bytes);
    const direct = asEvidence(text.bytes);
    if (direct) return [{ name, ...direct, ...(text.encoding !== "binary" && { what: `${direct.what} (read as ${text.encoding} text)` }) }];
  }
  const key = ccaKey(bytes, o);
  if (key) return [{ name, ...key }];
  const found = identifyCollateralFile(bytes);
  if (found.role !== "ignored") {
    const piece = COLLATERAL_PIECES[found.role] ?? found.what.split(",")[0];
    return [{ name, role: "collateral", piece, what: found.what, bytes, issued: issuedAt(found.role, found.bytes, o) }];
  }
  if (found.supply?.includes("crl")) return [{ name, role: "crl", what: found.what.replace(/ \(not an Intel.*\)$/, ""), bytes: found.bytes, issued: issuedAt("crl", found.bytes) }];
  const certs = ofCertificates(found.bytes, found);
  if (certs) return [{ name, ...certs }];
  // Text that is none of these: say why it is not evidence either (an odd hex digit count, ...).
  const text = o ? undefined : decodeTextInput(bytes);
  return [{ name, role: "ignored", what: text?.why ? `text, neither evidence nor collateral: ${text.why}` : found.what }];
}

/** Which inputs feed the verdict for evidence of `format`, and a note on those that do not. */
const USED = {
  "tdx-quote": new Set(["evidence", "collateral"]),
  "sgx-quote": new Set(["evidence", "collateral"]),
  "snp-report": new Set(["evidence", "certTable", "certs", "crl"]),
  tdreport: new Set(["evidence"]),
  "cca-token": new Set(["evidence", "ccaKey"]),
};

/**
 * verify() options from the inputs for the evidence of `format`: { opts, unused, collateralError }.
 * `unused` is the set of inputs the evidence has no use for; collateralError is classifyCollateral's
 * message when the Intel files do not form collateral (the verdict then says what to add).
 */
export function optionsFor(inputs, format) {
  const used = USED[format] ?? new Set(["evidence"]);
  const opts = {}, unused = new Set();
  let collateralError;
  for (const i of inputs) if (!used.has(i.role) && i.role !== "ignored") unused.add(i);
  if (format === "snp-report") {
    const table = inputs.filter((i) => i.role === "certTable").at(-1);
    if (table) opts.auxblob = table.bytes;
    const certs = inputs.filter((i) => i.role === "certs").map((i) => i.bytes);
    if (certs.length) opts.certs = certs;
    const crls = inputs.filter((i) => i.role === "crl").map((i) => i.bytes);
    if (crls.length) opts.crl = crls;
  }
  if (format === "cca-token") {
    const keys = inputs.filter((i) => i.role === "ccaKey").map((i) => new TextDecoder().decode(i.bytes));
    if (keys.length) opts.roots = { cca: keys };
  }
  if (format === "tdx-quote" || format === "sgx-quote") {
    const files = inputs.filter((i) => i.role === "collateral").map(({ name, bytes }) => ({ name, bytes }));
    if (files.length) {
      try {
        opts.collateral = classifyCollateral(files).collateral;
      } catch (e) {
        if (e?.code !== "BAD_COLLATERAL") throw e;
        collateralError = e.message;
      }
    }
  }
  return { opts, unused, collateralError };
}
