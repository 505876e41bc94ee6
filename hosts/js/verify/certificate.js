// An X.509 certificate as the verifier reads it, parsed by @peculiar/asn1-x509 (the maintained
// RFC 5280 schemas @peculiar/x509 is built on): names, validity, serial number, extensions and key.
// It is parsed from a private copy of its DER that nothing changes afterwards, so results about
// it may be cached per object (cache.js). Strict-DER facts and signatures are certinfo.js's and
// path.js's; input forms (PEM, lists) are x509.js's.
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate as CertificateAsn } from "@peculiar/asn1-x509";
import { hex, toBytes } from "../bytes.js";
import { readPublicKey } from "./certinfo.js";
import { DerError } from "./der.js";

const CN = "2.5.4.3";
// Attribute types by the short names @peculiar/x509 prints them with, so names read as before.
const SHORT = {
  [CN]: "CN", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C",
  "0.9.2342.19200300.100.1.25": "DC", "1.2.840.113549.1.9.1": "E", "2.5.4.42": "G", "2.5.4.43": "I", "2.5.4.4": "SN", "2.5.4.12": "T",
};

// RFC 4514 section 2.4 escapes, as @peculiar/x509 applies them.
const escape = (s) => s.replace(/([,+"\\<>;])/g, "\\$1").replace(/^([ #])/, "\\$1").replace(/ $/, "\\ ")
  .replace(/[\r\n\t]/, (c) => `\\${hex(new TextEncoder().encode(c)).toUpperCase()}`);

/** A Name as text in DER order, RDNs joined by ", " and multi-valued ones by "+": "CN=..., O=..., C=US". */
export const nameText = (name) => name.map((rdn) => rdn.map(({ type, value }) =>
  `${SHORT[type] ?? type}=${value.anyValue ? `#${hex(value.anyValue)}` : escape(value.toString())}`).join("+")).join(", ");

/** A Name's first common name, or undefined. */
export const nameCn = (name) => name.flat().find((a) => a.type === CN)?.value.toString();

/** An X.509 certificate; throws what the ASN.1 parser throws when `der` is not one. */
export class Certificate {
  #publicKey;
  #key;

  /** @param {Uint8Array | ArrayBuffer} der copied: the caller's bytes may change, these never do */
  constructor(der) {
    const bytes = new Uint8Array(toBytes(der)); // a copy, even of a Node Buffer (whose slice() is a view)
    /** The DER, as @peculiar/x509 objects carry it. */
    this.rawData = bytes.buffer;
    const { tbsCertificate: tbs } = AsnConvert.parse(bytes, CertificateAsn);
    this.asn = tbs;
    this.subject = nameText(tbs.subject);
    this.issuer = nameText(tbs.issuer);
    this.subjectCn = nameCn(tbs.subject);
    this.issuerCn = nameCn(tbs.issuer);
    this.notBefore = tbs.validity.notBefore.getTime();
    this.notAfter = tbs.validity.notAfter.getTime();
    /** The serial number's INTEGER contents, as CRL entries list them. */
    this.serial = new Uint8Array(tbs.serialNumber);
  }

  /** The serial number in hex, without a sign byte (as @peculiar/x509 printed it). */
  get serialNumber() {
    const s = this.serial;
    return hex(s.length > 1 && s[0] === 0 && s[1] > 0x7f ? s.subarray(1) : s);
  }

  /** The raw value (extnValue contents) of the extension `oid`, or undefined. */
  extension(oid) {
    const ext = this.asn.extensions?.find((e) => e.extnID === oid);
    return ext && new Uint8Array(ext.extnValue.buffer);
  }

  /** The key as @peculiar/x509 objects carry it: { rawData } = the SubjectPublicKeyInfo's DER (an ArrayBuffer). */
  get publicKey() {
    return (this.#publicKey ??= { rawData: AsnConvert.serialize(this.asn.subjectPublicKeyInfo) });
  }

  /** The key: { type: "EC", curve } | { type: "RSA", bits } | { type: oid } (certinfo.js), or null if unreadable. */
  get key() {
    if (this.#key === undefined) {
      try { this.#key = readPublicKey(new Uint8Array(this.publicKey.rawData)); } catch (e) { if (!(e instanceof DerError)) throw e; this.#key = null; }
    }
    return this.#key;
  }
}
