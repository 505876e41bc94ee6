// Placeholder until the decoder lands (being written in parallel).
import { E, fail } from "./error";
export function looksLikeSnpCerts(len: u32): bool { return false; }
export function decodeSnpCerts(len: u32): bool { return fail(E.UNSUPPORTED_TYPE, "", 0, "not implemented yet"); }
