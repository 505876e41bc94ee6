// Suite "decode": decode() per format on real corpus files against peer decoders, plus the
// core-only cost (copy in + decode to the result table, no object built), and the lazy view()
// alone and with three fields read.
import { createRequire } from "node:module";
import { data } from "../data.js";
import { decode } from "../../hosts/js/decode.js";
import { view } from "../../hosts/js/view.js";
import { core, load, decoder } from "../../hosts/js/core.js";
import { decodeTdxQuoteV4 } from "./peers/tdx-quote.js";
import { decodeSnpReport } from "./peers/snp-report.js";

const require = createRequire(import.meta.url);
const { Quote } = require("@phala/dcap-qvl/src/quote.js");

export const name = "decode";
export const title = "decode(bytes) -> object, per format (real corpus files)";

const DCAP = "dcap-qvl Quote.parse";
const PLAIN = "plain-JS DataView";
const dcap = (b) => Quote.parse(b);

// Targets from issue 14: decode() at least `targets[peer]` times faster than that peer, view()
// at least `viewTargets[peer]` times.
const CASES = [
  { label: "TDX quote v4", file: "tdx/go-tdx-guest-quote-v4-spr-e4.dat",
    peers: { [DCAP]: dcap, [PLAIN]: decodeTdxQuoteV4 }, targets: { [DCAP]: 6, [PLAIN]: 2 }, viewTargets: { [DCAP]: 10 },
    read3: (v) => [v.body.reportData, v.body.mrTd, v.body.teeTcbSvn] },
  { label: "TDX quote v5 (TD1.5)", file: "tdx/go-tdx-guest-quote-v5-td15.dat", peers: { [DCAP]: dcap }, targets: { [DCAP]: 6 } },
  { label: "SGX quote v3", file: "sgx/dcap-qvl-sgx-quote-v3.dat", peers: { [DCAP]: dcap } },
  { label: "SNP report v2", file: "snp/trustee-report-v2-milan.bin",
    peers: { [PLAIN]: decodeSnpReport }, targets: { [PLAIN]: 2 } },
  { label: "SNP report v3", file: "snp/ms-tee-av-report-v3-genoa.bin",
    peers: { [PLAIN]: decodeSnpReport }, targets: { [PLAIN]: 2 }, viewTargets: { [PLAIN]: 3 },
    read3: (v) => [v.reportData, v.measurement, v.reportedTcb.raw] },
  { label: "SNP report v5", file: "snp/oak-report-v5-turin.bin",
    peers: { [PLAIN]: decodeSnpReport }, targets: { [PLAIN]: 2 } },
  { label: "TDREPORT", file: "tdx/attestation-rs-tdreport-live.dat", peers: {} },
  { label: "SNP cert table", file: "snp/constructed-certtable-vcek-milan.bin", peers: {} },
];

/** Hex and PEM strings of a decoded value: the information a peer must also give. */
function payload(v, out = new Set()) {
  if (typeof v === "string") {
    if ((v.length >= 8 && /^[0-9a-f]+$/.test(v)) || v.startsWith("-----BEGIN")) out.add(v);
  } else if (v && typeof v === "object") {
    for (const x of Object.values(v)) payload(x, out);
  }
  return out;
}

/** A plain-JS peer must carry every hex/PEM value ours does, or the comparison is not fair. */
function checkPeer(label, peerName, ours, theirs) {
  const have = payload(theirs);
  const missing = [...payload(ours)].filter((s) => !have.has(s));
  if (missing.length) {
    throw new Error(`${label}: peer "${peerName}" lacks ${missing.length} values ours gives (e.g. ${missing[0].slice(0, 40)})`);
  }
}

export async function run(ctx) {
  const rows = [];
  const notes = [
    `${DCAP} returns Uint8Array copies (no hex, PCK chain left as one blob); ours and ${PLAIN} return hex strings and split PEM certificates.`,
    "ratio = peer ns / ours ns (above 1: ours is faster). core-only = copy in + core decode to the result table, no object.",
    `"+ JSON.stringify" rows: decode, then serialize the whole value (ours and ${PLAIN} alike). ${PLAIN} builds hex by string ` +
      "concatenation, i.e. ropes V8 flattens only when they are read; ours are flat. Serializing reads every value, " +
      "so these rows compare the work done once the result is used.",
    '"view" rows: view(bytes), the lazy form (full validation, private copies, nothing built); "view + read 3 fields" also ' +
      "reads three values (TDX: body.reportData, mrTd, teeTcbSvn; SNP: reportData, measurement, reportedTcb.raw). " +
      "The peers build every field, so compare the view rows with the work your caller actually needs.",
  ];
  const viewRows = [];
  const usedRows = [];
  for (const c of CASES) {
    const bytes = data(c.file);
    let ours = null, error = null;
    try {
      ours = decode(bytes);
    } catch (e) {
      error = `${e.code ?? e.name}: ${e.detail ?? e.message}`;
    }
    const candidates = {};
    if (ours) {
      candidates.ours = () => decode(bytes);
      candidates.core = () => core.decode(0, load(bytes));
      if (c.read3) {
        candidates.view = () => view(bytes);
        candidates.view3 = () => c.read3(view(bytes));
      }
    }
    for (const [peerName, fn] of Object.entries(c.peers)) {
      const theirs = fn(bytes);
      if (ours && peerName === PLAIN) checkPeer(c.label, peerName, ours, theirs);
      candidates[peerName] = () => fn(bytes);
    }
    const used = {};
    if (ours && c.peers[PLAIN]) {
      used.ours = () => JSON.stringify(decode(bytes));
      used.peer = () => JSON.stringify(c.peers[PLAIN](bytes));
    }
    const t = ctx.compare(candidates);
    const peerNames = Object.keys(c.peers);
    for (const peerName of peerNames.length ? peerNames : [null]) {
      rows.push({
        label: c.label,
        file: c.file,
        ours: t.ours ?? null,
        core: t.core ?? null,
        peerName,
        peer: peerName ? t[peerName] : null,
        target: c.targets?.[peerName],
        error,
      });
      if (t.view) {
        for (const [suffix, key] of [[" view", "view"], [" view + read 3 fields", "view3"]]) {
          viewRows.push({ label: c.label + suffix, file: c.file, ours: t[key], core: t.core, peerName,
            peer: peerName ? t[peerName] : null, target: key === "view" ? c.viewTargets?.[peerName] : undefined, error });
        }
      }
    }
    if (used.ours) {
      const u = ctx.compare(used);
      usedRows.push({ label: `${c.label} + JSON.stringify`, file: c.file, ours: u.ours, core: null,
        peerName: PLAIN, peer: u.peer, error });
    }
  }
  const memory = flat(ctx.quick ? 100_000 : 1_000_000);
  notes.push(memory);
  return { rows: rows.concat(viewRows, usedRows), notes, targets: [memory] };
}

/**
 * `n` decodes in a loop (TDX quote, SNP report and CCA token in turn, every value kept until the
 * next): the JS heap and the Wasm memory must stay flat. Flat = the core's memory never grows
 * after the first round, and the heap's peak stays within 16 MiB of its level after warm-up.
 */
function flat(n) {
  const inputs = ["tdx/go-tdx-guest-quote-v4-spr-e4.dat", "snp/ms-tee-av-report-v3-genoa.bin", "cca/ccatoken-good-cmw-collection.cbor"].map(data);
  const MiB = (x) => `${(x / 2 ** 20).toFixed(1)} MiB`;
  for (let i = 0; i < 10_000; i++) sink = decode(inputs[i % inputs.length]);
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed, wasm0 = decoder.memory.buffer.byteLength;
  let heapPeak = heap0, wasmPeak = wasm0;
  for (let i = 0; i < n; i++) {
    sink = decode(inputs[i % inputs.length]);
    if (i % 10_000 === 0) {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      wasmPeak = Math.max(wasmPeak, decoder.memory.buffer.byteLength);
    }
  }
  const ok = wasmPeak === wasm0 && heapPeak - heap0 <= 16 * 2 ** 20;
  return `${n.toLocaleString("en-US")} decodes in a loop (${inputs.length} formats in turn): JS heap ${MiB(heap0)} after warm-up, ` +
    `peak ${MiB(heapPeak)}; Wasm memory ${MiB(wasm0)}, peak ${MiB(wasmPeak)} (target flat: ${ok ? "met" : "MISSED"})`;
}
let sink;
