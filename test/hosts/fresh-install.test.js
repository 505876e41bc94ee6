// A fresh machine, in a scratch copy of the project (the real node_modules and .venv are never
// touched): `npm install` ran before test/setup.sh installed libfuse, so @cocalc/fuse-native
// failed to build and npm dropped it and its own dependencies from node_modules (nothing is left
// for `npm rebuild`), and there is no .venv with wasmtime. `npm run bench` must still run there,
// and setup.sh must recover the binding.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATA, ROOT } from "../data.js";

const FUSE = "@cocalc/fuse-native";
const LOCK = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")).packages;
const PINNED = LOCK[`node_modules/${FUSE}`];
const SCRATCH = mkdtempSync(join(tmpdir(), "tsmkit-setup-"));
const nm = (name) => join(SCRATCH, "node_modules", name);

// The project as a clean clone has it after a plain `npm install`, without libfuse at the time.
for (const f of ["package.json", "package-lock.json", "hosts", "build", "test"]) {
  cpSync(join(ROOT, f), join(SCRATCH, f), { recursive: true, verbatimSymlinks: true });
}
// A worktree's node_modules may be a symlink to another checkout's: copied as a link, the removals
// below would reach through it into the real one.
cpSync(realpathSync(join(ROOT, "node_modules")), join(SCRATCH, "node_modules"), { recursive: true, verbatimSymlinks: true });
for (const name of [FUSE, ...Object.keys(PINNED.dependencies)]) rmSync(nm(name), { recursive: true, force: true });
rmSync(nm(".package-lock.json"), { force: true }); // npm's record of the tree it made

const setup = () => spawnSync("bash", ["test/setup.sh"], { cwd: SCRATCH, encoding: "utf8", timeout: 300_000 });
/** Where the scratch project's require() finds the binding, and its version, or the error. */
function load() {
  const r = spawnSync(process.execPath, ["-e", `
    const path = require.resolve("${FUSE}");
    const Fuse = require("${FUSE}");
    if (typeof Fuse !== "function") throw new Error("${FUSE} exports no Fuse class");
    console.log(JSON.stringify({ path, version: require("${FUSE}/package.json").version }));`],
  { cwd: SCRATCH, encoding: "utf8" });
  return r.status === 0 ? JSON.parse(r.stdout) : { error: r.stderr };
}
const fingerprint = () => ["package.json", "package-lock.json"].map((f) => readFileSync(join(SCRATCH, f), "utf8"));

test.after(() => rmSync(SCRATCH, { recursive: true, force: true }));

test("the scratch copy starts where a fresh machine is: the binding cannot be found", () => {
  assert.match(load().error ?? "", /Cannot find module '@cocalc\/fuse-native'/);
});

test("npm run bench says how to get each missing engine, goes on, and exits 0", () => {
  const r = spawnSync(process.execPath, ["test/bench/run.js", "--quick", "acquire", "wasi"], {
    cwd: SCRATCH, encoding: "utf8", env: { ...process.env, TSMKIT_DATA: DATA }, timeout: 120_000,
  });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /## acquire: .*\n\n  not run: the FUSE binding does not load \(Cannot find module '@cocalc\/fuse-native'/);
  assert.match(r.stdout, /## wasi: .*\n\n  not run: the wasmtime engine is missing \(\.venv\/bin\/python does not exist\)/);
  assert.match(r.stdout, "\nnot run: acquire, wasi (their engines are missing: `bash test/setup.sh` installs them)\n");
});

test("setup.sh installs the binding at the pinned version, loadable, package files untouched", () => {
  // The wasmtime engine is not what this checks: the one the tests already use serves here.
  if (existsSync(join(ROOT, ".venv"))) symlinkSync(join(ROOT, ".venv"), join(SCRATCH, ".venv"));
  const before = fingerprint();
  const r = setup();
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, `installing ${FUSE}@${PINNED.version}`);
  const got = load();
  assert.equal(got, { path: nm(`${FUSE}/index.js`), version: PINNED.version }, got.error);
  for (const name of Object.keys(PINNED.dependencies)) {
    const v = JSON.parse(readFileSync(nm(`${name}/package.json`), "utf8")).version;
    assert.is(v, LOCK[`node_modules/${name}`].version, `${name} at the locked version`);
  }
  assert.equal(fingerprint(), before, "package.json and package-lock.json unchanged");
});

test("setup.sh rebuilds a binding that is present but not built", () => {
  rmSync(nm(`${FUSE}/build`), { recursive: true, force: true });
  assert.ok(load().error, "the binding without its build does not load");
  const r = setup();
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, `rebuilding ${FUSE}`);
  assert.is(load().version, PINNED.version, load().error);
});

test("setup.sh stops with a clear message when the binding still cannot load", () => {
  writeFileSync(nm(`${FUSE}/index.js`), 'throw new Error("simulated broken binding")\n');
  const r = setup();
  assert.is(r.status, 1, r.stdout);
  assert.match(r.stderr, `${FUSE} is still not loadable (Error: simulated broken binding)`);
  assert.match(r.stderr, "libfuse-dev");
});

test.run();
