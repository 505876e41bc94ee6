// The decoded evidence as a tree of named values: groups as the specs group them (a quote's
// header, body and signature data; the SNP report's rows gathered into the ABI's sections), bit
// fields by name, certificates summarised, a copy button on every value. Every row carries the
// field's path (locate()'s key) so the byte map can highlight it and be highlighted from it.
import { certificateSummaries } from "../js/cert-summary.js";
import { h, copyButton } from "./dom.js";

// SEV-SNP ABI (ATTESTATION_REPORT): the report is one flat table; these are its sections.
const SNP_SECTIONS = [
  ["Guest", ["version", "guestSvn", "policy", "familyId", "imageId", "vmpl", "signatureAlgo", "keyInfo"]],
  ["Measurement and identity", ["measurement", "hostData", "idKeyDigest", "authorKeyDigest", "reportData", "reportId", "reportIdMa", "chipId"]],
  ["Platform TCB and firmware", ["currentTcb", "reportedTcb", "committedTcb", "launchTcb", "platformInfo", "cpuidFamId", "cpuidModId", "cpuidStep",
    "currentBuild", "currentMinor", "currentMajor", "committedBuild", "committedMinor", "committedMajor", "launchMitVector", "currentMitVector"]],
  ["Signature", ["signature"]],
];
const SUMMARY = new Set(["format", "product", "quoteLength"]);

/** Top-level sections: [title, [key, value][]]. Nested formats keep their own groups. */
function sections(evidence) {
  const entries = Object.entries(evidence);
  const summary = ["Summary", entries.filter(([k]) => SUMMARY.has(k))];
  const body = entries.filter(([k]) => !SUMMARY.has(k));
  if (evidence.format !== "snp-report") return [summary, ...body.map(([k, v]) => (v && typeof v === "object" ? [k, Object.entries(v), k] : ["Fields", [[k, v]]]))];
  const placed = new Set(SNP_SECTIONS.flatMap(([, keys]) => keys));
  const other = body.filter(([k]) => !placed.has(k));
  return [summary, ...SNP_SECTIONS.map(([t, keys]) => [t, body.filter(([k]) => keys.includes(k))]),
    ...(other.length ? [["Other", other]] : [])].filter(([, list]) => list.length);
}

function valueText(v) {
  if (typeof v === "boolean") return v ? "yes" : "no";
  return String(v);
}

/** A bit-field group (an object with `raw` and named members): raw first, then each bit. */
const isBitField = (v) => v && typeof v === "object" && !Array.isArray(v) && "raw" in v;

function leaf(name, path, v, certs) {
  const text = valueText(v);
  const long = text.length > 96;
  const cert = certs.get(path);
  return h("div", { class: "row", tabindex: "0", "data-path": path },
    h("span", { class: "name" }, name),
    h("span", { class: `value${typeof v === "boolean" ? ` bit ${v ? "on" : "off"}` : ""}` },
      long ? `${text.slice(0, 64)}… (${text.length} chars)` : text,
      cert ? certLine(cert) : null),
    copyButton(path, () => text));
}

function certLine(s) {
  return h("span", { class: "cert" }, s.error
    ? `not a certificate: ${s.error}`
    : `${s.subject} · issued by ${s.issuer} · valid ${s.notBefore} to ${s.notAfter}`);
}

function node(name, path, v, certs) {
  if (v && typeof v === "object") {
    const kids = Object.entries(v).map(([k, x]) => node(Array.isArray(v) ? `[${k}]` : k, `${path}.${k}`, x, certs));
    return h("details", { open: true, class: isBitField(v) ? "group bits" : "group", "data-path": path },
      h("summary", {}, name, isBitField(v) ? h("span", { class: "hint" }, " bit field") : null), kids);
  }
  return leaf(name, path, v, certs);
}

/** The dotted path of the first member named `key` (depth first), or undefined. */
function pathOf(value, key, path = "") {
  if (!value || typeof value !== "object") return undefined;
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    if (k === key) return p;
    const found = pathOf(v, key, p);
    if (found) return found;
  }
  return undefined;
}

/** Certificate summaries keyed by the path of the value that holds the certificate. */
function certsByPath(evidence) {
  const map = new Map();
  for (const s of certificateSummaries(evidence)) {
    const [, list, i] = /^(\w+)\[(\d+)\]/.exec(s.label) ?? [];
    if (list === "entries") map.set(`entries.${i}.certificate`, s);
    else if (list) map.set(`${pathOf(evidence, list)}.${i}`, s);
  }
  return map;
}

/** Renders `evidence` (decode()'s value) into `el`. */
export function renderFields(el, evidence) {
  const certs = certsByPath(evidence);
  el.replaceChildren(...sections(evidence).map(([title, list, prefix]) =>
    h("details", { open: true, class: "section", ...(prefix && { "data-path": prefix }) },
      h("summary", {}, title),
      list.map(([k, v]) => node(k, prefix ? `${prefix}.${k}` : k, v, certs)))));
}
