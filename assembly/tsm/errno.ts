// Linux errno numbers (asm-generic/errno-base.h, errno.h) and their names, shared by the kernel
// model (tsm/item, tsm/configfs) and the client machine (tsm/request). configfs-tsm documents its
// failures by these names (spec section 2.6), so names are what crosses to hosts and users.

export const enum Errno {
  EPERM = 1,
  ENOENT = 2,
  EINTR = 4,
  EIO = 5,
  ENXIO = 6,
  E2BIG = 7,
  EBADF = 9,
  EAGAIN = 11, // = EWOULDBLOCK
  ENOMEM = 12,
  EACCES = 13,
  EFAULT = 14,
  EBUSY = 16,
  EEXIST = 17,
  ENODEV = 19,
  ENOTDIR = 20,
  EISDIR = 21,
  EINVAL = 22,
  ENOTTY = 25,
  ETXTBSY = 26,
  EFBIG = 27,
  ENOSPC = 28,
  EROFS = 30,
  ERANGE = 34,
  ENAMETOOLONG = 36,
  ENOSYS = 38,
  ENOTEMPTY = 39,
  ENOSR = 63,
  EBADMSG = 74,
  EOVERFLOW = 75,
  EOPNOTSUPP = 95,
  ETIMEDOUT = 110,
}

/** One errno: its number beside its name, so the two cannot drift apart. */
class ErrnoName {
  constructor(public errno: i32, public name: string) {}
}
const row = (errno: i32, name: string): ErrnoName => new ErrnoName(errno, name);

const TABLE: ErrnoName[] = [
  row(Errno.EPERM, "EPERM"), row(Errno.ENOENT, "ENOENT"), row(Errno.EINTR, "EINTR"), row(Errno.EIO, "EIO"),
  row(Errno.ENXIO, "ENXIO"), row(Errno.E2BIG, "E2BIG"), row(Errno.EBADF, "EBADF"), row(Errno.EAGAIN, "EAGAIN"),
  row(Errno.ENOMEM, "ENOMEM"), row(Errno.EACCES, "EACCES"), row(Errno.EFAULT, "EFAULT"), row(Errno.EBUSY, "EBUSY"),
  row(Errno.EEXIST, "EEXIST"), row(Errno.ENODEV, "ENODEV"), row(Errno.ENOTDIR, "ENOTDIR"), row(Errno.EISDIR, "EISDIR"),
  row(Errno.EINVAL, "EINVAL"), row(Errno.ENOTTY, "ENOTTY"), row(Errno.ETXTBSY, "ETXTBSY"), row(Errno.EFBIG, "EFBIG"),
  row(Errno.ENOSPC, "ENOSPC"), row(Errno.EROFS, "EROFS"), row(Errno.ERANGE, "ERANGE"), row(Errno.ENAMETOOLONG, "ENAMETOOLONG"),
  row(Errno.ENOSYS, "ENOSYS"), row(Errno.ENOTEMPTY, "ENOTEMPTY"), row(Errno.ENOSR, "ENOSR"), row(Errno.EBADMSG, "EBADMSG"),
  row(Errno.EOVERFLOW, "EOVERFLOW"), row(Errno.EOPNOTSUPP, "EOPNOTSUPP"), row(Errno.ETIMEDOUT, "ETIMEDOUT"),
];

/** The Linux name of errno `e` ("EINVAL"); "E<n>" for a number not in the table. */
export function errnoName(e: i32): string {
  for (let i = 0; i < TABLE.length; i++) if (TABLE[i].errno == e) return TABLE[i].name;
  return "E" + e.toString();
}

/** The Linux number for `name` ("EWOULDBLOCK" is EAGAIN), or 0 if unknown. */
export function errnoNumber(name: string): i32 {
  if (name == "EWOULDBLOCK") return Errno.EAGAIN;
  for (let i = 0; i < TABLE.length; i++) if (TABLE[i].name == name) return TABLE[i].errno;
  return 0;
}

/** Number of known errnos; hosts enumerate them with errnoAt(i). */
export function errnoCount(): i32 { return TABLE.length; }
export function errnoAt(i: i32): i32 { return i >= 0 && i < TABLE.length ? TABLE[i].errno : 0; }
