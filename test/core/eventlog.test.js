// The CCEL decoder and replay on the corpus's real event logs: structure, the trustee log against
// trustee's own expected parse, RTMR values against the evidence each log came with, SHA-384
// against node:crypto, and bad input (truncation, corruption, table-driven cases) as typed errors.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { data } from "../data.js";
import { prng } from "../prng.js";
import { decode, DecodeError } from "../../hosts/js/decode.js";
import { decodeEventLog, renderEventLog, extendRegister } from "../../hosts/js/eventlog.js";
import { sha384 } from "../../hosts/js/eventlog-core.js";

const COS_LOG = data("tdx/go-tdx-guest-cos113-ccel-data.dat");
const COS_TABLE = data("tdx/go-tdx-guest-cos113-ccel-table.dat");
const LOGS = {
  "tdx/go-tdx-guest-cos113-ccel-data.dat": { events: 43, pad: 0xff },
  "tdx/attestation-rs-ccel-live.dat": { events: 20, pad: 0xff },
  "tdx/attestation-rs-ccel-live2.dat": { events: 20, pad: 0xff },
  "tdx/trustee-ccel-data.bin": { events: 5, pad: 0x00 },
};
const RTMRS = ["rtmr0", "rtmr1", "rtmr2", "rtmr3"];
const hex = (b) => Buffer.from(b).toString("hex");

test("SHA-384 in the core equals node:crypto on every length 0-300 and a few large ones", () => {
  const rnd = prng(384);
  for (const n of [...Array(301).keys(), 1000, 4096, 65537]) {
    const b = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
    assert.is(hex(sha384(b)), createHash("sha384").update(b).digest("hex"), `length ${n}`);
  }
});

for (const [file, want] of Object.entries(LOGS)) {
  test(`${file}: a crypto-agile SHA-384 log; the records end where the ${want.pad === 0xff ? "0xFF" : "zero"} padding starts`, () => {
    const bytes = data(file);
    const log = decodeEventLog(bytes);
    assert.is(log.format, "eventlog");
    assert.is(log.specIdEvent.signature, "Spec ID Event03");
    assert.is(log.specIdEvent.eventType, 3);
    assert.equal(log.specIdEvent.algorithms, [{ algorithmId: 12, digestSize: 48, algorithm: "sha384" }]);
    assert.is(log.events.length, want.events);
    assert.ok(bytes.subarray(log.logEnd).every((b) => b === want.pad));
    let at = 32 + log.specIdEvent.eventSize;
    for (const e of log.events) {
      assert.is(e.offset, at, "records are back to back");
      assert.is(e.register, ["mrtd", ...RTMRS][e.mrIndex]);
      assert.is(e.event.length, 2 * e.eventSize);
      at += 12 + e.digests.reduce((n, d) => n + 2 + d.digest.length / 2, 0) + 4 + e.eventSize;
    }
    assert.is(at, log.logEnd);
  });
}

test("trustee's CCEL decodes to the events of trustee's expected claims (types, MR index, digests, data)", () => {
  const want = JSON.parse(data("tdx/trustee-tdx-quote-v4-claims-expected.json").toString()).uefi_event_logs;
  const log = decodeEventLog(data("tdx/trustee-ccel-data.bin"));
  assert.equal(log.events.map((e) => ({
    index: e.mrIndex, type_name: e.type, event: Buffer.from(e.event, "hex").toString("base64"),
    digests: e.digests.map((d) => ({ alg: d.algorithm === "sha384" ? "SHA-384" : d.algorithm, digest: d.digest })),
  })), want.map(({ index, type_name, event, digests }) => ({ index, type_name, event, digests })));
});

test("go-tdx-guest's COS-113 CCEL with its table replays to RTMR0-2 of its quote (RTMR3 unextended)", () => {
  const log = decodeEventLog(COS_LOG, { table: COS_TABLE });
  const body = decode(data("tdx/go-tdx-guest-cos113-quote-v4.dat")).body;
  for (const r of RTMRS) assert.is(log.replay[r], body[r], r);
  assert.is(log.replay.rtmr3, "00".repeat(48));
  assert.is(log.lastEvent.rtmr3, null);
  assert.is(log.events[log.lastEvent.rtmr2].text.slice(0, 15), "kernel_cmdline:");
  assert.is(log.table.signature, "CCEL");
  assert.is(log.table.ccTypeName, "tdx");
  assert.is(log.table.laml, String(COS_LOG.length));
});

test("attestation-rs's live CCEL replays to RTMR0-3 of its TDREPORT; each register's last event is its last extend", () => {
  const log = decodeEventLog(data("tdx/attestation-rs-ccel-live.dat"));
  const td = decode(data("tdx/attestation-rs-tdreport-live.dat")).tdInfo;
  for (const r of RTMRS) assert.is(log.replay[r], td[r], r);
  for (const r of RTMRS) {
    const mine = log.events.map((e, i) => [e, i]).filter(([e]) => e.register === r && e.type !== "EV_NO_ACTION");
    assert.is(log.lastEvent[r], mine.length ? mine[mine.length - 1][1] : null, r);
    // the chain by hand, one extendRegister per event
    const value = mine.reduce((v, [e]) => extendRegister(v, e.digests[0].digest), "00".repeat(48));
    assert.is(value, log.replay[r]);
  }
});

test("event data is shown as text where its type is a string (EV_IPL, EV_EFI_ACTION, tagged events, blob descriptions)", () => {
  const cos = decodeEventLog(COS_LOG);
  assert.ok(cos.events.some((e) => e.type === "EV_IPL" && e.text === "/syslinux/vmlinuz.A"));
  assert.ok(cos.events.some((e) => e.type === "EV_EFI_ACTION" && e.text === "Exit Boot Services Invocation"));
  assert.ok(cos.events.some((e) => e.type === "EV_EFI_PLATFORM_FIRMWARE_BLOB2" && e.text.startsWith("Fv(")));
  assert.not.ok(cos.events.some((e) => e.type === "EV_SEPARATOR" && "text" in e), "binary data has no text");
  const live = decodeEventLog(data("tdx/attestation-rs-ccel-live.dat"));
  assert.ok(live.events.some((e) => e.type === "EV_EVENT_TAG" && e.text === "Linux initrd"));
});

// UEFI spec (Globally Defined Variables; Image Execution Information Table) and shim's SHIM_LOCK_GUID.
const EFI_GLOBAL_VARIABLE = "8be4df61-93ca-11d2-aa0d-00e098032b8c";
const EFI_IMAGE_SECURITY_DATABASE = "d719b2cb-3d3a-4596-a3bc-dad00e67656f";
const SHIM_LOCK = "605dab50-e046-4300-abb6-3dd810dd8b23";
const SECURE_BOOT_VARS = [["SecureBoot", EFI_GLOBAL_VARIABLE], ["PK", EFI_GLOBAL_VARIABLE], ["KEK", EFI_GLOBAL_VARIABLE],
  ["db", EFI_IMAGE_SECURITY_DATABASE], ["dbx", EFI_IMAGE_SECURITY_DATABASE]];
const variables = (log, type) => log.events.filter((e) => e.type === type).map((e) => [e.text, e.variableGuid]);
const dataAt = (e) => e.offset + 12 + 50 * e.digests.length + 4; // TCG_PCR_EVENT2 with SHA-384 digests

test("UEFI variable events: vendor GUID, sizes and the CHAR16 name as text (Secure Boot's variables in the PFP's order)", () => {
  const cos = decodeEventLog(COS_LOG);
  assert.equal(variables(cos, "EV_EFI_VARIABLE_DRIVER_CONFIG"), SECURE_BOOT_VARS);
  assert.equal(variables(cos, "EV_EFI_VARIABLE_BOOT"), [["BootOrder", EFI_GLOBAL_VARIABLE], ["Boot0001", EFI_GLOBAL_VARIABLE], ["Boot0000", EFI_GLOBAL_VARIABLE]]);
  assert.equal(variables(cos, "EV_EFI_VARIABLE_AUTHORITY"), [["SbatLevel", SHIM_LOCK], ["MokListTrusted", SHIM_LOCK]]);
  const live = decodeEventLog(data("tdx/attestation-rs-ccel-live2.dat"));
  assert.equal(variables(live, "EV_EFI_VARIABLE_DRIVER_CONFIG"), SECURE_BOOT_VARS);
  const sb = cos.events.find((e) => e.text === "SecureBoot");
  assert.is(sb.unicodeNameLength, "10");
  assert.is(sb.variableDataLength, "1");
  assert.is(sb.eventSize, 32 + 2 * 10 + 1);
  // the core's own JSON and text renderings say the same
  assert.equal(JSON.parse(renderEventLog(COS_LOG, "pretty").text), cos);
  assert.match(renderEventLog(COS_LOG, "text").text, /variableGuid +d719b2cb-3d3a-4596-a3bc-dad00e67656f\n +unicodeNameLength +3\n +variableDataLength +\d+ \(0x[0-9a-f]+\)\n +text +dbx\n/);
});

test("UEFI variable events: sizes that disagree with the event leave it raw; a name that is not printable ASCII is not text", () => {
  const cos = decodeEventLog(COS_LOG);
  const i = cos.events.findIndex((e) => e.text === "SecureBoot");
  const at = dataAt(cos.events[i]);
  const mutate = (f) => { const b = Uint8Array.from(COS_LOG); f(new DataView(b.buffer)); return decodeEventLog(b).events[i]; };
  for (const [what, f] of [
    ["name length + 1", (v) => v.setUint32(at + 16, 11, true)],
    ["data length - 1", (v) => v.setUint32(at + 24, 0, true)],
    ["name length 2^63", (v) => v.setUint32(at + 20, 0x80000000, true)],
    ["data length 2^64 - 1", (v) => { v.setUint32(at + 24, 0xffffffff, true); v.setUint32(at + 28, 0xffffffff, true); }],
  ]) {
    const e = mutate(f);
    assert.is(e.type, "EV_EFI_VARIABLE_DRIVER_CONFIG", what);
    assert.not.ok("variableGuid" in e || "text" in e, what);
    assert.is(e.event.length, 2 * e.eventSize, `${what}: the data stays as hex`);
  }
  for (const [what, unit] of [["é", 0xe9], ["NUL", 0], ["ESC", 0x1b], ["DEL", 0x7f]]) {
    const e = mutate((v) => v.setUint16(at + 32 + 2, unit, true));
    assert.is(e.variableGuid, EFI_GLOBAL_VARIABLE, what);
    assert.not.ok("text" in e, `${what} in the name: no text`);
  }
  const quoted = mutate((v) => { v.setUint16(at + 32, 0x22, true); v.setUint16(at + 34, 0x5c, true); });
  assert.is(quoted.text, '"\\cureBoot');
  assert.is(JSON.parse(renderEventLog(Uint8Array.from(COS_LOG, (x, k) => (k === at + 32 ? 0x22 : k === at + 34 ? 0x5c : x)), "pretty").text).events[i].text, '"\\cureBoot');
});

test("the text rendering names types and replayed registers", () => {
  const { ok, text } = renderEventLog(COS_LOG, "text", { table: COS_TABLE });
  assert.ok(ok);
  assert.match(text, /type +EV_EFI_ACTION/);
  assert.match(text, /ccTypeName +tdx/);
  assert.match(text, /replay\n +rtmr0 +3fa2f61f/);
});

// ---- bad input ------------------------------------------------------------------------------

/** Decodes; returns the DecodeError (any other throw, e.g. a core abort, fails the test). */
function attempt(bytes, opts) {
  try {
    return decodeEventLog(bytes, opts);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    assert.is(e.format, "eventlog");
    assert.type(e.offset, "number");
    return e;
  }
}

const patch = (bytes, at, values) => { const b = Uint8Array.from(bytes); b.set(values, at); return b; };
const u32le = (n) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const cos = decodeEventLog(COS_LOG);
const ev5 = cos.events[5].offset;

const CASES = [
  ["first record not EV_NO_ACTION", patch(COS_LOG, 4, u32le(4)), null, "UNSUPPORTED_TYPE", "specIdEvent.eventType", 4],
  ["not Spec ID Event03", patch(COS_LOG, 32 + 14, [0x32]), null, "UNSUPPORTED_VERSION", "specIdEvent.signature", 32],
  ["zero algorithms", patch(COS_LOG, 56, u32le(0)), null, "BAD_VALUE", "specIdEvent.numberOfAlgorithms", 56],
  ["SHA-384 with 32-byte digests", patch(COS_LOG, 62, [32, 0]), null, "BAD_VALUE", "specIdEvent.algorithms.0.digestSize", 62],
  ["MR index 5", patch(COS_LOG, ev5, u32le(5)), null, "BAD_VALUE", "events.5.mrIndex", ev5],
  ["more digests than algorithms", patch(COS_LOG, ev5 + 8, u32le(2)), null, "BAD_VALUE", "events.5.digestCount", ev5 + 8],
  ["a digest algorithm not in the Spec ID event", patch(COS_LOG, ev5 + 12, [4, 0]), null, "BAD_VALUE", "events.5.digests.0.algorithmId", ev5 + 12],
  ["an event size past the end", patch(COS_LOG, ev5 + 62, u32le(0xfffffff0)), null, "TRUNCATED", "events.5.event", ev5 + 66],
  ["table: bad signature", COS_LOG, patch(COS_TABLE, 0, [0x58]), "UNSUPPORTED_TYPE", "table.signature", 0],
  ["table: short", COS_LOG, COS_TABLE.subarray(0, 40), "TRUNCATED", "table", 40],
  ["table: length disagrees", COS_LOG, patch(COS_TABLE, 4, u32le(57)), "BAD_LENGTH", "table.length", 4],
  ["table: checksum", COS_LOG, patch(COS_TABLE, 20, [0x41]), "BAD_VALUE", "table.checksum", 9],
  ["table: log longer than LAML", Buffer.concat([COS_LOG, Buffer.alloc(1, 0xff)]), COS_TABLE, "BAD_LENGTH", "table.laml", 40],
];
for (const [what, log, table, code, field, offset] of CASES) {
  test(`bad input: ${what} -> ${code} in ${field} at ${offset}`, () => {
    const e = attempt(log, table ? { table } : {});
    assert.instance(e, DecodeError);
    assert.equal([e.code, e.field, e.offset], [code, field, offset]);
  });
}

test("table: a CC type other than TDX is refused (its checksum kept valid)", () => {
  const t = patch(COS_TABLE, 36, [1]);
  t[9] = (t[9] + 1) & 0xff; // keeps the byte sum at 0
  const e = attempt(COS_LOG, { table: t });
  assert.equal([e.code, e.field, e.offset], ["UNSUPPORTED_TYPE", "table.ccType", 36]);
});

// Every byte of each log's records (header and all events) is a truncation point; the padding after
// them is sampled (seeded) since every cut there only shortens padding.
for (const file of Object.keys(LOGS)) {
  test(`${file}: truncated at every byte of its records and at 64 seeded points in the padding: typed errors or a shorter log, never a trap`, () => {
    const bytes = data(file);
    const full = decodeEventLog(bytes);
    const rnd = prng(0x7e1);
    const cuts = [...Array(full.logEnd + 1).keys()];
    for (let i = 0; i < 64; i++) cuts.push(full.logEnd + 1 + Math.floor(rnd() * (bytes.length - full.logEnd - 1)));
    for (const n of cuts) {
      const r = attempt(bytes.subarray(0, n));
      if (r instanceof DecodeError) {
        assert.is(r.code, "TRUNCATED", `cut ${n}: ${r.message}`);
        assert.ok(r.offset <= n, `cut ${n}: offset ${r.offset}`);
      } else {
        // a cut at a record boundary is a shorter, valid log: its events are the full log's first ones
        assert.equal(r.events, full.events.slice(0, r.events.length), `cut ${n}`);
        assert.ok(n >= full.logEnd || full.events[r.events.length].offset === n, `cut ${n} decoded`);
      }
    }
  });

  test(`${file}: 2000 seeded corruptions of its records: typed errors or a log, never a trap`, () => {
    const bytes = data(file);
    const end = decodeEventLog(bytes).logEnd;
    const rnd = prng(0xcce1);
    for (let i = 0; i < 2000; i++) {
      const b = Uint8Array.from(bytes.subarray(0, end + 64));
      const flips = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < flips; k++) b[Math.floor(rnd() * end)] = Math.floor(rnd() * 256);
      const r = attempt(b);
      if (r instanceof DecodeError) assert.ok(r.offset <= b.length, `seed step ${i}`);
      else assert.ok(r.events.length <= 2000);
    }
  });
}

test.run();
