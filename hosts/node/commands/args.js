// Shared argument handling for the CLI commands: node:util parseArgs in strict mode, with
// mistakes turned into UsageError (exit status 2), input read from FILE or "-" (stdin), evidence
// pasted as hex or base64 decoded, and times read as people and scripts write them.
import { parseArgs } from "node:util";
import { readFile } from "node:fs/promises";
import { decodeTextInput, textHint } from "../../js/text-input.js";
import { fromHex } from "../../js/bytes.js";

/**
 * Bad input or arguments (exit status 2). `code`: USAGE (flags, arguments), BAD_VALUE (a flag's
 * value), NOT_APPLICABLE (a flag the evidence has no use for), CANNOT_READ; `flag` names the flag
 * at fault; `help` is printed after the message for people, left out of the JSON form.
 */
export class UsageError extends Error {
  /**
   * @param {string} message
   * @param {{ code?: string, flag?: string, help?: string }} [about]
   */
  constructor(message, { code = "USAGE", flag, help } = {}) {
    super(message);
    this.name = "UsageError";
    this.code = code;
    this.flag = flag;
    this.help = help;
  }

  toJSON() {
    return { error: { code: this.code, ...(this.flag && { flag: this.flag }), message: this.message } };
  }
}

/**
 * parseArgs with UsageErrors: `positionals` is [min, max]; `help` is added to every error. An
 * option's value is a string or boolean (or their list) as `options` declares it.
 * @param {string[]} argv
 * @param {Record<string, { type: string, multiple?: boolean, short?: string }>} options parseArgs's options
 * @param {{ positionals?: number[], help?: string }} [how]
 * @returns {{ values: Record<string, any>, positionals: string[] }}
 */
export function parse(argv, options, { positionals = [0, 1], help } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (e) {
    const flag = /'(-[^' ]+)/.exec(e.message)?.[1];
    throw new UsageError(e.message, { flag, help });
  }
  const n = parsed.positionals.length;
  if (!parsed.values.help && (n < positionals[0] || n > positionals[1])) {
    throw new UsageError(`expected ${positionals[0] === positionals[1] ? positionals[0] : `${positionals[0]}-${positionals[1]}`} argument(s), got ${n}`, { help });
  }
  return parsed;
}

/** Reads a whole file, or standard input for "-"; `flag` names the flag the path came with. */
export async function readInput(path, stdin, flag) {
  if (path !== "-") {
    try {
      return new Uint8Array(await readFile(path));
    } catch (e) {
      throw new UsageError(`cannot read ${path}: ${e.code ?? e.message}`, { code: "CANNOT_READ", flag });
    }
  }
  const chunks = [];
  for await (const c of stdin) chunks.push(c);
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Evidence from FILE or "-", for `show` and `verify`: hex or base64 text is decoded (and said so
 * on stderr) unless a forced `format` asks for the bytes as they are. Returns { bytes, hint }:
 * `hint` is what to add to a decode error ("this looks like hex text"), or "".
 * @param {string} path
 * @param {{ stdin: AsyncIterable<Uint8Array>, stderr: { write(s: string): unknown } }} io
 * @param {{ command?: string, format?: string }} [how]
 */
export async function readEvidence(path, io, { command, format } = {}) {
  const raw = await readInput(path, io.stdin);
  if (format !== undefined && format !== "auto") return { bytes: raw, hint: textHint(raw) && `${textHint(raw)}; without --format it is decoded as such` };
  const { encoding, bytes, why } = decodeTextInput(raw);
  if (encoding === "hex" || encoding === "base64") io.stderr.write(`tsmkit ${command}: input is ${encoding} text; decoded ${bytes.length} bytes\n`);
  return { bytes, hint: encoding === "text" ? `this looks like text, not binary evidence (${why})` : "" };
}

/** Parses hex text (whitespace and a 0x prefix allowed) into bytes, or throws UsageError. */
export function hexFlag(text, flag) {
  const clean = text.replace(/^0x/i, "").replace(/\s+/g, "");
  if (clean.length % 2 || /[^0-9a-f]/i.test(clean)) throw new UsageError(`${flag}: not hex: "${text}"`, { code: "BAD_VALUE", flag });
  return fromHex(clean);
}

/** A non-negative integer flag value (undefined when absent), or UsageError. */
export function integer(v, flag) {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} takes a non-negative integer, got "${v}"`, { code: "BAD_VALUE", flag });
  return Number(v);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A time as a flag gives it: Unix seconds (all digits) or ISO 8601 / RFC 3339 (date, or date and
 * time with an optional zone; no zone means UTC, never the machine's local time). Calendar
 * overflow ("02-30") is refused rather than rolled into the next month.
 */
export function parseTime(text, flag) {
  if (/^\d+$/.test(text)) return new Date(Number(text) * 1000);
  const m = ISO.exec(text);
  const bad = () => new UsageError(`${flag}: not an ISO 8601 time (e.g. 2025-07-19T10:00:34Z; no zone means UTC) or Unix seconds: "${text}"`, { code: "BAD_VALUE", flag });
  if (!m) throw bad();
  // The date's three groups always match; only the time's may be absent.
  const [y, mo, d, h = 0, mi = 0, s = 0] = /** @type {number[]} */ (m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))));
  const zone = m[8]?.toUpperCase() ?? "Z";
  const offset = zone === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d); // not Date.UTC, which reads years 0-99 as 1900-1999
  if (mo < 1 || mo > 12 || day.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw bad();
  return new Date(day.getTime() + ((h * 60 + mi - offset) * 60 + s) * 1000 + Math.floor(Number(m[7] ?? 0) * 1000));
}
