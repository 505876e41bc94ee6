// The sim backend: executes the report machine's operations on an in-process SimTsm
// (hosts/sim/tsm.js), which serves the kernel's file semantics without a mount. Its readFile and
// writeFile are exactly the configfs backend's I/O (one open/write/close; open/read-to-EOF/close).
import { SimTsm } from "../sim/tsm.js";
import { createProvider } from "../sim/providers/index.js";

const split = (path) => path.split("/");

/** @param {SimTsm} [tsm] the simulator to use; default a fresh tdx_guest one */
export function simBackend(tsm = new SimTsm({ provider: createProvider("tdx_guest") })) {
  return {
    tsm,
    mkdir: (path) => tsm.mkdir(path),
    rmdir: (path) => tsm.rmdir(path),
    read: (path) => tsm.readFile(...split(path)),
    write: async (path, bytes) => { await tsm.writeFile(...split(path), bytes); },
  };
}
