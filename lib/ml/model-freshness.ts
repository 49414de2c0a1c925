// Whether the served models were trained on the data the database holds now, so the dev stack
// can train only when it must. Each training run stamps its models with a fingerprint of the
// catalog (how many products, and which): a fresh database, a re-seeded or enlarged catalog, or
// model files missing on this machine all mean the models no longer fit.
import { access } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db/client.ts";
import { DEFAULT_MODELS_DIR } from "./model-files.ts";
import { latestModel, type ModelOptions, modelKinds } from "./model-registry.ts";

export type CatalogFingerprint = { products: number; digest: string };

export async function readCatalogFingerprint(db: Db): Promise<CatalogFingerprint> {
  const { rows } = await db.$client.query<{ products: number; digest: string }>(
    `select count(*)::int as products, md5(coalesce(string_agg(id::text, ',' order by id), '')) as digest
       from commerce.products`,
  );
  return { products: rows[0]?.products ?? 0, digest: rows[0]?.digest ?? "" };
}

/** Why the models must be (re)trained, or null when every kind is current. */
export async function whyModelsNeedTraining(db: Db, options: ModelOptions = {}): Promise<string | null> {
  const modelsDir = options.modelsDir ?? DEFAULT_MODELS_DIR;
  const fingerprint = await readCatalogFingerprint(db);
  for (const kind of modelKinds) {
    const record = await latestModel(db, kind);
    if (!record) return `no ${kind} model has been trained on this database`;
    const files = path.join(modelsDir, record.files, "model.json");
    try {
      await access(files);
    } catch {
      return `the ${kind} model's files are missing (${files})`;
    }
    const trainedOn = record.params.catalog as Partial<CatalogFingerprint> | undefined;
    if (trainedOn?.digest !== fingerprint.digest) {
      return `the ${kind} model was trained on another catalog (${trainedOn?.products ?? "unknown"} products, now ${fingerprint.products})`;
    }
  }
  return null;
}
