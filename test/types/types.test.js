// The published TypeScript declarations: they compile against a usage program and the README's
// examples, they reject the typos a caller could make (test/types/typos.ts), their literal unions
// equal the runtime's own lists, and every export is declared and every declared value exported.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../data.js";
import { readmeBlocks } from "../docs/readme-blocks.js";
import * as portable from "../../hosts/js/index.js";
import * as node from "../../hosts/node/index.js";
import { CHECKS } from "../../hosts/js/verify/catalogue.js";
import { RULES } from "../../hosts/js/verify/path.js";
import { MEASUREMENT_FIELDS } from "../../hosts/js/verify/policy.js";
import { TCB_STATUSES } from "../../hosts/js/verify/dcap/tcb.js";

const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** tsc's diagnostics as { file, line, code, text }, and its exit status. */
function tsc(project) {
  const r = spawnSync(process.execPath, [TSC, "-p", project, "--pretty", "false"], { cwd: ROOT, encoding: "utf8" });
  const errors = [...r.stdout.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)]
    .map(([, file, line, code, text]) => ({ file, line: +line, code, text }));
  return { status: r.status, errors, out: r.stdout + r.stderr };
}

test("test/types/usage.ts type-checks against the package's declarations", () => {
  const r = tsc(join(ROOT, "tsconfig.json"));
  assert.is(r.status, 0, r.out);
});

/** The "known: a, b, c" list of the error a call throws for an unknown key. */
async function knownKeys(call) {
  const e = await call().then(() => null, (x) => x);
  const m = /known: ([^)]*)\)/.exec(e?.message ?? "");
  assert.ok(m, `no list of known keys in: ${e?.message}`);
  return m[1].split(", ");
}

/** TS asserting that a declared type and a runtime list hold exactly the same names. */
function sameNames(label, type, names) {
  const list = `${label}Runtime`;
  return `const ${list} = ${JSON.stringify(names)} as const;
// A runtime name the type lacks fails here, naming it:
export const ${label}Known: readonly (${type})[] = ${list};
// A declared name the runtime lacks fails here, naming it:
type ${label}Extra = Exclude<${type}, (typeof ${list})[number]>;
export const ${label}None: [${label}Extra] extends [never] ? true : ${label}Extra = true;
`;
}

test("the README's examples, the typo list and the runtime's name lists compile exactly as expected", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsmkit-types-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(ROOT, join(dir, "node_modules", "tsmkit"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const files = [];
    for (const b of readmeBlocks().filter((x) => x.lang === "js" || x.lang === "ts")) {
      const name = `readme-line${b.line}.${b.lang}`;
      writeFileSync(join(dir, name), b.code);
      files.push(name);
    }
    assert.ok(files.some((f) => f.endsWith(".ts")), "the README shows TypeScript usage");
    const options = await knownKeys(() => portable.verify(new Uint8Array(0), { __typo: 1 }));
    const request = await knownKeys(() => node.getReport({ inblob: new Uint8Array(64), __typo: 1 }));
    const reportOptions = await knownKeys(() => node.getReport({ inblob: new Uint8Array(64) }, { __typo: 1 }));
    writeFileSync(join(dir, "runtime.ts"), [
      'import type { CheckName, CheckRule, MeasurementField, Policy, TcbStatus, VerifyOptions } from "tsmkit";',
      'import type { ReportOptions, ReportRequest } from "tsmkit/node";',
      sameNames("checks", "CheckName", CHECKS.map((c) => c.name)),
      sameNames("rules", "CheckRule", Object.keys(RULES)),
      sameNames("policy", "keyof Policy", Object.keys(portable.DEFAULT_POLICY)),
      sameNames("measurements", "MeasurementField", [...new Set(Object.values(MEASUREMENT_FIELDS).flat())]),
      sameNames("statuses", "TcbStatus", [...TCB_STATUSES]),
      sameNames("options", "keyof VerifyOptions", options),
      sameNames("request", "keyof ReportRequest", request),
      sameNames("reportOptions", "keyof ReportOptions", reportOptions),
    ].join("\n"));
    files.push("runtime.ts", join(ROOT, "test", "types", "typos.ts"));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true,
        skipLibCheck: true, allowJs: true, checkJs: true, typeRoots: [join(ROOT, "node_modules", "@types")], types: ["node"],
      },
      files,
    }));
    const r = tsc(join(dir, "tsconfig.json"));
    const typos = readFileSync(join(ROOT, "test", "types", "typos.ts"), "utf8").split("\n");
    const expected = typos.flatMap((l, i) => [.../\/\/ expect (TS\d+)/.exec(l) ?? []].slice(1).map((code) => `typos.ts:${i + 1} ${code}`));
    assert.ok(expected.length >= 15, "typos.ts lists its mistakes");
    const got = r.errors.map((e) => (e.file.endsWith("typos.ts") ? `typos.ts:${e.line} ${e.code}` : `${e.file}:${e.line} ${e.code} ${e.text}`));
    assert.equal(got, expected, r.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const [name, mod, dts] of [["tsmkit", portable, ["hosts/js/index.d.ts"]], ["tsmkit/node", node, ["hosts/node/index.d.ts", "hosts/js/index.d.ts"]]]) {
  const text = dts.map((f) => readFileSync(join(ROOT, f), "utf8")).join("\n");
  test(`every runtime export of ${name} is declared, and every declared value exported`, () => {
    for (const key of Object.keys(mod)) {
      assert.match(text, new RegExp(`export (declare )?(function|class|const|interface|type) ${key}\\b`), `${name}: ${key} undeclared`);
    }
    for (const [, key] of text.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)) {
      assert.ok(key in mod, `${name}: ${key} is declared but not exported`);
    }
  });
}

test.run();
