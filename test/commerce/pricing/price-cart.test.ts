// priceCart prices only from the database (offers, stock, FX), applies the points rule (100
// points = $1, at most 50 % of the subtotal) and the platform fee, and refuses bad input with
// typed errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCartItem, createCart } from "../../../lib/cart/index.ts";
import {
  CartNotFoundError,
  EmptyCartError,
  InvalidInputError,
  OfferUnavailableError,
  OutOfStockError,
  PointsCapExceededError,
  priceCart,
  UnsupportedCurrencyError,
} from "../../../lib/pricing/index.ts";
import { seedFxRates, seedOffer, seedSeller } from "../orders/support/seed-catalog.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let t: TestDatabase;
let cartId: string;
let usdOffer: string;
let eurOffer: string;

beforeAll(async () => {
  t = await createTestDatabase("pricing_cart", 5552);
  await seedFxRates(t.db, [
    ["USD", "JPY", "150"],
    ["EUR", "USD", "1.08"],
  ]);
  const seller = await seedSeller(t.db);
  usdOffer = (await seedOffer(t.db, { sellerId: seller, priceMinor: 1999, currency: "USD", stock: 10 })).offerId;
  eurOffer = (await seedOffer(t.db, { sellerId: seller, priceMinor: 1000, currency: "EUR", stock: 10 })).offerId;
  cartId = (await createCart(t.db)).id;
  await addCartItem(t.db, { via: "owner", cartId }, { offerId: usdOffer, quantity: 2 });
  await addCartItem(t.db, { via: "owner", cartId }, { offerId: eurOffer, quantity: 1 });
});
afterAll(async () => {
  await t?.stop();
});

describe("priceCart", () => {
  it("prices in USD: 2 × $19.99 + €10.00 × 1.08 = $50.78; fee 2.5 % half-even", async () => {
    const p = await priceCart(t.db, cartId, { currency: "USD" });
    expect(p.subtotalMinor).toBe(5078n);
    expect(p.discountMinor).toBe(0n);
    expect(p.totalMinor).toBe(5078n);
    expect(p.platformFeeMinor).toBe(127n); // 126.95 → 127
    const eur = p.lines.find((l) => l.offerId === eurOffer);
    expect(eur?.unitPriceMinor).toBe(1080n);
    expect(eur?.offerCurrency).toBe("EUR");
  });

  it("prices in JPY (exponent 0): unit $19.99 → ¥2998 (2998.5 half-even), €10 → ¥1620", async () => {
    const p = await priceCart(t.db, cartId, { currency: "jpy" });
    expect(p.currency).toBe("JPY");
    expect(p.lines.find((l) => l.offerId === usdOffer)?.unitPriceMinor).toBe(2998n);
    expect(p.lines.find((l) => l.offerId === usdOffer)?.lineTotalMinor).toBe(5996n);
    expect(p.subtotalMinor).toBe(7616n);
  });

  it("redeems points: 500 points = $5.00 off; in JPY 500 points = ¥750", async () => {
    const usd = await priceCart(t.db, cartId, { currency: "USD", pointsToRedeem: 500 });
    expect(usd.discountMinor).toBe(500n);
    expect(usd.totalMinor).toBe(4578n);
    expect(usd.platformFeeMinor).toBe(114n); // 114.45
    const jpy = await priceCart(t.db, cartId, { currency: "JPY", pointsToRedeem: 500 });
    expect(jpy.discountMinor).toBe(750n);
  });

  it("caps points at 50 % of the subtotal and says the maximum", async () => {
    await expect(priceCart(t.db, cartId, { currency: "USD", pointsToRedeem: 2539 })).resolves.toMatchObject({
      discountMinor: 2539n,
    });
    const attempt = priceCart(t.db, cartId, { currency: "USD", pointsToRedeem: 3000 });
    await expect(attempt).rejects.toThrow(PointsCapExceededError);
    await expect(priceCart(t.db, cartId, { currency: "USD", pointsToRedeem: 3000 })).rejects.toThrow(
      /at most 2539 points/,
    );
  });

  it("reads the price from the offer row every time (a price change shows at once)", async () => {
    await t.db.$client.query("update commerce.offers set price_minor = 2499 where id = $1", [usdOffer]);
    const p = await priceCart(t.db, cartId, { currency: "USD" });
    expect(p.subtotalMinor).toBe(2499n * 2n + 1080n);
    await t.db.$client.query("update commerce.offers set price_minor = 1999 where id = $1", [usdOffer]);
  });

  it("refuses client-sent prices or unknown fields", async () => {
    await expect(priceCart(t.db, cartId, { currency: "USD", unitPrices: { [usdOffer]: 1 } } as never)).rejects.toThrow(
      InvalidInputError,
    );
  });

  it("out of stock names the offer, what is left and what was asked", async () => {
    await t.db.$client.query("update commerce.offers set stock = 1 where id = $1", [usdOffer]);
    await expect(priceCart(t.db, cartId, { currency: "USD" })).rejects.toThrow(OutOfStockError);
    await expect(priceCart(t.db, cartId, { currency: "USD" })).rejects.toThrow(
      `Offer ${usdOffer} is out of stock (1 left, 2 requested)`,
    );
    await t.db.$client.query("update commerce.offers set stock = 10 where id = $1", [usdOffer]);
  });

  it("an offer withdrawn by its seller is refused", async () => {
    await t.db.$client.query("update commerce.offers set active = false where id = $1", [eurOffer]);
    await expect(priceCart(t.db, cartId, { currency: "USD" })).rejects.toThrow(OfferUnavailableError);
    await t.db.$client.query("update commerce.offers set active = true where id = $1", [eurOffer]);
  });

  it("wrong currency: unsupported code, malformed code, missing rate", async () => {
    await expect(priceCart(t.db, cartId, { currency: "XYZ" })).rejects.toThrow("Currency XYZ is not supported");
    await expect(priceCart(t.db, cartId, { currency: "XYZ" })).rejects.toThrow(UnsupportedCurrencyError);
    await expect(priceCart(t.db, cartId, { currency: "US" })).rejects.toThrow(InvalidInputError);
    await expect(priceCart(t.db, cartId, { currency: "GBP" })).rejects.toThrow(
      /No exchange rate from EUR to GBP|from USD to GBP/,
    );
  });

  it("unknown and empty carts, negative or fractional points", async () => {
    await expect(priceCart(t.db, "00000000-0000-4000-8000-000000000000", { currency: "USD" })).rejects.toThrow(
      CartNotFoundError,
    );
    const empty = await createCart(t.db);
    await expect(priceCart(t.db, empty.id, { currency: "USD" })).rejects.toThrow(EmptyCartError);
    await expect(priceCart(t.db, cartId, { currency: "USD", pointsToRedeem: -1 })).rejects.toThrow(InvalidInputError);
    await expect(priceCart(t.db, cartId, { currency: "USD", pointsToRedeem: 1.5 })).rejects.toThrow(InvalidInputError);
    await expect(priceCart(t.db, "not-a-uuid", { currency: "USD" })).rejects.toThrow(InvalidInputError);
  });
});
