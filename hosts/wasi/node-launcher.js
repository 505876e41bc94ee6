#!/usr/bin/env node
// tsmkit-wasi: runs build/tsmkit.wasm under Node's built-in node:wasi, with the same
// `--dir HOST::GUEST` preopens as `wasmtime run`. For machines that have Node but want the
// exact guest binary (and for testing it on a second engine).
//   tsmkit-wasi [--dir HOST[::GUEST]]... [--] COMMAND [ARGS...]
import { readFile } from "node:fs/promises";
import { setFlagsFromString } from "node:v8";
import { fileURLToPath } from "node:url";

const WASM = fileURLToPath(new URL("../../build/tsmkit.wasm", import.meta.url));
let compiled;

/**
 * Node prints "ExperimentalWarning: WASI is an experimental feature ..." when node:wasi loads
 * (hence its late import below); the command's stderr is the command's, so that one warning is
 * dropped. Every other warning still prints.
 */
function silenceWasiWarning() {
  const emit = process.emitWarning;
  if (emit.wasiSilenced) return;
  process.emitWarning = Object.assign(function (warning, options, ...rest) {
    const type = typeof options === "string" ? options : options?.type ?? warning?.name;
    const text = typeof warning === "string" ? warning : warning?.message;
    if (type === "ExperimentalWarning" && /^WASI is an experimental feature/.test(text)) return;
    return emit.call(this, warning, options, ...rest);
  }, { wasiSilenced: true });
}

/** Runs the command; returns its exit status. stdio are file descriptors (default: inherited). */
export async function runWasi(args, { dirs = [], stdin = 0, stdout = 1, stderr = 2 } = {}) {
  silenceWasiWarning();
  // node:wasi's fast API calls crash Node (SIGSEGV, or a V8 fatal in the GC) once the guest's
  // memory has grown a few MiB, e.g. `show` of a 4 MiB input (nodejs/node#53087): WASI calls
  // take the ordinary path instead.
  setFlagsFromString("--no-turbo-fast-api-calls");
  const { WASI } = await import("node:wasi");
  compiled ??= await WebAssembly.compile(await readFile(WASM));
  const preopens = Object.fromEntries(dirs.map(({ host, guest }) => [guest, host]));
  const wasi = new WASI({ version: "preview1", args: ["tsmkit.wasm", ...args], env: {}, preopens, returnOnExit: true, stdin, stdout, stderr });
  const instance = await WebAssembly.instantiate(compiled, wasi.getImportObject());
  return wasi.start(instance);
}

/**
 * Splits leading `--dir HOST[::GUEST]` options from the command's own arguments; a `--` after
 * them ends the launcher's options (so the command may take arguments that look like them).
 */
export function parseDirs(argv) {
  const dirs = [];
  let i = 0;
  while (argv[i] === "--dir" && i + 1 < argv.length) {
    const [host, guest] = argv[i + 1].split("::");
    dirs.push({ host, guest: guest ?? host });
    i += 2;
  }
  if (argv[i] === "--") i++;
  return { dirs, args: argv.slice(i) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await import("node:fs")).realpathSync(process.argv[1])) {
  const { dirs, args } = parseDirs(process.argv.slice(2));
  process.exitCode = await runWasi(args, { dirs });
}
