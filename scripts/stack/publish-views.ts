// Points the views schema the app reads at an indexer schema, in one transaction.
//
// Ponder can create the views itself (--views-schema), but it does so when its backfill ends,
// before it has caught up with the last (unfinalized) blocks, and one statement at a time: readers
// could see older rows or a missing view during a swap. We publish once the new build has reached
// the chain head, atomically: a reader waits on the swap's lock for a moment and then reads the
// new build, never an error and never a step back.
import pg from "pg";

const quote = pg.escapeIdentifier;

/** Tables of `schema` that readers see: the indexed tables plus Ponder's meta and checkpoint. */
async function publishableTables(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `select table_name from information_schema.tables
     where table_schema = $1 and table_type = 'BASE TABLE' and table_name not like '\\_reorg\\_\\_%'
     order by table_name`,
    [schema],
  );
  return rows.map((r) => r.table_name);
}

export async function publishViews(opts: { databaseUrl: string; schema: string; viewsSchema: string }) {
  if (opts.schema === opts.viewsSchema) throw new Error("The views schema must differ from the indexer's schema.");
  const client = new pg.Client({ connectionString: opts.databaseUrl });
  await client.connect();
  try {
    const tables = await publishableTables(client, opts.schema);
    if (!tables.some((t) => !t.startsWith("_"))) {
      throw new Error(`Schema "${opts.schema}" has no indexed tables; start the indexer on it first.`);
    }
    await client.query("begin");
    await client.query(`create schema if not exists ${quote(opts.viewsSchema)}`);
    const { rows: old } = await client.query<{ table_name: string }>(
      "select table_name from information_schema.views where table_schema = $1",
      [opts.viewsSchema],
    );
    // Drop and create (not CREATE OR REPLACE): a new build may have changed a table's columns.
    for (const { table_name: view } of old) {
      await client.query(`drop view if exists ${quote(opts.viewsSchema)}.${quote(view)}`);
    }
    for (const table of tables) {
      await client.query(
        `create view ${quote(opts.viewsSchema)}.${quote(table)} as select * from ${quote(opts.schema)}.${quote(table)}`,
      );
    }
    await client.query("commit");
    return tables.length;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
