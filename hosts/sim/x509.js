// @peculiar/x509 on WebCrypto. Its dependency tsyringe demands the Reflect metadata API
// (normally the reflect-metadata package, which is not installed); the few calls it makes are
// served here by a WeakMap store, installed only when no polyfill is present.
if (typeof Reflect.getMetadata !== "function") {
  const store = new WeakMap();
  const own = (target, prop, create) => {
    let byProp = store.get(target);
    if (!byProp && create) store.set(target, (byProp = new Map()));
    let m = byProp?.get(prop);
    if (!m && create) byProp.set(prop, (m = new Map()));
    return m;
  };
  Reflect.defineMetadata = (key, value, target, prop) => { own(target, prop, true).set(key, value); };
  Reflect.getOwnMetadata = (key, target, prop) => own(target, prop, false)?.get(key);
  Reflect.getMetadata = (key, target, prop) => {
    for (let t = target; t; t = Object.getPrototypeOf(t)) {
      const m = own(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  Reflect.metadata = (key, value) => (target, prop) => Reflect.defineMetadata(key, value, target, prop);
}

const x509 = await import("@peculiar/x509");
x509.cryptoProvider.set(globalThis.crypto);
export default x509;
