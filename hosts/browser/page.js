// The static page: decode dropped evidence, show its fields, a byte map of its top-level
// structures, and the verifier's verdict. Exposes window.tsmkit for scripted use (and tests).
import * as tsmkit from "./index.js";

window.tsmkit = tsmkit;
const $ = (id) => document.getElementById(id);
const COLORS = ["#cde", "#dec", "#edc", "#dce", "#ecd", "#cee", "#eec"];

function byteMap(bytes) {
  const map = $("bytemap");
  map.replaceChildren();
  const top = [...tsmkit.locate(bytes)].filter(([path, [, len]]) => !path.includes(".") && len > 0);
  top.forEach(([path, [off, len]], i) => {
    const d = document.createElement("div");
    d.style.flex = String(len);
    d.style.background = COLORS[i % COLORS.length];
    d.title = `${path}: bytes ${off}..${off + len - 1} (${len})`;
    d.textContent = path;
    map.append(d);
  });
}

/** Verification options from the optional inputs: collateral JSON, certificates, cert table. */
async function verifyOptions() {
  const opts = { fetcher: { get: () => Promise.reject(new Error("this page never fetches collateral")) } };
  const now = $("now").value;
  if (now) opts.now = new Date(`${now}Z`);
  for (const file of $("extra").files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (file.name.endsWith(".json")) opts.collateral = new TextDecoder().decode(bytes);
    else if (isCertTable(bytes)) opts.auxblob = bytes;
    else (opts.certs ??= []).push(bytes);
  }
  return opts;
}

function isCertTable(bytes) {
  try { return tsmkit.decode(bytes, { format: "snp-certs" }).entries.length > 0; } catch { return false; }
}

async function verdict(bytes) {
  const el = $("verdict");
  el.textContent = "verifying…";
  try {
    const r = await tsmkit.verify(bytes, await verifyOptions());
    const rows = r.checks.map((c) => `<tr><td class="${c.ok ? "ok" : "bad"}">${c.ok ? "✓" : "✗"}</td><td>${c.name}</td><td>${escape(c.detail ?? "")}</td></tr>`);
    el.innerHTML = `<p class="${r.ok ? "ok" : "bad"}"><b>${r.ok ? "verified" : "not verified"}</b> — ${escape(String(r.status ?? ""))}</p><table>${rows.join("")}</table>`;
  } catch (e) {
    el.innerHTML = `<p class="bad">${escape(e.message)}</p>`;
  }
}

function escape(s) {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

export async function show(bytes, name = "evidence") {
  const text = tsmkit.render(bytes, "text");
  const json = tsmkit.render(bytes, "pretty");
  $("title").textContent = `${name} (${bytes.length} bytes)`;
  $("fields").textContent = text.text;
  $("json").textContent = json.text;
  if (!json.ok) { $("bytemap").replaceChildren(); $("verdict").textContent = "—"; return; }
  byteMap(bytes);
  await verdict(bytes);
}

async function load(file) {
  await show(new Uint8Array(await file.arrayBuffer()), file.name);
  document.body.dataset.done = String(Date.now());
}

$("file").addEventListener("change", (e) => e.target.files[0] && load(e.target.files[0]));
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  if (e.dataTransfer.files[0]) load(e.dataTransfer.files[0]);
});
