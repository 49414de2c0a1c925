// Writes the generated catalog into the commerce tables: categories, sellers and FX rates first,
// then products in batches (each batch one transaction: products, translations, images, variants,
// offers, review texts, then its search documents). Every row has a deterministic key and every
// insert is `on conflict do nothing`, so a second run adds nothing and an interrupted run resumes.
import type pg from "pg";
import type { Db } from "../db/client.ts";
import { allCategories } from "./category-tree.ts";
import { catalogCurrencies, usdRates } from "./currencies.ts";
import { type GeneratedProduct, generateProduct } from "./generate-product.ts";
import { type GeneratedSeller, generateSellers } from "./generate-sellers.ts";
import { insertRows, textArrayLiteral } from "./insert-rows.ts";

export type SeedCatalogOptions = {
  products: number;
  /** Same seed, same catalog (default "neocart"). */
  seed?: string;
  /** Products per transaction (default 1,000). */
  batchSize?: number;
  /** Batches written at once, each on its own connection (default 2). */
  concurrency?: number;
  /** Called after each batch with the products done so far and the rows written so far. */
  onProgress?: (productsDone: number, rowsWritten: number) => void;
};

export type SeedCatalogResult = { products: number; rowsWritten: number; sellers: number; terms: number; ms: number };

export const MAX_CATALOG_PRODUCTS = 1_000_000;
/** USD per ether in the demo FX table; production keeps live rates in commerce.fx_rates. */
export const DEMO_ETH_USD = 3500;

async function writeReferenceData(client: pg.PoolClient, sellers: readonly GeneratedSeller[]): Promise<number> {
  let rows = 0;
  // Parents before children: the tree lists branches root-first, then leaves.
  for (const category of allCategories) {
    const result = await client.query(
      `insert into commerce.categories (slug, parent_slug, name) values ($1, $2, $3)
       on conflict (slug) do update set parent_slug = excluded.parent_slug, name = excluded.name
       where (categories.parent_slug, categories.name) is distinct from (excluded.parent_slug, excluded.name)`,
      [category.slug, category.parent ?? null, category.name],
    );
    rows += result.rowCount ?? 0;
  }
  rows += await insertRows(
    client,
    "commerce.sellers",
    [
      { name: "id", type: "uuid" },
      { name: "slug", type: "text" },
      { name: "name", type: "text" },
      { name: "payout_address", type: "text" },
      { name: "country", type: "text" },
    ],
    sellers.map((s) => [s.id, s.slug, s.name, s.payoutAddress, s.country]),
  );
  rows += await insertRows(
    client,
    "commerce.fx_rates",
    [
      { name: "base", type: "text" },
      { name: "quote", type: "text" },
      { name: "rate", type: "numeric" },
    ],
    // ETH is priced too, so escrow checkouts can quote in ether (a demo figure, like the others).
    [...catalogCurrencies.map((c) => ["USD", c, usdRates[c]]), ["ETH", "USD", DEMO_ETH_USD]],
    // Rates already there (maintained by the pricing side) are kept: these are only demo defaults.
    "on conflict (base, quote) do nothing",
  );
  return rows;
}

async function writeBatch(client: pg.PoolClient, products: readonly GeneratedProduct[]): Promise<number> {
  let rows = 0;
  await client.query("begin");
  try {
    // The batch refreshes its search documents once, at the end, instead of once per statement.
    await client.query("set local neocart.search_refresh = 'deferred'");
    rows += await insertRows(
      client,
      "commerce.products",
      [
        { name: "id", type: "uuid" },
        { name: "sku", type: "text" },
        { name: "slug", type: "text" },
        { name: "chain_id_hash", type: "text" },
        { name: "category_slug", type: "text" },
        { name: "brand", type: "text" },
        { name: "title", type: "text" },
        { name: "description", type: "text" },
        { name: "attributes", type: "text", cast: "jsonb" },
        { name: "model_url", type: "text" },
        { name: "created_at", type: "timestamptz" },
        { name: "updated_at", type: "timestamptz" },
        { name: "review_count", type: "integer" },
        { name: "rating_sum", type: "integer" },
      ],
      products.map((p) => [
        p.id,
        p.sku,
        p.slug,
        p.chainIdHash,
        p.categorySlug,
        p.brand,
        p.title,
        p.description,
        JSON.stringify(p.attributes),
        p.modelUrl,
        p.createdAt.toISOString(),
        p.createdAt.toISOString(),
        p.reviewCount,
        p.ratingSum,
      ]),
    );
    rows += await insertRows(
      client,
      "commerce.product_translations",
      [
        { name: "product_id", type: "uuid" },
        { name: "locale", type: "text" },
        { name: "title", type: "text" },
        { name: "description", type: "text" },
      ],
      products.map((p) => [p.id, p.translation.locale, p.translation.title, p.translation.description]),
    );
    rows += await insertRows(
      client,
      "commerce.product_images",
      [
        { name: "id", type: "uuid" },
        { name: "product_id", type: "uuid" },
        { name: "url", type: "text" },
        { name: "alt", type: "text" },
        { name: "position", type: "integer" },
      ],
      products.flatMap((p) => p.images.map((i) => [i.id, p.id, i.url, i.alt, i.position])),
    );
    rows += await insertRows(
      client,
      "commerce.variants",
      [
        { name: "id", type: "uuid" },
        { name: "product_id", type: "uuid" },
        { name: "sku", type: "text" },
        { name: "attributes", type: "text", cast: "jsonb" },
      ],
      products.flatMap((p) => p.variants.map((v) => [v.id, p.id, v.sku, JSON.stringify(v.attributes)])),
    );
    rows += await insertRows(
      client,
      "commerce.offers",
      [
        { name: "id", type: "uuid" },
        { name: "product_id", type: "uuid" },
        { name: "variant_id", type: "uuid" },
        { name: "seller_id", type: "uuid" },
        { name: "price_minor", type: "bigint" },
        { name: "currency", type: "text" },
        { name: "stock", type: "integer" },
        { name: "delivery_options", type: "text", cast: "text[]" },
        { name: "payment_methods", type: "text", cast: "text[]" },
        { name: "created_at", type: "timestamptz" },
      ],
      products.flatMap((p) =>
        p.offers.map((o) => [
          o.id,
          p.id,
          o.variantId,
          o.sellerId,
          o.priceMinor,
          o.currency,
          o.stock,
          textArrayLiteral(o.deliveryOptions),
          textArrayLiteral(o.paymentMethods),
          p.createdAt.toISOString(),
        ]),
      ),
    );
    rows += await insertRows(
      client,
      "commerce.review_texts",
      [
        { name: "content_hash", type: "text" },
        { name: "chain_order_id", type: "text" },
        { name: "product_id", type: "uuid" },
        { name: "body", type: "text" },
        { name: "locale", type: "text" },
      ],
      products.flatMap((p) => p.reviews.map((r) => [r.contentHash, r.chainOrderId, p.id, r.body, r.locale])),
    );
    await client.query("select commerce.refresh_search_documents($1::uuid[])", [products.map((p) => p.id)]);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  }
  return rows;
}

export async function seedCatalog(db: Db, options: SeedCatalogOptions): Promise<SeedCatalogResult> {
  const total = options.products;
  if (!Number.isInteger(total) || total < 0 || total > MAX_CATALOG_PRODUCTS) {
    throw new RangeError(`products must be a whole number from 0 to ${MAX_CATALOG_PRODUCTS.toLocaleString("en-US")}`);
  }
  const seed = options.seed ?? "neocart";
  const batchSize = options.batchSize ?? 1_000;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const started = performance.now();
  const sellers = generateSellers(seed);
  const pool = db.$client;

  let rowsWritten = 0;
  const reference = await pool.connect();
  try {
    rowsWritten += await writeReferenceData(reference, sellers);
  } finally {
    reference.release();
  }

  let nextStart = 0;
  let done = 0;
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (nextStart < total) {
        const start = nextStart;
        nextStart = Math.min(total, start + batchSize);
        const batch: GeneratedProduct[] = [];
        for (let i = start; i < nextStart; i++) batch.push(generateProduct(seed, i, sellers));
        // Read rowsWritten only after the await: the other worker adds to it meanwhile.
        const written = await writeBatch(client, batch);
        rowsWritten += written;
        done += batch.length;
        options.onProgress?.(done, rowsWritten);
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  const { rows } = await pool.query<{ terms: number }>("select commerce.rebuild_search_terms() as terms");
  // Products of a category end up on neighbouring pages, so a query reads few pages (see 0002).
  await pool.query("cluster commerce.search_documents");
  await pool.query("analyze commerce.search_documents, commerce.search_terms, commerce.offers, commerce.products");
  return {
    products: total,
    rowsWritten,
    sellers: sellers.length,
    terms: rows[0]?.terms ?? 0,
    ms: Math.round(performance.now() - started),
  };
}
