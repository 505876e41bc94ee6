// The file operations getReport's machine emits (mkdir/rmdir/read/write on paths relative to
// report/), executed on a KernelModel. readFile and writeFile are exactly the configfs backend's
// I/O (one open/write/close; open/read-to-EOF/close). The ioctl backend (the device as provider)
// and the sim backend (the simulator's providers) are both this over a different provider.
const split = (path) => path.split("/");

/** @param {import("./model.js").KernelModel} tsm */
export function modelBackend(tsm) {
  return {
    tsm,
    mkdir: (path) => tsm.mkdir(path),
    rmdir: (path) => tsm.rmdir(path),
    read: (path) => tsm.readFile(...split(path)),
    write: async (path, bytes) => { await tsm.writeFile(...split(path), bytes); },
  };
}
