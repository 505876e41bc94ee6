// Runs build/tsmkit.wasm on the two engines the tests use — the real wasmtime (through
// test/hosts/wasmtime_run.py, configured as `wasmtime run --dir` is) and Node's node:wasi —
// capturing exit status, stdout and stderr as bytes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, openSync, closeSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../data.js";
import { runWasi } from "../../hosts/wasi/node-launcher.js";

const PYTHON = join(ROOT, ".venv", "bin", "python");
const RUNNER = join(ROOT, "test", "hosts", "wasmtime_run.py");
const WASM = join(ROOT, "build", "tsmkit.wasm");

export function wasmtime(args, { dirs = [], input } = {}) {
  const dirArgs = dirs.flatMap(({ host, guest }) => ["--dir", `${host}::${guest}`]);
  const r = spawnSync(PYTHON, [RUNNER, ...dirArgs, WASM, ...args], { input, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function nodeWasi(args, { dirs = [], input } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), "tsmkit-wasi-"));
  try {
    const paths = ["stdin", "stdout", "stderr"].map((n) => join(tmp, n));
    const fds = [openSync(paths[0], "w+"), openSync(paths[1], "w+"), openSync(paths[2], "w+")];
    if (input) { closeSync(fds[0]); writeFileSync(paths[0], input); fds[0] = openSync(paths[0], "r"); }
    let status;
    try {
      status = await runWasi(args, { dirs, stdin: fds[0], stdout: fds[1], stderr: fds[2] });
    } finally {
      fds.forEach((fd) => closeSync(fd));
    }
    return { status, stdout: readFileSync(paths[1]), stderr: readFileSync(paths[2]) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
