// The product image index for search by photo: building it (features of every distinct catalog
// image, from pixels a rasteriser supplies) and answering a query vector with the nearest products.
// A product matches through its best image; its cover (position 0) outranks the same picture
// further down its gallery, since the cover is what a shopper would photograph or screenshot.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { FEATURE_LENGTH, FEATURE_VERSION, imageFeatures, type Pixels } from "./image-features.ts";

export type Rasterise = (urls: readonly string[]) => AsyncIterable<{ url: string; pixels: Pixels | null }>;

export type IndexReport = { images: number; indexed: number; skipped: string[] };

/** Indexes every distinct product image URL not yet indexed at FEATURE_VERSION (all with `force`). */
export async function indexProductImages(
  db: Db,
  rasterise: Rasterise,
  options: { force?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<IndexReport> {
  const { rows } = await db.$client.query<{ url: string }>(
    `select distinct i.url from commerce.product_images i
      where $1 or not exists (select 1 from commerce.image_features f where f.url = i.url and f.version = $2)
      order by i.url`,
    [options.force ?? false, FEATURE_VERSION],
  );
  const urls = rows.map((r) => r.url);
  const skipped: string[] = [];
  let indexed = 0;
  for await (const { url, pixels } of rasterise(urls)) {
    if (!pixels) {
      skipped.push(url);
    } else {
      const features = imageFeatures(pixels);
      await db.$client.query(
        `insert into commerce.image_features (url, version, features) values ($1, $2, $3)
         on conflict (url, version) do update set features = excluded.features, computed_at = now()`,
        [url, FEATURE_VERSION, Array.from(features)],
      );
      indexed++;
    }
    options.onProgress?.(indexed + skipped.length, urls.length);
  }
  invalidateImageIndex();
  return { images: urls.length, indexed, skipped };
}

type Loaded = { urls: string[]; vectors: Float32Array[]; at: number };
const holder = globalThis as typeof globalThis & { __neocartImageIndex?: Loaded };
/** A process re-reads the index this often, so a re-index shows up without a restart. */
const INDEX_TTL_MS = 60_000;

export function invalidateImageIndex(): void {
  holder.__neocartImageIndex = undefined;
}

async function loadIndex(db: Db): Promise<Loaded> {
  const cached = holder.__neocartImageIndex;
  if (cached && Date.now() - cached.at < INDEX_TTL_MS) return cached;
  const { rows } = await db.$client.query<{ url: string; features: number[] }>(
    "select url, features from commerce.image_features where version = $1 order by url",
    [FEATURE_VERSION],
  );
  const loaded = {
    urls: rows.map((r) => r.url),
    vectors: rows.map((r) => Float32Array.from(r.features)),
    at: Date.now(),
  };
  // An empty index is not remembered: the first indexing run should show up at once.
  if (rows.length > 0) holder.__neocartImageIndex = loaded;
  return loaded;
}

export const imageQuerySchema = z.strictObject({
  features: z
    .array(z.number({ error: "features must be numbers" }).finite().min(-1).max(1), {
      error: "send the image's feature vector as an array of numbers",
    })
    .length(
      FEATURE_LENGTH,
      `features must have exactly ${FEATURE_LENGTH} numbers (computed by lib/ml/image-features.ts)`,
    ),
  version: z.literal(FEATURE_VERSION, {
    error: `features were computed by another version of the code; reload the page (expected ${FEATURE_VERSION})`,
  }),
  limit: z.number().int().min(1).max(48).default(12),
});

export type ImageMatch = { productId: string; imageUrl: string; similarity: number };

/** Products whose images are nearest to `query` (a unit vector), best first. */
export async function nearestProductsByImage(db: Db, query: ArrayLike<number>, limit: number): Promise<ImageMatch[]> {
  const index = await loadIndex(db);
  if (index.urls.length === 0) return [];
  const scored = index.vectors.map((v, i) => {
    let dot = 0;
    for (let k = 0; k < FEATURE_LENGTH; k++) dot += (v[k] as number) * (query[k] as number);
    return { url: index.urls[i] as string, similarity: dot };
  });
  scored.sort((a, b) => b.similarity - a.similarity || a.url.localeCompare(b.url));
  // Enough images to fill `limit` products in almost every case: images are shared by products.
  const top = scored.slice(0, Math.max(8, limit * 2));
  const similarity = new Map(top.map((s) => [s.url, s.similarity]));
  const { rows } = await db.$client.query<{ product_id: string; url: string; position: number }>(
    `select distinct on (i.product_id) i.product_id, i.url, i.position
       from commerce.product_images i
       join commerce.products p on p.id = i.product_id
      where i.url = any($1::text[]) and exists (select 1 from commerce.offers o where o.product_id = p.id and o.active)
      order by i.product_id, array_position($1::text[], i.url), i.position`,
    [top.map((s) => s.url)],
  );
  return rows
    .map((r) => ({
      productId: r.product_id,
      imageUrl: r.url,
      similarity: similarity.get(r.url) ?? 0,
      position: r.position,
    }))
    .sort((a, b) => b.similarity - a.similarity || a.position - b.position || a.productId.localeCompare(b.productId))
    .slice(0, limit)
    .map(({ position: _position, ...match }) => match);
}
