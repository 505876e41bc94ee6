// The one place tsmkit makes raw system calls: libc open/ioctl/close through koffi, for the
// legacy guest devices (/dev/sev-guest, /dev/tdx_guest; spec/configfs-tsm.md section 4).
//
// Device interface (hosts/node/ioctl.js drives it; hosts/sim/ioctl-device.js implements the
// same four calls as a simulated kernel):
//   open(path) -> fd                      open(path, O_RDWR | O_CLOEXEC)
//   ioctl(fd, request, address) -> void   ioctl(fd, request, (void *)address)
//   close(fd)
//   alloc(size) -> { address, bytes, free() }
// Errors: an Error with .code (Linux errno name), .errno (number) and .syscall.
//
// Why alloc: the SEV request struct carries user pointers (req_data, resp_data, certs_address),
// so every buffer the kernel reads or writes must have a stable address. Here that is
// unmanaged memory from koffi with a zero-copy view (bytes); the simulated device hands out
// addresses from its own registry and resolves them the way the kernel's copy_from_user does.
// Either way ioctl.js writes the same raw request bytes, pointers included.
import koffi from "koffi";
import { linuxErrnoName } from "./errno.js";

const O_RDWR = 2;
const O_CLOEXEC = 0o2000000; // a child process must not inherit the guest device

let libc;
function calls() {
  if (!libc) {
    const lib = koffi.load("libc.so.6");
    libc = {
      open: lib.func("int open(const char *path, int flags, ...)"),
      // The argument goes as an integer: same register as a pointer in the x86-64 variadic ABI.
      ioctl: lib.func("int ioctl(int fd, unsigned long request, ...)"),
      close: lib.func("int close(int fd)"),
    };
  }
  return libc;
}

function check(r, syscall, what) {
  if (r >= 0) return r;
  const n = koffi.errno(); // read at once: the next call through koffi may change it
  const code = linuxErrnoName(n);
  throw Object.assign(new Error(`${syscall} ${what}: ${code}`), { code, errno: n, syscall });
}

export const libcDevice = Object.freeze({
  name: "libc",
  open: (path) => check(calls().open(path, O_RDWR | O_CLOEXEC), "open", path),
  ioctl(fd, request, address) {
    check(calls().ioctl(fd, request, "uintptr_t", BigInt(address)), "ioctl", `0x${(request >>> 0).toString(16)}`);
  },
  close: (fd) => { check(calls().close(fd), "close", `fd ${fd}`); },
  alloc(size) {
    const ptr = koffi.alloc("uint8_t", size);
    return {
      address: koffi.address(ptr),
      bytes: new Uint8Array(koffi.view(ptr, size)).fill(0),
      free: () => koffi.free(ptr),
    };
  },
});
