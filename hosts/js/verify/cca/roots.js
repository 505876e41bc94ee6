// roots.cca: the CCA platform keys (CPAK / IAK) the caller trusts. Arm publishes no root for
// them: a relying party learns each platform's key out of band (an endorsement, a provisioning
// record), so the caller supplies it as one key, a list of keys, or a map from the platform
// instance ID (hex, claim 256 of the platform token) to that platform's key(s).
import { OptionError } from "../options.js";
import { isJwk, keysOf } from "./keys.js";

const bad = (message) => new OptionError("roots.cca", message);

const isBytes = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v);
const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && !isBytes(v) && !isJwk(v)
  && Object.getPrototypeOf(v) === Object.prototype;

function keys(input, label) {
  const list = Array.isArray(input) ? input.flatMap((v, i) => keys(v, `${label} ${i}`)) : keysOfInput(input, label);
  if (!list.length) throw bad(`${label}: no key in it`);
  return list;
}

function keysOfInput(input, label) {
  try {
    return keysOf(input, label);
  } catch (e) {
    throw bad(e.message);
  }
}

/**
 * roots.cca read into { any: key[] } (keys for every platform) or { byInstance: Map(hex -> key[]) },
 * or null when none were given. Throws OptionError (option "roots.cca") naming the entry that is not a key.
 */
export function ccaRoots(input) {
  if (input == null) return null;
  if (!isMap(input)) return Object.freeze({ any: keys(input, "key") });
  const byInstance = new Map();
  for (const [id, v] of Object.entries(input)) {
    if (!/^([0-9a-fA-F]{2})+$/.test(id)) {
      throw bad(`key "${id}" is not a platform instance ID in hex (a map's keys are instance IDs; a JWK has "kty")`);
    }
    byInstance.set(id.toLowerCase(), keys(v, `key of instance ${id}`));
  }
  if (!byInstance.size) throw bad("an empty map");
  return Object.freeze({ byInstance });
}

/**
 * The keys that may have signed the platform token of instance `instanceId` (hex), as
 * { keys, where } or { keys: [], why } when roots.cca has none for it.
 */
export function platformKeys(roots, instanceId) {
  if (!roots) return { keys: [], why: "no CCA platform key was supplied" };
  if (roots.any) return { keys: roots.any, where: "roots.cca" };
  const id = String(instanceId ?? "").toLowerCase();
  const list = roots.byInstance.get(id);
  return list ? { keys: list, where: `roots.cca["${id}"]` }
    : { keys: [], why: `roots.cca has no key for platform instance ID ${id || "(none)"} (it has ${roots.byInstance.size})` };
}
