// Suite "wasi": cold start of the WASI command, process start to exit, under the real wasmtime
// runner (test/hosts/wasmtime_run.py: a fresh engine compiles the module on every run) against
// a hello-world AssemblyScript command built by this suite with the same wasi-shim asconfig
// options as build/tsmkit.wasm. The difference is what tsmkit's own code costs to start.
import asc from "assemblyscript/asc";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { DATA, ROOT } from "../data.js";

export const name = "wasi";
export const title = "WASI command cold start under wasmtime (process start to exit)";

const PYTHON = join(ROOT, ".venv", "bin", "python");
const RUNNER = join(ROOT, "test", "hosts", "wasmtime_run.py");
const TSMKIT = join(ROOT, "build", "tsmkit.wasm");
const HELLO = "hello-world (AssemblyScript, same asconfig)";
const FILE = "tdx/dcap-qvl-tdx-quote-v4.dat";

/** What is missing to run this suite (the wasmtime wheel in .venv), or null. */
export function missing() {
  const r = spawnSync(PYTHON, ["-c", "import wasmtime"], { encoding: "utf8" });
  if (r.status === 0) return null;
  const why = r.error ? `${relative(ROOT, PYTHON)} does not exist` : `${relative(ROOT, PYTHON)} cannot import wasmtime`;
  return `the wasmtime engine is missing (${why}): \`bash test/setup.sh\` installs it into .venv`;
}

/** Compiles fixtures/hello.ts with the options hosts/wasi/asconfig.json gives tsmkit.wasm. */
async function buildHello(outDir) {
  const cfgPath = join(ROOT, "hosts", "wasi", "asconfig.json");
  const cfg = JSON.parse(readFileSync(cfgPath, "utf8"));
  // asc resolves an extended config's "lib" only from a path relative to the working directory.
  const rel = (p) => relative(process.cwd(), p);
  const args = [rel(join(ROOT, "test", "bench", "fixtures", "hello.ts")), "--config", rel(join(dirname(cfgPath), cfg.extends))];
  for (const [k, v] of Object.entries(cfg.options)) {
    if (k === "outFile" || v === false) continue;
    args.push(`--${k}`, ...(v === true ? [] : [String(v)]));
  }
  const outFile = join(outDir, "hello.wasm");
  args.push("--outFile", outFile);
  const stdout = asc.createMemoryStream(), stderr = asc.createMemoryStream();
  const { error } = await asc.main(args, { stdout, stderr });
  if (error) throw new Error(`asc ${args.join(" ")}: ${error.message}\n${stderr.toString()}`);
  return outFile;
}

/** Runs a module under wasmtime_run.py; resolves to { status, stdout } once the process exits. */
function wasmtime(wasm, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [RUNNER, "--dir", `${DATA}::/data`, wasm, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    const out = [];
    child.stdout.on("data", (b) => out.push(b));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out).toString("utf8") }));
  });
}

export async function run(ctx) {
  const tmp = mkdtempSync(join(tmpdir(), "tsmkit-bench-wasi-"));
  try {
    const hello = await buildHello(tmp);
    const ours = () => wasmtime(TSMKIT, ["show", `/data/${FILE}`]);
    const peer = () => wasmtime(hello, []);
    const [a, b] = [await ours(), await peer()];
    if (a.status !== 0 || !a.stdout.includes("tdx-quote")) throw new Error(`tsmkit.wasm show exited ${a.status}: ${a.stdout.slice(0, 200)}`);
    if (b.status !== 0 || b.stdout !== "hello\n") throw new Error(`hello.wasm exited ${b.status}: ${b.stdout}`);
    const t = await ctx.compareAsync({ ours, [HELLO]: peer }, ctx.quick ? { rounds: 3, calls: 1, warmupMs: 0 } : { rounds: 9, calls: 2, warmupMs: 500 });
    const size = (p) => statSync(p).size.toLocaleString("en-US");
    return {
      rows: [{ label: "tsmkit.wasm show", ours: t.ours, peerName: HELLO, peer: t[HELLO], within: 1.2 }],
      notes: [
        `ours = \`wasmtime_run.py --dir DATA::/data build/tsmkit.wasm show /data/${FILE}\`; peer = the same runner on hello.wasm (prints "hello").`,
        `sizes: tsmkit.wasm ${size(TSMKIT)} bytes, hello.wasm ${size(hello)} bytes. Every run starts Python, imports wasmtime and compiles the module (no cache).`,
        "ratio = peer ns / ours ns (below 1: tsmkit.wasm takes longer to start and run than hello-world; 0.70x means 1.43x hello's time). Target (issue 14): at most 1.2x hello's time.",
      ],
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
