// The check catalogue keeps names and the lines on what each proves apart (catalogue.js, so a
// bundle of verify() carries only the names): every name has exactly one line and every line a name.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CHECK_NAMES, CHECKS, PROVES, checkName } from "../../hosts/js/verify/catalogue.js";

test("every check has a line on what it proves, and every line belongs to a check", () => {
  assert.equal(CHECKS.map((c) => c.name), [...CHECK_NAMES]);
  for (const c of CHECKS) assert.type(c.proves, "string", c.name);
  for (const name of Object.keys(PROVES)) assert.ok(CHECK_NAMES.includes(name), name);
  assert.is(new Set(CHECK_NAMES).size, CHECK_NAMES.length, "no name twice");
});

test("checkName refuses a name outside the catalogue", () => {
  assert.is(checkName("snp.chain"), "snp.chain");
  assert.throws(() => checkName("snp.chian"), /not in the catalogue/);
});

test.run();
