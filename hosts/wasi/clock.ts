// Sleeping in a WASI guest: one relative clock subscription through poll_oneoff (the report
// machine's retry backoff is the only wait tsmkit needs).
import { poll_oneoff, clockid, eventtype, subscription_clock, event } from "@assemblyscript/wasi-shim/assembly/bindings/wasi_snapshot_preview1";

const sub = memory.data(offsetof<subscription_clock>());
const ev = memory.data(offsetof<event>());
const count = memory.data(8);

export function sleepMs(ms: u32): void {
  if (ms == 0) return;
  const s = changetype<subscription_clock>(sub);
  s.userdata = 0;
  s.type = eventtype.CLOCK;
  s.clock_id = clockid.MONOTONIC;
  s.timeout = <u64>ms * 1000000;
  s.precision = 1000000;
  s.flags = 0;
  poll_oneoff(sub, ev, 1, count);
}
