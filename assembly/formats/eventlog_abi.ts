// The event-log boundary: the host asks for room with eventlog_reserve(logLen, tableLen), copies
// the log and then the CCEL table (if any) back to back to the returned pointer, and calls
// eventlog_decode; render() and the other result exports of abi.ts then read the result.
// SHA-384 is exported for hosts that extend further registers (runtime logs) the same way.
import { clearError, errCode, fail, E } from "./error";
import { reset, reserveInput, setInputLength } from "./table";
import { Format, setLastFormat } from "./decode";
import { decodeEventLog, REPLAY_BYTES } from "./eventlog";
import { sha384 } from "../crypto/sha512";

const MAX_LOG: u32 = 64 << 20; // CCEL areas are KiBs to a few MiB; refuse what cannot be one
const MAX_TABLE: u32 = 4096;

/** The pointer to copy the log (then the table) to; 0 when the sizes are refused (decode says why). */
export function eventlog_reserve(logLen: u32, tableLen: u32): usize {
  if (logLen > MAX_LOG || tableLen > MAX_TABLE) return 0;
  return reserveInput(logLen + tableLen + REPLAY_BYTES);
}

/** 0 on success, else an error code (formats/error.ts E). */
export function eventlog_decode(logLen: u32, tableLen: u32): i32 {
  reset();
  clearError();
  setLastFormat(Format.EVENTLOG);
  if (logLen > MAX_LOG || tableLen > MAX_TABLE) {
    fail(E.TOO_LARGE, tableLen > MAX_TABLE ? "table" : "", 0,
      "an event log is at most 64 MiB and a CCEL table 4096 bytes");
    return errCode;
  }
  setInputLength(logLen + tableLen + REPLAY_BYTES);
  decodeEventLog(logLen, tableLen);
  return errCode;
}

const digest = new StaticArray<u8>(48);

/** SHA-384 of the first `len` bytes of the input region (filled through input_reserve(len)); returns the 48-byte result's address. */
export function sha384_input(len: u32): usize {
  const out = changetype<usize>(digest);
  sha384(reserveInput(len), len, out);
  return out;
}
