// Certificates inside decoded evidence, summarised for people: the PCK chain of a DCAP quote and
// the entries of an SNP certificate table, each with subject CN, issuer CN and validity. The core
// decodes layouts only; X.509 is parsed here, on the JS side, with the verifier's parser.
import { parseCertificates, commonName } from "./verify/x509.js";
import { fromHex } from "./bytes.js";
import { isoTime } from "./time.js";

/** Where certificates sit in the JSON form: [label, bytes or PEM text] in document order. */
function certificatesIn(value, key = "", out = []) {
  if (Array.isArray(value)) {
    if (key === "pckCertChain") value.forEach((c, i) => out.push([`${key}[${i}]`, c]));
    else value.forEach((v, i) => (key === "entries" && v?.certificate !== undefined
      ? out.push([`${key}[${i}] ${v.kind ?? ""}`.trim(), v.certificate])
      : certificatesIn(v, key, out)));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) certificatesIn(v, k, out);
  }
  return out;
}

/**
 * Summaries of the certificates in `evidence` (what decode() returns): { label, subject, issuer,
 * notBefore, notAfter } each, or { label, error } for one that is not X.509.
 */
export function certificateSummaries(evidence) {
  return certificatesIn(evidence).map(([label, c]) => {
    try {
      // PEM text stays text; DER comes as hex in the JSON form.
      const [cert] = parseCertificates(/^[0-9a-f]+$/.test(c) ? fromHex(c) : c);
      return {
        label,
        subject: commonName(cert),
        issuer: cert.issuerCn ?? cert.issuer,
        notBefore: isoTime(cert.notBefore),
        notAfter: isoTime(cert.notAfter),
      };
    } catch (e) {
      return { label, error: String(e.message).split("\n")[0] };
    }
  });
}

/** The summaries as a text block in the core's style ("" when there are none). */
export function certificateText(evidence) {
  const all = certificateSummaries(evidence);
  if (!all.length) return "";
  return "certificates\n" + all.map((s) => `  ${s.label}\n` + (s.error
    ? `    error    ${s.error}\n`
    : `    subject  ${s.subject}\n    issuer   ${s.issuer}\n    valid    ${s.notBefore} to ${s.notAfter}\n`)).join("");
}
