// "Nothing lost, nothing doubled": a sha256 digest of every table of a schema (rows in a fixed
// order), so an indexer run can be compared with a clean re-index of the same chain.
import { createHash } from "node:crypto";
import pg from "pg";

export type SchemaDigest = {
  /** One digest over all tables. */
  sha256: string;
  tables: Record<string, { rows: number; sha256: string }>;
};

/** Ponder's bookkeeping tables (reorg shadows, checkpoints, metadata) are not indexed data. */
const isPonderInternal = (table: string) => table.startsWith("_");

export async function digestSchema(databaseUrl: string, schema: string): Promise<SchemaDigest> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tableRows } = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name",
      [schema],
    );
    const tables: SchemaDigest["tables"] = {};
    const all = createHash("sha256");
    for (const { table_name: table } of tableRows) {
      if (isPonderInternal(table)) continue;
      const quoted = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`;
      // Sorting the JSON text of whole rows gives one order for any primary key.
      const { rows } = await client.query<{ row: string }>(
        `select row_to_json(t)::text as row from ${quoted} t order by 1`,
      );
      const hash = createHash("sha256");
      for (const { row } of rows) hash.update(row).update("\n");
      const sha256 = hash.digest("hex");
      tables[table] = { rows: rows.length, sha256 };
      all.update(`${table}:${sha256}\n`);
    }
    if (Object.keys(tables).length === 0) throw new Error(`Schema "${schema}" has no tables to digest.`);
    return { sha256: all.digest("hex"), tables };
  } finally {
    await client.end();
  }
}
