// The sim backend: getReport's operations on an in-process KernelModel whose provider is the
// simulator's (test keys). The one entry through which the Node library reaches hosts/sim.
import { KernelModel } from "../kernel/model.js";
import { modelBackend } from "../kernel/backend.js";
import { createProvider } from "../sim/providers/index.js";

/** @param {KernelModel} [tsm] the kernel model to use; default a fresh one with the simulated tdx_guest */
export function simBackend(tsm = new KernelModel({ provider: createProvider("tdx_guest") })) {
  return modelBackend(tsm);
}
