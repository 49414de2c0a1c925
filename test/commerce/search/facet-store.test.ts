// Facets are counted in each process's memory from document versions (lib/search/facet-store.ts).
// A cached copy of a document must never be counted once the document has changed, in this
// process or another: these tests change prices, stock and offers through the catalog tables and
// check the next uncached search of a second handle, whose store still holds the old versions.
// The store serves SQL searches (engine "sql"); the in-memory text index keeps one of its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, createDb, type Db } from "../../../lib/db/client.ts";
import { facetStoreFor, parseVersionList, SELLERS_INLINE } from "../../../lib/search/facet-store.ts";
import { type SearchResult, searchProducts } from "../../../lib/search/search-products.ts";
import type { TestDatabase } from "../support/test-database.ts";
import { createSeededDatabase } from "./support/seeded-database.ts";

let t: TestDatabase;
/** Another app process: its own pool, store and caches. */
let other: Db;
beforeAll(async () => {
  t = await createSeededDatabase("search-facet-store", 5525);
  other = createDb(t.url, { max: 4 });
});
afterAll(async () => {
  if (other) await closeDb(other);
  await t?.stop();
});

const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await t.db.$client.query<T>(text, params)).rows;
const uncached = (db: Db, input: Parameters<typeof searchProducts>[1]) =>
  searchProducts(db, input, { cache: false, engine: "sql" });
const facetCount = (facet: { value: string; count: number }[], value: string) =>
  facet.find((v) => v.value === value)?.count ?? 0;
/** Other "headphones" products the seller offers. */
const sellerMatches = async (sellerId: string, except: string) =>
  (
    (
      await sql<{ n: number }>(
        `select count(*)::integer as n from commerce.search_documents d
       where d.document @@ to_tsquery('commerce.neocart_en', 'headphones') and $1 = any(d.seller_ids)
         and d.product_id <> $2`,
        [sellerId, except],
      )
    )[0] as { n: number }
  ).n;
const bucketTotal = (result: SearchResult) => result.facets.price.buckets.reduce((sum, b) => sum + b.count, 0);

describe("facet store", () => {
  it("counts what SQL counts over the same matches, for every facet", async () => {
    const result = await uncached(other, { category: "audio" });
    const [expected] = await sql<{
      total: number;
      drone: number;
      upi: number;
      rated4: number;
      priced: number;
    }>(
      `select count(*)::integer as total,
         count(*) filter (where delivery_options @> '{drone}')::integer as drone,
         count(*) filter (where payment_methods @> '{upi}')::integer as upi,
         count(*) filter (where rating_centi >= 400)::integer as rated4,
         count(price_usd_minor)::integer as priced
       from commerce.search_documents where category_path @> '{audio}'`,
    );
    const sellers = await sql<{ slug: string; n: number }>(
      `select s.slug, count(*)::integer as n from commerce.search_documents d, unnest(d.seller_ids) as x(id)
       join commerce.sellers s on s.id = x.id where d.category_path @> '{audio}'
       group by s.slug order by n desc, s.slug limit 20`,
    );
    expect(result.total).toBe(expected?.total);
    expect(facetCount(result.facets.delivery, "drone")).toBe(expected?.drone);
    expect(facetCount(result.facets.payment, "upi")).toBe(expected?.upi);
    expect(result.facets.rating.find((r) => r.minRating === 4)?.count).toBe(expected?.rated4);
    expect(bucketTotal(result)).toBe(expected?.priced);
    expect(result.facets.seller.map((s) => [s.value, s.count])).toEqual(sellers.map((s) => [s.slug, s.n]));
  });

  it("a price change reaches another process's next search, in the same slot", async () => {
    const query = { q: "headphones" };
    const before = await uncached(other, query);
    const store = facetStoreFor(other);
    const size = store.size;
    const [target] = await sql<{ product_id: string; price: string }>(
      `select d.product_id, d.price_usd_minor::text as price from commerce.search_documents d
       where d.document @@ to_tsquery('commerce.neocart_en', 'headphones') and d.offer_count = 1
         and d.best_currency = 'USD' and d.price_usd_minor < 250000 order by d.product_id limit 1`,
    );
    expect(target).toBeDefined();
    const product = target?.product_id as string;
    // Below $2,500 before; $5,000 after: it moves to the highest bucket.
    await sql("update commerce.offers set price_minor = 500000 where product_id = $1", [product]);

    const after = await uncached(other, query);
    expect(after.total).toBe(before.total);
    const last = (r: SearchResult) => r.facets.price.buckets.at(-1)?.count ?? 0;
    expect(last(after)).toBe(last(before) + 1);
    expect(bucketTotal(after)).toBe(bucketTotal(before));
    const expensive = await uncached(other, { ...query, priceMin: 400_000 });
    expect(expensive.items.map((i) => i.id)).toContain(product);
    expect(store.size).toBe(size);
  });

  it("a product that loses its last offer, or is deleted, is no longer counted", async () => {
    const query = { q: "headphones" };
    const before = await uncached(other, query);
    const [victim, withdrawn] = await sql<{ product_id: string; drone: boolean }>(
      `select d.product_id, d.delivery_options @> '{drone}' as drone from commerce.search_documents d
       where d.document @@ to_tsquery('commerce.neocart_en', 'headphones') and d.offer_count > 0
       order by d.product_id desc limit 2`,
    );
    await sql("update commerce.offers set active = false where product_id = $1", [withdrawn?.product_id]);
    await sql("delete from commerce.products where id = $1", [victim?.product_id]);

    const after = await uncached(other, query);
    expect(after.total).toBe(before.total - 1);
    // The withdrawn product still matches, with no price and no delivery options.
    expect(bucketTotal(after)).toBe(bucketTotal(before) - 2);
    const droneBefore = facetCount(before.facets.delivery, "drone");
    const lost = [victim, withdrawn].filter((p) => p?.drone).length;
    expect(facetCount(after.facets.delivery, "drone")).toBe(droneBefore - lost);
  });

  it("counts every seller of a product with more sellers than fit inline", async () => {
    const [product] = await sql<{ id: string }>(
      `select d.product_id as id from commerce.search_documents d
       where d.document @@ to_tsquery('commerce.neocart_en', 'headphones') order by d.product_id limit 1`,
    );
    const added = await sql<{ id: string; slug: string }>(
      `insert into commerce.offers (product_id, seller_id, price_minor, currency, stock)
       select $1, s.id, 9900, 'USD', 3 from commerce.sellers s
       where not exists (select 1 from commerce.offers o where o.product_id = $1 and o.seller_id = s.id)
       order by s.slug limit 6
       returning seller_id as id, (select slug from commerce.sellers where id = seller_id) as slug`,
      [product?.id],
    );
    expect(added).toHaveLength(6);
    const [doc] = await sql<{ n: number }>(
      "select cardinality(seller_ids) as n from commerce.search_documents where product_id = $1",
      [product?.id],
    );
    expect(doc?.n).toBeGreaterThan(SELLERS_INLINE);
    for (const seller of [added[0], added[5]]) {
      const result = await uncached(other, { q: "headphones", seller: seller?.slug });
      expect(result.items.map((i) => i.id)).toContain(product?.id);
      expect(result.total).toBe(1 + (await sellerMatches(seller?.id as string, product?.id as string)));
    }
  });

  it("skips versions replaced between the search and the fetch", async () => {
    const store = facetStoreFor(other);
    const [row] = await sql<{ version: string }>(
      "select version::text from commerce.search_documents order by version desc limit 1",
    );
    const current = Number(row?.version);
    const slots = await store.slotsOf(other, Float64Array.of(current, current + 1_000_000));
    expect(slots.length).toBe(1);
  });

  it("reads PostgreSQL's list of versions, past 32 bits too", () => {
    expect([...parseVersionList("12,40,7")]).toEqual([12, 40, 7]);
    expect([...parseVersionList("9007199254740991")]).toEqual([Number.MAX_SAFE_INTEGER]);
    expect(parseVersionList(null).length).toBe(0);
  });

  it("concurrent searches on a cold store fetch each version once, and agree with a warm one", async () => {
    const fresh = createDb(t.url, { max: 8 });
    const fetched: number[] = [];
    const query = fresh.$client.query.bind(fresh.$client) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(fresh.$client, {
      query: (...args: unknown[]) => {
        if (typeof args[0] === "string" && args[0].includes("where d.version = any")) {
          fetched.push(...(args[1] as [number[]])[0]);
        }
        return query(...args);
      },
    });
    try {
      const inputs = [
        { q: "wireless" },
        { q: "shoes", minRating: 3 },
        { category: "audio", delivery: "green" as const },
      ];
      const cold = await Promise.all(inputs.flatMap((input) => [1, 2, 3].map(() => uncached(fresh, input))));
      const warm = await Promise.all(inputs.map((input) => uncached(fresh, input)));
      inputs.forEach((_, i) => {
        for (const result of cold.slice(i * 3, i * 3 + 3)) expect(result).toEqual(warm[i]);
      });
      expect(fetched.length).toBeGreaterThan(0);
      expect(new Set(fetched).size).toBe(fetched.length);
      expect(facetStoreFor(fresh).size).toBe(fetched.length);
    } finally {
      await closeDb(fresh);
    }
  });
});
