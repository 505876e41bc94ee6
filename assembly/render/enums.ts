// Enum values as JSON objects ({"NAME":value,...}) for the hosts' typed contexts, which read
// them from the core at load instead of restating the numbers.
import { outReset, outPtr, ascii, byte, dec, jsonString } from "./out";

let members = 0;

/** Starts the output: `{`. Then group(), member()..., and end(). */
export function begin(): void {
  outReset();
  byte(0x7b);
  members = -1;
}

/** Opens the object `name` (closing the previous one). */
export function group(name: string): void {
  if (members >= 0) byte(0x7d);
  if (members != -1) byte(0x2c);
  jsonString(name);
  ascii(":{");
  members = 0;
}

export function member(name: string, value: i32): void {
  if (members++ > 0) byte(0x2c);
  jsonString(name);
  byte(0x3a);
  if (value < 0) { byte(0x2d); dec(<u64>(-value)); } else dec(<u64>value);
}

/** Closes the last object and the whole; returns the output pointer. */
export function end(): usize {
  if (members >= 0) byte(0x7d);
  byte(0x7d);
  return outPtr;
}
