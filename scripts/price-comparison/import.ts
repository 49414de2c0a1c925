// `npm run feeds:import -- <file-or-url> [...]`: imports price feeds (docs/price-comparison.md)
// into commerce.external_offers of DATABASE_URL or the embedded PostgreSQL, after migrating it.
// Prints progress, then each skipped line with its number and what to fix. Exit code 0 when every
// line was imported, 1 when some were skipped, 2 on a usage or fetch error.
import { createProgressBar } from "../../lib/catalog/progress-bar.ts";
import { closeDb, createDb } from "../../lib/db/client.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { startPostgres } from "../../lib/db/start-postgres.ts";
import { importFeed } from "../../lib/price-comparison/import-feed.ts";

const origins = process.argv.slice(2).filter((a) => a !== "--");
if (origins.length === 0 || origins.some((o) => o === "--help" || o === "-h")) {
  console.error("usage: npm run feeds:import -- <file-or-url> [<file-or-url> ...]");
  process.exit(2);
}

const MAX_ERRORS_SHOWN = 50;
const postgres = await startPostgres({ log: console.log });
const db = createDb(postgres.url, { max: 2 });
let exitCode = 0;
try {
  await migrate(postgres.url, console.log);
  for (const origin of origins) {
    console.log(`feed: ${origin}`);
    let bar: ReturnType<typeof createProgressBar> | null = null;
    try {
      const result = await importFeed(db, origin, {
        onProgress: (done, total) => {
          bar ??= createProgressBar("import", total);
          bar.update(done, done);
        },
      });
      (bar as ReturnType<typeof createProgressBar> | null)?.finish();
      console.log(`  ${result.format}: ${result.upserted} offers stored, ${result.errors.length} lines skipped`);
      for (const e of result.errors.slice(0, MAX_ERRORS_SHOWN)) console.log(`  line ${e.line}: ${e.message}`);
      if (result.errors.length > MAX_ERRORS_SHOWN) {
        console.log(`  … and ${result.errors.length - MAX_ERRORS_SHOWN} more`);
      }
      if (result.errors.length > 0) exitCode = Math.max(exitCode, 1);
    } catch (error) {
      console.error(`  failed: ${(error as Error).message}`);
      exitCode = 2;
    }
  }
} finally {
  await closeDb(db);
  await postgres.stop();
}
process.exit(exitCode);
