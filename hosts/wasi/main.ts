// build/tsmkit.wasm: the WASI command for minimal guests (no Node). Subcommands mirror the Node
// CLI and print through the same core renderers, so output is byte-identical.
// Exit status: 0 ok, 1 runtime failure, 2 bad arguments or bad input.
import { decodeInput, Format } from "../../assembly/formats/decode";
import { reserveInput } from "../../assembly/formats/table";
import { outReset, outPtr, outLen, ascii, dec, jsonString } from "../../assembly/render/out";
import { renderJson } from "../../assembly/render/json";
import { renderText } from "../../assembly/render/text";
import { renderErrorJson, renderErrorMember, renderErrorText } from "../../assembly/render/error";
import { FsResult, readFile, readFd, writeRaw } from "./fs";
import { Args } from "./args";
import { formatId, FORMAT_NAMES } from "./formats";
import { cmdReport, ReportIo, REPORT_FLAGS, REPORT_OPTIONS } from "./report";
import { cmdEventlog, EVENTLOG_FLAGS, EVENTLOG_OPTIONS } from "./eventlog";
import { outblobFormat, providerByName } from "../../assembly/tsm/providers";

const USAGE = "usage: tsmkit.wasm <command> [options]\n\n" +
  "commands:\n" +
  "  show    decode evidence: show [--json] [--format " + FORMAT_NAMES + "] [--provider P] FILE|-\n" +
  "  report  acquire evidence through configfs-tsm on a preopened directory:\n" +
  "          report [--root DIR] (--inblob HEX | --inblob-file F | --nonce) [--privlevel N]\n" +
  "                 [--service-provider S --service-guid G --service-manifest-version N]\n" +
  "                 [--no-aux] [--retries N] [--out F] [--aux F] [--manifest F] [--json]\n" +
  "          (default root: /sys/kernel/config/tsm/report, else /tsm)\n" +
  "  eventlog decode a CC event log: eventlog show [--json] [--table F] FILE|-\n" +
  "  help    this text\n";

function out(s: string): void { writeString(1, s); }
function err(s: string): void { writeString(2, s); }
function writeString(fd: u32, s: string): void {
  const b = String.UTF8.encode(s);
  writeRaw(fd, changetype<usize>(b), b.byteLength, new FsResult(), "");
}
function flushOutput(fd: u32): void {
  writeRaw(fd, outPtr, <i32>outLen, new FsResult(), "");
}

/** Copies bytes into the core's input region (unless read there), decodes them; the core's status (0 = decoded). */
function decodeBytes(bytes: Uint8Array, format: i32): i32 {
  const ptr = reserveInput(<u32>bytes.length);
  if (ptr != bytes.dataStart) memory.copy(ptr, bytes.dataStart, bytes.length);
  return decodeInput(format, <u32>bytes.length);
}

/** reserveInput as a Reserve: evidence read straight into the core's input region, with no second copy. */
function inputRegion(len: i32): usize { return reserveInput(<u32>len); }

/** Decodes bytes and prints them (or the decode error) exactly as `tsmkit show` does. */
export function show(bytes: Uint8Array, format: i32, json: bool): i32 {
  const code = decodeBytes(bytes, format);
  outReset();
  if (code == 0) {
    if (json) { renderJson(2); ascii("\n"); } else renderText();
    flushOutput(1);
    return 0;
  }
  if (json) { renderErrorJson(2); ascii("\n"); flushOutput(1); }
  else { ascii("tsmkit: "); renderErrorText(); ascii("\n"); flushOutput(2); }
  return 2;
}

/**
 * `report --json`: {provider, generation, attempts, evidence} with the evidence decoded (null when
 * no decoder knows the provider; null and the decode error beside it when it does not decode, exit
 * status 1), byte for byte as `tsmkit report --json` prints it.
 */
export function showReport(provider: string, generation: u64, attempts: i32, bytes: Uint8Array | null): i32 {
  const code = bytes !== null ? decodeBytes(bytes, Format.AUTO) : 0;
  outReset();
  ascii("{\n  \"provider\": "); jsonString(provider);
  ascii(",\n  \"generation\": "); dec(generation);
  ascii(",\n  \"attempts\": "); dec(<u64>attempts);
  ascii(",\n  \"evidence\": ");
  if (bytes === null) ascii("null");
  else if (code == 0) renderJson(2, 1);
  else { ascii("null,\n  "); renderErrorMember(true); }
  ascii("\n}\n");
  flushOutput(1);
  return code == 0 ? 0 : 1;
}

function cmdShow(a: Args): i32 {
  if (a.positionals.length != 1) { err("tsmkit show: expected 1 argument(s), got " + a.positionals.length.toString() + "\n"); return 2; }
  // --provider P (the configfs-tsm provider the bytes came from) stands for its outblob's format,
  // as in the Node CLI; --format wins, and an unknown provider leaves detection on.
  const fmt = a.has("format") ? formatId(a.get("format")) : formatId(outblobFormat(providerByName(a.get("provider").trim())));
  if (fmt < 0) { err("tsmkit show: unknown format \"" + a.get("format") + "\"\n"); return 2; }
  const path = a.positionals[0];
  let r: FsResult;
  if (path == "-") {
    r = new FsResult();
    r.data = readFd(0, r, "stdin", inputRegion);
  } else r = readFile(path, inputRegion);
  if (!r.ok) { err("tsmkit show: cannot read " + path + ": " + r.error + "\n"); return 2; }
  return show(r.data, fmt, a.has("json"));
}

function main(): i32 {
  const argv = process.argv;
  if (argv.length < 2) { err(USAGE); return 2; }
  const cmd = argv[1];
  if (cmd == "help" || cmd == "--help" || cmd == "-h") { out(USAGE); return 0; }
  const a = new Args(argv, 2);
  if (cmd == "show") {
    if (!a.parse(["json"], ["format", "provider"])) { err("tsmkit show: " + a.error + "\n"); return 2; }
    return cmdShow(a);
  }
  if (cmd == "report") {
    if (!a.parse(REPORT_FLAGS, REPORT_OPTIONS)) { err("tsmkit report: " + a.error + "\n"); return 2; }
    return cmdReport(a, new ReportIo(out, err, flushOutput, show, showReport));
  }
  if (cmd == "eventlog") {
    if (!a.parse(EVENTLOG_FLAGS, EVENTLOG_OPTIONS)) { err("tsmkit eventlog: " + a.error + "\n"); return 2; }
    return cmdEventlog(a, err, flushOutput);
  }
  err("tsmkit: unknown command \"" + cmd + "\"\n" + USAGE);
  return 2;
}

process.exit(main());
