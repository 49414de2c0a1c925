// Builds the search-by-photo index: every distinct product image rendered by Chromium and turned
// into a feature vector by lib/ml/image-features.ts (the code the image search page runs on the
// shopper's photo), stored in commerce.image_features. Only images not yet indexed at the current
// feature version are done, unless --force.
//   node scripts/ml/index-images.ts [--force] [--public-dir public]   (DATABASE_URL, else embedded PG)
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb, createDb } from "../../lib/db/client.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { startPostgres } from "../../lib/db/start-postgres.ts";
import { FEATURE_VERSION } from "../../lib/ml/image-features.ts";
import { type IndexReport, indexProductImages } from "../../lib/ml/image-index.ts";
import { rasteriseImages } from "./rasterise-images.ts";

export const DEFAULT_PUBLIC_DIR = path.join(import.meta.dirname, "..", "..", "public");

/** Indexes the images of the database at `databaseUrl` (used by the browser tests too). */
export async function indexImages(options: {
  databaseUrl: string;
  publicDir?: string;
  force?: boolean;
  onProgress?: (done: number, total: number) => void;
}): Promise<IndexReport> {
  const db = createDb(options.databaseUrl, { max: 2 });
  try {
    return await indexProductImages(
      db,
      (urls) => rasteriseImages(urls, { publicDir: options.publicDir ?? DEFAULT_PUBLIC_DIR }),
      { force: options.force, onProgress: options.onProgress },
    );
  } finally {
    await closeDb(db);
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      force: { type: "boolean", default: false },
      "public-dir": { type: "string", default: DEFAULT_PUBLIC_DIR },
    },
  });
  const postgres = await startPostgres({ log: console.log });
  try {
    await migrate(postgres.url, console.log);
    const report = await indexImages({
      databaseUrl: postgres.url,
      publicDir: values["public-dir"],
      force: values.force,
      onProgress: (done, total) => {
        if (done % 50 === 0 || done === total) console.log(`images ${done}/${total}`);
      },
    });
    console.log(
      `${report.indexed} of ${report.images} images indexed (${FEATURE_VERSION})` +
        (report.skipped.length > 0
          ? `; could not read ${report.skipped.length}: ${report.skipped.slice(0, 5).join(", ")}`
          : ""),
    );
  } finally {
    await postgres.stop();
  }
}
