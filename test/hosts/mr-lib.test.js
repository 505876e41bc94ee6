// hosts/node/mr.js on a register the test controls: a FIFO in place of rtmr3:sha384 holds the
// extending process right between its log append and its register write, where it is killed
// (SIGKILL). The next extend must find the dead lock and the intent, and settle it from the
// register's value: rolled back (never extended), completed (extended), or refused (neither).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { MrError, extend, listRegisters, readRegister, recover, parseRegisterName } from "../../hosts/node/mr.js";
import { parseRuntimeLog } from "../../hosts/js/runtime-log.js";

const TMP = mkdtempSync(join(tmpdir(), "tsmkit-mr-lib-"));
const MR_URL = new URL("../../hosts/node/mr.js", import.meta.url).href;
const sha384 = (...parts) => { const h = createHash("sha384"); for (const p of parts) h.update(p); return h.digest(); };
const ZERO = Buffer.alloc(48);
let n = 0;

test.after(() => rmSync(TMP, { recursive: true, force: true }));

/** A measurements dir with rtmr3:sha384 (a regular file holding `value`) and a read-only mrowner. */
function group(value = ZERO) {
  const dir = join(TMP, `g${n++}`);
  mkdirSync(join(dir, "measurements"), { recursive: true });
  const m = join(dir, "measurements");
  writeFileSync(join(m, "rtmr3:sha384"), value);
  chmodSync(join(m, "rtmr3:sha384"), 0o644);
  writeFileSync(join(m, "mrowner"), ZERO);
  chmodSync(join(m, "mrowner"), 0o444);
  return { dir, m, log: join(dir, "run", "runtime-log.jsonl"), reg: join(m, "rtmr3:sha384") };
}

/**
 * Runs an extend of rtmr3 (data "killed") in a child process whose register is a FIFO: the test
 * feeds it the value `before`, waits until the record is in the log (the child then blocks opening
 * the FIFO to extend), and kills it. Returns the digest it was about to write.
 */
async function killBetweenAppendAndExtend(g, before = ZERO) {
  rmSync(g.reg);
  execFileSync("mkfifo", ["-m", "644", g.reg]);
  const child = spawn(process.execPath, ["--input-type=module", "-e",
    `const { extend } = await import(${JSON.stringify(MR_URL)}); await extend("rtmr3", { data: "killed", event: "killed-event" }, { dir: ${JSON.stringify(g.m)}, log: ${JSON.stringify(g.log)} });`,
  ], { stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const fifo = await open(g.reg, "w"); // the child's read of the value before
  await fifo.write(before);
  await fifo.close();
  for (let i = 0; !(existsSync(`${g.log}.intent`) && readFileSync(g.log, "utf8").split("\n").length === 3); i++) {
    assert.ok(i < 500, "the child never appended its record");
    await sleep(10);
  }
  await sleep(50); // it is now blocked in open() of the register, with no reader
  child.kill("SIGKILL");
  await exited;
  rmSync(g.reg);
  assert.ok(existsSync(`${g.log}.lock`), "the killed process left its lock");
  return sha384("killed");
}

const setRegister = (g, value) => { writeFileSync(g.reg, value); chmodSync(g.reg, 0o644); };

test("killed after appending, before extending: the next extend breaks the dead lock and rolls the record back", async () => {
  const g = group();
  await killBetweenAppendAndExtend(g);
  assert.is(parseRuntimeLog(readFileSync(g.log)).events.length, 1, "the orphan record is in the log");
  setRegister(g, ZERO); // the register never saw the write: plain files do not extend, so model it
  const r = await recover({ log: g.log });
  assert.equal(r, { outcome: "rolled-back", recnum: 1, register: "rtmr3", event: "killed-event", pid: r.pid });
  assert.equal(parseRuntimeLog(readFileSync(g.log)).events, []);
  assert.equal(readdirSync(join(g.dir, "run")), ["runtime-log.jsonl"], "intent and lock gone");
  assert.is(await recover({ log: g.log }), null, "nothing left to settle");
});

test("killed after the register took the write: the record is kept (completed), and extend reports it", async () => {
  const g = group();
  const digest = await killBetweenAppendAndExtend(g);
  setRegister(g, sha384(ZERO, digest)); // as if the kernel extended it just before the kill
  // extend() settles first; its own write to a plain file then does not extend, which it reports.
  const e = await extend("rtmr3", { data: "next", event: "next" }, { dir: g.m, log: g.log }).catch((x) => x);
  assert.instance(e, MrError);
  assert.is(e.code, "INTERRUPTED_EXTEND", e.message);
  const { events } = parseRuntimeLog(readFileSync(g.log));
  assert.equal(events.map((x) => x.content.name), ["killed-event", "next"], "the settled record stays; the new one waits for a person");
  assert.is(events[0].digest, digest.toString("hex"));
  assert.ok(existsSync(`${g.log}.intent`), "an unreconcilable state keeps its intent");
  const again = await extend("rtmr3", { data: "more", event: "more" }, { dir: g.m, log: g.log }).catch((x) => x);
  assert.is(again.code, "INTERRUPTED_EXTEND", "and refuses further extends (fail closed)");
});

test("a register that moved by itself is not reconciled: INTERRUPTED_EXTEND names the intent file", async () => {
  const g = group();
  await killBetweenAppendAndExtend(g);
  setRegister(g, Buffer.alloc(48, 0xee));
  const e = await recover({ log: g.log }).catch((x) => x);
  assert.instance(e, MrError);
  assert.is(e.code, "INTERRUPTED_EXTEND");
  assert.match(e.message, /runtime-log\.jsonl\.intent/);
  assert.is(parseRuntimeLog(readFileSync(g.log)).events.length, 1, "nothing is cut or added");
});

test("listing: NAME:HASH grammar, NOHASH, access from the mode; reading", async () => {
  const g = group(Buffer.alloc(48, 3));
  const regs = await listRegisters(g.m);
  assert.equal(regs.map(({ path, ...r }) => r), [
    { name: "mrowner", hashAlg: null, file: "mrowner", size: 48, readable: true, writable: false },
    { name: "rtmr3", hashAlg: "sha384", file: "rtmr3:sha384", size: 48, readable: true, writable: true },
  ]);
  assert.equal(parseRegisterName("a:b:sha256"), { name: "a:b", hashAlg: "sha256" });
  assert.equal(parseRegisterName("pcr:sha3-384"), { name: "pcr", hashAlg: "sha3-384" });
  // tsm-mr only writes kernel hash names after the colon: any other suffix is part of a NOHASH name.
  assert.equal(parseRegisterName("config:v2"), { name: "config:v2", hashAlg: null });
  assert.equal((await readRegister("rtmr3:sha384", { dir: g.m })).value, new Uint8Array(Buffer.alloc(48, 3)));
  const missing = await listRegisters(join(g.dir, "nope")).catch((x) => x);
  assert.is(missing.code, "NO_MEASUREMENTS");
  assert.match(missing.message, /Linux 6\.16/);
});

test("bad requests are typed errors before anything is written", async () => {
  const g = group();
  const opts = { dir: g.m, log: g.log };
  const code = (p) => p.then(() => "ok", (e) => (e instanceof MrError ? e.code : e.message));
  assert.is(await code(extend("mrowner", { data: "x", event: "e" }, opts)), "NOT_WRITABLE");
  assert.is(await code(extend("rtmr9", { data: "x", event: "e" }, opts)), "NO_REGISTER");
  assert.is(await code(extend("rtmr3", { digest: "00".repeat(47), event: "e" }, opts)), "BAD_DIGEST");
  assert.is(await code(extend("rtmr3", { digest: "00".repeat(48), data: "x", event: "e" }, opts)), "BAD_INPUT");
  assert.is(await code(extend("rtmr3", { data: "x", event: { path: "/x" } }, opts)), "BAD_EVENT");
  assert.not.ok(existsSync(g.log), "no log was started");
});

test.run();
