// `node scripts/ml/train.ts [--users N] [--weeks N] [--seed TEXT] [--no-synthetic] [--models-dir DIR]`:
// trains every TF.js model (recommender, demand, price, fraud) against DATABASE_URL or the embedded
// PostgreSQL, after migrating it (and seeding the demo catalog when it is empty). By default it first
// regenerates the deterministic synthetic shopper history (1,500 shoppers × 104 weeks); real
// interactions and orders are always included. Model files go to .neocart/models/, figures to
// commerce.ml_models.
import { parseArgs } from "node:util";
import { createProgressBar } from "../../lib/catalog/progress-bar.ts";
import { seedCatalog } from "../../lib/catalog/seed-catalog.ts";
import { closeDb, createDb } from "../../lib/db/client.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { startPostgres } from "../../lib/db/start-postgres.ts";
import { DEFAULT_MODELS_DIR } from "../../lib/ml/model-files.ts";
import { trainAllModels } from "../../lib/ml/train-all.ts";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1500" },
    weeks: { type: "string", default: "104" },
    seed: { type: "string", default: "neocart" },
    "no-synthetic": { type: "boolean", default: false },
    "models-dir": { type: "string", default: DEFAULT_MODELS_DIR },
  },
});
const users = Number(values.users);
const weeks = Number(values.weeks);
if (!Number.isInteger(users) || users < 1 || !Number.isInteger(weeks) || weeks < 8) {
  console.error(
    "usage: node scripts/ml/train.ts [--users N≥1] [--weeks N≥8] [--seed TEXT] [--no-synthetic] [--models-dir DIR]",
  );
  process.exit(2);
}

const postgres = await startPostgres({ log: console.log });
const db = createDb(postgres.url, { max: 4 });
try {
  await migrate(postgres.url, console.log);
  const { rows } = await db.$client.query<{ n: number }>("select count(*)::int as n from commerce.products");
  if ((rows[0]?.n ?? 0) === 0) {
    console.log("catalog is empty: seeding the 2,000-product demo catalog first");
    await seedCatalog(db, { products: 2_000 });
  }
  const bar = createProgressBar("train", 6);
  const report = await trainAllModels(db, {
    modelsDir: values["models-dir"],
    synthetic: values["no-synthetic"] ? false : { users, weeks, seed: values.seed },
    onProgress: (done) => bar.update(done, done),
  });
  bar.finish();
  console.log(`${report.events.toLocaleString("en-US")} shopper events; models in ${values["models-dir"]}`);
  for (const model of report.models) {
    console.log(
      `${model.kind.padEnd(12)} ${String(model.trainingMs).padStart(7)} ms  ${JSON.stringify(model.metrics)}`,
    );
  }
} finally {
  await closeDb(db);
  await postgres.stop();
}
