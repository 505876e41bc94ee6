// createProvider(name, opts): the simulated configfs-tsm providers, keyed by the kernel's
// provider (module) names. Each returns { name, reportNew(request) } producing
// { outblob, auxblob?, manifestblob? }. Kernel rules (inblob length, privlevel floor, service
// provider visibility) belong to the simulated kernel item, not here.
//
// Common options: latencyMs (delay before every answer), latency (a profile name from
// LATENCY_PROFILES, the delay real hardware shows; latencyMs overrides it), and fault injection
// { fault: "EBUSY" | "EINTR" | "ETIMEDOUT" | "EIO" | "empty", times?: n }: the first n calls
// (default: every call) throw an Error whose .code is the errno name, or, for "empty", return an
// empty outblob (what a TDX host that times out hands back, spec section 3.1).
import { setTimeout as sleep } from "node:timers/promises";
import * as tdx from "./tdx.js";
import * as sev from "./sev.js";
import * as cca from "./cca.js";

const GENERATORS = { tdx_guest: tdx, sev_guest: sev, arm_cca_guest: cca };
const FAULTS = new Set(["EBUSY", "EINTR", "ETIMEDOUT", "EIO", "empty"]);

/** Names accepted by createProvider. */
export const PROVIDERS = Object.freeze(Object.keys(GENERATORS));

/**
 * Latency profiles, milliseconds before each answer. "none" (the default) for tests; "hardware"
 * as real hardware answers a configfs-tsm report:
 * - tdx_guest 1000: the kernel makes the GetQuote hypercall, then polls the quote buffer once
 *   per second (../shared/spec/configfs-tsm.md 3.1 step 5, tdx-guest.c), so even a fast quote
 *   service is seen after the first 1 s sleep.
 * - sev_guest 30: one SNP_GUEST_REQUEST round trip through the hypervisor to the PSP, which signs
 *   the report (issue 14: "tens of milliseconds"; the extended request also copies certificates).
 * - arm_cca_guest 10: an assumption, no measurement found: RSI_ATTESTATION_TOKEN_INIT/CONTINUE
 *   loops while the RMM signs the realm token (ECDSA P-384, about a millisecond on Neoverse
 *   cores, longer when delegated to the HES) and appends the platform token cached at boot.
 */
export const LATENCY_PROFILES = Object.freeze({
  none: Object.freeze({ tdx_guest: 0, sev_guest: 0, arm_cca_guest: 0 }),
  hardware: Object.freeze({ tdx_guest: 1000, sev_guest: 30, arm_cca_guest: 10 }),
});

export function createProvider(name, opts = {}) {
  const gen = GENERATORS[name];
  if (!gen) throw new TypeError(`unknown provider "${name}" (known: ${PROVIDERS.join(", ")})`);
  const { latency = "none", fault, times = Infinity } = opts;
  const profile = LATENCY_PROFILES[latency];
  if (!profile) throw new TypeError(`unknown latency profile "${latency}" (known: ${Object.keys(LATENCY_PROFILES).join(", ")})`);
  const latencyMs = opts.latencyMs ?? profile[name];
  if (fault !== undefined && !FAULTS.has(fault)) {
    throw new TypeError(`unknown fault "${fault}" (known: ${[...FAULTS].join(", ")})`);
  }
  const impl = gen.create(opts);
  let faultsLeft = fault === undefined ? 0 : times;
  return {
    name,
    measurements: impl.measurements, // tdx_guest's tsm-mr registers (undefined for the others)
    async reportNew(request) {
      if (latencyMs > 0) await sleep(latencyMs);
      if (faultsLeft > 0) {
        faultsLeft--;
        if (fault === "empty") return { outblob: new Uint8Array(0) };
        throw Object.assign(new Error(`${name}: injected fault ${fault}`), { code: fault });
      }
      return impl.generate(request);
    },
  };
}
