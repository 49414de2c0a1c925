// Multi-row INSERT through unnest(): one array parameter per column, so a batch of any size is a
// single statement with a fixed number of parameters (no 65,535-parameter limit, one plan).
import type pg from "pg";

export type Column = {
  name: string;
  /** Element type of the array parameter (text, uuid, bigint, integer, timestamptz, boolean). */
  type: string;
  /** Cast applied to each element after unnest, for types that do not nest (text[] per row, jsonb). */
  cast?: string;
};

export async function insertRows(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  onConflict = "on conflict do nothing",
): Promise<number> {
  if (rows.length === 0) return 0;
  const params = columns.map((_, c) => rows.map((row) => row[c] ?? null));
  const args = columns.map((col, c) => `$${c + 1}::${col.type}[]`).join(", ");
  const names = columns.map((col) => col.name);
  const select = columns.map((col) => (col.cast ? `u.${col.name}::${col.cast}` : `u.${col.name}`)).join(", ");
  const text = `insert into ${table} (${names.join(", ")})
    select ${select} from unnest(${args}) as u (${names.join(", ")}) ${onConflict}`;
  const result = await client.query(text, params);
  return result.rowCount ?? 0;
}

/** A Postgres array literal for one row's text[] value (passed as text, cast per row). */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}
