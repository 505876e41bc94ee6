// The WASI command's `show` prints exactly what the Node CLI prints, on wasmtime and node:wasi,
// for every evidence file in the corpus (good ones and ones that fail to decode alike), CCA
// tokens and claims-sets included (claims-sets are never detected: also shown with their --format).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATA, data } from "../data.js";
import { prng } from "../prng.js";
import { main as cli } from "../../hosts/node/cli.js";
import { wasmtime, nodeWasi } from "./wasi-engines.js";

const dirs = [{ host: DATA, guest: "/data" }];
const FILES = ["tdx", "sgx", "snp", "cca"].flatMap((d) =>
  readdirSync(join(DATA, d)).filter((f) => !f.endsWith(".json") && !f.endsWith(".pem")).map((f) => `${d}/${f}`));
const CCA_CLAIMS = FILES.filter((f) => /^cca\/.*-claims-/.test(f));
const claimsFormat = (f) => /realm-v2-claims/.test(f) ? "cca-realm-claims" : "cca-platform-claims";

/** The Node CLI in-process, with stdout/stderr captured as bytes. */
async function nodeCli(args) {
  const chunks = { stdout: [], stderr: [] };
  const sink = (k) => ({ write: (s) => { chunks[k].push(Buffer.from(s)); return true; } });
  const status = await cli(args, { stdout: sink("stdout"), stderr: sink("stderr"), stdin: process.stdin });
  return { status, stdout: Buffer.concat(chunks.stdout), stderr: Buffer.concat(chunks.stderr) };
}

test("the corpus is there to compare", () => {
  assert.ok(FILES.length >= 86, `only ${FILES.length} files`);
  assert.is(FILES.filter((f) => f.startsWith("cca/")).length, 16);
  assert.is(CCA_CLAIMS.length, 6);
});

/**
 * Runs `args` (whose last item is a path under `host`, the guest's /data) on the Node CLI and both
 * WASI engines; all must agree byte for byte.
 */
async function sameOnEveryEngine(args, file, host = DATA) {
  const mapped = [{ host, guest: "/data" }];
  const want = await nodeCli([...args, join(host, file)]);
  // Node's text ends with a certificate summary (X.509 is parsed in JS, not in the core).
  const cut = want.stdout.indexOf("\ncertificates\n");
  const wantCore = cut < 0 ? want.stdout : want.stdout.subarray(0, cut + 1);
  for (const [engine, got] of [["wasmtime", wasmtime([...args, `/data/${file}`], { dirs: mapped })],
    ["node:wasi", await nodeWasi([...args, `/data/${file}`], { dirs: mapped })]]) {
    assert.is(got.status, want.status, `${engine} exit status for ${args.join(" ")} ${file}`);
    assert.ok(got.stdout.equals(wantCore), `${engine} stdout differs for ${args.join(" ")} ${file}`);
    assert.ok(got.stderr.equals(want.stderr), `${engine} stderr differs for ${args.join(" ")} ${file}`);
  }
  return want;
}

for (const mode of [["--json"], []]) {
  test(`show ${mode.join(" ") || "(text)"}: wasmtime and node:wasi print the Node CLI's bytes for every corpus file`, async () => {
    for (const file of FILES) await sameOnEveryEngine(["show", ...mode], file);
  });
}

test("show --format cca-*-claims: every CCA claims-set decodes (or is refused) alike on every engine", async () => {
  const statuses = [];
  for (const file of CCA_CLAIMS) {
    for (const mode of [["--json"], []]) statuses.push((await sameOnEveryEngine(["show", ...mode, "--format", claimsFormat(file)], file)).status);
  }
  // 3 valid and 3 negative claims-sets (MANIFEST.md), each in two modes
  assert.equal(statuses.sort(), [0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2]);
});

test("a CCA token cut short or corrupted (seeded) is the Node CLI's typed error on both engines, never a trap", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "tsmkit-wasi-cca-"));
  try {
    const full = data("cca/tfm-tools-cca-example-token-realm2.cbor");
    const rand = prng(0x907);
    const variants = [];
    for (let i = 0; i < 6; i++) variants.push(full.subarray(0, Math.floor(rand() * full.length)));
    for (let i = 0; i < 6; i++) {
      const b = Uint8Array.from(full);
      b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      variants.push(b);
    }
    let failed = 0;
    for (const [i, bytes] of variants.entries()) {
      writeFileSync(join(tmp, `v${i}.cbor`), bytes);
      if ((await sameOnEveryEngine(["show", "--json"], `v${i}.cbor`, tmp)).status === 2) failed++;
    }
    assert.ok(failed >= 6, `${failed} of ${variants.length} refused`); // every cut one at least
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("show reads standard input for -", async () => {
  const input = data("tdx/trustee-az-tdx-tdreport.dat");
  const want = await nodeCli(["show", "--json", join(DATA, "tdx/trustee-az-tdx-tdreport.dat")]);
  const got = wasmtime(["show", "--json", "-"], { input });
  assert.is(got.status, 0);
  assert.ok(got.stdout.equals(want.stdout));
  assert.is(JSON.parse(got.stdout).format, "tdreport");
});

test("show reads a pipe into the core's input region intact as it grows: certificates 64, 150 and 300 KiB in", async () => {
  // An SNP certificate table with its certificates moved: across the end of the input region's
  // first 64 KiB, and beyond, so the decode depends on every step of the region's growth.
  const table = data("snp/constructed-certtable-vcek-milan.bin");
  const at = [64 * 1024 - 680, 150 * 1024, 300 * 1024];
  const big = Buffer.alloc(at[2] + 4096, 0x5a);
  table.copy(big, 0, 0, table.readUInt32LE(16)); // {guid, offset u32, length u32}..., then zeros
  at.forEach((offset, i) => {
    const from = table.readUInt32LE(24 * i + 16), length = table.readUInt32LE(24 * i + 20);
    table.copy(big, offset, from, from + length);
    big.writeUInt32LE(offset, 24 * i + 16);
  });
  const tmp = mkdtempSync(join(tmpdir(), "tsmkit-wasi-pipe-"));
  try {
    writeFileSync(join(tmp, "certs.bin"), big);
    const want = await nodeCli(["show", "--json", join(tmp, "certs.bin")]);
    assert.is(want.status, 0);
    assert.equal(JSON.parse(want.stdout).entries.map((e) => e.offset), at);
    for (const [engine, got] of [["wasmtime", wasmtime(["show", "--json", "-"], { input: big })], ["node:wasi", await nodeWasi(["show", "--json", "-"], { input: big })]]) {
      assert.is(got.status, 0, engine);
      assert.ok(got.stdout.equals(want.stdout), `${engine}: stdout differs`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("show --provider P reads the bytes as P's outblob, on every engine as in the Node CLI", async () => {
  const quote = "tdx/go-tdx-guest-quote-v4-spr-e4.dat", snp = "snp/go-sev-guest-report-v2-milan.bin";
  const statuses = [];
  for (const [provider, file] of [["tdx_guest", quote], ["sev_guest", snp], ["sev_guest", quote], ["nope", snp]]) {
    for (const mode of [["--json"], []]) statuses.push((await sameOnEveryEngine(["show", ...mode, "--provider", provider], file)).status);
  }
  // A quote read as sev_guest's SNP report is refused; an unknown provider leaves detection on.
  assert.equal(statuses, [0, 0, 0, 0, 2, 2, 0, 0]);
});

test("a path outside every preopen is a clear error with status 2", () => {
  const got = wasmtime(["show", "/nowhere/x.bin"]);
  assert.is(got.status, 2);
  assert.match(got.stderr.toString(), /no preopened directory gives access to \/nowhere\/x\.bin/);
});

test("bad arguments exit 2 on both engines", async () => {
  for (const args of [["show", "--bogus", "x"], ["show"], ["show", "--format", "nope", "/data/x"], ["frobnicate"]]) {
    assert.is(wasmtime(args, { dirs }).status, 2, args.join(" "));
    assert.is((await nodeWasi(args, { dirs })).status, 2, args.join(" "));
  }
});

test("help exits 0 and names the commands", () => {
  const got = wasmtime(["help"]);
  assert.is(got.status, 0);
  assert.match(got.stdout.toString(), /show/);
});

test.run();
