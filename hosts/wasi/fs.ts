// The guest's file access: WASI preview1 calls on preopened directories, nothing more. Paths
// are guest paths (`wasmtime run --dir HOST::GUEST`); every read goes to EOF because configfs and
// sysfs report sizes that are not the content length.
import {
  fd_prestat_get, fd_prestat_dir_name, path_open, fd_read, fd_write, fd_close,
  path_create_directory, path_remove_directory, random_get,
  oflags, rights, iovec, prestat,
} from "@assemblyscript/wasi-shim/assembly/bindings/wasi_snapshot_preview1";
import { wasiErrnoName } from "./wasi_errno";

/** The outcome of one file operation: errno 0 = ok (WASI numbering), else `error` says why. */
export class FsResult {
  errno: u16 = 0;
  error: string = "";
  data: Uint8Array = new Uint8Array(0);
  get ok(): bool { return this.errno == 0; }
}

const scratch = memory.data(64);
let preopenNames: string[] = [];
let preopenFds: u32[] = [];
let scanned = false;

function scanPreopens(): void {
  if (scanned) return;
  scanned = true;
  for (let fd: u32 = 3; fd < 64; fd++) {
    if (fd_prestat_get(fd, changetype<prestat>(scratch)) != 0) break;
    const nameLen = <i32>load<u32>(scratch + 4);
    const buf = new ArrayBuffer(nameLen);
    if (fd_prestat_dir_name(fd, changetype<usize>(buf), nameLen) != 0) continue;
    let name = String.UTF8.decode(buf);
    while (name.length > 1 && name.endsWith("/")) name = name.slice(0, name.length - 1);
    preopenNames.push(name);
    preopenFds.push(fd);
  }
}

/** Picks the preopen holding `path` (longest prefix) and the path relative to it. */
class Resolved { fd: u32 = 0; rel: string = ""; found: bool = false; }
function resolve(path: string): Resolved {
  scanPreopens();
  const r = new Resolved();
  let best = -1;
  for (let i = 0; i < preopenNames.length; i++) {
    const p = preopenNames[i];
    const under = p == "/" ? path.startsWith("/") : (path == p || path.startsWith(p + "/"));
    const relativeUnderDot = (p == "." || p == "") && !path.startsWith("/");
    if ((under || relativeUnderDot) && p.length > best) {
      best = p.length;
      r.fd = preopenFds[i];
      r.rel = relativeUnderDot ? path : (path == p ? "." : path.slice(p == "/" ? 1 : p.length + 1));
      r.found = true;
    }
  }
  return r;
}

function failed(res: FsResult, e: u16, what: string, path: string): FsResult {
  res.errno = e;
  res.error = wasiErrnoName(e) + " " + what + " " + path;
  return res;
}

function noPreopen(res: FsResult, path: string): FsResult {
  res.errno = 76;
  res.error = "no preopened directory gives access to " + path +
    " (run with --dir HOST::GUEST covering it)";
  return res;
}

function openAt(path: string, openFlags: u16, rightsBase: u64, res: FsResult): i32 {
  const r = resolve(path);
  if (!r.found) { noPreopen(res, path); return -1; }
  const p = String.UTF8.encode(r.rel);
  const e = path_open(r.fd, 1, changetype<usize>(p), p.byteLength, openFlags, rightsBase, rightsBase, 0, scratch);
  if (e != 0) { failed(res, e, "opening", path); return -1; }
  return <i32>load<u32>(scratch);
}

/** Reads a whole file (to EOF), however large, with no length taken from stat. */
export function readFile(path: string): FsResult {
  const res = new FsResult();
  const fd = openAt(path, 0, rights.FD_READ, res);
  if (fd < 0) return res;
  res.data = readFd(<u32>fd, res, path);
  fd_close(<u32>fd);
  return res;
}

/** Reads a descriptor to EOF (stdin is fd 0). */
export function readFd(fd: u32, res: FsResult, path: string): Uint8Array {
  let cap = 4096;
  let buf = new Uint8Array(cap);
  let len = 0;
  const iov = changetype<iovec>(scratch + 16);
  while (true) {
    if (len == cap) {
      cap <<= 1;
      const nb = new Uint8Array(cap);
      nb.set(buf);
      buf = nb;
    }
    iov.buf = changetype<usize>(buf.buffer) + len;
    iov.buf_len = cap - len;
    const e = fd_read(fd, changetype<usize>(iov), 1, scratch + 8);
    if (e != 0) { failed(res, e, "reading", path); break; }
    const n = <i32>load<u32>(scratch + 8);
    if (n == 0) break;
    len += n;
  }
  return buf.subarray(0, len);
}

/** Writes all of `data` to a descriptor with one or more fd_write calls. */
export function writeFd(fd: u32, data: Uint8Array, res: FsResult, path: string): bool {
  return writeRaw(fd, data.dataStart, data.length, res, path);
}

/** Writes `len` bytes at `ptr` (e.g. the core's output region) to a descriptor. */
export function writeRaw(fd: u32, ptr: usize, len: i32, res: FsResult, path: string): bool {
  let off = 0;
  const iov = changetype<iovec>(scratch + 16);
  while (off < len) {
    iov.buf = ptr + off;
    iov.buf_len = len - off;
    const e = fd_write(fd, changetype<usize>(iov), 1, scratch + 8);
    if (e != 0) { failed(res, e, "writing", path); return false; }
    const n = <i32>load<u32>(scratch + 8);
    if (n == 0) { failed(res, 29, "writing", path); return false; }
    off += n;
  }
  return true;
}

/** Opens an existing file for writing (no create, no truncate: configfs attributes) and writes. */
export function writeAttr(path: string, data: Uint8Array): FsResult {
  const res = new FsResult();
  const fd = openAt(path, 0, rights.FD_WRITE, res);
  if (fd < 0) return res;
  writeFd(<u32>fd, data, res, path);
  const e = fd_close(<u32>fd);
  if (res.ok && e != 0) failed(res, e, "closing", path);
  return res;
}

/** Creates or truncates a regular file and writes `data` (output files such as --out). */
export function writeFile(path: string, data: Uint8Array): FsResult {
  const res = new FsResult();
  const fd = openAt(path, oflags.CREAT | oflags.TRUNC, rights.FD_WRITE, res);
  if (fd < 0) return res;
  writeFd(<u32>fd, data, res, path);
  fd_close(<u32>fd);
  return res;
}

export function mkdir(path: string): FsResult { return dirOp(path, true); }
export function rmdir(path: string): FsResult { return dirOp(path, false); }

/** path_create_directory or path_remove_directory on the preopen holding `path`. */
function dirOp(path: string, create: bool): FsResult {
  const res = new FsResult();
  const r = resolve(path);
  if (!r.found) return noPreopen(res, path);
  const p = String.UTF8.encode(r.rel);
  const e = create
    ? path_create_directory(r.fd, changetype<usize>(p), p.byteLength)
    : path_remove_directory(r.fd, changetype<usize>(p), p.byteLength);
  return e ? failed(res, e, create ? "creating" : "removing", path) : res;
}

/** True when `path` names a directory some preopen gives access to. */
export function isDir(path: string): bool {
  const res = new FsResult();
  const fd = openAt(path, oflags.DIRECTORY, rights.FD_READDIR, res);
  if (fd < 0) return false;
  fd_close(<u32>fd);
  return true;
}

export function randomBytes(n: i32): Uint8Array {
  const b = new Uint8Array(n);
  random_get(b.dataStart, n);
  return b;
}
