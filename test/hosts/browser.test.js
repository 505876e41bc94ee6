// The browser build in a real headless Chromium: the same decoding and the same verification
// results as Node, for corpus evidence (the page itself: inspector.test.js).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DATA, data } from "../data.js";
import { decode } from "../../hosts/js/decode.js";
import { verify } from "../../hosts/js/verify/index.js";
import { startBrowser } from "./browser-server.js";

let b;
test.before(async () => { b = await startBrowser(); });
test.after(async () => { await b?.close(); });

const FILES = ["tdx", "sgx", "snp"].flatMap((d) =>
  readdirSync(join(DATA, d)).filter((f) => !/\.(json|pem)$/.test(f) && !/ccel/.test(f)).map((f) => `${d}/${f}`));

/** decode() and view() in the page (view through its toJSON); errors come back as their JSON form. */
const pageDecode = (bytes) => b.page.evaluate((arr) => {
  const run = (fn) => { try { return fn(); } catch (e) { return e.toJSON ? e.toJSON() : { thrown: String(e) }; } };
  const u8 = new Uint8Array(arr);
  const eager = run(() => window.tsmkit.decode(u8));
  const lazy = run(() => { const v = window.tsmkit.view(u8); return v.toJSON ? v.toJSON() : v; });
  return JSON.stringify(eager) === JSON.stringify(lazy) ? eager : { viewDiffers: true, eager, lazy };
}, Array.from(bytes));

test("Chromium decodes (eagerly and through view) every corpus file exactly as Node does", async () => {
  assert.ok(FILES.length > 60);
  for (const file of FILES) {
    const bytes = data(file);
    let want;
    try { want = decode(bytes); } catch (e) { want = e.toJSON(); }
    assert.equal(await pageDecode(bytes), want, file);
  }
  assert.equal(b.errors, []);
});

const offline = () => ({ offline: true, get: () => Promise.reject(new Error("offline")), response: () => Promise.reject(new Error("offline")) });

const CASES = [
  ["tdx/dcap-qvl-tdx-quote-v4.dat", { collateral: "collateral/intel/dcap-qvl-tdx-collateral-bundle.json", now: "2025-07-19T10:00:34Z" }],
  ["sgx/dcap-qvl-sgx-quote-v3.dat", { collateral: "collateral/intel/dcap-qvl-sgx-collateral-bundle.json", now: "2025-07-19T10:01:17Z" }],
  ["snp/go-sev-guest-report-v2-milan.bin", { certs: ["snp/go-sev-guest-vcek-milan.der"], now: "2022-09-24T01:00:00Z" }],
  ["snp/lit-sev-snp-utils-report-bad-sig.bin", { certs: ["snp/go-sev-guest-vcek-milan.der"], now: "2022-09-24T01:00:00Z" }],
];

test("Chromium's WebCrypto verification gives Node's verdict, check by check", async () => {
  for (const [file, o] of CASES) {
    const opts = { now: o.now };
    if (o.collateral) opts.collateral = new TextDecoder().decode(data(o.collateral));
    if (o.certs) opts.certs = o.certs.map((c) => data(c));
    // The same offline fetcher on both sides (the library bundle does not export createFetcher).
    const node = await verify(data(file), { ...opts, fetcher: offline() });
    const page = await b.page.evaluate(async ([arr, o]) => {
      const r = await window.tsmkit.verify(new Uint8Array(arr), {
        now: o.now, collateral: o.collateral, certs: o.certs?.map((c) => new Uint8Array(c)),
        fetcher: { offline: true, get: () => Promise.reject(new Error("offline")), response: () => Promise.reject(new Error("offline")) },
      });
      return { ok: r.ok, status: r.status, advisoryIds: r.advisoryIds, checks: r.checks };
    }, [Array.from(data(file)), { now: o.now, collateral: opts.collateral, certs: opts.certs?.map((c) => Array.from(c)) }]);
    assert.equal(page, { ok: node.ok, status: node.status, advisoryIds: node.advisoryIds, checks: node.checks }, file);
  }
});

test.run();
