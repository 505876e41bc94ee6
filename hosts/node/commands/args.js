// Shared argument handling for the CLI commands: node:util parseArgs in strict mode, with
// mistakes turned into UsageError (exit status 2) and input read from FILE or "-" (stdin).
import { parseArgs } from "node:util";
import { readFile } from "node:fs/promises";

export class UsageError extends Error {}

export function parse(argv, options, { positionals = [0, 1], help } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${e.message}${help ? `\n${help}` : ""}`);
  }
  const n = parsed.positionals.length;
  if (!parsed.values.help && (n < positionals[0] || n > positionals[1])) {
    throw new UsageError(`expected ${positionals[0] === positionals[1] ? positionals[0] : `${positionals[0]}-${positionals[1]}`} argument(s), got ${n}${help ? `\n${help}` : ""}`);
  }
  return parsed;
}

/** Reads a whole file, or standard input for "-". */
export async function readInput(path, stdin) {
  if (path !== "-") {
    try {
      return new Uint8Array(await readFile(path));
    } catch (e) {
      throw new UsageError(`cannot read ${path}: ${e.code ?? e.message}`);
    }
  }
  const chunks = [];
  for await (const c of stdin) chunks.push(c);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Parses hex text (whitespace and a 0x prefix allowed) into bytes, or throws UsageError. */
export function hexBytes(text, what) {
  const clean = text.replace(/^0x/i, "").replace(/\s+/g, "");
  if (clean.length % 2 || /[^0-9a-f]/i.test(clean)) throw new UsageError(`${what}: not hex: "${text}"`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}
