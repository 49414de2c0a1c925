// `npm run db`: only the database — the embedded PostgreSQL under .neocart/postgres (or a check
// that DATABASE_URL answers). Prints its URL; Ctrl-C stops it.
import { startPostgres } from "../lib/db/start-postgres.ts";

const postgres = await startPostgres({ log: console.log });
console.log(`DATABASE_URL=${postgres.url}`);
if (postgres.kind !== "embedded") process.exit(0);
const stop = async () => {
  await postgres.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
setInterval(() => {}, 1 << 30);
