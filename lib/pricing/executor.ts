// What the commerce modules query through: the database handle or a transaction on it. Both are
// Drizzle PgDatabase values over node-postgres with the commerce schema, so one function can run
// alone or inside a caller's transaction.
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import type * as schema from "../db/schema.ts";

export type Executor = PgDatabase<NodePgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;
