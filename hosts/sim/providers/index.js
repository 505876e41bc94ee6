// createProvider(name, opts): the simulated configfs-tsm providers, keyed by the kernel's
// provider (module) names. Each returns { name, reportNew(request) } producing
// { outblob, auxblob?, manifestblob? }. Kernel rules (inblob length, privlevel floor, service
// provider visibility) belong to the simulated kernel item, not here.
//
// Common options: latencyMs (delay before every answer) and fault injection
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

export function createProvider(name, opts = {}) {
  const gen = GENERATORS[name];
  if (!gen) throw new TypeError(`unknown provider "${name}" (known: ${PROVIDERS.join(", ")})`);
  const { latencyMs = 0, fault, times = Infinity } = opts;
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
