// Where the SNP verifier gets its certificates: the auxblob's certificate table (GHCB extended
// report), certificates the caller passes, and — only for what is still missing — the AMD KDS
// through a fetcher. Certificates are sorted by role from their common names, so a PEM bundle,
// a KDS cert_chain and a certificate table all work the same way. An ARK found here is trusted
// only when its DER is the pinned root (roots.js); a caller's own roots replace the pins.
import { namesIssuer } from "../path.js";
import { decode } from "../../decode.js";
import { commonName, parseCertificates } from "../x509.js";
import { fromHex } from "../../bytes.js";
import { amdExtensions } from "./extensions.js";
import { chainUrl, vcekUrl } from "./kds.js";

export const PRODUCTS = ["Milan", "Genoa", "Turin"];
const ROLE = /^(?:SEV-(VCEK|VLEK)|SEV-(?:(VLEK)-)?(Milan|Genoa|Turin)|ARK-(Milan|Genoa|Turin))$/;

/** The role of an AMD certificate by its CN: { role: "VCEK"|"VLEK"|"ASK"|"ASVK"|"ARK"|null, product? }. */
export function roleOf(cert) {
  const m = ROLE.exec(commonName(cert));
  if (!m) return { role: null };
  if (m[1]) return { role: m[1] };
  if (m[3]) return { role: m[2] ? "ASVK" : "ASK", product: m[3] };
  return { role: "ARK", product: m[4] };
}

/** The product line named by a VCEK/VLEK's issuer CN ("SEV-Milan", "SEV-VLEK-Genoa"), if any. */
export function issuerProduct(cert) {
  return /^SEV-(?:VLEK-)?(Milan|Genoa|Turin)$/.exec(cert.issuerCn ?? "")?.[1];
}

/** The certificates of an auxblob (SNP certificate table, decoded by the core) with their entries' kinds. */
function auxblobEntries(auxblob) {
  const table = decode(auxblob, { format: "snp-certs" });
  return table.entries.filter((e) => e.length > 0).map((e) => ({ kind: e.kind, cert: parseCertificates(fromHex(e.certificate))[0] }));
}

const expiresOfCerts = (bytes) => new Date(Math.min(...parseCertificates(bytes).map((c) => c.notAfter.getTime())));

/**
 * Gathers the certificates for a report: { leaf, intermediates, arks, sources, table } where leaf
 * is the VCEK/VLEK matching keyInfo.signingKey (preferring one whose hwID is the report's chip),
 * intermediates are every ASK/ASVK seen, arks every ARK seen and table the auxblob's entries
 * ({ kind, cert }). `product` may be undefined until a certificate names it. With `wantArk` (the
 * root is pinned, so it must come with the evidence) a missing ARK is fetched like a missing ASK.
 */
export async function gatherCertificates(report, { auxblob, certs, fetcher, product, wantArk = false }) {
  const pool = [];
  const sources = [];
  const table = auxblob ? auxblobEntries(auxblob) : [];
  if (auxblob) { pool.push(...table.map((e) => e.cert)); sources.push("auxblob"); }
  if (certs) { pool.push(...parseCertificates(certs)); sources.push("opts.certs"); }
  const kind = report.keyInfo.signingKey;
  const leaves = () => pool.filter((c) => roleOf(c).role === kind);
  if (!leaves().length && kind === "VCEK" && fetcher && product) {
    const url = vcekUrl(product, report.chipId, report.reportedTcb);
    pool.push(...parseCertificates(await fetcher.get(url, { expiresOf: expiresOfCerts })));
    sources.push(url);
  }
  const leaf = leaves().find((c) => sameChip(c, report)) ?? leaves()[0];
  const p = product ?? (leaf && issuerProduct(leaf));
  const intermediate = kind === "VLEK" ? "ASVK" : "ASK";
  const wanted = (c) => roleOf(c).role === intermediate && (!leaf || namesIssuer(leaf, c));
  const isArk = (c) => roleOf(c).role === "ARK";
  if ((!pool.some(wanted) || (wantArk && !pool.some(isArk))) && fetcher && p) {
    const url = chainUrl(p, kind === "VLEK" ? "vlek" : "vcek");
    pool.push(...parseCertificates(await fetcher.get(url, { expiresOf: expiresOfCerts })));
    sources.push(url);
  }
  const intermediates = pool.filter((c) => roleOf(c).role === "ASK" || roleOf(c).role === "ASVK");
  return { leaf, intermediates, arks: pool.filter(isArk), sources, table };
}

// A VCEK for this chip: its hwID is the chip ID (Turin: the chip ID's first 8 bytes).
function sameChip(cert, report) {
  try {
    const { hwId } = amdExtensions(cert);
    return Boolean(hwId) && report.chipId.startsWith(hwId);
  } catch {
    return false; // a malformed extension is reported by the TCB check, not here
  }
}
