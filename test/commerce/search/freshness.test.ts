// Search stays current when the catalog changes: renamed categories, sellers' listing edits, the
// result cache and its invalidation, and estimated totals past the match cap. Writes to the
// catalog, so it has a database of its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshSearchDocuments } from "../../../lib/search/refresh-search-documents.ts";
import { GENERATION_TTL_MS, invalidateSearchCache, searchCacheSize } from "../../../lib/search/search-cache.ts";
import { SearchInputError } from "../../../lib/search/search-input.ts";
import { searchProducts } from "../../../lib/search/search-products.ts";
import { suggest } from "../../../lib/search/suggest.ts";
import type { TestDatabase } from "../support/test-database.ts";
import { createSeededDatabase } from "./support/seeded-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createSeededDatabase("search-freshness", 5524);
});
afterAll(async () => {
  await t?.stop();
});

const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await t.db.$client.query<T>(text, params)).rows;
const count = async (text: string, params: unknown[] = []) =>
  ((await sql<{ n: number }>(text, params))[0] as { n: number }).n;

/**
 * Writes made through the same handle but outside lib/search look, to the cache, like another
 * process's: they are noticed through the search generation once this process re-reads it. These
 * tests check what the triggers wrote, so they drop the cache outright rather than wait for that;
 * "a catalog write drops cached results" below checks that the generation alone suffices.
 */
const forgetGeneration = () => invalidateSearchCache(t.db);

describe("search follows catalog edits", () => {
  it("a renamed category is found by its new name, and no longer corrected to another word", async () => {
    const before = await searchProducts(t.db, { q: "earwear" });
    expect(before.items.every((i) => i.category !== "headphones")).toBe(true);
    const n = await count("select count(*)::integer as n from commerce.products where category_slug = 'headphones'");
    expect(n).toBeGreaterThan(0);

    await sql("update commerce.categories set name = 'Earwear' where slug = 'headphones'");
    forgetGeneration();

    const after = await searchProducts(t.db, { q: "earwear" });
    expect(after.correctedQuery).toBeUndefined();
    expect(after.total).toBe(n);
    expect(after.facets.category).toEqual([{ value: "headphones", label: "Earwear", count: n }]);
    // The parent branch still contains it: a category filter reads the stored path.
    const audio = await searchProducts(t.db, { q: "earwear", category: "audio" });
    expect(audio.total).toBe(n);
    expect((await suggest(t.db, "earw", 5)).some((s) => s.kind === "query" && s.text === "earwear")).toBe(true);
  });

  it("a moved category is found under its new parent", async () => {
    const [leaf] = await sql<{ slug: string; parent_slug: string }>(
      "select slug, parent_slug from commerce.categories where slug = 'headphones'",
    );
    const [other] = await sql<{ slug: string }>(
      "select slug from commerce.categories where parent_slug is null and slug <> (select parent_slug from commerce.categories where slug = $1) order by slug limit 1",
      [leaf?.parent_slug],
    );
    if (!other) throw new Error("no other root category");
    const n = await count("select count(*)::integer as n from commerce.products where category_slug = 'headphones'");
    await sql("update commerce.categories set parent_slug = $1 where slug = 'headphones'", [other.slug]);
    forgetGeneration();
    const moved = await searchProducts(t.db, { q: "earwear", category: other.slug });
    expect(moved.total).toBe(n);
    await sql("update commerce.categories set parent_slug = $1 where slug = 'headphones'", [leaf?.parent_slug]);
  });

  it("a seller's edits to a listing (title, price) show in search", async () => {
    const [offer] = await sql<{ id: string; product_id: string; seller_id: string }>(
      `select o.id, o.product_id, o.seller_id from commerce.offers o
       where o.active and (select count(*) from commerce.offers x where x.product_id = o.product_id) = 1
       order by o.id limit 1`,
    );
    if (!offer) throw new Error("no single-offer product");
    await sql("update commerce.products set title = title || ' Quokkaphone' where id = $1", [offer.product_id]);
    await sql("update commerce.offers set price_minor = 1, currency = 'USD' where id = $1", [offer.id]);
    forgetGeneration();
    const found = await searchProducts(t.db, { q: "quokkaphone" });
    expect(found.correctedQuery).toBeUndefined();
    expect(found.items.map((i) => i.id)).toEqual([offer.product_id]);
    expect(found.items[0]?.price).toEqual({ minor: 1, currency: "USD" });
    const cheapest = await searchProducts(t.db, { sort: "price_asc", pageSize: 1 });
    expect(cheapest.items[0]?.id).toBe(offer.product_id);

    // An explicit refresh of everything the seller offers rebuilds those documents.
    const offered = await count(
      "select count(distinct product_id)::integer as n from commerce.offers where seller_id = $1",
      [offer.seller_id],
    );
    expect(await refreshSearchDocuments(t.db, { sellerId: offer.seller_id })).toBe(offered);
  });

  it("refreshSearchDocuments rebuilds a category written with triggers deferred", async () => {
    const n = await count("select count(*)::integer as n from commerce.products where category_slug = 'headphones'");
    const client = await t.db.$client.connect();
    try {
      await client.query("begin");
      await client.query("set local neocart.search_refresh = 'deferred'");
      await client.query("update commerce.categories set name = 'Hushpods' where slug = 'headphones'");
      await client.query("commit");
    } finally {
      client.release();
    }
    forgetGeneration();
    expect((await searchProducts(t.db, { q: "hushpods" })).total).toBe(0);
    expect(await refreshSearchDocuments(t.db, { categoryId: "audio" })).toBeGreaterThanOrEqual(n);
    // No forgetGeneration here: the refresh itself empties this process's cache.
    expect((await searchProducts(t.db, { q: "hushpods" })).total).toBe(n);
  });

  it("refuses a refresh without exactly one target", async () => {
    await expect(refreshSearchDocuments(t.db, {} as { productIds: string[] })).rejects.toBeInstanceOf(SearchInputError);
    await expect(refreshSearchDocuments(t.db, { productIds: ["not-a-uuid"] })).rejects.toThrow(/exactly one of/);
  });
});

describe("result cache", () => {
  it("serves a repeated query from the cache, as equal copies the caller may change", async () => {
    invalidateSearchCache(t.db);
    const first = await searchProducts(t.db, { q: "Backpack" });
    expect(searchCacheSize(t.db)).toBe(1);
    first.items.length = 0;
    const second = await searchProducts(t.db, { q: " backpack " });
    expect(searchCacheSize(t.db)).toBe(1);
    expect(second.items.length).toBeGreaterThan(0);
    expect(second).toEqual(await searchProducts(t.db, { q: "backpack" }, { cache: false }));
  });

  it("a catalog write drops cached results once the new generation is read", async () => {
    const before = await searchProducts(t.db, { q: "backpack" });
    const [other] = await sql<{ id: string }>(
      `select p.id from commerce.products p where p.title not ilike '%backpack%' and p.description not ilike '%backpack%'
       order by p.id limit 1`,
    );
    expect(searchCacheSize(t.db)).toBeGreaterThan(0);
    await sql("update commerce.products set title = title || ' Backpack' where id = $1", [other?.id]);
    // Nothing told this process's cache: it learns of the write by reading the generation again,
    // which it does once the value it read last is older than GENERATION_TTL_MS.
    await new Promise((resolve) => setTimeout(resolve, GENERATION_TTL_MS + 50));
    const after = await searchProducts(t.db, { q: "backpack" });
    expect(after.total).toBe(before.total + 1);
  });

  it("changed synonyms apply without waiting for the cached context to expire", async () => {
    const before = await searchProducts(t.db, { q: "daypack" });
    await sql("insert into commerce.search_synonyms (term, synonym) values ('daypack', 'backpack')");
    forgetGeneration();
    const after = await searchProducts(t.db, { q: "daypack" });
    expect(after.total).toBeGreaterThan(before.total);
    expect(after.total).toBe((await searchProducts(t.db, { q: "backpack" })).total);
  });
});

describe("totals past the match cap", () => {
  it("are estimates, flagged as such, never below what was counted", async () => {
    const exact = await searchProducts(t.db, { q: "black" }, { cache: false });
    expect(exact.totalIsEstimate).toBe(false);
    expect(exact.totalIsExact).toBe(true);
    expect(exact.total).toBeGreaterThan(60);

    const capped = await searchProducts(t.db, { q: "black" }, { cache: false, maxMatchedRows: 50 });
    expect(capped.totalIsEstimate).toBe(true);
    expect(capped.totalIsExact).toBe(false);
    expect(capped.total).toBeGreaterThanOrEqual(50);
    expect(capped.items.length).toBe(20);

    const filtered = await searchProducts(
      t.db,
      { q: "black", minRating: 3, currency: "EUR", priceMin: 100 },
      { cache: false, maxMatchedRows: 10 },
    );
    expect(filtered.totalIsEstimate).toBe(true);
    expect(filtered.total).toBeGreaterThan(0);
  });

  it("browsing a category past the cap is estimated too", async () => {
    const browse = await searchProducts(t.db, { category: "electronics" }, { cache: false, maxMatchedRows: 20 });
    expect(browse.totalIsEstimate).toBe(true);
    expect(browse.total).toBeGreaterThanOrEqual(20);
  });
});
