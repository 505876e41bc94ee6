// FUSE callbacks (@cocalc/fuse-native, libfuse2 high-level API) mapped onto a KernelModel. The mount
// shows what /sys/kernel/config/tsm shows: a root with the default group report/, whose items
// and attributes are the KernelModel's. Beside it, while a provider with tsm-mr registers
// (tdx_guest) is registered on a kernel whose profile has them (6.16+), measurements/ shows what
// /sys/class/misc/tdx_guest/measurements shows (hosts/sim/measurements.js). This file only
// translates (paths, flags, offsets in; bytes, stats, errnos out): every configfs rule
// (visibility, direction, EFBIG, generations, snapshots) is the KernelModel's, every tsm-mr rule
// the register group's.
import { errnoByName, errnoError } from "../kernel/errno.js";

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const ACCESS = ["r", "w", "rw"]; // O_RDONLY, O_WRONLY, O_RDWR
const O_ACCMODE = 3;
const BOOT = new Date();

const EIO = errnoByName("EIO");

/** A KernelModel error (Error with .code = errno name) as FUSE's negative errno; anything else is EIO. */
function errnoOf(err) {
  return -(errnoByName(err?.code) || EIO);
}

/** What this file throws for errno `name` (the kernel's answer to the path, see errnoOf). */
const errno = (name) => errnoError(name, "sim mount");

/** Runs fn (sync or async) and answers cb with ok(result), or with the errno fn threw. */
function answer(cb, fn, ok = () => [0]) {
  Promise.resolve().then(fn).then((r) => cb(...ok(r)), (err) => cb(errnoOf(err)));
}

/**
 * "/" is the tsm root, "/report" the report group, "/report/x" an item, "/report/x/a" an
 * attribute: { depth, name?, attr? } with depth 0..3 (deeper paths cannot exist). Under
 * "/measurements" (when there are registers): { mr: true, depth 1..2, file? }.
 */
function parse(path, registers) {
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "measurements" && registers && parts.length <= 2) return { mr: true, depth: parts.length, file: parts[1] };
  if (parts.length && parts[0] !== "report") throw errno("ENOENT");
  if (parts.length > 3) throw errno("ENOENT");
  return { depth: parts.length, name: parts[1], attr: parts[2] };
}

/**
 * configfs sizes no attribute by what it holds: a text attribute reports PAGE_SIZE (4096), a
 * binary one 0 (fs/configfs/dir.c, configfs_attach_attr), so clients read to EOF; the mount needs
 * direct_io, or the kernel would trim reads to these sizes. One difference remains: configfs has
 * no splice, so sendfile() fails there and callers fall back to read(), while FUSE (Linux 6.5+,
 * until "fuse: use copy_splice_read() for FOPEN_DIRECT_IO") splices through the page cache,
 * which stops at st_size: Python's shutil.copyfile copies 0 bytes of a binary attribute here.
 */
function toStat({ kind, mode, binary, size }) {
  const base = { uid: 0, gid: 0, atime: BOOT, mtime: BOOT, ctime: BOOT, blksize: 4096 };
  return kind === "dir"
    ? { ...base, mode: S_IFDIR | mode, nlink: 2, size: 0 }
    : { ...base, mode: S_IFREG | mode, nlink: 1, size: size ?? (binary ? 0 : 4096) }; // sysfs sizes a register file by the register
}

/**
 * The fuse-native ops object over `tsm`. FUSE file handles are the KernelModel's descriptors;
 * register files are stateless (sysfs keeps nothing per descriptor for them): their handle is 0.
 */
export function fuseOps(tsm) {
  // The provider's register group, looked up at each call: unregistering the provider removes it.
  const registers = () => (tsm.hasTsmMr ? tsm.gen?.measurements : undefined);
  const at = (path) => parse(path, registers());
  // The group behind a register file's path (gone with the provider: ENOENT).
  const register = (path) => { if (!at(path).mr) throw errno("ENOENT"); return registers(); };
  const stat = (path) => {
    const p = at(path);
    if (p.mr) return p.depth === 1 ? { kind: "dir", mode: 0o755 } : { kind: "file", ...registers().stat(p.file) };
    return p.depth === 0 ? { kind: "dir", mode: 0o755 } : tsm.stat(p.name, p.attr);
  };
  // For operations configfs accepts without effect, after the path has been checked.
  const accept = (path, cb) => answer(cb, () => stat(path));
  const refuse = (name) => (...args) => args.at(-1)(-errnoByName(name));

  return {
    getattr: (path, cb) => answer(cb, () => toStat(stat(path)), (s) => [0, s]),
    readdir: (path, cb) => answer(cb, () => {
      const p = at(path);
      if (p.mr) { if (p.depth === 2) { stat(path); throw errno("ENOTDIR"); } return registers().readdir(); }
      if (p.depth === 0) return registers() ? ["report", "measurements"] : ["report"];
      if (p.depth === 3) throw errno("ENOTDIR");
      return tsm.readdir(p.name);
    }, (names) => [0, names]),
    // The tsm root and report/ itself are default groups: nothing is made or removed there.
    mkdir: (path, mode, cb) => answer(cb, () => {
      if (/^\/[^/]+$/.test(path)) throw errno(path === "/report" || (path === "/measurements" && registers()) ? "EEXIST" : "EPERM");
      const p = at(path);
      if (p.mr) throw errno("EPERM"); // sysfs makes no directories
      return tsm.mkdir(p.attr === undefined ? p.name : `${p.name}/${p.attr}`);
    }),
    rmdir: (path, cb) => answer(cb, () => {
      const p = at(path);
      if (p.mr) { stat(path); throw errno(p.depth === 2 ? "ENOTDIR" : "EPERM"); }
      if (p.depth < 2) throw errno(p.depth === 1 ? "EPERM" : "EBUSY");
      if (p.depth === 3) { stat(path); throw errno("ENOTDIR"); }
      return tsm.rmdir(p.name);
    }),

    // The descriptor (>= 1) is the FUSE file handle, so no table is kept here.
    open: (path, flags, cb) => answer(cb, () => {
      const p = at(path);
      if (p.mr) {
        if (p.depth < 2) throw errno("EISDIR");
        registers().open(p.file, ACCESS[flags & O_ACCMODE]);
        return 0;
      }
      if (p.depth < 3) throw errno("EISDIR");
      return tsm.open(p.name, p.attr, ACCESS[flags & O_ACCMODE]);
    }, (fd) => [0, fd]),
    // Offsets are honoured both ways: pread/pwrite callers (wasmtime) give them explicitly.
    // Handle 0 is a register file; configfs descriptors are >= 1 and need no path (release may
    // come with none, after its item was removed).
    read: (path, fd, buf, len, pos, cb) => answer(cb, async () => {
      const bytes = fd === 0 ? register(path).read(at(path).file, pos, len) : await tsm.read(fd, pos, len);
      buf.set(bytes);
      return bytes.length;
    }, (n) => [n]),
    write: (path, fd, buf, len, pos, cb) => answer(cb, () => (fd === 0
      ? register(path).write(at(path).file, buf.subarray(0, len), pos)
      : tsm.write(fd, buf.subarray(0, len), pos)), (n) => [n]),
    // Commit here, not in release: close() waits for flush, while release arrives after close()
    // has returned, so a read right after close would see the old inblob. Flush also runs at the
    // close of each duplicate of a descriptor: the KernelModel commits only a write since the last.
    flush: (path, fd, cb) => answer(cb, () => (fd === 0 ? undefined : tsm.flush(fd))),
    release: (path, fd, cb) => answer(cb, () => (fd === 0 ? undefined : tsm.close(fd))),

    // `>` truncates before writing: configfs accepts a size change and ignores it, and FUSE
    // must not count it as a write.
    truncate: (path, size, cb) => accept(path, cb),
    ftruncate: (path, fd, size, cb) => cb(0),
    // configfs keeps times, mode and owner of its inodes in memory and accepts changes to them.
    utimens: (path, atime, mtime, cb) => accept(path, cb),
    chmod: (path, mode, cb) => accept(path, cb),
    chown: (path, uid, gid, cb) => accept(path, cb),
    // What the VFS answers for the inode and file operations configfs does not have.
    create: refuse("EACCES"),
    mknod: refuse("EPERM"),
    unlink: refuse("EPERM"),
    rename: refuse("EPERM"),
    link: refuse("EPERM"),
    symlink: refuse("EPERM"),
    fsync: refuse("EINVAL"),
  };
}
