// The sim backend: executes the report machine's operations on an in-process SimTsm
// (hosts/sim/tsm.js), through the same descriptor calls the FUSE mount uses, so a request sees
// the simulated kernel's file semantics without a mount. Paths are relative to report/.
import { constants } from "node:fs";
import { SimTsm } from "../sim/tsm.js";
import { createProvider } from "../sim/providers/index.js";

const CHUNK = 64 * 1024;

/** @param {SimTsm} [tsm] the simulator to use; default a fresh tdx_guest one */
export function simBackend(tsm = new SimTsm({ provider: createProvider("tdx_guest") })) {
  const at = (path) => `/report/${path}`;
  /** Opens, runs fn(fd), always closes. */
  async function withFd(path, mode, fn) {
    const fd = tsm.open(at(path), mode);
    try {
      return await fn(fd);
    } finally {
      tsm.close(fd);
    }
  }
  return {
    tsm,
    mkdir: async (path) => { tsm.mkdir(at(path)); },
    rmdir: async (path) => { tsm.rmdir(at(path)); },
    // To EOF, like the configfs backend: the first read generates, later ones page the snapshot.
    read: (path) => withFd(path, constants.O_RDONLY, async (fd) => {
      const parts = [];
      let pos = 0;
      for (;;) {
        const b = await tsm.read(fd, CHUNK, pos);
        if (b.length === 0) break;
        parts.push(b);
        pos += b.length;
      }
      const out = new Uint8Array(pos);
      let o = 0;
      for (const b of parts) { out.set(b, o); o += b.length; }
      return out;
    }),
    // One write, then the flush that close() performs (inblob takes effect there, spec §1.4).
    write: (path, bytes) => withFd(path, constants.O_WRONLY, async (fd) => {
      await tsm.write(fd, bytes, 0);
      await tsm.flush(fd);
    }),
  };
}
