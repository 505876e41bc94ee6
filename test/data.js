// Where the shared evidence corpus lives: TSMKIT_DATA, else ../shared/data beside the repo.
// Tests read it in place; a missing corpus is a failure, never a skip.
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DATA = process.env.TSMKIT_DATA
  ? resolve(process.env.TSMKIT_DATA)
  : resolve(ROOT, "..", "shared", "data");

if (!existsSync(join(DATA, "MANIFEST.md"))) {
  throw new Error(`evidence corpus not found at ${DATA}: set TSMKIT_DATA or check out ../shared`);
}

export const data = (rel) => readFileSync(join(DATA, rel));
export const expected = JSON.parse(readFileSync(join(DATA, "expected.json"), "utf8")).files;
