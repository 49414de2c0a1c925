// A migrated commerce database private to one test file: on the server at DATABASE_URL (a new
// database, dropped afterwards) or on an embedded PostgreSQL started for the file.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { closeDb, createDb, type Db } from "../../../lib/db/client.ts";
import { migrate } from "../../../lib/db/migrate.ts";
import { startPostgres } from "../../../lib/db/start-postgres.ts";
import { repoRoot } from "../../../scripts/stack/child-process.ts";

export type TestDatabase = { url: string; db: Db; stop(): Promise<void> };

/** `port` is only used for the embedded server; give each test file its own. */
export async function createTestDatabase(name: string, port: number): Promise<TestDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const database = `neocart_t_${name.replace(/[^a-z0-9]/g, "_")}_${randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`create database "${database}"`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${database}`;
    await migrate(url.toString());
    const db = createDb(url.toString(), { max: 20, onIdleError: () => {} });
    return {
      url: url.toString(),
      db,
      async stop() {
        await closeDb(db);
        const client = new pg.Client({ connectionString: external });
        await client.connect();
        await client.query(`drop database if exists "${database}" with (force)`);
        await client.end();
      },
    };
  }
  const dataDir = path.join(repoRoot, ".neocart", "test", `${name}-pg`);
  await rm(dataDir, { recursive: true, force: true });
  const server = await startPostgres({ forceEmbedded: true, ephemeral: true, port, dataDir, database: "neocart_test" });
  await migrate(server.url);
  const db = createDb(server.url, { max: 20, onIdleError: () => {} });
  return {
    url: server.url,
    db,
    async stop() {
      await closeDb(db);
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
