// tsmkit-wasi (hosts/wasi/node-launcher.js) as a user runs it: plain `node`, no flags. Its stderr
// is the command's alone (Node's WASI ExperimentalWarning is dropped, no other warning is), and
// `--` ends the launcher's own options.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { DATA, ROOT } from "../data.js";
import { parseDirs } from "../../hosts/wasi/node-launcher.js";

const LAUNCHER = join(ROOT, "hosts", "wasi", "node-launcher.js");
const FILE = "tdx/dcap-qvl-tdx-quote-v4.dat";
const launch = (...args) => spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: "utf8" });

test("a run prints no ExperimentalWarning: stderr is empty, stdout is the command's", () => {
  const r = launch("--dir", `${DATA}::/data`, "show", "--json", `/data/${FILE}`);
  assert.is(r.stderr, "");
  assert.is(r.status, 0);
  assert.is(JSON.parse(r.stdout).format, "tdx-quote");
});

test("a 64 MiB standard input runs to the command's exit status, not a crash of Node's WASI fast calls", () => {
  const r = spawnSync(process.execPath, [LAUNCHER, "show", "-"], { input: Buffer.alloc(64 << 20, 0x5a), encoding: "utf8" });
  assert.is(r.signal, null, r.stderr.slice(0, 400));
  assert.is(r.status, 2);
  assert.match(r.stderr, `(${64 << 20} bytes)`);
});

test("only the WASI warning is dropped: other warnings, experimental or not, still print", () => {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", `
    const { runWasi } = await import(${JSON.stringify(LAUNCHER)});
    process.exitCode = await runWasi(["help"], { stdout: 2 });
    process.emitWarning("Feature X is an experimental feature", "ExperimentalWarning");
    process.emitWarning("WASI is an experimental feature and might change at any time", "DeprecationWarning");`],
  { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, "usage: tsmkit.wasm");
  assert.match(r.stderr, "ExperimentalWarning: Feature X is an experimental feature");
  assert.match(r.stderr, "DeprecationWarning: WASI is an experimental feature");
  assert.not.match(r.stderr, "ExperimentalWarning: WASI");
});

test("`--` ends the launcher's options: the command gets what follows, --dir included", () => {
  const plain = launch("--dir", `${DATA}::/data`, "show", "--json", `/data/${FILE}`);
  const dashed = launch("--dir", `${DATA}::/data`, "--", "show", "--json", `/data/${FILE}`);
  assert.is(dashed.status, 0, dashed.stderr);
  assert.is(dashed.stdout, plain.stdout);
  const passed = launch("--", "--dir", "x");
  assert.is(passed.status, 2);
  assert.match(passed.stderr, 'unknown command "--dir"');
});

test("parseDirs: options, then one `--`, then the command's arguments untouched", () => {
  assert.equal(parseDirs(["--dir", "/h::/g", "--dir", "/same", "--", "show", "--", "--dir"]), {
    dirs: [{ host: "/h", guest: "/g" }, { host: "/same", guest: "/same" }],
    args: ["show", "--", "--dir"],
  });
  assert.equal(parseDirs(["show", "--", "x"]), { dirs: [], args: ["show", "--", "x"] });
});

test.run();
