// `npm run dev` trains the models itself when none fit the database's catalog: the freshness check
// (lib/ml/model-freshness.ts) and the background training the dev stack starts
// (scripts/ml/train-in-background.ts, a real `node scripts/ml/train.ts` child process).
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../../lib/catalog/seed-catalog.ts";
import { syntheticUserId } from "../../lib/ml/generate-interactions.ts";
import { clearModelCache, latestModel, recommendFor } from "../../lib/ml/index.ts";
import { readCatalogFingerprint, whyModelsNeedTraining } from "../../lib/ml/model-freshness.ts";
import { trainModelsInBackground } from "../../scripts/ml/train-in-background.ts";
import { createTestDatabase, type TestDatabase } from "../commerce/support/test-database.ts";

let t: TestDatabase;
let modelsDir: string;
const lines: string[] = [];
const log = (line: string) => lines.push(line);

beforeAll(async () => {
  t = await createTestDatabase("ml-dev-training", 5644);
  modelsDir = await mkdtemp(path.join(os.tmpdir(), "neocart-dev-models-"));
  await seedCatalog(t.db, { products: 150 });
});

afterAll(async () => {
  clearModelCache();
  await t?.stop();
  if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
});

describe("dev stack model training", () => {
  it("a fresh database needs training, and says why", async () => {
    expect(await whyModelsNeedTraining(t.db, { modelsDir })).toMatch(/no recommender model has been trained/);
  });

  it("trains in a child process with progress, after which the app's loaders answer from the models", async () => {
    const started = await trainModelsInBackground({ databaseUrl: t.url, log, shoppers: 80, modelsDir });
    if (!started) throw new Error("training did not start");
    expect(started.reason).toMatch(/no recommender model/);
    // Nothing waits for it: the caller gets the handle at once.
    expect(started.process.child.exitCode).toBeNull();
    expect(await started.done).toBe(true);
    expect(lines.some((l) => /^\[ml\] train \[/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/models trained in \d+ s/);

    expect(await whyModelsNeedTraining(t.db, { modelsDir })).toBeNull();
    const record = await latestModel(t.db, "recommender");
    expect(record?.params.catalog).toEqual(await readCatalogFingerprint(t.db));
    clearModelCache();
    const feed = await recommendFor(t.db, syntheticUserId("neocart", 1), { modelsDir, limit: 5 });
    expect(feed.source).toBe("model");
  });

  it("current models are not trained again", async () => {
    expect(await trainModelsInBackground({ databaseUrl: t.url, log, modelsDir })).toBeNull();
    expect(lines.at(-1)).toMatch(/trained models are current/);
  });

  it("a changed catalog or missing model files mean training again", async () => {
    const { rows } = await t.db.$client.query<{ category_slug: string }>(
      "select category_slug from commerce.products limit 1",
    );
    const id = randomUUID();
    await t.db.$client.query(
      `insert into commerce.products (id, sku, slug, chain_id_hash, category_slug, brand, title, description)
       values ($1, $2, $2, $3, $4, 'Test', 'A new product', 'Added after training')`,
      [id, `sku-${id}`, `0x${"e".repeat(64)}`, rows[0]?.category_slug],
    );
    expect(await whyModelsNeedTraining(t.db, { modelsDir })).toMatch(
      /trained on another catalog \(150 products, now 151\)/,
    );
    await t.db.$client.query("delete from commerce.products where id = $1", [id]);
    expect(await whyModelsNeedTraining(t.db, { modelsDir })).toBeNull();
    expect(await whyModelsNeedTraining(t.db, { modelsDir: path.join(modelsDir, "elsewhere") })).toMatch(
      /files are missing/,
    );
  });

  it("NEOCART_DEV_TRAIN=0 skips the check", async () => {
    process.env.NEOCART_DEV_TRAIN = "0";
    try {
      expect(
        await trainModelsInBackground({ databaseUrl: t.url, log, modelsDir: path.join(modelsDir, "elsewhere") }),
      ).toBeNull();
    } finally {
      delete process.env.NEOCART_DEV_TRAIN;
    }
  });
});
