// The guest's file access: WASI preview1 calls on preopened directories, nothing more. Paths
// are guest paths (`wasmtime run --dir HOST::GUEST`); every read goes to EOF because configfs and
// sysfs report sizes that are not the content length.
import {
  fd_prestat_get, fd_prestat_dir_name, path_open, fd_read, fd_write, fd_close, fd_filestat_get,
  path_create_directory, path_remove_directory, random_get,
  oflags, rights, iovec, prestat, filestat, filetype,
} from "@assemblyscript/wasi-shim/assembly/bindings/wasi_snapshot_preview1";
import { unzeroed } from "../../assembly/formats/table";
import { wasiErrnoName } from "./wasi_errno";

/** The outcome of one file operation: errno 0 = ok (WASI numbering), else `error` says why. */
export class FsResult {
  errno: u16 = 0;
  data: Uint8Array = new Uint8Array(0);
  /** What failed on which path ("" when no preopen holds it), put into words only when asked. */
  what: string = "";
  path: string = "";
  get ok(): bool { return this.errno == 0; }
  get error(): string {
    if (this.ok) return "";
    return this.what.length ? wasiErrnoName(this.errno) + " " + this.what + " " + this.path
      : "no preopened directory gives access to " + this.path + " (run with --dir HOST::GUEST covering it)";
  }
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
  res.what = what;
  res.path = path;
  return res;
}

function openAt(path: string, openFlags: u16, rightsBase: u64, res: FsResult): i32 {
  const r = resolve(path);
  if (!r.found) { failed(res, 76, "", path); return -1; }
  const p = String.UTF8.encode(r.rel);
  return openIn(r.fd, changetype<usize>(p), p.byteLength, openFlags, rightsBase, res, path);
}

function openIn(dirFd: u32, rel: usize, relLen: i32, openFlags: u16, rightsBase: u64, res: FsResult, path: string): i32 {
  const e = path_open(dirFd, 1, rel, relLen, openFlags, rightsBase, rightsBase, 0, scratch);
  if (e != 0) { failed(res, e, "opening", path); return -1; }
  return <i32>load<u32>(scratch);
}

const READ_RIGHTS = rights.FD_READ | rights.FD_FILESTAT_GET;

/**
 * Hands out memory for a read: the address of an ArrayBuffer of at least `len` bytes. Asked for
 * more than the last one it handed out holds, it must hand out a new one at the heap's end.
 */
export type Reserve = (len: i32) => usize;

/** A new buffer, not zeroed: a read hands back only the bytes it wrote. */
export function freshBuffer(len: i32): usize { return changetype<usize>(unzeroed<ArrayBuffer>(len)); }

/** Reads a whole file to EOF, however large: its size from stat is only a first guess. */
export function readFile(path: string, reserve: Reserve = freshBuffer): FsResult {
  const res = new FsResult();
  const fd = openAt(path, 0, READ_RIGHTS, res);
  if (fd < 0) return res;
  res.data = readFd(<u32>fd, res, path, reserve);
  fd_close(<u32>fd);
  return res;
}

const stat = memory.data(offsetof<filestat>());
const READ_MIN = 4096; // the least a read starts with or grows by
const HINT_MAX: u64 = 1 << 29; // beyond, growth takes over (no ArrayBuffer holds 1 GiB)

/** A regular file's size (a first guess: configfs says 4096 whatever it holds), else 0. */
function sizeHint(fd: u32): i32 {
  if (fd_filestat_get(fd, changetype<filestat>(stat)) != 0) return 0;
  const st = changetype<filestat>(stat);
  return st.filetype == filetype.REGULAR_FILE ? <i32>min<u64>(st.size, HINT_MAX) : 0;
}

/**
 * Reads a descriptor to EOF (stdin is fd 0) into memory from `reserve`, sized by the file's size
 * when it has one. Past that (a pipe, a configfs attribute, a file that grew) the bytes move once
 * to a buffer at the heap's end, which then grows in place: the stub runtime frees nothing, so
 * growing by copying would keep every smaller copy (a 64 MiB pipe took 512 MiB).
 */
export function readFd(fd: u32, res: FsResult, path: string, reserve: Reserve = freshBuffer): Uint8Array {
  let ptr = reserve(max(sizeHint(fd) + 1, READ_MIN)); // + 1: EOF shows without growing
  let cap = changetype<ArrayBuffer>(ptr).byteLength;
  let len = 0;
  let last = false; // ptr is the heap's last block: nothing else is allocated while reading
  const iov = changetype<iovec>(scratch + 16);
  while (true) {
    if (len == cap) {
      const more = cap + max(cap >> 3, READ_MIN);
      if (last) {
        // Memory grown to fit exactly: the runtime itself would double it.
        const end = ptr + <usize>more + 64;
        const have = <usize>memory.size() << 16;
        if (end > have) memory.grow(<i32>((end - have + 0xffff) >> 16));
        assert(__renew(ptr, more) == ptr);
      } else {
        const p = reserve(more);
        memory.copy(p, ptr, len);
        ptr = p;
        last = true;
      }
      cap = more;
    }
    iov.buf = ptr + len;
    iov.buf_len = cap - len;
    const e = fd_read(fd, changetype<usize>(iov), 1, scratch + 8);
    if (e != 0) { failed(res, e, "reading", path); break; }
    const n = <i32>load<u32>(scratch + 8);
    if (n == 0) break;
    len += n;
  }
  return Uint8Array.wrap(changetype<ArrayBuffer>(ptr), 0, len);
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

/** Creates or truncates a regular file and writes `data` (output files such as --out). */
export function writeFile(path: string, data: Uint8Array): FsResult {
  const res = new FsResult();
  const fd = openAt(path, oflags.CREAT | oflags.TRUNC, rights.FD_WRITE, res);
  if (fd < 0) return res;
  writeFd(<u32>fd, data, res, path);
  fd_close(<u32>fd);
  return res;
}

/**
 * A directory a preopen holds, resolved once, and one path under it (`at`) kept in a reused
 * buffer: the report machine's operations, retries and all, allocate nothing (the stub runtime
 * frees nothing). Each call returns its WASI errno (0 = ok).
 */
export class Dir {
  /** What the last successful read() read. */
  data: Uint8Array = new Uint8Array(0);
  private fd: u32;
  private path: ArrayBuffer;
  private base: i32; // bytes of the directory's own path, "/" included
  private len: i32 = 0;
  private res: FsResult = new FsResult(); // errno carrier; its words are never asked for

  constructor(dir: string) {
    const r = resolve(dir);
    this.fd = r.fd;
    const rel = r.rel == "." ? "" : r.rel + "/";
    const base = String.UTF8.byteLength(rel);
    const path = new ArrayBuffer(base + 64);
    String.UTF8.encodeUnsafe(changetype<usize>(rel), rel.length, changetype<usize>(path));
    this.base = base;
    this.path = path;
  }

  /** Names `item`, or `item/attr` when attr is not empty, for the calls that follow. */
  at(item: string, attr: string): Dir {
    const need = this.base + String.UTF8.byteLength(item) + 1 + String.UTF8.byteLength(attr);
    if (need > this.path.byteLength) {
      const p = new ArrayBuffer(need);
      memory.copy(changetype<usize>(p), changetype<usize>(this.path), this.base);
      this.path = p;
    }
    const start = changetype<usize>(this.path);
    let end = start + this.base;
    end += String.UTF8.encodeUnsafe(changetype<usize>(item), item.length, end);
    if (attr.length) {
      store<u8>(end++, 0x2f);
      end += String.UTF8.encodeUnsafe(changetype<usize>(attr), attr.length, end);
    }
    this.len = <i32>(end - start);
    return this;
  }

  mkdir(): u16 { return path_create_directory(this.fd, changetype<usize>(this.path), this.len); }
  rmdir(): u16 { return path_remove_directory(this.fd, changetype<usize>(this.path), this.len); }

  /** Writes an existing file (no create, no truncate: a configfs attribute, which may refuse at close). */
  write(data: Uint8Array): u16 {
    const fd = this.open(rights.FD_WRITE);
    if (fd < 0) return this.res.errno;
    writeFd(<u32>fd, data, this.res, "");
    const e = fd_close(<u32>fd);
    return this.res.ok ? e : this.res.errno;
  }

  /** Reads a file to EOF into memory from `reserve`, as readFd does; `data` holds it when 0 is returned. */
  read(reserve: Reserve): u16 {
    const fd = this.open(READ_RIGHTS);
    if (fd < 0) return this.res.errno;
    this.data = readFd(<u32>fd, this.res, "", reserve);
    fd_close(<u32>fd);
    return this.res.errno;
  }

  private open(rightsBase: u64): i32 {
    this.res.errno = 0;
    return openIn(this.fd, changetype<usize>(this.path), this.len, 0, rightsBase, this.res, "");
  }
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
