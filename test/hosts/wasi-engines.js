// Runs build/tsmkit.wasm on the two engines the tests use — the real wasmtime (through
// test/hosts/wasmtime_run.py, configured as `wasmtime run --dir` is) and Node's node:wasi (through
// the tsmkit-wasi launcher) — each as its own process, as a user runs them, capturing exit
// status, stdout and stderr as bytes. (Instantiating node:wasi hundreds of times in one test
// process crashed Node 20 with SIGSEGV now and then; one process per run is also the real use.)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../data.js";

const PYTHON = join(ROOT, ".venv", "bin", "python");
const RUNNER = join(ROOT, "test", "hosts", "wasmtime_run.py");
const LAUNCHER = join(ROOT, "hosts", "wasi", "node-launcher.js");
const WASM = join(ROOT, "build", "tsmkit.wasm");

const dirArgs = (dirs) => dirs.flatMap(({ host, guest }) => ["--dir", `${host}::${guest}`]);

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.signal) throw new Error(`${cmd} ${args.join(" ")} killed by ${r.signal}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Cache off (`-C cache=n`): wasmtime run's default cache would write compiled code into the
// user's ~/.cache/wasmtime; the tests check behaviour, which compiling every time does not change.
export function wasmtime(args, { dirs = [], input } = {}) {
  return run(PYTHON, [RUNNER, "-C", "cache=n", ...dirArgs(dirs), WASM, ...args], input);
}

export async function nodeWasi(args, { dirs = [], input } = {}) {
  return run(process.execPath, ["--disable-warning=ExperimentalWarning", LAUNCHER, ...dirArgs(dirs), ...args], input);
}
