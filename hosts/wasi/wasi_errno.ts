// WASI preview1 numbers its errno values differently from Linux; tsmkit reports Linux names
// everywhere (they are what configfs-tsm documents), so the adapter translates the few a
// configfs client can meet.
export function wasiErrnoName(e: u16): string {
  switch (e) {
    case 2: return "EACCES";
    case 6: return "EAGAIN";
    case 8: return "EBADF";
    case 10: return "EBUSY";
    case 20: return "EEXIST";
    case 21: return "EFAULT";
    case 22: return "EFBIG";
    case 27: return "EINTR";
    case 28: return "EINVAL";
    case 29: return "EIO";
    case 31: return "EISDIR";
    case 37: return "ENAMETOOLONG";
    case 44: return "ENOENT";
    case 48: return "ENOMEM";
    case 54: return "ENOTDIR";
    case 55: return "ENOTEMPTY";
    case 59: return "ENOTTY";
    case 60: return "ENXIO";
    case 61: return "EOVERFLOW";
    case 63: return "EPERM";
    case 68: return "ERANGE";
    case 69: return "EROFS";
    case 73: return "ETIMEDOUT";
    case 74: return "ETXTBSY";
    case 76: return "ENOTCAPABLE";
  }
  return "E" + e.toString();
}
