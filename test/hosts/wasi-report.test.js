// `tsmkit.wasm report` against the simulator's real FUSE mount, on wasmtime and node:wasi (the
// mount is served by a child process: node:wasi makes synchronous fs calls). The JSON it prints
// is byte-identical to `tsmkit report --json`: provider, generation, attempts and, as evidence,
// `tsmkit show --json` of the outblob it wrote.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMount } from "../../hosts/sim/mount-process.js";
import { main as cli } from "../../hosts/node/cli.js";
import { wasmtime, nodeWasi } from "./wasi-engines.js";

const work = mkdtempSync(join(tmpdir(), "tsmkit-wasi-report-"));
const io = join(work, "io");
const engines = [["wasmtime", async (a, o) => wasmtime(a, o)], ["node:wasi", nodeWasi]];

async function showJson(file) {
  const out = [];
  const status = await cli(["show", "--json", file], { stdout: { write: (s) => out.push(Buffer.from(s)) }, stderr: { write() {} } });
  return { status, stdout: Buffer.concat(out) };
}

for (const provider of ["tdx_guest", "sev_guest", "arm_cca_guest"]) {
  test(`${provider}: report with and without privlevel, on both engines, decodes to the nonce`, async () => {
    const mnt = join(work, `mnt-${provider}`);
    const m = await startMount(mnt, { provider });
    try {
      const dirs = [{ host: join(mnt, "report"), guest: "/tsm" }, { host: work, guest: "/w" }];
      const cases = provider === "sev_guest" ? [[], ["--privlevel", "0"], ["--privlevel", "2"]] : [[]];
      for (const [engine, run] of engines) {
        for (const extra of cases) {
          const nonce = crypto.getRandomValues(new Uint8Array(64));
          writeFileSync(join(work, "nonce.bin"), nonce);
          const r = await run(["report", "--inblob-file", "/w/nonce.bin", "--out", "/w/out.bin", "--aux", "/w/aux.bin", "--json", ...extra], { dirs });
          assert.is(r.status, 0, `${engine} ${extra.join(" ")}: ${r.stderr}`);
          const printed = JSON.parse(r.stdout);
          assert.equal(Object.keys(printed), ["provider", "generation", "attempts", "evidence"], "the Node CLI's report --json members");
          assert.is(printed.provider, provider);
          const decoded = printed.evidence;
          const reportData = decoded.body?.reportData ?? decoded.reportData ?? decoded.realm?.claims.challenge;
          assert.is(reportData, Buffer.from(nonce).toString("hex"), `${engine}: report data is the nonce`);
          if (provider === "sev_guest") {
            assert.is(decoded.vmpl, extra.length ? Number(extra[1]) : 0);
            assert.is(JSON.parse((await showJson(join(work, "aux.bin"))).stdout).format, "snp-certs");
          }
          // Byte for byte what `tsmkit report --json` prints (JSON.stringify(..., null, 2)) around
          // `tsmkit show --json` of the outblob it wrote.
          const show = await showJson(join(work, "out.bin"));
          const node = JSON.stringify({ provider, generation: printed.generation, attempts: printed.attempts, evidence: JSON.parse(show.stdout) }, null, 2) + "\n";
          assert.is(r.stdout.toString(), node, `${engine}: report --json is the Node CLI's envelope, byte for byte`);
        }
        const text = await run(["report", "--nonce"], { dirs });
        assert.is(text.status, 0);
        assert.match(text.stdout.toString(), new RegExp(`^provider: ${provider}\\ngeneration: \\d+\\nattempts: 1\\n`));
      }
      assert.equal(readdirSync(join(mnt, "report")), [], "no item left behind");
    } finally {
      await m.stop();
    }
  });
}

test("errors: missing preopen, wrong inblob size, option the provider hides — clear message, status, no item left", async () => {
  const mnt = join(work, "mnt-errors");
  const m = await startMount(mnt, { provider: "tdx_guest" });
  try {
    const dirs = [{ host: join(mnt, "report"), guest: "/tsm" }];
    for (const [engine, run] of engines) {
      const none = await run(["report", "--nonce"], { dirs: [] });
      assert.is(none.status, 1, engine);
      assert.match(none.stderr.toString(), /no configfs-tsm report directory at \/sys\/kernel\/config\/tsm\/report: run with --dir/);

      const short = await run(["report", "--inblob", "00".repeat(63)], { dirs });
      assert.is(short.status, 1, engine);
      assert.match(short.stderr.toString(), /^tsmkit report: EINVAL on inblob: tdx_guest needs an inblob of exactly 64 bytes, got 63/);

      const hidden = await run(["report", "--nonce", "--privlevel", "1"], { dirs });
      assert.is(hidden.status, 1, engine);
      assert.match(hidden.stderr.toString(), /ENOENT on privlevel: tdx_guest does not expose privlevel/);

      const json = await run(["report", "--inblob", "00", "--json"], { dirs });
      assert.is(json.status, 1);
      assert.equal(Object.keys(JSON.parse(json.stdout).error), ["code", "errno", "attribute", "message", "advice", "attempts"]);

      for (const args of [["report"], ["report", "--nonce", "--inblob", "00"], ["report", "--inblob", "zz"], ["report", "--nonce", "--privlevel", "-1"], ["report", "--nonce", "--backend", "sim"]]) {
        assert.is((await run(args, { dirs })).status, 2, `${engine} ${args.join(" ")}`);
      }
    }
    assert.equal(readdirSync(join(mnt, "report")), [], "no item left behind");
  } finally {
    await m.stop();
  }
});

test("provider gone (module unloaded): ENXIO with advice, exit 1, no item left — wasmtime, node:wasi and getReport", async () => {
  const mnt = join(work, "mnt-gone");
  const m = await startMount(mnt, { provider: "tdx_guest" });
  try {
    const dirs = [{ host: join(mnt, "report"), guest: "/tsm" }];
    assert.is((await wasmtime(["report", "--nonce"], { dirs })).status, 0);
    process.kill(m.pid, "SIGUSR2");
    await new Promise((r) => setTimeout(r, 300));
    for (const [engine, run] of engines) {
      const r = await run(["report", "--nonce"], { dirs });
      assert.is(r.status, 1, engine);
      // wasmtime 49 hands a guest the host's ENXIO from mkdir as EIO (its errno table has no
      // ENXIO for filesystem calls); node:wasi passes ENXIO through.
      const want = engine === "wasmtime" ? /^tsmkit report: EIO: mkdir .*ENXIO \(no TSM provider/ : /^tsmkit report: ENXIO: mkdir .*provider/;
      assert.match(r.stderr.toString(), want, `${engine}: ${r.stderr}`);
    }
    const { getReport } = await import("../../hosts/node/report.js");
    const e = await getReport({ inblob: new Uint8Array(64) }, { root: join(mnt, "report") }).catch((x) => x);
    assert.is(e.code, "ENXIO");
    assert.equal(readdirSync(join(mnt, "report")), [], "no item left behind");
  } finally {
    await m.stop();
  }
});

test.after(() => rmSync(work, { recursive: true, force: true }));


test.run();
