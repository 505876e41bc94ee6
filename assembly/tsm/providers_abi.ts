// The provider -> outblob format table for hosts: hosts/js/core.js reads it at load for decode()'s
// `provider` option, from the rule WASI `show --provider` uses (provider_names.ts outblobFormat). It
// is a decode-side export (decode_only.ts), so a page that decodes loads no kernel model for it.
import { Provider, providerName, outblobFormat } from "./provider_names";
import { outReset, outPtr, byte, jsonString } from "../render/out";

/** {"tdx_guest":"quote",...} in the output region; returns its pointer. */
export function provider_formats(): usize {
  outReset();
  byte(0x7b);
  for (let p = Provider.TDX; p <= Provider.CCA; p++) {
    if (p > Provider.TDX) byte(0x2c);
    jsonString(providerName(p));
    byte(0x3a);
    jsonString(outblobFormat(p));
  }
  byte(0x7d);
  return outPtr;
}
