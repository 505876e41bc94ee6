// Exports every layout table as JSON ({layout: {field: [offset, size]}}), so host-side
// encoders such as the simulator place fields where the decoders read them.
import { registry } from "./layout";
import { byte, ascii, dec, jsonString } from "../render/out";

export function renderLayouts(): void {
  byte(0x7b);
  for (let i = 0; i < registry.length; i++) {
    const l = registry[i];
    if (i) byte(0x2c);
    jsonString(l.name);
    ascii(":{\"size\":"); dec(<u64>l.size);
    for (let j = 0; j < l.fields.length; j++) {
      const fd = l.fields[j];
      byte(0x2c);
      jsonString(fd.name);
      byte(0x3a); byte(0x5b); dec(<u64>fd.offset); byte(0x2c); dec(<u64>fd.size); byte(0x5d);
    }
    byte(0x7d);
  }
  byte(0x7d);
}
