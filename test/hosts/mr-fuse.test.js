// tsm-mr on the simulator's FUSE mount: DIR/measurements has tdx_guest's files and sysfs/tsm-mr
// semantics for any client (shell included), extends show in the quotes the mount signs, 8
// concurrent `tsmkit mr extend` processes leave a log that replays to the register, and the
// simulator's CCEL replays (with E3's core decoder) to the boot RTMR0-2 of those quotes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMount, isMounted } from "../../hosts/sim/mount-process.js";
import { decode } from "../../hosts/js/decode.js";
import { decodeEventLog, extendChains } from "../../hosts/js/eventlog.js";
import { parseRuntimeLog } from "../../hosts/js/runtime-log.js";
import { buildCcel } from "../../hosts/sim/ccel.js";
import { ROOT } from "../data.js";

const TMP = mkdtempSync(join(tmpdir(), "tsmkit-mr-fuse-"));
const CLI = join(ROOT, "hosts/node/cli.js");
const sha384 = (...parts) => { const h = createHash("sha384"); for (const p of parts) h.update(p); return h.digest(); };
const mounts = {};
let M, RTMR3;

test.before(async () => {
  mounts.tdx = await startMount(join(TMP, "tdx"), { provider: "tdx_guest" });
  mounts.old = await startMount(join(TMP, "old"), { provider: "tdx_guest", kernel: "6.11" });
  M = join(mounts.tdx.dir, "measurements");
  RTMR3 = join(M, "rtmr3:sha384");
});

test.after(async () => {
  for (const m of Object.values(mounts)) await m.stop();
  for (const m of Object.values(mounts)) assert.not.ok(await isMounted(m.dir), `${m.dir} still mounted`);
  rmSync(TMP, { recursive: true, force: true });
});

/** A quote from the mount's report directory (the configfs way), decoded. */
function quote(nonce = 7) {
  const item = join(mounts.tdx.dir, "report", `q${process.hrtime.bigint()}`);
  mkdirSync(item);
  try {
    writeFileSync(join(item, "inblob"), Buffer.alloc(64, nonce));
    return decode(readFileSync(join(item, "outblob"))).body;
  } finally {
    rmdirSync(item);
  }
}

const sh = (script) => spawnSync("bash", ["-c", script], { encoding: "utf8" });
const bytesPrintf = (bytes) => `printf '${[...bytes].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}'`;

test("the mount shows tdx_guest's measurements beside report/, with tsm-mr's names, modes and sizes", () => {
  assert.equal(readdirSync(mounts.tdx.dir), ["measurements", "report"]);
  assert.equal(readdirSync(M).sort(), ["mrconfigid", "mrowner", "mrownerconfig", "mrtd:sha384", "rtmr0:sha384", "rtmr1:sha384", "rtmr2:sha384", "rtmr3:sha384"]);
  for (const f of readdirSync(M)) {
    const st = statSync(join(M, f));
    assert.is(st.mode & 0o777, f.startsWith("rtmr") ? 0o644 : 0o444, f);
    assert.is(st.size, 48, f);
    assert.is(readFileSync(join(M, f)).length, 48, f);
  }
  assert.equal(readdirSync(mounts.old.dir), ["report"], "tsm-mr came with 6.16: a 6.11 profile has no measurements/");
});

test("shell parity: printf of 48 bytes extends as the kernel does; 47 bytes, an offset, or a read-only register are refused", () => {
  const before = readFileSync(RTMR3);
  const digest = sha384("shell event");
  let r = sh(`${bytesPrintf(digest)} > '${RTMR3}'`);
  assert.is(r.status, 0, r.stderr);
  const after = readFileSync(RTMR3);
  assert.equal(after, sha384(before, digest), "SHA-384(old || written)");

  r = sh(`${bytesPrintf(digest.subarray(0, 47))} > '${RTMR3}'`);
  assert.is.not(r.status, 0);
  assert.match(r.stderr, /Invalid argument/);
  r = sh(`${bytesPrintf(digest)} | dd of='${RTMR3}' bs=48 seek=1 conv=notrunc status=none`);
  assert.match(r.stderr, /File too large/, "at or past the end: EFBIG (sysfs)");
  r = sh(`${bytesPrintf(digest.subarray(0, 40))} | dd of='${RTMR3}' bs=40 seek=8 oflag=seek_bytes conv=notrunc status=none`);
  assert.match(r.stderr, /Invalid argument/, "not at offset 0: EINVAL (tsm-mr)");
  assert.equal(readFileSync(RTMR3), after, "refused writes leave the register alone");

  r = sh(`${bytesPrintf(digest)} > '${join(M, "mrtd:sha384")}'`);
  assert.match(r.stderr, /Permission denied/, "read-only registers refuse opening for write (EACCES), even for root");
  assert.is(quote().rtmr3, after.toString("hex"), "the next quote carries the extended RTMR3");
});

test("quotes carry the registers: MRTD and the rest as read, RTMR0-2 as the simulator's CCEL replays them", () => {
  const body = quote();
  for (const [file, field] of [["mrtd:sha384", "mrTd"], ["mrconfigid", "mrConfigId"], ["mrowner", "mrOwner"], ["mrownerconfig", "mrOwnerConfig"], ["rtmr0:sha384", "rtmr0"], ["rtmr1:sha384", "rtmr1"], ["rtmr2:sha384", "rtmr2"]]) {
    assert.is(body[field], readFileSync(join(M, file)).toString("hex"), field);
  }
  const { table, data } = buildCcel();
  const log = decodeEventLog(data, { table });
  for (const r of ["rtmr0", "rtmr1", "rtmr2"]) assert.is(log.replay[r], body[r], `${r}: CCEL replay (core decoder) = quote`);
  assert.ok(log.events.some((e) => e.register === "rtmr2"), "the log has kernel command-line events");
  const out = join(TMP, "ccel");
  const r = spawnSync(process.execPath, [CLI, "sim", "ccel", out], { encoding: "utf8" });
  assert.is(r.stdout, `${join(out, "CCEL")}\n${join(out, "data", "CCEL")}\n`, r.stderr);
  assert.equal(new Uint8Array(readFileSync(join(out, "CCEL"))), table, "tsmkit sim ccel writes the same table");
  assert.equal(new Uint8Array(readFileSync(join(out, "data", "CCEL"))), data, "and log");
});

test("8 processes extend RTMR3 at once: 8 distinct records, and log replay = register = quote", async () => {
  const log = join(TMP, "run", "runtime-log.jsonl");
  const start = readFileSync(RTMR3);
  const runs = Array.from({ length: 8 }, (_, i) => new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, "mr", "extend", "rtmr3", "--dir", M, "--log", log, "--data", `payload ${i}`, "--event", JSON.stringify({ name: `worker-${i}`, i })], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => { err += d; });
    p.on("exit", (code) => resolve({ code, err }));
  }));
  for (const { code, err } of await Promise.all(runs)) assert.is(code, 0, err);

  const { events } = parseRuntimeLog(readFileSync(log));
  assert.is(events.length, 8);
  assert.equal(events.map((e) => e.recnum), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(new Set(events.map((e) => e.content.name)).size, 8);
  for (const e of events) assert.is(e.digest, sha384(`payload ${e.content.i}`).toString("hex"), "data hashed with the register's algorithm");
  // Replay independently from the value before the workers ran (this suite extended it earlier).
  let v = start;
  for (const e of events) v = sha384(v, Buffer.from(e.digest, "hex"));
  assert.equal(readFileSync(RTMR3), v, "log replay = register");
  assert.is(quote(9).rtmr3, v.toString("hex"), "log replay = quote");
  // And through the verifier's chain helper, from the boot value: CCEL (nothing for RTMR3) + runtime log.
  const { table, data } = buildCcel();
  const chains = extendChains(decodeEventLog(data, { table }), events);
  assert.is(chains.rtmr3.length, 8);
  assert.is(readdirSync(join(TMP, "run")).length, 1, "no lock or intent left behind");
});

test.run();
