// The fenced code blocks of README.md, for the suites that run them (readme.test.js) and
// type-check them (test/types/types.test.js). A block's info string is its language (js, ts, sh;
// none for plain text such as usage synopses and trees), optionally followed by
// "not-run: <why>" for a block that cannot run inside the test suite.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../data.js";

export const README = join(ROOT, "README.md");
export const LANGS = ["", "js", "ts", "sh"];

/**
 * Every fenced block in document order: { line (1-based, of the opening fence), lang, notRun
 * (the reason, or null), section (the enclosing "## " heading), code }. Throws on an unclosed fence.
 */
export function readmeBlocks(text = readFileSync(README, "utf8")) {
  const lines = text.split("\n");
  const blocks = [];
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.*)/.exec(lines[i]);
    if (heading) section = heading[1].trim();
    const open = /^```(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [lang = "", ...rest] = open[1].trim().split(/\s+/);
    const words = rest.join(" ");
    const notRun = /^not-run:\s*(.+)/.exec(words)?.[1] ?? (words.startsWith("not-run") ? "" : null);
    const start = i;
    const body = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i === lines.length) throw new Error(`README.md:${start + 1}: unclosed code fence`);
    blocks.push({ line: start + 1, lang, notRun, info: words, section, code: body.join("\n") + "\n" });
  }
  return blocks;
}
