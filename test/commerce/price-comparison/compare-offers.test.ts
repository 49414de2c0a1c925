// Price comparison: NeoCart and external offers converted to the shopper's currency, total =
// price + delivery, sorted, and the cheapest in-stock total flagged (not the cheapest price).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readProductPage } from "../../../lib/catalog/read-product.ts";
import { compareOffers } from "../../../lib/price-comparison/compare-offers.ts";
import { importFeedText } from "../../../lib/price-comparison/import-feed.ts";
import { seedFxRates, seedOffer, seedSeller } from "../orders/support/seed-catalog.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let t: TestDatabase;
let productId: string;
const sku = "PC-COMPARE-1";

async function compare(currency: string) {
  const page = await readProductPage(t.db, { ref: productId, locale: "en", currency, viewsSchema: "neocart_views" });
  if (!page) throw new Error("product not found");
  return compareOffers(t.db, { productId, currency, neocartOffers: page.offers });
}

beforeAll(async () => {
  t = await createTestDatabase("price_compare", 5562);
  await seedFxRates(t.db, [
    ["EUR", "USD", "1.10"],
    ["USD", "JPY", "150"],
  ]);
  const seller = await seedSeller(t.db);
  ({ productId } = await seedOffer(t.db, { sellerId: seller, priceMinor: 5000n, currency: "USD", sku }));
  const feed = [
    "sku,source,url,price,currency,delivery,in_stock",
    // A lower price than euro-shop (44.00 USD), but delivery makes its total 42.00 + 12.00 = 54.00 USD.
    `${sku},cheap-but-far,https://far.example/p,42.00,USD,12.00,true`,
    // 40.00 EUR + 2.00 EUR = 42.00 EUR = 46.20 USD: the cheapest total.
    `${sku},euro-shop,https://euro.example/p,40.00,EUR,2.00,true`,
    // Cheapest of all, but out of stock: never flagged.
    `${sku},sold-out,https://sold-out.example/p,10.00,USD,0,false`,
    // No FX rate for GBP: left out and counted.
    `${sku},uk-shop,https://uk.example/p,30.00,GBP,0,true`,
  ].join("\n");
  const result = await importFeedText(t.db, feed, "test.csv");
  expect(result.errors).toEqual([]);
});
afterAll(async () => {
  await t?.stop();
});

describe("compareOffers", () => {
  it("converts to the shopper's currency and flags the cheapest total including delivery", async () => {
    const c = await compare("USD");
    expect(c.unconverted).toBe(1);
    expect(c.rows.map((r) => [r.name.startsWith("seller-") ? "neocart" : r.name, r.total.minor, r.cheapest])).toEqual([
      ["euro-shop", 4620n, true],
      ["neocart", 5000n, false],
      ["cheap-but-far", 5400n, false],
      ["sold-out", 1000n, false],
    ]);
    const euro = c.rows[0];
    expect(euro?.price).toEqual({ minor: 4400n, currency: "USD" });
    expect(euro?.delivery).toEqual({ minor: 220n, currency: "USD" });
    expect(euro?.original.price).toEqual({ minor: 4000n, currency: "EUR" });
    expect(euro?.url).toBe("https://euro.example/p");
    const neocart = c.rows[1];
    expect(neocart?.kind).toBe("neocart");
    expect(neocart?.deliveryNote).toBe("included");
    expect(neocart?.delivery.minor).toBe(0n);
    // The lowest price is not the cheapest total.
    const farPrice = c.rows.find((r) => r.name === "cheap-but-far")?.price.minor ?? 0n;
    expect(farPrice < (euro?.price.minor ?? 0n)).toBe(true);
  });

  it("prices every row in yen for a JPY shopper (cross rate through USD for EUR)", async () => {
    const c = await compare("JPY");
    expect(c.rows.every((r) => r.total.currency === "JPY")).toBe(true);
    // 40 EUR → 44 USD → 6600 JPY; 2 EUR → 330 JPY.
    expect(c.rows[0]).toMatchObject({ name: "euro-shop", total: { minor: 6930n }, cheapest: true });
    expect(c.rows.find((r) => r.kind === "neocart")?.total.minor).toBe(7500n);
  });

  it("flags both rows when two in-stock totals tie", async () => {
    await importFeedText(
      t.db,
      `sku,source,url,price,currency\n${sku},twin-shop,https://twin.example/p,46.20,USD\n`,
      "twin.csv",
    );
    const c = await compare("USD");
    expect(c.rows.filter((r) => r.cheapest).map((r) => r.name)).toEqual(["euro-shop", "twin-shop"]);
  });
});
