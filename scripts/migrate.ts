// `npm run db:migrate`: applies the commerce migrations to DATABASE_URL or the embedded PostgreSQL.
import { migrate } from "../lib/db/migrate.ts";
import { startPostgres } from "../lib/db/start-postgres.ts";

const postgres = await startPostgres({ log: console.log });
try {
  const result = await migrate(postgres.url, console.log);
  console.log(`commerce schema up to date (${result.applied.length} applied, ${result.alreadyApplied} already there)`);
} finally {
  await postgres.stop();
}
