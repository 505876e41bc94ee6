// The simulated arm_cca_guest mounted with FUSE and used as a guest uses configfs-tsm: the
// kernel's recipe with a 32-byte inblob, the token decoded (challenge = the inblob zero-padded to
// 64) and verified with the CPAK `tsmkit sim roots` wrote from the same TSMKIT_SIM_PKI, in a
// separate process; the legacy shape through `tsmkit sim mount --cca-legacy`; a WASI guest
// reading the token off the mount. Every mount is served by a child process and unmounted.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { startMount, isMounted } from "../../hosts/sim/mount-process.js";
import { forceUnmount } from "../../hosts/sim/mount.js";
import { decode } from "../../hosts/js/decode.js";
import { verify } from "../../hosts/js/verify/index.js";
import { getReport } from "../../hosts/node/report.js";
import { ROOT } from "../data.js";
import { wasmtime } from "../hosts/wasi-engines.js";

const TMP = mkdtempSync(join(tmpdir(), "tsmkit-cca-fuse-"));
const CLI = join(ROOT, "hosts", "node", "cli.js");
// Shared by this process, the mount servers it starts and `tsmkit sim roots` (env is inherited).
process.env.TSMKIT_SIM_PKI = join(TMP, "pki.json");
const hex = (b) => Buffer.from(b).toString("hex");
const padded = (inblob) => hex(inblob) + "00".repeat(64 - inblob.length);

let mount, roots;

/** The kernel's recipe in bash: make an item, write the inblob, read the outblob, remove the item. */
function recipe(dir, nonceFile, item) {
  const r = spawnSync("bash", ["-euo", "pipefail", "-c",
    `report=$MNT/${item}; mkdir $report; dd if=${nonceFile} of=$report/inblob status=none; cat $report/outblob > ${item}.cbor; cat $report/provider; rmdir $report`], {
    cwd: TMP, env: { ...process.env, MNT: join(dir, "report") }, encoding: "utf8", timeout: 30_000,
  });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, "arm_cca_guest\n");
  return readFileSync(join(TMP, `${item}.cbor`));
}

test.before(async () => {
  mount = await startMount(join(TMP, "cca"), { provider: "arm_cca_guest" });
  const r = spawnSync(process.execPath, [CLI, "sim", "roots", join(TMP, "roots")], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  roots = { cca: readFileSync(join(TMP, "roots", "cca-cpak.pem"), "utf8") };
});

test.after(async () => {
  await mount?.stop();
  assert.not.ok(await isMounted(mount.dir), `${mount.dir} still mounted`);
  rmSync(TMP, { recursive: true, force: true });
});

test("the kernel's recipe with a 32-byte inblob: a CMW token whose realm challenge is the inblob zero-padded, verified with sim roots' CPAK", async () => {
  const inblob = crypto.getRandomValues(new Uint8Array(32));
  writeFileSync(join(TMP, "nonce32"), inblob);
  const bytes = recipe(mount.dir, "nonce32", "report0");
  const t = decode(bytes, { provider: "arm_cca_guest" });
  assert.equal([t.collection, t.realm.claims.profileRules, t.platform.claims.profileRules], ["cmw", "2.0", "2.0"]);
  assert.is(t.realm.claims.challenge, padded(inblob));
  const v = await verify(bytes, { roots, policy: { reportData: padded(inblob) } });
  assert.ok(v.ok, JSON.stringify(v.checks.filter((c) => !c.ok)));
  assert.not.ok((await verify(bytes, { roots, policy: { reportData: padded(new Uint8Array(32)) } })).ok);
  assert.equal(readdirSync(join(mount.dir, "report")), []);
});

test("getReport (configfs backend) on the mount, 32 and 64 bytes; 31 bytes is EINVAL as the kernel says", async () => {
  const root = join(mount.dir, "report");
  for (const n of [32, 64]) {
    const inblob = crypto.getRandomValues(new Uint8Array(n));
    const r = await getReport({ inblob }, { backend: "configfs", root });
    assert.is(r.provider.trim(), "arm_cca_guest");
    assert.ok((await verify(r.outblob, { roots, policy: { reportData: padded(inblob) } })).ok, `${n} bytes`);
  }
  await getReport({ inblob: new Uint8Array(31) }, { backend: "configfs", root }).then(
    () => assert.unreachable("31 bytes accepted"), (e) => assert.is(e.code, "EINVAL"));
  assert.equal(readdirSync(root), []);
});

test("a WASI guest (wasmtime) reads the token off the mount and decodes it", () => {
  const inblob = crypto.getRandomValues(new Uint8Array(48));
  writeFileSync(join(TMP, "nonce48"), inblob);
  const report = join(mount.dir, "report");
  const setup = spawnSync("bash", ["-euo", "pipefail", "-c", `mkdir ${report}/wasi; cat nonce48 > ${report}/wasi/inblob`], { cwd: TMP, encoding: "utf8" });
  assert.is(setup.status, 0, setup.stderr);
  try {
    const got = wasmtime(["show", "--json", "/tsm/report/wasi/outblob"], { dirs: [{ host: mount.dir, guest: "/tsm" }] });
    assert.is(got.status, 0, got.stderr.toString());
    const t = JSON.parse(got.stdout);
    assert.equal([t.format, t.realm.claims.challenge], ["cca-token", padded(inblob)]);
  } finally {
    spawnSync("rmdir", [join(report, "wasi")]);
  }
});

test("`tsmkit sim mount --provider arm_cca_guest --cca-legacy` serves legacy tokens (tag 399) that verify too", async () => {
  const dir = join(TMP, "legacy");
  const child = spawn(process.execPath, [CLI, "sim", "mount", dir, "--provider", "arm_cca_guest", "--cca-legacy"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (s) => { stderr += s; });
  try {
    const [line] = await Promise.race([once(child.stdout, "data"), once(child, "exit").then(() => { throw new Error(`sim mount exited: ${stderr}`); })]);
    assert.match(String(line), /^mounted arm_cca_guest configfs-tsm at /);
    const inblob = crypto.getRandomValues(new Uint8Array(32));
    writeFileSync(join(TMP, "nonce32l"), inblob);
    const bytes = recipe(dir, "nonce32l", "legacy0");
    const t = decode(bytes);
    assert.equal([t.collection, t.realm.claims.profileRules, t.platform.claims.profile], ["legacy", "legacy", "http://arm.com/CCA-SSD/1.0.0"]);
    assert.is(t.realm.claims.challenge, padded(inblob));
    const v = await verify(bytes, { roots, policy: { reportData: padded(inblob) } });
    assert.ok(v.ok, JSON.stringify(v.checks.filter((c) => !c.ok)));
  } finally {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = await exited;
    if (await isMounted(dir)) await forceUnmount(dir);
    assert.is(code, 0, stderr);
  }
});

test("--cca-legacy without --provider arm_cca_guest is a usage error (exit 2) naming the flag", () => {
  const r = spawnSync(process.execPath, [CLI, "sim", "mount", join(TMP, "never"), "--cca-legacy"], { encoding: "utf8" });
  assert.is(r.status, 2);
  assert.match(r.stderr, /--cca-legacy shapes arm_cca_guest tokens; it needs --provider arm_cca_guest/);
});

test.run();
