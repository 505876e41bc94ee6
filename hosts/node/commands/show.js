// `tsmkit show [--json] [--format F] [--provider P] FILE|-`: decode evidence and print it in
// the core's rendering (the same bytes the WASI command prints), hex wrapped to the terminal;
// the text form then summarises the certificates inside (X.509 is parsed here, not in the core).
import { parse, readEvidence, UsageError } from "./args.js";
import { render, decode } from "../../js/decode.js";
import { certificateText } from "../../js/cert-summary.js";
import { FORMATS } from "../../js/formats.js";

const HELP = `usage: tsmkit show [--json] [--format ${Object.keys(FORMATS).join("|")}] [--provider P] FILE|-`;

export async function run(argv, io) {
  const { values, positionals } = parse(argv, {
    json: { type: "boolean" },
    format: { type: "string" },
    provider: { type: "string" },
  }, { positionals: [1, 1], help: HELP });
  if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
  if (values.format !== undefined && values.format !== "auto" && !Object.hasOwn(FORMATS, values.format)) {
    throw new UsageError(`unknown format "${values.format}"`, { code: "BAD_VALUE", flag: "--format", help: HELP });
  }
  const { bytes, hint } = await readEvidence(positionals[0], io, { command: "show", format: values.format });
  const status = print(bytes, { json: values.json, format: values.format, provider: values.provider }, io);
  if (status !== 0 && hint) io.stderr.write(`tsmkit show: ${hint}\n`);
  return status;
}

/**
 * Prints decoded evidence (or its decode error); shared with `report`. Returns the exit status.
 * @param {Uint8Array} bytes
 * @param {{ json?: boolean, format?: string, provider?: string }} how
 * @param {any} io
 */
export function print(bytes, { json, format, provider }, io) {
  const width = io.stdout.isTTY ? io.stdout.columns : undefined; // the core's default (80) otherwise
  const out = render(bytes, json ? "pretty" : "text", { format, provider, width });
  if (out.ok && json) { io.stdout.write(out.text + "\n"); return 0; }
  if (out.ok) { io.stdout.write(out.text + certificateText(decode(bytes, { format, provider }))); return 0; }
  if (json) io.stdout.write(out.text + "\n");
  else io.stderr.write(`tsmkit: ${out.text}\n`);
  return 2;
}
