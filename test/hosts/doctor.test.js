// `tsmkit doctor` as a user runs it: a real process, against fake /proc, /sys and /dev trees
// (TSMKIT_SYSROOT) and the simulator's FUSE mount (--root), each finding shown present and absent.
// Every mount is stopped and every temporary directory removed at the end.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { ROOT } from "../data.js";
import { startMount } from "../../hosts/sim/mount-process.js";

const CLI = join(ROOT, "hosts", "node", "cli.js");
const TMP = mkdtempSync(join(tmpdir(), "tsmkit-doctor-"));
chmodSync(TMP, 0o755); // the unprivileged run below reads its tree
const mounts = [];
const SIM = "tsmkit report --backend sim --nonce";
const NAMES = ["kernel", "tee", "configfs", "reportDir", "provider", "privlevelFloor", "createItems", "legacyDevices", "measurements"];
const TDX_MRS = ["mrconfigid", "mrowner", "mrownerconfig", "mrtd:sha384", "rtmr0:sha384", "rtmr1:sha384", "rtmr2:sha384", "rtmr3:sha384"];

/** A fake root: `files` maps paths (e.g. "proc/mounts") to contents; a trailing "/" makes a directory. */
function tree(name, files) {
  const dir = join(TMP, name);
  mkdirSync(dir, { mode: 0o755 });
  for (const [p, content] of Object.entries(files)) {
    if (p.endsWith("/")) { mkdirSync(join(dir, p), { recursive: true, mode: 0o755 }); continue; }
    mkdirSync(dirname(join(dir, p)), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, p), content, { mode: 0o644 });
  }
  return dir;
}

const CONFIGFS_MOUNTED = "sysfs /sys sysfs rw 0 0\nconfigfs /sys/kernel/config configfs rw,nosuid,nodev,noexec,relatime 0 0\n";
function tdxGuest(name, release = "6.16.2") {
  return tree(name, {
    "proc/sys/kernel/osrelease": `${release}\n`,
    "proc/mounts": CONFIGFS_MOUNTED,
    "proc/cpuinfo": "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr pae tdx_guest x2apic\n",
    "dev/tdx_guest": "",
    ...Object.fromEntries(TDX_MRS.map((m) => [`sys/class/misc/tdx_guest/measurements/${m}`, ""])),
  });
}

/** Runs `tsmkit doctor ARGS` with TSMKIT_SYSROOT=sysroot; with json, parses stdout. */
function doctor(args, { sysroot, json = true, as } = {}) {
  const env = { ...process.env };
  if (sysroot) env.TSMKIT_SYSROOT = sysroot;
  else delete env.TSMKIT_SYSROOT;
  const argv = [CLI, "doctor", ...(json ? ["--json"] : []), ...args];
  const [cmd, cmdArgs] = as === undefined ? [process.execPath, argv]
    : ["setpriv", [`--reuid=${as}`, `--regid=${as}`, "--clear-groups", process.execPath, ...argv]];
  const r = spawnSync(cmd, cmdArgs, { env, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, out: json && r.stdout ? JSON.parse(r.stdout) : null };
}
const byName = (out) => Object.fromEntries(out.checks.map((c) => [c.name, c]));

/** The stable shape: every check, in order, with exactly these keys; verdict and next agree. */
function assertShape(out) {
  assert.equal(Object.keys(out), ["attestation", "backend", "next", "checks"]);
  assert.equal(out.checks.map((c) => c.name), NAMES);
  for (const c of out.checks) {
    assert.equal(Object.keys(c), ["name", "status", "summary", "value", "fix"], c.name);
    assert.ok(["ok", "missing", "denied", "error", "n/a"].includes(c.status), `${c.name}: ${c.status}`);
    assert.ok(c.fix === null || (typeof c.fix === "string" && c.fix.length > 0), c.name);
  }
  assert.is(out.attestation, out.backend !== null);
}

async function mount(name, opts) {
  const m = await startMount(join(TMP, name), opts);
  mounts.push(m);
  return join(m.dir, "report");
}

test.after(async () => {
  for (const m of mounts) await m.stop();
  rmSync(TMP, { recursive: true, force: true });
});

test("a machine with nothing: every finding absent with its fix, exit 1, and the simulator suggested", () => {
  const r = doctor([], { sysroot: tree("empty", {}) });
  assert.is(r.status, 1);
  assertShape(r.out);
  const c = byName(r.out);
  assert.equal([r.out.attestation, r.out.backend, r.out.next], [false, null, SIM]);
  assert.equal(Object.fromEntries(NAMES.map((n) => [n, c[n].status])), {
    kernel: "error", tee: "missing", configfs: "missing", reportDir: "missing", provider: "n/a",
    privlevelFloor: "n/a", createItems: "n/a", legacyDevices: "n/a", measurements: "n/a",
  });
  assert.is(c.tee.fix, SIM);
  assert.is(c.configfs.fix, "mount -t configfs none /sys/kernel/config");
  assert.equal(c.configfs.value, { mountpoints: [] });
  assert.equal(c.legacyDevices.value, { sevGuest: "absent", tdxGuest: "absent" });
  assert.equal(c.measurements.value.files, []);

  const text = doctor([], { sysroot: join(TMP, "empty"), json: false });
  assert.is(text.status, 1);
  assert.match(text.stdout, /^tsmkit doctor: attestation is not possible here\n/);
  assert.match(text.stdout, /\n {2}missing {2}tee +none: .*not a confidential VM\)\n +fix: tsmkit report --backend sim --nonce\n/);
  assert.match(text.stdout, /\nnext: tsmkit report --backend sim --nonce\n$/);
});

test("this machine: the verdict agrees with its findings, and without a TEE it says so and suggests the simulator", () => {
  const r = doctor([]);
  assertShape(r.out);
  assert.is(r.status, r.out.attestation ? 0 : 1);
  const c = byName(r.out);
  assert.ok(c.kernel.value.release, "the real kernel release is read");
  if (c.tee.value.tee === null) {
    assert.is(r.out.attestation, false);
    assert.is(c.tee.fix, SIM);
  }
});

test("a TDX guest (fake tree, FUSE mount): every finding present, exit 0, no item left, and the suggested command works", async () => {
  const report = await mount("tdx", { provider: "tdx_guest" });
  const r = doctor(["--root", report], { sysroot: tdxGuest("tdx-tree") });
  assert.is(r.status, 0, r.stderr);
  assertShape(r.out);
  const c = byName(r.out);
  assert.equal([r.out.attestation, r.out.backend], [true, "configfs"]);
  assert.equal(Object.fromEntries(NAMES.map((n) => [n, c[n].status])), {
    kernel: "ok", tee: "ok", configfs: "ok", reportDir: "ok", provider: "ok",
    privlevelFloor: "n/a", createItems: "ok", legacyDevices: "ok", measurements: "ok",
  });
  for (const x of r.out.checks) assert.is(x.fix, null, x.name);
  assert.equal(c.kernel.value, { release: "6.16.2" });
  assert.equal(c.tee.value, { tee: "tdx" });
  assert.equal(c.configfs.value, { mountpoints: ["/sys/kernel/config"] });
  assert.equal(c.provider.value, { provider: "tdx_guest" });
  assert.equal(c.privlevelFloor.value, { privlevelFloor: null }); // tdx_guest hides it
  assert.equal(c.createItems.value, { uid: 0, root: true });
  assert.equal(c.legacyDevices.value, { sevGuest: "absent", tdxGuest: "ok" });
  assert.match(c.legacyDevices.summary, /TDREPORT only/);
  assert.equal(c.measurements.value.files, [...TDX_MRS].sort());
  assert.equal(readdirSync(report), [], "the probe item is removed");

  assert.is(r.out.next, `tsmkit report --root ${report} --nonce`);
  const next = spawnSync(process.execPath, [CLI, ...r.out.next.split(" ").slice(1)], { encoding: "utf8", timeout: 30_000 });
  assert.is(next.status, 0, next.stderr);
  assert.match(next.stdout, /^provider: tdx_guest\n/);
  assert.equal(readdirSync(report), []);
});

test("an SEV-SNP guest shows its privlevel_floor", async () => {
  const report = await mount("sev", { provider: "sev_guest", privlevelFloor: 2 });
  const r = doctor(["--root", report], { sysroot: tree("sev-tree", { "proc/sys/kernel/osrelease": "6.11.0\n", "proc/mounts": CONFIGFS_MOUNTED, "dev/sev-guest": "" }) });
  assert.is(r.status, 0, r.stderr);
  const c = byName(r.out);
  assert.equal([c.provider.value.provider, c.tee.value.tee], ["sev_guest", "sev-snp"]);
  assert.equal([c.privlevelFloor.status, c.privlevelFloor.value], ["ok", { privlevelFloor: 2 }]);
  assert.match(c.privlevelFloor.summary, /privlevel 2\.\.3/);
  assert.equal([c.measurements.status, c.measurements.fix], ["n/a", null]); // tsm-mr is TDX's
  assert.equal(readdirSync(report), []);
});

test("no provider registered (module unloaded): mkdir's ENXIO names the module to load, exit 1", async () => {
  const report = await mount("gone", { provider: "tdx_guest" });
  mounts.at(-1).child.kill("SIGUSR2"); // unregisters the provider, as rmmod tdx_guest does
  await new Promise((r) => setTimeout(r, 200));
  const r = doctor(["--root", report], { sysroot: tdxGuest("gone-tree") });
  assert.is(r.status, 1);
  const c = byName(r.out);
  assert.equal([c.provider.status, c.provider.fix], ["missing", "modprobe tdx_guest"]);
  assert.is(c.createItems.status, "ok"); // permission is checked before the provider is asked
  assert.is(r.out.next, "modprobe tdx_guest");
  assert.equal(readdirSync(report), []);
});

test("configfs absent, mounted elsewhere, or without the TSM core: each with its own fix", () => {
  const base = { "proc/sys/kernel/osrelease": "6.16.0\n", "proc/cpuinfo": "flags\t: fpu tdx_guest\n" };
  const none = byName(doctor([], { sysroot: tree("no-configfs", { ...base, "proc/mounts": "sysfs /sys sysfs rw 0 0\n" }) }).out);
  assert.equal([none.configfs.status, none.reportDir.fix], ["missing", "mount -t configfs none /sys/kernel/config"]);
  const elsewhere = byName(doctor([], { sysroot: tree("elsewhere", { ...base, "proc/mounts": "none /mnt/my\\040config configfs rw 0 0\n" }) }).out);
  assert.equal(elsewhere.configfs.value, { mountpoints: ["/mnt/my config"] });
  assert.is(elsewhere.reportDir.fix, "tsmkit doctor --root '/mnt/my config/tsm/report'");
  const noCore = byName(doctor([], { sysroot: tree("no-core", { ...base, "proc/mounts": CONFIGFS_MOUNTED, "sys/kernel/config/": "" }) }).out);
  assert.equal([noCore.reportDir.status, noCore.reportDir.fix], ["missing", "modprobe tsm_report"]);
  const older = byName(doctor([], { sysroot: tree("no-core-6.8", { ...base, "proc/sys/kernel/osrelease": "6.8.0-45-generic\n", "proc/mounts": CONFIGFS_MOUNTED }) }).out);
  assert.is(older.reportDir.fix, "modprobe tsm"); // the core's module before 6.16
  assert.is(older.measurements.fix, "install a Linux 6.16+ kernel");
});

test("a kernel before 6.7 with /dev/sev-guest: attestation through the legacy device, exit 0", () => {
  const r = doctor([], { sysroot: tree("old-sev", { "proc/sys/kernel/osrelease": "6.5.0-1024-azure\n", "dev/sev-guest": "" }) });
  assert.is(r.status, 0);
  const c = byName(r.out);
  assert.equal([r.out.backend, r.out.next], ["ioctl", "tsmkit report --backend ioctl --nonce"]);
  assert.equal([c.kernel.status, c.kernel.fix], ["missing", "tsmkit report --backend ioctl --nonce"]);
  assert.equal([c.legacyDevices.status, c.legacyDevices.value.sevGuest], ["ok", "ok"]);
  assert.equal([c.configfs.status, c.configfs.fix], ["n/a", null]); // not what this kernel needs
  assert.is(c.reportDir.fix, null); // nothing to load on a kernel without configfs-tsm
});

test("a caller who may not create items is told so (EACCES), and how to run it", () => {
  const sysroot = tree("not-root", { "proc/sys/kernel/osrelease": "6.16.0\n", "proc/mounts": CONFIGFS_MOUNTED, "sys/kernel/config/tsm/report/": "" });
  const r = doctor([], { sysroot, as: 65534 });
  assert.is(r.status, 1, r.stderr);
  const c = byName(r.out);
  assert.equal([c.createItems.status, c.createItems.value], ["denied", { uid: 65534, root: false }]);
  assert.is(c.createItems.fix, "sudo tsmkit doctor");
  assert.equal([c.provider.status, c.provider.fix], ["denied", "sudo tsmkit doctor"]);
  assert.equal(readdirSync(join(sysroot, "sys/kernel/config/tsm/report")), []);
});

test("the probe item is removed when reading it fails (a report directory that is not configfs)", () => {
  const sysroot = tree("plain-dir", { "proc/sys/kernel/osrelease": "6.16.0\n", "sys/kernel/config/tsm/report/": "" });
  const r = doctor([], { sysroot });
  assert.is(r.status, 1);
  const c = byName(r.out);
  assert.is(c.provider.status, "error");
  assert.match(c.provider.summary, /ENOENT/);
  assert.equal(readdirSync(join(sysroot, "sys/kernel/config/tsm/report")), []);
});

test("usage errors exit 2", () => {
  for (const args of [["extra"], ["--nope"], ["--root"]]) {
    const r = doctor(args, { json: false });
    assert.is(r.status, 2, args.join(" "));
    assert.match(r.stderr, /^tsmkit doctor: /);
  }
});

test.run();
