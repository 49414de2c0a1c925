// Applies lib/db/migrations/*.sql in name order, each once, each in its own transaction, under
// an advisory lock so concurrent starts (app replicas, tests) never race. A migration that was
// edited after it ran is refused: write a new one instead.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

const MIGRATIONS_DIR = path.join(import.meta.dirname, "migrations");
const LOCK_KEY = 7_340_112_001; // any constant shared by every NeoCart process

export type MigrationResult = { applied: string[]; alreadyApplied: number };

export class MigrationChangedError extends Error {
  override name = "MigrationChangedError";
}

export async function migrate(databaseUrl: string, log: (line: string) => void = () => {}): Promise<MigrationResult> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`create schema if not exists neocart_meta;
      create table if not exists neocart_meta.migrations (
        name text primary key, sha256 text not null, applied_at timestamptz not null default now())`);
    const { rows } = await client.query<{ name: string; sha256: string }>(
      "select name, sha256 from neocart_meta.migrations",
    );
    const done = new Map(rows.map((r) => [r.name, r.sha256]));
    const applied: string[] = [];
    for (const file of files) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, file), "utf8");
      const sha256 = createHash("sha256").update(sql).digest("hex");
      const previous = done.get(file);
      if (previous !== undefined) {
        if (previous !== sha256) {
          throw new MigrationChangedError(
            `Migration ${file} changed after it was applied to this database; revert it and add a new migration.`,
          );
        }
        continue;
      }
      await client.query("begin");
      try {
        await client.query(sql);
        await client.query("insert into neocart_meta.migrations (name, sha256) values ($1, $2)", [file, sha256]);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw new Error(`Migration ${file} failed and was rolled back: ${(error as Error).message}`);
      }
      applied.push(file);
      log(`migrated: ${file}`);
    }
    return { applied, alreadyApplied: files.length - applied.length };
  } finally {
    await client.query("select pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
