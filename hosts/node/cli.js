#!/usr/bin/env node
// tsmkit command line: dispatches `tsmkit <command> ...` to hosts/node/commands/<command>.js.
// Exit status: 0 ok, 1 runtime failure (or verification failed), 2 bad input or arguments.
// With --json every failure is one object on stdout: {"error": {"code", ..., "message"}}.
import { readFileSync } from "node:fs";
import { UsageError } from "./commands/args.js";

const COMMANDS = {
  show: "decode evidence (quote, TDREPORT, SNP report, SNP certificate table)",
  report: "acquire evidence through configfs-tsm (or the built-in simulator) and decode it",
  verify: "verify evidence: signatures, certificate chains, CRLs, TCB status, policy",
  eventlog: "a CC event log (CCEL): `eventlog show FILE [--table F]`, its events and replayed RTMRs",
  mr: "tsm-mr measurement registers: `mr list`, `mr read R`, `mr extend R` (logged in the runtime event log)",
  sim: "the software TSM: `sim mount DIR`, `sim roots DIR`, `sim ccel DIR`",
  doctor: "what this machine offers for attestation, and the command that fixes each missing part",
};

const VERSION = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;

function usage() {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return "usage: npx tsmkit <command> [options]   (tsmkit once installed globally)\n\ncommands:\n" +
    Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(width)}  ${d}`).join("\n") +
    "\n\n`tsmkit <command> --help` for a command's options; `tsmkit --version`.\n";
}

/** Prints a failure the way the caller asked (--json: the error object on stdout); returns `status`. */
function fail(io, json, prefix, e, status) {
  if (json) io.stdout.write(JSON.stringify(e.toJSON(), null, 2) + "\n");
  else io.stderr.write(`${prefix}: ${e.message}\n${e.help ? `${e.help}\n` : ""}`);
  return status;
}

export async function main(argv, io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }) {
  const [command, ...rest] = argv;
  const json = argv.includes("--json");
  if (command === "--version" || command === "-V") {
    io.stdout.write(`tsmkit ${VERSION}\n`);
    return 0;
  }
  if (!command || command === "help" || command === "--help" || command === "-h") {
    io.stdout.write(usage());
    return command ? 0 : 2;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    return fail(io, json, "tsmkit", new UsageError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(", ")})`, { help: usage() }), 2);
  }
  const { run } = await import(`./commands/${command}.js`);
  try {
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) return fail(io, json, `tsmkit ${command}`, e, 2);
    if (!json) throw e;
    io.stderr.write(`tsmkit: internal error: ${e?.stack ?? e}\n`);
    return fail(io, json, "", { toJSON: () => ({ error: { code: "INTERNAL", message: String(e?.message ?? e) } }) }, 1);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/tsmkit")) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`tsmkit: internal error: ${e?.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
