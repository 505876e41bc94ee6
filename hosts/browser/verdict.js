// The verdict for people: the deciding check first with what it proves, what is missing said as
// an action on this page (from the check's `supply`), waived checks marked, then every other check.
import { CHECKS } from "../js/verify/catalogue.js";
import { h } from "./dom.js";

const PROVES = new Map(CHECKS.map((c) => [c.name, c.proves]));

/** A check's `supply` option names as what to do on this page. */
const ACTIONS = {
  auxblob: "drop the SNP certificate table (the report's auxblob) here",
  certs: "drop the VCEK or VLEK certificate (with its ASK/ARK chain) here",
  crl: "drop the AMD CRL for this product (KDS: /vcek/v1/{product}/crl) here",
  collateral: "drop the Intel collateral here (a dcap-qvl bundle, or TCB info and QE identity with the TCB signing chain, Root CA CRL and PCK CRL) and set the time it was fetched",
  pckCertChain: "drop the PCK certificate chain here",
  fetcher: "or tick “fetch missing collateral”",
  product: "or choose the product line under Settings",
  roots: "use tsmkit verify --roots: this page trusts only the built-in Intel and AMD roots",
  ccaRoots: "drop the CCA platform's public key here (its CPAK or IAK, PEM or JWK; tsmkit sim roots writes the simulator's as cca-cpak.pem)",
  "policy.reportData": "set \"reportData\" (the nonce, hex) under Policy",
};

/** What to do for a failing check of evidence in `format`, or "" when nothing the page takes would help. */
export function actionText(supply = [], format = "") {
  // No CCA platform key is built in: the page takes one as a file (Intel's and AMD's roots are built in).
  const say = (k) => ACTIONS[k === "roots" && format === "cca-token" ? "ccaRoots" : k] ?? (k.startsWith("policy.") ? `or set "${k.slice(7)}": true under Policy` : k);
  return supply.map(say).join("; ");
}

function checkItem(c, deciding, format) {
  const state = c.waived ? "waived" : c.ok ? "pass" : "fail";
  const action = !c.ok && actionText(c.supply, format);
  return h("li", { class: `check ${state}${deciding ? " deciding" : ""}`, "data-check": c.name },
    h("span", { class: "mark", "aria-label": state }, c.waived ? "!" : c.ok ? "✓" : "✗"),
    h("div", {},
      h("div", { class: "proves" }, PROVES.get(c.name) ?? c.name),
      action ? h("div", { class: "supply" }, "Missing: ", action) : null,
      h("div", { class: "detail" }, h("code", {}, c.name), " ", c.waived ? h("b", {}, "waived by policy: ") : null, c.detail ?? "")));
}

/**
 * Renders verify()'s result (or an error verify() threw) into `el`; returns the headline, which
 * the page also shows at the top (on a phone the verdict is a long scroll below the inputs).
 */
export function renderVerdict(el, r, error) {
  if (error) {
    const line = `Cannot verify: ${error.message}`;
    el.replaceChildren(h("p", { class: "headline fail", role: "status" }, line));
    return line;
  }
  const deciding = r.checks.find((c) => c.name === r.decidedBy);
  const rest = r.checks.filter((c) => c !== deciding);
  // Failures right after the deciding check: they are what still stands between this and a pass.
  rest.sort((a, b) => Number(a.ok) - Number(b.ok));
  const waived = r.checks.filter((c) => c.waived).length;
  const headline = r.ok
    ? `Verified${r.status && r.status !== "Verified" ? ` — ${r.status}` : ""}`
    : `Not verified — ${deciding ? `${deciding.name} failed` : r.status ?? "failed"}`;
  el.replaceChildren(
    h("p", { class: `headline ${r.ok ? "pass" : "fail"}`, role: "status" }, headline),
    h("p", { class: "meta" }, `Evaluated at ${r.evaluatedAt}`,
      r.advisoryIds?.length ? ` · advisories ${r.advisoryIds.join(", ")}` : "",
      waived ? ` · ${waived} check${waived > 1 ? "s" : ""} waived by policy` : ""),
    h("ol", { class: "checks" }, deciding ? checkItem(deciding, true, r.evidence?.format) : null, rest.map((c) => checkItem(c, false, r.evidence?.format))));
  return headline;
}
