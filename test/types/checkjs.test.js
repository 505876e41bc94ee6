// The TypeScript compiler in checkJs mode (tsconfig.checkjs.json) over the hosts' JavaScript: no
// type error in the files its "include" names. Files they import from elsewhere (the simulator,
// for one) are compiled too; their errors are listed, not judged here.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../data.js";

const CONFIG = join(ROOT, "tsconfig.checkjs.json");
const { include, exclude = [] } = JSON.parse(readFileSync(CONFIG, "utf8"));
const glob = (g) => g.replace(/[.+?^${}()|[\]\\]/g, "\\$&").split("**/").map((s) => s.replace(/\*/g, "[^/]*")).join("(.*/)?");
const SCOPE = new RegExp(`^(?!(${exclude.map(glob).join("|") || "$^"})\\()(${include.map(glob).join("|")})\\(`);

test(`tsc --checkJs: no type error in ${include.join(", ")}`, () => {
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", CONFIG, "--pretty", "false"],
    { cwd: ROOT, encoding: "utf8" });
  const errors = r.stdout.split("\n").filter((l) => / error TS\d+:/.test(l));
  assert.ok(errors.length > 0 || r.status === 0, r.stdout + r.stderr);
  const inScope = errors.filter((l) => SCOPE.test(l));
  const outside = errors.filter((l) => !SCOPE.test(l));
  const files = [...new Set(outside.map((l) => l.split("(")[0]))];
  if (exclude.length) console.log(`checkJs: not checked (tsconfig.checkjs.json exclude): ${exclude.join(", ")}`);
  if (outside.length) console.log(`checkJs: ${outside.length} errors in ${files.length} imported files not checked here: ${files.join(", ")}`);
  assert.equal(inScope, [], inScope.join("\n"));
  // Nothing else may stop the compiler (a config error prints no file name).
  assert.ok(errors.every((l) => /^\S+\(\d+,\d+\): error/.test(l)), r.stdout);
});

test.run();
