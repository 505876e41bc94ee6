// Decode errors are values, not traps: AssemblyScript has no exceptions, so a decoder returns
// false after `fail` records what went wrong, in which field, at which byte offset.

export const enum E {
  OK = 0,
  TRUNCATED = 1, // the input ends before a field does
  UNSUPPORTED_VERSION = 2, // a version this decoder does not know; never guessed
  UNSUPPORTED_TYPE = 3, // a type/selector field with an unknown value
  BAD_LENGTH = 4, // a declared length disagrees with the structure or the input
  BAD_VALUE = 5, // a field holds a value the spec forbids
  UNKNOWN_FORMAT = 6, // detect could not tell what the bytes are
  TOO_LARGE = 7, // the input or the result exceeds a documented limit
  MISSING = 8, // a field the declared format or profile makes mandatory is absent
}

export function codeName(code: i32): string {
  switch (code) {
    case E.TRUNCATED: return "TRUNCATED";
    case E.UNSUPPORTED_VERSION: return "UNSUPPORTED_VERSION";
    case E.UNSUPPORTED_TYPE: return "UNSUPPORTED_TYPE";
    case E.BAD_LENGTH: return "BAD_LENGTH";
    case E.BAD_VALUE: return "BAD_VALUE";
    case E.UNKNOWN_FORMAT: return "UNKNOWN_FORMAT";
    case E.TOO_LARGE: return "TOO_LARGE";
    case E.MISSING: return "MISSING";
  }
  return "OK";
}

export let errCode: i32 = E.OK;
export let errField: string = "";
export let errOffset: u32 = 0;
export let errMessage: string = "";

export function clearError(): void {
  errCode = E.OK;
  errField = "";
  errOffset = 0;
  errMessage = "";
}

/** Records the first failure (inner errors are the precise ones) and returns false. */
export function fail(code: i32, field: string, offset: u32, message: string): bool {
  if (errCode == E.OK) {
    errCode = code;
    errField = field;
    errOffset = offset;
    errMessage = message;
  }
  return false;
}
