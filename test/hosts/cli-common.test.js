// What every tsmkit command shares, as a user runs it (real processes): --version, one JSON error
// shape under --json for usage mistakes in any command, evidence pasted as hex or base64 for
// `show`, and `report --json` keeping where the evidence came from beside it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { ROOT, data, expected } from "../data.js";
import { decode } from "../../hosts/js/decode.js";
import { main } from "../../hosts/node/cli.js";

const CLI = join(ROOT, "hosts", "node", "cli.js");
const tsmkit = (args, input) => spawnSync(process.execPath, [CLI, ...args], { input, encoding: "utf8" });
/** The CLI in this process (for loops over the corpus): { status, stdout, stderr } as a spawn gives. */
async function inProcess(args, input) {
  const out = [], err = [];
  const status = await main(args, { stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => err.push(s) }, stdin: Readable.from([Buffer.from(input)]) });
  return { status, stdout: out.join(""), stderr: err.join("") };
}
const VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;

test("--version prints package.json's version; help says npx tsmkit", () => {
  const r = tsmkit(["--version"]);
  assert.is(r.status, 0);
  assert.is(r.stdout, `tsmkit ${VERSION}\n`);
  assert.match(tsmkit(["--help"]).stdout, /^usage: npx tsmkit <command> \[options\]/);
  assert.match(tsmkit(["verify", "--help"]).stdout, /^usage: npx tsmkit verify /);
});

test("--json: usage mistakes in every command are one error object on stdout naming the flag, exit 2", () => {
  const rows = [
    [["show", "--json", "--format", "zip", "x"], { code: "BAD_VALUE", flag: "--format", message: 'unknown format "zip"' }],
    [["show", "--json", "--bogus", "x"], { code: "USAGE", flag: "--bogus" }],
    [["verify", "--json"], { code: "USAGE", message: "expected 1 argument(s), got 0" }],
    [["report", "--json", "--nonce", "--backend", "tpm"], { code: "BAD_VALUE", flag: "--backend", message: 'unknown backend "tpm"' }],
    [["report", "--json", "--nonce", "--provider", "sev_guest"], { code: "NOT_APPLICABLE", flag: "--provider" }],
    [["report", "--json", "--nonce", "--retries", "-1"], { code: "USAGE", flag: "--retries" }],
    [["report", "--json", "--inblob", "zz", "--backend", "sim"], { code: "BAD_VALUE", flag: "--inblob", message: '--inblob: not hex: "zz"' }],
    [["nonsense", "--json"], { code: "USAGE", message: 'unknown command "nonsense" (commands: show, report, verify, eventlog, mr, sim, doctor)' }],
  ];
  for (const [args, want] of rows) {
    const r = tsmkit(args);
    assert.is(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.is(r.stderr, "", args.join(" "));
    const { error } = JSON.parse(r.stdout);
    for (const [k, v] of Object.entries(want)) assert.is(error[k], v, `${args.join(" ")}: ${k}`);
    assert.type(error.message, "string");
    assert.not.match(error.message, /usage:/, "help stays out of the JSON form");
  }
  // Without --json the same mistake is one line plus the command's help, on stderr.
  const text = tsmkit(["show", "--format", "zip", "x"]);
  assert.is(text.status, 2);
  assert.match(text.stderr, /^tsmkit show: unknown format "zip"\nusage: tsmkit show /);
});

test("show: hex and base64 pastes of every corpus evidence file print exactly the JSON of its bytes; stderr says which", async () => {
  for (const file of Object.keys(expected)) {
    const bytes = data(file);
    const bin = await inProcess(["show", "--json", "-"], bytes);
    for (const [encoding, text] of [["hex", `0x${bytes.toString("hex").replace(/(.{80})/g, "$1\n")}\n`], ["base64", bytes.toString("base64").replace(/(.{76})/g, "$1\r\n")]]) {
      const r = await inProcess(["show", "--json", "-"], text);
      assert.is(r.status, bin.status, `${file} as ${encoding}`);
      assert.is(r.stdout, bin.stdout, `${file} as ${encoding}: the same JSON, byte for byte`);
      assert.is(r.stderr.split("\n")[0], `tsmkit show: input is ${encoding} text; decoded ${bytes.length} bytes`);
    }
  }
  const one = tsmkit(["show", "--json", "-"], data("tdx/dcap-qvl-tdx-quote-hex.dat").toString("hex"));
  assert.equal(JSON.parse(one.stdout), decode(data("tdx/dcap-qvl-tdx-quote-hex.dat")));
});

test("show: text under a forced --format is decoded as binary, fails, and is named for what it looks like", () => {
  const q = data("tdx/dcap-qvl-tdx-quote-v4.dat");
  const hex = tsmkit(["show", "--format", "quote", "-"], q.toString("hex"));
  assert.is(hex.status, 2);
  assert.is(hex.stdout, "");
  assert.match(hex.stderr, /^tsmkit: quote: \S+ .*\ntsmkit show: this looks like hex text; without --format it is decoded as such\n$/);
  const b64 = tsmkit(["show", "--json", "--format", "snp-report", "-"], data("snp/go-sev-guest-report-v2-milan.bin").toString("base64"));
  assert.is(b64.status, 2);
  assert.is(JSON.parse(b64.stdout).error.format, "snp-report", "stdout stays the decoder's JSON error");
  assert.is(b64.stderr, "tsmkit show: this looks like base64 text; without --format it is decoded as such\n");
  const odd = tsmkit(["show", "-"], "0x0400020");
  assert.is(odd.status, 2);
  assert.match(odd.stderr, /UNKNOWN_FORMAT.*\ntsmkit show: this looks like text, not binary evidence \(an odd number of hex digits \(7\)\)\n$/);
});

test("report --json: provider, generation and attempts beside the evidence (as show --json decodes it)", () => {
  for (const provider of ["tdx_guest", "sev_guest", "arm_cca_guest"]) {
    const r = tsmkit(["report", "--backend", "sim", "--provider", provider, "--nonce", "--json"]);
    assert.is(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(Object.keys(out), ["provider", "generation", "attempts", "evidence"]);
    assert.is(out.provider, provider);
    assert.type(out.generation, "number");
    assert.is(out.attempts, 1);
    assert.is(out.evidence.format, { tdx_guest: "tdx-quote", sev_guest: "snp-report", arm_cca_guest: "cca-token" }[provider]);
  }
});

test.run();
