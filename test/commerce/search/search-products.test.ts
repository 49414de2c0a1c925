// searchProducts on a real PostgreSQL over a small seeded catalog: typo correction, synonyms,
// accents, multi-word relevance, facet counts checked against the catalog tables themselves,
// sort orders, pagination and refused input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldText } from "../../../lib/search/normalize-query.ts";
import { type SearchInput, SearchInputError } from "../../../lib/search/search-input.ts";
import { type SearchResult, searchProducts } from "../../../lib/search/search-products.ts";
import type { TestDatabase } from "../support/test-database.ts";
import { createSeededDatabase } from "./support/seeded-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createSeededDatabase("search", 5522);
});
afterAll(async () => {
  await t?.stop();
});

const search = (input: SearchInput) => searchProducts(t.db, input);
const titles = (r: SearchResult) => r.items.map((i) => i.title);
const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await t.db.$client.query<T>(text, params)).rows;

/** Cheapest active offer per product in USD cents, computed from offers and fx_rates in JS. */
async function cheapestUsdByProduct(): Promise<Map<string, number>> {
  const rates = new Map(
    (await sql<{ quote: string; rate: string }>("select quote, rate from commerce.fx_rates where base = 'USD'")).map(
      (r) => [r.quote.trim(), Number(r.rate)],
    ),
  );
  const offers = await sql<{ product_id: string; price_minor: string; currency: string }>(
    "select product_id, price_minor, currency from commerce.offers where active",
  );
  const cheapest = new Map<string, number>();
  for (const o of offers) {
    const currency = o.currency.trim();
    const exponent = currency === "JPY" ? 0 : 2;
    const usd =
      currency === "USD"
        ? Number(o.price_minor)
        : Math.round((Number(o.price_minor) * 100) / 10 ** exponent / (rates.get(currency) ?? Number.NaN));
    cheapest.set(o.product_id, Math.min(cheapest.get(o.product_id) ?? Number.POSITIVE_INFINITY, usd));
  }
  return cheapest;
}

describe("search: typo tolerance", () => {
  it.each([
    ["iphnoe", "iphone", /iphone/i],
    ["hedphones", "headphones", /headphones/i],
    ["wireles", "wireless", /wireless/i],
    ["wireles hedphones", "wireless headphones", /wireless.*headphones/i],
    ["samsnug televison", "samsung television", /samsung.*television/i],
  ])("%s is corrected to %s and finds matching products", async (q, corrected, pattern) => {
    const result = await search({ q, pageSize: 10 });
    expect(result.correctedQuery).toBe(corrected);
    expect(result.total).toBeGreaterThan(0);
    for (const title of titles(result)) expect(title).toMatch(pattern);
  });

  it("leaves known words, numbers and short words alone", async () => {
    const result = await search({ q: "sony 55 tv" });
    expect(result.correctedQuery).toBeUndefined();
  });
});

describe("search: synonyms", () => {
  it("tv finds televisions, as many as television does", async () => {
    const tv = await search({ q: "tv", pageSize: 20 });
    const television = await search({ q: "television", pageSize: 20 });
    expect(tv.total).toBeGreaterThan(0);
    expect(tv.total).toBe(television.total);
    expect(tv.items.every((i) => i.category === "televisions")).toBe(true);
  });

  it("phone finds smartphones", async () => {
    const result = await search({ q: "phone", pageSize: 10 });
    expect(result.total).toBeGreaterThan(0);
    expect(result.facets.category.map((c) => c.value)).toContain("smartphones");
    expect(result.items[0]?.category).toBe("smartphones");
  });

  it("sneakers also finds shoes, and ranks real sneakers first", async () => {
    const result = await search({ q: "sneakers", pageSize: 5 });
    const categories = result.facets.category.map((c) => c.value);
    expect(categories).toContain("sneakers");
    expect(categories).toContain("running-shoes");
    expect(result.items.every((i) => i.category === "sneakers")).toBe(true);
  });
});

describe("search: accents and languages", () => {
  it("lumière, lumiere and LUMIERE are the same query", async () => {
    const plain = await search({ q: "lumiere" });
    expect(plain.total).toBeGreaterThan(0);
    expect(plain.items.every((i) => /Lumière/.test(i.title))).toBe(true);
    expect((await search({ q: "lumière" })).total).toBe(plain.total);
    expect((await search({ q: "LUMIÈRE" })).total).toBe(plain.total);
  });

  it("Spanish queries match Spanish titles with or without accents, and show them", async () => {
    const accented = await search({ q: "cámara", locale: "es", pageSize: 5 });
    const plain = await search({ q: "camara", locale: "es", pageSize: 5 });
    expect(accented.total).toBeGreaterThan(0);
    expect(plain.total).toBe(accented.total);
    for (const item of accented.items) expect(item.title).toMatch(/^Cámara/);
  });

  it("Spanish stems: auriculares inalámbricos finds wireless headphones", async () => {
    const result = await search({ q: "auriculares inalambricos", locale: "es-ES", pageSize: 5 });
    expect(result.total).toBeGreaterThan(0);
    expect(result.items.every((i) => ["headphones", "earbuds"].includes(i.category))).toBe(true);
  });
});

describe("search: relevance of multi-word queries", () => {
  it("every result has every word; title matches come first", async () => {
    const result = await search({ q: "sony noise cancelling headphones", pageSize: 10 });
    expect(result.total).toBeGreaterThan(0);
    for (const item of result.items) {
      expect(item.brand).toBe("Sony");
      expect(item.category).toBe("headphones");
    }
    expect(titles(result)[0]).toMatch(/Noise-Cancelling Headphones/);
  });

  it("a query with one unknown word falls back to the words that match", async () => {
    const result = await search({ q: "garmin qqqzzzx" });
    expect(result.total).toBeGreaterThan(0);
    expect(result.items.every((i) => i.brand === "Garmin")).toBe(true);
  });

  it("a query of stop words only finds nothing, without an error", async () => {
    const result = await search({ q: "the and of" });
    expect(result.total).toBe(0);
    expect(result.items).toEqual([]);
  });
});

describe("search: facets count what the catalog holds", () => {
  it("q=headphones: total and category facet equal the products titled Headphones", async () => {
    const [{ n }] = (await sql<{ n: number }>(
      "select count(*)::integer as n from commerce.products where category_slug = 'headphones'",
    )) as [{ n: number }];
    const [{ titled }] = (await sql<{ titled: number }>(
      "select count(*)::integer as titled from commerce.products where title ilike '%headphones%'",
    )) as [{ titled: number }];
    const result = await search({ q: "headphones" });
    expect(result.total).toBe(n);
    expect(titled).toBe(n);
    expect(result.facets.category).toEqual([{ value: "headphones", label: "Headphones", count: n }]);
  });

  it("browse audio with delivery=drone: every facet matches counts from offers, disjunctively", async () => {
    const products = await sql<{ id: string; category_slug: string }>(
      `select p.id, p.category_slug from commerce.products p
       where p.category_slug in (select slug from commerce.categories where parent_slug = 'audio')`,
    );
    const offers = await sql<{
      product_id: string;
      seller_slug: string;
      delivery_options: string[];
      payment_methods: string[];
    }>(
      `select o.product_id, s.slug as seller_slug, o.delivery_options, o.payment_methods
       from commerce.offers o join commerce.sellers s on s.id = o.seller_id where o.active`,
    );
    const byProduct = new Map<string, typeof offers>();
    for (const o of offers) byProduct.set(o.product_id, [...(byProduct.get(o.product_id) ?? []), o]);
    const hasDrone = (id: string) => (byProduct.get(id) ?? []).some((o) => o.delivery_options.includes("drone"));
    const count = <K>(keys: K[]) => {
      const m = new Map<K, number>();
      for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
      return m;
    };

    const result = await search({ category: "audio", delivery: "drone", pageSize: 100 });
    const drone = products.filter((p) => hasDrone(p.id));
    expect(result.total).toBe(drone.length);
    expect(result.items.length).toBe(Math.min(100, drone.length));

    const expectedCategories = count(drone.map((p) => p.category_slug));
    expect(new Map(result.facets.category.map((c) => [c.value, c.count]))).toEqual(expectedCategories);

    // The delivery facet ignores the delivery filter itself: all audio products count.
    const expectedDelivery = count(
      products.flatMap((p) => [...new Set((byProduct.get(p.id) ?? []).flatMap((o) => o.delivery_options))]),
    );
    expect(new Map(result.facets.delivery.map((c) => [c.value, c.count]))).toEqual(expectedDelivery);

    const expectedPayment = count(
      drone.flatMap((p) => [...new Set((byProduct.get(p.id) ?? []).flatMap((o) => o.payment_methods))]),
    );
    expect(new Map(result.facets.payment.map((c) => [c.value, c.count]))).toEqual(expectedPayment);

    const expectedSellers = count(
      drone.flatMap((p) => [...new Set((byProduct.get(p.id) ?? []).map((o) => o.seller_slug))]),
    );
    const topSellers = [...expectedSellers.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 20);
    expect(result.facets.seller.map((s) => [s.value, s.count])).toEqual(topSellers);

    const ratings = new Map(
      (
        await sql<{ id: string; review_count: number; rating_sum: number }>(
          "select id, review_count, rating_sum from commerce.products",
        )
      ).map((r) => [r.id, r.review_count > 0 ? Math.round((r.rating_sum * 100) / r.review_count) : null]),
    );
    for (const { minRating, count: n } of result.facets.rating) {
      expect(n).toBe(drone.filter((p) => (ratings.get(p.id) ?? -1) >= minRating * 100).length);
    }

    const cheapest = await cheapestUsdByProduct();
    const edges = result.facets.price.buckets.map((b) => b.min).filter((m): m is number => m !== null);
    const expectedBuckets = result.facets.price.buckets.map(() => 0);
    for (const p of drone) {
      const usd = cheapest.get(p.id);
      if (usd === undefined) continue;
      expectedBuckets[edges.filter((e) => usd >= e).length] =
        (expectedBuckets[edges.filter((e) => usd >= e).length] ?? 0) + 1;
    }
    expect(result.facets.price.currency).toBe("USD");
    expect(result.facets.price.buckets.map((b) => b.count)).toEqual(expectedBuckets);
  });

  it("filters narrow results exactly: price range, min rating, seller, payment", async () => {
    const cheapest = await cheapestUsdByProduct();
    const all = await search({ q: "headphones", pageSize: 100 });
    const inRange = all.items.filter((i) => {
      const usd = cheapest.get(i.id);
      return usd !== undefined && usd >= 5_000 && usd <= 20_000;
    });
    const ranged = await search({ q: "headphones", priceMin: 5_000, priceMax: 20_000, pageSize: 100 });
    expect(ranged.total).toBe(inRange.length);
    for (const item of ranged.items) expect(item.price?.minor).toBeGreaterThanOrEqual(5_000);

    const rated = await search({ q: "headphones", minRating: 4, pageSize: 100 });
    expect(rated.total).toBe(all.items.filter((i) => (i.rating.average ?? 0) >= 4).length);
    expect(rated.total).toBe(all.facets.rating.find((r) => r.minRating === 4)?.count);

    const seller = all.facets.seller[0];
    if (!seller) throw new Error("no seller facet");
    const bySeller = await search({ q: "headphones", seller: seller.value });
    expect(bySeller.total).toBe(seller.count);

    const upi = all.facets.payment.find((f) => f.value === "upi");
    const byPayment = await search({ q: "headphones", payment: "upi", pageSize: 100 });
    expect(byPayment.total).toBe(upi?.count ?? 0);
    expect(byPayment.items.every((i) => i.paymentMethods.includes("upi"))).toBe(true);
  });

  it("prices and price buckets follow the requested currency", async () => {
    const usd = await search({ q: "laptop", sort: "price_asc", pageSize: 5 });
    const eur = await search({ q: "laptop", sort: "price_asc", pageSize: 5, currency: "EUR" });
    const jpy = await search({ q: "laptop", sort: "price_asc", pageSize: 5, currency: "JPY" });
    expect(eur.items.map((i) => i.id)).toEqual(usd.items.map((i) => i.id));
    expect(eur.items.every((i) => i.price?.currency === "EUR")).toBe(true);
    const first = (r: SearchResult) => r.items[0]?.price?.minor ?? 0;
    expect(first(eur) / first(usd)).toBeCloseTo(0.92, 1);
    // Yen have no minor unit: ¥ amounts are about 1.51 × the dollar amount in cents.
    expect(first(jpy) / first(usd)).toBeCloseTo(1.51, 1);
    expect(eur.facets.price.buckets.map((b) => b.count).reduce((a, b) => a + b)).toBe(eur.total);
  });
});

describe("search: sort orders and pages", () => {
  it("price_asc and price_desc are ordered by the cheapest offer", async () => {
    const cheapest = await cheapestUsdByProduct();
    const asc = await search({ q: "shoes", sort: "price_asc", pageSize: 50 });
    const desc = await search({ q: "shoes", sort: "price_desc", pageSize: 50 });
    const prices = (r: SearchResult) => r.items.map((i) => cheapest.get(i.id) ?? Number.NaN);
    expect(prices(asc)).toEqual([...prices(asc)].sort((a, b) => a - b));
    expect(prices(desc)).toEqual([...prices(desc)].sort((a, b) => b - a));
  });

  it("rating puts the best rated first, unrated last", async () => {
    const result = await search({ category: "electronics", sort: "rating", pageSize: 100 });
    const averages = result.items.map((i) => i.rating.average ?? -1);
    expect(averages).toEqual([...averages].sort((a, b) => b - a));
  });

  it("newest orders by the product's creation time", async () => {
    const result = await search({ q: "backpack", sort: "newest", pageSize: 30 });
    const created = await sql<{ id: string; created_at: Date }>(
      "select id, created_at from commerce.products where id = any($1)",
      [result.items.map((i) => i.id)],
    );
    const at = new Map(created.map((r) => [r.id, r.created_at.getTime()]));
    const times = result.items.map((i) => at.get(i.id) ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("pages are disjoint and together equal one larger page", async () => {
    const one = await search({ q: "black", page: 1, pageSize: 10 });
    const two = await search({ q: "black", page: 2, pageSize: 10 });
    const both = await search({ q: "black", page: 1, pageSize: 20 });
    expect([...one.items, ...two.items].map((i) => i.id)).toEqual(both.items.map((i) => i.id));
    expect(one.total).toBe(both.total);
    expect(one.totalIsExact).toBe(true);
  });

  it("items carry what a result card needs", async () => {
    const [item] = (await search({ q: "iphone", pageSize: 1 })).items;
    expect(item).toMatchObject({
      sku: expect.stringMatching(/^NC-\d{7}$/),
      imageUrl: expect.stringMatching(/^\/images\/products\/smartphones-\d\.svg$/),
      price: { minor: expect.any(Number), currency: "USD" },
      rating: { count: expect.any(Number) },
    });
    expect(foldText(item?.title ?? "")).toContain("iphone");
  });
});

describe("search: bad input is refused with a message that says what to fix", () => {
  it.each<[SearchInput, RegExp]>([
    [{ q: "tv", pageSize: 0 }, /pageSize must be between 1 and 100/],
    [{ q: "tv", pageSize: 101 }, /pageSize must be between 1 and 100/],
    [{ q: "tv", pageSize: 2.5 }, /pageSize must be a whole number/],
    [{ q: "tv", page: 0 }, /page must be 1 or more/],
    [{ q: "tv", page: 200, pageSize: 100 }, /page × pageSize must be at most 10,000/],
    [
      { q: "tv", sort: "cheapest" as "price_asc" },
      /sort must be one of relevance, price_asc, price_desc, rating, newest/,
    ],
    [{ q: "tv", currency: "usd" }, /currency must be a 3-letter ISO 4217 code/],
    [{ q: "tv", priceMin: 5000, priceMax: 100 }, /priceMin must not be greater than priceMax/],
    [{ q: "tv", priceMin: -1 }, /priceMin must be 0 or more/],
    [{ q: "tv", minRating: 6 }, /minRating must be between 0 and 5/],
    [{ q: "tv", delivery: "teleport" as "drone" }, /delivery must be one of standard, green, drone/],
    [{ q: "tv", category: "Bad Slug!" }, /category must be a category slug/],
    [{ q: "x".repeat(201) }, /q must be at most 200 characters/],
    [{ q: 42 as unknown as string }, /q must be text/],
    [{ q: "tv", colour: "red" } as SearchInput, /unknown option colour/],
  ])("%o", async (input, message) => {
    const error = await search(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SearchInputError);
    expect((error as Error).message).toMatch(message);
  });

  it("a currency without an exchange rate names the ones that have one", async () => {
    await expect(search({ q: "tv", currency: "CHF" })).rejects.toThrow(
      /currency CHF has no exchange rate; use one of EUR, GBP, INR, JPY, USD/,
    );
  });
});
