// `tsmkit report`: acquire evidence through configfs-tsm (or the built-in simulator), write the
// blobs where asked, and print the decoded outblob the way `tsmkit show` does.
import { writeFile } from "node:fs/promises";
import { parse, readInput, hexFlag, integer, UsageError } from "./args.js";
import { print } from "./show.js";
import { decode, DecodeError } from "../../js/decode.js";
import { getReport } from "../report.js";
import { TsmError } from "../errors.js";
import { DEFAULT_ROOT } from "../configfs.js";
import { PROVIDER_FORMATS } from "../../js/formats.js";

const HELP = `usage: npx tsmkit report [--backend auto|configfs|ioctl|sim] [--root DIR] [--provider P] [--kernel V]
         (--inblob HEX | --inblob-file F | --nonce) [--privlevel N]
         [--service-provider S --service-guid G --service-manifest-version N] [--no-aux]
         [--retries N] [--out F] [--aux F] [--manifest F] [--json]
  --backend   auto (default: configfs if ${DEFAULT_ROOT} exists, else a legacy device),
              configfs, ioctl (kernels before 6.7: /dev/sev-guest; /dev/tdx_guest gives a
              TDREPORT, not a quote) or sim (the built-in software TSM)
  --provider  sim only: tdx_guest (default), sev_guest or arm_cca_guest
  --kernel    sim only: kernel profile 6.7, 6.11, 6.16 or 7.0 (default)
  --nonce     64 random bytes as inblob
  --json      {"provider", "generation", "attempts", "evidence": <as tsmkit show --json>}`;

const OPTIONS = {
  backend: { type: "string" }, root: { type: "string" }, provider: { type: "string" },
  kernel: { type: "string" }, inblob: { type: "string" }, "inblob-file": { type: "string" },
  nonce: { type: "boolean" }, privlevel: { type: "string" }, "service-provider": { type: "string" },
  "service-guid": { type: "string" }, "service-manifest-version": { type: "string" },
  "no-aux": { type: "boolean" }, retries: { type: "string" }, out: { type: "string" },
  aux: { type: "string" }, manifest: { type: "string" }, json: { type: "boolean" },
};

async function inblobOf(values, stdin) {
  const given = ["inblob", "inblob-file", "nonce"].filter((k) => values[k] !== undefined);
  if (given.length !== 1) throw new UsageError(`give exactly one of --inblob, --inblob-file, --nonce (got ${given.length})`, { help: HELP });
  if (values.nonce) return crypto.getRandomValues(new Uint8Array(64));
  if (values.inblob !== undefined) return hexFlag(values.inblob, "--inblob");
  return readInput(values["inblob-file"], stdin, "--inblob-file");
}

async function simTsm(values) {
  const [{ KernelModel }, { createProvider }] = await Promise.all([import("../../kernel/model.js"), import("../../sim/providers/index.js")]);
  const name = values.provider ?? "tdx_guest";
  try {
    return new KernelModel({ provider: createProvider(name), kernel: values.kernel ?? "7.0" });
  } catch (e) {
    throw new UsageError(e.message, { code: "BAD_VALUE", flag: values.kernel && /kernel/i.test(e.message) ? "--kernel" : "--provider" });
  }
}

export async function run(argv, io) {
  const { values } = parse(argv, OPTIONS, { positionals: [0, 0], help: HELP });
  if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
  const backend = values.backend ?? "auto";
  if (!["auto", "configfs", "sim", "ioctl"].includes(backend)) throw new UsageError(`unknown backend "${backend}"`, { code: "BAD_VALUE", flag: "--backend", help: HELP });
  if (backend !== "sim" && (values.provider || values.kernel)) {
    throw new UsageError("--provider and --kernel choose what the simulator emulates; they need --backend sim", { code: "NOT_APPLICABLE", flag: values.provider ? "--provider" : "--kernel" });
  }
  const request = {
    inblob: await inblobOf(values, io.stdin),
    privlevel: integer(values.privlevel, "--privlevel"),
    serviceProvider: values["service-provider"],
    serviceGuid: values["service-guid"],
    serviceManifestVersion: integer(values["service-manifest-version"], "--service-manifest-version"),
    auxblob: !values["no-aux"],
  };
  const options = { backend, root: values.root, retries: integer(values.retries, "--retries") };
  if (backend === "sim") options.sim = await simTsm(values);

  let report;
  try {
    report = await getReport(request, options);
  } catch (e) {
    if (!(e instanceof TsmError)) throw e;
    if (values.json) io.stdout.write(JSON.stringify(e.toJSON(), null, 2) + "\n");
    else io.stderr.write(`tsmkit report: ${e.code}${e.attribute ? ` on ${e.attribute}` : ""}: ${e.message}\n`);
    return 1;
  }

  for (const [flag, name] of [["out", "outblob"], ["aux", "auxblob"], ["manifest", "manifestblob"]]) {
    if (values[flag] === undefined) continue;
    if (report[name] === undefined) { io.stderr.write(`tsmkit report: ${report.provider} gave no ${name}; ${values[flag]} not written\n`); continue; }
    await writeFile(values[flag], report[name]);
  }
  // Detect rather than map from the provider: tdx_guest over the legacy ioctl gives a TDREPORT.
  const decodable = Object.hasOwn(PROVIDER_FORMATS, report.provider);
  if (!decodable) io.stderr.write(`tsmkit report: no decoder for ${report.provider} evidence yet; raw outblob ${values.out ? `in ${values.out}` : "not printed"}\n`);
  if (values.json) return printJson(report, decodable, io);
  io.stdout.write(`provider: ${report.provider}\ngeneration: ${report.generation}\nattempts: ${report.attempts}\n` +
    ["outblob", "auxblob", "manifestblob"].filter((n) => report[n]).map((n) => `${n}: ${report[n].length} bytes\n`).join("") + "\n");
  if (!decodable) return 0;
  return print(report.outblob, {}, io) === 0 ? 0 : 1;
}

/** --json: where the evidence came from beside it (or beside its decode error: exit 1, the kernel gave it). */
function printJson({ provider, generation, attempts, outblob }, decodable, io) {
  /** @type {{ provider: string, generation: number, attempts: number, evidence: object | null }} */
  const out = { provider, generation, attempts, evidence: null };
  let status = 0;
  if (decodable) {
    try {
      out.evidence = decode(outblob);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      Object.assign(out, e.toJSON());
      status = 1;
    }
  }
  io.stdout.write(JSON.stringify(out, null, 2) + "\n");
  return status;
}
