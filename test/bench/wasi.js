// Suite "wasi": cold start of the WASI command, process start to exit, under the real wasmtime
// runner (test/hosts/wasmtime_run.py, configured as `wasmtime run` is) against a hello-world
// AssemblyScript command built by this suite with the same wasi-shim asconfig options as
// build/tsmkit.wasm. The difference is what tsmkit's own code costs to start. Two rows, measured
// in the same interleaved rounds: wasmtime run's default (compilation cache on: a private cache
// directory, primed once per module, so every measured process finds the compiled code there)
// and a first run ever (`-C cache=n`: every process compiles the module).
import asc from "assemblyscript/asc";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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

/** Runs a module under wasmtime_run.py with `-C` options; resolves to { status, stdout } at exit. */
function wasmtime(codegen, wasm, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [RUNNER, "-C", codegen, "--dir", `${DATA}::/data`, wasm, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    const out = [];
    child.stdout.on("data", (b) => out.push(b));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out).toString("utf8") }));
  });
}

// Median wall time of compiling each module (argv) on a fresh default engine, no cache: what a
// first run pays on top of a cached one. Winch, an engine choice the user makes, for information.
const COMPILE_MS = `
import sys, time, statistics, wasmtime
from wasmtime import _ffi
def ms(path, strategy):
    data = open(path, "rb").read()
    runs = []
    for _ in range(int(sys.argv[1])):
        config = wasmtime.Config()
        if strategy: _ffi.wasmtime_config_strategy_set(config.ptr(), strategy)  # 2: WASMTIME_STRATEGY_WINCH
        engine = wasmtime.Engine(config)
        t = time.perf_counter(); wasmtime.Module(engine, data); runs.append((time.perf_counter() - t) * 1e3)
    return statistics.median(runs)
for p in sys.argv[2:]: print(f"{ms(p, 0):.1f} {ms(p, 2):.1f}")
`;

function compileMs(paths, n) {
  const r = spawnSync(PYTHON, ["-c", COMPILE_MS, String(n), ...paths], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`compile timing: ${r.stderr}`);
  return r.stdout.trim().split("\n").map((l) => l.split(" ").map(Number));
}

export async function run(ctx) {
  const tmp = mkdtempSync(join(tmpdir(), "tsmkit-bench-wasi-"));
  try {
    const hello = await buildHello(tmp);
    // A private cache (wasmtime's cache config TOML takes an absolute directory), never the user's.
    const cacheConfig = join(tmp, "cache.toml");
    writeFileSync(cacheConfig, `[cache]\ndirectory = ${JSON.stringify(join(tmp, "cache"))}\n`);
    const cached = `cache-config=${cacheConfig}`, uncached = "cache=n";
    const show = ["show", `/data/${FILE}`];
    const candidates = {
      "ours cached": () => wasmtime(cached, TSMKIT, show),
      "hello cached": () => wasmtime(cached, hello, []),
      "ours first": () => wasmtime(uncached, TSMKIT, show),
      "hello first": () => wasmtime(uncached, hello, []),
    };
    // Each check is also the cached candidates' priming run (a miss that fills the cache).
    for (const [k, fn] of Object.entries(candidates)) {
      const r = await fn();
      const ok = k.startsWith("ours") ? r.stdout.includes("tdx-quote") : r.stdout === "hello\n";
      if (r.status !== 0 || !ok) throw new Error(`${k}: exited ${r.status}: ${r.stdout.slice(0, 200)}`);
    }
    const t = await ctx.compareAsync(candidates, ctx.quick ? { rounds: 3, calls: 1, warmupMs: 0 } : { rounds: 11, calls: 2, warmupMs: 500 });
    const [[oursMs, oursWinch], [helloMs, helloWinch]] = compileMs([TSMKIT, hello], ctx.quick ? 3 : 9);
    const size = (p) => statSync(p).size.toLocaleString("en-US");
    const times = (a, b) => `${(t[a].ns / t[b].ns).toFixed(2)}x`;
    return {
      rows: [
        { label: "show, cold process, code cache warm (wasmtime run's default)", ours: t["ours cached"], peerName: HELLO, peer: t["hello cached"], within: 1.2 },
        { label: "show, first run ever (compiles: cache empty or -C cache=n)", ours: t["ours first"], peerName: HELLO, peer: t["hello first"] },
      ],
      notes: [
        `ours = \`wasmtime_run.py -C ... --dir DATA::/data build/tsmkit.wasm show /data/${FILE}\`; peer = the same runner on hello.wasm (prints "hello"). Every run starts Python and imports wasmtime.`,
        `code cache warm: \`-C cache-config=\` a private cache directory, primed by one run of each module, as every \`wasmtime run\` after a module's first finds it (the CLI's cache is on unless -C cache=n; \`wasmtime compile\` to a .cwasm also takes compilation out of startup). Ours = ${times("ours cached", "hello cached")} hello's time.`,
        `first run ever: \`-C cache=n\`, each process compiles the module, as the first \`wasmtime run\` of a tsmkit.wasm on a machine (or every run with the cache off) does. Ours = ${times("ours first", "hello first")} hello's time.`,
        `compile (fresh engine, Cranelift, wasmtime's defaults incl. parallel compilation; median): tsmkit.wasm ${size(TSMKIT)} bytes ${oursMs} ms, hello.wasm ${size(hello)} bytes ${helloMs} ms; with -C compiler=winch (information, the user's choice) ${oursWinch} ms and ${helloWinch} ms.`,
        "ratio = peer ns / ours ns (below 1: tsmkit.wasm takes longer to start and run than hello-world; 0.70x means 1.43x hello's time). Target (issue 14): a cold start at most 1.2x hello's time, with the cache wasmtime run uses by default.",
      ],
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
