// The dcap-qvl TDX collateral (corpus collateral/intel/, split from its bundle) as separate files:
// the role each plays and its name under three schemes, Intel's own (as in Intel's QVL sample
// data), tsmkit's (as `tsmkit sim roots` writes them) and meaningless ones. For the tests that
// check collateral is recognised by content, never by name.
export const SCHEMES = ["intel", "tsmkit", "random"];

export const PIECES = [
  { src: "dcap-qvl-tdx-b0c06f-tcbinfo.json", role: "tcbInfo", names: ["tcb-info.json", "tcbinfo.json", "a"] },
  { src: "dcap-qvl-tdx-b0c06f-qeidentity.json", role: "qeIdentity", names: ["qe-identity.json", "qeidentity.json", "b.bin"] },
  { src: "dcap-qvl-tcb-signing-chain.pem", role: "tcbSigningChain", names: ["tcb-sign-chain.pem", "tcb-signing-chain.pem", "c.txt"] },
  { src: "dcap-qvl-tdx-b0c06f-root-ca-crl.der", role: "rootCaCrl", names: ["root-ca-crl.der", "root-ca-crl.der", "d"] },
  { src: "dcap-qvl-tdx-b0c06f-pck-crl.der", role: "pckCrl", names: ["intermediate-ca-crl.der", "pck-crl.der", "e.json"] },
  { src: "dcap-qvl-tdx-b0c06f-pck-crl-issuer-chain.pem", role: "pckCrlIssuerChain", names: ["pck-crl-issuer-chain.pem", "pck-crl-issuer-chain.pem", "f"] },
];

/** The quote these pieces verify, and the time dcap-qvl's own tests verify it at. */
export const PROD_QUOTE = "tdx/dcap-qvl-tdx-quote-v4.dat";
export const PROD_NOW = "2025-07-19T10:00:34Z";
