// The running e2e stack, as test files see it: its description (urls, accounts, fixture ids) and
// direct database access for arranging and checking state.
import pg from "pg";
import { afterAll, inject } from "vitest";
import type { DevAccount, E2eRole } from "../../../scripts/web/dev-accounts.ts";
import type { WebStackInfo } from "../../../scripts/web/start-web-stack.ts";
import "./provided.ts";

export type { WebStackInfo };

export function webStack(): WebStackInfo {
  return inject("webStack");
}

export function account(role: E2eRole): DevAccount {
  return webStack().accounts[role];
}

let pool: pg.Pool | undefined;
afterAll(async () => {
  await pool?.end();
  pool = undefined;
});

/** Runs SQL against the stack's database (one small pool per test file, closed after it). */
export async function query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]> {
  pool ??= new pg.Pool({ connectionString: webStack().urls.database, max: 2 });
  return (await pool.query<T>(sql, params)).rows;
}
