// RTMR replay: each register starts at 48 zero bytes and every extend sets it to
// SHA-384(register || digest) (Intel TDX Module ABI, TDG.MR.RTMR.EXTEND). The decoder feeds the
// SHA-384 digest of every extended event; the result and the event that last touched each
// register are what a quote's RTMRs are compared with.
import { sha384 } from "../crypto/sha512";

export const RTMR_COUNT: i32 = 4;
export const RTMR_SIZE: u32 = 48;

const values = new StaticArray<u8>(RTMR_COUNT * 48);
const chain = new StaticArray<u8>(96); // register || digest, hashed in place
const last = new StaticArray<i32>(RTMR_COUNT);

export function resetReplay(): void {
  memory.fill(changetype<usize>(values), 0, RTMR_COUNT * 48);
  for (let r = 0; r < RTMR_COUNT; r++) unchecked(last[r] = -1);
}

/** Extends RTMR `r` with the 48-byte digest at `digest`, made by event number `event`. */
export function extend(r: i32, digest: usize, event: i32): void {
  const reg = changetype<usize>(values) + <usize>(r * 48);
  const buf = changetype<usize>(chain);
  memory.copy(buf, reg, 48);
  memory.copy(buf + 48, digest, 48);
  sha384(buf, 96, reg);
  unchecked(last[r] = event);
}

/** Copies the four replayed values to `out` (RTMR0 first). */
export function copyReplay(out: usize): void {
  memory.copy(out, changetype<usize>(values), RTMR_COUNT * 48);
}

/** The number of the event that last extended RTMR `r`, -1 if none did. */
export function lastEvent(r: i32): i32 { return unchecked(last[r]); }
