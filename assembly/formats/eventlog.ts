// The Confidential Computing Event Log (CCEL): the ACPI table that locates it, the TCG
// crypto-agile log it holds (a TCG_PCR_EVENT carrying the Spec ID event, then TCG_PCR_EVENT2
// records), and the RTMR values its extends produce on Intel TDX.
//
// Input region (eventlog_abi.ts lays it out): [log | table (optional) | replay output, 4 x 48].
// Offsets in the result and in errors are the log's own; the table's errors name `table.*` and
// count from the table's first byte.
import { T, f, layout } from "./layout";
import { E, fail } from "./error";
import { emitLayout, open, openArray, close, computed, str, bytes, u8at, u16at, u32at, u64at, inPtr } from "./table";
import {
  eventTypeName, isStringEvent, algorithmName, algorithmSize, tdxRegisterName, ccTypeName, CC_TYPE_TDX,
  EV_NO_ACTION, EV_EVENT_TAG, EV_EFI_PLATFORM_FIRMWARE_BLOB2, EV_EFI_HANDOFF_TABLES2, TPM_ALG_SHA384, isVariableEvent,
} from "./eventlog_names";
import { resetReplay, extend, copyReplay, lastEvent, RTMR_COUNT, RTMR_SIZE } from "./eventlog_replay";

export const REPLAY_BYTES: u32 = <u32>RTMR_COUNT * RTMR_SIZE;

// ACPI Specification 6.5, "Confidential Computing Event Log Table (CCEL)": the 36-byte system
// description table header (section 5.2.6), then the CC type and the log area.
export const CCEL_TABLE = layout("ccelTable", 56, [
  f("signature", 0, 4, T.TEXT), // "CCEL"
  f("length", 4, 4, T.U32), // of the whole table
  f("revision", 8, 1, T.U8),
  f("checksum", 9, 1, T.U8), // all `length` bytes sum to 0 mod 256
  f("oemId", 10, 6, T.TEXT),
  f("oemTableId", 16, 8, T.TEXT),
  f("oemRevision", 24, 4, T.U32),
  f("creatorId", 28, 4, T.TEXT),
  f("creatorRevision", 32, 4, T.U32),
  f("ccType", 36, 1, T.U8), // 1 AMD SEV, 2 Intel TDX
  f("ccSubtype", 37, 1, T.U8),
  f("laml", 40, 8, T.U64), // log area minimum length
  f("lasa", 48, 8, T.U64), // log area start address (guest physical)
]);

// TCG PC Client Platform Firmware Profile Specification (PFP), section 10.2.1 "TCG_PCR_EVENT":
// the log's first record, in the SHA-1 format, whose data is the Spec ID event.
export const PCR_EVENT = layout("tcgPcrEvent", 32, [
  f("mrIndex", 0, 4, T.U32),
  f("eventType", 4, 4, T.U32), // EV_NO_ACTION
  f("digest", 8, 20, T.HEX), // zero
  f("eventSize", 28, 4, T.U32),
]);

// PFP section 10.4.5.1 "Specification ID Version Event" (TCG_EfiSpecIDEvent), fixed part; then
// numberOfAlgorithms x ALGORITHM_SIZE, vendorInfoSize (u8) and vendorInfo.
export const SPEC_ID = layout("specIdEvent", 28, [
  f("signature", 0, 15, T.TEXT), // 16 bytes "Spec ID Event03\0"; the NUL is checked, not shown
  f("platformClass", 16, 4, T.U32),
  f("specVersionMinor", 20, 1, T.U8),
  f("specVersionMajor", 21, 1, T.U8),
  f("specErrata", 22, 1, T.U8),
  f("uintnSize", 23, 1, T.U8),
  f("numberOfAlgorithms", 24, 4, T.U32),
]);
// PFP section 10.2.6 "UEFI_VARIABLE_DATA", fixed part: the variable's vendor GUID and the sizes of
// its name (CHAR16 units, UTF-16LE, no terminating NUL) and data (bytes), which follow.
export const VARIABLE_DATA = layout("uefiVariableData", 32, [
  f("variableGuid", 0, 16, T.EFI_GUID),
  f("unicodeNameLength", 16, 8, T.U64),
  f("variableDataLength", 24, 8, T.U64),
]);
export const ALGORITHM_SIZE = layout("algorithmSize", 4, [
  f("algorithmId", 0, 2, T.U16), // TPM_ALG_ID
  f("digestSize", 2, 2, T.U16),
]);

// PFP section 10.2.2 "TCG_PCR_EVENT2": this head, digestCount x (TPM_ALG_ID u16, digest of the
// size the Spec ID event gives), eventSize (u32), event data.
export const PCR_EVENT2 = layout("tcgPcrEvent2", 12, [
  f("mrIndex", 0, 4, T.U32),
  f("eventType", 4, 4, T.U32),
  f("digestCount", 8, 4, T.U32),
]);

const SPEC_ID_SIGNATURE = "Spec ID Event03";
const MAX_ALGORITHMS: u32 = 16; // TPM 2.0 HASH_COUNT is far below; bounds a hostile count
const MAX_DIGEST: u32 = 64;
const MAX_TDX_INDEX: u32 = 4; // MRTD and RTMR0-3

// The Spec ID event's algorithms, for reading each record's digest list.
const algIds = new StaticArray<u32>(<i32>MAX_ALGORITHMS);
const algSizes = new StaticArray<u32>(<i32>MAX_ALGORITHMS);
let algCount: u32 = 0;

let logEnd: u32 = 0;

/** Fails with TRUNCATED unless [o, o + size) lies inside the log. */
function within(field: string, o: u32, size: u32): bool {
  if (<u64>o + <u64>size <= <u64>logEnd) return true;
  return fail(E.TRUNCATED, field, o, "needs " + size.toString() + " bytes at offset " + o.toString() +
    ", the log ends at " + logEnd.toString());
}

/** The digest size the Spec ID event gives algorithm `id`, 0 if it lists no such algorithm. */
function digestSizeOf(id: u32): u32 {
  for (let j: u32 = 0; j < algCount; j++) if (unchecked(algIds[j]) == id) return unchecked(algSizes[j]);
  return 0;
}

function eventField(i: i32, name: string): string { return "events." + i.toString() + "." + name; }

/** Checks and emits the ACPI CCEL table at `base` (`len` bytes). */
function decodeTable(base: u32, len: u32, logLen: u32): bool {
  if (len < CCEL_TABLE.size) {
    return fail(E.TRUNCATED, "table", len, "the CCEL table is 56 bytes, the input has " + len.toString());
  }
  if (u32at(base) != 0x4c454343) { // "CCEL", little-endian
    return fail(E.UNSUPPORTED_TYPE, "table.signature", 0, "not a CCEL table (signature is not \"CCEL\")");
  }
  const declared = u32at(base + 4);
  if (declared != len) {
    return fail(E.BAD_LENGTH, "table.length", 4,
      "the table says it is " + declared.toString() + " bytes, the input has " + len.toString());
  }
  let sum: u32 = 0;
  for (let i: u32 = 0; i < len; i++) sum += u8at(base + i);
  if ((sum & 0xff) != 0) {
    return fail(E.BAD_VALUE, "table.checksum", 9, "the table's bytes do not sum to 0 (mod 256): it is corrupt");
  }
  const ccType = u8at(base + 36);
  if (ccType != CC_TYPE_TDX) {
    return fail(E.UNSUPPORTED_TYPE, "table.ccType", 36,
      "CC type " + ccType.toString() + ": only Intel TDX (2) has a known event-log register mapping");
  }
  const laml = u64at(base + 40);
  if (<u64>logLen > laml) {
    return fail(E.BAD_LENGTH, "table.laml", 40, "the log (" + logLen.toString() +
      " bytes) is longer than the table's log area (" + laml.toString() + " bytes)");
  }
  open("table", base, len);
  emitLayout(CCEL_TABLE, base);
  str("ccTypeName", ccTypeName(ccType));
  return close();
}

/** Checks and emits the first record and its Spec ID event; returns the offset after it, 0 on failure. */
function decodeSpecId(): u32 {
  if (!within("specIdEvent", 0, PCR_EVENT.size)) return 0;
  const type = u32at(4);
  if (type != EV_NO_ACTION) {
    fail(E.UNSUPPORTED_TYPE, "specIdEvent.eventType", 4, "the log starts with event type 0x" + type.toString(16) +
      ", not the EV_NO_ACTION Spec ID event of a crypto-agile log");
    return 0;
  }
  const size = u32at(28);
  if (!within("specIdEvent.event", 32, size)) return 0;
  if (size < SPEC_ID.size + 1) {
    fail(E.BAD_LENGTH, "specIdEvent.eventSize", 28, "a Spec ID event is at least 29 bytes, this one says " + size.toString());
    return 0;
  }
  for (let i = 0; i < 16; i++) {
    const want: u32 = i < 15 ? <u32>SPEC_ID_SIGNATURE.charCodeAt(i) : 0;
    if (u8at(32 + <u32>i) != want) {
      fail(E.UNSUPPORTED_VERSION, "specIdEvent.signature", 32,
        "the first event is not \"Spec ID Event03\" (a TCG crypto-agile log)");
      return 0;
    }
  }
  const n = u32at(32 + 24);
  if (n == 0 || n > MAX_ALGORITHMS) {
    fail(E.BAD_VALUE, "specIdEvent.numberOfAlgorithms", 56, n.toString() + " algorithms (1 to 16 are readable)");
    return 0;
  }
  const vendorAt = 32 + SPEC_ID.size + 4 * n;
  if (<u64>SPEC_ID.size + 4 * <u64>n + 1 > <u64>size || <u64>vendorAt + 1 + <u64>u8at(vendorAt) != 32 + <u64>size) {
    fail(E.BAD_LENGTH, "specIdEvent.eventSize", 28,
      "the event's size disagrees with its algorithm count and vendor info size");
    return 0;
  }
  let sha384 = false;
  for (let i: u32 = 0; i < n; i++) {
    const at = 32 + SPEC_ID.size + 4 * i;
    const id = u16at(at), digestSize = u16at(at + 2), known = algorithmSize(id);
    if (digestSize == 0 || digestSize > MAX_DIGEST || (known && known != digestSize)) {
      fail(E.BAD_VALUE, "specIdEvent.algorithms." + i.toString() + ".digestSize", at + 2,
        "digest size " + digestSize.toString() + " for algorithm 0x" + id.toString(16));
      return 0;
    }
    unchecked(algIds[i] = id);
    unchecked(algSizes[i] = digestSize);
    if (id == TPM_ALG_SHA384) sha384 = true;
  }
  algCount = n;
  if (!sha384) {
    fail(E.MISSING, "specIdEvent.algorithms", 60, "the log has no SHA-384 digests: RTMRs cannot be replayed from it");
    return 0;
  }
  open("specIdEvent", 0, 32 + size);
  emitLayout(PCR_EVENT, 0);
  emitLayout(SPEC_ID, 32);
  openArray("algorithms", 60, 4 * n);
  for (let i: u32 = 0; i < n; i++) {
    open("", 60 + 4 * i, 4);
    emitLayout(ALGORITHM_SIZE, 60 + 4 * i);
    str("algorithm", algorithmName(u16at(60 + 4 * i)));
    close();
  }
  close();
  bytes("vendorInfo", T.HEX, vendorAt + 1, u8at(vendorAt));
  close();
  return 32 + size;
}

/** The end of the records: the next header's bytes are all 0xFF (erased flash) or all zero. */
function atPadding(o: u32): bool {
  const n = min<u32>(8, logEnd - o);
  const first = u8at(o);
  if (first != 0 && first != 0xff) return false;
  for (let i: u32 = 1; i < n; i++) if (u8at(o + i) != first) return false;
  return true;
}

/** True when the `len` bytes at `a` are printable ASCII (tab and newlines too) and not empty. */
function printable(a: u32, len: u32): bool {
  if (len == 0) return false;
  for (let i: u32 = 0; i < len; i++) {
    const c = u8at(a + i);
    if ((c < 0x20 || c > 0x7e) && c != 0x09 && c != 0x0a && c != 0x0d) return false;
  }
  return true;
}

/**
 * A variable event's GUID and sizes, and its name as `text` when the name is printable ASCII (what
 * firmware measures: SecureBoot, PK, KEK, db, dbx, Boot0000, ...). Data whose sizes disagree with
 * the event's is left as the event's hex: replay does not depend on it.
 */
function variableData(a: u32, len: u32): void {
  if (len < VARIABLE_DATA.size) return;
  const units = u64at(a + 16), dataLen = u64at(a + 24);
  if (units > <u64>len || dataLen > <u64>len || <u64>VARIABLE_DATA.size + 2 * units + dataLen != <u64>len) return;
  emitLayout(VARIABLE_DATA, a);
  const name = a + VARIABLE_DATA.size, size: u32 = 2 * <u32>units;
  for (let i: u32 = 0; i < size; i += 2) {
    const c = u16at(name + i);
    if (c < 0x20 || c > 0x7e) return;
  }
  if (size) bytes("text", T.UCS2, name, size);
}

/** `text`: the event data's string where its type defines one (PFP 10.4.1), NULs at the end dropped. */
function eventText(type: u32, a: u32, len: u32): void {
  if (isVariableEvent(type)) { variableData(a, len); return; }
  if (type == EV_EFI_PLATFORM_FIRMWARE_BLOB2 || type == EV_EFI_HANDOFF_TABLES2) {
    // UEFI_PLATFORM_FIRMWARE_BLOB2 / UEFI_HANDOFF_TABLE_POINTERS2: a u8-length description first.
    if (len == 0 || <u32>u8at(a) + 1 > len) return;
    len = u8at(a);
    a += 1;
  } else if (type == EV_EVENT_TAG) {
    // TCG_PCClientTaggedEvent: taggedEventID (u32), taggedEventDataSize (u32), data.
    if (len < 8 || <u64>u32at(a + 4) + 8 > <u64>len) return;
    len = u32at(a + 4);
    a += 8;
  } else if (!isStringEvent(type)) {
    return;
  }
  while (len > 0 && u8at(a + len - 1) == 0) len--;
  if (printable(a, len)) bytes("text", T.TEXT, a, len);
}

/** Decodes, checks and replays one TCG_PCR_EVENT2 at `o`; returns the offset after it, 0 on failure. */
function decodeEvent(i: i32, o: u32): u32 {
  if (!within(eventField(i, "eventType"), o, PCR_EVENT2.size)) return 0;
  const index = u32at(o), type = u32at(o + 4), count = u32at(o + 8);
  if (index > MAX_TDX_INDEX) {
    fail(E.BAD_VALUE, eventField(i, "mrIndex"), o,
      "MR index " + index.toString() + ": TDX has MRTD (0) and RTMR0-3 (1-4)");
    return 0;
  }
  if (count > algCount) {
    fail(E.BAD_VALUE, eventField(i, "digestCount"), o + 8,
      count.toString() + " digests, the Spec ID event lists " + algCount.toString() + " algorithms");
    return 0;
  }
  // Walk the digests first: the record's extent is known before anything is emitted.
  let p = o + PCR_EVENT2.size;
  let sha384At: u32 = 0;
  for (let k: u32 = 0; k < count; k++) {
    const field = eventField(i, "digests." + k.toString());
    if (!within(field, p, 2)) return 0;
    const id = u16at(p);
    const size = digestSizeOf(id);
    if (!size) {
      fail(E.BAD_VALUE, field + ".algorithmId", p, "algorithm 0x" + id.toString(16) + " is not in the Spec ID event");
      return 0;
    }
    if (!within(field + ".digest", p + 2, size)) return 0;
    if (id == TPM_ALG_SHA384) sha384At = p + 2;
    p += 2 + size;
  }
  if (!within(eventField(i, "eventSize"), p, 4)) return 0;
  const size = u32at(p);
  if (!within(eventField(i, "event"), p + 4, size)) return 0;
  const end = p + 4 + size;
  const extended = type != EV_NO_ACTION && index > 0; // MRTD is the TDX module's; EV_NO_ACTION extends nothing
  if (extended && !sha384At) {
    fail(E.MISSING, eventField(i, "digests"), o + 12, "an extended event without a SHA-384 digest cannot be replayed");
    return 0;
  }
  if (extended) extend(<i32>index - 1, inPtr + sha384At, i);

  open("", o, end - o);
  computed("offset", T.UINT, o);
  emitLayout(PCR_EVENT2, o);
  str("register", tdxRegisterName(index));
  str("type", eventTypeName(type));
  openArray("digests", o + 12, p - o - 12);
  let q = o + PCR_EVENT2.size;
  for (let k: u32 = 0; k < count; k++) {
    const id = u16at(q);
    const dsize = digestSizeOf(id);
    open("", q, 2 + dsize);
    bytes("algorithmId", T.U16, q, 2);
    str("algorithm", algorithmName(id));
    bytes("digest", T.HEX, q + 2, dsize);
    close();
    q += 2 + dsize;
  }
  close();
  bytes("eventSize", T.U32, p, 4);
  bytes("event", T.HEX, p + 4, size);
  eventText(type, p + 4, size);
  close();
  return end;
}

/** Emits the replayed RTMRs (written to the input region's tail at `at`) and their last events. */
function emitReplay(at: u32): bool {
  copyReplay(inPtr + at);
  open("replay", at, REPLAY_BYTES);
  for (let r = 0; r < RTMR_COUNT; r++) bytes(tdxRegisterName(<u32>r + 1), T.HEX, at + <u32>r * RTMR_SIZE, RTMR_SIZE);
  close();
  open("lastEvent");
  for (let r = 0; r < RTMR_COUNT; r++) {
    const e = lastEvent(r);
    if (e < 0) computed(tdxRegisterName(<u32>r + 1), T.NULL, 0);
    else computed(tdxRegisterName(<u32>r + 1), T.UINT, <u32>e);
  }
  return close();
}

/** Decodes the log at 0 (`logLen` bytes), and the CCEL table after it when `tableLen` > 0. */
export function decodeEventLog(logLen: u32, tableLen: u32): bool {
  logEnd = logLen;
  algCount = 0;
  resetReplay();
  str("format", "eventlog");
  if (tableLen > 0 && !decodeTable(logLen, tableLen, logLen)) return false;
  let o = decodeSpecId();
  if (!o) return false;
  openArray("events", o, 0);
  let i = 0;
  while (o < logEnd && !atPadding(o)) {
    o = decodeEvent(i, o);
    if (!o) return false;
    i++;
  }
  close();
  computed("logEnd", T.UINT, o); // where the records end; the rest of the area is padding
  return emitReplay(logLen + tableLen);
}
