// For `npm run dev`: trains the models in a child process when the database has none for its
// current catalog, so a fresh dev stack shows recommendations, forecasts and price suggestions
// without a separate `npm run ml:train`. The web app does not wait: it answers from popularity and
// rules meanwhile and picks the new models up within seconds of their rows appearing
// (lib/ml/model-registry.ts). The child runs at low CPU priority, so the app, the chain and the
// indexer stay responsive, and its progress bar is printed with an [ml] prefix.
import { closeDb, createDb } from "../../lib/db/client.ts";
import { DEFAULT_MODELS_DIR } from "../../lib/ml/model-files.ts";
import { whyModelsNeedTraining } from "../../lib/ml/model-freshness.ts";
import { type Started, startProcess } from "../stack/child-process.ts";

/** A smaller synthetic history than `npm run ml:train` (1,500): about half the training time. */
export const DEV_TRAINING_SHOPPERS = 1_000;

export type BackgroundTraining = { process: Started; reason: string };

/**
 * Starts training when it is needed (null when the models are current, or NEOCART_DEV_TRAIN=0).
 * The promise `done` of the result settles once training has ended, successfully or not.
 */
export async function trainModelsInBackground(options: {
  databaseUrl: string;
  log: (line: string) => void;
  shoppers?: number;
  /** Where the models live (default .neocart/models, or NEOCART_MODELS_DIR). */
  modelsDir?: string;
}): Promise<(BackgroundTraining & { done: Promise<boolean> }) | null> {
  if (process.env.NEOCART_DEV_TRAIN === "0") {
    options.log("ml: NEOCART_DEV_TRAIN=0, not checking the models");
    return null;
  }
  const db = createDb(options.databaseUrl, { max: 1 });
  let reason: string | null;
  try {
    reason = await whyModelsNeedTraining(db, { modelsDir: options.modelsDir });
  } finally {
    await closeDb(db);
  }
  if (reason === null) {
    options.log("ml: trained models are current for this catalog");
    return null;
  }
  const shoppers = options.shoppers ?? DEV_TRAINING_SHOPPERS;
  const modelsDir = options.modelsDir ?? DEFAULT_MODELS_DIR;
  options.log(`ml: training the models in the background (${reason}); the app uses popularity and rules until then`);
  const started = performance.now();
  const child = startProcess(
    "ml",
    "nice",
    ["-n", "10", process.execPath, "scripts/ml/train.ts", "--users", String(shoppers), "--models-dir", modelsDir],
    { env: { DATABASE_URL: options.databaseUrl }, log: options.log },
  );
  const done = child.exited.then((code) => {
    const seconds = Math.round((performance.now() - started) / 1000);
    if (code === 0) options.log(`ml: models trained in ${seconds} s; the app serves them from now on`);
    else options.log(`ml: training failed (${code}); run \`npm run ml:train\` to see why`);
    return code === 0;
  });
  return { process: child, reason, done };
}
