// TCB_VERSION (8 bytes) and the product line of an SEV-SNP report. The byte order of TCB_VERSION
// depends on the CPU family: AMD SEV-SNP Firmware ABI Specification (56860) rev 1.58, Table 3
// (Milan, Genoa: family 19h) and Table 4 (Turin: family 1Ah, which adds the FMC SPL).
// The report names the family only from version 3 on (CPUID_FAM_ID/CPUID_MOD_ID at 0x188);
// version 2 predates Turin, so its TCBs use the family 19h layout and its product stays unknown.
import { T, Bits, Field, Layout, f, b, layout } from "./layout";

// The two layouts, exported by layouts() so encoders write TCBs where the decoder reads them.
export const TCB_MILAN_GENOA = layout("snpTcbMilanGenoa", 8, [
  f("bootloader", 0, 1, T.U8),
  f("tee", 1, 1, T.U8),
  // bytes 2-5 reserved
  f("snp", 6, 1, T.U8),
  f("microcode", 7, 1, T.U8),
]);
export const TCB_TURIN = layout("snpTcbTurin", 8, [
  f("fmc", 0, 1, T.U8),
  f("bootloader", 1, 1, T.U8),
  f("tee", 2, 1, T.U8),
  f("snp", 3, 1, T.U8),
  // bytes 4-6 reserved
  f("microcode", 7, 1, T.U8),
]);

export const FAMILY_MILAN_GENOA: u32 = 0x19;
export const FAMILY_TURIN: u32 = 0x1a;

/** Which TCB_VERSION layout a report uses (an index into the variants of tcbVariants). */
export const enum TcbKind { MILAN_GENOA = 0, TURIN = 1, UNKNOWN = 2 }

/** The TCB layout for a report version and CPUID family (ignored before version 3). */
export function tcbKindOf(version: u32, family: u32): TcbKind {
  if (version < 3 || family == FAMILY_MILAN_GENOA) return TcbKind.MILAN_GENOA;
  if (family == FAMILY_TURIN) return TcbKind.TURIN;
  return TcbKind.UNKNOWN; // a family no spec revision describes: raw value only, no guessed parts
}

/**
 * Product line from CPUID family/model (version 3+), as AMD's KDS names VCEK issuers:
 * family 19h models 00h-0Fh Milan, 10h-1Fh and A0h-AFh Genoa (Genoa-X, Bergamo, Siena);
 * family 1Ah models 00h-1Fh Turin.
 */
export function productOf(version: u32, family: u32, model: u32): string {
  if (version < 3) return "unknown";
  if (family == FAMILY_MILAN_GENOA) {
    if (model <= 0x0f) return "Milan";
    if (model <= 0x1f || (model >= 0xa0 && model <= 0xaf)) return "Genoa";
  } else if (family == FAMILY_TURIN && model <= 0x1f) {
    return "Turin";
  }
  return "unknown";
}

function bitsOf(l: Layout): Bits[] {
  const out: Bits[] = [];
  for (let i = 0; i < l.fields.length; i++) {
    const r = l.fields[i];
    out.push(b(r.name, r.offset * 8, r.size * 8));
  }
  return out;
}
const MILAN_GENOA_BITS = bitsOf(TCB_MILAN_GENOA);
const TURIN_BITS = bitsOf(TCB_TURIN);
const NO_BITS: Bits[] = [];

/** A TCB_VERSION row in its three renderings, indexed by TcbKind: {raw, parts...}. */
export function tcbVariants(name: string, offset: u32): Field[] {
  return [
    f(name, offset, 8, T.U64, MILAN_GENOA_BITS),
    f(name, offset, 8, T.U64, TURIN_BITS),
    f(name, offset, 8, T.U64, NO_BITS),
  ];
}
