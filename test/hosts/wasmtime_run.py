"""Runs a WASI command under the real wasmtime engine, configured as
`wasmtime run [-C ...] --dir HOST::GUEST ... FILE.wasm ARGS...` would: argv, preopened
directories, inherited stdio, the exit status of proc_exit as this process's status, and the
CLI's compilation cache: on by default (the user's wasmtime cache config and directory, as the
CLI's Cache::from_file(None)), `-C cache-config=FILE.toml` for another config, `-C cache=n` off.

usage: wasmtime_run.py [-C cache=y|n] [-C cache-config=FILE] [--dir HOST[::GUEST]]...
                       FILE.wasm [ARGS...]
"""
import sys
import wasmtime

BOOLS = {"y": True, "yes": True, "true": True, "n": False, "no": False, "false": False}


def codegen(spec, opts):
    """One -C argument: KEY[=VALUE][,KEY[=VALUE]...], the keys of the CLI this runner honours."""
    for item in spec.split(","):
        key, eq, value = item.partition("=")
        if key == "cache" and (not eq or value in BOOLS):
            opts["cache"] = BOOLS[value] if eq else True
        elif key == "cache-config" and value:
            opts["cache_config"] = value
        else:
            sys.exit(f"wasmtime_run.py: unsupported -C option {item!r} (cache=y|n, cache-config=FILE)")


def main(argv):
    dirs = []
    opts = {"cache": True, "cache_config": None}
    i = 0
    while i < len(argv) and (argv[i] == "--dir" or argv[i].startswith("-C")):
        if argv[i] == "--dir":
            host, _, guest = argv[i + 1].partition("::")
            dirs.append((host, guest or host))
        elif argv[i] == "-C":
            codegen(argv[i + 1], opts)
        else:  # -CKEY=VALUE, as the CLI also takes it
            codegen(argv[i][2:], opts)
            i -= 1
        i += 2
    wasm, args = argv[i], argv[i + 1:]

    config = wasmtime.Config()
    if opts["cache"]:
        # The CLI reads the user's cache config (or its defaults) unless given one; the wheel's
        # `cache = True` is the same call (wasmtime_config_cache_config_load with no file).
        config.cache = opts["cache_config"] or True
    engine = wasmtime.Engine(config)
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
