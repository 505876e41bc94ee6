// The evidence inspector: files dropped, picked or pasted are sorted by content into evidence,
// certificates, CRLs and collateral; every change of an input, the time or the policy decodes and
// verifies again, offline unless the user asks to fetch. Nothing leaves the page otherwise.
// Exposes window.tsmkit (the library) and window.inspector (idle(), for scripts and tests).
import * as tsmkit from "./index.js";
import { createFetcher, policyFromJson } from "../js/verify/index.js";
import { AMD_PRODUCTS } from "../js/verify/roots.js";
import { classify, optionsFor } from "./inputs.js";
import { renderVerdict } from "./verdict.js";
import { renderFields } from "./fields.js";
import { createByteMap } from "./bytemap.js";
import { h, copyButton } from "./dom.js";

window.tsmkit = tsmkit;
const $ = (id) => /** @type {any} */ (document.getElementById(id));

/** @type {{ name: string, role: string, what: string, bytes?: Uint8Array, format?: string, error?: any, piece?: string, issued?: Date }[]} */
let inputs = [];
let pastes = 0, generation = 0;
let work = Promise.resolve();

const ROLE_NAMES = {
  evidence: "evidence", certTable: "SNP certificate table", certs: "certificates", crl: "AMD CRL",
  collateral: "Intel collateral", ccaKey: "CCA platform key", ignored: "not used",
};

const map = createByteMap($("map"), $("mapstatus"), (path) => lightRow(path));

/** Queues `fn` after every earlier change, so results land in the order the user acted. */
function queue(fn) {
  work = work.then(fn).catch((e) => showBanner(`internal error: ${e?.message ?? e}`));
  return work;
}

function add(entries) {
  for (const e of entries) {
    const same = (i) => i.role === e.role && i.bytes && e.bytes && i.bytes.length === e.bytes.length && i.bytes.every((b, k) => b === e.bytes[k]);
    if (inputs.some(same)) continue; // the same file twice adds nothing
    // One evidence and one certificate table at a time: a new one replaces the old.
    if (e.role === "evidence" || e.role === "certTable") inputs = inputs.filter((i) => i.role !== e.role);
    inputs.push(e);
  }
}

async function addFiles(files) {
  const read = await Promise.all([...files].map(async (f) => classify(f.name, new Uint8Array(await f.arrayBuffer()))));
  add(read.flat());
}

function addText(text) {
  const s = text.trim();
  if (!s) return;
  add(classify(`pasted text ${++pastes}`, new TextEncoder().encode(s)));
}

function showBanner(message, detail) {
  const el = $("banner");
  el.hidden = !message;
  el.replaceChildren(...(message ? [h("strong", {}, message), detail ? h("div", {}, detail) : ""] : []));
}

/** Offers the newest issue time of the collateral and CRLs in use as the evaluation time. */
function offerIssueTime(unused) {
  const dates = inputs.filter((i) => i.issued && !unused.has(i)).map((i) => Number(i.issued));
  const btn = $("issuedbtn");
  btn.hidden = !dates.length;
  if (!dates.length) return;
  const iso = new Date(Math.max(...dates)).toISOString().replace(/\.000Z$/, "Z");
  btn.dataset.time = iso.replace(/Z$/, "");
  btn.textContent = `use the collateral's issue time, ${iso}`;
}

// One row per input, kept across refreshes: a refresh that lands between the press and the release
// of a remove button (leaving the policy box is a change) must not replace the button being clicked.
const rows = new WeakMap();

function rowOf(i) {
  let row = rows.get(i);
  if (!row) {
    const role = h("span", { class: "role" });
    row = { role, li: h("li", { "data-role": i.role }, role,
      h("span", { class: "fname" }, i.name),
      h("span", { class: "what" }, i.what),
      h("button", { type: "button", class: "remove", "aria-label": `remove ${i.name}`, onclick: () => queue(() => { inputs = inputs.filter((x) => x !== i); return refresh(); }) }, "remove")) };
    rows.set(i, row);
  }
  return row;
}

function renderInputs(unused, collateralError) {
  const list = $("inputs");
  const items = inputs.map((i) => {
    const off = unused.has(i) ? " (not used for this evidence)" : "";
    const { li, role } = rowOf(i);
    li.className = `input role-${i.role}${off ? " unused" : ""}`;
    role.textContent = (i.piece ? `${ROLE_NAMES[i.role]}: ${i.piece}` : ROLE_NAMES[i.role]) + off;
    return li;
  });
  if (items.length !== list.children.length || items.some((li, k) => list.children[k] !== li)) list.replaceChildren(...items);
  $("noinputs").hidden = inputs.length > 0;
  $("collateralerror").hidden = !collateralError;
  $("collateralerror").textContent = collateralError ? `The Intel files do not form collateral yet: ${collateralError}` : "";
}

/**
 * The user's settings as verify() options. A policy that does not parse throws (and is shown
 * beside the box): verifying under the default policy instead would pass what the user meant to refuse.
 */
function settings(format) {
  const opts = { fetcher: $("online").checked ? createFetcher() : createFetcher({ offline: true }) };
  const now = $("now").value;
  if (now) opts.now = new Date(`${now}Z`);
  const product = $("product").value;
  if (product && format === "snp-report") opts.product = product;
  const text = $("policy").value.trim();
  $("policyerror").textContent = "";
  if (text) {
    try {
      opts.policy = policyFromJson(text);
    } catch (e) {
      $("policyerror").textContent = e.message;
      throw e;
    }
  }
  return opts;
}

/** Signed regions of the evidence, from locate(): [{ label, ranges: [[start, end], ...] }]. */
function signedRegions(format, located) {
  const range = (p) => { const r = located.get(p); return r && [r[0], r[0] + r[1]]; };
  const find = (suffix) => [...located.keys()].find((k) => k.endsWith(suffix)) ?? "";
  const region = (label, ...paths) => {
    const ranges = paths.map(range);
    return ranges.every(Boolean) ? [{ label, ranges }] : [];
  };
  if (/-quote$/.test(format)) {
    const [start] = range("header") ?? [], [, end] = range("body") ?? [];
    return [...(end ? [{ label: "signed by the attestation key", ranges: [[start, end]] }] : []),
      ...region("QE report, signed by the PCK key", find(".qeReport"))];
  }
  if (format === "snp-report" && located.get("signature")) return [{ label: "signed by the VCEK/VLEK", ranges: [[0, located.get("signature")[0]]] }];
  // COSE_Sign1: the signature covers the protected header and the payload (the claims).
  if (format === "cca-token") {
    return [...region("platform token, signed by the CPAK", "platform.protected", "platform.claims"),
      ...region("realm token, signed by the RAK", "realm.protected", "realm.claims")];
  }
  return [];
}

/** What bytes no field holds are, by format: CBOR's own heads and tags, or reserved space. */
const gapOf = (format) => (/^cca-/.test(format) ? "CBOR heads and tags" : "reserved");

function renderLegend(signed, format) {
  $("legend").replaceChildren(
    h("span", { class: "key rsv" }, gapOf(format)), h("span", { class: "key trail" }, "trailing"),
    ...signed.map((s, k) => h("span", { class: `key sig${k}` }, s.label)));
}

/** Lights the field row for `path` (or its nearest shown ancestor) from the byte map. */
function lightRow(path) {
  for (const el of document.querySelectorAll("#fields .lit")) el.classList.remove("lit");
  for (let p = path; p; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
    const row = document.querySelector(`#fields [data-path="${CSS.escape(p)}"]`);
    if (row) { row.classList.add("lit"); return; }
  }
}

let located = null;
/** The bytes of the field at `path` (a field, a group, or a bit of a bit field: its raw bytes). */
function rangeOf(path) {
  for (let p = path; p && located; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
    const r = located.get(p)?.[1] ? located.get(p) : located.get(`${p}.raw`);
    if (r?.[1]) return { start: r[0], end: r[0] + r[1] };
  }
  return null;
}

async function refresh() {
  const gen = ++generation;
  // A certificate table alone is inspected as evidence is (it has fields and bytes, if no verdict).
  const evidence = inputs.find((i) => i.role === "evidence") ?? inputs.find((i) => i.role === "certTable");
  const { opts, unused, collateralError } = optionsFor(inputs, evidence?.format);
  renderInputs(unused, collateralError);
  offerIssueTime(unused);
  located = null;
  document.body.classList.toggle("empty", !evidence);
  if (!evidence) {
    showBanner("");
    map.clear();
    $("fields").replaceChildren();
    $("json").textContent = "";
    $("title").textContent = "No evidence loaded";
    $("quick").hidden = true;
    $("verdict").replaceChildren(h("p", { class: "muted" }, "Load evidence (a quote, TDREPORT, SEV-SNP report or CCA token) to see its verdict."));
    return;
  }
  const { bytes, error } = evidence;
  $("title").textContent = `${evidence.name} — ${evidence.what}`;
  $("json").textContent = tsmkit.render(bytes, "pretty").text;
  if (error) {
    showBanner(`Decoding stopped: ${error.code} in ${error.field || error.format} at byte ${error.offset} (0x${error.offset.toString(16)})`, error.detail);
    $("fields").replaceChildren(h("p", { class: "muted" }, "Nothing to show: the evidence does not decode (see the error above and the marked byte in the map)."));
    map.show(bytes, { error });
    renderLegend([], evidence.format);
  } else {
    showBanner("");
    const value = tsmkit.decode(bytes);
    located = tsmkit.locate(bytes);
    renderFields($("fields"), value);
    const signed = signedRegions(value.format, located);
    map.show(bytes, { located, signed, gap: `${gapOf(value.format)} (no field)` });
    renderLegend(signed, value.format);
  }
  $("verdict").setAttribute("aria-busy", "true");
  let result, failure;
  try {
    result = await tsmkit.verify(bytes, { ...opts, ...settings(evidence.format) });
  } catch (e) {
    failure = e;
  }
  if (gen !== generation) return; // a later change is already on its way
  $("verdict").removeAttribute("aria-busy");
  const line = renderVerdict($("verdict"), result, failure);
  $("quick").hidden = false;
  $("quick").firstChild.textContent = `${line} ↓`;
  $("quick").className = result?.ok ? "pass" : "fail";
}

// ---- wiring -------------------------------------------------------------------------------

for (const p of AMD_PRODUCTS) $("product").append(h("option", { value: p }, p));

// Files can be dropped anywhere on the page; the drop zone shows where.
const drop = $("drop");
document.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
document.addEventListener("dragleave", (e) => { if (!e.relatedTarget) drop.classList.remove("over"); });
document.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const files = e.dataTransfer?.files;
  if (files?.length) queue(() => addFiles(files).then(refresh));
  else if (e.dataTransfer?.getData("text")) queue(() => { addText(e.dataTransfer.getData("text")); return refresh(); });
});
// Pasting outside a text box inspects the clipboard's text at once.
document.addEventListener("paste", (e) => {
  if (/** @type {HTMLElement} */ (e.target).closest?.("textarea, input")) return;
  const text = e.clipboardData?.getData("text") ?? "";
  if (text.trim()) queue(() => { addText(text); return refresh(); });
});
// A picked file list is read, then cleared, so picking the same file again is a change too.
$("file").addEventListener("change", (e) => {
  const input = /** @type {HTMLInputElement} */ (e.target);
  const files = [...(input.files ?? [])];
  input.value = "";
  queue(() => addFiles(files).then(refresh));
});
$("inspect").addEventListener("click", () => queue(() => { addText($("paste").value); $("paste").value = ""; return refresh(); }));
$("paste").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("inspect").click(); });
for (const id of ["now", "product", "online"]) $(id).addEventListener("change", () => queue(refresh));
$("policy").addEventListener("change", () => queue(refresh));
$("nowbtn").addEventListener("click", () => { $("now").value = ""; queue(refresh); });
$("issuedbtn").addEventListener("click", (e) => { $("now").value = e.currentTarget.dataset.time; queue(refresh); });
$("clear").addEventListener("click", () => queue(() => { inputs = []; return refresh(); }));

// Field rows light their bytes on hover and on keyboard focus.
const fields = $("fields");
const fromRow = (e) => {
  const row = e.target.closest?.("[data-path]");
  if (row) map.highlight(row.dataset.path, rangeOf(row.dataset.path));
};
fields.addEventListener("mouseover", fromRow);
fields.addEventListener("focusin", fromRow);

// Views: fields or the JSON form, one click apart.
for (const tab of document.querySelectorAll("[role=tab]")) {
  tab.addEventListener("click", () => {
    for (const t of document.querySelectorAll("[role=tab]")) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      $(t.getAttribute("aria-controls")).hidden = !on;
    }
  });
}
$("copyjson").replaceWith(copyButton("the JSON form", () => $("json").textContent));

window.inspector = {
  /** Resolves when every queued change has been decoded and verified. */
  async idle() {
    let seen;
    do { seen = work; await seen; } while (seen !== work);
  },
};
queue(refresh);
