import { test } from "uvu";
import * as assert from "uvu/assert";
import { data, expected } from "../data.js";
import { verify, createFetcher } from "../../hosts/js/verify/index.js";
import { verifyDcapQuote } from "../../hosts/js/verify/dcap/index.js";
import { pckExtensions } from "../../hosts/js/verify/dcap/pck.js";
import { commonName, parseCertificates } from "../../hosts/js/verify/x509.js";
import { decode } from "../../hosts/js/decode.js";

// A fake Intel PCS serving the corpus's real collateral for the dcap-qvl TDX quote the way PCS API
// v4 does: JSON/DER bodies, issuer chains as URL-encoded PEM in response headers.
const I = "collateral/intel/";
const QUOTE = "tdx/dcap-qvl-tdx-quote-v4.dat";
const NOW = "2025-07-19T10:00:34Z";
const NONCE = { reportData: expected[QUOTE].report_data }; // the relying party's: freshness is not the subject here
const BUNDLE = data(`${I}dcap-qvl-tdx-collateral-bundle.json`);
const PCS = "https://api.trustedservices.intel.com";
const PCCS = "https://pccs.example:8081/"; // a trailing slash must not double up in paths

// What the PCK certificate in the quote says, read here independently of the fetcher's URL choice.
const chain = decode(data(QUOTE)).signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain;
const [leaf, pckCa] = chain.map((pem) => parseCertificates(pem)[0]);
const FMSPC = pckExtensions(leaf).fmspc;
const CA = { "Intel SGX PCK Platform CA": "platform", "Intel SGX PCK Processor CA": "processor" }[commonName(pckCa)];

const pem = (name) => encodeURIComponent(data(`${I}${name}`).toString("utf8"));
function routes(base) {
  return new Map([
    [`${base}/tdx/certification/v4/tcb?fmspc=${FMSPC}`, { body: data(`${I}dcap-qvl-tdx-b0c06f-tcbinfo.json`), headers: { "TCB-Info-Issuer-Chain": pem("dcap-qvl-tcb-signing-chain.pem") } }],
    [`${base}/tdx/certification/v4/qe/identity`, { body: data(`${I}dcap-qvl-tdx-b0c06f-qeidentity.json`), headers: { "SGX-Enclave-Identity-Issuer-Chain": pem("dcap-qvl-tcb-signing-chain.pem") } }],
    [`${base}/sgx/certification/v4/pckcrl?ca=${CA}&encoding=der`, { body: data(`${I}dcap-qvl-tdx-b0c06f-pck-crl.der`), headers: { "SGX-PCK-CRL-Issuer-Chain": pem("dcap-qvl-tdx-b0c06f-pck-crl-issuer-chain.pem") } }],
    ["https://certificates.trustedservices.intel.com/IntelSGXRootCA.der", { body: data(`${I}dcap-qvl-tdx-b0c06f-root-ca-crl.der`), headers: {} }],
  ]);
}

/** A fetch over `served` that records every URL asked and answers from `failures` first. */
function fakePcs(served, failures = []) {
  const asked = [];
  const fetch = async (url) => {
    asked.push(url);
    const status = failures.shift();
    if (status) return new Response("busy", { status });
    const r = served.get(url);
    return r ? new Response(r.body, { headers: r.headers }) : new Response("", { status: 404 });
  };
  return { fetch, asked };
}

const failed = (v) => v.checks.filter((c) => !c.ok).map((c) => c.name);
const checkOf = (v, name) => v.checks.find((c) => c.name === name);
const countOf = (list, url) => list.filter((u) => u === url).length;
const clockAt = (iso) => ({ t: Date.parse(iso) });

test("dcap-qvl TDX quote with collateral fetched from PCS: UpToDate, the same checks as with the bundle", async () => {
  const clock = clockAt(NOW);
  const { fetch, asked } = fakePcs(routes(PCS));
  const fetcher = createFetcher({ fetch, now: () => clock.t, sleep: async () => {} });
  const fetched = await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher });
  assert.equal(failed(fetched), []);
  assert.ok(fetched.ok);
  assert.is(fetched.status, "UpToDate");
  const given = await verify(data(QUOTE), { now: NOW, policy: NONCE, collateral: BUNDLE });
  assert.equal(fetched.checks.map((c) => [c.name, c.ok]), given.checks.map((c) => [c.name, c.ok]));
  assert.equal(fetched.advisoryIds, given.advisoryIds);
  // Every collateral check judged the same objects: details match except where the source is named.
  for (const c of given.checks.filter((x) => x.name !== "dcap.collateral")) assert.is(checkOf(fetched, c.name).detail, c.detail, c.name);
  assert.match(checkOf(fetched, "dcap.collateral").detail, "fetched");
  assert.equal([...asked].sort(), [...routes(PCS).keys()].sort());
});

test("the requested fmspc and ca come from the PCK certificate (b0c06f000000, Platform CA)", async () => {
  assert.is(FMSPC, "b0c06f000000");
  assert.is(CA, "platform");
  const { fetch, asked } = fakePcs(routes(PCS));
  await verifyDcapQuote(data(QUOTE), { now: NOW, fetcher: createFetcher({ fetch, now: () => Date.parse(NOW) }) });
  assert.ok(asked.includes(`${PCS}/tdx/certification/v4/tcb?fmspc=b0c06f000000`));
  assert.ok(asked.includes(`${PCS}/sgx/certification/v4/pckcrl?ca=platform&encoding=der`));
});

test("a configured PCCS base URL and Root CA CRL URL are used instead of Intel's", async () => {
  const base = PCCS.replace(/\/$/, "");
  const served = routes(base);
  const root = served.get("https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");
  served.delete("https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");
  served.set(`${base}/sgx/certification/v4/rootcacrl`, root);
  const { fetch, asked } = fakePcs(served);
  const v = await verify(data(QUOTE), {
    now: NOW, policy: NONCE, fetcher: createFetcher({ fetch, now: () => Date.parse(NOW) }),
    pcs: { baseUrl: PCCS, rootCaCrlUrl: `${base}/sgx/certification/v4/rootcacrl` },
  });
  assert.equal(failed(v), []);
  assert.ok(asked.every((u) => u.startsWith(`${base}/`)), asked.join(" "));
});

test("a PCCS's Root CA CRL, served as hex text of its DER (Intel PCCS's rootcacrl), is checked as that CRL", async () => {
  const base = PCCS.replace(/\/$/, "");
  const served = routes(base);
  const rootCrl = `${base}/sgx/certification/v4/rootcacrl`;
  served.set(rootCrl, { body: Buffer.from(data(`${I}dcap-qvl-tdx-b0c06f-root-ca-crl.der`).toString("hex")), headers: {} });
  served.delete("https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");
  const { fetch } = fakePcs(served);
  const v = await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher: createFetcher({ fetch, now: () => Date.parse(NOW) }), pcs: { baseUrl: PCCS, rootCaCrlUrl: rootCrl } });
  assert.equal(failed(v), []);
  assert.match(checkOf(v, "dcap.rootCrl").detail, "not revoked per CRL from Intel SGX Root CA");
});

test("each item is fetched once across verifications, and again once its own nextUpdate has passed", async () => {
  const clock = clockAt(NOW);
  const served = routes(PCS);
  const { fetch, asked } = fakePcs(served);
  const fetcher = createFetcher({ fetch, now: () => clock.t });
  for (let i = 0; i < 3; i++) assert.ok((await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher })).ok);
  for (const url of served.keys()) assert.is(countOf(asked, url), 1, url);
  // PCK CRL nextUpdate 2025-07-19T10:00:35Z passes first; TCB info (10:16:03Z), QE identity
  // (10:32:27Z) and the Root CA CRL (2026-04) are still current in the cache.
  clock.t = Date.parse("2025-07-19T10:00:36Z");
  await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher });
  const pckCrl = `${PCS}/sgx/certification/v4/pckcrl?ca=platform&encoding=der`;
  for (const url of served.keys()) assert.is(countOf(asked, url), url === pckCrl ? 2 : 1, url);
  clock.t = Date.parse("2025-07-19T10:16:04Z");
  await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher });
  assert.is(countOf(asked, `${PCS}/tdx/certification/v4/tcb?fmspc=b0c06f000000`), 2);
  assert.is(countOf(asked, `${PCS}/tdx/certification/v4/qe/identity`), 1);
});

test("429 and 503 answers are retried until the service answers", async () => {
  const { fetch, asked } = fakePcs(routes(PCS), [429, 503]);
  const sleeps = [];
  const fetcher = createFetcher({ fetch, now: () => Date.parse(NOW), backoffMs: 10, sleep: async (ms) => { sleeps.push(ms); } });
  const v = await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher });
  assert.equal(failed(v), []);
  assert.is(v.status, "UpToDate");
  assert.is(asked.length, 4 + 2);
  assert.is(sleeps.length, 2);
});

test("an offline fetcher never calls fetch and fails dcap.collateral naming every missing item", async () => {
  let calls = 0;
  const fetcher = createFetcher({ offline: true, fetch: async () => { calls++; throw new Error("network"); } });
  const v = await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher });
  assert.is(calls, 0);
  assert.not.ok(v.ok);
  assert.is(v.decidedBy, "dcap.collateral");
  const detail = checkOf(v, "dcap.collateral").detail;
  for (const what of ["TCB info", "QE identity", "PCK CRL", "Root CA CRL", "OFFLINE", "fmspc=b0c06f000000"]) assert.match(detail, what);
});

test("offline after an online round answers from the cache; a missing item is still named", async () => {
  const clock = clockAt(NOW);
  const { fetch } = fakePcs(routes(PCS));
  const cache = new Map();
  const store = { get: (k) => cache.get(k), set: (k, v) => cache.set(k, v) };
  assert.ok((await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher: createFetcher({ fetch, cache: store, now: () => clock.t }) })).ok);
  let calls = 0;
  const offline = createFetcher({ offline: true, cache: store, now: () => clock.t, fetch: async () => { calls++; } });
  assert.ok((await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher: offline })).ok);
  cache.delete(`${PCS}/tdx/certification/v4/qe/identity`);
  const v = await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher: offline });
  assert.is(calls, 0);
  assert.is(v.decidedBy, "dcap.collateral");
  assert.match(checkOf(v, "dcap.collateral").detail, "QE identity");
  assert.not.match(checkOf(v, "dcap.collateral").detail, "TCB info");
});

test("a response without its issuer chain header fails dcap.collateral and is named", async () => {
  const served = routes(PCS);
  served.get(`${PCS}/tdx/certification/v4/qe/identity`).headers = {};
  const { fetch } = fakePcs(served);
  const v = await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher: createFetcher({ fetch, now: () => Date.parse(NOW) }) });
  assert.is(v.decidedBy, "dcap.collateral");
  assert.match(checkOf(v, "dcap.collateral").detail, "SGX-Enclave-Identity-Issuer-Chain");
});

test("collateral given by the caller wins: the fetcher is not used", async () => {
  let calls = 0;
  const fetcher = createFetcher({ fetch: async () => { calls++; return new Response("", { status: 500 }); } });
  const v = await verify(data(QUOTE), { now: NOW, policy: NONCE, fetcher, collateral: BUNDLE });
  assert.ok(v.ok);
  assert.is(calls, 0);
});

test("fetcher.response(): selected headers come back with the body and from the cache; an entry cached without them is refetched", async () => {
  let n = 0;
  const fetch = async () => { n++; return new Response("body", { headers: { "TCB-Info-Issuer-Chain": "a%20b", Other: "x" } }); };
  const f = createFetcher({ fetch, now: () => 0 });
  assert.is(new TextDecoder().decode(await f.get("https://x/t")), "body");
  const r = await f.response("https://x/t", { headers: ["TCB-Info-Issuer-Chain", "Missing"] });
  assert.equal(r.headers, { "tcb-info-issuer-chain": "a%20b", missing: null });
  assert.is(n, 2);
  const again = await f.response("https://x/t", { headers: ["tcb-info-issuer-chain"] });
  assert.is(again.headers["tcb-info-issuer-chain"], "a%20b");
  assert.is(new TextDecoder().decode(await f.get("https://x/t")), "body");
  assert.is(n, 2);
});

test.run();
