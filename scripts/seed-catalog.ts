// `npm run seed:catalog -- [--products N] [--large] [--seed TEXT]`: writes the deterministic demo
// catalog (default 2,000 products; --large 100,000; N up to 1,000,000) into DATABASE_URL or the
// embedded PostgreSQL, after migrating it, and writes its placeholder images and .glb models under
// public/. Safe to re-run: existing rows are kept, missing ones added.
import path from "node:path";
import { parseArgs } from "node:util";
import { createProgressBar } from "../lib/catalog/progress-bar.ts";
import { MAX_CATALOG_PRODUCTS, seedCatalog } from "../lib/catalog/seed-catalog.ts";
import { writeCatalogAssets } from "../lib/catalog/write-catalog-assets.ts";
import { closeDb, createDb } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { startPostgres } from "../lib/db/start-postgres.ts";
import { repoRoot } from "./stack/child-process.ts";

const DEFAULT_PRODUCTS = 2_000;
const LARGE_PRODUCTS = 100_000;

function readOptions() {
  const { values } = parseArgs({
    options: {
      products: { type: "string" },
      large: { type: "boolean", default: false },
      seed: { type: "string", default: "neocart" },
    },
  });
  const products =
    values.products === undefined ? (values.large ? LARGE_PRODUCTS : DEFAULT_PRODUCTS) : Number(values.products);
  if (!Number.isInteger(products) || products < 1 || products > MAX_CATALOG_PRODUCTS) {
    throw new Error(
      `--products must be a whole number from 1 to ${MAX_CATALOG_PRODUCTS.toLocaleString("en-US")} (got ${values.products})`,
    );
  }
  return { products, seed: values.seed };
}

let options: ReturnType<typeof readOptions>;
try {
  options = readOptions();
} catch (error) {
  console.error((error as Error).message.split(". ")[0]);
  console.error("usage: node scripts/seed-catalog.ts [--products N] [--large] [--seed TEXT]");
  process.exit(2);
}

const files = await writeCatalogAssets(path.join(repoRoot, "public"));
console.log(`assets: ${files.length} placeholder images and models under public/`);
const postgres = await startPostgres({ log: console.log });
const db = createDb(postgres.url, { max: 4 });
try {
  await migrate(postgres.url, console.log);
  const bar = createProgressBar("seed", options.products);
  const result = await seedCatalog(db, { products: options.products, seed: options.seed, onProgress: bar.update });
  bar.finish();
  console.log(
    `catalog: ${result.products.toLocaleString("en-US")} products (${result.rowsWritten.toLocaleString("en-US")} new rows), ` +
      `${result.sellers} sellers, ${result.terms.toLocaleString("en-US")} search terms in ${(result.ms / 1000).toFixed(1)} s`,
  );
} finally {
  await closeDb(db);
  await postgres.stop();
}
