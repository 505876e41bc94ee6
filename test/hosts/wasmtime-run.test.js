// test/hosts/wasmtime_run.py keeps `wasmtime run`'s compilation cache semantics (on by default,
// -C cache-config=FILE, -C cache=n wins over a config) — what the wasi bench's two rows rely on —
// checked against a private cache directory, never the user's.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../data.js";

const PYTHON = join(ROOT, ".venv", "bin", "python");
const RUNNER = join(ROOT, "test", "hosts", "wasmtime_run.py");
const WASM = join(ROOT, "build", "tsmkit.wasm");
const work = mkdtempSync(join(tmpdir(), "tsmkit-wasmtime-run-"));
const cacheDir = join(work, "cache");
const config = join(work, "cache.toml");
writeFileSync(config, `[cache]\ndirectory = ${JSON.stringify(cacheDir)}\n`);

const run = (...codegen) => spawnSync(PYTHON, [RUNNER, ...codegen.flatMap((c) => ["-C", c]), WASM, "help"], { encoding: "utf8" });
/** Compiled modules in the private cache (wasmtime keeps them under modules/<engine version>/). */
function cached() {
  const dir = join(cacheDir, "modules");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((v) => readdirSync(join(dir, v)).filter((f) => !f.endsWith(".stats")).map((f) => join(dir, v, f)));
}

test.after(() => rmSync(work, { recursive: true, force: true }));

test("-C cache=n compiles without writing a cache, even with a cache config given", () => {
  const r = run(`cache-config=${config}`, "cache=n");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, "usage: tsmkit.wasm");
  assert.equal(cached(), []);
});

test("-C cache-config=FILE keeps the compiled module there, and the next run reads it back", () => {
  const r = run(`cache-config=${config}`);
  assert.is(r.status, 0, r.stderr);
  const [entry, ...more] = cached();
  assert.ok(entry && !more.length, "one compiled module");
  const written = statSync(entry, { bigint: true }).mtimeNs;
  const again = run(`cache-config=${config}`);
  assert.is(again.status, 0, again.stderr);
  assert.is(again.stdout, r.stdout);
  // A miss would compile again and rewrite the entry.
  assert.equal(cached(), [entry]);
  assert.is(statSync(entry, { bigint: true }).mtimeNs, written, "a hit leaves the entry as it was");
});

test("an option the runner does not mirror is refused, not ignored", () => {
  for (const opt of ["compiler=winch", "cache=maybe", "cache-config="]) {
    const r = run(opt);
    assert.is.not(r.status, 0, opt);
    assert.match(r.stderr, "unsupported -C option");
  }
});

test.run();
