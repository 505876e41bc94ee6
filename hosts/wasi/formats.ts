// CLI format names -> core format ids (assembly/formats/decode.ts Format); "" = detect.
import { Format, formatName } from "../../assembly/formats/decode";

export const FORMAT_NAMES = "quote|tdreport|snp-report|snp-certs|cca-token|cca-platform-claims|cca-realm-claims";

export function formatId(name: string): i32 {
  if (name == "" || name == "auto") return Format.AUTO;
  for (let f = Format.QUOTE; f <= Format.CCA_REALM_CLAIMS; f++) if (formatName(f) == name) return f;
  return -1;
}
