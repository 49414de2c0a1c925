// State a process keeps per database handle (caches, in-memory indexes): made on first use and
// dropped with the handle, so tests and benchmarks that open several handles never share it.
import type { Db } from "./client.ts";

/** A function giving each handle its own value, made by `create` the first time it is asked. */
export function perDatabase<T>(create: () => T): (db: Db) => T {
  const values = new WeakMap<Db, T>();
  return (db) => {
    let value = values.get(db);
    if (value === undefined) {
      value = create();
      values.set(db, value);
    }
    return value;
  };
}
