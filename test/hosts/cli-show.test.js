// `tsmkit show` as a user runs it: a real process, exit statuses, one-line errors, no stacks.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { DATA, ROOT, data } from "../data.js";
import { decode } from "../../hosts/js/decode.js";

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
  assert.match(r.stdout, /\ntdInfo\n {2}attributes\s+0000000000000000\n/);
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

test.run();
