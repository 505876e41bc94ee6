// `tsmkit mr list|read|extend`: tsm-mr measurement registers (Linux 6.16+), extends recorded in
// tsmkit's runtime event log (hosts/node/mr.js does the work; this file parses flags and prints).
import { parse, readInput, UsageError } from "./args.js";
import { hex } from "../../js/bytes.js";
import { MEASUREMENTS_DIR, RUNTIME_LOG, MrError, extend, listRegisters, readRegister } from "../mr.js";

const HELP = `usage: tsmkit mr list [--dir D] [--json]
       tsmkit mr read REGISTER [--dir D] [--json]
       tsmkit mr extend REGISTER (--digest HEX | --data TEXT | --data-file F|-) --event NAME|JSON
                        [--dir D] [--log F] [--json]
  REGISTER is a name (rtmr3) or a file name (rtmr3:sha384). --dir is the measurements directory
  (default ${MEASUREMENTS_DIR}); --log the runtime event log (default ${RUNTIME_LOG}).
  extend appends the event to the log and extends the register as one step (a lock serialises
  writers; an extend a crash interrupted is settled, and reported, by the next one). --digest is
  written as it is; --data / --data-file are hashed with the register's algorithm first.
  --event is the event's name, or a JSON object with a "name" member.`;

const USAGE_CODES = new Set(["BAD_INPUT", "BAD_DIGEST", "BAD_EVENT"]);

export async function run(argv, io) {
  const [sub, ...rest] = argv;
  const json = argv.includes("--json");
  try {
    if (sub === "list") return await list(rest, io);
    if (sub === "read") return await read(rest, io);
    if (sub === "extend") return await extendCommand(rest, io);
  } catch (e) {
    if (!(e instanceof MrError)) throw e;
    if (USAGE_CODES.has(e.code)) throw new UsageError(e.message, { code: e.code, help: HELP });
    if (json) io.stdout.write(JSON.stringify(e.toJSON(), null, 2) + "\n");
    else io.stderr.write(`tsmkit mr ${sub}: ${e.message}\n`);
    return 1;
  }
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") { io.stdout.write(HELP + "\n"); return sub ? 0 : 2; }
  throw new UsageError(`unknown mr command "${sub}" (mr list, mr read, mr extend)`, { help: HELP });
}

const common = { dir: { type: "string" }, json: { type: "boolean" } };

async function list(argv, io) {
  const { values } = parse(argv, common, { positionals: [0, 0], help: HELP });
  if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
  const regs = await listRegisters(values.dir ?? MEASUREMENTS_DIR);
  if (values.json) {
    io.stdout.write(JSON.stringify(regs.map(({ path, ...r }) => r), null, 2) + "\n");
    return 0;
  }
  const w = Math.max(0, ...regs.map((r) => r.file.length));
  for (const r of regs) {
    io.stdout.write(`${r.file.padEnd(w)}  ${r.readable ? "r" : "-"}${r.writable ? "w" : "-"}  ${(r.hashAlg ?? "(no hash)").padEnd(9)}  ${r.size} bytes\n`);
  }
  return 0;
}

async function read(argv, io) {
  const { values, positionals } = parse(argv, common, { positionals: [1, 1], help: HELP });
  if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
  const { name, file, hashAlg, value: bytes } = await readRegister(positionals[0], { dir: values.dir ?? MEASUREMENTS_DIR });
  const value = hex(bytes);
  io.stdout.write(values.json ? JSON.stringify({ register: name, file, hashAlg, value }, null, 2) + "\n" : `${value}\n`);
  return 0;
}

/** --event: a name, or a JSON object when it starts with "{". */
function eventOf(text) {
  if (text === undefined) throw new UsageError("extend needs --event (the event's name, or a JSON object with a \"name\")", { flag: "--event", help: HELP });
  if (!text.trimStart().startsWith("{")) return text;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--event: not JSON: ${e.message}`, { code: "BAD_VALUE", flag: "--event" });
  }
}

async function extendCommand(argv, io) {
  const { values, positionals } = parse(argv, {
    ...common, log: { type: "string" }, digest: { type: "string" }, data: { type: "string" }, "data-file": { type: "string" }, event: { type: "string" },
  }, { positionals: [1, 1], help: HELP });
  if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
  const given = ["digest", "data", "data-file"].filter((k) => values[k] !== undefined);
  if (given.length !== 1) throw new UsageError(`extend takes exactly one of --digest, --data, --data-file (got ${given.length})`, { help: HELP });
  const input = values.digest !== undefined ? { digest: values.digest.replace(/^0x/i, "") }
    : { data: values.data ?? await readInput(values["data-file"], io.stdin, "--data-file") };
  const log = values.log ?? RUNTIME_LOG;
  const r = await extend(positionals[0], { ...input, event: eventOf(values.event) }, { dir: values.dir ?? MEASUREMENTS_DIR, log });
  if (r.recovered) {
    io.stderr.write(`tsmkit mr extend: an interrupted extend (record ${r.recovered.recnum} of ${r.recovered.register}, "${r.recovered.event}", pid ${r.recovered.pid}) was found and ${r.recovered.outcome === "completed" ? "completed: the register had been extended" : "rolled back: the register had not been extended"}\n`);
  }
  io.stdout.write(values.json ? JSON.stringify({ ...r, log }, null, 2) + "\n" : `extended ${r.file}: record ${r.recnum} in ${log}; now ${r.after}\n`);
  return 0;
}
