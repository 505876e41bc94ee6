import { test } from "uvu";
import * as assert from "uvu/assert";
import { data, expected } from "../data.js";
import { verify, createFetcher } from "../../hosts/js/verify/index.js";
import { chainUrl } from "../../hosts/js/verify/amd/kds.js";
import { verifyReportSignature } from "../../hosts/js/verify/amd/signature.js";
import { locate } from "../../hosts/js/decode.js";

const chainPem = (product, key = "vcek") => data(`collateral/amd/go-sev-guest-ask-ark-${product.toLowerCase()}-${key}.pem`);
const failed = (v) => v.checks.filter((c) => !c.ok).map((c) => c.name);
const checkOf = (v, name) => v.checks.find((c) => c.name === name);
const copy = (rel) => Uint8Array.from(data(rel));

// Every report with its paired VCEK/VLEK, at a time the sources assert (or inside the leaf's
// validity), with the ASK/ASVK from collateral/amd and the embedded production ARK.
const SETS = [
  { report: "snp/go-sev-guest-report-v2-milan.bin", leaf: "snp/go-sev-guest-vcek-milan.der", product: "Milan", now: "2022-09-24T01:00:00Z", policy: { allowDebug: true } },
  { report: "snp/virtee-sev-report-v2-milan.bin", leaf: "snp/virtee-sev-vcek-milan.der", product: "Milan", now: "2025-09-12T00:00:00Z" },
  { report: "snp/trustee-report-v2-milan.bin", leaf: "snp/trustee-vcek-milan.der", product: "Milan", now: "2025-09-12T00:00:00Z" },
  { report: "snp/trustee-report-v3-milan-vlek-vmpl1.bin", leaf: "snp/trustee-vlek-milan.der", product: "Milan", key: "vlek", now: "2025-09-12T00:00:00Z", policy: { allowedVmpls: [1] } },
  { report: "snp/trustee-az-snp-report-v2-milan.bin", leaf: "snp/trustee-az-snp-vcek-chain.pem", product: "Milan", now: "2025-09-12T00:00:00Z" },
  { report: "snp/trustee-az-snp-report-v3-genoa.bin", leaf: "snp/trustee-az-snp-vcek-genoa.pem", product: "Genoa", now: "2025-09-12T00:00:00Z" },
  { report: "snp/trustee-az-snp-report-v3-milan.bin", leaf: "snp/trustee-az-snp-vcek-milan-v2.der", product: "Milan", now: "2025-09-12T00:00:00Z" },
  { report: "snp/ms-tee-av-report-v3-milan.bin", leaf: "snp/ms-tee-av-vcek-milan.pem", product: "Milan", now: "2026-03-01T00:00:00Z" },
  { report: "snp/ms-tee-av-report-v3-genoa.bin", leaf: "snp/ms-tee-av-vcek-genoa.pem", product: "Genoa", now: "2026-03-01T00:00:00Z" },
  { report: "snp/ms-tee-av-report-v5-turin.bin", leaf: "snp/ms-tee-av-vcek-turin.pem", product: "Turin", now: "2026-03-01T00:00:00Z" },
  { report: "snp/attestation-rs-report-v5-genoa.bin", leaf: "snp/attestation-rs-vcek-genoa.der", product: "Genoa", now: "2026-03-01T00:00:00Z" },
  { report: "snp/teekit-report-v5-milan-gcp-vmpl0.bin", leaf: "snp/teekit-vcek-milan-gcp.pem", product: "Milan", now: "2026-03-01T00:00:00Z" },
  { report: "snp/teekit-report-v5-milan-gcp-vmpl1.bin", leaf: "snp/teekit-vcek-milan-gcp.pem", product: "Milan", now: "2026-03-01T00:00:00Z", policy: { allowedVmpls: [1] } },
  { report: "snp/oak-report-v3-milan.bin", leaf: "snp/oak-vcek-milan.der", product: "Milan", now: "2025-09-12T00:00:00Z" },
  { report: "snp/oak-report-v5-genoa.bin", leaf: "snp/oak-vcek-genoa.der", product: "Genoa", now: "2025-09-12T00:00:00Z" },
  { report: "snp/oak-report-v5-turin.bin", leaf: "snp/oak-vcek-turin.der", product: "Turin", now: "2025-09-12T00:00:00Z" },
];

// AMD's real VCEK CRLs (MANIFEST.md) and their windows: a set inside one is checked against it;
// any other set waives revocation explicitly, and the verdict must say so.
const CRLS = {
  Milan: { file: "collateral/amd/openpcc-milan-vcek-crl-2505.der", from: "2025-05-06T12:39:06Z", to: "2026-05-12T00:00:00Z" },
  Genoa: { file: "collateral/amd/openpcc-genoa-vcek-crl-2410.der", from: "2024-10-23T04:36:24Z", to: "2025-11-03T01:00:00Z" },
};
const crlFor = (s) => {
  const c = CRLS[s.product];
  return c && s.key !== "vlek" && s.now >= c.from && s.now <= c.to ? data(c.file) : undefined;
};
const optsFor = (s, extra = {}) => {
  const crl = crlFor(s);
  return {
    now: s.now, certs: [data(s.leaf), chainPem(s.product, s.key)], ...(crl && { crl }),
    policy: { reportData: expected[s.report].report_data, ...s.policy, ...(!crl && { allowUncheckedRevocation: true }) }, ...extra,
  };
};

for (const s of SETS) {
  test(`${s.report} verifies with ${s.leaf} at ${s.now}`, async () => {
    const v = await verify(data(s.report), optsFor(s));
    assert.equal(failed(v), [], JSON.stringify(v.checks.filter((c) => !c.ok)));
    assert.ok(v.ok);
    assert.is(v.status, "Verified");
    assert.is(v.decidedBy, null);
    for (const name of ["decode", "snp.chain", "snp.crl", "snp.signature", "snp.tcb"]) {
      assert.ok(checkOf(v, name)?.ok, `${name} ran and passed`);
    }
    assert.match(checkOf(v, "snp.chain").detail, s.key === "vlek" ? `SEV-VLEK -> SEV-VLEK-${s.product} -> ARK-${s.product}` : `SEV-VCEK -> SEV-${s.product} -> ARK-${s.product}`);
    // Revocation is checked against the real CRL where one covers the time, and visibly waived otherwise.
    assert.is(checkOf(v, "snp.crl").waived, crlFor(s) ? undefined : true);
    assert.match(checkOf(v, "snp.crl").detail, crlFor(s) ? `not revoked per CRL from ARK-${s.product}` : "WAIVED by policy allowUncheckedRevocation");
    assert.is(v.evidence.measurement, expected[s.report].measurement);
    assert.is(checkOf(v, "snp.product").ok, true);
    assert.match(checkOf(v, "snp.product").detail, s.product);
    if (s.key !== "vlek") assert.ok(checkOf(v, "snp.hwId").ok);
  });
}

test("trust anchors may be replaced: the virtee ARK PEMs from collateral/amd verify the same chains", async () => {
  const roots = { amd: { Milan: data("collateral/amd/virtee-sev-milan-ark.pem"), Genoa: data("collateral/amd/virtee-sev-genoa-ark.pem"), Turin: data("collateral/amd/virtee-sev-turin-ark.pem") } };
  for (const s of SETS.filter((x) => x.report.includes("oak"))) {
    const v = await verify(data(s.report), optsFor(s, { roots }));
    assert.ok(v.ok, s.report);
  }
});

test("a Genoa ARK as the only Milan anchor fails the chain at the ASK", async () => {
  const s = SETS.find((x) => x.report === "snp/ms-tee-av-report-v3-milan.bin");
  const v = await verify(data(s.report), optsFor(s, { roots: { amd: { Milan: data("collateral/amd/virtee-sev-genoa-ark.pem") } } }));
  assert.not.ok(v.ok);
  assert.is(checkOf(v, "snp.chain").rule, "no-issuer");
  assert.ok(checkOf(v, "snp.signature").ok, "the report itself is still signed by its VCEK");
});

const virtee = SETS.find((x) => x.report.startsWith("snp/virtee"));
const trustee = SETS.find((x) => x.report === "snp/trustee-report-v2-milan.bin");
const ms = SETS.find((x) => x.report === "snp/ms-tee-av-report-v3-milan.bin");

test("virtee: report byte 21 ^= 0x80 fails the signature and nothing else", async () => {
  const bad = copy(virtee.report);
  bad[21] ^= 0x80;
  const v = await verify(bad, optsFor(virtee));
  assert.equal(failed(v), ["snp.signature"]);
  assert.is(v.decidedBy, "snp.signature");
});

test("trustee: report byte 384 += 1 fails the signature and the TCB match", async () => {
  const bad = copy(trustee.report);
  bad[384] += 1;
  const v = await verify(bad, optsFor(trustee));
  assert.equal(failed(v), ["snp.signature", "snp.tcb"]);
  assert.match(checkOf(v, "snp.tcb").detail, "bootloader");
});

for (const [label, off] of [["trustee byte 42 += 1", 42], ["attestation-rs measurement 0x90 ^= 0xff", 0x90], ["attestation-rs signature r 0x2a0 ^= 0xff", 0x2a0]]) {
  test(`${label} fails the signature`, async () => {
    const bad = copy(trustee.report);
    if (off === 42) bad[off] += 1; else bad[off] ^= 0xff;
    const v = await verify(bad, optsFor(trustee));
    assert.equal(failed(v), ["snp.signature"]);
  });
}

test("microsoft: Milan report byte 100 ^= 0xff (in the report data) fails the signature and the nonce", async () => {
  const bad = copy(ms.report);
  bad[100] ^= 0xff;
  const v = await verify(bad, optsFor(ms));
  assert.equal(failed(v), ["snp.signature", "policy.reportData"]);
  assert.is(v.decidedBy, "snp.signature");
  assert.match(checkOf(v, "policy.reportData").detail, "differs at byte 20"); // 100 - 0x50, where report data starts
});

test("trustee: VCEK byte 42 += 1 (inside the signed algorithm identifier) fails the chain at the VCEK as malformed", async () => {
  const vcek = copy(trustee.leaf);
  vcek[42] += 1;
  const v = await verify(data(trustee.report), { ...optsFor(trustee), certs: [vcek, chainPem("Milan")] });
  assert.not.ok(v.ok);
  assert.is(checkOf(v, "snp.chain").rule, "malformed-der");
  assert.match(checkOf(v, "snp.chain").detail, "the signed signature algorithm differs from the outer one");
});

test("virtee: VCEK byte 40 ^= 0xff fails the chain at the VCEK", async () => {
  const vcek = copy(virtee.leaf);
  vcek[40] ^= 0xff;
  const v = await verify(data(virtee.report), { ...optsFor(virtee), certs: [vcek, chainPem("Milan")] });
  assert.not.ok(v.ok);
  assert.is(v.decidedBy, "snp.chain");
});

test("microsoft: a Genoa ASK for a Milan VCEK is a chain error", async () => {
  const v = await verify(data(ms.report), { ...optsFor(ms), certs: [data(ms.leaf), chainPem("Genoa")] });
  assert.not.ok(v.ok);
  assert.is(v.decidedBy, "snp.chain");
  assert.is(checkOf(v, "snp.chain").rule, "no-issuer"); // the Genoa ASK has another name than the VCEK's issuer
});

test("microsoft: the ASK used as the ARK is a root error", async () => {
  const ask = data("collateral/amd/virtee-sev-milan-ask.pem");
  const v = await verify(data(ms.report), { ...optsFor(ms), roots: { amd: { Milan: ask } } });
  assert.not.ok(v.ok);
  assert.is(v.decidedBy, "snp.chain");
  assert.is(checkOf(v, "snp.chain").rule, "root-not-self-signed");
});

for (const f of ["snp/trustee-vcek-invalid-legacy.der", "snp/trustee-vcek-invalid-new.der"]) {
  test(`${f} fails the chain`, async () => {
    const v = await verify(data(trustee.report), { ...optsFor(trustee), certs: [data(f), chainPem("Milan")] });
    assert.not.ok(v.ok);
    assert.is(checkOf(v, "snp.chain").rule, "signature");
  });
}

test("the trustee VLEK has expired after 2025-12-10", async () => {
  const s = SETS.find((x) => x.key === "vlek");
  const v = await verify(data(s.report), optsFor(s, { now: "2025-12-11T00:00:00Z" }));
  assert.not.ok(v.ok);
  assert.is(v.decidedBy, "snp.chain");
  assert.match(checkOf(v, "snp.chain").detail, "expired: SEV-VLEK expired after 2025-12-10");
});

test("a VCEK before its validity starts is rejected", async () => {
  const v = await verify(data(trustee.report), optsFor(trustee, { now: "2023-01-01T00:00:00Z" }));
  assert.is(v.decidedBy, "snp.chain");
  assert.match(checkOf(v, "snp.chain").detail, "not-yet-valid: SEV-VCEK is not valid before");
});

test("a VCEK for another chip is caught by the hwID check (and the signature)", async () => {
  const v = await verify(data(trustee.report), { ...optsFor(trustee), certs: [data(virtee.leaf), chainPem("Milan")] });
  assert.equal(failed(v), ["snp.signature", "snp.hwId"]);
});

test("constructed certificate tables verify as auxblobs", async () => {
  const vcek = await verify(data(trustee.report), { now: trustee.now, crl: crlFor(trustee), auxblob: data("snp/constructed-certtable-vcek-milan.bin"), policy: { reportData: expected[trustee.report].report_data } });
  assert.ok(vcek.ok, JSON.stringify(vcek.checks.filter((c) => !c.ok)));
  assert.match(checkOf(vcek, "snp.certificates").detail, "auxblob");
  const s = SETS.find((x) => x.key === "vlek");
  const vlek = await verify(data(s.report), { now: s.now, policy: { ...s.policy, reportData: expected[s.report].report_data, allowUncheckedRevocation: true }, auxblob: data("snp/constructed-certtable-vlek-milan.bin") });
  assert.ok(vlek.ok, JSON.stringify(vlek.checks.filter((c) => !c.ok)));
  assert.match(checkOf(vlek, "snp.chain").detail, "SEV-VLEK -> SEV-VLEK-Milan -> ARK-Milan");
});

// The production ARKs are pinned by the SHA-256 of their DER (roots.js): the ARK comes with the
// evidence (virtee's ASK and ARK files are AMD's, as KDS serves them) and must be those bytes.
const ASK = data("collateral/amd/virtee-sev-milan-ask.pem"), ARK = data("collateral/amd/virtee-sev-milan-ark.pem");
test("pinned ARK: the ASK without the ARK fails the chain asking for it; with AMD's ARK beside it, the chain verifies", async () => {
  const without = await verify(data(trustee.report), { ...optsFor(trustee), certs: [data(trustee.leaf), ASK] });
  assert.is(without.decidedBy, "snp.chain");
  const c = checkOf(without, "snp.chain");
  assert.match(c.detail, "no certificate given is the pinned ARK-Milan (SHA-256 69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd): supply it");
  assert.equal(c.supply, ["certs", "auxblob", "fetcher"]);
  const withArk = await verify(data(trustee.report), { ...optsFor(trustee), certs: [data(trustee.leaf), ASK, ARK] });
  assert.ok(withArk.ok, JSON.stringify(withArk.checks.filter((x) => !x.ok)));
  assert.match(checkOf(withArk, "snp.chain").detail, "SEV-VCEK -> SEV-Milan -> ARK-Milan");
});

test("pinned ARK: a copy of AMD's ARK with one byte changed in its signature is not the root, whatever it says", async () => {
  const der = Buffer.from(ARK.toString().replace(/-----[^-]+-----|\s/g, ""), "base64");
  der[der.length - 5] ^= 1;
  const v = await verify(data(trustee.report), { ...optsFor(trustee), certs: [data(trustee.leaf), ASK, der] });
  assert.is(v.decidedBy, "snp.chain");
  assert.is(checkOf(v, "snp.chain").rule, "no-issuer"); // nothing left that the pin trusts above the ASK
  assert.match(checkOf(v, "snp.chain").detail, "no certificate given is the pinned ARK-Milan");
});

test("pinned ARK: with the VCEK and ASK given but no ARK, a fetcher gets KDS's cert_chain for it", async () => {
  const asked = [];
  const fetch = async (url) => { asked.push(url); return url === chainUrl("Milan") ? new Response(chainPem("Milan")) : new Response("", { status: 404 }); };
  const fetcher = createFetcher({ fetch, sleep: async () => {} });
  const v = await verify(data(trustee.report), { ...optsFor(trustee), certs: [data(trustee.leaf), ASK], fetcher });
  assert.ok(checkOf(v, "snp.chain").ok, checkOf(v, "snp.chain").detail);
  assert.ok(asked.includes(chainUrl("Milan")));
  // Another product's root replaced by the caller leaves Milan's pinned: its ARK is still fetched.
  asked.length = 0;
  const other = await verify(data(trustee.report), { ...optsFor(trustee), certs: [data(trustee.leaf), ASK], roots: { amd: { Genoa: data("collateral/amd/virtee-sev-genoa-ark.pem") } },
    fetcher: createFetcher({ fetch, sleep: async () => {} }) });
  assert.ok(checkOf(other, "snp.chain").ok, checkOf(other, "snp.chain").detail);
  assert.ok(asked.includes(chainUrl("Milan")));
});

test("without certificates and with an offline fetcher, the network is never touched", async () => {
  let calls = 0;
  const fetcher = createFetcher({ offline: true, fetch: async () => { calls++; throw new Error("network"); } });
  const v = await verify(data(ms.report), { now: ms.now, fetcher });
  assert.not.ok(v.ok);
  assert.is(v.decidedBy, "snp.certificates");
  assert.match(checkOf(v, "snp.certificates").detail, "OFFLINE");
  assert.is(calls, 0);
});

test("a fetcher gets the VCEK and chain from KDS addresses once, then serves them from its cache", async () => {
  const s = SETS.find((x) => x.report === "snp/oak-report-v5-turin.bin");
  const served = new Map([
    ["https://kdsintf.amd.com/vcek/v1/Turin/3b42092f69c656d3?fmcSPL=0&blSPL=1&teeSPL=0&snpSPL=2&ucodeSPL=71", data(s.leaf)],
    [chainUrl("Turin"), chainPem("Turin")],
  ]);
  const asked = [];
  const fetch = async (url) => {
    asked.push(url);
    const body = served.get(url);
    return body ? new Response(body) : new Response("", { status: 404 });
  };
  const fetcher = createFetcher({ fetch, sleep: async () => {} });
  for (let i = 0; i < 2; i++) {
    const v = await verify(data(s.report), { now: s.now, fetcher, policy: { reportData: expected[s.report].report_data } });
    // No CRL is served here, so the online fetcher's CRL lookup is a NOT_FOUND failure.
    assert.equal(failed(v), ["snp.crl"]);
    assert.match(checkOf(v, "snp.crl").detail, "NOT_FOUND");
  }
  assert.equal(asked.filter((u) => served.has(u)).length, 2, "each certificate fetched once");
});

test("the fetcher retries 429 and 5xx with growing delays, honours Retry-After, and stops at 404", async () => {
  const statuses = [503, 429, 200];
  const sleeps = [];
  const fetch = async () => {
    const status = statuses.shift();
    return new Response(status === 200 ? "ok" : "", { status, headers: status === 429 ? { "retry-after": "7" } : {} });
  };
  const f = createFetcher({ fetch, backoffMs: 100, sleep: async (ms) => { sleeps.push(ms); } });
  assert.is(new TextDecoder().decode(await f.get("https://x/a")), "ok");
  assert.equal(sleeps, [100, 7000]);
  let n = 0;
  const missing = createFetcher({ fetch: async () => { n++; return new Response("", { status: 404 }); }, sleep: async () => {} });
  try {
    await missing.get("https://x/b");
    assert.unreachable();
  } catch (e) {
    assert.is(e.code, "NOT_FOUND");
  }
  assert.is(n, 1);
  let m = 0;
  const down = createFetcher({ fetch: async () => { m++; return new Response("", { status: 500 }); }, retries: 2, sleep: async () => {} });
  try {
    await down.get("https://x/c");
    assert.unreachable();
  } catch (e) {
    assert.is(e.code, "HTTP");
    assert.is(e.status, 500);
  }
  assert.is(m, 3);
});

test("cached collateral lives until its validity ends", async () => {
  let clock = 0, n = 0;
  const f = createFetcher({ fetch: async () => { n++; return new Response("x"); }, now: () => clock });
  const until = new Date(1000);
  await f.get("https://x/d", { expiresOf: () => until });
  clock = 999;
  await f.get("https://x/d", { expiresOf: () => until });
  assert.is(n, 1);
  clock = 1000;
  await f.get("https://x/d", { expiresOf: () => until });
  assert.is(n, 2);
});

// P-384 (FIPS 186-4 D.1.2.4), for recovering the public key an ECDSA signature implies: the LIT
// reports have no VCEK in the corpus, so the key their signature was made with is recovered here
// independently of the verifier (r and s read as little-endian by this code, not by signature.js).
const P = 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n;
const N = 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n;
const B = 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn;
const G = [0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
  0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn];
const mod = (a, m) => ((a % m) + m) % m;
function inv(a, m) {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1) { const q = r0 / r1; [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1]; }
  return mod(s0, m);
}
function add(p1, p2) {
  if (!p1) return p2;
  if (!p2) return p1;
  if (p1[0] === p2[0] && mod(p1[1] + p2[1], P) === 0n) return null;
  const l = p1[0] === p2[0] ? mod((3n * p1[0] * p1[0] - 3n) * inv(2n * p1[1], P), P) : mod((p2[1] - p1[1]) * inv(p2[0] - p1[0], P), P);
  const x = mod(l * l - p1[0] - p2[0], P);
  return [x, mod(l * (p1[0] - x) - p1[1], P)];
}
function mul(k, pt) {
  let acc = null;
  for (let b = pt; k; k >>= 1n, b = add(b, b)) if (k & 1n) acc = add(acc, b);
  return acc;
}
function modpow(b, e, m) {
  let r = 1n;
  for (b = mod(b, m); e; e >>= 1n, b = b * b % m) if (e & 1n) r = r * b % m;
  return r;
}
const leInt = (bytes) => bytes.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const be = (v) => Uint8Array.from({ length: 48 }, (_, i) => Number((v >> BigInt(8 * (47 - i))) & 0xffn));

async function recoveredKeys(report) {
  const r = leInt(report.subarray(0x2a0, 0x2a0 + 72));
  const s = leInt(report.subarray(0x2e8, 0x2e8 + 72));
  const e = BigInt("0x" + Buffer.from(await crypto.subtle.digest("SHA-384", report.subarray(0, 0x2a0))).toString("hex"));
  const y = modpow(r * r * r - 3n * r + B, (P + 1n) / 4n, P);
  const keys = [];
  for (const ry of [y, P - y]) {
    const q = mul(inv(r, N), add(mul(s, [r, ry]), mul(mod(-e, N), G)));
    const raw = new Uint8Array([4, ...be(q[0]), ...be(q[1])]);
    keys.push(await crypto.subtle.importKey("raw", raw, { name: "ECDSA", namedCurve: "P-384" }, false, ["verify"]));
  }
  return keys;
}

test("LIT: the bad-signature report fails under the key the good report's signature implies", async () => {
  const good = copy("snp/lit-sev-snp-utils-report-v2-milan.bin");
  const bad = copy("snp/lit-sev-snp-utils-report-bad-sig.bin");
  const loc = locate(good, { format: "snp-report" });
  const verdicts = [];
  for (const key of await recoveredKeys(good)) {
    verdicts.push([await verifyReportSignature(good, loc, key), await verifyReportSignature(bad, loc, key)]);
  }
  assert.ok(verdicts.some(([g]) => g), "the good report verifies under one recovered key");
  assert.ok(verdicts.every(([, b]) => !b), "the bad-signature report verifies under none");
});

test("the truncated LIT report fails to decode with a typed error", async () => {
  const v = await verify(data("snp/lit-sev-snp-utils-report-corrupt.bin"), { format: "snp-report" });
  assert.not.ok(v.ok);
  assert.is(v.decidedBy, "decode");
  assert.match(checkOf(v, "decode").detail, "TRUNCATED");
});

test.run();
