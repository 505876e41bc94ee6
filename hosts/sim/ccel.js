// The simulated TD's boot event log, as TDVF hands it to the guest: the ACPI CCEL table (what
// /sys/firmware/acpi/tables/CCEL holds) and the log area it points at (/sys/firmware/acpi/tables/
// data/CCEL): a TCG crypto-agile log (TCG PC Client PFP spec) with the Spec ID event, then SHA-384
// TCG_PCR_EVENT2 records for MR indexes 1-3 (RTMR0-2), the unused area filled with 0xFF. Replaying
// it gives the simulator's boot RTMR0-2 (bootRtmrs), which its quotes start from.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

const EV_NO_ACTION = 0x3;
const EV_SEPARATOR = 0x4;
const EV_IPL = 0xd;
const EV_EFI_VARIABLE_DRIVER_CONFIG = 0x80000001;
const EV_EFI_BOOT_SERVICES_APPLICATION = 0x80000003;
const TPM_ALG_SHA384 = 0x000c;
const SHA384_SIZE = 48;
const CC_TYPE_TDX = 2;
const LOG_AREA = 65536; // LAML: the log area's size (TDVF reserves 64 KiB or more)
const LOG_ADDRESS = 0x7f000000n; // LASA: a guest-physical address, only recorded
const EFI_GLOBAL_VARIABLE = "8be4df61-93ca-11d2-aa0d-00e098032b8c";

const sha384 = (...parts) => { const h = createHash("sha384"); for (const p of parts) h.update(p); return new Uint8Array(h.digest()); };
const text = (s) => new TextEncoder().encode(s);
const u16 = (v) => { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, v, true); return b; };
const u32 = (v) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); return b; };
const u64 = (v) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(v), true); return b; };
const concat = (...parts) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** A GUID in EFI_GUID byte order (first three fields little-endian). */
function efiGuid(s) {
  const h = Buffer.from(s.replaceAll("-", ""), "hex");
  return concat([...h.subarray(0, 4)].reverse(), [...h.subarray(4, 6)].reverse(), [...h.subarray(6, 8)].reverse(), h.subarray(8));
}

/** UEFI_VARIABLE_DATA: VariableName GUID, name length, data length, UTF-16LE name, data. */
function variableData(guid, name, data) {
  return concat(efiGuid(guid), u64(name.length), u64(data.length), Buffer.from(name, "utf16le"), data);
}

/**
 * The boot events, by MR index (1 = RTMR0 firmware configuration, 2 = RTMR1 OS loader and kernel,
 * 3 = RTMR2 command line and initrd, as TDVF and the Linux boot path use them). `measured` is
 * what was hashed when it is not the event data itself (an image, not its load event).
 */
export const BOOT_EVENTS = Object.freeze([
  { mr: 1, type: EV_EFI_VARIABLE_DRIVER_CONFIG, data: variableData(EFI_GLOBAL_VARIABLE, "SecureBoot", Uint8Array.of(0)) },
  { mr: 1, type: EV_SEPARATOR, data: new Uint8Array(4) },
  // UEFI_IMAGE_LOAD_EVENT: location, length, link-time address, device path length (none)
  { mr: 2, type: EV_EFI_BOOT_SERVICES_APPLICATION, data: concat(u64(0x7e000000), u64(0x1000000), u64(0), u64(0)), measured: text("tsmkit TEST kernel image") },
  { mr: 2, type: EV_SEPARATOR, data: new Uint8Array(4) },
  { mr: 3, type: EV_IPL, data: text("console=hvc0 root=/dev/vda1 ro tsmkit.sim=1\0") },
  { mr: 3, type: EV_IPL, data: text("initrd\0"), measured: text("tsmkit TEST initrd") },
]);

/** The Spec ID event (TCG_EfiSpecIDEvent in a SHA-1-format header), declaring SHA-384 only. */
function specIdEvent() {
  const body = concat(text("Spec ID Event03\0"), u32(0), [0, 2, 0, 2], u32(1), u16(TPM_ALG_SHA384), u16(SHA384_SIZE), [0]);
  // TDVF records it under MR index 1 (the PFP spec says 0; parsers accept either)
  return concat(u32(1), u32(EV_NO_ACTION), new Uint8Array(20), u32(body.length), body);
}

/** The ACPI CCEL table (56 bytes): header, CC type TDX, log area minimum length and start. */
function ccelTable() {
  const t = concat(
    text("CCEL"), u32(56), [1, 0], text("TSMKIT"), text("SIM     "), u32(1), text("TSMK"), u32(1),
    [CC_TYPE_TDX, 0], u16(0), u64(LOG_AREA), u64(LOG_ADDRESS),
  );
  t[9] = (256 - (t.reduce((a, b) => a + b, 0) & 0xff)) & 0xff; // the bytes sum to 0 mod 256
  return t;
}

let built;

/**
 * { table, data, rtmrs }: the CCEL table, its log area (LAML bytes), and RTMR0-3 as the log
 * replays them (RTMR3 stays zero: the firmware does not touch it).
 */
export function buildCcel() {
  if (built) return built;
  const rtmrs = Array.from({ length: 4 }, () => new Uint8Array(SHA384_SIZE));
  const records = [specIdEvent()];
  for (const e of BOOT_EVENTS) {
    const digest = sha384(e.measured ?? e.data);
    records.push(concat(u32(e.mr), u32(e.type), u32(1), u16(TPM_ALG_SHA384), digest, u32(e.data.length), e.data));
    rtmrs[e.mr - 1] = sha384(rtmrs[e.mr - 1], digest);
  }
  const data = new Uint8Array(LOG_AREA).fill(0xff);
  data.set(concat(...records));
  built = Object.freeze({ table: ccelTable(), data, rtmrs });
  return built;
}

/** Writes DIR/CCEL and DIR/data/CCEL, as /sys/firmware/acpi/tables lays them out; returns the paths. */
export async function writeCcel(dir) {
  const { table, data } = buildCcel();
  await mkdir(join(dir, "data"), { recursive: true });
  const paths = [join(dir, "CCEL"), join(dir, "data", "CCEL")];
  await writeFile(paths[0], table);
  await writeFile(paths[1], data);
  return paths;
}
