// The simulated configfs-tsm as a real mounted filesystem: DIR shows what
// /sys/kernel/config/tsm shows (DIR/report/<item>/...), served by a KernelModel through FUSE, so any
// process (shell, Python, Node, a WASI guest) sees the kernel's file semantics.
//
// The process that serves a mount must never make a synchronous fs call on it (it would wait on
// itself in uninterruptible sleep); use async calls, or another process (./mount-process.js).
import { createRequire } from "node:module";
import { execFile } from "node:child_process";
import { KernelModel } from "../kernel/model.js";
import { createProvider } from "./providers/index.js";
import { fuseOps } from "./fuse.js";

const require = createRequire(import.meta.url);

/** The FUSE class with direct_io, which the binding has no option for: without it the kernel
 * trims reads to st_size (configfs's: 0 for a binary attribute, 4096 for a text one) instead of
 * returning what the server gives. */
function directIoFuse() {
  const Fuse = require("@cocalc/fuse-native"); // optional dependency: loaded only to mount
  return class DirectIoFuse extends Fuse {
    _fuseOptions() {
      const opts = super._fuseOptions();
      return opts ? `${opts},direct_io` : "-odirect_io";
    }
  };
}

/** Lazily detaches DIR (a stale mount of a killed server, or ours after a failed unmount). */
export function forceUnmount(dir) {
  return new Promise((resolve) => execFile("fusermount", ["-uz", dir], () => resolve()));
}

/**
 * Mounts a simulated configfs-tsm at `dir` (created if missing; a stale mount there is replaced).
 * Options: provider (name, default "tdx_guest"), providerOptions (createProvider's: latencyMs,
 * fault, ...), kernel, privlevelFloor and svsm (KernelModel's), or tsm (an existing KernelModel instead);
 * timeout (ms a FUSE request may take before the caller sees ETIMEDOUT; default 60 s, above
 * TDX's 30 s GetQuote limit).
 * Resolves to { dir, tsm, unmount() } once the kernel routes requests to it.
 */
export async function mountSim(dir, opts = {}) {
  const { provider = "tdx_guest", providerOptions, kernel, privlevelFloor, svsm, timeout = 60_000 } = opts;
  const tsm = opts.tsm ?? new KernelModel({ provider: createProvider(provider, providerOptions), kernel, privlevelFloor, svsm });
  const Fuse = directIoFuse();
  const fuse = new Fuse(dir, fuseOps(tsm), { force: true, mkdir: true, timeout });
  await new Promise((resolve, reject) => fuse.mount((err) => (err ? reject(err) : resolve())));
  let unmounted;
  return {
    dir: fuse.mnt,
    tsm,
    /** Unmounts (lazily, so open descriptors elsewhere cannot keep it busy); idempotent. */
    unmount() {
      unmounted ??= new Promise((resolve) => fuse.unmount((err) => (err ? forceUnmount(fuse.mnt).then(resolve) : resolve())));
      return unmounted;
    },
  };
}

/**
 * Serves a mount in the foreground until SIGINT or SIGTERM, then unmounts (`tsmkit sim mount`).
 * Prints one line to `stdout` once the mount is live; resolves to the exit status: 0 after a
 * clean unmount, 2 for a bad option (unknown provider or kernel), 1 if mounting failed (one line
 * on `stderr` says why).
 */
export async function runMount(dir, opts = {}) {
  const { stdout = process.stdout, stderr = process.stderr } = opts;
  let mount;
  try {
    mount = await mountSim(dir, opts);
  } catch (err) {
    stderr.write(`tsmkit sim mount: cannot mount at ${dir}: ${err.message}\n`);
    return err instanceof TypeError || err instanceof RangeError ? 2 : 1;
  }
  // SIGUSR2 unregisters the provider, as unloading its module does: items stay, access gives ENXIO.
  const providerGone = () => { mount.tsm.unregisterProvider().catch((e) => stderr.write(`tsmkit sim mount: ${e.message}\n`)); };
  process.on("SIGUSR2", providerGone);
  const stopped = new Promise((resolve) => {
    const stop = () => {
      for (const sig of ["SIGINT", "SIGTERM"]) process.off(sig, stop);
      process.off("SIGUSR2", providerGone);
      mount.unmount().then(() => resolve(0));
    };
    for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, stop);
  });
  stdout.write(`mounted ${opts.tsm ? "" : `${opts.provider ?? "tdx_guest"} `}configfs-tsm at ${mount.dir} (items under ${mount.dir}/report); SIGUSR2 unregisters the provider; SIGINT or SIGTERM unmounts\n`);
  return stopped;
}
