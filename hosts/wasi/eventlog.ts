// `tsmkit.wasm eventlog show [--json] [--table F] FILE|-`: a CC event log (the CCEL's log area)
// decoded and rendered by the core, byte for byte what `tsmkit eventlog show` prints
// (hosts/node/commands/eventlog.js): the same boundary calls, the same renderer.
// Exit status: 0 decoded, 2 bad arguments or bad input.
import { eventlog_reserve, eventlog_decode } from "../../assembly/formats/eventlog_abi";
import { render, Render } from "../../assembly/abi";
import { ascii } from "../../assembly/render/out";
import { FsResult, readFile, readFd } from "./fs";
import { Args } from "./args";

export const EVENTLOG_FLAGS = ["json"];
export const EVENTLOG_OPTIONS = ["table"];

function read(path: string): FsResult {
  if (path != "-") return readFile(path);
  const r = new FsResult();
  r.data = readFd(0, r, "stdin");
  return r;
}

/**
 * Runs the subcommand; `err` writes text to stderr, `flush(fd)` writes the core's output region.
 * Text output wraps hex at the core's default width, as the Node CLI does when not on a terminal.
 */
export function cmdEventlog(a: Args, err: (s: string) => void, flush: (fd: u32) => void): i32 {
  const n = a.positionals.length;
  if (n != 2 || a.positionals[0] != "show") {
    err("tsmkit eventlog: " + (n > 0 && a.positionals[0] != "show" ? "unknown subcommand \"" + a.positionals[0] + "\"" : "usage: eventlog show [--json] [--table F] FILE|-") + "\n");
    return 2;
  }
  const path = a.positionals[1];
  const log = read(path);
  if (!log.ok) { err("tsmkit eventlog: cannot read " + path + ": " + log.error + "\n"); return 2; }
  let table = new Uint8Array(0);
  if (a.has("table")) {
    const t = readFile(a.get("table"));
    if (!t.ok) { err("tsmkit eventlog: cannot read " + a.get("table") + ": " + t.error + "\n"); return 2; }
    table = t.data;
  }
  const logLen = <u32>log.data.length, tableLen = <u32>table.length;
  const ptr = eventlog_reserve(logLen, tableLen);
  if (ptr) {
    memory.copy(ptr, log.data.dataStart, logLen);
    memory.copy(ptr + logLen, table.dataStart, tableLen);
  }
  const ok = eventlog_decode(logLen, tableLen) == 0;
  const json = a.has("json");
  if (!json && !ok) err("tsmkit: ");
  render(json ? Render.PRETTY : Render.TEXT, 0);
  if (json || !ok) ascii("\n");
  flush(json || ok ? 1 : 2);
  return ok ? 0 : 2;
}
