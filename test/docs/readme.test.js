// Every example in README.md runs as written, so the README cannot drift from the code. The
// blocks run in document order, as a reader in one terminal would (exports carry over), in a
// scratch directory set up as a project that installed tsmkit (node_modules/tsmkit and its bins,
// as npm links a local package); "Quick start" blocks are about the clone and run in the checkout.
//   sh  bash -euo pipefail; `tsmkit` and `npx tsmkit` resolve to this checkout, `wasmtime` is the
//       real engine (.venv's wheel, test/hosts/wasmtime_run.py), and the host directory
//       /sys/kernel/config/tsm/report it is given is a simulator mount (this machine has no TEE)
//   js  an ES module importing "tsmkit" and "tsmkit/node"
//   ts  transpiled by TypeScript and run as js (test/types checks its types)
// A block that cannot run here carries "not-run: <why>" in its info string; their count is pinned
// below, so a new one is a decision, never a silent skip.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { ROOT } from "../data.js";
import { LANGS, readmeBlocks } from "./readme-blocks.js";
import { startMount } from "../../hosts/sim/mount-process.js";

const NOT_RUN = 1; // Quick start's npm install / npm test: this suite runs inside npm test
// A block that ran the test suite would run this suite again, and so on: refuse, loudly.
if (process.env.TSMKIT_README_BLOCK) throw new Error(`README block ${process.env.TSMKIT_README_BLOCK} ran the README suite (recursion): mark it not-run`);
const TSM_PATH = "/sys/kernel/config/tsm/report";
const blocks = readmeBlocks();
const runnable = blocks.filter((b) => b.lang !== "" && b.notRun === null);

test("every block is plain text, js, ts or sh; the not-run ones are the pinned few and say why", () => {
  for (const b of blocks) assert.ok(LANGS.includes(b.lang), `README.md:${b.line}: unknown block language "${b.lang}" (${LANGS.join(", ")})`);
  const notRun = blocks.filter((b) => b.notRun !== null);
  assert.is(notRun.length, NOT_RUN, `not-run blocks at lines ${notRun.map((b) => b.line).join(", ")}`);
  for (const b of notRun) assert.ok(b.notRun.length > 0, `README.md:${b.line}: not-run without a reason`);
  assert.ok(runnable.some((b) => b.lang === "js") && runnable.some((b) => b.lang === "sh"), "the README has runnable js and sh examples");
});

// ---- the scratch project -----------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), "tsmkit-readme-"));
const project = join(work, "project");
const meta = join(work, "blocks");
const shims = join(work, "shims");
const envFile = join(meta, "env.sh");
let mount;

function setUp() {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
  mkdirSync(meta);
  mkdirSync(shims);
  symlinkSync(ROOT, join(project, "node_modules", pkg.name));
  for (const [bin, path] of Object.entries(pkg.bin)) symlinkSync(join("..", pkg.name, path), join(project, "node_modules", ".bin", bin));
  // wasmtime's command line over the engine the WASI suites use; only the host side of a
  // preopen of the configfs-tsm root is redirected, to the simulator mount, and the compilation
  // cache is off (-C cache=n), so the examples write nothing into the user's ~/.cache/wasmtime.
  const wasmtime = join(shims, "wasmtime");
  writeFileSync(wasmtime, `#!/usr/bin/env bash
[ "\${1:-}" = run ] || { echo "wasmtime shim: only 'wasmtime run' is provided" >&2; exit 2; }
shift
args=()
for a in "$@"; do
  case "$a" in
    ${TSM_PATH}::*) args+=("$TSMKIT_README_TSM::\${a#*::}") ;;
    *) args+=("$a") ;;
  esac
done
exec "${join(ROOT, ".venv", "bin", "python")}" "${join(ROOT, "test", "hosts", "wasmtime_run.py")}" -C cache=n "\${args[@]}"
`);
  chmodSync(wasmtime, 0o755);
  writeFileSync(envFile, [
    `export PATH=${JSON.stringify(`${join(project, "node_modules", ".bin")}:${shims}:${process.env.PATH}`)}`,
    "export npm_config_offline=true npm_config_yes=false npm_config_update_notifier=false",
    "export NODE_OPTIONS=--disable-warning=ExperimentalWarning",
  ].join("\n") + "\n");
}

/**
 * Runs `command` with bash in `cwd` after the session's exports; saves the exports after it (not
 * PWD and OLDPWD: a block's $PWD must be its own directory, not the one a previous block ran in).
 */
function bash(command, cwd, file) {
  writeFileSync(file, `set -euo pipefail\nsource ${JSON.stringify(envFile)}\n${command}\nexport -p | grep -Ev '^declare -x (PWD|OLDPWD|SHLVL)=' > ${JSON.stringify(envFile)}\n`);
  return spawnSync("bash", [file], {
    cwd, encoding: "utf8", timeout: 180_000, stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8", TSMKIT_README_BLOCK: file,
      TSMKIT_README_TSM: mount ? join(mount.dir, "report") : "" },
  });
}

function run(b, n) {
  const cwd = b.section === "Quick start" ? ROOT : project;
  const base = join(meta, `${n}-line${b.line}`);
  if (b.lang === "sh") return bash(b.code, cwd, `${base}.sh`);
  const js = b.lang === "ts"
    ? ts.transpileModule(b.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
    : b.code;
  // Beside the project's node_modules, so "tsmkit" resolves as an installed package.
  const file = join(project, `.readme-${n}.mjs`);
  writeFileSync(file, js);
  return bash(`node ${JSON.stringify(file)}`, cwd, `${base}.sh`);
}

test("set up the scratch project and, where an example needs configfs-tsm, a simulator mount", async () => {
  setUp();
  if (runnable.some((b) => b.code.includes(TSM_PATH))) {
    mkdirSync(join(work, "mnt"));
    mount = await startMount(join(work, "mnt"), { provider: "tdx_guest" });
    assert.ok(existsSync(join(mount.dir, "report")));
  }
});

runnable.forEach((b, n) => {
  test(`README.md:${b.line} (${b.section}, ${b.lang}) runs as written`, () => {
    const r = run(b, n);
    const out = `\n--- block ---\n${b.code}--- stdout ---\n${r.stdout}--- stderr ---\n${r.stderr}${r.error ? `\n${r.error}` : ""}`;
    assert.is(r.status, 0, `README.md:${b.line} exited ${r.status ?? r.signal}${out}`);
  });
});

test.after(async () => {
  await mount?.stop();
  rmSync(work, { recursive: true, force: true });
});

test.run();
