// tsmkit.wasm runs the stub runtime (hosts/wasi/asconfig.json), which never frees: `show` of a
// 64 MiB pipe or file must still peak near 64 MiB, and `report --retries N` against the
// simulator's FUSE mount must take the same memory for N = 5 and N = 50.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../data.js";
import { startMount } from "../../hosts/sim/mount-process.js";
import { wasmtime } from "./wasi-engines.js";

const RUNNER = join(ROOT, "test", "hosts", "wasi-memory-run.js");
const MiB = 1 << 20;
const work = mkdtempSync(join(tmpdir(), "tsmkit-wasi-memory-"));

/**
 * One run under node:wasi with its memory measured (wasi-memory-run.js). Node's WASI fast calls
 * crash it once the memory has grown a few MiB (nodejs/node#53087), hence the flag.
 */
function measured(args, { dirs, input, skipSleeps } = {}) {
  const r = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", "--no-turbo-fast-api-calls", RUNNER,
    JSON.stringify({ args, dirs, skipSleeps })], { input, stdio: ["pipe", "pipe", "pipe", "pipe"], maxBuffer: 64 * MiB });
  if (r.signal) throw new Error(`tsmkit.wasm ${args.join(" ")} killed by ${r.signal}: ${r.stderr}`);
  return { ...JSON.parse(r.output[3]), stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

test("show: a 64 MiB file takes its size, a 64 MiB pipe at most 1.125 times it (were 512 MiB each)", () => {
  const n = 64 * MiB;
  const big = Buffer.alloc(n, 0x5a);
  writeFileSync(join(work, "big.bin"), big);
  const file = measured(["show", "/d/big.bin"], { dirs: [{ host: work, guest: "/d" }] });
  const pipe = measured(["show", "-"], { input: big });
  const wasmtimePipe = wasmtime(["show", "-"], { input: big });
  for (const [how, r] of [["file", file], ["pipe", pipe], ["wasmtime pipe", { status: wasmtimePipe.status, stderr: wasmtimePipe.stderr.toString() }]]) {
    assert.is(r.status, 2, how);
    assert.match(r.stderr, `UNKNOWN_FORMAT at byte 0: not a TDX/SGX quote`, how);
    assert.match(r.stderr, `(${n} bytes)`, `${how}: every byte read`);
  }
  // On top of the 1 MiB the command starts with: the file is read into a region its stat sized,
  // the pipe into one that grows by an eighth, in place.
  assert.ok(file.memory <= n + 2 * MiB, `file: ${file.memory / MiB} MiB`);
  assert.ok(pipe.memory <= n + n / 8 + 2 * MiB, `pipe: ${pipe.memory / MiB} MiB`);
});

/** `report --nonce --retries R` on a fresh mount whose provider answers EBUSY `busy` times (default: always). */
async function reportRetrying(provider, retries, busy) {
  const mnt = join(work, `mnt-${provider}-${retries}`);
  const m = await startMount(mnt, { provider, providerOptions: { fault: "EBUSY", ...(busy === undefined ? {} : { times: busy }) } });
  try {
    return measured(["report", "--nonce", "--retries", String(retries)], { dirs: [{ host: join(mnt, "report"), guest: "/tsm" }], skipSleeps: true });
  } finally {
    await m.stop();
  }
}

test("report --retries: 50 retries take the memory 5 take, failing (tdx_guest) or then succeeding (sev_guest)", async () => {
  const failing = [await reportRetrying("tdx_guest", 5), await reportRetrying("tdx_guest", 50)];
  for (const r of failing) {
    assert.is(r.status, 1);
    assert.match(r.stderr, /^tsmkit report: EBUSY on outblob/);
  }
  const succeeding = [await reportRetrying("sev_guest", 5, 5), await reportRetrying("sev_guest", 50, 50)];
  assert.match(succeeding[0].stdout, /\nattempts: 6\n/);
  assert.match(succeeding[1].stdout, /\nattempts: 51\n/);
  for (const [what, [five, fifty]] of [["failing", failing], ["succeeding", succeeding]]) {
    assert.is(fifty.memory, five.memory, `${what}: memory after 50 retries`);
    // A retry still allocates ~0.4 KiB: the machine's item name and error text, and views of
    // what it read (it took 12.5 KiB).
    const perRetry = (fifty.heapEnd - five.heapEnd) / 45;
    assert.ok(perRetry < 1024, `${what}: ${perRetry} bytes per retry`);
  }
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
