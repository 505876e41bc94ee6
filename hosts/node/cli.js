#!/usr/bin/env node
// tsmkit command line: dispatches `tsmkit <command> ...` to hosts/node/commands/<command>.js.
// Exit status: 0 ok, 1 runtime failure (or verification failed), 2 bad input or arguments.
import { UsageError } from "./commands/args.js";

const COMMANDS = {
  show: "decode evidence (quote, TDREPORT, SNP report, SNP certificate table)",
  report: "acquire evidence through configfs-tsm (or the built-in simulator) and decode it",
  verify: "verify evidence: signatures, certificate chains, CRLs, TCB status, policy",
  sim: "the software TSM: `sim mount DIR`, `sim roots DIR`",
  doctor: "what this machine offers for attestation, and the command that fixes each missing part",
};

function usage() {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return "usage: tsmkit <command> [options]\n\ncommands:\n" +
    Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(width)}  ${d}`).join("\n") +
    "\n\n`tsmkit <command> --help` for a command's options.\n";
}

export async function main(argv, io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }) {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    io.stdout.write(usage());
    return command ? 0 : 2;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    io.stderr.write(`tsmkit: unknown command "${command}"\n${usage()}`);
    return 2;
  }
  const { run } = await import(`./commands/${command}.js`);
  try {
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`tsmkit ${command}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/tsmkit")) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`tsmkit: internal error: ${e?.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
