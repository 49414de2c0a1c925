// Moves stored personal data to the current key after a rotation, in small batches, so the old
// key can then be removed from NEOCART_DATA_KEYS. Safe to run while the app serves traffic: each
// row is only rewritten if it still holds the value that was read.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { reencryptField } from "./envelope.ts";
import type { Keyring } from "./keyring.ts";

export type EncryptedColumn = { table: string; idColumn: string; column: string };

/** Every encrypted column of the commerce schema (lib/db/migrations/0001_commerce_core.sql). */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: "commerce.users", idColumn: "id", column: "email_enc" },
  { table: "commerce.users", idColumn: "id", column: "phone_enc" },
  { table: "commerce.orders", idColumn: "id", column: "guest_email_enc" },
  { table: "commerce.orders", idColumn: "id", column: "shipping_address_enc" },
];

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

export async function reencryptStoredData(
  db: Db,
  keyring: Keyring,
  options: { columns?: readonly EncryptedColumn[]; batchSize?: number } = {},
): Promise<{ rewritten: number; byColumn: Record<string, number> }> {
  const batchSize = options.batchSize ?? 500;
  const currentPrefix = `v1:${keyring.current.id}:`;
  const byColumn: Record<string, number> = {};
  let rewritten = 0;
  for (const { table, idColumn, column } of options.columns ?? ENCRYPTED_COLUMNS) {
    // Names come from code, never from input; still refuse anything that is not a plain identifier.
    for (const name of [table, idColumn, column]) {
      if (!IDENTIFIER.test(name)) throw new Error(`Not a SQL identifier: ${name}`);
    }
    const key = `${table}.${column}`;
    byColumn[key] = 0;
    let after = "";
    for (;;) {
      const [id, col, tbl] = [sql.raw(idColumn), sql.raw(column), sql.raw(table)];
      const batch = await db.execute<{ id: string; value: string }>(
        sql`select ${id}::text as id, ${col} as value from ${tbl}
            where ${col} is not null and not starts_with(${col}, ${currentPrefix}) and ${id}::text > ${after}
            order by ${id}::text limit ${batchSize}`,
      );
      if (batch.rows.length === 0) break;
      for (const row of batch.rows) {
        const updated = await db.execute(
          sql`update ${tbl} set ${col} = ${reencryptField(keyring, row.value)}
              where ${id}::text = ${row.id} and ${col} = ${row.value}`,
        );
        const count = updated.rowCount ?? 0;
        byColumn[key] += count;
        rewritten += count;
      }
      after = batch.rows[batch.rows.length - 1]?.id ?? after;
    }
  }
  return { rewritten, byColumn };
}
