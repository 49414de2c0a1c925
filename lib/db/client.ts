// The commerce database: one pg pool per process and a Drizzle handle over it. Callers pass the
// URL (from startPostgres or DATABASE_URL); nothing here reads the environment.
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema.ts";

export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export function createDb(
  databaseUrl: string,
  options: { max?: number; onIdleError?: (error: Error) => void } = {},
): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10 });
  // An idle connection dies when the server restarts; the pool replaces it on the next query.
  // Without a listener, pg would turn that into an uncaught exception that ends the process.
  pool.on(
    "error",
    options.onIdleError ?? ((error) => console.error(`postgres: idle connection lost (${error.message})`)),
  );
  return drizzle(pool, { schema }) as Db;
}

export async function closeDb(db: Db) {
  await db.$client.end();
}
