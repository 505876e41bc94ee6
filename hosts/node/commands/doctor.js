// `tsmkit doctor [--json] [--root DIR]`: what this machine offers for attestation, and for each
// thing missing the one command that fixes it. Exit status 0 when evidence can be acquired here
// (a configfs-tsm provider answers, or the legacy /dev/sev-guest works), 1 otherwise.
// Paths are read under TSMKIT_SYSROOT (default "/"), so tests run it on a fake /proc, /sys and
// /dev tree; --root points at another report directory (e.g. a `tsmkit sim mount`).
import { readFile, readdir, stat, access } from "node:fs/promises";
import { constants } from "node:fs";
import { join, dirname } from "node:path";
import { parse } from "./args.js";
import { configfsBackend, DEFAULT_ROOT } from "../configfs.js";
import { MEASUREMENTS_DIR } from "../mr.js";

const HELP = `usage: tsmkit doctor [--json] [--root DIR]
  --root  the configfs-tsm report directory to probe (default ${DEFAULT_ROOT})
  Checks the kernel, configfs, the TSM report directory, which provider answers (one probe item
  is made and removed), privlevel_floor, the legacy guest devices, tsm-mr measurement files and
  whether you may create report items. Exit status 0 when attestation is possible here.
  TSMKIT_SYSROOT=DIR reads /proc, /sys and /dev under DIR instead.`;

const SIM = "tsmkit report --backend sim --nonce";
const DEVICES = { sevGuest: "/dev/sev-guest", tdxGuest: "/dev/tdx_guest" };
const MEASUREMENTS = MEASUREMENTS_DIR; // tsm-mr, Linux 6.16+ (the core's tdx_guest group)
const DENIED = new Set(["EACCES", "EPERM", "EROFS"]);

export async function run(argv, io) {
  const { values } = parse(argv, { json: { type: "boolean" }, root: { type: "string" } }, { positionals: [0, 0], help: HELP });
  if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
  const result = await diagnose({ sysroot: process.env.TSMKIT_SYSROOT || "/", root: values.root });
  io.stdout.write(values.json ? JSON.stringify(result, null, 2) + "\n" : text(result));
  return result.attestation ? 0 : 1;
}

/**
 * Runs every check. Returns { attestation, backend, next, checks }: `checks` always lists the
 * same names in the same order, each { name, status, summary, value, fix } with status "ok",
 * "missing", "denied", "error" or "n/a", and fix the command to run (null when nothing to do).
 */
/** @param {{ sysroot?: string, root?: string }} [where] */
export async function diagnose({ sysroot = "/", root } = {}) {
  const host = (p) => join(sysroot, p);
  const release = (await readText(host("/proc/sys/kernel/osrelease")))?.trim() ?? null;
  const version = kernelVersion(release);
  const mounts = configfsMounts(await readText(host("/proc/mounts")));
  const reportDir = root ?? host(DEFAULT_ROOT);
  const reportPresent = await isDir(reportDir);
  const probe = reportPresent ? await probeProvider(reportDir) : null;
  const devices = {};
  for (const [k, p] of Object.entries(DEVICES)) devices[k] = await deviceState(host(p));
  const measurements = await list(host(MEASUREMENTS));
  const flags = cpuFlags(await readText(host("/proc/cpuinfo")));
  const tee = teeOf(probe?.provider, devices, flags);
  const loadProvider = tee === "sev-snp" ? "modprobe sev_guest" : tee === "tdx" ? "modprobe tdx_guest" : SIM;

  const checks = [
    kernelCheck(release, version, devices),
    check("tee", tee ? "ok" : "missing",
      tee ? `${tee} guest` : "none: no provider, guest device or tdx_guest/sev_snp CPU flag (not a confidential VM)",
      { tee }, tee ? null : SIM),
    configfsCheck(mounts, version),
    reportCheck(reportDir, reportPresent, root !== undefined, mounts, version),
    providerCheck(probe, loadProvider),
    floorCheck(probe),
    createCheck(probe),
    deviceCheck(devices, tee, loadProvider),
    measurementsCheck(measurements, tee, version),
  ];
  const backend = probe?.provider ? "configfs" : devices.sevGuest === "ok" ? "ioctl" : null;
  const next = backend === "configfs" ? `tsmkit report${root !== undefined ? ` --root ${shellWord(root)}` : ""} --nonce`
    : backend === "ioctl" ? "tsmkit report --backend ioctl --nonce"
      : checks.find((c) => c.fix)?.fix ?? SIM;
  return { attestation: backend !== null, backend, next, checks };
}

/** @param {string | null} [fix] */
function check(name, status, summary, value, fix = null) {
  return { name, status, summary, value, fix };
}

function kernelCheck(release, version, devices) {
  const value = { release };
  if (release === null) return check("kernel", "error", "cannot read /proc/sys/kernel/osrelease", value);
  if (atLeast(version, 6, 7)) return check("kernel", "ok", `Linux ${release}`, value);
  return check("kernel", "missing", `Linux ${release}: configfs-tsm needs 6.7 or later (older kernels have only the legacy devices)`, value,
    devices.sevGuest === "ok" ? "tsmkit report --backend ioctl --nonce" : "install a Linux 6.7+ kernel");
}

function configfsCheck(mounts, version) {
  const value = { mountpoints: mounts };
  if (mounts.length) return check("configfs", "ok", `mounted at ${mounts.join(", ")}`, value);
  if (version !== null && !atLeast(version, 6, 7)) return check("configfs", "n/a", "not mounted (configfs-tsm needs Linux 6.7+)", value);
  return check("configfs", "missing", "not mounted", value, "mount -t configfs none /sys/kernel/config");
}

function reportCheck(dir, present, given, mounts, version) {
  const value = { path: dir, present };
  if (present) return check("reportDir", "ok", `${dir} present`, value);
  // configfs mounted somewhere else: its report directory is there, not at the default path.
  const elsewhere = mounts.map((m) => join(m, "tsm", "report")).find((p) => p !== DEFAULT_ROOT);
  if (!given && elsewhere) return check("reportDir", "missing", `${dir} absent; configfs is mounted at ${dirname(dirname(elsewhere))}`, value, `tsmkit doctor --root ${shellWord(elsewhere)}`);
  if (!atLeast(version, 6, 7)) return check("reportDir", "missing", `${dir} absent (kernel before 6.7)`, value, null);
  if (!mounts.length && !given) return check("reportDir", "missing", `${dir} absent: configfs is not mounted`, value, "mount -t configfs none /sys/kernel/config");
  // The TSM core is module tsm (6.7-6.15) or tsm_report (6.16+); a provider module pulls it in.
  return check("reportDir", "missing", `${dir} absent: the TSM report core is not loaded`, value,
    `modprobe ${atLeast(version, 6, 16) ? "tsm_report" : "tsm"}`);
}

function providerCheck(probe, loadProvider) {
  if (!probe) return check("provider", "n/a", "not probed: no report directory", { provider: null });
  if (probe.cleanup) return check("provider", "error", `the probe item could not be removed`, { provider: probe.provider ?? null }, probe.cleanup);
  if (probe.provider) return check("provider", "ok", `${probe.provider} answers (probe item made and removed)`, { provider: probe.provider });
  if (probe.code === "ENXIO") return check("provider", "missing", "no provider registered (mkdir gives ENXIO)", { provider: null }, loadProvider);
  if (DENIED.has(probe.code)) return check("provider", "denied", `cannot create a probe item: ${probe.code}`, { provider: null }, "sudo tsmkit doctor");
  return check("provider", "error", `probe failed: ${probe.code}: ${probe.message}`, { provider: null });
}

function floorCheck(probe) {
  const floor = probe?.privlevelFloor ?? null;
  if (floor !== null) return check("privlevelFloor", "ok", `privlevel_floor ${floor}: request privlevel ${floor}..3`, { privlevelFloor: floor });
  return check("privlevelFloor", "n/a", probe?.provider ? `${probe.provider} shows no privlevel_floor` : "not probed: no provider", { privlevelFloor: null });
}

function createCheck(probe) {
  const uid = process.getuid?.() ?? null;
  const who = uid === 0 ? "root" : `uid ${uid}`;
  const value = { uid, root: uid === 0 };
  if (!probe) return check("createItems", "n/a", `not probed: no report directory (running as ${who})`, value);
  // mkdir checks permission before asking for a provider: ENXIO means the caller may create.
  if (probe.provider || probe.code === "ENXIO") return check("createItems", "ok", `${who} may create report items`, value);
  if (DENIED.has(probe.code)) return check("createItems", "denied", `${who} may not create report items (${probe.code}); configfs-tsm items are root's`, value, "sudo tsmkit doctor");
  return check("createItems", "error", `mkdir failed: ${probe.code}`, value);
}

function deviceCheck(devices, tee, loadProvider) {
  const present = Object.entries(devices).filter(([, s]) => s !== "absent");
  const summary = present.length ? present.map(([k, s]) => `${DEVICES[k]} ${s === "ok" ? "usable" : s}`).join(", ") : "neither /dev/sev-guest nor /dev/tdx_guest";
  if (present.some(([, s]) => DENIED.has(s))) return check("legacyDevices", "denied", summary, devices, "sudo tsmkit doctor");
  if (present.length) return check("legacyDevices", "ok", summary + (devices.tdxGuest === "ok" && devices.sevGuest !== "ok" ? " (a TDREPORT only: quotes come through configfs-tsm)" : ""), devices);
  return check("legacyDevices", tee ? "missing" : "n/a", summary, devices, tee ? loadProvider : null);
}

function measurementsCheck(files, tee, version) {
  const value = { path: MEASUREMENTS, files: files ?? [] };
  if (files) return check("measurements", "ok", `tsm-mr: ${files.join(" ")}`, value);
  if (tee !== "tdx") return check("measurements", "n/a", `no ${MEASUREMENTS} (tsm-mr is for TDX guests)`, value);
  return check("measurements", "missing", `no ${MEASUREMENTS} (tsm-mr needs Linux 6.16+)`, value,
    atLeast(version, 6, 16) ? "modprobe tdx_guest" : "install a Linux 6.16+ kernel");
}

/**
 * Makes one report item, reads provider and privlevel_floor, and removes it on every path.
 * Returns { provider, privlevelFloor, cleanup } or { code, message, cleanup }; cleanup is the
 * command that removes the item when rmdir failed (never expected), else null.
 */
async function probeProvider(dir) {
  const fs = configfsBackend(dir);
  const item = `tsmkit-doctor-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    await fs.mkdir(item);
  } catch (e) {
    return { code: e.code ?? "EIO", message: e.message, cleanup: null };
  }
  const out = {};
  try {
    out.provider = new TextDecoder().decode(await fs.read(`${item}/provider`)).trim();
    out.privlevelFloor = await fs.read(`${item}/privlevel_floor`).then((b) => Number(new TextDecoder().decode(b)), (e) => {
      if (e.code === "ENOENT") return null; // hidden: tdx_guest shows no privlevel attributes
      throw e;
    });
  } catch (e) {
    Object.assign(out, { provider: undefined, code: e.code ?? "EIO", message: e.message });
  }
  out.cleanup = await fs.rmdir(item).then(() => null, () => `rmdir ${shellWord(join(dir, item))}`);
  return out;
}

/** A path as one shell word, so each fix runs as printed. */
const shellWord = (p) => (/^[\w/.,:@%+=-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`);

function kernelVersion(release) {
  const m = /^(\d+)\.(\d+)/.exec(release ?? "");
  return m ? [Number(m[1]), Number(m[2])] : null;
}
const atLeast = (v, major, minor) => v !== null && (v[0] > major || (v[0] === major && v[1] >= minor));

/** Mount points of configfs in /proc/mounts (fields: source, target, fstype; octal escapes). */
function configfsMounts(mounts) {
  return (mounts ?? "").split("\n").map((l) => l.split(" ")).filter((f) => f[2] === "configfs")
    .map((f) => f[1].replace(/\\(\d{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8))));
}

function cpuFlags(cpuinfo) {
  const line = /^flags\s*:(.*)$/m.exec(cpuinfo ?? "");
  return new Set(line ? line[1].trim().split(/\s+/) : []);
}

/** Which TEE this guest is: from the provider that answered, the devices, else the CPU flags. */
function teeOf(provider, devices, flags) {
  if (provider === "tdx_guest" || devices.tdxGuest !== "absent" || flags.has("tdx_guest")) return "tdx";
  if (provider === "sev_guest" || devices.sevGuest !== "absent" || flags.has("sev_snp")) return "sev-snp";
  if (provider === "arm_cca_guest") return "cca";
  return provider ? provider : null;
}

async function deviceState(path) {
  try {
    await access(path, constants.R_OK | constants.W_OK); // the ioctls open it O_RDWR
    return "ok";
  } catch (e) {
    return e.code === "ENOENT" ? "absent" : e.code;
  }
}

async function readText(path) {
  return readFile(path, "utf8").catch(() => null);
}
async function isDir(path) {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
async function list(path) {
  return readdir(path).then((names) => names.sort(), () => null);
}

const MARK = { ok: "ok", missing: "missing", denied: "denied", error: "error", "n/a": "-" };

function text(r) {
  const width = Math.max(...r.checks.map((c) => c.name.length));
  const lines = r.checks.flatMap((c) => [
    `  ${MARK[c.status].padEnd(7)}  ${c.name.padEnd(width)}  ${c.summary}`,
    ...(c.fix ? [`  ${"".padEnd(7)}  ${"".padEnd(width)}  fix: ${c.fix}`] : []),
  ]);
  const head = r.attestation ? `attestation is possible here (${r.backend})` : "attestation is not possible here";
  return `tsmkit doctor: ${head}\n${lines.join("\n")}\nnext: ${r.next}\n`;
}
