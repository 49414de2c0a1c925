// Reads of the indexer's tables as published in the views schema. Pages must still render when
// the indexer has not published yet (a fresh dev database), so a missing view reads as "absent".
import { type SQL, sql } from "drizzle-orm";
import pg from "pg";
import type { Executor } from "../pricing/executor.ts";

export const DEFAULT_VIEWS_SCHEMA = "neocart_chain";

/** The view `name` in `schema`, quoted for SQL. */
export function chainView(schema: string, name: string): SQL {
  return sql.raw(`${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(name)}`);
}

function isMissingRelation(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return code === "42P01" || code === "3F000";
}

/** Runs a read against the views; undefined when they are not (or no longer) there. */
export async function readChainViews<T extends Record<string, unknown>>(
  db: Executor,
  query: SQL,
): Promise<T[] | undefined> {
  try {
    const result = await db.execute<T>(query);
    return result.rows as T[];
  } catch (error) {
    if (isMissingRelation(error)) return undefined;
    throw error;
  }
}
