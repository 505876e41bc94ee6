// Generic configfs semantics (spec section 1.1 and 1.4; fs/configfs/file.c) over the report items:
// the report/ directory, and per-open-file state. Text writes reach the store handler at write();
// text reads snapshot show() at the first read; inblob writes collect in a per-descriptor buffer
// applied at close with the result discarded; a blob's first read generates, then the descriptor
// reads its own copy.
import { Errno } from "./errno";
import { Tsm, Item, WAIT, GENERATE, shown } from "./item";
import { Attr, INBLOB_MAX, attrIsBinary, attrWritable } from "./providers";
import { KernelProfile } from "./profiles";

/** Open flags: what the descriptor may do (O_RDONLY = READ, O_WRONLY = WRITE, O_RDWR = both). */
export const enum OpenFlag { READ = 1, WRITE = 2 }
/** configfs cuts a text write to SIMPLE_ATTR_SIZE - 1 bytes. */
export const TEXT_WRITE_MAX: i32 = 4095;

class OpenFile {
  /** Text: the show() snapshot; binary: the blob copy. NULL until the first successful read. */
  snapshot: Uint8Array | null = null;
  /** Binary write buffer (bin_buffer) and its size; `writing` = write_in_progress. */
  wbuf: Uint8Array = new Uint8Array(INBLOB_MAX);
  wlen: u32 = 0;
  writing: bool = false;
  constructor(public item: Item, public attr: i32, public flags: i32) {}
}

/** Where a read's bytes are: a view into a snapshot, valid until the next call. */
export let readView: Uint8Array = new Uint8Array(0);

export class Configfs {
  tsm: Tsm;
  items: Map<string, Item> = new Map();
  /** Names in creation order, for readdir. */
  order: string[] = [];
  /** Descriptors; index 0 is never used so a descriptor is always >= 1. */
  fds: (OpenFile | null)[] = [null];
  /** The descriptor whose read is waiting for report_new, and its request. */
  pendingFd: i32 = 0;
  pendingPos: u32 = 0;
  pendingLen: u32 = 0;

  constructor(profile: KernelProfile) { this.tsm = new Tsm(profile); }

  /** mkdir report/<name>: EEXIST, then the item type's ENXIO (no provider). */
  mkdir(name: string): i32 {
    if (this.items.has(name)) return -Errno.EEXIST;
    const r = this.tsm.makeItem();
    if (r < 0) return r;
    this.items.set(name, new Item(this.tsm, name, <u32>r));
    this.order.push(name);
    return 0;
  }

  /** rmdir: allowed with files present and no provider; waits while the item generates. */
  rmdir(name: string): i32 {
    if (!this.items.has(name)) return -Errno.ENOENT;
    const item = this.items.get(name);
    if (this.tsm.busy === item) return WAIT; // frag_sem: report_new runs inside the item's read
    item.removed = true;
    this.items.delete(name);
    this.order.splice(this.order.indexOf(name), 1);
    this.tsm.live--;
    return 0;
  }

  item(name: string): Item | null { return this.items.has(name) ? this.items.get(name) : null; }

  /** open: ENOENT for a missing item or hidden attribute, EACCES against the mode bits. */
  open(name: string, a: i32, flags: i32): i32 {
    const item = this.item(name);
    if (!item || !item.visible(a)) return -Errno.ENOENT;
    if (flags & OpenFlag.WRITE && !attrWritable(a)) return -Errno.EACCES;
    if (flags & OpenFlag.READ && attrWritable(a)) return -Errno.EACCES;
    // Every attribute goes one way only, so a descriptor that passed these checks can never do
    // both; configfs's ETXTBSY (read and write on one binary descriptor) cannot arise.
    this.fds.push(new OpenFile(item, a, flags));
    return this.fds.length - 1;
  }

  private file(fd: i32): OpenFile | null {
    return fd > 0 && fd < this.fds.length ? this.fds[fd] : null;
  }

  /** write(2) at `pos`: bytes written or -errno (WAIT: retry after the running generation). */
  write(fd: i32, data: Uint8Array, pos: u32): i32 {
    const f = this.file(fd);
    if (!f || !(f.flags & OpenFlag.WRITE)) return -Errno.EBADF;
    if (!attrIsBinary(f.attr)) {
      const n = min(data.length, TEXT_WRITE_MAX);
      if (n == 0) return -Errno.EFAULT;
      if (f.item.removed) return -Errno.ENOENT;
      return f.item.store(f.attr, data.subarray(0, n));
    }
    // inblob: buffered per descriptor; a zero-length write still grows the buffer to `pos`.
    f.writing = true;
    const end = <u64>pos + <u64>data.length;
    if (end > <u64>f.wlen) {
      if (end > <u64>INBLOB_MAX) return -Errno.EFBIG;
      f.wbuf.fill(0, f.wlen, <i32>end);
      f.wlen = <u32>end;
    }
    if (data.length == 0) return -Errno.EFAULT;
    f.wbuf.set(data, pos);
    return data.length;
  }

  /** read(2) at `pos`: n bytes in readView, -errno, WAIT, or GENERATE (then complete()). */
  read(fd: i32, pos: u32, len: u32): i32 {
    const f = this.file(fd);
    if (!f || !(f.flags & OpenFlag.READ)) return -Errno.EBADF;
    if (f.snapshot === null) {
      if (f.item.removed) return -Errno.ENOENT;
      if (!attrIsBinary(f.attr)) {
        const r = f.item.show(f.attr);
        if (r < 0) return r;
        f.snapshot = Uint8Array.wrap(String.UTF8.encode(shown));
      } else {
        const r = f.item.readBlob(f.attr);
        if (r == GENERATE) {
          this.pendingFd = fd;
          this.pendingPos = pos;
          this.pendingLen = len;
          return GENERATE;
        }
        return this.fill(f, r, pos, len);
      }
    }
    return serve(f.snapshot!, pos, len);
  }

  /** Finishes the read parked by GENERATE with the provider's errno (0 = blobs reserved). */
  complete(err: i32): i32 {
    const f = this.file(this.pendingFd);
    this.pendingFd = 0;
    if (!f) return -Errno.EBADF;
    const r = f.item.complete(err);
    if (r < 0) return r;
    return this.fill(f, f.item.blobLen(f.attr), this.pendingPos, this.pendingLen);
  }

  /** First binary read: 0 is EOF (the next read asks again), above the maximum EFBIG. */
  private fill(f: OpenFile, r: i32, pos: u32, len: u32): i32 {
    if (r <= 0) return r;
    if (<u32>r > this.tsm.profile.blobMax) return -Errno.EFBIG;
    // configfs copies the blob; cached blobs are never modified (a new report replaces them),
    // so holding the same bytes is the same snapshot without a second 16 MiB.
    f.snapshot = f.item.blob(f.attr);
    return serve(f.snapshot!, pos, len);
  }

  /**
   * Applies inblob's buffer if written since the last commit, unless the item is gone; the errno
   * is discarded. configfs does this at the last close; a FUSE server must do it at flush (close()
   * waits for flush, not for release), so it is a call of its own. 0, -EBADF or WAIT.
   */
  flush(fd: i32): i32 {
    const f = this.file(fd);
    if (!f) return -Errno.EBADF;
    if (fd == this.pendingFd) return WAIT;
    if (f.attr == Attr.inblob && f.writing) {
      if (!f.item.removed && f.item.commitInblob(f.wbuf, f.wlen) == WAIT) return WAIT;
      f.writing = false;
    }
    return 0;
  }

  /** close(2): flush, then the descriptor is gone. */
  close(fd: i32): i32 {
    const r = this.flush(fd);
    if (r) return r;
    this.fds[fd] = null;
    return 0;
  }
}

function serve(b: Uint8Array, pos: u32, len: u32): i32 {
  if (pos >= <u32>b.length) return 0;
  const n = min(len, <u32>b.length - pos);
  readView = b.subarray(<i32>pos, <i32>(pos + n));
  return <i32>n;
}
