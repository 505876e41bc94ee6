// @peculiar/x509 resolves its algorithm providers through tsyringe, which refuses to load without
// the Reflect metadata API. The reflect-metadata package is not a dependency, so this installs the
// few calls tsyringe makes (define/get/getOwn), keyed per object and property. Imported for its
// side effect before @peculiar/x509 (see x509.js); a real polyfill, if present, is left alone.
if (typeof Reflect.getMetadata !== "function") {
  const store = new WeakMap();
  const table = (target, prop, create) => {
    let byProp = store.get(target);
    if (!byProp && create) store.set(target, (byProp = new Map()));
    let t = byProp?.get(prop);
    if (!t && create) byProp.set(prop, (t = new Map()));
    return t;
  };
  const getOwn = (key, target, prop) => table(target, prop, false)?.get(key);
  const get = (key, target, prop) => {
    for (let o = target; o; o = Object.getPrototypeOf(o)) {
      const v = getOwn(key, o, prop);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  Object.assign(Reflect, {
    defineMetadata: (key, value, target, prop) => { table(target, prop, true).set(key, value); },
    getOwnMetadata: getOwn,
    getMetadata: get,
    hasMetadata: (key, target, prop) => get(key, target, prop) !== undefined,
    metadata: (key, value) => (target, prop) => { table(target, prop, true).set(key, value); },
  });
}
