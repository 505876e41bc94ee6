// Runs build/tsmkit.wasm once under node:wasi (as hosts/wasi/node-launcher.js does) and writes
// to fd 3, as JSON, what the memory tests read: the exit status and the Wasm memory's size.
//   node wasi-memory-run.js '{"args": [...], "dirs": [{"host": H, "guest": G}]}'
import { readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { WASI } from "node:wasi";
import { ROOT } from "../data.js";

const { args, dirs = [] } = JSON.parse(process.argv[2]);
const preopens = Object.fromEntries(dirs.map(({ host, guest }) => [guest, host]));
const wasi = new WASI({ version: "preview1", args: ["tsmkit.wasm", ...args], env: {}, preopens, returnOnExit: true });
const { instance } = await WebAssembly.instantiate(readFileSync(join(ROOT, "build", "tsmkit.wasm")), wasi.getImportObject());
const status = wasi.start(instance);
writeSync(3, JSON.stringify({ status, memory: instance.exports.memory.buffer.byteLength }));
