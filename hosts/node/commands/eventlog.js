// `tsmkit eventlog show FILE [--table F] [--json]`: a CC event log (the CCEL's log area, e.g.
// /sys/firmware/acpi/tables/data/CCEL) in the core's rendering: the Spec ID event, every record
// with its type named, and the RTMR values the log replays to. --table checks it against its ACPI
// CCEL table (/sys/firmware/acpi/tables/CCEL). Exit status: 0 decoded, 2 bad input.
import { parse, readInput, UsageError } from "./args.js";
import { renderEventLog } from "../../js/eventlog.js";

const HELP = `usage: tsmkit eventlog show [--json] [--table F] FILE|-
  FILE|-   the event log (binary), e.g. /sys/firmware/acpi/tables/data/CCEL
  --table  its ACPI CCEL table, e.g. /sys/firmware/acpi/tables/CCEL (checked: signature,
           checksum, CC type, the log within LAML)
  --json   the events and replay: { rtmr0..rtmr3 } as JSON`;

export async function run(argv, io) {
  const { values, positionals } = parse(argv, { json: { type: "boolean" }, table: { type: "string" } }, { positionals: [0, 2], help: HELP });
  if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
  const [sub, file] = positionals;
  if (sub !== "show" || file === undefined) throw new UsageError(sub && sub !== "show" ? `unknown subcommand "${sub}"` : "missing FILE", { code: "USAGE", help: HELP });
  const log = await readInput(file, io.stdin, "FILE");
  const table = values.table === undefined ? undefined : await readInput(values.table, undefined, "--table");
  const width = io.stdout.isTTY ? io.stdout.columns : undefined;
  const out = renderEventLog(log, values.json ? "pretty" : "text", { table, width });
  if (out.ok) { io.stdout.write(out.text + (values.json ? "\n" : "")); return 0; }
  if (values.json) io.stdout.write(out.text + "\n");
  else io.stderr.write(`tsmkit: ${out.text}\n`);
  return 2;
}
