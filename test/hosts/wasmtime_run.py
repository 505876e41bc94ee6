"""Runs a WASI command under the real wasmtime engine, configured as
`wasmtime run --dir HOST::GUEST ... FILE.wasm ARGS...` would: argv, preopened directories,
inherited stdio, and the exit status of proc_exit as this process's status.

usage: wasmtime_run.py [--dir HOST[::GUEST]]... FILE.wasm [ARGS...]
"""
import sys
import wasmtime


def main(argv):
    dirs = []
    i = 0
    while i < len(argv) and argv[i] == "--dir":
        spec = argv[i + 1]
        host, _, guest = spec.partition("::")
        dirs.append((host, guest or host))
        i += 2
    wasm, args = argv[i], argv[i + 1:]

    engine = wasmtime.Engine()
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    cfg = wasmtime.WasiConfig()
    cfg.argv = [wasm] + args
    for host, guest in dirs:
        cfg.preopen_dir(host, guest)
    cfg.inherit_stdin()
    cfg.inherit_stdout()
    cfg.inherit_stderr()
    store.set_wasi(cfg)
    module = wasmtime.Module.from_file(engine, wasm)
    instance = linker.instantiate(store, module)
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        return e.code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
