// The SNP certificate table: sev_guest's auxblob, i.e. the certificate buffer of an extended
// report (GHCB SNP_EXT_GUEST_REQUEST). spec/configfs-tsm.md section 5: 24-byte entries {GUID in
// RFC-4122 byte order, offset u32, length u32} ending with an all-zero entry; offsets count from
// the start of the table and the DER certificates follow the table. Bytes after the last
// certificate (page padding of the ioctl buffer) are ignored.
import { T, f, layout } from "./layout";
import { open, openArray, close, bytes, str, emitField, u8at, u32at } from "./table";
import { E, fail } from "./error";
import { uuidBytes } from "./guid";

const ENTRY_SIZE: u32 = 24;

export const SNP_CERT_ENTRY = layout("snpCertEntry", ENTRY_SIZE, [
  f("guid", 0, 16, T.GUID),
  f("offset", 16, 4, T.U32),
  f("length", 20, 4, T.U32),
]);

// spec/configfs-tsm.md section 5. go-sev-guest files the ASVK (VLEK issuer) under the ASK GUID.
const KINDS: string[] = ["VCEK", "VLEK", "ASK", "ARK"];
const GUIDS: StaticArray<u8>[] = [
  uuidBytes("63da758d-e664-4564-adc5-f4b93be8accd"),
  uuidBytes("a8074bc2-a25a-483e-aae6-39c045a0b8a1"),
  uuidBytes("4ab7b379-bbac-4fe4-a02f-05aef327c782"),
  uuidBytes("c0b406a4-a803-4952-9743-3fb6014cd0ae"),
];

/** Index into KINDS of the GUID at `at`, or -1. */
function kindAt(at: u32): i32 {
  for (let k = 0; k < GUIDS.length; k++) {
    const g = unchecked(GUIDS[k]);
    let same = true;
    for (let i = 0; i < 16 && same; i++) same = u8at(at + <u32>i) == <u32>g[i];
    if (same) return k;
  }
  return -1;
}

function isNullEntry(at: u32): bool {
  for (let i: u32 = 0; i < ENTRY_SIZE; i += 4) if (u32at(at + i) != 0) return false;
  return true;
}

/** For detect: a known GUID first, and its offset past a table of at least entry + terminator. */
export function looksLikeSnpCerts(len: u32): bool {
  if (len < 2 * ENTRY_SIZE || kindAt(0) < 0) return false;
  const offset = u32at(16);
  return offset >= 2 * ENTRY_SIZE && offset <= len;
}

function entryField(i: u32, name: string): string {
  return "entries." + i.toString() + "." + name;
}

/** Checks entry i's certificate range: after the table (which ends at tableEnd), inside the input. */
function checkRange(i: u32, at: u32, tableEnd: u32, len: u32): bool {
  const offset = u32at(at + 16);
  const length = u32at(at + 20);
  if (offset < tableEnd) {
    return fail(E.BAD_LENGTH, entryField(i, "offset"), at + 16, "certificate offset " + offset.toString() +
      " lies inside the table, which ends at offset " + tableEnd.toString());
  }
  if (offset > len) {
    return fail(E.TRUNCATED, entryField(i, "offset"), at + 16, "certificate offset " + offset.toString() +
      " is past the end of the input (" + len.toString() + " bytes)");
  }
  if (<u64>offset + <u64>length > <u64>len) {
    return fail(E.TRUNCATED, entryField(i, "length"), at + 20, "certificate of " + length.toString() +
      " bytes at offset " + offset.toString() + " ends past the input (" + len.toString() + " bytes)");
  }
  return true;
}

export function decodeSnpCerts(len: u32): bool {
  // The table's extent is known only once the terminator is found.
  let count: u32 = 0;
  while (true) {
    const at = count * ENTRY_SIZE;
    if (<u64>at + <u64>ENTRY_SIZE > <u64>len) {
      return fail(E.TRUNCATED, "entries." + count.toString(), at,
        "no all-zero terminator entry before the input ends at offset " + len.toString());
    }
    if (isNullEntry(at)) break;
    count++;
  }
  const tableEnd = (count + 1) * ENTRY_SIZE;
  str("format", "snp-certs");
  openArray("entries", 0, tableEnd);
  for (let i: u32 = 0; i < count; i++) {
    const at = i * ENTRY_SIZE;
    if (!checkRange(i, at, tableEnd, len)) return false;
    const rows = SNP_CERT_ENTRY.fields;
    open("", at, ENTRY_SIZE);
    emitField(unchecked(rows[0]), at);
    const k = kindAt(at);
    str("kind", k < 0 ? "unknown" : unchecked(KINDS[k]));
    emitField(unchecked(rows[1]), at);
    emitField(unchecked(rows[2]), at);
    if (!bytes("certificate", T.HEX, u32at(at + 16), u32at(at + 20))) return false;
    close();
  }
  return close();
}
