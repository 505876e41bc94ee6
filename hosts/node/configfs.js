// The configfs backend: executes the report machine's operations on a real configfs-tsm tree
// (or the FUSE simulator mount). Paths are relative to `root`. Attribute I/O follows the kernel's
// rules (spec §1.4): one open/write/close per write, because text attributes act on each write()
// and inblob only at close; reads go to the content's end (a short read), because configfs
// reports sizes (4096) that are not the content's.
import { open, mkdir, rmdir } from "node:fs/promises";
import { constants } from "node:fs";
import { join } from "node:path";
import { ATTRIBUTES, attrId } from "../js/tsm-kernel.js";

export const DEFAULT_ROOT = "/sys/kernel/config/tsm/report";
const READ_CHUNK = 64 << 10;
// A text attribute is one show() into a page: its whole content fits PAGE_SIZE bytes.
const TEXT_CHUNK = 4096;
const isText = (path) => ATTRIBUTES[attrId(path.slice(path.lastIndexOf("/") + 1))]?.binary === false;

/** @param {string} [root] the report directory */
export function configfsBackend(root = DEFAULT_ROOT) {
  return {
    root,
    mkdir: (path) => mkdir(join(root, path)),
    rmdir: (path) => rmdir(join(root, path)),
    async read(path) {
      const fh = await open(join(root, path), constants.O_RDONLY);
      return closing(fh, async () => {
        // Room for a whole TDX quote or SNP report + certificates at once, so a blob costs one
        // read() (each read() is a round trip to the kernel, or to FUSE); a page for text.
        let buf = Buffer.allocUnsafe(isText(path) ? TEXT_CHUNK : READ_CHUNK);
        let len = 0;
        for (;;) {
          const { bytesRead } = await fh.read(buf, len, buf.length - len, null);
          len += bytesRead;
          // A short read is the end: configfs makes an attribute's whole content at the first
          // read (a text attribute's show() into a page, a binary one's read() into a buffer)
          // and serves every read from that snapshot (simple_read_from_buffer), so only a read
          // that fills the buffer can have more behind it. No EOF read() needed.
          // Exact size, as a view: its reader (the report machine's feed) copies it at once, and a
          // copy here was one more ArrayBuffer (~2 µs for a quote) per read.
          if (len < buf.length) return buf.subarray(0, len);
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, len);
          buf = bigger;
        }
      });
    },
    async write(path, bytes) {
      // O_WRONLY alone: O_CREAT would turn a hidden attribute's ENOENT into EACCES.
      const fh = await open(join(root, path), constants.O_WRONLY);
      return closing(fh, async () => {
        // A second write() would run a text attribute's store handler twice: one call only.
        const { bytesWritten } = await fh.write(bytes, 0, bytes.length, null);
        if (bytesWritten !== bytes.length) {
          throw Object.assign(new Error(`short write to ${path}: ${bytesWritten} of ${bytes.length} bytes`), { code: "EIO" });
        }
      });
    },
  };
}

/** Runs fn, then closes fh; close()'s error counts only when fn succeeded (it would hide fn's). */
async function closing(fh, fn) {
  let result;
  try {
    result = await fn();
  } catch (e) {
    await fh.close().catch(() => {});
    throw e;
  }
  await fh.close();
  return result;
}
