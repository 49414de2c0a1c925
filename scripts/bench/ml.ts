// `npm run bench:ml`: quality and cost of NeoCart's TF.js models on the deterministic demo data.
// Starts its own embedded PostgreSQL (port 5549, data in .neocart/bench-ml-pg, deleted afterwards;
// NEOCART_BENCH_DATABASE_URL instead creates and drops a scratch database on that server), seeds
// 2,000 products and the synthetic history (NEOCART_BENCH_ML_USERS shoppers, default 1,500, × 104
// weeks), trains every model, then times feed requests (recommendFor, database read included).
// Prints a table and writes bench/ml.json: each model's quality against its baseline, training
// time, and feed latency percentiles.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createProgressBar } from "../../lib/catalog/progress-bar.ts";
import { seedCatalog } from "../../lib/catalog/seed-catalog.ts";
import { closeDb, createDb } from "../../lib/db/client.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { startPostgres } from "../../lib/db/start-postgres.ts";
import { generateInteractions, readCatalogItems, syntheticUserId } from "../../lib/ml/generate-interactions.ts";
import { clearModelCache, recommendFor, similarProducts } from "../../lib/ml/index.ts";
import { trainAllModels } from "../../lib/ml/train-all.ts";
import { repoRoot } from "../stack/child-process.ts";

const PORT = 5549;
const PRODUCTS = Number(process.env.NEOCART_BENCH_ML_PRODUCTS ?? 2_000);
const USERS = Number(process.env.NEOCART_BENCH_ML_USERS ?? 1_500);
const WEEKS = 104;
const FEED_REQUESTS = 300;
const SEED = "neocart";
const outFile = path.join(repoRoot, "bench", "ml.json");

async function openDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const external = process.env.NEOCART_BENCH_DATABASE_URL;
  if (external) {
    const name = `neocart_bench_ml_${randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async stop() {
        const client = new pg.Client({ connectionString: external });
        await client.connect();
        await client.query(`drop database if exists "${name}" with (force)`);
        await client.end();
      },
    };
  }
  const dataDir = path.join(repoRoot, ".neocart", "bench-ml-pg");
  await rm(dataDir, { recursive: true, force: true });
  const server = await startPostgres({
    forceEmbedded: true,
    ephemeral: true,
    port: PORT,
    dataDir,
    database: "neocart_bench",
  });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const percentile = (sorted: number[], q: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN) * 100) / 100;

async function main() {
  console.log(
    `ml bench: ${PRODUCTS} products, ${USERS} shoppers × ${WEEKS} weeks, ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const database = await openDatabase();
  const modelsDir = await mkdtemp(path.join(os.tmpdir(), "neocart-bench-models-"));
  const db = createDb(database.url, { max: 4, onIdleError: () => {} });
  try {
    await migrate(database.url);
    const seedBar = createProgressBar("catalog", PRODUCTS);
    await seedCatalog(db, { products: PRODUCTS, onProgress: seedBar.update });
    seedBar.finish();
    const trainBar = createProgressBar("train", 6);
    const started = performance.now();
    const report = await trainAllModels(db, {
      modelsDir,
      synthetic: { users: USERS, weeks: WEEKS, seed: SEED },
      onProgress: (done) => trainBar.update(done, done),
    });
    trainBar.finish();
    const totalMs = Math.round(performance.now() - started);
    const truth = generateInteractions(await readCatalogItems(db), { users: 1, weeks: 1, seed: SEED }).truth.elasticity;

    clearModelCache();
    await recommendFor(db, syntheticUserId(SEED, 0), { modelsDir }); // loads the model files once
    const latencies: number[] = [];
    for (let k = 0; k < FEED_REQUESTS; k++) {
      const t0 = performance.now();
      await recommendFor(db, syntheticUserId(SEED, (k * 37) % USERS), { modelsDir, limit: 12 });
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const similarT0 = performance.now();
    const probe = await recommendFor(db, syntheticUserId(SEED, 1), { modelsDir, limit: 1 });
    if (probe.items[0]) await similarProducts(db, probe.items[0].productId, { modelsDir });
    const similarMs = Math.round((performance.now() - similarT0) * 100) / 100;

    const byKind = Object.fromEntries(report.models.map((m) => [m.kind, m]));
    const price = byKind.price?.metrics as { elasticity: Record<string, number> } | undefined;
    const elasticityRows = Object.keys(truth)
      .sort()
      .map((root) => ({ root, true: truth[root] ?? 0, fitted: price?.elasticity[root] ?? null }));
    const fitted = elasticityRows.filter((r) => r.fitted !== null) as { root: string; true: number; fitted: number }[];
    const mae = (f: (r: { true: number; fitted: number }) => number) =>
      Math.round((fitted.reduce((s, r) => s + Math.abs(f(r) - r.true), 0) / Math.max(1, fitted.length)) * 100) / 100;
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadBefore: os.loadavg(), node: process.version },
      data: {
        products: PRODUCTS,
        shoppers: USERS,
        weeks: WEEKS,
        events: report.events,
        syntheticMs: report.syntheticMs,
      },
      totalTrainingMs: totalMs,
      recommender: { trainingMs: byKind.recommender?.trainingMs, ...byKind.recommender?.metrics },
      demand: { trainingMs: byKind.demand?.trainingMs, ...byKind.demand?.metrics },
      price: {
        trainingMs: byKind.price?.trainingMs,
        elasticity: elasticityRows,
        maeVsTruth: mae((r) => r.fitted),
        baselineMaeVsTruth: mae(() => 1),
        baseline: "unit elasticity (ε = 1) for every category",
      },
      fraud: { trainingMs: byKind.fraud?.trainingMs, ...byKind.fraud?.metrics },
      feed: {
        requests: FEED_REQUESTS,
        p50Ms: percentile(latencies, 0.5),
        p95Ms: percentile(latencies, 0.95),
        p99Ms: percentile(latencies, 0.99),
        similarMs,
      },
    };
    const rec = result.recommender as {
      model?: { hitRate10: number; ndcg10: number };
      popularity?: { hitRate10: number; ndcg10: number };
    };
    const dem = result.demand as { mape?: number; baselineMape?: number; products?: number };
    const fr = result.fraud as {
      model?: { precision: number; recall: number; auc: number };
      rules?: { precision: number; recall: number };
    };
    const rows: [string, string, string, string][] = [
      [
        "recommender",
        `HR@10 ${rec.model?.hitRate10} · NDCG@10 ${rec.model?.ndcg10}`,
        `popularity: HR@10 ${rec.popularity?.hitRate10} · NDCG@10 ${rec.popularity?.ndcg10}`,
        `${result.recommender.trainingMs} ms`,
      ],
      [
        "demand",
        `MAPE ${dem.mape}% (${dem.products} products)`,
        `seasonal naive: MAPE ${dem.baselineMape}%`,
        `${result.demand.trainingMs} ms`,
      ],
      [
        "price",
        `elasticity MAE ${result.price.maeVsTruth} vs truth`,
        `ε = 1: MAE ${result.price.baselineMaeVsTruth}`,
        `${result.price.trainingMs} ms`,
      ],
      [
        "fraud",
        `P ${fr.model?.precision} · R ${fr.model?.recall} · AUC ${fr.model?.auc}`,
        `velocity rules: P ${fr.rules?.precision} · R ${fr.rules?.recall}`,
        `${result.fraud.trainingMs} ms`,
      ],
    ];
    console.log("");
    console.log(`${"model".padEnd(12)} ${"quality (held out)".padEnd(44)} ${"baseline".padEnd(44)} training`);
    for (const r of rows) console.log(`${r[0].padEnd(12)} ${r[1].padEnd(44)} ${r[2].padEnd(44)} ${r[3]}`);
    console.log(
      `feed request (recommendFor, DB read included): p50 ${result.feed.p50Ms} ms · p95 ${result.feed.p95Ms} ms · p99 ${result.feed.p99Ms} ms`,
    );
    await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.relative(repoRoot, outFile)}`);
  } finally {
    clearModelCache();
    await closeDb(db);
    await database.stop();
    await rm(modelsDir, { recursive: true, force: true });
  }
}

await main();
