import { test } from "uvu";
import * as assert from "uvu/assert";
import { data, expected } from "../data.js";
import { verify, makePolicy, policyFromJson, PolicyError, DEFAULT_POLICY } from "../../hosts/js/verify/index.js";
import { checkTcbStatus, checkTdxBody } from "../../hosts/js/verify/policy.js";
import { Checks } from "../../hosts/js/verify/result.js";
import { decode } from "../../hosts/js/decode.js";

const chain = data("collateral/amd/go-sev-guest-ask-ark-milan-vcek.pem");
const GO = { report: "snp/go-sev-guest-report-v2-milan.bin", certs: [data("snp/go-sev-guest-vcek-milan.der"), chain], now: "2022-09-24T01:00:00Z" };
const TR = { report: "snp/trustee-report-v2-milan.bin", certs: [data("snp/trustee-vcek-milan.der"), chain], now: "2025-09-12T00:00:00Z" };
const VLEK = {
  report: "snp/trustee-report-v3-milan-vlek-vmpl1.bin",
  certs: [data("snp/trustee-vlek-milan.der"), data("collateral/amd/go-sev-guest-ask-ark-milan-vlek.pem")],
  now: "2025-09-12T00:00:00Z",
};
// These sets are about the policy, not revocation (test/verify/snp-revocation.test.js): it is
// waived; the nonce is the report's own report data unless a test sets another.
const run = (s, policy) => verify(data(s.report), { certs: s.certs, now: s.now, policy: { reportData: expected[s.report].report_data, ...policy, allowUncheckedRevocation: true } });
const checkOf = (v, name) => v.checks.find((c) => c.name === name);
const failed = (v) => v.checks.filter((c) => !c.ok).map((c) => c.name);

test("a guest whose policy allows debugging is rejected by default, accepted only with allowDebug", async () => {
  const strict = await run(GO);
  assert.not.ok(strict.ok);
  assert.equal(failed(strict), ["policy.debug"]);
  assert.ok(checkOf(strict, "snp.signature").ok, "the evidence itself is genuine");
  const lax = await run(GO, { allowDebug: true });
  assert.ok(lax.ok);
});

test("expected report data: exact, zero-padded prefix, and a mismatch", async () => {
  const want = expected[TR.report].report_data;
  assert.ok((await run(TR, { reportData: want })).ok);
  assert.ok((await run(TR, { reportData: want.replace(/(00)+$/, "") })).ok, "trailing zeros may be left out");
  const flipped = (want[0] === "0" ? "1" : "0") + want.slice(1);
  const v = await run(TR, { reportData: flipped });
  assert.equal(failed(v), ["policy.reportData"]);
});

// Report data fails closed: without the nonce the relying party sent, genuine evidence could be a
// replay. One real piece of evidence per verifier, each genuine under its own trust inputs.
const TDX_Q = "tdx/dcap-qvl-tdx-quote-v4.dat";
const FRESHNESS = [
  ["TDX quote", expected[TDX_Q].report_data,
    (policy) => verify(data(TDX_Q), { now: "2025-07-19T10:00:34Z", collateral: data("collateral/intel/dcap-qvl-tdx-collateral-bundle.json"), policy })],
  ["SNP report", expected[TR.report].report_data,
    (policy) => verify(data(TR.report), { certs: TR.certs, now: TR.now, crl: data("collateral/amd/openpcc-milan-vcek-crl-2505.der"), policy })],
  ["CCA token", decode(data("cca/tfm-tools-cca-example-token-realm2.cbor")).realm.claims.challenge,
    (policy) => verify(data("cca/tfm-tools-cca-example-token-realm2.cbor"), { roots: { cca: data("cca/ccatoken-tf-rmm-cpak-pub.pem") }, policy })],
];

for (const [what, nonce, check] of FRESHNESS) {
  test(`${what}: no reportData fails policy.reportData asking for the nonce; allowAnyReportData passes marked waived; a wrong nonce names the byte`, async () => {
    assert.is(DEFAULT_POLICY.allowAnyReportData, false);
    const fresh = await check({ reportData: nonce });
    assert.equal(failed(fresh), [], "control: the evidence's own nonce verifies");
    assert.is(checkOf(fresh, "policy.reportData").waived, undefined);

    const none = await check(undefined);
    assert.not.ok(none.ok);
    assert.equal(failed(none), ["policy.reportData"]);
    assert.is(none.decidedBy, "policy.reportData");
    assert.equal(checkOf(none, "policy.reportData").supply, ["policy.reportData"]);
    assert.match(checkOf(none, "policy.reportData").detail, "supply the nonce you sent as policy.reportData");

    const waived = await check({ allowAnyReportData: true });
    assert.ok(waived.ok);
    const w = checkOf(waived, "policy.reportData");
    assert.is(w.ok, true);
    assert.is(w.waived, true);
    assert.is(w.supply, undefined);
    assert.match(w.detail, "not compared (policy.allowAnyReportData: the evidence may be a replay)");
    assert.equal(waived.checks.map((c) => c.name), none.checks.map((c) => c.name), "the same checks ran");

    // A nonce that differs at byte 7 (and a waiver does not excuse a nonce that was given).
    const wrong = nonce.slice(0, 14) + (nonce.slice(14, 16) === "ff" ? "00" : "ff") + nonce.slice(16);
    for (const policy of [{ reportData: wrong }, { reportData: wrong, allowAnyReportData: true }]) {
      const v = await check(policy);
      assert.equal(failed(v), ["policy.reportData"], JSON.stringify(policy));
      assert.match(checkOf(v, "policy.reportData").detail, "differs at byte 7");
    }
  });
}

test("pinned measurements: the right value passes, any other fails, a field the evidence lacks fails", async () => {
  const m = expected[TR.report].measurement;
  assert.ok((await run(TR, { measurements: { measurement: [m, "00".repeat(48)] } })).ok);
  const wrong = await run(TR, { measurements: { measurement: "11".repeat(48) } });
  assert.equal(failed(wrong), ["policy.measurement"]);
  const host = await run(TR, { measurements: { hostData: "ab".repeat(32) } });
  assert.equal(failed(host), ["policy.hostData"]);
  const tdx = await run(TR, { measurements: { mrTd: "00".repeat(48) } });
  assert.equal(failed(tdx), ["policy.mrTd"]);
});

test("minimum TCB: the reported TCB meets itself and fails one step above (go-sev-guest check values)", async () => {
  const t = expected[GO.report].reported_tcb;
  const base = { allowDebug: true };
  const at = { bootloader: t.bl, tee: t.tee, snp: t.snp, microcode: t.ucode };
  assert.ok((await run(GO, { ...base, minSnpTcb: at })).ok);
  for (const part of Object.keys(at)) {
    const v = await run(GO, { ...base, minSnpTcb: { ...at, [part]: at[part] + 1 } });
    assert.equal(failed(v), ["policy.minTcb"], part);
    assert.match(checkOf(v, "policy.minTcb").detail, part);
  }
});

test("VMPL: only VMPL 0 by default; VMPL 1 needs allowedVmpls", async () => {
  const v = await run(VLEK);
  assert.equal(failed(v), ["policy.vmpl"]);
  assert.ok((await run(VLEK, { allowedVmpls: [0, 1] })).ok);
  const go = await run(GO, { allowDebug: true, allowedVmpls: [1] });
  assert.equal(failed(go), ["policy.vmpl"]);
});

test("signing key and guest policy bits: VLEK can be refused, SMT can be refused, single socket required", async () => {
  assert.equal(failed(await run(VLEK, { allowedVmpls: [1], allowedSigningKeys: ["VCEK"] })), ["policy.signingKey"]);
  assert.equal(failed(await run(TR, { allowSmt: false })), ["policy.smt"]);
  assert.equal(failed(await run(TR, { requireSingleSocket: true })), ["policy.singleSocket"]);
});

test("minimum guest SVN", async () => {
  const svn = expected[TR.report].guest_svn;
  assert.ok((await run(TR, { minGuestSvn: svn })).ok);
  assert.equal(failed(await run(TR, { minGuestSvn: svn + 1 })), ["policy.minGuestSvn"]);
});

test("TCB status: OutOfDate and Revoked rejected unless explicitly allowed, unknown statuses rejected", () => {
  const status = (s, p) => {
    const c = new Checks();
    checkTcbStatus(c, s, makePolicy(p));
    return c.ok;
  };
  assert.ok(status("UpToDate"));
  assert.ok(status("ConfigurationAndSWHardeningNeeded"));
  assert.not.ok(status("OutOfDate"));
  assert.not.ok(status("OutOfDateConfigurationNeeded"));
  assert.ok(status("OutOfDate", { allowOutOfDate: true }));
  assert.not.ok(status("Revoked", { allowOutOfDate: true }));
  assert.ok(status("Revoked", { allowRevoked: true }));
  assert.not.ok(status("SomethingNew"));
});

test("TDX bodies: a debug TD is rejected by default; teeTcbSvn minimum", () => {
  const debugTd = decode(data("tdx/trustee-tdx-quote-v4.dat")).body;
  const c = new Checks();
  checkTdxBody(c, debugTd, makePolicy({ reportData: expected["tdx/trustee-tdx-quote-v4.dat"].report_data }));
  assert.equal(c.list.filter((x) => !x.ok).map((x) => x.name), ["policy.debug"]);
  const prod = decode(data("tdx/go-tdx-guest-quote-v4-spr-e4.dat")).body;
  const want = expected["tdx/go-tdx-guest-quote-v4-spr-e4.dat"];
  const ok = new Checks();
  checkTdxBody(ok, prod, makePolicy({ minTeeTcbSvn: want.tee_tcb_svn, reportData: want.report_data, measurements: { mrTd: want.mr_td } }));
  assert.ok(ok.ok, JSON.stringify(ok.list));
  // go-tdx-guest: minimum 04.. fails against teeTcbSvn 03 00 04 ..
  const low = new Checks();
  checkTdxBody(low, prod, makePolicy({ minTeeTcbSvn: "04" + "00".repeat(15), reportData: want.report_data }));
  assert.equal(low.list.filter((x) => !x.ok).map((x) => x.name), ["policy.minTeeTcbSvn"]);
});

test("malformed policies throw PolicyError naming the key; JSON policies load", async () => {
  for (const [bad, field] of [
    [{ allowDebg: true }, "allowDebg"],
    [{ allowDebug: "yes" }, "allowDebug"],
    [{ reportData: "xyz" }, "reportData"],
    [{ allowAnyReportData: "yes" }, "allowAnyReportData"],
    [{ measurements: { mrTdd: "00" } }, "measurements.mrTdd"],
    [{ minSnpTcb: { bootloader: 300 } }, "minSnpTcb.bootloader"],
    [{ allowedVmpls: [4] }, "allowedVmpls"],
  ]) {
    try {
      makePolicy(bad);
      assert.unreachable(JSON.stringify(bad));
    } catch (e) {
      assert.instance(e, PolicyError);
      assert.is(e.code, "BAD_POLICY");
      assert.is(e.field, field);
    }
  }
  await verify(data(TR.report), { policy: { nope: 1 } }).then(() => assert.unreachable(), (e) => assert.instance(e, PolicyError));
  const p = policyFromJson(JSON.stringify({ allowedVmpls: [1], reportData: expected[VLEK.report].report_data }));
  assert.ok((await run(VLEK, p)).ok);
  assert.throws(() => policyFromJson("{"), (e) => e.code === "BAD_POLICY");
});

test.run();
