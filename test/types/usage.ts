// Compiled (not run) by test/types/types.test.js: a program written against tsmkit's published
// types, so a declaration that drifts from the API breaks the test suite.
import { decode, decodeEventLog, view, verify, DecodeError, type SnpReport, type DcapQuote } from "tsmkit";
import { getReport, TsmError } from "tsmkit/node";

export async function attest(nonce: Uint8Array): Promise<string> {
  try {
    const r = await getReport({ inblob: nonce }, { backend: "sim" });
    const ev = decode(r.outblob, { provider: r.provider });
    const lazy = view(r.outblob);
    if (lazy.format !== ev.format || JSON.stringify(lazy.toJSON()) === "") throw new Error("view differs");
    const verdict = await verify(r.outblob, { now: new Date(), policy: { reportData: "00" } });
    if (ev.format === "snp-report") return (ev as SnpReport).measurement + verdict.status;
    if (ev.format === "tdx-quote") return (ev as DcapQuote).header.qeVendorId + r.generation.toString();
    return verdict.checks.map((c) => `${c.name}:${c.ok}`).join(",");
  } catch (e) {
    if (e instanceof TsmError) return `${e.code} on ${e.attribute}: ${e.advice}`;
    if (e instanceof DecodeError) return `${e.code} at ${e.field}+${e.offset}`;
    throw e;
  }
}

/** Which Secure Boot variables a CC event log measured, with their vendor GUIDs. */
export function secureBootVariables(ccel: Uint8Array): string[] {
  return decodeEventLog(ccel).events
    .filter((e) => e.type === "EV_EFI_VARIABLE_DRIVER_CONFIG" && e.variableGuid !== undefined)
    .map((e) => `${e.text ?? "(name not ASCII)"} ${e.variableGuid} ${e.variableDataLength}`);
}
