// The migrations build the commerce schema on a real PostgreSQL, run once, refuse an edited
// migration, and agree with the Drizzle mirror in lib/db/schema.ts.
import { is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../lib/db/migrate.ts";
import * as schema from "../../lib/db/schema.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("schema", 5511);
});
afterAll(async () => {
  await t?.stop();
});

const tables: PgTable[] = Object.values(schema as Record<string, unknown>).filter((value): value is PgTable =>
  is(value, PgTable),
);

describe("commerce schema", () => {
  it("a second migrate applies nothing", async () => {
    const again = await migrate(t.url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThan(0);
  });

  it("every Drizzle table and column exists in the database with the same nullability", async () => {
    expect(tables.length).toBeGreaterThan(15);
    const { rows } = await t.db.$client.query<{ table_name: string; column_name: string; is_nullable: string }>(
      "select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'commerce'",
    );
    const columns = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.is_nullable === "YES"]));
    const problems: string[] = [];
    for (const table of tables) {
      const config = getTableConfig(table);
      for (const column of config.columns) {
        const key = `${config.name}.${column.name}`;
        const nullable = columns.get(key);
        if (nullable === undefined) problems.push(`${key} missing`);
        else if (nullable === column.notNull) problems.push(`${key} nullability differs`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("constraints refuse bad rows (negative stock, bad address, unknown role)", async () => {
    const q = (sql: string) => t.db.$client.query(sql);
    await expect(
      q("insert into commerce.wallets (address, user_id) values ('0xNOT', gen_random_uuid())"),
    ).rejects.toThrow(/check constraint/);
    const { rows } = await q("insert into commerce.users default values returning id");
    await expect(
      q(`insert into commerce.user_roles (user_id, role) values ('${rows[0].id}', 'superuser')`),
    ).rejects.toThrow(/check constraint/);
  });
});
