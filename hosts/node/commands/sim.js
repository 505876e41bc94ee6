// `tsmkit sim mount DIR [--provider P] [--kernel V] [...]`: serve the software TSM as a real
// filesystem (FUSE) in the foreground until SIGINT/SIGTERM.
// `tsmkit sim roots DIR`: write the simulator's trust anchors, Intel collateral and AMD CRL for verifiers.
// `tsmkit sim ccel DIR`: write the simulated TD's CCEL (DIR/CCEL, DIR/data/CCEL).
import { parse, integer, UsageError } from "./args.js";

const HELP = `usage: npx tsmkit sim mount DIR [--provider tdx_guest|sev_guest|arm_cca_guest] [--kernel 6.7|6.11|6.16|7.0]
                      [--privlevel-floor N] [--svsm] [--cca-legacy] [--latency MS]
                      [--fault EBUSY|EINTR|ETIMEDOUT|EIO|empty]
       npx tsmkit sim roots DIR
       npx tsmkit sim ccel DIR
  The mount shows what /sys/kernel/config/tsm shows: point clients at DIR/report. With tdx_guest
  (kernel 6.16+), DIR/measurements is /sys/class/misc/tdx_guest/measurements (tsm-mr registers).
  \`sim ccel\` writes the TD's CCEL as /sys/firmware/acpi/tables lays it out: DIR/CCEL (the ACPI
  table) and DIR/data/CCEL (the event log; it replays to the mount's boot RTMR0-2).
  --cca-legacy  arm_cca_guest emits the legacy token shape (tag 399, a realm without a profile)
                instead of TF-RMM's current one (tag 907, realm#2.0.0, cca_platform#2.0.0).
  \`sim roots\` writes the trust anchors (for verify --roots; cca-cpak.pem is the CCA platform key),
  the Intel collateral (--collateral DIR) and the AMD CRL (--crl).
  SIGUSR2 to the mount process unregisters the provider (as unloading its module does).
  Set TSMKIT_SIM_PKI=FILE so \`sim mount\` and \`sim roots\` (separate processes) share one test PKI.`;

export async function run(argv, io) {
  const [sub, ...rest] = argv;
  if (sub === "ccel") {
    const { values, positionals } = parse(rest, {}, { positionals: [1, 1], help: HELP });
    if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
    const { writeCcel } = await import("../../sim/ccel.js");
    for (const path of await writeCcel(positionals[0])) io.stdout.write(`${path}\n`);
    return 0;
  }
  if (sub === "roots") {
    const { values, positionals } = parse(rest, {}, { positionals: [1, 1], help: HELP });
    if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
    const { writeRoots } = await import("../../sim/roots.js");
    for (const path of await writeRoots(positionals[0])) io.stdout.write(`${path}\n`);
    return 0;
  }
  if (sub === "mount") {
    const { values, positionals } = parse(rest, {
      provider: { type: "string" }, kernel: { type: "string" }, "privlevel-floor": { type: "string" },
      svsm: { type: "boolean" }, "cca-legacy": { type: "boolean" }, latency: { type: "string" }, fault: { type: "string" },
    }, { positionals: [1, 1], help: HELP });
    if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
    if (values["cca-legacy"] && values.provider !== "arm_cca_guest") {
      throw new UsageError("--cca-legacy shapes arm_cca_guest tokens; it needs --provider arm_cca_guest", { code: "NOT_APPLICABLE", flag: "--cca-legacy" });
    }
    const { runMount } = await import("../../sim/mount.js");
    try {
      const code = await runMount(positionals[0], {
        provider: values.provider, kernel: values.kernel, privlevelFloor: integer(values["privlevel-floor"], "--privlevel-floor"),
        svsm: values.svsm, providerOptions: { latencyMs: integer(values.latency, "--latency"), fault: values.fault, legacy: values["cca-legacy"] },
        stdout: io.stdout,
      });
      // After a signal stopped it: a FUSE session whose mount someone else removed (fusermount -u)
      // keeps a native thread that never ends; the command is done, so the process ends with it.
      if (code === 0) setTimeout(() => process.exit(code), 1000).unref();
      return code;
    } catch (e) {
      if (e instanceof TypeError) throw new UsageError(e.message, { code: "BAD_VALUE" });
      throw e;
    }
  }
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") { io.stdout.write(HELP + "\n"); return sub ? 0 : 2; }
  throw new UsageError(`unknown sim command "${sub}" (sim mount, sim roots, sim ccel)`, { help: HELP });
}
