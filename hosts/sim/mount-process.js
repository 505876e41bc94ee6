// A simulated configfs-tsm mount served by a child process, for tests and other suites: the
// caller may then use the mount with any fs call (sync ones included), which the serving process
// itself must never do.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { forceUnmount } from "./mount.js";

const SERVER = new URL("./mount-server.js", import.meta.url);

/** Whether `dir` is a mount point now (read without touching the mount itself). */
export async function isMounted(dir) {
  const abs = resolve(dir);
  const info = await readFile("/proc/self/mountinfo", "utf8");
  // Field 5 is the mount point, with spaces etc. octal-escaped.
  return info.split("\n").some((l) => l.split(" ")[4]?.replace(/\\(\d{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8))) === abs);
}

/**
 * Starts a mount server for `dir` (options as mountSim's: provider, providerOptions, kernel,
 * timeout) and resolves once the mount is live, to { dir, pid, stop() }. Rejects with the
 * server's stderr if it fails or takes longer than `startTimeout` ms.
 */
export function startMount(dir, { startTimeout = 10_000, ...opts } = {}) {
  const abs = resolve(dir);
  const child = spawn(process.execPath, [fileURLToPath(SERVER), abs, JSON.stringify(opts)], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (s) => { stderr += s; });
  const exited = new Promise((res) => child.once("exit", (code, signal) => res({ code, signal })));

  const stop = async (killAfter = 5_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), killAfter);
      await exited;
      clearTimeout(timer);
    }
    // A server that died (or was killed) without unmounting leaves a dead mount: detach it.
    if (await isMounted(abs)) await forceUnmount(abs);
  };

  return new Promise((res, rej) => {
    let settled = false;
    const fail = async (why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      await stop(0);
      rej(new Error(`sim mount at ${abs}: ${why}${stderr ? `\n${stderr}` : ""}`));
    };
    const timer = setTimeout(() => fail(`not live after ${startTimeout} ms`), startTimeout);
    exited.then(({ code, signal }) => fail(`server exited (${signal ?? code}) before mounting`));
    child.stdout.setEncoding("utf8").once("data", () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      res({ dir: abs, pid: child.pid, child, stop, stderr: () => stderr });
    });
  });
}
