// `tsmkit show` as a user runs it: a real process, exit statuses, one-line errors, no stacks.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { DATA, ROOT, data, expected } from "../data.js";
import { Readable } from "node:stream";
import { X509Certificate } from "node:crypto";
import { decode, locate } from "../../hosts/js/decode.js";
import { main as cli } from "../../hosts/node/cli.js";

const CLI = join(ROOT, "hosts", "node", "cli.js");
const tsmkit = (args, input) => spawnSync(process.execPath, [CLI, ...args], { input, encoding: "utf8" });
const TDREPORT = join(DATA, "tdx/trustee-az-tdx-tdreport.dat");

test("show --json prints the decoded JSON form and exits 0", () => {
  const r = tsmkit(["show", "--json", TDREPORT]);
  assert.is(r.status, 0);
  assert.equal(JSON.parse(r.stdout), decode(data("tdx/trustee-az-tdx-tdreport.dat")));
  assert.ok(r.stdout.endsWith("}\n"));
});

test("show prints aligned, grouped text", () => {
  const r = tsmkit(["show", TDREPORT]);
  assert.is(r.status, 0);
  assert.match(r.stdout, /^format\s+tdreport\n/);
  assert.match(r.stdout, /\ntdInfo\n {2}attributes\s+0000000000000000 \(none set\)\n/);
});

// ---- show for people: TD attributes, wrapping, trailing bytes, SNP truncation ---------------

// TD ATTRIBUTES bits by name, from Linux arch/x86/include/asm/shared/tdx.h (TDX_ATTR_*_BIT).
const TD_BITS = { 0: "DEBUG", 4: "HGS_PLUS_PROF", 5: "PERF_PROF", 6: "PMT_PROF", 16: "ICSSD", 27: "LASS",
  28: "SEPT_VE_DISABLE", 29: "MIGRATABLE", 30: "PKS", 31: "KL", 62: "TPA", 63: "PERFMON" };
/** The names the text form should give the 8 little-endian bytes in `hex`. */
function tdNames(hex) {
  const v = BigInt.asUintN(64, Buffer.from(hex, "hex").readBigUInt64LE());
  const set = [...Array(64).keys()].filter((b) => (v >> BigInt(b)) & 1n);
  return set.length ? set.map((b) => TD_BITS[b] ?? `bit ${b}`).join(", ") : "none set";
}
/** The text form's value of `key` at line start after `indent` spaces (wrapped lines joined). */
function textValue(text, indent, key) {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.startsWith(" ".repeat(indent) + key + " "));
  assert.ok(i >= 0, `no ${key} line`);
  const col = lines[i].length - lines[i].slice(indent + key.length).trimStart().length;
  let v = lines[i].slice(col);
  for (let j = i + 1; j < lines.length && /^ +[0-9a-f]+$/.test(lines[j]) && lines[j].search(/\S/) === col; j++) v += lines[j].slice(col);
  return v;
}
const TDX = Object.entries(expected).filter(([f, e]) => e.td_attributes && f.startsWith("tdx/"));

/**
 * `tsmkit show ARGS` in this process (a process per corpus file is slow): { status, stdout, stderr }.
 * `columns` makes stdout a terminal that wide.
 */
async function show(args, input, columns) {
  const out = { stdout: "", stderr: "" };
  const sink = (k) => ({ write: (s) => { out[k] += s; return true; }, ...(columns && { isTTY: true, columns }) });
  const status = await cli(["show", ...args], { stdout: sink("stdout"), stderr: sink("stderr"), stdin: Readable.from(input ? [Buffer.from(input)] : []) });
  return { status, ...out };
}

test("tdAttributes are named bit by bit in every TDX quote and TDREPORT of the corpus", async () => {
  assert.ok(TDX.length >= 20, `only ${TDX.length} files`);
  const seen = new Set();
  for (const [file, want] of TDX) {
    const r = await show([join(DATA, file)]);
    assert.is(r.status, 0, file);
    const where = want.td_body ? /\n {2}tdAttributes +(.*)\n/ : /\ntdInfo\n {2}attributes +(.*)\n/;
    assert.is(where.exec(r.stdout)?.[1], `${want.td_attributes} (${tdNames(want.td_attributes)})`, file);
    seen.add(tdNames(want.td_attributes));
  }
  // MANIFEST: trustee-tdx-quote-v4 is a debug TD (0100001000000000), moemahhouk sets PERFMON.
  for (const n of ["none set", "SEPT_VE_DISABLE", "PKS", "DEBUG, SEPT_VE_DISABLE", "SEPT_VE_DISABLE, PERFMON"]) assert.ok(seen.has(n), n);
  // MANIFEST td_attributes of TDREPORTs expected.json does not list.
  for (const [file, attrs] of [["tdx/intel-dcap-tdreport-for-test.dat", "0000005000000000 (SEPT_VE_DISABLE, PKS)"],
    ["tdx/guest-components-tdreport-1.bin", "0000001000000000 (SEPT_VE_DISABLE)"]]) {
    assert.is(/\ntdInfo\n {2}attributes +(.*)\n/.exec((await show([join(DATA, file)])).stdout)?.[1], attrs, file);
  }
});

test("a DEBUG TD and bits without a name are said so", async () => {
  const q = Uint8Array.from(data("tdx/dcap-qvl-tdx-quote-v4.dat"));
  q[48 + 120] |= 0x03; // DEBUG and reserved bit 1
  q[48 + 121] |= 0x80; // bit 15
  const r = await show(["-"], q);
  assert.match(r.stdout, /\n {2}tdAttributes {4}0380001000000000 \(DEBUG, bit 1, bit 15, SEPT_VE_DISABLE\)\n/);
});

test("hex wraps to 80 columns when not a terminal, and the wrapped lines join to the value", () => {
  const file = "tdx/dcap-qvl-tdx-quote-v4.dat";
  const json = decode(data(file));
  const r = tsmkit(["show", join(DATA, file)]);
  for (const l of r.stdout.split("\n")) assert.ok(l.length <= 80, `${l.length} columns: ${l}`);
  for (const k of ["mrTd", "rtmr0", "reportData"]) assert.is(textValue(r.stdout, 2, k), json.body[k], k);
  assert.is(textValue(r.stdout, 2, "mrTd").length, 96);
  assert.match(r.stdout, /\n {2}mrTd {12}[0-9a-f]{48}\n {18}[0-9a-f]{48}\n/); // two equal halves
});

test("on a terminal, hex wraps to its width", async () => {
  const file = join(DATA, "tdx/dcap-qvl-tdx-quote-v4.dat");
  const { body } = decode(data("tdx/dcap-qvl-tdx-quote-v4.dat"));
  for (const columns of [60, 120, 200]) {
    const { stdout } = await show([file], undefined, columns);
    const hexLines = stdout.split("\n").filter((l) => /^ *(\S+ +)?[0-9a-f]{16,}$/.test(l)); // prose lines do not wrap
    assert.ok(hexLines.length > 20);
    for (const l of hexLines) assert.ok(l.length <= columns, `${columns}: ${l}`);
    assert.is(textValue(stdout, 2, "reportData"), body.reportData);
    assert.is(textValue(stdout, 2, "mrTd"), body.mrTd);
    assert.is(/\n {2}mrTd +([0-9a-f]+)\n/.exec(stdout)[1].length === 96, columns >= 18 + 96, `${columns}: one line when it fits`);
  }
});

test("every corpus file's text fits 80 columns", async () => {
  for (const [file] of Object.entries(expected).filter(([f]) => /^(tdx|sgx|snp)\//.test(f))) {
    const r = await show([join(DATA, file)]);
    if (r.status !== 0) continue; // non-evidence files (event logs, certificates) are refused
    for (const l of r.stdout.split("\n")) assert.ok(l.length <= 80, `${file}: ${l.length} columns: ${l}`);
  }
});

test("bytes after the signed evidence are noted: their count, offset and hex, or that they are zero padding", async () => {
  const spr = data("tdx/go-tdx-guest-quote-v4-spr-e4.dat"); // 39 bytes of ASCII after the quote (MANIFEST)
  const r = await show([join(DATA, "tdx/go-tdx-guest-quote-v4-spr-e4.dat")]);
  assert.match(r.stdout, /\ntrailing {7}39 bytes after the evidence \(offset 4935\), unsigned and ignored:\n/);
  const lines = r.stdout.split("unsigned and ignored:\n")[1].split("\n");
  const hex = lines.slice(0, lines.findIndex((l) => !/^ +[0-9a-f]+$/.test(l))).map((l) => l.trim()).join("");
  assert.is(hex, Buffer.from(spr.subarray(4935)).toString("hex"));
  assert.match((await show([join(DATA, "tdx/go-tdx-guest-cos113-quote-v4.dat")])).stdout,
    /\ntrailing {7}3065 zero bytes after the evidence \(buffer padding\), ignored\ncertificates\n/);
  assert.match((await show([join(DATA, "snp/lit-sev-snp-utils-report-bad-sig.bin")])).stdout, /\ntrailing +1 bytes after the evidence \(offset 1184\)/);
  assert.not.match((await show([join(DATA, "tdx/teekit-tdx-quote-v4-edgeless.dat")])).stdout, /trailing/); // 4936 of 4936
});

test("a truncated SNP report names the field the input ends in", async () => {
  const r = tsmkit(["show", join(DATA, "snp/lit-sev-snp-utils-report-corrupt.bin")]);
  assert.is(r.status, 2);
  assert.is(r.stderr, "tsmkit: snp-report: TRUNCATED in signature at byte 672: a report is 1184 bytes, input ends at 793: signature (512 bytes at offset 672) is cut short\n");
  const v3 = data("snp/ms-tee-av-report-v3-genoa.bin");
  for (const [n, field, offset, how] of [[100, "reportData", 0x50, "cut short"], [0x188, "cpuidFamId", 0x188, "missing"], [0x2a0, "signature", 0x2a0, "missing"]]) {
    const e = JSON.parse((await show(["--json", "--format", "snp-report", "-"], v3.subarray(0, n))).stdout).error;
    assert.equal([e.code, e.field, e.offset], ["TRUNCATED", field, offset], `length ${n}`);
    assert.match(e.message, `input ends at ${n}: ${field} `);
    assert.match(e.message, how);
  }
});

test("show - reads standard input", () => {
  const r = spawnSync(process.execPath, [CLI, "show", "--json", "-"], { input: data("tdx/trustee-az-tdx-tdreport.dat") });
  assert.is(r.status, 0);
  assert.is(JSON.parse(r.stdout).format, "tdreport");
});

test("undecodable input: exit 2, one line naming format, field and byte offset, no stack", () => {
  const bytes = Uint8Array.from(data("tdx/trustee-az-tdx-tdreport.dat"));
  bytes[0] = 0x7f;
  const r = spawnSync(process.execPath, [CLI, "show", "--format", "tdreport", "-"], { input: bytes, encoding: "utf8" });
  assert.is(r.status, 2);
  assert.is(r.stdout, "");
  assert.is(r.stderr.trim().split("\n").length, 1);
  assert.match(r.stderr, /tdreport: UNSUPPORTED_TYPE in reportMacStruct\.reportType at byte 0/);
  assert.not.match(r.stderr, /at .*\.js:\d+/);
});

test("undecodable input with --json: the error as a JSON object, exit 2", () => {
  const r = spawnSync(process.execPath, [CLI, "show", "--json", "--format", "tdreport", "-"], { input: Buffer.alloc(10), encoding: "utf8" });
  assert.is(r.status, 2);
  const e = JSON.parse(r.stdout).error;
  assert.equal(Object.keys(e), ["code", "format", "field", "offset", "message"]);
  assert.is(e.code, "TRUNCATED");
  assert.is(e.format, "tdreport");
});

test("bad arguments and unreadable files exit 2 with a message", () => {
  for (const args of [["show"], ["show", "--nope", TDREPORT], ["show", "--format", "zip", TDREPORT], ["show", "/no/such/file"], ["nonsense"]]) {
    const r = tsmkit(args);
    assert.is(r.status, 2, args.join(" "));
    assert.ok(r.stderr.length > 0);
    assert.not.match(r.stderr, /internal error/);
  }
});

// ---- certificate summaries (text form only; X.509 parsed on the JS side) ---------------------

/** Subject CN, issuer CN and validity of a certificate by node:crypto (not the parser show uses). */
function nodeSummary(cert) {
  const x = new X509Certificate(cert);
  const cn = (dn) => /(?:^|\n)CN=([^\n]*)/.exec(dn)[1];
  const iso = (t) => new Date(t).toISOString().replace(/\.000Z$/, "Z");
  return `    subject  ${cn(x.subject)}\n    issuer   ${cn(x.issuer)}\n    valid    ${iso(x.validFrom)} to ${iso(x.validTo)}\n`;
}
const certBlock = (stdout) => stdout.split("\ncertificates\n")[1];

test("every PCK chain in the corpus's quotes is summarised: subject, issuer and validity as node:crypto reads them", async () => {
  const quotes = Object.entries(expected).filter(([, e]) => e.pck).map(([f]) => f);
  assert.ok(quotes.length >= 20, `only ${quotes.length} quotes`);
  for (const file of quotes) {
    const chain = JSON.stringify(decode(data(file))).match(/"pckCertChain":\[([^\]]*)\]/)[1].split(",").map((s) => JSON.parse(s));
    const want = chain.map((c, i) => `  pckCertChain[${i}]\n${nodeSummary(/^[0-9a-f]+$/.test(c) ? Buffer.from(c, "hex") : c)}`).join("");
    assert.is(certBlock((await show([join(DATA, file)])).stdout), want, file);
  }
  // MANIFEST: the SPR E4 chain in stored order, and its PCK's validity.
  assert.match(certBlock((await show([join(DATA, "tdx/go-tdx-guest-quote-v4-spr-e4.dat")])).stdout),
    /^ {2}pckCertChain\[0\]\n {4}subject {2}Intel SGX PCK Certificate\n {4}issuer {3}Intel SGX PCK Platform CA\n {4}valid {4}2022-09-20T13:20:31Z to 2029-09-20T13:20:31Z\n {2}pckCertChain\[1\]\n {4}subject {2}Intel SGX PCK Platform CA\n/);
});

test("an SNP certificate table is summarised entry by entry, with each entry's kind", async () => {
  const r = await show([join(DATA, "snp/constructed-certtable-vcek-milan.bin")]);
  assert.is(r.status, 0);
  const ders = decode(data("snp/constructed-certtable-vcek-milan.bin")).entries.map((e) => Buffer.from(e.certificate, "hex"));
  assert.is(certBlock(r.stdout), ["VCEK", "ASK", "ARK"].map((k, i) => `  entries[${i}] ${k}\n${nodeSummary(ders[i])}`).join(""));
  assert.match(r.stdout, /\n {4}subject {2}SEV-VCEK\n {4}issuer {3}SEV-Milan\n/); // snp.test.js: CNs of this table
});

test("a certificate that is not X.509 is said so in its place; the decode still succeeds", async () => {
  const file = "tdx/intel-qvl-sample-tdx-quote-v4.dat"; // DER chain (MANIFEST)
  const [offset] = locate(data(file)).get("signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain.1");
  const bytes = Uint8Array.from(data(file));
  bytes[offset + 4] = 0x31; // tbsCertificate SEQUENCE -> SET: the core checks only the outer SEQUENCE
  const r = await show(["-"], bytes);
  assert.is(r.status, 0);
  assert.match(certBlock(r.stdout), /^ {2}pckCertChain\[0\]\n {4}subject {2}Intel SGX Root CA\n[\s\S]*\n {2}pckCertChain\[1\]\n {4}error {4}\S.*\n {2}pckCertChain\[2\]\n {4}subject {2}Intel SGX PCK Certificate\n/);
});

test("--json is the core's JSON form alone, and evidence without certificates has no summary", async () => {
  const file = join(DATA, "tdx/go-tdx-guest-quote-v4-spr-e4.dat");
  const j = await show(["--json", file]);
  assert.equal(JSON.parse(j.stdout), decode(data("tdx/go-tdx-guest-quote-v4-spr-e4.dat")));
  assert.not.match(j.stdout, /\ncertificates\n/);
  assert.not.match((await show([TDREPORT])).stdout, /certificates/);
});

test.run();
