// The in-memory text index (lib/search/text-index.ts) against PostgreSQL itself: the same results,
// scores and facets as the SQL search for every kind of query, ts_rank reproduced to the bit, and
// every committed write seen by the next search, from this process or another, including a
// transaction that took its version before a later one and committed after it.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, createDb, type Db } from "../../../lib/db/client.ts";
import { fromUsdMinor, numericRound6 } from "../../../lib/search/item-store.ts";
import { GENERATION_TTL_MS, invalidateSearchCache } from "../../../lib/search/search-cache.ts";
import { type SearchInput, SearchInputError } from "../../../lib/search/search-input.ts";
import { type SearchOptions, type SearchResult, searchProducts } from "../../../lib/search/search-products.ts";
import { type Suggestion, suggest } from "../../../lib/search/suggest.ts";
import { loadTextIndex, TextIndex } from "../../../lib/search/text-index.ts";
import { rankOrder, tsRank } from "../../../lib/search/ts-rank.ts";
import { parseTsquery, type TsqueryNode, UnsupportedTsquery } from "../../../lib/search/tsquery-text.ts";
import type { TestDatabase } from "../support/test-database.ts";
import { createSeededDatabase } from "./support/seeded-database.ts";

let t: TestDatabase;
/** A second handle on the same database: another app process, with an index of its own. */
let other: Db;
/** Every statement either handle sent, to tell which engine answered. */
const statements: string[] = [];
function recordStatements(db: Db) {
  const query = db.$client.query.bind(db.$client) as (...args: unknown[]) => Promise<unknown>;
  Object.assign(db.$client, {
    query: (...args: unknown[]) => {
      const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (text) statements.push(text);
      return query(...args);
    },
  });
}
beforeAll(async () => {
  t = await createSeededDatabase("text-index", 5526);
  other = createDb(t.url, { max: 4, onIdleError: () => {} });
  recordStatements(t.db);
  recordStatements(other);
});
afterAll(async () => {
  if (other) await closeDb(other);
  await t?.stop();
});

const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await t.db.$client.query<T>(text, params)).rows;
/** The SQL search's one statement (search-products.ts, runSearch). */
const SQL_SEARCH = "matches as materialized";
/**
 * Searches through the text index, and checks that it answered: had the search fallen back to
 * SQL, the comparisons below would compare SQL with itself.
 */
async function inMemory(db: Db, input: SearchInput, options: SearchOptions = {}) {
  const from = statements.length;
  const result = await searchProducts(db, input, { cache: false, engine: "memory", ...options });
  expect(statements.slice(from).filter((text) => text.includes(SQL_SEARCH))).toEqual([]);
  return result;
}
async function inSql(db: Db, input: SearchInput, options: SearchOptions = {}) {
  const from = statements.length;
  const result = await searchProducts(db, input, { cache: false, engine: "sql", ...options });
  expect(statements.slice(from).some((text) => text.includes(SQL_SEARCH))).toBe(true);
  return result;
}
const ids = (r: SearchResult) => r.items.map((i) => i.id);
/**
 * Both handles re-read the search generation at their next search, as they do by themselves
 * within GENERATION_TTL_MS (the last test waits for that instead).
 */
const readGenerationNow = () => {
  invalidateSearchCache(t.db);
  invalidateSearchCache(other);
};

describe("tsquery text", () => {
  it("parses AND, OR, parentheses and quoted lexemes", () => {
    expect(parseTsquery("( 'headphon' | 'earphon' ) & 'soni'")).toEqual({
      op: "and",
      args: [{ op: "or", args: [{ lexeme: "headphon" }, { lexeme: "earphon" }] }, { lexeme: "soni" }],
    });
    expect(parseTsquery("'it''s' | 'back\\\\slash'")).toEqual({
      op: "or",
      args: [{ lexeme: "it's" }, { lexeme: "back\\slash" }],
    });
    expect(parseTsquery("")).toBeNull();
  });

  it("reports phrases, prefixes, weights and negations as unsupported", () => {
    for (const text of ["'wi-fi' <-> 'wi'", "'hea':*", "'a':AB", "!'a'", "'a' <2> 'b'"]) {
      expect(() => parseTsquery(text), text).toThrow(UnsupportedTsquery);
    }
  });
});

describe("in memory and in SQL, the same results", () => {
  const inputs: SearchInput[] = [
    { q: "headphones" },
    { q: "wireless headphones", pageSize: 30 },
    { q: "hedphones" },
    { q: "samsnug televison" },
    { q: "tv" },
    { q: "sneakers" },
    { q: "phone", page: 2, pageSize: 5 },
    { q: "lumière" },
    { q: "auriculares inalámbricos", locale: "es" },
    { q: "cafetera", locale: "es" },
    { q: "the of and" },
    { q: "headphones zzzqqq" },
    { q: "headphones", priceMin: 5_000, priceMax: 20_000 },
    { q: "headphones", currency: "EUR", priceMax: 15_000 },
    { q: "speaker", minRating: 4 },
    { q: "wireless", delivery: "drone" },
    { q: "phone", payment: "upi", currency: "INR" },
    { q: "wireless", category: "audio", minRating: 3 },
    { q: "television", sort: "price_asc" },
    { q: "television", sort: "price_desc", pageSize: 48 },
    { q: "sneakers", sort: "rating" },
    { q: "wireless", sort: "newest", page: 2 },
    { category: "audio" },
    { category: "electronics", sort: "rating", page: 2 },
    { category: "headphones", sort: "newest" },
    { category: "audio", delivery: "drone" },
    { q: "headphones", seller: "no-such-seller" },
  ];

  it.each(inputs.map((input) => [JSON.stringify(input), input] as const))("%s", async (_label, input) => {
    const memory = await inMemory(t.db, input);
    const reference = await inSql(t.db, input);
    expect(memory).toEqual(reference);
  });

  it("a seller filter, by slug and by id", async () => {
    const [seller] = await sql<{ id: string; slug: string }>(
      `select s.id, s.slug from commerce.sellers s join commerce.offers o on o.seller_id = s.id
       join commerce.products p on p.id = o.product_id where p.title ilike '%wireless%'
       group by s.id order by count(*) desc, s.id limit 1`,
    );
    if (!seller) throw new Error("no seller with offers");
    for (const value of [seller.slug, seller.id]) {
      const input = { q: "wireless", seller: value };
      const memory = await inMemory(t.db, input);
      expect(memory.total).toBeGreaterThan(0);
      expect(memory).toEqual(await inSql(t.db, input));
    }
  });

  it("past the match cap: the same number of matches counted, an estimated total, results from the matches", async () => {
    const input = { q: "wireless" };
    const all = await inMemory(t.db, input);
    const memory = await inMemory(t.db, input, { maxMatchedRows: 20 });
    const reference = await inSql(t.db, input, { maxMatchedRows: 20 });
    expect(memory.totalIsEstimate).toBe(true);
    expect(memory.totalIsExact).toBe(false);
    expect(reference.totalIsEstimate).toBe(true);
    // Both count 20 matches per facet; the total is extrapolated to every match.
    expect(memory.facets.category.reduce((n, c) => n + c.count, 0)).toBe(20);
    expect(reference.facets.category.reduce((n, c) => n + c.count, 0)).toBe(20);
    expect(memory.total).toBe(all.total);
    expect(memory.items.length).toBe(20);
  });

  it("refuses a currency without a rate, as SQL does", async () => {
    await expect(inMemory(t.db, { q: "tv", currency: "XAU" })).rejects.toThrow(SearchInputError);
  });
});

describe("suggestions in memory and in SQL, the same", () => {
  /** The SQL suggestion's statement, the one that finds products in PostgreSQL (suggest.ts). */
  const SQL_PRODUCTS = "fetch first ($4) rows with ties";
  const suggestWith = async (engine: "memory" | "sql", prefix: string, limit: number, locale: string) => {
    const from = statements.length;
    const list = await suggest(t.db, prefix, limit, locale, { cache: false, engine });
    const sent = statements.slice(from);
    return { list, productsInSql: sent.some((text) => text.includes(SQL_PRODUCTS)) };
  };
  const products = (list: Suggestion[]) => list.filter((s) => s.kind === "product");

  // [prefix, limit, locale]: completions, words before the last, a typo, accents in Spanish, one
  // letter, a stop word, limits from 3 to 20.
  const cases: [string, number, string][] = [
    ["headp", 8, "en"],
    ["wireless hea", 6, "en"],
    ["iphn", 5, "en"],
    ["AURÍC", 5, "es"],
    ["s", 8, "en"],
    ["tel", 3, "en"],
    ["the", 8, "en"],
    ["samsung tel", 8, "en"],
    ["sneak", 20, "en"],
  ];
  it.each(cases)("%s (limit %i, %s)", async (prefix, limit, locale) => {
    const memory = await suggestWith("memory", prefix, limit, locale);
    const reference = await suggestWith("sql", prefix, limit, locale);
    expect(memory.productsInSql, "the in-memory suggestion found its products in SQL").toBe(false);
    expect(reference.productsInSql).toBe(true);
    expect(memory.list).toEqual(reference.list);
  });

  it("some of those cases suggest products, most reviewed first", async () => {
    const withProducts = await Promise.all(
      cases.map(async ([prefix, limit, locale]) => products((await suggestWith("memory", prefix, limit, locale)).list)),
    );
    expect(withProducts.filter((list) => list.length > 0).length).toBeGreaterThanOrEqual(6);
    const slugs = withProducts[0]?.map((p) => ("slug" in p ? p.slug : "")) ?? [];
    const reviews = await sql<{ slug: string; review_count: number }>(
      `select p.slug, d.review_count from commerce.products p join commerce.search_documents d on d.product_id = p.id
       where p.slug = any($1)`,
      [slugs],
    );
    const order = slugs.map((slug) => reviews.find((r) => r.slug === slug)?.review_count ?? -1);
    expect(order).toEqual([...order].sort((a, b) => b - a));
  });

  it("the first matches of a query, walked lazily, are match's first slots", async () => {
    const index = await loadTextIndex(t.db);
    const common = (
      await sql<{ word: string }>(
        "select word from ts_stat('select document from commerce.search_documents') order by ndoc desc, word limit 8",
      )
    ).map((r) => r.word);
    const rare = (
      await sql<{ word: string }>(
        "select word from ts_stat('select document from commerce.search_documents') where ndoc between 2 and 5 order by word limit 3",
      )
    ).map((r) => r.word);
    const [a = "", b = "", c = "", d = ""] = common;
    // Words found in a few of the documents that have the most common word: AND-ing them makes
    // the common word's list jump far ahead to each of their documents.
    const alongside = (
      await sql<{ word: string }>(
        `select word from ts_stat($$select document from commerce.search_documents where document @@ '${a}'::tsquery$$)
         where ndoc between 2 and 6 order by word limit 4`,
      )
    ).map((r) => r.word);
    expect(alongside.length).toBe(4);
    const word = (lexeme: string): TsqueryNode => ({ lexeme });
    const queries: TsqueryNode[] = [
      ...[...common, ...rare, "zzzqqq"].map(word),
      { op: "or", args: [a, b, c].map(word) },
      { op: "and", args: [a, b].map(word) },
      { op: "and", args: [word(a), { op: "or", args: [b, c, ...rare].map(word) }] },
      {
        op: "and",
        args: [
          { op: "or", args: [a, b].map(word) },
          { op: "or", args: [c, d].map(word) },
        ],
      },
      { op: "and", args: [word(a), word("zzzqqq")] },
      { op: "or", args: [word("zzzqqq"), ...rare.map(word)] },
      { op: "and", args: [...rare, a].map(word) },
      ...alongside.map((w): TsqueryNode => ({ op: "and", args: [word(a), word(w)] })),
      { op: "and", args: [word(a), { op: "or", args: alongside.map(word) }] },
      {
        op: "and",
        args: [
          { op: "or", args: [a, b].map(word) },
          { op: "or", args: alongside.map(word) },
        ],
      },
    ];
    let nonEmpty = 0;
    for (const query of queries) {
      for (const limit of [1, 7, 200, 1_000_000]) {
        const expected = Array.from(index.match(query, undefined, limit).slots);
        expect(Array.from(index.firstMatches(query, limit)), `${JSON.stringify(query)}, limit ${limit}`).toEqual(
          expected,
        );
        if (expected.length > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(40);
  });

  it("a prefix no word completes is matched as a prefix, in SQL, with the same answer", async () => {
    const memory = await suggestWith("memory", "qzx", 8, "en");
    expect(memory.productsInSql).toBe(true);
    expect(memory.list).toEqual((await suggestWith("sql", "qzx", 8, "en")).list);
  });
});

describe("result cards in memory round as PostgreSQL does", () => {
  it("prices: fromUsdMinor equals commerce.from_usd_minor for every currency", async () => {
    const amounts = Array.from({ length: 2_000 }, (_, i) => (i * 7_919 + i * i * 13) % 5_000_000);
    const rates = await sql<{ quote: string; rate: string }>(
      "select quote, rate from commerce.fx_rates where base = 'USD'",
    );
    expect(rates.length).toBeGreaterThan(2);
    for (const { quote, rate } of rates) {
      const currency = quote.trim();
      const exponent = ["JPY", "KRW", "VND"].includes(currency) ? 0 : ["BHD", "KWD", "OMR"].includes(currency) ? 3 : 2;
      const [row] = await sql<{ converted: string[] }>(
        "select array(select commerce.from_usd_minor(a, $2)::text from unnest($1::bigint[]) with ordinality t(a, o) order by o) as converted",
        [amounts, currency],
      );
      expect(
        amounts.map((a) => String(fromUsdMinor(a, rate, exponent))),
        currency,
      ).toEqual(row?.converted);
    }
  });

  it("scores: numericRound6 equals round(x::numeric, 6) of a float8", async () => {
    const values = [0, 1e-20, 0.5, 0.0000005, 0.0000015, 1.2345675, 0.1 + 0.2];
    for (let i = 1; i < 2_000; i++) values.push(Math.fround(i / 1_999) * (1 + Math.log(1 + i) / 20), i * 1.37e-7);
    const [row] = await sql<{ rounded: number[] }>(
      "select array(select round(x::numeric, 6)::float8 from unnest($1::float8[]) with ordinality t(x, o) order by o) as rounded",
      [values],
    );
    expect(values.map(numericRound6)).toEqual(row?.rounded);
  });
});

describe("ts_rank in memory", () => {
  it("equals PostgreSQL's ts_rank for every document, for AND, OR and single-word queries", async () => {
    const index = await loadTextIndex(t.db);
    const queries = [
      "'wireless' & 'headphon'",
      "'headphon' | 'earphon' | 'headset'",
      "'tv'",
      "( 'sneaker' | 'shoe' ) & 'run'",
      "'samsung' & 'televis' & 'black'",
    ];
    let compared = 0;
    let ranked = 0;
    for (const text of queries) {
      const rows = await sql<{ product_id: string; rank: number }>(
        "select product_id, ts_rank(rank_vector, $1::tsquery) as rank from commerce.search_documents",
        [text],
      );
      const parsed = parseTsquery(text);
      if (!parsed) throw new Error(text);
      const query = {
        rootIsAnd: "op" in parsed && parsed.op === "and",
        lexemeIds: rankOrder(text.match(/'[^']+'/g)?.map((l) => l.slice(1, -1)) ?? []).map((l) => index.lexemeId(l)),
      };
      const slotOf = new Map(index.productIds.map((id, slot) => [id, slot]));
      for (const row of rows) {
        const slot = slotOf.get(row.product_id);
        if (slot === undefined) throw new Error(`${row.product_id} is not indexed`);
        expect(tsRank(index, slot, query), `${text} on ${row.product_id}`).toBe(Math.fround(row.rank));
        compared++;
        if (row.rank > 0) ranked++;
      }
    }
    expect(compared).toBeGreaterThan(5_000);
    expect(ranked).toBeGreaterThan(100);
  });
});

describe("the index follows every committed write", () => {
  it("another process's price change, new title and deleted product are seen by the next search", async () => {
    const before = await inMemory(t.db, { q: "headphones", sort: "price_asc" });
    const [target, victim] = before.items;
    if (!target || !victim) throw new Error("too few headphones");
    await other.$client.query("update commerce.offers set price_minor = 1, currency = 'USD' where product_id = $1", [
      target.id,
    ]);
    await other.$client.query("update commerce.products set title = title || ' Wombatphone' where id = $1", [
      target.id,
    ]);
    await other.$client.query("delete from commerce.products where id = $1", [victim.id]);
    readGenerationNow();

    const after = await inMemory(t.db, { q: "headphones", sort: "price_asc" });
    expect(after.items[0]?.id).toBe(target.id);
    expect(after.items[0]?.price).toEqual({ minor: 1, currency: "USD" });
    expect(ids(after)).not.toContain(victim.id);
    expect(after.total).toBe(before.total - 1);
    expect(ids(await inMemory(t.db, { q: "wombatphone" }))).toEqual([target.id]);
    expect(await inMemory(t.db, { q: "headphones" })).toEqual(await inSql(t.db, { q: "headphones" }));
  });

  it("a product's new first image shows on its result card, in memory as in SQL", async () => {
    const before = await inMemory(t.db, { q: "headphones" });
    const target = before.items[0];
    if (!target) throw new Error("no headphones");
    await sql(
      `insert into commerce.product_images (product_id, url, alt, position)
       select $1, '/images/quokka.webp', 'A quokka', min(position) - 1 from commerce.product_images where product_id = $1`,
      [target.id],
    );
    readGenerationNow();
    const after = await inMemory(t.db, { q: "headphones" });
    expect(after.items.find((i) => i.id === target.id)?.imageUrl).toBe("/images/quokka.webp");
    expect(after).toEqual(await inSql(t.db, { q: "headphones" }));
  });

  it("a transaction that took its version first and committed last is not missed", async () => {
    const products = await sql<{ id: string }>(
      "select product_id as id from commerce.search_documents order by product_id limit 2",
    );
    const [early, late] = products;
    if (!early || !late) throw new Error("too few products");
    const slow = new pg.Client({ connectionString: t.url });
    await slow.connect();
    try {
      await slow.query("begin");
      await slow.query("update commerce.products set title = title || ' Platypusphone' where id = $1", [early.id]);
      // A later write commits first, and a search reads the feed while the slow one is open.
      await sql("update commerce.products set title = title || ' Echidnaphone' where id = $1", [late.id]);
      readGenerationNow();
      expect(ids(await inMemory(t.db, { q: "echidnaphone" }))).toEqual([late.id]);
      expect((await inMemory(t.db, { q: "platypusphone" })).total).toBe(0);
      await slow.query("commit");
    } finally {
      await slow.end();
    }
    readGenerationNow();
    expect(ids(await inMemory(t.db, { q: "platypusphone" }))).toEqual([early.id]);
  });

  it("searches running while another process writes end up equal to SQL once the writes are read", async () => {
    const products = await sql<{ id: string; offer: string }>(
      `select o.product_id as id, min(o.id::text) as offer from commerce.offers o
       group by o.product_id order by o.product_id limit 30`,
    );
    expect(products.length).toBe(30);
    const writes = products.map(({ id, offer }, i) =>
      i % 3 === 0
        ? other.$client.query("update commerce.offers set price_minor = price_minor + $2 where id = $1", [offer, i + 1])
        : i % 3 === 1
          ? other.$client.query("update commerce.products set title = title || ' Axolotl' where id = $1", [id])
          : other.$client.query("update commerce.offers set active = not active where id = $1", [offer]),
    );
    const searches = Array.from({ length: 30 }, (_, i) =>
      inMemory(t.db, i % 2 ? { sort: "price_asc" as const } : { q: "axolotl" }),
    );
    await Promise.all([...writes, ...searches]);
    readGenerationNow();
    for (const input of [
      { sort: "price_asc" as const },
      { q: "axolotl" },
      { q: "axolotl", sort: "price_desc" as const },
    ]) {
      expect(await inMemory(t.db, input)).toEqual(await inSql(t.db, input));
    }
    expect((await inMemory(t.db, { q: "axolotl" })).total).toBe(10);
  });

  it("a burst of changes is read in pages, and past the limit the index asks to be rebuilt", async () => {
    const index = new TextIndex({ feedChunk: 100, feedMax: 1_000 });
    await index.load(t.db);
    const query = parseTsquery("'dugong'");
    if (!query) throw new Error("no query");
    await sql(
      "update commerce.products set title = title || ' Dugong' where id in (select id from commerce.products order by id limit 700)",
    );
    await index.sync(t.db);
    expect(index.overflowed).toBe(false);
    expect(index.match(query, undefined, 10_000).all).toBe(700);
    await sql("update commerce.products set title = title || ' Manatee'");
    await index.sync(t.db);
    expect(index.overflowed).toBe(true);
  });

  it("a new product is found by both processes once they re-read the generation, without being told", async () => {
    const [template] = await sql<{ id: string }>("select id from commerce.products order by id limit 1");
    if (!template) throw new Error("no product");
    expect((await inMemory(other, { q: "narwhal" })).total).toBe(0);
    const [created] = await sql<{ id: string }>(
      `insert into commerce.products (sku, slug, chain_id_hash, title, brand, description, category_slug)
       select sku || '-copy', slug || '-copy', '0x' || repeat('ab', 32), 'Narwhal Kettle', brand, description, category_slug
       from commerce.products where id = $1 returning id`,
      [template.id],
    );
    await new Promise((resolve) => setTimeout(resolve, GENERATION_TTL_MS + 50));
    for (const db of [t.db, other]) expect(ids(await inMemory(db, { q: "narwhal kettle" }))).toEqual([created?.id]);
  });
});
