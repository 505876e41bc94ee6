// Runs build/tsmkit.wasm once under node:wasi (as hosts/wasi/node-launcher.js does) and writes
// to fd 3, as JSON, what the memory tests read: the exit status, the Wasm memory's size and the
// end of the heap, i.e. the highest non-zero byte (the stub runtime only bumps a pointer, and
// nothing writes above it). With skipSleeps the report machine's backoff returns at once, so
// many retries take no time.
//   node wasi-memory-run.js '{"args": [...], "dirs": [{"host": H, "guest": G}], "skipSleeps": true}'
import { readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { WASI } from "node:wasi";
import { ROOT } from "../data.js";

const { args, dirs = [], skipSleeps = false } = JSON.parse(process.argv[2]);
const preopens = Object.fromEntries(dirs.map(({ host, guest }) => [guest, host]));
const wasi = new WASI({ version: "preview1", args: ["tsmkit.wasm", ...args], env: {}, preopens, returnOnExit: true });
const imports = wasi.getImportObject();
if (skipSleeps) imports.wasi_snapshot_preview1.poll_oneoff = () => 0;
const { instance } = await WebAssembly.instantiate(readFileSync(join(ROOT, "build", "tsmkit.wasm")), imports);
const status = wasi.start(instance);
const bytes = new Uint8Array(instance.exports.memory.buffer);
let heapEnd = bytes.length;
while (heapEnd > 0 && bytes[heapEnd - 1] === 0) heapEnd--;
writeSync(3, JSON.stringify({ status, memory: bytes.length, heapEnd }));
