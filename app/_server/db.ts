// One database pool per server process, kept across dev hot reloads.
import { createDb, type Db } from "../../lib/db/client.ts";
import { webSettings } from "./settings.ts";

const holder = globalThis as typeof globalThis & { __neocartDb?: Db };

export function database(): Db {
  holder.__neocartDb ??= createDb(webSettings().DATABASE_URL, { max: 20 });
  return holder.__neocartDb;
}
