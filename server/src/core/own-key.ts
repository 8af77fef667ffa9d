/**
 * Keys a client chooses (state variables, map keys, secret paths) may be
 * any string, `__proto__` and `constructor` included. On a plain object,
 * `obj[key] = v` with `__proto__` sets the prototype and drops the entry,
 * and `obj[key]` or `key in obj` with `constructor` finds Object's own
 * members. These two helpers keep such keys ordinary data.
 */

/** obj[key] = value as an own, enumerable data property, whatever the key. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: NoInfer<T>): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** obj[key] when the object itself holds key; undefined for inherited members such as `valueOf`. */
export function getOwn<T>(obj: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
