// FUSE callbacks (@cocalc/fuse-native, libfuse2 high-level API) mapped onto a KernelModel. The mount
// shows what /sys/kernel/config/tsm shows: a root with the default group report/, whose items
// and attributes are the KernelModel's. This file only translates (paths, flags, offsets in; bytes,
// stats, errnos out): every configfs rule (visibility, direction, EFBIG, generations, snapshots)
// is the KernelModel's.
import { constants } from "node:os";

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const ACCESS = ["r", "w", "rw"]; // O_RDONLY, O_WRONLY, O_RDWR
const O_ACCMODE = 3;
const BOOT = new Date();

/** A KernelModel error (Error with .code = errno name) as FUSE's negative errno; anything else is EIO. */
export function errnoOf(err) {
  const n = typeof err?.code === "string" ? constants.errno[err.code] : undefined;
  return -(n ?? constants.errno.EIO);
}

const errno = (name) => Object.assign(new Error(name), { code: name });

/** Runs fn (sync or async) and answers cb with ok(result), or with the errno fn threw. */
function answer(cb, fn, ok = () => [0]) {
  Promise.resolve().then(fn).then((r) => cb(...ok(r)), (err) => cb(errnoOf(err)));
}

/**
 * "/" is the tsm root, "/report" the report group, "/report/x" an item, "/report/x/a" an
 * attribute: { depth, name?, attr? } with depth 0..3 (deeper paths cannot exist).
 */
function parse(path) {
  const parts = path.split("/").filter(Boolean);
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
function toStat({ kind, mode, binary }) {
  const base = { uid: 0, gid: 0, atime: BOOT, mtime: BOOT, ctime: BOOT, blksize: 4096 };
  return kind === "dir"
    ? { ...base, mode: S_IFDIR | mode, nlink: 2, size: 0 }
    : { ...base, mode: S_IFREG | mode, nlink: 1, size: binary ? 0 : 4096 };
}

/** The fuse-native ops object over `tsm`. FUSE file handles are the KernelModel's descriptors. */
export function fuseOps(tsm) {
  const stat = (path) => {
    const p = parse(path);
    return p.depth === 0 ? { kind: "dir", mode: 0o755 } : tsm.stat(p.name, p.attr);
  };
  // For operations configfs accepts without effect, after the path has been checked.
  const accept = (path, cb) => answer(cb, () => stat(path));
  const refuse = (name) => (...args) => args.at(-1)(-constants.errno[name]);

  return {
    getattr: (path, cb) => answer(cb, () => toStat(stat(path)), (s) => [0, s]),
    readdir: (path, cb) => answer(cb, () => {
      const p = parse(path);
      if (p.depth === 0) return ["report"];
      if (p.depth === 3) throw errno("ENOTDIR");
      return tsm.readdir(p.name);
    }, (names) => [0, names]),
    // The tsm root and report/ itself are default groups: nothing is made or removed there.
    mkdir: (path, mode, cb) => answer(cb, () => {
      if (/^\/[^/]+$/.test(path)) throw errno(path === "/report" ? "EEXIST" : "EPERM");
      const p = parse(path);
      return tsm.mkdir(p.attr === undefined ? p.name : `${p.name}/${p.attr}`);
    }),
    rmdir: (path, cb) => answer(cb, () => {
      const p = parse(path);
      if (p.depth < 2) throw errno(p.depth === 1 ? "EPERM" : "EBUSY");
      if (p.depth === 3) { stat(path); throw errno("ENOTDIR"); }
      return tsm.rmdir(p.name);
    }),

    // The descriptor (>= 1) is the FUSE file handle, so no table is kept here.
    open: (path, flags, cb) => answer(cb, () => {
      const p = parse(path);
      if (p.depth < 3) throw errno("EISDIR");
      return tsm.open(p.name, p.attr, ACCESS[flags & O_ACCMODE]);
    }, (fd) => [0, fd]),
    // Offsets are honoured both ways: pread/pwrite callers (wasmtime) give them explicitly.
    read: (path, fd, buf, len, pos, cb) => answer(cb, async () => {
      const bytes = await tsm.read(fd, pos, len);
      buf.set(bytes);
      return bytes.length;
    }, (n) => [n]),
    write: (path, fd, buf, len, pos, cb) => answer(cb, () => tsm.write(fd, buf.subarray(0, len), pos), (n) => [n]),
    // Commit here, not in release: close() waits for flush, while release arrives after close()
    // has returned, so a read right after close would see the old inblob. Flush also runs at the
    // close of each duplicate of a descriptor: the KernelModel commits only a write since the last.
    flush: (path, fd, cb) => answer(cb, () => tsm.flush(fd)),
    release: (path, fd, cb) => answer(cb, () => tsm.close(fd)),

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
