// The catalog seed on a real PostgreSQL: what it writes, that a second run writes nothing, and
// that the search documents follow later catalog changes (triggers) and on-chain ratings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaves } from "../../../lib/catalog/category-tree.ts";
import { keccakText } from "../../../lib/catalog/deterministic-ids.ts";
import { type SeedCatalogResult, seedCatalog } from "../../../lib/catalog/seed-catalog.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const PRODUCTS = 800;
let t: TestDatabase;
let first: SeedCatalogResult;
const progress: number[] = [];

beforeAll(async () => {
  t = await createTestDatabase("catalog", 5521);
  first = await seedCatalog(t.db, {
    products: PRODUCTS,
    seed: "catalog-test",
    batchSize: 150,
    onProgress: (done) => progress.push(done),
  });
});
afterAll(async () => {
  await t?.stop();
});

const one = async <T>(text: string, params: unknown[] = []) => (await t.db.$client.query(text, params)).rows[0] as T;
const tableCounts = async () =>
  one<Record<string, number>>(`select
    (select count(*)::integer from commerce.categories) as categories,
    (select count(*)::integer from commerce.sellers) as sellers,
    (select count(*)::integer from commerce.products) as products,
    (select count(*)::integer from commerce.product_translations) as translations,
    (select count(*)::integer from commerce.product_images) as images,
    (select count(*)::integer from commerce.variants) as variants,
    (select count(*)::integer from commerce.offers) as offers,
    (select count(*)::integer from commerce.review_texts) as reviews,
    (select count(*)::integer from commerce.search_documents) as documents,
    (select count(*)::integer from commerce.fx_rates) as fx`);

describe("seedCatalog", () => {
  it("writes every part of the catalog and reports progress up to the total", async () => {
    const counts = await tableCounts();
    expect(counts.products).toBe(PRODUCTS);
    expect(counts.translations).toBe(PRODUCTS);
    expect(counts.documents).toBe(PRODUCTS);
    expect(counts.categories).toBeGreaterThan(leaves.length);
    expect(counts.sellers).toBe(first.sellers);
    expect(counts.images).toBeGreaterThanOrEqual(PRODUCTS);
    expect(counts.variants).toBeGreaterThan(0);
    expect(counts.offers).toBeGreaterThan(PRODUCTS);
    expect(counts.reviews).toBeGreaterThan(0);
    expect(counts.fx).toBe(6); // USD to each catalog currency, and ETH
    expect(first.terms).toBeGreaterThan(500);
    expect(progress.at(-1)).toBe(PRODUCTS);
    expect(first.rowsWritten).toBe(Object.values(counts).reduce((a, b) => a + b, 0) - (counts.documents ?? 0));
  });

  it("a second run adds nothing and changes nothing", async () => {
    const before = await tableCounts();
    const digest = await one<{ d: string }>(
      "select md5(string_agg(sku || title || price_minor::text, ',' order by o.id)) as d from commerce.offers o join commerce.products p on p.id = o.product_id",
    );
    const again = await seedCatalog(t.db, { products: PRODUCTS, seed: "catalog-test", batchSize: 150 });
    expect(again.rowsWritten).toBe(0);
    expect(await tableCounts()).toEqual(before);
    expect(
      await one<{ d: string }>(
        "select md5(string_agg(sku || title || price_minor::text, ',' order by o.id)) as d from commerce.offers o join commerce.products p on p.id = o.product_id",
      ),
    ).toEqual(digest);
  });

  it("a larger run extends the catalog, keeping what is there", async () => {
    const more = await seedCatalog(t.db, { products: PRODUCTS + 50, seed: "catalog-test", batchSize: 150 });
    expect(more.rowsWritten).toBeGreaterThan(50);
    expect((await tableCounts()).products).toBe(PRODUCTS + 50);
  });

  it("rows satisfy the schema's meaning: chain ids, multi-seller offers, currencies, review hashes", async () => {
    const product = await one<{ sku: string; chain_id_hash: string }>(
      "select sku, chain_id_hash from commerce.products limit 1",
    );
    expect(product.chain_id_hash).toBe(keccakText(product.sku));
    const multi = await one<{ n: number }>(
      "select count(*)::integer as n from (select product_id from commerce.offers group by product_id having count(distinct seller_id) > 1) x",
    );
    expect(multi.n).toBeGreaterThan(100);
    const currencies = await one<{ c: string[] }>(
      "select array_agg(distinct currency::text order by currency::text) as c from commerce.offers",
    );
    expect(currencies.c).toEqual(["EUR", "GBP", "INR", "JPY", "USD"]);
    const review = await one<{ body: string; content_hash: string }>(
      "select body, content_hash from commerce.review_texts limit 1",
    );
    expect(review.content_hash).toBe(keccakText(review.body));
    const es = await one<{ n: number }>(
      "select count(*)::integer as n from commerce.product_translations where locale = 'es' and title ~ '[áéíóúñ]'",
    );
    expect(es.n).toBeGreaterThan(0);
    const options = await one<{ d: string[]; p: string[] }>(
      "select array(select distinct unnest(delivery_options) from commerce.offers order by 1) as d, array(select distinct unnest(payment_methods) from commerce.offers order by 1) as p",
    );
    expect(options.d).toEqual(["drone", "green", "standard"]);
    expect(options.p).toEqual(expect.arrayContaining(["wallet", "card", "bnpl", "upi", "crypto", "bitcoin"]));
  });

  it("search documents follow catalog changes made through the app (triggers)", async () => {
    const { id } = await one<{ id: string }>(
      "select product_id as id from commerce.search_documents where not ('drone' = any(delivery_options)) and offer_count = 1 limit 1",
    );
    await t.db.$client.query(
      "update commerce.offers set price_minor = 1, currency = 'USD', delivery_options = '{standard,drone}' where product_id = $1",
      [id],
    );
    const after = await one<{ price_usd_minor: string; delivery_options: string[] }>(
      "select price_usd_minor, delivery_options from commerce.search_documents where product_id = $1",
      [id],
    );
    expect(after).toEqual({ price_usd_minor: "1", delivery_options: ["drone", "standard"] });

    // A sale that leaves stock above zero (every checkout) does not rewrite the document...
    const version = () =>
      one<{ xmin: string; in_stock: boolean }>(
        "select xmin::text, in_stock from commerce.search_documents where product_id = $1",
        [id],
      );
    await t.db.$client.query("update commerce.offers set stock = 5 where product_id = $1", [id]);
    const before = await version();
    await t.db.$client.query("update commerce.offers set stock = stock - 1 where product_id = $1", [id]);
    expect(await version()).toEqual(before);
    // ...selling the last one does.
    await t.db.$client.query("update commerce.offers set stock = 0 where product_id = $1", [id]);
    expect((await version()).in_stock).toBe(false);

    await t.db.$client.query("delete from commerce.offers where product_id = $1", [id]);
    const noOffers = await one<{ offer_count: number; in_stock: boolean }>(
      "select offer_count, in_stock from commerce.search_documents where product_id = $1",
      [id],
    );
    expect(noOffers).toEqual({ offer_count: 0, in_stock: false });

    await t.db.$client.query("delete from commerce.products where id = $1", [id]);
    expect(await one("select 1 from commerce.search_documents where product_id = $1", [id])).toBeUndefined();
  });

  it("copies on-chain ratings from neocart_chain.product_rating when the indexer publishes it", async () => {
    expect(await one<{ n: number }>("select commerce.sync_ratings_from_chain() as n")).toEqual({ n: 0 });
    const product = await one<{ id: string; chain_id_hash: string }>(
      "select id, chain_id_hash from commerce.products order by sku limit 1",
    );
    await t.db.$client.query(`create schema neocart_chain;
      create table neocart_chain.product_rating (id text primary key, review_count bigint, rating_sum bigint, average_centi_stars bigint)`);
    try {
      await t.db.$client.query("insert into neocart_chain.product_rating values ($1, 4, 18, 450)", [
        product.chain_id_hash,
      ]);
      expect(await one<{ n: number }>("select commerce.sync_ratings_from_chain() as n")).toEqual({ n: 1 });
      expect(
        await one("select review_count, rating_centi from commerce.search_documents where product_id = $1", [
          product.id,
        ]),
      ).toEqual({ review_count: 4, rating_centi: 450 });
    } finally {
      await t.db.$client.query("drop schema neocart_chain cascade");
    }
  });

  it("refuses a product count outside 0–1,000,000", async () => {
    await expect(seedCatalog(t.db, { products: 1_000_001 })).rejects.toThrow(/from 0 to 1,000,000/);
    await expect(seedCatalog(t.db, { products: -1 })).rejects.toThrow(RangeError);
  });
});
