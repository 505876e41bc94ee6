// `tsmkit.wasm report`: the core's report machine (assembly/tsm/request.ts) executed with WASI
// file calls on a preopened configfs-tsm directory. Output and errors mirror `tsmkit report`.
import { ReportMachine, ReportRequest, OpKind } from "../../assembly/tsm/request";
import { errnoNumber, Errno } from "../../assembly/tsm/errno";
import { providerByName, attrByName, ATTR_COUNT } from "../../assembly/tsm/providers";
import { Format } from "../../assembly/formats/decode";
import { outReset, ascii } from "../../assembly/render/out";
import { renderReportError } from "../../assembly/render/report_error";
import { Dir, readFile, writeFile, isDir, randomBytes, freshBuffer } from "./fs";
import { wasiErrnoName } from "./wasi_errno";
import { sleepMs } from "./clock";
import { Args } from "./args";
import { parseHex, parseUint } from "./text";

export const REPORT_FLAGS = ["json", "nonce", "no-aux"];
export const REPORT_OPTIONS = ["backend", "root", "provider", "kernel", "inblob", "inblob-file", "privlevel",
  "service-provider", "service-guid", "service-manifest-version", "retries", "out", "aux", "manifest"];

/** Guest paths tried, in order, when --root is not given. */
const DEFAULT_ROOTS = ["/sys/kernel/config/tsm/report", "/tsm"];

/** WASI errno -> Linux errno (the machine speaks Linux); unknown outcomes count as EIO. */
function linux(e: u16): i32 {
  if (e == 0) return 0;
  const n = errnoNumber(wasiErrnoName(e));
  return n != 0 ? n : Errno.EIO;
}

// One read buffer per attribute, reused by every attempt: the machine keeps the blobs it read
// only until its next attempt, and the stub runtime frees nothing.
const buffers = new StaticArray<ArrayBuffer | null>(ATTR_COUNT);
let reading = 0; // the attribute being read
function attrBuffer(len: i32): usize {
  const b = buffers[reading];
  if (b !== null && b.byteLength >= len) return changetype<usize>(b);
  const p = freshBuffer(len);
  buffers[reading] = changetype<ArrayBuffer>(p);
  return p;
}

/** The interface between main.ts and this command: it returns an exit status. */
export class ReportIo {
  constructor(
    public out: (s: string) => void,
    public err: (s: string) => void,
    public flush: (fd: u32) => void,
    public show: (bytes: Uint8Array, format: i32, json: bool) => i32,
    public showReport: (provider: string, generation: u64, attempts: i32, bytes: Uint8Array | null) => i32,
  ) {}
}

function usage(io: ReportIo, msg: string): i32 { io.err("tsmkit report: " + msg + "\n"); return 2; }

export function cmdReport(a: Args, io: ReportIo): i32 {
  if (a.positionals.length) return usage(io, "expected 0 argument(s), got " + a.positionals.length.toString());
  const backend = a.has("backend") ? a.get("backend") : "configfs";
  if (backend == "sim") return usage(io, "the simulator runs under Node: mount it with `tsmkit sim mount DIR` and pass --root");
  if (backend != "configfs") return usage(io, "unknown backend \"" + backend + "\"");
  if (a.has("provider") || a.has("kernel")) return usage(io, "--provider and --kernel choose what the simulator emulates; they need --backend sim");

  const req = new ReportRequest();
  let sources = 0;
  if (a.has("inblob")) sources++;
  if (a.has("inblob-file")) sources++;
  if (a.has("nonce")) sources++;
  if (sources != 1) return usage(io, "give exactly one of --inblob, --inblob-file, --nonce");
  if (a.has("nonce")) req.inblob = randomBytes(64);
  else if (a.has("inblob")) {
    const b = parseHex(a.get("inblob"));
    if (b === null) return usage(io, "--inblob: not hex: \"" + a.get("inblob") + "\"");
    req.inblob = b;
  } else {
    const r = readFile(a.get("inblob-file"));
    if (!r.ok) return usage(io, "cannot read " + a.get("inblob-file") + ": " + r.error);
    req.inblob = r.data;
  }
  const ints = ["privlevel", "service-manifest-version", "retries"];
  for (let i = 0; i < ints.length; i++) {
    if (a.has(ints[i]) && parseUint(a.get(ints[i])) < 0) {
      return usage(io, "--" + ints[i] + " takes a non-negative integer, got \"" + a.get(ints[i]) + "\"");
    }
  }
  if (a.has("privlevel")) req.privlevel = <i32>min<i64>(parseUint(a.get("privlevel")), 0x7fffffff);
  if (a.has("service-manifest-version")) req.serviceManifestVersion = parseUint(a.get("service-manifest-version"));
  if (a.has("retries")) req.retries = <i32>min<i64>(parseUint(a.get("retries")), 0x7fffffff);
  if (a.has("service-provider")) req.serviceProvider = a.get("service-provider");
  if (a.has("service-guid")) req.serviceGuid = a.get("service-guid");
  req.auxblob = !a.has("no-aux");
  const seed = randomBytes(4);
  req.seed = load<u32>(seed.dataStart);

  let root = a.get("root");
  if (!a.has("root")) {
    root = DEFAULT_ROOTS[0];
    for (let i = 0; i < DEFAULT_ROOTS.length; i++) if (isDir(DEFAULT_ROOTS[i])) { root = DEFAULT_ROOTS[i]; break; }
  }

  if (!isDir(root)) {
    io.err("tsmkit report: no configfs-tsm report directory at " + root +
      ": run with --dir /sys/kernel/config/tsm/report::/tsm (or name it with --root)\n");
    return 1;
  }

  const m = new ReportMachine(req);
  const dir = new Dir(root);
  while (!m.finished) {
    const at = dir.at(m.item, m.attr);
    if (m.kind == OpKind.MKDIR) m.feed(linux(at.mkdir()));
    else if (m.kind == OpKind.RMDIR) m.feed(linux(at.rmdir()));
    else if (m.kind == OpKind.WRITE) m.feed(linux(at.write(m.data)));
    else if (m.kind == OpKind.READ) {
      reading = attrByName(m.attr);
      m.feed(linux(at.read(attrBuffer)), at.data);
    } else if (m.kind == OpKind.SLEEP) {
      sleepMs(m.delayMs);
      m.feed(0);
    }
  }

  const e = m.error;
  if (e !== null) {
    const message = e.advice.length ? e.message + " (" + e.advice + ")" : e.message;
    if (a.has("json")) {
      outReset();
      renderReportError(e, m.attempts, true);
      ascii("\n");
      io.flush(1);
    }
    io.err("tsmkit report: " + e.code + (e.attribute.length ? " on " + e.attribute : "") + ": " + message + "\n");
    return 1;
  }

  const blobs = ["out", "aux", "manifest"];
  for (let i = 0; i < blobs.length; i++) {
    const flag = blobs[i];
    if (!a.has(flag)) continue;
    const b = i == 0 ? m.outblob : i == 1 ? m.auxblob : m.manifestblob;
    if (b === null) {
      io.err("tsmkit report: " + m.provider + " gave no " + flag + "blob; " + a.get(flag) + " not written\n");
      continue;
    }
    const w = writeFile(a.get(flag), b);
    if (!w.ok) { io.err("tsmkit report: cannot write " + a.get(flag) + ": " + w.error + "\n"); return 1; }
  }
  const outblob = m.outblob!;
  if (!a.has("json")) {
    let head = "provider: " + m.provider + "\ngeneration: " + m.generation.toString() + "\nattempts: " + m.attempts.toString() + "\n";
    head += "outblob: " + outblob.length.toString() + " bytes\n";
    const aux = m.auxblob;
    if (aux !== null && aux.length) head += "auxblob: " + aux.length.toString() + " bytes\n";
    const man = m.manifestblob;
    if (man !== null && man.length) head += "manifestblob: " + man.length.toString() + " bytes\n";
    io.out(head + "\n");
  }
  // The format is detected, as the Node CLI does (tdx_guest over the legacy ioctl gives a
  // TDREPORT); only a provider the core knows has a decoder at all.
  const decodable = providerByName(m.provider) >= 0;
  if (!decodable) {
    io.err("tsmkit report: no decoder for " + m.provider + " evidence yet; raw outblob " +
      (a.has("out") ? "in " + a.get("out") : "not printed") + "\n");
  }
  if (a.has("json")) return io.showReport(m.provider, m.generation, m.attempts, decodable ? outblob : null);
  if (!decodable) return 0;
  return io.show(outblob, Format.AUTO, false) == 0 ? 0 : 1;
}
