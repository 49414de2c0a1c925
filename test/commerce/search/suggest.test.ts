// Type-ahead suggestions on a real PostgreSQL over the small seeded catalog.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldText } from "../../../lib/search/normalize-query.ts";
import { SearchInputError } from "../../../lib/search/search-input.ts";
import { type Suggestion, suggest } from "../../../lib/search/suggest.ts";
import type { TestDatabase } from "../support/test-database.ts";
import { createSeededDatabase } from "./support/seeded-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createSeededDatabase("suggest", 5523);
});
afterAll(async () => {
  await t?.stop();
});

const ofKind = <K extends Suggestion["kind"]>(list: Suggestion[], kind: K) =>
  list.filter((s): s is Extract<Suggestion, { kind: K }> => s.kind === kind);

describe("suggest", () => {
  it("completes the word being typed, most frequent first, with its category and products", async () => {
    const list = await suggest(t.db, "headp", 8);
    expect(ofKind(list, "query")[0]?.text).toBe("headphones");
    expect(ofKind(list, "category").map((c) => c.slug)).toContain("headphones");
    const products = ofKind(list, "product");
    expect(products.length).toBeGreaterThan(0);
    for (const p of products) expect(p.text).toMatch(/headphones/i);
    expect(list.length).toBeLessThanOrEqual(8);
  });

  it("keeps the words already typed and completes the last one", async () => {
    const list = await suggest(t.db, "wireless hea", 6);
    const queries = ofKind(list, "query");
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) expect(q.text).toMatch(/^wireless hea/);
    for (const p of ofKind(list, "product")) expect(foldText(p.text)).toMatch(/wireless.*\bhea/);
  });

  it("tolerates a typo in the prefix", async () => {
    const list = await suggest(t.db, "iphn", 5);
    expect(ofKind(list, "query").map((q) => q.text)).toContain("iphone");
    expect(ofKind(list, "product").every((p) => /iPhone/.test(p.text))).toBe(true);
  });

  it("folds accents and suggests Spanish words for Spanish shoppers", async () => {
    const list = await suggest(t.db, "AURÍC", 5, "es");
    expect(ofKind(list, "query")[0]?.text).toBe("auriculares");
  });

  it("respects the limit and returns nothing for an empty prefix", async () => {
    expect((await suggest(t.db, "s", 3)).length).toBeLessThanOrEqual(3);
    expect(await suggest(t.db, "   ", 5)).toEqual([]);
  });

  it("refuses a limit outside 1–20 and an over-long prefix", async () => {
    await expect(suggest(t.db, "tv", 0)).rejects.toThrow(/limit must be between 1 and 20/);
    await expect(suggest(t.db, "tv", 21)).rejects.toBeInstanceOf(SearchInputError);
    await expect(suggest(t.db, "x".repeat(201))).rejects.toThrow(/prefix must be at most 200 characters/);
  });
});
