// The configfs-tsm providers by module name, and the evidence format each one's outblob holds.
// Imports nothing: decode.wasm takes outblobFormat (providers_abi.ts) without the kernel rules of
// providers.ts, which re-exports all of this.

/** The registered provider (module names, as `provider` shows them). */
export const enum Provider { NONE = 0, TDX = 1, SEV = 2, CCA = 3 }

export function providerName(p: i32): string {
  switch (p) {
    case Provider.TDX: return "tdx_guest";
    case Provider.SEV: return "sev_guest";
    case Provider.CCA: return "arm_cca_guest";
  }
  return "";
}

/** Provider for a module name, or -1. */
export function providerByName(name: string): i32 {
  for (let p = Provider.TDX; p <= Provider.CCA; p++) if (providerName(p) == name) return p;
  return -1;
}

/** The evidence format of the provider's outblob, as decoders name it ("" for none). */
export function outblobFormat(p: i32): string {
  switch (p) {
    case Provider.TDX: return "quote";
    case Provider.SEV: return "snp-report";
    case Provider.CCA: return "cca-token";
  }
  return "";
}
