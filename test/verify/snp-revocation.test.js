// Issue 9: SEV-SNP revocation fails closed. Real reports and VCEKs (as in snp.test.js) with the
// real AMD KDS CRLs from collateral/amd (MANIFEST.md: Genoa 2024-10-23T04:36:24Z..2025-11-03T01:00Z,
// revokes serial 0x020001 only; Milan 2025-05-06T12:39:06Z..2026-05-12T00:00Z, empty): no CRL is
// a failing snp.crl (revocation-unchecked) unless waived by policy, a current CRL passes, a stale
// one fails unless the policy's grace covers it, another product's CRL is refused, and a
// simulator CRL that lists the VCEK's (or the ASK's) serial gives revoked. Then the CLI.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { data, DATA, expected, ROOT } from "../data.js";
import { verify, createFetcher } from "../../hosts/js/verify/index.js";
import { crlUrl } from "../../hosts/js/verify/amd/kds.js";
import { createPki, derivePki, PS384 } from "../../hosts/sim/pki.js";
import { crlOf, snpOptions, snpReport } from "./forge.js";

const checkOf = (v, name) => v.checks.find((c) => c.name === name);
const failures = (v) => JSON.stringify(v.checks.filter((c) => !c.ok));
const chainPem = (product) => data(`collateral/amd/go-sev-guest-ask-ark-${product.toLowerCase()}-vcek.pem`);
const GENOA_CRL = data("collateral/amd/openpcc-genoa-vcek-crl-2410.der");
const MILAN_CRL = data("collateral/amd/openpcc-milan-vcek-crl-2505.der");

// Report + VCEK pairs that verify at these times (snp.test.js SETS), inside their CRL's window.
const MILAN = { report: "snp/virtee-sev-report-v2-milan.bin", leaf: "snp/virtee-sev-vcek-milan.der", product: "Milan", now: "2025-09-12T00:00:00Z" };
const GENOA = { report: "snp/oak-report-v5-genoa.bin", leaf: "snp/oak-vcek-genoa.der", product: "Genoa", now: "2025-09-12T00:00:00Z" };
// 2026-03-01 is 117.96 days past the Genoa CRL's nextUpdate (2025-11-03T01:00Z).
const GENOA_LATE = { report: "snp/ms-tee-av-report-v3-genoa.bin", leaf: "snp/ms-tee-av-vcek-genoa.pem", product: "Genoa", now: "2026-03-01T00:00:00Z" };
const DAYS = 86400;

// The relying party's nonce is the report's own report data: these sets are about revocation.
const run = (s, extra = {}) => verify(data(s.report), { now: s.now, certs: [data(s.leaf), chainPem(s.product)], ...extra,
  policy: { reportData: expected[s.report].report_data, ...extra.policy } });

function crlFails(v, rule) {
  assert.is(v.ok, false);
  assert.is(v.decidedBy, "snp.crl", failures(v));
  const c = checkOf(v, "snp.crl");
  assert.is(c.rule, rule, c.detail);
  assert.ok(c.detail.startsWith(`${rule}: `), c.detail);
  return c;
}

function passesWithCrl(v) {
  assert.ok(v.ok, failures(v));
  const c = checkOf(v, "snp.crl");
  assert.ok(c?.ok, "snp.crl ran and passed");
  return c;
}

for (const [label, extra] of [["no fetcher", {}], ["an offline fetcher", { fetcher: createFetcher({ offline: true, fetch: async () => { throw new Error("network touched"); } }) }]]) {
  test(`Milan report without any CRL and ${label}: not ok, snp.crl revocation-unchecked, asks for a crl`, async () => {
    const c = crlFails(await run(MILAN, extra), "revocation-unchecked");
    assert.ok(c.supply?.includes("crl"), `supply: ${JSON.stringify(c.supply)}`);
    assert.match(c.detail, /revocation/i);
    assert.match(c.detail, /allowUncheckedRevocation/);
  });
}

test("Milan report without a CRL, waived by policy allowUncheckedRevocation: ok, and snp.crl says waived", async () => {
  const v = await run(MILAN, { policy: { allowUncheckedRevocation: true } });
  const c = passesWithCrl(v);
  assert.is(c.waived, true);
  assert.match(c.detail, /allowUncheckedRevocation/);
});

test("Milan report with the real Milan CRL inside its window: ok, snp.crl not waived", async () => {
  const c = passesWithCrl(await run(MILAN, { crl: MILAN_CRL }));
  assert.not.ok(c.waived);
});

test("Genoa report with the real Genoa CRL inside its window (it revokes 0x020001, not this chain): ok", async () => {
  const c = passesWithCrl(await run(GENOA, { crl: GENOA_CRL }));
  assert.not.ok(c.waived);
});

test("a list of CRLs (Genoa, Milan) for a Milan report: the ARK-Milan one is used, ok", async () => {
  passesWithCrl(await run(MILAN, { crl: [GENOA_CRL, MILAN_CRL] }));
});

test("the real Milan CRL as PEM text verifies the same", async () => {
  const pemText = `-----BEGIN X509 CRL-----\n${Buffer.from(MILAN_CRL).toString("base64").match(/.{1,64}/g).join("\n")}\n-----END X509 CRL-----\n`;
  passesWithCrl(await run(MILAN, { crl: pemText }));
});

test("the Genoa CRL 118 days past its nextUpdate: crl-expired", async () => {
  crlFails(await run(GENOA_LATE, { crl: GENOA_CRL }), "crl-expired");
});

test("the same stale CRL within policy crlGracePeriod 150 days: ok, snp.crl waived; 100 days is not enough", async () => {
  const c = passesWithCrl(await run(GENOA_LATE, { crl: GENOA_CRL, policy: { crlGracePeriod: 150 * DAYS } }));
  assert.is(c.waived, true);
  assert.match(c.detail, /crlGracePeriod/);
  crlFails(await run(GENOA_LATE, { crl: GENOA_CRL, policy: { crlGracePeriod: 100 * DAYS } }), "crl-expired");
});

test("the Genoa CRL given for a Milan report: crl-issuer", async () => {
  crlFails(await run(MILAN, { crl: GENOA_CRL }), "crl-issuer");
});

test("bytes that are no CRL as opts.crl: snp.crl fails as malformed-der (a bad CRL is never 'unchecked', even when that is waived)", async () => {
  const junk = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
  crlFails(await run(MILAN, { crl: junk }), "malformed-der");
  crlFails(await run(MILAN, { crl: junk, policy: { allowUncheckedRevocation: true } }), "malformed-der");
});

test("a fetcher that serves the Milan CRL from its KDS address: ok (revocation checked online)", async () => {
  const asked = [];
  const fetch = async (url) => {
    asked.push(url);
    return url === crlUrl("Milan", "vcek") ? new Response(MILAN_CRL) : new Response("", { status: 404 });
  };
  passesWithCrl(await run(MILAN, { fetcher: createFetcher({ fetch, sleep: async () => {} }) }));
  assert.ok(asked.includes(crlUrl("Milan", "vcek")), asked.join(", "));
});

// ---- simulator: CRLs that list this chain -----------------------------------------------------

const NOW = new Date("2026-01-01T00:00:00Z");
const pki = await createPki({ now: NOW });
const sim = await snpReport(pki);
const simRun = (trust, extra = {}) => verify(sim.outblob, { ...snpOptions(trust, { auxblob: sim.auxblob }), now: NOW, ...extra });

test("control: the simulator's report with its ARK's empty CRL verifies", async () => {
  passesWithCrl(await simRun(pki));
});

test("an ARK-signed CRL listing the simulator VCEK's serial: revoked", async () => {
  const crl = await crlOf(pki.amd.ark, pki.amd.ark, NOW, [pki.amd.vcek.cert], PS384);
  const c = crlFails(await simRun(pki, { crl }), "revoked");
  assert.match(c.detail, /SEV-VCEK/);
});

test("an ARK-signed CRL listing the simulator ASK's serial: revoked", async () => {
  const c = crlFails(await simRun(await derivePki(pki, { revoked: ["ask"] })), "revoked");
  assert.match(c.detail, /SEV-Milan/);
});

test("an empty CRL naming the ARK but signed by the ASK: crl-signature", async () => {
  crlFails(await simRun(pki, { crl: await crlOf(pki.amd.ark, pki.amd.ask, NOW, [], PS384) }), "crl-signature");
});

// ---- the CLI -----------------------------------------------------------------------------------

const CLI = join(ROOT, "hosts", "node", "cli.js");
const TRUSTEE = ["verify", join(DATA, "snp/trustee-report-v2-milan.bin"), "--aux", join(DATA, "snp/constructed-certtable-vcek-milan.bin"), "--offline", "--now", "2025-09-12T00:00:00Z",
  "--report-data", expected["snp/trustee-report-v2-milan.bin"].report_data];
const tsmkit = (...args) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

test("CLI: tsmkit verify --offline --aux on an SNP report without --crl exits 1 at snp.crl, naming revocation", () => {
  const r = tsmkit(...TRUSTEE);
  assert.is(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^NOT verified \(Failed\): check snp\.crl failed\n/);
  assert.match(r.stdout, /FAIL\s+snp\.crl\s+revocation-unchecked: .*revocation/i);
});

test("CLI control: the same with --crl (the real Milan CRL) exits 0", () => {
  const r = tsmkit(...TRUSTEE, "--crl", join(DATA, "collateral/amd/openpcc-milan-vcek-crl-2505.der"));
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^verified: Verified\n/);
});

test.run();
