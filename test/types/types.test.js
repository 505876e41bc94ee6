// The published TypeScript declarations compile against a real usage program, and every
// runtime export of the public entries is declared.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../data.js";
import * as portable from "../../hosts/js/index.js";
import * as node from "../../hosts/node/index.js";

test("test/types/usage.ts type-checks against the package's declarations", () => {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.json")], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.status, 0, r.stdout + r.stderr);
});

for (const [name, mod, dts] of [["tsmkit", portable, "hosts/js/index.d.ts"], ["tsmkit/node", node, "hosts/node/index.d.ts"]]) {
  test(`every runtime export of ${name} is declared`, () => {
    const text = readFileSync(join(ROOT, dts), "utf8") + (name === "tsmkit/node" ? readFileSync(join(ROOT, "hosts/js/index.d.ts"), "utf8") : "");
    for (const key of Object.keys(mod)) {
      assert.match(text, new RegExp(`export (declare )?(function|class|const|interface|type) ${key}\\b`), `${name}: ${key} undeclared`);
    }
  });
}

test.run();
