// AMD Key Distribution Service (KDS) addresses, per "Versioned Chip Endorsement Key (VCEK)
// Certificate and KDS Interface Specification" (AMD 57230): VCEKs are served per chip ID and TCB,
// the ASK/ASVK + ARK chain and the CRL per product line. VLEKs are provisioned by the cloud
// provider and are not served per chip, so there is no VLEK address here.
export const AMD_KDS = "https://kdsintf.amd.com";

// Turin's VCEK is keyed by the first 8 bytes of the chip ID and also by the FMC SPL.
const HWID_BYTES = { Milan: 64, Genoa: 64, Turin: 8 };

/** The VCEK address for a chip ID (hex) at a reported TCB ({ bootloader, tee, snp, microcode, fmc }). */
export function vcekUrl(product, chipIdHex, tcb, base = AMD_KDS) {
  const n = HWID_BYTES[product];
  if (!n) throw new TypeError(`unknown AMD product "${product}"`);
  const q = new URLSearchParams();
  if (product === "Turin") q.set("fmcSPL", String(tcb.fmc ?? 0));
  q.set("blSPL", String(tcb.bootloader));
  q.set("teeSPL", String(tcb.tee));
  q.set("snpSPL", String(tcb.snp));
  q.set("ucodeSPL", String(tcb.microcode));
  return `${base}/vcek/v1/${product}/${chipIdHex.slice(0, n * 2)}?${q}`;
}

/** The ASK (key "vcek") or ASVK (key "vlek") + ARK chain, PEM, for a product line. */
export const chainUrl = (product, key = "vcek", base = AMD_KDS) => `${base}/${key}/v1/${product}/cert_chain`;

/** The CRL (DER, signed by the ARK) for a product line's ASK ("vcek") or ASVK ("vlek"). */
export const crlUrl = (product, key = "vcek", base = AMD_KDS) => `${base}/${key}/v1/${product}/crl`;
