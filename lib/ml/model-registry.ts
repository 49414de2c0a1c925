// commerce.ml_models rows (which model of each kind is current, where its files are, its figures)
// and a per-process cache of loaded models. The version lookup is cached briefly so a feed request
// costs no extra round trip, yet a newly trained model is picked up within seconds.
import path from "node:path";
import type { Db } from "../db/client.ts";
import { DEFAULT_MODELS_DIR } from "./model-files.ts";

export const modelKinds = ["recommender", "demand", "price", "fraud"] as const;
export type ModelKind = (typeof modelKinds)[number];

export type ModelRecord = {
  kind: ModelKind;
  version: string;
  /** Folder of the model's files, relative to the models folder. */
  files: string;
  metrics: Record<string, unknown>;
  params: Record<string, unknown>;
  trainingMs: number;
  trainedAt: Date;
};

export type ModelOptions = {
  /** Folder holding the model files (default .neocart/models). */
  modelsDir?: string;
};

export async function recordModel(db: Db, record: Omit<ModelRecord, "trainedAt">): Promise<void> {
  await db.$client.query(
    `insert into commerce.ml_models (kind, version, files, metrics, params, training_ms)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (kind, version) do update set files = excluded.files, metrics = excluded.metrics,
       params = excluded.params, training_ms = excluded.training_ms, trained_at = now()`,
    [
      record.kind,
      record.version,
      record.files,
      JSON.stringify(record.metrics),
      JSON.stringify(record.params),
      record.trainingMs,
    ],
  );
  clearModelCache();
}

export async function latestModel(db: Db, kind: ModelKind): Promise<ModelRecord | null> {
  const { rows } = await db.$client.query<{
    version: string;
    files: string;
    metrics: Record<string, unknown>;
    params: Record<string, unknown>;
    training_ms: number;
    trained_at: Date;
  }>(
    `select version, files, metrics, params, training_ms, trained_at from commerce.ml_models
     where kind = $1 order by trained_at desc, id desc limit 1`,
    [kind],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    kind,
    version: row.version,
    files: row.files,
    metrics: row.metrics,
    params: row.params,
    trainingMs: row.training_ms,
    trainedAt: row.trained_at,
  };
}

/** Every model's latest row, for dashboards and the bench. */
export async function listLatestModels(db: Db): Promise<ModelRecord[]> {
  const out: ModelRecord[] = [];
  for (const kind of modelKinds) {
    const record = await latestModel(db, kind);
    if (record) out.push(record);
  }
  return out;
}

const VERSION_TTL_MS = 5_000;
const versionCache = new WeakMap<
  Db,
  Map<ModelKind, { at: number; generation: number; record: Promise<ModelRecord | null> }>
>();
/** Bumped by clearModelCache: every cached version lookup older than it is stale. */
let cacheGeneration = 0;
const loaded = new Map<string, Promise<unknown>>();

/**
 * The current model of `kind`, loaded once per process and version, or null when none was trained
 * or its files are missing (a database restored on another machine): callers then fall back.
 */
export async function loadCurrentModel<T>(
  db: Db,
  kind: ModelKind,
  options: ModelOptions,
  load: (dir: string, record: ModelRecord) => Promise<T>,
): Promise<{ model: T; record: ModelRecord } | null> {
  let perDb = versionCache.get(db);
  if (!perDb) {
    perDb = new Map();
    versionCache.set(db, perDb);
  }
  let cached = perDb.get(kind);
  if (!cached || cached.generation !== cacheGeneration || performance.now() - cached.at > VERSION_TTL_MS) {
    cached = { at: performance.now(), generation: cacheGeneration, record: latestModel(db, kind) };
    perDb.set(kind, cached);
    cached.record.catch(() => perDb.delete(kind));
  }
  const record = await cached.record;
  if (!record) return null;
  const dir = path.join(options.modelsDir ?? DEFAULT_MODELS_DIR, record.files);
  const key = `${dir}@${record.version}`;
  let model = loaded.get(key);
  if (!model) {
    model = load(dir, record);
    loaded.set(key, model);
    // A failed load (files missing) is retried on a later call, not cached forever.
    model.catch(() => loaded.delete(key));
  }
  try {
    return { model: (await model) as T, record };
  } catch {
    return null;
  }
}

/** Forget loaded models and cached versions (after training, and in tests). */
export function clearModelCache(): void {
  loaded.clear();
  cacheGeneration++;
}
