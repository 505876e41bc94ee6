// RTMR replay in verify: the corpus's CCELs against the quotes and TDREPORTs they came with, a
// divergence named at the extend where it starts, runtime-log events after the CCEL's, and the
// event-log policy (rules, PolicyError, fail-closed without the logs).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { data } from "../data.js";
import { verify, replayMatches, PolicyError, makePolicy } from "../../hosts/js/verify/index.js";
import { decode } from "../../hosts/js/decode.js";
import { decodeEventLog, extendRegister } from "../../hosts/js/eventlog.js";
import { replayRegisters } from "../../hosts/js/verify/rtmr/index.js";
import { formatRuntimeHeader, formatRuntimeRecord, parseRuntimeLog } from "../../hosts/js/runtime-log.js";

const COS_QUOTE = data("tdx/go-tdx-guest-cos113-quote-v4.dat");
const COS = { ccel: data("tdx/go-tdx-guest-cos113-ccel-data.dat"), ccelTable: data("tdx/go-tdx-guest-cos113-ccel-table.dat") };
const ZERO = "00".repeat(48);
const rtmrCheck = (v) => v.checks.find((c) => c.name === "rtmr.replay");

test("COS-113: the CCEL and its table replay to RTMR0-2 of the quote; verify() records rtmr.replay ok", async () => {
  const r = replayMatches(COS_QUOTE, COS);
  assert.ok(r.ok, r.detail);
  assert.equal(Object.values(r.registers).map((x) => x.extends), [16, 7, 20, 0]);
  assert.match(r.detail, /rtmr2 matches \(20 extends, last CCEL event 40 EV_IPL/);
  const v = await verify(COS_QUOTE, { ...COS, now: "2025-01-01T00:00:00Z" });
  assert.ok(rtmrCheck(v).ok, rtmrCheck(v).detail);
});

test("attestation-rs: the live CCEL replays to RTMR0-3 of the TDREPORT (replayMatches takes TDREPORTs)", () => {
  const r = replayMatches(data("tdx/attestation-rs-tdreport-live.dat"), { ccel: data("tdx/attestation-rs-ccel-live.dat") });
  assert.ok(r.ok, r.detail);
  const td = decode(data("tdx/attestation-rs-tdreport-live.dat")).tdInfo;
  for (const [name, x] of Object.entries(r.registers)) assert.is(x.replay, td[name]);
});

test("trustee: its CCEL (a td-shim boot) does not produce the quote's RTMR0/1; rtmr.replay fails and says where the chains may part", async () => {
  const quote = data("tdx/trustee-tdx-quote-v4.dat");
  const claims = JSON.parse(data("tdx/trustee-tdx-quote-v4-claims-expected.json").toString());
  const r = replayMatches(quote, { ccel: data("tdx/trustee-ccel-data.bin") });
  assert.not.ok(r.ok);
  // trustee's expected claims carry the quote's RTMRs: the ones replay is compared with
  for (const i of [0, 1, 2, 3]) assert.is(r.registers[`rtmr${i}`].evidence, claims.quote.body[`rtmr_${i}`]);
  assert.equal([r.registers.rtmr2.ok, r.registers.rtmr3.ok], [true, true]);
  assert.equal(r.registers.rtmr0.divergence, { position: 0, certain: false, step: r.registers.rtmr0.divergence.step });
  assert.is(r.registers.rtmr0.divergence.step.type, "EV_PLATFORM_CONFIG_FLAGS");
  const v = await verify(quote, { ccel: data("tdx/trustee-ccel-data.bin"), now: "2025-09-01T00:00:00Z" });
  assert.not.ok(rtmrCheck(v).ok);
  assert.match(rtmrCheck(v).detail, /rtmr0 differs: the evidence holds none of the 3 values/);
  assert.not.ok(v.ok);
});

/** The COS-113 log with one more EV_IPL record for RTMR2 written over its padding. */
function withExtraEvent() {
  const log = Uint8Array.from(COS.ccel);
  const end = decodeEventLog(log).logEnd;
  const text = Buffer.from("grub_cmd: echo injected\0");
  const rec = Buffer.alloc(12 + 50 + 4 + text.length);
  rec.writeUInt32LE(3, 0); rec.writeUInt32LE(0xd, 4); rec.writeUInt32LE(1, 8);
  rec.writeUInt16LE(12, 12); rec.fill(0xab, 14, 62);
  rec.writeUInt32LE(text.length, 62); text.copy(rec, 66);
  log.set(rec, end);
  return { log, end };
}

test("an event the TD never extended is named exactly: the quote holds the chain's value before it", () => {
  const { log, end } = withExtraEvent();
  const r = replayMatches(COS_QUOTE, { ccel: log, ccelTable: COS.ccelTable });
  assert.not.ok(r.ok);
  assert.equal([r.registers.rtmr0.ok, r.registers.rtmr1.ok, r.registers.rtmr2.ok], [true, true, false]);
  const d = r.registers.rtmr2.divergence;
  assert.equal([d.position, d.certain, d.step.event, d.step.offset, d.step.type], [20, true, 43, end, "EV_IPL"]);
  assert.match(r.detail, new RegExp(`rtmr2 differs at extend 21 of 21 \\(CCEL event 43 EV_IPL at byte ${end}\\)`));
});

const runtimeLog = (...digests) => formatRuntimeHeader() +
  digests.map((digest, i) => formatRuntimeRecord({ recnum: i + 1, register: "rtmr3", digest, event: { name: `app-${i + 1}` } })).join("");

test("runtime-log events extend RTMR3 after the CCEL's; one the TD did not make is named (quote RTMR3 is zero)", () => {
  const r = replayMatches(COS_QUOTE, { ...COS, runtimeLog: runtimeLog("11".repeat(48)) });
  assert.equal([r.registers.rtmr3.ok, r.registers.rtmr3.divergence.position, r.registers.rtmr3.divergence.certain], [false, 0, true]);
  assert.match(r.detail, /rtmr3 differs at extend 1 of 1 \(runtime event 1\)/);
});

test("runtime-log events reproduce an RTMR3 extended by them (the TDREPORT's RTMR0-2 with RTMR3 = their chain)", () => {
  const td = decode(data("tdx/attestation-rs-tdreport-live.dat")).tdInfo;
  const digests = ["22".repeat(48), "33".repeat(48)];
  const registers = { ...td, rtmr3: digests.reduce(extendRegister, ZERO) };
  const logs = { log: decodeEventLog(data("tdx/attestation-rs-ccel-live.dat")), runtime: parseRuntimeLog(runtimeLog(...digests)).events };
  assert.ok(replayRegisters(registers, logs).ok);
  const missing = replayRegisters(registers, { log: logs.log, runtime: null });
  assert.not.ok(missing.ok);
  assert.equal(missing.supply, ["runtimeLog"], "an RTMR3 nothing in the CCEL explains asks for the runtime log");
});

test("a CCEL that does not decode fails rtmr.replay with the decoder's error", async () => {
  const v = await verify(COS_QUOTE, { ccel: COS.ccel.subarray(0, 100), now: "2025-01-01T00:00:00Z" });
  assert.not.ok(rtmrCheck(v).ok);
  assert.match(rtmrCheck(v).detail, /TRUNCATED: .*events\.0/);
});

// ---- policy.eventLog -------------------------------------------------------------------------

const cmdline = decodeEventLog(COS.ccel).events.find((e) => e.text?.startsWith("kernel_cmdline:"));
const policyCheck = (v, name = "policy.eventLog") => v.checks.find((c) => c.name === name);

test("policy.eventLog: the kernel command line's pinned digest holds; another digest names the event", async () => {
  const rule = { name: "cmdline", register: "rtmr2", type: "EV_IPL", textPrefix: "kernel_cmdline:" };
  const good = await verify(COS_QUOTE, { ...COS, now: "2025-01-01T00:00:00Z", policy: { eventLog: { events: [{ ...rule, digest: cmdline.digests[0].digest }] } } });
  assert.ok(policyCheck(good).ok, policyCheck(good).detail);
  const bad = await verify(COS_QUOTE, { ...COS, now: "2025-01-01T00:00:00Z", policy: { eventLog: { events: [{ ...rule, digest: ZERO }] } } });
  assert.not.ok(policyCheck(bad).ok);
  assert.match(policyCheck(bad).detail, new RegExp(`cmdline: CCEL event \\d+ EV_IPL at byte ${cmdline.offset}`));
  const none = await verify(COS_QUOTE, { ...COS, now: "2025-01-01T00:00:00Z", policy: { eventLog: { events: [{ text: "no such event", digest: ZERO }] } } });
  assert.match(policyCheck(none).detail, /rule 0: no event matches/);
});

test("policy.eventLog / runtimeEvents fail closed without their logs, naming what to supply", async () => {
  const v = await verify(COS_QUOTE, { now: "2025-01-01T00:00:00Z", policy: { eventLog: { events: [{ type: "EV_IPL", digest: ZERO }], runtime: [{ name: "app", digest: ZERO }] } } });
  assert.equal([policyCheck(v).ok, policyCheck(v).supply], [false, ["ccel"]]);
  assert.equal([policyCheck(v, "policy.runtimeEvents").ok, policyCheck(v, "policy.runtimeEvents").supply], [false, ["runtimeLog"]]);
  assert.is(rtmrCheck(v), undefined, "no log given: no replay to report");
});

test("policy.runtimeEvents: a runtime event's digest by name", async () => {
  const digest = "44".repeat(48);
  const v = await verify(COS_QUOTE, { ...COS, runtimeLog: runtimeLog(digest), now: "2025-01-01T00:00:00Z", policy: { eventLog: { runtime: [{ name: "app-1", digest }] } } });
  assert.ok(policyCheck(v, "policy.runtimeEvents").ok);
});

// Evidence without RTMRs: event-log rules and logs cannot be met there, so each fails saying so
// (never silently ignored). Each case verifies real corpus evidence as it would be checked anyway.
const NO_RTMRS = [
  ["SEV-SNP report", "a SEV-SNP report", data("snp/go-sev-guest-report-v2-milan.bin"),
    { certs: [data("snp/go-sev-guest-vcek-milan.der"), data("collateral/amd/go-sev-guest-ask-ark-milan-vcek.pem")], now: "2022-09-24T01:00:00Z" }],
  ["SGX quote", "an SGX quote", data("sgx/dcap-qvl-sgx-quote-v3.dat"), { now: "2025-01-01T00:00:00Z" }],
  ["Arm CCA token", "an Arm CCA token", data("cca/ccatoken-good-cmw-collection.cbor"), { roots: { cca: data("cca/ccatoken-test-iak-pub.pem").toString() } }],
];
const RULES = { events: [{ name: "kernel", type: "EV_EFI_BOOT_SERVICES_APPLICATION", digest: ZERO }], runtime: [{ name: "app", digest: ZERO }] };
for (const [label, what, evidence, opts] of NO_RTMRS) {
  test(`${label}: policy.eventLog and policy.runtimeEvents rules fail, saying this TEE has no event-log evidence`, async () => {
    const without = await verify(evidence, opts);
    assert.not.ok(without.checks.some((c) => c.name.startsWith("policy.eventLog") || c.name === "policy.runtimeEvents" || c.name === "rtmr.replay"));
    const v = await verify(evidence, { ...opts, policy: { eventLog: RULES } });
    assert.not.ok(v.ok);
    for (const name of ["policy.eventLog", "policy.runtimeEvents"]) {
      const c = policyCheck(v, name);
      assert.ok(c && !c.ok, `${name} missing or passing`);
      assert.ok(c.detail.includes(`${what} has no such evidence`), c.detail);
      assert.is(c.supply, undefined, "nothing can be supplied to meet it");
    }
  });
  test(`${label}: a CCEL or runtime log given with it fails rtmr.replay (it has no RTMRs to replay against)`, async () => {
    const v = await verify(evidence, { ...opts, ...COS, runtimeLog: formatRuntimeHeader() });
    assert.not.ok(v.ok);
    assert.not.ok(rtmrCheck(v).ok);
    assert.match(rtmrCheck(v).detail, new RegExp(`^ccel, ccelTable, runtimeLog given, but ${what} has no RTMRs`));
    assert.is(v.checks.filter((c) => c.name === "rtmr.replay").length, 1);
  });
}

const BAD_POLICIES = [
  [{ events: {} }, "eventLog.events"],
  [{ kernel: ZERO }, "eventLog.kernel"],
  [{ events: [{ digest: ZERO }] }, "eventLog.events.0"],
  [{ events: [{ type: "EV_IPL" }] }, "eventLog.events.0.digest"],
  [{ events: [{ type: "EV_IPL", digest: "abc" }] }, "eventLog.events.0.digest"],
  [{ events: [{ register: "rtmr4", digest: ZERO }] }, "eventLog.events.0.register"],
  [{ events: [{ type: "EV_IPL", colour: "red", digest: ZERO }] }, "eventLog.events.0.colour"],
  [{ runtime: [{ type: "EV_IPL", digest: ZERO }] }, "eventLog.runtime.0.type"],
  ["yes", "eventLog"],
];
for (const [eventLog, field] of BAD_POLICIES) {
  test(`PolicyError for eventLog ${JSON.stringify(eventLog).slice(0, 60)} names ${field}`, () => {
    try {
      makePolicy({ eventLog });
      assert.unreachable("accepted");
    } catch (e) {
      assert.instance(e, PolicyError);
      assert.is(e.field, field);
    }
  });
}

test.run();
