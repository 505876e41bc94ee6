// Placeholder until the decoder lands (being written in parallel).
import { E, fail } from "./error";
export function looksLikeQuote(len: u32): bool { return false; }
export function decodeQuote(len: u32): bool { return fail(E.UNSUPPORTED_TYPE, "", 0, "not implemented yet"); }
