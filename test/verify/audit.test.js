// The verifier's auditable surface: the check catalogue (code, verdicts and README agree), strict
// options for both vendors, the TCB status explained component by component, collateral
// freshness limits, waivers that show in the verdict, and trust caches that never carry a result
// over to other roots. Real evidence and collateral where the property is about real data; the
// simulator's PKI where a platform must be put behind on purpose.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { data, expected, ROOT } from "../data.js";
import { verify, CHECKS, DEFAULT_POLICY, RULES, OptionError, PolicyError } from "../../hosts/js/verify/index.js";
import { createPki, derivePki } from "../../hosts/sim/pki.js";
import { dcapOptions, jsonBody, snpOptions, snpReport, tdxQuote } from "./forge.js";

const checkOf = (v, name) => v.checks.find((c) => c.name === name);
const failed = (v) => v.checks.filter((c) => !c.ok).map((c) => c.name);

// dcap-qvl's TDX quote with its real collateral (issued 2025-06-19, evaluation data number 17).
const QUOTE = data("tdx/dcap-qvl-tdx-quote-v4.dat");
const BUNDLE = data("collateral/intel/dcap-qvl-tdx-collateral-bundle.json");
const AT = "2025-07-19T10:00:34Z";
// The nonce the relying party sent: the quote's own report data (freshness is not the subject here).
const NONCE = expected["tdx/dcap-qvl-tdx-quote-v4.dat"].report_data;
const real = (policy, extra = {}) => verify(QUOTE, { now: AT, collateral: BUNDLE, policy: { reportData: NONCE, ...policy }, ...extra });

// ---- the catalogue --------------------------------------------------------------------------

test("every check a verdict holds is in the catalogue, in catalogue order", async () => {
  const order = CHECKS.map((c) => c.name);
  const sim = await createPki({ now: new Date("2026-01-01T00:00:00Z") });
  const { outblob, auxblob } = await snpReport(sim);
  const verdicts = [
    await real({ maxTcbInfoAge: 1e9, maxQeIdentityAge: 1e9, maxCrlAge: 1e9, minTcbEvaluationDataNumber: 1 }),
    await verify(outblob, { ...snpOptions(sim), auxblob, now: "2026-01-01T00:00:00Z", policy: { ...snpOptions(sim).policy, requireSingleSocket: false, minGuestSvn: 0 } }),
  ];
  for (const v of verdicts) {
    const at = v.checks.map((c) => order.indexOf(c.name));
    assert.not.ok(at.includes(-1), v.checks.map((c) => c.name).join());
    assert.equal(at, [...at].sort((a, b) => a - b), "recorded in catalogue order");
  }
});

test("the README's check table lists exactly the catalogue, in order, with the same lines", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## What a verdict proves"), readme.indexOf("| rule | what it protects |"));
  const rows = [...section.matchAll(/^\| `([a-zA-Z0-9.]+)` \| (.+) \|$/gm)].map((m) => ({ name: m[1], proves: m[2] }));
  assert.equal(rows, CHECKS.map(({ name, proves }) => ({ name, proves })));
});

test("the README's policy table lists exactly DEFAULT_POLICY's keys, in order, with their defaults", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("| policy key | default | what it asks |"), readme.indexOf("## Architecture"));
  const rows = [...section.matchAll(/^\| `(\w+)` \| (.+?) \| .+ \|$/gm)].map((m) => [m[1], m[2]]);
  assert.equal(rows.map(([key]) => key), Object.keys(DEFAULT_POLICY));
  // Defaults as JSON, except the nested CCA policy, which the API section describes.
  for (const [key, shown] of rows.filter(([key]) => key !== "cca")) assert.is(shown, `\`${JSON.stringify(DEFAULT_POLICY[key])}\``, key);
  assert.match(section, /`allowAnyReportData` \| `false` \| waive the report data check/);
});

test("the README lists every path and CRL rule", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  for (const rule of Object.keys(RULES)) assert.ok(readme.includes(`\`${rule}\``), rule);
});

// ---- strict options --------------------------------------------------------------------------

test("unknown option keys and an unusable time throw OptionError naming the option, for both vendors", async () => {
  const snp = data("snp/trustee-report-v2-milan.bin");
  for (const bytes of [QUOTE, snp]) {
    for (const [opts, option, says] of [
      [{ crls: [] }, "crls", "unknown option (known: now, policy"],
      [{ backend: "sim" }, "backend", "unknown option"],
      [{ now: "garbage" }, "now", "not a time: garbage"],
      [{ now: new Date(NaN) }, "now", "not a time"],
      [{ now: {} }, "now", "not a time"],
      [{ fetcher: {} }, "fetcher", "expected an object with get() and response()"],
      [{ fetcher: { get: async () => new Uint8Array(0) } }, "fetcher", "expected an object with get() and response()"],
    ]) {
      const e = await verify(bytes, opts).then(() => null, (x) => x);
      assert.instance(e, OptionError, JSON.stringify(opts));
      assert.is(e.code, "BAD_OPTION");
      assert.is(e.option, option);
      assert.match(e.message, says);
    }
  }
  await verify(QUOTE, { policy: { allowUncheckedRevocations: true } }).then(() => assert.unreachable(), (e) => assert.instance(e, PolicyError));
});

test("the verdict says when it was evaluated; now may be ISO text, a Date or ms since epoch", async () => {
  for (const now of [AT, new Date(AT), Date.parse(AT)]) {
    const v = await real({}, { now });
    assert.ok(v.ok);
    assert.is(v.evaluatedAt, "2025-07-19T10:00:34.000Z");
  }
});

// ---- the TCB status explained ------------------------------------------------------------------

const NOW = new Date("2026-01-01T00:00:00Z");
const pki = await createPki({ now: NOW });
const quote = await tdxQuote(pki);

test("OutOfDate names the component behind and by how much: PCESVN, then the QE's ISVSVN", async () => {
  const levels = jsonBody(pki.intel.tcbInfo).tcbLevels;
  levels[0].tcb.pcesvn += 1;
  const platform = await derivePki(pki, { tcbInfo: { tcbLevels: levels } });
  const v = await verify(quote, { ...dcapOptions(platform), now: NOW });
  assert.is(v.status, "OutOfDate");
  const want = levels[0].tcb.pcesvn;
  assert.match(checkOf(v, "dcap.tcbStatus").detail, `behind UpToDate: PCESVN ${want - 1} < ${want}`);

  const qeLevels = jsonBody(pki.intel.qeIdentity).tcbLevels;
  qeLevels[0].tcb.isvsvn += 1;
  const qe = await derivePki(pki, { qeIdentity: { tcbLevels: qeLevels } });
  const w = await verify(quote, { ...dcapOptions(qe), now: NOW });
  assert.is(w.status, "OutOfDate");
  assert.match(checkOf(w, "dcap.tcbStatus").detail, `QE ISVSVN ${qeLevels[0].tcb.isvsvn - 1} < ${qeLevels[0].tcb.isvsvn}`);
});

// ---- freshness -----------------------------------------------------------------------------------

test("collateral freshness: each limit names the item that is too old, and passes when met", async () => {
  // At AT the TCB info is 29 d 23:44:31 old, the QE identity 29 d 23:28:07; the CRLs are older still.
  const tcbAge = Math.floor((Date.parse(AT) - Date.parse("2025-06-19T10:16:03Z")) / 1000);
  const qeAge = Math.floor((Date.parse(AT) - Date.parse("2025-06-19T10:32:27Z")) / 1000);
  const pass = await real({ maxTcbInfoAge: tcbAge, maxQeIdentityAge: qeAge, minTcbEvaluationDataNumber: 17 });
  assert.ok(pass.ok, JSON.stringify(failed(pass)));
  for (const [policy, check, says] of [
    [{ maxTcbInfoAge: tcbAge - 1 }, "policy.tcbInfoAge", `TCB info issued 2025-06-19T10:16:03Z is ${tcbAge} s old (maxTcbInfoAge ${tcbAge - 1} s)`],
    [{ maxQeIdentityAge: qeAge - 1 }, "policy.qeIdentityAge", `QE identity issued 2025-06-19T10:32:27Z is ${qeAge} s old`],
    [{ maxCrlAge: 86400 }, "policy.crlAge", "Root CA CRL from"],
    [{ minTcbEvaluationDataNumber: 18 }, "policy.tcbEvaluationDataNumber", "TCB info has TCB evaluation data number 17; QE identity has TCB evaluation data number 17, below 18"],
  ]) {
    const v = await real(policy);
    assert.not.ok(v.ok, check);
    assert.equal(failed(v), [check]);
    assert.is(checkOf(v, check).rule, "too-old");
    assert.match(checkOf(v, check).detail, says);
  }
});

// ---- waivers show --------------------------------------------------------------------------------

test("DCAP without CRLs fails naming revocation; allowUncheckedRevocation passes it marked waived", async () => {
  const bundle = JSON.parse(BUNDLE.toString("utf8"));
  delete bundle.root_ca_crl;
  delete bundle.pck_crl;
  const strict = await real({}, { collateral: bundle });
  assert.equal(failed(strict), ["dcap.rootCrl", "dcap.pckCrl"]);
  assert.match(checkOf(strict, "dcap.rootCrl").detail, "revocation-unchecked: no Root CA CRL in the collateral");
  const waived = await real({ allowUncheckedRevocation: true }, { collateral: bundle });
  assert.ok(waived.ok);
  for (const name of ["dcap.rootCrl", "dcap.pckCrl"]) {
    assert.is(checkOf(waived, name).waived, true);
    assert.match(checkOf(waived, name).detail, "WAIVED by policy allowUncheckedRevocation");
  }
  assert.is(checkOf(strict, "dcap.tcbInfo.signature").waived, undefined, "only waived checks say so");
});

// ---- trust caches ----------------------------------------------------------------------------------

test("a cached success never carries over to other roots, another time or another CRL", async () => {
  const other = await createPki({ now: NOW });
  const { outblob, auxblob } = await snpReport(pki);
  const snp = (opts) => verify(outblob, { ...snpOptions(pki), auxblob, now: NOW, ...opts });
  const tdx = (opts) => verify(quote, { ...dcapOptions(pki), now: NOW, ...opts });
  for (let round = 0; round < 2; round++) {
    assert.ok((await tdx()).ok, "TDX under its own roots");
    assert.is((await tdx({ roots: dcapOptions(other).roots })).decidedBy, "dcap.pckChain", "TDX under another PKI's same-named roots");
    assert.is((await tdx({ now: new Date("2060-01-01T00:00:00Z") })).ok, false);
    assert.ok((await snp()).ok, "SNP under its own roots");
    assert.is((await snp({ roots: snpOptions(other).roots })).decidedBy, "snp.chain");
    assert.is((await snp({ crl: snpOptions(other).crl })).decidedBy, "snp.crl", "a CRL by another ARK of the same name");
  }
});

test.run();
