// `npm run indexer:publish -- <schema> [views-schema]`: switches the app's views schema
// (default neocart_chain) to the tables of indexer schema <schema>, atomically. The blue-green
// deployment of a new indexer build: start it on a new schema, wait until /status shows the chain
// head, run this, then stop the old build.
import { startPostgres } from "../lib/db/start-postgres.ts";
import { stackDefaults } from "./stack/defaults.ts";
import { publishViews } from "./stack/publish-views.ts";

const [schema, viewsSchema = stackDefaults.viewsSchema] = process.argv.slice(2);
if (!schema) {
  console.error("Usage: npm run indexer:publish -- <indexer schema> [views schema]");
  process.exit(2);
}
const postgres = await startPostgres();
try {
  const count = await publishViews({ databaseUrl: postgres.url, schema, viewsSchema });
  console.log(`${viewsSchema}: ${count} views now read ${schema}`);
} finally {
  await postgres.stop();
}
