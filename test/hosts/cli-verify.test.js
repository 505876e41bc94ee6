// `tsmkit verify` as a user runs it: a real process. Exit 0 verified, 1 verification failed (the
// output names the deciding check), 2 bad input (nothing verified; one line on stderr, no stack;
// with --json one error object on stdout). Evidence comes from the simulator (written to a temp
// dir with its roots and collateral) and from the corpus (production quotes with their collateral).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATA, ROOT, data, expected } from "../data.js";
import { createPki } from "../../hosts/sim/pki.js";
import { createProvider } from "../../hosts/sim/providers/index.js";
import { writeRoots } from "../../hosts/sim/roots.js";
import { verify } from "../../hosts/js/verify/index.js";
import { PIECES, PROD_NOW, PROD_QUOTE, SCHEMES } from "../collateral-names.js";

const CLI = join(ROOT, "hosts", "node", "cli.js");
const hex = (b) => Buffer.from(b).toString("hex");
const NONCE = Uint8Array.from({ length: 64 }, (_, i) => 255 - i);

const dir = await mkdtemp(join(tmpdir(), "tsmkit-cli-verify-"));
const at = (name) => join(dir, name);
const run = (args, { input, env } = {}) => spawnSync(process.execPath, [CLI, "verify", ...args], { encoding: "utf8", cwd: dir, input, env: { ...process.env, ...env } });
const tsmkit = (...args) => run(args);

const pki = await createPki();
await writeRoots(at("roots"), { pki });
const tdxQuote = (await createProvider("tdx_guest", { pki }).reportNew({ inblob: NONCE })).outblob;
await writeFile(at("q.bin"), tdxQuote);
const snp = await createProvider("sev_guest", { pki }).reportNew({ inblob: NONCE });
await writeFile(at("s.bin"), snp.outblob);
await writeFile(at("a.bin"), snp.auxblob);
const TDX_TRUST = ["--roots", at("roots/sgx-root-ca.pem"), "--collateral", at("roots"), "--offline"];
const SNP_TRUST = ["--aux", "a.bin", "--roots", at("roots/amd-ark-milan.pem"), "--crl", at("roots/amd-crl-milan.der"), "--offline"];
// The nonce the relying party sent, where freshness is not what a test is about.
const FRESH = ["--report-data", hex(NONCE)];

// A production TDX quote and its collateral, captured together (dcap-qvl's sample).
const I = join(DATA, "collateral/intel");
const PROD = join(DATA, PROD_QUOTE);
const PROD_BUNDLE = join(I, "dcap-qvl-tdx-collateral-bundle.json");
const PROD_FRESH = ["--report-data", expected[PROD_QUOTE].report_data];

/** A bad-input run: status 2, nothing on stdout, one stderr line matching `re`. */
function badInput(r, re) {
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.is(r.stdout, "");
  assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /^tsmkit verify: /);
  assert.match(r.stderr, re);
  assert.not.match(r.stderr, /\n\s+at /, "no stack");
}

/** The CLI's printed checks: [status, name, detail] per check line. */
const printed = (stdout) => [...stdout.matchAll(/^ {2}(ok {2}|FAIL) {2}(\S+) +(.*)$/gm)].map((m) => [m[1].trim(), m[2], m[3]]);

/** Asserts the text output is exactly the library's verdict for the same inputs, check by check. */
function sameAsLibrary(r, v) {
  assert.equal(printed(r.stdout), v.checks.map((c) => [c.ok ? "ok" : "FAIL", c.name, c.detail]));
  assert.match(r.stdout, v.ok ? /^verified/ : new RegExp(`^NOT verified \\(${v.status}\\): check ${v.decidedBy.replace(/\./g, "\\.")} failed\\n`));
}

test("exit 0: simulator TDX and SNP evidence against the simulator's roots, every check listed as ok", () => {
  const tdx = tsmkit("q.bin", ...TDX_TRUST, ...FRESH);
  assert.is(tdx.status, 0, tdx.stdout + tdx.stderr);
  assert.match(tdx.stdout, /^verified: UpToDate\nevaluated at \d{4}-\d\d-\d\dT[\d:.]+Z\n/);
  assert.match(tdx.stdout, /\n {2}ok {4}dcap\.quoteSignature +attestation key signs/);
  assert.match(tdx.stdout, new RegExp(`\\n {2}ok {4}policy\\.reportData +reportData matches ${hex(NONCE).slice(0, 16)}\\.\\.\\n`));
  assert.not.match(tdx.stdout, /FAIL/);
  const s = tsmkit("s.bin", ...SNP_TRUST, ...FRESH);
  assert.is(s.status, 0, s.stdout + s.stderr);
  assert.match(s.stdout, /^verified: Verified\n/);
  assert.match(s.stdout, /\n {2}ok {4}snp\.signature /);
  assert.match(s.stdout, /\n {2}ok {4}policy\.reportData +reportData matches /);
});

test("--now: ISO 8601 with or without a zone (none means UTC, whatever TZ says) or Unix seconds; the verdict prints it", () => {
  const forms = [PROD_NOW, "2025-07-19T10:00:34", "2025-07-19 10:00:34", "2025-07-19T12:00:34+02:00", "1752919234"];
  for (const now of forms) {
    for (const TZ of ["UTC", "America/Los_Angeles", "Asia/Kolkata"]) {
      const r = run([PROD, "--collateral", PROD_BUNDLE, "--now", now, "--offline", ...PROD_FRESH], { env: { TZ } });
      assert.is(r.status, 0, `${now} TZ=${TZ}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /^verified: UpToDate\nevaluated at 2025-07-19T10:00:34(\.000)?Z\n/, `${now} TZ=${TZ}`);
    }
  }
  // One second past the PCK CRL's nextUpdate (10:00:35Z), read as UTC: the CRL has expired.
  const late = run([PROD, "--collateral", PROD_BUNDLE, "--now", "2025-07-19T10:00:36", "--offline", ...PROD_FRESH], { env: { TZ: "Asia/Kolkata" } });
  assert.is(late.status, 1);
  assert.match(late.stdout, /^NOT verified \(Failed\): check dcap\.pckCrl failed\n/);
});

test("exit 1: the output is the library's verdict, check for check, headed by the deciding check", async () => {
  const prodRoots = tsmkit("q.bin", "--collateral", at("roots"), "--offline", "--now", "2027-01-01T00:00:00Z", ...FRESH);
  assert.is(prodRoots.status, 1);
  const { collateral } = await import("../../hosts/node/collateral.js").then((m) => m.readCollateral(at("roots")));
  sameAsLibrary(prodRoots, await verify(tdxQuote, { collateral, now: "2027-01-01T00:00:00Z", policy: { reportData: hex(NONCE) } }));
  assert.match(prodRoots.stdout, /FAIL {2}dcap\.\S+ +.*Intel SGX Root CA.*trust/, "the TEST root is not the production one");

  const late = tsmkit("s.bin", ...SNP_TRUST, ...FRESH, "--now", "2050-06-01T00:00:00Z");
  assert.is(late.status, 1);
  assert.match(late.stdout, /FAIL {2}snp\.\S+ +.*expired after 2049-12-31T23:59:59Z \(now 2050-06-01T00:00:00Z\)/);

  await writeFile(at("other-nonce.json"), JSON.stringify({ reportData: hex(NONCE.map((b, i) => (i === 40 ? b ^ 1 : b))) }));
  const pol = tsmkit("s.bin", ...SNP_TRUST, "--policy", "other-nonce.json");
  assert.is(pol.status, 1);
  assert.match(pol.stdout, /^NOT verified \(Failed\): check policy\.reportData failed\n/);
  await writeFile(at("nonce.json"), JSON.stringify({ reportData: hex(NONCE) }));
  assert.is(tsmkit("s.bin", ...SNP_TRUST, "--policy", "nonce.json").status, 0, "the right nonce passes the same policy check");
});

test("--report-data: the nonce is required (the hint names the flag), checked as --policy's reportData, waived only by the policy", async () => {
  const none = tsmkit("s.bin", ...SNP_TRUST);
  assert.is(none.status, 1);
  assert.match(none.stdout, /^NOT verified \(\w+\): check policy\.reportData failed\n/);
  assert.match(none.stdout, /\n {2}FAIL {2}policy\.reportData +no expected reportData: supply the nonce you sent as policy\.reportData \(policy\.allowAnyReportData waives the check\)\n +supply --report-data HEX \(the nonce\)\n/);
  const json = JSON.parse(tsmkit("--json", "q.bin", ...TDX_TRUST).stdout);
  assert.equal(json.error, { code: "NOT_VERIFIED", check: "policy.reportData", message: `check policy.reportData failed: ${json.checks.at(-1).detail}` });
  assert.equal(json.checks.filter((c) => !c.ok).map((c) => [c.name, c.supply, c.hint]), [["policy.reportData", ["policy.reportData"], "supply --report-data HEX (the nonce)"]]);

  // The flag is the policy's reportData: the same checks as a policy file saying it, 0x and case as hex is written.
  await writeFile(at("nonce-only.json"), JSON.stringify({ reportData: hex(NONCE) }));
  const now = ["--now", new Date().toISOString()]; // the details name the evaluation time
  const viaPolicy = JSON.parse(tsmkit("--json", "s.bin", ...SNP_TRUST, ...now, "--policy", "nonce-only.json").stdout);
  for (const flag of [hex(NONCE), `0x${hex(NONCE).toUpperCase()}`]) {
    const viaFlag = JSON.parse(tsmkit("--json", "s.bin", ...SNP_TRUST, ...now, "--report-data", flag).stdout);
    assert.is(viaFlag.ok, true, flag);
    assert.equal(viaFlag.checks, viaPolicy.checks);
  }
  // ... with the rest of a policy file, and agreeing with its reportData
  await writeFile(at("vmpl.json"), JSON.stringify({ allowedVmpls: [0], requireSingleSocket: false }));
  assert.is(tsmkit("s.bin", ...SNP_TRUST, "--policy", "vmpl.json", ...FRESH).status, 0);
  assert.is(tsmkit("s.bin", ...SNP_TRUST, "--policy", "nonce-only.json", ...FRESH).status, 0);
  // a wrong nonce names the first differing byte; a shorter one must be followed by zeros
  const wrong = tsmkit("s.bin", ...SNP_TRUST, "--report-data", hex(NONCE.map((b, i) => (i === 9 ? b ^ 0x10 : b))));
  assert.is(wrong.status, 1);
  assert.match(wrong.stdout, /FAIL {2}policy\.reportData +reportData differs at byte 9: /);
  assert.match(tsmkit("s.bin", ...SNP_TRUST, "--report-data", hex(NONCE.subarray(0, 32))).stdout, /FAIL {2}policy\.reportData +reportData differs at byte 32: /);

  // allowAnyReportData in the policy waives the check, and the verdict says so
  await writeFile(at("any.json"), JSON.stringify({ allowAnyReportData: true }));
  const any = tsmkit("s.bin", ...SNP_TRUST, "--policy", "any.json");
  assert.is(any.status, 0, any.stdout);
  assert.match(any.stdout, /\n {2}ok {4}policy\.reportData +reportData not compared \(policy\.allowAnyReportData: the evidence may be a replay\)\n/);
  const anyJson = JSON.parse(tsmkit("--json", "s.bin", ...SNP_TRUST, "--policy", "any.json").stdout);
  assert.equal(anyJson.checks.find((c) => c.name === "policy.reportData").waived, true);
});

test("--report-data refused (exit 2): not hex, empty, more than 64 bytes, or other than --policy's reportData", async () => {
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--report-data", "nonce"), /^tsmkit verify: --report-data: not hex: "nonce"\n$/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--report-data", "abc"), /--report-data: not hex: "abc"/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--report-data", ""), /--report-data: expected 1-64 bytes of hex, got 0/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--report-data", hex(NONCE) + "00"), /--report-data: expected 1-64 bytes of hex, got 65/);
  await writeFile(at("other-nonce-2.json"), JSON.stringify({ reportData: "00".repeat(64) }));
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--policy", "other-nonce-2.json", ...FRESH), /^tsmkit verify: --report-data differs from reportData in --policy other-nonce-2\.json\n$/);
  const j = tsmkit("--json", "s.bin", ...SNP_TRUST, "--report-data", "zz");
  assert.is(j.status, 2);
  assert.equal(JSON.parse(j.stdout), { error: { code: "BAD_VALUE", flag: "--report-data", message: '--report-data: not hex: "zz"' } });
  assert.match(tsmkit("--help").stdout + tsmkit("--help").stderr, /--report-data the nonce you asked the TEE to sign/);
});

test("a policy mismatch shows where the values differ: the differing rows, bytes marked", async () => {
  const want = NONCE.map((b, i) => (i === 40 || i === 41 ? b ^ 0xff : b));
  await writeFile(at("near-nonce.json"), JSON.stringify({ reportData: hex(want) }));
  const r = tsmkit("s.bin", ...SNP_TRUST, "--policy", "near-nonce.json");
  assert.is(r.status, 1);
  const lines = r.stdout.split("\n");
  const i = lines.findIndex((l) => /FAIL {2}policy\.reportData /.test(l));
  assert.ok(i > 0, r.stdout);
  assert.match(lines[i + 1], /^ +2 of 64 bytes differ:$/);
  assert.match(lines[i + 2], new RegExp(`^ +bytes 32-63 +actual {4}${hex(NONCE.subarray(32))}$`));
  assert.match(lines[i + 3], new RegExp(`^ +expected  ${hex(want.subarray(32))}$`));
  const marks = lines[i + 4];
  const col = lines[i + 2].indexOf(hex(NONCE.subarray(32)));
  assert.is(marks.slice(col), " ".repeat(16) + "^^^^", "bytes 40 and 41 marked, nothing else");
  assert.not.match(r.stdout, /bytes 0-31/, "a row that agrees is left out");
});

test("collateral recognised by content: Intel's names, tsmkit's names and random names verify identically", async () => {
  const outs = [];
  for (const [scheme, name] of SCHEMES.entries()) {
    await mkdir(at(name));
    for (const { src, names } of PIECES) await symlink(join(I, src), at(`${name}/${names[scheme]}`));
    const r = tsmkit(PROD, "--collateral", name, "--now", PROD_NOW, "--offline", ...PROD_FRESH);
    assert.is(r.status, 0, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^tsmkit verify: --collateral ${name}, recognised by content:\\n`));
    for (const [label, role] of [["TCB info", "tcbInfo"], ["QE identity", "qeIdentity"], ["Root CA CRL", "rootCaCrl"], ["PCK CA CRL", "pckCrl"]]) {
      const file = PIECES.find((p) => p.role === role).names[scheme];
      assert.match(r.stderr, new RegExp(`\\n {2}${file.replace(".", "\\.")} +${label} +`), `${name}: ${file} as ${label}`);
    }
    outs.push(r.stdout);
    const json = JSON.parse(tsmkit("--json", PROD, "--collateral", name, "--now", PROD_NOW, "--offline", ...PROD_FRESH).stdout);
    assert.equal(json.collateralFiles.files.map((f) => f.name).sort(), PIECES.map((p) => p.names[scheme]).sort());
  }
  assert.is(outs[1], outs[0]);
  assert.is(outs[2], outs[0]);
  // The bundle these pieces came from gives the same checks.
  const bundle = tsmkit(PROD, "--collateral", PROD_BUNDLE, "--now", PROD_NOW, "--offline", ...PROD_FRESH);
  assert.equal(printed(bundle.stdout).map(([s, n]) => [s, n]), printed(outs[0]).map(([s, n]) => [s, n]));

  // The simulator's `sim roots` directory, renamed at random, verifies its quote the same.
  await mkdir(at("sim-random"));
  for (const [i, f] of (await readdir(at("roots"))).entries()) await copyFile(at(`roots/${f}`), at(`sim-random/x${i}`));
  const named = tsmkit("q.bin", ...TDX_TRUST, ...FRESH, "--now", "2027-01-01T00:00:00Z");
  const random = tsmkit("q.bin", "--roots", at("roots/sgx-root-ca.pem"), "--collateral", "sim-random", "--offline", ...FRESH, "--now", "2027-01-01T00:00:00Z");
  assert.is(random.status, named.status);
  assert.is(random.stdout, named.stdout);
});

test("collateral that cannot be used: exit 2 naming what is missing and what was found", async () => {
  await mkdir(at("half"));
  await symlink(join(I, "dcap-qvl-tdx-b0c06f-tcbinfo.json"), at("half/a.json"));
  await symlink(join(I, "dcap-qvl-tdx-b0c06f-root-ca-crl.der"), at("half/b"));
  badInput(tsmkit(PROD, "--collateral", "half", "--offline"),
    /--collateral half: collateral qeIdentity: no QE identity \(found: a\.json: TDX TCB info v3, FMSPC b0c06f000000, .*; b: CRL issued by Intel SGX Root CA, /);
  const r = tsmkit("--json", PROD, "--collateral", "half", "--offline");
  assert.is(r.status, 2);
  assert.equal(Object.keys(JSON.parse(r.stdout).error), ["code", "flag", "message"]);
  assert.is(JSON.parse(r.stdout).error.code, "BAD_COLLATERAL");
});

test("text input: hex and base64 evidence on stdin verifies as its bytes do, and stderr says which", () => {
  const bin = JSON.parse(run(["--json", "-", "--collateral", PROD_BUNDLE, "--now", PROD_NOW, "--offline", ...PROD_FRESH], { input: data("tdx/dcap-qvl-tdx-quote-v4.dat") }).stdout);
  assert.is(bin.ok, true);
  for (const [encoding, text] of [["hex", `0x${data("tdx/dcap-qvl-tdx-quote-v4.dat").toString("hex").replace(/(.{64})/g, "$1\n")}`], ["base64", data("tdx/dcap-qvl-tdx-quote-v4.dat").toString("base64")]]) {
    const r = run(["--json", "-", "--collateral", PROD_BUNDLE, "--now", PROD_NOW, "--offline", ...PROD_FRESH], { input: text });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stderr, `tsmkit verify: input is ${encoding} text; decoded 5006 bytes\n`);
    assert.equal(JSON.parse(r.stdout), bin);
  }
  badInput(run(["-", "--offline"], { input: "0x04000200810" }), /UNKNOWN_FORMAT.*\(this looks like text, not binary evidence \(an odd number of hex digits \(11\)\)\)\n$/);
});

test("the table: each message the issue quoted, before -> after", async () => {
  await writeFile(at("q.hex"), hex(data("tdx/dcap-qvl-tdx-quote-v4.dat")));
  const rows = [
    { issue: "messages speak API: 'pass opts.auxblob or opts.certs, or a fetcher'",
      args: ["s.bin", "--roots", at("roots/amd-ark-milan.pem"), "--offline"], status: 1,
      before: /opts\./, after: /FAIL {2}snp\.certificates .*\n +supply --aux FILE or --certs FILE or allow fetching \(drop --offline\)\n/ },
    { issue: "a waiver named as an option key ('policy.allowUncheckedRevocation')",
      args: ["s.bin", "--aux", "a.bin", "--roots", at("roots/amd-ark-milan.pem"), "--offline"], status: 1,
      before: /supply policy\./, after: /FAIL {2}snp\.crl .*\n +supply --crl FILE or allow fetching \(drop --offline\) or set allowUncheckedRevocation in --policy FILE\n/ },
    { issue: "'OFFLINE: OFFLINE:' doubled",
      args: [PROD, "--offline", "--now", PROD_NOW], status: 1,
      before: /OFFLINE: OFFLINE:/, after: /FAIL {2}dcap\.collateral +.*\n +supply --collateral FILE or allow fetching \(drop --offline\)\n/ },
    { issue: "--aux on a TDX quote silently ignored",
      args: [PROD, "--aux", "a.bin", "--offline"], status: 2,
      before: /^verified|^NOT verified/, after: /^tsmkit verify: --aux is for a SEV-SNP certificate table; this evidence is a tdx-quote\n$/ },
    { issue: "--collateral on an SNP report silently ignored",
      args: ["s.bin", "--collateral", PROD_BUNDLE, "--offline"], status: 2,
      before: /^verified|^NOT verified/, after: /^tsmkit verify: --collateral is for Intel collateral \(SEV-SNP takes --aux, --certs and --crl\); this evidence is a snp-report\n$/ },
    { issue: "--crl on a TDX quote",
      args: [PROD, "--crl", at("roots/amd-crl-milan.der"), "--offline"], status: 2,
      before: /^verified|^NOT verified/, after: /^tsmkit verify: --crl is for SEV-SNP revocation .*; this evidence is a tdx-quote\n$/ },
    { issue: "--json usage errors come out as text",
      args: ["--json", "s.bin", "--bogus"], status: 2,
      before: /^tsmkit verify: /, after: /^\{\n {2}"error": \{\n {4}"code": "USAGE",\n {4}"flag": "--bogus",\n/ },
    { issue: "--now without a zone is read in local time",
      args: [PROD, "--collateral", PROD_BUNDLE, "--now", "2025-07-19T10:00:34", "--offline", ...PROD_FRESH], status: 0, env: { TZ: "Pacific/Kiritimati" },
      before: /NOT verified/, after: /^verified: UpToDate\nevaluated at 2025-07-19T10:00:34(\.000)?Z\n/ },
    { issue: "--now takes only what Date() parses",
      args: [PROD, "--now", "yesterday", "--offline"], status: 2,
      before: /not a time: "yesterday"\n$/, after: /^tsmkit verify: --now: not an ISO 8601 time \(e\.g\. 2025-07-19T10:00:34Z; no zone means UTC\) or Unix seconds: "yesterday"\n$/ },
    { issue: "a hex paste gives UNKNOWN_FORMAT with no hint",
      args: ["q.hex", "--collateral", PROD_BUNDLE, "--now", PROD_NOW, "--offline", ...PROD_FRESH], status: 0,
      before: /UNKNOWN_FORMAT/, after: /^verified: UpToDate\n/, stderr: /^tsmkit verify: input is hex text; decoded 5006 bytes\n$/ },
    { issue: "Intel's natural collateral names refused",
      args: [PROD, "--collateral", "intel", "--now", PROD_NOW, "--offline", ...PROD_FRESH], status: 0,
      before: /needs a \*tcbinfo\*\.json/, after: /^verified: UpToDate\n/ },
  ];
  const wrong = rows.flatMap((row) => {
    const r = run(row.args, { env: row.env });
    const out = r.status === 2 && !row.args.includes("--json") ? r.stderr : r.stdout;
    const ok = r.status === row.status && row.after.test(out) && !row.before.test(out) && (!row.stderr || row.stderr.test(r.stderr));
    return ok ? [] : [`${row.issue}: exit ${r.status}\n${r.stdout}${r.stderr}`];
  });
  assert.equal(wrong, [], wrong.join("\n\n"));
});

test("exit 2: bad --policy (not JSON, unknown key, wrong type), bad --now, missing files, undecodable evidence", async () => {
  await writeFile(at("not-json.json"), "{reportData:");
  await writeFile(at("typo.json"), JSON.stringify({ allowDebugg: true }));
  await writeFile(at("type.json"), JSON.stringify({ allowedVmpls: [7] }));
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--policy", "not-json.json"), /--policy not-json\.json: policy: not JSON/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--policy", "typo.json"), /--policy typo\.json: policy\.allowDebugg: unknown policy key/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--policy", "type.json"), /policy\.allowedVmpls: expected a list of 0-3/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--now", "2025-02-30T00:00:00Z"), /--now: not an ISO 8601 time/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--product", "Venice"), /--product: unknown product "Venice" \(known: Milan, Genoa, Turin\)/);
  badInput(tsmkit(PROD, "--product", "Milan", "--offline"), /--product is for the SEV-SNP product line; this evidence is a tdx-quote/);
  badInput(tsmkit("missing.bin", "--offline"), /cannot read missing\.bin: ENOENT/);
  badInput(tsmkit("s.bin", "--aux", "missing-aux.bin", "--offline"), /cannot read missing-aux\.bin: ENOENT/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--policy", "missing.json"), /cannot read missing\.json: ENOENT/);
  badInput(tsmkit("q.bin", "--collateral", "no-such-dir", "--offline"), /cannot read no-such-dir: ENOENT/);
  await writeFile(at("junk.bin"), Uint8Array.from({ length: 700 }, (_, i) => (i * 37 + 11) & 0xff));
  badInput(tsmkit("junk.bin", "--offline"), /^tsmkit verify: .*UNKNOWN_FORMAT.* at byte 0: /);
  await writeFile(at("short.bin"), snp.outblob.subarray(0, 0x100));
  badInput(tsmkit("short.bin", "--offline"), /snp-report: TRUNCATED/);
});

test("--json: every failure is one error object on stdout (usage, decode, verification)", async () => {
  const usage = tsmkit("--json", "s.bin", "--now", "soon");
  assert.is(usage.status, 2);
  assert.is(usage.stderr, "");
  assert.equal(JSON.parse(usage.stdout), { error: { code: "BAD_VALUE", flag: "--now", message: usage.stdout && JSON.parse(usage.stdout).error.message } });
  assert.match(JSON.parse(usage.stdout).error.message, /^--now: not an ISO 8601 time/);

  const decodeErr = tsmkit("--json", "short.bin", "--offline");
  assert.is(decodeErr.status, 2);
  const d = JSON.parse(decodeErr.stdout).error;
  assert.equal(Object.keys(d), ["code", "format", "field", "offset", "message"]);
  assert.is(d.code, "TRUNCATED");
  assert.is(d.format, "snp-report");

  const na = JSON.parse(tsmkit("--json", PROD, "--certs", "a.bin").stdout);
  assert.equal(na, { error: { code: "NOT_APPLICABLE", flag: "--certs", message: "--certs is for SEV-SNP certificates; this evidence is a tdx-quote" } });

  const failed = tsmkit("--json", "s.bin", "--aux", "a.bin", "--offline");
  assert.is(failed.status, 1);
  const v = JSON.parse(failed.stdout);
  assert.is(v.ok, false);
  assert.equal(v.error, { code: "NOT_VERIFIED", check: v.decidedBy, message: `check ${v.decidedBy} failed: ${v.checks.find((c) => !c.ok).detail}` });
  assert.is(v.evidence.format, "snp-report");
  assert.match(v.evaluatedAt, /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
  for (const c of v.checks.filter((x) => x.supply)) assert.match(c.hint, /^supply --/);
});

test("--json: the verdict object for a pass", () => {
  const pass = tsmkit("--json", "q.bin", ...TDX_TRUST, ...FRESH);
  assert.is(pass.status, 0);
  assert.ok(pass.stdout.endsWith("}\n"));
  const v = JSON.parse(pass.stdout);
  for (const k of ["ok", "status", "advisoryIds", "checks", "evidence", "decidedBy", "evaluatedAt", "collateralFiles"]) assert.ok(k in v, k);
  assert.not.ok("error" in v);
  assert.is(v.ok, true);
  assert.is(v.status, "UpToDate");
  assert.is(v.decidedBy, null);
  assert.ok(v.checks.every((c) => c.ok && typeof c.name === "string" && typeof c.detail === "string"));
  assert.is(v.evidence.format, "tdx-quote");
  assert.is(v.evidence.body.reportData, hex(NONCE));
  assert.ok(v.collateralFiles.files.some((f) => f.name === "sgx-root-ca.pem" && f.role === "ignored" && f.supply[0] === "roots"));
});

test.after(() => rm(dir, { recursive: true }));

test.run();
