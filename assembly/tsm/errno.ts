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

// One table, so name -> number and number -> name cannot disagree.
const NUMBERS: i32[] = [
  Errno.EPERM, Errno.ENOENT, Errno.EINTR, Errno.EIO, Errno.ENXIO, Errno.E2BIG, Errno.EBADF,
  Errno.EAGAIN, Errno.ENOMEM, Errno.EACCES, Errno.EFAULT, Errno.EBUSY, Errno.EEXIST, Errno.ENODEV,
  Errno.ENOTDIR, Errno.EISDIR, Errno.EINVAL, Errno.ENOTTY, Errno.ETXTBSY, Errno.EFBIG, Errno.ENOSPC,
  Errno.EROFS, Errno.ERANGE, Errno.ENAMETOOLONG, Errno.ENOSYS, Errno.ENOTEMPTY, Errno.ENOSR,
  Errno.EBADMSG, Errno.EOVERFLOW, Errno.EOPNOTSUPP, Errno.ETIMEDOUT,
];
const NAMES: string[] = [
  "EPERM", "ENOENT", "EINTR", "EIO", "ENXIO", "E2BIG", "EBADF",
  "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "EBUSY", "EEXIST", "ENODEV",
  "ENOTDIR", "EISDIR", "EINVAL", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC",
  "EROFS", "ERANGE", "ENAMETOOLONG", "ENOSYS", "ENOTEMPTY", "ENOSR",
  "EBADMSG", "EOVERFLOW", "EOPNOTSUPP", "ETIMEDOUT",
];

/** The Linux name of errno `e` ("EINVAL"); "E<n>" for a number not in the table. */
export function errnoName(e: i32): string {
  for (let i = 0; i < NUMBERS.length; i++) if (NUMBERS[i] == e) return NAMES[i];
  return "E" + e.toString();
}

/** The Linux number for `name` ("EWOULDBLOCK" is EAGAIN), or 0 if unknown. */
export function errnoNumber(name: string): i32 {
  if (name == "EWOULDBLOCK") return Errno.EAGAIN;
  for (let i = 0; i < NAMES.length; i++) if (NAMES[i] == name) return NUMBERS[i];
  return 0;
}

/** Number of known errnos; hosts enumerate them with errnoAt(i). */
export function errnoCount(): i32 { return NUMBERS.length; }
export function errnoAt(i: i32): i32 { return i >= 0 && i < NUMBERS.length ? NUMBERS[i] : 0; }
